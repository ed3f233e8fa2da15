// Media elements: events that follow load(), play(), pause(), fastSeek() or setting src,
// srcObject or currentTime (or the src attribute, attributes.js; or creating the element with
// new Audio(url) or by parsing markup, resource-loading.js) run in the context of that call (the
// latest one wins). The error event of a failing <source> child counts as the element's.

import { copyArguments, uncurryThis } from "../intrinsics.js";
import { recordCause } from "../causes.js";
import { prepareCause, prepareConstructorWith, prepareSetter } from "../patch.js";

let sourcesOf = () => [];

/** The media events (HTML's media element event summary): UI events on the element are not caused. */
export const MEDIA_EVENTS = [
  "loadstart", "progress", "suspend", "abort", "error", "emptied", "stalled", "loadedmetadata", "loadeddata",
  "canplay", "canplaythrough", "playing", "waiting", "seeking", "seeked", "ended", "durationchange", "timeupdate",
  "play", "pause", "ratechange", "resize", "volumechange", "encrypted", "waitingforkey",
];

/** Records the current context as the cause of a media element's (and its <source>s') media events. */
export function recordMedia(media) {
  recordCause(media, MEDIA_EVENTS, undefined, sourcesOf(media));
}

export function prepareMedia(global) {
  const HTMLMediaElement = global.HTMLMediaElement;
  if (typeof HTMLMediaElement !== "function") return [];
  const querySelectorAll = uncurryThis(global.Element.prototype.querySelectorAll);
  sourcesOf = (media) => copyArguments(querySelectorAll(media, ":scope > source"));
  const proto = HTMLMediaElement.prototype;
  return [
    ...["load", "play", "pause", "fastSeek"].map((key) => prepareCause(proto, key, recordMedia)),
    ...["src", "srcObject", "currentTime"].map((key) => prepareSetter(proto, key, recordMedia)),
    prepareConstructorWith(global, "Audio", () => undefined, recordMedia),
  ];
}
