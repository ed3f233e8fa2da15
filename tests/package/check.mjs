#!/usr/bin/env node
// Packaging test: the npm package as a user gets it.
//   1. `npm pack` the repository and check the tarball's file list;
//   2. install the tarball into a scratch project (no network: the package has no dependencies);
//   3. bundle `import { AsyncContext, implementation } from "asynccontext"` with esbuild, and load
//      `asynccontext/global` as a classic script, each in headless Chromium, Firefox and WebKit, and check
//      that context propagates through a timer and a promise;
//   4. the same for `import { AsyncContextManager } from "asynccontext/opentelemetry"` beside
//      @opentelemetry/api (its optional peer, linked from this repository's devDependencies), and
//      its types compiled by tsc from the installed package.
// Last line: "N passed, N failed".
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import http from "node:http";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { ENGINES, launchEngine, waitForPage } from "../../scripts/engines.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const scratch = mkdtempSync(join(tmpdir(), "asynccontext-package-"));
let passed = 0;
let failed = 0;

async function check(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok - package > ${name}`);
  } catch (error) {
    failed++;
    console.log(`not ok - package > ${name}: ${error && error.message}`);
  }
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

const npm = (args, cwd) => execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

let tarball;
await check("npm pack ships the bundles, the typings, the README and asynccontext/transform, and nothing else from the tree", () => {
  const [packed] = JSON.parse(npm(["pack", "--json", "--pack-destination", scratch], root));
  tarball = join(scratch, packed.filename);
  const files = packed.files.map((f) => f.path).sort();
  for (const wanted of ["pkg/asynccontext.mjs", "pkg/asynccontext.global.js", "pkg/asynccontext.d.ts", "pkg/asynccontext.tracking.mjs", "pkg/asynccontext.tracking.global.js", "pkg/tracking.d.ts", "pkg/asynccontext.opentelemetry.mjs", "pkg/opentelemetry.d.ts", "README.md", "package.json", "transform-js/index.js", "pkg/transform/asynccontext_transform_bg.wasm"]) {
    assert(files.includes(wanted), `${wanted} missing from the tarball (${files.join(", ")})`);
  }
  const stray = files.filter((f) => /^(src|js-shim|tests|www|scripts|target|node_modules)\//.test(f) || (f.endsWith(".wasm") && f !== "pkg/transform/asynccontext_transform_bg.wasm")); // asynccontext/transform loads it in node
  assert(stray.length === 0, `unexpected files in the tarball: ${stray.join(", ")}`);
  assert(files.some((f) => /^pkg\/chunks\/.+\.mjs$/.test(f)), "the ES modules' shared chunk is missing");
});

const app = join(scratch, "app");
mkdirSync(app);
writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
writeFileSync(
  join(app, "main.js"),
  `import { AsyncContext, implementation } from "asynccontext";
const v = new AsyncContext.Variable({ name: "request" });
const seen = [];
window.result = v.run("r1", () => new Promise((resolve) => {
  setTimeout(() => { seen.push(v.get()); Promise.resolve().then(() => { seen.push(v.get()); resolve({ implementation, same: AsyncContext === globalThis.AsyncContext, seen }); }); }, 1);
}));
`,
);

// An app that imports both entries: one polyfill, with tracking.
writeFileSync(
  join(app, "tracking.js"),
  `import { AsyncContext, implementation } from "asynccontext";
import { Tracker, AsyncContext as TrackingAsyncContext } from "asynccontext/tracking";
const v = new AsyncContext.Variable();
const kinds = [];
const tracker = new Tracker({ scheduled: (task) => kinds.push(task.kind) });
const seen = [];
tracker.run(() => v.run("r3", () => setTimeout(() => Promise.resolve().then(() => seen.push(v.get())), 1)));
window.result = tracker.whenIdle().then(() => ({
  implementation,
  same: AsyncContext === globalThis.AsyncContext && TrackingAsyncContext === AsyncContext && typeof AsyncContext.experimental === "object",
  seen: [...seen, kinds.join(" ")],
}));
`,
);

// The OpenTelemetry entry: the manager registered with the api, context through a timer and a promise.
writeFileSync(
  join(app, "otel.js"),
  `import { AsyncContextManager } from "asynccontext/opentelemetry";
import { AsyncContext, implementation } from "asynccontext";
import { ROOT_CONTEXT, context, createContextKey } from "@opentelemetry/api";
const key = createContextKey("request");
context.setGlobalContextManager(new AsyncContextManager().enable());
const seen = [];
window.result = context.with(ROOT_CONTEXT.setValue(key, "r4"), () => new Promise((resolve) => {
  setTimeout(() => { seen.push(context.active().getValue(key)); Promise.resolve().then(() => { seen.push(context.active().getValue(key)); resolve({ implementation, same: AsyncContext === globalThis.AsyncContext, seen }); }); }, 1);
}));
`,
);
writeFileSync(
  join(app, "otel-types.ts"),
  `import { AsyncContextManager } from "asynccontext/opentelemetry";
import { ROOT_CONTEXT, context, type ContextManager } from "@opentelemetry/api";
const manager: ContextManager = new AsyncContextManager();
context.setGlobalContextManager(manager);
const n: number = manager.with(ROOT_CONTEXT, (a: number) => a + 1, undefined, 1);
`,
);

await check("the tarball installs into a project with npm", () => {
  npm(["install", "--no-audit", "--no-fund", "--offline", tarball], app);
  // The optional peer, as an app using asynccontext/opentelemetry has it installed.
  mkdirSync(join(app, "node_modules/@opentelemetry"), { recursive: true });
  symlinkSync(join(root, "node_modules/@opentelemetry/api"), join(app, "node_modules/@opentelemetry/api"), "dir");
});

await check("TypeScript resolves the types of asynccontext/opentelemetry from the installed package", () => {
  const ts = createRequire(join(root, "package.json"))("typescript");
  const program = ts.createProgram([join(app, "otel-types.ts")], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ["lib.es2022.d.ts", "lib.dom.d.ts"],
    types: [],
  });
  const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, " "));
  assert(diagnostics.length === 0, diagnostics.join("; "));
  const resolved = program.getSourceFiles().map((f) => f.fileName).find((f) => f.endsWith("opentelemetry.d.ts"));
  assert(resolved && resolved.includes("node_modules/asynccontext/pkg/"), `opentelemetry.d.ts came from ${resolved}`);
});

await check("a bundler resolves `asynccontext` to the ES module, `asynccontext/tracking` beside it, and `asynccontext/global` to the classic script", async () => {
  await build({ entryPoints: [join(app, "main.js")], bundle: true, format: "esm", outfile: join(app, "dist/main.js"), logLevel: "error", absWorkingDir: app });
  await build({ entryPoints: [join(app, "tracking.js")], bundle: true, format: "esm", outfile: join(app, "dist/tracking.js"), logLevel: "error", absWorkingDir: app });
  await build({ entryPoints: [join(app, "otel.js")], bundle: true, format: "esm", outfile: join(app, "dist/otel.js"), logLevel: "error", absWorkingDir: app });
  const globalEntry = execFileSync(process.execPath, ["-e", "console.log(require.resolve('asynccontext/global'))"], { cwd: app, encoding: "utf8" }).trim();
  assert(globalEntry.endsWith("pkg/asynccontext.global.js"), `asynccontext/global resolved to ${globalEntry}`);
  writeFileSync(join(app, "dist/global.js"), readFileSync(globalEntry));
});

writeFileSync(join(app, "dist/esm.html"), `<!doctype html><script type="module" src="main.js"></script>`);
writeFileSync(join(app, "dist/tracking.html"), `<!doctype html><script type="module" src="tracking.js"></script>`);
writeFileSync(join(app, "dist/otel.html"), `<!doctype html><script type="module" src="otel.js"></script>`);
writeFileSync(
  join(app, "dist/global.html"),
  `<!doctype html><script src="global.js"></script><script>
const v = new AsyncContext.Variable();
window.result = v.run("r2", () => new Promise((resolve) => setTimeout(() => resolve({ implementation: globalThis[Symbol.for("asynccontext")].active, same: true, seen: [v.get()] }), 1)));
</script>`,
);

const server = http.createServer((req, res) => {
  const file = join(app, "dist", new URL(req.url, "http://x").pathname);
  try {
    const body = readFileSync(file);
    res.writeHead(200, { "content-type": file.endsWith(".html") ? "text/html" : "text/javascript" });
    res.end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const base = `http://127.0.0.1:${server.address().port}`;
// The engines to check in (default all three; --engine=chromium,firefox,webkit picks).
const engineArg = process.argv.find((a) => a.startsWith("--engine="));
const engines = engineArg ? engineArg.slice("--engine=".length).split(",") : ENGINES;
for (const engineName of engines) {
  let engine;
  await check(`launch ${engineName}`, async () => {
    engine = await launchEngine(engineName);
  });
  if (!engine) continue;
  for (const [page, expected] of [["esm.html", ["r1", "r1"]], ["global.html", ["r2"]], ["tracking.html", ["r3", "run timeout promise-reaction"]], ["otel.html", ["r4", "r4"]]]) {
    await check(`${page}: the installed package propagates context in ${engineName}`, async () => {
      const tab = await engine.newPage();
      const errors = [];
      tab.on("pageerror", (message) => errors.push(message));
      try {
        await tab.goto(`${base}/${page}`);
        await waitForPage(tab, () => window.result !== undefined);
        const result = await tab.evaluate(() => window.result);
        assert(errors.length === 0, `page errors: ${errors.join("; ")}`);
        assert(result.implementation === "asynccontext", `implementation ${result.implementation}`);
        assert(result.same, "the exported AsyncContext is not globalThis.AsyncContext");
        assert(JSON.stringify(result.seen) === JSON.stringify(expected), `saw ${JSON.stringify(result.seen)}`);
      } finally {
        await tab.close();
      }
    });
  }
  await engine.close();
}
server.close();
rmSync(scratch, { recursive: true, force: true });
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
