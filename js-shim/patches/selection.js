// Text selection of <input> and <textarea> (HTML "set the selection range"): the select event that
// follows setSelectionRange(), select(), setRangeText() or a selectionStart/selectionEnd/
// selectionDirection set runs in the context of that call, for every listener of its dispatch
// (the element's and its ancestors' capture and bubble listeners). Each call that changes the
// selection fires one select event, in order, so each call queues its own capture (causes.js
// queueCause); a call that changes nothing fires none and queues nothing. A selection made by the
// user fires select with nothing queued: it runs empty.

import { ObjectGetOwnPropertyDescriptor, ReflectApply, uncurryThis } from "../intrinsics.js";
import { queueCause } from "../causes.js";
import { isEmpty } from "../context.js";
import { prepareMethod, prepareSetterWith } from "../patch.js";

const SELECT = ["select"];
const METHODS = ["setSelectionRange", "select", "setRangeText"];
const PROPERTIES = ["selectionStart", "selectionEnd", "selectionDirection"];

function prepareFor(proto) {
  const read = {};
  for (let i = 0; i < PROPERTIES.length; i++) {
    const descriptor = ObjectGetOwnPropertyDescriptor(proto, PROPERTIES[i]);
    if (!descriptor || !descriptor.get) return [];
    read[PROPERTIES[i]] = uncurryThis(descriptor.get);
  }
  /** The selection as one string; null where the element has none (type=checkbox, …). */
  const selection = (element) => {
    try {
      return `${read.selectionStart(element)},${read.selectionEnd(element)},${read.selectionDirection(element)}`;
    } catch {
      return null;
    }
  };
  const changing = (element, call) => {
    if (isEmpty()) return call();
    const before = selection(element);
    const result = call();
    // setRangeText() also fires select when it replaced text inside the selection it keeps.
    if (before !== null && selection(element) !== before) queueCause(element, SELECT, "select", "resource");
    return result;
  };
  const patches = [];
  for (let i = 0; i < METHODS.length; i++) {
    const key = METHODS[i];
    patches[patches.length] = prepareMethod(proto, key, (original) => ({
      [key]() {
        return changing(this, () => ReflectApply(original, this, arguments));
      },
    })[key]);
  }
  for (let i = 0; i < PROPERTIES.length; i++) {
    patches[patches.length] = prepareSetterWith(proto, PROPERTIES[i], (element, value, setOriginal) =>
      changing(element, () => setOriginal(element, value)),
    );
  }
  return patches;
}

export function prepareSelection(global) {
  const patches = [];
  for (const name of ["HTMLInputElement", "HTMLTextAreaElement"]) {
    const ctor = global[name];
    if (typeof ctor === "function") patches.push(...prepareFor(ctor.prototype));
  }
  return patches;
}
