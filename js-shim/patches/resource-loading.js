// Resource loading of elements: the load/error events of img, script, link, iframe, style, object,
// embed and input elements run in the context of the JS call that started the load:
// - setting src/href/srcset/srcdoc/data (the properties here; setAttribute in attributes.js);
// - inserting the element (or a subtree or fragment containing it) into a node: appendChild,
//   insertBefore, replaceChild, append, prepend, before, after, replaceWith, replaceChildren,
//   insertAdjacentElement;
// - parsing markup that creates it: innerHTML, outerHTML, insertAdjacentHTML, setHTMLUnsafe.
// Insertion and parsing in the empty context leave any earlier recorded cause in place (clearing
// it would mean walking every inserted subtree on every DOM change).

import { ReflectApply, ObjectGetOwnPropertyDescriptor, uncurryThis, isObject } from "../intrinsics.js";
import { isEmpty } from "../context.js";
import { recordCause } from "../causes.js";
import { LOADING_ELEMENTS } from "./attributes.js";
import { prepareCause, prepareMethod, prepareSetter, prepareSetterWith } from "../patch.js";

const LOADING = LOADING_ELEMENTS;
const LOADING_ATTRIBUTES = ["src", "href", "srcset", "srcdoc", "data"];

export function prepareResourceLoading(global) {
  const Node = global.Node;
  const Element = global.Element;
  if (typeof Node !== "function" || typeof Element !== "function") return [];
  const nodeType = uncurryThis(ObjectGetOwnPropertyDescriptor(Node.prototype, "nodeType").get);
  const matches = uncurryThis(Element.prototype.matches);
  const querySelectorAll = uncurryThis(Element.prototype.querySelectorAll);
  const fragmentQuery = global.DocumentFragment && uncurryThis(global.DocumentFragment.prototype.querySelectorAll);

  /** Records the cause on `node` and every loading element inside it. */
  function recordSubtree(node) {
    if (!isObject(node)) return;
    let type;
    try {
      type = nodeType(node);
    } catch {
      return; // a string argument of append() and friends
    }
    if (type === 1) {
      if (matches(node, LOADING)) recordCause(node);
      for (const element of querySelectorAll(node, LOADING)) recordCause(element);
    } else if (type === 11 && fragmentQuery) {
      for (const element of fragmentQuery(node, LOADING)) recordCause(element);
    }
  }
  const insertsArguments = (_, args) => {
    if (isEmpty()) return;
    for (let i = 0; i < args.length; i++) recordSubtree(args[i]);
  };
  const insertsFirst = (_, args) => {
    if (!isEmpty()) recordSubtree(args[0]);
  };
  const insertsSecond = (_, args) => {
    if (!isEmpty()) recordSubtree(args[1]);
  };
  /** After markup is parsed into `element`, the loading elements it now contains. */
  function parsing(target, key, scope) {
    return prepareMethod(target, key, (original) => ({
      [key]() {
        const result = ReflectApply(original, this, arguments);
        if (!isEmpty()) recordSubtree(scope(this));
        return result;
      },
    })[key]);
  }
  /** Setters that parse markup: the elements exist only after the set, so record afterwards. */
  function parsingSetter(target, key, scope) {
    return prepareSetterWith(target, key, (element, value, setOriginal) => {
      const parent = scope(element);
      setOriginal(element, value);
      if (!isEmpty()) recordSubtree(parent);
    });
  }

  const patches = [
    prepareCause(Node.prototype, "appendChild", insertsFirst),
    prepareCause(Node.prototype, "insertBefore", insertsFirst),
    prepareCause(Node.prototype, "replaceChild", insertsFirst),
    prepareCause(Element.prototype, "insertAdjacentElement", insertsSecond),
    parsing(Element.prototype, "insertAdjacentHTML", (element) => element.parentNode || element),
    parsing(Element.prototype, "setHTMLUnsafe", (element) => element),
    parsingSetter(Element.prototype, "innerHTML", (element) => element),
    parsingSetter(Element.prototype, "outerHTML", (element) => element.parentNode),
  ];
  for (const proto of [Element.prototype, global.DocumentFragment && global.DocumentFragment.prototype, global.Document && global.Document.prototype]) {
    if (!proto) continue;
    for (const key of ["append", "prepend", "replaceChildren"]) {
      if (ObjectGetOwnPropertyDescriptor(proto, key)) patches.push(prepareCause(proto, key, insertsArguments));
    }
  }
  for (const key of ["before", "after", "replaceWith"]) patches.push(prepareCause(Element.prototype, key, insertsArguments));
  for (const name of ["HTMLImageElement", "HTMLScriptElement", "HTMLLinkElement", "HTMLIFrameElement", "HTMLObjectElement", "HTMLEmbedElement", "HTMLInputElement"]) {
    const ctor = global[name];
    if (typeof ctor !== "function") continue;
    for (const key of LOADING_ATTRIBUTES) {
      if (ObjectGetOwnPropertyDescriptor(ctor.prototype, key)) patches.push(prepareSetter(ctor.prototype, key, (element) => recordCause(element)));
    }
  }
  return patches;
}
