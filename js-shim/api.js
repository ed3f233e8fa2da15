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
import { EMPTY, capture, captureWith, lookup, runIn, runWithBinding, variableRecord } from "./context.js";
import { withFallback } from "./fallback.js";
import { lookNative } from "./native-look.js";

/** Returns the object it is given, so subclasses can stamp private fields onto any object. */
class Stamp {
  constructor(target) {
    return target;
  }
}

class VariableSlots extends Stamp {
  /** The Variable's record (context.js): its store id and the values of its bindings. */
  #record;
  #name;
  #defaultValue;
  constructor(target, record, name, defaultValue) {
    super(target);
    this.#record = record;
    this.#name = name;
    this.#defaultValue = defaultValue;
  }
  // Reading a private field of a non-Variable throws: that is the brand check.
  /** `method` names the caller for the TypeError (a constant: no string building on this path). */
  static record(v, method) {
    try {
      return v.#record;
    } catch {
      throw incompatibleReceiver(method);
    }
  }
  static isVariable(v) {
    return isObject(v) && #record in v;
  }
  static name(v) {
    try {
      return v.#name;
    } catch {
      throw incompatibleReceiver("get AsyncContext.Variable.prototype.name");
    }
  }
  /** Only called after `record` has checked the brand. */
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
    try {
      return s.#context;
    } catch {
      throw incompatibleReceiver("AsyncContext.Snapshot.prototype.run");
    }
  }
}

function incompatibleReceiver(method) {
  return new TypeErrorCtor(`${method} called on an incompatible receiver`);
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
  // Defined as property values so the classes are named "Variable"/"Snapshot" even minified
  // (calling one without `new` then reports "Class constructor Variable cannot be invoked…").
  const { Variable, Snapshot } = {
    Variable: class extends null {
      constructor(options) {
        let name = "";
        let defaultValue;
        if (isObject(options)) {
          // HasProperty, Get, ToString (a template literal throws for Symbols), then defaultValue.
          if ("name" in options) name = `${options.name}`;
          defaultValue = options.defaultValue;
        }
        const record = variableRecord(newVariableId());
        const variable = ObjectCreate(prototypeFrom(new.target, VariablePrototype));
        new VariableSlots(variable, record, name, defaultValue);
        return variable;
      }
    },
    Snapshot: class extends null {
      constructor() {
        const snapshot = ObjectCreate(prototypeFrom(new.target, SnapshotPrototype));
        new SnapshotSlots(snapshot, capture());
        return snapshot;
      }
    },
  };

  const VariablePrototype = Variable.prototype;
  const SnapshotPrototype = Snapshot.prototype;

  const variableMethods = {
    get name() {
      return VariableSlots.name(this);
    },
    get() {
      const record = VariableSlots.record(this, "AsyncContext.Variable.prototype.get");
      return lookup(record, VariableSlots.defaultValue(this));
    },
    run(value, func, ...args) {
      return runWithBinding(VariableSlots.record(this, "AsyncContext.Variable.prototype.run"), value, func, args);
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

  const experimental = {
    /**
     * Experimental, outside the proposal: listeners registered while `fn` runs see `variable` at its
     * current value (other variables empty) when the browser dispatches to them with no JS cause
     * (user input, messages, …), instead of the empty context. Returns fn's result.
     */
    captureFallbackContext(variable, fn) {
      if (!VariableSlots.isVariable(variable)) {
        throw new TypeErrorCtor("AsyncContext.captureFallbackContext: argument 1 is not an AsyncContext.Variable");
      }
      const record = VariableSlots.record(variable);
      if (typeof fn !== "function") throw new TypeErrorCtor("AsyncContext.captureFallbackContext: argument 2 is not a function");
      const value = lookup(record, VariableSlots.defaultValue(variable));
      return withFallback((previous) => captureWith(previous === undefined ? EMPTY : previous, record, value), fn);
    },
  };

  const AsyncContext = {};
  for (const [key, value] of [["Snapshot", Snapshot], ["Variable", Variable], ["captureFallbackContext", experimental.captureFallbackContext]]) {
    ObjectDefineProperty(AsyncContext, key, { value, writable: true, enumerable: false, configurable: true });
  }
  lookNative(experimental.captureFallbackContext, "captureFallbackContext");
  defineToStringTag(AsyncContext, "AsyncContext");
  return AsyncContext;
}
