// Event listeners (semantics.md §3, events rows). Every listener — an addEventListener function or
// handleEvent object, or an on* handler — is called through one wrapper per listener, which picks
// the context at dispatch:
// - a dispatch while JS runs in a non-empty context, or inside dispatchEvent()/click(), is
//   synchronous: the listener keeps the dispatcher's context (nothing to do);
// - otherwise the browser dispatched it from the top of a task, where the context is empty. The
//   listener then runs in the causal context recorded on event.target by the JS call that caused
//   the event (causes.js) — for the global error/unhandledrejection events, the context the error
//   was thrown or the promise rejected in (errors.js) — else in the fallback context it was
//   registered under (captureFallbackContext, fallback.js), else in the empty context.
// One wrapper per listener keeps native de-duplication, removeEventListener, once, signal and
// passive exactly as they are; on* getters return what the page set.

import {
  ObjectDefineProperty,
  ObjectGetOwnPropertyDescriptor,
  ObjectGetOwnPropertyNames,
  ObjectGetPrototypeOf,
  ReflectApply,
  WeakMapCtor,
  WeakMapGet,
  WeakMapSet,
  MapCtor,
  includes,
  isObject,
  uncurryThis,
} from "../intrinsics.js";

import { EMPTY, isEmpty, runIn } from "../context.js";
import { causeOf } from "../causes.js";
import { tracking } from "../hooks.js";
import { errorContext } from "../errors.js";
import { activeFallback, beforeFirstFallback } from "../fallback.js";
import { prepareMethod } from "../patch.js";
import { isNativeCode, lookNative } from "../native-look.js";
import {
  CAUSED_EVENT_TYPES,
  ELEMENT_EVENT_TYPES,
  ELEMENT_HANDLER_INTERFACES,
  NODE_HANDLER_INTERFACES,
  REPORTING_HANDLER_INTERFACES,
} from "./handler-interfaces.js";

const mapGet = uncurryThis(Map.prototype.get);
const mapHas = uncurryThis(Map.prototype.has);
const mapSet = uncurryThis(Map.prototype.set);
const mapDelete = uncurryThis(Map.prototype.delete);

const NO_ARGUMENTS = [];
/** listener -> its wrapper record { wrapper, fallbacks } */
const records = new WeakMapCtor();
/** wrapper -> listener (for on* getters) */
const listeners = new WeakMapCtor();
/** > 0 while a synchronous dispatch started by JS (dispatchEvent, click) is on the stack. */
let synchronousDispatches = 0;
let globalObject;
let eventTarget;
let eventType;
let errorOf;
let reasonOf;
let ErrorEventCtor;
let RejectionEventCtor;

function targetOf(event) {
  if (!isObject(event)) return undefined;
  try {
    return eventTarget(event);
  } catch {
    return undefined; // not an Event: e.g. window.onerror's first argument is a message string
  }
}

/** For the global error/unhandledrejection events (and window.onerror): where the error arose. */
function errorEventContext(event, args) {
  if (!isObject(event)) return args.length >= 5 ? errorContext(args[4]) : undefined;
  if (event instanceof ErrorEventCtor) return errorContext(readOrUndefined(errorOf, event));
  if (event instanceof RejectionEventCtor) return errorContext(readOrUndefined(reasonOf, event), true);
  return undefined;
}

/**
 * The context for a browser-originated dispatch: the cause recorded on the target; for the global
 * error/unhandledrejection events, the context the error was thrown or the promise rejected in
 * (errors.js); rejectionhandled always runs empty.
 */
function dispatchContext(event, args) {
  const target = targetOf(event);
  // Not an event: window.onerror is called as (message, source, line, column, error).
  if (target === undefined) return errorEventContext(event, args);
  if (target === globalObject) {
    if (eventType(event) === "rejectionhandled") return EMPTY;
    const ctx = errorEventContext(event, args);
    if (ctx !== undefined) return ctx;
  }
  return causeOf(target, () => eventType(event), event);
}

function readOrUndefined(getter, event) {
  try {
    return getter(event);
  } catch {
    return undefined; // a plain Event dispatched with that type
  }
}

function invoke(listener, thisArg, args) {
  if (typeof listener === "function") return ReflectApply(listener, thisArg, args);
  // handleEvent is looked up at every dispatch, as natively, with the object as `this`.
  return ReflectApply(listener.handleEvent, listener, args);
}

function makeWrapper(listener, record) {
  return function (event) {
    let ctx;
    if (synchronousDispatches > 0 || !isEmpty()) {
      // Synchronous dispatch keeps the dispatcher's context, except for the error event of an
      // exception thrown inside it, which goes to where it was thrown.
      ctx = errorEventContext(event, arguments);
      if (ctx === undefined) return invoke(listener, this, arguments);
    } else {
      ctx = dispatchContext(event, arguments) ?? fallbackOf(record, this, event);
      if (ctx === undefined) return invoke(listener, this, arguments);
      // A browser dispatch into a tracked scope is a task of its own (a dispatch from JS is part
      // of the task that dispatches).
      if (ctx.trackers !== null) return tracking.runListener(ctx, targetOf(event), event, invoke, [listener, this, arguments]);
    }
    return runIn(ctx, invoke, undefined, [listener, this, arguments]);
  };
}

/**
 * The wrapper of `listener`: one per listener, so adding it twice to a target registers it once,
 * as natively. A registration under captureFallbackContext records its fallback context for that
 * (target, type): the first registration that the platform keeps decides, and removal clears it.
 */
function wrapperFor(listener, target, type) {
  let record = ReflectApply(WeakMapGet, records, [listener]);
  if (record === undefined) {
    record = { wrapper: undefined, fallbacks: undefined };
    record.wrapper = makeWrapper(listener, record);
    ReflectApply(WeakMapSet, records, [listener, record]);
    ReflectApply(WeakMapSet, listeners, [record.wrapper, listener]);
  }
  const fallback = activeFallback();
  if (fallback !== undefined || record.fallbacks !== undefined) noteRegistration(record, target, `${type}`, fallback);
  return record.wrapper;
}

/** target -> Map(type -> fallback or NO_FALLBACK), per listener record. */
const NO_FALLBACK = {};

function noteRegistration(record, target, type, fallback) {
  if (!isObject(target)) return;
  if (record.fallbacks === undefined) record.fallbacks = new WeakMapCtor();
  let byType = ReflectApply(WeakMapGet, record.fallbacks, [target]);
  if (byType === undefined) ReflectApply(WeakMapSet, record.fallbacks, [target, (byType = new MapCtor())]);
  if (!mapHas(byType, type)) mapSet(byType, type, fallback === undefined ? NO_FALLBACK : fallback);
}

function forgetRegistration(record, target, type) {
  if (record.fallbacks === undefined || !isObject(target)) return;
  const byType = ReflectApply(WeakMapGet, record.fallbacks, [target]);
  if (byType !== undefined) mapDelete(byType, `${type}`);
}

function fallbackOf(record, currentTarget, event) {
  if (record.fallbacks === undefined) return undefined;
  const byType = ReflectApply(WeakMapGet, record.fallbacks, [currentTarget]);
  if (byType === undefined) return undefined;
  const fallback = mapGet(byType, eventType(event));
  return fallback === NO_FALLBACK ? undefined : fallback;
}

function isListener(value) {
  return typeof value === "function" || (typeof value === "object" && value !== null);
}

function prepareListenerMethods(EventTargetPrototype) {
  const add = prepareMethod(EventTargetPrototype, "addEventListener", (original) => {
    const callAdd = uncurryThis(original);
    return {
      addEventListener(type, listener, options) {
        if (!isListener(listener)) return ReflectApply(original, this, arguments);
        return callAdd(this, type, wrapperFor(listener, this, type), options);
      },
    }.addEventListener;
  });
  const remove = prepareMethod(EventTargetPrototype, "removeEventListener", (original) => {
    const callRemove = uncurryThis(original);
    return {
      removeEventListener(type, listener, options) {
        const record = isListener(listener) ? ReflectApply(WeakMapGet, records, [listener]) : undefined;
        if (record === undefined) return ReflectApply(original, this, arguments);
        // The listener may also have been added unwrapped, before the polyfill was installed.
        callRemove(this, type, listener, options);
        forgetRegistration(record, this, type);
        return callRemove(this, type, record.wrapper, options);
      },
    }.removeEventListener;
  });
  return [add, remove];
}

/**
 * Methods that fire events synchronously: their listeners keep the caller's context even when it
 * is empty (and a cause recorded on the target by an earlier call does not apply).
 */
const SYNCHRONOUS_DISPATCHERS = [
  ["EventTarget", ["dispatchEvent"]],
  ["HTMLElement", ["click", "focus", "blur"]],
  ["SVGElement", ["focus", "blur"]],
  ["HTMLFormElement", ["reset", "requestSubmit"]],
  ["AbortController", ["abort"]],
  ["XMLHttpRequest", ["abort", "open"]],
  ["FileReader", ["abort"]],
];

/** A method that dispatches synchronously (see SYNCHRONOUS_DISPATCHERS). */
function prepareSynchronous(target, key) {
  return prepareMethod(target, key, (original) => ({
    [key]() {
      synchronousDispatches++;
      try {
        return ReflectApply(original, this, arguments);
      } finally {
        synchronousDispatches--;
      }
    },
  })[key]);
}

/**
 * Replaces an on* accessor: the setter wraps functions, the getter returns what was set. About 250
 * of these are made at install (and ~600 more before the first fallback context), so each costs one
 * object literal (the accessors get their native names, "get onclick", from it) and one descriptor
 * read; the originals are called through ReflectApply rather than one bound function each.
 */
function prepareHandlerProperty(owner, key, descriptor) {
  const type = stringSlice(key, 2);
  const getOriginal = descriptor.get;
  const setOriginal = descriptor.set;
  const accessors = ObjectGetOwnPropertyDescriptor(
    {
      get [key]() {
        const handler = ReflectApply(getOriginal, this, NO_ARGUMENTS);
        return (typeof handler === "function" && ReflectApply(WeakMapGet, listeners, [handler])) || handler;
      },
      set [key](value) {
        ReflectApply(setOriginal, this, [typeof value === "function" ? wrapperFor(value, this, type) : value]);
      },
    },
    key,
  );
  lookNative(accessors.get, `get ${key}`);
  lookNative(accessors.set, `set ${key}`);
  accessors.enumerable = descriptor.enumerable;
  return { apply: () => ObjectDefineProperty(owner, key, accessors) };
}

// The lists below may also run after page scripts (before the first fallback context): indexed
// loops and captured built-ins only, so a patched array iterator or String method cannot interfere.
const stringSlice = uncurryThis(String.prototype.slice);

/**
 * `owners` plus the prototypes of the named EventTarget interfaces the platform has, except those
 * in `skip`; `nativeOnly` keeps only built-in constructors (the walk below meets page classes too).
 */
function handlerOwners(global, EventTargetPrototype, names, owners, skip = owners, nativeOnly = false) {
  for (let i = 0; i < names.length; i++) {
    try {
      const descriptor = ObjectGetOwnPropertyDescriptor(global, names[i]);
      const ctor = descriptor && descriptor.value;
      if (typeof ctor !== "function" || (nativeOnly && !isNativeCode(ctor))) continue;
      const proto = ctor.prototype;
      if (!isObject(proto) || includes(skip, proto) || includes(owners, proto)) continue;
      for (let p = ObjectGetPrototypeOf(proto); p !== null; p = ObjectGetPrototypeOf(p)) {
        if (p === EventTargetPrototype) {
          owners[owners.length] = proto;
          break;
        }
      }
    } catch {
      // A page's global (a proxy, say) that throws when looked at is not an interface.
    }
  }
  return owners;
}

/** Every capitalized own name of the global: where interface objects live. */
function interfaceNames(global) {
  const names = ObjectGetOwnPropertyNames(global);
  const capitalized = [];
  for (let i = 0; i < names.length; i++) {
    const first = names[i].charCodeAt(0);
    if (first >= 65 && first <= 90) capitalized[capitalized.length] = names[i];
  }
  return capitalized;
}

/** Appends to `patches` the on* accessors of `owners` whose event type `wanted(type)` accepts. */
function prepareHandlerProperties(owners, wanted, patches) {
  for (let i = 0; i < owners.length; i++) {
    const owner = owners[i];
    const keys = ObjectGetOwnPropertyNames(owner);
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k];
      if (key.length >= 3 && key[0] === "o" && key[1] === "n" && wanted(stringSlice(key, 2))) prepareIfHandler(owner, key, patches);
    }
  }
  return patches;
}

/** The on* accessors of `owners` for `types`, looked up by name (cheaper than listing each owner's keys). */
function prepareHandlersOf(owners, types, patches) {
  for (let i = 0; i < owners.length; i++) {
    for (let k = 0; k < types.length; k++) prepareIfHandler(owners[i], `on${types[k]}`, patches);
  }
  return patches;
}

/** Appends the patch of `owner`'s own `key` if it is a replaceable event handler accessor. */
function prepareIfHandler(owner, key, patches) {
  const descriptor = ObjectGetOwnPropertyDescriptor(owner, key);
  if (descriptor && descriptor.get && descriptor.set && descriptor.configurable) {
    patches[patches.length] = prepareHandlerProperty(owner, key, descriptor);
  }
}

const notCausedAtNodes = (type) => !includes(CAUSED_EVENT_TYPES, type);
const notCausedAtElements = (type) => notCausedAtNodes(type) && !includes(ELEMENT_EVENT_TYPES, type);
const anyType = () => true;

export function prepareEvents(global) {
  const EventTarget = global.EventTarget;
  const Event = global.Event;
  if (typeof EventTarget !== "function" || typeof Event !== "function") return [];
  eventTarget = uncurryThis(ObjectGetOwnPropertyDescriptor(Event.prototype, "target").get);
  eventType = uncurryThis(ObjectGetOwnPropertyDescriptor(Event.prototype, "type").get);
  globalObject = global;
  const getter = (ctor, key) => {
    const descriptor = typeof ctor === "function" && ObjectGetOwnPropertyDescriptor(ctor.prototype, key);
    return descriptor && descriptor.get ? uncurryThis(descriptor.get) : () => undefined;
  };
  errorOf = getter(global.ErrorEvent, "error");
  reasonOf = getter(global.PromiseRejectionEvent, "reason");
  // Placeholder classes where the platform lacks one: nothing is an instance of them.
  ErrorEventCtor = typeof global.ErrorEvent === "function" ? global.ErrorEvent : class {};
  RejectionEventCtor = typeof global.PromiseRejectionEvent === "function" ? global.PromiseRejectionEvent : class {};
  const synchronous = [];
  for (const [name, keys] of SYNCHRONOUS_DISPATCHERS) {
    const proto = name === "EventTarget" ? EventTarget.prototype : global[name] && global[name].prototype;
    if (proto) for (const key of keys) synchronous.push(prepareSynchronous(proto, key));
  }
  // The handlers only a fallback context can need are patched before its first use (handler-interfaces.js).
  const nodeOwners = handlerOwners(global, EventTarget.prototype, NODE_HANDLER_INTERFACES, [global]);
  const elementOwners = handlerOwners(global, EventTarget.prototype, ELEMENT_HANDLER_INTERFACES, []);
  const reportingOwners = handlerOwners(global, EventTarget.prototype, REPORTING_HANDLER_INTERFACES, []);
  beforeFirstFallback(() => {
    const patches = prepareHandlerProperties(nodeOwners, notCausedAtNodes, []);
    prepareHandlerProperties(elementOwners, notCausedAtElements, patches);
    const lists = [nodeOwners, elementOwners, reportingOwners];
    const known = [];
    for (let l = 0; l < lists.length; l++) for (let i = 0; i < lists[l].length; i++) known[known.length] = lists[l][i];
    prepareHandlerProperties(handlerOwners(global, EventTarget.prototype, interfaceNames(global), [], known, true), anyType, patches);
    for (let i = 0; i < patches.length; i++) patches[i].apply();
  });
  const handlers = prepareHandlersOf(nodeOwners, CAUSED_EVENT_TYPES, []);
  prepareHandlersOf(elementOwners, CAUSED_EVENT_TYPES, handlers);
  prepareHandlersOf(elementOwners, ELEMENT_EVENT_TYPES, handlers);
  prepareHandlerProperties(reportingOwners, anyType, handlers);
  return [...prepareListenerMethods(EventTarget.prototype), ...synchronous, ...handlers];
}
