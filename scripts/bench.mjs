#!/usr/bin/env node
// Benchmark: asynccontext against no polyfill, the "floor" (a cost bound), a pure-JS reference
// store and two npm peers, in headless Chromium, Firefox or WebKit (--engine). One page per
// implementation stays open (patches
// never mix); every repetition times each implementation in turn (interleaved, rotating the
// order), so a load change on the machine hits all of them alike, and every ratio is taken within
// one repetition and printed as median (min–max) over the repetitions. Start-up is timed in fresh
// pages (one per sample), the implementations again interleaved.
//
//   node scripts/bench.mjs                 prepare, run everything, print the markdown table
//                                          (also written to bench-results.md)
//   node scripts/bench.mjs --only a,b      run only the named implementations
//   node scripts/bench.mjs --startup-only  only rows 0a–0c (start-up); --no-startup skips them
//   node scripts/bench.mjs --engine=firefox  run in another engine (chromium, firefox, webkit; a list
//                                          such as --engine=chromium,firefox,webkit runs one after
//                                          another, each with its own table; default chromium)
//   node scripts/bench.mjs --prepare       install the peers and bundle them, then exit
//   node scripts/bench.mjs --serve [port]  prepare, then serve the repo root for www/bench.html
//
// The page code is www/bench/*.js; this script only prepares files, serves them, drives the page
// and formats what the page reports. Timings are printed, never asserted. Exit status is non-zero
// only for real errors: a page error, an implementation that fails to load, a missing build.

import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { cpus, loadavg } from "node:os";
import { dirname, extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { launchChromium } from "./chromium.mjs";
import { ENGINES, launchEngine } from "./engines.mjs";
import { BenchError, bundleSimpleAsyncContext, ensurePeers } from "./bench-peers.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
// Pinned so figures stay comparable between runs; bump deliberately.
const PEERS = { "simple-async-context": "1.0.4", "zone.js": "0.16.3" };
const PAGE_TIMEOUT_MS = 20 * 60 * 1000;

const { IMPLEMENTATIONS, IMPLEMENTATION_NAMES } = await import(join(ROOT, "www/bench/impls.js"));


const log = (...parts) => console.error(...parts);

// ---------------------------------------------------------------------------------------------
// Preparation: peers, peer bundle, our build.

function preparePeers() {
  ensurePeers(PEERS, log);
  log(`bench peers: ${Object.entries(PEERS).map(([n, v]) => `${n} ${v}`).join(", ")}`);
}

function ensureOurBuild() {
  const file = join(ROOT, IMPLEMENTATIONS.asynccontext.file);
  if (existsSync(file)) return;
  log(`${IMPLEMENTATIONS.asynccontext.file} is missing; running npm run build`);
  const result = spawnSync("npm", ["run", "build"], { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"] });
  if (result.status !== 0 || !existsSync(file)) {
    throw new BenchError(`npm run build did not produce ${IMPLEMENTATIONS.asynccontext.file}`);
  }
}

async function prepare(names) {
  if (names.some((name) => name === "simple-async-context" || name === "zone.js")) {
    preparePeers();
    await bundleSimpleAsyncContext(join(ROOT, IMPLEMENTATIONS["simple-async-context"].file));
  }
  if (names.includes("asynccontext")) ensureOurBuild();
  for (const name of names) {
    const file = IMPLEMENTATIONS[name].file;
    if (file && !existsSync(join(ROOT, file))) throw new BenchError(`${name}: ${file} does not exist`);
  }
}

// ---------------------------------------------------------------------------------------------
// Static server for the repo root, 127.0.0.1 only.

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".map": "application/json",
  ".css": "text/css",
};

// Headers of every response: cross-origin isolation gives performance.now() 5 µs resolution
// instead of 100 µs.
const ISOLATION = { "cache-control": "no-store", "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp" };

/**
 * The start-up page for implementation `name`: the implementation's classic script, inlined or as
 * a separate file, between two performance.now() reads in the <head> (what a page pays before its
 * next script); then a module script takes the first `run` plus the first `then` reaction.
 */
function startupPage(name, mode) {
  const impl = IMPLEMENTATIONS[name];
  let script = "<script></script>";
  if (impl.file && mode === "inline") script = `<script>${readFileSync(join(ROOT, impl.file), "utf8").replace(/<\/(script)/gi, "<\\/$1")}</script>`;
  else if (impl.file) script = `<script src="/${impl.file}"></script>`;
  return `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">
<script>window.__t0 = performance.now();</script>
${script}
<script>window.__t1 = performance.now();</script>
<script type="module">
import { IMPLEMENTATIONS } from "/www/bench/impls.js";
const api = IMPLEMENTATIONS[${JSON.stringify(name)}].setup();
const variable = new api.Variable();
const start = performance.now();
const seen = await new Promise((resolve) => variable.run(1, () => Promise.resolve().then(() => resolve([variable.get(), performance.now()]))));
window.__startup = { evaluate: window.__t1 - window.__t0, first: seen[1] - start, propagated: seen[0] === 1 };
</script></head><body></body></html>`;
}

function startServer(port = 0) {
  const server = createServer((request, response) => {
    const { pathname, searchParams } = new URL(request.url, "http://localhost");
    if (pathname === "/__startup") {
      const name = searchParams.get("impl");
      if (!IMPLEMENTATIONS[name]) {
        response.writeHead(404, { "content-type": "text/plain" });
        response.end("unknown implementation");
        return;
      }
      response.writeHead(200, { "content-type": "text/html; charset=utf-8", ...ISOLATION });
      response.end(startupPage(name, searchParams.get("mode")));
      return;
    }
    const file = resolve(ROOT, "." + decodeURIComponent(pathname));
    let ok = file === ROOT || file.startsWith(ROOT + sep);
    try {
      ok = ok && statSync(file).isFile();
    } catch {
      ok = false;
    }
    if (!ok) {
      response.writeHead(404, { "content-type": "text/plain" });
      response.end("not found");
      return;
    }
    let body;
    try {
      body = readFileSync(file);
    } catch (error) {
      response.writeHead(500, { "content-type": "text/plain" });
      response.end(String(error));
      return;
    }
    response.writeHead(200, { "content-type": TYPES[extname(file)] || "application/octet-stream", ...ISOLATION });
    response.end(body);
  });
  return new Promise((resolvePromise, reject) => {
    server.on("error", reject);
    server.listen(port, "127.0.0.1", () => resolvePromise(server));
  });
}

// ---------------------------------------------------------------------------------------------
// The browser, behind one small interface, in this one place:
//   launchBrowser(engine) -> { name, version, open(url), close() }
//   open(url)             -> a page in a fresh browser context: { evaluate(fn, arg), errors, close() }
// Chromium keeps its own playwright page (console warnings are logged); Firefox and WebKit go
// through scripts/engines.mjs. Where the engine exposes no gc() to pages (Firefox, WebKit), the
// page's runs simply skip it.

const ENGINE_NAMES = { chromium: "Chromium", firefox: "Firefox", webkit: "WebKitGTK" };

async function launchBrowser(engine) {
  if (engine !== "chromium") return launchEngineBrowser(engine);
  const browser = await launchChromium({ headless: true });
  return {
    name: "Chromium",
    version: browser.version(),
    async open(url, label) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const errors = [];
      page.on("pageerror", (error) => errors.push(error.message));
      page.on("console", (message) => {
        if (message.type() === "error" || message.type() === "warning") log(`  [${label} console.${message.type()}] ${message.text()}`);
      });
      await page.goto(url);
      return { errors, evaluate: (fn, arg) => page.evaluate(fn, arg), close: () => context.close() };
    },
    close: () => browser.close(),
  };
}

async function launchEngineBrowser(engine) {
  // Firefox coarsens performance.now() to 1 ms by default (timer-precision reduction), and clamps
  // the timers of background tabs to 1 s: the rows time a few milliseconds each, and every
  // implementation's page but one is a background tab, so the benchmark asks for full precision
  // and the foreground clamp everywhere.
  const options = {
    prefs: {
      "privacy.reduceTimerPrecision": false,
      "dom.min_background_timeout_value": 4,
      "dom.min_background_timeout_value_without_budget_throttling": 4,
      "dom.timeout.enable_budget_timer_throttling": false,
    },
  };
  // WebKitWebDriver serves one session (page) at a time, and the rows keep one page per
  // implementation open: there, every page gets a driver (and browser) of its own.
  const perPage = engine === "webkit";
  const shared = perPage ? undefined : await launchEngine(engine, options);
  const version = shared ? shared.version : await launchEngine(engine, options).then(async (probe) => (await probe.close(), probe.version));
  return {
    name: ENGINE_NAMES[engine],
    version,
    async open(url, label) {
      const browser = shared ?? (await launchEngine(engine, options));
      const page = await browser.newPage();
      const errors = [];
      page.on("pageerror", (message) => errors.push(String(message)));
      page.on("console", ({ type, text }) => {
        if (type === "error" || type === "warning") log(`  [${label} console.${type}] ${text}`);
      });
      await page.goto(url);
      const close = async () => {
        await page.close();
        if (!shared) await browser.close();
      };
      return { errors, evaluate: (fn, arg) => page.evaluate(fn, arg), close };
    },
    close: async () => {
      if (shared) await shared.close();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Measuring.

const WARMUPS = 2;
const MIN_ROUNDS = 9;
const MAX_ROUNDS = 41;
const TARGET_MS = 15000; // per row, all implementations together: stop here once MIN_ROUNDS ran
const BUDGET_MS = 60000; // slow rows stop here with at least 5 rounds
const STARTUP_ROUNDS = 15;
export const POLICY =
  `per row, ${WARMUPS} warm-up runs, then ${MIN_ROUNDS}–${MAX_ROUNDS} rounds (until ${TARGET_MS / 1000} s were spent; slow rows stop after ` +
  `${BUDGET_MS / 1000} s with at least 5); each round times every implementation once, in a rotating order, each in its own page ` +
  "(gc() and two empty macrotasks before every run); figures are medians over the rounds";

const sleep = (ms) => new Promise((resolvePromise) => setTimeout(resolvePromise, ms));

async function waitFor(page, label, predicate, timeoutMs) {
  const started = Date.now();
  while (!(await page.evaluate(predicate))) {
    if (page.errors.length > 0) throw new BenchError(`${label}: page error: ${page.errors.join(" | ")}`);
    if (Date.now() - started > timeoutMs) throw new BenchError(`${label}: page did not get ready in ${timeoutMs / 1000} s`);
    await sleep(50);
  }
  if (page.errors.length > 0) throw new BenchError(`${label}: page error: ${page.errors.join(" | ")}`);
}

/** Opens one driven page per implementation; returns { name: page } for those that loaded. */
async function openPages(browser, baseUrl, names, results, failures) {
  const pages = {};
  for (const name of names) {
    try {
      const page = await browser.open(`${baseUrl}/www/bench.html?impl=${encodeURIComponent(name)}&nosize&driven`, name);
      await waitFor(page, name, () => window.__benchDone === true, 60000);
      const info = await page.evaluate(() => ({ error: window.__bench.error, version: window.__bench.version, driven: !!window.__benchDriver }));
      if (info.error || !info.driven) {
        await page.close();
        throw new BenchError(`${name}: ${info.error ?? "the page is not driven"}`);
      }
      pages[name] = page;
      results[name] = { version: info.version, rows: [] };
    } catch (error) {
      if (!(error instanceof BenchError)) throw error;
      failures.push(error.message);
      log(`error: ${error.message}`);
    }
  }
  return pages;
}

const rotate = (list, by) => list.map((_, i) => list[(i + by) % list.length]);

async function timeRow(pages, id, results) {
  const active = [];
  for (const [name, page] of Object.entries(pages)) {
    const checked = await page.evaluate((row) => window.__benchDriver.check(row), id);
    results[name].rows.push(checked);
    if (checked.status === "ok") active.push(name);
  }
  const fail = (name, error) => {
    const row = results[name].rows.find((r) => r.id === id);
    Object.assign(row, { status: "n/a", reason: `timed run failed: ${error.message ?? error}` });
    active.splice(active.indexOf(name), 1);
  };
  const time = async (name) => {
    try {
      return await pages[name].evaluate((row) => window.__benchDriver.time(row), id);
    } catch (error) {
      fail(name, error);
      return undefined;
    }
  };
  for (let i = 0; i < WARMUPS; i++) for (const name of [...active]) await time(name);
  const samples = Object.fromEntries(active.map((name) => [name, []]));
  const started = Date.now();
  for (let round = 0; round < MAX_ROUNDS && active.length > 0; round++) {
    const spent = Date.now() - started;
    if (round >= MIN_ROUNDS && spent >= TARGET_MS) break;
    if (round >= 5 && spent >= BUDGET_MS) break;
    log(`  ${id}: round ${round + 1}`);
    const order = rotate([...active], round);
    const got = {};
    for (const name of order) got[name] = await time(name);
    // A round counts only when every implementation still in it produced a figure.
    for (const name of active) samples[name].push(got[name]);
  }
  for (const name of Object.keys(samples)) {
    const row = results[name].rows.find((r) => r.id === id);
    if (row.status === "ok") Object.assign(row, { samples: samples[name], ms: median(samples[name]) });
  }
}

/** Start-up: a fresh page per sample, inlined and as a file, implementations interleaved. */
async function measureStartup(browser, baseUrl, names, failures) {
  const files = new Set();
  // One column per distinct script (both tracking columns load the same file).
  const measured = names.filter((name) => {
    const file = IMPLEMENTATIONS[name].file ?? "(none)";
    if (files.has(file)) return false;
    files.add(file);
    return true;
  });
  const samples = Object.fromEntries(measured.map((name) => [name, { inline: [], file: [], first: [], propagated: true }]));
  for (let round = 0; round < STARTUP_ROUNDS && measured.length > 0; round++) {
    log(`  start-up: round ${round + 1}`);
    for (const name of rotate([...measured], round)) {
      for (const mode of IMPLEMENTATIONS[name].file ? ["inline", "file"] : ["inline"]) {
        let page;
        try {
          page = await browser.open(`${baseUrl}/__startup?impl=${encodeURIComponent(name)}&mode=${mode}`, name);
          await waitFor(page, `${name} start-up`, () => window.__startup !== undefined, 30000);
          const result = await page.evaluate(() => window.__startup);
          samples[name][mode].push(result.evaluate);
          if (mode === "inline") {
            samples[name].first.push(result.first);
            if (!result.propagated) samples[name].propagated = false;
          }
        } catch (error) {
          if (!(error instanceof BenchError)) throw error;
          failures.push(error.message);
          measured.splice(measured.indexOf(name), 1);
          delete samples[name];
          break;
        } finally {
          await page?.close();
        }
      }
    }
  }
  return samples;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Per-round ratios a[i] / b[i]: { median, min, max } (the rounds were interleaved). */
function ratioSpread(a, b) {
  if (!a?.length || !b?.length || a.length !== b.length) return null;
  const ratios = a.map((value, i) => value / b[i]).sort((x, y) => x - y);
  return { median: median(ratios), min: ratios[0], max: ratios[ratios.length - 1] };
}

function fileSize(name) {
  const file = IMPLEMENTATIONS[name].file;
  if (!file) return null;
  const bytes = readFileSync(join(ROOT, file));
  return { file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

// ---------------------------------------------------------------------------------------------
// Formatting.

function formatMs(ms) {
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}

function formatRatio(ratio) {
  return ratio >= 10 ? ratio.toFixed(0) : ratio.toFixed(2);
}

function formatSpread(spread, what = "") {
  if (!spread) return "n/a";
  return `${formatRatio(spread.median)}×${what} (${formatRatio(spread.min)}–${formatRatio(spread.max)})`;
}

function formatBytes(bytes) {
  return bytes >= 10000 ? `${(bytes / 1024).toFixed(1)} KiB` : `${bytes} B`;
}

// Table rows, by the scenario ids of www/bench/scenarios.js. Platform rows are compared with "none".
const ROWS = [
  { id: "chain-empty", label: "1", title: "Promise chain, 10^5 `.then`, empty context", platform: true },
  { id: "chain-run", label: "2", title: "Promise chain, 10^5 `.then`, inside `run` (10 links call `get`)", platform: true },
  { id: "timeouts", label: "3", title: "setTimeout(0) ×1000 inside `run`, until all fired", platform: true },
  { id: "run-get", label: "4", title: "`v.run(i, () => v.get())` ×10^6", platform: false },
  { id: "get-d1", label: "5a", title: "`get()` ×10^6, depth 1, 1 variable", platform: false },
  { id: "get-d10", label: "5b", title: "`get()` ×10^6, depth 10, 1 variable", platform: false },
  { id: "get-d10-v20", label: "5c", title: "`get()` ×10^6, 20 variables, innermost re-run 10 deep", platform: false },
];

const STARTUP_ROWS = [
  { key: "inline", label: "0a", title: "Start-up: evaluate the classic script, inlined in `<head>`" },
  { key: "file", label: "0b", title: "Start-up: evaluate the classic script, a separate file (`<script src>`)" },
  { key: "first", label: "0c", title: "Start-up: first `run` + first `then` reaction after install" },
];

const FLOOR = "floor (then only)";

function buildReport({ names, results, startup, sizes, header, failures }) {
  const notes = [];
  const noteRef = (text) => {
    let index = notes.indexOf(text);
    if (index < 0) index = notes.push(text) - 1;
    return `[${index + 1}]`;
  };
  // The tracking columns are this project too, and the floor is a bound: neither counts as a peer.
  const peers = names.filter((name) => name !== "none" && name !== "asynccontext" && name !== FLOOR && !name.startsWith("tracking"));
  const withOurs = names.includes("asynccontext");
  const withFloor = withOurs && names.includes(FLOOR);
  const columns = [
    "Scenario",
    ...names,
    ...(withFloor ? ["asynccontext vs floor"] : []),
    ...(withOurs && peers.length ? ["asynccontext vs peers"] : []),
  ];
  const lines = [`| ${columns.join(" | ")} |`, `|${columns.map((c, i) => (i === 0 ? "---" : "---:")).join("|")}|`];

  for (const { key, label, title } of STARTUP_ROWS) {
    const cells = [`${label}. ${title}`];
    const of = (name) => startup?.[name]?.[key];
    for (const name of names) {
      const values = of(name);
      if (!values?.length) {
        cells.push("—");
        continue;
      }
      const sorted = [...values].sort((a, b) => a - b);
      let text = `${formatMs(median(values))} ms (${formatMs(sorted[0])}–${formatMs(sorted[sorted.length - 1])})`;
      if (key === "first" && startup[name].propagated === false && name !== "none") text += ` ${noteRef(`${name}, row ${label}: the value did not reach the then reaction`)}`;
      cells.push(text);
    }
    if (withFloor) cells.push(formatSpread(ratioSpread(of("asynccontext"), of(FLOOR))));
    if (withOurs && peers.length) cells.push(peers.map((peer) => `${formatSpread(ratioSpread(of("asynccontext"), of(peer)))} ${peer}`).join(" · "));
    lines.push(`| ${cells.join(" | ")} |`);
  }

  for (const { id, label, title, platform } of Object.keys(results).length ? ROWS : []) {
    const row = (name) => results[name]?.rows?.find((r) => r.id === id);
    const samplesOf = (name) => (row(name)?.status === "ok" ? row(name).samples : null);
    const cells = [`${label}. ${title}`];
    for (const name of names) {
      if (!results[name]) {
        cells.push("error");
        continue;
      }
      const r = row(name);
      if (!r || r.status === "skip") {
        cells.push("—");
      } else if (r.status === "n/a") {
        cells.push(`n/a ${noteRef(`${name}, row ${label}: ${r.reason}`)}`);
      } else {
        let text = `${formatMs(r.ms)} ms`;
        if (platform && name !== "none" && samplesOf("none")) text += ` ${formatSpread(ratioSpread(r.samples, samplesOf("none")), " none")}`;
        if (!platform) text += ` (${((r.ms * 1e6) / r.n).toFixed(1)} ns/op)`;
        if (name.startsWith("tracking") && samplesOf("asynccontext")) text += ` [${formatSpread(ratioSpread(r.samples, samplesOf("asynccontext")), " core")}]`;
        if (r.note) text += ` ${noteRef(`${name}, row ${label}: ${r.note}`)}`;
        cells.push(text);
      }
    }
    if (withFloor) cells.push(formatSpread(ratioSpread(samplesOf("asynccontext"), samplesOf(FLOOR))));
    if (withOurs && peers.length) {
      cells.push(peers.map((peer) => `${formatSpread(ratioSpread(samplesOf("asynccontext"), samplesOf(peer)))} ${peer}`).join(" · "));
    }
    lines.push(`| ${cells.join(" | ")} |`);
  }

  const sizeCells = ["6. Bundle size, raw / gzip -9"];
  for (const name of names) {
    const size = sizes[name];
    sizeCells.push(size ? `${formatBytes(size.raw)} / ${formatBytes(size.gzip)}` : "—");
  }
  if (withFloor) sizeCells.push("—");
  if (withOurs && peers.length) {
    sizeCells.push(
      peers
        .map((peer) => (sizes.asynccontext && sizes[peer] ? `${formatRatio(sizes.asynccontext.gzip / sizes[peer].gzip)}× ${peer}` : `n/a ${peer}`))
        .join(" · "),
    );
  }
  lines.push(`| ${sizeCells.join(" | ")} |`);

  const explain = [
    `Rows 1–5: ${POLICY}.`,
    `Rows 0a–0c: ${STARTUP_ROUNDS} rounds; each round loads every implementation's start-up page once per mode, in a rotating order, each in a fresh browser context. 0a/0b: \`performance.now()\` just before and after the implementation's classic script in \`<head>\` (inlined, or fetched from the local server with no-store); 0c: from \`run\` to its first \`then\` reaction, in the first module script after it. Cells: median (min–max) in ms. \`none\` times an empty script.`,
    "Ratios are taken per round (the implementations of one round ran within seconds of each other) and shown as median (min–max) over the rounds: two figures differ when their ranges do not overlap. `× none` = implementation / no polyfill for the same work; `asynccontext vs floor` and `asynccontext vs peers` = asynccontext / the other (below 1: asynccontext is faster or smaller); size ratios use gzip bytes.",
    "`none` runs the same chains and timeouts with a plain global slot instead of a context (nothing propagates); rows 4–5 need a context API, so `none` has no figure there.",
    `\`${FLOOR}\` is a cost bound, not a polyfill (www/bench/floor.js): \`Promise.prototype.then\` replaced by a function that wraps each reaction in one closure swapping a global around the call; no store, no bookkeeping, and it propagates only through \`then\` (so row 3 is n/a for it).`,
    "`tracking (no tracker)` is the tracking build (`asynccontext/tracking`) with no tracker active; `tracking (tracker on)` runs every timed run inside `tracker.run` with all four hooks set (they count calls), so each `.then`, timeout and callback there is a task with a call-graph node. `[N× core]` compares them with the core build (`asynccontext`). Both load the same file, so start-up is shown once.",
    "zone.js: `run(value, fn)` = `Zone.current.fork({ properties: { key: value } }).run(fn)`, `get()` = `Zone.current.get(key)`.",
    "Row 5c: variables v0…v19 are bound by 20 nested runs, then v19 is re-run 10 deep; the loop reads all 20 in turn.",
    "Sizes are the files the page loads: " +
      names
        .filter((name) => sizes[name])
        .map((name) => `${name} \`${sizes[name].file}\``)
        .join(", ") +
      " (simple-async-context is bundled and minified by scripts/bench.mjs with esbuild; the reference store and the floor are unminified, with comments).",
  ];

  const out = [...header, "", ...lines, ""];
  for (const line of explain) out.push(`- ${line}`);
  if (notes.length) {
    out.push("", "Notes:");
    notes.forEach((text, index) => out.push(`[${index + 1}] ${text}  `));
  }
  out.push("", "Rounds per row:");
  const counts = ROWS.map(({ id }) => {
    const any = names.map((name) => results[name]?.rows?.find((r) => r.id === id)).find((r) => r?.status === "ok");
    return any ? `${id} ${any.samples.length}` : null;
  }).filter(Boolean);
  out.push(`- ${counts.join(", ")}`);
  if (failures.length) {
    out.push("", "Errors:");
    for (const failure of failures) out.push(`- ${failure}`);
  }
  return out.join("\n") + "\n";
}

// ---------------------------------------------------------------------------------------------

function parseArgs(argv) {
  const options = { names: IMPLEMENTATION_NAMES, prepareOnly: false, serve: null, skipStartup: false, startupOnly: false, engines: ["chromium"] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--prepare") options.prepareOnly = true;
    else if (arg === "--no-startup") options.skipStartup = true;
    else if (arg === "--startup-only") options.startupOnly = true;
    else if (arg.startsWith("--engine=")) {
      options.engines = arg.slice("--engine=".length).split(",").filter(Boolean);
      const unknown = options.engines.filter((name) => !ENGINES.includes(name));
      if (unknown.length || options.engines.length === 0) throw new BenchError(`--engine takes ${ENGINES.join(", ")} (comma-separated), not ${arg.slice(9)}`);
    }
    else if (arg === "--serve") options.serve = /^\d+$/.test(argv[i + 1] ?? "") ? Number(argv[++i]) : 8080;
    else if (arg === "--only") {
      const wanted = (argv[++i] ?? "").split(",").filter(Boolean);
      const unknown = wanted.filter((name) => !IMPLEMENTATIONS[name]);
      if (unknown.length) throw new BenchError(`unknown implementation(s): ${unknown.join(", ")} (known: ${IMPLEMENTATION_NAMES.join(", ")})`);
      options.names = IMPLEMENTATION_NAMES.filter((name) => wanted.includes(name));
    } else throw new BenchError(`unknown argument ${arg}`);
  }
  return options;
}

/** Every row in one engine; returns its markdown report (failures are appended to `failures`). */
async function runEngine(engine, options, baseUrl, failures) {
  const before = new Set(failures);
  const browser = await launchBrowser(engine);
  const results = {};
  let startup = {};
  const loadAtStart = loadavg()[0];
  log(`${browser.name} ${browser.version}; load average at start ${loadAtStart.toFixed(2)}`);
  try {
    if (!options.skipStartup) {
      log("start-up");
      startup = await measureStartup(browser, baseUrl, options.names, failures);
    }
    const pages = options.startupOnly ? {} : await openPages(browser, baseUrl, options.names, results, failures);
    try {
      for (const { id } of options.startupOnly ? [] : ROWS) {
        log(`row ${id}`);
        await timeRow(pages, id, results);
      }
    } finally {
      for (const page of Object.values(pages)) await page.close();
    }
  } finally {
    await browser.close();
  }

  const sizes = Object.fromEntries(options.names.map((name) => [name, fileSize(name)]));
  const versions = [
    results.asynccontext?.version ? `asynccontext ${results.asynccontext.version}` : null,
    ...Object.entries(PEERS)
      .filter(([name]) => options.names.includes(name))
      .map(([name, version]) => `${name} ${version}`),
  ].filter(Boolean);
  const header = [
    `## Benchmark: ${browser.name}`,
    "",
    `Date: ${new Date().toISOString()} · ${browser.name} ${browser.version} (${browser.name === "WebKitGTK" ? "under Xvfb" : "headless"}) · node ${process.version} · ${cpus().length} CPUs, 1-min load average ${loadAtStart.toFixed(2)} at start / ${loadavg()[0].toFixed(2)} at end`,
    `Versions: ${versions.join(" · ")}`,
  ];
  return buildReport({ names: options.names, results, startup, sizes, header, failures: failures.filter((f) => !before.has(f)) });
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  await prepare(options.names);
  if (options.prepareOnly) return 0;

  if (options.serve !== null) {
    const server = await startServer(options.serve);
    const { port } = server.address();
    log(`serving ${ROOT} on http://127.0.0.1:${port}/`);
    for (const name of IMPLEMENTATION_NAMES) log(`  http://127.0.0.1:${port}/www/bench.html?impl=${encodeURIComponent(name)}`);
    return new Promise(() => {}); // until interrupted
  }

  const server = await startServer();
  const baseUrl = `http://127.0.0.1:${server.address().port}`;
  const failures = [];
  const reports = [];
  try {
    for (const engine of options.engines) {
      const report = await runEngine(engine, options, baseUrl, failures);
      process.stdout.write(report);
      reports.push(report);
    }
  } finally {
    server.close();
  }
  writeFileSync(join(ROOT, "bench-results.md"), reports.join("\n"));
  log("(tables also written to bench-results.md)");
  if (failures.length) {
    log(`bench failed: ${failures.join("; ")}`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(`bench failed: ${error instanceof BenchError ? error.message : error.stack || error}`);
    process.exitCode = 1;
  },
);
