// Workloads of scripts/bench-otel.mjs: the same OpenTelemetry web setup with the context manager
// each page passes in. `nested` enters 10^4 contexts (1,000 times 10 nested context.with, a span
// started for each); `flow` runs startActiveSpan flows with 10 awaits each and counts how many of
// the awaits still see the flow's span afterwards (the page builds decide how await is compiled).
import { context, trace } from "@opentelemetry/api";
import { WebTracerProvider } from "@opentelemetry/sdk-trace-web";

/** Spans are created and ended, then dropped (the cost measured is the context manager's and the SDK's). */
const dropping = { onStart() {}, onEnd() {}, forceFlush: async () => {}, shutdown: async () => {} };

export function setup(contextManager) {
  const provider = new WebTracerProvider({ spanProcessors: [dropping] });
  provider.register({ contextManager });
  const tracer = provider.getTracer("bench");

  function nest(depth) {
    const span = tracer.startSpan("nested");
    context.with(trace.setSpan(context.active(), span), () => {
      if (depth > 1) nest(depth - 1);
    });
    span.end();
  }
  function nested(times) {
    const start = performance.now();
    for (let i = 0; i < times; i++) nest(10);
    return performance.now() - start;
  }

  async function oneFlow() {
    return tracer.startActiveSpan("flow", async (span) => {
      let kept = 0;
      for (let i = 0; i < 10; i++) {
        await Promise.resolve(i);
        if (trace.getActiveSpan() === span) kept++;
      }
      span.end();
      return kept;
    });
  }
  async function flow(times) {
    const start = performance.now();
    let kept = 0;
    for (let i = 0; i < times; i++) kept += await oneFlow();
    return { ms: performance.now() - start, kept: kept / times };
  }
  window.bench = { nested, flow };
}
