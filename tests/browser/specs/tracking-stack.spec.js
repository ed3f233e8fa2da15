// Task tracking: the async call graph as asyncStack() shows it. Inside a tracked task, asyncStack() lists
// the running task and the tasks that scheduled it, innermost first, down to the run() that started the
// flow; an entry's `ready` names the task whose completion made it runnable when that is not the next
// entry (a promise reaction waiting on an earlier reaction, a fetch reaction waiting on the request).
// Stacks are captured inside the callbacks and compared at the end.

import { test, assert } from "../harness.js";
import { deferred, delayUrl } from "../assets/events-common.js";

const { Tracker, asyncStack, label } = AsyncContext.experimental;

/** Entries reduced to "kind" or "kind:label" (elided entries as "elided"), for comparisons. */
const shape = (stack) => stack.map((e) => (e.kind === "elided" ? "elided" : e.label ? `${e.kind}:${e.label}` : e.kind));

test("asyncStack() is an empty array outside tracked tasks", async () => {
  assert.deepEqual(asyncStack(), [], "test body");
  const v = new AsyncContext.Variable();
  assert.deepEqual(v.run(1, () => asyncStack()), [], "inside a Variable's run only");
  const untracked = await new Promise((resolve) => v.run(1, () => setTimeout(() => resolve(asyncStack()), 0)));
  assert.deepEqual(untracked, [], "untracked timer callback");
  const afterRun = new Tracker();
  afterRun.run(() => {});
  assert.deepEqual(asyncStack(), [], "after a run returned");
  assert.ok(Object.isFrozen(asyncStack()), "not frozen");
});

test("inside the body of run, asyncStack() is the run task alone", () => {
  const tracker = new Tracker();
  const stack = tracker.run(() => asyncStack());
  assert.deepEqual(stack.map((e) => [e.kind, e.api, e.repeat, e.ready]), [["run", "run", 0, null]]);
  assert.ok(Object.isFrozen(stack) && Object.isFrozen(stack[0]), "stack and entries are frozen");
  assert.deepEqual(Object.keys(stack[0]).sort(), ["api", "detail", "id", "kind", "label", "ready", "repeat", "stack"]);
});

test("in p.then(a).then(b), b's entry is ready on a's task and links to the run, for two interleaved chains", async () => {
  const seen = {};
  const ends = ["A", "B"].map((name) => {
    const tracker = new Tracker({ name });
    return tracker.run(() =>
      Promise.resolve()
        .then(() => { seen[`${name}:a`] = asyncStack(); })
        .then(() => { seen[`${name}:b`] = asyncStack(); }));
  });
  await Promise.all(ends);
  for (const name of ["A", "B"]) {
    const a = seen[`${name}:a`];
    const b = seen[`${name}:b`];
    assert.deepEqual(shape(a), ["promise-reaction", "run"], `${name}: a`);
    assert.deepEqual(shape(b), ["promise-reaction", "run"], `${name}: b`);
    assert.equal(a[0].ready, null, `${name}: a is ready at once`);
    assert.ok(b[0].ready !== null, `${name}: b has no ready entry`);
    assert.equal(b[0].ready.id, a[0].id, `${name}: b's ready is not its own a`);
    assert.equal(b[1].id, a[1].id, `${name}: a and b do not share the run`);
  }
  assert.notEqual(seen["A:b"][1].id, seen["B:b"][1].id, "both chains show the same run");
});

test("the record of a reaction on a derived promise has readyId = the reaction that settles it and parentId = the scheduling task", async () => {
  const records = [];
  const tracker = new Tracker({ scheduled: (task) => records.push(task) });
  await tracker.run(() => label("a", () => Promise.resolve().then(() => {})).then(() => {}));
  const [run, a, b] = records;
  assert.equal(a.label, "a");
  assert.equal(a.readyId, 0);
  assert.equal(b.readyId, a.id);
  assert.equal(b.parentId, run.id);
});

test("a timer chain lists every timer innermost first down to the run", async () => {
  const tracker = new Tracker();
  const stack = await new Promise((resolve) =>
    tracker.run(() =>
      label("outer", () =>
        setTimeout(() =>
          label("middle", () =>
            setTimeout(() =>
              label("inner", () => setTimeout(() => resolve(asyncStack()), 0)), 0)), 0))));
  assert.deepEqual(shape(stack), ["timeout:inner", "timeout:middle", "timeout:outer", "run"]);
  const ids = stack.map((e) => e.id);
  assert.ok(ids[0] > ids[1] && ids[1] > ids[2] && ids[2] > ids[3], `ids: ${ids}`);
  assert.ok(stack.every((e) => e.repeat === 0 && e.ready === null), "no folding, no ready edge");
});

test("timers that reschedule themselves with the same signature fold into one entry whose repeat counts the earlier ones", async () => {
  const tracker = new Tracker();
  const stacks = [];
  await new Promise((resolve) =>
    tracker.run(() => {
      const step = (n) => {
        stacks.push(asyncStack());
        if (n === 0) resolve();
        else setTimeout(step, 0, n - 1);
      };
      setTimeout(step, 0, 3);
    }));
  assert.deepEqual(stacks.map(shape), [["timeout", "run"], ["timeout", "run"], ["timeout", "run"], ["timeout", "run"]]);
  assert.deepEqual(stacks.map((s) => s[0].repeat), [0, 1, 2, 3]);
});

test("a timer with another label does not fold into the entry of its parent", async () => {
  const tracker = new Tracker();
  const stack = await new Promise((resolve) =>
    tracker.run(() => setTimeout(() => label("other", () => setTimeout(() => resolve(asyncStack()), 0)), 0)));
  assert.deepEqual(shape(stack), ["timeout:other", "timeout", "run"]);
});

test("an XHR load listener's entry links to the XHR operation, below it the run, for two interleaved requests", async () => {
  const stacks = {};
  const trackers = {};
  const loads = [["A", 120], ["B", 20]].map(([name, ms]) => {
    const tracker = (trackers[name] = new Tracker({ name }));
    return new Promise((resolve) =>
      tracker.run(() => {
        const xhr = new XMLHttpRequest();
        xhr.addEventListener("load", () => {
          stacks[name] = asyncStack();
          resolve();
        });
        xhr.open("GET", delayUrl(ms));
        label(`send ${name}`, () => xhr.send());
      }));
  });
  await Promise.all(loads);
  for (const name of ["A", "B"]) {
    const stack = stacks[name];
    assert.deepEqual(shape(stack), ["event-listener", `xhr:send ${name}`, "run"], name);
    assert.equal(stack[0].detail, "load", `${name}: detail`);
    assert.equal(stack[0].api, "addEventListener", `${name}: api`);
    assert.equal(stack[1].api, "XMLHttpRequest", `${name}: operation api`);
  }
  assert.notEqual(stacks.A[1].id, stacks.B[1].id);
});

test("a reaction to fetch is ready on the fetch operation, whose detail is the URL", async () => {
  const tracker = new Tracker();
  const url = delayUrl(30, { body: "f" });
  const stack = await tracker.run(() => fetch(url).then(() => asyncStack()));
  assert.deepEqual(shape(stack), ["promise-reaction", "run"]);
  assert.ok(stack[0].ready !== null, "no ready entry");
  assert.equal(stack[0].ready.kind, "fetch");
  assert.equal(stack[0].ready.detail, url);
});

test("a listener for an event dispatched from JS runs as part of the dispatching task", async () => {
  const tracker = new Tracker();
  const target = new EventTarget();
  const stack = await new Promise((resolve) =>
    tracker.run(() => {
      target.addEventListener("ping", () => resolve(asyncStack()));
      label("dispatcher", () => setTimeout(() => target.dispatchEvent(new Event("ping")), 0));
    }));
  assert.deepEqual(shape(stack), ["timeout:dispatcher", "run"]);
});

test("label() names the tasks scheduled synchronously inside it, in records and in stack entries", async () => {
  const records = [];
  const tracker = new Tracker({ scheduled: (task) => records.push(task) });
  const stacks = [];
  const done = deferred();
  tracker.run(() => {
    label("outer", () => {
      setTimeout(() => stacks.push(asyncStack()), 0);
      label("inner", () => queueMicrotask(() => stacks.push(asyncStack())));
      Promise.resolve().then(() => stacks.push(asyncStack()));
    });
    setTimeout(() => { stacks.push(asyncStack()); done.resolve(); }, 5);
  });
  await done.promise;
  assert.deepEqual(records.map((r) => r.label), [undefined, "outer", "inner", "outer", undefined]);
  assert.deepEqual(stacks.map((s) => s[0].label), ["inner", "outer", "outer", undefined]);
});

test("label() calls fn with its arguments and returns its result, and a TypeError for a non-callable fn", () => {
  assert.deepEqual(label("l", (a, b) => [a, b], 1, 2), [1, 2]);
  assert.throws(() => label("l", null), TypeError);
  assert.throws(() => label("l", "fn"), TypeError);
});

test("label() converts the label to a string and restores the outer label after an exception", async () => {
  const records = [];
  const tracker = new Tracker({ scheduled: (task) => records.push(task) });
  tracker.run(() =>
    label(42, () => {
      assert.throws(() => label("thrown", () => { throw new RangeError(); }), RangeError);
      clearTimeout(setTimeout(() => {}, 0));
    }));
  assert.deepEqual(records.map((r) => r.label), [undefined, "42"]);
});

test("with captureStacks, records and stack entries carry the scheduling call's JS stack", async () => {
  const records = [];
  const tracker = new Tracker({ captureStacks: true, scheduled: (task) => records.push(task) });
  const stack = await new Promise((resolve) => tracker.run(function scheduleHere() { setTimeout(() => resolve(asyncStack()), 0); }));
  const timeout = records.find((r) => r.kind === "timeout");
  assert.equal(typeof timeout.stack, "string");
  assert.ok(timeout.stack.includes("tracking-stack.spec.js"), `stack: ${timeout.stack}`);
  assert.ok(timeout.stack.includes("scheduleHere"), `stack: ${timeout.stack}`);
  assert.equal(stack[0].stack, timeout.stack);
});

test("without captureStacks no stack is recorded", async () => {
  const records = [];
  const tracker = new Tracker({ scheduled: (task) => records.push(task) });
  const stack = await new Promise((resolve) => tracker.run(() => setTimeout(() => resolve(asyncStack()), 0)));
  assert.deepEqual(records.map((r) => r.stack), [undefined, undefined]);
  assert.equal(stack[0].stack, undefined);
});

test("one tracker with captureStacks records stacks for the tasks every tracker in scope sees", async () => {
  const plain = [];
  const outer = new Tracker({ scheduled: (task) => plain.push(task) });
  const inner = new Tracker({ captureStacks: true });
  const done = deferred();
  outer.run(() => {
    setTimeout(() => {}, 0); // outside inner: no stack
    inner.run(() => setTimeout(done.resolve, 0));
  });
  await done.promise;
  const timeouts = plain.filter((r) => r.kind === "timeout");
  assert.equal(timeouts[0].stack, undefined);
  assert.ok(typeof timeouts[1].stack === "string" && timeouts[1].stack.includes("tracking-stack.spec.js"), `stack: ${timeouts[1].stack}`);
});

test("a task of a nested run links to the inner run, which links to the task that ran it", async () => {
  const outer = new Tracker();
  const inner = new Tracker();
  const stack = await new Promise((resolve) =>
    outer.run(() => label("outer timer", () => setTimeout(() => inner.run(() => queueMicrotask(() => resolve(asyncStack()))), 0))));
  assert.deepEqual(shape(stack), ["microtask", "run", "timeout:outer timer", "run"]);
});
