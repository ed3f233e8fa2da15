#!/usr/bin/env node
// Execution tests of the transform in headless Chromium.
//
//   node transform/tests/exec/run.mjs [filter] [--engine=chromium,firefox,webkit] [--fuzz-cases=N] [--fuzz-seed=S]
//
// Every transform/tests/exec/*.spec.js is written twice into target/transform-exec/:
//   transform-<name>.spec.js   transformed by the CLI (with a source map), and
//   plain-<name>.spec.js       unchanged,
// (wasm-*.spec.js use the web build of the transform, transform/pkg/web, built first if missing)
// plus fuzz.spec.js, generated from a seed by fuzz.mjs (N random cases, each compared with its native copy
// in the same page, see fuzz-common.js; 0 cases leaves it out),
// and all run through the browser test harness (tests/browser/harness.html + harness.js, polyfill loaded
// as a classic script). A spec asserts the same results, errors and orderings in both variants (so the
// transform changes none of them, tick counts included); context values are asserted in the transformed
// variant only (`TRANSFORMED` in exec-common.js).
//
// Needs `npm run build` (pkg/asynccontext.global.js with the suspension runtime). The CLI binary is
// $ASYNCCONTEXT_TRANSFORM_BIN, or built with `cargo build --release -p asynccontext-transform`.
//
// Driver: tests/browser/run.mjs when it accepts --specs-dir=DIR (list DIR/*.spec.js and serve DIR's files at
// /tests/browser/specs/<name>); until then the small driver below, which does the same with the harness
// page. Output: one `ok - file > name` / `not ok - file > name: message` line per test, then exactly
// `N passed, N failed`; exit status 1 if anything failed or nothing ran.

import http from "node:http";
import { spawnSync, spawn } from "node:child_process";
import { copyFile, mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium } from "../../../scripts/chromium.mjs";
import { fuzzSpec } from "./fuzz.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "../../..");
const TARGET = process.env.CARGO_TARGET_DIR ? path.resolve(process.env.CARGO_TARGET_DIR) : path.join(ROOT, "target");
const OUT = path.join(TARGET, "transform-exec");
const REPORT_PREFIX = "@@asynccontext-harness@@ ";
const PAGE_BUDGET_MS = 120_000;
// The fuzz spec's size in `npm test`; a longer run: --fuzz-cases=5000 (and other seeds: --fuzz-seed=N).
const FUZZ_CASES = 150;
const FUZZ_SEED = 1;

function fail(message) {
  console.log(`not ok - transform/tests/exec/run.mjs > ${message}`);
  console.log("0 passed, 1 failed");
  process.exit(1);
}

function transformBinary() {
  if (process.env.ASYNCCONTEXT_TRANSFORM_BIN) return process.env.ASYNCCONTEXT_TRANSFORM_BIN;
  const build = spawnSync("cargo", ["build", "--release", "-q", "-p", "asynccontext-transform"], {
    cwd: ROOT,
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (build.status !== 0) fail("cargo build --release -p asynccontext-transform failed");
  return path.join(TARGET, "release", "asynccontext-transform");
}

/** wasm-*.spec.js import the web build of the transform: build it when it is missing. */
async function ensureWasmBuild() {
  try {
    await stat(path.join(ROOT, "transform/pkg/web/asynccontext_transform_bg.wasm"));
  } catch {
    const build = spawnSync(process.execPath, [path.join(ROOT, "transform/scripts/build-wasm.mjs")], {
      cwd: ROOT,
      stdio: ["ignore", "inherit", "inherit"],
    });
    if (build.status !== 0) fail("transform/scripts/build-wasm.mjs failed");
  }
}

/** Writes the plain and transformed variants of one spec into OUT (behind a syntax check if it asks for one). */
async function addSpec(bin, source, name) {
  // A spec written in syntax some engines cannot parse yet says so on a line
  // `// requires-syntax: <a snippet of it>`; it then runs behind a wrapper that skips it where the
  // snippet does not parse (WebKitGTK 2.50 has no `await using`).
  const syntax = /^\/\/ requires-syntax: (.+)$/m.exec(await readFile(source, "utf8"))?.[1];
  const body = (variant) => (syntax === undefined ? `${variant}-${name}` : `${variant}-${name.replace(/\.spec\.js$/, ".body.js")}`);
  await copyFile(source, path.join(OUT, body("plain")));
  const run = spawnSync(bin, [source, "-o", path.join(OUT, body("transform")), "--source-map"], { encoding: "utf8" });
  if (run.status !== 0) fail(`transform ${name}: ${run.stderr.trim()}`);
  if (syntax !== undefined) {
    for (const variant of ["transform", "plain"]) {
      await writeFile(
        path.join(OUT, `${variant}-${name}`),
        `import { test, skip } from "../harness.js";
let parses = true;
try {
  new Function(${JSON.stringify(syntax)});
} catch {
  parses = false;
}
if (parses) await import("./${body(variant)}");
else test(${JSON.stringify(`${name} runs`)}, () => skip(${JSON.stringify(`this browser cannot parse ${syntax}`)}));
`,
      );
    }
  }
}

async function prepare(filter) {
  const bin = transformBinary();
  await rm(OUT, { recursive: true, force: true });
  await mkdir(OUT, { recursive: true });
  const names = (await readdir(HERE)).filter((n) => n.endsWith(".js")).sort();
  const specs = [];
  for (const name of names) {
    const source = path.join(HERE, name);
    if (!name.endsWith(".spec.js")) {
      // Helpers are shared by both variants, untransformed.
      await copyFile(source, path.join(OUT, name));
      continue;
    }
    if (!name.includes(filter)) continue;
    if (name.startsWith("wasm-")) await ensureWasmBuild();
    await addSpec(bin, source, name);
    specs.push(`transform-${name}`, `plain-${name}`);
  }
  if ("fuzz.spec.js".includes(filter)) {
    // The generated fuzz spec (fuzz.mjs): --fuzz-cases=N / TRANSFORM_FUZZ_CASES, --fuzz-seed=S / TRANSFORM_FUZZ_SEED.
    const option = (name, env, fallback) => {
      const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
      const value = Number(arg ? arg.slice(name.length + 3) : (process.env[env] ?? fallback));
      if (!Number.isInteger(value) || value < 0) fail(`--${name} must be a non-negative integer`);
      return value;
    };
    const cases = option("fuzz-cases", "TRANSFORM_FUZZ_CASES", FUZZ_CASES);
    const seed = option("fuzz-seed", "TRANSFORM_FUZZ_SEED", FUZZ_SEED);
    if (cases > 0) {
      // Two generated specs: one every engine parses, and one whose cases use `await using` too
      // (skipped where that does not parse), with a third as many cases and the next seed.
      const generated = path.join(OUT, "generated");
      await mkdir(generated, { recursive: true });
      for (const [name, spec] of [
        ["fuzz.spec.js", { seed, cases, awaitUsing: false }],
        ["fuzz-await-using.spec.js", { seed: seed + 1, cases: Math.max(1, Math.round(cases / 3)), awaitUsing: true }],
      ]) {
        const source = path.join(generated, name);
        await writeFile(source, fuzzSpec(spec));
        await addSpec(bin, source, name);
        specs.push(`transform-${name}`, `plain-${name}`);
      }
    }
  }
  return specs;
}

// ---------------------------------------------------------------------------------------------------------
// Driver through tests/browser/run.mjs (once it has --specs-dir)

async function runnerSupportsSpecsDir() {
  try {
    return (await readFile(path.join(ROOT, "tests/browser/run.mjs"), "utf8")).includes("--specs-dir");
  } catch {
    return false;
  }
}

function delegate(filter) {
  const args = [path.join(ROOT, "tests/browser/run.mjs"), `--specs-dir=${path.relative(ROOT, OUT)}`];
  if (filter) args.push(filter);
  // The engines to run in (default: all three, as tests/browser/run.mjs).
  args.push(...process.argv.slice(2).filter((a) => a.startsWith("--engine=")));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: "inherit" });
    child.on("exit", (code) => resolve(code ?? 1));
  });
}

// ---------------------------------------------------------------------------------------------------------
// Built-in driver

const MIME_TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
};

function startServer() {
  const server = http.createServer(async (req, res) => {
    const send = (status, body, type = "text/plain; charset=utf-8") => {
      res.writeHead(status, { "Content-Type": type, "Cache-Control": "no-store" });
      res.end(body);
    };
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, "http://127.0.0.1").pathname);
    } catch {
      return send(400, "bad request");
    }
    if (pathname === "/favicon.ico") return send(204, "");
    // The generated specs and their helpers stand in for tests/browser/specs/.
    const overlay = /^\/tests\/browser\/specs\/([\w.-]+)$/.exec(pathname);
    const file = overlay ? path.join(OUT, overlay[1]) : path.resolve(ROOT, "." + path.posix.normalize(pathname));
    if (!overlay && !file.startsWith(ROOT + path.sep)) return send(403, "forbidden");
    try {
      if (!(await stat(file)).isFile()) return send(404, "not found");
      send(200, await readFile(file), MIME_TYPES[path.extname(file)] ?? "application/octet-stream");
    } catch {
      send(404, "not found");
    }
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

const oneLine = (text) => String(text).replace(/\s*\n\s*/g, " ⏎ ").trim();

async function runSpec(browser, origin, spec) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const results = [];
  const notes = [];
  let finish;
  const finished = new Promise((resolve) => (finish = resolve));
  page.on("console", (msg) => {
    const text = msg.text();
    if (text.startsWith(REPORT_PREFIX)) {
      const event = JSON.parse(text.slice(REPORT_PREFIX.length));
      if (event.type === "result") results.push({ name: event.name, ok: Boolean(event.ok), message: event.message ?? "" });
      else if (event.type === "done") finish("done");
    } else if (msg.type() === "error") {
      notes.push(`console.error: ${oneLine(text)}`);
    }
  });
  page.on("pageerror", (error) => notes.push(`uncaught page error: ${oneLine(`${error.name}: ${error.message}`)}`));
  page.on("crash", () => finish("crash"));
  const timer = setTimeout(() => finish("timeout"), PAGE_BUDGET_MS);
  try {
    await page.goto(`${origin}/tests/browser/harness.html?spec=${encodeURIComponent(`specs/${spec}`)}`, { waitUntil: "commit" });
    const how = await finished;
    if (how !== "done") results.push({ name: "page finishes", ok: false, message: how });
  } catch (error) {
    results.push({ name: "load page", ok: false, message: error.message });
  } finally {
    clearTimeout(timer);
    await context.close().catch(() => {});
  }
  return { results, notes };
}

async function drive(specs) {
  const server = await startServer();
  const origin = `http://127.0.0.1:${server.address().port}`;
  let passed = 0;
  let failed = 0;
  let browser;
  try {
    browser = await launchChromium({ headless: true });
    for (const spec of specs) {
      const { results, notes } = await runSpec(browser, origin, spec);
      for (const r of results) {
        if (r.ok) {
          passed++;
          console.log(`ok - ${spec} > ${r.name}`);
        } else {
          failed++;
          console.log(`not ok - ${spec} > ${r.name}: ${oneLine(r.message || "failed")}`);
        }
      }
      for (const note of notes) console.log(`# ${spec}: ${note}`);
    }
  } catch (error) {
    failed++;
    console.log(`not ok - transform/tests/exec/run.mjs > run Chromium: ${oneLine(error.message)}`);
  } finally {
    await browser?.close().catch(() => {});
    server.closeAllConnections();
    server.close();
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed > 0 || passed === 0 ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------------------

const filter = process.argv.slice(2).find((a) => !a.startsWith("-")) ?? "";
try {
  await stat(path.join(ROOT, "pkg/asynccontext.global.js"));
} catch {
  fail("pkg/asynccontext.global.js is missing: run `npm run build` first");
}
const specs = await prepare(filter);
if (specs.length === 0) fail(`no spec matches ${JSON.stringify(filter)}`);
process.exitCode = (await runnerSupportsSpecsDir()) ? await delegate(filter) : await drive(specs);
