// Task records for the experimental trackers (tracking.js) and the async call graph (src/graph.rs).
//
// A context carries the list of trackers whose `run` it descends from (`Context.trackers`, null for
// almost every context). Only when that list is non-null does a scheduling point create a task:
// everything here is off the untracked hot paths, which pay one field read.
//
// A task is one scheduled callback (a promise reaction, a timeout, a frame callback, one dispatch
// of an event to a listener, ...) or one operation whose completion fires events (an XHR, a
// fetch, a FileReader read, ...). Repeating registrations (setInterval, watchPosition,
// FinalizationRegistry cleanups) are one task that runs many times. Observers are not tasks: their
// callbacks run in the empty context, outside the flow that constructed them (patches/observers.js).
//
// Life cycle: scheduled -> (running -> scheduled)* for repeating tasks -> done | cancelled.
// Every tracker in the task's list sees the same calls: scheduled, before, after, cancelled.
// Each task also gets a node in the call graph (link: the task running when it was scheduled;
// ready: the task that made it runnable) that lives while the task can run or a live task's chain
// passes through it.

import {
  ErrorCtor,
  FinalizationRegistryCtor,
  FinalizationRegistryRegister,
  MapCtor,
  MapPrototypeGet,
  MapPrototypeSet,
  ObjectDefineProperty,
  ObjectFreeze,
  ObjectGetPrototypeOf,
  PromiseCtor,
  PromisePrototypeThen,
  ReflectApply,
  WeakMapCtor,
  WeakMapGet,
  WeakMapSet,
  copyArguments,
} from "./intrinsics.js";
import { bindReaction, bindReactionTask, bindTo, capture, currentTrackers, runEmpty, runIn } from "./context.js";
import { causeTaskOf } from "./causes.js";

const MapPrototypeDelete = Map.prototype.delete;
const SetPrototypeAdd = Set.prototype.add;
const SetPrototypeDelete = Set.prototype.delete;
const SetPrototypeHas = Set.prototype.has;
const SetPrototypeForEach = Set.prototype.forEach;
const SetSize = Object.getOwnPropertyDescriptor(Set.prototype, "size").get;
const setTimeoutOriginal = globalThis.setTimeout;
const performanceNow = typeof performance === "object" && performance !== null ? performance.now.bind(performance) : Date.now;
const reportErrorOriginal = typeof reportError === "function" ? reportError : undefined;
const consoleError = console.error;

/** Hook indices in TrackerState.hooks. */
export const SCHEDULED = 0;
export const BEFORE = 1;
export const AFTER = 2;
export const CANCELLED = 3;

const STATE_SCHEDULED = "scheduled";
const STATE_RUNNING = "running";
const STATE_DONE = "done";
const STATE_CANCELLED = "cancelled";

/** Task kinds by scheduling API; any other API schedules a "callback". */
const KINDS = {
  __proto__: null,
  then: "promise-reaction",
  setTimeout: "timeout",
  setInterval: "interval",
  queueMicrotask: "microtask",
  requestAnimationFrame: "animation-frame",
  requestIdleCallback: "idle-callback",
  requestVideoFrameCallback: "video-frame",
  postTask: "scheduler-task",
  FinalizationRegistry: "finalization",
};
/** APIs whose callback may run many times: one task, several runs. */
const REPEATING = {
  __proto__: null,
  setInterval: true,
  watchPosition: true,
  FinalizationRegistry: true,
};

export function kindOf(api) {
  return KINDS[api] ?? "callback";
}

let graph;
export function bindGraph(g) {
  graph = g;
}

let nextId = 1;
/** The task whose callback is on the stack (null between tasks and in untracked code). */
let running = null;
/** The label experimental.label() gives to tasks scheduled synchronously inside its callback. */
let currentLabel;
/** Graph arena index -> TaskState, written when a node is created (indices are reused afterwards). */
const byIndex = [];

/** A tracker's internal state; `Context.trackers` lists these, never the public objects. */
export class TrackerState {
  constructor(owner, hooks, captureStacks) {
    this.owner = owner;
    this.hooks = hooks;
    this.captureStacks = captureStacks;
    this.pending = new TaskSet();
    this.intervals = new TaskSet();
    this.waiters = [];
    this.checkQueued = false;
    this.hookErrors = 0;
  }
}

/** A Set whose methods are the built-ins captured at load (page patches of Set cannot reach it). */
class TaskSet extends Set {}
ObjectDefineProperty(TaskSet.prototype, "add", { value: SetPrototypeAdd });
ObjectDefineProperty(TaskSet.prototype, "delete", { value: SetPrototypeDelete });
ObjectDefineProperty(TaskSet.prototype, "has", { value: SetPrototypeHas });
ObjectDefineProperty(TaskSet.prototype, "forEach", { value: SetPrototypeForEach });

function sizeOf(set) {
  return ReflectApply(SetSize, set, []);
}

class TaskState {
  constructor(record, trackers, repeating, stack) {
    /** The public record handed to hooks (no handle, no context). */
    this.record = record;
    this.trackers = trackers;
    this.repeating = repeating;
    this.stack = stack;
    this.state = STATE_SCHEDULED;
    /** Graph node handle (> 0), or 0 if the graph could not make one. */
    this.node = 0;
    /** Cancellation table entry (clearTimeout & co.), if any. */
    this.table = undefined;
    this.key = undefined;
    /** A repeating task cancelled while it runs finishes after the run. */
    this.cancelRequested = false;
    /** An AsyncTask disposed inside its own run ends (done) after the run. */
    this.endRequested = false;
    /** Intervals: when the next run is due (performance.now() time) and the period. */
    this.due = 0;
    this.period = 0;
  }
}

function makeRecord(id, kind, api, detail, parent, ready, repeating, stack) {
  return {
    id,
    kind,
    api,
    detail,
    label: currentLabel,
    parentId: parent === null ? 0 : parent.record.id,
    readyId: ready === null ? 0 : ready.record.id,
    scheduledAt: performanceNow(),
    stack,
    repeating,
    state: STATE_SCHEDULED,
    runs: 0,
  };
}

function sameSignature(parent, kind, api, detail, stack) {
  const r = parent.record;
  return r.kind === kind && r.api === api && r.detail === detail && r.label === currentLabel && parent.stack === stack;
}

function captureStack(trackers) {
  for (let i = 0; i < trackers.length; i++) {
    if (trackers[i].captureStacks) {
      const stack = `${new ErrorCtor().stack}`;
      // Drop the "Error" line; the frames inside the polyfill stay (they name the scheduling API).
      const newline = stack.indexOf("\n");
      return newline < 0 ? "" : stack.slice(newline + 1);
    }
  }
  return undefined;
}

/**
 * Creates and announces a task for `trackers` (a context's list). `parent` is the task it is
 * linked to (default: the running one), `ready` the task that will make it runnable, if known.
 */
export function schedule(kind, api, trackers, repeating, detail, parent = running, ready = null) {
  const stack = captureStack(trackers);
  const record = makeRecord(nextId++, kind, api, detail, parent, ready, repeating, stack);
  const task = new TaskState(record, trackers, repeating, stack);
  const fold = parent !== null && ready === null && sameSignature(parent, kind, api, detail, stack);
  let node = graph.create(parent === null ? 0 : parent.node, ready === null ? 0 : ready.node, fold);
  if (node < 0 && parent !== null) node = graph.create(0, 0, false);
  if (node > 0) {
    task.node = node;
    byIndex[node % 4294967296] = task;
  }
  for (let i = 0; i < trackers.length; i++) {
    const t = trackers[i];
    if (!repeating) t.pending.add(task);
  }
  notify(task, SCHEDULED);
  return task;
}

/** Runs one run of `task`: `fn` with `thisArg`/`args`, bracketed by the before and after hooks. */
export function runTask(task, fn, thisArg, args) {
  if (task.state !== STATE_SCHEDULED) return ReflectApply(fn, thisArg, args);
  task.state = task.record.state = STATE_RUNNING;
  task.record.runs++;
  // The hooks of a run see it as the running task (asyncStack() in `before` is the task's own).
  const previous = running;
  running = task;
  notify(task, BEFORE);
  try {
    return ReflectApply(fn, thisArg, args);
  } finally {
    notify(task, AFTER);
    running = previous;
    if (!task.repeating || task.endRequested) finish(task, STATE_DONE);
    else if (task.cancelRequested) finish(task, STATE_CANCELLED);
    else {
      task.state = task.record.state = STATE_SCHEDULED;
      if (task.period > 0 || task.due > 0) task.due = performanceNow() + task.period;
      for (let i = 0; i < task.trackers.length; i++) checkIdle(task.trackers[i]);
    }
  }
}

/** The task can no longer run: cleared, removed, collected, or its operation was superseded. */
export function cancel(task) {
  if (task.state === STATE_DONE || task.state === STATE_CANCELLED || task.cancelRequested) return;
  if (task.state === STATE_RUNNING) {
    // Only a repeating task can be cancelled from inside its own run (clearInterval in the tick).
    if (task.repeating) {
      task.cancelRequested = true;
      notify(task, CANCELLED);
    }
    return;
  }
  // The hook sees the new state, as `before` sees "running".
  task.state = task.record.state = STATE_CANCELLED;
  notify(task, CANCELLED);
  finish(task, STATE_CANCELLED);
}

function finish(task, state) {
  task.state = task.record.state = state;
  if (task.table !== undefined) {
    if (ReflectApply(MapPrototypeGet, task.table, [task.key]) === task) ReflectApply(MapPrototypeDelete, task.table, [task.key]);
    task.table = task.key = undefined;
  }
  const repeating = task.repeating;
  for (let i = 0; i < task.trackers.length; i++) {
    const t = task.trackers[i];
    t.pending.delete(task);
    if (repeating) t.intervals.delete(task);
    checkIdle(t);
  }
  if (task.node > 0) graph.release(task.node);
}

// ---- Hooks ------------------------------------------------------------------------------

function notify(task, hook) {
  const trackers = task.trackers;
  for (let i = 0; i < trackers.length; i++) {
    const fn = trackers[i].hooks[hook];
    if (fn !== undefined) callHook(trackers[i], fn, task.record);
  }
}

/**
 * Hooks run in the empty context (nothing they schedule is tracked, so a hook cannot feed
 * itself), and whatever they throw stays here: the user's callback runs regardless. A tracker's
 * first hook error is reported like an uncaught exception (reportError); later ones are counted.
 */
function callHook(tracker, fn, record) {
  try {
    runEmpty(fn, tracker.owner, [record]);
  } catch (error) {
    if (tracker.hookErrors++ === 0) report(error);
  }
}

function report(error) {
  try {
    if (reportErrorOriginal !== undefined) runEmpty(reportErrorOriginal, globalThis, [error]);
    else ReflectApply(consoleError, console, ["asynccontext: a tracker hook threw", error]);
  } catch {
    // Reporting must not throw into the task either.
  }
}

// ---- Outstanding work -------------------------------------------------------------------

/**
 * A tracker is idle when none of its one-shot tasks is scheduled or running and no interval of
 * its scope is due (its next tick's time has come). Checked from a macrotask, after the microtasks
 * of the task that finished the last piece of work, so continuations already queued get to
 * schedule more before the tracker counts as idle.
 */
export function checkIdle(t) {
  if (t.waiters.length === 0 || t.checkQueued || sizeOf(t.pending) > 0) return;
  t.checkQueued = true;
  ReflectApply(setTimeoutOriginal, globalThis, [() => settleIfIdle(t), 0]);
}

function settleIfIdle(t) {
  t.checkQueued = false;
  if (!isIdle(t)) return; // the task that keeps it busy re-checks when it finishes
  const waiters = t.waiters;
  t.waiters = [];
  for (let i = 0; i < waiters.length; i++) waiters[i]();
}

/** An interval keeps its trackers busy while a tick runs and once its next tick's time has come. */
function isDue(task, now) {
  return task.state === STATE_RUNNING || task.due <= now;
}

export function isIdle(t) {
  if (sizeOf(t.pending) > 0) return false;
  const now = performanceNow();
  let due = false;
  ReflectApply(SetPrototypeForEach, t.intervals, [
    (task) => {
      if (isDue(task, now)) due = true;
    },
  ]);
  return !due;
}

/** The tasks that keep `t` busy, oldest first: pending one-shot tasks and due intervals. */
export function pendingRecords(t) {
  const out = [];
  const now = performanceNow();
  ReflectApply(SetPrototypeForEach, t.pending, [(task) => (out[out.length] = task.record)]);
  ReflectApply(SetPrototypeForEach, t.intervals, [
    (task) => {
      if (isDue(task, now)) out[out.length] = task.record;
    },
  ]);
  return out;
}

// ---- Scheduling points --------------------------------------------------------------------

/** Cancellation tables: id -> task, for the APIs whose cancel function takes the returned id. */
const timerTasks = new MapCtor();
const frameTasks = new MapCtor();
const idleTasks = new MapCtor();
const TABLES = { __proto__: null, setTimeout: timerTasks, setInterval: timerTasks, requestAnimationFrame: frameTasks, requestIdleCallback: idleTasks };

const MapSize = Object.getOwnPropertyDescriptor(Map.prototype, "size").get;

/** Cancels the task registered under `key` in `table` (clearTimeout & co.); cheap when none is. */
function cancelByKey(table, key) {
  if (ReflectApply(MapSize, table, []) === 0) return;
  const task = ReflectApply(MapPrototypeGet, table, [key]);
  if (task !== undefined) cancel(task);
}

export const cancelTimer = (id) => cancelByKey(timerTasks, id);
export const cancelFrame = (id) => cancelByKey(frameTasks, id);
export const cancelIdle = (id) => cancelByKey(idleTasks, id);

/** When a callback the host dropped without running it is collected, its task is cancelled. */
const collected = new FinalizationRegistryCtor((task) => cancel(task));

function trackedCallback(callback, ctx, task) {
  const bound = bindTo(callback, ctx);
  const wrapper = function () {
    return runTask(task, bound, this, arguments);
  };
  ReflectApply(FinalizationRegistryRegister, collected, [wrapper, task]);
  return wrapper;
}

/** `bind` for a tracked context: the callback runs as a task of `api`. */
export function bindTracked(callback, api, ctx) {
  const task = schedule(kindOf(api), api, ctx.trackers, REPEATING[api] === true, undefined);
  return trackedCallback(callback, ctx, task);
}

/**
 * `schedule(callback, ...rest)` (setTimeout & co., see patch.js callbackFirst) in a tracked
 * context: the task is registered under the returned id for the API's cancel function, and an
 * interval records its period to tell when its next run is due.
 */
export function callTracked(original, thisArg, args, api) {
  const ctx = capture();
  const repeating = REPEATING[api] === true;
  args = copyArguments(args);
  let period = 0;
  if (repeating) {
    // Converted once here (as the host would) and passed on as a number.
    period = +args[1];
    if (!(period > 0)) period = 0;
    args[1] = period;
  }
  const task = schedule(kindOf(api), api, ctx.trackers, repeating, undefined);
  if (repeating) {
    task.period = period;
    task.due = task.record.scheduledAt + period;
    for (let i = 0; i < task.trackers.length; i++) task.trackers[i].intervals.add(task);
  }
  args[0] = trackedCallback(args[0], ctx, task);
  let id;
  try {
    id = ReflectApply(original, thisArg, args);
  } catch (error) {
    cancel(task);
    throw error;
  }
  const table = TABLES[api];
  if (table !== undefined && task.state === STATE_SCHEDULED) {
    task.table = table;
    task.key = id;
    ReflectApply(MapPrototypeSet, table, [id, task]);
  }
  return id;
}

// ---- Promises -----------------------------------------------------------------------------

/** Marks a promise from whenIdle(), or derived from one: waiting on it is not work. */
const QUIET = ObjectFreeze({});

/**
 * What tracking knows of a promise: the task that settles it (a reaction, or fetch's request; the
 * ready edge of reactions and awaits on it), or QUIET. Kept in a private field stamped on the promise
 * (a base constructor that returns its argument lets a subclass add its fields to any object):
 * unobservable like a WeakMap entry, but a WeakMap insertion per tracked reaction cost more than
 * the rest of the reaction, mostly in the garbage collector's ephemeron work. An object that refuses
 * the field (none today) falls back to the WeakMap.
 */
class Returns {
  constructor(object) {
    return object;
  }
}
class PromiseNote extends Returns {
  #note;
  constructor(object, note) {
    super(object);
    this.#note = note;
  }
  static get(object) {
    return #note in object ? object.#note : ReflectApply(WeakMapGet, notes, [object]);
  }
  static set(object, note) {
    if (#note in object) object.#note = note;
    else {
      try {
        new PromiseNote(object, note);
      } catch {
        ReflectApply(WeakMapSet, notes, [object, note]);
      }
    }
  }
}
const notes = new WeakMapCtor();

/** The note of `value` (a task, QUIET or undefined); only objects carry one. */
function noteOf(value) {
  return (typeof value === "object" && value !== null) || typeof value === "function" ? PromiseNote.get(value) : undefined;
}

/** Reactions on `promise` become ready when `task` ends (fetch: the request operation). */
export function settledByTask(promise, task) {
  PromiseNote.set(promise, task);
}

export function markQuiet(promise) {
  PromiseNote.set(promise, QUIET);
}

/**
 * `promise.then(onFulfilled, onRejected)` in a tracked context: one task for the pair (only one of
 * them runs), ready when the reaction that settles `promise` (if it is one) has run. `adopt` and
 * `callThen` come from the promise patch (thenables returned by reactions; the original then).
 */
export function thenTracked(promise, onFulfilled, onRejected, ctx, adopt, callThen) {
  const fulfils = typeof onFulfilled === "function";
  const rejects = typeof onRejected === "function";
  if (!fulfils && !rejects) return callThen(promise, onFulfilled, onRejected);
  const note = noteOf(promise);
  if (note === QUIET) {
    const derived = callThen(promise, fulfils ? bindReaction(onFulfilled, ctx, adopt) : onFulfilled, rejects ? bindReaction(onRejected, ctx, adopt) : onRejected);
    markQuiet(derived);
    return derived;
  }
  const ready = note !== undefined && note.state !== STATE_DONE && note.state !== STATE_CANCELLED ? note : null;
  const task = schedule("promise-reaction", "then", ctx.trackers, false, undefined, running, ready);
  const fulfilled = fulfils ? bindReactionTask(onFulfilled, ctx, adopt, task) : onFulfilled;
  const rejected = rejects ? bindReactionTask(onRejected, ctx, adopt, task) : onRejected;
  let derived;
  try {
    derived = callThen(promise, fulfilled, rejected);
  } catch (error) {
    cancel(task); // not a promise: nothing was registered
    throw error;
  }
  collectLater(fulfils ? fulfilled : rejected, task);
  PromiseNote.set(derived, task);
  return derived;
}

/**
 * Around one run of a reaction task (context.js bindReactionTask): runTask's bracket, split in two
 * so the reaction's closure needs no arguments array. `reactionBegin` returns what to hand
 * `reactionEnd`: the previously running task, or NOT_RUN when the task is not runnable (only one
 * of a then's two handlers ever runs, and it runs once).
 */
const NOT_RUN = ObjectFreeze({});
function reactionBegin(task) {
  if (task.state !== STATE_SCHEDULED) return NOT_RUN;
  start(task);
  const previous = running;
  running = task;
  notify(task, BEFORE);
  return previous;
}

function reactionEnd(task, previous) {
  if (previous === NOT_RUN) return;
  notify(task, AFTER);
  running = previous;
  finish(task, STATE_DONE);
}

function start(task) {
  task.state = task.record.state = STATE_RUNNING;
  task.record.runs++;
}

/**
 * Registers `callback` with the `collected` backstop, lazily: most reactions run within the
 * microtask checkpoint they were created in, so registering every one (a FinalizationRegistry
 * registration costs more than the rest of a tracked reaction) is put off to a macrotask, which
 * registers only the tasks still waiting. Until then the list holds the callbacks strongly, for
 * at most one task of the event loop.
 */
const unregistered = [];
/** Entries (two slots each) after which the list is flushed at once: a long run of microtasks
 * (a loop of reactions with no macrotask in between) must not grow it without bound. */
const UNREGISTERED_LIMIT = 2 * 4096;
let flushQueued = false;
function collectLater(callback, task) {
  const n = unregistered.length;
  if (!flushQueued) {
    flushQueued = true;
    runEmpty(setTimeoutOriginal, globalThis, [flushUnregistered, 0]);
  } else if (n >= UNREGISTERED_LIMIT) registerWaiting();
  unregistered[unregistered.length] = callback;
  unregistered[unregistered.length] = task;
}

function flushUnregistered() {
  flushQueued = false;
  registerWaiting();
}

function registerWaiting() {
  for (let i = 0; i < unregistered.length; i += 2) {
    const task = unregistered[i + 1];
    if (task.state === STATE_SCHEDULED) ReflectApply(FinalizationRegistryRegister, collected, [unregistered[i], task]);
  }
  unregistered.length = 0;
}

// ---- Await continuations (code rewritten by the await transform) --------------------------

/**
 * What tracking knows of one tracked async function or generator invocation (its Suspension
 * state, context.js): the task of the suspension it waits in, or the task its resumed code runs as.
 */
class Suspended {
  constructor() {
    /** The task scheduled at the last suspension, until resumption starts it. */
    this.task = null;
    /** The task the resumed code runs as, until the next suspension or the end of the body. */
    this.segment = null;
    /** The task that was running when the segment started (a generator's next() caller, or none). */
    this.outer = null;
  }
}

/** Suspension state -> Suspended; only states of tracked contexts are ever added. */
const suspensions = new WeakMapCtor();
/** A state that can no longer resume (its frame was collected) cancels the task it waited in. */
const abandoned = new FinalizationRegistryCtor((record) => {
  if (record.task !== null) cancel(record.task);
});
const PromisePrototype = PromiseCtor.prototype;

/**
 * `await v` / `yield v` in a tracked invocation (Suspension.suspend, while its own context is
 * current): the code after it becomes a task of its own, linked to the code that ran before it (the
 * previous segment, or the caller's task for the first await), ready when the reaction or fetch that
 * settles `v` is done, if that is known. It keeps its trackers busy while `v` is a native promise
 * that has not settled (a reaction sees the settlement, host promises included), since the engine
 * resumes the function right after; a plain value or a generator's `yield` waiting for its consumer
 * does not.
 */
function suspended(state, value) {
  let record = ReflectApply(WeakMapGet, suspensions, [state]);
  if (record === undefined) {
    record = new Suspended();
    ReflectApply(WeakMapSet, suspensions, [state, record]);
    ReflectApply(FinalizationRegistryRegister, abandoned, [state, record]);
  }
  const note = noteOf(value);
  const ready = note !== undefined && note !== QUIET && note.state !== STATE_DONE && note.state !== STATE_CANCELLED ? note : null;
  const task = schedule("await", "await", currentTrackers(), false, undefined, running, ready);
  record.task = task;
  // Awaiting whenIdle() (QUIET) is not work, as for its reactions.
  if (note !== QUIET && typeof value === "object" && value !== null && ObjectGetPrototypeOf(value) === PromisePrototype) {
    const settled = () => settle(task);
    ReflectApply(PromisePrototypeThen, value, [settled, settled]);
  } else settle(task);
  if (record.segment !== null) endSegment(record);
}

/** The awaited value settled: the task no longer counts as outstanding work (it may still run). */
function settle(task) {
  for (let i = 0; i < task.trackers.length; i++) {
    const t = task.trackers[i];
    if (t.pending.delete(task)) checkIdle(t);
  }
}

/** Suspension.resume of a tracked invocation: the task of its last suspension starts running. */
function resumed(state) {
  const record = ReflectApply(WeakMapGet, suspensions, [state]);
  if (record === undefined || record.task === null) return; // a generator's first run
  const task = record.task;
  record.task = null;
  if (task.state !== STATE_SCHEDULED) return;
  task.state = task.record.state = STATE_RUNNING;
  task.record.runs++;
  record.segment = task;
  record.outer = running;
  running = task;
  notify(task, BEFORE);
}

/** Suspension.exit of a tracked invocation: the body is over. */
function exited(state) {
  const record = ReflectApply(WeakMapGet, suspensions, [state]);
  if (record === undefined) return;
  if (record.task !== null) {
    // Ended by a rejected await with no catch around it: that continuation runs no code of ours.
    resumed(state);
  }
  if (record.segment !== null) endSegment(record);
}

function endSegment(record) {
  const task = record.segment;
  notify(task, AFTER);
  running = record.outer;
  record.segment = record.outer = null;
  finish(task, STATE_DONE);
}

// ---- AsyncTask (libraries with their own scheduling) ---------------------------------------

/**
 * `new AsyncTask(name)` in a tracked context: a repeating task (kind "custom", detail `name`)
 * that is outstanding work from its creation until it first runs (the library promised to run it)
 * and afterwards only while a run is on the stack. Collected unrun, it is cancelled.
 */
export function scheduleCustom(owner, name, trackers) {
  const task = schedule("custom", "AsyncTask", trackers, true, name);
  task.due = Infinity; // never "due": between runs it keeps nobody busy
  for (let i = 0; i < trackers.length; i++) {
    trackers[i].pending.add(task);
    trackers[i].intervals.add(task);
  }
  ReflectApply(FinalizationRegistryRegister, collected, [owner, task]);
  return task;
}

/** task.runInAsyncScope(fn, thisArg, ...args): one run of the task, in context `ctx`. */
export function runCustom(task, ctx, fn, thisArg, args) {
  if (task.record.runs === 0) {
    for (let i = 0; i < task.trackers.length; i++) task.trackers[i].pending.delete(task);
  }
  return runTask(task, runIn, undefined, [ctx, fn, thisArg, args]);
}

/** task.dispose(): done if it ever ran (after the current run, if inside one), else cancelled. */
export function endCustom(task) {
  if (task.record.runs === 0) return cancel(task);
  if (task.state === STATE_RUNNING) task.endRequested = true;
  else if (task.state === STATE_SCHEDULED) finish(task, STATE_DONE);
}

// ---- Events and operations ----------------------------------------------------------------

/**
 * An operation whose completion fires events (xhr.send(), reader.readAsText(), img.src = …,
 * fetch()): pending from the call until its final event has been dispatched (or it is
 * superseded, or its target is collected).
 */
export function scheduleOperation(kind, api, trackers, detail) {
  return schedule(kind, api, trackers, false, detail);
}

/** The operation's final event is being dispatched: its run starts. */
export function operationStarted(task) {
  if (task.state !== STATE_SCHEDULED) return;
  task.state = task.record.state = STATE_RUNNING;
  task.record.runs++;
  notify(task, BEFORE);
}

/** The final event's dispatch is over. */
export function operationEnded(task) {
  if (task.state === STATE_SCHEDULED) operationStarted(task);
  if (task.state !== STATE_RUNNING) return;
  notify(task, AFTER);
  finish(task, STATE_DONE);
}

const operationTargets = new FinalizationRegistryCtor((task) => cancel(task));
const ObjectPrototypeToString = Object.prototype.toString;
const OPERATION_KINDS = { __proto__: null, XMLHttpRequest: "xhr", FileReader: "file-reader", HTMLVideoElement: "media", HTMLAudioElement: "media" };

/**
 * An operation on event target `target` (causes.js), named after its class (XMLHttpRequest,
 * HTMLImageElement, IDBRequest, ...); `kind` overrides the kind derived from it. The task is
 * cancelled if `target` is collected before the operation ended (an image that never loaded).
 */
export function scheduleOperationOn(target, kind, trackers) {
  const api = ReflectApply(ObjectPrototypeToString, target, []).slice(8, -1);
  kind = kind ?? OPERATION_KINDS[api] ?? (api.startsWith("IDB") ? "indexeddb" : "resource");
  const task = scheduleOperation(kind, api, trackers, undefined);
  ReflectApply(FinalizationRegistryRegister, operationTargets, [target, task]);
  return task;
}

/**
 * Runs one dispatch of an event to a listener as a task: scheduled as the dispatch reaches the
 * listener, linked to the operation that caused it (or to the running task for a dispatch from
 * JS), and done when the listener returns.
 */
function runListener(ctx, target, event, invoke, args) {
  // window.onerror(message, …) is the one listener called without an event.
  const type = target === undefined ? "error" : eventType(event);
  const cause = causeTaskOf(target);
  const parent = cause !== undefined && cause.state !== STATE_DONE && cause.state !== STATE_CANCELLED ? cause : running;
  const task = schedule("event-listener", "addEventListener", ctx.trackers, false, type, parent);
  return runTask(task, runIn, undefined, [ctx, invoke, undefined, args]);
}

const eventTypeGetter = typeof Event === "function" ? Object.getOwnPropertyDescriptor(Event.prototype, "type").get : undefined;
function eventType(event) {
  return ReflectApply(eventTypeGetter, event, []);
}

// ---- The synchronous root and labels ----------------------------------------------------

/** Tracker.prototype.run's body: a task of its own, so that what it schedules has a parent. */
export function runRoot(trackers, fn, args) {
  const task = schedule("run", "run", trackers, false, undefined);
  return runTask(task, fn, undefined, args);
}

export function runLabelled(label, fn, args) {
  const previous = currentLabel;
  currentLabel = label;
  try {
    return ReflectApply(fn, undefined, args);
  } finally {
    currentLabel = previous;
  }
}

// ---- The async stack ----------------------------------------------------------------------

/** What asyncStack() returns outside a tracked task: frozen like every stack it returns. */
const NO_STACK = ObjectFreeze([]);

function describe(task, repeat) {
  const r = task.record;
  return ObjectFreeze({ id: r.id, kind: r.kind, api: r.api, detail: r.detail, label: r.label, stack: r.stack, repeat, ready: null });
}

/**
 * The chain of tasks that led to the running one, innermost first: each entry's task was
 * scheduled by the next. `repeat` counts earlier tasks of the same signature folded into an entry
 * (a self-rescheduling timer); an entry of kind "elided" stands for `elided` older tasks dropped
 * to bound memory. Empty outside a tracked task.
 */
export function asyncStack(max) {
  if (running === null || running.node <= 0) return NO_STACK;
  const flat = graph.chain(running.node, max);
  if (flat === undefined) return NO_STACK;
  const out = [];
  for (let i = 0; i < flat.length; i += 4) {
    const index = flat[i];
    if (index === 0) {
      out[out.length] = ObjectFreeze({ kind: "elided", elided: flat[i + 2] });
      continue;
    }
    const entry = describe(byIndex[index], flat[i + 1]);
    const readyIndex = flat[i + 3];
    if (readyIndex !== 0) {
      const ready = byIndex[readyIndex];
      out[out.length] = ObjectFreeze({ ...entry, ready: describe(ready, 0) });
    } else out[out.length] = entry;
  }
  return ObjectFreeze(out);
}

export function liveTaskNodes() {
  return graph.liveNodes();
}

/** What the core's scheduling points call for tracked contexts (see hooks.js). */
export const trackingImplementation = ObjectFreeze({
  bindTracked,
  callTracked,
  thenTracked,
  runListener,
  scheduleOperationOn,
  operationStarted,
  operationEnded,
  cancel,
  liveTaskNodes,
  suspended,
  resumed,
  exited,
  reactionBegin,
  reactionEnd,
});
