// Hundreds of interleaved flows, each with its own values of two Variables,
// hop through timers, promise chains, microtasks and animation frames; every
// hop must see exactly its own flow's values.
//
// The plan (hop kinds, delays, rebinding points) comes from a seeded PRNG so a
// failure can be replayed; the actual interleaving depends on the browser.

import { test, assert } from "../harness.js";

const FLOWS = 300;
const HOPS = 6;

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function deferred() {
  let resolve;
  const promise = new Promise((r) => { resolve = r; });
  return { promise, resolve };
}

// Hops through the schedulers this browser has (WebKit lacks requestIdleCallback and scheduler.postTask).
const hasIdle = typeof globalThis.requestIdleCallback === "function";
const hasPostTask = Boolean(globalThis.scheduler && typeof globalThis.scheduler.postTask === "function");
const HOP_KINDS = ["timeout", "chain", "microtask", "frame", "gate", "thenable"]
  .concat(hasIdle ? ["idle"] : [], hasPostTask ? ["postTask"] : []);

// Schedules `next` through one asynchronous hop of the given kind, from the
// current context. `gates` are pending promises settled by other flows.
function scheduleHop(kind, delay, next, gates, random) {
  switch (kind) {
    case "timeout":
      setTimeout(next, delay);
      break;
    case "chain": {
      let p = Promise.resolve();
      const links = 1 + (delay % 4);
      for (let i = 0; i < links; i++) p = p.then(() => (i % 2 ? new Promise((r) => setTimeout(r, i)) : i));
      p.then(next);
      break;
    }
    case "microtask":
      queueMicrotask(next);
      break;
    case "frame":
      requestAnimationFrame(() => next());
      break;
    case "gate":
      gates[Math.floor(random() * gates.length)].promise.then(next);
      break;
    case "thenable":
      Promise.resolve({ then: (resolve) => setTimeout(resolve, delay) }).then(next);
      break;
    case "idle":
      requestIdleCallback(() => next(), { timeout: 20 });
      break;
    case "postTask":
      scheduler.postTask(next, { priority: ["user-blocking", "user-visible", "background"][delay % 3] });
      break;
    default:
      throw new Error("unknown hop kind " + kind);
  }
}

test(`${FLOWS} interleaved flows each see only their own values of two Variables at every hop`, async () => {
  const seed = 0xc0ffee;
  const random = mulberry32(seed);
  const id = new AsyncContext.Variable({ name: "id", defaultValue: "none" });
  const payload = new AsyncContext.Variable({ name: "payload" });

  // Plan everything up front so the plan does not depend on the interleaving.
  const plans = Array.from({ length: FLOWS }, () =>
    Array.from({ length: HOPS }, () => ({
      kind: HOP_KINDS[Math.floor(random() * HOP_KINDS.length)],
      delay: Math.floor(random() * 12),
      rebind: random() < 0.3,
    })));
  // 16 gates; gate k is opened by flow k * 17 at its first hop, in that flow's
  // context, while other flows wait on it in theirs.
  const gates = Array.from({ length: 16 }, deferred);
  const gateOpeners = new Map(gates.map((gate, k) => [(k * 17) % FLOWS, gate]));

  const mismatches = [];
  let hopsSeen = 0;
  let finished = 0;
  const allFinished = deferred();

  const startFlow = (n) => {
    const flowId = "flow " + n;
    let expectedPayload = { flow: n, hop: -1 };
    const step = (hop) => {
      hopsSeen += 1;
      const seenId = id.get();
      const seenPayload = payload.get();
      if (seenId !== flowId || seenPayload !== expectedPayload) {
        const prev = hop > 0 ? plans[n][hop - 1].kind : "start";
        mismatches.push(`${flowId} after hop ${hop} (${prev}): id=${seenId}, payload=${JSON.stringify(seenPayload)}`);
      }
      if (hop === 0 && gateOpeners.has(n)) gateOpeners.get(n).resolve();
      if (hop === HOPS) {
        finished += 1;
        if (finished === FLOWS) allFinished.resolve();
        return;
      }
      const { kind, delay, rebind } = plans[n][hop];
      const next = () => step(hop + 1);
      if (rebind) {
        // from here on this flow carries a new payload value
        expectedPayload = { flow: n, hop };
        payload.run(expectedPayload, () => scheduleHop(kind, delay, next, gates, random));
      } else {
        scheduleHop(kind, delay, next, gates, random);
      }
    };
    id.run(flowId, () => payload.run(expectedPayload, () => step(0)));
  };

  // Start half the flows synchronously and half from unwrapped timers.
  for (let n = 0; n < FLOWS; n++) {
    if (n % 2) startFlow(n);
    else setTimeout(() => startFlow(n), n % 7);
  }
  await allFinished.promise;

  assert.equal(hopsSeen, FLOWS * (HOPS + 1), "number of hops observed");
  assert.deepEqual(mismatches.slice(0, 10), [], `seed ${seed}: ${mismatches.length} mismatches`);
  assert.equal(id.get(), "none");
  assert.equal(payload.get(), undefined);
});

test("a function wrapped with Snapshot.wrap in one flow runs with that flow's values when called from other flows", async () => {
  const seed = 0xbadcafe;
  const random = mulberry32(seed);
  const id = new AsyncContext.Variable({ name: "id", defaultValue: "none" });
  const payload = new AsyncContext.Variable({ name: "payload" });
  const wrapped = new Array(FLOWS);
  const snapshots = new Array(FLOWS);
  const payloads = Array.from({ length: FLOWS }, (_, n) => ({ flow: n }));
  const delays = Array.from({ length: FLOWS }, () => Array.from({ length: 4 }, () => Math.floor(random() * 10)));
  const targets = Array.from({ length: FLOWS }, () => Array.from({ length: 4 }, () => Math.floor(random() * FLOWS)));
  const mismatches = [];
  let calls = 0;
  let finished = 0;
  const allFinished = deferred();

  const expectOwn = (n, where) => {
    if (id.get() !== "flow " + n || payload.get() !== payloads[n]) {
      mismatches.push(`flow ${n} ${where}: id=${id.get()}, payload=${JSON.stringify(payload.get())}`);
    }
  };

  const startFlow = (n) => {
    wrapped[n] = AsyncContext.Snapshot.wrap(function (caller, extra) {
      return { id: id.get(), payload: payload.get(), caller, extra, self: this };
    });
    snapshots[n] = new AsyncContext.Snapshot();
    const hop = (i) => {
      expectOwn(n, "at hop " + i);
      if (i === 4) {
        finished += 1;
        if (finished === FLOWS) allFinished.resolve();
        return;
      }
      const m = targets[n][i];
      if (wrapped[m]) {
        calls += 1;
        const receiver = { receiver: n };
        const result = wrapped[m].call(receiver, n, i);
        if (result.id !== "flow " + m || result.payload !== payloads[m]) {
          mismatches.push(`flow ${n} calling wrapped ${m}: id=${result.id}, payload=${JSON.stringify(result.payload)}`);
        }
        if (result.caller !== n || result.extra !== i || result.self !== receiver) {
          mismatches.push(`flow ${n} calling wrapped ${m}: arguments or this not passed through`);
        }
        const fromSnapshot = snapshots[m].run(() => [id.get(), payload.get()]);
        if (fromSnapshot[0] !== "flow " + m || fromSnapshot[1] !== payloads[m]) {
          mismatches.push(`flow ${n} running snapshot ${m}: id=${fromSnapshot[0]}`);
        }
        expectOwn(n, `after calling into flow ${m}`);
      }
      if (i % 2) setTimeout(() => hop(i + 1), delays[n][i]);
      else Promise.resolve().then(() => new Promise((r) => setTimeout(r, delays[n][i]))).then(() => hop(i + 1));
    };
    hop(0);
  };

  for (let n = 0; n < FLOWS; n++) {
    id.run("flow " + n, () => payload.run(payloads[n], () => startFlow(n)));
  }
  await allFinished.promise;

  // called from the empty context, every wrapper still carries its flow
  const fromOutside = [];
  for (let n = 0; n < FLOWS; n++) {
    const result = wrapped[n]("outside");
    if (result.id !== "flow " + n || result.payload !== payloads[n]) fromOutside.push(n);
  }
  assert.ok(calls > FLOWS, "too few cross-flow calls: " + calls);
  assert.deepEqual(mismatches.slice(0, 10), [], `seed ${seed}: ${mismatches.length} mismatches`);
  assert.deepEqual(fromOutside, [], "wrappers called from the empty context saw other values");
  assert.equal(id.get(), "none");
});
