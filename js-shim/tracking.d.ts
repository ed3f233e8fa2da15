// TypeScript declarations for `asynccontext/tracking` and the global tracking build
// (asynccontext.tracking.global.js): experimental task tracking, outside the TC39 proposal.
//
//   import { Tracker, AsyncTask, asyncStack, label } from "asynccontext/tracking";   // also installs the polyfill
//   /// <reference types="asynccontext/tracking" />                        // for AsyncContext.experimental

import type { AsyncContext as AsyncContextValue } from "./asynccontext.js";

declare global {
  namespace AsyncContext {
    namespace experimental {
      /** What kind of scheduling a task is. Operations (xhr, fetch, …) are pending until their final event. */
      type TaskKind =
        | "run"
        | "promise-reaction"
        | "timeout"
        | "interval"
        | "microtask"
        | "animation-frame"
        | "idle-callback"
        | "video-frame"
        | "scheduler-task"
        | "event-listener"
        | "finalization"
        | "callback"
        | "xhr"
        | "fetch"
        | "file-reader"
        | "indexeddb"
        | "media"
        | "toggle"
        | "resource"
        | "await"
        | "custom";

      /** One scheduled callback or operation, as the hooks and `pending` see it. */
      interface TaskRecord {
        /** Unique, increasing. */
        readonly id: number;
        readonly kind: TaskKind;
        /** The scheduling API: "setTimeout", "then", "addEventListener", "XMLHttpRequest", "fetch", … */
        readonly api: string;
        /** Event type for listener tasks, URL for fetch, the name of an AsyncTask; otherwise undefined. */
        readonly detail: string | undefined;
        /** The label given by `label()` around the scheduling call, if any. */
        readonly label: string | undefined;
        /** Id of the task that was running when this one was scheduled; 0 for none. */
        readonly parentId: number;
        /** Id of the task whose completion makes this one runnable, when known and different; else 0. */
        readonly readyId: number;
        /** performance.now() at scheduling. */
        readonly scheduledAt: number;
        /** The JS stack at scheduling, when a tracker in scope has `captureStacks`. */
        readonly stack: string | undefined;
        /** Intervals, watchPosition, FinalizationRegistry: one task, many runs. */
        readonly repeating: boolean;
        readonly state: "scheduled" | "running" | "done" | "cancelled";
        /** How many times it has started running. */
        readonly runs: number;
      }

      interface TrackerOptions {
        name?: string;
        /** Record the JS stack of every scheduling call in scope (costly). */
        captureStacks?: boolean;
        scheduled?(this: Tracker, task: TaskRecord): void;
        before?(this: Tracker, task: TaskRecord): void;
        after?(this: Tracker, task: TaskRecord): void;
        cancelled?(this: Tracker, task: TaskRecord): void;
      }

      /** Sees every task scheduled (transitively) inside its `run`. */
      class Tracker {
        constructor(options?: TrackerOptions);
        readonly name: string;
        run<R, A extends unknown[]>(fn: (...args: A) => R, ...args: A): R;
        /** Outstanding work: scheduled or running one-shot tasks, and intervals whose next run is due. */
        readonly pending: readonly TaskRecord[];
        /** How many times this tracker's hooks threw (the first error is reported with reportError). */
        readonly hookErrors: number;
        /** Resolves once `pending` is empty (checked from a macrotask after the last task ends). */
        whenIdle(): Promise<void>;
        readonly [Symbol.toStringTag]: "AsyncContext.experimental.Tracker";
      }

      /**
       * A task for a library with its own scheduling (a MessageChannel setImmediate, an event emitter,
       * a batched queue): captures the current context at construction and, in a tracker's scope, is a
       * repeating task of kind "custom" (`api` "AsyncTask", `detail` the name), outstanding work until
       * its first run. At run time it also has `[Symbol.dispose]()`, the same as `dispose()`.
       */
      class AsyncTask {
        constructor(name?: string);
        readonly name: string;
        /** Whether dispose() was called: runInAsyncScope then throws a TypeError. */
        readonly disposed: boolean;
        /** Calls `fn` with `thisArg` and `args` in the captured context, as this task. */
        runInAsyncScope<R, A extends unknown[], T = undefined>(fn: (this: T, ...args: A) => R, thisArg?: T, ...args: A): R;
        /** Ends the task (idempotent). */
        dispose(): void;
        readonly [Symbol.toStringTag]: "AsyncContext.experimental.AsyncTask";
      }

      interface AsyncStackTask {
        readonly id: number;
        readonly kind: TaskKind;
        readonly api: string;
        readonly detail: string | undefined;
        readonly label: string | undefined;
        readonly stack: string | undefined;
        /** Earlier tasks of the same signature folded into this entry (a self-rescheduling timer). */
        readonly repeat: number;
        /** The task that made this one runnable, when it is not the next entry. */
        readonly ready: AsyncStackTask | null;
      }

      /** Stands for `elided` older tasks dropped to keep memory bounded. */
      interface AsyncStackElided {
        readonly kind: "elided";
        readonly elided: number;
      }

      type AsyncStackEntry = AsyncStackTask | AsyncStackElided;

      /** The running task and the tasks that scheduled it, innermost first; [] outside a tracked task. */
      function asyncStack(): readonly AsyncStackEntry[];

      /** Calls `fn(...args)`; tasks it schedules synchronously carry `label`. */
      function label<R, A extends unknown[]>(label: string, fn: (...args: A) => R, ...args: A): R;
    }
  }
}

export declare const AsyncContext: typeof AsyncContextValue;
export declare const implementation: "asynccontext" | "native" | "other";
export declare const Tracker: typeof globalThis.AsyncContext.experimental.Tracker;
export type Tracker = globalThis.AsyncContext.experimental.Tracker;
export declare const AsyncTask: typeof globalThis.AsyncContext.experimental.AsyncTask;
export type AsyncTask = globalThis.AsyncContext.experimental.AsyncTask;
export type TaskRecord = globalThis.AsyncContext.experimental.TaskRecord;
export type TrackerOptions = globalThis.AsyncContext.experimental.TrackerOptions;
export type AsyncStackEntry = globalThis.AsyncContext.experimental.AsyncStackEntry;
export declare const asyncStack: typeof globalThis.AsyncContext.experimental.asyncStack;
export declare const label: typeof globalThis.AsyncContext.experimental.label;
