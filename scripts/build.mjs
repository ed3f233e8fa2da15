// npm run build: everything in pkg/.
//   1. wasm-pack (release, --target web) compiles src/ and runs wasm-bindgen (the exact version
//      pinned in Cargo.lock, which scripts/setup.sh installs; nothing is downloaded here);
//   2. wasm-opt from the pinned npm package `binaryen` shrinks the module (Debian's binaryen 108
//      corrupts wasm-bindgen's externref table, so it is not used); for the default (no_std)
//      build, after taking out what only a panic report or wasm-bindgen's glue would read (below);
//   3. the module is inlined as hex (gzip compresses hex far better than base64: byte
//      boundaries survive) so both bundles instantiate synchronously, with no fetch;
//   4. esbuild bundles js-shim/ into pkg/asynccontext.mjs (ESM) and
//      pkg/asynccontext.global.js (classic script), and the typings are copied;
//   5. (separate) the await transform's node WebAssembly build, for `asynccontext/transform`:
//      transform/pkg/node/ (rebuilt by transform/scripts/build-wasm.mjs when missing or older than
//      the transform's sources) is copied to pkg/transform/. Steps 1-4 do not depend on it.
//   (after 4: the two classic bundles are re-minified by terser, see below.)
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { basename, dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { minify } from "terser";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = join(root, "pkg");
// `node scripts/build.mjs --debug-panics`: steps 1-4 only, into pkg/debug/, with the std wasm build
// and console_error_panic_hook (Cargo feature "debug-panics"): a panic prints its message and
// location instead of the default build's one-line report. The modules then import wasm-bindgen's
// glue (console, Error), so the bundles instantiate them through it (js-shim/wasm-glue.js).
const debugPanics = process.argv.includes("--debug-panics");
const out = debugPanics ? join(pkg, "debug") : pkg;

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit" });
  if (result.error) throw new Error(`${command} could not start (${result.error.message}); run scripts/setup.sh`);
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed with status ${result.status}`);
}

const wasmOpt = join(root, "node_modules/.bin/wasm-opt");
if (!existsSync(wasmOpt)) throw new Error("node_modules/.bin/wasm-opt is missing: run `npm ci`");
const wasmMetadce = join(root, "node_modules/.bin/wasm-metadce");
const wasmDis = join(root, "node_modules/.bin/wasm-dis");
const features = ["reference-types", "bulk-memory", "sign-ext", "nontrapping-float-to-int", "mutable-globals", "multivalue"];

// The no_std build's panic handler (src/lib.rs) ignores its PanicInfo: the message pieces and
// source paths that core and alloc still place in the module's data, for the panic sites'
// Arguments and Locations, are never read, nor is core::fmt's decimal digit table (no formatting
// code is linked). They were 624 bytes of the 5,895 (about 350 bytes of the bundle's gzip). They are
// zeroed in the data section (found by content, nowhere else), and wasm-opt's memory packing then
// leaves the zero runs out of the module (wasm memory starts zeroed). The pointers and lengths
// that refer to them stay as they are; nothing but a panic report would follow them.
const PANIC_TEXT = [
  / index out of bounds: the len is | but the index is |memory allocation of | bytes failed|capacity overflow/g,
  /\/rustc\/[0-9a-f]{40}\/library\/[\x21-\x7e]+?\.rs|src\/[a-z_]+\.rs/g, // panic locations
  new RegExp(Array.from({ length: 100 }, (_, i) => String(i).padStart(2, "0")).join(""), "g"), // "000102…9899"
];
function scrubPanicText(file) {
  const bytes = readFileSync(file);
  // Sections: id byte, LEB128 size, payload. The data section is id 11.
  const leb = (at) => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const b = bytes[at++];
      value += (b & 127) * 2 ** shift;
      if (b < 128) return [value, at];
    }
  };
  for (let at = 8; at < bytes.length; ) {
    const id = bytes[at];
    const [size, start] = leb(at + 1);
    if (id === 11) {
      const text = bytes.toString("latin1", start, start + size);
      for (const pattern of PANIC_TEXT) for (const m of text.matchAll(pattern)) bytes.fill(0, start + m.index, start + m.index + m[0].length);
    }
    at = start + size;
  }
  writeFileSync(file, bytes);
}

// Exports that wasm-bindgen adds for its own glue, which the default bundles do without
// (js-shim/store.js instantiates the modules itself): its externref table (no JS value is ever
// passed in) and its abort-handler globals. wasm-metadce removes them with what only they reach
// (the table, two globals): 84 bytes of the bundle's gzip. The debug build keeps them for the glue.
const GLUE_ONLY_EXPORTS = ["__wbindgen_externrefs", "__abort_handler", "__instance_terminated"];
function dropUnusedExports(file) {
  const module = new WebAssembly.Module(readFileSync(file));
  const kept = WebAssembly.Module.exports(module).filter((e) => !GLUE_ONLY_EXPORTS.includes(e.name));
  const imports = WebAssembly.Module.imports(module);
  const graph = [
    { name: "outside", root: true, reaches: [...kept.map((e) => `export ${e.name}`), ...imports.map((_, i) => `import ${i}`)] },
    ...WebAssembly.Module.exports(module).map((e) => ({ name: `export ${e.name}`, export: e.name })),
    ...imports.map((e, i) => ({ name: `import ${i}`, import: [e.module, e.name] })),
  ];
  const graphFile = `${file}.graph.json`;
  writeFileSync(graphFile, JSON.stringify(graph));
  try {
    const result = spawnSync(wasmMetadce, [...features.map((f) => `--enable-${f}`), "-f", graphFile, file, "-o", file], { cwd: root, encoding: "utf8" });
    if (result.error || result.status !== 0) throw new Error(`wasm-metadce failed: ${result.error ? result.error.message : result.stderr}`);
  } finally {
    rmSync(graphFile, { force: true });
  }
}

// core's panic functions (panic_fmt, panic_bounds_check, capacity_overflow, handle_alloc_error,
// ...) lay out their message Arguments and Location on the shadow stack, then call the panic
// handler, which ignores them: it calls `panicked` and traps. So each function that can only end
// there (no return, its body ends in `unreachable`, it calls nothing but `panicked` and other such
// functions) gets the handler's body instead; wasm-opt then drops the arguments every caller
// passes it. What a panic reports is unchanged (one console line, then the trap); only the unread
// stack writes before the trap go: 314 bytes of the core module, 155 of the bundle's gzip.
// Returns the path of the rewritten module's text (wasm-dis / wasm-opt's own format).
function shortenPanicPaths(file) {
  const dis = spawnSync(wasmDis, [file], { cwd: root, encoding: "utf8", maxBuffer: 64 << 20 });
  if (dis.error || dis.status !== 0) throw new Error(`wasm-dis failed: ${dis.error ? dis.error.message : dis.stderr}`);
  const lines = dis.stdout.split("\n");
  const panicked = dis.stdout.match(/\(import "[^"]*" "panicked" \(func (\$"[^"]*"|\$[^\s)]+)/);
  if (!panicked) throw new Error(`${file} imports no panicked function`);
  // Functions: from a " (func " line to the line before the next module field.
  const funcs = [];
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].startsWith(" (func ")) continue;
    let end = i + 1;
    while (end < lines.length && !/^ \(|^\)/.test(lines[end])) end++;
    funcs.push({ start: i, end, name: lines[i].match(/^ \(func (\$"[^"]*"|\$[^\s)]+)/)[1], body: lines.slice(i + 1, end).join("\n") });
  }
  const panics = new Set([panicked[1]]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const f of funcs) {
      if (panics.has(f.name) || !f.body.endsWith("\n  (unreachable)\n )") || /\((return|call_indirect|call_ref|return_call)/.test(f.body)) continue;
      const callees = [...f.body.matchAll(/\(call (\$"[^"]*"|\$[^\s)]+)/g)].map((m) => m[1]);
      if (callees.length === 0 || !callees.every((c) => panics.has(c))) continue;
      panics.add(f.name);
      f.panics = true;
      grew = true;
    }
  }
  for (const f of funcs.reverse()) {
    if (f.panics) lines.splice(f.start + 1, f.end - f.start - 1, `  (call ${panicked[1]})`, "  (unreachable)", " )");
  }
  const text = `${file}.wat`;
  writeFileSync(text, lines.join("\n"));
  return text;
}

// After shortenPanicPaths, the panic sites' message templates and Locations are data that no code
// addresses any more. Data segments are kept when something can point into them: a constant in a
// function body (i32.const, a load/store offset) within 128 bytes of the segment (compilers fold
// small offsets into constants), a global's initial value, or a pointer in a kept segment; the
// others (123 bytes of the bundle's gzip) are removed. Returns the path of the module's text.
function dropUnaddressedData(file) {
  const dis = spawnSync(wasmDis, [file], { cwd: root, encoding: "utf8", maxBuffer: 64 << 20 });
  if (dis.error || dis.status !== 0) throw new Error(`wasm-dis failed: ${dis.error ? dis.error.message : dis.stderr}`);
  const lines = dis.stdout.split("\n");
  const segments = [];
  const near = [];
  const exact = [];
  for (let i = 0; i < lines.length; i++) {
    const data = lines[i].match(/^ \(data \S+ \(i32\.const (\d+)\) "(.*)"\)$/);
    if (data) {
      const bytes = [];
      for (const m of data[2].matchAll(/\\([0-9a-fA-F]{2})|\\(.)|([^\\])/g)) {
        bytes.push(m[1] ? parseInt(m[1], 16) : m[2] ? { n: 10, t: 9, r: 13 }[m[2]] ?? m[2].charCodeAt(0) : m[3].charCodeAt(0));
      }
      segments.push({ line: i, start: Number(data[1]), bytes });
    } else if (/^ \(global /.test(lines[i])) {
      for (const m of lines[i].matchAll(/i32\.const (-?\d+)/g)) exact.push(Number(m[1]));
    } else if (/^ \(data /.test(lines[i])) {
      throw new Error(`${file}: unexpected data segment form: ${lines[i].slice(0, 80)}`);
    } else if (!/^ \((import|export|memory|table|type)/.test(lines[i])) {
      for (const m of lines[i].matchAll(/i32\.const (-?\d+)|offset=(\d+)/g)) near.push(Number(m[1] ?? m[2]));
    }
  }
  const kept = new Set();
  const addressed = (seg) => {
    const end = seg.start + seg.bytes.length;
    return near.some((v) => v >= seg.start - 128 && v < end + 128) || exact.some((v) => v >= seg.start && v < end);
  };
  for (let grew = true; grew; ) {
    grew = false;
    for (const seg of segments) {
      if (kept.has(seg) || !addressed(seg)) continue;
      kept.add(seg);
      grew = true;
      // Little-endian words in it may be pointers.
      for (let i = 0; i + 4 <= seg.bytes.length; i++) exact.push(seg.bytes[i] | (seg.bytes[i + 1] << 8) | (seg.bytes[i + 2] << 16) | (seg.bytes[i + 3] * 2 ** 24));
    }
  }
  for (const seg of segments.reverse()) if (!kept.has(seg)) lines.splice(seg.line, 1);
  const text = `${file}.wat`;
  writeFileSync(text, lines.join("\n"));
  return text;
}

// js-shim/store.js supplies the imports by name and ignores the module names wasm-bindgen gives
// them ("./snippets/asynccontext-<hash>/inline0.js", "./asynccontext_core_bg.js"): they become ""
// (66 bytes of the bundle's gzip). Returns the path of the module's text.
function emptyImportModules(file) {
  const dis = spawnSync(wasmDis, [file], { cwd: root, encoding: "utf8", maxBuffer: 64 << 20 });
  if (dis.error || dis.status !== 0) throw new Error(`wasm-dis failed: ${dis.error ? dis.error.message : dis.stderr}`);
  const text = `${file}.wat`;
  writeFileSync(text, dis.stdout.replace(/^ \(import "[^"]*" /gm, ' (import "" '));
  return text;
}

/**
 * The rewrites must not change what the store answers: the core module before and after them runs
 * the same pseudo-random sequence of calls (variables, derives, lookups, releases), and every
 * answer, freed-slot list and live count must agree, or the build fails.
 */
function checkSameStore(beforeBytes, afterBytes) {
  const instantiate = (bytes) => {
    const module = new WebAssembly.Module(bytes);
    const imports = {};
    for (const { module: from, name } of WebAssembly.Module.imports(module)) {
      (imports[from] ??= {})[name] = name === "panicked" ? () => { throw new Error("the store panicked"); } : () => {};
    }
    const exports = new WebAssembly.Instance(module, imports).exports;
    exports.__wbindgen_start();
    return exports;
  };
  const stores = [instantiate(beforeBytes), instantiate(afterBytes)];
  const freed = (store, at) => (at === 0 ? "stale" : `${new Uint32Array(store.memory.buffer, at + 4, new Uint32Array(store.memory.buffer, at, 1)[0])}`);
  const handles = [[0], [0]];
  const variables = [];
  let seed = 1;
  const random = (n) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
  for (let i = 0; i < 50000; i++) {
    const op = variables.length === 0 ? 0 : random(10);
    const k = random(handles[0].length);
    const v = variables.length === 0 ? 0 : variables[random(variables.length)];
    const answers = stores.map((store, s) => {
      if (op === 0) return store.store_new_variable();
      if (op < 5) return handles[s][handles[s].push(store.store_derive(handles[s][k], v)) - 1];
      if (op < 8) return store.store_lookup(handles[s][k], v);
      return freed(store, store.store_release(handles[s][k]));
    });
    if (op === 0) variables.push(answers[0]);
    if (op >= 8 && random(2) === 0) for (const h of handles) h.splice(k, 1);
    const live = stores.map((store) => `${store.store_live_nodes()}/${store.store_live_slots()}`);
    if (`${answers[0]}` !== `${answers[1]}` || live[0] !== live[1]) {
      throw new Error(`build: the rewritten store module answers differently (call ${i}: ${answers} ${live})`);
    }
  }
}

/** Builds one wasm module of the crate (`cargoArgs`: its feature set) into pkg/NAME_bg.wasm + glue + hex. */
function buildWasm(name, cargoArgs) {
  run("wasm-pack", ["build", "--target", "web", "--release", "--no-pack", "--out-dir", relative(root, out), "--out-name", name, ...(cargoArgs.length ? ["--", ...cargoArgs] : [])]);
  rmSync(join(out, ".gitignore"), { force: true }); // wasm-pack's "*" would hide pkg/README.md
  const file = join(out, `${name}_bg.wasm`);
  if (!debugPanics) {
    scrubPanicText(file);
    dropUnusedExports(file);
  }
  const optimize = (input) => run(wasmOpt, ["-Oz", ...features.map((f) => `--enable-${f}`), "--strip-debug", "--strip-producers", "--strip-target-features", input, "-o", file]);
  optimize(file);
  if (!debugPanics) {
    // Once more from the text form after each rewrite below.
    const before = readFileSync(file);
    for (const pass of [shortenPanicPaths, dropUnaddressedData, emptyImportModules]) {
      const text = pass(file);
      optimize(text);
      rmSync(text);
    }
    if (name === "asynccontext_core") checkSameStore(before, readFileSync(file));
  }
  writeFileSync(
    join(out, `${name}_bytes.js`),
    `// Generated by scripts/build.mjs from ${name}_bg.wasm: the module as hex.\nexport default "${readFileSync(file).toString("hex")}";\n`,
  );
}

// The context store (every build) and the call graph (only the tracking builds: a separate
// module, so that the core bundle does not carry it).
// "no-std": the small build for the bundles (src/lib.rs).
const flavour = debugPanics ? "debug-panics" : "no-std";
buildWasm("asynccontext_core", ["--features", flavour]);
buildWasm("asynccontext_graph", ["--no-default-features", "--features", `graph,${flavour}`]);
if (debugPanics) {
  writeFileSync(
    join(out, "wasm-glue.js"),
    `// Generated by scripts/build.mjs --debug-panics: each inlined module's wasm-bindgen glue.
import core from "./asynccontext_core_bytes.js";
import graph from "./asynccontext_graph_bytes.js";
import { initSync as initCore } from "./asynccontext_core.js";
import { initSync as initGraph } from "./asynccontext_graph.js";
export const glueFor = (hex) => (hex === core ? initCore : hex === graph ? initGraph : undefined);
`,
  );
}
// The debug bundles read the modules (and their glue) from pkg/debug/.
const debugModules = {
  name: "debug-modules",
  setup(b) {
    b.onResolve({ filter: /(asynccontext_(core|graph)_bytes|wasm-glue)\.js$/ }, (args) => {
      const name = basename(args.path);
      return name.startsWith("asynccontext_") || args.importer.startsWith(join(root, "js-shim")) ? { path: join(out, name) } : undefined;
    });
  },
};

const common = {
  bundle: true,
  minify: true,
  sourcemap: true,
  target: "es2022",
  legalComments: "none",
  // Internal-only property names (contexts, listener records, prepared patches) are shortened.
  mangleProps: /^(trackers|memoVariable|memoValue|memo|fallbackWrappers|byFallback|shared|handle|variable|wrapper|takesWrites|construction|replacement|original|bindTracked|callTracked|thenTracked|runListener|scheduleOperationOn|operationStarted|operationEnded|fallbacks|clearing|hops|ctx|take|writes|ends|channel|queue|head|types|isElement|isFragment|networkState|trackMode|trackReadyState)$/,
  plugins: debugPanics ? [debugModules] : [],
  logLevel: "warning",
  // The wasm-bindgen glue's async loader (unused: we instantiate synchronously) mentions import.meta.
  logOverride: { "empty-import-meta": "silent" },
  banner: { js: `/*! asynccontext ${JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version} | AsyncContext polyfill | MIT OR Apache-2.0 */` },
};
// The ES module entries in one build: `asynccontext`, `asynccontext/tracking` and
// `asynccontext/opentelemetry` share one copy of the core (a chunk), so an app that imports several
// installs one polyfill. @opentelemetry/api (an optional peer) stays an import of the last one.
rmSync(join(out, "chunks"), { recursive: true, force: true });
await build({
  ...common,
  entryPoints: {
    asynccontext: join(root, "js-shim/index.js"),
    "asynccontext.tracking": join(root, "js-shim/tracking-index.js"),
    "asynccontext.opentelemetry": join(root, "js-shim/opentelemetry.js"),
  },
  external: ["@opentelemetry/api"],
  format: "esm",
  splitting: true,
  outdir: out,
  outExtension: { ".js": ".mjs" },
  chunkNames: "chunks/[name]-[hash]",
});
// The shim is module code (strict); an IIFE is a classic script, so it must say so itself, or
// wrappers would box a callback's undefined `this` into the global object.
await build({
  ...common,
  banner: { js: `${common.banner.js}\n"use strict";` },
  entryPoints: [join(root, "js-shim/global.js")],
  format: "iife",
  outfile: join(out, "asynccontext.global.js"),
});
await build({
  ...common,
  banner: { js: `${common.banner.js}\n"use strict";` },
  entryPoints: [join(root, "js-shim/tracking-global.js")],
  format: "iife",
  outfile: join(out, "asynccontext.tracking.global.js"),
});

// terser inlines each inlined module's hex (a single-use constant) into the function that compiles
// it, about 2 KB into the code: gzip then codes the JS before and after it apart. hoistHex moves the
// literal to a `var` at the top of the bundle's function, ahead of all code (58 bytes of gzip),
// and shifts the source map's columns to match. (The core bundle has no graph module hex.)
const VLQ = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
function decodeVlq(segment) {
  const values = [];
  for (let i = 0, value = 0, shift = 0; i < segment.length; i++) {
    const digit = VLQ.indexOf(segment[i]);
    value += (digit & 31) * 2 ** shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    values.push(value % 2 === 1 ? -(value - 1) / 2 : value / 2);
    value = shift = 0;
  }
  return values;
}
function encodeVlq(values) {
  let out = "";
  for (const v of values) {
    let rest = v < 0 ? -v * 2 + 1 : v * 2;
    do {
      const digit = rest % 32;
      rest = Math.floor(rest / 32);
      out += VLQ[digit + (rest > 0 ? 32 : 0)];
    } while (rest > 0);
  }
  return out;
}
function hoistHex(code, map, literal, name) {
  const at = code.indexOf(literal);
  if (at === -1) return [code, map];
  const lines = code.split("\n");
  const line = code.slice(0, at).split("\n").length - 1;
  const column = at - code.lastIndexOf("\n", at) - 1;
  const opening = "(()=>{";
  const top = lines[line].indexOf(opening) + opening.length;
  if (top < opening.length || top > column || code.indexOf(literal, at + 1) !== -1 || code.includes(name)) {
    throw new Error(`build: cannot hoist the wasm hex in this bundle (line ${line}, column ${column})`);
  }
  const declaration = `var ${name}=${literal};`;
  lines[line] = lines[line].slice(0, top) + declaration + lines[line].slice(top, column) + name + lines[line].slice(column + literal.length);
  const moved = (col) => (col < top ? col : col < column ? col + declaration.length : col < column + literal.length ? column + declaration.length : col + declaration.length - literal.length + name.length);
  const mappingLines = map.mappings.split(";");
  let previous = 0;
  let previousMoved = 0;
  mappingLines[line] = mappingLines[line]
    .split(",")
    .map((segment) => {
      if (segment === "") return segment;
      const values = decodeVlq(segment);
      const absolute = previous + values[0];
      previous = absolute;
      values[0] = moved(absolute) - previousMoved;
      previousMoved = moved(absolute);
      return encodeVlq(values);
    })
    .join(",");
  return [lines.join("\n"), { ...map, mappings: mappingLines.join(";") }];
}

// The classic bundles (the ones a page loads in its <head>) go through terser after esbuild: its
// frequency-ordered renaming and second compress pass make them ~5% smaller gzipped (measured:
// 18.2 -> 17.3 KiB for asynccontext.global.js). Names stay as esbuild left them where they are
// observable (the replacements get theirs from computed method keys and defineProperty).
for (const name of ["asynccontext.global.js", "asynccontext.tracking.global.js"]) {
  const file = join(out, name);
  const result = await minify(readFileSync(file, "utf8"), {
    compress: { passes: 2 },
    mangle: true,
    format: { comments: /^!/ },
    sourceMap: { content: readFileSync(`${file}.map`, "utf8"), url: `${basename(file)}.map` },
  });
  let code = result.code;
  let map = JSON.parse(result.map);
  for (const [i, bytes] of ["asynccontext_core_bytes.js", "asynccontext_graph_bytes.js"].entries()) {
    [code, map] = hoistHex(code, map, readFileSync(join(out, bytes), "utf8").match(/"[0-9a-f]+"/)[0], `__wasm${i}`);
  }
  writeFileSync(file, code);
  writeFileSync(`${file}.map`, JSON.stringify(map));
}

for (const name of ["asynccontext.d.ts", "tracking.d.ts", "opentelemetry.d.ts"]) copyFileSync(join(root, "js-shim", name), join(out, name));

for (const name of ["asynccontext_core_bg.wasm", "asynccontext_graph_bg.wasm", "asynccontext.global.js", "asynccontext.tracking.global.js"]) {
  const file = join(out, name);
  console.log(`build: ${relative(root, file)}: ${statSync(file).size} bytes, ${gzipSync(readFileSync(file), { level: 9 }).length} gzip`);
}

if (debugPanics) process.exit(0);

// Step 5: the transform's wasm build for the npm entry `asynccontext/transform` (transform-js/).
{
  const source = join(root, "transform/pkg/node");
  const built = join(source, "asynccontext_transform_bg.wasm");
  const newest = (path) => {
    const stat = statSync(path);
    if (!stat.isDirectory()) return stat.mtimeMs;
    return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
  };
  const inputs = ["transform/src", "transform/Cargo.toml", "transform/scripts/build-wasm.mjs", "Cargo.lock"].map((p) => join(root, p));
  if (!existsSync(built) || statSync(built).mtimeMs < Math.max(...inputs.filter(existsSync).map(newest))) {
    run(process.execPath, [join(root, "transform/scripts/build-wasm.mjs")]);
  }
  const out = join(pkg, "transform");
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out);
  // The glue is CommonJS; `.cjs` keeps it so inside this "type": "module" package.
  copyFileSync(join(source, "asynccontext_transform.js"), join(out, "asynccontext_transform.cjs"));
  copyFileSync(built, join(out, "asynccontext_transform_bg.wasm"));
  console.log(`build: pkg/transform/asynccontext_transform_bg.wasm: ${statSync(built).size} bytes (from transform/pkg/node)`);
}

// 6. The await demo (www/await.html): native async code bundled through the transform's own esbuild
//    plugin, as a user of `asynccontext/transform/esbuild` would.
const { asyncContextTransform } = await import("../transform-js/esbuild.js");
await build({
  entryPoints: [join(root, "www/await-demo/app.js")],
  bundle: true,
  format: "esm",
  sourcemap: true,
  target: "es2022",
  logLevel: "warning",
  outfile: join(root, "www/await-demo/dist/app.js"),
  plugins: [asyncContextTransform()],
});
console.log("build: www/await-demo/dist/app.js (through asynccontext/transform/esbuild)");

// 7. The OpenTelemetry demo (www/otel.html): the web SDK from node_modules (devDependencies) and
//    native async click handlers, bundled through the same plugin.
await build({
  entryPoints: [join(root, "www/otel-demo/app.js")],
  bundle: true,
  format: "esm",
  sourcemap: true,
  minify: true,
  target: "es2022",
  logLevel: "warning",
  outfile: join(root, "www/otel-demo/dist/app.js"),
  plugins: [asyncContextTransform({ include: [join(root, "www/otel-demo")] })],
});
console.log("build: www/otel-demo/dist/app.js (OpenTelemetry demo, through asynccontext/transform/esbuild)");

// 8. The call-graph page's script (www/graph.html), likewise, so the interaction it records includes
//    native await steps.
await build({
  entryPoints: [join(root, "www/graph.js")],
  bundle: true,
  format: "iife",
  sourcemap: true,
  target: "es2022",
  logLevel: "warning",
  outfile: join(root, "www/dist/graph.js"),
  plugins: [asyncContextTransform()],
});
console.log("build: www/dist/graph.js (through asynccontext/transform/esbuild)");
