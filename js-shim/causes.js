// Causal contexts of asynchronous event dispatch (semantics.md §3): when a JS call makes the
// browser fire events later (xhr.send(), reader.readAsText(), img.src = …, new WebSocket(…), …),
// the call's context is recorded on the object, and listeners for that object's events run in it.
// A new causing call replaces the recorded context; a causing call in the empty context clears it.
// For one-shot operations the record ends with the operation: after the dispatch of its final
// event (loadend, load/error, toggle, …) it is dropped, so a long-lived object does not keep the
// context, and a later browser-originated event on it (a user toggling a <details>) runs empty.

import { ReflectApply, WeakMapCtor, WeakMapGet, WeakMapSet, includes, uncurryThis } from "./intrinsics.js";
import { capture, isEmpty } from "./context.js";
import { tracking } from "./hooks.js";

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
export function recordCause(target, types, finalEvents, dependents, kind) {
  if (isEmpty()) {
    endCause(target);
    if (dependents !== undefined) for (let i = 0; i < dependents.length; i++) ReflectApply(WeakMapDelete, causes, [dependents[i]]);
    return;
  }
  recordCauseIn(target, capture(), finalEvents, dependents, types, kind);
}

/** A new causing call (or none) replaces the record: its operation, if tracked, cannot end now. */
function supersede(target) {
  const previous = ReflectApply(WeakMapGet, causes, [target]);
  if (previous !== undefined && previous.task !== undefined) tracking.cancel(previous.task);
}

/** Records `ctx` (already captured) as the cause of `target`'s future events; see recordCause. */
export function recordCauseIn(target, ctx, finalEvents, dependents, types, kind) {
  supersede(target);
  // A fresh record object per call: ending one record must not end a newer one for the same context.
  // In a tracked scope a one-shot operation is a task, pending until its final event is dispatched.
  let task;
  if (ctx.trackers !== null && finalEvents !== undefined && addListener !== undefined) {
    task = tracking.scheduleOperationOn(target, kind, ctx.trackers);
  }
  const record = { context: ctx, types, task };
  ReflectApply(WeakMapSet, causes, [target, record]);
  const records = [target, record];
  if (dependents !== undefined) {
    for (let i = 0; i < dependents.length; i++) {
      const dependent = { context: ctx, types, task };
      ReflectApply(WeakMapSet, causes, [dependents[i], dependent]);
      records[records.length] = dependents[i];
      records[records.length] = dependent;
    }
  }
  if (finalEvents !== undefined && addListener !== undefined) endAfter(target, finalEvents, records, task);
}

/** After the first of `finalEvents` on `target` is fully dispatched, drops `records` still current. */
function endAfter(target, finalEvents, records, task) {
  const end = () => {
    for (let i = 0; i < finalEvents.length; i++) removeListener(target, finalEvents[i], end, true);
    if (task !== undefined) tracking.operationStarted(task);
    // After the whole dispatch: every listener of this event still sees the cause.
    ReflectApply(setTimeoutOriginal, globalThis, [
      () => {
        if (task !== undefined) tracking.operationEnded(task);
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

/** The tracked operation (tasks.js) behind `target`'s recorded cause, if any. */
export function causeTaskOf(target) {
  if (target === undefined) return undefined;
  const record = ReflectApply(WeakMapGet, causes, [target]);
  return record === undefined ? undefined : record.task;
}

/** Ends `target`'s record now (a call that stops all further events: EventSource.close()). */
export function endCause(target) {
  supersede(target);
  ReflectApply(WeakMapDelete, causes, [target]);
}
