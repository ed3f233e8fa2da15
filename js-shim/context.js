// The current context and the one choke point every propagation goes through:
// capture here (a pointer copy), restore there (an assignment inside try/finally).
//
// A context is a `Context` token holding a wasm store handle. Tokens are never exposed.
// Lifetime: a token created by `run` and not captured by anything is released as soon as the
// run ends; once captured (by a Snapshot, a wrapped callback, a promise reaction, …) it is
// released by a FinalizationRegistry when the last holder is garbage. So capture and restore
// never cross into wasm.

import {
  FinalizationRegistryCtor,
  FinalizationRegistryRegister,
  ReflectApply,
  ErrorCtor,
} from "./intrinsics.js";
import { STALE } from "./store.js";

class Context {
  constructor(handle) {
    this.handle = handle;
    /** Captured by something that may restore it later: released by the registry, not by `run`. */
    this.shared = false;
  }
}

/** The empty context: every variable at its default. Handle 0 never dies. */
export const EMPTY = new Context(0);
EMPTY.shared = true;

let store;
let registry;
let current = EMPTY;

export function bindStore(s) {
  store = s;
  registry = new FinalizationRegistryCtor(store.release);
}

function share(ctx) {
  ctx.shared = true;
  ReflectApply(FinalizationRegistryRegister, registry, [ctx, ctx.handle]);
}

/** The current context, marked as captured. */
export function capture() {
  const ctx = current;
  if (!ctx.shared) share(ctx);
  return ctx;
}

/** Whether nothing is bound: callbacks scheduled now need no wrapper (see `bind`). */
export function isEmpty() {
  return current === EMPTY;
}

/** Calls `fn` with `thisArg` and `args` in context `ctx`, restoring the caller's context after. */
export function runIn(ctx, fn, thisArg, args) {
  const previous = current;
  current = ctx;
  try {
    return ReflectApply(fn, thisArg, args);
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
  return function contextBound() {
    const previous = current;
    current = ctx;
    try {
      return ReflectApply(callback, this, arguments);
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
    try {
      return adopt(handler(value), ctx);
    } finally {
      current = previous;
    }
  };
}

// ---- Variable support -------------------------------------------------------------------

function staleHandle() {
  return new ErrorCtor("asynccontext: internal error: a context was used after it was released");
}

/** Runs `fn(...args)` with `this` undefined in the current context plus `variableId -> value`. */
export function runWithBinding(variableId, value, fn, args) {
  const parent = current;
  const handle = store.derive(parent.handle, variableId);
  if (handle < 0) throw new ErrorCtor("asynccontext: the context store is full or corrupt");
  store.values[handle % 4294967296] = value;
  const ctx = new Context(handle);
  current = ctx;
  try {
    return ReflectApply(fn, undefined, args);
  } finally {
    current = parent;
    if (!ctx.shared) store.release(handle);
  }
}

/** The value bound to `variableId` in the current context, or `fallback`. */
export function lookup(variableId, fallback) {
  const ctx = current;
  if (ctx === EMPTY) return fallback;
  const slot = store.lookup(ctx.handle, variableId);
  if (slot >= 0) return store.values[slot];
  if (slot === STALE) throw staleHandle();
  return fallback;
}

