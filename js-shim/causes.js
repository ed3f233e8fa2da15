// Causal contexts of asynchronous event dispatch (semantics.md §3): when a JS call makes the
// browser fire events later (xhr.send(), reader.readAsText(), img.src = …, new WebSocket(…), …),
// the call's context is recorded on the object, and listeners for that object's events run in it.
// A new causing call replaces the recorded context; a causing call in the empty context clears it.

import { ReflectApply, WeakMapCtor, WeakMapGet, WeakMapSet } from "./intrinsics.js";
import { capture, isEmpty } from "./context.js";

const WeakMapDelete = WeakMap.prototype.delete;
/** target -> context, for all of the target's events */
const causes = new WeakMapCtor();
/** target -> { type, context }, for one event type only (a Worker's "error") */
const typedCauses = new WeakMapCtor();

/** Records the current context as the cause of `target`'s future events (of `type` only, if given). */
export function recordCause(target, type) {
  const map = type === undefined ? causes : typedCauses;
  if (isEmpty()) ReflectApply(WeakMapDelete, map, [target]);
  else ReflectApply(WeakMapSet, map, [target, type === undefined ? capture() : { type, context: capture() }]);
}

/** Records `ctx` (already captured) as the cause of all of `target`'s future events. */
export function recordCauseIn(target, ctx) {
  ReflectApply(WeakMapSet, causes, [target, ctx]);
}

/** The recorded causal context for an event of `type()` on `target`, or undefined. */
export function causeOf(target, type) {
  const ctx = ReflectApply(WeakMapGet, causes, [target]);
  if (ctx !== undefined) return ctx;
  const typed = ReflectApply(WeakMapGet, typedCauses, [target]);
  return typed !== undefined && typed.type === type() ? typed.context : undefined;
}
