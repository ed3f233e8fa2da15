// Connections created by a constructor (semantics.md §3: EventSource and WebSocket events run in the context
// of the construction; a Worker's "error" event too, while messages posted by a worker are browser-originated
// and run in the empty context; js-shim/patches/connections.js). EventSource and WebSocket talk to the runner's
// /__test__/sse and /__test__/ws endpoints. Listeners are registered in a context of their own.

import { test, assert, collectGarbage, liveNodes, liveSlots } from "../harness.js";
import { flowVariable, deferred, ASSETS } from "../assets/events-common.js";

const flow = flowVariable();
const sseUrl = (count, interval) => `/__test__/sse?count=${count}&interval=${interval}&unique=${Math.random()}`;
const wsUrl = (path = "/__test__/ws") => `${location.origin.replace(/^http/, "ws")}${path}`;

/** Records `type:context` for every event of `types` on `target`, listeners added in context "listeners". */
function record(target, types) {
  const seen = [];
  flow.run("listeners", () => {
    for (const type of types) target.addEventListener(type, () => seen.push(`${type}:${flow.get()}`));
  });
  return seen;
}

/** Resolves on the n-th `type` event of `target`. */
function nth(target, type, n) {
  return new Promise((resolve) => {
    let count = 0;
    target.addEventListener(type, (event) => {
      if (++count === n) resolve(event);
    });
  });
}

const eventOf = (target, type) => nth(target, type, 1);

function assertAllIn(seen, value, required) {
  for (const type of required) assert.ok(seen.some((e) => e.startsWith(`${type}:`)), `no ${type} event among ${JSON.stringify(seen)}`);
  for (const entry of seen) assert.ok(entry.endsWith(`:${value}`), `expected every event in ${JSON.stringify(value)}: ${JSON.stringify(seen)}`);
}

// ---------------------------------------------------------------------------------------------------------
// EventSource

test("EventSource open and message listeners run in the context of its construction, two sources interleaved", async () => {
  const a = flow.run("A", () => new EventSource(sseUrl(3, 90)));
  const b = flow.run("B", () => new EventSource(sseUrl(3, 30)));
  try {
    const seenA = record(a, ["open", "message"]);
    const seenB = record(b, ["open", "message"]);
    await Promise.all([nth(a, "message", 3), nth(b, "message", 3)]);
    assert.deepEqual(seenA, ["open:A", "message:A", "message:A", "message:A"]);
    assert.deepEqual(seenB, ["open:B", "message:B", "message:B", "message:B"]);
  } finally {
    a.close();
    b.close();
  }
});

test("EventSource onmessage and onopen handlers set in another context run in the context of its construction", async () => {
  const source = flow.run("construction", () => new EventSource(sseUrl(2, 20)));
  try {
    const seen = [];
    const done = deferred();
    flow.run("listeners", () => {
      source.onopen = () => seen.push(`open:${flow.get()}`);
      source.onmessage = (event) => {
        seen.push(`message:${flow.get()}`);
        if (event.data === "1") done.resolve();
      };
    });
    await done.promise;
    assert.deepEqual(seen, ["open:construction", "message:construction", "message:construction"]);
  } finally {
    source.close();
  }
});

test("an EventSource error event when the stream ends runs in the context of its construction", async () => {
  const source = flow.run("construction", () => new EventSource(sseUrl(1, 10)));
  try {
    const seen = record(source, ["error"]);
    await eventOf(source, "error");
    assert.deepEqual(seen, ["error:construction"]);
  } finally {
    source.close();
  }
});

test("an EventSource constructed in the empty context runs listeners added inside run in the empty context", async () => {
  const source = new EventSource(sseUrl(1, 10));
  try {
    const seen = record(source, ["open", "message"]);
    await eventOf(source, "message");
    assert.deepEqual(seen, ["open:empty", "message:empty"]);
  } finally {
    source.close();
  }
});

test("an EventSource subclass constructed inside run runs its listeners in the construction context", async () => {
  class Source extends EventSource {}
  const source = flow.run("construction", () => new Source(sseUrl(1, 10)));
  try {
    assert.ok(source instanceof Source && source instanceof EventSource);
    const seen = record(source, ["message"]);
    await eventOf(source, "message");
    assert.deepEqual(seen, ["message:construction"]);
  } finally {
    source.close();
  }
});

// ---------------------------------------------------------------------------------------------------------
// WebSocket

test("WebSocket open, message and close listeners run in the context of its construction, two sockets interleaved", async () => {
  const a = flow.run("A", () => new WebSocket(wsUrl()));
  const b = flow.run("B", () => new WebSocket(wsUrl()));
  const seenA = record(a, ["open", "message", "close"]);
  const seenB = record(b, ["open", "message", "close"]);
  await Promise.all([eventOf(a, "open"), eventOf(b, "open")]);
  const echoed = Promise.all([nth(a, "message", 2), nth(b, "message", 2)]);
  b.send("b1");
  a.send("a1");
  b.send("b2");
  a.send("a2");
  await echoed;
  const closed = Promise.all([eventOf(a, "close"), eventOf(b, "close")]);
  a.close();
  b.close();
  await closed;
  assert.deepEqual(seenA, ["open:A", "message:A", "message:A", "close:A"]);
  assert.deepEqual(seenB, ["open:B", "message:B", "message:B", "close:B"]);
});

test("WebSocket message listeners run in the context of its construction, not of the send() that caused the reply", async () => {
  const socket = flow.run("construction", () => new WebSocket(wsUrl()));
  try {
    const seen = record(socket, ["message"]);
    await eventOf(socket, "open");
    const echoed = nth(socket, "message", 2);
    flow.run("send 1", () => socket.send("1"));
    flow.run("send 2", () => socket.send("2"));
    await echoed;
    assert.deepEqual(seen, ["message:construction", "message:construction"]);
  } finally {
    socket.close();
  }
});

test("WebSocket on* handlers set in another context run in the context of its construction", async () => {
  const socket = flow.run("construction", () => new WebSocket(wsUrl()));
  const seen = [];
  const done = deferred();
  flow.run("listeners", () => {
    socket.onopen = () => {
      seen.push(`open:${flow.get()}`);
      socket.send("hello");
    };
    socket.onmessage = () => {
      seen.push(`message:${flow.get()}`);
      socket.close();
    };
    socket.onclose = () => done.resolve(seen.push(`close:${flow.get()}`));
  });
  await done.promise;
  assert.deepEqual(seen, ["open:construction", "message:construction", "close:construction"]);
});

test("a WebSocket that fails to connect runs error and close listeners in the context of its construction", async () => {
  const socket = flow.run("construction", () => new WebSocket(wsUrl("/__test__/ws-missing")));
  const seen = record(socket, ["open", "error", "close"]);
  await eventOf(socket, "close");
  assert.deepEqual(seen, ["error:construction", "close:construction"]);
});

test("a WebSocket constructed in the empty context runs listeners added inside run in the empty context", async () => {
  const socket = new WebSocket(wsUrl());
  const seen = record(socket, ["open", "close"]);
  await eventOf(socket, "open");
  socket.close();
  await eventOf(socket, "close");
  assert.deepEqual(seen, ["open:empty", "close:empty"]);
});

// ---------------------------------------------------------------------------------------------------------
// Workers

const throwingWorker = `${ASSETS}/events-worker-throws.js`;
const echoWorker = `${ASSETS}/events-worker-echo.js`;

/** Records error events (cancelled, so the page does not report them) with their context. */
function recordErrors(worker) {
  const seen = [];
  flow.run("listeners", () =>
    worker.addEventListener("error", (event) => {
      event.preventDefault();
      seen.push(`error:${flow.get()}`);
    }),
  );
  return seen;
}

test("a Worker whose script throws runs error listeners in the context of its construction, two workers interleaved", async () => {
  const a = flow.run("A", () => new Worker(throwingWorker));
  const b = flow.run("B", () => new Worker(`${throwingWorker}?second`));
  try {
    const seenA = recordErrors(a);
    const seenB = recordErrors(b);
    await Promise.all([eventOf(a, "error"), eventOf(b, "error")]);
    assert.deepEqual(seenA, ["error:A"]);
    assert.deepEqual(seenB, ["error:B"]);
  } finally {
    a.terminate();
    b.terminate();
  }
});

test("a Worker onerror handler set in another context runs in the context of its construction", async () => {
  const worker = flow.run("construction", () => new Worker(throwingWorker));
  try {
    const seen = [];
    const done = deferred();
    flow.run("listeners", () => {
      worker.onerror = () => {
        done.resolve(seen.push(flow.get()));
        return true;
      };
    });
    await done.promise;
    assert.deepEqual(seen, ["construction"]);
  } finally {
    worker.terminate();
  }
});

test("a Worker whose script cannot be loaded runs error listeners in the context of its construction", async () => {
  const worker = flow.run("construction", () => new Worker("/__test__/delay?ms=10&status=404&type=text/javascript"));
  try {
    const seen = recordErrors(worker);
    await eventOf(worker, "error");
    assert.deepEqual(seen, ["error:construction"]);
  } finally {
    worker.terminate();
  }
});

test("messages from a Worker run in the empty context even when it was constructed, posted to and listened to inside run", async () => {
  const a = flow.run("A", () => new Worker(echoWorker));
  const b = flow.run("B", () => new Worker(echoWorker));
  try {
    const seenA = record(a, ["message"]);
    const seenB = [];
    flow.run("listeners", () => {
      b.onmessage = () => seenB.push(`message:${flow.get()}`);
    });
    const received = Promise.all([nth(a, "message", 2), nth(b, "message", 2)]);
    flow.run("post A", () => a.postMessage("a"));
    flow.run("post B", () => b.postMessage("b"));
    await received;
    assert.deepEqual(seenA, ["message:empty", "message:empty"]);
    assert.deepEqual(seenB, ["message:empty", "message:empty"]);
  } finally {
    a.terminate();
    b.terminate();
  }
});

test("a Worker constructed in the empty context runs error listeners added inside run in the empty context", async () => {
  const worker = new Worker(throwingWorker);
  try {
    const seen = recordErrors(worker);
    await eventOf(worker, "error");
    assert.deepEqual(seen, ["error:empty"]);
  } finally {
    worker.terminate();
  }
});

test("a SharedWorker whose script cannot be loaded runs error listeners in the context of its construction", async () => {
  const worker = flow.run("construction", () => new SharedWorker(`/__test__/delay?ms=10&status=404&type=text/javascript&unique=${Math.random()}`));
  const seen = recordErrors(worker);
  await eventOf(worker, "error");
  assert.deepEqual(seen, ["error:construction"]);
});

// ---------------------------------------------------------------------------------------------------------
// Memory (§4): a connection that can fire no more events releases its construction context

async function countsAfterGc(baseline) {
  let after;
  const deadline = performance.now() + 4000;
  do {
    await collectGarbage();
    after = { nodes: liveNodes(), slots: liveSlots() };
  } while ((after.nodes > baseline.nodes || after.slots > baseline.slots) && performance.now() < deadline);
  return after;
}

async function assertReleasedWhileReachable(open) {
  await collectGarbage();
  const baseline = { nodes: liveNodes(), slots: liveSlots() };
  const connection = await open(new AsyncContext.Variable());
  const after = await countsAfterGc(baseline);
  assert.ok(connection, "the connection is still reachable");
  assert.ok(after.nodes <= baseline.nodes && after.slots <= baseline.slots,
    `${after.nodes} nodes / ${after.slots} slots live after GC, baseline ${baseline.nodes} / ${baseline.slots}`);
}

test("a closed WebSocket releases its construction context while it stays reachable", () =>
  assertReleasedWhileReachable(async (variable) => {
    const socket = variable.run({ payload: new Array(1000).fill(0) }, () => new WebSocket(wsUrl()));
    await eventOf(socket, "open");
    socket.close();
    await eventOf(socket, "close");
    return socket;
  }));

test("a closed EventSource releases its construction context while it stays reachable", () =>
  assertReleasedWhileReachable(async (variable) => {
    const source = variable.run({ payload: new Array(1000).fill(0) }, () => new EventSource(sseUrl(1, 10)));
    await eventOf(source, "message");
    source.close();
    return source;
  }));
