// Attribute changes that start something asynchronous: setAttribute/toggleAttribute/removeAttribute
// of src/href/srcset/srcdoc/data on loading elements (their load/error events), of src on audio and
// video (media events, as media.js), and of "open" on <details>/<dialog> (their toggle events)
// record the call's context as the cause.

import { recordCause } from "../causes.js";
import { recordMedia } from "./media.js";
import { prepareMethod } from "../patch.js";
import { ObjectGetOwnPropertyDescriptor, ObjectHasOwn, ReflectApply, uncurryThis } from "../intrinsics.js";

export const LOADING_ELEMENTS = "img,script,link,iframe,style,object,embed,input";
/**
 * Elements whose load starts when they are connected, not when their URL is set, and that will
 * fire load or error (an inline script or a link that fetches nothing never does: recording one
 * would keep the context for the element's lifetime).
 */
export const LOADED_ON_INSERTION =
  "script[src],link[href][rel~=stylesheet i],link[href][rel~=preload i],link[href][rel~=modulepreload i],link[href][rel~=icon i],iframe,style,object[data],embed[src]";
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

let matches;
let isConnected;
/** toggle.js: runs a change of a <details> element's open or name attribute, recording what it toggles. */
let detailsChange;

export function setDetailsChange(change) {
  detailsChange = change;
}

/**
 * After a URL change (src, href, …) on a loading element: records the cause if a load starts now —
 * an image always; an iframe, link, script, object or embed only when connected (else its
 * insertion starts it: resource-loading.js). (A connected script that already ran does not load
 * again; its record then lasts as long as the element.)
 */
export function recordUrlChange(element) {
  if (matches(element, "img,input")) return recordCause(element, LOAD_EVENTS, LOAD_FINAL);
  if (isConnected(element) && matches(element, LOADED_ON_INSERTION)) recordCause(element, LOAD_EVENTS, LOAD_FINAL);
  return undefined;
}

export function prepareAttributes(global) {
  const Element = global.Element;
  if (typeof Element !== "function") return [];
  matches = uncurryThis(Element.prototype.matches);
  isConnected = uncurryThis(ObjectGetOwnPropertyDescriptor(global.Node.prototype, "isConnected").get);
  const record = (element, args) => {
    const name = `${args[0]}`.toLowerCase();
    const rules = ObjectHasOwn(CAUSING, name) ? CAUSING[name] : undefined;
    if (rules === undefined) return;
    for (let i = 0; i < rules.length; i++) {
      const selector = rules[i][0];
      const final = rules[i][1];
      if (!matches(element, selector)) continue;
      if (selector === MEDIA_ELEMENTS) return recordMedia(element);
      if (final === TOGGLE_FINAL) return recordCause(element, TOGGLE_EVENTS, final);
      return recordUrlChange(element);
    }
  };
  // After the call: whether a load starts depends on the new attribute value.
  return ["setAttribute", "toggleAttribute", "removeAttribute"].map((key) =>
    prepareMethod(Element.prototype, key, (original) => ({
      [key]() {
        const name = arguments.length > 0 && typeof arguments[0] === "string" ? arguments[0].toLowerCase() : "";
        // open/name of a <details> may also close the other members of its exclusive group.
        if (detailsChange !== undefined && (name === "open" || name === "name") && matches(this, "details")) {
          return detailsChange(this, () => ReflectApply(original, this, arguments), name);
        }
        const result = ReflectApply(original, this, arguments);
        record(this, arguments);
        return result;
      },
    })[key]),
  );
}
