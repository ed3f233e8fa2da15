// Browser test harness: the module every spec imports.
//
//   import { test, assert, sleep, nextTask, collectGarbage, liveNodes, liveSlots } from "../harness.js";
//   test("rule stated as a sentence", async () => { ... });
//
// harness.html loads the polyfill, imports the spec (which registers its tests through `test`), then calls
// `runRegisteredTests`. Progress goes to run.mjs as console.debug lines carrying a prefix, so a page that hangs
// can still be reported test by test (or, with ?bridge=poll, queued for run.mjs to poll where the driver has no
// console events); the final list is also left in `window.__results` / `window.__done`.
//
// Skips: a test that needs what this browser lacks calls `skip(reason)` (or `requireFunction("a.b")`, or is
// registered with `{ requires: "a.b" }`); collectGarbage() skips the test where no full collection can be forced.
// Engine names are never tested: only features.
//
// Real user input (browser-originated events, not synthetic ones): `await userClick(selector)`, `await userPress(key,
// selector?)`, `await userType(text)` ask run.mjs to perform it through the engine's driver and resolve once it is done.
//
// The timing helpers (sleep, nextTask, the per-test timeout) use the browser's original timers, captured by
// harness.html before the polyfill loaded. They therefore neither depend on the polyfill nor capture contexts
// that would show up in liveNodes()/liveSlots().

const captured = globalThis.__harnessOriginals;

/**
 * Platform functions as they were before the polyfill loaded (or now, if harness.html did not capture them:
 * then `capturedBeforePolyfill` is false). `descriptors` lists { label, holder, key, descriptor } for every
 * platform function the polyfill may replace.
 */
export const originals = captured ?? Object.freeze({
  capturedBeforePolyfill: false,
  descriptors: Object.freeze([]),
  setTimeout: globalThis.setTimeout,
  clearTimeout: globalThis.clearTimeout,
  setInterval: globalThis.setInterval,
  clearInterval: globalThis.clearInterval,
  queueMicrotask: globalThis.queueMicrotask,
  requestAnimationFrame: globalThis.requestAnimationFrame,
  requestIdleCallback: globalThis.requestIdleCallback,
  then: Promise.prototype.then,
  functionToString: Function.prototype.toString,
  postTaskTick: null,
  consoleDebug: console.debug,
});

const REPORT_PREFIX = "@@asynccontext-harness@@ ";
const DEFAULT_TIMEOUT_MS = 10_000;
const setTimer = originals.setTimeout;
const clearTimer = originals.clearTimeout;
const consoleDebug = originals.consoleDebug;
const originalThen = originals.then;

// Engines whose driver has no console events and cannot expose functions (classic WebDriver: WebKit) load
// the page with ?bridge=poll and read progress, input requests and notes by polling __harnessPoll().
const polled = new URLSearchParams(location.search).get("bridge") === "poll";
const pollQueue = { events: [], inputs: [] };
if (polled) {
  Object.defineProperty(globalThis, "__harnessPoll", {
    value: () => {
      const taken = { events: pollQueue.events, inputs: pollQueue.inputs };
      pollQueue.events = [];
      pollQueue.inputs = [];
      return taken;
    },
  });
}

function report(event) {
  if (polled) pollQueue.events.push(event);
  else Reflect.apply(consoleDebug, console, [REPORT_PREFIX + JSON.stringify(event)]);
}

/** A note for run.mjs's `#` lines where it cannot listen to the console itself (poll mode). */
export function reportNote(text) {
  if (polled) pollQueue.events.push({ type: "note", text: String(text) });
}

// ---------------------------------------------------------------------------------------------------------
// Registration

const registered = [];

/**
 * Register a test. `options.timeout` (ms) overrides the default of 10 s; `options.requires` names the platform
 * function(s) the test needs (see below).
 * Tests run in registration order, one at a time, each with `this` undefined.
 */
export function test(name, fn, options = {}) {
  if (typeof name !== "string" || name === "") throw new TypeError("test(name, fn): name must be a non-empty string");
  if (typeof fn !== "function") throw new TypeError(`test(${JSON.stringify(name)}): fn must be a function`);
  const timeout = options.timeout ?? DEFAULT_TIMEOUT_MS;
  // `requires`: the platform function(s) the rule is about ("scheduler.postTask"); where one is missing the
  // test is reported as skipped (feature detection, see requireFunction).
  const requires = options.requires === undefined ? [] : [].concat(options.requires);
  const run = requires.length === 0 ? fn : function () {
    for (const name of requires) requireFunction(name);
    return Reflect.apply(fn, this, []);
  };
  registered.push({ name, fn: run, timeout });
}

// ---------------------------------------------------------------------------------------------------------
// Assertions

/**
 * Thrown by skip(): the test cannot run in this browser because it lacks what the test is about (found by
 * feature detection). run.mjs reports it as skipped, with the reason.
 */
export class SkipError extends Error {
  constructor(reason) {
    super(reason);
    this.name = "SkipError";
  }
}

/** Ends the running test as skipped, saying which feature this browser lacks. */
export function skip(reason) {
  throw new SkipError(reason);
}

/** Skips the running test unless `globalThis[name]` (a dotted path such as "scheduler.postTask") is a function. */
export function requireFunction(name) {
  let value = globalThis;
  for (const key of name.split(".")) value = value == null ? undefined : value[key];
  if (typeof value !== "function") skip(`${name} is not implemented in this browser`);
}

export class AssertionError extends Error {
  constructor(message) {
    super(message);
    this.name = "AssertionError";
  }
}

/** Short readable rendering of any value for failure messages. */
export function format(value) {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "number":
      return Object.is(value, -0) ? "-0" : String(value);
    case "bigint":
      return `${value}n`;
    case "symbol":
      return value.toString();
    case "function":
      return `[function ${value.name || "(anonymous)"}]`;
    case "undefined":
      return "undefined";
    case "boolean":
      return String(value);
  }
  if (value === null) return "null";
  const ownConstructor = Object.getOwnPropertyDescriptor(value, "constructor");
  if (ownConstructor && typeof ownConstructor.value === "function" && ownConstructor.value.prototype === value) {
    return `${ownConstructor.value.name || "(anonymous)"}.prototype`;
  }
  if (value === Object.prototype) return "Object.prototype";
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== Array.prototype && proto !== null) {
    // Say what kind of object it is (a boxed "x" and a string "x" must not look the same).
    const tag = Object.prototype.toString.call(value).slice(8, -1);
    const kind = typeof value.constructor === "function" && value.constructor.name ? value.constructor.name : tag;
    if (value instanceof Error) return `${kind}(${JSON.stringify(String(value.message))})`;
    let inner = "";
    try {
      inner = tag === "String" || tag === "Number" || tag === "Boolean" ? JSON.stringify(value.valueOf()) : JSON.stringify(value);
    } catch {
      inner = "";
    }
    return `${kind} ${inner && inner.length <= 200 ? inner : "{…}"}`;
  }
  try {
    const json = JSON.stringify(value, (key, v) => (v === undefined ? "<undefined>" : typeof v === "function" ? `[function ${v.name}]` : v));
    if (json !== undefined && json.length <= 300) return json;
    if (json !== undefined) return json.slice(0, 300) + "…";
  } catch {
    // cyclic or exotic: fall through
  }
  return Object.prototype.toString.call(value);
}

function fail(msg, detail) {
  throw new AssertionError(msg ? `${msg}: ${detail}` : detail);
}

function structurallyEqual(a, b, depth) {
  if (Object.is(a, b)) return true;
  if (depth > 50) return false;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!structurallyEqual(a[i], b[i], depth + 1)) return false;
    return true;
  }
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const keysA = Object.keys(a).sort();
  const keysB = Object.keys(b).sort();
  if (keysA.length !== keysB.length) return false;
  for (let i = 0; i < keysA.length; i++) {
    if (keysA[i] !== keysB[i]) return false;
    if (!structurallyEqual(a[keysA[i]], b[keysA[i]], depth + 1)) return false;
  }
  return true;
}

function describeError(error) {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return `non-Error ${format(error)}`;
}

export const assert = Object.freeze({
  /** Object.is(actual, expected). */
  equal(actual, expected, msg) {
    if (!Object.is(actual, expected)) fail(msg, `expected ${format(expected)}, got ${format(actual)}`);
  },
  /** !Object.is(actual, expected). */
  notEqual(actual, expected, msg) {
    if (Object.is(actual, expected)) fail(msg, `expected a value other than ${format(expected)}`);
  },
  /** Truthy. */
  ok(value, msg) {
    if (!value) fail(msg, `expected a truthy value, got ${format(value)}`);
  },
  /**
   * Structural equality for JSON-like data: primitives by Object.is, arrays element by element, other objects by
   * prototype and own enumerable string keys. `undefined` members count (unlike JSON.stringify).
   */
  deepEqual(actual, expected, msg) {
    if (!structurallyEqual(actual, expected, 0)) fail(msg, `expected ${format(expected)}, got ${format(actual)}`);
  },
  /** fn() must throw; with ErrorCtor the thrown value must be an instance of it. Returns the thrown value. */
  throws(fn, ErrorCtor, msg) {
    if (typeof ErrorCtor === "string" && msg === undefined) {
      msg = ErrorCtor;
      ErrorCtor = undefined;
    }
    let threw = false;
    let error;
    try {
      fn();
    } catch (e) {
      threw = true;
      error = e;
    }
    if (!threw) fail(msg, `expected ${ErrorCtor ? ErrorCtor.name : "an exception"} to be thrown, nothing was thrown`);
    if (ErrorCtor && !(error instanceof ErrorCtor)) fail(msg, `expected ${ErrorCtor.name}, got ${describeError(error)}`);
    return error;
  },
  /**
   * The promise (or the result of calling the function) must reject; a synchronous throw from the function also
   * counts. With ErrorCtor the reason must be an instance of it. Resolves to the reason.
   */
  async rejects(promiseOrFn, ErrorCtor, msg) {
    if (typeof ErrorCtor === "string" && msg === undefined) {
      msg = ErrorCtor;
      ErrorCtor = undefined;
    }
    let rejected = false;
    let reason;
    try {
      await (typeof promiseOrFn === "function" ? promiseOrFn() : promiseOrFn);
    } catch (e) {
      rejected = true;
      reason = e;
    }
    if (!rejected) fail(msg, `expected a rejection${ErrorCtor ? ` with ${ErrorCtor.name}` : ""}, it fulfilled`);
    if (ErrorCtor && !(reason instanceof ErrorCtor)) fail(msg, `expected rejection with ${ErrorCtor.name}, got ${describeError(reason)}`);
    return reason;
  },
});

// ---------------------------------------------------------------------------------------------------------
// Scheduling helpers (original timers: see the header comment)

/** Resolves after a timeout of `ms` milliseconds. */
export function sleep(ms = 0) {
  return new Promise((resolve) => {
    setTimer(resolve, ms);
  });
}

const fallbackTick = (() => {
  if (originals.postTaskTick) return originals.postTaskTick;
  const channel = new MessageChannel();
  const waiting = [];
  channel.port1.onmessage = () => waiting.shift()?.();
  return (resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(0);
  };
})();

/** Resolves after one macrotask (a MessageChannel message), i.e. after all currently queued microtasks. */
export function nextTask() {
  return new Promise((resolve) => fallbackTick(resolve));
}

/**
 * Run full garbage collections with macrotask waits in between, so that FinalizationRegistry callbacks get
 * their turn: gc() (Chromium with --js-flags=--expose-gc) or the driver's __asynccontextGC() (Firefox); skips
 * the test where neither exists. With `until` (a predicate), stops as soon as it returns true; returns whether
 * it did (always true without a predicate).
 */
export async function collectGarbage(until, { rounds = 8 } = {}) {
  const driverGC = globalThis.__asynccontextGC;
  if (typeof globalThis.gc !== "function" && typeof driverGC !== "function") {
    skip("this browser offers no way to force a garbage collection (no gc(), no driver collection)");
  }
  for (let i = 0; i < rounds; i++) {
    if (typeof globalThis.gc === "function") {
      // execution "async" runs the collection from a fresh task, so nothing on our stack keeps objects alive.
      const pending = globalThis.gc({ type: "major", execution: "async" });
      if (pending && typeof pending === "object") await pending;
    } else {
      // The driver asks the browser for a full collection (and, in Firefox, a cycle collection) of this
      // page's process; it runs from a task of its own, after this call has returned.
      await driverGC();
    }
    await nextTask();
    await sleep(0);
    await nextTask();
    if (typeof until === "function" && until()) return true;
  }
  return typeof until === "function" ? Boolean(until()) : true;
}

// ---------------------------------------------------------------------------------------------------------
// Real user input (performed by run.mjs through Playwright)

let inputIds = 0;
const inputWaiters = new Map();
if (polled) {
  Object.defineProperty(globalThis, "__harnessInputDone", {
    value: ({ id, error }) => {
      const waiter = inputWaiters.get(id);
      inputWaiters.delete(id);
      if (waiter) waiter(error);
    },
  });
}

function userInput(action) {
  const bridge = globalThis.__asynccontextInput;
  if (polled) {
    const id = ++inputIds;
    pollQueue.inputs.push({ id, action });
    return new Promise((resolve, reject) => {
      inputWaiters.set(id, (error) => (error ? reject(new Error(error)) : resolve()));
    });
  }
  if (typeof bridge !== "function") {
    return Promise.reject(new Error("no user input bridge: run this page through tests/browser/run.mjs"));
  }
  return bridge(action);
}

/** A real mouse click on the element matching `selector` (Playwright page.click). */
export function userClick(selector) {
  return userInput({ click: selector });
}

/** A real key press (Playwright keyboard.press), after focusing `selector` if given. */
export function userPress(key, selector) {
  return userInput(selector === undefined ? { press: key } : { press: key, selector });
}

/** Real typing of `text` into the focused element (Playwright keyboard.type). */
export function userType(text) {
  return userInput({ type: text });
}

// ---------------------------------------------------------------------------------------------------------
// Test hooks of the polyfill

let hooks = null;

function testHooks() {
  if (hooks) return hooks;
  const h = globalThis.__ASYNCCONTEXT_TEST_HOOKS__;
  if (h && typeof h === "object" && typeof h.liveNodes === "function" && typeof h.liveSlots === "function") {
    hooks = h;
    return h;
  }
  throw new Error(
    "test hooks are not installed: globalThis.__ASYNCCONTEXT_TEST_HOOKS__ is " + format(h) +
      " (the polyfill should replace `true` with { liveNodes, liveSlots })",
  );
}

/** Live context nodes in the wasm store (0 at baseline). */
export function liveNodes() {
  return testHooks().liveNodes();
}

/** Live value slots in the wasm store (0 at baseline). */
export function liveSlots() {
  return testHooks().liveSlots();
}

// ---------------------------------------------------------------------------------------------------------
// Runner (called by harness.html)

function errorMessage(error) {
  if (error instanceof AssertionError) return error.message;
  let text = describeError(error);
  // Point at the first spec frame, which is usually where the unexpected error came from.
  const stack = error instanceof Error && typeof error.stack === "string" ? error.stack : "";
  const frame = stack.split("\n").find((line) => line.includes("/specs/"));
  if (frame) text += ` (${frame.trim().replace(/^at /, "at ").replace(location.origin, "")})`;
  return text;
}

const failure = (error) =>
  error instanceof SkipError ? { ok: true, skipped: true, message: error.message } : { ok: false, message: errorMessage(error) };

/** Runs one test, resolving to { ok, message[, skipped] }; never rejects. */
function runOne({ fn, timeout }) {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome) => {
      if (settled) return;
      settled = true;
      clearTimer(timer);
      resolve(outcome);
    };
    const timer = setTimer(() => settle({ ok: false, message: `timed out after ${timeout} ms` }), timeout);
    let result;
    try {
      result = Reflect.apply(fn, undefined, []);
    } catch (error) {
      settle(failure(error));
      return;
    }
    // The original `then`, so the harness's own bookkeeping never goes through the polyfill.
    Reflect.apply(originalThen, Promise.resolve(result), [
      () => settle({ ok: true, message: "" }),
      (error) => settle(failure(error)),
    ]);
  });
}

/** Publish one result (used for load failures by harness.html as well). */
export function publish(results, name, ok, message, skipped = false) {
  const entry = skipped ? { name, ok: true, skipped: true, message: String(message) } : { name, ok, message: ok ? "" : String(message) };
  results.push(entry);
  report({ type: "result", ...entry });
}

/** Run every registered test in order and publish the results. */
export async function runRegisteredTests(results = []) {
  const seen = new Set();
  if (registered.length === 0) {
    publish(results, "spec registers at least one test", false, "no test() calls were made");
  }
  for (const entry of registered) {
    if (seen.has(entry.name)) {
      publish(results, entry.name, false, "duplicate test name in this file (each test states its own rule)");
      continue;
    }
    seen.add(entry.name);
    report({ type: "start", name: entry.name, timeout: entry.timeout });
    const outcome = await runOne(entry);
    publish(results, entry.name, outcome.ok, outcome.message, outcome.skipped === true);
    // Start every test from a fresh macrotask, after the previous one's microtasks have drained.
    await nextTask();
  }
  return results;
}

/** Tell run.mjs (and anyone polling) that the page is finished. */
export function finish(results) {
  globalThis.__results = results;
  globalThis.__done = true;
  report({ type: "done", count: results.length });
}

// ---------------------------------------------------------------------------------------------------------
// Store counts for leak tests (shared by the memory, observer, stream, event and soak specs).

/** Live store nodes and value slots now. */
export const storeCounts = () => ({ nodes: liveNodes(), slots: liveSlots() });
/** "N nodes / N slots", for assertion messages. */
export const showCounts = (c) => `${c.nodes} nodes / ${c.slots} slots`;

/** The counts once they stop changing between two garbage collections (polls at most ~2 s). */
export async function stableCounts() {
  const deadline = performance.now() + 2000;
  let previous = null;
  for (;;) {
    await collectGarbage();
    const current = storeCounts();
    if (previous && current.nodes === previous.nodes && current.slots === previous.slots) return current;
    if (performance.now() > deadline) return current;
    previous = current;
  }
}

/** The counts once they are back at or below `limit` (polls at most ~5 s; the caller asserts). */
export async function countsReturningTo(limit) {
  const deadline = performance.now() + 5000;
  for (;;) {
    await collectGarbage();
    const current = storeCounts();
    if (current.nodes <= limit.nodes && current.slots <= limit.slots) return current;
    if (performance.now() > deadline) return current;
    await sleep(20);
  }
}

/**
 * Runs `fn(window)` with the window of a fresh same-origin iframe: a realm the polyfill never
 * patched (the iframe does not load it), to compare the patched functions with the native ones.
 */
export async function withNativeWindow(fn) {
  const frame = document.createElement("iframe");
  (document.body || document.documentElement).append(frame);
  try {
    return await fn(frame.contentWindow);
  } finally {
    frame.remove();
  }
}
