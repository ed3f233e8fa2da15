// Causal contexts of asynchronous event dispatch (semantics.md §3): when a JS call makes the
// browser fire events later (xhr.send(), reader.readAsText(), img.src = …, new WebSocket(…), …),
// the call's context is recorded on the object, and listeners for that object's events run in it.
// A new causing call replaces the recorded context; a causing call in the empty context clears it.
// For one-shot operations the record ends with the operation: after the dispatch of its final
// event (loadend, load/error, toggle, …) it is dropped, so a long-lived object does not keep the
// context, and a later browser-originated event on it (a user toggling a <details>) runs empty.

import { ReflectApply, WeakMapCtor, WeakMapGet, WeakMapSet, uncurryThis } from "./intrinsics.js";
import { capture, isEmpty } from "./context.js";

const WeakMapDelete = WeakMap.prototype.delete;
/** target -> { context, types }: `types` undefined for all events, else the event types it covers */
const causes = new WeakMapCtor();
const hasEventTarget = typeof EventTarget === "function";
const addListener = hasEventTarget ? uncurryThis(EventTarget.prototype.addEventListener) : undefined;
const removeListener = hasEventTarget ? uncurryThis(EventTarget.prototype.removeEventListener) : undefined;
const setTimeoutOriginal = globalThis.setTimeout;

/**
 * Records the current context as the cause of `target`'s future events (only those of `types`, an
 * array, if given: an element's load does not cause a user's click on it). With `finalEvents`,
 * the record ends after the first of those events has been dispatched to `target`; `dependents`
 * are objects whose records end with it (xhr.upload: listening on it would change the request,
 * so it cannot report its own end).
 */
export function recordCause(target, types, finalEvents, dependents) {
  if (isEmpty()) {
    ReflectApply(WeakMapDelete, causes, [target]);
    if (dependents !== undefined) for (let i = 0; i < dependents.length; i++) ReflectApply(WeakMapDelete, causes, [dependents[i]]);
    return;
  }
  recordCauseIn(target, capture(), finalEvents, dependents, types);
}

/** Records `ctx` (already captured) as the cause of `target`'s future events; see recordCause. */
export function recordCauseIn(target, ctx, finalEvents, dependents, types) {
  // A fresh record object per call: ending one record must not end a newer one for the same context.
  const record = { context: ctx, types };
  ReflectApply(WeakMapSet, causes, [target, record]);
  const records = [target, record];
  if (dependents !== undefined) {
    for (let i = 0; i < dependents.length; i++) {
      const dependent = { context: ctx, types };
      ReflectApply(WeakMapSet, causes, [dependents[i], dependent]);
      records[records.length] = dependents[i];
      records[records.length] = dependent;
    }
  }
  if (finalEvents !== undefined && addListener !== undefined) endAfter(target, finalEvents, records);
}

/** After the first of `finalEvents` on `target` is fully dispatched, drops `records` still current. */
function endAfter(target, finalEvents, records) {
  const end = () => {
    for (let i = 0; i < finalEvents.length; i++) removeListener(target, finalEvents[i], end, true);
    // After the whole dispatch: every listener of this event still sees the cause.
    ReflectApply(setTimeoutOriginal, globalThis, [
      () => {
        for (let i = 0; i < records.length; i += 2) {
          if (ReflectApply(WeakMapGet, causes, [records[i]]) === records[i + 1]) ReflectApply(WeakMapDelete, causes, [records[i]]);
        }
      },
      0,
    ]);
  };
  // Capture phase: at the target it runs before the page's bubble-phase listeners, so one that
  // stops immediate propagation does not keep the record alive.
  for (let i = 0; i < finalEvents.length; i++) addListener(target, finalEvents[i], end, true);
}

/** The recorded causal context for an event of `type()` on `target`, or undefined. */
export function causeOf(target, type) {
  const record = ReflectApply(WeakMapGet, causes, [target]);
  if (record === undefined) return undefined;
  return record.types === undefined || includes(record.types, type()) ? record.context : undefined;
}

/** Array membership without Array.prototype.includes (page code may replace it). */
function includes(array, value) {
  for (let i = 0; i < array.length; i++) if (array[i] === value) return true;
  return false;
}

/** Ends `target`'s record now (a call that stops all further events: EventSource.close()). */
export function endCause(target) {
  ReflectApply(WeakMapDelete, causes, [target]);
}
