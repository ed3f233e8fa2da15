// Good usages through the package's named exports. Every section must compile under --strict.
import { AsyncContext, implementation } from "asynccontext";

type Equal<X, Y> = (<V>() => V extends X ? 1 : 2) extends <V>() => V extends Y ? 1 : 2 ? true : false;
function expectType<_ extends true>(): void {}

// test: the AsyncContext export is the same type as the global AsyncContext
expectType<Equal<typeof AsyncContext, typeof globalThis.AsyncContext>>();

// test: implementation is one of "asynccontext", "native", "other"
expectType<Equal<typeof implementation, "asynccontext" | "native" | "other">>();

// test: Variable's type parameter is inferred from defaultValue
{
  const count = new AsyncContext.Variable({ name: "count", defaultValue: 0 });
  expectType<Equal<typeof count, AsyncContext.Variable<number>>>();
  expectType<Equal<ReturnType<typeof count.get>, number>>();
}

// test: Variable without options can be given an explicit type including undefined
{
  const requestId = new AsyncContext.Variable<string | undefined>();
  const seen: string | undefined = requestId.get();
  void seen;
}

// test: Variable.name is a string
{
  const v = new AsyncContext.Variable<number>({ name: "n", defaultValue: 1 });
  const name: string = v.name;
  void name;
}

// test: Variable.run returns the callback's result type
{
  const v = new AsyncContext.Variable({ defaultValue: "" });
  const r = v.run("a", () => 42);
  expectType<Equal<typeof r, number>>();
  const p = v.run("b", async () => v.get());
  expectType<Equal<typeof p, Promise<string>>>();
}

// test: Variable.run passes extra arguments typed by the callback's parameters
{
  const v = new AsyncContext.Variable({ defaultValue: 0 });
  const s = v.run(1, (a: string, b: number) => a.repeat(b), "x", 3);
  expectType<Equal<typeof s, string>>();
}

// test: Snapshot.run returns the callback's result and passes extra arguments
{
  const snapshot = new AsyncContext.Snapshot();
  const n = snapshot.run((a: number, b: number) => a + b, 1, 2);
  expectType<Equal<typeof n, number>>();
  const u = snapshot.run(() => undefined);
  expectType<Equal<typeof u, undefined>>();
}

// test: Snapshot.wrap keeps the parameter, return and this types of the wrapped function
{
  const wrapped = AsyncContext.Snapshot.wrap((a: number, b?: string) => `${a}${b ?? ""}`);
  expectType<Equal<typeof wrapped, (this: unknown, a: number, b?: string) => string>>();
  const out: string = wrapped(1);
  void out;

  const counter = {
    n: 0,
    bump: AsyncContext.Snapshot.wrap(function (this: { n: number }, by: number) {
      return (this.n += by);
    }),
  };
  const after: number = counter.bump(2);
  void after;
}

// test: the namespace exports the Variable and Snapshot types for annotations
{
  const v: AsyncContext.Variable<boolean> = new AsyncContext.Variable({ defaultValue: false });
  const s: AsyncContext.Snapshot = new AsyncContext.Snapshot();
  const options: AsyncContext.VariableOptions<boolean> = { name: "flag", defaultValue: true };
  void v;
  void s;
  void options;
}

// test: Variable and Snapshot can be subclassed
{
  class Tagged extends AsyncContext.Variable<string> {
    tag(): string {
      return `[${this.get()}]`;
    }
  }
  class Named extends AsyncContext.Snapshot {
    constructor(readonly label: string) {
      super();
    }
  }
  const t = new Tagged({ defaultValue: "none" });
  const tagged: string = t.run("a", () => t.tag());
  const label: string = new Named("x").label;
  void tagged;
  void label;
}

// test: Symbol.toStringTag is typed as the spec's tag strings
{
  const tag: "AsyncContext.Variable" = new AsyncContext.Variable()[Symbol.toStringTag];
  const snapTag: "AsyncContext.Snapshot" = new AsyncContext.Snapshot()[Symbol.toStringTag];
  void tag;
  void snapTag;
}
