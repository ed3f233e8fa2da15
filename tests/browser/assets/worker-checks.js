// Runs inside a dedicated worker after the polyfill was loaded (importScripts or a module import);
// posts [{ name, ok, message }] back to the page. Shared by the classic and the module worker.
globalThis.workerChecks = function workerChecks() {
  const results = [];
  const check = async (name, fn) => {
    try {
      await fn();
      results.push({ name, ok: true, message: "" });
    } catch (error) {
      results.push({ name, ok: false, message: String(error && error.message) });
    }
  };
  const equal = (actual, expected, what) => {
    if (!Object.is(actual, expected)) throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  };
  const v = new AsyncContext.Variable({ defaultValue: "empty" });
  return (async () => {
    await check("the polyfill is active in the worker", () => equal(self[Symbol.for("asynccontext")].active, "asynccontext", "active"));
    await check("setTimeout in a worker runs its callback in the context of the call, for two interleaved flows", async () => {
      const seen = await Promise.all(["a", "b"].map((id, i) => v.run(id, () => new Promise((resolve) => setTimeout(() => resolve(v.get()), 20 - i * 15)))));
      equal(seen.join(","), "a,b", "values");
    });
    await check("promise reactions in a worker run in the context of the then call", async () => {
      const seen = await v.run("p", () => Promise.resolve().then(() => v.get()));
      equal(seen, "p", "value");
    });
    await check("queueMicrotask in a worker runs its callback in the context of the call", async () => {
      const seen = await v.run("m", () => new Promise((resolve) => queueMicrotask(() => resolve(v.get()))));
      equal(seen, "m", "value");
    });
    await check("the top level of a worker task is empty afterwards", async () => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      equal(v.get(), "empty", "value");
    });
    return results;
  })();
};
