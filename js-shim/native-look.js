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

/** fn -> the name its source text shows (the text itself is built when asked for: thousands of
 * functions are registered at install, few are ever printed). */
const names = new WeakMapCtor();

// The engine's own layout around a built-in's name, read from toString's rendering of itself:
// Chromium and WebKit print "function f() { [native code] }", Firefox puts "[native code]" on a
// line of its own ("function f() {\n    [native code]\n}").
const ownSource = ReflectApply(FunctionPrototypeToString, FunctionPrototypeToString, []);
const ownParts = ReflectApply(StringCtor.prototype.split, ownSource, ["toString"]);
const nativeBefore = ownParts[0];
const nativeAfter = ownParts[1];

const stringIndexOf = StringCtor.prototype.indexOf;

/** Whether `fn` is a built-in, or one of the polyfill's replacements (which stand for one). */
export function isNativeCode(fn) {
  if (ReflectApply(WeakMapGet, names, [fn]) !== undefined) return true;
  return ReflectApply(stringIndexOf, ReflectApply(FunctionPrototypeToString, fn, []), ["[native code]"]) >= 0;
}

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
      return name !== undefined ? nativeBefore + name + nativeAfter : ReflectApply(FunctionPrototypeToString, this, []);
    },
  }.toString;
  lookNative(toString, "toString");
  ObjectDefineProperty(FunctionPrototype, "toString", { ...descriptor, value: toString });
}
