#!/usr/bin/env node
// Benchmark of the await transform (transform/): throughput on a large real file against Babel's
// async-to-generator, and the runtime cost of an await-heavy loop in headless Chromium (native
// await with and without the polyfill, our transform's output, Babel's output with
// simple-async-context). Timings are printed, never asserted.
//
//   node scripts/bench-transform.mjs              prepare, run everything, print the markdown table
//                                                 (also written to bench-transform-results.md)
//   node scripts/bench-transform.mjs --prepare    install the peers, build the loop files, then exit
//   node scripts/bench-transform.mjs --only throughput|loop
//   node scripts/bench-transform.mjs --serve [port]   prepare, then serve the repo root for
//                                                 www/bench-transform.html
//
// The tools are installed into bench-peers/ (gitignored) at pinned versions. Exit status is non-zero
// only for real errors: a tool that fails, a page error, a missing build.

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium } from "./chromium.mjs";
import { BenchError, PEERS_DIR, bundleSimpleAsyncContext, ensurePeers } from "./bench-peers.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const OUT_DIR = join(PEERS_DIR, "transform");
// Pinned so figures stay comparable between runs; bump deliberately. Babel 7 because Babel 8 needs
// node ≥ 22.18. typescript is only the input file (lib/typescript.js, a 9 MB classic script).
const PEERS = {
  "@babel/core": "7.29.13",
  "@babel/plugin-transform-async-to-generator": "7.29.7",
  "simple-async-context": "1.0.4",
  typescript: "5.9.3",
};
const INPUT = { peer: "typescript", path: "lib/typescript.js" };
const CLI = join(ROOT, "target/release/asynccontext-transform");
const WASM = join(ROOT, "transform/pkg/node/asynccontext_transform.js");
const LOOP_SOURCE = join(ROOT, "www/bench/transform-loop.js");
const VARIANTS = ["native", "native+polyfill", "transform", "babel+simple-async-context"];
const PAGE_TIMEOUT_MS = 10 * 60 * 1000;
// The await loop runs every variant this many times, in turn, each time in a fresh browser context,
// so load drift on a shared machine hits all variants alike; a row's figure is the median of all
// its timed runs from all rounds.
const ROUNDS = 3;

const log = (...parts) => console.error(...parts);
const require = createRequire(join(PEERS_DIR, "package.json"));

// ---------------------------------------------------------------------------------------------
// Preparation.

function ensureBuilt(file, command, args) {
  if (existsSync(file)) return;
  log(`${file} is missing; running ${command} ${args.join(" ")}`);
  const result = spawnSync(command, args, { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"] });
  if (result.status !== 0 || !existsSync(file)) throw new BenchError(`${command} ${args.join(" ")} did not produce ${file}`);
}

function babelTransform(source, { sourceMaps = false, sourceType = "script", filename = "input.js" } = {}) {
  const babel = require("@babel/core");
  return babel.transformSync(source, {
    babelrc: false,
    configFile: false,
    filename,
    sourceType,
    sourceMaps,
    plugins: [require.resolve("@babel/plugin-transform-async-to-generator")],
  });
}

async function prepare() {
  ensurePeers(PEERS, log);
  ensureBuilt(CLI, "cargo", ["build", "--release", "-p", "asynccontext-transform"]);
  ensureBuilt(WASM, "node", ["transform/scripts/build-wasm.mjs"]);
  ensureBuilt(join(ROOT, "pkg/asynccontext.global.js"), "npm", ["run", "build"]);
  mkdirSync(OUT_DIR, { recursive: true });
  const ours = spawnSync(CLI, [LOOP_SOURCE, "-o", join(OUT_DIR, "transform-loop.ours.js"), "-q"], { encoding: "utf8" });
  if (ours.status !== 0) throw new BenchError(`transform of ${LOOP_SOURCE} failed: ${ours.stderr}`);
  writeFileSync(join(OUT_DIR, "transform-loop.babel.js"), babelTransform(readFileSync(LOOP_SOURCE, "utf8"), { filename: "transform-loop.js" }).code);
  await bundleSimpleAsyncContext(join(OUT_DIR, "simple-async-context.iife.js"));
}

// ---------------------------------------------------------------------------------------------
// Throughput.

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

function timeRuns(label, warmups, runs, fn) {
  const samples = [];
  let last;
  for (let i = 0; i < warmups + runs; i++) {
    const started = process.hrtime.bigint();
    last = fn();
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (i >= warmups) samples.push(ms);
    log(`  ${label}: run ${i + 1}/${warmups + runs} ${ms.toFixed(0)} ms`);
  }
  return { ms: median(samples), samples, last };
}

function countAsync(source) {
  // Rough counts for the report (regexes on the text; comments and strings are counted too).
  return { async: (source.match(/\basync\b/g) ?? []).length, await: (source.match(/\bawait\b/g) ?? []).length };
}

function runThroughput() {
  const inputFile = join(PEERS_DIR, "node_modules", INPUT.peer, INPUT.path);
  const bytes = readFileSync(inputFile);
  const source = bytes.toString("utf8");
  const size = bytes.length;
  const counts = countAsync(source);
  const outFile = join(tmpdir(), `bench-transform-${process.pid}.js`);
  const rows = [];
  const mbps = (ms) => size / 1e6 / (ms / 1000);

  const cli = (extra) => () => {
    const result = spawnSync(CLI, [inputFile, "-o", outFile, "-q", ...extra], { stdio: ["ignore", "ignore", "pipe"] });
    if (result.status !== 0) throw new BenchError(`CLI failed: ${result.stderr}`);
  };
  log("throughput: native CLI");
  rows.push({ id: "cli", label: "our transform, native CLI (process start + read + transform + write)", ...timeRuns("cli", 1, 9, cli([])) });
  const cliOut = readFileSync(outFile, "utf8");
  rows.push({ id: "cli-map", label: "our transform, native CLI, `--source-map`", ...timeRuns("cli --source-map", 1, 9, cli(["--source-map"])) });

  log("throughput: wasm in node");
  const { transform } = createRequire(import.meta.url)(WASM);
  const wasm = timeRuns("wasm", 1, 7, () => transform(source, { filename: INPUT.path.split("/").pop() }));
  rows.push({ id: "wasm", label: "our transform, wasm in node (`transform()`; returns code + map)", ...wasm });
  const sameAsCli = wasm.last.code === cliOut;

  log("throughput: Babel (each run takes several seconds)");
  const babelOff = timeRuns("babel", 1, 5, () => babelTransform(source, { filename: "typescript.js" }));
  rows.push({ id: "babel", label: "Babel async-to-generator (parse + transform + generate), source maps off", ...babelOff });
  rows.push({ id: "babel-map", label: "Babel async-to-generator, source maps on", ...timeRuns("babel map", 0, 5, () => babelTransform(source, { filename: "typescript.js", sourceMaps: true })) });
  for (const row of rows) row.mbps = mbps(row.ms);
  return {
    input: { file: `${INPUT.peer}@${PEERS[INPUT.peer]}/${INPUT.path}`, size, ...counts },
    rows,
    notes: [
      `our output ${cliOut.length === source.length ? "has the same length as the input" : `is ${cliOut.length - source.length} chars longer than the input`}; wasm output ${sameAsCli ? "is identical to" : "DIFFERS from"} the CLI output`,
      `Babel output: ${babelOff.last.code.length} chars (Babel's default \`compact: "auto"\` drops formatting above 500 KB)`,
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// Await loop in Chromium.

const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8", ".wasm": "application/wasm", ".map": "application/json" };

function startServer(port = 0) {
  const server = createServer((request, response) => {
    const { pathname } = new URL(request.url, "http://localhost");
    const file = resolve(ROOT, "." + decodeURIComponent(pathname));
    let ok = file.startsWith(ROOT + sep);
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
    response.writeHead(200, {
      "content-type": TYPES[extname(file)] || "application/octet-stream",
      "cache-control": "no-store",
      // Cross-origin isolation gives performance.now() 5 µs resolution instead of 100 µs.
      "cross-origin-opener-policy": "same-origin",
      "cross-origin-embedder-policy": "require-corp",
    });
    response.end(readFileSync(file));
  });
  return new Promise((resolvePromise, reject) => {
    server.on("error", reject);
    server.listen(port, "127.0.0.1", () => resolvePromise(server));
  });
}

async function runVariant(browser, baseUrl, name) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const pageErrors = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  try {
    await page.goto(`${baseUrl}/www/bench-transform.html?variant=${encodeURIComponent(name)}`);
    const started = Date.now();
    let lastStatus = "";
    while (!(await page.evaluate(() => window.__benchDone === true))) {
      if (pageErrors.length > 0) break;
      if (Date.now() - started > PAGE_TIMEOUT_MS) throw new BenchError(`${name}: page did not finish`);
      const status = await page.evaluate(() => document.querySelector("#status")?.textContent ?? "");
      if (status !== lastStatus) log(`  ${(lastStatus = status)}`);
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

function mergeRounds(previous, next) {
  const rows = previous.rows.map((row) => {
    const more = next.rows.find((r) => r.id === row.id);
    if (row.status !== "ok") return row;
    if (more?.status !== "ok") return more ?? row;
    const samples = [...row.samples, ...more.samples];
    return { ...row, samples, ms: median(samples), lost: Math.max(row.lost, more.lost), roundMedians: [...row.roundMedians, more.ms] };
  });
  return { ...previous, rows };
}

async function runLoop() {
  const server = await startServer();
  const baseUrl = `http://127.0.0.1:${server.address().port}`;
  const browser = await launchChromium({ headless: true });
  const results = {};
  const failures = [];
  let version;
  try {
    version = browser.version();
    for (let round = 1; round <= ROUNDS; round++) {
      for (const name of VARIANTS) {
        if (results[name] === null) continue; // failed in an earlier round
        log(`await loop, round ${round}/${ROUNDS}: ${name}`);
        try {
          const result = await runVariant(browser, baseUrl, name);
          results[name] = results[name] ? mergeRounds(results[name], result) : { ...result, rows: result.rows.map((row) => ({ ...row, roundMedians: [row.ms] })) };
        } catch (error) {
          if (!(error instanceof BenchError)) throw error;
          failures.push(`round ${round}: ${error.message}`);
          log(`error: ${error.message}`);
          results[name] = null;
        }
      }
    }
    for (const name of VARIANTS) if (results[name] === null) delete results[name];
  } finally {
    await browser.close();
    server.close();
  }
  return { version, results, failures };
}

// ---------------------------------------------------------------------------------------------
// Report.

const fmtMs = (ms) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));
const fmtRatio = (r) => (r >= 10 ? r.toFixed(0) : r.toFixed(2));

function report({ throughput, loop, header }) {
  const out = [...header];
  if (throughput) {
    const { input, rows, notes } = throughput;
    const babel = rows.find((r) => r.id === "babel");
    out.push(
      "",
      "### Transform throughput",
      "",
      `Input: \`${input.file}\`, ${input.size} bytes (${(input.size / 1e6).toFixed(2)} MB), ${input.async} \`async\` / ${input.await} \`await\` tokens (regex count)`,
      "",
      "| Tool | Median | MB/s | Babel time / this time (same source-map setting) |",
      "|---|---:|---:|---:|",
    );
    const babelMap = rows.find((r) => r.id === "babel-map");
    for (const row of rows) {
      const reference = row.id === "cli-map" || row.id === "wasm" ? babelMap : babel;
      const ratio = row.id.startsWith("babel") ? "—" : `${fmtRatio(reference.ms / row.ms)}× (vs ${reference.id})`;
      out.push(`| ${row.label} | ${fmtMs(row.ms)} ms | ${row.mbps.toFixed(1)} | ${ratio} |`);
    }
    out.push("", `- MB = 10^6 bytes of input. CLI: median of 9 runs after 1 warm-up, wall time of the whole process. wasm: median of 7 after 1 warm-up, in-process. Babel: median of 5 (maps off after 1 warm-up; maps on after that). Ratios of the wasm row are against Babel with maps, since \`transform()\` always builds a map.`);
    for (const note of notes) out.push(`- ${note}`);
    out.push(`- Runs (ms): ${rows.map((r) => `${r.id} ${r.samples.map((s) => s.toFixed(0)).join(" ")}`).join(" · ")}`);
  }
  if (loop) {
    const { results, failures } = loop;
    const loopIds = ["value", "promise"];
    const titles = { value: "`await i` (plain value) ×10^5", promise: "`await resolved` (resolved promise) ×10^5" };
    out.push("", "### Await loop in Chromium, inside `v.run(...)`", "", `| Loop | ${VARIANTS.join(" | ")} |`, `|---|${VARIANTS.map(() => "---:").join("|")}|`);
    const notes = [];
    for (const id of loopIds) {
      const base = results.native?.rows.find((r) => r.id === id);
      const cells = [titles[id]];
      for (const name of VARIANTS) {
        const row = results[name]?.rows.find((r) => r.id === id);
        if (!results[name]) cells.push("error");
        else if (!row) cells.push("—");
        else if (row.status === "n/a") {
          notes.push(`${name}, ${id}: ${row.reason}`);
          cells.push(`n/a [${notes.length}]`);
        } else {
          let text = `${fmtMs(row.ms)} ms (${((row.ms * 1e6) / row.n).toFixed(0)} ns/await)`;
          if (name !== "native" && base?.status === "ok") text += ` ${fmtRatio(row.ms / base.ms)}× native`;
          const withPolyfill = results["native+polyfill"]?.rows.find((r) => r.id === id);
          if (name === "transform" && withPolyfill?.status === "ok") text += `, ${fmtRatio(row.ms / withPolyfill.ms)}× native+polyfill`;
          text += row.lost === 0 ? ", value kept" : `, value lost ${row.lost}/${row.n}`;
          cells.push(text);
        }
      }
      out.push(`| ${cells.join(" | ")} |`);
    }
    const ours = (id) => results.transform?.rows.find((r) => r.id === id);
    const babel = (id) => results["babel+simple-async-context"]?.rows.find((r) => r.id === id);
    const policy = Object.values(results).find((r) => r?.policy)?.policy;
    out.push(
      "",
      `- Each figure: median of all timed runs of ${ROUNDS} rounds (variants in turn, a fresh browser context each time); per round: ${policy}. The loop source is \`www/bench/transform-loop.js\`; it reads \`v.get()\` after every await in every variant.`,
      "- native: the source as written, no polyfill, `v` is a plain global slot (nothing propagates). native+polyfill: same source with `/pkg/asynccontext.global.js` (native await loses the context: the overhead baseline). transform: the source through our CLI, with our polyfill; checked to keep the value after every await before timing. babel+simple-async-context: the source through Babel async-to-generator (helpers inlined), with simple-async-context bundled by esbuild; checked likewise.",
    );
    const compare = loopIds
      .map((id) => (ours(id)?.status === "ok" && babel(id)?.status === "ok" ? `${id}: transform / babel = ${fmtRatio(ours(id).ms / babel(id).ms)}` : null))
      .filter(Boolean);
    if (compare.length) out.push(`- ${compare.join(" · ")} (below 1 means our transform is faster)`);
    out.push(`- Round medians (ms): ${VARIANTS.filter((n) => results[n]).map((n) => `${n}: ${results[n].rows.filter((r) => r.status === "ok").map((r) => `${r.id} ${r.roundMedians.map(fmtMs).join("/")}`).join(", ")}`).join(" · ")}`);
    notes.forEach((text, i) => out.push(`- [${i + 1}] ${text}`));
    if (failures.length) out.push("", "Errors:", ...failures.map((f) => `- ${f}`));
  }
  return out.join("\n") + "\n";
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const argv = process.argv.slice(2);
  let only = null;
  let prepareOnly = false;
  let serve = null;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--prepare") prepareOnly = true;
    else if (argv[i] === "--only" && ["throughput", "loop"].includes(argv[i + 1])) only = argv[++i];
    else if (argv[i] === "--serve") serve = /^\d+$/.test(argv[i + 1] ?? "") ? Number(argv[++i]) : 8080;
    else throw new BenchError(`unknown argument ${argv[i]} (see the comment at the top of scripts/bench-transform.mjs)`);
  }
  await prepare();
  if (prepareOnly) return 0;
  if (serve !== null) {
    const server = await startServer(serve);
    const { port } = server.address();
    for (const name of VARIANTS) log(`  http://127.0.0.1:${port}/www/bench-transform.html?variant=${encodeURIComponent(name)}`);
    return new Promise(() => {});
  }
  const loadAtStart = loadavg()[0];
  const throughput = only === "loop" ? null : runThroughput();
  const loop = only === "throughput" ? null : await runLoop();
  const header = [
    "## Transform benchmark",
    "",
    `Date: ${new Date().toISOString()} · ${loop ? `Chromium ${loop.version} (headless) · ` : ""}node ${process.version} · ${cpus().length} CPUs, 1-min load average ${loadAtStart.toFixed(2)} at start / ${loadavg()[0].toFixed(2)} at end`,
    `Versions: ${Object.entries(PEERS).map(([n, v]) => `${n} ${v}`).join(" · ")} · our transform: release CLI \`target/release/asynccontext-transform\` and \`transform/pkg/node\``,
  ];
  const text = report({ throughput, loop, header });
  process.stdout.write(text);
  writeFileSync(join(ROOT, "bench-transform-results.md"), text);
  log("(table also written to bench-transform-results.md)");
  return loop?.failures.length ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(`bench-transform failed: ${error instanceof BenchError ? error.message : error.stack || error}`);
    process.exitCode = 1;
  },
);
