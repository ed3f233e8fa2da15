// The OpenTelemetry web setup shared by the pages: provider, in-memory exporter, the fetch, XHR and
// user-interaction instrumentations, with the context manager each page chooses.
import { WebTracerProvider } from "@opentelemetry/sdk-trace-web";
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { registerInstrumentations } from "@opentelemetry/instrumentation";
import { FetchInstrumentation } from "@opentelemetry/instrumentation-fetch";
import { XMLHttpRequestInstrumentation } from "@opentelemetry/instrumentation-xml-http-request";
import { UserInteractionInstrumentation } from "@opentelemetry/instrumentation-user-interaction";
import { installFlows } from "./flows.js";

const ms = (time) => time[0] * 1e3 + time[1] / 1e6;

/** Sets up tracing with `contextManager` (and `spanProcessors` first), installs the flows, publishes window.__otel. */
export function start({ contextManager, spanProcessors = [], label }) {
  const exporter = new InMemorySpanExporter();
  const provider = new WebTracerProvider({ spanProcessors: [...spanProcessors, new SimpleSpanProcessor(exporter)] });
  provider.register({ contextManager });
  registerInstrumentations({
    instrumentations: [new UserInteractionInstrumentation(), new FetchInstrumentation(), new XMLHttpRequestInstrumentation()],
  });
  const run = new URLSearchParams(location.search).get("run") ?? "demo";
  const flows = [];
  installFlows({ tracer: provider.getTracer("app"), base: `/api/${run}`, onFlow: (flow) => flows.push(flow) });
  window.__otel = {
    label,
    flows,
    spans: () =>
      exporter.getFinishedSpans().map((span) => ({
        name: span.name,
        scope: span.instrumentationScope.name,
        traceId: span.spanContext().traceId,
        spanId: span.spanContext().spanId,
        parentSpanId: span.parentSpanContext?.spanId ?? span.parentSpanId,
        start: ms(span.startTime),
        end: ms(span.endTime),
        url: span.attributes["http.url"] ?? span.attributes["url.full"],
        xpath: span.attributes["target_xpath"],
        flow: span.attributes["app.flow"],
      })),
  };
  return { provider, exporter };
}
