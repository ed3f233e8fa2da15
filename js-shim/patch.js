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
  ReflectOwnKeys,
  copyArguments,
  isObject,
  uncurryThis,
} from "./intrinsics.js";
import { bind, isEmpty, isTracked } from "./context.js";
import { tracking } from "./hooks.js";
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
  return prepareMethod(target, key, (original) => {
    const callOriginal = uncurryThis(original);
    return {
      [key](callback, second) {
        if (isEmpty() || typeof callback !== "function") return ReflectApply(original, this, arguments);
        if (isTracked()) return tracking.callTracked(original, this, arguments, key);
        // The common shapes (cb) and (cb, delay/options) without an argument array; an explicit
        // undefined second argument means the same as none for every function patched this way.
        if (arguments.length <= 2) return callOriginal(this, bind(callback, key), second);
        const args = copyArguments(arguments);
        args[0] = bind(callback, key);
        return ReflectApply(original, this, args);
      },
    }[key];
  });
}

// ---- Constructors ------------------------------------------------------------------------
// A replaced constructor stays subclass-safe: it constructs the original with the caller's
// NewTarget; `Replacement.prototype === Original.prototype` (non-writable, as natively) and
// `prototype.constructor` points at the replacement once applied, so `instanceof`, `constructor`
// and `class X extends Replacement` behave as before; own statics are copied, name and length
// kept, toString looks native; calling it without `new` calls the original, which throws.


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

/**
 * Patch of a cancel function (clearTimeout & co.): when tracked tasks exist, the one registered
 * under the id is cancelled first. The original runs in every case.
 */
export function prepareCancel(target, key, cancelById) {
  return prepareMethod(target, key, (original) => ({
    [key](id) {
      cancelById(id);
      return ReflectApply(original, this, arguments);
    },
  })[key]);
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
