// AsyncContext.experimental.AsyncTask: libraries with their own scheduling (a MessageChannel setImmediate,
// an event emitter, a queue flushed in batches) create one where work is scheduled; it captures the context
// and, in a tracker's scope, is a task of kind "custom" that runInAsyncScope runs (repeatedly) until it is
// disposed. Two interleaved flows run through each library.

import { test, assert, collectGarbage } from "../harness.js";
import { deferred } from "../assets/events-common.js";

const { Tracker, AsyncTask, asyncStack, label } = AsyncContext.experimental;

const shape = (stack) => stack.map((e) => (e.kind === "elided" ? "elided" : e.label ? `${e.kind}:${e.label}` : e.kind));

/** The setImmediate pattern (React's scheduler): a MessageChannel message runs queued callbacks. */
function createSetImmediate() {
  const channel = new MessageChannel();
  const queue = [];
  channel.port1.onmessage = () => {
    const { task, callback } = queue.shift();
    task.runInAsyncScope(callback);
    task.dispose();
  };
  return (callback) => {
    queue.push({ task: new AsyncTask("setImmediate"), callback });
    channel.port2.postMessage(null);
  };
}

/** An event emitter whose listeners run in the context they were added in, one task per listener. */
class Emitter {
  #listeners = [];
  on(listener) {
    this.#listeners.push({ listener, task: new AsyncTask("emitter listener") });
  }
  off(listener) {
    const i = this.#listeners.findIndex((l) => l.listener === listener);
    if (i >= 0) this.#listeners.splice(i, 1)[0].task.dispose();
  }
  emit(value) {
    for (const { listener, task } of this.#listeners) task.runInAsyncScope(listener, this, value);
  }
}

/** A queue flushed in batches from an untracked timer (the library's own loop). */
/** Ends a task the way `using` would where the engine has Symbol.dispose (WebKitGTK 2.50 has not). */
const disposeTask = (task) => (typeof Symbol.dispose === "symbol" ? task[Symbol.dispose]() : task.dispose());

function createBatchQueue(ms) {
  let items = [];
  let armed = false;
  const flush = () => {
    armed = false;
    const batch = items;
    items = [];
    for (const { task, fn } of batch) {
      task.runInAsyncScope(fn);
      disposeTask(task);
    }
  };
  return (fn) => {
    items.push({ task: new AsyncTask("batch"), fn });
    if (!armed) {
      armed = true;
      // Scheduled in the empty context: nothing but the AsyncTask carries the flow.
      emptyContextSetTimeout(flush, ms);
    }
  };
}

/** setTimeout from the empty context: the timer carries no context and no tracker. */
const emptySnapshot = new AsyncContext.Snapshot();
const emptyContextSetTimeout = (fn, ms) => emptySnapshot.run(() => setTimeout(fn, ms));

test("setImmediate over MessageChannel: each callback runs in its caller's context, as a custom task, and whenIdle waits for it", async () => {
  const setImmediate = createSetImmediate();
  const v = new AsyncContext.Variable({ defaultValue: "empty" });
  const seen = [];
  const trackers = ["A", "B"].map((name) => new Tracker({ name }));
  ["A", "B"].forEach((name, i) =>
    label(name, () =>
      trackers[i].run(() =>
        v.run(name, () =>
          setImmediate(() => {
            seen.push(`${name}:${v.get()}:${shape(asyncStack()).join("<")}`);
          }),
        ),
      ),
    ),
  );
  const idle = [];
  await Promise.all(trackers.map((t) => t.whenIdle().then(() => idle.push(t.name))));
  assert.deepEqual(seen, ["A:A:custom:A<run:A", "B:B:custom:B<run:B"]);
  assert.deepEqual(idle.sort(), ["A", "B"]);
  assert.equal(v.get(), "empty");
});

test("a MessageChannel message without AsyncTask loses the context (the control)", async () => {
  const v = new AsyncContext.Variable({ defaultValue: "empty" });
  const channel = new MessageChannel();
  const done = deferred();
  channel.port1.onmessage = () => done.resolve(v.get());
  v.run("A", () => channel.port2.postMessage(null));
  assert.equal(await done.promise, "empty");
});

test("event emitter: each listener runs in the context it was added in, as its own repeating task", async () => {
  const emitter = new Emitter();
  const v = new AsyncContext.Variable({ defaultValue: "empty" });
  const records = [];
  const tracker = new Tracker({ scheduled: (r) => records.push(r) });
  const seen = [];
  const listenerA = (x) => seen.push(`A ${x} ${v.get()} ${asyncStack()[0].kind}`);
  const listenerB = (x) => seen.push(`B ${x} ${v.get()}`);
  tracker.run(() => v.run("a", () => emitter.on(listenerA)));
  v.run("b", () => emitter.on(listenerB)); // untracked: context only
  v.run("emitter", () => {
    emitter.emit(1);
    emitter.emit(2);
  });
  emitter.off(listenerA);
  emitter.off(listenerB);
  emitter.emit(3);
  assert.deepEqual(seen, ["A 1 a custom", "B 1 b", "A 2 a custom", "B 2 b"]);
  const custom = records.filter((r) => r.kind === "custom");
  assert.deepEqual(custom.map((r) => [r.api, r.detail, r.repeating, r.runs, r.state]), [["AsyncTask", "emitter listener", true, 2, "done"]]);
  await tracker.whenIdle();
});

test("batched queue flushed by an untracked timer: every item keeps its flow and whenIdle waits for the flush", async () => {
  const enqueue = createBatchQueue(20);
  const v = new AsyncContext.Variable({ defaultValue: "empty" });
  const a = new Tracker();
  const b = new Tracker();
  const log = [];
  a.run(() => v.run("A", () => enqueue(() => log.push(`A1 ${v.get()} ${asyncStack()[0].kind}`))));
  b.run(() => v.run("B", () => enqueue(() => log.push(`B1 ${v.get()}`))));
  a.run(() => v.run("A", () => enqueue(() => log.push(`A2 ${v.get()}`))));
  assert.deepEqual(a.pending.map((r) => r.kind), ["custom", "custom"], "unrun items are pending work");
  await a.whenIdle();
  log.push("A idle");
  await b.whenIdle();
  assert.deepEqual(log, ["A1 A custom", "B1 B", "A2 A", "A idle"]);
});

test("runInAsyncScope returns fn's result, passes thisArg and arguments, and can run again", () => {
  const v = new AsyncContext.Variable();
  const task = v.run(1, () => new AsyncTask("t"));
  const self = {};
  const r1 = task.runInAsyncScope(function (x, y) {
    return [this, x, y, v.get()];
  }, self, 2, 3);
  assert.equal(r1[0], self);
  assert.deepEqual(r1.slice(1), [2, 3, 1]);
  assert.equal(task.runInAsyncScope(() => v.get()), 1, "a second run");
  assert.equal(v.get(), undefined, "restored");
  assert.equal(task.name, "t");
});

test("an exception in fn propagates and leaves the caller's context as it was", () => {
  const v = new AsyncContext.Variable({ defaultValue: "outer" });
  const task = v.run("inner", () => new AsyncTask("t"));
  assert.throws(() => task.runInAsyncScope(() => {
    throw new RangeError("x");
  }), RangeError);
  assert.equal(v.get(), "outer");
});

test("runInAsyncScope on a disposed task throws a TypeError and leaves the context unchanged", () => {
  const v = new AsyncContext.Variable({ defaultValue: "outer" });
  const tracker = new Tracker();
  const task = tracker.run(() => v.run("inner", () => new AsyncTask("t")));
  task.dispose();
  let called = false;
  v.run("caller", () => {
    assert.throws(() => task.runInAsyncScope(() => (called = true)), TypeError);
    assert.equal(v.get(), "caller");
  });
  assert.equal(called, false);
  assert.equal(task.disposed, true);
  disposeTask(task); // idempotent
  task.dispose();
});

test("runInAsyncScope with a non-function throws a TypeError and leaves the context unchanged", () => {
  const v = new AsyncContext.Variable({ defaultValue: "outer" });
  const task = v.run("inner", () => new AsyncTask("t"));
  for (const bad of [undefined, null, 1, "f", {}]) {
    v.run("caller", () => {
      assert.throws(() => task.runInAsyncScope(bad), TypeError, `${bad}`);
      assert.equal(v.get(), "caller");
    });
  }
});

test("a task disposed before it ran is cancelled and no longer pending", async () => {
  const cancelled = [];
  const tracker = new Tracker({ cancelled: (r) => cancelled.push(r.kind) });
  const task = tracker.run(() => new AsyncTask("never"));
  assert.deepEqual(tracker.pending.map((r) => r.kind), ["custom"]);
  task.dispose();
  assert.deepEqual(cancelled, ["custom"]);
  assert.deepEqual(tracker.pending, []);
  await tracker.whenIdle();
});

test("a task disposed inside its own run ends as done after the run", () => {
  const records = [];
  const tracker = new Tracker({ scheduled: (r) => records.push(r) });
  const task = tracker.run(() => new AsyncTask("self"));
  task.runInAsyncScope(() => {
    task.dispose();
    assert.equal(records[1].state, "running");
  });
  assert.equal(records[1].state, "done");
});

test("tasks scheduled inside a run have the custom task as their parent", async () => {
  const records = [];
  const tracker = new Tracker({ scheduled: (r) => records.push(r) });
  const task = tracker.run(() => new AsyncTask("lib"));
  const done = deferred();
  task.runInAsyncScope(() => setTimeout(done.resolve, 0));
  await done.promise;
  const custom = records.find((r) => r.kind === "custom");
  const timeout = records.find((r) => r.kind === "timeout");
  assert.equal(timeout.parentId, custom.id);
  assert.equal(custom.parentId, records[0].id, "the custom task's parent is the run that created it");
});

test("an unrun task whose AsyncTask is collected is cancelled, so whenIdle resolves", async () => {
  const tracker = new Tracker();
  tracker.run(() => {
    new AsyncTask("dropped");
  });
  const idle = tracker.whenIdle();
  let resolved = false;
  idle.then(() => (resolved = true));
  await collectGarbage(() => resolved, { rounds: 50 });
  assert.ok(resolved, "whenIdle did not resolve after the AsyncTask was collected");
});

test("AsyncTask is exported and branded", () => {
  assert.equal(typeof AsyncTask, "function");
  assert.equal(Object.prototype.toString.call(new AsyncTask()), "[object AsyncContext.experimental.AsyncTask]");
  assert.throws(() => AsyncTask("x"), TypeError, "called without new");
  assert.throws(() => AsyncTask.prototype.runInAsyncScope.call({}, () => {}), TypeError, "not an AsyncTask");
});
