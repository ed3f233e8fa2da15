// toggle/beforetoggle and close/cancel events of <details>, <dialog> and popovers run in the
// context of the JS call that toggled them: details.open = …, dialog.show()/showModal()/close()/
// requestClose(), showPopover()/hidePopover()/togglePopover() (and the "open" attribute: see
// attributes.js). Toggles by the user (clicking a summary or a popovertarget button) run empty.

import { uncurryThis } from "../intrinsics.js";
import { recordCause } from "../causes.js";
import { TOGGLE_EVENTS } from "./attributes.js";
import { prepareCause, prepareSetter } from "../patch.js";

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
  const closingOpen = (element) => isOpen(element) && closing(element);
  return [
    Details && prepareSetter(Details.prototype, "open", setOpen),
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
