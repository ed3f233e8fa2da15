// TypeScript declarations for asynccontext, a browser polyfill of the TC39 AsyncContext proposal.
//
// Three ways to get these types:
//   import "asynccontext";                          // side-effect import: declares the global
//   import { AsyncContext } from "asynccontext";    // the active implementation, as a value
//   /// <reference types="asynccontext" />           // classic <script src=".../asynccontext.global.js">
//
// Declaring the global does not mean this polyfill is the one running: if the page already had an
// AsyncContext (native or another copy), that one is kept; see `implementation`.

declare global {
  namespace AsyncContext {
    /** Options of `new AsyncContext.Variable(options)`. */
    interface VariableOptions<T> {
      /** Debugging name, readable as `variable.name`. Converted with `String(name)`. */
      name?: string;
      /** What `get()` returns in a context that has no value for this variable. */
      defaultValue?: T;
    }

    /**
     * A value that follows the logical flow of execution: `run(value, fn)` makes `get()` return
     * `value` inside `fn` and in every callback scheduled from it (promise reactions, timers,
     * microtasks, animation frames, ...), while concurrent flows keep their own values.
     *
     * Without a `defaultValue`, `get()` returns `undefined` outside any `run`: include
     * `undefined` in `T` in that case (`new AsyncContext.Variable<string | undefined>()`).
     */
    class Variable<T> {
      constructor(options?: VariableOptions<T>);
      /** The `name` option, or `""`. */
      readonly name: string;
      /** The value bound in the current context, else the default value. */
      get(): T;
      /**
       * Calls `fn(...args)` with this variable bound to `value`, restores the previous context on
       * return and on throw, and returns what `fn` returned.
       */
      run<R, A extends unknown[]>(value: T, fn: (...args: A) => R, ...args: A): R;
      readonly [Symbol.toStringTag]: "AsyncContext.Variable";
    }

    /** The current context (the values of every variable), captured to be restored later. */
    class Snapshot {
      /** Captures the current context. */
      constructor();
      /** Calls `fn(...args)` in the captured context and returns its result. */
      run<R, A extends unknown[]>(fn: (...args: A) => R, ...args: A): R;
      /**
       * Captures the current context now and returns a function that calls `fn` in it, with the
       * caller's `this` and arguments.
       */
      static wrap<T, A extends unknown[], R>(fn: (this: T, ...args: A) => R): (this: T, ...args: A) => R;
      readonly [Symbol.toStringTag]: "AsyncContext.Snapshot";
    }
  }
}

/**
 * The active implementation: this polyfill, or the native / earlier one it found and kept.
 * The same object as `globalThis.AsyncContext`.
 */
declare const AsyncContextExport: typeof globalThis.AsyncContext;
declare namespace AsyncContextExport {
  type VariableOptions<T> = globalThis.AsyncContext.VariableOptions<T>;
  type Variable<T> = globalThis.AsyncContext.Variable<T>;
  type Snapshot = globalThis.AsyncContext.Snapshot;
}

/**
 * Which implementation is active: `"asynccontext"` when this polyfill installed itself,
 * `"native"` when the browser has AsyncContext, `"other"` when another polyfill was there first.
 */
export declare const implementation: "asynccontext" | "native" | "other";

export { AsyncContextExport as AsyncContext };
