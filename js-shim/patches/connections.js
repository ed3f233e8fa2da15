// Connections created by a constructor call: all events of an EventSource or a WebSocket run in the
// context of its construction; of a Worker or SharedWorker only the "error" event does (its
// messages are posted by the worker: browser-originated, so they run in the empty context).

import { recordCause } from "../causes.js";
import { prepareConstructorWith } from "../patch.js";

/** The constructor's arguments are untouched; the new instance gets the cause. */
const recordOnInstance = (types) => [() => undefined, (instance) => recordCause(instance, types)];

const ERROR_ONLY = ["error"];

export function prepareConnections(global) {
  return [
    prepareConstructorWith(global, "EventSource", ...recordOnInstance()),
    prepareConstructorWith(global, "WebSocket", ...recordOnInstance()),
    prepareConstructorWith(global, "Worker", ...recordOnInstance(ERROR_ONLY)),
    prepareConstructorWith(global, "SharedWorker", ...recordOnInstance(ERROR_ONLY)),
  ];
}
