// Attribute changes that start something asynchronous: setAttribute/toggleAttribute/removeAttribute
// of src/href/srcset/srcdoc/data on loading elements (their load/error events) and of "open" on
// <details>/<dialog> (their toggle events) record the call's context as the cause.

import { recordCause } from "../causes.js";
import { prepareCause } from "../patch.js";
import { uncurryThis } from "../intrinsics.js";

export const LOADING_ELEMENTS = "img,script,link,iframe,style,object,embed,input";

const CAUSING = {
  src: LOADING_ELEMENTS,
  href: LOADING_ELEMENTS,
  srcset: LOADING_ELEMENTS,
  srcdoc: LOADING_ELEMENTS,
  data: LOADING_ELEMENTS,
  open: "details,dialog",
};

export function prepareAttributes(global) {
  const Element = global.Element;
  if (typeof Element !== "function") return [];
  const matches = uncurryThis(Element.prototype.matches);
  const record = (element, args) => {
    const name = `${args[0]}`.toLowerCase();
    const selector = Object.hasOwn(CAUSING, name) ? CAUSING[name] : undefined;
    if (selector !== undefined && matches(element, selector)) recordCause(element);
  };
  return ["setAttribute", "toggleAttribute", "removeAttribute"].map((key) => prepareCause(Element.prototype, key, record));
}
