// toggle/beforetoggle and close/cancel events of <details>, <dialog> and popovers run in the
// context of the JS call that toggled them: details.open = …, dialog.show()/showModal()/close()/
// requestClose(), showPopover()/hidePopover()/togglePopover() (and the "open" attribute: see
// attributes.js). Toggles by the user (clicking a summary or a popovertarget button) run empty.

import { recordCause } from "../causes.js";
import { prepareCause, prepareSetter } from "../patch.js";

export function prepareToggle(global) {
  const record = (element) => recordCause(element);
  const Details = global.HTMLDetailsElement;
  const Dialog = global.HTMLDialogElement;
  const HTMLElement = global.HTMLElement;
  return [
    Details && prepareSetter(Details.prototype, "open", record),
    Dialog && prepareSetter(Dialog.prototype, "open", record),
    ...(Dialog ? ["show", "showModal", "close", "requestClose"].map((key) => prepareCause(Dialog.prototype, key, record)) : []),
    ...(HTMLElement ? ["showPopover", "hidePopover", "togglePopover"].map((key) => prepareCause(HTMLElement.prototype, key, record)) : []),
  ];
}
