// The WebAssembly build of the transform (transform/pkg/web) running in the page itself.
import { test, assert } from "../harness.js";
import init, { transform } from "/transform/pkg/web/asynccontext_transform.js";
import { later } from "./exec-common.js";

await init();

test("the web build transforms code in the browser, and that code keeps its context across await", async () => {
  const source = [
    "export async function f(v, pause) {",
    "  await pause(2);",
    "  const first = v.get();",
    "  await pause(1);",
    "  return [first, v.get()];",
    "}",
  ].join("\n");
  const { code, changed, kind } = transform(source, { filename: "in-browser.mjs" });
  assert.equal(changed, true);
  assert.equal(kind, "module");
  const url = URL.createObjectURL(new Blob([code], { type: "text/javascript" }));
  const { f } = await import(url);
  URL.revokeObjectURL(url);
  const v = new AsyncContext.Variable();
  const [a, b] = await Promise.all([v.run("A", () => f(v, later)), v.run("B", () => f(v, later))]);
  assert.deepEqual([a, b], [["A", "A"], ["B", "B"]]);
});

test("the web build reports a parse error with its position", () => {
  let error;
  try {
    transform("async function f() {\n  await (;\n}", { filename: "bad.mjs" });
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof SyntaxError, String(error));
  assert.equal(error.line, 2);
});
