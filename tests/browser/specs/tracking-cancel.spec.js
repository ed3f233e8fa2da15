// Task tracking: cancellation. clearTimeout, clearInterval, cancelAnimationFrame and cancelIdleCallback
// end the task they name: the tracker's cancelled hook is called once with its record (state "cancelled"),
// and the task leaves `pending`. Two tasks are scheduled in every test, one cancelled and one left to
// run, so that cancelling the wrong one (or both) fails.

import { test, assert, sleep, requireFunction } from "../harness.js";
import { deferred, delayUrl } from "../assets/events-common.js";

const { Tracker, label } = AsyncContext.experimental;

/** A tracker logging "hook:label:state" for every hook call. */
function loggingTracker() {
  const log = [];
  const note = (hook) => (task) => log.push(`${hook}:${task.label ?? task.kind}:${task.state}`);
  const tracker = new Tracker({ scheduled: note("scheduled"), before: note("before"), after: note("after"), cancelled: note("cancelled") });
  return { tracker, log, only: (prefix) => log.filter((e) => e.startsWith(prefix)) };
}

const labelsOf = (records) => records.map((t) => t.label);

/**
 * Schedules `keep` and `drop` through `schedule(label, callback)` inside run, cancels `drop` with
 * `cancel(id)` and waits until `keep` ran and the tracker is idle.
 */
async function cancelOneOfTwo(schedule, cancel) {
  const t = loggingTracker();
  const ran = [];
  const kept = deferred();
  const ids = t.tracker.run(() => ({
    keep: label("keep", () => schedule(() => { ran.push("keep"); kept.resolve(); })),
    drop: label("drop", () => schedule(() => ran.push("drop"))),
  }));
  const before = labelsOf(t.tracker.pending).filter((l) => l);
  cancel(ids.drop);
  const after = labelsOf(t.tracker.pending).filter((l) => l);
  await kept.promise;
  await t.tracker.whenIdle();
  return { ...t, ran, before, after };
}

function assertOneCancelled(r) {
  assert.deepEqual(r.before, ["keep", "drop"], "pending before the cancellation");
  assert.deepEqual(r.after, ["keep"], "pending after the cancellation");
  assert.deepEqual(r.ran, ["keep"]);
  assert.deepEqual(r.log.filter((e) => e.startsWith("cancelled")), ["cancelled:drop:cancelled"]);
  assert.deepEqual(r.log.filter((e) => e.includes(":drop:")), ["scheduled:drop:scheduled", "cancelled:drop:cancelled"]);
}

test("clearTimeout cancels the timer's task once and removes it from pending", async () => {
  assertOneCancelled(await cancelOneOfTwo((fn) => setTimeout(fn, 20), clearTimeout));
});

test("clearInterval cancels an interval's task before its first tick", async () => {
  const t = loggingTracker();
  const ticks = [];
  const kept = deferred();
  const ids = t.tracker.run(() => ({
    keep: label("keep", () => setInterval(() => { ticks.push("keep"); kept.resolve(); }, 10)),
    drop: label("drop", () => setInterval(() => ticks.push("drop"), 10)),
  }));
  clearInterval(ids.drop);
  await kept.promise;
  clearInterval(ids.keep);
  await t.tracker.whenIdle();
  assert.ok(!ticks.includes("drop"), `the cleared interval ticked: ${ticks}`);
  assert.deepEqual(t.only("cancelled"), ["cancelled:drop:cancelled", "cancelled:keep:cancelled"]);
});

test("clearInterval called from inside the interval's own tick cancels it once, after that tick's before and before its after", async () => {
  const t = loggingTracker();
  const done = deferred();
  let ticks = 0;
  t.tracker.run(() =>
    label("self", () => {
      const id = setInterval(() => {
        ticks += 1;
        if (ticks === 2) {
          clearInterval(id);
          clearInterval(id); // a second clear changes nothing
          done.resolve();
        }
      }, 5);
    }));
  await done.promise;
  await t.tracker.whenIdle();
  await sleep(30);
  assert.equal(ticks, 2, "ticks after clearInterval");
  assert.deepEqual(t.log, [
    "scheduled:run:scheduled", "before:run:running", "scheduled:self:scheduled", "after:run:running",
    "before:self:running", "after:self:running",
    "before:self:running", "cancelled:self:running", "after:self:running",
  ]);
  assert.deepEqual(t.tracker.pending, []);
});

test("the record of an interval cleared inside its tick ends in state cancelled", async () => {
  let record;
  const tracker = new Tracker({ cancelled: (task) => { record = task; } });
  const done = deferred();
  tracker.run(() => {
    const id = setInterval(() => { clearInterval(id); done.resolve(); }, 1);
  });
  await done.promise;
  await tracker.whenIdle();
  assert.equal(record.state, "cancelled");
  assert.equal(record.runs, 1);
});

test("clearTimeout with an interval's id cancels the interval's task, as it clears the interval natively", async () => {
  const t = loggingTracker();
  const id = t.tracker.run(() => label("interval", () => setInterval(() => {}, 10)));
  clearTimeout(id);
  await t.tracker.whenIdle();
  assert.deepEqual(t.only("cancelled"), ["cancelled:interval:cancelled"]);
});

test("cancelAnimationFrame cancels the frame callback's task once and removes it from pending", async () => {
  assertOneCancelled(await cancelOneOfTwo((fn) => requestAnimationFrame(fn), cancelAnimationFrame));
});

// WebKit lacks requestIdleCallback: tests about other APIs leave it out there.
const hasIdle = typeof globalThis.cancelIdleCallback === "function";

test("cancelIdleCallback cancels the idle callback's task once and removes it from pending", async () => {
  requireFunction("requestIdleCallback");
  assertOneCancelled(await cancelOneOfTwo((fn) => requestIdleCallback(fn, { timeout: 100 }), cancelIdleCallback));
});

test("cancelling from another tracked task cancels the task in the scheduling tracker, not in the cancelling one", async () => {
  const a = loggingTracker();
  const b = loggingTracker();
  const id = a.tracker.run(() => label("A", () => setTimeout(() => {}, 1000)));
  const done = deferred();
  b.tracker.run(() => label("B", () => setTimeout(() => { clearTimeout(id); done.resolve(); }, 0)));
  await done.promise;
  await Promise.all([a.tracker.whenIdle(), b.tracker.whenIdle()]);
  assert.deepEqual(a.only("cancelled"), ["cancelled:A:cancelled"]);
  assert.deepEqual(b.only("cancelled"), []);
});

test("clearing a timer a second time does not call cancelled again", async () => {
  const t = loggingTracker();
  const id = t.tracker.run(() => label("twice", () => setTimeout(() => {}, 1000)));
  clearTimeout(id);
  clearTimeout(id);
  await t.tracker.whenIdle();
  assert.deepEqual(t.only("cancelled"), ["cancelled:twice:cancelled"]);
});

test("clearing a timer again from its own cancelled hook does not call the hook again", async () => {
  const calls = [];
  let id;
  const tracker = new Tracker({
    cancelled(task) {
      calls.push(task.state);
      clearTimeout(id);
    },
  });
  id = tracker.run(() => setTimeout(() => {}, 1000));
  clearTimeout(id);
  await tracker.whenIdle();
  assert.deepEqual(calls, ["cancelled"]);
  assert.equal(tracker.hookErrors, 0);
});

test("clearing a timer after it fired does not call cancelled", async () => {
  const t = loggingTracker();
  const fired = deferred();
  const id = t.tracker.run(() => label("fired", () => setTimeout(fired.resolve, 0)));
  await fired.promise;
  clearTimeout(id);
  await t.tracker.whenIdle();
  assert.deepEqual(t.only("cancelled"), []);
  assert.deepEqual(t.log.filter((e) => e.includes(":fired:")), ["scheduled:fired:scheduled", "before:fired:running", "after:fired:running"]);
});

test("clearing unknown ids is harmless: no hook call, no exception, tracked work goes on", async () => {
  const t = loggingTracker();
  const ran = deferred();
  t.tracker.run(() => label("alive", () => setTimeout(ran.resolve, 5)));
  const unknown = [0, -1, 2 ** 31 - 1, 123456789, 1.5, NaN, undefined, null, "7", {}, Symbol.iterator];
  t.tracker.run(() => {
    for (const id of unknown) {
      if (typeof id !== "symbol") {
        clearTimeout(id);
        clearInterval(id);
      }
      cancelAnimationFrame(typeof id === "symbol" ? 0 : id);
      if (hasIdle) cancelIdleCallback(typeof id === "symbol" ? 0 : id);
    }
  });
  for (const id of unknown.slice(0, 5)) {
    clearTimeout(id);
    cancelAnimationFrame(id);
    if (hasIdle) cancelIdleCallback(id);
  }
  await ran.promise;
  await t.tracker.whenIdle();
  assert.deepEqual(t.only("cancelled"), []);
  assert.ok(t.log.includes("after:alive:running"), `log: ${t.log}`);
});

test("cancelAnimationFrame and cancelIdleCallback with a timer's id do not cancel the timer's task", async () => {
  const t = loggingTracker();
  const done = deferred();
  const id = t.tracker.run(() => label("timer", () => setTimeout(done.resolve, 10)));
  cancelAnimationFrame(id);
  if (hasIdle) cancelIdleCallback(id);
  await done.promise;
  await t.tracker.whenIdle();
  assert.deepEqual(t.only("cancelled"), []);
  assert.ok(t.log.includes("after:timer:running"), `log: ${t.log}`);
});

test("a cancelled task is no longer pending, so whenIdle resolves without it", async () => {
  const tracker = new Tracker();
  const id = tracker.run(() => setTimeout(() => {}, 60_000));
  let idle = false;
  tracker.whenIdle().then(() => { idle = true; });
  await sleep(20);
  assert.equal(idle, false, "idle with a timer scheduled");
  clearTimeout(id);
  await tracker.whenIdle();
  assert.deepEqual(tracker.pending, []);
});

test("sending an XHR again supersedes its pending operation: the first operation is cancelled, the second ends", async () => {
  const t = loggingTracker();
  const loads = [];
  const loaded = deferred();
  t.tracker.run(() => {
    const xhr = new XMLHttpRequest();
    xhr.addEventListener("load", () => { loads.push(xhr.responseText); loaded.resolve(); });
    xhr.open("GET", delayUrl(2000, { body: "first" }));
    label("first", () => xhr.send());
    xhr.open("GET", delayUrl(20, { body: "second" }));
    label("second", () => xhr.send());
  });
  await loaded.promise;
  await t.tracker.whenIdle();
  assert.deepEqual(loads, ["second"]);
  assert.deepEqual(t.log.filter((e) => e.includes(":first:")), ["scheduled:first:scheduled", "cancelled:first:cancelled"]);
  assert.deepEqual(t.log.filter((e) => e.includes(":second:")), ["scheduled:second:scheduled", "before:second:running", "after:second:running"]);
});

test("setting a new src on an image supersedes its pending load: the first load's task is cancelled", async () => {
  const t = loggingTracker();
  const loaded = deferred();
  const pixel = (ms) => delayUrl(ms, { file: "/tests/browser/assets/pixel.svg" });
  t.tracker.run(() => {
    const img = new Image();
    img.addEventListener("load", loaded.resolve);
    label("first", () => { img.src = pixel(2000); });
    label("second", () => { img.src = pixel(20); });
  });
  await loaded.promise;
  await t.tracker.whenIdle();
  assert.deepEqual(t.log.filter((e) => e.includes(":first:")), ["scheduled:first:scheduled", "cancelled:first:cancelled"]);
  assert.deepEqual(t.log.filter((e) => e.includes(":second:")), ["scheduled:second:scheduled", "before:second:running", "after:second:running"]);
});
