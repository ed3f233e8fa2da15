// AsyncContext.Variable and AsyncContext.Snapshot, spec-exact (see shared/semantics.md §1).
// Internal slots are private fields stamped onto the created object (fast, unforgeable brand checks).

import {
  ObjectCreate,
  ObjectDefineProperty,
  ObjectGetOwnPropertyDescriptor,
  ObjectHasOwn,
  ObjectPrototype,
  ObjectSetPrototypeOf,
  MathTrunc,
  ReflectApply,
  SymbolToStringTag,
  TypeErrorCtor,
  isObject,
} from "./intrinsics.js";
import { capture, lookup, runIn, runWithBinding } from "./context.js";
import { lookNative } from "./native-look.js";

/** Returns the object it is given, so subclasses can stamp private fields onto any object. */
class Stamp {
  constructor(target) {
    return target;
  }
}

class VariableSlots extends Stamp {
  #id;
  #name;
  #defaultValue;
  constructor(target, id, name, defaultValue) {
    super(target);
    this.#id = id;
    this.#name = name;
    this.#defaultValue = defaultValue;
  }
  // Reading a private field of a non-Variable throws a TypeError: that is the brand check.
  static id(v) {
    return v.#id;
  }
  static name(v) {
    return v.#name;
  }
  static defaultValue(v) {
    return v.#defaultValue;
  }
}

class SnapshotSlots extends Stamp {
  #context;
  constructor(target, context) {
    super(target);
    this.#context = context;
  }
  static context(s) {
    return s.#context;
  }
}

function prototypeFrom(newTarget, fallback) {
  // GetPrototypeFromConstructor: a NewTarget whose "prototype" is not an object gets the intrinsic.
  const proto = newTarget.prototype;
  return isObject(proto) ? proto : fallback;
}

function defineMethods(target, methods) {
  for (const key of ["get", "run", "wrap"]) {
    if (!ObjectHasOwn(methods, key)) continue;
    ObjectDefineProperty(target, key, { value: lookNative(methods[key], key), writable: true, enumerable: false, configurable: true });
  }
}

function defineToStringTag(target, tag) {
  ObjectDefineProperty(target, SymbolToStringTag, { value: tag, writable: false, enumerable: false, configurable: true });
}

function defineConstructor(ctor, name) {
  // `extends null` leaves the prototype object without a [[Prototype]]; the spec's has Object.prototype.
  ObjectSetPrototypeOf(ctor.prototype, ObjectPrototype);
  ObjectDefineProperty(ctor, "name", { value: name, writable: false, enumerable: false, configurable: true });
  lookNative(ctor, name);
}

/** CopyNameAndLength(F, target, "wrapped"), as Function.prototype.bind does it. */
function copyNameAndLength(wrapper, target) {
  let length = 0;
  if (ObjectHasOwn(target, "length")) {
    const targetLength = target.length;
    // ToIntegerOrInfinity clamped at 0: NaN and negatives (including -Infinity) give 0.
    if (typeof targetLength === "number" && targetLength > 0) length = MathTrunc(targetLength);
  }
  ObjectDefineProperty(wrapper, "length", { value: length, writable: false, enumerable: false, configurable: true });
  let name = target.name;
  if (typeof name !== "string") name = "";
  ObjectDefineProperty(wrapper, "name", { value: `wrapped ${name}`, writable: false, enumerable: false, configurable: true });
}

export function createAsyncContext(newVariableId) {
  // Derived classes that never call super(): `this` is never created, so NewTarget.prototype is
  // read only after the options (spec order), and calling without `new` throws a TypeError.
  class Variable extends null {
    constructor(options) {
      let name = "";
      let defaultValue;
      if (isObject(options)) {
        // HasProperty, Get, ToString (a template literal throws for Symbols), then defaultValue.
        if ("name" in options) name = `${options.name}`;
        defaultValue = options.defaultValue;
      }
      const id = newVariableId();
      const variable = ObjectCreate(prototypeFrom(new.target, VariablePrototype));
      new VariableSlots(variable, id, name, defaultValue);
      return variable;
    }
  }

  class Snapshot extends null {
    constructor() {
      const snapshot = ObjectCreate(prototypeFrom(new.target, SnapshotPrototype));
      new SnapshotSlots(snapshot, capture());
      return snapshot;
    }
  }

  const VariablePrototype = Variable.prototype;
  const SnapshotPrototype = Snapshot.prototype;

  const variableMethods = {
    get name() {
      return VariableSlots.name(this);
    },
    get() {
      return lookup(VariableSlots.id(this), VariableSlots.defaultValue(this));
    },
    run(value, func, ...args) {
      return runWithBinding(VariableSlots.id(this), value, func, args);
    },
  };

  const snapshotMethods = {
    run(func, ...args) {
      return runIn(SnapshotSlots.context(this), func, undefined, args);
    },
  };

  const snapshotStatics = {
    wrap(fn) {
      if (typeof fn !== "function") throw new TypeErrorCtor("AsyncContext.Snapshot.wrap: argument is not a function");
      const context = capture();
      // A method, so the wrapper is not a constructor and has no "prototype", like a built-in.
      const wrapper = {
        wrapped(...args) {
          return runIn(context, fn, this, args);
        },
      }.wrapped;
      copyNameAndLength(wrapper, fn);
      return lookNative(wrapper, wrapper.name);
    },
  };

  defineConstructor(Variable, "Variable");
  const nameGetter = ObjectGetOwnPropertyDescriptor(variableMethods, "name").get;
  ObjectDefineProperty(VariablePrototype, "name", {
    get: lookNative(nameGetter, "get name"),
    set: undefined,
    enumerable: false,
    configurable: true,
  });
  defineMethods(VariablePrototype, variableMethods);
  defineToStringTag(VariablePrototype, "AsyncContext.Variable");

  defineConstructor(Snapshot, "Snapshot");
  defineMethods(SnapshotPrototype, snapshotMethods);
  defineMethods(Snapshot, snapshotStatics);
  defineToStringTag(SnapshotPrototype, "AsyncContext.Snapshot");

  const AsyncContext = {};
  for (const [key, value] of [["Snapshot", Snapshot], ["Variable", Variable]]) {
    ObjectDefineProperty(AsyncContext, key, { value, writable: true, enumerable: false, configurable: true });
  }
  defineToStringTag(AsyncContext, "AsyncContext");
  return AsyncContext;
}
