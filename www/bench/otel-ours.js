import { AsyncContextManager } from "../../pkg/asynccontext.opentelemetry.mjs";
import { setup } from "./otel-app.js";
setup(new AsyncContextManager());
