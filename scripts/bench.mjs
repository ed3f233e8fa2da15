#!/usr/bin/env node
// Benchmark: asynccontext against no polyfill, a pure-JS reference store and two npm peers, in
// headless Chromium, one fresh browser context per implementation (patches never mix).
//
//   node scripts/bench.mjs                 prepare, run everything, print the markdown table
//                                          (also written to bench-results.md)
//   node scripts/bench.mjs --only a,b      run only the named implementations
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

function startServer(port = 0) {
  const server = createServer((request, response) => {
    const { pathname } = new URL(request.url, "http://localhost");
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
    response.writeHead(200, {
      "content-type": TYPES[extname(file)] || "application/octet-stream",
      "cache-control": "no-store",
      // Cross-origin isolation gives performance.now() 5 µs resolution instead of 100 µs.
      "cross-origin-opener-policy": "same-origin",
      "cross-origin-embedder-policy": "require-corp",
    });
    response.end(body);
  });
  return new Promise((resolvePromise, reject) => {
    server.on("error", reject);
    server.listen(port, "127.0.0.1", () => resolvePromise(server));
  });
}

// ---------------------------------------------------------------------------------------------
// Driving the page.

async function runImplementation(browser, baseUrl, name) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const pageErrors = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") log(`  [${name} console.${message.type()}] ${message.text()}`);
  });
  try {
    await page.goto(`${baseUrl}/www/bench.html?impl=${encodeURIComponent(name)}&nosize`);
    let lastStatus = "";
    const started = Date.now();
    while (!(await page.evaluate(() => window.__benchDone === true))) {
      if (pageErrors.length > 0) break;
      if (Date.now() - started > PAGE_TIMEOUT_MS) throw new BenchError(`${name}: page did not finish in ${PAGE_TIMEOUT_MS / 60000} min`);
      const status = await page.evaluate(() => document.querySelector("#status")?.textContent ?? "");
      if (status !== lastStatus) log(`  ${name}: ${(lastStatus = status)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    if (pageErrors.length > 0) throw new BenchError(`${name}: page error: ${pageErrors.join(" | ")}`);
    const result = await page.evaluate(() => window.__bench);
    if (result.error) throw new BenchError(`${name}: ${result.error}`);
    return result;
  } finally {
    await context.close();
  }
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

function buildReport({ names, results, sizes, header, failures }) {
  const notes = [];
  const noteRef = (text) => {
    let index = notes.indexOf(text);
    if (index < 0) index = notes.push(text) - 1;
    return `[${index + 1}]`;
  };
  // The tracking columns are this project too: compared with the core build, not counted as peers.
  const peers = names.filter((name) => name !== "none" && name !== "asynccontext" && !name.startsWith("tracking"));
  const withOurs = names.includes("asynccontext");
  const columns = ["Scenario", ...names, ...(withOurs && peers.length ? ["asynccontext vs peers"] : [])];
  const lines = [`| ${columns.join(" | ")} |`, `|${columns.map((c, i) => (i === 0 ? "---" : "---:")).join("|")}|`];

  for (const { id, label, title, platform } of ROWS) {
    const row = (name) => results[name]?.rows?.find((r) => r.id === id);
    const baseline = row("none");
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
        if (platform && name !== "none" && baseline?.status === "ok") text += ` (${formatRatio(r.ms / baseline.ms)}× none)`;
        if (!platform) text += ` (${((r.ms * 1e6) / r.n).toFixed(1)} ns/op)`;
        const core = row("asynccontext");
        if (name.startsWith("tracking") && core?.status === "ok") text += ` [${formatRatio(r.ms / core.ms)}× core]`;
        if (r.note) text += ` ${noteRef(`${name}, row ${label}: ${r.note}`)}`;
        cells.push(text);
      }
    }
    if (withOurs && peers.length) {
      const ours = row("asynccontext");
      const parts = peers.map((peer) => {
        const theirs = row(peer);
        if (ours?.status !== "ok" || theirs?.status !== "ok") return `n/a ${peer}`;
        return `${formatRatio(ours.ms / theirs.ms)}× ${peer}`;
      });
      cells.push(parts.join(" · "));
    }
    lines.push(`| ${cells.join(" | ")} |`);
  }

  const sizeCells = ["6. Bundle size, raw / gzip -9"];
  for (const name of names) {
    const size = sizes[name];
    sizeCells.push(size ? `${formatBytes(size.raw)} / ${formatBytes(size.gzip)}` : "—");
  }
  if (withOurs && peers.length) {
    sizeCells.push(
      peers
        .map((peer) => (sizes.asynccontext && sizes[peer] ? `${formatRatio(sizes.asynccontext.gzip / sizes[peer].gzip)}× ${peer}` : `n/a ${peer}`))
        .join(" · "),
    );
  }
  lines.push(`| ${sizeCells.join(" | ")} |`);

  const policy = Object.values(results).find((r) => r?.policy)?.policy ?? "median of the timed runs";
  const explain = [
    `Each figure: ${policy}; one fresh browser context per implementation.`,
    "Ratios: `× none` = implementation time / no-polyfill time for the same work; `asynccontext vs peers` = asynccontext / peer (below 1 means asynccontext is faster or smaller); size ratios use gzip bytes.",
    "`none` runs the same chains and timeouts with a plain global slot instead of a context (nothing propagates); rows 4–5 need a context API, so `none` has no figure there.",
    "`tracking (no tracker)` is the tracking build (`asynccontext/tracking`) with no tracker active; `tracking (tracker on)` runs every timed run inside `tracker.run` with all four hooks set (they count calls), so each `.then`, timeout and callback there is a task with a call-graph node. `[N× core]` compares them with the core build (`asynccontext`).",
    "zone.js: `run(value, fn)` = `Zone.current.fork({ properties: { key: value } }).run(fn)`, `get()` = `Zone.current.get(key)`.",
    "Row 5c: variables v0…v19 are bound by 20 nested runs, then v19 is re-run 10 deep; the loop reads all 20 in turn.",
    "Sizes are the files the page loads: " +
      names
        .filter((name) => sizes[name])
        .map((name) => `${name} \`${sizes[name].file}\``)
        .join(", ") +
      " (simple-async-context is bundled and minified by scripts/bench.mjs with esbuild; the reference store is unminified, with comments).",
  ];

  const out = [...header, "", ...lines, ""];
  for (const line of explain) out.push(`- ${line}`);
  if (notes.length) {
    out.push("", "Notes:");
    notes.forEach((text, index) => out.push(`[${index + 1}] ${text}  `));
  }
  out.push("", "Timed runs per row:");
  for (const name of names) {
    const r = results[name];
    if (!r?.rows) continue;
    const counts = r.rows.filter((row) => row.status === "ok").map((row) => `${row.id} ${row.samples.length}`);
    out.push(`- ${name}: ${counts.join(", ")}`);
  }
  if (failures.length) {
    out.push("", "Errors:");
    for (const failure of failures) out.push(`- ${failure}`);
  }
  return out.join("\n") + "\n";
}

// ---------------------------------------------------------------------------------------------

function parseArgs(argv) {
  const options = { names: IMPLEMENTATION_NAMES, prepareOnly: false, serve: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--prepare") options.prepareOnly = true;
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
  const browser = await launchChromium({ headless: true });
  const results = {};
  const failures = [];
  let chromiumVersion;
  let loadAtStart;
  try {
    chromiumVersion = browser.version();
    loadAtStart = loadavg()[0];
    log(`Chromium ${chromiumVersion}; load average at start ${loadAtStart.toFixed(2)}`);
    for (const name of options.names) {
      log(`running ${name}`);
      try {
        results[name] = await runImplementation(browser, baseUrl, name);
      } catch (error) {
        if (!(error instanceof BenchError)) throw error;
        failures.push(error.message);
        log(`error: ${error.message}`);
      }
    }
  } finally {
    await browser.close();
    server.close();
  }

  const sizes = Object.fromEntries(options.names.map((name) => [name, fileSize(name)]));
  const versions = [
    results.asynccontext?.version ? `asynccontext ${results.asynccontext.version}` : null,
    ...Object.entries(PEERS)
      .filter(([name]) => options.names.includes(name))
      .map(([name, version]) => `${name} ${version}`),
  ].filter(Boolean);
  const header = [
    "## Benchmark",
    "",
    `Date: ${new Date().toISOString()} · Chromium ${chromiumVersion} (headless) · node ${process.version} · ${cpus().length} CPUs, 1-min load average ${loadAtStart.toFixed(2)} at start / ${loadavg()[0].toFixed(2)} at end`,
    `Versions: ${versions.join(" · ")}`,
  ];
  const report = buildReport({ names: options.names, results, sizes, header, failures });
  process.stdout.write(report);
  writeFileSync(join(ROOT, "bench-results.md"), report);
  log("(table also written to bench-results.md)");
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
