// fetch(): only for task tracking. Its promise's reactions already propagate through the patched
// `then`; in a tracked scope the request is also an operation task, pending until the promise
// settles, so that tracker.whenIdle() waits for it even when it is consumed by a native `await`.
//
// The caller then gets a promise that settles one microtask after the network's (the task has to
// observe the settlement without marking a rejection as handled: a rejection nobody handles
// still reaches unhandledrejection). Untracked calls go straight to the original.

import { PromisePrototypeThen, ReflectApply } from "../intrinsics.js";
import { currentTrackers } from "../context.js";
import { cancel, operationEnded, scheduleOperation, settledByTask } from "../tasks.js";
import { prepareMethod } from "../patch.js";

export function prepareFetch(global) {
  return [
    prepareMethod(global, "fetch", (original) => ({
      fetch(input) {
        const trackers = currentTrackers();
        if (trackers === null) return ReflectApply(original, this, arguments);
        const task = scheduleOperation("fetch", "fetch", trackers, typeof input === "string" ? input : undefined);
        let response;
        try {
          response = ReflectApply(original, this, arguments);
        } catch (error) {
          cancel(task);
          throw error;
        }
        const settled = ReflectApply(PromisePrototypeThen, response, [
          (value) => {
            operationEnded(task);
            return value;
          },
          (reason) => {
            operationEnded(task);
            throw reason;
          },
        ]);
        // Reactions on it are ready when the request ends: their ready edge points at it.
        settledByTask(settled, task);
        return settled;
      },
    }).fetch),
  ];
}
