// Every built-in the shim relies on, read once at load. Page code that later replaces
// Function.prototype.call, Reflect.apply, Object.defineProperty, Promise.prototype.then, …
// can neither break nor hijack the polyfill.

export const global = globalThis;
export const ReflectApply = Reflect.apply;
export const ReflectConstruct = Reflect.construct;
export const ReflectOwnKeys = Reflect.ownKeys;
export const ObjectCreate = Object.create;
export const ObjectDefineProperty = Object.defineProperty;
export const ObjectGetOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
export const ObjectGetPrototypeOf = Object.getPrototypeOf;
export const ObjectSetPrototypeOf = Object.setPrototypeOf;
export const ObjectPrototype = Object.prototype;
export const ObjectHasOwn = Object.hasOwn;
export const ObjectGetOwnPropertyNames = Object.getOwnPropertyNames;
export const ObjectFreeze = Object.freeze;
export const MathTrunc = Math.trunc;
export const SymbolFor = Symbol.for;
export const SymbolToStringTag = Symbol.toStringTag;
export const SymbolIterator = Symbol.iterator;
export const SymbolAsyncIterator = Symbol.asyncIterator;
export const WeakMapCtor = WeakMap;
export const MapCtor = Map;
export const MapPrototypeGet = Map.prototype.get;
export const MapPrototypeHas = Map.prototype.has;
export const MapPrototypeSet = Map.prototype.set;
export const WeakMapGet = WeakMap.prototype.get;
export const WeakMapSet = WeakMap.prototype.set;
export const WeakRefCtor = WeakRef;
export const WeakRefDeref = WeakRef.prototype.deref;
export const FinalizationRegistryCtor = FinalizationRegistry;
export const FinalizationRegistryRegister = FinalizationRegistry.prototype.register;
export const FunctionPrototype = Function.prototype;
export const FunctionPrototypeToString = Function.prototype.toString;
export const TypeErrorCtor = TypeError;
export const PromiseCtor = Promise;
/** The unpatched then: for the polyfill's own reactions, which must not be wrapped or tracked. */
export const PromisePrototypeThen = Promise.prototype.then;
export const EvalErrorCtor = EvalError;
export const ErrorCtor = Error;
export const StringCtor = String;
export const WasmModule = WebAssembly.Module;
export const WasmModuleImports = WebAssembly.Module.imports;
export const WasmInstance = WebAssembly.Instance;
export const Uint8ArrayCtor = Uint8Array;
export const Uint8ArrayFromHex = Uint8Array.fromHex;
export const Uint32ArrayCtor = Uint32Array;

/** `uncurryThis(f)(self, ...args)` calls `f` with `this` = self, like f.call, without looking up `call`. */
export function uncurryThis(fn) {
  return ReflectApply(Function.prototype.bind, Function.prototype.call, [fn]);
}

export function isObject(value) {
  return (typeof value === "object" && value !== null) || typeof value === "function";
}

/** Array membership without Array.prototype.includes (page code may replace it). */
export function includes(array, value) {
  for (let i = 0; i < array.length; i++) if (array[i] === value) return true;
  return false;
}

/** Copies array-likes without the (patchable) array iterator. */
export function copyArguments(args) {
  const out = [];
  for (let i = 0; i < args.length; i++) out[i] = args[i];
  return out;
}
