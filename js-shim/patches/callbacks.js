// Completion callbacks and callbacks inside asynchronous algorithms (semantics.md §3): each runs in
// the context of the call that handed it over.
// - context of the call: navigator.locks.request (the lock callback), document.startViewTransition
//   (the update callback, given directly or as the `update` member of the options),
//   HTMLCanvasElement.prototype.toBlob, Notification.requestPermission (deprecated callback form),
//   Geolocation.prototype.getCurrentPosition (success and error), BaseAudioContext.prototype.
//   decodeAudioData (success and error), DataTransferItem.prototype.getAsString;
// - registration context, every time: Geolocation.prototype.watchPosition (success and error),
//   MediaSession.prototype.setActionHandler.
// Arguments keep their positions and count (overloads depend on it); non-functions are passed
// through, so bad input fails exactly as natively. Calls in the empty context are not touched.

import { ReflectApply, copyArguments, isObject } from "../intrinsics.js";
import { bind, isEmpty } from "../context.js";
import { callbackFirst, prepareMethod } from "../patch.js";

const ProxyCtor = Proxy;
const ReflectGet = Reflect.get;

/** `target[key](…)` with the function arguments at `first` and `second` (if given) bound to the call's context. */
function callbacksAt(target, key, first, second) {
  return prepareMethod(target, key, (original) => ({
    [key]() {
      if (isEmpty()) return ReflectApply(original, this, arguments);
      const args = copyArguments(arguments);
      if (typeof args[first] === "function") args[first] = bind(args[first], key);
      if (second !== undefined && typeof args[second] === "function") args[second] = bind(args[second], key);
      return ReflectApply(original, this, args);
    },
  })[key]);
}

/** request(name, callback) or request(name, options, callback): extra arguments are ignored natively. */
function prepareLocks(LockManager) {
  return prepareMethod(LockManager && LockManager.prototype, "request", (original) => ({
    request() {
      const count = arguments.length;
      if (isEmpty() || count < 2) return ReflectApply(original, this, arguments);
      const args = copyArguments(arguments);
      const at = count >= 3 ? 2 : 1;
      if (typeof args[at] === "function") args[at] = bind(args[at], "request");
      return ReflectApply(original, this, args);
    },
  }).request);
}

/**
 * startViewTransition(update) or startViewTransition({ update, types }). The options object is not
 * modified: the browser reads it through a proxy that hands out the bound `update` (read once,
 * when and as often as the browser reads it; getters see the page's object as `this`).
 */
function prepareViewTransition(Document) {
  return prepareMethod(Document && Document.prototype, "startViewTransition", (original) => ({
    startViewTransition(options) {
      if (isEmpty() || arguments.length === 0) return ReflectApply(original, this, arguments);
      const args = copyArguments(arguments);
      if (typeof options === "function") {
        args[0] = bind(options, "startViewTransition");
      } else if (isObject(options)) {
        args[0] = new ProxyCtor(options, {
          get(target, key) {
            const value = ReflectGet(target, key, target);
            return key === "update" && typeof value === "function" ? bind(value, "startViewTransition") : value;
          },
        });
      }
      return ReflectApply(original, this, args);
    },
  }).startViewTransition);
}

export function prepareCallbacks(global) {
  const proto = (name) => global[name] && global[name].prototype;
  return [
    prepareLocks(global.LockManager),
    prepareViewTransition(global.Document),
    callbackFirst(proto("HTMLCanvasElement"), "toBlob"),
    callbackFirst(global.Notification, "requestPermission"),
    callbacksAt(proto("Geolocation"), "getCurrentPosition", 0, 1),
    callbacksAt(proto("Geolocation"), "watchPosition", 0, 1),
    callbacksAt(proto("MediaSession"), "setActionHandler", 1),
    callbacksAt(proto("BaseAudioContext"), "decodeAudioData", 1, 2),
    callbackFirst(proto("DataTransferItem"), "getAsString"),
  ];
}
