// Error attribution (semantics.md §3, our design notes' rule): the `error` event for an exception
// thrown by code the polyfill ran, and `unhandledrejection` for a promise rejected inside a flow,
// run their listeners in the context where the exception was thrown / the promise rejected, so a
// page can tell which flow failed.
//
// Every place that runs code in a context notes the context of an exception passing through it;
// the innermost note wins (an exception meets the innermost frame first). Objects are keyed
// weakly; a thrown primitive is remembered until the next one.

import { ReflectApply, WeakMapCtor, WeakMapGet, WeakMapSet, isObject } from "./intrinsics.js";

const WeakMapHas = WeakMap.prototype.has;
const contexts = new WeakMapCtor();
let lastPrimitive;
let lastPrimitiveContext;
let primitiveNoted = false;

/** Notes that `error` was thrown (or a promise rejected with it) in context `ctx`. */
export function noteError(error, ctx) {
  if (isObject(error)) {
    if (!ReflectApply(WeakMapHas, contexts, [error])) ReflectApply(WeakMapSet, contexts, [error, ctx]);
  } else if (!primitiveNoted || lastPrimitive !== error) {
    lastPrimitive = error;
    lastPrimitiveContext = ctx;
    primitiveNoted = true;
  }
}

/** The context noted for `error`, or undefined. */
export function errorContext(error) {
  if (isObject(error)) return ReflectApply(WeakMapGet, contexts, [error]);
  if (primitiveNoted && (lastPrimitive === error || (error !== error && lastPrimitive !== lastPrimitive))) {
    primitiveNoted = false;
    return lastPrimitiveContext;
  }
  return undefined;
}
