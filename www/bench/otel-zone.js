import "zone.js";
import { ZoneContextManager } from "@opentelemetry/context-zone";
import { setup } from "./otel-app.js";
setup(new ZoneContextManager());
