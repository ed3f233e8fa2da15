// The current context and the one choke point every propagation goes through:
// capture here (a pointer copy), restore there (an assignment inside try/finally).
//
// A context is a `Context` token. Tokens are never exposed.
// - `run` makes a *pending* token: parent + (variable -> value), no store node yet. A `get` of
//   that innermost variable is answered from the token itself, so a run whose body neither
//   captures nor looks further never calls into wasm.
// - The token becomes a store node ("materialized") when something captures it or looks up
//   another variable; then its handle addresses the node and the parent link is dropped.
// - A node nobody captured is released when its run ends; a captured one (by a Snapshot, a
//   wrapped callback, a promise reaction, …) is released by a FinalizationRegistry when the last
//   holder is garbage. Capture and restore themselves never cross into wasm.
//
// Values and the weak-map rule (no code can list a context's variables, so a value whose Variable
// is gone can never be read again): a value that has a store node is kept only in its Variable's
// record (`VariableRecord.values`), which only the Variable object references. A captured token
// keeps numbers (its handle, record indexes) and never a value or a record, so once a Variable is
// unreachable, except through the values it bound, its record and those values are garbage,
// whatever contexts still bind it. Uncaptured tokens (a `run` still on the stack) keep their
// innermost value and their lookup memo directly, for the fast paths of `get`; capturing a token
// (`share`) drops those copies, once.

import {
  MapCtor,
  MapPrototypeGet,
  MapPrototypeHas,
  MapPrototypeSet,
  ObjectDefineProperty,
  FinalizationRegistryCtor,
  FinalizationRegistryRegister,
  ReflectApply,
  ErrorCtor,
  WeakRefCtor,
  WeakRefDeref,
} from "./intrinsics.js";
import { STALE } from "./store.js";
import { noteError } from "./errors.js";
import { tracking } from "./hooks.js";

/**
 * Lookup memo of a context. Never exposed, and its methods are the built-ins captured at load set
 * on its own prototype: plain (fast) method calls that later page patches of Map cannot reach.
 */
class Memo extends MapCtor {}
ObjectDefineProperty(Memo.prototype, "get", { value: MapPrototypeGet });
ObjectDefineProperty(Memo.prototype, "has", { value: MapPrototypeHas });
ObjectDefineProperty(Memo.prototype, "set", { value: MapPrototypeSet });

/**
 * What a Variable binds with (one per Variable, referenced by it and by uncaptured tokens only):
 * its store id, and the values of its bindings that have a store node. `values` stays dense: the
 * index of a freed binding is reused (`free`). `ref` lets a freed slot find its record without
 * keeping it alive.
 */
class VariableRecord {
  constructor(id) {
    this.id = id;
    this.values = [];
    this.free = [];
    this.ref = new WeakRefCtor(this);
  }
}

/** A new Variable's record for store variable id `id`. */
export function variableRecord(id) {
  return new VariableRecord(id);
}

/**
 * Per store slot: the index of its value in its Variable's record, and that record's WeakRef.
 * Numbers and weak references only (see the header: nothing global may hold a value).
 */
const slotIndex = [];
const slotOwner = [];

/** Keeps `value` for the new slot `slot` of `record`'s variable. */
function holdValue(record, slot, value) {
  const free = record.free;
  let index;
  if (free.length > 0) {
    index = free[free.length - 1];
    free.length -= 1;
  } else {
    index = record.values.length;
  }
  record.values[index] = value;
  slotIndex[slot] = index;
  slotOwner[slot] = record.ref;
}

/** Drops the value of a slot the store freed (nothing to do if its Variable is already gone). */
function freeSlot(slot) {
  const record = ReflectApply(WeakRefDeref, slotOwner[slot], []);
  slotOwner[slot] = undefined;
  if (record !== undefined) {
    const index = slotIndex[slot];
    record.values[index] = undefined;
    record.free[record.free.length] = index;
  }
}

/** `Context.handle` of a token that has no store node yet. */
const PENDING = -1;

class Context {
  constructor(parent, variable, value) {
    /** Store handle (> 0), 0 for the empty context, or PENDING. */
    this.handle = PENDING;
    /** Captured by something that may restore it later: released by the registry, not by `run`. */
    this.shared = false;
    /** Only while pending: the context this one extends. */
    this.parent = parent;
    /**
     * The innermost binding (a VariableRecord and its value), kept for the fast path of `get`.
     * Once captured (`share`): null, and `value` is the value's index in the record instead.
     */
    this.variable = variable;
    this.value = value;
    /**
     * Once captured: the innermost binding's variable id, else -1. A field of its own so that
     * every comparison in `lookup` keeps one type on each side (records, or small integers):
     * mixing them would make V8 compile `===` as a generic comparison for every context.
     */
    this.capturedId = -1;
    /**
     * The last other variable (record) looked up here and its answer (contexts never change).
     * Once captured: null.
     */
    this.memoVariable = null;
    this.memoValue = undefined;
    /**
     * Earlier answers by variable id, once more than one other variable has been looked up here.
     * Once captured: record indexes by variable id instead (-1: unbound).
     */
    this.memo = undefined;
    /**
     * The trackers (tasks.js TrackerState) whose `run` this context descends from, or null. Held
     * beside the map rather than in it: scheduling points read it on every capture.
     */
    this.trackers = parent === null ? null : parent.trackers;
  }
}

/** The empty context: every variable at its default. Handle 0 never dies. */
export const EMPTY = new Context(null, null, undefined);
EMPTY.handle = 0;
EMPTY.shared = true;

let store;
let registry;
let current = EMPTY;
/**
 * Counts entries into code run in a context. It does not change while an exception unwinds, which
 * is how errors.js tells one propagation (keep the innermost note) from a later rethrow.
 */
let entries = 0;

export function entryCount() {
  return entries;
}

export function bindStore(s) {
  store = s;
  registry = new FinalizationRegistryCtor(release);
}

function release(handle) {
  store.release(handle, freeSlot);
}

/** The value slot of a handle: its low 32 bits (ToUint32, without a float modulo). */
function slotOf(handle) {
  return handle >>> 0;
}

/** Creates the store node of a pending token (and of its pending ancestors). */
function materialize(ctx) {
  if (ctx.handle === PENDING) {
    const record = ctx.variable;
    const handle = store.derive(materialize(ctx.parent), record.id);
    if (handle < 0) throw new ErrorCtor("asynccontext: the context store is full or corrupt");
    holdValue(record, slotOf(handle), ctx.value);
    ctx.handle = handle;
    ctx.parent = null;
  }
  return ctx.handle;
}

function share(ctx) {
  const handle = materialize(ctx);
  ReflectApply(FinalizationRegistryRegister, registry, [ctx, handle]);
  ctx.shared = true;
  // The token may now outlive its run: from here on it reads its values through their records
  // (`lookup`, lookupShared), so it must keep neither a value nor a record itself.
  ctx.capturedId = ctx.variable.id;
  ctx.variable = null;
  ctx.value = slotIndex[slotOf(handle)];
  ctx.memoVariable = null;
  ctx.memoValue = undefined;
  ctx.memo = undefined;
}

/** The current context, marked as captured. */
export function capture() {
  const ctx = current;
  if (!ctx.shared) share(ctx);
  return ctx;
}

/** A captured context: `parent` plus `record -> value` (parent must be live: EMPTY or captured). */
export function captureWith(parent, record, value) {
  const ctx = new Context(parent, record, value);
  share(ctx);
  return ctx;
}

/** Whether nothing is bound: callbacks scheduled now need no wrapper (see `bind`). */
export function isEmpty() {
  return current === EMPTY;
}

/**
 * The state of one async function or generator invocation for code rewritten by the await
 * transform (see suspension.js for the protocol). It lives here, beside `current`, because its
 * operations run at every await and yield: assigning `current` directly measured 14 ns per
 * suspend/resume pair against 17 ns through a swap() exported to another module.
 * What an await costs beyond native is now mostly the two pointer stores into `current` (suspend
 * and resume): while the invocation's context object is still in V8's young generation, storing it
 * into the long-lived `current` takes the write barrier's slow path (measured: a context promoted
 * by a gc() before the await loop saves about 4–6 ns per await; storing small integers instead of
 * objects, as an experiment, left about 1–2 ns over an empty runtime).
 */
export class Suspension {
  /** The context this async function / generator runs in. */
  #context;
  /** The context of whoever resumed us last (to give back at the next suspension or at exit). */
  #resumer = undefined;
  /**
   * A new state counts as suspended: a generator's creation is a suspension point, so the body's
   * first resume() restores the creation context. (An async function starts running in its own
   * context; its first resume() is then a swap to the same context.)
   */
  #suspended = true;
  /**
   * One state that lives as long as the class, so that the hidden class (map) of states never
   * dies. V8 holds maps weakly from optimized code and from the transition tree: without a live
   * state, a full GC between two async calls collects the map, throws away the optimized code of
   * suspend/resume and of every transformed function that inlined them ("embedded weak objects
   * cleared"), and the next states get a new map that must be learned again. In the await-loop
   * benchmark (a gc() before each run) that churn doubled the time per await.
   */
  static #keepShape = new Suspension(EMPTY);

  /** Whether the context is tracked (tasks.js sees this invocation's suspensions). */
  #tracked;

  constructor(context) {
    this.#context = context;
    this.#tracked = context.trackers !== null;
  }

  static enter() {
    return new Suspension(capture());
  }

  // Task tracking (tasks.js) sees the suspensions of states whose context is tracked: in front of
  // each fast path, one boolean field read sends those to the tracked variant below.
  static suspend(state, value) {
    if (state.#tracked) return Suspension.#suspendTracked(state, value);
    if (!state.#suspended) {
      state.#suspended = true;
      // Before the first resumption the code that called us already runs in our own context.
      if (state.#resumer !== undefined) current = state.#resumer;
    }
    return value;
  }

  static resume(state, value) {
    if (state.#tracked) return Suspension.#resumeTracked(state, value);
    if (state.#suspended) {
      state.#suspended = false;
      state.#resumer = current;
      current = state.#context;
    }
    return value;
  }

  static exit(state) {
    if (state.#tracked) return Suspension.#exitTracked(state);
    // A body that ends by a rejected await with no catch is still marked suspended: its resumer's
    // context is current already.
    if (state.#suspended) state.#suspended = false;
    else if (state.#resumer !== undefined) current = state.#resumer;
    state.#resumer = undefined;
  }

  static #suspendTracked(state, value) {
    if (!state.#suspended) {
      state.#suspended = true;
      tracking.suspended(state, value); // while our own context is current
      if (state.#resumer !== undefined) current = state.#resumer;
    } else if (state.#resumer === undefined) {
      // An async function's first await (its state is created suspended).
      tracking.suspended(state, value);
    }
    return value;
  }

  static #resumeTracked(state, value) {
    if (state.#suspended) {
      state.#suspended = false;
      state.#resumer = current;
      current = state.#context;
      tracking.resumed(state);
    }
    return value;
  }

  static #exitTracked(state) {
    if (state.#suspended) state.#suspended = false;
    else if (state.#resumer !== undefined) current = state.#resumer;
    state.#resumer = undefined;
    tracking.exited(state);
  }
}

/** Calls `fn` with `thisArg` and `args` in context `ctx`, restoring the caller's context after. */
export function runIn(ctx, fn, thisArg, args) {
  const previous = current;
  current = ctx;
  entries++;
  try {
    return ReflectApply(fn, thisArg, args);
  } catch (error) {
    noteError(error, ctx);
    throw error;
  } finally {
    current = previous;
  }
}

/**
 * Returns a function that runs `callback` in the current context, keeping the caller's `this`
 * and arguments. In the empty context it returns `callback` itself: a host callback starts at
 * the top of a task or microtask, where the context is always empty, so no wrapper is needed.
 * `api` names the scheduling function (the hook point for task tracking).
 */
export function bind(callback, api) {
  const ctx = current;
  if (ctx === EMPTY) return callback;
  if (!ctx.shared) share(ctx);
  if (ctx.trackers !== null) return tracking.bindTracked(callback, api, ctx);
  return bindTo(callback, ctx);
}

/** Whether the current context is inside some tracker's `run` (tasks.js). */
export function isTracked() {
  return current.trackers !== null;
}

/** The trackers of the current context (null for none). */
export function currentTrackers() {
  return current.trackers;
}

/** A function that runs `callback` in `ctx` (captured), keeping `this` and arguments. */
export function bindTo(callback, ctx) {
  return function contextBound() {
    const previous = current;
    current = ctx;
    entries++;
    try {
      return ReflectApply(callback, this, arguments);
    } catch (error) {
      noteError(error, ctx);
      throw error;
    } finally {
      current = previous;
    }
  };
}

/** Like `bind` for promise reactions: one argument, `this` undefined, and `adopt` applied to the result. */
export function bindReaction(handler, ctx, adopt) {
  return (value) => {
    const previous = current;
    current = ctx;
    entries++;
    try {
      const result = handler(value);
      // Only objects and functions can be thenables.
      return (typeof result === "object" && result !== null) || typeof result === "function" ? adopt(result, ctx) : result;
    } catch (error) {
      noteError(error, ctx, true); // the derived promise is rejected in this context
      throw error;
    } finally {
      current = previous;
    }
  };
}

// ---- Variable support -------------------------------------------------------------------

function staleHandle() {
  return new ErrorCtor("asynccontext: internal error: a context was used after it was released");
}

/** Runs `fn(...args)` with `this` undefined in the current context plus `record -> value`. */
export function runWithBinding(record, value, fn, args) {
  const parent = current;
  const ctx = new Context(parent, record, value);
  current = ctx;
  entries++;
  try {
    return ReflectApply(fn, undefined, args);
  } catch (error) {
    noteError(error, capture());
    throw error;
  } finally {
    current = parent;
    if (ctx.handle !== PENDING && !ctx.shared) store.release(ctx.handle, freeSlot);
  }
}

/**
 * Like runWithBinding, for Tracker.prototype.run: the new context also lists `trackers`. The
 * binding itself (an internal variable holding the same list) gives the context its own store
 * node, so that a Snapshot taken inside keeps the trackers as it keeps variables.
 */
export function runWithTrackers(record, trackers, fn, args) {
  const parent = current;
  const ctx = new Context(parent, record, trackers);
  ctx.trackers = trackers;
  current = ctx;
  entries++;
  try {
    return fn(args);
  } catch (error) {
    noteError(error, capture());
    throw error;
  } finally {
    current = parent;
    if (ctx.handle !== PENDING && !ctx.shared) store.release(ctx.handle, freeSlot);
  }
}

/**
 * bindReaction for a tracked reaction (tasks.js thenTracked): the same closure also runs it as
 * `task` (tracking.reactionBegin/End around it), so a tracked reaction allocates one closure, not two.
 */
export function bindReactionTask(handler, ctx, adopt, task) {
  return (value) => {
    const token = tracking.reactionBegin(task);
    const previous = current;
    current = ctx;
    entries++;
    try {
      const result = handler(value);
      return (typeof result === "object" && result !== null) || typeof result === "function" ? adopt(result, ctx) : result;
    } catch (error) {
      noteError(error, ctx, true);
      throw error;
    } finally {
      current = previous;
      tracking.reactionEnd(task, token);
    }
  };
}

/** Calls `fn` in the empty context (tracker hooks), without noting errors. */
export function runEmpty(fn, thisArg, args) {
  const previous = current;
  current = EMPTY;
  try {
    return ReflectApply(fn, thisArg, args);
  } finally {
    current = previous;
  }
}

/** The value bound to `record`'s variable in the current context, or `fallback`. */
export function lookup(record, fallback) {
  const ctx = current;
  if (ctx.variable === record) return ctx.value;
  // The innermost binding of a captured context (see share), as in a callback.
  if (ctx.capturedId === record.id) return record.values[ctx.value];
  if (ctx.memoVariable === record) return ctx.memoValue;
  if (ctx === EMPTY) return fallback;
  return lookupInStore(ctx, record, fallback);
}

function lookupInStore(ctx, record, fallback) {
  if (ctx.shared) return lookupShared(ctx, record, fallback);
  const id = record.id;
  let memo = ctx.memo;
  if (memo !== undefined) {
    const known = memo.get(id);
    if (known !== undefined || memo.has(id)) return known;
  }
  const slot = store.lookup(materialize(ctx), id);
  if (slot === STALE) throw staleHandle();
  const value = slot >= 0 ? record.values[slotIndex[slot]] : fallback;
  if (ctx.memoVariable === null) {
    ctx.memoVariable = record;
    ctx.memoValue = value;
  } else {
    // A second variable looked up here: from now on a Map holds every answer.
    if (memo === undefined) {
      ctx.memo = memo = new Memo();
      memo.set(ctx.memoVariable.id, ctx.memoValue);
    }
    memo.set(id, value);
  }
  return value;
}

/** `lookup` in a captured context, other than its innermost binding: record indexes, memoized by id. */
function lookupShared(ctx, record, fallback) {
  const id = record.id;
  let memo = ctx.memo;
  let index = memo === undefined ? undefined : memo.get(id);
  if (index === undefined) {
    const slot = store.lookup(ctx.handle, id);
    if (slot === STALE) throw staleHandle();
    index = slot >= 0 ? slotIndex[slot] : -1;
    if (memo === undefined) ctx.memo = memo = new Memo();
    memo.set(id, index);
  }
  return index >= 0 ? record.values[index] : fallback;
}
