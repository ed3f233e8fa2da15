#!/usr/bin/env node
// Benchmark of the paths of a *captured* context (the ones `npm run bench` barely touches): get()
// in a context a Snapshot captured (own binding and 20 variables), the first capture of a context,
// and restoring one. Compares builds side by side, interleaved round by round, in headless Chromium
// (a fresh browser context per build and round).
//
//   node scripts/bench-captured.mjs                       this build (pkg/asynccontext.global.js)
//   node scripts/bench-captured.mjs before=/path/a.js     plus another global build, e.g. main's
//   node scripts/bench-captured.mjs --rounds 7            rounds (default 5); the median is printed
//
// Timings are printed, never asserted.

import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium } from "./chromium.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

function parseArgs(argv) {
  const builds = [];
  let rounds = 5;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--rounds") rounds = Number(argv[++i]);
    else {
      const at = argv[i].indexOf("=");
      if (at <= 0) throw new Error(`expected label=path, got ${argv[i]}`);
      builds.push({ label: argv[i].slice(0, at), file: resolve(argv[i].slice(at + 1)) });
    }
  }
  builds.push({ label: "this build", file: join(ROOT, "pkg/asynccontext.global.js") });
  if (!(rounds >= 1)) throw new Error("--rounds must be at least 1");
  return { builds, rounds };
}

// Runs in the page. Each scenario returns ns per operation and checks its own sum.
const SCENARIOS = {
  "get() ×10^6 in a captured context, own binding": () => {
    const v = new AsyncContext.Variable();
    const receivers = [v, v, v, v];
    return v.run(1, () => {
      new AsyncContext.Snapshot(); // captures the current context
      let sum = 0;
      const start = performance.now();
      for (let i = 0; i < 1e6; i++) sum += receivers[i & 3].get();
      const elapsed = performance.now() - start;
      if (sum !== 1e6) throw new Error("wrong sum");
      return (elapsed * 1e6) / 1e6;
    });
  },
  "get() ×10^6 in Snapshot.run, 20 variables": () => {
    const variables = Array.from({ length: 20 }, () => new AsyncContext.Variable());
    const bindAll = (k, fn) => (k === 20 ? fn() : variables[k].run(k + 1, () => bindAll(k + 1, fn)));
    const snapshot = bindAll(0, () => new AsyncContext.Snapshot());
    return snapshot.run(() => {
      let sum = 0;
      const start = performance.now();
      for (let r = 0; r < 5e4; r++) for (let k = 0; k < 20; k++) sum += variables[k].get();
      const elapsed = performance.now() - start;
      if (sum !== 5e4 * 210) throw new Error("wrong sum");
      return (elapsed * 1e6) / 1e6;
    });
  },
  "first capture: v.run(i, () => new Snapshot()) ×10^5": () => {
    const v = new AsyncContext.Variable();
    const keep = new Array(100);
    const make = () => new AsyncContext.Snapshot();
    const start = performance.now();
    for (let i = 0; i < 1e5; i++) keep[i % 100] = v.run(i, make);
    const elapsed = performance.now() - start;
    return (elapsed * 1e6) / 1e5;
  },
  "restore: snapshot.run(f) ×10^6, f calls get()": () => {
    const v = new AsyncContext.Variable();
    const snapshot = v.run(2, () => new AsyncContext.Snapshot());
    const read = () => v.get();
    let sum = 0;
    const start = performance.now();
    for (let i = 0; i < 1e6; i++) sum += snapshot.run(read);
    const elapsed = performance.now() - start;
    if (sum !== 2e6) throw new Error("wrong sum");
    return (elapsed * 1e6) / 1e6;
  },
};

async function runRound(browser, build) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.setContent("<!doctype html><title>bench-captured</title>");
    await page.addScriptTag({ content: readFileSync(build.file, "utf8") });
    const out = {};
    for (const [name, fn] of Object.entries(SCENARIOS)) {
      const samples = await page.evaluate(async (source) => {
        const scenario = (0, eval)(`(${source})`);
        const times = [];
        for (let i = 0; i < 7; i++) {
          if (typeof gc === "function") gc();
          await new Promise((r) => setTimeout(r, 0));
          times.push(scenario());
        }
        return times.slice(2); // two warm-up runs
      }, fn.toString());
      samples.sort((a, b) => a - b);
      out[name] = samples[samples.length >> 1];
    }
    return out;
  } finally {
    await context.close();
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

const { builds, rounds } = parseArgs(process.argv.slice(2));
const browser = await launchChromium();
const results = builds.map(() => ({}));
try {
  for (let r = 0; r < rounds; r++) {
    for (let b = 0; b < builds.length; b++) {
      const round = await runRound(browser, builds[b]);
      for (const [name, ns] of Object.entries(round)) (results[b][name] ??= []).push(ns);
      console.error(`round ${r + 1}/${rounds}: ${builds[b].label} done`);
    }
  }
} finally {
  await browser.close();
}

const last = builds.length - 1;
const ratioHeader = builds.length > 1 ? ` ${builds[last].label} / ${builds[0].label} |` : "";
console.log(`| Scenario (ns/op, median of ${rounds} rounds) | ${builds.map((b) => b.label).join(" | ")} |${ratioHeader}`);
console.log(`|---|${builds.map(() => "---:").join("|")}|${builds.length > 1 ? "---:|" : ""}`);
for (const name of Object.keys(SCENARIOS)) {
  const medians = results.map((r) => median(r[name]));
  const ratio = builds.length > 1 ? ` ${(medians[last] / medians[0]).toFixed(2)}× |` : "";
  console.log(`| ${name} | ${medians.map((m) => m.toFixed(1)).join(" | ")} |${ratio}`);
}
