// Replacing a platform function in place: same property, same attributes, same name and length,
// and a built-in-looking toString. Every patch module goes through here.

import {
  ErrorCtor,
  WeakMapCtor,
  WeakMapGet,
  WeakMapSet,
  ObjectDefineProperty,
  ObjectGetOwnPropertyDescriptor,
  ObjectGetOwnPropertyNames,
  ObjectGetPrototypeOf,
  ObjectSetPrototypeOf,
  ReflectApply,
  ReflectConstruct,
  copyArguments,
  isObject,
  uncurryThis,
} from "./intrinsics.js";
import { bind, isEmpty } from "./context.js";
import { lookNative } from "./native-look.js";

/** owner -> keys already patched: two modules patching one property would silently drop one. */
const patched = new WeakMapCtor();

function claim(owner, key) {
  let keys = ReflectApply(WeakMapGet, patched, [owner]);
  if (keys === undefined) ReflectApply(WeakMapSet, patched, [owner, (keys = [])]);
  if (keys.includes(key)) throw new ErrorCtor(`asynccontext: internal error: ${String(key)} is patched twice`);
  keys.push(key);
}

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
  claim(owner, key);
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

/**
 * Replacement of a global constructor `global[key]` that calls `afterConstruct(instance, args)`
 * after constructing the original. Subclass-safe: the replacement shares the original's
 * prototype (so instanceof and `constructor` hold), keeps its statics, name and length, and
 * constructs with the caller's NewTarget.
 */
export function prepareConstructor(global, key, afterConstruct) {
  const descriptor = ObjectGetOwnPropertyDescriptor(global, key);
  const Original = descriptor && descriptor.value;
  if (typeof Original !== "function" || !isObject(Original.prototype)) return undefined;
  claim(global, key);
  const Replacement = {
    [key]: function (...args) {
      if (new.target === undefined) return ReflectApply(Original, this, args); // throws as natively
      const instance = ReflectConstruct(Original, args, new.target === Replacement ? Original : new.target);
      afterConstruct(instance, args);
      return instance;
    },
  }[key];
  for (const name of ObjectGetOwnPropertyNames(Original)) {
    if (name === "prototype" || name === "name" || name === "length" || name === "arguments" || name === "caller") continue;
    ObjectDefineProperty(Replacement, name, ObjectGetOwnPropertyDescriptor(Original, name));
  }
  ObjectSetPrototypeOf(Replacement, ObjectGetPrototypeOf(Original));
  ObjectDefineProperty(Replacement, "prototype", { value: Original.prototype, writable: false, enumerable: false, configurable: false });
  ObjectDefineProperty(Replacement, "length", { value: Original.length, writable: false, enumerable: false, configurable: true });
  ObjectDefineProperty(Replacement, "name", { value: Original.name, writable: false, enumerable: false, configurable: true });
  lookNative(Replacement, Original.name);
  const constructorDescriptor = ObjectGetOwnPropertyDescriptor(Original.prototype, "constructor");
  return {
    original: Original,
    replacement: Replacement,
    apply() {
      ObjectDefineProperty(global, key, { ...descriptor, value: Replacement });
      if (constructorDescriptor) ObjectDefineProperty(Original.prototype, "constructor", { ...constructorDescriptor, value: Replacement });
    },
  };
}

/**
 * Replaces the setter of accessor `target[key]` (found on the prototype chain) by
 * `set(this, value, setOriginal)`, which performs the original set itself.
 */
export function prepareSetterWith(target, key, set) {
  const found = target && findOwner(target, key);
  if (!found || !found.descriptor.set || !found.descriptor.configurable) return undefined;
  const { owner, descriptor } = found;
  claim(owner, key);
  const setOriginal = uncurryThis(descriptor.set);
  const setter = ObjectGetOwnPropertyDescriptor(
    {
      set [key](value) {
        set(this, value, setOriginal);
      },
    },
    key,
  ).set;
  lookNative(setter, `set ${key}`);
  return { apply: () => ObjectDefineProperty(owner, key, { ...descriptor, set: setter }) };
}

/** Setter patch that calls `beforeSet(this, value)` before the original set (causing setters such as img.src). */
export function prepareSetter(target, key, beforeSet) {
  return prepareSetterWith(target, key, (self, value, setOriginal) => {
    beforeSet(self, value);
    setOriginal(self, value);
  });
}

/** Patch of `target[key]` (a method) that calls `beforeCall(this, args)` first, then the original. */
export function prepareCause(target, key, beforeCall) {
  return prepareMethod(target, key, (original) => ({
    [key]() {
      beforeCall(this, arguments);
      return ReflectApply(original, this, arguments);
    },
  })[key]);
}
