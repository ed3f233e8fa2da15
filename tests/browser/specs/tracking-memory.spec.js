// Task tracking: bounded memory under async recursion. The call graph keeps a finished task's node only
// while a live task's chain passes through it; a task that reschedules itself with the same signature is
// folded into its parent's place (one entry, repeat + 1), and chains that cannot fold (alternating kinds)
// are compacted: past twice the window (64) of nodes, the older part is replaced by one "elided" entry.
// So the live graph nodes (test hook liveTaskNodes()) are bounded by the number of flows, never by the
// number of steps, and return to the baseline once the flows have ended. Bounds, not times, are asserted.

import { test, assert, sleep, collectGarbage, storeCounts, showCounts } from "../harness.js";

const { Tracker, asyncStack } = AsyncContext.experimental;

/** Live call-graph nodes in the wasm graph. */
function liveTaskNodes() {
  const hooks = globalThis.__ASYNCCONTEXT_TEST_HOOKS__;
  if (!hooks || typeof hooks.liveTaskNodes !== "function") throw new Error("test hooks without liveTaskNodes(): not a tracking build?");
  return hooks.liveTaskNodes();
}

/** The graph's window (src/graph.rs DEFAULT_WINDOW): a chain keeps at most twice this many nodes. */
const WINDOW = 64;

/** liveTaskNodes() once two readings in a row agree after a collection (bounded). */
async function settledTaskNodes() {
  let previous = -1;
  for (let i = 0; i < 20; i++) {
    await collectGarbage(undefined, { rounds: 2 });
    const current = liveTaskNodes();
    if (current === previous) return current;
    previous = current;
  }
  return liveTaskNodes();
}

/** Collects until liveTaskNodes() is at or below `limit` (bounded); returns the last reading. */
async function taskNodesReturningTo(limit) {
  await collectGarbage(() => liveTaskNodes() <= limit, { rounds: 100 });
  return liveTaskNodes();
}

test("a self-rescheduling setTimeout chain keeps asyncStack() at one folded entry whose repeat grows, and the graph bounded", async () => {
  const STEPS = 300;
  const baseline = await settledTaskNodes();
  const tracker = new Tracker();
  let peak = 0;
  const lengths = new Set();
  const repeats = [];
  await new Promise((resolve) =>
    tracker.run(() => {
      const step = (left) => {
        const stack = asyncStack();
        lengths.add(stack.length);
        repeats.push(stack[0].repeat);
        peak = Math.max(peak, liveTaskNodes() - baseline);
        if (left === 0) resolve();
        else setTimeout(step, 0, left - 1);
      };
      setTimeout(step, 0, STEPS - 1);
    }));
  await tracker.whenIdle();
  assert.deepEqual([...lengths], [2], "stack lengths seen (the timeout entry and the run)");
  assert.deepEqual(repeats, Array.from({ length: STEPS }, (_, i) => i), "repeat counts");
  assert.ok(peak <= 4, `peak of ${peak} live graph nodes above the baseline over ${STEPS} steps`);
  const after = await taskNodesReturningTo(baseline);
  assert.ok(after <= baseline, `${after} live graph nodes after the chain ended (baseline ${baseline})`);
});

test("a setTimeout → queueMicrotask chain keeps asyncStack() and the graph bounded, with an elided entry for the older tasks", async () => {
  const ROUNDS = 300; // 600 tasks: several compactions
  const baseline = await settledTaskNodes();
  const tracker = new Tracker();
  let peak = 0;
  let longest = 0;
  let last;
  await new Promise((resolve) =>
    tracker.run(() => {
      const step = (left) => {
        const stack = asyncStack();
        longest = Math.max(longest, stack.length);
        peak = Math.max(peak, liveTaskNodes() - baseline);
        if (left === 0) {
          last = stack;
          resolve();
        } else setTimeout(() => queueMicrotask(() => step(left - 1)), 0);
      };
      setTimeout(step, 0, ROUNDS - 1);
    }));
  await tracker.whenIdle();
  const bound = 2 * WINDOW + 4;
  assert.ok(longest <= bound, `asyncStack() grew to ${longest} entries (bound ${bound})`);
  assert.ok(peak <= bound, `peak of ${peak} live graph nodes above the baseline (bound ${bound})`);
  const elided = last.filter((e) => e.kind === "elided");
  assert.equal(elided.length, 1, `elided entries: ${JSON.stringify(elided)}`);
  assert.equal(last[last.length - 1].kind, "elided", "the elided entry stands for the oldest tasks, at the end");
  assert.ok(elided[0].elided > 0, `elided count ${elided[0].elided}`);
  const kinds = new Set(last.slice(0, -1).map((e) => e.kind));
  assert.deepEqual([...kinds].sort(), ["microtask", "timeout"]);
  const after = await taskNodesReturningTo(baseline);
  assert.ok(after <= baseline, `${after} live graph nodes after the chain ended (baseline ${baseline})`);
});

test("the elided entry counts every task dropped from a chain, across repeated compactions", async () => {
  const ROUNDS = 300; // 600 tasks in one chain (run, timeout, microtask, timeout, …): several compactions
  let scheduled = 0;
  const tracker = new Tracker({ scheduled: () => { scheduled += 1; } });
  const last = await new Promise((resolve) =>
    tracker.run(() => {
      const step = (left) => {
        if (left === 0) resolve(asyncStack());
        else setTimeout(() => queueMicrotask(() => step(left - 1)), 0);
      };
      setTimeout(step, 0, ROUNDS - 1);
    }));
  await tracker.whenIdle();
  // An entry stands for itself plus the earlier tasks folded into it (`repeat`): the first timeout
  // schedules the second directly, so those two fold; after that the kinds alternate.
  const listed = last.filter((e) => e.kind !== "elided").reduce((sum, e) => sum + 1 + e.repeat, 0);
  const elided = last.filter((e) => e.kind === "elided").reduce((sum, e) => sum + e.elided, 0);
  assert.equal(listed + elided, scheduled, `${listed} listed + ${elided} elided`);
});

test("a promise reaction chain of 10^5 self-rescheduling reactions keeps the graph bounded", async () => {
  const STEPS = 100_000;
  const baseline = await settledTaskNodes();
  const tracker = new Tracker();
  let peak = 0;
  let lastStack;
  await new Promise((resolve) =>
    tracker.run(() => {
      const step = (left) => {
        if (left % 1000 === 0) peak = Math.max(peak, liveTaskNodes() - baseline);
        if (left === 0) {
          lastStack = asyncStack();
          resolve();
        } else Promise.resolve(left - 1).then(step);
      };
      Promise.resolve(STEPS - 1).then(step);
    }));
  await tracker.whenIdle();
  assert.ok(peak <= 4, `peak of ${peak} live graph nodes above the baseline`);
  assert.equal(lastStack.length, 2, "folded stack length");
  assert.equal(lastStack[0].repeat, STEPS - 1);
  const after = await taskNodesReturningTo(baseline);
  assert.ok(after <= baseline, `${after} live graph nodes after the chain ended (baseline ${baseline})`);
}, { timeout: 30_000 });

test("reactions on never-settling promises that are collected release their graph nodes and their contexts", async () => {
  const FLOWS = 1000;
  const baseline = await settledTaskNodes();
  const counts = storeCounts();
  let cancelled = 0;
  const tracker = new Tracker({ cancelled: () => { cancelled += 1; } });
  const v = new AsyncContext.Variable();
  (() => {
    for (let i = 0; i < FLOWS; i++) v.run({ flow: i }, () => tracker.run(() => new Promise(() => {}).then(() => {})));
  })();
  const during = liveTaskNodes() - baseline;
  assert.ok(during >= FLOWS, `only ${during} live graph nodes for ${FLOWS} pending reactions`);
  await collectGarbage(() => cancelled === FLOWS, { rounds: 100 });
  assert.equal(cancelled, FLOWS, "reactions cancelled after the collection");
  await tracker.whenIdle();
  const after = await taskNodesReturningTo(baseline);
  assert.ok(after <= baseline, `${after} live graph nodes after the collection (baseline ${baseline})`);
  const store = storeCounts();
  assert.ok(store.nodes <= counts.nodes && store.slots <= counts.slots, `store ${showCounts(store)}, baseline ${showCounts(counts)}`);
}, { timeout: 30_000 });

test("10^6 self-rescheduling timers in 1000 concurrent chains keep the live graph nodes proportional to the chains, and back to the baseline after", async () => {
  const CHAINS = 1000;
  const STEPS = 1000;
  const SAMPLE_EVERY = 997;
  const baseline = await settledTaskNodes();
  const store = storeCounts();
  const tracker = new Tracker();
  let peak = 0;
  let timers = 0;
  let finished = 0;
  let wrongFlow = 0;
  const flow = new AsyncContext.Variable();
  await new Promise((resolve) => {
    const step = (chain, left) => {
      timers += 1;
      if (flow.get() !== chain) wrongFlow += 1;
      if (timers % SAMPLE_EVERY === 0) peak = Math.max(peak, liveTaskNodes() - baseline);
      if (left === 0) {
        if (++finished === CHAINS) resolve();
        return;
      }
      setTimeout(step, 0, chain, left - 1);
    };
    tracker.run(() => {
      for (let chain = 0; chain < CHAINS; chain++) flow.run(chain, () => setTimeout(step, 0, chain, STEPS - 1));
    });
  });
  await tracker.whenIdle();
  assert.equal(timers, CHAINS * STEPS, "timer callbacks");
  assert.equal(wrongFlow, 0, "callbacks that saw another chain's value");
  // Per chain: the running task and the one it just scheduled (the run root is shared).
  const bound = 2 * CHAINS + 16;
  assert.ok(peak <= bound, `peak of ${peak} live graph nodes above the baseline (bound ${bound} for ${CHAINS} chains)`);
  assert.ok(peak >= CHAINS / 2, `peak of ${peak} sampled live graph nodes: the sampling did not see the chains`);
  const after = await taskNodesReturningTo(baseline);
  assert.ok(after <= baseline, `${after} live graph nodes after the chains ended (baseline ${baseline})`);
  await collectGarbage(() => storeCounts().nodes <= store.nodes && storeCounts().slots <= store.slots, { rounds: 100 });
  const storeAfter = storeCounts();
  assert.ok(storeAfter.nodes <= store.nodes && storeAfter.slots <= store.slots, `store ${showCounts(storeAfter)}, baseline ${showCounts(store)}`);
}, { timeout: 150_000 });

test("10^5 timers in 100 concurrent setTimeout → queueMicrotask chains keep the live graph nodes within one compacted chain per flow", async () => {
  const CHAINS = 100;
  const ROUNDS = 1000;
  const baseline = await settledTaskNodes();
  const tracker = new Tracker();
  let peak = 0;
  let rounds = 0;
  let finished = 0;
  await new Promise((resolve) => {
    const step = (left) => {
      rounds += 1;
      if (rounds % 499 === 0) peak = Math.max(peak, liveTaskNodes() - baseline);
      if (left === 0) {
        if (++finished === CHAINS) resolve();
        return;
      }
      setTimeout(() => queueMicrotask(() => step(left - 1)), 0);
    };
    tracker.run(() => {
      for (let chain = 0; chain < CHAINS; chain++) setTimeout(step, 0, ROUNDS - 1);
    });
  });
  await tracker.whenIdle();
  assert.equal(rounds, CHAINS * ROUNDS);
  const bound = CHAINS * (2 * WINDOW + 4) + 16;
  assert.ok(peak <= bound, `peak of ${peak} live graph nodes above the baseline (bound ${bound} for ${CHAINS} chains)`);
  const after = await taskNodesReturningTo(baseline);
  assert.ok(after <= baseline, `${after} live graph nodes after the chains ended (baseline ${baseline})`);
}, { timeout: 120_000 });
