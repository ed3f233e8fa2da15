// Task tracking (AsyncContext.experimental, tracking builds only): which tasks a Tracker sees, and what
// its task records and hooks look like. A tracker sees the tasks scheduled (transitively) inside its
// run(); the scope propagates like a Variable. Tasks are told apart through label() (which names the
// tasks scheduled synchronously inside it) and through asyncStack() inside the callbacks. Everything is
// recorded in the hooks and callbacks and asserted at the end.

import { test, assert, sleep } from "../harness.js";
import { deferred, delayUrl } from "../assets/events-common.js";

const { Tracker, asyncStack, label } = AsyncContext.experimental;

/** A promise resolved after `count` calls of `tick()`. */
function countdown(count) {
  const { promise, resolve } = deferred();
  return {
    done: promise,
    tick() {
      count -= 1;
      if (count === 0) resolve();
    },
  };
}

/**
 * A tracker logging every hook call as { hook, id, kind, api, label, state } (state as it was at the
 * call), plus the records themselves by id.
 */
function recordingTracker(name, options = {}) {
  const calls = [];
  const records = new Map();
  const note = (hook) => (task) => {
    records.set(task.id, task);
    calls.push({ hook, id: task.id, kind: task.kind, api: task.api, label: task.label, state: task.state });
  };
  const tracker = new Tracker({
    name,
    scheduled: note("scheduled"),
    before: note("before"),
    after: note("after"),
    cancelled: note("cancelled"),
    ...options,
  });
  return {
    tracker,
    calls,
    records,
    /** The labels of the tasks `hook` was called for, in call order (unlabelled tasks as their kind). */
    seen(hook = "scheduled") {
      return calls.filter((c) => c.hook === hook).map((c) => c.label ?? c.kind);
    },
  };
}

/** Sends a GET to the test server's delayed response; `onLoad` is a load listener added before send(). */
function xhrGet(ms, onLoad) {
  const xhr = new XMLHttpRequest();
  xhr.addEventListener("load", onLoad);
  xhr.open("GET", delayUrl(ms));
  xhr.send();
  return xhr;
}

const sorted = (list) => [...list].sort();

// ---- Scope ------------------------------------------------------------------------------------------

test("a task scheduled inside run is seen by the tracker, one scheduled outside run is not", async () => {
  const r = recordingTracker("scope");
  const { done, tick } = countdown(2);
  const stacks = {};
  r.tracker.run(() => label("inside", () => setTimeout(() => { stacks.inside = asyncStack().length; tick(); }, 5)));
  label("outside", () => setTimeout(() => { stacks.outside = asyncStack().length; tick(); }, 0));
  await done;
  assert.deepEqual(r.seen("scheduled"), ["run", "inside"]);
  assert.deepEqual(r.seen("before"), ["run", "inside"]);
  assert.ok(stacks.inside > 0, "the tracked callback has no async stack");
  assert.equal(stacks.outside, 0, "the untracked callback has an async stack");
});

test("the tracker scope propagates through then, setTimeout, queueMicrotask, requestAnimationFrame and an XHR load listener, for two interleaved trackers", async () => {
  const a = recordingTracker("A");
  const b = recordingTracker("B");
  const { done, tick } = countdown(2);
  // Each flow: then → setTimeout → queueMicrotask → requestAnimationFrame → XHR → load listener → then.
  const flow = (name, ms) => () =>
    label(`${name}:then`, () =>
      Promise.resolve().then(() =>
        label(`${name}:timeout`, () =>
          setTimeout(() =>
            label(`${name}:microtask`, () =>
              queueMicrotask(() =>
                label(`${name}:frame`, () =>
                  requestAnimationFrame(() =>
                    label(`${name}:xhr`, () =>
                      xhrGet(ms, () => label(`${name}:last`, () => Promise.resolve().then(tick)))))))), ms))));
  a.tracker.run(flow("A", 60));
  b.tracker.run(flow("B", 10));
  await done;
  // The XHR operation runs (before/after) around the dispatch of its final event, loadend.
  await Promise.all([a.tracker.whenIdle(), b.tracker.whenIdle()]);
  // The XHR operation carries the label active at send(); its load listener's task is scheduled at
  // the dispatch, outside any label.
  const expected = (name) => ["run", `${name}:then`, `${name}:timeout`, `${name}:microtask`, `${name}:frame`, `${name}:xhr`, "event-listener", `${name}:last`];
  const kinds = (r) => r.calls.filter((c) => c.hook === "before").map((c) => c.kind);
  assert.deepEqual(sorted(kinds(a)), sorted(["run", "promise-reaction", "timeout", "microtask", "animation-frame", "xhr", "event-listener", "promise-reaction"]), "A's tasks");
  assert.deepEqual(sorted(kinds(b)), sorted(kinds(a)), "B's tasks");
  assert.deepEqual(a.seen("scheduled"), expected("A"), "A's labels");
  assert.deepEqual(b.seen("scheduled"), expected("B"), "B's labels");
});

test("two trackers running concurrently with interleaved timers each see only the tasks of their own run", async () => {
  const a = recordingTracker("A");
  const b = recordingTracker("B");
  const { done, tick } = countdown(6);
  const chain = (name, delays) => () => {
    for (const [i, ms] of delays.entries()) {
      label(`${name}${i}`, () => setTimeout(() => label(`${name}${i}+`, () => queueMicrotask(tick)), ms));
    }
  };
  a.tracker.run(chain("A", [0, 20, 40]));
  b.tracker.run(chain("B", [10, 30, 50]));
  await done;
  assert.deepEqual(a.seen(), ["run", "A0", "A1", "A2", "A0+", "A1+", "A2+"]);
  assert.deepEqual(b.seen(), ["run", "B0", "B1", "B2", "B0+", "B1+", "B2+"]);
  const idsA = new Set(a.records.keys());
  assert.ok([...b.records.keys()].every((id) => !idsA.has(id)), "the trackers share a task");
});

test("a nested tracker sees only the tasks of its own run, the outer tracker sees both", async () => {
  const outer = recordingTracker("outer");
  const inner = recordingTracker("inner");
  const { done, tick } = countdown(3);
  outer.tracker.run(() => {
    label("outer-before", () => setTimeout(tick, 0));
    inner.tracker.run(() => label("inner", () => setTimeout(tick, 5)));
    label("outer-after", () => setTimeout(tick, 10));
  });
  await done;
  assert.deepEqual(outer.seen(), ["run", "outer-before", "run", "inner", "outer-after"]);
  assert.deepEqual(inner.seen(), ["run", "inner"]);
});

test("a task scheduled later by a callback of a nested run is seen by both trackers", async () => {
  const outer = recordingTracker("outer");
  const inner = recordingTracker("inner");
  const { promise, resolve } = deferred();
  outer.tracker.run(() =>
    inner.tracker.run(() => setTimeout(() => label("later", () => Promise.resolve().then(resolve)), 0)));
  await promise;
  assert.ok(outer.seen().includes("later"), `outer: ${outer.seen()}`);
  assert.ok(inner.seen().includes("later"), `inner: ${inner.seen()}`);
});

test("running a tracker inside its own run reports each task to it once", async () => {
  const r = recordingTracker("self");
  const { promise, resolve } = deferred();
  r.tracker.run(() => r.tracker.run(() => label("t", () => setTimeout(resolve, 0))));
  await promise;
  assert.deepEqual(r.seen("scheduled"), ["run", "run", "t"]);
  assert.deepEqual(r.seen("before"), ["run", "run", "t"]);
});

test("a Snapshot taken inside run keeps the tracker scope when it runs a function outside", async () => {
  const r = recordingTracker("snapshot");
  const { done, tick } = countdown(2);
  const snapshot = r.tracker.run(() => new AsyncContext.Snapshot());
  const wrapped = r.tracker.run(() => AsyncContext.Snapshot.wrap(() => label("wrapped", () => setTimeout(tick, 0))));
  snapshot.run(() => label("snapshot", () => setTimeout(tick, 0)));
  wrapped();
  await done;
  assert.deepEqual(r.seen(), ["run", "run", "snapshot", "wrapped"]);
});

test("a Snapshot taken outside run leaves the tracker scope when it runs a function inside", async () => {
  const r = recordingTracker("snapshot");
  const { done, tick } = countdown(2);
  const outside = new AsyncContext.Snapshot();
  r.tracker.run(() => {
    outside.run(() => label("left", () => setTimeout(tick, 0)));
    label("kept", () => setTimeout(tick, 0));
  });
  await done;
  assert.deepEqual(r.seen(), ["run", "kept"]);
});

test("a Variable bound inside run is seen by the tracked callbacks as without a tracker", async () => {
  const v = new AsyncContext.Variable({ defaultValue: "empty" });
  const r = recordingTracker("variables");
  const seen = [];
  const { done, tick } = countdown(2);
  v.run("outer", () =>
    r.tracker.run(() => {
      setTimeout(() => { seen.push(`A:${v.get()}`); tick(); }, 5);
      v.run("inner", () => Promise.resolve().then(() => { seen.push(`B:${v.get()}`); tick(); }));
    }));
  await done;
  assert.deepEqual(seen, ["B:inner", "A:outer"]);
});

// ---- run ----------------------------------------------------------------------------------------------

test("run calls fn with the given arguments and returns its result", () => {
  const r = recordingTracker("run");
  const result = r.tracker.run((x, y) => [x, y, asyncStack().length], 1, "two");
  assert.deepEqual(result, [1, "two", 1]);
});

test("run throws a TypeError for a non-callable fn without scheduling a task", () => {
  const r = recordingTracker("run");
  for (const bad of [undefined, null, 1, "f", {}]) assert.throws(() => r.tracker.run(bad), TypeError, `run(${String(bad)})`);
  assert.deepEqual(r.calls, []);
  assert.deepEqual(asyncStack(), []);
});

test("an exception thrown by fn propagates out of run and the run task still ends", () => {
  const r = recordingTracker("run");
  const error = new Error("boom");
  const thrown = assert.throws(() => r.tracker.run(() => { throw error; }), Error);
  assert.equal(thrown, error);
  assert.deepEqual(r.calls.map((c) => `${c.hook}:${c.kind}`), ["scheduled:run", "before:run", "after:run"]);
  assert.equal(r.tracker.pending.length, 0);
});

test("the Tracker constructor throws a TypeError for non-object options or a non-function hook", () => {
  for (const bad of [null, 1, "options", true]) assert.throws(() => new Tracker(bad), TypeError, `options ${String(bad)}`);
  for (const hook of ["scheduled", "before", "after", "cancelled"]) {
    assert.throws(() => new Tracker({ [hook]: 1 }), TypeError, `${hook}: 1`);
    assert.throws(() => new Tracker({ [hook]: {} }), TypeError, `${hook}: {}`);
  }
  assert.equal(new Tracker({ name: "n" }).name, "n");
  assert.equal(new Tracker().name, "");
  assert.equal(Object.prototype.toString.call(new Tracker()), "[object AsyncContext.experimental.Tracker]");
});

// ---- Records ------------------------------------------------------------------------------------------

test("the synchronous body of run is a task of kind run, with parentId 0 when run is called outside any task", () => {
  const r = recordingTracker("root");
  r.tracker.run(() => {});
  const [scheduled] = r.calls;
  const record = r.records.get(scheduled.id);
  assert.equal(record.kind, "run");
  assert.equal(record.api, "run");
  assert.equal(record.parentId, 0);
  assert.equal(record.state, "done");
  assert.equal(record.runs, 1);
});

test("task ids are unique and increase in scheduling order, across trackers", async () => {
  const a = recordingTracker("A");
  const b = recordingTracker("B");
  const { done, tick } = countdown(4);
  a.tracker.run(() => { setTimeout(tick, 0); Promise.resolve().then(tick); });
  b.tracker.run(() => { queueMicrotask(tick); setTimeout(tick, 0); });
  await done;
  const ids = [...a.calls, ...b.calls].filter((c) => c.hook === "scheduled").map((c) => c.id);
  for (let i = 1; i < ids.length; i++) assert.ok(ids[i] > ids[i - 1], `ids not increasing: ${ids}`);
  assert.ok(Number.isInteger(ids[0]) && ids[0] > 0, `first id ${ids[0]}`);
});

test("kind and api name the scheduling API of each task", async () => {
  const r = recordingTracker("kinds");
  // WebKit lacks requestIdleCallback: the other APIs are checked there.
  const hasIdle = typeof globalThis.requestIdleCallback === "function";
  const { done, tick } = countdown(hasIdle ? 5 : 4);
  r.tracker.run(() => {
    label("then", () => Promise.resolve().then(tick));
    label("setTimeout", () => setTimeout(tick, 0));
    label("queueMicrotask", () => queueMicrotask(tick));
    label("requestAnimationFrame", () => requestAnimationFrame(tick));
    if (hasIdle) label("requestIdleCallback", () => requestIdleCallback(tick, { timeout: 100 }));
    label("setInterval", () => {
      const id = setInterval(() => clearInterval(id), 1);
    });
  });
  await done;
  await sleep(20);
  const byLabel = {};
  for (const record of r.records.values()) if (record.label) byLabel[record.label] = [record.kind, record.api, record.repeating];
  assert.deepEqual(byLabel, {
    then: ["promise-reaction", "then", false],
    setTimeout: ["timeout", "setTimeout", false],
    queueMicrotask: ["microtask", "queueMicrotask", false],
    requestAnimationFrame: ["animation-frame", "requestAnimationFrame", false],
    ...(hasIdle ? { requestIdleCallback: ["idle-callback", "requestIdleCallback", false] } : {}),
    setInterval: ["interval", "setInterval", true],
  });
});

test("parentId links each task to the task that was running when it was scheduled", async () => {
  const r = recordingTracker("parents");
  const { promise, resolve } = deferred();
  r.tracker.run(() =>
    label("timeout", () =>
      setTimeout(() => label("microtask", () => queueMicrotask(() => label("reaction", () => Promise.resolve().then(resolve))))),
    ));
  await promise;
  const byLabel = {};
  for (const record of r.records.values()) byLabel[record.label ?? record.kind] = record;
  assert.equal(byLabel.run.parentId, 0, "run");
  assert.equal(byLabel.timeout.parentId, byLabel.run.id, "timeout");
  assert.equal(byLabel.microtask.parentId, byLabel.timeout.id, "microtask");
  assert.equal(byLabel.reaction.parentId, byLabel.microtask.id, "reaction");
});

test("parentId of a task scheduled inside a nested run is the inner run task", () => {
  const outer = recordingTracker("outer");
  const inner = recordingTracker("inner");
  let t;
  outer.tracker.run(() => inner.tracker.run(() => { t = setTimeout(() => {}, 0); }));
  clearTimeout(t);
  const [outerRun, innerRun, timeout] = outer.calls.filter((c) => c.hook === "scheduled").map((c) => outer.records.get(c.id));
  assert.equal(innerRun.parentId, outerRun.id);
  assert.equal(timeout.parentId, innerRun.id);
  assert.equal(inner.records.get(timeout.id), timeout, "both trackers get the same record");
});

test("scheduledAt is the performance.now() time of the scheduling call", () => {
  const r = recordingTracker("time");
  const before = performance.now();
  let id;
  r.tracker.run(() => { id = setTimeout(() => {}, 0); });
  const after = performance.now();
  clearTimeout(id);
  for (const record of r.records.values()) {
    assert.equal(typeof record.scheduledAt, "number");
    assert.ok(record.scheduledAt >= before && record.scheduledAt <= after, `${record.kind}: ${record.scheduledAt} not in [${before}, ${after}]`);
  }
});

test("a one-shot task is scheduled, then running in before and after, then done; hooks in that order", async () => {
  const r = recordingTracker("states");
  const { promise, resolve } = deferred();
  r.tracker.run(() => label("t", () => setTimeout(() => resolve(r.records.get(asyncStack()[0].id).state), 0)));
  const stateInside = await promise;
  await sleep(0);
  const calls = r.calls.filter((c) => c.label === "t").map((c) => `${c.hook}:${c.state}`);
  assert.deepEqual(calls, ["scheduled:scheduled", "before:running", "after:running"]);
  assert.equal(stateInside, "running");
  const record = [...r.records.values()].find((x) => x.label === "t");
  assert.equal(record.state, "done");
  assert.equal(record.runs, 1);
  assert.equal(record.repeating, false);
});

test("an interval is one repeating task: runs counts its ticks and it is cancelled when cleared", async () => {
  const r = recordingTracker("interval");
  const { promise, resolve } = deferred();
  let ticks = 0;
  r.tracker.run(() =>
    label("interval", () => {
      const id = setInterval(() => {
        ticks += 1;
        if (ticks === 3) {
          clearInterval(id);
          resolve();
        }
      }, 1);
    }));
  await promise;
  await sleep(10);
  const calls = r.calls.filter((c) => c.label === "interval").map((c) => c.hook);
  assert.deepEqual(calls, ["scheduled", "before", "after", "before", "after", "before", "cancelled", "after"]);
  const record = [...r.records.values()].find((x) => x.label === "interval");
  assert.equal(record.runs, 3);
  assert.equal(record.state, "cancelled");
  assert.equal(new Set(r.calls.filter((c) => c.label === "interval").map((c) => c.id)).size, 1, "one task id for every tick");
});

// ---- Hooks ----------------------------------------------------------------------------------------------

test("hooks are called with this set to the tracker", async () => {
  const thisValues = [];
  const hook = function () { thisValues.push(this); };
  const tracker = new Tracker({ scheduled: hook, before: hook, after: hook, cancelled: hook });
  const { promise, resolve } = deferred();
  tracker.run(() => {
    clearTimeout(setTimeout(() => {}, 0));
    setTimeout(resolve, 0);
  });
  await promise;
  await sleep(0);
  assert.ok(thisValues.length >= 8, `only ${thisValues.length} hook calls`);
  assert.ok(thisValues.every((t) => t === tracker), "a hook was called with another this");
});

test("hooks run in the empty context: a Variable bound around run and around the scheduling call is not visible", async () => {
  const v = new AsyncContext.Variable({ defaultValue: "empty" });
  const seen = new Set();
  const hook = () => seen.add(v.get());
  const tracker = new Tracker({ scheduled: hook, before: hook, after: hook, cancelled: hook });
  const { promise, resolve } = deferred();
  const inCallback = [];
  v.run("around run", () =>
    tracker.run(() =>
      v.run("around setTimeout", () => {
        clearTimeout(setTimeout(() => {}, 0));
        setTimeout(() => { inCallback.push(v.get()); resolve(); }, 0);
      })));
  await promise;
  await sleep(0);
  assert.deepEqual(inCallback, ["around setTimeout"], "the callback itself sees its context");
  assert.deepEqual([...seen], ["empty"]);
});

test("tasks scheduled by a hook are not tracked", async () => {
  const r = { scheduled: 0, hookTimers: [] };
  const hookTimerRan = deferred();
  const tracker = new Tracker({
    scheduled() {
      r.scheduled += 1;
      // Would feed itself forever if tracked.
      setTimeout(() => { r.hookTimers.push(asyncStack().length); if (r.hookTimers.length === 3) hookTimerRan.resolve(); }, 0);
      Promise.resolve().then(() => {});
    },
  });
  const { promise, resolve } = deferred();
  tracker.run(() => setTimeout(() => queueMicrotask(resolve), 0));
  await promise;
  await hookTimerRan.promise;
  await sleep(10);
  assert.equal(r.scheduled, 3, "run, timeout, microtask");
  assert.deepEqual(r.hookTimers, [0, 0, 0], "the hooks' timers ran untracked");
  assert.equal(tracker.pending.length, 0);
});
