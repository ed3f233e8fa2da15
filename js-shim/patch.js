// Replacing a platform function in place: same property, same attributes, same name and length,
// and a built-in-looking toString. Every patch module goes through here.

import {
  ObjectDefineProperty,
  ObjectGetOwnPropertyDescriptor,
  ObjectGetPrototypeOf,
  ReflectApply,
  copyArguments,
  isObject,
} from "./intrinsics.js";
import { bind, isEmpty } from "./context.js";
import { lookNative } from "./native-look.js";

/** The object on `target`'s prototype chain that owns `key`, with its descriptor. */
function findOwner(target, key) {
  for (let owner = target; isObject(owner); owner = ObjectGetPrototypeOf(owner)) {
    const descriptor = ObjectGetOwnPropertyDescriptor(owner, key);
    if (descriptor) return { owner, descriptor };
  }
  return undefined;
}

/**
 * A pending replacement of `target[key]` by `build(original)`; `apply()` installs it. Returns
 * undefined when the platform lacks the function (nothing to patch) or cannot be patched.
 * Patches are prepared first and applied together, so a failure never leaves half of them on.
 */
export function prepareMethod(target, key, build) {
  const found = target && findOwner(target, key);
  if (!found) return undefined;
  const { owner, descriptor } = found;
  const original = descriptor.value;
  if (typeof original !== "function" || !(descriptor.writable || descriptor.configurable)) return undefined;
  const replacement = build(original);
  ObjectDefineProperty(replacement, "length", { value: original.length, writable: false, enumerable: false, configurable: true });
  ObjectDefineProperty(replacement, "name", { value: original.name, writable: false, enumerable: false, configurable: true });
  lookNative(replacement, original.name);
  return {
    original,
    replacement,
    apply() {
      if (descriptor.configurable) ObjectDefineProperty(owner, key, { ...descriptor, value: replacement });
      else owner[key] = replacement;
    },
  };
}

/**
 * Patch for the common shape `schedule(callback, ...rest)`: the callback runs in the context of
 * the scheduling call. Non-functions pass through untouched, so the original reports errors (and
 * a string handler for setTimeout keeps its native meaning).
 */
export function callbackFirst(target, key) {
  return prepareMethod(target, key, (original) => ({
    [key](callback) {
      if (isEmpty() || typeof callback !== "function") return ReflectApply(original, this, arguments);
      const args = copyArguments(arguments);
      args[0] = bind(callback, key);
      return ReflectApply(original, this, args);
    },
  })[key]);
}
