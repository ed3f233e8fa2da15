// Frame and idle callbacks: requestAnimationFrame, requestIdleCallback and
// HTMLVideoElement.prototype.requestVideoFrameCallback run their callback in the context of the
// request. The cancel functions need no patch (see timers.js).

import { callbackFirst } from "../patch.js";

export function prepareAnimation(global) {
  const video = global.HTMLVideoElement && global.HTMLVideoElement.prototype;
  return [
    callbackFirst(global, "requestAnimationFrame"),
    callbackFirst(global, "requestIdleCallback"),
    callbackFirst(video, "requestVideoFrameCallback"),
  ];
}
