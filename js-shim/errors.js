// Error attribution (semantics.md §3, our design notes' rule): the `error` event for an exception
// thrown by code the polyfill ran, and `unhandledrejection` for a promise rejected inside a flow,
// run their listeners in the context where the exception was thrown / the promise rejected, so a
// page can tell which flow failed.
//
// Every place that runs code in a context notes the context of an exception passing through it.
// Within one propagation the innermost note wins (the exception meets the innermost frame first;
// no frame is entered while it unwinds); the same error thrown again later (another flow, a
// rethrow after other code ran) is noted afresh. Objects are keyed weakly; primitives are kept
// by value for two tasks (their error/unhandledrejection events fire before that).

import { ReflectApply, WeakMapCtor, WeakMapGet, WeakMapSet, MapCtor, isObject, uncurryThis } from "./intrinsics.js";
import { entryCount } from "./context.js";

const contexts = new WeakMapCtor();
const mapGet = uncurryThis(Map.prototype.get);
const mapSet = uncurryThis(Map.prototype.set);
const mapClear = uncurryThis(Map.prototype.clear);
const setTimeoutOriginal = globalThis.setTimeout;
const later = (fn) => ReflectApply(setTimeoutOriginal, globalThis, [fn, 0]);

/**
 * Primitive errors, by value. A thrown one is reported (error event) before the task ends, so it
 * is forgotten at the next task: a later, unrelated throw of the same value is not misattributed.
 * A rejection is reported from a task Chrome queues at the end of this task's microtask
 * checkpoint, possibly after a timer queued now: those are kept for two task hops.
 */
const thrown = { values: new MapCtor(), clearing: false, hops: 1 };
const rejected = { values: new MapCtor(), clearing: false, hops: 2 };


function clearAfter(store, hops) {
  later(() => (hops > 1 ? clearAfter(store, hops - 1) : ((store.clearing = false), mapClear(store.values))));
}

/**
 * Notes that `error` was thrown (or, with `rejection`, a promise rejected with it) in context
 * `ctx`. Within one propagation the first (innermost) note stands.
 */
export function noteError(error, ctx, rejection = false) {
  const entries = entryCount();
  if (isObject(error)) {
    const noted = ReflectApply(WeakMapGet, contexts, [error]);
    if (noted === undefined || noted.entries !== entries) ReflectApply(WeakMapSet, contexts, [error, { ctx, entries }]);
    return;
  }
  const store = rejection ? rejected : thrown;
  const noted = mapGet(store.values, error);
  if (noted === undefined || noted.entries !== entries) mapSet(store.values, error, { ctx, entries });
  if (!store.clearing) {
    store.clearing = true;
    clearAfter(store, store.hops);
  }
}

/** The context noted for `error` (for an unhandled rejection's reason: `rejection`), or undefined. */
export function errorContext(error, rejection = false) {
  let noted;
  if (isObject(error)) noted = ReflectApply(WeakMapGet, contexts, [error]);
  else noted = (rejection && mapGet(rejected.values, error)) || mapGet(thrown.values, error);
  return noted === undefined ? undefined : noted.ctx;
}
