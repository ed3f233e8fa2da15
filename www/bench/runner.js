// Measurement engine shared by www/bench.html (a person) and scripts/bench.mjs (headless).
// Loads one implementation into this page, checks each scenario, then times it: warm-up runs,
// then repetitions (see SAMPLING_POLICY); the figure is the median. Nothing here asserts on timings.

import { now, nextTask, collectGarbage } from "./intrinsics.js";
import { SCENARIOS } from "./scenarios.js";
import { IMPLEMENTATIONS } from "./impls.js";

const WARMUPS = 2;
const MIN_SAMPLES = 5; // when the row is fast enough to afford them
const MAX_SAMPLES = 31;
const TARGET_MS = 1500; // stop once this much time was spent timing and MIN_SAMPLES were taken
const BUDGET_MS = 6000; // slow rows stop here, with at least 3 samples
export const SAMPLING_POLICY =
  `median of ${MIN_SAMPLES}–${MAX_SAMPLES} timed runs per row (runs repeat until ${TARGET_MS / 1000} s were spent; ` +
  `slow rows stop after ${BUDGET_MS / 1000} s with at least 3), after ${WARMUPS} warm-up runs; ` +
  `gc() (when exposed) and two empty macrotasks before every run`;

// Repo root, from this module's location (www/bench/runner.js).
export const ROOT_URL = new URL("../../", import.meta.url);

function loadClassicScript(url) {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = url;
    script.onload = () => resolve();
    script.onerror = () => reject(new Error(`could not load ${url} (missing file? see scripts/bench.mjs --prepare)`));
    document.head.append(script);
  });
}

// Loads the implementation's file and returns its api. Throws with a clear message on failure.
export async function loadImplementation(name) {
  const impl = IMPLEMENTATIONS[name];
  if (!impl) throw new Error(`unknown implementation "${name}"`);
  if (impl.file) {
    // A classic script's uncaught error does not reject onload; catch it here.
    let scriptError;
    const onError = (event) => {
      scriptError = event.error || new Error(event.message);
    };
    window.addEventListener("error", onError);
    try {
      await loadClassicScript(new URL(impl.file, ROOT_URL).href);
    } finally {
      window.removeEventListener("error", onError);
    }
    if (scriptError) throw new Error(`${impl.file} threw while loading: ${scriptError.message}`);
  }
  return impl.setup();
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function settle() {
  collectGarbage();
  await nextTask();
  await nextTask();
}

function errorMessage(error) {
  return error && error.message ? error.message : String(error);
}

// Whether `api` can run scenario `id`: { status: "ok", note? } after its correctness check passed,
// else { status: "skip" | "n/a", reason }. Also gives the scenario's title and n.
export async function checkScenario(api, id) {
  const scenario = scenarioById(id);
  const about = { id, title: scenario.title, n: scenario.n };
  if (!scenario.platform && !api.propagates) return { ...about, status: "skip", reason: "no context API" };
  let check;
  try {
    await settle();
    check = await scenario.check(api);
  } catch (error) {
    check = { error: `correctness check threw: ${errorMessage(error)}` };
  }
  if (check.error) return { ...about, status: "n/a", reason: check.error };
  return { ...about, status: "ok", note: check.note || undefined };
}

// One timed run of scenario `id` (after gc() and two empty macrotasks): elapsed milliseconds.
export async function timeScenario(api, id) {
  const scenario = scenarioById(id);
  await settle();
  return api.around ? api.around(() => scenario.run(api, scenario.n)) : scenario.run(api, scenario.n);
}

export const SCENARIO_IDS = SCENARIOS.map((scenario) => scenario.id);

function scenarioById(id) {
  const scenario = SCENARIOS.find((s) => s.id === id);
  if (!scenario) throw new Error(`unknown scenario "${id}"`);
  return scenario;
}

// Runs every scenario against `api`, one after another (www/bench.html opened by a person;
// scripts/bench.mjs interleaves implementations through checkScenario/timeScenario instead).
// onProgress(text) is told what is running.
export async function runScenarios(api, onProgress = () => {}) {
  const rows = [];
  for (const { id } of SCENARIOS) {
    onProgress(`checking ${id}`);
    const checked = await checkScenario(api, id);
    if (checked.status !== "ok") {
      rows.push(checked);
      continue;
    }
    const samples = [];
    try {
      for (let i = 0; i < WARMUPS; i++) {
        onProgress(`warming up ${id}`);
        const elapsed = await timeScenario(api, id);
        if (elapsed > BUDGET_MS / 4) break; // slow enough that one warm-up is plenty
      }
      const started = now();
      while (samples.length < MAX_SAMPLES) {
        const spent = now() - started;
        if (samples.length >= MIN_SAMPLES && spent >= TARGET_MS) break;
        if (samples.length >= 3 && spent >= BUDGET_MS) break;
        onProgress(`timing ${id} (${samples.length + 1})`);
        samples.push(await timeScenario(api, id));
      }
    } catch (error) {
      rows.push({ ...checked, status: "n/a", reason: `timed run failed: ${errorMessage(error)}` });
      continue;
    }
    rows.push({ ...checked, ms: median(samples), samples });
  }
  return rows;
}

// Raw and gzip size of the implementation's file as this page fetches it. The browser's gzip
// (CompressionStream) has no level setting; scripts/bench.mjs reports gzip -9 instead.
export async function measureSize(name) {
  const impl = IMPLEMENTATIONS[name];
  if (!impl.file) return null;
  const response = await fetch(new URL(impl.file, ROOT_URL));
  if (!response.ok) throw new Error(`fetch ${impl.file}: HTTP ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  let gzip = null;
  if (typeof CompressionStream === "function") {
    const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip"));
    gzip = (await new Response(stream).arrayBuffer()).byteLength;
  }
  return { file: impl.file, raw: bytes.byteLength, gzip };
}
