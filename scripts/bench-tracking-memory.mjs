#!/usr/bin/env node
// Memory of task tracking under async recursion, in headless Chromium (the tracking build):
//
//   node scripts/bench-tracking-memory.mjs [--chains N] [--steps N]
//
// Runs N chains of self-rescheduling timers (default 1000 × 1000 = 10^6 timers) inside one tracker,
// and the same number of chains alternating setTimeout → queueMicrotask → setTimeout (which folding
// cannot collapse, so compaction bounds them), and N transformed async functions of N awaits each
// (`await null`), sampling the live call-graph nodes and the JS heap while they run. Prints a markdown table; needs `npm run build` first. Figures, not assertions:
// the bounded-memory tests are tests/browser/specs/tracking-memory.spec.js.

import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { launchChromium } from "./chromium.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const arg = (name, fallback) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const CHAINS = arg("--chains", 1000);
const STEPS = arg("--steps", 1000);

function startServer() {
  const server = spawn(process.execPath, [join(ROOT, "scripts/serve.mjs")], { env: { ...process.env, PORT: "0" }, stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    server.on("error", reject);
    server.stdout.on("data", (data) => {
      const match = String(data).match(/http:\/\/[^/\s]+/);
      if (match) resolve({ origin: match[0], stop: () => server.kill() });
    });
  });
}

// Runs in the page. `shape` is "same" (setTimeout → setTimeout) or "alternating".
async function scenario({ chains, steps, shape, tracked }) {
  const hooks = globalThis.__ASYNCCONTEXT_TEST_HOOKS__;
  const { Tracker } = AsyncContext.experimental;
  const settle = async () => {
    for (let i = 0; i < 5; i++) {
      gc();
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  await settle();
  const baseline = hooks.liveTaskNodes();
  const heapBefore = performance.memory.usedJSHeapSize;
  let peakNodes = 0;
  let peakHeap = 0;
  let timers = 0;
  let finished = 0;
  const counts = { scheduled: 0, after: 0 };
  const tracker = new Tracker({ scheduled: () => counts.scheduled++, after: () => counts.after++ });
  const start = performance.now();
  const sampler = setInterval(() => {
    peakNodes = Math.max(peakNodes, hooks.liveTaskNodes());
    peakHeap = Math.max(peakHeap, performance.memory.usedJSHeapSize);
  }, 25);
  let stackDepth = 0;
  // The live heap after a full GC, each time chain 0 is another quarter of the way through.
  const heapAfterGc = [];
  const quarter = Math.max(1, Math.floor(steps / 4));
  await new Promise((resolve) => {
    const step = (id, left) => {
      if (left < steps) timers++;
      if (id === 0 && left < steps && left % quarter === 0) {
        gc();
        heapAfterGc.push((performance.memory.usedJSHeapSize - heapBefore) / 1e6);
      }
      if (left === 0) {
        if (stackDepth === 0 && tracked) stackDepth = AsyncContext.experimental.asyncStack().length;
        if (++finished === chains) resolve();
        return;
      }
      if (shape === "same") setTimeout(() => step(id, left - 1), 0);
      else setTimeout(() => queueMicrotask(() => step(id, left - 1)), 0);
    };
    const begin = () => {
      for (let i = 0; i < chains; i++) step(i, steps);
    };
    if (tracked) tracker.run(begin);
    else begin();
  });
  const elapsed = performance.now() - start;
  clearInterval(sampler);
  if (tracked) await tracker.whenIdle();
  await settle();
  return {
    shape,
    tracked,
    chains,
    steps,
    timers,
    ms: elapsed,
    baseline,
    peakNodes,
    after: hooks.liveTaskNodes(),
    heapGrowthMb: (peakHeap - heapBefore) / 1e6,
    heapAfterGc,
    stackDepth,
    tasks: counts.scheduled,
  };
}

// The await row: CHAINS transformed async functions of STEPS awaits each, run in the page as a
// classic script through the await transform (transform/pkg/node), so every await is a suspension the
// tracker sees (an "await" task each; consecutive ones fold).
const AWAIT_SCENARIO = `globalThis.awaitScenario = async function ({ chains, steps, tracked }) {
  const hooks = globalThis.__ASYNCCONTEXT_TEST_HOOKS__;
  const { Tracker, asyncStack } = AsyncContext.experimental;
  const settle = async () => {
    for (let i = 0; i < 5; i++) {
      gc();
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  await settle();
  const baseline = hooks.liveTaskNodes();
  const heapBefore = performance.memory.usedJSHeapSize;
  let peakNodes = 0;
  let peakHeap = 0;
  let awaits = 0;
  let stackDepth = 0;
  const heapAfterGc = [];
  const quarter = Math.max(1, Math.floor(steps / 4));
  const counts = { scheduled: 0, after: 0 };
  const tracker = new Tracker({ scheduled: () => counts.scheduled++, after: () => counts.after++ });
  const sample = () => {
    peakNodes = Math.max(peakNodes, hooks.liveTaskNodes());
    peakHeap = Math.max(peakHeap, performance.memory.usedJSHeapSize);
  };
  const chain = async (id) => {
    for (let i = 0; i < steps; i++) {
      await null;
      awaits++;
      if (id === 0 && i % quarter === quarter - 1) {
        sample();
        gc();
        heapAfterGc.push((performance.memory.usedJSHeapSize - heapBefore) / 1e6);
      }
    }
    if (id === 0 && tracked) stackDepth = asyncStack().length;
  };
  const start = performance.now();
  const all = () => {
    const out = [];
    for (let i = 0; i < chains; i++) out.push(chain(i));
    return Promise.all(out);
  };
  await (tracked ? tracker.run(all) : all());
  const elapsed = performance.now() - start;
  sample();
  if (tracked) await tracker.whenIdle();
  await settle();
  return {
    shape: "await",
    tracked,
    chains,
    steps,
    timers: awaits,
    ms: elapsed,
    baseline,
    peakNodes,
    after: hooks.liveTaskNodes(),
    heapGrowthMb: (peakHeap - heapBefore) / 1e6,
    heapAfterGc,
    stackDepth,
    tasks: counts.scheduled,
  };
};`;
const require = createRequire(import.meta.url);
const { transform } = require(join(ROOT, "transform/pkg/node/asynccontext_transform.js"));
const awaitScenario = transform(AWAIT_SCENARIO, { filename: "await-scenario.js", sourceKind: "script" }).code;

const server = await startServer();
const browser = await launchChromium({ headless: true, args: ["--enable-precise-memory-info"] });
const rows = [];
try {
  for (const [shape, tracked] of [
    ["same", false],
    ["same", true],
    ["alternating", false],
    ["alternating", true],
    ["await", false],
    ["await", true],
  ]) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.addInitScript(() => {
      globalThis.__ASYNCCONTEXT_TEST_HOOKS__ = true;
    });
    await page.goto(`${server.origin}/www/graph.html`);
    process.stderr.write(`tracking memory: ${shape} chains, ${tracked ? "tracked" : "untracked"} …\n`);
    if (shape === "await") {
      await page.addScriptTag({ content: awaitScenario });
      rows.push(await page.evaluate((options) => globalThis.awaitScenario(options), { chains: CHAINS, steps: STEPS, tracked }));
    } else rows.push(await page.evaluate(scenario, { chains: CHAINS, steps: STEPS, shape, tracked }));
    await context.close();
  }
} finally {
  await browser.close();
  server.stop();
}

const fmt = (n) => n.toLocaleString("en-US");
console.log(`## Task tracking under async recursion (${new Date().toISOString()})\n`);
console.log("| Chains | Tracker | Timer callbacks (awaits) | Time | Tasks seen | Peak live graph nodes | Graph nodes after, GC'd (baseline) | asyncStack() length at the end | JS heap growth after GC at 1/4, 1/2, 3/4, end | Peak JS heap growth (with garbage) |");
console.log("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
for (const r of rows) {
  const chain = { same: "setTimeout → setTimeout", alternating: "setTimeout → queueMicrotask → setTimeout", await: "`await null` in a transformed async function" }[r.shape];
  console.log(
    `| ${fmt(r.chains)} × ${fmt(r.steps)} ${chain} | ${r.tracked ? "on" : "none"} | ${fmt(r.timers)} | ${(r.ms / 1000).toFixed(1)} s | ${r.tracked ? fmt(r.tasks) : "—"} | ${r.tracked ? fmt(r.peakNodes) : "—"} | ${fmt(r.after)} (${fmt(r.baseline)}) | ${r.tracked ? r.stackDepth : "—"} | ${r.heapAfterGc.map((mb) => mb.toFixed(1)).join(" / ")} MB | ${r.heapGrowthMb.toFixed(1)} MB |`,
  );
}
