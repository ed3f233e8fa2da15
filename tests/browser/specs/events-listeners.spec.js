// Event listener bookkeeping and synchronous dispatch (semantics.md §3, events rows and "Listener
// bookkeeping"; §4 for memory). The polyfill calls every listener through a wrapper: these tests check
// that listeners still behave exactly as natively (removal, de-duplication, once/signal/passive, on*
// getters, `this`, handleEvent lookup) and that a synchronous dispatch runs them in the dispatcher's
// context, the empty one included.

import { test, assert, sleep, collectGarbage, liveNodes, liveSlots, originals, storeCounts, countsReturningTo } from "../harness.js";
import { flowVariable, deferred, delayUrl, unpatchedWindow } from "../assets/events-common.js";

const flow = flowVariable();

// ---------------------------------------------------------------------------------------------------------
// Synchronous dispatch: the dispatcher's context

test("dispatchEvent runs an addEventListener listener in the dispatcher's context, two dispatchers interleaved", () => {
  const target = new EventTarget();
  const seen = [];
  flow.run("registration", () => target.addEventListener("ping", () => seen.push(flow.get())));
  flow.run("A", () => target.dispatchEvent(new Event("ping")));
  flow.run("B", () => target.dispatchEvent(new Event("ping")));
  flow.run("A", () => target.dispatchEvent(new Event("ping")));
  assert.deepEqual(seen, ["A", "B", "A"]);
});

test("dispatchEvent runs a handleEvent object listener in the dispatcher's context", () => {
  const target = new EventTarget();
  const seen = [];
  const listener = { handleEvent: () => seen.push(flow.get()) };
  flow.run("registration", () => target.addEventListener("ping", listener));
  flow.run("A", () => target.dispatchEvent(new Event("ping")));
  flow.run("B", () => target.dispatchEvent(new Event("ping")));
  assert.deepEqual(seen, ["A", "B"]);
});

test("dispatchEvent runs an on* handler property in the dispatcher's context", () => {
  const element = document.createElement("div");
  const seen = [];
  flow.run("registration", () => {
    element.onclick = () => seen.push(flow.get());
  });
  flow.run("A", () => element.dispatchEvent(new MouseEvent("click")));
  flow.run("B", () => element.dispatchEvent(new MouseEvent("click")));
  assert.deepEqual(seen, ["A", "B"]);
});

test("el.click() runs click listeners in the context of the click() call", () => {
  const button = document.createElement("button");
  document.body.append(button);
  const seen = [];
  flow.run("registration", () => button.addEventListener("click", () => seen.push(flow.get())));
  flow.run("A", () => button.click());
  flow.run("B", () => button.click());
  button.remove();
  assert.deepEqual(seen, ["A", "B"]);
});

test("AbortController.abort() runs abort listeners in the context of the abort() call", () => {
  const first = new AbortController();
  const second = new AbortController();
  const seen = [];
  flow.run("registration", () => {
    first.signal.addEventListener("abort", () => seen.push(`first:${flow.get()}`));
    second.signal.onabort = () => seen.push(`second:${flow.get()}`);
  });
  flow.run("B", () => second.abort());
  flow.run("A", () => first.abort());
  assert.deepEqual(seen, ["second:B", "first:A"]);
});

test("setting location.hash inside run runs popstate listeners in that context", async () => {
  const seen = [];
  const listener = () => seen.push(flow.get());
  flow.run("registration", () => window.addEventListener("popstate", listener));
  const hashChanged = new Promise((resolve) => window.addEventListener("hashchange", resolve, { once: true }));
  try {
    flow.run("A", () => {
      location.hash = `#events-listeners-${Math.random()}`;
    });
    await hashChanged;
  } finally {
    window.removeEventListener("popstate", listener);
  }
  assert.deepEqual(seen, ["A"]);
});

test("dispatchEvent in the empty context runs listeners registered inside run in the empty context", () => {
  const target = new EventTarget();
  const seen = [];
  flow.run("registration", () => target.addEventListener("ping", () => seen.push(flow.get())));
  target.dispatchEvent(new Event("ping"));
  assert.deepEqual(seen, ["empty"]);
});

test("AbortController.abort() in the empty context runs listeners registered inside run in the empty context", () => {
  const controller = new AbortController();
  const seen = [];
  flow.run("registration", () => controller.signal.addEventListener("abort", () => seen.push(flow.get())));
  controller.abort();
  assert.deepEqual(seen, ["empty"]);
});

test("dispatchEvent in the empty context on an XHR whose send() ran in a context runs listeners in the empty context", async () => {
  const xhr = new XMLHttpRequest();
  const seen = [];
  const loaded = deferred();
  xhr.addEventListener("custom", () => seen.push(`custom:${flow.get()}`));
  xhr.addEventListener("loadend", () => loaded.resolve());
  flow.run("A", () => {
    xhr.open("GET", delayUrl(300));
    xhr.send();
  });
  await sleep(20); // the request is in flight
  xhr.dispatchEvent(new Event("custom"));
  flow.run("B", () => xhr.dispatchEvent(new Event("custom")));
  await loaded.promise;
  xhr.dispatchEvent(new Event("custom"));
  assert.deepEqual(seen, ["custom:empty", "custom:B", "custom:empty"]);
});

test("el.click() in the empty context on an img whose src was set in a context runs listeners in the empty context", async () => {
  const img = document.createElement("img");
  const seen = [];
  img.addEventListener("click", () => seen.push(flow.get()));
  const loaded = new Promise((resolve) => img.addEventListener("load", resolve));
  flow.run("A", () => {
    img.src = "/tests/browser/assets/pixel.svg";
  });
  await loaded;
  img.click();
  assert.deepEqual(seen, ["empty"]);
});

test("el.focus() in the empty context on an img whose src was set in a context runs focus listeners in the empty context", async () => {
  const img = document.createElement("img");
  img.tabIndex = 0;
  document.body.append(img);
  const seen = [];
  img.addEventListener("focus", () => seen.push(flow.get()));
  const loaded = new Promise((resolve) => img.addEventListener("load", resolve));
  flow.run("A", () => {
    img.src = "/tests/browser/assets/pixel.svg";
  });
  await loaded;
  img.focus();
  img.remove();
  assert.deepEqual(seen, ["empty"]);
});

test("a listener dispatched synchronously from inside another listener sees the inner dispatcher's context", () => {
  const outer = new EventTarget();
  const inner = new EventTarget();
  const seen = [];
  inner.addEventListener("ping", () => seen.push(`inner:${flow.get()}`));
  outer.addEventListener("ping", () => {
    seen.push(`outer:${flow.get()}`);
    flow.run("nested", () => inner.dispatchEvent(new Event("ping")));
    inner.dispatchEvent(new Event("ping"));
  });
  flow.run("A", () => outer.dispatchEvent(new Event("ping")));
  assert.deepEqual(seen, ["outer:A", "inner:nested", "inner:A"]);
});

// ---------------------------------------------------------------------------------------------------------
// Bookkeeping: removal, de-duplication, options

test("removeEventListener outside run removes a listener added inside run", () => {
  const target = new EventTarget();
  let calls = 0;
  const listener = () => calls++;
  flow.run("A", () => target.addEventListener("ping", listener));
  target.removeEventListener("ping", listener);
  target.dispatchEvent(new Event("ping"));
  assert.equal(calls, 0);
});

test("removeEventListener inside another run removes a listener added inside run", () => {
  const target = new EventTarget();
  let calls = 0;
  const listener = () => calls++;
  flow.run("A", () => target.addEventListener("ping", listener));
  flow.run("B", () => target.removeEventListener("ping", listener));
  target.dispatchEvent(new Event("ping"));
  assert.equal(calls, 0);
});

test("removeEventListener removes a handleEvent object listener added inside run", () => {
  const target = new EventTarget();
  let calls = 0;
  const listener = { handleEvent: () => calls++ };
  flow.run("A", () => target.addEventListener("ping", listener));
  target.removeEventListener("ping", listener);
  target.dispatchEvent(new Event("ping"));
  assert.equal(calls, 0);
});

test("removeEventListener with the same capture flag removes a capturing listener added inside run", () => {
  const target = new EventTarget();
  let calls = 0;
  const listener = () => calls++;
  flow.run("A", () => target.addEventListener("ping", listener, { capture: true }));
  target.removeEventListener("ping", listener, true);
  target.dispatchEvent(new Event("ping"));
  assert.equal(calls, 0);
});

test("removeEventListener with a different capture flag does not remove a listener added inside run", () => {
  const target = new EventTarget();
  let calls = 0;
  const capturing = () => calls++;
  const bubbling = () => calls++;
  flow.run("A", () => {
    target.addEventListener("ping", capturing, true);
    target.addEventListener("ping", bubbling, false);
  });
  target.removeEventListener("ping", capturing, false);
  target.removeEventListener("ping", bubbling, { capture: true });
  target.dispatchEvent(new Event("ping"));
  assert.equal(calls, 2);
});

test("removeEventListener for another type does not remove a listener added inside run", () => {
  const target = new EventTarget();
  let calls = 0;
  const listener = () => calls++;
  flow.run("A", () => target.addEventListener("ping", listener));
  target.removeEventListener("pong", listener);
  target.dispatchEvent(new Event("ping"));
  assert.equal(calls, 1);
});

test("removing a listener from one target leaves the same listener on another target", () => {
  const first = new EventTarget();
  const second = new EventTarget();
  const seen = [];
  const listener = (event) => seen.push(event.type);
  flow.run("A", () => {
    first.addEventListener("one", listener);
    second.addEventListener("two", listener);
  });
  first.removeEventListener("one", listener);
  first.dispatchEvent(new Event("one"));
  second.dispatchEvent(new Event("two"));
  assert.deepEqual(seen, ["two"]);
});

test("adding the same listener twice, in two contexts, registers it once", () => {
  const target = new EventTarget();
  const seen = [];
  const listener = () => seen.push(flow.get());
  flow.run("A", () => target.addEventListener("ping", listener));
  flow.run("B", () => target.addEventListener("ping", listener));
  target.addEventListener("ping", listener);
  flow.run("D", () => target.dispatchEvent(new Event("ping")));
  assert.deepEqual(seen, ["D"]);
});

test("adding the same listener to the same target inside and outside captureFallbackContext registers it once", () => {
  const target = new EventTarget();
  let calls = 0;
  const listener = () => calls++;
  target.addEventListener("ping", listener);
  flow.run("A", () => AsyncContext.captureFallbackContext(flow, () => target.addEventListener("ping", listener)));
  flow.run("B", () => AsyncContext.captureFallbackContext(flow, () => target.addEventListener("ping", listener)));
  target.dispatchEvent(new Event("ping"));
  assert.equal(calls, 1);
});

test("a listener added inside captureFallbackContext is removed by one removeEventListener", () => {
  const target = new EventTarget();
  let calls = 0;
  const listener = () => calls++;
  flow.run("A", () => AsyncContext.captureFallbackContext(flow, () => target.addEventListener("ping", listener)));
  target.removeEventListener("ping", listener);
  target.dispatchEvent(new Event("ping"));
  assert.equal(calls, 0);
});

test("adding the same handleEvent object twice registers it once", () => {
  const target = new EventTarget();
  let calls = 0;
  const listener = { handleEvent: () => calls++ };
  flow.run("A", () => target.addEventListener("ping", listener));
  flow.run("B", () => target.addEventListener("ping", listener));
  target.dispatchEvent(new Event("ping"));
  assert.equal(calls, 1);
});

test("the same listener added with capture true and false is registered twice", () => {
  const target = new EventTarget();
  let calls = 0;
  const listener = () => calls++;
  flow.run("A", () => {
    target.addEventListener("ping", listener, true);
    target.addEventListener("ping", listener, false);
  });
  target.dispatchEvent(new Event("ping"));
  assert.equal(calls, 2);
});

test("listeners keep their registration order", () => {
  const target = new EventTarget();
  const seen = [];
  flow.run("A", () => target.addEventListener("ping", () => seen.push(1)));
  target.addEventListener("ping", { handleEvent: () => seen.push(2) });
  flow.run("B", () => target.addEventListener("ping", () => seen.push(3)));
  target.dispatchEvent(new Event("ping"));
  assert.deepEqual(seen, [1, 2, 3]);
});

test("a once listener added inside run runs only once", () => {
  const target = new EventTarget();
  const seen = [];
  flow.run("registration", () => target.addEventListener("ping", () => seen.push(flow.get()), { once: true }));
  flow.run("A", () => target.dispatchEvent(new Event("ping")));
  flow.run("B", () => target.dispatchEvent(new Event("ping")));
  assert.deepEqual(seen, ["A"]);
});

test("a once listener that is also a normal listener elsewhere keeps the other registration", () => {
  const first = new EventTarget();
  const second = new EventTarget();
  let calls = 0;
  const listener = () => calls++;
  flow.run("A", () => {
    first.addEventListener("ping", listener, { once: true });
    second.addEventListener("ping", listener);
  });
  first.dispatchEvent(new Event("ping"));
  second.dispatchEvent(new Event("ping"));
  second.dispatchEvent(new Event("ping"));
  assert.equal(calls, 3);
});

test("aborting the signal given to addEventListener inside run removes the listener", () => {
  const target = new EventTarget();
  const controller = new AbortController();
  let calls = 0;
  flow.run("A", () => target.addEventListener("ping", () => calls++, { signal: controller.signal }));
  target.dispatchEvent(new Event("ping"));
  flow.run("B", () => controller.abort());
  target.dispatchEvent(new Event("ping"));
  assert.equal(calls, 1);
});

test("an already aborted signal given to addEventListener adds nothing", () => {
  const target = new EventTarget();
  let calls = 0;
  flow.run("A", () => target.addEventListener("ping", () => calls++, { signal: AbortSignal.abort() }));
  target.dispatchEvent(new Event("ping"));
  assert.equal(calls, 0);
});

test("a passive listener added inside run cannot cancel the event", () => {
  const target = new EventTarget();
  flow.run("A", () => target.addEventListener("ping", (event) => event.preventDefault(), { passive: true }));
  const event = new Event("ping", { cancelable: true });
  target.dispatchEvent(event);
  assert.equal(event.defaultPrevented, false);
});

test("a non-passive listener added inside run can cancel the event", () => {
  const target = new EventTarget();
  flow.run("A", () => target.addEventListener("ping", (event) => event.preventDefault(), { passive: false }));
  const event = new Event("ping", { cancelable: true });
  assert.equal(target.dispatchEvent(event), false);
  assert.equal(event.defaultPrevented, true);
});

test("addEventListener with a null listener is accepted and adds nothing", () => {
  const target = new EventTarget();
  flow.run("A", () => target.addEventListener("ping", null));
  assert.equal(target.dispatchEvent(new Event("ping")), true);
  target.removeEventListener("ping", null);
});

test("addEventListener on a non-EventTarget throws a TypeError, as natively", () => {
  assert.throws(() => EventTarget.prototype.addEventListener.call({}, "ping", () => {}), TypeError);
  assert.throws(() => EventTarget.prototype.removeEventListener.call({}, "ping", () => {}), TypeError);
});

test("addEventListener and removeEventListener keep their length and name", () => {
  assert.equal(EventTarget.prototype.addEventListener.length, 2);
  assert.equal(EventTarget.prototype.addEventListener.name, "addEventListener");
  assert.equal(EventTarget.prototype.removeEventListener.length, 2);
  assert.equal(EventTarget.prototype.removeEventListener.name, "removeEventListener");
});

// ---------------------------------------------------------------------------------------------------------
// on* handler properties

test("an on* getter returns exactly the function that was set inside run", () => {
  const element = document.createElement("div");
  const handler = function handler() {};
  flow.run("A", () => {
    element.onclick = handler;
  });
  assert.equal(element.onclick, handler);
  window.onmessage = handler;
  assert.equal(window.onmessage, handler);
  window.onmessage = null;
  const xhr = new XMLHttpRequest();
  xhr.onload = handler;
  assert.equal(xhr.onload, handler);
});

test("an on* getter returns null after the handler is set to null", () => {
  const element = document.createElement("div");
  element.onclick = () => {};
  element.onclick = null;
  assert.equal(element.onclick, null);
});

test("setting an on* property to a non-function behaves as natively", () => {
  const native = unpatchedWindow();
  const patchedElement = document.createElement("div");
  const nativeElement = native.document.createElement("div");
  const object = { handleEvent() {} };
  for (const value of ["alert(1)", 42, undefined, object, null]) {
    patchedElement.onclick = value;
    nativeElement.onclick = value;
    assert.equal(patchedElement.onclick, nativeElement.onclick, `after setting ${typeof value} ${String(value)}`);
  }
});

test("an on* handler set to a non-callable object is not called on dispatch", () => {
  const element = document.createElement("div");
  let calls = 0;
  element.onclick = { handleEvent: () => calls++ };
  element.dispatchEvent(new MouseEvent("click"));
  assert.equal(calls, 0);
});

test("replacing an on* handler calls only the new one, at the old handler's position", () => {
  const element = document.createElement("div");
  const seen = [];
  element.addEventListener("click", () => seen.push("first"));
  flow.run("A", () => {
    element.onclick = () => seen.push("old handler");
  });
  element.addEventListener("click", () => seen.push("last"));
  flow.run("B", () => {
    element.onclick = () => seen.push("new handler");
  });
  element.dispatchEvent(new MouseEvent("click"));
  assert.deepEqual(seen, ["first", "new handler", "last"]);
});

test("a function set as an on* handler and added as a listener runs twice", () => {
  const element = document.createElement("div");
  let calls = 0;
  const listener = () => calls++;
  flow.run("A", () => {
    element.onclick = listener;
    element.addEventListener("click", listener);
  });
  element.dispatchEvent(new MouseEvent("click"));
  assert.equal(calls, 2);
});

test("an on* handler returning false cancels the event", () => {
  const element = document.createElement("div");
  flow.run("A", () => {
    element.onclick = () => false;
  });
  const event = new MouseEvent("click", { cancelable: true });
  element.dispatchEvent(event);
  assert.equal(event.defaultPrevented, true);
});

test("document.body.onmessage set inside run is the window's onmessage handler and is returned by both getters", () => {
  const handler = () => {};
  flow.run("A", () => {
    document.body.onmessage = handler;
  });
  try {
    assert.equal(window.onmessage, handler);
    assert.equal(document.body.onmessage, handler);
  } finally {
    window.onmessage = null;
  }
});

test("an on* getter of an inline handler attribute returns the browser's compiled function", () => {
  const element = document.createElement("div");
  element.setAttribute("onclick", "return 1");
  const handler = element.onclick;
  assert.equal(typeof handler, "function");
  assert.equal(handler.name, "onclick");
  assert.equal(element.onclick, handler);
});

test("window.onerror receives its five arguments", () => {
  const seen = [];
  flow.run("A", () => {
    window.onerror = (...args) => {
      seen.push(args.length, args[0], args[4]);
      return true;
    };
  });
  const error = new Error("reported");
  try {
    reportError(error);
  } finally {
    window.onerror = null;
  }
  assert.equal(seen[0], 5);
  assert.ok(String(seen[1]).includes("reported"), `message ${seen[1]}`);
  assert.equal(seen[2], error);
});

// ---------------------------------------------------------------------------------------------------------
// `this` and handleEvent

test("`this` in a function listener is the currentTarget", () => {
  const parent = document.createElement("div");
  const child = document.createElement("span");
  parent.append(child);
  const seen = [];
  flow.run("A", () => {
    parent.addEventListener("ping", function () {
      seen.push(this);
    });
    parent.onclick = function () {
      seen.push(this);
    };
  });
  child.dispatchEvent(new Event("ping", { bubbles: true }));
  child.dispatchEvent(new MouseEvent("click", { bubbles: true }));
  assert.equal(seen.length, 2);
  assert.equal(seen[0], parent);
  assert.equal(seen[1], parent);
});

test("`this` in a listener run in a causal context is the currentTarget", async () => {
  const xhr = new XMLHttpRequest();
  const done = deferred();
  xhr.addEventListener("load", function () {
    done.resolve({ self: this, value: flow.get() });
  });
  flow.run("A", () => {
    xhr.open("GET", delayUrl(10));
    xhr.send();
  });
  const { self, value } = await done.promise;
  assert.equal(value, "A", "the load listener should run in send()'s context");
  assert.equal(self, xhr);
});

test("`this` in a handleEvent listener is the listener object", () => {
  const target = new EventTarget();
  let self;
  const listener = {
    handleEvent() {
      self = this;
    },
  };
  flow.run("A", () => target.addEventListener("ping", listener));
  target.dispatchEvent(new Event("ping"));
  assert.equal(self, listener);
});

test("handleEvent is looked up at dispatch time", () => {
  const target = new EventTarget();
  const seen = [];
  const listener = { handleEvent: () => seen.push("first") };
  flow.run("A", () => target.addEventListener("ping", listener));
  listener.handleEvent = () => seen.push("second");
  target.dispatchEvent(new Event("ping"));
  let lookups = 0;
  Object.defineProperty(listener, "handleEvent", {
    get() {
      lookups++;
      return () => seen.push("getter");
    },
  });
  target.dispatchEvent(new Event("ping"));
  target.dispatchEvent(new Event("ping"));
  assert.deepEqual(seen, ["second", "getter", "getter"]);
  assert.equal(lookups, 2);
});

test("a handleEvent listener runs in the dispatcher's context whichever context replaced handleEvent", () => {
  const target = new EventTarget();
  const seen = [];
  const listener = {};
  flow.run("registration", () => target.addEventListener("ping", listener));
  flow.run("replacement", () => {
    listener.handleEvent = () => seen.push(flow.get());
  });
  flow.run("A", () => target.dispatchEvent(new Event("ping")));
  assert.deepEqual(seen, ["A"]);
});

test("a function listener with a handleEvent property is called as a function", () => {
  const target = new EventTarget();
  const seen = [];
  const listener = () => seen.push("function");
  listener.handleEvent = () => seen.push("handleEvent");
  flow.run("A", () => target.addEventListener("ping", listener));
  target.dispatchEvent(new Event("ping"));
  assert.deepEqual(seen, ["function"]);
});

test("a listener receives the event as its only argument", () => {
  const target = new EventTarget();
  let args;
  flow.run("A", () =>
    target.addEventListener("ping", function () {
      args = [...arguments];
    }),
  );
  const event = new Event("ping");
  target.dispatchEvent(event);
  assert.equal(args.length, 1);
  assert.equal(args[0], event);
});

// ---------------------------------------------------------------------------------------------------------
// Exceptions

function swallowing(message, fn) {
  const onError = (event) => {
    if (event.error && event.error.message === message) event.preventDefault();
  };
  window.addEventListener("error", onError);
  return Promise.resolve(fn()).finally(() => window.removeEventListener("error", onError));
}

test("a listener that throws inside a nested run does not leak that context into the next listener", () =>
  swallowing("thrown by a listener", () => {
    const target = new EventTarget();
    const seen = [];
    target.addEventListener("ping", () =>
      flow.run("thrower", () => {
        throw new Error("thrown by a listener");
      }),
    );
    target.addEventListener("ping", () => seen.push(flow.get()));
    flow.run("A", () => target.dispatchEvent(new Event("ping")));
    target.dispatchEvent(new Event("ping"));
    seen.push(`after:${flow.get()}`);
    assert.deepEqual(seen, ["A", "empty", "after:empty"]);
  }));

test("a listener run in a causal context that throws leaks its context neither into the next listener nor the next task", () =>
  swallowing("thrown by a load listener", async () => {
    const xhr = new XMLHttpRequest();
    const seen = [];
    const done = deferred();
    xhr.addEventListener("load", () => {
      throw new Error("thrown by a load listener");
    });
    xhr.addEventListener("load", () => {
      seen.push(`second listener:${flow.get()}`);
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        seen.push(`next task:${flow.get()}`);
        channel.port1.close();
        done.resolve();
      };
      channel.port2.postMessage(null);
    });
    flow.run("A", () => {
      xhr.open("GET", delayUrl(10));
      xhr.send();
    });
    await done.promise;
    assert.deepEqual(seen, ["second listener:A", "next task:empty"]);
  }));

// ---------------------------------------------------------------------------------------------------------
// Robustness: page code that later replaces built-ins cannot break causal dispatch

test("recording and dispatching causal contexts calls no built-in method that page code can replace", async () => {
  const ArrayIteratorPrototype = Object.getPrototypeOf([][Symbol.iterator]());
  const targets = [
    ["Array.prototype", Array.prototype, ["push", "includes", "map", "indexOf", "slice", Symbol.iterator]],
    ["%ArrayIteratorPrototype%", ArrayIteratorPrototype, ["next"]],
    ["Set.prototype", Set.prototype, ["add", "has"]],
    ["Map.prototype", Map.prototype, ["get", "set", "has"]],
    ["NodeList.prototype", NodeList.prototype, ["forEach", Symbol.iterator]],
  ];
  // While the replacements are in place, this test avoids them itself: indexed loops, no destructuring.
  const saved = [];
  const calls = [];
  for (const [label, holder, keys] of targets) {
    for (const key of keys) saved.push({ label: `${label}.${String(key)}`, holder, key, descriptor: Object.getOwnPropertyDescriptor(holder, key) });
  }
  const restore = () => {
    for (let i = 0; i < saved.length; i++) Object.defineProperty(saved[i].holder, saved[i].key, saved[i].descriptor);
  };
  const seen = {};
  const note = (label) => () => {
    seen[label] = flow.get();
  };
  const container = document.createElement("div");
  document.body.append(container);
  const xhr = new XMLHttpRequest();
  const img = document.createElement("img");
  const script = document.createElement("script");
  script.src = delayUrl(20, { file: "/tests/browser/assets/noop.js" });
  flow.run("listeners", () => {
    xhr.addEventListener("load", note("xhr"));
    img.addEventListener("load", note("img"));
    script.addEventListener("load", note("script"));
  });
  // All four loads, or give up after 3 s (a broken listener must not leave the replacements in place).
  let pending = 4;
  let finished;
  const done = new Promise((resolve) => {
    finished = resolve;
    originals.setTimeout.call(window, resolve, 3000);
  });
  const loaded = () => --pending === 0 && finished();
  xhr.addEventListener("loadend", loaded);
  img.addEventListener("load", loaded);
  script.addEventListener("load", loaded);
  const xhrUrl = delayUrl(20);
  try {
    // Each replacement notes that the polyfill (a caller under /pkg/) called it, then behaves as the
    // original (so every use shows up). Callers elsewhere are not the polyfill: WebKit's WebDriver runs its
    // own script in the page while the runner polls it.
    for (let i = 0; i < saved.length; i++) {
      const name = saved[i].label;
      const original = saved[i].descriptor.value;
      Object.defineProperty(saved[i].holder, saved[i].key, {
        value: function () {
          if (String(new Error().stack).includes("/pkg/")) calls[calls.length] = name;
          return Reflect.apply(original, this, arguments);
        },
        writable: true,
        configurable: true,
      });
    }
    flow.run("A", () => {
      xhr.open("GET", xhrUrl);
      xhr.send();
      img.src = "/tests/browser/assets/pixel.svg?robust";
      container.append(script);
      container.insertAdjacentHTML("beforeend", '<img id="events-robust" src="/tests/browser/assets/pixel.svg?robust-parsed">');
    });
    const parsed = container.querySelector("#events-robust");
    flow.run("listeners", () => parsed.addEventListener("load", note("parsed")));
    parsed.addEventListener("load", loaded);
    await done;
  } finally {
    restore();
    container.remove();
  }
  assert.deepEqual([...new Set(calls)], [], "the polyfill called page-replaceable built-ins");
  assert.deepEqual(seen, { xhr: "A", img: "A", script: "A", parsed: "A" });
  assert.equal(pending, 0);
});

// ---------------------------------------------------------------------------------------------------------
// Memory (§4)


test("listeners added inside runs and removed again hold no context after garbage collection", async () => {
  await collectGarbage();
  const baseline = storeCounts();
  const variable = new AsyncContext.Variable();
  const target = document.createElement("div");
  document.body.append(target);
  const listeners = [];
  for (let i = 0; i < 50; i++) {
    const listener = { handleEvent: () => variable.get() };
    const fn = () => variable.get();
    listeners.push(listener, fn);
    variable.run({ big: new Array(100).fill(i) }, () => {
      new AsyncContext.Snapshot(); // the context is materialized, as it would be by any capture
      target.addEventListener("ping", listener);
      target.addEventListener("ping", fn, { once: true });
      target.onclick = fn;
      target.dispatchEvent(new Event("ping"));
    });
  }
  for (const listener of listeners) target.removeEventListener("ping", listener);
  target.onclick = null;
  listeners.length = 0;
  const after = await countsReturningTo(baseline);
  target.remove();
  assert.ok(after.nodes <= baseline.nodes && after.slots <= baseline.slots,
    `${after.nodes} nodes / ${after.slots} slots live after GC, baseline ${baseline.nodes} / ${baseline.slots}`);
});
