// scheduler.postTask (Prioritized Task Scheduling): the task runs in the context of the postTask
// call. Patched on Scheduler.prototype so every scheduler object is covered.

import { callbackFirst } from "../patch.js";

export function prepareScheduler(global) {
  const Scheduler = global.Scheduler;
  return [callbackFirst(Scheduler && Scheduler.prototype, "postTask")];
}
