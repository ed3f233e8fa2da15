// The experimental task tracking through its module entry, `asynccontext/tracking`: good usages
// must compile under --strict, bad ones (marked @ts-expect-error) must not.
import { AsyncContext, AsyncTask, Tracker, asyncStack, implementation, label } from "asynccontext/tracking";
import type { AsyncStackEntry, TaskRecord, TrackerOptions } from "asynccontext/tracking";

type Equal<X, Y> = (<V>() => V extends X ? 1 : 2) extends <V>() => V extends Y ? 1 : 2 ? true : false;
function expectType<_ extends true>(): void {}

// test: the tracking entry exports AsyncContext as the same type as the global AsyncContext
expectType<Equal<typeof AsyncContext, typeof globalThis.AsyncContext>>();

// test: the tracking entry exports implementation like the core entry
expectType<Equal<typeof implementation, "asynccontext" | "native" | "other">>();

// test: the exported Tracker, asyncStack and label are the ones of AsyncContext.experimental
expectType<Equal<typeof Tracker, typeof AsyncContext.experimental.Tracker>>();
expectType<Equal<typeof asyncStack, typeof AsyncContext.experimental.asyncStack>>();
expectType<Equal<typeof label, typeof AsyncContext.experimental.label>>();
expectType<Equal<typeof AsyncTask, typeof AsyncContext.experimental.AsyncTask>>();

// test: Tracker is constructible without options and with every option
{
  const plain: Tracker = new Tracker();
  const full = new Tracker({
    name: "page load",
    captureStacks: true,
    scheduled(task) {},
    before(task) {},
    after(task) {},
    cancelled(task) {},
  });
  void plain;
  void full;
}

// test: hooks receive a TaskRecord with the documented fields and types
{
  const options: TrackerOptions = {
    scheduled(task) {
      expectType<Equal<typeof task, TaskRecord>>();
      const id: number = task.id;
      const kind: AsyncContext.experimental.TaskKind = task.kind;
      const api: string = task.api;
      const detail: string | undefined = task.detail;
      const text: string | undefined = task.label;
      const parentId: number = task.parentId;
      const readyId: number = task.readyId;
      const scheduledAt: number = task.scheduledAt;
      const stack: string | undefined = task.stack;
      const repeating: boolean = task.repeating;
      const runs: number = task.runs;
      void [id, kind, api, detail, text, parentId, readyId, scheduledAt, stack, repeating, runs];
    },
  };
  void options;
}

// test: a record's state is one of scheduled, running, done, cancelled
{
  expectType<Equal<TaskRecord["state"], "scheduled" | "running" | "done" | "cancelled">>();
}

// test: a record's kind covers every documented task kind
{
  type Documented =
    | "run"
    | "promise-reaction"
    | "timeout"
    | "interval"
    | "microtask"
    | "animation-frame"
    | "idle-callback"
    | "scheduler-task"
    | "video-frame"
    | "finalization"
    | "callback"
    | "event-listener"
    | "xhr"
    | "fetch"
    | "file-reader"
    | "indexeddb"
    | "media"
    | "toggle"
    | "resource"
    | "await"
    | "custom";
  expectType<Equal<TaskRecord["kind"], Documented>>();
}

// test: hooks are called with this = the tracker
{
  new Tracker({
    before(task) {
      expectType<Equal<typeof this, Tracker>>();
      const errors: number = this.hookErrors;
      void [task, errors];
    },
  });
}

// test: Tracker.run returns the callback's result and passes extra arguments
{
  const tracker = new Tracker();
  const n = tracker.run(() => 1);
  expectType<Equal<typeof n, number>>();
  const s = tracker.run((a: string, b: number) => a.repeat(b), "x", 2);
  expectType<Equal<typeof s, string>>();
  const p = tracker.run(async () => "done");
  expectType<Equal<typeof p, Promise<string>>>();
}

// test: whenIdle returns Promise<void>
{
  const tracker = new Tracker();
  expectType<Equal<ReturnType<typeof tracker.whenIdle>, Promise<void>>>();
}

// test: pending is a readonly array of TaskRecord
{
  const tracker = new Tracker();
  expectType<Equal<typeof tracker.pending, readonly TaskRecord[]>>();
  const due = tracker.pending.filter((t) => t.kind === "interval").map((t) => t.id);
  void due;
}

// test: name is a string and hookErrors a number, both read-only properties of a tracker
{
  const tracker = new Tracker({ name: "t" });
  expectType<Equal<typeof tracker.name, string>>();
  expectType<Equal<typeof tracker.hookErrors, number>>();
}

// test: asyncStack returns a readonly array of entries
{
  const stack = asyncStack();
  expectType<Equal<typeof stack, readonly AsyncStackEntry[]>>();
}

// test: an asyncStack entry narrows to the elided marker on kind === "elided"
{
  for (const entry of asyncStack()) {
    if (entry.kind === "elided") {
      const dropped: number = entry.elided;
      void dropped;
    } else {
      const id: number = entry.id;
      const kind: AsyncContext.experimental.TaskKind = entry.kind;
      const repeat: number = entry.repeat;
      const ready: number | undefined = entry.ready?.id;
      const api: string = entry.api;
      void [id, kind, repeat, ready, api];
    }
  }
}

// test: the ready task of an asyncStack entry may be null
{
  const [first] = asyncStack();
  if (first !== undefined && first.kind !== "elided") {
    const ready = first.ready;
    expectType<Equal<typeof ready, AsyncContext.experimental.AsyncStackTask | null>>();
  }
}

// test: label returns the callback's result and passes extra arguments
{
  const r = label("checkout", (a: number, b: number) => a + b, 1, 2);
  expectType<Equal<typeof r, number>>();
  const v = label("init", () => {});
  expectType<Equal<typeof v, void>>();
}

// test: the tracking entry's import declares AsyncContext.experimental globally
{
  const t = new globalThis.AsyncContext.experimental.Tracker({ name: "global" });
  const same: Tracker = t;
  void same;
}

// test: Tracker cannot be called without new
// @ts-expect-error a class constructor is not callable
Tracker();

// test: a hook must be a function
// @ts-expect-error scheduled is a string
new Tracker({ scheduled: "log" });

// test: every hook must be a function
// @ts-expect-error after is a number
new Tracker({ after: 1 });

// test: a hook cannot be null
// @ts-expect-error null is not a function (the constructor throws a TypeError)
new Tracker({ cancelled: null });

// test: options must be an object
// @ts-expect-error a string is not TrackerOptions
new Tracker("page");

// test: the name option must be a string
// @ts-expect-error name is a number
new Tracker({ name: 1 });

// test: options only take the documented keys
// @ts-expect-error there is no "onScheduled" option
new Tracker({ onScheduled() {} });

// test: a hook's task parameter is a TaskRecord, not something narrower
// @ts-expect-error the hook expects a number
new Tracker({ before(task: number) {} });

// test: pending cannot be assigned
{
  const tracker = new Tracker();
  // @ts-expect-error pending is readonly
  tracker.pending = [];
}

// test: pending's array cannot be modified
{
  const tracker = new Tracker();
  // @ts-expect-error a readonly array has no push
  tracker.pending.push(tracker.pending[0]);
}

// test: a record's fields cannot be assigned
new Tracker({
  scheduled(task) {
    // @ts-expect-error state is readonly
    task.state = "done";
  },
});

// test: hookErrors cannot be assigned
{
  const tracker = new Tracker();
  // @ts-expect-error hookErrors is readonly
  tracker.hookErrors = 0;
}

// test: whenIdle resolves to nothing
{
  const tracker = new Tracker();
  tracker.whenIdle().then((value) => {
    // @ts-expect-error value is void
    const n: number = value;
    void n;
  });
}

// test: Tracker.run requires a callback
{
  const tracker = new Tracker();
  // @ts-expect-error the callback is missing
  tracker.run();
}

// test: Tracker.run checks extra arguments against the callback's parameters
{
  const tracker = new Tracker();
  // @ts-expect-error "3" is not a number
  tracker.run((a: number) => a, "3");
}

// test: label requires a callback
// @ts-expect-error the callback is missing
label("checkout");

// test: label's text must be a string
// @ts-expect-error the label is a number
label(1, () => {});

// test: label checks extra arguments against the callback's parameters
// @ts-expect-error "1" is not a number
label("x", (a: number) => a, "1");

// test: an asyncStack entry has no task fields before it is narrowed
{
  const [first] = asyncStack();
  if (first !== undefined) {
    // @ts-expect-error an elided marker has no id
    void first.id;
  }
}

// test: an elided marker has no task fields
{
  const [first] = asyncStack();
  if (first !== undefined && first.kind === "elided") {
    // @ts-expect-error an elided marker has no api
    void first.api;
  }
}

// test: asyncStack's result cannot be modified
{
  const stack = asyncStack();
  // @ts-expect-error a readonly array has no push
  stack.push({ kind: "elided", elided: 1 });
}

// test: AsyncTask runs a callback with thisArg and arguments and returns its result
{
  const task: AsyncTask = new AsyncTask("scheduler");
  const n: number = task.runInAsyncScope((a: number, b: number) => a + b, undefined, 1, 2);
  const s: string = task.runInAsyncScope(function (this: { p: string }) {
    return this.p;
  }, { p: "x" });
  const name: string = task.name;
  const disposed: boolean = task.disposed;
  task.dispose();
  void [n, s, name, disposed, new AsyncTask()];
}

// test: runInAsyncScope requires a callback
{
  const task = new AsyncTask("t");
  // @ts-expect-error not a function
  task.runInAsyncScope(1);
}

// test: runInAsyncScope checks arguments against the callback's parameters
{
  const task = new AsyncTask("t");
  // @ts-expect-error "1" is not a number
  task.runInAsyncScope((a: number) => a, undefined, "1");
}

// test: AsyncTask's name must be a string
// @ts-expect-error a number is not a name
new AsyncTask(1);

export {};
