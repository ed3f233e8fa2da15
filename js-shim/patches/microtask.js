// queueMicrotask: the microtask runs in the context of the queueMicrotask call.

import { callbackFirst } from "../patch.js";

export function prepareMicrotask(global) {
  return [callbackFirst(global, "queueMicrotask")];
}
