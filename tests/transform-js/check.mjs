#!/usr/bin/env node
// asynccontext/transform (transform-js/): the package entry, its esbuild plugin, its Vite/Rollup
// plugin and its webpack loader, used for real: the test app (app/) is bundled by esbuild, Rollup
// and webpack through them and run in headless Chromium, Firefox and WebKit with the polyfill, and the npm tarball is
// checked to expose the entries. Needs `npm run build` first (pkg/ and pkg/transform/).
// Last line: "N passed, N failed".
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { rollup } from "rollup";
import webpack from "webpack";
import { ENGINES, launchEngine, waitForPage } from "../../scripts/engines.mjs";
import { transform } from "asynccontext/transform";
import { asyncContextTransform as esbuildPlugin } from "asynccontext/transform/esbuild";
import { asyncContextTransform as rollupPlugin } from "asynccontext/transform/vite";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const app = path.join(here, "app");
const scratch = mkdtempSync(path.join(tmpdir(), "asynccontext-transform-js-"));
let passed = 0;
let failed = 0;

async function check(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok - transform-js > ${name}`);
  } catch (error) {
    failed++;
    console.log(`not ok - transform-js > ${name}: ${String(error && error.message).replace(/\s*\n\s*/g, " ⏎ ")}`);
  }
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

const json = (value) => JSON.stringify(value);

// ---------------------------------------------------------------------------------------------
// 1. The package entry.

await check("transform() from asynccontext/transform rewrites an await and returns a source map", () => {
  const out = transform("export async function f(p) {\n  return await p;\n}\n", { filename: "f.mjs" });
  assert(out.changed === true && out.kind === "module", `changed ${out.changed}, kind ${out.kind}`);
  assert(out.code.includes("await __asyncContext.suspend(__acState, p)"), out.code);
  assert(out.code.split("\n").length === 4, "lines were not kept");
  const map = JSON.parse(out.map);
  assert(map.version === 3 && map.sources[0] === "f.mjs", out.map);
});

await check("transform() leaves code without a suspension point unchanged", () => {
  const source = "async function f() { return 1; }\n";
  const out = transform(source, { filename: "f.js" });
  assert(out.changed === false && out.code === source, out.code);
});

await check("transform() reports a parse error as a SyntaxError with its line and column", () => {
  let error;
  try {
    transform("const ok = 1;\nasync function f() {\n  await = ;\n}\n", { filename: "bad.js" });
  } catch (e) {
    error = e;
  }
  assert(error instanceof SyntaxError, `threw ${error}`);
  assert(error.line === 3 && error.column === 9, `at ${error.line}:${error.column} (${error.message})`);
  assert(error.message.startsWith("3:9: "), error.message);
});

await check("transform() rejects a non-string source with a TypeError", () => {
  let error;
  try {
    transform(42);
  } catch (e) {
    error = e;
  }
  assert(error instanceof TypeError, `threw ${error}`);
});

// ---------------------------------------------------------------------------------------------
// Plugin filters (the Vite/Rollup transform hook, called directly).

const suspending = "export async function f(p) { return await p; }\n";
const context = { error(e) { throw Object.assign(new Error(e.message), e); }, warn() {} };

await check("the Vite/Rollup plugin skips node_modules unless include matches, and honours exclude", () => {
  const plugin = rollupPlugin();
  assert(plugin.transform.call(context, suspending, "/p/node_modules/lib/index.js") === null, "node_modules transformed by default");
  assert(plugin.transform.call(context, suspending, "/p/src/index.js") !== null, "src/index.js not transformed");
  assert(plugin.transform.call(context, suspending, "/p/src/style.css") === null, "a .css id was transformed");
  const included = rollupPlugin({ include: [/node_modules\/lib\//] });
  assert(included.transform.call(context, suspending, "/p/node_modules/lib/index.js") !== null, "include did not bring node_modules/lib in");
  assert(included.transform.call(context, suspending, "/p/src/index.js") === null, "include did not limit the files");
  const excluded = rollupPlugin({ exclude: "/p/src/vendor" });
  assert(excluded.transform.call(context, suspending, "/p/src/vendor/x.js") === null, "exclude path did not apply");
  assert(excluded.transform.call(context, suspending, "/p/src/vendorish.js") !== null, "exclude path matched a sibling prefix");
});

await check("the Vite/Rollup plugin handles TypeScript ids with a Vite query and returns code with a map object", () => {
  const out = rollupPlugin().transform.call(context, "export async function f(p: Promise<number>): Promise<number> { return await p; }\n", "/p/src/a.ts?v=12ab");
  assert(out && out.code.includes("__asyncContext.suspend"), json(out));
  assert(typeof out.map === "object" && out.map.sources[0] === "a.ts", json(out.map));
});

// ---------------------------------------------------------------------------------------------
// 2 and 3. The app bundled through the plugins, run in each engine.

const dist = path.join(scratch, "dist");
mkdirSync(dist, { recursive: true });

async function bundleWithEsbuild(name, plugins) {
  const result = await build({
    entryPoints: [path.join(app, "main.js")],
    bundle: true,
    format: "esm",
    sourcemap: true,
    outfile: path.join(dist, `${name}.js`),
    plugins,
    logLevel: "silent",
    write: true,
  });
  return result;
}

let esbuildWarnings;
await check("the esbuild plugin bundles the app", async () => {
  ({ warnings: esbuildWarnings } = await bundleWithEsbuild("esbuild", [esbuildPlugin()]));
  const code = readFileSync(path.join(dist, "esbuild.js"), "utf8");
  assert(code.includes(".suspend("), "the bundle has no suspension calls");
  assert(esbuildWarnings.length === 0, json(esbuildWarnings));
});

await check("the Vite/Rollup plugin bundles the app with real Rollup", async () => {
  const bundle = await rollup({ input: path.join(app, "main.js"), plugins: [rollupPlugin()], onwarn: (w) => { throw new Error(`rollup warning: ${w.message}`); } });
  await bundle.write({ file: path.join(dist, "rollup.js"), format: "es", sourcemap: true });
  await bundle.close();
  const code = readFileSync(path.join(dist, "rollup.js"), "utf8");
  assert(code.includes(".suspend("), "the bundle has no suspension calls");
});

const webpackLoader = path.join(root, "transform-js/webpack-loader.cjs");
function bundleWithWebpack(entry, outputFile) {
  const compiler = webpack({
    mode: "none",
    context: path.dirname(entry),
    entry,
    devtool: "source-map",
    output: { path: path.dirname(outputFile), filename: path.basename(outputFile) },
    module: { rules: [{ test: /\.[cm]?js$/, use: webpackLoader }] },
    infrastructureLogging: { level: "none" },
  });
  return new Promise((resolve, reject) => compiler.run((error, stats) => compiler.close(() => (error ? reject(error) : resolve(stats)))));
}

await check("the webpack loader bundles the app with real webpack", async () => {
  const stats = await bundleWithWebpack(path.join(app, "main.js"), path.join(dist, "webpack.js"));
  assert(!stats.hasErrors() && !stats.hasWarnings(), stats.toString("errors-warnings"));
  assert(readFileSync(path.join(dist, "webpack.js"), "utf8").includes(".suspend("), "the bundle has no suspension calls");
});

await check("control: esbuild without the plugin bundles the app untransformed", async () => {
  await bundleWithEsbuild("plain", []);
  assert(!readFileSync(path.join(dist, "plain.js"), "utf8").includes(".suspend("), "the control bundle has suspension calls");
});

// Source maps.
function decodeMappings(mappings) {
  const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const lines = [];
  const state = [0, 0, 0, 0];
  for (const line of mappings.split(";")) {
    const segments = [];
    state[0] = 0;
    for (const segment of line.split(",").filter(Boolean)) {
      const fields = [];
      let value = 0;
      let shift = 0;
      for (const c of segment) {
        const digit = chars.indexOf(c);
        value += (digit & 31) << shift;
        if (digit & 32) {
          shift += 5;
        } else {
          fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      for (let i = 0; i < fields.length && i < 4; i++) state[i] += fields[i];
      segments.push({ column: state[0], source: state[1], line: state[2], originalColumn: state[3], hasSource: fields.length >= 4 });
    }
    lines.push(segments);
  }
  return lines;
}

// The call `later(` after an await is shifted right by the transform's inserted text; in the
// bundle it must map back to its original line and column in flows.js.
function checkMapsBackToOriginal(bundleFile) {
  const code = readFileSync(bundleFile, "utf8");
  const map = JSON.parse(readFileSync(`${bundleFile}.map`, "utf8"));
  const original = readFileSync(path.join(app, "flows.js"), "utf8");
  const sourceIndex = map.sources.findIndex((s) => s.endsWith("flows.js"));
  assert(sourceIndex >= 0, `flows.js not in sources ${json(map.sources)}`);
  assert(map.sourcesContent[sourceIndex] === original, "sourcesContent for flows.js is not the original text");
  const needle = "later(part === 1 ? 4 : 1)";
  const originalLines = original.split("\n");
  const originalLine = originalLines.findIndex((l) => l.includes(needle));
  const originalColumn = originalLines[originalLine].indexOf(needle);
  const generatedLines = code.split("\n");
  const generatedLine = generatedLines.findIndex((l) => l.includes(needle));
  assert(generatedLine >= 0, `${needle} not found in the bundle`);
  const generatedColumn = generatedLines[generatedLine].indexOf(needle);
  const segment = decodeMappings(map.mappings)[generatedLine].filter((s) => s.column <= generatedColumn).pop();
  assert(segment && segment.hasSource && segment.source === sourceIndex, `no mapping into flows.js at ${generatedLine + 1}:${generatedColumn + 1}`);
  assert(segment.line === originalLine && segment.originalColumn === originalColumn,
    `maps to ${segment.line + 1}:${segment.originalColumn + 1}, not ${originalLine + 1}:${originalColumn + 1}`);
}

await check("the esbuild bundle's source map leads back to the original positions in flows.js", () => checkMapsBackToOriginal(path.join(dist, "esbuild.js")));
await check("the Rollup bundle's source map leads back to the original positions in flows.js", () => checkMapsBackToOriginal(path.join(dist, "rollup.js")));
await check("the webpack bundle's source map leads back to the original positions in flows.js", () => checkMapsBackToOriginal(path.join(dist, "webpack.js")));

for (const name of ["esbuild", "rollup", "webpack", "plain"]) {
  writeFileSync(path.join(dist, `${name}.html`), `<!doctype html><script src="/pkg/asynccontext.global.js"></script><script type="module" src="/dist/${name}.js"></script>`);
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, "http://x").pathname;
  const file = url.startsWith("/pkg/") ? path.join(root, url) : url.startsWith("/dist/") ? path.join(scratch, url) : null;
  try {
    const body = readFileSync(file);
    res.writeHead(200, { "content-type": file.endsWith(".html") ? "text/html" : file.endsWith(".map") ? "application/json" : "text/javascript" });
    res.end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const base = `http://127.0.0.1:${server.address().port}`;
const engineArg = process.argv.find((a) => a.startsWith("--engine="));
const engines = engineArg ? engineArg.slice("--engine=".length).split(",") : ENGINES;
let engine;

async function runPage(name) {
  const tab = await engine.newPage();
  const errors = [];
  tab.on("pageerror", (message) => errors.push(message));
  try {
    await tab.goto(`${base}/dist/${name}.html`);
    await waitForPage(tab, () => window.result !== undefined);
    const result = await tab.evaluate(() => window.result);
    assert(errors.length === 0, `page errors: ${errors.join("; ")}`);
    return result;
  } finally {
    await tab.close();
  }
}

const expected = (id) => [id, ...Array(9).fill(id), id, `1:${id}`, `2:${id}`];

// Each bundle in each engine (default all three; --engine=chromium,firefox,webkit picks).
for (const engineName of engines) {
  engine = undefined;
  await check(`launch ${engineName}`, async () => {
    engine = await launchEngine(engineName);
  });
  if (!engine) continue;
  for (const [name, label] of [["esbuild", "the esbuild plugin"], ["rollup", "the Vite/Rollup plugin (Rollup)"], ["webpack", "the webpack loader"]]) {
    await check(`with ${label}, two concurrent flows keep their own values after every await in ${engineName}`, async () => {
      const result = await runPage(name);
      assert(json(result.a) === json(expected("a")), `flow a saw ${json(result.a)}`);
      assert(json(result.b) === json(expected("b")), `flow b saw ${json(result.b)}`);
      assert(result.outside === undefined, `outside the flows: ${json(result.outside)}`);
      // The flows really interleaved: b's first part ran before a's second.
      assert(result.order.indexOf("b:0") < result.order.indexOf("a:1"), `order ${json(result.order)}`);
    });
  }

  await check(`control: without the transform the same bundle loses the values after the first await in ${engineName}`, async () => {
    const result = await runPage("plain");
    assert(result.a[0] === "a" && result.a[1] === undefined, `flow a saw ${json(result.a)}`);
  });
  await engine.close();
}
server.close();

// ---------------------------------------------------------------------------------------------
// Parse errors through the plugins.

const broken = path.join(scratch, "broken");
mkdirSync(broken);
writeFileSync(path.join(broken, "main.js"), `import "./bad.js";\n`);
writeFileSync(path.join(broken, "bad.js"), `export const x = 1;\nasync function f() {\n  await = ;\n}\n`);

await check("the esbuild plugin reports a parse error as an esbuild error at its location", async () => {
  let error;
  try {
    await build({ entryPoints: [path.join(broken, "main.js")], bundle: true, write: false, plugins: [esbuildPlugin()], logLevel: "silent" });
  } catch (e) {
    error = e;
  }
  assert(error && Array.isArray(error.errors) && error.errors.length === 1, `build did not fail with one error: ${error}`);
  const [message] = error.errors;
  assert(message.pluginName === "asynccontext-transform", `error from ${json(message.pluginName)}: ${message.text}`);
  const { file, line, column, lineText } = message.location;
  assert(file.endsWith("bad.js") && line === 3 && column === 8 && lineText === "  await = ;", json(message.location));
});

await check("the Vite/Rollup plugin reports a parse error as a plugin error with id:line:col", async () => {
  let error;
  try {
    await rollup({ input: path.join(broken, "main.js"), plugins: [rollupPlugin()] });
  } catch (e) {
    error = e;
  }
  assert(error, "rollup did not fail");
  assert(error.plugin === "asynccontext-transform", `error from ${json(error.plugin)}: ${error.message}`);
  assert(error.message.includes(`${path.join(broken, "bad.js")}:3:9: `), error.message);
  assert(error.loc && error.loc.line === 3 && error.loc.column === 8, json(error.loc));
});

await check("the webpack loader fails the module on a parse error with file:line:col", async () => {
  const stats = await bundleWithWebpack(path.join(broken, "main.js"), path.join(scratch, "broken-dist/main.js"));
  const errors = stats.compilation.errors;
  assert(errors.length === 1, `${errors.length} errors: ${stats.toString("errors-warnings")}`);
  assert(errors[0].message.includes(`${path.join(broken, "bad.js")}:3:9: `), errors[0].message);
});

await check("a transform note (generator with a rest parameter) becomes an esbuild, a Rollup and a webpack warning", async () => {
  writeFileSync(path.join(broken, "gen.js"), `export function* g(...rest) {\n  yield rest.length;\n}\n`);
  const result = await build({ entryPoints: [path.join(broken, "gen.js")], bundle: true, write: false, plugins: [esbuildPlugin()], logLevel: "silent" });
  assert(result.warnings.length === 1 && result.warnings[0].location.line === 1, json(result.warnings));
  const warnings = [];
  const bundle = await rollup({ input: path.join(broken, "gen.js"), plugins: [rollupPlugin()], onwarn: (w) => warnings.push(w) });
  await bundle.close();
  assert(warnings.length === 1 && warnings[0].plugin === "asynccontext-transform" && warnings[0].loc.line === 1, json(warnings));
  const stats = await bundleWithWebpack(path.join(broken, "gen.js"), path.join(scratch, "gen-dist/gen.js"));
  const webpackWarnings = stats.compilation.warnings;
  assert(webpackWarnings.length === 1 && webpackWarnings[0].message.includes("gen.js:1:"), stats.toString("errors-warnings"));
});

// ---------------------------------------------------------------------------------------------
// Types: the typings type-check and the plugins fit Rollup's and esbuild's plugin types.

await check("the typings of asynccontext/transform and its plugins type-check against rollup's and esbuild's types", () => {
  const file = path.join(here, "types.ts");
  try {
    execFileSync(process.execPath, [path.join(root, "node_modules/typescript/bin/tsc"), "--noEmit", "--strict", "--target", "es2022", "--lib", "esnext,dom", "--module", "nodenext", "--moduleResolution", "nodenext", file], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    throw new Error(`tsc: ${e.stdout}${e.stderr}`);
  }
});

// ---------------------------------------------------------------------------------------------
// 4. The npm tarball.

let tarballProject;

await check("the npm tarball ships transform-js/ and the transform's wasm, and an installed copy exposes asynccontext/transform", () => {
  const npm = (args, cwd) => execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  const [packed] = JSON.parse(npm(["pack", "--json", "--pack-destination", scratch], root));
  const files = packed.files.map((f) => f.path);
  for (const wanted of ["transform-js/index.js", "transform-js/index.d.ts", "transform-js/vite.js", "transform-js/vite.d.ts", "transform-js/esbuild.js", "transform-js/esbuild.d.ts", "transform-js/filter.js", "transform-js/webpack-loader.cjs", "pkg/transform/asynccontext_transform.cjs", "pkg/transform/asynccontext_transform_bg.wasm"]) {
    assert(files.includes(wanted), `${wanted} missing from the tarball`);
  }
  const project = path.join(scratch, "project");
  mkdirSync(project);
  writeFileSync(path.join(project, "package.json"), json({ name: "project", private: true, type: "module" }));
  npm(["install", "--no-audit", "--no-fund", "--offline", path.join(scratch, packed.filename)], project);
  const script = `
    const { transform } = await import("asynccontext/transform");
    const { asyncContextTransform: vite } = await import("asynccontext/transform/vite");
    const { asyncContextTransform: esb } = await import("asynccontext/transform/esbuild");
    const out = transform("async function f() { await 1; }", { filename: "x.js" });
    const { createRequire } = await import("node:module");
    const loader = createRequire(import.meta.url)("asynccontext/transform/webpack");
    console.log(JSON.stringify({ changed: out.changed, vite: vite().name, esbuild: esb().name, loader: typeof loader, from: import.meta.resolve("asynccontext/transform") }));`;
  const result = JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: project, encoding: "utf8" }));
  assert(result.changed === true, json(result));
  assert(result.vite === "asynccontext-transform" && result.esbuild === "asynccontext-transform" && result.loader === "function", json(result));
  assert(result.from.includes("/node_modules/asynccontext/transform-js/index.js"), result.from);
  tarballProject = project;
});

await check("webpack resolves the loader name asynccontext/transform/webpack in a project that installed the tarball", async () => {
  assert(tarballProject, "no project (the tarball check failed)");
  const entry = path.join(tarballProject, "entry.js");
  writeFileSync(entry, "export async function f(p) { return await p; }\n");
  const compiler = webpack({
    mode: "none",
    context: tarballProject,
    entry,
    output: { path: path.join(tarballProject, "dist"), filename: "out.js" },
    module: { rules: [{ test: /\.js$/, exclude: /node_modules/, use: "asynccontext/transform/webpack" }] },
    infrastructureLogging: { level: "none" },
  });
  const stats = await new Promise((resolve, reject) => compiler.run((error, s) => compiler.close(() => (error ? reject(error) : resolve(s)))));
  assert(!stats.hasErrors(), stats.toString("errors-warnings"));
  assert(readFileSync(path.join(tarballProject, "dist/out.js"), "utf8").includes(".suspend("), "the output has no suspension calls");
});

rmSync(scratch, { recursive: true, force: true });
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
