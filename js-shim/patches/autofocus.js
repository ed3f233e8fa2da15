// Autofocus (HTML "flush autofocus candidates"): an element with the autofocus attribute inserted
// by a JS call is focused at the next rendering update, and its focus/focusin events run in the
// context of that insertion. Only the first autofocus of a document happens, so the record is
// dropped after two animation frames (or with the focus event): a later focus by the user on an
// element that was never autofocused runs empty. (The blur/change events of the element that
// loses focus are fired on another object: they run empty, see README "Not covered".)

import { ReflectApply } from "../intrinsics.js";
import { endCause, recordCause } from "../causes.js";

const FOCUS_EVENTS = ["focus", "focusin"];
const FOCUS_FINAL = ["focus"];
const CHANNEL = "autofocus";
const requestFrame = typeof requestAnimationFrame === "function" ? requestAnimationFrame : undefined;

/** Records the current (non-empty) context on each of `elements`, autofocus candidates just inserted. */
export function recordAutofocus(elements) {
  if (requestFrame === undefined || elements.length === 0) return;
  for (let i = 0; i < elements.length; i++) recordCause(elements[i], FOCUS_EVENTS, FOCUS_FINAL, undefined, "resource", CHANNEL);
  const expire = () => {
    for (let i = 0; i < elements.length; i++) endCause(elements[i], CHANNEL);
  };
  ReflectApply(requestFrame, globalThis, [() => ReflectApply(requestFrame, globalThis, [expire])]);
}
