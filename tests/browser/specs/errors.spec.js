// Error attribution (semantics.md §3, rows "error event for an uncaught exception, unhandledrejection" and
// "rejectionhandled"; js-shim/errors.js, patches/events.js). Listeners for the window's `error` event run in
// the context where the exception was thrown, `unhandledrejection` listeners in the context where the promise
// was rejected, `rejectionhandled` listeners in the empty context. A page can therefore tell which flow failed.
//
// Every exception here is real: thrown by a timer callback, a listener or a script, and reported by the
// browser. The listeners call preventDefault() (window.onerror returns true) so the console stays clean, and
// only look at the errors the test itself threw. Waiting for an event polls a bounded number of rounds; no
// assertion depends on timing.

import { test, assert, sleep, nextTask, originals } from "../harness.js";

/** The flow a piece of code belongs to; "empty" is what the empty context shows. */
const flow = new AsyncContext.Variable({ name: "flow", defaultValue: "empty" });
/** A second variable, to see that a whole context (not one binding) is restored. */
const other = new AsyncContext.Variable({ name: "other", defaultValue: "empty" });

/** Polls until `predicate()` holds (at most `rounds` short sleeps); fails with `what` otherwise. */
async function waitFor(predicate, what, rounds = 300) {
  for (let i = 0; i < rounds; i++) {
    if (predicate()) return;
    await sleep(10);
  }
  assert.ok(predicate(), `gave up waiting for ${what}`);
}

/**
 * Listens for `type` ("error", "unhandledrejection", "rejectionhandled") on window with addEventListener.
 * For every event whose error / reason passes `accept`, records what the listener saw and cancels the event.
 */
function watch(type, accept) {
  const seen = [];
  function listener(event) {
    const payload = type === "error" ? event.error : event.reason;
    if (!accept(payload)) return;
    event.preventDefault();
    seen.push({ payload, event, flow: flow.get(), other: other.get() });
  }
  addEventListener(type, listener);
  return { seen, stop: () => removeEventListener(type, listener) };
}

/** Like `watch("error", accept)` through window.onerror (restored by stop()). */
function watchOnerror(accept) {
  const seen = [];
  const previous = window.onerror;
  window.onerror = function (message, source, line, column, error) {
    if (!accept(error)) return false;
    seen.push({ payload: error, args: arguments.length, flow: flow.get(), other: other.get() });
    return true; // cancels the event
  };
  return { seen, stop: () => { window.onerror = previous; } };
}

/** Errors created by one test, recognisable by identity. */
function errorSet() {
  const all = new Set();
  return {
    make(label) {
      const error = new Error(`errors.spec: ${label}`);
      all.add(error);
      return error;
    },
    has: (value) => all.has(value),
  };
}

/** What each listener saw, as "<error message or string> -> <flow>" in arrival order. */
const attribution = (seen) =>
  seen.map(({ payload, flow: f }) => `${typeof payload === "string" ? payload : payload.message} -> ${f}`);

// ---------------------------------------------------------------------------------------------------------
// error: exceptions thrown by callbacks and listeners

test("error listeners run in the context of the setTimeout callback that threw", async () => {
  const errors = errorSet();
  const watcher = watch("error", errors.has);
  try {
    const error = errors.make("timer A");
    flow.run("A", () => other.run("a", () => setTimeout(() => { throw error; }, 0)));
    await waitFor(() => watcher.seen.length === 1, "the error event");
    const [seen] = watcher.seen;
    assert.equal(seen.payload, error, "event.error is not the thrown error");
    assert.equal(seen.flow, "A");
    assert.equal(seen.other, "a", "the listener did not see the callback's whole context");
  } finally {
    watcher.stop();
  }
});

test("window.onerror runs in the context of the setTimeout callback that threw and gets the error as its 5th argument", async () => {
  const errors = errorSet();
  const watcher = watchOnerror(errors.has);
  try {
    const error = errors.make("timer A");
    flow.run("A", () => setTimeout(() => { throw error; }, 0));
    await waitFor(() => watcher.seen.length === 1, "window.onerror");
    const [seen] = watcher.seen;
    assert.equal(seen.args, 5, "window.onerror did not get 5 arguments");
    assert.equal(seen.payload, error);
    assert.equal(seen.flow, "A");
  } finally {
    watcher.stop();
  }
});

test("exceptions thrown by two flows' interleaved timers reach error listeners and window.onerror each in its own flow", async () => {
  const errors = errorSet();
  const listener = watch("error", errors.has);
  const handler = watchOnerror(errors.has);
  try {
    // A throws at 0 and 40 ms, B at 20 and 60 ms: the reports alternate A, B, A, B.
    for (const [name, delays] of [["A", [0, 40]], ["B", [20, 60]]]) {
      flow.run(name, () => {
        for (const delay of delays) {
          const error = errors.make(`${name}@${delay}`);
          setTimeout(() => { throw error; }, delay);
        }
      });
    }
    await waitFor(() => listener.seen.length === 4 && handler.seen.length === 4, "four error events");
    const expected = ["errors.spec: A@0 -> A", "errors.spec: B@20 -> B", "errors.spec: A@40 -> A", "errors.spec: B@60 -> B"];
    assert.deepEqual(attribution(listener.seen), expected, "addEventListener");
    assert.deepEqual(attribution(handler.seen), expected, "window.onerror");
  } finally {
    listener.stop();
    handler.stop();
  }
});

test("an exception thrown inside a nested run inside a timer is attributed to the innermost run", async () => {
  const errors = errorSet();
  const watcher = watch("error", errors.has);
  try {
    const error = errors.make("nested");
    flow.run("outer", () =>
      setTimeout(() => {
        flow.run("inner", () => other.run("innermost", () => { throw error; }));
      }, 0),
    );
    await waitFor(() => watcher.seen.length === 1, "the error event");
    assert.deepEqual([watcher.seen[0].flow, watcher.seen[0].other], ["inner", "innermost"]);
  } finally {
    watcher.stop();
  }
});

test("an exception thrown by an XHR load listener is attributed to the context of send(), two requests interleaved", async () => {
  const errors = errorSet();
  const watcher = watch("error", errors.has);
  try {
    const requests = ["A", "B"].map((name) => {
      const xhr = new XMLHttpRequest();
      const error = errors.make(`load ${name}`);
      // Registered in a context of its own: the listener must not fall back to its registration context.
      flow.run("registration", () => xhr.addEventListener("load", () => { throw error; }));
      return { name, xhr };
    });
    for (const { name, xhr } of requests) {
      flow.run(name, () => {
        xhr.open("GET", `/package.json?errors-spec-${name}-${Math.random()}`);
        xhr.send();
      });
    }
    await waitFor(() => watcher.seen.length === 2, "two error events");
    const byMessage = Object.fromEntries(watcher.seen.map((s) => [s.payload.message, s.flow]));
    assert.deepEqual(byMessage, { "errors.spec: load A": "A", "errors.spec: load B": "B" });
  } finally {
    watcher.stop();
  }
});

test("an exception thrown by a listener inside a nested run during a synchronous dispatchEvent is attributed to the innermost run", async () => {
  const errors = errorSet();
  const watcher = watch("error", errors.has);
  const target = document.createElement("div");
  const error = errors.make("sync dispatch");
  target.addEventListener("ping", () => flow.run("inner", () => { throw error; }));
  try {
    // The exception is reported while dispatchEvent is still on the stack, in the dispatcher's context.
    flow.run("dispatcher", () => target.dispatchEvent(new Event("ping")));
    await waitFor(() => watcher.seen.length === 1, "the error event");
    assert.equal(watcher.seen[0].flow, "inner");
  } finally {
    watcher.stop();
  }
});

// ---------------------------------------------------------------------------------------------------------
// error: thrown primitive values

test("error listeners run in the context of the callback that threw a string", async () => {
  const watcher = watch("error", (value) => value === "errors.spec: string A");
  try {
    flow.run("A", () => setTimeout(() => { throw "errors.spec: string A"; }, 0));
    await waitFor(() => watcher.seen.length === 1, "the error event");
    assert.equal(watcher.seen[0].payload, "errors.spec: string A", "event.error is not the thrown string");
    assert.equal(watcher.seen[0].flow, "A");
  } finally {
    watcher.stop();
  }
});

test("every error listener, not only the first, runs in the context of the callback that threw a string", async () => {
  const accept = (value) => value === "errors.spec: string for two listeners";
  const first = watch("error", accept);
  const second = watch("error", accept);
  const handler = watchOnerror(accept);
  try {
    flow.run("A", () => setTimeout(() => { throw "errors.spec: string for two listeners"; }, 0));
    await waitFor(() => first.seen.length === 1 && second.seen.length === 1 && handler.seen.length === 1, "the error event");
    assert.deepEqual(
      { first: first.seen[0].flow, second: second.seen[0].flow, onerror: handler.seen[0].flow },
      { first: "A", second: "A", onerror: "A" },
    );
  } finally {
    first.stop();
    second.stop();
    handler.stop();
  }
});

test("strings thrown by two flows' interleaved timers are each attributed to their own flow", async () => {
  const watcher = watch("error", (value) => typeof value === "string" && value.startsWith("errors.spec: interleaved "));
  try {
    for (const [name, delays] of [["A", [0, 40]], ["B", [20, 60]]]) {
      flow.run(name, () => {
        for (const delay of delays) setTimeout(() => { throw `errors.spec: interleaved ${name}@${delay}`; }, delay);
      });
    }
    await waitFor(() => watcher.seen.length === 4, "four error events");
    assert.deepEqual(attribution(watcher.seen), [
      "errors.spec: interleaved A@0 -> A",
      "errors.spec: interleaved B@20 -> B",
      "errors.spec: interleaved A@40 -> A",
      "errors.spec: interleaved B@60 -> B",
    ]);
  } finally {
    watcher.stop();
  }
});

test("a string thrown in the empty context is not attributed to an earlier flow that threw and caught the same string", async () => {
  const text = "errors.spec: same string twice";
  try {
    flow.run("A", () => { throw text; });
  } catch (caught) {
    assert.equal(caught, text);
  }
  const watcher = watch("error", (value) => value === text);
  try {
    setTimeout(() => { throw text; }, 0); // scheduled in the empty context
    await waitFor(() => watcher.seen.length === 1, "the error event");
    assert.equal(watcher.seen[0].flow, "empty");
  } finally {
    watcher.stop();
  }
});

// ---------------------------------------------------------------------------------------------------------
// error: the empty context, registration context, reuse, leaks

test("error listeners see the empty context for exceptions thrown in the empty context", async () => {
  const errors = errorSet();
  const watcher = watch("error", errors.has);
  try {
    const fromTimer = errors.make("timer scheduled in the empty context");
    setTimeout(() => { throw fromTimer; }, 0);
    await waitFor(() => watcher.seen.length === 1, "the timer's error event");
    // A classic script's top level (inserted scripts run synchronously, from the empty context here).
    const fromScript = errors.make("script top level");
    globalThis.__errorsSpecScriptError = fromScript;
    const script = document.createElement("script");
    script.textContent = "throw globalThis.__errorsSpecScriptError;";
    document.head.append(script);
    script.remove();
    delete globalThis.__errorsSpecScriptError;
    await waitFor(() => watcher.seen.length === 2, "the script's error event");
    assert.deepEqual(attribution(watcher.seen), [
      "errors.spec: timer scheduled in the empty context -> empty",
      "errors.spec: script top level -> empty",
    ]);
  } finally {
    watcher.stop();
  }
});

test("error listeners registered inside run follow the throwing context, not their registration context", async () => {
  const errors = errorSet();
  const watcher = flow.run("registration", () => other.run("registration", () => watch("error", errors.has)));
  const handler = flow.run("registration", () => watchOnerror(errors.has));
  try {
    const inFlow = errors.make("thrown in A");
    flow.run("A", () => setTimeout(() => { throw inFlow; }, 0));
    await waitFor(() => watcher.seen.length === 1 && handler.seen.length === 1, "the first error event");
    const inEmpty = errors.make("thrown in the empty context");
    setTimeout(() => { throw inEmpty; }, 0);
    await waitFor(() => watcher.seen.length === 2 && handler.seen.length === 2, "the second error event");
    const expected = ["errors.spec: thrown in A -> A", "errors.spec: thrown in the empty context -> empty"];
    assert.deepEqual(attribution(watcher.seen), expected, "addEventListener");
    assert.deepEqual(attribution(handler.seen), expected, "window.onerror");
    assert.deepEqual(watcher.seen.map((s) => s.other), ["empty", "empty"], "the other variable");
  } finally {
    watcher.stop();
    handler.stop();
  }
});

test("the same error object thrown again by a second flow is attributed to the second flow", async () => {
  const errors = errorSet();
  const shared = errors.make("shared error object");
  const watcher = watch("error", errors.has);
  try {
    flow.run("A", () => setTimeout(() => { throw shared; }, 0));
    await waitFor(() => watcher.seen.length === 1, "A's error event");
    flow.run("B", () => setTimeout(() => { throw shared; }, 0));
    await waitFor(() => watcher.seen.length === 2, "B's error event");
    assert.deepEqual(watcher.seen.map((s) => s.flow), ["A", "B"]);
  } finally {
    watcher.stop();
  }
});

test("an error listener does not leak its context into the rest of the task or the next task", async () => {
  const errors = errorSet();
  const after = {};
  const watcher = watch("error", (value) => {
    if (!errors.has(value)) return false;
    // The platform's own scheduling functions, captured before the polyfill: they restore nothing.
    originals.queueMicrotask.call(window, () => { after.microtask = flow.get(); });
    originals.setTimeout.call(window, () => { after.task = flow.get(); }, 0);
    return true;
  });
  try {
    const error = errors.make("leak check");
    flow.run("A", () => setTimeout(() => { throw error; }, 0));
    await waitFor(() => watcher.seen.length === 1 && "microtask" in after && "task" in after, "the error event and the checks");
    assert.equal(watcher.seen[0].flow, "A", "the listener itself ran in the wrong context");
    assert.deepEqual(after, { microtask: "empty", task: "empty" });
    assert.equal(flow.get(), "empty", "the test's own context changed");
  } finally {
    watcher.stop();
  }
});

// ---------------------------------------------------------------------------------------------------------
// unhandledrejection / rejectionhandled

test("a then-handler that throws inside a flow runs unhandledrejection listeners in the context of the then call, two flows", async () => {
  const errors = errorSet();
  const watcher = watch("unhandledrejection", errors.has);
  try {
    const promises = {};
    for (const name of ["A", "B"]) {
      const error = errors.make(`then ${name}`);
      promises[name] = flow.run(name, () => Promise.resolve().then(() => { throw error; }));
    }
    await waitFor(() => watcher.seen.length === 2, "two unhandledrejection events");
    for (const seen of watcher.seen) {
      const name = seen.payload.message.slice(-1);
      assert.equal(seen.flow, name, `the rejection of flow ${name}`);
      assert.equal(seen.event.promise, promises[name], `event.promise of flow ${name}`);
    }
  } finally {
    watcher.stop();
  }
});

test("Promise.reject(reason) inside run runs unhandledrejection listeners in that context with event.reason intact, two flows", async () => {
  const errors = errorSet();
  const watcher = watch("unhandledrejection", errors.has);
  try {
    const made = {};
    for (const name of ["A", "B"]) {
      const reason = errors.make(`reject ${name}`);
      made[name] = { reason, promise: flow.run(name, () => other.run(name.toLowerCase(), () => Promise.reject(reason))) };
    }
    await waitFor(() => watcher.seen.length === 2, "two unhandledrejection events");
    for (const seen of watcher.seen) {
      const name = seen.payload.message.slice(-1);
      assert.equal(seen.event.reason, made[name].reason, `event.reason of flow ${name}`);
      assert.equal(seen.event.promise, made[name].promise, `event.promise of flow ${name}`);
      assert.deepEqual([seen.flow, seen.other], [name, name.toLowerCase()], `the rejection of flow ${name}`);
    }
  } finally {
    watcher.stop();
  }
});

test("Promise.reject with a string reason inside run runs unhandledrejection listeners in that context", async () => {
  const watcher = watch("unhandledrejection", (value) => value === "errors.spec: string reason");
  try {
    flow.run("A", () => Promise.reject("errors.spec: string reason"));
    await waitFor(() => watcher.seen.length === 1, "the unhandledrejection event");
    assert.equal(watcher.seen[0].flow, "A");
  } finally {
    watcher.stop();
  }
});

test("Promise.reject with primitive reasons in two flows in the same task runs each unhandledrejection listener in its own flow", async () => {
  const watcher = watch("unhandledrejection", (value) => typeof value === "string" && value.startsWith("errors.spec: primitive "));
  try {
    flow.run("A", () => Promise.reject("errors.spec: primitive A"));
    flow.run("B", () => Promise.reject("errors.spec: primitive B"));
    await waitFor(() => watcher.seen.length === 2, "two unhandledrejection events");
    const byReason = Object.fromEntries(watcher.seen.map((s) => [s.payload, s.flow]));
    assert.deepEqual(byReason, { "errors.spec: primitive A": "A", "errors.spec: primitive B": "B" });
  } finally {
    watcher.stop();
  }
});

// A promise executor's reject (or throw) is not attributed: intercepting it would mean replacing the
// global Promise constructor (see js-shim/patches/promise.js and README). Promise.withResolvers is the
// supported form of a deferred promise.
test("reject() of Promise.withResolvers called inside run runs unhandledrejection listeners in that context, two flows", async () => {
  const errors = errorSet();
  const watcher = watch("unhandledrejection", errors.has);
  try {
    const deferred = { A: Promise.withResolvers(), B: Promise.withResolvers() };
    for (const name of ["B", "A"]) flow.run(name, () => deferred[name].reject(errors.make(`withResolvers reject ${name}`)));
    await waitFor(() => watcher.seen.length === 2, "two unhandledrejection events");
    const byMessage = Object.fromEntries(watcher.seen.map((s) => [s.payload.message, s.flow]));
    assert.deepEqual(byMessage, { "errors.spec: withResolvers reject A": "A", "errors.spec: withResolvers reject B": "B" });
  } finally {
    watcher.stop();
  }
});

test("resolve() of Promise.withResolvers with a thenable calls its then in the context of the resolve call", async () => {
  const { promise, resolve } = flow.run("created", () => Promise.withResolvers());
  flow.run("resolving", () => resolve({ then(fulfil) { fulfil(flow.get()); } }));
  assert.equal(await promise, "resolving");
});

test("unhandledrejection listeners registered inside run follow the rejecting context, not their registration context", async () => {
  const errors = errorSet();
  const watcher = flow.run("registration", () => watch("unhandledrejection", errors.has));
  try {
    const inFlow = errors.make("rejected in A");
    flow.run("A", () => Promise.reject(inFlow));
    await waitFor(() => watcher.seen.length === 1, "the first unhandledrejection event");
    Promise.reject(errors.make("rejected in the empty context"));
    await waitFor(() => watcher.seen.length === 2, "the second unhandledrejection event");
    assert.deepEqual(attribution(watcher.seen), [
      "errors.spec: rejected in A -> A",
      "errors.spec: rejected in the empty context -> empty",
    ]);
  } finally {
    watcher.stop();
  }
});

test("rejectionhandled listeners run in the empty context", async () => {
  const errors = errorSet();
  const unhandled = watch("unhandledrejection", errors.has);
  const handled = flow.run("registration", () => watch("rejectionhandled", errors.has));
  try {
    const reason = errors.make("handled late");
    const promise = flow.run("A", () => Promise.reject(reason));
    await waitFor(() => unhandled.seen.length === 1, "the unhandledrejection event");
    // Handled late, from yet another flow: neither the rejecting nor the handling context applies.
    flow.run("handler", () => other.run("handler", () => promise.catch(() => {})));
    await waitFor(() => handled.seen.length === 1, "the rejectionhandled event");
    assert.equal(handled.seen[0].event.promise, promise);
    assert.deepEqual([handled.seen[0].flow, handled.seen[0].other], ["empty", "empty"]);
  } finally {
    unhandled.stop();
    handled.stop();
  }
});

test("an unhandledrejection listener does not leak its context into the next task", async () => {
  const errors = errorSet();
  const after = {};
  const watcher = watch("unhandledrejection", (value) => {
    if (!errors.has(value)) return false;
    originals.setTimeout.call(window, () => { after.task = flow.get(); }, 0);
    return true;
  });
  try {
    flow.run("A", () => Promise.reject(errors.make("leak check")));
    await waitFor(() => watcher.seen.length === 1 && "task" in after, "the event and the check");
    await nextTask();
    assert.equal(watcher.seen[0].flow, "A", "the listener itself ran in the wrong context");
    assert.deepEqual(after, { task: "empty" });
  } finally {
    watcher.stop();
  }
});
