// setTimeout and setInterval: the callback (every tick of an interval) runs in the context of the
// scheduling call. clearTimeout/clearInterval need no patch: once the host drops the callback,
// the captured context becomes garbage and the store reclaims it.

import { callbackFirst } from "../patch.js";

export function prepareTimers(global) {
  return [callbackFirst(global, "setTimeout"), callbackFirst(global, "setInterval")];
}
