// The spec-exact API surface of AsyncContext (semantics.md §1): the namespace object, Variable, Snapshot,
// Snapshot.wrap, the shape of every built-in (lengths, names, property attributes), brand checks, subclassing,
// and that patched platform functions look like the originals.

import { test, assert, originals } from "../harness.js";

const { Variable, Snapshot } = AsyncContext;

// ---------------------------------------------------------------------------------------------------------
// Helpers

/** IsConstructor without calling f: Reflect.construct only accepts a constructor as newTarget. */
function isConstructor(f) {
  try {
    Reflect.construct(function () {}, [], f);
    return true;
  } catch {
    return false;
  }
}

/** Own property attributes without the value (for comparing with expectations). */
function attributes(object, key) {
  const d = Object.getOwnPropertyDescriptor(object, key);
  if (d === undefined) return undefined;
  if ("value" in d) return { writable: d.writable, enumerable: d.enumerable, configurable: d.configurable };
  return { get: typeof d.get, set: typeof d.set, enumerable: d.enumerable, configurable: d.configurable };
}

const METHOD = { writable: true, enumerable: false, configurable: true };
const FUNCTION_PROP = { writable: false, enumerable: false, configurable: true }; // name, length, toStringTag

/** Sorted own keys, symbols rendered as their description, for set comparisons. */
function ownKeySet(object) {
  return Reflect.ownKeys(object)
    .map((key) => (typeof key === "symbol" ? `@@${key.description.replace(/^Symbol\./, "")}` : key))
    .sort();
}

/** A function whose own `length` property is replaced by `value`. */
function withLength(value) {
  const f = function (a, b) {};
  Object.defineProperty(f, "length", { value, writable: true, enumerable: false, configurable: true });
  return f;
}

/** A function whose own `name` property is replaced by `value`. */
function withName(value) {
  const f = function original() {};
  Object.defineProperty(f, "name", { value, writable: true, enumerable: false, configurable: true });
  return f;
}

/** A function usable as NewTarget whose `prototype` is the given value. */
function newTargetWithPrototype(prototype) {
  const nt = function () {}.bind(null); // bound functions have no own prototype
  Object.defineProperty(nt, "prototype", { value: prototype });
  return nt;
}

// ---------------------------------------------------------------------------------------------------------
// The AsyncContext namespace object

test("AsyncContext is an ordinary object inheriting from Object.prototype", () => {
  assert.equal(typeof AsyncContext, "object");
  assert.equal(Object.getPrototypeOf(AsyncContext), Object.prototype);
});

test("AsyncContext is not callable", () => {
  assert.throws(() => AsyncContext(), TypeError);
});

test("AsyncContext is not a constructor", () => {
  assert.throws(() => new AsyncContext(), TypeError);
  assert.equal(isConstructor(AsyncContext), false);
});

test("globalThis.AsyncContext is writable, non-enumerable and configurable", () => {
  assert.deepEqual(attributes(globalThis, "AsyncContext"), METHOD);
  assert.equal(Object.getOwnPropertyDescriptor(globalThis, "AsyncContext").value, AsyncContext);
});

test("AsyncContext[Symbol.toStringTag] is \"AsyncContext\", non-writable, non-enumerable and configurable", () => {
  assert.equal(AsyncContext[Symbol.toStringTag], "AsyncContext");
  assert.deepEqual(attributes(AsyncContext, Symbol.toStringTag), FUNCTION_PROP);
});

test("Object.prototype.toString of AsyncContext is [object AsyncContext]", () => {
  assert.equal(Object.prototype.toString.call(AsyncContext), "[object AsyncContext]");
});

test("AsyncContext.Variable is a writable, non-enumerable, configurable function property", () => {
  assert.equal(typeof AsyncContext.Variable, "function");
  assert.deepEqual(attributes(AsyncContext, "Variable"), METHOD);
});

test("AsyncContext.Snapshot is a writable, non-enumerable, configurable function property", () => {
  assert.equal(typeof AsyncContext.Snapshot, "function");
  assert.deepEqual(attributes(AsyncContext, "Snapshot"), METHOD);
});

// The tracking build adds the experimental namespace; the core builds do not.
const trackingBuild = /^tracking/.test(new URLSearchParams(location.search).get("load") ?? "");

test("AsyncContext has exactly the own keys Snapshot, Variable, Symbol.toStringTag and the experimental captureFallbackContext (and experimental in the tracking build)", () => {
  const expected = ["@@toStringTag", "Snapshot", "Variable", "captureFallbackContext"];
  if (trackingBuild) expected.push("experimental");
  assert.deepEqual(ownKeySet(AsyncContext), expected);
});

test("AsyncContext.captureFallbackContext is a non-enumerable, writable, configurable method of length 2", () => {
  const d = Object.getOwnPropertyDescriptor(AsyncContext, "captureFallbackContext");
  assert.deepEqual([typeof d.value, d.writable, d.enumerable, d.configurable, d.value.length], ["function", true, false, true, 2]);
});

// ---------------------------------------------------------------------------------------------------------
// new AsyncContext.Variable(options)

test("calling Variable without new throws TypeError", () => {
  assert.throws(() => Variable(), TypeError);
  assert.throws(() => Variable({ name: "x" }), TypeError);
});

test("Variable reads options in spec order: has name, get name, ToString(name), get defaultValue", () => {
  const log = [];
  const name = {
    toString() {
      log.push("ToString(name)");
      return "logged";
    },
  };
  const options = new Proxy(
    { name, defaultValue: 7 },
    {
      has(target, key) {
        log.push(`has ${String(key)}`);
        return Reflect.has(target, key);
      },
      get(target, key, receiver) {
        log.push(`get ${String(key)}`);
        return Reflect.get(target, key, receiver);
      },
    },
  );
  const v = new Variable(options);
  assert.deepEqual(log, ["has name", "get name", "ToString(name)", "get defaultValue"]);
  assert.equal(v.name, "logged");
  assert.equal(v.get(), 7);
});

test("Variable reads only defaultValue when options has no name", () => {
  const log = [];
  const options = new Proxy(
    { defaultValue: 1 },
    {
      has(target, key) {
        log.push(`has ${String(key)}`);
        return Reflect.has(target, key);
      },
      get(target, key, receiver) {
        log.push(`get ${String(key)}`);
        return Reflect.get(target, key, receiver);
      },
    },
  );
  new Variable(options);
  assert.deepEqual(log, ["has name", "get defaultValue"]);
});

test("Variable reads NewTarget.prototype after the options", () => {
  const log = [];
  const options = {
    get name() {
      log.push("get name");
      return "n";
    },
    get defaultValue() {
      log.push("get defaultValue");
      return undefined;
    },
  };
  const nt = function () {}.bind(null);
  Object.defineProperty(nt, "prototype", {
    get() {
      log.push("get prototype");
      return Variable.prototype;
    },
  });
  Reflect.construct(Variable, [options], nt);
  assert.deepEqual(log, ["get name", "get defaultValue", "get prototype"]);
});

test("an error thrown while reading NewTarget.prototype propagates from Variable", () => {
  const marker = new Error("prototype getter");
  const nt = function () {}.bind(null);
  Object.defineProperty(nt, "prototype", {
    get() {
      throw marker;
    },
  });
  const thrown = assert.throws(() => Reflect.construct(Variable, [], nt));
  assert.equal(thrown, marker);
});

test("an error thrown by HasProperty(options, \"name\") propagates from Variable", () => {
  const marker = new Error("has trap");
  const options = new Proxy({}, {
    has() {
      throw marker;
    },
  });
  assert.equal(assert.throws(() => new Variable(options)), marker);
});

test("an error thrown by the options.name getter propagates from Variable", () => {
  const marker = new Error("name getter");
  const options = {
    get name() {
      throw marker;
    },
  };
  assert.equal(assert.throws(() => new Variable(options)), marker);
});

test("an error thrown by ToString(options.name) propagates from Variable", () => {
  const marker = new Error("toString");
  const options = {
    name: {
      toString() {
        throw marker;
      },
    },
  };
  assert.equal(assert.throws(() => new Variable(options)), marker);
});

test("an error thrown by the options.defaultValue getter propagates from Variable", () => {
  const marker = new Error("defaultValue getter");
  const options = {
    get defaultValue() {
      throw marker;
    },
  };
  assert.equal(assert.throws(() => new Variable(options)), marker);
});

test("a Symbol name makes Variable throw TypeError", () => {
  assert.throws(() => new Variable({ name: Symbol("s") }), TypeError);
});

test("Variable converts options.name with ToString", () => {
  assert.equal(new Variable({ name: 42 }).name, "42");
  assert.equal(new Variable({ name: null }).name, "null");
  assert.equal(new Variable({ name: { toString: () => "from toString" } }).name, "from toString");
});

test("a name that is present but undefined becomes \"undefined\"", () => {
  assert.equal(new Variable({ name: undefined }).name, "undefined");
});

test("an inherited options.name counts as present", () => {
  const options = Object.create({ name: "inherited", defaultValue: "inherited default" });
  const v = new Variable(options);
  assert.equal(v.name, "inherited");
  assert.equal(v.get(), "inherited default");
});

test("name defaults to the empty string", () => {
  assert.equal(new Variable().name, "");
  assert.equal(new Variable({}).name, "");
});

test("non-object options are ignored", () => {
  const stringWithName = "has a length but is not an object";
  for (const options of [undefined, null, 0, 42, true, stringWithName, Symbol("s"), 10n]) {
    const v = new Variable(options);
    assert.equal(v.name, "", `name for options ${String(options)}`);
    assert.equal(v.get(), undefined, `default for options ${String(options)}`);
  }
});

test("a function is an object and can serve as options", () => {
  const options = function () {};
  options.defaultValue = "from a function";
  const v = new Variable(options);
  // A function has an own "name" property, so HasProperty is true and it is used.
  assert.equal(v.name, "options");
  assert.equal(v.get(), "from a function");
});

// ---------------------------------------------------------------------------------------------------------
// Variable.prototype.name

test("Variable.prototype.name is a getter-only accessor, non-enumerable and configurable", () => {
  assert.deepEqual(attributes(Variable.prototype, "name"), {
    get: "function",
    set: "undefined",
    enumerable: false,
    configurable: true,
  });
});

test("the name getter returns the name given at construction", () => {
  assert.equal(new Variable({ name: "request-id" }).name, "request-id");
});

test("a Variable instance has no own name property", () => {
  assert.equal(Object.hasOwn(new Variable({ name: "x" }), "name"), false);
});

test("assigning to a Variable's name throws TypeError in strict code and keeps the name", () => {
  const v = new Variable({ name: "fixed" });
  assert.throws(() => {
    v.name = "changed";
  }, TypeError);
  assert.equal(v.name, "fixed");
});

test("the name getter throws TypeError for plain objects", () => {
  const getter = Object.getOwnPropertyDescriptor(Variable.prototype, "name").get;
  assert.throws(() => getter.call({}), TypeError);
  assert.throws(() => getter.call({ name: "looks like one" }), TypeError);
});

test("the name getter throws TypeError for Snapshot instances", () => {
  const getter = Object.getOwnPropertyDescriptor(Variable.prototype, "name").get;
  assert.throws(() => getter.call(new Snapshot()), TypeError);
});

test("the name getter throws TypeError for Variable.prototype itself", () => {
  assert.throws(() => Variable.prototype.name, TypeError);
});

test("the name getter throws TypeError for primitives", () => {
  const getter = Object.getOwnPropertyDescriptor(Variable.prototype, "name").get;
  for (const value of [undefined, null, 1, "s", true, Symbol("s")]) {
    assert.throws(() => getter.call(value), TypeError, `this = ${String(value)}`);
  }
});

test("the name getter throws TypeError for an object inheriting from a Variable", () => {
  const fake = Object.create(new Variable({ name: "real" }));
  assert.throws(() => fake.name, TypeError);
});

// ---------------------------------------------------------------------------------------------------------
// Variable.prototype.get

test("get returns the defaultValue when the variable is not set", () => {
  const marker = { default: true };
  assert.equal(new Variable({ defaultValue: marker }).get(), marker);
});

test("get returns undefined when the variable has no defaultValue and is not set", () => {
  assert.equal(new Variable().get(), undefined);
});

test("get returns the value given to run, by identity", () => {
  const v = new Variable({ defaultValue: "default" });
  const value = { id: 1 };
  assert.equal(v.run(value, () => v.get()), value);
});

test("a value of undefined set by run counts as present: get returns undefined, not the default", () => {
  const v = new Variable({ defaultValue: "default" });
  assert.equal(v.run(undefined, () => v.get()), undefined);
});

test("falsy values set by run are returned as they are", () => {
  const v = new Variable({ defaultValue: "default" });
  for (const value of [0, -0, "", false, null, NaN, 0n]) {
    assert.equal(v.run(value, () => v.get()), value, `value ${String(value)}`);
  }
});

test("get throws TypeError for non-Variables (brand check)", () => {
  const get = Variable.prototype.get;
  for (const value of [{}, new Snapshot(), Variable.prototype, Object.create(new Variable()), undefined, 1]) {
    assert.throws(() => get.call(value), TypeError, `this = ${Object.prototype.toString.call(value)}`);
  }
});

// ---------------------------------------------------------------------------------------------------------
// Variable.prototype.run

test("run passes the extra arguments to the callback", () => {
  const v = new Variable();
  assert.deepEqual(v.run(1, (...args) => args, "a", 2, undefined), ["a", 2, undefined]);
});

test("run passes no arguments when none are given", () => {
  const v = new Variable();
  assert.equal(
    v.run(1, function () {
      return arguments.length;
    }),
    0,
  );
});

test("run calls the callback with this undefined", () => {
  const v = new Variable();
  const receiver = v.run(1, function () {
    return this;
  });
  assert.equal(receiver, undefined);
});

test("run returns the callback's result", () => {
  const v = new Variable();
  const result = { result: true };
  assert.equal(v.run(1, () => result), result);
});

test("run restores the previous value when the callback returns", () => {
  const v = new Variable({ defaultValue: "outside" });
  v.run("inside", () => {});
  assert.equal(v.get(), "outside");
});

test("run restores the previous value when the callback throws, and rethrows the same error", () => {
  const v = new Variable({ defaultValue: "outside" });
  const marker = new Error("from the callback");
  const thrown = assert.throws(() =>
    v.run("inside", () => {
      throw marker;
    }),
  );
  assert.equal(thrown, marker);
  assert.equal(v.get(), "outside");
});

test("run rethrows non-Error values thrown by the callback", () => {
  const v = new Variable({ defaultValue: "outside" });
  let caught;
  try {
    v.run("inside", () => {
      throw 42;
    });
  } catch (e) {
    caught = e;
  }
  assert.equal(caught, 42);
  assert.equal(v.get(), "outside");
});

test("run with a non-callable callback throws TypeError and leaves the context as it was", () => {
  const v = new Variable({ defaultValue: "default" });
  v.run("outer", () => {
    for (const notCallable of [undefined, null, 1, "fn", {}, Symbol("s")]) {
      assert.throws(() => v.run("inner", notCallable), TypeError, `callback ${String(notCallable)}`);
      assert.equal(v.get(), "outer", `after callback ${String(notCallable)}`);
    }
  });
  assert.equal(v.get(), "default");
});

test("a nested run shadows the outer value and the outer value returns afterwards", () => {
  const v = new Variable({ defaultValue: 0 });
  const seen = [];
  v.run(1, () => {
    seen.push(v.get());
    v.run(2, () => seen.push(v.get()));
    seen.push(v.get());
  });
  seen.push(v.get());
  assert.deepEqual(seen, [1, 2, 1, 0]);
});

test("a run on one variable does not change another variable", () => {
  const a = new Variable({ defaultValue: "a default" });
  const b = new Variable({ defaultValue: "b default" });
  const seen = a.run("a set", () => {
    const inside = [a.get(), b.get()];
    b.run("b set", () => {});
    return [...inside, a.get(), b.get()];
  });
  assert.deepEqual(seen, ["a set", "b default", "a set", "b default"]);
});

test("values of two variables set by nested runs are both visible", () => {
  const a = new Variable();
  const b = new Variable();
  assert.deepEqual(
    a.run(1, () => b.run(2, () => [a.get(), b.get()])),
    [1, 2],
  );
});

test("two variables with the same name are independent", () => {
  const first = new Variable({ name: "same", defaultValue: "first default" });
  const second = new Variable({ name: "same", defaultValue: "second default" });
  assert.equal(first.run("first set", () => second.get()), "second default");
});

test("run returns a promise returned by the callback as-is", () => {
  const v = new Variable();
  const promise = Promise.resolve("value");
  assert.equal(v.run(1, () => promise), promise);
});

test("run returns the promise of an async callback and the caller's context is restored right away", () => {
  const v = new Variable({ defaultValue: "outside" });
  const result = v.run("inside", async () => v.get());
  assert.ok(result instanceof Promise, "an async callback's promise is returned");
  assert.equal(v.get(), "outside");
});

test("deeply nested runs (1000 levels) unwind back to the original value", () => {
  const v = new Variable({ defaultValue: -1 });
  const depthSeen = [];
  function nest(level) {
    if (level === 1000) return;
    v.run(level, () => {
      nest(level + 1);
      depthSeen.push(v.get() === level);
    });
  }
  nest(0);
  assert.equal(depthSeen.length, 1000);
  assert.ok(depthSeen.every(Boolean), "every level sees its own value after its inner runs returned");
  assert.equal(v.get(), -1);
});

test("run throws TypeError for non-Variables (brand check)", () => {
  const run = Variable.prototype.run;
  for (const value of [{}, new Snapshot(), Variable.prototype, undefined, 1]) {
    assert.throws(() => run.call(value, 1, () => {}), TypeError, `this = ${Object.prototype.toString.call(value)}`);
  }
});

test("run with a wrong receiver does not call the callback", () => {
  let called = false;
  assert.throws(() => Variable.prototype.run.call({}, 1, () => (called = true)), TypeError);
  assert.equal(called, false);
});

// ---------------------------------------------------------------------------------------------------------
// Subclassing and NewTarget

test("a class extending Variable creates instances of the subclass", () => {
  class NamedVariable extends Variable {}
  const v = new NamedVariable({ name: "sub" });
  assert.ok(v instanceof NamedVariable, "instanceof the subclass");
  assert.ok(v instanceof Variable, "instanceof Variable");
  assert.equal(Object.getPrototypeOf(v), NamedVariable.prototype);
});

test("the methods and the name getter work on subclass instances", () => {
  class TaggedVariable extends Variable {
    describe() {
      return `${this.name}=${this.get()}`;
    }
  }
  const v = new TaggedVariable({ name: "tag", defaultValue: "d" });
  assert.equal(v.describe(), "tag=d");
  assert.equal(v.run("set", () => v.describe()), "tag=set");
});

test("Variable uses NewTarget.prototype for the new instance", () => {
  const proto = Object.create(Variable.prototype);
  const v = Reflect.construct(Variable, [], newTargetWithPrototype(proto));
  assert.equal(Object.getPrototypeOf(v), proto);
  assert.equal(v.run(1, () => v.get()), 1);
});

test("Variable falls back to Variable.prototype when NewTarget.prototype is not an object", () => {
  for (const prototype of [undefined, null, 1, "s", true, Symbol("s")]) {
    const v = Reflect.construct(Variable, [], newTargetWithPrototype(prototype));
    assert.equal(Object.getPrototypeOf(v), Variable.prototype, `prototype ${String(prototype)}`);
  }
});

test("Variable instances are extensible", () => {
  assert.equal(Object.isExtensible(new Variable()), true);
});

// ---------------------------------------------------------------------------------------------------------
// new AsyncContext.Snapshot() and Snapshot.prototype.run

test("calling Snapshot without new throws TypeError", () => {
  assert.throws(() => Snapshot(), TypeError);
});

test("a Snapshot captures the context current at construction", () => {
  const v = new Variable({ defaultValue: "default" });
  const snapshot = v.run("captured", () => new Snapshot());
  assert.equal(snapshot.run(() => v.get()), "captured");
});

test("a Snapshot is not affected by runs that happen after its construction", () => {
  const v = new Variable({ defaultValue: "default" });
  const snapshot = v.run("captured", () => new Snapshot());
  assert.equal(v.run("later", () => snapshot.run(() => v.get())), "captured");
});

test("a Snapshot taken in the empty context runs with every variable at its default", () => {
  const a = new Variable({ defaultValue: "a default" });
  const b = new Variable({ defaultValue: "b default" });
  const empty = new Snapshot();
  assert.deepEqual(
    a.run("a set", () => b.run("b set", () => empty.run(() => [a.get(), b.get()]))),
    ["a default", "b default"],
  );
});

test("a Snapshot captures every variable, including ones created after it", () => {
  const snapshot = new Snapshot();
  const later = new Variable({ defaultValue: "later default" });
  assert.equal(later.run("set", () => snapshot.run(() => later.get())), "later default");
});

test("a run inside Snapshot.prototype.run does not change the snapshot", () => {
  const v = new Variable({ defaultValue: "default" });
  const snapshot = v.run("captured", () => new Snapshot());
  snapshot.run(() => v.run("changed inside", () => {}));
  assert.equal(snapshot.run(() => v.get()), "captured");
});

test("Snapshot.prototype.run passes the extra arguments to the callback", () => {
  assert.deepEqual(new Snapshot().run((...args) => args, 1, "two", undefined), [1, "two", undefined]);
});

test("Snapshot.prototype.run calls the callback with this undefined", () => {
  const receiver = new Snapshot().run(function () {
    return this;
  });
  assert.equal(receiver, undefined);
});

test("Snapshot.prototype.run returns the callback's result", () => {
  const result = {};
  assert.equal(new Snapshot().run(() => result), result);
});

test("Snapshot.prototype.run restores the caller's context when the callback returns", () => {
  const v = new Variable({ defaultValue: "default" });
  const snapshot = v.run("captured", () => new Snapshot());
  assert.equal(
    v.run("caller", () => {
      snapshot.run(() => {});
      return v.get();
    }),
    "caller",
  );
});

test("Snapshot.prototype.run restores the caller's context when the callback throws, and rethrows", () => {
  const v = new Variable({ defaultValue: "default" });
  const snapshot = v.run("captured", () => new Snapshot());
  const marker = new Error("from the callback");
  v.run("caller", () => {
    const thrown = assert.throws(() =>
      snapshot.run(() => {
        throw marker;
      }),
    );
    assert.equal(thrown, marker);
    assert.equal(v.get(), "caller");
  });
});

test("Snapshot.prototype.run with a non-callable callback throws TypeError and leaves the context as it was", () => {
  const v = new Variable({ defaultValue: "default" });
  const snapshot = v.run("captured", () => new Snapshot());
  v.run("caller", () => {
    for (const notCallable of [undefined, null, 1, {}, "fn"]) {
      assert.throws(() => snapshot.run(notCallable), TypeError, `callback ${String(notCallable)}`);
      assert.equal(v.get(), "caller", `after callback ${String(notCallable)}`);
    }
  });
});

test("Snapshot.prototype.run throws TypeError for non-Snapshots (brand check)", () => {
  const run = Snapshot.prototype.run;
  for (const value of [{}, new Variable(), Snapshot.prototype, Object.create(new Snapshot()), undefined, 1]) {
    assert.throws(() => run.call(value, () => {}), TypeError, `this = ${Object.prototype.toString.call(value)}`);
  }
});

test("a snapshot run inside another snapshot's run sees the inner snapshot, then the outer one again", () => {
  const a = new Variable({ defaultValue: "a default" });
  const b = new Variable({ defaultValue: "b default" });
  const outer = a.run("a outer", () => new Snapshot());
  const inner = a.run("a inner", () => b.run("b inner", () => new Snapshot()));
  const seen = outer.run(() => {
    const during = inner.run(() => [a.get(), b.get()]);
    return [...during, a.get(), b.get()];
  });
  assert.deepEqual(seen, ["a inner", "b inner", "a outer", "b default"]);
});

test("a class extending Snapshot captures and runs like Snapshot", () => {
  class NamedSnapshot extends Snapshot {
    constructor(label) {
      super();
      this.label = label;
    }
  }
  const v = new Variable({ defaultValue: "default" });
  const snapshot = v.run("captured", () => new NamedSnapshot("x"));
  assert.ok(snapshot instanceof NamedSnapshot, "instanceof the subclass");
  assert.ok(snapshot instanceof Snapshot, "instanceof Snapshot");
  assert.equal(snapshot.run(() => v.get()), "captured");
});

test("Snapshot uses NewTarget.prototype for the new instance", () => {
  const proto = Object.create(Snapshot.prototype);
  const snapshot = Reflect.construct(Snapshot, [], newTargetWithPrototype(proto));
  assert.equal(Object.getPrototypeOf(snapshot), proto);
  assert.equal(snapshot.run(() => "ran"), "ran");
});

test("Snapshot falls back to Snapshot.prototype when NewTarget.prototype is not an object", () => {
  for (const prototype of [undefined, null, 1, "s"]) {
    const snapshot = Reflect.construct(Snapshot, [], newTargetWithPrototype(prototype));
    assert.equal(Object.getPrototypeOf(snapshot), Snapshot.prototype, `prototype ${String(prototype)}`);
  }
});

test("Snapshot instances are extensible", () => {
  assert.equal(Object.isExtensible(new Snapshot()), true);
});

// ---------------------------------------------------------------------------------------------------------
// Snapshot.wrap

test("Snapshot.wrap throws TypeError for non-callable values", () => {
  for (const value of [undefined, null, 1, "function", {}, Symbol("s"), Promise.resolve()]) {
    assert.throws(() => Snapshot.wrap(value), TypeError, `value ${String(value)}`);
  }
});

test("a wrapped function runs in the context current at wrap time", () => {
  const v = new Variable({ defaultValue: "default" });
  const wrapped = v.run("at wrap", () => Snapshot.wrap(() => v.get()));
  assert.equal(wrapped(), "at wrap");
  assert.equal(v.run("at call", () => wrapped()), "at wrap");
});

test("a function wrapped in the empty context runs with every variable at its default", () => {
  const v = new Variable({ defaultValue: "default" });
  const wrapped = Snapshot.wrap(() => v.get());
  assert.equal(v.run("at call", () => wrapped()), "default");
});

function returnThis() {
  return this;
}

test("a wrapped function passes the caller's this object", () => {
  const receiver = { wrapped: Snapshot.wrap(returnThis) };
  assert.equal(receiver.wrapped(), receiver);
});

test("a wrapped function passes a primitive this without boxing it", () => {
  assert.equal(Snapshot.wrap(returnThis).call("primitive"), "primitive");
  assert.equal(Snapshot.wrap(returnThis).call(7), 7);
});

test("a wrapped function called without a receiver passes this undefined", () => {
  assert.equal(Snapshot.wrap(returnThis)(), undefined);
  assert.equal(Snapshot.wrap(returnThis).call(null), null);
});

test("a wrapped function passes the caller's arguments", () => {
  const wrapped = Snapshot.wrap((...args) => args);
  assert.deepEqual(wrapped(1, "two", undefined), [1, "two", undefined]);
  assert.deepEqual(wrapped(), []);
});

test("a wrapped function returns the callback's result", () => {
  const result = {};
  assert.equal(Snapshot.wrap(() => result)(), result);
});

test("a wrapped function restores the caller's context when the callback returns", () => {
  const v = new Variable({ defaultValue: "default" });
  const wrapped = v.run("at wrap", () => Snapshot.wrap(() => {}));
  assert.equal(
    v.run("caller", () => {
      wrapped();
      return v.get();
    }),
    "caller",
  );
  wrapped();
  assert.equal(v.get(), "default");
});

test("a wrapped function restores the caller's context when the callback throws, and rethrows", () => {
  const v = new Variable({ defaultValue: "default" });
  const marker = new Error("from the callback");
  const wrapped = v.run("at wrap", () =>
    Snapshot.wrap(() => {
      throw marker;
    }),
  );
  v.run("caller", () => {
    assert.equal(assert.throws(() => wrapped()), marker);
    assert.equal(v.get(), "caller");
  });
});

test("a wrapped function can be called many times and keeps its capture", () => {
  const v = new Variable();
  const wrapped = v.run("captured", () => Snapshot.wrap(() => v.get()));
  const seen = [];
  for (let i = 0; i < 5; i++) seen.push(v.run(i, () => wrapped()));
  assert.deepEqual(seen, ["captured", "captured", "captured", "captured", "captured"]);
});

test("wrapping a wrapped function keeps the inner capture and restores both", () => {
  const v = new Variable({ defaultValue: "default" });
  const inner = v.run("inner", () => Snapshot.wrap(() => v.get()));
  const outer = v.run("outer", () => Snapshot.wrap(inner));
  assert.equal(v.run("caller", () => [outer(), v.get()].join(",")), "inner,caller");
});

test("a wrapped function called from inside another wrapped function restores the outer capture", () => {
  const v = new Variable({ defaultValue: "default" });
  const inner = v.run("inner", () => Snapshot.wrap(() => v.get()));
  const outer = v.run("outer", () => Snapshot.wrap(() => [inner(), v.get()]));
  assert.deepEqual(outer(), ["inner", "outer"]);
});

test("Snapshot.wrap returns a new function each time", () => {
  const f = () => {};
  assert.notEqual(Snapshot.wrap(f), Snapshot.wrap(f));
});

test("the wrapped function's name is \"wrapped \" + fn.name", () => {
  assert.equal(Snapshot.wrap(function callback() {}).name, "wrapped callback");
});

test("the wrapped function's name is \"wrapped \" for an anonymous function", () => {
  const wrapped = Snapshot.wrap((0, () => {}));
  assert.equal(wrapped.name, "wrapped ");
});

test("the wrapped function's name is \"wrapped \" when fn.name is not a string", () => {
  for (const name of [42, undefined, null, Symbol("s"), new String("boxed"), { toString: () => "no" }]) {
    assert.equal(Snapshot.wrap(withName(name)).name, "wrapped ", `name ${String(name)}`);
  }
});

test("the wrapped function's name does not call toString on a non-string fn.name", () => {
  let called = false;
  Snapshot.wrap(
    withName({
      toString() {
        called = true;
        return "x";
      },
    }),
  );
  assert.equal(called, false);
});

test("the wrapped function's name uses a name inherited through the prototype chain", () => {
  const f = function () {};
  delete f.name;
  Object.setPrototypeOf(f, Object.create(Function.prototype, { name: { value: "inherited" } }));
  assert.equal(Snapshot.wrap(f).name, "wrapped inherited");
});

test("the wrapped function's name is non-writable, non-enumerable and configurable", () => {
  assert.deepEqual(attributes(Snapshot.wrap(function f() {}), "name"), FUNCTION_PROP);
});

test("the wrapped function's length is fn's own length", () => {
  assert.equal(Snapshot.wrap(function (a, b, c) {}).length, 3);
  assert.equal(Snapshot.wrap(withLength(42)).length, 42);
  assert.equal(Snapshot.wrap(withLength(0)).length, 0);
});

test("the wrapped function's length is the integer part of a fractional length", () => {
  assert.equal(Snapshot.wrap(withLength(7.9)).length, 7);
  assert.equal(Snapshot.wrap(withLength(7.2)).length, 7);
});

test("the wrapped function's length keeps +Infinity", () => {
  assert.equal(Snapshot.wrap(withLength(Infinity)).length, Infinity);
});

test("the wrapped function's length is 0 for -Infinity and negative lengths", () => {
  for (const length of [-Infinity, -1, -42, -0.5, -0]) {
    assert.equal(Snapshot.wrap(withLength(length)).length, 0, `length ${Object.is(length, -0) ? "-0" : length}`);
  }
});

test("the wrapped function's length is 0 for NaN", () => {
  assert.equal(Snapshot.wrap(withLength(NaN)).length, 0);
});

test("the wrapped function's length is 0 when fn's length is not a number", () => {
  for (const length of ["42", undefined, null, true, {}, 5n, { valueOf: () => 3 }]) {
    assert.equal(Snapshot.wrap(withLength(length)).length, 0, `length ${typeof length} ${String(length)}`);
  }
});

test("the wrapped function's length ignores a length inherited through the prototype chain", () => {
  const f = function (a, b) {};
  delete f.length;
  Object.setPrototypeOf(f, Object.create(Function.prototype, { length: { value: 5 } }));
  assert.equal(f.length, 5, "fn.length is inherited");
  assert.equal(Snapshot.wrap(f).length, 0);
});

test("the wrapped function's length is non-writable, non-enumerable and configurable", () => {
  assert.deepEqual(attributes(Snapshot.wrap(function (a) {}), "length"), FUNCTION_PROP);
});

test("an error thrown by fn's own length getter propagates from Snapshot.wrap", () => {
  const marker = new Error("length getter");
  const f = function () {};
  Object.defineProperty(f, "length", {
    get() {
      throw marker;
    },
  });
  assert.equal(assert.throws(() => Snapshot.wrap(f)), marker);
});

test("an error thrown by fn's name getter propagates from Snapshot.wrap", () => {
  const marker = new Error("name getter");
  const f = function () {};
  Object.defineProperty(f, "name", {
    get() {
      throw marker;
    },
  });
  assert.equal(assert.throws(() => Snapshot.wrap(f)), marker);
});

test("an error thrown by an inherited name getter propagates from Snapshot.wrap", () => {
  const marker = new Error("inherited name getter");
  const f = function () {};
  delete f.name;
  Object.setPrototypeOf(
    f,
    Object.create(Function.prototype, {
      name: {
        get() {
          throw marker;
        },
      },
    }),
  );
  assert.equal(assert.throws(() => Snapshot.wrap(f)), marker);
});

test("an inherited length getter is not called by Snapshot.wrap", () => {
  let called = false;
  const f = function () {};
  delete f.length;
  Object.setPrototypeOf(
    f,
    Object.create(Function.prototype, {
      length: {
        get() {
          called = true;
          throw new Error("must not be called");
        },
      },
    }),
  );
  Snapshot.wrap(f);
  assert.equal(called, false);
});

test("Snapshot.wrap reads fn's length and name in the same order as Function.prototype.bind", () => {
  const logFor = (use) => {
    const log = [];
    const target = function target(a, b) {};
    const proxy = new Proxy(target, {
      getOwnPropertyDescriptor(t, key) {
        log.push(`own ${String(key)}`);
        return Reflect.getOwnPropertyDescriptor(t, key);
      },
      get(t, key, receiver) {
        log.push(`get ${String(key)}`);
        return Reflect.get(t, key, receiver);
      },
      has(t, key) {
        log.push(`has ${String(key)}`);
        return Reflect.has(t, key);
      },
    });
    use(proxy);
    return log;
  };
  const viaBind = logFor((f) => Function.prototype.bind.call(f, null));
  const viaWrap = logFor((f) => Snapshot.wrap(f));
  assert.deepEqual(viaWrap, viaBind);
});

test("the wrapped function is not a constructor", () => {
  const wrapped = Snapshot.wrap(function F() {});
  assert.equal(isConstructor(wrapped), false);
  assert.throws(() => new wrapped(), TypeError);
});

test("the wrapped function has no prototype property", () => {
  assert.equal(Object.hasOwn(Snapshot.wrap(function F() {}), "prototype"), false);
});

test("the wrapped function inherits from Function.prototype", () => {
  assert.equal(Object.getPrototypeOf(Snapshot.wrap(() => {})), Function.prototype);
});

test("the wrapped function has exactly the own keys length and name", () => {
  assert.deepEqual(ownKeySet(Snapshot.wrap(function f(a) {})), ["length", "name"]);
});

test("Snapshot.wrap called with a non-Snapshot this still works (it is a static function)", () => {
  const wrap = Snapshot.wrap;
  const v = new Variable();
  const wrapped = v.run("captured", () => wrap(() => v.get()));
  assert.equal(wrapped(), "captured");
});

// ---------------------------------------------------------------------------------------------------------
// Shape of the constructors and prototypes

test("methods and accessors are not constructors", () => {
  const functions = {
    "Variable.prototype.get": Variable.prototype.get,
    "Variable.prototype.run": Variable.prototype.run,
    "get Variable.prototype.name": Object.getOwnPropertyDescriptor(Variable.prototype, "name").get,
    "Snapshot.prototype.run": Snapshot.prototype.run,
    "Snapshot.wrap": Snapshot.wrap,
  };
  for (const [label, f] of Object.entries(functions)) {
    assert.equal(isConstructor(f), false, label);
  }
});

test("methods and accessors have no prototype property", () => {
  const functions = {
    "Variable.prototype.get": Variable.prototype.get,
    "Variable.prototype.run": Variable.prototype.run,
    "get Variable.prototype.name": Object.getOwnPropertyDescriptor(Variable.prototype, "name").get,
    "Snapshot.prototype.run": Snapshot.prototype.run,
    "Snapshot.wrap": Snapshot.wrap,
  };
  for (const [label, f] of Object.entries(functions)) {
    assert.equal(Object.hasOwn(f, "prototype"), false, label);
  }
});

test("Variable and Snapshot are constructors", () => {
  assert.equal(isConstructor(Variable), true, "Variable");
  assert.equal(isConstructor(Snapshot), true, "Snapshot");
});

test("constructor lengths are Variable 1 and Snapshot 0", () => {
  assert.equal(Variable.length, 1, "Variable.length");
  assert.equal(Snapshot.length, 0, "Snapshot.length");
});

test("method lengths are Variable run 2, get 0, Snapshot run 1, wrap 1", () => {
  assert.equal(Variable.prototype.run.length, 2, "Variable.prototype.run.length");
  assert.equal(Variable.prototype.get.length, 0, "Variable.prototype.get.length");
  assert.equal(Snapshot.prototype.run.length, 1, "Snapshot.prototype.run.length");
  assert.equal(Snapshot.wrap.length, 1, "Snapshot.wrap.length");
});

test("function names are Variable, Snapshot, get, run, wrap and \"get name\"", () => {
  assert.equal(Variable.name, "Variable");
  assert.equal(Snapshot.name, "Snapshot");
  assert.equal(Variable.prototype.get.name, "get");
  assert.equal(Variable.prototype.run.name, "run");
  assert.equal(Snapshot.prototype.run.name, "run");
  assert.equal(Snapshot.wrap.name, "wrap");
  assert.equal(Object.getOwnPropertyDescriptor(Variable.prototype, "name").get.name, "get name");
});

test("name and length of the built-in functions are non-writable, non-enumerable and configurable", () => {
  const functions = [Variable, Snapshot, Variable.prototype.get, Variable.prototype.run, Snapshot.prototype.run, Snapshot.wrap];
  for (const f of functions) {
    assert.deepEqual(attributes(f, "name"), FUNCTION_PROP, `${f.name}.name`);
    assert.deepEqual(attributes(f, "length"), FUNCTION_PROP, `${f.name}.length`);
  }
});

test("methods are writable, non-enumerable and configurable", () => {
  assert.deepEqual(attributes(Variable.prototype, "get"), METHOD, "Variable.prototype.get");
  assert.deepEqual(attributes(Variable.prototype, "run"), METHOD, "Variable.prototype.run");
  assert.deepEqual(attributes(Snapshot.prototype, "run"), METHOD, "Snapshot.prototype.run");
  assert.deepEqual(attributes(Snapshot, "wrap"), METHOD, "Snapshot.wrap");
});

test("the prototype property of Variable and Snapshot is non-writable, non-enumerable and non-configurable", () => {
  const expected = { writable: false, enumerable: false, configurable: false };
  assert.deepEqual(attributes(Variable, "prototype"), expected, "Variable.prototype");
  assert.deepEqual(attributes(Snapshot, "prototype"), expected, "Snapshot.prototype");
});

test("prototype.constructor points back to the constructor and is writable, non-enumerable, configurable", () => {
  assert.equal(Variable.prototype.constructor, Variable);
  assert.equal(Snapshot.prototype.constructor, Snapshot);
  assert.deepEqual(attributes(Variable.prototype, "constructor"), METHOD, "Variable.prototype.constructor");
  assert.deepEqual(attributes(Snapshot.prototype, "constructor"), METHOD, "Snapshot.prototype.constructor");
});

test("Variable.prototype[Symbol.toStringTag] is \"AsyncContext.Variable\", non-writable, non-enumerable, configurable", () => {
  assert.equal(Variable.prototype[Symbol.toStringTag], "AsyncContext.Variable");
  assert.deepEqual(attributes(Variable.prototype, Symbol.toStringTag), FUNCTION_PROP);
});

test("Snapshot.prototype[Symbol.toStringTag] is \"AsyncContext.Snapshot\", non-writable, non-enumerable, configurable", () => {
  assert.equal(Snapshot.prototype[Symbol.toStringTag], "AsyncContext.Snapshot");
  assert.deepEqual(attributes(Snapshot.prototype, Symbol.toStringTag), FUNCTION_PROP);
});

test("Object.prototype.toString reports [object AsyncContext.Variable] and [object AsyncContext.Snapshot]", () => {
  assert.equal(Object.prototype.toString.call(new Variable()), "[object AsyncContext.Variable]");
  assert.equal(Object.prototype.toString.call(new Snapshot()), "[object AsyncContext.Snapshot]");
});

test("the constructors inherit from Function.prototype and the prototypes from Object.prototype", () => {
  assert.equal(Object.getPrototypeOf(Variable), Function.prototype);
  assert.equal(Object.getPrototypeOf(Snapshot), Function.prototype);
  assert.equal(Object.getPrototypeOf(Variable.prototype), Object.prototype);
  assert.equal(Object.getPrototypeOf(Snapshot.prototype), Object.prototype);
});

test("Variable has exactly the own keys length, name and prototype", () => {
  assert.deepEqual(ownKeySet(Variable), ["length", "name", "prototype"]);
});

test("Snapshot has exactly the own keys length, name, prototype and wrap", () => {
  assert.deepEqual(ownKeySet(Snapshot), ["length", "name", "prototype", "wrap"]);
});

test("Variable.prototype has exactly the own keys constructor, get, name, run and Symbol.toStringTag", () => {
  assert.deepEqual(ownKeySet(Variable.prototype), ["@@toStringTag", "constructor", "get", "name", "run"]);
});

test("Snapshot.prototype has exactly the own keys constructor, run and Symbol.toStringTag", () => {
  assert.deepEqual(ownKeySet(Snapshot.prototype), ["@@toStringTag", "constructor", "run"]);
});

// ---------------------------------------------------------------------------------------------------------
// Nothing leaks: instances carry no visible state

test("a Variable instance has no own keys", () => {
  assert.deepEqual(Reflect.ownKeys(new Variable({ name: "n", defaultValue: 1 })), []);
});

test("a Snapshot instance has no own keys", () => {
  const v = new Variable();
  assert.deepEqual(Reflect.ownKeys(v.run("value", () => new Snapshot())), []);
});

test("for-in over Variable and Snapshot instances visits nothing", () => {
  const visited = [];
  const v = new Variable({ name: "n", defaultValue: 1 });
  for (const key in v) visited.push(key);
  for (const key in v.run(1, () => new Snapshot())) visited.push(key);
  assert.deepEqual(visited, []);
});

test("JSON.stringify of a Snapshot is \"{}\"", () => {
  const v = new Variable();
  assert.equal(JSON.stringify(v.run({ secret: 1 }, () => new Snapshot())), "{}");
});

test("JSON.stringify of a Variable is \"{}\"", () => {
  assert.equal(JSON.stringify(new Variable({ name: "n", defaultValue: "d" })), "{}");
});

test("Object.keys of a Snapshot and a Variable are empty", () => {
  assert.deepEqual(Object.keys(new Snapshot()), []);
  assert.deepEqual(Object.keys(new Variable({ name: "n" })), []);
});

// ---------------------------------------------------------------------------------------------------------
// Patched platform functions look like the originals

test("the harness captured the platform functions before the polyfill loaded", () => {
  assert.equal(originals.capturedBeforePolyfill, true);
  assert.ok(originals.descriptors.length >= 10, "descriptors captured");
});

const nativeCode = /^function [\w$]*\(\) \{\s*\[native code\]\s*\}$/;
const toSource = (f) => Reflect.apply(Function.prototype.toString, f, []);

for (const { label, holder, key, descriptor: before } of originals.descriptors) {
  const current = () => Object.getOwnPropertyDescriptor(holder, key);
  const original = before.value;

  test(`${label} keeps its original name and length`, () => {
    const now = current().value;
    assert.equal(now.name, original.name, `${label}.name`);
    assert.equal(now.length, original.length, `${label}.length`);
  });

  test(`${label} keeps its original property attributes`, () => {
    const now = current();
    assert.deepEqual(
      { writable: now.writable, enumerable: now.enumerable, configurable: now.configurable, isData: "value" in now },
      { writable: before.writable, enumerable: before.enumerable, configurable: before.configurable, isData: true },
    );
  });

  test(`Function.prototype.toString of ${label} shows [native code]`, () => {
    const source = toSource(current().value);
    assert.ok(nativeCode.test(source), `${label} renders as ${JSON.stringify(source)}`);
  });

  test(`Function.prototype.toString of ${label} is the same as for the original`, () => {
    assert.equal(toSource(current().value), toSource(original));
  });

  test(`${label} is a constructor and has a prototype property only if the original did`, () => {
    const now = current().value;
    assert.equal(isConstructor(now), isConstructor(original), "IsConstructor");
    assert.equal(Object.hasOwn(now, "prototype"), Object.hasOwn(original, "prototype"), "own prototype property");
  });
}
