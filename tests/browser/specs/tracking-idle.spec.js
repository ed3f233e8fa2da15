// Task tracking: tracker.pending and tracker.whenIdle(). A tracker is idle when none of its one-shot tasks
// is scheduled or running and none of its intervals is due; whenIdle() resolves once that holds, checked
// from a macrotask after the last task ended. Every test records what ran (in order) and checks that the
// idle promise resolved after all of the tracked work, never by how long anything took.

import { test, assert, sleep, nextTask, collectGarbage, requireFunction } from "../harness.js";
import { deferred, delayUrl } from "../assets/events-common.js";

const { Tracker, label } = AsyncContext.experimental;

/** Runs `fn` in a new tracker and resolves with the log once whenIdle() resolves ("idle" is logged then). */
async function idleAfter(fn, options = {}) {
  const log = [];
  const tracker = new Tracker(options);
  tracker.run(fn, log);
  await tracker.whenIdle();
  log.push("idle");
  return { log, tracker };
}

/** Resolves once `predicate()` holds, polling every macrotask (bounded; the caller asserts). */
async function until(predicate, rounds = 500) {
  for (let i = 0; i < rounds && !predicate(); i++) await sleep(5);
  return predicate();
}

test("whenIdle resolves after every nested timer of the run has fired", async () => {
  const { log, tracker } = await idleAfter((log) => {
    setTimeout(() => {
      log.push("t1");
      setTimeout(() => log.push("t3"), 30);
    }, 10);
    setTimeout(() => log.push("t2"), 20);
  });
  assert.deepEqual(log, ["t1", "t2", "t3", "idle"]);
  assert.deepEqual(tracker.pending, []);
});

test("whenIdle resolves after a promise chain that waits on a timer has ended", async () => {
  const { log } = await idleAfter((log) => {
    Promise.resolve()
      .then(() => log.push("a"))
      .then(() => new Promise((resolve) => setTimeout(resolve, 30)))
      .then(() => log.push("b"))
      .finally(() => log.push("c"));
  });
  assert.deepEqual(log, ["a", "b", "c", "idle"]);
});

test("whenIdle resolves after nested animation frame callbacks", async () => {
  const { log } = await idleAfter((log) => {
    requestAnimationFrame(() => {
      log.push("frame 1");
      requestAnimationFrame(() => log.push("frame 2"));
    });
  });
  assert.deepEqual(log, ["frame 1", "frame 2", "idle"]);
});

test("whenIdle resolves after an idle callback and the timer it schedules", async () => {
  requireFunction("requestIdleCallback");
  const { log } = await idleAfter((log) => {
    requestIdleCallback(() => {
      log.push("idle callback");
      setTimeout(() => log.push("timer"), 10);
    }, { timeout: 200 });
  });
  assert.deepEqual(log, ["idle callback", "timer", "idle"]);
});

test("whenIdle waits for a real XHR until its loadend and for the work of its listeners", async () => {
  const { log } = await idleAfter((log) => {
    const xhr = new XMLHttpRequest();
    xhr.addEventListener("load", () => {
      log.push(`load ${xhr.responseText}`);
      setTimeout(() => log.push("after load"), 20);
    });
    xhr.open("GET", delayUrl(80, { body: "xhr" }));
    xhr.send();
  });
  assert.deepEqual(log, ["load xhr", "after load", "idle"]);
});

test("an XHR without any listener keeps the tracker pending until it has completed", async () => {
  let xhr;
  const { log, tracker } = await idleAfter(() => {
    xhr = new XMLHttpRequest();
    xhr.open("GET", delayUrl(80, { body: "quiet" }));
    xhr.send();
  });
  assert.deepEqual(log, ["idle"]);
  assert.equal(xhr.readyState, XMLHttpRequest.DONE, "whenIdle resolved before the request completed");
  assert.equal(xhr.responseText, "quiet");
  assert.deepEqual(tracker.pending, []);
});

test("whenIdle waits for fetch and the reactions on its response body", async () => {
  const { log } = await idleAfter((log) => {
    fetch(delayUrl(80, { body: "fetched" }))
      .then((response) => response.text())
      .then((text) => log.push(text));
  });
  assert.deepEqual(log, ["fetched", "idle"]);
});

test("a fetch is pending with kind fetch and its URL as detail until its promise settles", async () => {
  const tracker = new Tracker();
  const url = delayUrl(60, { body: "x" });
  const response = tracker.run(() => fetch(url));
  const pending = tracker.pending.filter((t) => t.kind === "fetch");
  assert.equal(pending.length, 1, "one fetch task");
  assert.equal(pending[0].api, "fetch");
  assert.equal(pending[0].detail, url);
  await response;
  await tracker.whenIdle();
  assert.equal(pending[0].state, "done");
});

test("an interval does not keep the tracker busy between its ticks", async () => {
  const tracker = new Tracker();
  let ticks = 0;
  const twoTicks = deferred();
  const id = tracker.run(() =>
    setInterval(() => {
      ticks += 1;
      if (ticks === 2) twoTicks.resolve();
    }, 100));
  try {
    await twoTicks.promise;
    await tracker.whenIdle();
    assert.deepEqual(tracker.pending.filter((t) => t.kind === "interval").map((t) => t.state), [], "the interval is pending between ticks");
    // The interval goes on after the tracker was idle.
    const at = ticks;
    assert.ok(await until(() => ticks > at), "the interval stopped ticking");
  } finally {
    clearInterval(id);
  }
});

test("an interval with period 0 is always due, so whenIdle waits until it is cleared", async () => {
  const { log, tracker } = await idleAfter((log) => {
    let ticks = 0;
    const id = setInterval(() => {
      ticks += 1;
      log.push(`tick ${ticks}`);
      if (ticks === 5) clearInterval(id);
    }, 0);
  });
  assert.deepEqual(log, ["tick 1", "tick 2", "tick 3", "tick 4", "tick 5", "idle"]);
  assert.deepEqual(tracker.pending, []);
});

test("a due interval is listed in pending", () => {
  const tracker = new Tracker();
  const id = tracker.run(() => label("due", () => setInterval(() => {}, 0)));
  try {
    const pending = tracker.pending;
    assert.deepEqual(pending.map((t) => [t.label, t.kind, t.repeating]), [["due", "interval", true]]);
  } finally {
    clearInterval(id);
  }
  assert.deepEqual(tracker.pending, [], "after clearInterval");
});

test("whenIdle resolves once a pending interval is cleared", async () => {
  const tracker = new Tracker();
  const id = tracker.run(() => setInterval(() => {}, 0));
  let idle = false;
  tracker.whenIdle().then(() => { idle = true; });
  await sleep(20);
  assert.equal(idle, false, "idle while a due interval is pending");
  clearInterval(id);
  assert.ok(await until(() => idle), "whenIdle did not resolve after clearInterval");
});

test("pending lists the scheduled one-shot tasks, oldest first, frozen", () => {
  const tracker = new Tracker();
  const ids = [];
  tracker.run(() => {
    label("first", () => ids.push(setTimeout(() => {}, 1000)));
    label("second", () => ids.push(setTimeout(() => {}, 1000)));
  });
  const pending = tracker.pending;
  const listed = pending.map((t) => [t.label, t.state]);
  for (const id of ids) clearTimeout(id);
  assert.deepEqual(listed, [["first", "scheduled"], ["second", "scheduled"]]);
  assert.ok(Object.isFrozen(pending), "pending is not frozen");
  assert.deepEqual(tracker.pending, []);
});

test("pending contains the running task while its callback runs", async () => {
  const tracker = new Tracker();
  const { promise, resolve } = deferred();
  tracker.run(() => label("self", () => setTimeout(() => resolve(tracker.pending.map((t) => [t.label, t.state])), 0)));
  assert.deepEqual(await promise, [["self", "running"]]);
});

test("whenIdle resolves at once for a tracker that never ran anything", async () => {
  const tracker = new Tracker();
  assert.deepEqual(tracker.pending, []);
  await tracker.whenIdle();
});

test("a then on a never-settling promise keeps the tracker pending", async () => {
  const tracker = new Tracker();
  let idle = false;
  const forever = new Promise(() => {});
  tracker.run(() => label("waits", () => forever.then(() => {})));
  tracker.whenIdle().then(() => { idle = true; });
  await sleep(50);
  assert.equal(idle, false);
  assert.deepEqual(tracker.pending.map((t) => [t.label, t.kind, t.state]), [["waits", "promise-reaction", "scheduled"]]);
});

test("when a never-settling promise with a tracked reaction is collected, the reaction is cancelled and whenIdle resolves", async () => {
  const cancelled = [];
  const tracker = new Tracker({ cancelled: (task) => cancelled.push([task.label, task.kind, task.state]) });
  // Nothing outside this function keeps the promise, its reaction or the derived promise.
  (() => {
    const forever = new Promise(() => {});
    tracker.run(() => label("dropped", () => forever.then(() => {})));
  })();
  let idle = false;
  tracker.whenIdle().then(() => { idle = true; });
  await nextTask();
  assert.equal(tracker.pending.length, 1, "the reaction is pending before the collection");
  const collected = await collectGarbage(() => idle, { rounds: 50 });
  assert.ok(collected, `whenIdle did not resolve after the collection; cancelled: ${JSON.stringify(cancelled)}`);
  assert.deepEqual(cancelled, [["dropped", "promise-reaction", "cancelled"]]);
  assert.deepEqual(tracker.pending, []);
}, { timeout: 30_000 });

test("two concurrently running tracked test cases each wait only for their own whenIdle", async () => {
  // Case A waits on a gate that the test opens only after case B was idle, then has a timer of its own.
  const gate = deferred();
  const log = [];
  const a = new Tracker({ name: "A" });
  const b = new Tracker({ name: "B" });
  a.run(() => {
    setTimeout(() => log.push("A timer 1"), 0);
    gate.promise.then(() => setTimeout(() => log.push("A timer 2"), 40));
  });
  b.run(() => {
    setTimeout(() => Promise.resolve().then(() => log.push("B reaction")), 5);
    setTimeout(() => log.push("B timer"), 15);
  });
  let aIdle = false;
  const idleA = a.whenIdle().then(() => { aIdle = true; log.push("A idle"); });
  await b.whenIdle();
  log.push("B idle");
  assert.equal(aIdle, false, "A was idle while waiting on the gate");
  assert.ok(a.pending.length > 0, "A has nothing pending while waiting on the gate");
  gate.resolve();
  await idleA;
  assert.deepEqual(log.filter((e) => e.startsWith("B")), ["B reaction", "B timer", "B idle"]);
  assert.deepEqual(log.filter((e) => e.startsWith("A")), ["A timer 1", "A timer 2", "A idle"]);
  assert.ok(log.indexOf("B idle") < log.indexOf("A timer 2"), `order: ${log}`);
});

test("whenIdle of two concurrent trackers with interleaved timers each resolve after their own last task", async () => {
  const log = [];
  const a = new Tracker({ name: "A" });
  const b = new Tracker({ name: "B" });
  a.run(() => setTimeout(() => { log.push("A1"); setTimeout(() => log.push("A2"), 150); }, 0));
  b.run(() => setTimeout(() => { log.push("B1"); setTimeout(() => log.push("B2"), 10); }, 5));
  await Promise.all([
    a.whenIdle().then(() => log.push("A idle")),
    b.whenIdle().then(() => log.push("B idle")),
  ]);
  assert.ok(log.indexOf("A idle") > log.indexOf("A2"), `A: ${log}`);
  assert.ok(log.indexOf("B idle") > log.indexOf("B2"), `B: ${log}`);
});

test("whenIdle().then(...) called inside the tracker's own run does not deadlock and is not pending", async () => {
  const tracker = new Tracker();
  const log = [];
  const { promise, resolve } = deferred();
  tracker.run(() => {
    setTimeout(() => {
      log.push(`timer, pending: ${tracker.pending.length}`);
    }, 10);
    tracker.whenIdle()
      .then(() => log.push("idle"))
      .then(() => { log.push("derived"); resolve(); });
  });
  await promise;
  assert.deepEqual(log, ["timer, pending: 1", "idle", "derived"]);
});

test("whenIdle called from a tracked callback resolves after the rest of the run's work", async () => {
  const tracker = new Tracker();
  const log = [];
  const { promise, resolve } = deferred();
  tracker.run(() => {
    setTimeout(() => {
      log.push("first");
      tracker.whenIdle().then(() => { log.push("idle"); resolve(); });
    }, 0);
    setTimeout(() => log.push("second"), 30);
  });
  await promise;
  assert.deepEqual(log, ["first", "second", "idle"]);
});

test("several whenIdle calls all resolve, each with undefined", async () => {
  const tracker = new Tracker();
  tracker.run(() => setTimeout(() => {}, 10));
  const values = await Promise.all([tracker.whenIdle(), tracker.whenIdle(), tracker.whenIdle()]);
  assert.deepEqual(values, [undefined, undefined, undefined]);
});

test("native await inside a tracked async function is not tracked work", async () => {
  const tracker = new Tracker();
  const log = [];
  const gate = deferred();
  tracker.run(async () => {
    await gate.promise; // native await: no then call, no task
    log.push("resumed");
  });
  await tracker.whenIdle();
  log.push("idle");
  gate.resolve();
  await sleep(0);
  assert.deepEqual(log, ["idle", "resumed"]);
});
