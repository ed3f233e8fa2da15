// AsyncContext.experimental: task trackers and the async stack. Outside the TC39 proposal.
//
//   const tracker = new AsyncContext.experimental.Tracker({ scheduled, before, after, cancelled });
//   tracker.run(fn, ...args)   tasks scheduled (transitively) inside fn are visible to the tracker;
//                              the scope propagates exactly like an AsyncContext.Variable
//   tracker.pending            the records of work still outstanding (see tasks.js isIdle)
//   tracker.whenIdle()         a promise that resolves once that list is empty
//   AsyncContext.experimental.asyncStack()          the chain of tasks that led to the running one
//   AsyncContext.experimental.label(text, fn, ...)  tasks scheduled synchronously in fn get a label
//   new AsyncContext.experimental.AsyncTask(name)   a task for a library's own scheduler:
//                                                   task.runInAsyncScope(fn, thisArg, ...args), dispose()

import { ErrorCtor, ObjectDefineProperty, ObjectFreeze, PromiseCtor, SymbolToStringTag, TypeErrorCtor, global, includes, isObject } from "./intrinsics.js";
import { capture, currentTrackers, runIn, runWithTrackers, variableRecord } from "./context.js";
import {
  AFTER,
  BEFORE,
  CANCELLED,
  SCHEDULED,
  TrackerState,
  asyncStack,
  bindGraph,
  cancelFrame,
  cancelIdle,
  cancelTimer,
  checkIdle,
  endCustom,
  markQuiet,
  pendingRecords,
  runLabelled,
  runCustom,
  runRoot,
  scheduleCustom,
  trackingImplementation,
} from "./tasks.js";
import { enableTracking, tracking } from "./hooks.js";
import { ownInstallation } from "./install.js";
import { createGraph } from "./graph-store.js";
import { prepareCancel } from "./patch.js";
import { prepareFetch } from "./patches/fetch.js";

/** Symbol.dispose where the engine has it (`using`), read at load like the other intrinsics. */
const SymbolDispose = Symbol.dispose;

/**
 * Adds tracking to this copy's installation (`installed` is what install() returned) and returns
 * `AsyncContext.experimental`. Throws if the active AsyncContext is not this copy's.
 */
export function installTracking(installed) {
  const own = ownInstallation();
  if (own === null || installed.AsyncContext !== own.AsyncContext) {
    const which = installed.implementation === "native" ? "the browser's own" : "another copy of a polyfill";
    throw new ErrorCtor(
      `asynccontext/tracking: the active AsyncContext is ${which}, so tasks cannot be tracked. Load the tracking build ` +
        "(asynccontext/tracking or asynccontext.tracking.global.js) as the page's only AsyncContext polyfill.",
    );
  }
  if (tracking !== null) return own.AsyncContext.experimental;
  bindGraph(createGraph()); // throws (CSP) before anything is patched
  const patches = [
    ...prepareFetch(global),
    prepareCancel(global, "clearTimeout", cancelTimer),
    prepareCancel(global, "clearInterval", cancelTimer),
    prepareCancel(global, "cancelAnimationFrame", cancelFrame),
    prepareCancel(global, "cancelIdleCallback", cancelIdle),
  ].filter(Boolean);
  enableTracking(trackingImplementation);
  for (const patch of patches) patch.apply();
  const experimental = createTracking(variableRecord(own.newVariableId()));
  ObjectDefineProperty(own.AsyncContext, "experimental", { value: experimental, writable: true, enumerable: false, configurable: true });
  return experimental;
}

const HOOKS = [
  ["scheduled", SCHEDULED],
  ["before", BEFORE],
  ["after", AFTER],
  ["cancelled", CANCELLED],
];
/** Longest chain asyncStack() returns (the graph itself keeps chains far shorter, see graph.rs). */
const MAX_STACK = 1024;

/** Returns the frozen `AsyncContext.experimental` namespace; `trackerVariable` (a variable record) is internal. */
function createTracking(trackerVariable) {
  class Tracker {
    #state;
    #name;

    constructor(options = undefined) {
      const hooks = [undefined, undefined, undefined, undefined];
      let name = "";
      let captureStacks = false;
      if (options !== undefined) {
        if (!isObject(options)) throw new TypeErrorCtor("AsyncContext.experimental.Tracker: options must be an object");
        for (let i = 0; i < HOOKS.length; i++) {
          const [key, index] = HOOKS[i];
          const hook = options[key];
          if (hook !== undefined && typeof hook !== "function") {
            throw new TypeErrorCtor(`AsyncContext.experimental.Tracker: options.${key} is not a function`);
          }
          hooks[index] = hook;
        }
        if (options.name !== undefined) name = `${options.name}`;
        captureStacks = !!options.captureStacks;
      }
      this.#name = name;
      this.#state = new TrackerState(this, hooks, captureStacks);
    }

    get name() {
      return this.#name;
    }

    /** Calls fn(...args) with this tracker added to the current context's trackers. */
    run(fn, ...args) {
      const state = this.#state;
      if (typeof fn !== "function") throw new TypeErrorCtor("AsyncContext.experimental.Tracker.prototype.run: argument 1 is not a function");
      const outer = currentTrackers();
      let trackers;
      if (outer === null) trackers = [state];
      else if (includes(outer, state)) trackers = outer;
      else {
        trackers = [];
        for (let i = 0; i < outer.length; i++) trackers[i] = outer[i];
        trackers[outer.length] = state;
      }
      return runWithTrackers(trackerVariable, trackers, (a) => runRoot(trackers, fn, a), args);
    }

    /** Records of the outstanding tasks: scheduled or running one-shot tasks and due intervals. */
    get pending() {
      return ObjectFreeze(pendingRecords(this.#state));
    }

    /** How many times this tracker's hooks threw (the first error is reported, the rest counted). */
    get hookErrors() {
      return this.#state.hookErrors;
    }

    /**
     * Resolves once nothing is pending in this tracker's scope (checked from a macrotask after the
     * last task finished). Waiting on it is not work: reactions to it are never pending.
     */
    whenIdle() {
      const state = this.#state;
      const promise = new PromiseCtor((resolve) => {
        state.waiters[state.waiters.length] = resolve;
      });
      markQuiet(promise);
      checkIdle(state);
      return promise;
    }
  }
  ObjectDefineProperty(Tracker.prototype, SymbolToStringTag, { value: "AsyncContext.experimental.Tracker", configurable: true });

  /**
   * For libraries with their own scheduling (a MessageChannel setImmediate, an event emitter, a
   * queue flushed in batches): created where work is scheduled, it captures the context and, in a
   * tracker's scope, is a task of kind "custom"; each runInAsyncScope runs a callback in that
   * context as that task, until dispose().
   */
  class AsyncTask {
    #context;
    #task = null;
    #disposed = false;
    #name;

    constructor(name = "") {
      this.#name = `${name}`;
      const context = capture();
      this.#context = context;
      if (context.trackers !== null) this.#task = scheduleCustom(this, this.#name, context.trackers);
    }

    get name() {
      return this.#name;
    }

    get disposed() {
      return this.#disposed;
    }

    /** Calls fn with `thisArg` and `args` in the captured context, as this task (throws once disposed). */
    runInAsyncScope(fn, thisArg = undefined, ...args) {
      if (this.#disposed) throw new TypeErrorCtor("AsyncContext.experimental.AsyncTask.prototype.runInAsyncScope: the task is disposed");
      if (typeof fn !== "function") throw new TypeErrorCtor("AsyncContext.experimental.AsyncTask.prototype.runInAsyncScope: argument 1 is not a function");
      const task = this.#task;
      if (task === null) return runIn(this.#context, fn, thisArg, args);
      return runCustom(task, this.#context, fn, thisArg, args);
    }

    /** Ends the task: no more runs. Idempotent. */
    dispose() {
      if (this.#disposed) return;
      this.#disposed = true;
      this.#context = null; // it can no longer run: the captured context is let go
      const task = this.#task;
      if (task !== null) endCustom(task);
    }
  }
  if (typeof SymbolDispose === "symbol") {
    ObjectDefineProperty(AsyncTask.prototype, SymbolDispose, { value: AsyncTask.prototype.dispose, writable: true, configurable: true });
  }
  ObjectDefineProperty(AsyncTask.prototype, SymbolToStringTag, { value: "AsyncContext.experimental.AsyncTask", configurable: true });

  return ObjectFreeze({
    Tracker,
    AsyncTask,
    /** The chain of tasks that caused the running one, innermost first ([] outside a tracked task). */
    asyncStack() {
      return asyncStack(MAX_STACK);
    },
    /** Calls fn(...args); tasks it schedules synchronously carry `label` (in records and stacks). */
    label(label, fn, ...args) {
      if (typeof fn !== "function") throw new TypeErrorCtor("AsyncContext.experimental.label: argument 2 is not a function");
      return runLabelled(`${label}`, fn, args);
    },
  });
}
