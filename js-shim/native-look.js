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

const sources = new WeakMapCtor();

export function lookNative(fn, name) {
  ReflectApply(WeakMapSet, sources, [fn, `function ${name}() { [native code] }`]);
  return fn;
}

/** Replaces Function.prototype.toString once, keeping its descriptor, name and length. */
export function installToString() {
  const descriptor = ObjectGetOwnPropertyDescriptor(FunctionPrototype, "toString");
  const toString = {
    toString() {
      const source = ReflectApply(WeakMapGet, sources, [this]);
      return source !== undefined ? source : ReflectApply(FunctionPrototypeToString, this, []);
    },
  }.toString;
  lookNative(toString, "toString");
  ObjectDefineProperty(FunctionPrototype, "toString", { ...descriptor, value: toString });
}
