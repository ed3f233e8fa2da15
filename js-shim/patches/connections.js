// Connections created by a constructor call: all events of an EventSource or a WebSocket run in the
// context of its construction; of a Worker or SharedWorker only the "error" event does (its
// messages are posted by the worker: browser-originated, so they run in the empty context).

import { recordCause } from "../causes.js";
import { prepareConstructor } from "../patch.js";

export function prepareConnections(global) {
  return [
    prepareConstructor(global, "EventSource", (source) => recordCause(source)),
    prepareConstructor(global, "WebSocket", (socket) => recordCause(socket)),
    prepareConstructor(global, "Worker", (worker) => recordCause(worker, "error")),
    prepareConstructor(global, "SharedWorker", (worker) => recordCause(worker, "error")),
  ];
}
