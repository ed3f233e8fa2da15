// Bad usages: each must be a type error. A section fails when its @ts-expect-error is unused.
import { AsyncContext, implementation } from "asynccontext";

// test: the name option must be a string
// @ts-expect-error name is a number
new AsyncContext.Variable({ name: 1 });

// test: defaultValue must match the explicit type parameter
// @ts-expect-error defaultValue is a string, T is number
new AsyncContext.Variable<number>({ defaultValue: "zero" });

// test: Variable cannot be called without new
// @ts-expect-error a class constructor is not callable
AsyncContext.Variable();

// test: Snapshot cannot be called without new
// @ts-expect-error a class constructor is not callable
AsyncContext.Snapshot();

// test: Variable.name is read-only
{
  const v = new AsyncContext.Variable({ name: "a", defaultValue: 0 });
  // @ts-expect-error name is readonly
  v.name = "b";
}

// test: Variable.run rejects a value of the wrong type
{
  const v = new AsyncContext.Variable({ defaultValue: "" });
  // @ts-expect-error 5 is not a string
  v.run(5, () => {});
}

// test: Variable.run requires a callback
{
  const v = new AsyncContext.Variable({ defaultValue: 0 });
  // @ts-expect-error the callback is missing
  v.run(1);
}

// test: Variable.run checks extra arguments against the callback's parameters
{
  const v = new AsyncContext.Variable({ defaultValue: 0 });
  // @ts-expect-error "3" is not a number
  v.run(1, (a: number) => a, "3");
}

// test: Variable.run requires every argument the callback needs
{
  const v = new AsyncContext.Variable({ defaultValue: 0 });
  // @ts-expect-error the callback needs one argument
  v.run(1, (a: number) => a);
}

// test: Variable.run's result has the callback's return type
{
  const v = new AsyncContext.Variable({ defaultValue: 0 });
  // @ts-expect-error the callback returns a number
  const s: string = v.run(1, () => 1);
  void s;
}

// test: Variable.get returns the variable's type
{
  const v = new AsyncContext.Variable({ defaultValue: 0 });
  // @ts-expect-error get() returns a number
  const s: string = v.get();
  void s;
}

// test: Snapshot.run checks extra arguments against the callback's parameters
{
  const snapshot = new AsyncContext.Snapshot();
  // @ts-expect-error "1" is not a number
  snapshot.run((a: number) => a, "1");
}

// test: Snapshot.run is an instance method, not a static one
// @ts-expect-error run is on instances
AsyncContext.Snapshot.run(() => 1);

// test: Snapshot.wrap requires a function
// @ts-expect-error 5 is not callable
AsyncContext.Snapshot.wrap(5);

// test: Snapshot.wrap is static, not an instance method
// @ts-expect-error wrap is on the constructor
new AsyncContext.Snapshot().wrap(() => 1);

// test: a wrapped function keeps its parameter types
{
  const wrapped = AsyncContext.Snapshot.wrap((a: number) => a);
  // @ts-expect-error "1" is not a number
  wrapped("1");
}

// test: a wrapped function keeps its this type
{
  const wrapped = AsyncContext.Snapshot.wrap(function (this: { n: number }) {
    return this.n;
  });
  // @ts-expect-error this is { s: string }, not { n: number }
  wrapped.call({ s: "x" });
}

// test: AsyncContext itself is not a constructor
// @ts-expect-error the namespace object has no construct signature
new AsyncContext();

// test: implementation is only one of the three known names
// @ts-expect-error "polyfill" is not a possible value
if (implementation === "polyfill") {
}

// test: the package exports nothing besides AsyncContext and implementation
// @ts-expect-error Variable is not a top-level export
import { Variable } from "asynccontext";
void Variable;
