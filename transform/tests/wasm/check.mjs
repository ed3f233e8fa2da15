#!/usr/bin/env node
// The WebAssembly build (transform/pkg/node, from scripts/build-wasm.mjs) gives the same output as the
// native library for every golden input, reports parse errors with their position and validates its
// options. Prints one line per check and finally `N passed, N failed`.
//
//   node transform/scripts/build-wasm.mjs && node transform/tests/wasm/check.mjs
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const golden = path.resolve(here, "../golden");
const require = createRequire(import.meta.url);
let passed = 0;
let failed = 0;

function check(name, fn) {
  try {
    fn();
    passed++;
    console.log(`ok - wasm > ${name}`);
  } catch (error) {
    failed++;
    console.log(`not ok - wasm > ${name}: ${String(error && error.message).replace(/\s*\n\s*/g, " ⏎ ")}`);
  }
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

let transform;
check("the node build loads", () => {
  ({ transform } = require(path.resolve(here, "../../pkg/node/asynccontext_transform.js")));
  assert(typeof transform === "function", "transform is not exported");
});

if (transform) {
  const inputs = readdirSync(golden).filter((n) => !n.includes(".expected.")).sort();
  check("every golden input transforms to its expected output, as natively", () => {
    assert(inputs.length >= 20, `only ${inputs.length} golden inputs`);
    for (const name of inputs) {
      const [stem, ext] = [name.slice(0, name.indexOf(".")), name.slice(name.indexOf(".") + 1)];
      const expected = readFileSync(path.join(golden, `${stem}.expected.${ext}`), "utf8");
      const { code } = transform(readFileSync(path.join(golden, name), "utf8"), { filename: name });
      assert(code === expected, `${name} differs from ${stem}.expected.${ext}`);
    }
  });

  check("the result has code, a source map, changed, kind and notes", () => {
    const out = transform("export async function* g(...r) { yield await 1; }", { filename: "a.mjs", mapFile: "a.out.mjs" });
    assert(out.changed === true, "changed");
    assert(out.kind === "module", `kind ${out.kind}`);
    const map = JSON.parse(out.map);
    assert(map.version === 3 && map.file === "a.out.mjs" && map.sources[0] === "a.mjs", out.map);
    assert(out.notes.length === 1 && out.notes[0].line === 1 && out.notes[0].column === 8, JSON.stringify(out.notes));
  });

  check("a source without suspension points comes back unchanged", () => {
    const source = "function f() { return 1; }\n";
    const out = transform(source);
    assert(out.changed === false && out.code === source, out.code);
  });

  check("a parse error throws a SyntaxError with its line and column", () => {
    let error;
    try {
      transform("let a;\nlet = ;", { filename: "bad.mjs" });
    } catch (e) {
      error = e;
    }
    assert(error instanceof SyntaxError, `got ${error}`);
    assert(error.line === 2 && typeof error.column === "number", `line ${error.line} column ${error.column}`);
    assert(error.message.startsWith(`2:${error.column}: `), error.message);
  });

  check("sourceKind forces the kind and bad options throw a TypeError", () => {
    assert(transform("async function f() { await 1 }", { sourceKind: "module" }).kind === "module", "module");
    assert(transform("async function f() { await 1 }", { sourceKind: "script" }).kind === "script", "script");
    for (const bad of [{ sourceKind: "esm" }, { filename: 3 }, "options"]) {
      let error;
      try {
        transform("1", bad);
      } catch (e) {
        error = e;
      }
      assert(error instanceof TypeError, `${JSON.stringify(bad)}: got ${error}`);
    }
  });
}

console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
