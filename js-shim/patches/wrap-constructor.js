// Helper for the patch modules that replace a global constructor whose *arguments* must change
// (observers.js, streams.js, finalization.js wrap a callback or a source object); not an API
// family of its own. patch.js's prepareConstructor only sees the instance afterwards.
//
// The replacement adapts the arguments, then constructs the original with the caller's NewTarget,
// so it stays subclass-safe:
// - `Replacement.prototype === Original.prototype` (non-writable, as natively), and
//   `prototype.constructor` points at the replacement once applied: `instanceof`, `constructor`
//   and `class X extends Replacement` behave as before;
// - own statics (PerformanceObserver.supportedEntryTypes, …) are copied, name/length kept, and
//   toString looks native;
// - calling it without `new` calls the original, which throws its own TypeError.

import {
  ObjectDefineProperty,
  ObjectGetOwnPropertyDescriptor,
  ObjectGetPrototypeOf,
  ObjectSetPrototypeOf,
  ReflectApply,
  ReflectConstruct,
  copyArguments,
  isObject,
} from "../intrinsics.js";
import { prepareMethod } from "../patch.js";

const ReflectOwnKeys = Reflect.ownKeys;

/**
 * Prepares the replacement of constructor `target[key]`. On `new`, `before(args)` receives a
 * copy of the arguments and may replace entries; its result is passed to
 * `after(instance, token)` (optional) once the original has constructed the instance.
 * Returns undefined when there is no such constructor.
 */
export function prepareConstructorWith(target, key, before, after) {
  let replacement;
  const patch = prepareMethod(target, key, (original) => {
    replacement = function () {
      if (new.target === undefined) return ReflectApply(original, this, arguments);
      const args = copyArguments(arguments);
      const token = before(args);
      const instance = ReflectConstruct(original, args, new.target === replacement ? original : new.target);
      if (after !== undefined) after(instance, token);
      return instance;
    };
    return replacement;
  });
  if (!patch) return undefined;
  const { original } = patch;
  const prototype = original.prototype;
  if (!isObject(prototype)) return undefined;

  const keys = ReflectOwnKeys(original);
  for (let i = 0; i < keys.length; i++) {
    const name = keys[i];
    if (name === "prototype" || name === "name" || name === "length") continue;
    ObjectDefineProperty(replacement, name, ObjectGetOwnPropertyDescriptor(original, name));
  }
  ObjectSetPrototypeOf(replacement, ObjectGetPrototypeOf(original));
  ObjectDefineProperty(replacement, "prototype", { value: prototype, writable: false, enumerable: false, configurable: false });

  const constructorDescriptor = ObjectGetOwnPropertyDescriptor(prototype, "constructor");
  return {
    original,
    replacement,
    apply() {
      patch.apply();
      if (constructorDescriptor && constructorDescriptor.value === original && constructorDescriptor.configurable) {
        ObjectDefineProperty(prototype, "constructor", { ...constructorDescriptor, value: replacement });
      }
    },
  };
}

/**
 * Makes `owner[key]` (a second name of the same function, like WebKitMutationObserver or
 * ReadableStream.prototype[Symbol.asyncIterator]) follow `patch`: if it holds the patched
 * original, it gets the same replacement, so the two names stay identical.
 */
export function prepareAlias(owner, key, patch) {
  const descriptor = patch && owner && ObjectGetOwnPropertyDescriptor(owner, key);
  if (!descriptor || descriptor.value !== patch.original || !(descriptor.writable || descriptor.configurable)) return undefined;
  return {
    apply() {
      if (descriptor.configurable) ObjectDefineProperty(owner, key, { ...descriptor, value: patch.replacement });
      else owner[key] = patch.replacement;
    },
  };
}
