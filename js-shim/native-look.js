// Functions the polyfill defines or replaces answer Function.prototype.toString like built-ins
// ("function setTimeout() { [native code] }"), as they would in a native implementation:
// feature-detection code ("is this the native setTimeout?") keeps working after install.

import {
  FunctionPrototype,
  FunctionPrototypeToString,
  ObjectDefineProperty,
  ObjectGetOwnPropertyDescriptor,
  ReflectApply,
  WeakMapCtor,
  WeakMapGet,
  WeakMapSet,
} from "./intrinsics.js";

/** fn -> the name its source text shows (the text itself is built when asked for: thousands of
 * functions are registered at install, few are ever printed). */
const names = new WeakMapCtor();

export function lookNative(fn, name) {
  ReflectApply(WeakMapSet, names, [fn, name]);
  return fn;
}

/** Replaces Function.prototype.toString once, keeping its descriptor, name and length. */
export function installToString() {
  const descriptor = ObjectGetOwnPropertyDescriptor(FunctionPrototype, "toString");
  const toString = {
    toString() {
      const name = ReflectApply(WeakMapGet, names, [this]);
      return name !== undefined ? `function ${name}() { [native code] }` : ReflectApply(FunctionPrototypeToString, this, []);
    },
  }.toString;
  lookNative(toString, "toString");
  ObjectDefineProperty(FunctionPrototype, "toString", { ...descriptor, value: toString });
}
