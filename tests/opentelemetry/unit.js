// Unit tests of AsyncContextManager in a real browser, bundled by run.mjs through the await
// transform's esbuild plugin (the async cases are native async functions). The portable cases of
// ZoneContextManager's own suite (opentelemetry-js, context-zone-peer-dep), by intent, with real
// timers; zone-only cases are replaced by what they protect; then what that suite lacks: await,
// listener bookkeeping, handleEvent, subclassing, bad input, attach, the api facade.
// Publishes window.__results = [{ name, ok, message }] and window.__done.
import { ROOT_CONTEXT, context as contextApi, createContextKey, trace } from "@opentelemetry/api";
import { AsyncContextManager } from "../../pkg/asynccontext.opentelemetry.mjs";

const key1 = createContextKey("test key 1");
const key2 = createContextKey("test key 2");
const results = [];
const tests = [];
export const test = (name, fn) => tests.push({ name, fn });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function assert(condition, message) {
  if (!condition) throw new Error(message);
}
export function equal(actual, expected, what) {
  if (actual !== expected) throw new Error(`${what}: got ${describe(actual)}, expected ${describe(expected)}`);
}
function describe(value) {
  if (value === ROOT_CONTEXT) return "ROOT_CONTEXT";
  if (value && typeof value.getValue === "function") return `context(${String(value.getValue(key1))})`;
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}
/** Resolves with fn's checks run from a callback; rejects if the callback throws or never runs. */
function callbackCheck(register, ms = 2000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`callback not called within ${ms} ms`)), ms);
    register((check) => {
      try {
        check();
        clearTimeout(timer);
        resolve();
      } catch (error) {
        clearTimeout(timer);
        reject(error);
      }
    });
  });
}
const click = (element) => element.dispatchEvent(new CustomEvent("click", { bubbles: true, composed: true }));

let manager;

// ---------------------------------------------------------------------------------------------
// ZoneContextManager's suite, by intent.

test("enable() returns the manager and with() makes the context active", () => {
  equal(manager.enable(), manager, "enable()");
  const ctx = ROOT_CONTEXT.setValue(key1, 1);
  manager.with(ctx, () => equal(manager.active(), ctx, "active() inside with"));
});

test("disable() returns the manager and active() is ROOT_CONTEXT inside with() while disabled", () => {
  equal(manager.disable(), manager, "disable()");
  const ctx = ROOT_CONTEXT.setValue(key1, 1);
  let ran = false;
  manager.with(ctx, () => {
    ran = true;
    equal(manager.active(), ROOT_CONTEXT, "active() inside with while disabled");
  });
  assert(ran, "with() did not call fn while disabled");
});

test("with(null, fn) runs fn with ROOT_CONTEXT active", () => {
  let ran = false;
  manager.with(ROOT_CONTEXT.setValue(key1, "outer"), () => {
    manager.with(null, () => {
      ran = true;
      equal(manager.active(), ROOT_CONTEXT, "active() in with(null)");
    });
  });
  assert(ran, "fn did not run");
});

test("with() rethrows fn's error and restores the previous context", () => {
  const outer = ROOT_CONTEXT.setValue(key1, "outer");
  manager.with(outer, () => {
    const error = new Error("boom");
    let caught;
    try {
      manager.with(ROOT_CONTEXT.setValue(key1, "inner"), () => {
        throw error;
      });
    } catch (e) {
      caught = e;
    }
    equal(caught, error, "rethrown error");
    equal(manager.active(), outer, "context after the throw");
  });
});

test("with() forwards thisArg, the arguments and the return value", () => {
  const thisArg = { name: "that" };
  function fn(a, b) {
    equal(this, thisArg, "this");
    equal(arguments.length, 2, "arguments.length");
    equal(a, "one", "a");
    equal(b, 2, "b");
    return "done";
  }
  equal(manager.with(ROOT_CONTEXT, fn, thisArg, "one", 2), "done", "return value");
  equal(manager.with(ROOT_CONTEXT, () => 3.14), 3.14, "arrow return value");
});

test("nested with() restores each outer context, and a timer keeps the context it was set in", async () => {
  const ctx1 = ROOT_CONTEXT.setValue(key1, "ctx1");
  const ctx2 = ROOT_CONTEXT.setValue(key1, "ctx2");
  const ctx3 = ROOT_CONTEXT.setValue(key1, "ctx3");
  const timer = callbackCheck((done) =>
    manager.with(ctx1, () => {
      manager.with(ctx2, () => {
        manager.with(ctx3, () => equal(manager.active(), ctx3, "innermost"));
        equal(manager.active(), ctx2, "after the innermost");
      });
      equal(manager.active(), ctx1, "after the middle");
      setTimeout(() => done(() => equal(manager.active(), ctx1, "in the timer")), 50);
    }),
  );
  equal(manager.active(), ROOT_CONTEXT, "outside");
  await timer;
});

test("three parallel timers each see the context they were scheduled in", async () => {
  const root = ROOT_CONTEXT.setValue(key1, "root");
  const seen = [];
  await new Promise((resolve) => {
    manager.with(root, () => {
      for (const [name, ms] of [["span1", 30], ["span2", 10], ["span3", 20]]) {
        manager.with(ROOT_CONTEXT.setValue(key2, name), () => {
          setTimeout(() => {
            seen.push(`${name}=${manager.active().getValue(key2)}`);
            if (seen.length === 3) resolve();
          }, ms);
        });
      }
    });
  });
  equal(seen.sort().join(","), "span1=span1,span2=span2,span3=span3", "contexts seen");
});

// Zone-specific "forks a new zone from the active one": the intent is that entering a context
// again inside itself nests cleanly.
test("with() of the active context inside itself keeps it, and restores it afterwards", () => {
  const ctx = ROOT_CONTEXT.setValue(key1, "same");
  manager.with(ctx, () => {
    manager.with(ctx, () => manager.with(ctx, () => equal(manager.active(), ctx, "innermost")));
    equal(manager.active(), ctx, "after the nested calls");
  });
  equal(manager.active(), ROOT_CONTEXT, "outside");
});

test("bind(context, fn) calls fn with the context it was bound to", () => {
  const obj = { title: "a1" };
  const ctx = ROOT_CONTEXT.setValue(key1, obj);
  obj.title = "a2";
  const bound = manager.bind(ctx, () => manager.active().getValue(key1).title);
  equal(bound(), "a2", "title read through the bound context");
});

test("bind() returns a plain object unchanged, enabled and disabled", () => {
  const target = { a: 1 };
  equal(manager.bind(ROOT_CONTEXT, target), target, "enabled");
  manager.disable();
  equal(manager.bind(ROOT_CONTEXT, target), target, "disabled");
});

test("a bound function sees its context when enabled", () => {
  const ctx = ROOT_CONTEXT.setValue(key1, { a: 1 });
  let seen;
  manager.bind(ctx, () => (seen = manager.active()))();
  equal(seen, ctx, "active() in the bound function");
});

test("a bound function sees ROOT_CONTEXT when the manager is disabled", () => {
  manager.disable();
  const ctx = ROOT_CONTEXT.setValue(key1, { a: 1 });
  let seen;
  manager.bind(ctx, () => (seen = manager.active()))();
  equal(seen, ROOT_CONTEXT, "active() in the bound function");
});

test("listeners added through a bound element run in its context, and so do their timers", async () => {
  const ctx1 = ROOT_CONTEXT.setValue(key1, 1);
  const element = document.createElement("div");
  equal(manager.bind(ctx1, element), element, "bind returns the element");
  const check = callbackCheck((done) =>
    element.addEventListener("click", () => {
      equal(manager.active(), ctx1, "in the listener");
      setTimeout(() => done(() => equal(manager.active(), ctx1, "in the listener's timer")), 50);
    }),
  );
  click(element);
  await check;
});

test("an element created and dispatched from a bound listener's timer keeps the context", async () => {
  const ctx1 = ROOT_CONTEXT.setValue(key1, 1);
  const element = document.createElement("div");
  manager.bind(ctx1, element);
  const check = callbackCheck((done) =>
    element.addEventListener("click", () => {
      setTimeout(() => {
        const element2 = document.createElement("div");
        element2.addEventListener("click", () => {
          equal(manager.active(), ctx1, "in the second listener");
          setTimeout(() => done(() => equal(manager.active(), ctx1, "in the second listener's timer")), 20);
        });
        click(element2);
      }, 20);
    }),
  );
  click(element);
  await check;
});

// Zone-specific onCancelTask guard (issue #6259): the intent is that redundant clearTimeout /
// clearInterval calls are harmless inside with() and context propagation still works after them.
test("clearTimeout twice on one timer inside with() does not throw, and the timer never fires", async () => {
  let fired = false;
  manager.with(ROOT_CONTEXT.setValue(key1, "t"), () => {
    const id = setTimeout(() => (fired = true), 20);
    clearTimeout(id);
    clearTimeout(id);
  });
  await sleep(80);
  assert(!fired, "a cleared timer fired");
});

test("clearTimeout from inside the running timer callback does not throw", async () => {
  await callbackCheck((done) =>
    manager.with(ROOT_CONTEXT, () => {
      const id = setTimeout(() => done(() => clearTimeout(id)), 10);
    }),
  );
});

test("clearInterval twice on one interval does not throw, and it never fires", async () => {
  let fired = 0;
  manager.with(ROOT_CONTEXT, () => {
    const id = setInterval(() => fired++, 10);
    clearInterval(id);
    clearInterval(id);
  });
  await sleep(60);
  equal(fired, 0, "interval runs after clearInterval");
});

test("after a redundant clearTimeout, a new timer still sees the context, nested contexts too", async () => {
  const outer = ROOT_CONTEXT.setValue(key1, "outer");
  const inner = ROOT_CONTEXT.setValue(key1, "inner");
  await callbackCheck((done) =>
    manager.with(outer, () => {
      manager.with(inner, () => {
        const id = setTimeout(() => {}, 50);
        clearTimeout(id);
        clearTimeout(id);
        equal(manager.active(), inner, "after the clearTimeouts");
        setTimeout(() => done(() => equal(manager.active(), inner, "in the later timer")), 10);
      });
      equal(manager.active(), outer, "outer after the inner with");
    }),
  );
});

// ---------------------------------------------------------------------------------------------
// What that suite lacks: native await (through the transform), two interleaved flows.

test("an async function run in with() keeps its context across several awaits (real timers)", async () => {
  const ctx = ROOT_CONTEXT.setValue(key1, "flow");
  const seen = await manager.with(ctx, async () => {
    const out = [];
    await sleep(10);
    out.push(manager.active().getValue(key1));
    await Promise.resolve();
    out.push(manager.active().getValue(key1));
    await new Promise((resolve) => requestAnimationFrame(resolve));
    out.push(manager.active().getValue(key1));
    return out;
  });
  equal(seen.join(","), "flow,flow,flow", "contexts after each await");
  equal(manager.active(), ROOT_CONTEXT, "the caller's context after awaiting with()'s promise");
});

test("two interleaved async flows each see their own context after every await", async () => {
  const order = [];
  const flow = (name, delays) =>
    manager.with(ROOT_CONTEXT.setValue(key1, name), async () => {
      const wrong = [];
      for (const ms of delays) {
        await sleep(ms);
        order.push(name);
        if (manager.active().getValue(key1) !== name) wrong.push(`${name} saw ${manager.active().getValue(key1)}`);
      }
      return wrong;
    });
  const [a, b] = await Promise.all([flow("a", [5, 30, 5, 30]), flow("b", [20, 5, 30, 5])]);
  equal([...a, ...b].join("; "), "", "steps that saw another flow's context");
  const firstA = order.indexOf("a");
  assert(order.slice(firstA, order.lastIndexOf("a")).includes("b"), `flows did not interleave: ${order}`);
});

test("the caller's context is back right after the first await of an async function run in with()", async () => {
  const outer = ROOT_CONTEXT.setValue(key1, "caller");
  await manager.with(outer, async () => {
    const pending = manager.with(ROOT_CONTEXT.setValue(key1, "callee"), async () => {
      await sleep(5);
    });
    equal(manager.active(), outer, "caller's context after the callee suspended");
    await pending;
    equal(manager.active(), outer, "caller's context after awaiting the callee");
  });
});

test("a rejected await keeps the context in catch and finally", async () => {
  const ctx = ROOT_CONTEXT.setValue(key1, "throw path");
  const seen = await manager.with(ctx, async () => {
    const out = [];
    try {
      await sleep(5);
      await Promise.reject(new Error("nope"));
    } catch {
      out.push(manager.active().getValue(key1));
    } finally {
      out.push(manager.active().getValue(key1));
    }
    return out;
  });
  equal(seen.join(","), "throw path,throw path", "catch, finally");
});

test("fetch and await fetch keep the context of the flow", async () => {
  const ctx = ROOT_CONTEXT.setValue(key1, "fetch");
  const seen = await manager.with(ctx, async () => {
    const response = await fetch("/api/unit/ping?delay=20");
    const first = manager.active().getValue(key1);
    await response.text();
    return [first, manager.active().getValue(key1)];
  });
  equal(seen.join(","), "fetch,fetch", "after await fetch, after await text()");
});

test("for await keeps the context of the flow across each step", async () => {
  async function* ticks() {
    for (let i = 0; i < 3; i++) {
      await sleep(5);
      yield i;
    }
  }
  const seen = await manager.with(ROOT_CONTEXT.setValue(key1, "loop"), async () => {
    const out = [];
    for await (const _ of ticks()) out.push(manager.active().getValue(key1));
    return out;
  });
  equal(seen.join(","), "loop,loop,loop", "contexts in the loop body");
});

test("through the api facade: startActiveSpan's span is the active span after 10 awaits", async () => {
  contextApi.setGlobalContextManager(manager);
  try {
    const tracer = trace.getTracer("unit");
    const parent = trace.wrapSpanContext({ traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331", traceFlags: 1 });
    const same = await contextApi.with(trace.setSpan(ROOT_CONTEXT, parent), () =>
      tracer.startActiveSpan("work", async (span) => {
        for (let i = 0; i < 10; i++) await sleep(1);
        const ok = trace.getActiveSpan() === span;
        span.end();
        return ok;
      }),
    );
    assert(same, "the active span after the awaits is not startActiveSpan's span");
    equal(trace.getActiveSpan(), undefined, "active span outside");
  } finally {
    contextApi.disable();
  }
});

test("a callback that throws inside with() leaks no context into the next task", async () => {
  const seen = await new Promise((resolve) => {
    setTimeout(() => {
      try {
        manager.with(ROOT_CONTEXT.setValue(key1, "leak?"), () => {
          throw new Error("thrown inside with");
        });
      } catch {}
      setTimeout(() => resolve(manager.active()), 0);
    }, 0);
  });
  equal(seen, ROOT_CONTEXT, "context in the next task");
});

test("disable() clears the contexts: a timer scheduled before sees ROOT_CONTEXT after enable()", async () => {
  const check = callbackCheck((done) =>
    manager.with(ROOT_CONTEXT.setValue(key1, "old"), () => setTimeout(() => done(() => equal(manager.active(), ROOT_CONTEXT, "in the timer")), 30)),
  );
  manager.disable();
  manager.enable();
  await check;
});

// ---------------------------------------------------------------------------------------------
// Listener bookkeeping on bound objects.

test("removeEventListener removes a listener added through a bound element", () => {
  const element = document.createElement("div");
  manager.bind(ROOT_CONTEXT.setValue(key1, 1), element);
  let calls = 0;
  const listener = () => calls++;
  element.addEventListener("click", listener);
  element.removeEventListener("click", listener);
  click(element);
  equal(calls, 0, "calls after removal");
});

test("removeEventListener through a bound element also removes the listener added before the bind", () => {
  const element = document.createElement("div");
  let calls = 0;
  const listener = () => calls++;
  element.addEventListener("click", listener);
  manager.bind(ROOT_CONTEXT.setValue(key1, 1), element);
  element.addEventListener("click", listener);
  element.removeEventListener("click", listener);
  click(element);
  equal(calls, 0, "calls after removal");
});

test("the same listener added twice through a bound element runs once, and one removal removes it", () => {
  const element = document.createElement("div");
  manager.bind(ROOT_CONTEXT.setValue(key1, 1), element);
  let calls = 0;
  const listener = () => calls++;
  element.addEventListener("click", listener);
  element.addEventListener("click", listener);
  click(element);
  equal(calls, 1, "calls with the listener added twice");
  element.removeEventListener("click", listener);
  click(element);
  equal(calls, 1, "calls after one removal");
});

test("removeEventListener with the capture flag removes only the capture registration", () => {
  const element = document.createElement("div");
  manager.bind(ROOT_CONTEXT.setValue(key1, 1), element);
  let calls = 0;
  const listener = () => calls++;
  element.addEventListener("click", listener, true);
  element.addEventListener("click", listener, { capture: false });
  element.removeEventListener("click", listener, { capture: true });
  click(element);
  equal(calls, 1, "calls after removing the capture registration");
});

test("a handleEvent object added through a bound element runs in its context with this = the object", () => {
  const ctx = ROOT_CONTEXT.setValue(key1, "handleEvent");
  const element = document.createElement("div");
  manager.bind(ctx, element);
  const seen = [];
  const handler = {
    handleEvent(event) {
      seen.push([this === handler, manager.active() === ctx, event.type]);
    },
  };
  element.addEventListener("click", handler);
  click(element);
  element.removeEventListener("click", handler);
  click(element);
  equal(JSON.stringify(seen), JSON.stringify([[true, true, "click"]]), "calls (one before removal)");
});

test("a once listener added through a bound element runs once in its context", () => {
  const ctx = ROOT_CONTEXT.setValue(key1, "once");
  const element = document.createElement("div");
  manager.bind(ctx, element);
  const seen = [];
  element.addEventListener("click", () => seen.push(manager.active().getValue(key1)), { once: true });
  click(element);
  click(element);
  equal(seen.join(","), "once", "calls");
});

test("listeners added directly to other elements are not bound", () => {
  const bound = document.createElement("div");
  const other = document.createElement("div");
  manager.bind(ROOT_CONTEXT.setValue(key1, "bound"), bound);
  let seen;
  other.addEventListener("click", () => (seen = manager.active()));
  click(other);
  equal(seen, ROOT_CONTEXT, "active() in the other element's listener");
});

// ---------------------------------------------------------------------------------------------
// Extension, bad input, attach.

test("bind() goes through this.with: a subclass overriding with() sees bound functions and listeners", () => {
  const calls = [];
  class Recording extends AsyncContextManager {
    with(context, fn, thisArg, ...args) {
      calls.push(context.getValue(key1));
      return super.with(context, fn, thisArg, ...args);
    }
  }
  const sub = new Recording().enable();
  const ctx = ROOT_CONTEXT.setValue(key1, "sub");
  let seen;
  sub.bind(ctx, () => (seen = sub.active()))();
  const element = document.createElement("div");
  sub.bind(ctx, element);
  element.addEventListener("click", () => {});
  click(element);
  sub.disable();
  equal(seen, ctx, "active() in the bound function");
  equal(calls.join(","), "sub,sub", "with() calls seen by the subclass");
});

test("a bound function keeps the target's length and forwards this and the arguments", () => {
  const thisArg = {};
  const bound = manager.bind(ROOT_CONTEXT, function (a, b, c) {
    return [this === thisArg, a + b + c];
  });
  equal(bound.length, 3, "length");
  equal(JSON.stringify(bound.call(thisArg, 1, 2, 3)), "[true,6]", "this and arguments");
});

test("with() of a non-function throws TypeError and leaves the context unchanged", () => {
  const ctx = ROOT_CONTEXT.setValue(key1, "kept");
  manager.with(ctx, () => {
    for (const bad of [undefined, null, 42, "fn", {}]) {
      let error;
      try {
        manager.with(ROOT_CONTEXT.setValue(key1, "bad"), bad);
      } catch (e) {
        error = e;
      }
      assert(error instanceof TypeError, `with(ctx, ${String(bad)}) threw ${error}`);
      equal(manager.active(), ctx, `context after with(ctx, ${String(bad)})`);
    }
  });
});

test("bind() of a non-object, non-function returns it unchanged", () => {
  for (const value of [undefined, null, 0, "text", true, Symbol.iterator]) {
    equal(manager.bind(ROOT_CONTEXT, value), value, `bind(ctx, ${String(value)})`);
  }
});

test("attach() makes the context active until dispose(), and what it schedules keeps it", async () => {
  const ctx = ROOT_CONTEXT.setValue(key1, "attached");
  const check = callbackCheck((done) => {
    const token = manager.attach(ctx);
    try {
      equal(manager.active(), ctx, "after attach");
      setTimeout(() => done(() => equal(manager.active(), ctx, "in a timer set while attached")), 10);
    } finally {
      token.dispose();
    }
    equal(manager.active(), ROOT_CONTEXT, "after dispose");
  });
  await check;
});

test("nested attach() tokens disposed in order restore each previous context; a second dispose is harmless", () => {
  const outer = ROOT_CONTEXT.setValue(key1, "outer");
  const inner = ROOT_CONTEXT.setValue(key1, "inner");
  manager.with(ROOT_CONTEXT.setValue(key1, "with"), () => {
    const t1 = manager.attach(outer);
    const t2 = manager.attach(inner);
    equal(manager.active(), inner, "after both attaches");
    t2.dispose();
    equal(manager.active(), outer, "after the inner dispose");
    t1.dispose();
    t1.dispose();
    t2.dispose();
    equal(manager.active().getValue(key1), "with", "after both disposes, twice");
  });
});

// ---------------------------------------------------------------------------------------------

async function main() {
  for (const { name, fn } of tests) {
    manager = new AsyncContextManager().enable();
    let timer;
    try {
      await Promise.race([fn(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error("timed out after 5 s")), 5000)))]);
      results.push({ name, ok: true });
    } catch (error) {
      results.push({ name, ok: false, message: String((error && error.message) || error) });
    } finally {
      clearTimeout(timer);
      manager.disable();
    }
  }
}

window.__results = results;
main().then(
  () => (window.__done = true),
  (error) => {
    results.push({ name: "the unit tests ran", ok: false, message: String(error) });
    window.__done = true;
  },
);
