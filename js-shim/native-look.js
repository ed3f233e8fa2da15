// Functions the polyfill defines or replaces answer Function.prototype.toString like built-ins
// ("function setTimeout() { [native code] }"), as they would in a native implementation:
// feature-detection code ("is this the native setTimeout?") keeps working after install.

import {
  FunctionPrototype,
  FunctionPrototypeToString,
  ObjectDefineProperty,
  ObjectGetOwnPropertyDescriptor,
  ReflectApply,
  StringCtor,
  WeakMapCtor,
  WeakMapGet,
  WeakMapSet,
} from "./intrinsics.js";

const sources = new WeakMapCtor();
const StringPrototypeSplit = StringCtor.prototype.split;

// The engine's own layout around a built-in's name, read from toString's rendering of itself:
// Chromium and WebKit print "function f() { [native code] }", Firefox puts "[native code]" on a
// line of its own ("function f() {\n    [native code]\n}").
const ownSource = ReflectApply(FunctionPrototypeToString, FunctionPrototypeToString, []);
const ownParts = ReflectApply(StringPrototypeSplit, ownSource, ["toString"]);
const nativeBefore = ownParts[0];
const nativeAfter = ownParts[1];

export function lookNative(fn, name) {
  ReflectApply(WeakMapSet, sources, [fn, nativeBefore + name + nativeAfter]);
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
