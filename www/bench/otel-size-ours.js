// The minimal OpenTelemetry web app of the size comparison (scripts/bench-otel.mjs).

import { WebTracerProvider } from "@opentelemetry/sdk-trace-web";
import { BatchSpanProcessor, ConsoleSpanExporter } from "@opentelemetry/sdk-trace-base";
import { registerInstrumentations } from "@opentelemetry/instrumentation";
import { FetchInstrumentation } from "@opentelemetry/instrumentation-fetch";
import { XMLHttpRequestInstrumentation } from "@opentelemetry/instrumentation-xml-http-request";
import { UserInteractionInstrumentation } from "@opentelemetry/instrumentation-user-interaction";
import { AsyncContextManager as Manager } from "../../pkg/asynccontext.opentelemetry.mjs";

const provider = new WebTracerProvider({ spanProcessors: [new BatchSpanProcessor(new ConsoleSpanExporter())] });
provider.register({ contextManager: new Manager() });
registerInstrumentations({ instrumentations: [new UserInteractionInstrumentation(), new FetchInstrumentation(), new XMLHttpRequestInstrumentation()] });
