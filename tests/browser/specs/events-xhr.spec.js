// XMLHttpRequest events (semantics.md §3: "XMLHttpRequest (all events after send())" run in the context of
// the causing call; js-shim/patches/xhr.js). Every test sends real requests to the runner's test server; the
// listeners are registered in a context of their own, so a listener that simply kept its registration
// context would be caught. Synchronous dispatches (open(), abort()) follow the synchronous-dispatch row:
// the dispatcher's context.

import { test, assert, sleep, collectGarbage, liveNodes, liveSlots, storeCounts, showCounts, countsReturningTo } from "../harness.js";
import { flowVariable, deferred, delayUrl } from "../assets/events-common.js";

const flow = flowVariable();

/** Opens and sends `xhr` inside flow.run(value) (or in the current context when value is undefined). */
function sendIn(value, xhr, url, { method = "GET", body = null, timeout = 0 } = {}) {
  const send = () => {
    xhr.open(method, url);
    if (timeout) xhr.timeout = timeout;
    xhr.send(body);
  };
  if (value === undefined) send();
  else flow.run(value, send);
}

/** Resolves on the loadend of every xhr. */
function allLoadEnds(xhrs) {
  return Promise.all(xhrs.map((xhr) => new Promise((resolve) => xhr.addEventListener("loadend", resolve))));
}

/** Two interleaved requests: A is sent first and answers last. Listeners for `types` are added in context "listeners". */
async function twoFlows(types, { slow = delayUrl(250), fast = delayUrl(20), target = (xhr) => xhr, options = {} } = {}) {
  const a = new XMLHttpRequest();
  const b = new XMLHttpRequest();
  const seen = { A: [], B: [] };
  flow.run("listeners", () => {
    for (const [name, xhr] of [["A", a], ["B", b]]) {
      for (const type of types) target(xhr).addEventListener(type, () => seen[name].push(`${type}:${flow.get()}`));
    }
  });
  const ended = allLoadEnds([a, b]);
  sendIn("A", a, slow, options);
  sendIn("B", b, fast, options);
  await ended;
  return seen;
}

const only = (list, prefix) => list.filter((entry) => entry.startsWith(prefix + ":"));

test("XHR load listeners run in the context of send(), two requests interleaved", async () => {
  const seen = await twoFlows(["load"]);
  assert.deepEqual(seen, { A: ["load:A"], B: ["load:B"] });
});

test("XHR loadstart listeners run in the context of send()", async () => {
  const seen = await twoFlows(["loadstart"]);
  assert.deepEqual(seen, { A: ["loadstart:A"], B: ["loadstart:B"] });
});

test("XHR readystatechange listeners run in the context of send() for every state after send()", async () => {
  const seen = await twoFlows(["readystatechange"]);
  assert.ok(seen.A.length >= 2 && seen.B.length >= 2, `readystatechange events: ${JSON.stringify(seen)}`);
  assert.deepEqual(seen.A, seen.A.map(() => "readystatechange:A"));
  assert.deepEqual(seen.B, seen.B.map(() => "readystatechange:B"));
});

test("XHR progress listeners run in the context of send()", async () => {
  const body = "x".repeat(4000);
  const seen = await twoFlows(["progress"], {
    slow: delayUrl(120, { body, chunks: 4 }),
    fast: delayUrl(60, { body, chunks: 4 }),
  });
  assert.ok(seen.A.length >= 1 && seen.B.length >= 1, `progress events: ${JSON.stringify(seen)}`);
  assert.deepEqual(seen.A, seen.A.map(() => "progress:A"));
  assert.deepEqual(seen.B, seen.B.map(() => "progress:B"));
});

test("XHR loadend listeners run in the context of send()", async () => {
  const seen = await twoFlows(["loadend"]);
  assert.deepEqual(seen, { A: ["loadend:A"], B: ["loadend:B"] });
});

test("XHR error listeners run in the context of send() after a network error", async () => {
  const seen = await twoFlows(["error", "load"], {
    slow: delayUrl(200, { hangup: 1 }),
    fast: delayUrl(20, { hangup: 1 }),
  });
  assert.deepEqual(seen, { A: ["error:A"], B: ["error:B"] });
});

test("an XHR answered with an HTTP error status fires load in the context of send()", async () => {
  const seen = await twoFlows(["load"], {
    slow: delayUrl(200, { status: 500 }),
    fast: delayUrl(20, { status: 404 }),
  });
  assert.deepEqual(seen, { A: ["load:A"], B: ["load:B"] });
});

test("XHR timeout listeners run in the context of send()", async () => {
  const seen = await twoFlows(["timeout"], {
    slow: delayUrl(3000),
    fast: delayUrl(3000),
    options: { timeout: 50 },
  });
  assert.deepEqual(seen, { A: ["timeout:A"], B: ["timeout:B"] });
});

test("XHR on* handlers set in another context run in the context of send()", async () => {
  const a = new XMLHttpRequest();
  const b = new XMLHttpRequest();
  const seen = [];
  flow.run("listeners", () => {
    a.onload = () => seen.push(`A:${flow.get()}`);
    b.onload = () => seen.push(`B:${flow.get()}`);
    a.onreadystatechange = () => a.readyState === 4 && seen.push(`A done:${flow.get()}`);
  });
  const ended = allLoadEnds([a, b]);
  sendIn("A", a, delayUrl(200));
  sendIn("B", b, delayUrl(20));
  await ended;
  assert.deepEqual(seen.slice().sort(), ["A done:A", "A:A", "B:B"]); // completion order is up to the network
});

test("XHR listeners added after send() run in the context of send()", async () => {
  const a = new XMLHttpRequest();
  const b = new XMLHttpRequest();
  const seen = [];
  sendIn("A", a, delayUrl(200));
  sendIn("B", b, delayUrl(50));
  const ended = allLoadEnds([a, b]);
  flow.run("late listeners", () => {
    a.addEventListener("load", () => seen.push(`A:${flow.get()}`));
    b.addEventListener("load", () => seen.push(`B:${flow.get()}`));
  });
  await ended;
  assert.deepEqual(seen.slice().sort(), ["A:A", "B:B"]); // completion order is up to the network
});

test("an XHR sent in the empty context runs its listeners in the empty context even when they were added inside run", async () => {
  const xhr = new XMLHttpRequest();
  const seen = [];
  flow.run("listeners", () => {
    xhr.addEventListener("load", () => seen.push(flow.get()));
    xhr.onloadend = () => seen.push(flow.get());
  });
  const ended = allLoadEnds([xhr]);
  sendIn(undefined, xhr, delayUrl(20));
  await ended;
  assert.deepEqual(seen, ["empty", "empty"]);
});

test("XHR upload events run in the context of send(), two uploads interleaved", async () => {
  const types = ["loadstart", "progress", "load", "loadend"];
  const body = new Uint8Array(1 << 20);
  const seen = await twoFlows(types, {
    slow: "/__test__/upload",
    fast: "/__test__/upload",
    target: (xhr) => xhr.upload,
    options: { method: "POST", body },
  });
  for (const name of ["A", "B"]) {
    assert.ok(seen[name].includes(`load:${name}`), `upload events of ${name}: ${JSON.stringify(seen[name])}`);
    for (const entry of seen[name]) assert.ok(entry.endsWith(`:${name}`), `upload events of ${name}: ${JSON.stringify(seen[name])}`);
  }
});

test("a second send() on a reused XHR replaces the context of its events", async () => {
  const xhr = new XMLHttpRequest();
  const seen = [];
  flow.run("listeners", () => xhr.addEventListener("load", () => seen.push(flow.get())));
  let ended = allLoadEnds([xhr]);
  sendIn("first", xhr, delayUrl(20));
  await ended;
  ended = allLoadEnds([xhr]);
  sendIn("second", xhr, delayUrl(20));
  await ended;
  assert.deepEqual(seen, ["first", "second"]);
});

test("a second send() of a reused XHR in the empty context runs its events in the empty context", async () => {
  const xhr = new XMLHttpRequest();
  const seen = [];
  flow.run("listeners", () => xhr.addEventListener("load", () => seen.push(flow.get())));
  let ended = allLoadEnds([xhr]);
  sendIn("first", xhr, delayUrl(20));
  await ended;
  ended = allLoadEnds([xhr]);
  sendIn(undefined, xhr, delayUrl(20));
  await ended;
  assert.deepEqual(seen, ["first", "empty"]);
});

test("an XHR re-sent from its own loadend listener runs the new request's events in the same send() context", async () => {
  const xhr = new XMLHttpRequest();
  const seen = [];
  const done = deferred();
  let round = 0;
  flow.run("listeners", () =>
    xhr.addEventListener("load", () => seen.push(`load ${round}:${flow.get()}`)),
  );
  xhr.addEventListener("loadend", () => {
    if (++round < 3) {
      xhr.open("GET", delayUrl(20));
      xhr.send(); // polling: the next request from the same flow
    } else {
      done.resolve();
    }
  });
  sendIn("poller", xhr, delayUrl(20));
  await done.promise;
  assert.deepEqual(seen, ["load 0:poller", "load 1:poller", "load 2:poller"]);
});

test("a send() that replaces a pending request runs the new request's events in the new send()'s context", async () => {
  const xhr = new XMLHttpRequest();
  const seen = [];
  flow.run("listeners", () => xhr.addEventListener("load", () => seen.push(flow.get())));
  sendIn("first", xhr, delayUrl(300));
  const ended = allLoadEnds([xhr]);
  sendIn("second", xhr, delayUrl(20)); // open() aborts the first request
  await ended;
  await sleep(400); // the first request would have answered by now
  assert.deepEqual(seen, ["second"]);
});

test("xhr.abort() called in another context runs abort and loadend listeners in the abort() caller's context", async () => {
  const xhr = new XMLHttpRequest();
  const seen = [];
  flow.run("listeners", () => {
    xhr.addEventListener("abort", () => seen.push(`abort:${flow.get()}`));
    xhr.addEventListener("loadend", () => seen.push(`loadend:${flow.get()}`));
  });
  sendIn("A", xhr, delayUrl(2000));
  await sleep(20);
  flow.run("B", () => xhr.abort());
  assert.deepEqual(seen, ["abort:B", "loadend:B"]);
});

test("xhr.abort() called in the empty context runs abort and loadend listeners in the empty context", async () => {
  const xhr = new XMLHttpRequest();
  const seen = [];
  flow.run("listeners", () => {
    xhr.addEventListener("abort", () => seen.push(`abort:${flow.get()}`));
    xhr.addEventListener("loadend", () => seen.push(`loadend:${flow.get()}`));
  });
  sendIn("A", xhr, delayUrl(2000));
  await sleep(20);
  xhr.abort();
  assert.deepEqual(seen, ["abort:empty", "loadend:empty"]);
});

test("open() on a used XHR in the empty context fires its synchronous readystatechange in the empty context", async () => {
  const xhr = new XMLHttpRequest();
  const seen = [];
  const ended = allLoadEnds([xhr]);
  sendIn("A", xhr, delayUrl(20));
  await ended;
  flow.run("listeners", () => xhr.addEventListener("readystatechange", () => seen.push(`${xhr.readyState}:${flow.get()}`)));
  xhr.open("GET", delayUrl(20));
  assert.deepEqual(seen, ["1:empty"]);
});

test("a synchronous XHR sent inside run fires its events in that context", () => {
  const xhr = new XMLHttpRequest();
  const seen = [];
  flow.run("listeners", () => xhr.addEventListener("load", () => seen.push(flow.get())));
  flow.run("A", () => {
    xhr.open("GET", delayUrl(0, { body: "sync" }), false);
    xhr.send();
  });
  assert.equal(xhr.responseText, "sync");
  assert.deepEqual(seen, ["A"]);
});

test("many interleaved XHRs each run their listeners in their own send() context", async () => {
  const xhrs = [];
  const seen = [];
  for (let i = 0; i < 12; i++) {
    const xhr = new XMLHttpRequest();
    flow.run("listeners", () => xhr.addEventListener("load", () => seen.push([i, flow.get()])));
    xhrs.push(xhr);
  }
  const ended = allLoadEnds(xhrs);
  xhrs.forEach((xhr, i) => sendIn(`flow ${i}`, xhr, delayUrl(((i * 7) % 12) * 15)));
  await ended;
  assert.equal(seen.length, 12);
  for (const [i, value] of seen) assert.equal(value, `flow ${i}`);
});

// ---------------------------------------------------------------------------------------------------------
// Memory (§4)


test("the send() context of a completed XHR is released once the XHR is garbage", async () => {
  await collectGarbage();
  const baseline = storeCounts();
  await (async () => {
    const variable = new AsyncContext.Variable();
    const xhrs = [];
    for (let i = 0; i < 5; i++) {
      const xhr = new XMLHttpRequest();
      xhr.addEventListener("load", () => variable.get());
      variable.run({ payload: new Array(1000).fill(i) }, () => {
        xhr.open("GET", delayUrl(10));
        xhr.send();
      });
      xhrs.push(xhr);
    }
    await allLoadEnds(xhrs);
  })();
  const after = await countsReturningTo(baseline);
  assert.ok(after.nodes <= baseline.nodes && after.slots <= baseline.slots, `${showCounts(after)} live after GC, baseline ${showCounts(baseline)}`);
});

test("the send() context of an XHR is released once the request has ended, even while the XHR stays reachable", async () => {
  await collectGarbage();
  const baseline = storeCounts();
  const xhr = new XMLHttpRequest();
  await (async () => {
    const variable = new AsyncContext.Variable();
    xhr.addEventListener("load", () => variable.get());
    const ended = allLoadEnds([xhr]);
    variable.run({ payload: new Array(1000).fill(0) }, () => {
      xhr.open("GET", delayUrl(10));
      xhr.send();
    });
    await ended;
  })();
  const after = await countsReturningTo(baseline);
  assert.equal(xhr.readyState, 4);
  assert.ok(after.nodes <= baseline.nodes && after.slots <= baseline.slots, `${showCounts(after)} live after GC, baseline ${showCounts(baseline)}`);
});
