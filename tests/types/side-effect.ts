// A side-effect import declares the global AsyncContext.
import "asynccontext";

// test: import "asynccontext" declares the global AsyncContext namespace
{
  const requestId = new AsyncContext.Variable<string | undefined>({ name: "requestId" });
  const seen: string | undefined = requestId.run("req-1", () => requestId.get());
  void seen;
}

// test: the global is reachable as globalThis.AsyncContext
{
  const snapshot: AsyncContext.Snapshot = new globalThis.AsyncContext.Snapshot();
  void snapshot;
}

// test: global types work in annotations after a side-effect import
{
  function current<T>(v: AsyncContext.Variable<T>): T {
    return v.get();
  }
  const n: number = current(new AsyncContext.Variable({ defaultValue: 1 }));
  void n;
}

export {};
