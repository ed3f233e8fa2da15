// ES module entry `asynccontext/opentelemetry`: a ContextManager for @opentelemetry/api built on
// AsyncContext.Variable, so OpenTelemetry's active context follows promises, timers, events,
// requests and (with the await transform) native await, without zone.js.
//
// It installs the polyfill through the same install() as `asynccontext` and `asynccontext/tracking`
// (one shared chunk in pkg/), so importing it beside either entry gives one polyfill; when another
// AsyncContext is already installed (the classic-script build, a native one), it uses that one.
// @opentelemetry/api is an optional peer dependency, imported only here (external in the build).
import { ROOT_CONTEXT, trace } from "@opentelemetry/api";
import { install } from "./install.js";
import { ObjectDefineProperty, ObjectFreeze, ReflectApply, TypeErrorCtor } from "./intrinsics.js";

const { AsyncContext } = install();
/** The await transform's runtime: the only way to enter a context without a callback (attach). */
const SUSPENSION = Symbol.for("asynccontext.suspension");

const NOOP_TOKEN = ObjectFreeze({ dispose() {} });

function isListenerTarget(value) {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof value.addEventListener === "function" &&
    typeof value.removeEventListener === "function"
  );
}

function captureFlag(options) {
  return typeof options === "boolean" ? options : typeof options === "object" && options !== null && Boolean(options.capture);
}

export class AsyncContextManager {
  /** A fresh Variable per enable() after a disable(): what was captured before cannot come back. */
  #variable = new AsyncContext.Variable({ name: "opentelemetry context" });
  #enabled = false;
  /** Objects bound by bind(context, target): the first binding wins, as with ZoneContextManager. */
  #boundTargets = new WeakSet();

  active() {
    if (!this.#enabled) return ROOT_CONTEXT;
    return this.#variable.get() || ROOT_CONTEXT;
  }

  with(context, fn, thisArg, ...args) {
    if (typeof fn !== "function") throw new TypeErrorCtor(`AsyncContextManager.with: fn must be a function (got ${typeof fn})`);
    if (!this.#enabled) return ReflectApply(fn, thisArg, args);
    // Variable.run restores the previous context on return and on throw.
    return this.#variable.run(context, ReflectApply, fn, thisArg, args);
  }

  bind(context, target) {
    if (typeof target === "function") return this.#bindFunction(context, target);
    if (isListenerTarget(target)) this.#bindListenerTarget(context, target);
    return target;
  }

  enable() {
    if (!this.#enabled) {
      this.#enabled = true;
    }
    return this;
  }

  disable() {
    if (this.#enabled) {
      this.#enabled = false;
      this.#variable = new AsyncContext.Variable({ name: "opentelemetry context" });
    }
    return this;
  }

  /**
   * Makes `context` active until `dispose()` (api 1.10). Without an enterWith in AsyncContext, this
   * enters the context through the await transform's runtime, which only this polyfill provides:
   * with a native AsyncContext it does nothing (a no-op token). See the README for its limits.
   */
  attach(context) {
    const runtime = globalThis[SUSPENSION];
    if (!this.#enabled || runtime === undefined) return NOOP_TOKEN;
    // A suspension state holds "the current context + this variable -> context"; resuming it
    // enters that context and remembers the one it replaced, which exit() puts back.
    const state = this.#variable.run(context, runtime.enter);
    runtime.resume(state);
    return ObjectFreeze({
      dispose() {
        runtime.exit(state);
      },
    });
  }

  #bindFunction(context, target) {
    const manager = this;
    // Through this.with, so that a subclass overriding with() sees bound calls too.
    const bound = function (...args) {
      return manager.with(context, target, this, ...args);
    };
    ObjectDefineProperty(bound, "length", { value: target.length, writable: false, enumerable: false, configurable: true });
    return bound;
  }

  /**
   * Listeners added through the bound object run in `context`: its own addEventListener and
   * removeEventListener are replaced, as ZoneContextManager does. One wrapper per (type, capture,
   * listener), so adding the same listener twice stays one listener, and removeEventListener
   * finds the wrapper. `handleEvent` objects are looked up at dispatch, as the DOM does.
   */
  #bindListenerTarget(context, target) {
    if (this.#boundTargets.has(target)) return;
    this.#boundTargets.add(target);
    const manager = this;
    const wrappers = new Map(); // "type capture" -> WeakMap(listener -> wrapper)
    const add = target.addEventListener;
    const remove = target.removeEventListener;
    const wrapperFor = (type, listener, options, create) => {
      const key = `${type} ${captureFlag(options)}`;
      let byListener = wrappers.get(key);
      if (byListener === undefined) {
        if (!create) return undefined;
        byListener = new WeakMap();
        wrappers.set(key, byListener);
      }
      let wrapper = byListener.get(listener);
      if (wrapper === undefined && create) {
        wrapper =
          typeof listener === "function"
            ? manager.bind(context, listener)
            : function (event) {
                return manager.with(context, callHandleEvent, undefined, listener, event);
              };
        byListener.set(listener, wrapper);
      }
      return wrapper;
    };
    target.addEventListener = function addEventListener(type, listener, options) {
      if (typeof listener !== "function" && (typeof listener !== "object" || listener === null)) {
        return ReflectApply(add, this, arguments);
      }
      return ReflectApply(add, this, [type, wrapperFor(type, listener, options, true), options]);
    };
    target.removeEventListener = function removeEventListener(type, listener, options) {
      const wrapper = listener === null || listener === undefined ? undefined : wrapperFor(type, listener, options, false);
      if (wrapper === undefined) return ReflectApply(remove, this, arguments);
      // It may also have been added unwrapped, before the bind.
      ReflectApply(remove, this, [type, listener, options]);
      return ReflectApply(remove, this, [type, wrapper, options]);
    };
  }
}

function callHandleEvent(listener, event) {
  const handleEvent = listener.handleEvent;
  if (typeof handleEvent !== "function") throw new TypeErrorCtor("handleEvent is not a function");
  return ReflectApply(handleEvent, listener, [event]);
}

const INTERACTION_SCOPE = "@opentelemetry/instrumentation-user-interaction";

function isInteractionSpan(span) {
  const scope = span.instrumentationScope ?? span.instrumentationLibrary;
  return scope !== undefined && scope.name === INTERACTION_SCOPE;
}

/**
 * AsyncContextManager that keeps interaction spans open until the work they started is idle
 * (experimental; needs the tracking build, `asynccontext/tracking`). Without zone.js the
 * user-interaction instrumentation ends a click span when the listener returns; here the span
 * processor (`manager.spanProcessor`, add it to the provider) holds that end back, the listener
 * runs inside a Tracker, and the span ends once `tracker.whenIdle()` resolves: after its timers,
 * requests, reactions and awaits, and the spans they made. An interaction span started under
 * another one (a second listener of the same event) also holds its parent open.
 */
export class IdleInteractionContextManager extends AsyncContextManager {
  #Tracker;
  /** Open interaction spans -> their record (see #hold). */
  #open = new WeakMap();
  /** Interaction spans started and not yet entered by with(). */
  #starting = new Set();
  #spanProcessor;

  constructor(options = {}) {
    super();
    const Tracker = options.Tracker ?? globalThis.AsyncContext?.experimental?.Tracker;
    if (typeof Tracker !== "function") {
      throw new TypeErrorCtor('IdleInteractionContextManager needs the tracking build: import { Tracker } from "asynccontext/tracking" and pass { Tracker }');
    }
    if (options.isInteraction !== undefined && typeof options.isInteraction !== "function") {
      throw new TypeErrorCtor("IdleInteractionContextManager: isInteraction must be a function");
    }
    this.#Tracker = Tracker;
    const isInteraction = options.isInteraction ?? isInteractionSpan;
    this.#spanProcessor = ObjectFreeze({
      onStart: (span, parentContext) => {
        if (isInteraction(span)) this.#hold(span, parentContext);
      },
      onEnd() {},
      forceFlush: () => Promise.resolve(),
      shutdown: () => Promise.resolve(),
    });
  }

  /** The SpanProcessor that reports interaction spans to this manager: add it to the provider. */
  get spanProcessor() {
    return this.#spanProcessor;
  }

  with(context, fn, thisArg, ...args) {
    if (this.#starting.size !== 0) {
      const span = trace.getSpan(context);
      if (span !== undefined && this.#starting.delete(span)) return this.#runTracked(span, context, fn, thisArg, args);
    }
    return super.with(context, fn, thisArg, ...args);
  }

  /**
   * The span's own end() (the instrumentation calls it right after the listener) only says it is
   * done; the span really ends once that happened and, if with() ran its listener, the tracked
   * work is idle and the interaction spans started under it have ended.
   */
  #hold(span, parentContext) {
    const end = span.end;
    const record = { endRequested: false, tracked: false, settled: false, waits: [], ended: undefined };
    let resolveEnded;
    record.ended = new Promise((resolve) => (resolveEnded = resolve));
    record.finish = () => {
      span.end = end;
      this.#open.delete(span);
      this.#starting.delete(span);
      if (record.endRequested) ReflectApply(end, span, []);
      resolveEnded();
    };
    span.end = function () {
      record.endRequested = true;
      if (record.settled || !record.tracked) record.finish();
    };
    const parent = parentContext === undefined ? undefined : trace.getSpan(parentContext);
    const parentRecord = parent === undefined ? undefined : this.#open.get(parent);
    if (parentRecord !== undefined) parentRecord.waits.push(record.ended);
    this.#open.set(span, record);
    this.#starting.add(span);
  }

  #runTracked(span, context, fn, thisArg, args) {
    const record = this.#open.get(span);
    record.tracked = true;
    const tracker = new this.#Tracker({ name: span.name });
    try {
      return tracker.run(() => super.with(context, fn, thisArg, ...args));
    } finally {
      const settle = () => {
        record.settled = true;
        if (record.endRequested) record.finish();
      };
      tracker
        .whenIdle()
        .then(() => Promise.all(record.waits))
        .then(settle, settle);
    }
  }
}
