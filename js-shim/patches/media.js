// Media elements: events that follow load(), play(), pause() or setting src, srcObject or
// currentTime run in the context of that call (the latest one wins).

import { recordCause } from "../causes.js";
import { prepareCause, prepareSetter } from "../patch.js";

export function prepareMedia(global) {
  const HTMLMediaElement = global.HTMLMediaElement;
  if (typeof HTMLMediaElement !== "function") return [];
  const proto = HTMLMediaElement.prototype;
  const record = (media) => recordCause(media);
  return [
    ...["load", "play", "pause", "fastSeek"].map((key) => prepareCause(proto, key, record)),
    ...["src", "srcObject", "currentTime"].map((key) => prepareSetter(proto, key, record)),
  ];
}
