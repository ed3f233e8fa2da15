// With the tracking build: interaction spans stay open until the work they started is idle.
import { AsyncContext, Tracker } from "asynccontext/tracking";
import { IdleInteractionContextManager } from "asynccontext/opentelemetry";
import { start } from "./tracing.js";

const contextManager = new IdleInteractionContextManager({ Tracker });
start({ contextManager, spanProcessors: [contextManager.spanProcessor], label: "IdleInteractionContextManager" });
window.__otel.onePolyfill = AsyncContext === globalThis.AsyncContext && globalThis[Symbol.for("asynccontext")]?.active === "asynccontext";
