// Pure-JS reference AsyncContext, written for the benchmark only.
//
// It answers "what would a plain JavaScript implementation cost": the current context is an
// immutable Map (Variable -> value) that `run` copies with one entry changed; capture keeps a
// reference to the Map, restore assigns it back. It patches exactly two platform APIs,
// Promise.prototype.then (so catch/finally follow) and setTimeout, and nothing else.
// Like our polyfill, it does not wrap callbacks registered in the empty context.
//
// Classic script: after it runs, globalThis.AsyncContext is the reference implementation.
(function () {
  "use strict";

  const EMPTY = new Map();
  let current = EMPTY;

  function runIn(context, fn, thisArg, args) {
    const previous = current;
    current = context;
    try {
      return Reflect.apply(fn, thisArg, args);
    } finally {
      current = previous;
    }
  }

  class Variable {
    #name;
    #defaultValue;

    constructor(options) {
      let name = "";
      let defaultValue;
      if (options !== null && (typeof options === "object" || typeof options === "function")) {
        if ("name" in options) name = String(options.name);
        defaultValue = options.defaultValue;
      }
      this.#name = name;
      this.#defaultValue = defaultValue;
    }

    get name() {
      return this.#name;
    }

    get() {
      const context = current;
      return context.has(this) ? context.get(this) : this.#defaultValue;
    }

    run(value, fn, ...args) {
      const next = new Map(current);
      next.set(this, value);
      return runIn(next, fn, undefined, args);
    }
  }

  class Snapshot {
    #context = current;

    run(fn, ...args) {
      return runIn(this.#context, fn, undefined, args);
    }

    static wrap(fn) {
      if (typeof fn !== "function") throw new TypeError("Snapshot.wrap needs a function");
      const context = current;
      return function wrapped(...args) {
        return runIn(context, fn, this, args);
      };
    }
  }

  // Returns fn bound to the current context, or fn itself when there is nothing to carry.
  function capture(fn) {
    if (typeof fn !== "function" || current === EMPTY) return fn;
    const context = current;
    return function (...args) {
      return runIn(context, fn, this, args);
    };
  }

  const originalThen = Promise.prototype.then;
  Promise.prototype.then = function then(onFulfilled, onRejected) {
    return Reflect.apply(originalThen, this, [capture(onFulfilled), capture(onRejected)]);
  };

  const originalSetTimeout = globalThis.setTimeout;
  globalThis.setTimeout = function setTimeout(handler, delay, ...args) {
    return Reflect.apply(originalSetTimeout, globalThis, [capture(handler), delay, ...args]);
  };

  const AsyncContext = { Variable, Snapshot };
  Object.defineProperty(AsyncContext, Symbol.toStringTag, { value: "AsyncContext", configurable: true });
  Object.defineProperty(globalThis, "AsyncContext", {
    value: AsyncContext,
    writable: true,
    configurable: true,
    enumerable: false,
  });
})();
