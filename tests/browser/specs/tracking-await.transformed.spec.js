// Task tracking through native `await`. This file is served through the await transform (run.mjs:
// *.transformed.spec.js), so its async functions and generators call the suspension runtime. In a
// tracked scope each suspension is a task of kind "await": scheduled at the suspension, linked to the
// code that ran before it, running while the code after it runs, pending while what it awaits is a
// native promise that has not settled.

import { test, assert, collectGarbage } from "../harness.js";
import { deferred, delayUrl } from "../assets/events-common.js";

const { Tracker, asyncStack, label } = AsyncContext.experimental;

/** Entries reduced to "kind" or "kind:label" (elided entries as "elided"). */
const shape = (stack) => stack.map((e) => (e.kind === "elided" ? "elided" : e.label ? `${e.kind}:${e.label}` : e.kind));

/** A tracker that keeps every record its `scheduled` hook saw and logs hook calls as "hook:kind". */
function recordingTracker(log = []) {
  const records = [];
  const tracker = new Tracker({
    scheduled: (r) => {
      records.push(r);
      log.push(`scheduled:${r.kind}`);
    },
    before: (r) => log.push(`before:${r.kind}`),
    after: (r) => log.push(`after:${r.kind}`),
  });
  return { tracker, records, log };
}

/** A promise resolved from outside any tracker (an untracked timer): work no tracker can see. */
function untrackedDelay(ms) {
  const d = deferred();
  setTimeout(() => d.resolve("late"), ms);
  return d.promise;
}

test("the transform is active in this file (the spec would prove nothing otherwise)", async () => {
  const v = new AsyncContext.Variable();
  const seen = await v.run("kept", async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
    return v.get();
  });
  assert.equal(seen, "kept");
});

test("after an await, asyncStack() is the await task, then the timer and the run that led to it", async () => {
  const tracker = new Tracker();
  const done = deferred();
  label("flow", () =>
    tracker.run(() => {
      setTimeout(async () => {
        await null;
        done.resolve(asyncStack());
      }, 0);
    }),
  );
  const stack = await done.promise;
  assert.deepEqual(shape(stack), ["await", "timeout:flow", "run:flow"]);
  assert.equal(stack[0].api, "await");
});

test("two interleaved async flows each see their own chain after every await", async () => {
  const tracker = new Tracker();
  const flow = (name, ms) =>
    label(name, () =>
      tracker.run(async () => {
        const stacks = [];
        for (let i = 0; i < 3; i++) {
          await new Promise((resolve) => setTimeout(resolve, ms));
          const stack = asyncStack();
          stacks.push(`${shape(stack).join(" < ")} (repeat ${stack[0].repeat})`);
        }
        return stacks;
      }),
    );
  const [a, b] = await Promise.all([flow("A", 7), flow("B", 3)]);
  // The first await is scheduled inside label(), the later ones by the code after the previous
  // await: same signature, so they fold into one entry whose repeat counts them.
  assert.deepEqual(a, ["await:A < run:A (repeat 0)", "await < await:A < run:A (repeat 0)", "await < await:A < run:A (repeat 1)"]);
  assert.deepEqual(b, ["await:B < run:B (repeat 0)", "await < await:B < run:B (repeat 0)", "await < await:B < run:B (repeat 1)"]);
});

test("a task scheduled after an await has the await task as its parent, and the await the task before it", async () => {
  const { tracker, records } = recordingTracker();
  const done = deferred();
  tracker.run(async () => {
    await null;
    setTimeout(done.resolve, 0);
  });
  await done.promise;
  const [run, awaitTask, timeout] = records;
  assert.deepEqual(records.map((r) => r.kind), ["run", "await", "timeout"]);
  assert.equal(awaitTask.parentId, run.id, "the first await is linked to the code that called the function");
  assert.equal(timeout.parentId, awaitTask.id, "what the resumed code schedules is linked to the await");
});

test("hooks see an await as scheduled at the suspension and running around the code after it", async () => {
  const log = [];
  const { tracker } = recordingTracker(log);
  const done = deferred();
  tracker.run(async () => {
    log.push("before await");
    await null;
    log.push("after await");
    done.resolve();
  });
  log.push("run returned");
  await done.promise;
  await tracker.whenIdle();
  assert.deepEqual(log, [
    "scheduled:run",
    "before:run",
    "before await",
    "scheduled:await",
    "after:run",
    "run returned",
    "before:await",
    "after await",
    "after:await",
  ]);
});

test("an await task waiting on an earlier reaction's promise has it as its ready task", async () => {
  const { tracker, records } = recordingTracker();
  const stack = await tracker.run(async () => {
    const p = Promise.resolve().then(() => "value");
    await p;
    return asyncStack();
  });
  const reaction = records.find((r) => r.kind === "promise-reaction");
  const awaitTask = records.find((r) => r.kind === "await");
  assert.equal(awaitTask.readyId, reaction.id);
  assert.equal(stack[0].kind, "await");
  assert.equal(stack[0].ready?.id, reaction.id, "asyncStack() names the ready task");
});

test("whenIdle waits for a tracked async function suspended on a promise only untracked work settles", async () => {
  const log = [];
  const tracker = new Tracker();
  const pending = untrackedDelay(40);
  tracker.run(async () => {
    log.push(`resumed with ${await pending}`);
  });
  assert.deepEqual(tracker.pending.map((r) => r.kind), ["await"], "the suspension is outstanding work");
  await tracker.whenIdle();
  log.push("idle");
  assert.deepEqual(log, ["resumed with late", "idle"]);
});

test("whenIdle waits for await response.json() on a slowly streamed body", async () => {
  const log = [];
  const tracker = new Tracker();
  tracker.run(async () => {
    const response = await fetch(delayUrl(20, { body: '{"a":1}', type: "application/json", chunks: 3 }));
    log.push("headers");
    const body = await response.json();
    log.push(`json ${body.a}`);
  });
  await tracker.whenIdle();
  log.push("idle");
  assert.deepEqual(log, ["headers", "json 1", "idle"]);
});

test("whenIdle waits for await new Promise(r => setTimeout(r)) in a loop", async () => {
  const log = [];
  const tracker = new Tracker();
  tracker.run(async () => {
    for (let i = 0; i < 3; i++) {
      await new Promise((resolve) => setTimeout(resolve));
      log.push(i);
    }
  });
  await tracker.whenIdle();
  log.push("idle");
  assert.deepEqual(log, [0, 1, 2, "idle"]);
});

test("awaiting whenIdle() inside the tracker's own async function does not wait for itself", async () => {
  const tracker = new Tracker();
  const log = [];
  const finished = tracker.run(async () => {
    await new Promise((resolve) => setTimeout(resolve, 5));
    log.push("work done");
    await tracker.whenIdle();
    log.push("saw idle");
  });
  await finished;
  assert.deepEqual(log, ["work done", "saw idle"]);
});

test("two trackers with concurrent suspended functions each wait only for their own", async () => {
  const a = new Tracker();
  const b = new Tracker();
  const slow = untrackedDelay(60);
  const fast = untrackedDelay(10);
  const log = [];
  a.run(async () => log.push(`a ${await slow}`));
  b.run(async () => log.push(`b ${await fast}`));
  await b.whenIdle();
  log.push("b idle");
  await a.whenIdle();
  log.push("a idle");
  assert.deepEqual(log, ["b late", "b idle", "a late", "a idle"]);
});

test("an async function that ends by a rejected await with no catch ends its await task", async () => {
  const { tracker, records } = recordingTracker();
  const result = tracker.run(async () => {
    await Promise.reject(new Error("boom"));
  });
  const error = await result.then(
    () => null,
    (e) => e,
  );
  assert.equal(error?.message, "boom");
  await tracker.whenIdle();
  const awaitTask = records.find((r) => r.kind === "await");
  assert.equal(awaitTask.state, "done");
  assert.deepEqual(tracker.pending, []);
});

test("a caught rejected await runs its catch block as the await task", async () => {
  const tracker = new Tracker();
  const stack = await tracker.run(async () => {
    try {
      await Promise.reject(new Error("boom"));
    } catch {
      return shape(asyncStack());
    }
  });
  assert.deepEqual(stack, ["await", "run"]);
});

test("for await over an async generator: the loop's code after each step runs as an await task", async () => {
  const { tracker, records } = recordingTracker();
  async function* numbers() {
    for (let i = 0; i < 3; i++) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      yield i;
    }
  }
  const seen = await tracker.run(async () => {
    const out = [];
    for await (const n of numbers()) out.push(`${n}:${asyncStack()[0].kind}`);
    return out;
  });
  await tracker.whenIdle();
  assert.deepEqual(seen, ["0:await", "1:await", "2:await"]);
  assert.ok(records.every((r) => r.state === "done"), "every await task ran");
});

test("outside any tracker, transformed code creates no tasks and asyncStack() stays empty after an await", async () => {
  const stack = await (async () => {
    await null;
    return asyncStack();
  })();
  assert.deepEqual(stack, []);
});

test("a tracked loop of 10^4 awaits keeps the call graph bounded", async () => {
  const hooks = globalThis.__ASYNCCONTEXT_TEST_HOOKS__;
  await collectGarbage(undefined, { rounds: 2 });
  const before = hooks.liveTaskNodes();
  let peak = 0;
  let awaits = 0;
  const tracker = new Tracker({ scheduled: (r) => (awaits += r.kind === "await" ? 1 : 0) });
  await tracker.run(async () => {
    for (let i = 0; i < 10000; i++) {
      await i;
      if (i % 1000 === 0) peak = Math.max(peak, hooks.liveTaskNodes() - before);
    }
  });
  await tracker.whenIdle();
  assert.equal(awaits, 10000, "every await was a task");
  assert.ok(peak <= 4, `live graph nodes grew by ${peak} during the loop`);
});
