// Top-level await: a module-level state.
import { load } from "./loader.js";
const config = await load("config");
try {
  await load("optional");
} catch {
  console.warn("no optional config");
}
for await (const line of load("lines")) console.log(line);
export const ready = true;
export async function later() {
  return await load("later");
}
