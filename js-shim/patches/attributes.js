// Attribute changes that start something asynchronous: setAttribute/toggleAttribute/removeAttribute
// of src/href/srcset/srcdoc/data on loading elements (their load/error events), of src on audio and
// video (media events, as media.js), and of "open" on <details>/<dialog> (their toggle events)
// record the call's context as the cause.

import { recordCause } from "../causes.js";
import { recordMedia } from "./media.js";
import { prepareCause } from "../patch.js";
import { ObjectHasOwn, uncurryThis } from "../intrinsics.js";

export const LOADING_ELEMENTS = "img,script,link,iframe,style,object,embed,input";
/** A load ends with one of these; then the recorded cause is dropped (causes.js). They are also
 * the only events a load causes (a user's click on the image is not caused by its src). */
export const LOAD_FINAL = ["load", "error"];
export const LOAD_EVENTS = LOAD_FINAL;
/** The events a toggle causes. */
export const TOGGLE_EVENTS = ["beforetoggle", "toggle", "cancel", "close"];

export const MEDIA_ELEMENTS = "audio,video";
const TOGGLE_FINAL = ["toggle"]; // as toggle.js: the open attribute fires toggle only

/** attribute -> [[selector, final events], …]: the first matching selector decides. */
const CAUSING = {
  src: [[LOADING_ELEMENTS, LOAD_FINAL], [MEDIA_ELEMENTS, undefined]],
  href: [[LOADING_ELEMENTS, LOAD_FINAL]],
  srcset: [[LOADING_ELEMENTS, LOAD_FINAL]],
  srcdoc: [[LOADING_ELEMENTS, LOAD_FINAL]],
  data: [[LOADING_ELEMENTS, LOAD_FINAL]],
  open: [["details,dialog", TOGGLE_FINAL]],
};

export function prepareAttributes(global) {
  const Element = global.Element;
  if (typeof Element !== "function") return [];
  const matches = uncurryThis(Element.prototype.matches);
  const record = (element, args) => {
    const name = `${args[0]}`.toLowerCase();
    const rules = ObjectHasOwn(CAUSING, name) ? CAUSING[name] : undefined;
    if (rules === undefined) return;
    for (const [selector, final] of rules) {
      if (!matches(element, selector)) continue;
      if (selector === MEDIA_ELEMENTS) return recordMedia(element);
      return recordCause(element, final === TOGGLE_FINAL ? TOGGLE_EVENTS : LOAD_EVENTS, final);
    }
  };
  return ["setAttribute", "toggleAttribute", "removeAttribute"].map((key) => prepareCause(Element.prototype, key, record));
}
