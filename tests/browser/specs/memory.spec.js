// Captured contexts are released once nothing can restore them any more:
// after one-shot callbacks ran or were cancelled, intervals cleared, promises
// settled or collected, snapshots dropped. Read through the test hooks
// (live context nodes / value slots in the wasm store).
//
// Reclamation may go through FinalizationRegistry, so every reading is taken
// after collectGarbage(), polling for a while; no assertion depends on how
// long that takes.

import { test, assert, sleep, collectGarbage, liveNodes, liveSlots, nextTask, storeCounts, showCounts, stableCounts, countsReturningTo, requireFunction } from "../harness.js";


async function assertBackToBaseline(baseline, what) {
  const after = await countsReturningTo(baseline);
  assert.ok(
    after.nodes <= baseline.nodes && after.slots <= baseline.slots,
    `${what}: ${showCounts(after)} live after GC, baseline ${showCounts(baseline)}`,
  );
}

function assertAboveBaseline(current, baseline, what) {
  assert.ok(current.nodes > baseline.nodes, `${what}: ${showCounts(current)} live, baseline ${showCounts(baseline)}`);
}

// Polls until the WeakRef is cleared (at most ~5 s); returns whether it was.
async function collected(ref) {
  const deadline = performance.now() + 5000;
  for (;;) {
    await collectGarbage();
    if (ref.deref() === undefined) return true;
    if (performance.now() > deadline) return false;
    await sleep(20);
  }
}

const newVariable = (name) => new AsyncContext.Variable({ name });

test("the test hooks report the live counts of the context store", async () => {
  assert.equal(typeof liveNodes(), "number");
  assert.equal(typeof liveSlots(), "number");
});

test("10^4 runs that capture nothing leave the live counts at baseline after GC", async () => {
  const v = newVariable("v");
  const w = newVariable("w");
  const baseline = await stableCounts();
  for (let i = 0; i < 10000; i++) {
    v.run({ i }, () => w.run(i, () => w.get()));
  }
  await assertBackToBaseline(baseline, "after 10^4 runs");
});

test("1000 timeouts scheduled inside run and cancelled with clearTimeout release their contexts", async () => {
  const v = newVariable("v");
  const baseline = await stableCounts();
  const ids = [];
  for (let i = 0; i < 1000; i++) ids.push(v.run({ i }, () => setTimeout(() => {}, 1e6)));
  assertAboveBaseline(await stableCounts(), baseline, "while 1000 timeouts are pending");
  for (const id of ids) clearTimeout(id);
  await assertBackToBaseline(baseline, "after clearTimeout");
});

test("1000 one-shot timeouts scheduled inside run release their contexts after firing", async () => {
  const v = newVariable("v");
  const baseline = await stableCounts();
  let fired = 0;
  for (let i = 0; i < 1000; i++) v.run({ i }, () => setTimeout(() => { fired += 1; }, i % 5));
  while (fired < 1000) await sleep(5);
  await assertBackToBaseline(baseline, "after 1000 timeouts fired");
});

test("1000 intervals scheduled inside run and cleared after their first tick release their contexts", async () => {
  const v = newVariable("v");
  const baseline = await stableCounts();
  let cleared = 0;
  for (let i = 0; i < 1000; i++) {
    v.run({ i }, () => {
      const id = setInterval(() => {
        clearInterval(id);
        cleared += 1;
      }, i % 5);
    });
  }
  while (cleared < 1000) await sleep(5);
  await assertBackToBaseline(baseline, "after 1000 intervals were cleared");
});

test("1000 intervals scheduled inside run and cleared before ticking release their contexts", async () => {
  const v = newVariable("v");
  const baseline = await stableCounts();
  const ids = [];
  for (let i = 0; i < 1000; i++) ids.push(v.run({ i }, () => setInterval(() => {}, 1e6)));
  assertAboveBaseline(await stableCounts(), baseline, "while 1000 intervals are active");
  for (const id of ids) clearInterval(id);
  await assertBackToBaseline(baseline, "after clearInterval");
});

test("1000 requestAnimationFrame callbacks scheduled inside run and cancelled release their contexts", async () => {
  const v = newVariable("v");
  const baseline = await stableCounts();
  const ids = [];
  for (let i = 0; i < 1000; i++) ids.push(v.run({ i }, () => requestAnimationFrame(() => {})));
  assertAboveBaseline(storeCounts(), baseline, "while 1000 frame callbacks are pending");
  for (const id of ids) cancelAnimationFrame(id);
  await assertBackToBaseline(baseline, "after cancelAnimationFrame");
});

test("1000 requestAnimationFrame callbacks scheduled inside run release their contexts after running", async () => {
  const v = newVariable("v");
  const baseline = await stableCounts();
  let ran = 0;
  for (let i = 0; i < 1000; i++) v.run({ i }, () => requestAnimationFrame(() => { ran += 1; }));
  while (ran < 1000) await sleep(5);
  await assertBackToBaseline(baseline, "after 1000 frame callbacks ran");
});

test("1000 requestIdleCallback callbacks scheduled inside run and cancelled release their contexts", async () => {
  requireFunction("requestIdleCallback");
  const v = newVariable("v");
  const baseline = await stableCounts();
  const ids = [];
  for (let i = 0; i < 1000; i++) ids.push(v.run({ i }, () => requestIdleCallback(() => {}, { timeout: 1e6 })));
  for (const id of ids) cancelIdleCallback(id);
  await assertBackToBaseline(baseline, "after cancelIdleCallback");
});

test("1000 queueMicrotask callbacks scheduled inside run release their contexts after running", async () => {
  const v = newVariable("v");
  const baseline = await stableCounts();
  let ran = 0;
  for (let i = 0; i < 1000; i++) v.run({ i }, () => queueMicrotask(() => { ran += 1; }));
  await nextTask();
  assert.equal(ran, 1000);
  await assertBackToBaseline(baseline, "after 1000 microtasks ran");
});

{
  // Registered everywhere, skipped where the browser lacks scheduler.postTask.
  test("1000 scheduler.postTask callbacks scheduled inside run and aborted release their contexts", async () => {
    requireFunction("scheduler.postTask");
    const v = newVariable("v");
    const baseline = await stableCounts();
    const controller = new TaskController();
    const tasks = [];
    for (let i = 0; i < 1000; i++) {
      tasks.push(v.run({ i }, () => scheduler.postTask(() => {}, { signal: controller.signal, delay: 1e6 })));
    }
    controller.abort();
    await Promise.allSettled(tasks);
    tasks.length = 0;
    await assertBackToBaseline(baseline, "after aborting 1000 tasks");
  });
}

test("promise reactions registered inside run release their contexts once the promises settle", async () => {
  const v = newVariable("v");
  const baseline = await stableCounts();
  let resolveAll;
  const source = new Promise((resolve) => { resolveAll = resolve; });
  const derived = [];
  for (let i = 0; i < 1000; i++) {
    derived.push(v.run({ i }, () => source.then(() => i).catch(() => {}).finally(() => {})));
  }
  assertAboveBaseline(await stableCounts(), baseline, "while 1000 reactions are pending");
  resolveAll();
  await Promise.all(derived);
  await assertBackToBaseline(baseline, "after the promises settled");
});

test("reactions registered inside run on promises that never settle release their contexts when the promises are garbage", async () => {
  const v = newVariable("v");
  const baseline = await stableCounts();
  (() => {
    for (let i = 0; i < 1000; i++) {
      const never = new Promise(() => {});
      v.run({ i }, () => never.then(() => {}));
    }
  })();
  await assertBackToBaseline(baseline, "after the never-settling promises became garbage");
});

test("a Snapshot keeps its context alive while referenced and releases it once dropped", async () => {
  const v = newVariable("v");
  const baseline = await stableCounts();
  const value = { kept: true };
  let snapshot = v.run(value, () => new AsyncContext.Snapshot());
  const held = await stableCounts();
  assertAboveBaseline(held, baseline, "while the Snapshot is referenced");
  assert.equal(snapshot.run(() => v.get()), value, "the Snapshot lost its value");
  snapshot = null;
  await assertBackToBaseline(baseline, "after dropping the Snapshot");
});

test("a function from Snapshot.wrap keeps its context alive while referenced and releases it once dropped", async () => {
  const v = newVariable("v");
  const baseline = await stableCounts();
  const value = { kept: true };
  let wrapped = v.run(value, () => AsyncContext.Snapshot.wrap(() => v.get()));
  assertAboveBaseline(await stableCounts(), baseline, "while the wrapped function is referenced");
  assert.equal(wrapped(), value, "the wrapped function lost its value");
  wrapped = null;
  await assertBackToBaseline(baseline, "after dropping the wrapped function");
});

// Binds a fresh object via run around a timeout and returns a WeakRef to it
// and the timer id; no other reference to the object survives the call.
function bindInTimeout(variable, seen) {
  const value = { payload: new Array(64).fill(7) };
  const ref = new WeakRef(value);
  const id = variable.run(value, () => setTimeout(() => seen.push(variable.get()), 1e6));
  return { ref, id };
}

test("a value bound by run stays alive while a pending timer captured it", async () => {
  const v = newVariable("v");
  const seen = [];
  const { ref, id } = bindInTimeout(v, seen);
  try {
    const gone = await collected(ref);
    assert.equal(gone, false, "the value was collected although a pending timer can still read it");
  } finally {
    clearTimeout(id);
  }
  assert.deepEqual(seen, []);
});

test("a value bound by run becomes collectable once the timer that captured it is cancelled", async () => {
  const v = newVariable("v");
  const { ref, id } = bindInTimeout(v, []);
  clearTimeout(id);
  assert.equal(await collected(ref), true, "the value is still reachable after clearTimeout and GC");
});

test("a requestAnimationFrame loop that re-schedules itself inside run keeps the live counts constant", async () => {
  const v = newVariable("v");
  const value = { loop: true };
  const mismatches = [];
  let release = null;
  let wake = null;
  const arrival = () => new Promise((resolve) => { wake = resolve; });
  const frame = () => {
    if (v.get() !== value) mismatches.push(v.get());
    // the next frame is requested only when the test releases the gate, from
    // a reaction registered here (so still inside the loop's context)
    const gate = new Promise((resolve) => { release = resolve; });
    gate.then(() => requestAnimationFrame(frame));
    wake();
  };
  let arrived = arrival();
  v.run(value, () => requestAnimationFrame(frame));
  let early;
  let late;
  for (let i = 1; i <= 40; i++) {
    await arrived;
    if (i === 5) early = await stableCounts();
    if (i === 40) late = await stableCounts();
    arrived = arrival();
    if (i < 40) release();
  }
  release = null;
  assert.deepEqual(mismatches, []);
  assert.ok(
    late.nodes <= early.nodes && late.slots <= early.slots,
    `live counts grew from ${showCounts(early)} at frame 5 to ${showCounts(late)} at frame 40`,
  );
});
