#!/usr/bin/env node
// Where the polyfill's start-up time goes: loads a classic script inlined in <head> of a fresh
// page, N times, under Chromium's CPU profiler (CDP Profiler domain, 100 µs sampling), and prints
// the evaluation time (median) and the functions with the most self time, averaged over the runs.
// Chromium only (the profiler is CDP); scripts/bench.mjs rows 0a–0c give the comparison.
//
//   node scripts/profile-startup.mjs [file] [--runs N] [--top N]
//
// `file` defaults to pkg/asynccontext.global.js. Minified names are printed with their column;
// profile an unminified bundle for readable names, e.g.
//   npx esbuild js-shim/global.js --bundle --format=iife --banner:js='"use strict";' --outfile=/tmp/ac.js

import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium } from "./chromium.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  if (at < 0) return fallback;
  const [, value] = args.splice(at, 2);
  return Number(value);
};
const runs = option("--runs", 9);
const top = option("--top", 20);
const file = resolve(args[0] ?? join(ROOT, "pkg/asynccontext.global.js"));
const source = readFileSync(file, "utf8").replace(/<\/(script)/gi, "<\\/$1");
const html = `<!doctype html><html><head><script>window.__t0 = performance.now()</script><script>${source}</script><script>window.__t1 = performance.now()</script></head><body></body></html>`;
// Cross-origin isolated, for performance.now()'s fine resolution; 127.0.0.1 is a secure context,
// so the page has the same interfaces as the benchmark's and the tests' pages.
const URL = "http://127.0.0.1:9/startup.html";
const HEADERS = { "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp" };

const browser = await launchChromium({ headless: true });
const times = [];
const self = new Map();
try {
  for (let run = 0; run < runs; run++) {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.route(URL, (route) => route.fulfill({ body: html, contentType: "text/html", headers: HEADERS }));
      const cdp = await context.newCDPSession(page);
      await cdp.send("Profiler.enable");
      await cdp.send("Profiler.setSamplingInterval", { interval: 100 });
      await cdp.send("Profiler.start");
      await page.goto(URL);
      times.push(await page.evaluate(() => window.__t1 - window.__t0));
      const { profile } = await cdp.send("Profiler.stop");
      const perNode = new Map();
      profile.samples.forEach((id, i) => perNode.set(id, (perNode.get(id) ?? 0) + profile.timeDeltas[i] / 1000));
      for (const node of profile.nodes) {
        const { functionName, url, lineNumber, columnNumber } = node.callFrame;
        const where = url ? `${url.split("/").pop() || "page"}:${lineNumber + 1}:${columnNumber + 1}` : "";
        const key = `${functionName || "(anonymous)"} ${where}`.trim();
        self.set(key, (self.get(key) ?? 0) + (perNode.get(node.id) ?? 0));
      }
    } finally {
      await context.close();
    }
  }
} finally {
  await browser.close();
}

times.sort((a, b) => a - b);
console.log(`${file}: evaluate median ${times[times.length >> 1].toFixed(2)} ms over ${runs} fresh pages (${times.map((t) => t.toFixed(1)).join(", ")})`);
console.log(`self time per page load, mean over the runs (includes the page's own parsing and idle time):`);
for (const [key, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${(ms / runs).toFixed(2).padStart(8)} ms  ${key}`);
