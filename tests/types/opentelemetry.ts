// asynccontext/opentelemetry through its module entry: good usages must compile under --strict
// against @opentelemetry/api's own types, bad ones (marked @ts-expect-error) must not.
import { ROOT_CONTEXT, context, createContextKey, trace } from "@opentelemetry/api";
import type { Context, ContextManager, Span } from "@opentelemetry/api";
import { AsyncContextManager, IdleInteractionContextManager } from "asynccontext/opentelemetry";
import type { AsyncContextManagementToken, IdleInteractionOptions, InteractionSpanProcessor } from "asynccontext/opentelemetry";

type Equal<X, Y> = (<V>() => V extends X ? 1 : 2) extends <V>() => V extends Y ? 1 : 2 ? true : false;
function expectType<_ extends true>(): void {}
const key = createContextKey("k");

// test: AsyncContextManager is a ContextManager of @opentelemetry/api and registers with the api
{
  const manager: ContextManager = new AsyncContextManager();
  const registered: boolean = context.setGlobalContextManager(new AsyncContextManager().enable());
}

// test: enable() and disable() return the manager's own type (subclasses too)
{
  class Sub extends AsyncContextManager {}
  expectType<Equal<ReturnType<Sub["enable"]>, Sub>>();
  const sub: Sub = new Sub().enable().disable();
}

// test: with() returns fn's result type and checks thisArg and the arguments
{
  const manager = new AsyncContextManager();
  const n: number = manager.with(ROOT_CONTEXT, (a: number, b: string) => a + b.length, undefined, 1, "x");
  const p: Promise<string> = manager.with(ROOT_CONTEXT.setValue(key, 1), async () => "done");
  const withThis: string = manager.with(ROOT_CONTEXT, function (this: { s: string }) { return this.s; }, { s: "x" });
  // @ts-expect-error: the second argument must be a function
  manager.with(ROOT_CONTEXT, 42);
  // @ts-expect-error: the arguments must match fn's parameters
  manager.with(ROOT_CONTEXT, (a: number) => a, undefined, "not a number");
}

// test: active() is a Context and bind() keeps the target's type
{
  const manager = new AsyncContextManager();
  const active: Context = manager.active();
  const fn: (x: number) => string = manager.bind(active, (x: number) => String(x));
  const element: HTMLButtonElement = manager.bind(active, document.createElement("button"));
}

// test: a subclass overrides with() with the api's signature (as Sentry's manager does)
{
  class Recording extends AsyncContextManager {
    override with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(ctx: Context | null, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
      return super.with(ctx, fn, thisArg, ...args);
    }
  }
  const span: Span | undefined = trace.getSpan(new Recording().active());
}

// test: attach() returns a token with dispose()
{
  const token: AsyncContextManagementToken = new AsyncContextManager().attach(ROOT_CONTEXT);
  token.dispose();
  // @ts-expect-error: attach needs a context
  new AsyncContextManager().attach();
}

// test: IdleInteractionContextManager takes a Tracker and an isInteraction filter and exposes a span processor
{
  const Tracker = class {
    constructor(options?: { name?: string }) {}
    run<R>(fn: () => R): R { return fn(); }
    whenIdle(): Promise<void> { return Promise.resolve(); }
  };
  const options: IdleInteractionOptions = { Tracker, isInteraction: (span) => span.isRecording() };
  const manager: AsyncContextManager = new IdleInteractionContextManager(options);
  const processor: InteractionSpanProcessor = new IdleInteractionContextManager().spanProcessor;
  const flushed: Promise<void> = processor.forceFlush();
  // @ts-expect-error: isInteraction must be a function of a span
  new IdleInteractionContextManager({ isInteraction: true });
}
