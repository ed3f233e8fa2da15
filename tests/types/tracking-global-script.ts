/// <reference types="asynccontext/tracking" />
// A classic script (no import/export) using the global from
// <script src=".../asynccontext.tracking.global.js">.

// test: a triple-slash reference to asynccontext/tracking declares AsyncContext.experimental globally
{
  const { Tracker, asyncStack, label } = AsyncContext.experimental;
  const tracker = new Tracker({ name: "page", scheduled(task) {} });
  const n: number = tracker.run(() => label("init", () => asyncStack().length));
  void n;
}

// test: the global AsyncContext.experimental has AsyncTask
{
  const task = new AsyncContext.experimental.AsyncTask("immediate");
  const s: string = task.runInAsyncScope(() => "ran");
  task.dispose();
  void s;
}

// test: a triple-slash reference to asynccontext/tracking declares the core AsyncContext globally too
{
  const v = new AsyncContext.Variable({ defaultValue: 0 });
  const n: number = v.run(1, () => v.get());
  void n;
}

// test: the global tracking types can be named in annotations
{
  const log: AsyncContext.experimental.TaskRecord[] = [];
  const options: AsyncContext.experimental.TrackerOptions = {
    scheduled(task) {
      log.push(task);
    },
  };
  const entry: AsyncContext.experimental.AsyncStackEntry | undefined = AsyncContext.experimental.asyncStack()[0];
  void [options, entry];
}
