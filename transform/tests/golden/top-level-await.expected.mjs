// Top-level await: a module-level state.
var __asyncContext = __asyncContextInit(); function __asyncContextInit() { return __asyncContext || (__asyncContext = globalThis[Symbol.for("asynccontext.suspension")] || { enter() {}, suspend(_, v) { return v; }, resume(_, v) { return v; }, exit() {}, forAwait(_, it) { return it; } }); } const __acState = __asyncContext.enter(); import { load } from "./loader.js";
const config = __asyncContext.resume(__acState, await __asyncContext.suspend(__acState, load("config")));
try {
  __asyncContext.resume(__acState, await __asyncContext.suspend(__acState, load("optional")));
} catch { __asyncContext.resume(__acState);
  console.warn("no optional config");
}
try { for await (const line of __asyncContext.forAwait(__acState, load("lines"))) { __asyncContext.resume(__acState); console.log(line); } } finally { __asyncContext.resume(__acState); }
export const ready = true;
export async function later() { const __acState = (__asyncContext || __asyncContextInit()).enter(); try {
  return __asyncContext.resume(__acState, await __asyncContext.suspend(__acState, load("later")));
 } finally { __asyncContext.exit(__acState); }}
