// Resource loading of elements: the load/error events of img, script, link, iframe, style, object,
// embed and input elements run in the context of the JS call that started the load, until that
// load ends (load or error):
// - setting src/href/srcset/srcdoc/data (the properties here; setAttribute in attributes.js):
//   an img or input starts loading right then, a connected iframe/link/object/embed too;
// - inserting a script, link, iframe, style, object or embed element (or a subtree or fragment
//   containing one): appendChild, insertBefore, replaceChild, append, prepend, before, after,
//   replaceWith, replaceChildren, insertAdjacentElement (an img loads from its src set, unless it
//   comes from a <template>'s inert content); inserting a <source> or <track> into a media
//   element (media.js decides whether that starts a load); inserting an [autofocus] element
//   into the document (its focus events: autofocus.js);
// - parsing markup that creates any of them: innerHTML, outerHTML, insertAdjacentHTML,
//   setHTMLUnsafe (only the elements the call created; created audio/video get a media cause);
// - creating an image with a URL in the page's document: cloneNode, importNode,
//   Range.createContextualFragment.
// Insertion and parsing in the empty context leave any earlier recorded cause in place (clearing
// it would mean walking every inserted subtree on every DOM change).

import { ReflectApply, ObjectGetOwnPropertyDescriptor, copyArguments, uncurryThis, isObject } from "../intrinsics.js";
import { isEmpty } from "../context.js";
import { recordCause } from "../causes.js";
import { prepareCause, prepareMethod, prepareSetterWith } from "../patch.js";
import { LOAD_EVENTS, LOAD_FINAL, LOADED_ON_INSERTION, LOADING_ELEMENTS, MEDIA_ELEMENTS, recordUrlChange } from "./attributes.js";
import { CAUSED_MEDIA_EVENTS, recordInsertedIntoMedia, recordMedia } from "./media.js";
import { recordAutofocus } from "./autofocus.js";

const LOADING_ATTRIBUTES = ["src", "href", "srcset", "srcdoc", "data"];
/** Elements created in the page's document that start loading at once: images with a URL. */
const CREATED_LOADING = "img[src],img[srcset],input[type=image i][src]";
/** Parsed elements that will load: those loaded on insertion, plus images with a URL. */
const PARSED_LOADING = `${LOADED_ON_INSERTION},img[src],img[srcset],input[type=image i][src]`;
const WeakSetCtor = WeakSet;
const weakSetAdd = uncurryThis(WeakSet.prototype.add);
const weakSetHas = uncurryThis(WeakSet.prototype.has);

export function prepareResourceLoading(global) {
  const Node = global.Node;
  const Element = global.Element;
  if (typeof Node !== "function" || typeof Element !== "function") return [];
  const nodeType = uncurryThis(ObjectGetOwnPropertyDescriptor(Node.prototype, "nodeType").get);
  const matches = uncurryThis(Element.prototype.matches);
  const querySelectorAll = uncurryThis(Element.prototype.querySelectorAll);
  const fragmentQuery = global.DocumentFragment && uncurryThis(global.DocumentFragment.prototype.querySelectorAll);
  const record = (element) => recordCause(element, LOAD_EVENTS, LOAD_FINAL);

  /** `selector`-matching elements in `node` (itself included), as an array; [] for non-nodes. */
  function loadingIn(node, selector) {
    if (!isObject(node)) return [];
    let type;
    try {
      type = nodeType(node);
    } catch {
      return []; // a string argument of append() and friends
    }
    if (type === 1) {
      const found = copyArguments(querySelectorAll(node, selector));
      if (matches(node, selector)) found[found.length] = node;
      return found;
    }
    return type === 11 && fragmentQuery ? copyArguments(fragmentQuery(node, selector)) : [];
  }

  const ownerDocument = uncurryThis(ObjectGetOwnPropertyDescriptor(Node.prototype, "ownerDocument").get);
  /** The elements of `node` whose load starts with this insertion. */
  function startingOnInsertion(node) {
    const elements = loadingIn(node, LOADED_ON_INSERTION);
    // An img loads from its src set, except one created in another document (a <template>'s
    // inert content), which starts loading when this insertion adopts it.
    const images = loadingIn(node, "img[src],img[srcset]");
    for (let i = 0; i < images.length; i++) if (ownerDocument(images[i]) !== global.document) elements[elements.length] = images[i];
    return elements;
  }
  const isConnected = uncurryThis(ObjectGetOwnPropertyDescriptor(Node.prototype, "isConnected").get);
  const recordAll = (elements) => {
    for (let i = 0; i < elements.length; i++) record(elements[i]);
  };
  /** Before an insertion into `parent`: `node`'s autofocus candidates, if it goes into the document. */
  const autofocusing = (parent, node) => {
    if (isObject(parent) && isConnected(parent)) recordAutofocus(loadingIn(node, "[autofocus]"));
  };
  /** `parentOf(this)` is the node the arguments are inserted into. */
  const insertsArguments = (parentOf) => (self, args) => {
    if (isEmpty()) return;
    for (let i = 0; i < args.length; i++) {
      recordAll(startingOnInsertion(args[i]));
      recordInsertedIntoMedia(parentOf(self), args[i]);
      autofocusing(parentOf(self), args[i]);
    }
  };
  const insertsArgument = (index) => (self, args) => {
    if (isEmpty()) return;
    recordAll(startingOnInsertion(args[index]));
    recordInsertedIntoMedia(self, args[index]);
    autofocusing(self, args[index]);
  };

  const hasAttribute = uncurryThis(Element.prototype.hasAttribute);
  /**
   * An inline handler attribute (<img onload="…">) is compiled by the browser, never through the
   * on* setter: pass it through the (patched) setter so it is wrapped too. The attribute stays,
   * and removing it still clears the handler.
   */
  function wrapInlineHandlers(element, types) {
    for (let i = 0; i < types.length; i++) {
      const key = `on${types[i]}`;
      if (hasAttribute(element, key)) element[key] = element[key];
    }
  }

  /** Records the loading elements that `parse()` created inside `scope` (those not there before). */
  function recordParsed(scope, parse) {
    if (isEmpty() || !isObject(scope)) return parse();
    const existing = new WeakSetCtor();
    const old = loadingIn(scope, `${PARSED_LOADING},${MEDIA_ELEMENTS}`);
    for (let i = 0; i < old.length; i++) weakSetAdd(existing, old[i]);
    const result = parse();
    const created = loadingIn(scope, PARSED_LOADING);
    for (let i = 0; i < created.length; i++) {
      if (weakSetHas(existing, created[i])) continue;
      record(created[i]);
      wrapInlineHandlers(created[i], LOAD_EVENTS);
    }
    const media = loadingIn(scope, MEDIA_ELEMENTS);
    for (let i = 0; i < media.length; i++) {
      if (weakSetHas(existing, media[i])) continue;
      recordMedia(media[i]);
      wrapInlineHandlers(media[i], CAUSED_MEDIA_EVENTS);
    }
    return result;
  }
  function parsing(target, key, scope) {
    return prepareMethod(target, key, (original) => ({
      [key]() {
        return recordParsed(scope(this), () => ReflectApply(original, this, arguments));
      },
    })[key]);
  }
  function parsingSetter(target, key, scope) {
    return prepareSetterWith(target, key, (element, value, setOriginal) => {
      recordParsed(scope(element), () => setOriginal(element, value));
    });
  }
  const parentOf = (element) => element.parentNode;
  const itself = (element) => element;
  const parentNode = uncurryThis(ObjectGetOwnPropertyDescriptor(Node.prototype, "parentNode").get);

  /** A call that returns new nodes (a clone, an imported node, a parsed fragment): record what it created. */
  function creating(target, key) {
    return prepareMethod(target, key, (original) => ({
      [key]() {
        const result = ReflectApply(original, this, arguments);
        if (!isEmpty()) {
          const created = loadingIn(result, CREATED_LOADING);
          for (let i = 0; i < created.length; i++) if (ownerDocument(created[i]) === global.document) record(created[i]);
        }
        return result;
      },
    })[key]);
  }

  const patches = [
    creating(Node.prototype, "cloneNode"),
    global.Document && creating(global.Document.prototype, "importNode"),
    global.Range && creating(global.Range.prototype, "createContextualFragment"),
    prepareCause(Node.prototype, "appendChild", insertsArgument(0)),
    prepareCause(Node.prototype, "insertBefore", insertsArgument(0)),
    prepareCause(Node.prototype, "replaceChild", insertsArgument(0)),
    prepareCause(Element.prototype, "insertAdjacentElement", (self, args) => {
      if (isEmpty()) return;
      recordAll(startingOnInsertion(args[1]));
      const where = typeof args[0] === "string" ? args[0].toLowerCase() : "";
      const parent = where === "afterbegin" || where === "beforeend" ? self : parentNode(self);
      recordInsertedIntoMedia(parent, args[1]);
      autofocusing(parent, args[1]);
    }),
    parsing(Element.prototype, "insertAdjacentHTML", (element) => parentOf(element) || element),
    parsing(Element.prototype, "setHTMLUnsafe", itself),
    parsingSetter(Element.prototype, "innerHTML", itself),
    parsingSetter(Element.prototype, "outerHTML", parentOf),
  ];
  for (const proto of [Element.prototype, global.DocumentFragment && global.DocumentFragment.prototype, global.Document && global.Document.prototype]) {
    if (!proto) continue;
    for (const key of ["append", "prepend", "replaceChildren"]) {
      if (ObjectGetOwnPropertyDescriptor(proto, key)) patches.push(prepareCause(proto, key, insertsArguments(itself)));
    }
  }
  for (const key of ["before", "after", "replaceWith"]) patches.push(prepareCause(Element.prototype, key, insertsArguments(parentNode)));
  for (const name of ["HTMLImageElement", "HTMLScriptElement", "HTMLLinkElement", "HTMLIFrameElement", "HTMLObjectElement", "HTMLEmbedElement", "HTMLInputElement"]) {
    const ctor = global[name];
    if (typeof ctor !== "function") continue;
    for (const key of LOADING_ATTRIBUTES) {
      if (!ObjectGetOwnPropertyDescriptor(ctor.prototype, key)) continue;
      // After the set: whether a load starts depends on the new attribute value.
      patches.push(
        prepareSetterWith(ctor.prototype, key, (element, value, setOriginal) => {
          setOriginal(element, value);
          recordUrlChange(element);
        }),
      );
    }
  }
  return patches;
}
