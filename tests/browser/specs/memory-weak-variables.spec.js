// The context as a weak map: once an AsyncContext.Variable is unreachable (except through the
// values it bound), no code can read those values again, so contexts that outlive the Variable
// (an interval, a Snapshot) must not keep them alive. Everything else about those contexts stays
// as it was: the interval keeps firing, the Snapshot keeps running, and the other Variables bound
// in the same context keep reading their values.
//
// Each Variable to be dropped is created in a function and referenced by no closure, so nothing but
// the polyfill could keep it (or its value) alive once the function returned.

import { test, assert, sleep, collectGarbage } from "../harness.js";

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

/** Resolves once `counter.ticks` has grown by `more` (the interval is still firing). */
async function ticksGrow(counter, more) {
  const target = counter.ticks + more;
  const deadline = performance.now() + 5000;
  while (counter.ticks < target) {
    if (performance.now() > deadline) return false;
    await sleep(5);
  }
  return true;
}

const largeValue = () => ({ payload: new Array(1 << 20).fill(7) });

// Module-level callbacks: no closure of the functions below captures their Variable or value.
function tick(counter, kept) {
  counter.ticks++;
  if (kept !== undefined) counter.seen.push(kept.get());
}

function startInterval(counter, kept) {
  return setInterval(tick, 1, counter, kept);
}

function takeSnapshot() {
  return new AsyncContext.Snapshot();
}

/**
 * Inside `run` of a Variable that only this function references: an interval and a Snapshot
 * captured under a large value. With `kept`, the context also binds that (reachable) Variable.
 */
function bindUnderDroppedVariable(counter, kept, keptValue) {
  const dropped = new AsyncContext.Variable({ name: "dropped" });
  const value = largeValue();
  const ref = new WeakRef(value);
  const bind = () =>
    dropped.run(value, () => {
      // A get of the dropped Variable inside its run still reads what it bound.
      if (dropped.get() !== value) throw new Error("the dropped Variable did not read its value inside run");
      return { id: startInterval(counter, kept), snapshot: takeSnapshot() };
    });
  const held = kept === undefined ? bind() : kept.run(keptValue, bind);
  return { ref, ...held };
}

test("a value bound to a Variable that was garbage-collected is released while an interval and a Snapshot captured under it live on", async () => {
  const counter = { ticks: 0, seen: [] };
  const { ref, id, snapshot } = bindUnderDroppedVariable(counter);
  try {
    assert.ok(await ticksGrow(counter, 3), "the interval did not fire before the GC");
    assert.equal(await collected(ref), true, "the value is still reachable after its Variable was dropped and GC ran");
    assert.ok(await ticksGrow(counter, 3), "the interval stopped firing after the GC");
    assert.equal(snapshot.run((a, b) => a + b, 40, 2), 42, "the Snapshot no longer runs its callback");
  } finally {
    clearInterval(id);
  }
});

test("another Variable bound in the same context keeps its value after a Variable bound beside it was garbage-collected", async () => {
  const kept = new AsyncContext.Variable({ name: "kept", defaultValue: "default" });
  const keptValue = { kept: true };
  const counter = { ticks: 0, seen: [] };
  const { ref, id, snapshot } = bindUnderDroppedVariable(counter, kept, keptValue);
  try {
    assert.equal(await collected(ref), true, "the dropped Variable's value is still reachable after GC");
    counter.seen.length = 0;
    assert.ok(await ticksGrow(counter, 3), "the interval stopped firing after the GC");
    assert.ok(counter.seen.length >= 3 && counter.seen.every((v) => v === keptValue), "interval ticks after the GC did not all read the kept Variable's value");
    assert.equal(snapshot.run(() => kept.get()), keptValue, "the Snapshot lost the kept Variable's value");
    assert.equal(kept.get(), "default", "the kept Variable's value leaked outside its run");
  } finally {
    clearInterval(id);
  }
});

test("a value from a removed same-origin iframe, bound through the parent's AsyncContext into a context the parent keeps, no longer keeps the iframe's window alive", async () => {
  const counter = { ticks: 0, seen: [] };
  const held = { id: 0, snapshot: null };
  // Called by the iframe's code inside its Variable's run: the parent keeps the context.
  globalThis.__keepFrameContext = () => {
    held.id = startInterval(counter);
    held.snapshot = takeSnapshot();
  };
  let ref;
  try {
    ref = await bindFromFrame();
    assert.ok(held.snapshot !== null, "the iframe's code did not run");
    assert.ok(await ticksGrow(counter, 3), "the interval did not fire after the iframe was removed");
    assert.equal(await collected(ref), true, "the removed iframe's window is still reachable after GC");
    assert.ok(await ticksGrow(counter, 3), "the interval stopped firing after the GC");
    assert.equal(held.snapshot.run(() => "ran"), "ran", "the Snapshot no longer runs its callback");
  } finally {
    clearInterval(held.id);
    delete globalThis.__keepFrameContext;
  }
});

/** Like bindUnderDroppedVariable, with a value that references its own Variable. */
function bindSelfReferencingValue(counter) {
  const dropped = new AsyncContext.Variable({ name: "dropped" });
  const value = { variable: dropped, ...largeValue() };
  const ref = new WeakRef(value);
  const held = dropped.run(value, () => ({ id: startInterval(counter), snapshot: takeSnapshot() }));
  return { ref, ...held };
}

test("a value that references its own Variable is released once nothing else references either, while a context binding it lives on", async () => {
  const counter = { ticks: 0, seen: [] };
  const { ref, id, snapshot } = bindSelfReferencingValue(counter);
  try {
    assert.equal(await collected(ref), true, "the value (and its Variable) are still reachable after GC");
    assert.ok(await ticksGrow(counter, 3), "the interval stopped firing after the GC");
    assert.equal(snapshot.run(() => "ran"), "ran", "the Snapshot no longer runs its callback");
  } finally {
    clearInterval(id);
  }
});

test("a Variable created after another one was garbage-collected reads its own default in contexts that bound the collected one", async () => {
  const counter = { ticks: 0, seen: [] };
  const { ref, id, snapshot } = bindUnderDroppedVariable(counter);
  try {
    assert.equal(await collected(ref), true, "the dropped Variable's value is still reachable after GC");
    const later = Array.from({ length: 50 }, (_, i) => new AsyncContext.Variable({ name: `later ${i}`, defaultValue: i }));
    assert.deepEqual(snapshot.run(() => later.map((v) => v.get())), later.map((_, i) => i), "a later Variable read a binding it never made");
    const bound = later[7].run("seven", () => snapshot.run(() => later[7].get()));
    assert.equal(bound, 7, "the Snapshot's context saw a binding made outside it");
  } finally {
    clearInterval(id);
  }
});

/** Runs the iframe's code, removes the iframe and returns a WeakRef to its window. */
async function bindFromFrame() {
  const frame = document.createElement("iframe");
  document.body.append(frame);
  const ref = new WeakRef(frame.contentWindow);
  const doc = frame.contentDocument;
  const script = doc.createElement("script");
  // The iframe's own realm: its Variable, its value (which reaches its window) and its callback.
  script.textContent = `
    const variable = new parent.AsyncContext.Variable({ name: "frame" });
    const value = { window, payload: new Array(1 << 18).fill(1) };
    variable.run(value, () => {
      if (variable.get() !== value) throw new Error("the iframe's Variable did not read its value");
      parent.__keepFrameContext();
    });
  `;
  doc.body.append(script);
  frame.remove();
  return ref;
}
