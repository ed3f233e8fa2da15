// toggle/beforetoggle and close/cancel events of <details>, <dialog> and popovers run in the
// context of the JS call that toggled them: details.open = …, dialog.show()/showModal()/close()/
// requestClose(), showPopover()/hidePopover()/togglePopover() (and the "open" attribute: see
// attributes.js). Toggles by the user (clicking a summary or a popovertarget button) run empty.

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
  const opening = (element) => recordCause(element, TOGGLE_EVENTS, OPEN_FINAL);
  const closing = (element) => recordCause(element, TOGGLE_EVENTS, CLOSE_FINAL);
  const Details = global.HTMLDetailsElement;
  const Dialog = global.HTMLDialogElement;
  const HTMLElement = global.HTMLElement;
  return [
    Details && prepareSetter(Details.prototype, "open", opening),
    Dialog && prepareSetter(Dialog.prototype, "open", opening),
    ...(Dialog ? ["show", "showModal"].map((key) => prepareCause(Dialog.prototype, key, opening)) : []),
    ...(Dialog ? ["close", "requestClose"].map((key) => prepareCause(Dialog.prototype, key, closing)) : []),
    ...(HTMLElement ? ["showPopover", "hidePopover", "togglePopover"].map((key) => prepareCause(HTMLElement.prototype, key, opening)) : []),
  ];
}
