// TypeScript declarations for `asynccontext/opentelemetry`: a ContextManager of @opentelemetry/api
// (an optional peer dependency, >=1.0.0 <2) built on AsyncContext. Importing it installs the
// polyfill (shared with `asynccontext` and `asynccontext/tracking`).
//
//   import { AsyncContextManager } from "asynccontext/opentelemetry";
//   new WebTracerProvider({ ... }).register({ contextManager: new AsyncContextManager() });

import type { Context, ContextManager, Span } from "@opentelemetry/api";

/** The token of `attach` (the shape of api 1.10's ContextManagementToken). */
export interface AsyncContextManagementToken {
  dispose(): void;
}

export declare class AsyncContextManager implements ContextManager {
  constructor();
  /** The context of the running flow; ROOT_CONTEXT outside any `with`, and while disabled. */
  active(): Context;
  /** Calls `fn` with `thisArg` and `args` in `context`; throws TypeError if fn is not a function. */
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    context: Context | null,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F>;
  /**
   * A function: a wrapper that runs it in `context` (through `this.with`). An object with
   * addEventListener and removeEventListener: listeners added through it from now on run in
   * `context`; the object itself is returned. Anything else is returned unchanged.
   */
  bind<T>(context: Context, target: T): T;
  enable(): this;
  /** After disable(), active() is ROOT_CONTEXT; contexts captured before do not come back on enable(). */
  disable(): this;
  /**
   * Enters `context` until `dispose()`, for the synchronous code that follows and what it schedules.
   * The context does not survive an `await` of the calling function, and a token not disposed ends
   * with the callback it was attached in. A no-op with a native AsyncContext.
   */
  attach(context: Context): AsyncContextManagementToken;
}

/** A SpanProcessor as @opentelemetry/sdk-trace-base calls it (structural: no SDK types needed). */
export interface InteractionSpanProcessor {
  onStart(span: Span, parentContext: Context): void;
  onEnd(span: unknown): void;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

export interface IdleInteractionOptions {
  /** Tracker of `asynccontext/tracking`; defaults to AsyncContext.experimental.Tracker. */
  Tracker?: new (options?: { name?: string }) => {
    run<R>(fn: () => R): R;
    whenIdle(): Promise<void>;
  };
  /** Which spans to keep open; default: spans of @opentelemetry/instrumentation-user-interaction. */
  isInteraction?: (span: Span) => boolean;
}

/**
 * Experimental, needs the tracking build: interaction spans end when the work their listener
 * started is idle (Tracker.whenIdle()), not when the listener returns.
 */
export declare class IdleInteractionContextManager extends AsyncContextManager {
  constructor(options?: IdleInteractionOptions);
  /** Add it to the provider's spanProcessors. */
  readonly spanProcessor: InteractionSpanProcessor;
}
