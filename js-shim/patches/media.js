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

/**
 * When a call's effect is over, later media events (the user pressing play again) are not caused
 * by it: play() ends when playback ends (a natural end fires pause, then ended) or fails; pause()
 * with pause; a seek with seeked; a load (load(), src, new Audio, parsing) once data for the
 * current position is there (loadeddata) or it failed. A later call replaces the record anyway.
 */
const PLAY_FINAL = ["ended", "error"];
const PAUSE_FINAL = ["pause"];
const LOAD_FINAL = ["loadeddata", "error"];
const SEEK_FINAL = ["seeked", "error"];

/** Records the current context as the cause of a media element's (and its <source>s') media events. */
export function recordMedia(media, final = LOAD_FINAL) {
  recordCause(media, MEDIA_EVENTS, final, sourcesOf(media), "media");
}

export function prepareMedia(global) {
  const HTMLMediaElement = global.HTMLMediaElement;
  if (typeof HTMLMediaElement !== "function") return [];
  const querySelectorAll = uncurryThis(global.Element.prototype.querySelectorAll);
  sourcesOf = (media) => copyArguments(querySelectorAll(media, ":scope > source"));
  const proto = HTMLMediaElement.prototype;
  return [
    prepareCause(proto, "load", (media) => recordMedia(media)),
    prepareCause(proto, "play", (media) => recordMedia(media, PLAY_FINAL)),
    prepareCause(proto, "pause", (media) => recordMedia(media, PAUSE_FINAL)),
    prepareCause(proto, "fastSeek", (media) => recordMedia(media, SEEK_FINAL)),
    prepareSetter(proto, "currentTime", (media) => recordMedia(media, SEEK_FINAL)),
    ...["src", "srcObject"].map((key) => prepareSetter(proto, key, (media) => recordMedia(media))),
    prepareConstructorWith(global, "Audio", () => undefined, (media) => recordMedia(media)),
  ];
}
