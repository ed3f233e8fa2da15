// Runtime for code rewritten by the await/generator transform (transform/ crate). Native `await`
// and generator resumption never call back into JavaScript the shim could patch, so the
// transform brackets each suspension point with these calls instead:
//
//   enter()               at the start of an async function, or when a generator object is created:
//                         the invocation's context is the current one
//   suspend(state, v)     right before `await` / `yield`: hand the resumer its own context back
//   resume(state, v)      right after resumption, and first thing in catch/finally blocks (the throw
//                         path): restore the invocation's context; a no-op unless suspended
//   exit(state)           in a finally around the whole body: hand the last resumer its context back
//   forAwait(state, it)   the iterable of a `for await`: suspends before each implicit await
//
// A state is opaque: its fields are private, so transformed code (or anyone) cannot read a context
// out of it.

import { ObjectFreeze, PromiseCtor, ReflectApply, SymbolAsyncIterator, SymbolIterator, TypeErrorCtor, isObject } from "./intrinsics.js";
import { capture, swap } from "./context.js";

const NOBODY = undefined;

class Suspension {
  /** The context this async function / generator runs in. */
  #context;
  /** The context of whoever resumed us last (to give back at the next suspension or at exit). */
  #resumer = NOBODY;
  /**
   * A new state counts as suspended: a generator's creation is a suspension point, so the body's
   * first resume() restores the creation context. (An async function starts running in its own
   * context; its first resume() is then a swap to the same context.)
   */
  #suspended = true;

  constructor(context) {
    this.#context = context;
  }

  static enter() {
    return new Suspension(capture());
  }

  static suspend(state, value) {
    if (!state.#suspended) {
      state.#suspended = true;
      // Before the first resumption the code that called us already runs in our own context.
      if (state.#resumer !== NOBODY) swap(state.#resumer);
    }
    return value;
  }

  static resume(state, value) {
    if (state.#suspended) {
      state.#suspended = false;
      state.#resumer = swap(state.#context);
    }
    return value;
  }

  static exit(state) {
    // A body that ends by a rejected await with no catch is still marked suspended: its resumer's
    // context is current already.
    if (state.#suspended) state.#suspended = false;
    else if (state.#resumer !== NOBODY) swap(state.#resumer);
    state.#resumer = NOBODY;
  }

  /**
   * `for await (x of forAwait(state, iterable))`: the loop calls the iterator's methods in the
   * invocation's context, and each implicit await of their result counts as a suspension.
   */
  static forAwait(state, iterable) {
    if (!(state instanceof Suspension)) throw new TypeErrorCtor("asynccontext: forAwait needs a state from enter()");
    return {
      [SymbolAsyncIterator]() {
        const iterator = openAsyncIterator(iterable);
        const step = (method) =>
          function (value) {
            // The loop resumed us and already ran `resume` at the top of the body (or is starting).
            Suspension.resume(state);
            const fn = iterator[method];
            if (fn === undefined || fn === null) {
              if (method === "next") throw new TypeErrorCtor("iterator.next is not a function");
              return Suspension.suspend(state, new PromiseCtor((resolve) => resolve({ value, done: true })));
            }
            const result = ReflectApply(fn, iterator, arguments.length ? [value] : []);
            return Suspension.suspend(state, result);
          };
        // for-await only ever calls next and return.
        return { next: step("next"), return: step("return") };
      },
    };
  }
}

/** GetIterator(iterable, async): the async iterator, or the sync one lifted (values awaited). */
function openAsyncIterator(iterable) {
  const asyncMethod = iterable[SymbolAsyncIterator];
  if (asyncMethod !== undefined && asyncMethod !== null) {
    const iterator = ReflectApply(asyncMethod, iterable, []);
    if (!isObject(iterator)) throw new TypeErrorCtor("Result of the Symbol.asyncIterator method is not an object");
    return iterator;
  }
  const syncIterator = ReflectApply(iterable[SymbolIterator], iterable, []);
  if (!isObject(syncIterator)) throw new TypeErrorCtor("Result of the Symbol.iterator method is not an object");
  const lift = (method) =>
    async function (value) {
      const fn = syncIterator[method];
      if (fn === undefined || fn === null) return { value, done: true };
      const result = ReflectApply(fn, syncIterator, arguments.length ? [value] : []);
      return { value: await result.value, done: result.done };
    };
  return { next: lift("next"), return: lift("return") };
}

export const suspension = ObjectFreeze({
  enter: Suspension.enter,
  suspend: Suspension.suspend,
  resume: Suspension.resume,
  exit: Suspension.exit,
  forAwait: Suspension.forAwait,
});
