// Await-loop benchmark page (www/bench-transform.html). Loads one variant's scripts, checks that
// the variable keeps its value after every await (where the variant claims to keep it), then
// times each loop: warm-up runs, then timed runs; the figure is the median. Publishes
// window.__bench and sets window.__benchDone for scripts/bench-transform.mjs. Nothing is asserted
// on timings.

// Taken before any polyfill loads.
const now = performance.now.bind(performance);
const gc = typeof globalThis.gc === "function" ? globalThis.gc : null;

const N = 100_000;
const WARMUPS = 3;
const SAMPLES = 21;
export const POLICY = `median of ${SAMPLES} timed runs after ${WARMUPS} warm-up runs, n = ${N} awaits per run; gc() (when exposed) and one macrotask before every run`;

// A plain global slot, for the variant without any context API: nothing propagates.
class SlotVariable {
  #value;
  get() {
    return this.#value;
  }
  run(value, fn, ...args) {
    const previous = this.#value;
    this.#value = value;
    try {
      return fn(...args);
    } finally {
      this.#value = previous;
    }
  }
}

export const VARIANTS = {
  native: {
    scripts: ["/www/bench/transform-loop.js"],
    keeps: false,
    Variable: () => SlotVariable,
  },
  "native+polyfill": {
    scripts: ["/pkg/asynccontext.global.js", "/www/bench/transform-loop.js"],
    keeps: false,
    Variable: () => globalThis.AsyncContext.Variable,
  },
  transform: {
    scripts: ["/pkg/asynccontext.global.js", "/bench-peers/transform/transform-loop.ours.js"],
    keeps: true,
    Variable: () => globalThis.AsyncContext.Variable,
  },
  "babel+simple-async-context": {
    scripts: ["/bench-peers/transform/simple-async-context.iife.js", "/bench-peers/transform/transform-loop.babel.js"],
    keeps: true,
    Variable: () => globalThis.SimpleAsyncContext.Variable,
  },
};

function loadClassicScript(url) {
  return new Promise((resolve, reject) => {
    let scriptError;
    const onError = (event) => {
      scriptError = event.error || new Error(event.message);
    };
    window.addEventListener("error", onError);
    const script = document.createElement("script");
    script.src = url;
    script.onload = () => {
      window.removeEventListener("error", onError);
      scriptError ? reject(scriptError) : resolve();
    };
    script.onerror = () => {
      window.removeEventListener("error", onError);
      reject(new Error(`could not load ${url} (run node scripts/bench-transform.mjs --prepare)`));
    };
    document.head.append(script);
  });
}

const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

async function once(loop, variable, n, token) {
  const started = now();
  const lost = await variable.run(token, () => loop(variable, n, token));
  return { ms: now() - started, lost };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

async function main() {
  const status = document.querySelector("#status");
  const name = new URLSearchParams(location.search).get("variant") ?? "native";
  const variant = VARIANTS[name];
  if (!variant) throw new Error(`unknown variant "${name}" (known: ${Object.keys(VARIANTS).join(", ")})`);
  document.title += ` — ${name}`;
  for (const url of variant.scripts) await loadClassicScript(url);
  const Variable = variant.Variable();
  const variable = new Variable();
  const loops = globalThis.__awaitLoops;
  const rows = [];
  let token = 0;
  for (const [id, loop] of Object.entries(loops)) {
    // Correctness first: with a fresh value, every check after every await must see it.
    const check = await once(loop, variable, 1000, { token: ++token });
    if (variant.keeps && check.lost !== 0) {
      rows.push({ id, status: "n/a", reason: `lost the value after ${check.lost} of 1000 awaits` });
      continue;
    }
    const samples = [];
    let lost = 0;
    for (let i = 0; i < WARMUPS + SAMPLES; i++) {
      status.textContent = `${name}: ${id} loop, run ${i + 1} of ${WARMUPS + SAMPLES}`;
      gc?.();
      await nextTask();
      const result = await once(loop, variable, N, { token: ++token });
      if (i >= WARMUPS) samples.push(result.ms);
      lost = Math.max(lost, result.lost);
    }
    const ms = median(samples);
    rows.push({ id, status: "ok", n: N, ms, samples, lost, checkLost: check.lost });
    const tr = document.createElement("tr");
    for (const text of [id, `${ms.toFixed(2)} ms`, `${((ms * 1e6) / N).toFixed(1)} ns`, `${lost} of ${N}`, samples.map((s) => s.toFixed(1)).join(" ")]) {
      const td = document.createElement("td");
      td.textContent = text;
      tr.append(td);
    }
    document.querySelector("#results tbody").append(tr);
  }
  status.textContent = `${name}: done`;
  return { variant: name, policy: POLICY, rows };
}

main().then(
  (result) => {
    window.__bench = result;
    window.__benchDone = true;
  },
  (error) => {
    document.querySelector("#status").textContent = `error: ${error.stack || error}`;
    window.__bench = { error: String(error && error.stack ? error.stack : error) };
    window.__benchDone = true;
  },
);
