#!/usr/bin/env node
// OpenTelemetry benchmark: AsyncContextManager (asynccontext/opentelemetry) against
// ZoneContextManager (@opentelemetry/context-zone + zone.js), side by side in one run.
//
//   node scripts/bench-otel.mjs [--rounds=N]      needs `npm run build`; prints a markdown table
//
//   1. size: a minimal OpenTelemetry web app (WebTracerProvider, fetch, XHR and user-interaction
//      instrumentations, www/bench/otel-size-*.js) bundled and minified by esbuild with each
//      manager, gzip -9; the SDK's default StackContextManager (no async propagation) as the floor;
//   2. nested: 10^4 context.with (1,000 x 10 nested), a span started and ended in each
//      (www/bench/otel-app.js), per page;
//   3. flow: startActiveSpan flows of 10 awaits each; ours compiled through the await transform's
//      esbuild plugin; zone.js with native await (what loses the span), and with async functions
//      downleveled to generators (what zone.js users ship to keep it). Each row also reports how
//      many of the 10 awaits still saw the flow's span.
// Pages are loaded in one headless Chromium and the rounds interleave the variants (ours, zone
// native, zone downleveled, then again), so load drift hits them alike; a figure is the median
// over rounds. Timings are printed, never asserted. Packages come from devDependencies.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import { loadavg, cpus } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { launchChromium } from "./chromium.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const OUT = join(ROOT, "target", "bench-otel");
const ROUNDS = Number((process.argv.find((a) => a.startsWith("--rounds=")) ?? "--rounds=7").split("=")[1]);
const NESTED_TIMES = 1000; // x 10 nested = 10^4 context.with + spans
const FLOWS = 1000;
mkdirSync(OUT, { recursive: true });

const { asyncContextTransform } = await import(pathToFileURL(join(ROOT, "transform-js/esbuild.js")));
const common = { bundle: true, format: "esm", minify: true, target: "es2022", logLevel: "warning", legalComments: "none" };

// 1. Sizes.
const sizes = {};
for (const variant of ["ours", "zone", "none"]) {
  const result = await build({ ...common, entryPoints: [join(ROOT, `www/bench/otel-size-${variant}.js`)], write: false, outfile: join(OUT, `size-${variant}.js`) });
  const code = result.outputFiles.find((f) => f.path.endsWith(".js")).contents;
  sizes[variant] = { raw: code.length, gzip: gzipSync(code, { level: 9 }).length };
}

// 2-3. The pages.
const pages = {
  ours: { entry: "otel-ours.js", label: "AsyncContextManager + await transform", options: { plugins: [asyncContextTransform({ include: [join(ROOT, "www/bench")] })] } },
  "zone-native": { entry: "otel-zone.js", label: "ZoneContextManager, native await", options: {} },
  "zone-es2015": { entry: "otel-zone.js", label: "ZoneContextManager, async downleveled", options: { supported: { "async-await": false } } },
};
for (const [name, page] of Object.entries(pages)) {
  await build({ ...common, ...page.options, entryPoints: [join(ROOT, "www/bench", page.entry)], outfile: join(OUT, `${name}.js`) });
  writeFileSync(join(OUT, `${name}.html`), `<!doctype html><meta charset="utf-8"><title>${name}</title><script type="module" src="./${name}.js"></script>\n`);
}

const server = http.createServer((req, res) => {
  try {
    const file = join(OUT, new URL(req.url, "http://x").pathname);
    const body = readFileSync(file);
    res.writeHead(200, { "content-type": file.endsWith(".html") ? "text/html" : "text/javascript" });
    res.end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await launchChromium();
const tabs = {};
for (const name of Object.keys(pages)) {
  const tab = await browser.newPage();
  tab.on("pageerror", (e) => console.error(`# ${name}: ${e.message}`));
  await tab.goto(`${origin}/${name}.html`);
  await tab.waitForFunction(() => window.bench !== undefined, null, { timeout: 30_000 });
  // Warm-up.
  await tab.evaluate(async ([n, f]) => { window.bench.nested(n / 10); await window.bench.flow(f / 10); }, [NESTED_TIMES, FLOWS]);
  tabs[name] = tab;
}
const samples = Object.fromEntries(Object.keys(pages).map((n) => [n, { nested: [], flow: [], kept: 0 }]));
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, tab] of Object.entries(tabs)) {
    await tab.bringToFront();
    const r = await tab.evaluate(async ([n, f]) => ({ nested: window.bench.nested(n), flow: await window.bench.flow(f) }), [NESTED_TIMES, FLOWS]);
    samples[name].nested.push(r.nested);
    samples[name].flow.push(r.flow.ms);
    samples[name].kept = r.flow.kept;
  }
}
await browser.close();
server.close();

const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
const us = (ms, n) => `${((ms * 1000) / n).toFixed(2)} µs`;
const ratio = (a, b) => `${(a / b).toFixed(2)}x`;
const ours = samples.ours;
const lines = [
  `OpenTelemetry benchmark (Chromium ${browser.version?.() ?? ""}, ${cpus().length} cores, load ${loadavg().map((l) => l.toFixed(1)).join(" ")}, ${ROUNDS} rounds interleaved)`,
  "",
  "| Bundle: provider + fetch + XHR + user-interaction | minified | gzip -9 | gzip vs. zone.js |",
  "|---|---:|---:|---:|",
  `| AsyncContextManager (polyfill included) | ${kb(sizes.ours.raw)} | ${kb(sizes.ours.gzip)} | ${ratio(sizes.ours.gzip, sizes.zone.gzip)} |`,
  `| ZoneContextManager + zone.js | ${kb(sizes.zone.raw)} | ${kb(sizes.zone.gzip)} | 1.00x |`,
  `| SDK default (StackContextManager, no async context) | ${kb(sizes.none.raw)} | ${kb(sizes.none.gzip)} | ${ratio(sizes.none.gzip, sizes.zone.gzip)} |`,
  `| what the manager adds over the default | | ours +${kb(sizes.ours.gzip - sizes.none.gzip)}, zone +${kb(sizes.zone.gzip - sizes.none.gzip)} | |`,
  "",
  "| Workload (median) | " + Object.values(pages).map((p) => p.label).join(" | ") + " |",
  "|---|" + Object.keys(pages).map(() => "---:|").join(""),
  `| 10^4 nested context.with + span, per with | ${Object.keys(pages).map((n) => `${us(median(samples[n].nested), NESTED_TIMES * 10)}${n === "ours" ? "" : ` (ours ${ratio(median(ours.nested), median(samples[n].nested))})`}`).join(" | ")} |`,
  `| startActiveSpan flow with 10 awaits, per flow | ${Object.keys(pages).map((n) => `${us(median(samples[n].flow), FLOWS)}${n === "ours" ? "" : ` (ours ${ratio(median(ours.flow), median(samples[n].flow))})`}`).join(" | ")} |`,
  `| awaits after which the flow's span is still active | ${Object.keys(pages).map((n) => `${samples[n].kept.toFixed(0)}/10`).join(" | ")} |`,
  "",
  "Ratios: ours / theirs (below 1 = ours faster or smaller).",
];
console.log(lines.join("\n"));
