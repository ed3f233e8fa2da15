// Installs the polyfill: checks for an existing AsyncContext, instantiates the wasm store (or
// throws, installing nothing), defines globalThis.AsyncContext and applies every patch.

import { ObjectDefineProperty, ObjectFreeze, SymbolFor, global } from "./intrinsics.js";
import { createStore } from "./store.js";
import { bindStore } from "./context.js";
import { createAsyncContext } from "./api.js";
import { tracking } from "./hooks.js";
import { installToString } from "./native-look.js";
import { suspension } from "./suspension.js";
import { preparePromise } from "./patches/promise.js";
import { prepareTimers } from "./patches/timers.js";
import { prepareMicrotask } from "./patches/microtask.js";
import { prepareAnimation } from "./patches/animation.js";
import { prepareScheduler } from "./patches/scheduler.js";
import { prepareEvents } from "./patches/events.js";
import { prepareXhr } from "./patches/xhr.js";
import { prepareFileReader } from "./patches/file-reader.js";
import { prepareIndexedDb } from "./patches/indexeddb.js";
import { prepareAttributes } from "./patches/attributes.js";
import { prepareResourceLoading } from "./patches/resource-loading.js";
import { prepareMedia } from "./patches/media.js";
import { prepareToggle } from "./patches/toggle.js";
import { prepareSelection } from "./patches/selection.js";
import { prepareConnections } from "./patches/connections.js";
import { prepareObservers } from "./patches/observers.js";
import { prepareCallbacks } from "./patches/callbacks.js";
import { prepareStreams } from "./patches/streams.js";
import { prepareFinalization } from "./patches/finalization.js";

export const VERSION = "0.1.0";
const INFO = SymbolFor("asynccontext");
const TEST_HOOKS = "__ASYNCCONTEXT_TEST_HOOKS__";
/** Where code rewritten by the await transform finds its runtime (see suspension.js). */
const SUSPENSION = SymbolFor("asynccontext.suspension");

function publishInfo(active) {
  ObjectDefineProperty(global, INFO, {
    value: ObjectFreeze({ name: "asynccontext", version: VERSION, active }),
    writable: false,
    enumerable: false,
    configurable: true,
  });
}

function describeExisting(existing) {
  const info = global[INFO];
  if (info && info.active) return info.active;
  const Variable = existing && existing.Variable;
  // Before our toString patch exists, only a real built-in prints [native code].
  const source = typeof Variable === "function" ? Function.prototype.toString.call(Variable) : "";
  return /\{\s*\[native code\]\s*\}\s*$/.test(source) ? "native" : "other";
}

/** This copy's installation, once it installed itself (the tracking entry extends it). */
let own = null;

export function ownInstallation() {
  return own;
}

/** Installs once per global; returns `{ AsyncContext, implementation }` for the active one. */
export function install() {
  const existing = global.AsyncContext;
  if (existing !== undefined) {
    const implementation = describeExisting(existing);
    if (!global[INFO]) publishInfo(implementation);
    return { AsyncContext: existing, implementation };
  }

  const store = createStore(); // throws (e.g. CSP) before anything is touched
  bindStore(store);
  const newVariableId = () => {
    const id = store.newVariable();
    if (id < 0) throw new RangeError("asynccontext: too many AsyncContext.Variable instances");
    return id;
  };
  const AsyncContext = createAsyncContext(newVariableId);

  const patches = [
    ...preparePromise(global),
    ...prepareTimers(global),
    ...prepareMicrotask(global),
    ...prepareAnimation(global),
    ...prepareScheduler(global),
    ...prepareEvents(global),
    ...prepareXhr(global),
    ...prepareFileReader(global),
    ...prepareIndexedDb(global),
    ...prepareAttributes(global),
    ...prepareResourceLoading(global),
    ...prepareMedia(global),
    ...prepareToggle(global),
    ...prepareSelection(global),
    ...prepareConnections(global),
    ...prepareObservers(global),
    ...prepareCallbacks(global),
    ...prepareStreams(global),
    ...prepareFinalization(global),
  ].filter(Boolean);

  installToString();
  for (const patch of patches) patch.apply();
  ObjectDefineProperty(global, "AsyncContext", { value: AsyncContext, writable: true, enumerable: false, configurable: true });
  ObjectDefineProperty(global, SUSPENSION, { value: suspension, writable: false, enumerable: false, configurable: true });
  publishInfo("asynccontext");
  own = { AsyncContext, newVariableId };
  if (global[TEST_HOOKS] === true) {
    global[TEST_HOOKS] = ObjectFreeze({
      liveNodes: () => store.liveNodes(),
      liveSlots: () => store.liveSlots(),
      liveTaskNodes: () => (tracking === null ? 0 : tracking.liveTaskNodes()),
    });
  }
  return { AsyncContext, implementation: "asynccontext" };
}
