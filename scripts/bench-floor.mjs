#!/usr/bin/env node
// How far asynccontext's promise path is from the floor, with the resolution shown beside it.
//
// `npm run bench` times each implementation once per round, so a single run of a few milliseconds
// carries the whole scheduling noise of a shared machine (one preemption doubles it): its ratios
// spread ±30–50%. This script asks a narrower question and controls for that:
// - every page visit runs the scenario K times (after warm-ups) and keeps the fastest run, the one
//   least disturbed by other processes (noise only ever adds time);
// - rounds interleave three page visits: the floor, asynccontext, and the floor again in a second,
//   independent page. The floor-against-floor ratio is the control: its spread is what this
//   machine can resolve right now, and the asynccontext ratio means something only beyond it.
// The scenarios are scripts/bench.mjs's own (www/bench/scenarios.js), rows 1 and 2 by default.
//
//   node scripts/bench-floor.mjs [--engine=chromium,firefox,webkit] [--rounds 15] [--runs 15]
//                                [--rows chain-run,chain-empty]
//
// Prints a markdown table per engine. Timings are printed, never asserted.

import { readFileSync, existsSync } from "node:fs";
import { createServer } from "node:http";
import { loadavg, cpus } from "node:os";
import { dirname, extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ENGINES, launchEngine } from "./engines.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const { IMPLEMENTATIONS } = await import(join(ROOT, "www/bench/impls.js"));
const { SCENARIOS } = await import(join(ROOT, "www/bench/scenarios.js"));
const WARMUPS = 3;
const FLOOR = "floor (then only)";
const VISITS = [
  { label: "floor", impl: FLOOR },
  { label: "asynccontext", impl: "asynccontext" },
  { label: "floor, second page", impl: FLOOR },
];

function parseArgs(argv) {
  const options = { engines: ["chromium"], rounds: 15, runs: 15, rows: ["chain-empty", "chain-run"] };
  const known = SCENARIOS.map((s) => s.id);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg.startsWith("--engine=")) options.engines = arg.slice(9).split(",").filter(Boolean);
    else if (arg === "--rounds") options.rounds = Number(argv[++i]);
    else if (arg === "--runs") options.runs = Number(argv[++i]);
    else if (arg === "--rows") options.rows = (argv[++i] ?? "").split(",").filter(Boolean);
    else throw new Error(`unknown argument ${arg}`);
  }
  const bad = options.engines.filter((name) => !ENGINES.includes(name));
  if (bad.length || !options.engines.length) throw new Error(`--engine takes ${ENGINES.join(", ")}`);
  const unknownRows = options.rows.filter((row) => !known.includes(row));
  if (unknownRows.length) throw new Error(`unknown row(s) ${unknownRows.join(", ")} (known: ${known.join(", ")})`);
  if (!(options.rounds >= 3) || !(options.runs >= 1)) throw new Error("--rounds must be at least 3 and --runs at least 1");
  return options;
}

/** The page for one visit: the implementation's classic script, then K timed runs of `row`. */
function visitPage(impl, row, runs) {
  const file = IMPLEMENTATIONS[impl].file;
  return `<!doctype html><html><head><meta charset="utf-8"><title>bench-floor</title>
${file ? `<script src="/${file}"></script>` : ""}
<script type="module">
import { IMPLEMENTATIONS } from "/www/bench/impls.js";
import { SCENARIOS } from "/www/bench/scenarios.js";
const implementation = IMPLEMENTATIONS[${JSON.stringify(impl)}];
const scenario = SCENARIOS.find((s) => s.id === ${JSON.stringify(row)});
try {
  const api = implementation.setup();
  const times = [];
  for (let i = 0; i < ${WARMUPS} + ${runs}; i++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    const ms = await scenario.run(api, scenario.n);
    if (i >= ${WARMUPS}) times.push(ms);
  }
  window.__result = { times };
} catch (error) {
  window.__result = { error: String(error && error.stack || error) };
}
</script></head><body></body></html>`;
}

const TYPES = { ".js": "text/javascript", ".mjs": "text/javascript", ".html": "text/html", ".wasm": "application/wasm" };

function startServer(options) {
  const server = createServer((request, response) => {
    const url = new URL(request.url, "http://localhost");
    const headers = { "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp", "cache-control": "no-store" };
    if (url.pathname === "/__visit") {
      response.writeHead(200, { ...headers, "content-type": "text/html" });
      return response.end(visitPage(url.searchParams.get("impl"), url.searchParams.get("row"), options.runs));
    }
    const file = normalize(join(ROOT, decodeURIComponent(url.pathname)));
    if (!file.startsWith(ROOT) || !existsSync(file) || !/^\/(www|pkg|bench-peers)\//.test(url.pathname)) {
      response.writeHead(404, headers);
      return response.end();
    }
    response.writeHead(200, { ...headers, "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
    response.end(readFileSync(file));
  });
  return new Promise((resolvePromise) => server.listen(0, "127.0.0.1", () => resolvePromise(server)));
}

async function visit(engine, baseUrl, impl, row) {
  const page = await engine.newPage();
  try {
    await page.goto(`${baseUrl}/__visit?impl=${encodeURIComponent(impl)}&row=${row}&t=${Math.random()}`);
    for (let i = 0; i < 1200; i++) {
      const result = await page.evaluate(() => window.__result ?? null);
      if (result) {
        if (result.error) throw new Error(`${impl}, ${row}: ${result.error}`);
        return Math.min(...result.times);
      }
      await new Promise((resolvePromise) => setTimeout(resolvePromise, 50));
    }
    throw new Error(`${impl}, ${row}: no result within 60 s`);
  } finally {
    await page.close();
  }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const spread = (values, digits) => `${median(values).toFixed(digits)} (${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)})`;

async function runEngine(name, options, baseUrl) {
  // Firefox: full performance.now() precision and no background-tab timer clamps (as scripts/bench.mjs).
  const prefs = {
    "privacy.reduceTimerPrecision": false,
    "dom.min_background_timeout_value": 4,
    "dom.min_background_timeout_value_without_budget_throttling": 4,
    "dom.timeout.enable_budget_timer_throttling": false,
  };
  const engine = await launchEngine(name, { prefs });
  const load = loadavg()[0];
  const lines = [];
  try {
    const titles = Object.fromEntries(SCENARIOS.map((s) => [s.id, s.title]));
    lines.push(`## ${name}: ${options.rounds} rounds × 3 visits, fastest of ${options.runs} runs per visit`, "");
    lines.push("| Row | floor | asynccontext | floor, second page | asynccontext / floor | control: second floor / floor |", "|---|---:|---:|---:|---:|---:|");
    for (const row of options.rows) {
      const times = VISITS.map(() => []);
      for (let round = 0; round < options.rounds; round++) {
        for (let k = 0; k < VISITS.length; k++) {
          const index = (k + round) % VISITS.length;
          times[index].push(await visit(engine, baseUrl, VISITS[index].impl, row));
        }
      }
      const ratio = (a, b) => times[a].map((t, i) => t / times[b][i]);
      lines.push(`| ${titles[row] ?? row} | ${spread(times[0], 2)} ms | ${spread(times[1], 2)} ms | ${spread(times[2], 2)} ms | ${spread(ratio(1, 0), 3)}× | ${spread(ratio(2, 0), 3)}× |`);
    }
  } finally {
    await engine.close();
  }
  lines.push("", `${cpus().length} CPUs, 1-min load average ${load.toFixed(2)} at start, ${loadavg()[0].toFixed(2)} at end. Cells: median (min–max) over the rounds of each visit's fastest run; ratios are taken within a round.`);
  return lines.join("\n");
}

const options = parseArgs(process.argv.slice(2));
const server = await startServer(options);
const baseUrl = `http://127.0.0.1:${server.address().port}`;
try {
  for (const name of options.engines) console.log(`${await runEngine(name, options, baseUrl)}\n`);
} finally {
  server.closeAllConnections();
  server.close();
}
