#!/usr/bin/env node
// Builds the transform as WebAssembly into transform/pkg/:
//   pkg/node/  wasm-bindgen --target nodejs (CommonJS, for node tools and bundler plugins)
//   pkg/web/   wasm-bindgen --target web    (ES module with an init function, for browsers)
// Steps: cargo rustc --crate-type cdylib for wasm32-unknown-unknown (release profile), wasm-bindgen
// (the CLI pinned with the polyfill's, 0.2.130), then wasm-opt -Oz from the npm package `binaryen`.
//
//   node transform/scripts/build-wasm.mjs
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const crate = path.resolve(here, "..");
const root = path.resolve(crate, "..");
const target = process.env.CARGO_TARGET_DIR ? path.resolve(process.env.CARGO_TARGET_DIR) : path.join(root, "target");
const out = path.join(crate, "pkg");

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit" });
  if (result.error) throw new Error(`${command} could not start: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed with status ${result.status}`);
}

run("cargo", [
  "rustc", "-p", "asynccontext-transform", "--lib", "--release", "--target", "wasm32-unknown-unknown", "--crate-type", "cdylib",
]);
const wasm = path.join(target, "wasm32-unknown-unknown", "release", "asynccontext_transform.wasm");
rmSync(out, { recursive: true, force: true });
const wasmOpt = path.join(root, "node_modules/.bin/wasm-opt");
if (!existsSync(wasmOpt)) throw new Error("node_modules/.bin/wasm-opt is missing: run `npm ci`");
const features = ["reference-types", "bulk-memory", "sign-ext", "nontrapping-float-to-int", "mutable-globals", "multivalue"];
for (const kind of ["node", "web"]) {
  const dir = path.join(out, kind);
  mkdirSync(dir, { recursive: true });
  run("wasm-bindgen", ["--target", kind === "node" ? "nodejs" : "web", "--out-dir", dir, "--out-name", "asynccontext_transform", wasm]);
  // The repository's package.json says "type": "module"; the nodejs glue is CommonJS.
  writeFileSync(path.join(dir, "package.json"), `${JSON.stringify({ type: kind === "node" ? "commonjs" : "module" })}\n`);
  const file = path.join(dir, "asynccontext_transform_bg.wasm");
  run(wasmOpt, ["-Oz", ...features.map((f) => `--enable-${f}`), "--strip-debug", "--strip-producers", file, "-o", file]);
  console.log(`${path.relative(root, file)}: ${statSync(file).size} bytes`);
}
