// Media elements: loading and playing events that follow load(), play() or setting src or
// srcObject (or the src attribute, attributes.js; or creating the element with new Audio(url) or
// by parsing markup, or inserting a <source> into an element that has no source yet,
// resource-loading.js) run in the context of that call (the latest one wins: the proposal's
// "single long-lived snapshot" option). The error event of a failing <source> child counts as the
// element's (a departure: the proposal runs it empty, see README).
//
// Occasional actions are tasks of their own, in flight beside a load or playback (causes.js
// channels): each volume/muted change runs its volumechange, each playbackRate/
// defaultPlaybackRate change its ratechange, in the context of the set; pause() its pause event;
// a seek (currentTime set, fastSeek()) its seeking, timeupdate and seeked events.
//
// <track> elements: their load/error events run in the context of the call that started the
// track's load: its insertion into a media element, or its TextTrack's mode set from "disabled".

import { ObjectDefineProperty, ObjectGetOwnPropertyDescriptor, WeakMapCtor, WeakMapGet, WeakMapSet, ReflectApply, copyArguments, isObject, uncurryThis } from "../intrinsics.js";
import { isEmpty } from "../context.js";
import { queueCause, recordCause } from "../causes.js";
import { prepareCause, prepareConstructorWith, prepareSetter, prepareSetterWith } from "../patch.js";
import { lookNative } from "../native-look.js";

let sourcesOf = () => [];

/** The media events (HTML's media element event summary): UI events on the element are not caused. */
export const MEDIA_EVENTS = [
  "loadstart", "progress", "suspend", "abort", "error", "emptied", "stalled", "loadedmetadata", "loadeddata",
  "canplay", "canplaythrough", "playing", "waiting", "seeking", "seeked", "ended", "durationchange", "timeupdate",
  "play", "pause", "resize", "encrypted", "waitingforkey",
];
/** Every media event a call may cause: the loading/playing ones and the occasional actions' own. */
export const CAUSED_MEDIA_EVENTS = [...MEDIA_EVENTS, "volumechange", "ratechange"];

/**
 * When a call's effect is over, later media events (the user pressing play again) are not caused
 * by it: play() ends when playback ends (a natural end fires pause, then ended) or fails; pause()
 * with pause; a seek with seeked; a load (load(), src, new Audio, parsing) once data for the
 * current position is there (loadeddata) or it failed. A later call replaces the record anyway.
 */
const PLAY_FINAL = ["ended", "error"];
const PAUSE_EVENTS = ["pause"];
const LOAD_FINAL = ["loadeddata", "error"];
const SEEK_EVENTS = ["seeking", "timeupdate", "seeked"];
const SEEK_FINAL = ["seeked", "error"];
const TRACK_EVENTS = ["load", "error"];
const NETWORK_EMPTY = 0;
const NETWORK_NO_SOURCE = 3;
let mediaState;
let trackOf;
let trackElementOf = () => undefined;

/** Records the current context as the cause of a media element's (and its <source>s') media events. */
export function recordMedia(media, final = LOAD_FINAL) {
  recordCause(media, MEDIA_EVENTS, final, sourcesOf(media), "media");
}

/** A seek before metadata only sets where playback will start: loading seeks there, in its own context. */
const recordSeek = (media) => mediaState.readyState(media) > 0 && recordCause(media, SEEK_EVENTS, SEEK_FINAL, undefined, "media", "seek");

/**
 * Inserting `node` into `parent` (before the insertion): a <source> starts the resource selection
 * of a media element that has no src and is not loading (else it changes nothing in flight); a
 * <track> that will load (default, or its mode already enabled) starts its load.
 */
export function recordInsertedIntoMedia(parent, node) {
  if (mediaState === undefined || isEmpty() || !isObject(parent) || !isObject(node)) return;
  const nodes = mediaState.isFragment(node) ? mediaState.children(node) : [node];
  for (let i = 0; i < nodes.length; i++) {
    const child = nodes[i];
    if (!mediaState.isElement(child)) continue;
    if (mediaState.matches(child, "source") && mediaState.matches(parent, "audio:not([src]),video:not([src])")) {
      const state = mediaState.networkState(parent);
      if (state === NETWORK_EMPTY || state === NETWORK_NO_SOURCE) recordMedia(parent);
    } else if (mediaState.matches(child, "track[src]") && mediaState.matches(parent, "audio,video") && mediaState.trackReadyState(child) === 0) {
      if (mediaState.matches(child, "[default]") || mediaState.trackMode(trackOf(child)) !== "disabled") recordTrack(child);
    }
  }
}

function recordTrack(element) {
  recordCause(element, TRACK_EVENTS, TRACK_EVENTS, undefined, "resource");
}

/** A setter that fires one `type` event per real change: queue a cause only when the value changed. */
function prepareChange(proto, key, types, channel) {
  const get = uncurryThis(ObjectGetOwnPropertyDescriptor(proto, key).get);
  return prepareSetterWith(proto, key, (media, value, setOriginal) => {
    const before = get(media);
    setOriginal(media, value);
    if (get(media) !== before) queueCause(media, types, channel, "media");
  });
}

/** TextTrack -> its <track> element, noted whenever the page reads `trackElement.track`. */
function prepareTracks(global) {
  const TrackElement = global.HTMLTrackElement;
  const TextTrack = global.TextTrack;
  if (typeof TrackElement !== "function" || typeof TextTrack !== "function") return [];
  const descriptor = ObjectGetOwnPropertyDescriptor(TrackElement.prototype, "track");
  const modeDescriptor = ObjectGetOwnPropertyDescriptor(TextTrack.prototype, "mode");
  if (!descriptor || !descriptor.get || !descriptor.configurable || !modeDescriptor || !modeDescriptor.get) return [];
  const getTrack = uncurryThis(descriptor.get);
  const elements = new WeakMapCtor();
  trackOf = (element) => {
    const track = getTrack(element);
    if (isObject(track)) ReflectApply(WeakMapSet, elements, [track, element]);
    return track;
  };
  const querySelectorAll = uncurryThis(global.Document.prototype.querySelectorAll);
  trackElementOf = (track) => {
    const known = ReflectApply(WeakMapGet, elements, [track]);
    if (known !== undefined) return known;
    // A track reached through media.textTracks: look for its element in the document.
    const all = copyArguments(querySelectorAll(global.document, "track"));
    for (let i = 0; i < all.length; i++) if (trackOf(all[i]) === track) return all[i];
    return undefined;
  };
  const getter = ObjectGetOwnPropertyDescriptor({ get track() { return trackOf(this); } }, "track").get;
  lookNative(getter, "get track");
  const getMode = uncurryThis(modeDescriptor.get);
  mediaState.trackMode = getMode;
  const readyState = uncurryThis(ObjectGetOwnPropertyDescriptor(TrackElement.prototype, "readyState").get);
  mediaState.trackReadyState = readyState;
  return [
    { apply: () => ObjectDefineProperty(TrackElement.prototype, "track", { ...descriptor, get: getter }) },
    prepareSetterWith(TextTrack.prototype, "mode", (track, value, setOriginal) => {
      const before = getMode(track);
      setOriginal(track, value);
      if (isEmpty() || before !== "disabled" || getMode(track) === "disabled") return;
      const element = trackElementOf(track);
      if (element !== undefined && readyState(element) === 0) recordTrack(element);
    }),
  ];
}

export function prepareMedia(global) {
  const HTMLMediaElement = global.HTMLMediaElement;
  if (typeof HTMLMediaElement !== "function") return [];
  const Element = global.Element;
  const querySelectorAll = uncurryThis(Element.prototype.querySelectorAll);
  sourcesOf = (media) => copyArguments(querySelectorAll(media, ":scope > source"));
  const proto = HTMLMediaElement.prototype;
  const nodeType = uncurryThis(ObjectGetOwnPropertyDescriptor(global.Node.prototype, "nodeType").get);
  const typeOf = (node) => {
    try {
      return nodeType(node);
    } catch {
      return 0; // not a node: a string argument of append()
    }
  };
  const fragmentChildren = global.DocumentFragment && ObjectGetOwnPropertyDescriptor(global.DocumentFragment.prototype, "children");
  const childrenOf = fragmentChildren ? uncurryThis(fragmentChildren.get) : () => [];
  const paused = uncurryThis(ObjectGetOwnPropertyDescriptor(proto, "paused").get);
  mediaState = {
    isElement: (node) => typeOf(node) === 1,
    isFragment: (node) => typeOf(node) === 11,
    children: (fragment) => copyArguments(childrenOf(fragment)),
    matches: uncurryThis(Element.prototype.matches),
    networkState: uncurryThis(ObjectGetOwnPropertyDescriptor(proto, "networkState").get),
    readyState: uncurryThis(ObjectGetOwnPropertyDescriptor(proto, "readyState").get),
    trackMode: () => "disabled",
    trackReadyState: () => -1,
  };
  trackOf = () => undefined;
  return [
    prepareCause(proto, "load", (media) => recordMedia(media)),
    prepareCause(proto, "play", (media) => recordMedia(media, PLAY_FINAL)),
    prepareCause(proto, "pause", (media) => {
      // pause() on an element that never loaded starts its resource selection.
      if (mediaState.networkState(media) === NETWORK_EMPTY) recordMedia(media);
      if (!paused(media)) recordCause(media, PAUSE_EVENTS, PAUSE_EVENTS, undefined, "media", "pause");
    }),
    prepareCause(proto, "fastSeek", recordSeek),
    prepareSetter(proto, "currentTime", recordSeek),
    ...["src", "srcObject"].map((key) => prepareSetter(proto, key, (media) => recordMedia(media))),
    prepareChange(proto, "volume", ["volumechange"], "volume"),
    prepareChange(proto, "muted", ["volumechange"], "volume"),
    prepareChange(proto, "playbackRate", ["ratechange"], "rate"),
    prepareChange(proto, "defaultPlaybackRate", ["ratechange"], "rate"),
    prepareConstructorWith(global, "Audio", () => undefined, (media) => recordMedia(media)),
    ...prepareTracks(global),
  ];
}
