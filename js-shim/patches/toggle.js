// toggle/beforetoggle and close/cancel events of <details>, <dialog> and popovers run in the
// context of the JS call that toggled them: details.open = …, dialog.show()/showModal()/close()/
// requestClose(), showPopover()/hidePopover()/togglePopover() (and the "open" attribute: see
// attributes.js). Toggles by the user (clicking a summary or a popovertarget button) run empty.
// In an exclusive group (<details name=…>), the members a call closes (opening another one, or an
// open element joining a group that has an open member through its name) get their toggle in the
// context of that call too. Toggles coalesced before their event fires run in the last call's.

import { ObjectGetOwnPropertyDescriptor, copyArguments, uncurryThis } from "../intrinsics.js";
import { recordCause } from "../causes.js";
import { TOGGLE_EVENTS, setDetailsChange } from "./attributes.js";
import { prepareCause, prepareSetter, prepareSetterWith } from "../patch.js";

/**
 * A toggle ends with its toggle event, a dialog's closing with its close event (the toggle event
 * comes first): later toggles, by the user for instance, are not caused by this call.
 */
const OPEN_FINAL = ["toggle"];
const CLOSE_FINAL = ["close"];

export function prepareToggle(global) {
  const Details = global.HTMLDetailsElement;
  const Dialog = global.HTMLDialogElement;
  const HTMLElement = global.HTMLElement;
  const Element = global.Element;
  if (typeof Element !== "function") return [];
  const matches = uncurryThis(Element.prototype.matches);
  const isOpen = (element) => matches(element, "[open]");
  const isShowing = (element) => {
    try {
      return matches(element, ":popover-open");
    } catch {
      return false;
    }
  };
  // Only a call that really toggles causes events: a no-op (opening what is open) records nothing,
  // or its record would wait for a toggle that only the user may cause later.
  const opening = (element) => recordCause(element, TOGGLE_EVENTS, OPEN_FINAL, undefined, "toggle");
  const closing = (element) => recordCause(element, TOGGLE_EVENTS, CLOSE_FINAL, undefined, "toggle");
  const setOpen = (element, value) => {
    if (!!value !== isOpen(element)) opening(element);
  };
  const showing = (element) => !isOpen(element) && opening(element);
  const elementQuery = uncurryThis(Element.prototype.querySelectorAll);
  const documentQuery = global.Document && uncurryThis(global.Document.prototype.querySelectorAll);
  const fragmentQuery = global.DocumentFragment && uncurryThis(global.DocumentFragment.prototype.querySelectorAll);
  const getRootNode = uncurryThis(global.Node.prototype.getRootNode);
  const nodeType = uncurryThis(ObjectGetOwnPropertyDescriptor(global.Node.prototype, "nodeType").get);
  const hasAttribute = uncurryThis(Element.prototype.hasAttribute);
  /** The open <details> of `element`'s tree (its document, shadow root or detached subtree). */
  const openInTree = (element) => {
    const root = getRootNode(element);
    const type = nodeType(root);
    const query = type === 9 ? documentQuery : type === 11 ? fragmentQuery : elementQuery;
    const found = query ? copyArguments(query(root, "details[open]")) : [];
    if (type === 1 && isOpen(root)) found[found.length] = root;
    return found;
  };
  /**
   * Runs `change` (a change of <details> `element`'s open or name attribute, `key`) and records its
   * context on every details element whose open state it changed: the element itself and, when a
   * named one opens, the members of its group that the browser closed synchronously inside the call.
   */
  const changeDetails = (element, change, key) => {
    const candidates = key === "open" && hasAttribute(element, "name") ? openInTree(element) : [];
    candidates[candidates.length] = element;
    const before = [];
    for (let i = 0; i < candidates.length; i++) before[i] = isOpen(candidates[i]);
    const result = change();
    for (let i = 0; i < candidates.length; i++) if (isOpen(candidates[i]) !== before[i]) opening(candidates[i]);
    return result;
  };
  setDetailsChange(changeDetails);
  const closingOpen = (element) => isOpen(element) && closing(element);
  return [
    ...(Details ? ["open", "name"].map((key) => prepareSetterWith(Details.prototype, key, (element, value, set) => changeDetails(element, () => set(element, value), key))) : []),
    Dialog && prepareSetter(Dialog.prototype, "open", setOpen),
    ...(Dialog ? ["show", "showModal"].map((key) => prepareCause(Dialog.prototype, key, showing)) : []),
    ...(Dialog ? ["close", "requestClose"].map((key) => prepareCause(Dialog.prototype, key, closingOpen)) : []),
    HTMLElement && prepareCause(HTMLElement.prototype, "showPopover", (element) => !isShowing(element) && opening(element)),
    HTMLElement && prepareCause(HTMLElement.prototype, "hidePopover", (element) => isShowing(element) && opening(element)),
    HTMLElement &&
      prepareCause(HTMLElement.prototype, "togglePopover", (element, args) => {
        // togglePopover(force) / togglePopover({ force }) changes nothing when force matches the state.
        const option = args[0];
        const force = typeof option === "boolean" ? option : option !== null && typeof option === "object" ? option.force : undefined;
        if (force === undefined || force !== isShowing(element)) opening(element);
      }),
  ];
}
