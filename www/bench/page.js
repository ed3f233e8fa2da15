// www/bench.html: runs the scenarios for the implementation named by ?impl= and shows a table.
// scripts/bench.mjs opens the same page and reads window.__bench once window.__benchDone is true.
// (Imported first, intrinsics.js captures the timing and yielding functions before any
// implementation script is loaded.)

import { IMPLEMENTATIONS, IMPLEMENTATION_NAMES } from "./impls.js";
import { loadImplementation, runScenarios, measureSize, checkScenario, timeScenario, SAMPLING_POLICY, SCENARIO_IDS } from "./runner.js";

const $ = (selector) => document.querySelector(selector);

function formatMs(ms) {
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}

function cell(row, text) {
  const td = document.createElement("td");
  td.textContent = text;
  row.append(td);
  return td;
}

function renderLinks(active) {
  const nav = $("#impls");
  for (const name of IMPLEMENTATION_NAMES) {
    const link = document.createElement("a");
    link.href = `?impl=${encodeURIComponent(name)}`;
    link.textContent = name;
    if (name === active) link.setAttribute("aria-current", "page");
    link.title = IMPLEMENTATIONS[name].description;
    nav.append(link, " ");
  }
}

function renderRows(rows) {
  const body = $("#results tbody");
  body.replaceChildren();
  for (const result of rows) {
    const tr = document.createElement("tr");
    cell(tr, result.title);
    if (result.status === "ok") {
      cell(tr, `${formatMs(result.ms)} ms`);
      cell(tr, `${((result.ms * 1e6) / result.n).toFixed(1)} ns`);
      cell(tr, result.samples.map(formatMs).join(", "));
      cell(tr, result.note || "");
    } else {
      cell(tr, result.status === "skip" ? "—" : "n/a");
      cell(tr, "");
      cell(tr, "");
      cell(tr, result.reason);
    }
    body.append(tr);
  }
}

function renderSize(size) {
  const body = $("#results tbody");
  const tr = document.createElement("tr");
  cell(tr, "Bundle size (raw / gzip, browser CompressionStream)");
  cell(tr, size ? `${size.raw} B / ${size.gzip ?? "?"} B` : "—");
  cell(tr, "");
  cell(tr, "");
  cell(tr, size ? size.file : "no file");
  body.append(tr);
}

async function main() {
  const params = new URLSearchParams(location.search);
  const name = params.get("impl");
  renderLinks(name);
  const status = $("#status");
  if (!name) {
    status.textContent = "Pick an implementation above to run the benchmark in this page.";
    window.__benchDone = true;
    return;
  }
  window.__bench = { impl: name, userAgent: navigator.userAgent, policy: SAMPLING_POLICY, gc: typeof gc === "function" };
  try {
    if (!IMPLEMENTATIONS[name]) throw new Error(`unknown implementation "${name}"`);
    $("#impl-name").textContent = `${name}: ${IMPLEMENTATIONS[name].description}`;
    status.textContent = `loading ${name}…`;
    const api = await loadImplementation(name);
    window.__bench.version = api.version;
    if (params.has("driven")) {
      // scripts/bench.mjs keeps one such page per implementation open and times them in turn.
      window.__benchDriver = { scenarios: SCENARIO_IDS, check: (id) => checkScenario(api, id), time: (id) => timeScenario(api, id) };
      status.textContent = "driven by scripts/bench.mjs";
      return;
    }
    const rows = await runScenarios(api, (text) => {
      status.textContent = `${text}…`;
    });
    window.__bench.rows = rows;
    renderRows(rows);
    if (!params.has("nosize")) {
      const size = await measureSize(name);
      window.__bench.size = size;
      renderSize(size);
    }
    const gcHint = typeof gc === "function" ? "" : " gc() is not exposed here: start Chromium with --js-flags=--expose-gc for steadier figures.";
    status.textContent = `Done: ${SAMPLING_POLICY}.${gcHint}`;
  } catch (error) {
    window.__bench.error = error && error.message ? error.message : String(error);
    status.textContent = `error: ${window.__bench.error}`;
  } finally {
    window.__benchDone = true;
  }
}

main();
