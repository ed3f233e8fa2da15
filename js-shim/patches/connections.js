// Connections created by a constructor call: all events of an EventSource or a WebSocket run in the
// context of its construction (until EventSource.close() / the WebSocket's close event); of a
// Worker or SharedWorker only the "error" event does (its messages are posted by the worker:
// browser-originated, so they run in the empty context).

import { endCause, recordCause } from "../causes.js";
import { prepareCause, prepareConstructorWith } from "../patch.js";

/** The constructor's arguments are untouched; the new instance gets the cause. */
const recordOnInstance = (types, final) => [() => undefined, (instance) => recordCause(instance, types, final)];

const ERROR_ONLY = ["error"];

export function prepareConnections(global) {
  return [
    prepareConstructorWith(global, "EventSource", ...recordOnInstance()),
    // close() stops an EventSource for good (its error events also fire while it reconnects).
    global.EventSource && prepareCause(global.EventSource.prototype, "close", (source) => endCause(source)),
    prepareConstructorWith(global, "WebSocket", ...recordOnInstance(undefined, ["close"])),
    prepareConstructorWith(global, "Worker", ...recordOnInstance(ERROR_ONLY)),
    prepareConstructorWith(global, "SharedWorker", ...recordOnInstance(ERROR_ONLY)),
  ];
}
