// AsyncContext.captureFallbackContext(variable, fn) (experimental; semantics.md §3, row "captureFallbackContext";
// js-shim/api.js, fallback.js, patches/events.js). Listeners registered while fn runs see `variable` at the value
// it had when captureFallbackContext was called, with every other variable at its default, when the browser
// dispatches an event with no JS cause (user input, MessagePort and BroadcastChannel messages, …). Everything
// else is unchanged: listeners registered outside see the empty context, synchronous dispatch keeps the
// dispatcher's context, and a causal context (XHR send()) wins over the fallback.
//
// Events come from the real browser: a real mouse click through the runner's input bridge, real messages.
// Waiting for an event polls a bounded number of rounds; no assertion depends on timing.

import { test, assert, sleep, userClick } from "../harness.js";

const { captureFallbackContext } = AsyncContext;
const flow = new AsyncContext.Variable({ name: "flow", defaultValue: "empty" });
const user = new AsyncContext.Variable({ name: "user", defaultValue: "empty" });
const other = new AsyncContext.Variable({ name: "other", defaultValue: "empty" });

/** What a listener sees: every variable of this file. */
const look = () => ({ flow: flow.get(), user: user.get(), other: other.get() });

/** Polls until `predicate()` holds (at most `rounds` short sleeps); fails with `what` otherwise. */
async function waitFor(predicate, what, rounds = 300) {
  for (let i = 0; i < rounds; i++) {
    if (predicate()) return;
    await sleep(10);
  }
  assert.ok(predicate(), `gave up waiting for ${what}`);
}

/** A listener that records look() for each event, and the list it records into. */
function recorder() {
  const seen = [];
  return { seen, listener: () => seen.push(look()) };
}

/** A MessageChannel whose port1 gets listeners; the caller posts through port2. Closed by close(). */
function channel() {
  const { port1, port2 } = new MessageChannel();
  port1.start();
  return { port1, port2, close: () => { port1.close(); port2.close(); } };
}

/** A pair of same-name BroadcastChannels: messages posted on `sender` reach `receiver`. */
function broadcastPair() {
  const name = `fallback-spec-${Math.random()}`;
  const receiver = new BroadcastChannel(name);
  const sender = new BroadcastChannel(name);
  return { receiver, sender, close: () => { receiver.close(); sender.close(); } };
}

const EMPTY = { flow: "empty", user: "empty", other: "empty" };

// First in this file, so it runs before the page's first captureFallbackContext: the on* accessors
// that only a fallback context needs are patched just before that call (patches/handler-interfaces.js).
test("on* handlers set before the first captureFallbackContext keep their value and run empty; one set inside it gets the fallback", async () => {
  const before = channel();
  const inside = channel();
  const seen = [];
  const early = (e) => seen.push(`${e.data}:${flow.get()}`);
  const late = (e) => seen.push(`${e.data}:${flow.get()}`);
  try {
    before.port1.onmessage = early;
    flow.run("A", () => captureFallbackContext(flow, () => { inside.port1.onmessage = late; }));
    assert.equal(before.port1.onmessage, early, "the early handler reads back unchanged after the accessors were patched");
    assert.equal(inside.port1.onmessage, late, "the getter returns what was set, not its wrapper");
    flow.run("sender", () => {
      before.port2.postMessage("early");
      inside.port2.postMessage("inside");
    });
    await waitFor(() => seen.length === 2, "two messages");
    assert.deepEqual(seen.sort(), ["early:empty", "inside:A"]);
  } finally {
    before.close();
    inside.close();
  }
});

// ---------------------------------------------------------------------------------------------------------
// The function itself

test("captureFallbackContext throws a TypeError when the first argument is not an AsyncContext.Variable", () => {
  let called = 0;
  const fn = () => { called++; };
  const variable = new AsyncContext.Variable();
  const notVariables = [
    undefined, null, 1, "flow", {}, [], () => {},
    new AsyncContext.Snapshot(), AsyncContext.Variable.prototype, AsyncContext.Variable, Object.create(variable),
  ];
  for (const value of notVariables) {
    assert.throws(() => captureFallbackContext(value, fn), TypeError, `first argument ${String(value)}`);
  }
  assert.equal(called, 0, "fn was called although the arguments were rejected");
});

test("captureFallbackContext throws a TypeError when the second argument is not callable", () => {
  for (const value of [undefined, null, 1, "fn", {}, [], Symbol("fn")]) {
    assert.throws(() => captureFallbackContext(flow, value), TypeError, `second argument ${String(value)}`);
  }
});

test("a TypeError from captureFallbackContext leaves the current context and the fallback as they were", async () => {
  const { port1, port2, close } = channel();
  const inside = recorder();
  try {
    flow.run("A", () =>
      captureFallbackContext(flow, () => {
        other.run("o", () => {
          assert.throws(() => captureFallbackContext({}, () => {}), TypeError);
          assert.throws(() => captureFallbackContext(user, 42), TypeError);
          assert.deepEqual(look(), { flow: "A", user: "empty", other: "o" }, "the context changed");
        });
        // Still under the outer captureFallbackContext: its fallback must not have been replaced.
        port1.addEventListener("message", inside.listener);
      }),
    );
    assert.deepEqual(look(), EMPTY, "the context after the calls");
    port2.postMessage("ping");
    await waitFor(() => inside.seen.length === 1, "the message");
    assert.deepEqual(inside.seen, [{ flow: "A", user: "empty", other: "empty" }]);
  } finally {
    close();
  }
});

test("captureFallbackContext returns fn's result", () => {
  const result = { returned: true };
  assert.equal(captureFallbackContext(flow, () => result), result);
  assert.equal(captureFallbackContext(flow, () => undefined), undefined);
});

test("captureFallbackContext propagates an exception thrown by fn", () => {
  const error = new RangeError("from fn");
  const thrown = assert.throws(() => captureFallbackContext(flow, () => { throw error; }), RangeError);
  assert.equal(thrown, error);
});

test("captureFallbackContext calls fn synchronously, once, in the current context", () => {
  const calls = [];
  flow.run("A", () =>
    other.run("o", () => {
      captureFallbackContext(flow, function () {
        calls.push({ ...look(), args: arguments.length });
      });
      calls.push("returned");
    }),
  );
  assert.deepEqual(calls, [{ flow: "A", user: "empty", other: "o", args: 0 }, "returned"]);
});

// ---------------------------------------------------------------------------------------------------------
// Browser-originated dispatches

test("a listener registered inside captureFallbackContext sees the variable's value at the call for a real user click, other variables at their defaults", async () => {
  const button = document.createElement("button");
  button.id = "fallback-spec-button";
  button.textContent = "click me";
  document.body.append(button);
  const inside = recorder();
  try {
    user.run("alice", () =>
      other.run("o", () =>
        captureFallbackContext(user, () => {
          // A later rebinding inside fn does not change the captured value.
          user.run("bob", () => button.addEventListener("click", inside.listener));
        }),
      ),
    );
    await userClick("#fallback-spec-button");
    await waitFor(() => inside.seen.length === 1, "the click");
    assert.deepEqual(inside.seen, [{ flow: "empty", user: "alice", other: "empty" }]);
  } finally {
    button.remove();
  }
});

test("listeners registered inside captureFallbackContext see the captured value for MessageChannel messages, two channels interleaved", async () => {
  const a = channel();
  const b = channel();
  const seen = [];
  try {
    flow.run("A", () => captureFallbackContext(flow, () => a.port1.addEventListener("message", (e) => seen.push(`${e.data}:${flow.get()}:${other.get()}`))));
    flow.run("B", () => captureFallbackContext(flow, () => { b.port1.onmessage = (e) => seen.push(`${e.data}:${flow.get()}:${other.get()}`); }));
    // The sender's context does not matter: a port message is browser-originated.
    other.run("sender", () => {
      a.port2.postMessage("a1");
      b.port2.postMessage("b1");
      flow.run("C", () => a.port2.postMessage("a2"));
      b.port2.postMessage("b2");
    });
    await waitFor(() => seen.length === 4, "four messages");
    assert.deepEqual(seen.filter((s) => s.startsWith("a")), ["a1:A:empty", "a2:A:empty"]);
    assert.deepEqual(seen.filter((s) => s.startsWith("b")), ["b1:B:empty", "b2:B:empty"]);
  } finally {
    a.close();
    b.close();
  }
});

test("a listener registered inside captureFallbackContext sees the captured value for BroadcastChannel messages", async () => {
  const { receiver, sender, close } = broadcastPair();
  const inside = recorder();
  try {
    flow.run("A", () => other.run("o", () => captureFallbackContext(flow, () => receiver.addEventListener("message", inside.listener))));
    flow.run("sender", () => sender.postMessage("ping"));
    await waitFor(() => inside.seen.length === 1, "the message");
    assert.deepEqual(inside.seen, [{ flow: "A", user: "empty", other: "empty" }]);
  } finally {
    close();
  }
});

test("listeners registered outside captureFallbackContext see the empty context for browser-originated dispatches", async () => {
  const { port1, port2, close } = channel();
  const { receiver, sender, close: closeBroadcast } = broadcastPair();
  const outside = recorder();
  try {
    // Registered inside run (but no fallback), and after a captureFallbackContext call has returned.
    flow.run("registration", () => port1.addEventListener("message", outside.listener));
    flow.run("A", () => captureFallbackContext(flow, () => {}));
    receiver.addEventListener("message", outside.listener);
    flow.run("sender", () => {
      port2.postMessage("port");
      sender.postMessage("broadcast");
    });
    await waitFor(() => outside.seen.length === 2, "two messages");
    assert.deepEqual(outside.seen, [EMPTY, EMPTY]);
  } finally {
    close();
    closeBroadcast();
  }
});

test("a listener function registered both inside and outside captureFallbackContext gets the fallback only where it was registered inside", async () => {
  const inside = channel();
  const outside = channel();
  const seen = [];
  const shared = (event) => seen.push(`${event.data}:${flow.get()}`);
  try {
    outside.port1.addEventListener("message", shared);
    flow.run("A", () => captureFallbackContext(flow, () => inside.port1.addEventListener("message", shared)));
    inside.port2.postMessage("inside");
    await waitFor(() => seen.length === 1, "the first message");
    outside.port2.postMessage("outside");
    await waitFor(() => seen.length === 2, "the second message");
    assert.deepEqual(seen, ["inside:A", "outside:empty"]);
  } finally {
    inside.close();
    outside.close();
  }
});

test("listeners registered after fn threw see the empty context", async () => {
  const { port1, port2, close } = channel();
  const after = recorder();
  try {
    flow.run("A", () => {
      assert.throws(() => captureFallbackContext(flow, () => { throw new Error("fn failed"); }), Error);
      port1.addEventListener("message", after.listener);
    });
    port2.postMessage("ping");
    await waitFor(() => after.seen.length === 1, "the message");
    assert.deepEqual(after.seen, [EMPTY]);
  } finally {
    close();
  }
});

test("nested captureFallbackContext calls with two variables give listeners both captured values", async () => {
  const { port1, port2, close } = channel();
  const outerOnly = channel();
  const both = recorder();
  const outer = recorder();
  try {
    flow.run("A", () =>
      captureFallbackContext(flow, () => {
        user.run("alice", () => captureFallbackContext(user, () => port1.addEventListener("message", both.listener)));
        // Back in the outer call only: the inner variable is not part of this fallback.
        outerOnly.port1.addEventListener("message", outer.listener);
      }),
    );
    port2.postMessage("ping");
    outerOnly.port2.postMessage("ping");
    await waitFor(() => both.seen.length === 1 && outer.seen.length === 1, "two messages");
    assert.deepEqual(both.seen, [{ flow: "A", user: "alice", other: "empty" }], "inside both calls");
    assert.deepEqual(outer.seen, [{ flow: "A", user: "empty", other: "empty" }], "inside the outer call only");
  } finally {
    close();
    outerOnly.close();
  }
});

// ---------------------------------------------------------------------------------------------------------
// Dispatches that are not browser-originated

test("dispatchEvent runs a listener registered inside captureFallbackContext in the dispatcher's context, not the fallback", () => {
  const target = new EventTarget();
  const inside = recorder();
  flow.run("A", () => captureFallbackContext(flow, () => target.addEventListener("ping", inside.listener)));
  target.dispatchEvent(new Event("ping"));
  other.run("dispatcher", () => target.dispatchEvent(new Event("ping")));
  assert.deepEqual(inside.seen, [EMPTY, { flow: "empty", user: "empty", other: "dispatcher" }]);
});

test("el.click() runs a listener registered inside captureFallbackContext in the dispatcher's context, not the fallback", () => {
  const button = document.createElement("button");
  const inside = recorder();
  flow.run("A", () => captureFallbackContext(flow, () => button.addEventListener("click", inside.listener)));
  button.click();
  other.run("dispatcher", () => button.click());
  assert.deepEqual(inside.seen, [EMPTY, { flow: "empty", user: "empty", other: "dispatcher" }]);
});

test("AbortController.abort() runs an abort listener registered inside captureFallbackContext in the dispatcher's context, not the fallback", () => {
  const seen = [];
  for (const dispatcher of [undefined, "dispatcher"]) {
    const controller = new AbortController();
    flow.run("A", () => captureFallbackContext(flow, () => controller.signal.addEventListener("abort", () => seen.push(look()))));
    if (dispatcher === undefined) controller.abort();
    else other.run(dispatcher, () => controller.abort());
  }
  assert.deepEqual(seen, [EMPTY, { flow: "empty", user: "empty", other: "dispatcher" }]);
});

test("a causal context (XHR send()) wins over the fallback, two requests interleaved", async () => {
  const seen = [];
  const requests = ["A", "B"].map((name) => {
    const xhr = new XMLHttpRequest();
    flow.run("fallback", () => captureFallbackContext(flow, () => xhr.addEventListener("load", () => seen.push(`${name}:${flow.get()}:${other.get()}`))));
    return { name, xhr };
  });
  for (const { name, xhr } of requests) {
    flow.run(`send ${name}`, () =>
      other.run(name.toLowerCase(), () => {
        xhr.open("GET", `/package.json?fallback-spec-${name}-${Math.random()}`);
        xhr.send();
      }),
    );
  }
  await waitFor(() => seen.length === 2, "two load events");
  assert.deepEqual(seen.slice().sort(), ["A:send A:a", "B:send B:b"]);
});
