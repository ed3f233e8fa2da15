#!/usr/bin/env node
// asynccontext/opentelemetry, tested in headless Chromium:   node tests/opentelemetry/run.mjs [filter]
//
//   1. packaging: the entry shares the core chunk with `asynccontext` and `asynccontext/tracking`
//      (one polyfill), and @opentelemetry/api appears in no other bundle;
//   2. unit tests (unit.js, through unit-core.js and unit-tracking.js) bundled through the await
//      transform's esbuild plugin, alone and with the tracking build imported first;
//   3. end to end with the real SDK (devDependencies: WebTracerProvider, InMemorySpanExporter,
//      SimpleSpanProcessor, fetch, XHR and user-interaction instrumentations): the app in app/
//      (native async/await) is installed with a copy of this package into target/otel-e2e/ and
//      built by Vite through `asynccontext/transform/vite`, as a production build and through the
//      dev server (dependency pre-bundling on). Two trusted clicks (page.click) start two
//      overlapping flows; every span must descend from its own click span, no span may land in the
//      other flow's trace, and every request the server receives must carry its click's trace id;
//   4. the same with IdleInteractionContextManager and the tracking build: each click span ends
//      after its last descendant;
//   5. controls: the app built without the plugin must fail the parentage check, and without the
//      idle helper a click span must end before its descendants (so both checks can fail);
//   6. ZoneContextManager (zone.js, same code, no transform), printed as a comparison, not asserted.
// `filter` keeps the tests whose name contains it. Needs `npm run build`. Last line: "N passed, N failed".
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build as esbuild } from "esbuild";
import { launchChromium } from "../../scripts/chromium.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "../..");
const SCRATCH = path.join(ROOT, "target", "otel-e2e");
const filter = process.argv.slice(2).find((a) => !a.startsWith("--")) ?? "";

/** The one place that says which browser runs the pages (issue 11 will add engines here). */
function launchBrowser() {
  return launchChromium();
}

let passed = 0;
let failed = 0;
function report(ok, name, detail) {
  if (ok) passed++;
  else failed++;
  console.log(ok ? `ok - ${name}` : `not ok - ${name}: ${String(detail).replace(/\s*\n\s*/g, " ⏎ ")}`);
}
async function check(name, fn) {
  if (filter && !name.includes(filter)) return;
  try {
    await fn();
    report(true, name);
  } catch (error) {
    report(false, name, error && error.message ? error.message : error);
  }
}
function assert(condition, message) {
  if (!condition) throw new Error(message);
}
const note = (line) => console.log(`# ${line}`);

// ---------------------------------------------------------------------------------------------
// The server: static files from `staticRoot` (or a Vite dev middleware), and the recorded API.

const MIME = { ".html": "text/html", ".js": "text/javascript", ".mjs": "text/javascript", ".map": "application/json", ".css": "text/css", ".wasm": "application/wasm" };
/** Every /api/<run>/<flow>/<step> request: { run, flow, step, traceparent }. */
const requests = [];
let staticRoot = null;
let middleware = null;

const server = http.createServer((req, res) => {
  const url = new URL(req.url, "http://localhost");
  const api = /^\/api\/([^/]+)\/([^/]+)(?:\/([^/]+))?$/.exec(url.pathname);
  if (api) {
    const [, run, flow, step] = api;
    requests.push({ run, flow, step: step ?? "", traceparent: req.headers.traceparent ?? null });
    const delay = Math.min(Number(url.searchParams.get("delay")) || 0, 5000);
    setTimeout(() => {
      res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
      res.end(JSON.stringify({ flow, step }));
    }, delay);
    return;
  }
  if (url.pathname === "/favicon.ico") {
    res.writeHead(204);
    res.end();
    return;
  }
  if (middleware) return middleware(req, res, () => {
    res.writeHead(404);
    res.end();
  });
  const file = path.join(staticRoot, decodeURIComponent(url.pathname === "/" ? "/index.html" : url.pathname));
  if (!file.startsWith(staticRoot) || !existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404);
    res.end("not found");
    return;
  }
  res.writeHead(200, { "content-type": MIME[path.extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
  res.end(readFileSync(file));
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const origin = `http://127.0.0.1:${server.address().port}`;

const browser = await launchBrowser();
/** Console lines that are not findings: the Vite client's HMR socket (HMR is off in the test). */
const EXPECTED_CONSOLE = /WebSocket|\[vite\]/;
async function openPage(url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => !EXPECTED_CONSOLE.test(String(error)) && errors.push(String(error)));
  page.on("console", (message) => message.type() === "error" && !EXPECTED_CONSOLE.test(message.text()) && errors.push(message.text()));
  await page.goto(url);
  return { page, errors, close: () => context.close() };
}

try {
  // -------------------------------------------------------------------------------------------
  // 1. Packaging.
  const pkg = path.join(ROOT, "pkg");
  const importsOf = (file) => [...readFileSync(path.join(pkg, file), "utf8").matchAll(/from\s*"([^"]+)"/g)].map((m) => m[1]);
  await check("packaging > asynccontext, asynccontext/tracking and asynccontext/opentelemetry import one shared core chunk", () => {
    const chunks = ["asynccontext.mjs", "asynccontext.tracking.mjs", "asynccontext.opentelemetry.mjs"].map((f) => importsOf(f).filter((s) => s.startsWith("./chunks/")));
    assert(chunks.every((c) => c.length > 0), `chunk imports: ${JSON.stringify(chunks)}`);
    const core = chunks[0][0];
    assert(chunks.every((c) => c.includes(core)), `not every entry imports ${core}: ${JSON.stringify(chunks)}`);
  });
  await check("packaging > @opentelemetry/api is imported by the opentelemetry entry only, never bundled into the core", () => {
    assert(importsOf("asynccontext.opentelemetry.mjs").includes("@opentelemetry/api"), "the entry does not import @opentelemetry/api");
    const others = ["asynccontext.mjs", "asynccontext.tracking.mjs", "asynccontext.global.js", "asynccontext.tracking.global.js", ...readdirSync(path.join(pkg, "chunks")).filter((f) => f.endsWith(".mjs")).map((f) => `chunks/${f}`)];
    const leaking = others.filter((f) => /opentelemetry|otel-|ROOT_CONTEXT/i.test(readFileSync(path.join(pkg, f), "utf8")));
    assert(leaking.length === 0, `mentioned in ${leaking.join(", ")}`);
  });

  // -------------------------------------------------------------------------------------------
  // 2. Unit tests.
  const { asyncContextTransform } = await import(pathToFileURL(path.join(ROOT, "transform-js/esbuild.js")));
  const unitDir = path.join(SCRATCH, "unit");
  rmSync(unitDir, { recursive: true, force: true });
  mkdirSync(unitDir, { recursive: true });
  for (const [name, entry] of [["unit", "unit-core.js"], ["unit-tracking", "unit-tracking.js"]]) {
    await esbuild({
      entryPoints: [path.join(HERE, entry)],
      bundle: true,
      format: "esm",
      target: "es2022",
      sourcemap: "inline",
      logLevel: "warning",
      outfile: path.join(unitDir, `${name}.js`),
      plugins: [asyncContextTransform({ include: [HERE] })],
    });
    writeFileSync(path.join(unitDir, `${name}.html`), `<!doctype html><meta charset="utf-8"><title>${name}</title><script type="module" src="./${name}.js"></script>\n`);
  }
  staticRoot = unitDir;
  for (const [name, label] of [["unit", "unit"], ["unit-tracking", "unit, with asynccontext/tracking imported first"]]) {
    const { page, errors, close } = await openPage(`${origin}/${name}.html`);
    try {
      await page.waitForFunction(() => window.__done === true, null, { timeout: 120_000 });
      const results = await page.evaluate(() => window.__results);
      for (const r of results) {
        const full = `${label} > ${r.name}`;
        if (filter && !full.includes(filter)) continue;
        report(r.ok, full, r.message);
      }
    } catch (error) {
      report(false, `${label} > the page ran`, `${error.message}; page errors: ${errors.join(" | ") || "none"}`);
    } finally {
      for (const e of errors) note(`${name}: ${e}`);
      await close();
    }
  }

  // -------------------------------------------------------------------------------------------
  // 3-5. End to end.
  const e2e = await import("./e2e.mjs");
  const project = e2e.prepareProject({ root: ROOT, scratch: SCRATCH, appSource: path.join(HERE, "app") });
  const vite = await import("vite");
  const { asyncContextTransform: vitePlugin } = await import(pathToFileURL(path.join(project.packageDir, "transform-js/vite.js")));

  const scenario = (page, run) => e2e.runScenario({ page, run, requests });
  const variants = [];
  const ours = { input: ["index", "idle"], plugins: [vitePlugin()], out: path.join(project.dir, "dist") };
  const zone = { input: ["zone"], plugins: [], out: path.join(project.dir, "dist-zone") };
  // The control: our manager, but the app built without the plugin (native await untouched).
  const plain = { input: ["index"], plugins: [], out: path.join(project.dir, "dist-plain") };
  for (const v of [ours, zone, plain]) {
    await vite.build({
      root: project.app,
      configFile: false,
      logLevel: "warn",
      plugins: v.plugins,
      build: { outDir: v.out, emptyOutDir: true, minify: true, rollupOptions: { input: Object.fromEntries(v.input.map((n) => [n, path.join(project.app, `${n}.html`)])) } },
    });
  }

  async function runPage(label, url, run) {
    const { page, errors, close } = await openPage(`${origin}${url}?run=${run}`);
    try {
      await page.waitForFunction(() => window.__otel !== undefined, null, { timeout: 30_000 });
      return await scenario(page, run);
    } finally {
      for (const e of errors) note(`${label}: ${e}`);
      await close();
    }
  }

  const assertScenario = async (label, result) => {
    await check(`${label} > the two flows overlap (flow b starts before flow a ends) and both finish`, () => e2e.assertOverlap(result));
    await check(`${label} > every span of a flow descends from its own click span`, () => e2e.assertParentage(result));
    await check(`${label} > no span of one flow is in the other flow's trace`, () => e2e.assertSeparation(result));
    await check(`${label} > every request the server receives carries its own click's trace id in traceparent`, () => e2e.assertTraceparents(result));
  };

  // Production build.
  staticRoot = ours.out;
  let result = await runPage("vite build", "/index.html", "build");
  await assertScenario("e2e, Vite production build", result);

  // Dev server, dependency pre-bundling on (the default): the app's modules must come through
  // the plugin, and the pre-bundled asynccontext must be one polyfill.
  const dev = await vite.createServer({
    root: project.app,
    configFile: false,
    logLevel: "warn",
    plugins: [vitePlugin()],
    cacheDir: path.join(project.dir, ".vite"),
    optimizeDeps: { force: true },
    server: { middlewareMode: true, hmr: false, ws: false },
    appType: "mpa",
  });
  try {
    middleware = dev.middlewares;
    await check("e2e, Vite dev server > the app's modules are served transformed (the plugin runs in dev)", async () => {
      const code = await (await fetch(`${origin}/flows.js`)).text();
      assert(code.includes("asynccontext.suspension"), `flows.js from the dev server has no transform runtime call:\n${code.slice(0, 300)}`);
    });
    result = await runPage("vite dev", "/index.html", "dev");
    await assertScenario("e2e, Vite dev server", result);
    await check("e2e, Vite dev server > asynccontext/opentelemetry was pre-bundled as a dependency", () => {
      const deps = path.join(project.dir, ".vite", "deps");
      const meta = JSON.parse(readFileSync(path.join(deps, "_metadata.json"), "utf8"));
      assert(Object.keys(meta.optimized ?? {}).includes("asynccontext/opentelemetry"), `optimized: ${Object.keys(meta.optimized ?? {}).join(", ")}`);
    });
  } finally {
    middleware = null;
    await dev.close();
  }

  // The tracking build: interaction spans cover their work.
  staticRoot = ours.out;
  result = await runPage("idle", "/idle.html", "idle");
  await assertScenario("e2e, IdleInteractionContextManager with asynccontext/tracking", result);
  await check("e2e, IdleInteractionContextManager with asynccontext/tracking > one polyfill: tracking's AsyncContext is the global one", () => {
    assert(result.onePolyfill === true, `onePolyfill: ${result.onePolyfill}`);
  });
  await check("e2e, IdleInteractionContextManager with asynccontext/tracking > each click span ends after its last descendant span ends", () => e2e.assertClickCoversChildren(result));
  const alone = await runPage("vite build (span ends)", "/index.html", "build-ends");
  note(`click span end vs. last descendant end, AsyncContextManager alone: ${e2e.describeCoverage(alone)}; IdleInteractionContextManager: ${e2e.describeCoverage(result)}`);
  await check("e2e, control > without IdleInteractionContextManager a click span ends before its descendants (the idle check can fail)", () => {
    let threw = false;
    try {
      e2e.assertClickCoversChildren(alone);
    } catch {
      threw = true;
    }
    assert(threw, `every click span outlived its descendants: ${e2e.describeCoverage(alone)}`);
  });

  staticRoot = plain.out;
  const untransformed = await runPage("vite build without the plugin", "/index.html", "plain");
  await check("e2e, control > the same app built without the plugin loses the click's trace after the first await (the checks can fail)", () => {
    let threw = false;
    try {
      e2e.assertParentage(untransformed);
    } catch {
      threw = true;
    }
    assert(threw, "every span descends from its click span without the transform");
  });

  // The comparison, printed.
  staticRoot = zone.out;
  const zoneResult = await runPage("zone", "/zone.html", "zone");
  note("comparison (not asserted): the same scenario with ZoneContextManager + zone.js, native async/await, no transform");
  for (const line of e2e.summarize(zoneResult)) note(`  ZoneContextManager   ${line}`);
  for (const line of e2e.summarize(alone)) note(`  AsyncContextManager  ${line}`);
  for (const line of e2e.summarize(untransformed)) note(`  AsyncContextManager, app not transformed  ${line}`);
} catch (error) {
  report(false, "the OpenTelemetry suite ran", error && error.stack ? error.stack : error);
} finally {
  await browser.close();
  server.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
