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
// out of it. The four state operations live in context.js, beside the current context.

import { ObjectFreeze, PromiseCtor, ReflectApply, SymbolAsyncIterator, SymbolIterator, TypeErrorCtor, isObject } from "./intrinsics.js";
import { Suspension } from "./context.js";

/**
 * `for await (x of forAwait(state, iterable))`: the loop calls the iterator's methods in the
 * invocation's context, and each implicit await of their result counts as a suspension.
 */
function forAwait(state, iterable) {
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
  forAwait,
});
