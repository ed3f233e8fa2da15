// Promises (semantics.md §2):
// - a reaction (then/catch/finally all reach Promise.prototype.then) runs in the context of the
//   then call;
// - when a promise is resolved with a thenable, the thenable's `then` runs in the context of the
//   resolve: covered for thenables returned from a reaction (resolved inside the reaction's
//   context), for Promise.resolve(thenable) and for Promise.withResolvers()'s resolve. A `resolve`
//   handed to an executor cannot be intercepted without replacing the global Promise constructor
//   (which would change Promise.resolve(p) === p and p.constructor === Promise for every page);
//   those thenables are called in the empty context;
// - rejections are noted where they happen for unhandledrejection (errors.js): a reaction that
//   throws, Promise.reject, withResolvers()'s reject. An executor's reject or throw is not seen,
//   for the same reason.

import { isObject, uncurryThis } from "../intrinsics.js";
import { bindReaction, capture, isEmpty, runIn } from "../context.js";
import { prepareMethod } from "../patch.js";
import { noteError } from "../errors.js";
import { tracking } from "../hooks.js";

export function preparePromise(global) {
  const Promise = global.Promise;
  let patchedThen;

  /**
   * What to resolve with instead of `value` so that a thenable's `then` is called in `ctx`.
   * Reads `then` once (the engine will not read it from `value` again); promises using the
   * patched `then` already capture the context at that call and are returned unchanged.
   */
  function adoptIn(value, ctx) {
    if (!isObject(value)) return value;
    const then = value.then;
    if (typeof then !== "function" || then === patchedThen) return value;
    return {
      __proto__: null,
      then: (resolve, reject) => runIn(ctx, then, value, [resolve, reject]),
    };
  }

  const then = prepareMethod(Promise.prototype, "then", (original) => {
    const callThen = uncurryThis(original);
    return {
      then(onFulfilled, onRejected) {
        if (!isEmpty()) {
          const ctx = capture();
          if (ctx.trackers !== null) return tracking.thenTracked(this, onFulfilled, onRejected, ctx, adoptIn, callThen);
          if (typeof onFulfilled === "function") onFulfilled = bindReaction(onFulfilled, ctx, adoptIn);
          if (typeof onRejected === "function") onRejected = bindReaction(onRejected, ctx, adoptIn);
        }
        return callThen(this, onFulfilled, onRejected);
      },
    }.then;
  });
  patchedThen = then && then.replacement;

  const resolve = prepareMethod(Promise, "resolve", (original) => {
    const callResolve = uncurryThis(original);
    return {
      resolve(value) {
        if (!isEmpty()) {
          try {
            value = adoptIn(value, capture());
          } catch (error) {
            // Natively a throwing `then` getter rejects the new promise instead of throwing.
            return new this((_, reject) => reject(error));
          }
        }
        return callResolve(this, value);
      },
    }.resolve;
  });

  // Promise.reject(reason) rejects in the current context: unhandledrejection listeners run there.
  const reject = prepareMethod(Promise, "reject", (original) => {
    const callReject = uncurryThis(original);
    return {
      reject(reason) {
        if (!isEmpty()) noteError(reason, capture(), true);
        return callReject(this, reason);
      },
    }.reject;
  });

  // Promise.withResolvers(): its resolve and reject follow the rules above at the time they are
  // called (a thenable's `then` in the resolve call's context; a rejection noted where it happens).
  const withResolvers = prepareMethod(Promise, "withResolvers", (original) => {
    const callWithResolvers = uncurryThis(original);
    return {
      withResolvers() {
        const record = callWithResolvers(this);
        const { resolve: settle, reject: fail } = record;
        record.resolve = (value) => settle(isEmpty() ? value : adoptInOrReject(value, fail));
        record.reject = (reason) => {
          if (!isEmpty()) noteError(reason, capture(), true);
          fail(reason);
        };
        return record;
      },
    }.withResolvers;
  });

  /** adoptIn for a resolve function: a throwing `then` getter rejects, as natively. */
  function adoptInOrReject(value, fail) {
    try {
      return adoptIn(value, capture());
    } catch (error) {
      fail(error);
      return undefined;
    }
  }

  return [then, resolve, reject, withResolvers];
}
