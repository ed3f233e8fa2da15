import { AsyncContextManager } from "asynccontext/opentelemetry";
import { start } from "./tracing.js";

start({ contextManager: new AsyncContextManager(), label: "AsyncContextManager" });
