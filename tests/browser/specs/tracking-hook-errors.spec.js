// Task tracking: hooks that throw. Whatever a hook throws stays out of the user's code: the callback still
// runs, in its own context, with its own result or exception. A tracker's first hook error is reported like
// an uncaught exception (reportError: a window "error" event), later ones are only counted in
// tracker.hookErrors (which counts every throw). Other trackers' hooks still run.

import { test, assert, sleep } from "../harness.js";
import { deferred } from "../assets/events-common.js";

const { Tracker, label } = AsyncContext.experimental;

const flow = new AsyncContext.Variable({ name: "flow", defaultValue: "empty" });

class HookError extends Error {}

/** Hooks (all four unless `which` is given) that throw a new HookError numbered in throw order. */
function throwingHooks(which = ["scheduled", "before", "after", "cancelled"], thrown = []) {
  const hooks = {};
  for (const name of which) {
    hooks[name] = (task) => {
      const error = new HookError(`${name} ${task.label ?? task.kind} #${thrown.length + 1}`);
      thrown.push(error);
      throw error;
    };
  }
  return { hooks, thrown };
}

/**
 * Calls `fn` and resolves with the HookErrors reported through window "error" events until `done`
 * resolves (they are cancelled, so the runner does not see them as uncaught).
 */
async function reportedDuring(fn) {
  const reported = [];
  const onError = (event) => {
    if (event.error instanceof HookError) {
      reported.push(event.error);
      event.preventDefault();
    }
  };
  window.addEventListener("error", onError);
  try {
    await fn();
    await sleep(0);
  } finally {
    window.removeEventListener("error", onError);
  }
  return reported;
}

test("callbacks run in their own context with their own result when every hook throws, two interleaved flows", async () => {
  const tracker = new Tracker(throwingHooks().hooks);
  const seen = [];
  let results;
  await reportedDuring(async () => {
    const both = ["A", "B"].map((value, i) =>
      flow.run(value, () =>
        tracker.run(() => {
          const timer = new Promise((resolve) => setTimeout(() => resolve(`timer:${flow.get()}`), 20 - 10 * i));
          const reaction = Promise.resolve(value).then((v) => `then:${v}:${flow.get()}`);
          queueMicrotask(() => seen.push(`microtask:${flow.get()}`));
          return Promise.all([timer, reaction]);
        })));
    results = await Promise.all(both);
    await tracker.whenIdle();
  });
  assert.deepEqual(results, [["timer:A", "then:A:A"], ["timer:B", "then:B:B"]]);
  assert.deepEqual(seen, ["microtask:A", "microtask:B"]);
});

test("run returns fn's result when the hooks of the run task throw", async () => {
  const tracker = new Tracker(throwingHooks().hooks);
  let result;
  await reportedDuring(() => {
    result = tracker.run((x) => `${x}:${flow.get()}`, "value");
  });
  assert.equal(result, "value:empty");
});

test("a throwing scheduled hook does not prevent the scheduling: setTimeout returns an id and the callback runs", async () => {
  const tracker = new Tracker(throwingHooks(["scheduled"]).hooks);
  const ran = deferred();
  let id;
  await reportedDuring(async () => {
    id = flow.run("T", () => tracker.run(() => setTimeout(() => ran.resolve(flow.get()), 0)));
    assert.equal(await ran.promise, "T");
  });
  assert.ok(Number.isInteger(id) && id > 0, `id ${id}`);
});

test("an exception of the callback reaches the derived promise unchanged when before and after throw", async () => {
  const tracker = new Tracker(throwingHooks(["before", "after"]).hooks);
  const own = new TypeError("the callback's own");
  let reason;
  await reportedDuring(async () => {
    const derived = tracker.run(() => Promise.resolve().then(() => { throw own; }));
    reason = await derived.then(() => "fulfilled", (e) => e);
  });
  assert.equal(reason, own);
});

test("the first hook error of a tracker is reported once as a window error event, every throw is counted in hookErrors", async () => {
  const { hooks, thrown } = throwingHooks();
  const tracker = new Tracker(hooks);
  const reported = await reportedDuring(async () => {
    tracker.run(() => {
      setTimeout(() => {}, 0);
      clearTimeout(setTimeout(() => {}, 0));
      Promise.resolve().then(() => {});
    });
    await tracker.whenIdle();
  });
  // run: scheduled, before, after; two timeouts: scheduled, before, after / scheduled, cancelled; then: 3.
  assert.equal(thrown.length, 11, `throws: ${thrown.map((e) => e.message)}`);
  assert.equal(tracker.hookErrors, thrown.length);
  assert.deepEqual(reported, [thrown[0]]);
});

test("each tracker reports its own first hook error", async () => {
  const a = throwingHooks(["before"]);
  const b = throwingHooks(["after"]);
  const trackerA = new Tracker(a.hooks);
  const trackerB = new Tracker(b.hooks);
  const reported = await reportedDuring(async () => {
    trackerA.run(() => trackerB.run(() => setTimeout(() => {}, 0)));
    await Promise.all([trackerA.whenIdle(), trackerB.whenIdle()]);
  });
  assert.equal(trackerA.hookErrors, 3, "A: before of both runs and the timeout");
  assert.equal(trackerB.hookErrors, 2, "B: after of its run and the timeout");
  assert.deepEqual(reported, [a.thrown[0], b.thrown[0]]);
});

test("the hooks of other trackers still run when one tracker's hooks throw", async () => {
  const log = [];
  const note = (hook) => (task) => log.push(`${hook}:${task.label ?? task.kind}`);
  const counting = new Tracker({ scheduled: note("scheduled"), before: note("before"), after: note("after"), cancelled: note("cancelled") });
  const throwing = new Tracker(throwingHooks().hooks);
  await reportedDuring(async () => {
    // The throwing tracker comes first in the task's tracker list (outer run) and last (inner run).
    throwing.run(() => counting.run(() => label("x", () => setTimeout(() => {}, 0))));
    counting.run(() => throwing.run(() => label("y", () => clearTimeout(setTimeout(() => {}, 0)))));
    await counting.whenIdle();
  });
  assert.deepEqual(log.filter((e) => e.endsWith(":x")), ["scheduled:x", "before:x", "after:x"]);
  assert.deepEqual(log.filter((e) => e.endsWith(":y")), ["scheduled:y", "cancelled:y"]);
});

test("a task whose cancelled hook throws still leaves pending", async () => {
  const tracker = new Tracker(throwingHooks(["cancelled"]).hooks);
  await reportedDuring(async () => {
    const id = tracker.run(() => setTimeout(() => {}, 60_000));
    clearTimeout(id);
    await tracker.whenIdle();
  });
  assert.deepEqual(tracker.pending, []);
  assert.equal(tracker.hookErrors, 1);
});

test("a hook throwing a non-Error value is counted and the callback still runs", async () => {
  const tracker = new Tracker({ before() { throw "not an Error"; } });
  const reported = [];
  const onError = (event) => {
    if (event.error === "not an Error") {
      reported.push(event.error);
      event.preventDefault();
    }
  };
  window.addEventListener("error", onError);
  try {
    const ran = deferred();
    flow.run("S", () => tracker.run(() => setTimeout(() => ran.resolve(flow.get()), 0)));
    assert.equal(await ran.promise, "S");
    await sleep(0);
  } finally {
    window.removeEventListener("error", onError);
  }
  assert.equal(tracker.hookErrors, 2);
  assert.deepEqual(reported, ["not an Error"]);
});

test("the window error listener that receives a hook error runs in the empty context", async () => {
  const seen = [];
  const tracker = new Tracker({ before() { throw new HookError("before"); } });
  const onError = (event) => {
    if (event.error instanceof HookError) {
      seen.push(flow.get());
      event.preventDefault();
    }
  };
  window.addEventListener("error", onError);
  try {
    const ran = deferred();
    flow.run("F", () => tracker.run(() => setTimeout(ran.resolve, 0)));
    await ran.promise;
    await sleep(0);
  } finally {
    window.removeEventListener("error", onError);
  }
  assert.deepEqual(seen, ["empty"]);
});
