// The benchmark's "floor": the cheapest then-patching context propagation there can be, as a cost
// bound, NOT a polyfill. Promise.prototype.then is replaced by a function that wraps each reaction
// in one closure swapping a global `current` around the call; there is no store and no
// bookkeeping, and nothing but `then` (and what is built on it: await, catch, finally) propagates.
// A context is a linked list { variable, value, parent }; `run` pushes one, `get` walks it.
(() => {
  "use strict";
  const then = Promise.prototype.then;
  let current = null;

  const wrap = (fn, ctx) =>
    typeof fn !== "function"
      ? fn
      : (value) => {
          const saved = current;
          current = ctx;
          try {
            return fn(value);
          } finally {
            current = saved;
          }
        };

  Object.defineProperty(Promise.prototype, "then", {
    value: function then_(onFulfilled, onRejected) {
      const ctx = current;
      return ctx === null ? then.call(this, onFulfilled, onRejected) : then.call(this, wrap(onFulfilled, ctx), wrap(onRejected, ctx));
    },
    writable: true,
    enumerable: false,
    configurable: true,
  });

  class Variable {
    run(value, fn) {
      const saved = current;
      current = { variable: this, value, parent: saved };
      try {
        return fn();
      } finally {
        current = saved;
      }
    }
    get() {
      for (let ctx = current; ctx !== null; ctx = ctx.parent) if (ctx.variable === this) return ctx.value;
      return undefined;
    }
  }
  globalThis.BenchFloor = { Variable };
})();
