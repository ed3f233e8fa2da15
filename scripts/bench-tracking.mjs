#!/usr/bin/env node
// Per-reaction cost of task tracking, in headless Chromium (the tracking build):
//
//   node scripts/bench-tracking.mjs [--n 100000] [--rounds 5] [--builds a.js,b.js]
//
// Times a chain of `n` `.then` links (each reaction a task when tracked) untracked, inside
// tracker.run with no hooks, and inside tracker.run with all four hooks set (counting calls), in
// turn in every round (fresh page each time), and prints the median per-reaction cost of each and
// the tracked columns' cost over the untracked one, side by side. `--builds` compares several
// tracking builds (classic scripts, default pkg/asynccontext.tracking.global.js) in the same run,
// interleaved, e.g. a copy of an earlier build against the current one. Needs `npm run build`.

import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium } from "./chromium.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const arg = (name, fallback) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : fallback;
};
const N = Number(arg("--n", 100000));
const ROUNDS = Number(arg("--rounds", 5));
const BUILDS = arg("--builds", "pkg/asynccontext.tracking.global.js")
  .split(",")
  .map((file) => resolve(ROOT, file));
const MODES = ["untracked", "tracked, no hooks", "tracked, 4 hooks"];

// Runs in the page: median ms of `runs` timed chains after warm-up, in the given mode.
async function measure({ n, mode }) {
  const { Tracker } = AsyncContext.experimental;
  const counts = [0, 0, 0, 0];
  const tracker =
    mode === "tracked, 4 hooks"
      ? new Tracker({ scheduled: () => counts[0]++, before: () => counts[1]++, after: () => counts[2]++, cancelled: () => counts[3]++ })
      : new Tracker();
  const increment = (x) => x + 1;
  const chain = () => {
    let p = Promise.resolve(0);
    for (let i = 0; i < n; i++) p = p.then(increment);
    return p;
  };
  const once = async () => {
    if (typeof gc === "function") gc();
    await new Promise((r) => setTimeout(r, 0));
    const start = performance.now();
    const result = await (mode === "untracked" ? chain() : tracker.run(chain));
    const ms = performance.now() - start;
    if (result !== n) throw new Error(`chain ended at ${result}`);
    return ms;
  };
  for (let i = 0; i < 3; i++) await once();
  const times = [];
  for (let i = 0; i < 9; i++) times.push(await once());
  times.sort((a, b) => a - b);
  if (mode !== "untracked") await tracker.whenIdle();
  return times[times.length >> 1];
}

const nameOf = (build) => (build.startsWith(ROOT + "/") ? build.slice(ROOT.length + 1) : build);
const browser = await launchChromium({ headless: true });
const results = new Map(); // `${build}|${mode}` -> [ms per round]
try {
  for (let round = 1; round <= ROUNDS; round++) {
    for (const build of BUILDS) {
      for (const mode of MODES) {
        const context = await browser.newContext();
        const page = await context.newPage();
        await page.goto("about:blank");
        await page.addScriptTag({ path: build });
        process.stderr.write(`round ${round}/${ROUNDS}: ${nameOf(build)} ${mode}\n`);
        const ms = await page.evaluate(measure, { n: N, mode });
        const key = `${build}|${mode}`;
        results.set(key, [...(results.get(key) ?? []), ms]);
        await context.close();
      }
    }
  }
} finally {
  await browser.close();
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const ns = (ms) => ((ms * 1e6) / N).toFixed(0);
console.log(`## Tracked promise reactions (${new Date().toISOString()}, ${N.toLocaleString("en-US")} \`.then\` links, median of ${ROUNDS} rounds)\n`);
console.log(`| Build | ${MODES.map((m) => `${m} (ns/reaction)`).join(" | ")} | over untracked: no hooks / 4 hooks |`);
console.log(`|---|${MODES.map(() => "---:").join("|")}|---:|`);
for (const build of BUILDS) {
  const [u, t0, t4] = MODES.map((m) => median(results.get(`${build}|${m}`)));
  console.log(`| ${nameOf(build)} | ${ns(u)} | ${ns(t0)} | ${ns(t4)} | ${ns(t0 - u)} / ${ns(t4 - u)} ns |`);
}
