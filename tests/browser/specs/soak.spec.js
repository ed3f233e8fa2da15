// Soak tests of the memory rule (semantics.md §4): a captured context is held only while the operation that
// captured it can still run its callback. Here 10^5 flows (fewer for XHR, see XHR_FLOWS), each in run() with a
// fresh object value, start and stop one kind of resource: event listeners (registered under
// captureFallbackContext, which captures a context per listener), MutationObservers and ResizeObservers (with
// Snapshot.wrap'ed callbacks: observers themselves run in the empty context and capture nothing), XHRs,
// timers and intervals, animation frames, and finally all of them mixed. Flows run in batches of
// BATCH per macrotask so the page stays responsive; a small share of the resources is allowed to fire, and
// their callbacks check that they see their own flow's value.
//
// Afterwards, full GCs (collectGarbage, one round at a time) must bring liveNodes()/liveSlots() back to the
// baseline read before the test, within a generous bounded number of rounds, and WeakRefs to a sample of the
// bound values must be cleared. No assertion depends on time. Each test prints its figures with console.log
// ("soak: …"): the peak live node count seen after a batch and the number of GC rounds needed.

import { test, assert, sleep, nextTask, collectGarbage, liveNodes, liveSlots, storeCounts, showCounts } from "../harness.js";

const FLOWS = 100_000;
const BATCH = 1000;
/** A send() costs ~0.5 ms in Chromium whatever the URL, so the XHR soak uses fewer flows (about 10 s). */
const XHR_FLOWS = 20_000;
const XHR_BATCH = 250;
/** One flow in FIRE_EVERY lets its resource fire instead of stopping it first. */
const FIRE_EVERY = 100;
/** One bound value in SAMPLE_EVERY is watched through a WeakRef. */
const SAMPLE_EVERY = 1000;
/** Upper bound on GC rounds before the counts must be back at baseline (a round is one gc() plus a few macrotasks). */
const MAX_GC_ROUNDS = 200;
const TIMEOUT = 90_000;

/** Local URL whose request is aborted at once; /__test__/ failures are not reported as notes by run.mjs. */
const XHR_URL = "/__test__/delay?ms=0&body=soak";

const atOrBelow = (c, limit) => c.nodes <= limit.nodes && c.slots <= limit.slots;

/** Counts once two readings in a row agree after a collection (bounded). */
async function settledCounts() {
  let previous = null;
  for (let i = 0; i < 20; i++) {
    await collectGarbage(undefined, { rounds: 2 });
    const current = storeCounts();
    if (previous && current.nodes === previous.nodes && current.slots === previous.slots) return current;
    previous = current;
  }
  return storeCounts();
}

/**
 * Polls (bounded, no timing) until `predicate()` holds; fails with `what()` once `progress()` has not changed
 * for `rounds` polls. (Firefox's network process works through 2x10^4 aborted XHRs for tens of seconds
 * before the last loads arrive: slow but steady progress is not a failure.)
 */
async function waitFor(predicate, what, progress, rounds = 1000) {
  let last = progress();
  for (let idle = 0; idle < rounds; idle++) {
    if (predicate()) return;
    await sleep(10);
    const now = progress();
    if (now !== last) {
      last = now;
      idle = 0;
    }
  }
  assert.ok(predicate(), `gave up waiting for ${what()}`);
}

/**
 * One resource kind. `setup()` makes what its flows share; `start(env, flow)` starts one resource inside the
 * flow's run() and stops it again, unless `flow.fire`: then it lets the resource fire once (its callback calls
 * `flow.check()`, and `start` adds the number of expected checks to `env.expected`). `teardown(env)` undoes
 * `setup`.
 */
const KINDS = {
  listeners: {
    setup() {
      const element = document.createElement("div");
      document.body.append(element);
      return { target: new EventTarget(), element };
    },
    start(env, flow) {
      const listener = () => flow.check();
      // Under a fallback context, so each registration captures one context, held until the listener is removed.
      AsyncContext.captureFallbackContext(flow.variable, () => {
        env.target.addEventListener("soak", listener);
        env.element.addEventListener("click", listener, { passive: true });
        env.element.onclick = listener;
      });
      if (flow.fire) {
        env.expected += 3;
        env.target.dispatchEvent(new Event("soak"));
        env.element.click(); // addEventListener + onclick
      }
      env.target.removeEventListener("soak", listener);
      env.element.removeEventListener("click", listener, { passive: true });
      env.element.onclick = null;
    },
    teardown: (env) => env.element.remove(),
  },

  mutationObservers: {
    setup() {
      const node = document.createElement("div");
      document.body.append(node);
      return { node };
    },
    start(env, flow) {
      const observer = new MutationObserver(AsyncContext.Snapshot.wrap((records, self) => {
        self.disconnect();
        flow.check();
      }));
      observer.observe(env.node, { attributes: true });
      env.node.setAttribute("data-soak", String(flow.n));
      if (flow.fire) {
        env.expected += 1;
        return;
      }
      observer.takeRecords();
      observer.disconnect();
    },
    teardown: (env) => env.node.remove(),
  },

  resizeObservers: {
    setup() {
      const box = document.createElement("div");
      box.style.cssText = "width: 10px; height: 10px";
      document.body.append(box);
      return { box };
    },
    start(env, flow) {
      const observer = new ResizeObserver(AsyncContext.Snapshot.wrap((entries, self) => {
        self.disconnect();
        flow.check();
      }));
      observer.observe(env.box);
      if (flow.fire) {
        env.expected += 1;
        return;
      }
      observer.disconnect();
    },
    teardown: (env) => env.box.remove(),
  },

  xhr: {
    start(env, flow) {
      const xhr = new XMLHttpRequest();
      if (flow.fire) {
        env.expected += 1;
        xhr.addEventListener("loadend", () => flow.check());
        xhr.open("GET", `${XHR_URL}&n=${flow.n}`);
        xhr.send();
        return;
      }
      xhr.open("GET", `${XHR_URL}&n=${flow.n}`);
      xhr.send();
      xhr.abort();
    },
  },

  timers: {
    start(env, flow) {
      if (flow.fire) {
        env.expected += 2;
        setTimeout(() => flow.check(), 0);
        const id = setInterval(() => {
          clearInterval(id);
          flow.check();
        }, 0);
        return;
      }
      clearTimeout(setTimeout(() => flow.check(), 1e6));
      clearInterval(setInterval(() => flow.check(), 1e6));
    },
  },

  animationFrames: {
    start(env, flow) {
      const id = requestAnimationFrame(() => flow.check());
      if (flow.fire) env.expected += 1;
      else cancelAnimationFrame(id);
    },
  },
};

/**
 * Runs `flows` flows, `batch` per macrotask; flow n runs `start(env, flow)` inside `variable.run(value)` with a
 * fresh object `value`. Then waits for the resources allowed to fire, and checks the memory rule.
 */
async function soak(label, { flows, batch, setup, start, teardown }) {
  const variable = new AsyncContext.Variable({ name: `soak ${label}` });
  const fired = { count: 0, wrong: 0 };
  const env = { expected: 0, ...(setup ? setup() : {}) };
  const begun = performance.now();
  const baseline = await settledCounts();
  const samples = [];
  let peak = storeCounts();
  try {
    for (let first = 0; first < flows; first += batch) {
      for (let n = first; n < first + batch && n < flows; n++) {
        const value = { n };
        if (n % SAMPLE_EVERY === 0) samples.push(new WeakRef(value));
        const flow = {
          n,
          variable,
          fire: n % FIRE_EVERY === 0,
          check() {
            fired.count++;
            if (variable.get() !== value) fired.wrong++;
          },
        };
        variable.run(value, start, env, flow);
      }
      const now = storeCounts();
      peak = { nodes: Math.max(peak.nodes, now.nodes), slots: Math.max(peak.slots, now.slots) };
      await nextTask();
    }
    await waitFor(() => fired.count >= env.expected, () => `${env.expected} callbacks to fire (${fired.count} did)`, () => fired.count);
  } finally {
    if (teardown) teardown(env);
  }

  let rounds = 0;
  let after = storeCounts();
  while (!atOrBelow(after, baseline) && rounds < MAX_GC_ROUNDS) {
    await collectGarbage(undefined, { rounds: 1 });
    rounds++;
    after = storeCounts();
  }
  let sampleRounds = 0;
  const alive = () => samples.filter((ref) => ref.deref() !== undefined).length;
  while (alive() > 0 && sampleRounds < MAX_GC_ROUNDS) {
    await collectGarbage(undefined, { rounds: 1 });
    sampleRounds++;
  }
  const seconds = ((performance.now() - begun) / 1000).toFixed(1);
  console.log(
    `soak: ${label}: ${flows} flows, peak ${showCounts(peak)} live (baseline ${showCounts(baseline)}), ` +
      `${showCounts(after)} after ${rounds} GC rounds, sampled values collected: ${samples.length - alive()}/${samples.length} ` +
      `(${sampleRounds} more rounds), callbacks fired: ${fired.count}, ${seconds} s`,
  );

  assert.equal(fired.wrong, 0, `${fired.wrong} of ${fired.count} callbacks that fired saw another flow's value`);
  assert.equal(fired.count, env.expected, "callbacks that fired");
  assert.ok(peak.nodes > baseline.nodes, `no flow captured a context (peak ${showCounts(peak)}, baseline ${showCounts(baseline)}): nothing was tested`);
  assert.ok(atOrBelow(after, baseline), `${showCounts(after)} still live after ${rounds} GC rounds; baseline ${showCounts(baseline)}, peak ${showCounts(peak)}`);
  assert.equal(alive(), 0, `${alive()} of ${samples.length} sampled bound values still reachable after ${sampleRounds} GC rounds`);
}

const single = (name, flows = FLOWS, batch = BATCH) => ({ flows, batch, ...KINDS[name] });

test("10^5 flows adding and removing event listeners under captureFallbackContext release every context and bound value", () =>
  soak("listeners", single("listeners")), { timeout: TIMEOUT });

test("10^5 flows starting and disconnecting MutationObservers with Snapshot.wrap'ed callbacks release every context and bound value", () =>
  soak("MutationObserver", single("mutationObservers")), { timeout: TIMEOUT });

test("10^5 flows starting and disconnecting ResizeObservers with Snapshot.wrap'ed callbacks release every context and bound value", () =>
  soak("ResizeObserver", single("resizeObservers")), { timeout: TIMEOUT });

test("2x10^4 flows sending and aborting XHRs release every context and bound value", () =>
  soak("XHR", single("xhr", XHR_FLOWS, XHR_BATCH)), { timeout: TIMEOUT });

test("10^5 flows setting and clearing timeouts and intervals release every context and bound value", () =>
  soak("timers", single("timers")), { timeout: TIMEOUT });

test("10^5 flows requesting and cancelling animation frames release every context and bound value", () =>
  soak("requestAnimationFrame", single("animationFrames")), { timeout: TIMEOUT });

test("10^5 flows mixing listeners, observers, XHRs, timers and animation frames release every context and bound value", () => {
  const names = Object.keys(KINDS);
  const kinds = names.map((name) => KINDS[name]);
  return soak("mixed", {
    flows: FLOWS,
    batch: BATCH,
    setup: () => Object.assign({}, ...kinds.map((kind) => (kind.setup ? kind.setup() : {}))),
    // Flow n uses kind n % kinds.length; one flow in FIRE_EVERY of each kind lets it fire.
    start(env, flow) {
      const k = flow.n % kinds.length;
      flow.fire = Math.floor(flow.n / kinds.length) % FIRE_EVERY === 0;
      kinds[k].start(env, flow);
    },
    teardown: (env) => kinds.forEach((kind) => kind.teardown && kind.teardown(env)),
  });
}, { timeout: TIMEOUT });
