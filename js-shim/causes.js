// Causal contexts of asynchronous event dispatch (semantics.md §3): when a JS call makes the
// browser fire events later (xhr.send(), reader.readAsText(), img.src = …, new WebSocket(…), …),
// the call's context is recorded on the object, and listeners for that object's events run in it.
//
// Several tasks may be in flight on one object (2026 rules): a media element loads in the context
// of its src set while a volume change reports in the context of the `volume` set. Each record
// belongs to a *channel* of its target (the task it reports on: "" unless the patch names one), and
// a new starting call replaces the record of its own channel only; a causing call in the empty
// context clears that channel. A channel's events are those of its record's `types`; when channels'
// types overlap, the newest record decides.
//
// For one-shot operations the record ends with the operation: after the dispatch of its final
// event (loadend, load/error, toggle, …) it is dropped, so a long-lived object does not keep the
// context, and a later browser-originated event on it (a user toggling a <details>) runs empty.
//
// A *queued* channel is for calls that each fire one event of their own (setSelectionRange(),
// volume = …): every call appends a capture, and every trusted event of the channel dispatched to
// the target takes the oldest one, for all its listeners (ancestors' capture and bubble ones too).

import { ReflectApply, WeakMapCtor, WeakMapGet, WeakMapSet, includes, uncurryThis } from "./intrinsics.js";
import { capture, isEmpty } from "./context.js";
import { tracking } from "./hooks.js";

const WeakMapDelete = WeakMap.prototype.delete;
/** target -> [record, …], one record per channel, oldest first. */
const causes = new WeakMapCtor();
/** event -> the queued entry it took (so every listener of one dispatch sees the same one). */
const taken = new WeakMapCtor();
const hasEventTarget = typeof EventTarget === "function";
const addListener = hasEventTarget ? uncurryThis(EventTarget.prototype.addEventListener) : undefined;
const removeListener = hasEventTarget ? uncurryThis(EventTarget.prototype.removeEventListener) : undefined;
const setTimeoutOriginal = globalThis.setTimeout;
const later = (fn) => ReflectApply(setTimeoutOriginal, globalThis, [fn, 0]);
/** The target and task of the record the last causeOf() answered from (for causeTaskOf). */
let lastTarget;
let lastTask;

function recordsOf(target) {
  return ReflectApply(WeakMapGet, causes, [target]);
}

/** Removes `record` from `target`'s list, if it is still there. */
function drop(target, record) {
  const list = recordsOf(target);
  if (list === undefined) return;
  const kept = [];
  for (let i = 0; i < list.length; i++) if (list[i] !== record) kept[kept.length] = list[i];
  if (kept.length === list.length) return;
  if (kept.length === 0) ReflectApply(WeakMapDelete, causes, [target]);
  else ReflectApply(WeakMapSet, causes, [target, kept]);
}

function channelRecord(target, channel) {
  const list = recordsOf(target);
  if (list !== undefined) for (let i = 0; i < list.length; i++) if (list[i].channel === channel) return list[i];
  return undefined;
}

/** Appends `record` (channel already vacated) to `target`'s list. */
function add(target, record) {
  const list = recordsOf(target);
  if (list === undefined) ReflectApply(WeakMapSet, causes, [target, [record]]);
  else list[list.length] = record;
}

/**
 * Records the current context as the cause of `target`'s future events (only those of `types`, an
 * array, if given: an element's load does not cause a user's click on it). With `finalEvents`,
 * the record ends after the first of those events has been dispatched to `target`; `dependents`
 * are objects whose records end with it (xhr.upload: listening on it would change the request,
 * so it cannot report its own end). `channel` names the task the record reports on (see above).
 */
export function recordCause(target, types, finalEvents, dependents, kind, channel = "") {
  if (isEmpty()) {
    endCause(target, channel);
    if (dependents !== undefined) for (let i = 0; i < dependents.length; i++) endCause(dependents[i], channel);
    return;
  }
  recordCauseIn(target, capture(), finalEvents, dependents, types, kind, channel);
}

/** A new causing call (or none) replaces the channel's record: its operation, if tracked, cannot end now. */
function supersede(target, channel) {
  const previous = channelRecord(target, channel);
  if (previous === undefined) return;
  if (previous.task !== undefined) tracking.cancel(previous.task);
  if (previous.queue !== undefined) for (let i = previous.head; i < previous.queue.length; i++) cancelEntry(previous.queue[i]);
  drop(target, previous);
}

function cancelEntry(entry) {
  if (entry.task !== undefined) tracking.cancel(entry.task);
}

/** Records `ctx` (already captured) as the cause of `target`'s future events; see recordCause. */
export function recordCauseIn(target, ctx, finalEvents, dependents, types, kind, channel = "") {
  supersede(target, channel);
  // A fresh record object per call: ending one record must not end a newer one for the same context.
  // In a tracked scope a one-shot operation is a task, pending until its final event is dispatched.
  let task;
  if (ctx.trackers !== null && finalEvents !== undefined && addListener !== undefined) {
    task = tracking.scheduleOperationOn(target, kind, ctx.trackers);
  }
  const record = { context: ctx, types, task, channel, queue: undefined, head: 0 };
  add(target, record);
  const records = [target, record];
  if (dependents !== undefined) {
    for (let i = 0; i < dependents.length; i++) {
      supersede(dependents[i], channel);
      const dependent = { context: ctx, types, task, channel, queue: undefined, head: 0 };
      add(dependents[i], dependent);
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
    later(() => {
      if (task !== undefined) tracking.operationEnded(task);
      for (let i = 0; i < records.length; i += 2) drop(records[i], records[i + 1]);
    });
  };
  // Capture phase: at the target it runs before the page's bubble-phase listeners, so one that
  // stops immediate propagation does not keep the record alive.
  for (let i = 0; i < finalEvents.length; i++) addListener(target, finalEvents[i], end, true);
}

/**
 * Appends the current context to `target`'s queued `channel` for one event of `types` (a call
 * that fires exactly one such event later). In the empty context the call's event takes an empty
 * entry, so it cannot take a later call's context.
 */
export function queueCause(target, types, channel, kind) {
  if (addListener === undefined) return;
  let record = channelRecord(target, channel);
  if (record === undefined) {
    if (isEmpty()) return; // nothing queued: the event runs empty anyway
    record = { context: undefined, types, task: undefined, channel, queue: [], head: 0 };
    add(target, record);
    const take = (event) => takeEntry(target, record, event);
    record.take = take;
    // Capture phase at the target: an event no page listener looked at still takes its entry.
    for (let i = 0; i < types.length; i++) addListener(target, types[i], take, true);
  }
  const ctx = isEmpty() ? undefined : capture();
  let task;
  if (ctx !== undefined && ctx.trackers !== null) task = tracking.scheduleOperationOn(target, kind, ctx.trackers);
  record.queue[record.queue.length] = { context: ctx, task };
}

/** The queued entry a trusted `event` of `record`'s channel takes (the same one for every listener). */
function takeEntry(target, record, event) {
  if (ReflectApply(WeakMapGet, taken, [event]) !== undefined) return undefined; // took one already
  if (event.isTrusted !== true || record.head >= record.queue.length) return undefined;
  const entry = record.queue[record.head];
  record.queue[record.head++] = undefined;
  ReflectApply(WeakMapSet, taken, [event, entry]);
  if (entry.task !== undefined) tracking.operationStarted(entry.task);
  if (record.head === record.queue.length) {
    // Drained: the channel ends once this dispatch is over (unless a call queued more meanwhile).
    for (let i = 0; i < record.types.length; i++) removeListener(target, record.types[i], record.take, true);
    drop(target, record);
  }
  if (entry.task !== undefined) later(() => tracking.operationEnded(entry.task));
  return entry;
}

/** The recorded causal context for `event` (of `type()`) on `target`, or undefined. */
export function causeOf(target, type, event) {
  lastTarget = target;
  lastTask = undefined;
  // An event that took a queued entry keeps it for all its listeners.
  const known = ReflectApply(WeakMapGet, taken, [event]);
  if (known !== undefined) return contextOf(known);
  const list = recordsOf(target);
  if (list === undefined) return undefined;
  const eventType = type();
  for (let i = list.length - 1; i >= 0; i--) {
    const record = list[i];
    if (record.types !== undefined && !includes(record.types, eventType)) continue;
    if (record.queue === undefined) return contextOf(record);
    const entry = takeEntry(target, record, event);
    if (entry !== undefined) return contextOf(entry);
  }
  return undefined;
}

function contextOf(recordOrEntry) {
  lastTask = recordOrEntry.task;
  return recordOrEntry.context;
}

/** The tracked operation (tasks.js) behind the record that answered the last causeOf for `target`. */
export function causeTaskOf(target) {
  if (target === undefined || target !== lastTarget) return undefined;
  return lastTask;
}

/** Ends `target`'s record of `channel` now (a call that stops all further events: EventSource.close()). */
export function endCause(target, channel = "") {
  supersede(target, channel);
}
