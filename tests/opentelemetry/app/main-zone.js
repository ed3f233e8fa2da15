// The comparison: zone.js and ZoneContextManager, the same native async/await code, no transform.
import "zone.js";
import { ZoneContextManager } from "@opentelemetry/context-zone";
import { start } from "./tracing.js";

start({ contextManager: new ZoneContextManager(), label: "ZoneContextManager" });
