// Promise reactions, thenables and promise subclasses carry the context of
// the call that registered them (.then/.catch/.finally, Promise.resolve).
//
// Native `await` is not propagated in this milestone, so the test bodies use
// `await` only to wait; every observation of a Variable is made inside a
// callback and recorded, then asserted at the end.

import { test, assert, nextTask } from "../harness.js";

const newVariable = (name) => new AsyncContext.Variable({ name, defaultValue: "empty" });

function deferred() {
  let resolve, reject;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

// Wait for `promise` to settle, giving up after `tasks` macrotasks instead of
// hanging until the harness timeout. Returns a description of the outcome.
async function settleWithin(promise, tasks = 50) {
  let outcome = "still pending";
  promise.then(
    (value) => { outcome = { fulfilled: value }; },
    (error) => { outcome = { rejected: error }; },
  );
  for (let i = 0; i < tasks && outcome === "still pending"; i++) await nextTask();
  return outcome;
}

// ---------------------------------------------------------------------------
// then / catch / finally, on already-settled and on pending promises

const reactions = [
  { label: "then callback", method: "then", settle: "fulfil", attach: (p, cb) => p.then(cb) },
  { label: "then rejection handler", method: "then", settle: "reject", attach: (p, cb) => p.then(undefined, cb) },
  { label: "catch callback", method: "catch", settle: "reject", attach: (p, cb) => p.catch(cb) },
  { label: "finally callback", method: "finally", settle: "fulfil", attach: (p, cb) => p.finally(cb) },
  {
    label: "finally callback",
    method: "finally",
    settle: "reject",
    attach: (p, cb) => p.finally(cb).catch(() => {}),
  },
];

for (const { label, method, settle, attach } of reactions) {
  const settled = settle === "fulfil" ? "fulfilled" : "rejected";
  test(`${label} on an already-${settled} promise runs in the context of the .${method} call`, async () => {
    const v = newVariable("v");
    const source = settle === "fulfil" ? Promise.resolve("value") : Promise.reject(new Error("reason"));
    const seen = [];
    const done = [
      v.run("a", () => attach(source, () => { seen.push(["a", v.get()]); })),
      v.run("b", () => attach(source, () => { seen.push(["b", v.get()]); })),
      attach(source, () => { seen.push(["outside", v.get()]); }),
    ];
    await Promise.all(done);
    assert.deepEqual(seen, [["a", "a"], ["b", "b"], ["outside", "empty"]]);
  });

  test(`${label} on a pending promise that gets ${settled} runs in the context of the .${method} call, not of the settling call`, async () => {
    const v = newVariable("v");
    const pending = deferred();
    const seen = [];
    const done = [
      v.run("a", () => attach(pending.promise, () => { seen.push(["a", v.get()]); })),
      attach(pending.promise, () => { seen.push(["outside", v.get()]); }),
      v.run("b", () => attach(pending.promise, () => { seen.push(["b", v.get()]); })),
    ];
    v.run("settler", () => {
      if (settle === "fulfil") pending.resolve("value");
      else pending.reject(new Error("reason"));
    });
    await Promise.all(done);
    assert.deepEqual(seen, [["a", "a"], ["outside", "empty"], ["b", "b"]]);
  });
}

test("then callback receives the fulfilment value and its return value fulfils the derived promise inside run", async () => {
  const v = newVariable("v");
  const derived = v.run("a", () => Promise.resolve(20).then((x) => [x + 1, v.get()]));
  assert.deepEqual(await derived, [21, "a"]);
});

test("then with non-callable arguments passes the value and the reason through inside run", async () => {
  const v = newVariable("v");
  const fulfilled = v.run("a", () =>
    Promise.resolve(5).then(undefined).then(42, null).then((x) => [x, v.get()]));
  const rejected = v.run("b", () =>
    Promise.reject(new Error("passed")).then(() => "wrong").then(7).catch((e) => [e.message, v.get()]));
  assert.deepEqual(await fulfilled, [5, "a"]);
  assert.deepEqual(await rejected, ["passed", "b"]);
});

// ---------------------------------------------------------------------------
// chains

test("a then chain registered inside run sees the run's value in every link, with two flows interleaved", async () => {
  const v = newVariable("v");
  const seen = { a: [], b: [] };
  const chain = (flow, delays) => {
    let p = Promise.resolve();
    delays.forEach((delay, i) => {
      p = p.then(() => {
        seen[flow].push(v.get());
        if (i % 4 === 0) return new Promise((resolve) => setTimeout(resolve, delay));
        if (i % 4 === 1) return { then: (resolve) => resolve(i) };
        if (i % 4 === 2) throw new Error("link " + i);
        return i;
      });
      if (i % 4 === 2) p = p.catch(() => { seen[flow].push(v.get()); });
    });
    return p.finally(() => { seen[flow].push(v.get()); });
  };
  const a = v.run("a", () => chain("a", [3, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0]));
  const b = v.run("b", () => chain("b", [0, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0]));
  await Promise.all([a, b]);
  // 12 links + 3 catch handlers + 1 finally per flow
  assert.deepEqual(seen.a, Array(16).fill("a"));
  assert.deepEqual(seen.b, Array(16).fill("b"));
});

test("a chain whose links register the next link from inside the previous callback keeps the value", async () => {
  const v = newVariable("v");
  const seen = { a: [], b: [] };
  const link = (flow, remaining) =>
    Promise.resolve().then(() => {
      seen[flow].push(v.get());
      if (remaining > 0) return link(flow, remaining - 1);
      return flow;
    });
  const results = await Promise.all([
    v.run("a", () => link("a", 30)),
    v.run("b", () => link("b", 30)),
  ]);
  assert.deepEqual(results, ["a", "b"]);
  assert.deepEqual(seen.a, Array(31).fill("a"));
  assert.deepEqual(seen.b, Array(31).fill("b"));
});

// ---------------------------------------------------------------------------
// restoration

test("a reaction registered in the empty context sees the empty context even if the promise was settled inside run", async () => {
  const v = newVariable("v");
  const seen = [];
  const pending = deferred();
  v.run("resolver", () => pending.resolve(1));
  const createdInside = v.run("creator", () => Promise.resolve(2));
  const derivedInside = v.run("deriver", () => Promise.resolve().then(() => 3));
  const rejectedInside = v.run("rejecter", () => Promise.reject(new Error("4")));
  await Promise.all([
    pending.promise.then(() => seen.push(["resolved inside run", v.get()])),
    createdInside.then(() => seen.push(["created inside run", v.get()])),
    derivedInside.then(() => seen.push(["derived inside run", v.get()])),
    rejectedInside.catch(() => seen.push(["rejected inside run", v.get()])),
  ]);
  assert.deepEqual(seen.sort(), [
    ["created inside run", "empty"],
    ["derived inside run", "empty"],
    ["rejected inside run", "empty"],
    ["resolved inside run", "empty"],
  ]);
});

test("the context is restored after each reaction, so consecutive reactions and the native await continuation see their own contexts", async () => {
  const v = newVariable("v");
  const seen = [];
  const pending = deferred();
  v.run("a", () => pending.promise.then(() => seen.push(v.get())));
  pending.promise.then(() => seen.push(v.get()));
  v.run("b", () => pending.promise.then(() => seen.push(v.get())));
  pending.promise.then(() => seen.push(v.get()));
  v.run("c", () => pending.promise.then(() => seen.push(v.get())));
  v.run("resolver", () => pending.resolve());
  await pending.promise;
  // This continuation is queued by the engine itself after the five reactions.
  seen.push(v.get());
  assert.deepEqual(seen, ["a", "empty", "b", "empty", "c", "empty"]);
});

test("a throwing then callback rejects the derived promise, restores the context, and leaves the next reaction unaffected", async () => {
  const v = newVariable("v");
  const seen = [];
  const source = Promise.resolve(1);
  const failed = v.run("a", () =>
    source.then(() => {
      seen.push(["thrower", v.get()]);
      throw new Error("boom");
    }));
  const outside = source.then(() => seen.push(["outside", v.get()]));
  const inB = v.run("b", () => source.then(() => seen.push(["b", v.get()])));
  const caught = v.run("c", () => failed.catch((error) => [error.message, v.get()]));
  await Promise.all([outside, inB]);
  seen.push(["after await", v.get()]);
  assert.deepEqual(await caught, ["boom", "c"]);
  assert.deepEqual(seen, [["thrower", "a"], ["outside", "empty"], ["b", "b"], ["after await", "empty"]]);
});

test("a then callback that returns its own derived promise inside run still rejects with a TypeError (chaining cycle)", async () => {
  const v = newVariable("v");
  const source = Promise.resolve(1);
  let cyclic;
  v.run("a", () => {
    cyclic = source.then(() => cyclic);
  });
  const outcome = await settleWithin(cyclic);
  assert.ok(outcome !== "still pending", "the cyclic promise never settled");
  assert.ok("rejected" in outcome, "the cyclic promise fulfilled instead of rejecting");
  assert.ok(outcome.rejected instanceof TypeError, "rejection reason is not a TypeError: " + outcome.rejected);
  assert.equal(v.get(), "empty");
});

// ---------------------------------------------------------------------------
// thenables

test("the then method of a thenable returned from a then callback runs in that callback's context", async () => {
  const v = newVariable("v");
  const seen = [];
  const thenable = {
    then(resolve) {
      seen.push(v.get());
      resolve(v.get());
    },
  };
  const results = await Promise.all([
    v.run("a", () => Promise.resolve().then(() => thenable)),
    v.run("b", () => Promise.resolve().then(() => thenable)),
    Promise.resolve().then(() => thenable),
  ]);
  assert.deepEqual(seen, ["a", "b", "empty"]);
  assert.deepEqual(results, ["a", "b", "empty"]);
});

test("a thenable returned from a rejection handler also has its then method called in the handler's context", async () => {
  const v = newVariable("v");
  const thenable = { then: (resolve) => resolve(v.get()) };
  const results = await Promise.all([
    v.run("a", () => Promise.reject(new Error("x")).catch(() => thenable)),
    v.run("b", () => Promise.reject(new Error("x")).then(null, () => thenable)),
  ]);
  assert.deepEqual(results, ["a", "b"]);
});

test("Promise.resolve(thenable) calls thenable.then in the context of the Promise.resolve call", async () => {
  const v = newVariable("v");
  const seen = [];
  const thenable = {
    then(resolve) {
      seen.push(v.get());
      setTimeout(() => resolve(v.get()), 0);
    },
  };
  const a = v.run("a", () => Promise.resolve(thenable));
  const b = v.run("b", () => Promise.resolve(thenable));
  const outside = Promise.resolve(thenable);
  const results = await Promise.all([a, b, outside]);
  assert.deepEqual(seen, ["a", "b", "empty"]);
  // resolve() is called from a timer scheduled inside thenable.then
  assert.deepEqual(results, ["a", "b", "empty"]);
});

test("a thenable whose then method throws rejects the promise and leaves the context restored", async () => {
  const v = newVariable("v");
  const thenable = {
    then() {
      throw new Error("then threw in " + v.get());
    },
  };
  const rejected = v.run("a", () => Promise.resolve(thenable));
  const after = Promise.resolve().then(() => v.get());
  const reason = await rejected.then(() => null, (e) => e.message);
  assert.equal(reason, "then threw in a");
  assert.equal(await after, "empty");
});

test("the then getter of a thenable is read exactly once, whether it is returned from a then callback or passed to Promise.resolve", async () => {
  const v = newVariable("v");
  let reads = 0;
  const thenable = {
    get then() {
      reads += 1;
      return (resolve) => resolve(v.get());
    },
  };
  const returned = await v.run("a", () => Promise.resolve().then(() => thenable));
  assert.equal(reads, 1, "then getter reads for a thenable returned from a callback");
  const passed = await v.run("b", () => Promise.resolve(thenable));
  assert.equal(reads, 2, "then getter reads for a thenable passed to Promise.resolve");
  assert.deepEqual([returned, passed], ["a", "b"]);
});

test("the then method of a thenable is called with the thenable as this and working resolve/reject functions inside run", async () => {
  const v = newVariable("v");
  const receivers = {};
  const fulfilling = {
    then(resolve, reject) {
      receivers.fulfilling = [this === fulfilling, typeof resolve, typeof reject];
      resolve("done");
      reject(new Error("ignored: already resolved"));
    },
  };
  const rejecting = {
    then(resolve, reject) {
      receivers.rejecting = [this === rejecting, typeof resolve, typeof reject];
      reject(new Error("rejected by thenable"));
    },
  };
  const a = v.run("a", () => Promise.resolve().then(() => fulfilling));
  const b = v.run("b", () => Promise.resolve(rejecting).catch((e) => [e.message, v.get()]));
  assert.equal(await a, "done");
  assert.deepEqual(await b, ["rejected by thenable", "b"]);
  assert.deepEqual(receivers, {
    fulfilling: [true, "function", "function"],
    rejecting: [true, "function", "function"],
  });
});

test("Promise.resolve returns a native promise argument itself inside run, as natively", async () => {
  const v = newVariable("v");
  const native = Promise.resolve(1);
  const inside = v.run("a", () => Promise.resolve(native));
  assert.ok(inside === native, "Promise.resolve(promise) inside run returned a different object");
  assert.ok(Promise.resolve(native) === native, "Promise.resolve(promise) outside run returned a different object");
  class Sub extends Promise {}
  const sub = Sub.resolve(2);
  assert.ok(v.run("b", () => Sub.resolve(sub)) === sub, "Sub.resolve(sub) inside run returned a different object");
  assert.ok(v.run("c", () => Promise.resolve(sub)) !== sub, "Promise.resolve(sub) must wrap a subclass instance");
});

test("a rejection handled by a reaction registered inside run raises no unhandledrejection event", async () => {
  const v = newVariable("v");
  const reported = [];
  const onUnhandled = (event) => {
    if (event.reason && String(event.reason.message).startsWith("handled ")) {
      reported.push(event.reason.message);
      event.preventDefault();
    }
  };
  window.addEventListener("unhandledrejection", onUnhandled);
  try {
    v.run("a", () => Promise.reject(new Error("handled a")).catch(() => {}));
    v.run("b", () => Promise.reject(new Error("handled b")).then(null, () => {}));
    v.run("c", () => Promise.reject(new Error("handled c")).finally(() => {}).catch(() => {}));
    await nextTask();
    await nextTask();
  } finally {
    window.removeEventListener("unhandledrejection", onUnhandled);
  }
  assert.deepEqual(reported, []);
});

test("an unhandled rejection at the end of a chain created inside run is reported exactly once", async () => {
  const v = newVariable("v");
  const reported = [];
  const onUnhandled = (event) => {
    if (event.reason && event.reason.message === "unhandled at the end") {
      reported.push(event.reason.message);
      event.preventDefault();
    }
  };
  window.addEventListener("unhandledrejection", onUnhandled);
  try {
    v.run("a", () => Promise.resolve(1).then(() => { throw new Error("unhandled at the end"); }).then(() => {}));
    await nextTask();
    await nextTask();
  } finally {
    window.removeEventListener("unhandledrejection", onUnhandled);
  }
  assert.deepEqual(reported, ["unhandled at the end"]);
});

// ---------------------------------------------------------------------------
// subclasses

test("then on a Promise subclass runs the callback in the context of the .then call and returns the subclass", async () => {
  const v = newVariable("v");
  class Sub extends Promise {}
  const settled = Sub.resolve(1);
  let resolveLater;
  const pending = new Sub((resolve) => { resolveLater = resolve; });
  const a = v.run("a", () => settled.then(() => v.get()));
  const b = v.run("b", () => pending.then(() => v.get()));
  assert.ok(a instanceof Sub, "then on a settled Sub did not return a Sub");
  assert.ok(b instanceof Sub, "then on a pending Sub did not return a Sub");
  v.run("resolver", () => resolveLater(2));
  assert.deepEqual(await Promise.all([a, b]), ["a", "b"]);
});

test("catch and finally on a Promise subclass propagate the context and keep the species", async () => {
  const v = newVariable("v");
  const constructed = [];
  class Tagged extends Promise {
    constructor(executor) {
      super(executor);
      constructed.push(this);
    }
  }
  const rejected = Tagged.reject(new Error("r"));
  const caught = v.run("a", () => rejected.catch(() => v.get()));
  const finalSeen = [];
  const finished = v.run("b", () => Tagged.resolve("kept").finally(() => { finalSeen.push(v.get()); }));
  assert.ok(caught instanceof Tagged, "catch did not return a Tagged");
  assert.ok(finished instanceof Tagged, "finally did not return a Tagged");
  assert.ok(constructed.includes(caught) && constructed.includes(finished), "species constructor not used");
  assert.equal(await caught, "a");
  assert.equal(await finished, "kept");
  assert.deepEqual(finalSeen, ["b"]);
});

test("Subclass.resolve(thenable) calls thenable.then in the context of the resolve call", async () => {
  const v = newVariable("v");
  class Sub extends Promise {}
  const thenable = { then: (resolve) => resolve(v.get()) };
  const a = v.run("a", () => Sub.resolve(thenable));
  const b = v.run("b", () => Sub.resolve(thenable));
  assert.ok(a instanceof Sub);
  assert.deepEqual(await Promise.all([a, b]), ["a", "b"]);
});

// ---------------------------------------------------------------------------
// combinators

const combinators = {
  all: { inputs: () => [Promise.resolve(1), new Promise((r) => setTimeout(r, 1, 2))] },
  allSettled: { inputs: () => [Promise.reject(new Error("1")), new Promise((r) => setTimeout(r, 1, 2))] },
  race: { inputs: () => [new Promise((r) => setTimeout(r, 1, 1)), new Promise((r) => setTimeout(r, 2, 2))] },
  any: { inputs: () => [Promise.reject(new Error("1")), new Promise((r) => setTimeout(r, 1, 2))] },
};

for (const [name, { inputs }] of Object.entries(combinators)) {
  test(`then on the result of Promise.${name} runs in the context of the .then call`, async () => {
    const v = newVariable("v");
    const combined = Promise[name](inputs());
    const madeInside = v.run("maker", () => Promise[name](inputs()));
    const results = await Promise.all([
      v.run("a", () => combined.then(() => v.get())),
      v.run("b", () => combined.then(() => v.get())),
      madeInside.then(() => v.get()),
      v.run("c", () => madeInside.then(() => v.get())),
    ]);
    assert.deepEqual(results, ["a", "b", "empty", "c"]);
  });

  test(`Promise.${name} calls then of thenable elements in the context of the Promise.${name} call`, async () => {
    const v = newVariable("v");
    const seen = [];
    const thenable = {
      then(resolve) {
        seen.push(v.get());
        resolve(1);
      },
    };
    await Promise.all([
      v.run("a", () => Promise[name]([thenable])),
      v.run("b", () => Promise[name]([thenable])),
    ]);
    assert.deepEqual(seen, ["a", "b"]);
  });
}

// ---------------------------------------------------------------------------
// scheduling cost

// Runs two then-chains (covering returned promises, returned thenables,
// Promise.resolve(thenable), throw/catch and finally) next to a microtask
// ticker, and returns the interleaved order of their side effects.
async function interleavedOrder(runChain) {
  const log = [];
  let ticker = Promise.resolve();
  for (let i = 0; i < 40; i++) ticker = ticker.then(() => { log.push("tick " + i); });
  const chain = (name) => {
    const thenable = {
      get then() {
        log.push(name + " get then");
        return (resolve) => {
          log.push(name + " thenable");
          resolve();
        };
      },
    };
    return Promise.resolve()
      .then(() => { log.push(name + " 1"); })
      .then(() => Promise.resolve(2))
      .then(() => { log.push(name + " 2"); return thenable; })
      .then(() => { log.push(name + " 3"); throw new Error("x"); })
      .catch(() => { log.push(name + " 4"); })
      .finally(() => { log.push(name + " 5"); })
      .then(() => Promise.resolve(thenable))
      .then(() => { log.push(name + " 6"); });
  };
  const chains = [runChain("a", () => chain("A")), runChain("b", () => chain("B"))];
  await Promise.all([ticker, ...chains]);
  return log;
}

test("a then chain created inside run takes the same number of microtask ticks as one created in the empty context", async () => {
  const v = newVariable("v");
  const w = newVariable("w");
  const native = await interleavedOrder((_, fn) => fn());
  await nextTask();
  const inside = await interleavedOrder((value, fn) => v.run(value, () => w.run(value, fn)));
  assert.ok(native.includes("A 6") && native.includes("B 6"), "the chains did not complete");
  assert.deepEqual(inside, native);
});
