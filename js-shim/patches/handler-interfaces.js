// Which on* event handler accessors install replaces. Fixed lists of interfaces (the global
// object's own accessors are found on it directly), because discovering them by walking every
// global constructor makes the engine create each of its ~1000 lazily built interface objects.
// Names the platform lacks are skipped. tests/browser/fixtures/handler-interfaces.html runs that
// walk in the browser and fails when install misses a handler the rule below needs.
//
// An on* handler needs its wrapper only where its event can run in a context other than the one
// the browser dispatches it in (empty, or the synchronous dispatcher's), so install patches
// - on the global object and on nodes, the handlers of the event types a call can cause: load,
//   error, select and focus everywhere (select bubbles; autofocus works on SVG and MathML too; the
//   global error and unhandledrejection), and the toggle, dialog and media events on HTML elements
//   (they fire at the element only);
// - on the objects whose every event reports on a JS call (XHR, FileReader, IndexedDB,
//   WebSocket, EventSource, workers), all their handlers.
// Every other handler fires only events that run in the empty context, unwrapped or not. A
// fallback context (captureFallbackContext) is the one thing that changes that, so the rest (the
// nodes' other handlers, and those of every other native EventTarget interface, found then by the
// walk) is patched just before its first call: a handler set earlier has no fallback, and one set
// inside it gets its wrapper. Building those ~100 interface objects and ~600 accessors was most of
// the rest of the start-up time; the walk costs the page that first call instead (tens of ms once).

import { LOAD_EVENTS, TOGGLE_EVENTS } from "./attributes.js";
import { CAUSED_MEDIA_EVENTS } from "./media.js";

/** The types a typed cause record (causes.js) lists that also reach the document, the window and
 * SVG or MathML elements (bubbling, autofocus, the global error events). A new one must be added. */
export const CAUSED_EVENT_TYPES = [...LOAD_EVENTS, "focus", "select", "unhandledrejection"];

/** The other caused types, which only fire at HTML elements and do not bubble (toggles, dialogs, media). */
export const ELEMENT_EVENT_TYPES = [...TOGGLE_EVENTS, ...CAUSED_MEDIA_EVENTS].filter((type) => !CAUSED_EVENT_TYPES.includes(type));

/** The global object's and the nodes' interfaces: their handlers of CAUSED_EVENT_TYPES at install. */
export const NODE_HANDLER_INTERFACES = (
  "Window Document Element SVGElement MathMLElement ShadowRoot HTMLBodyElement HTMLFrameSetElement " +
  "HTMLCameraElement HTMLMicrophoneElement HTMLGeolocationElement HTMLUserMediaElement " +
  "WorkerGlobalScope DedicatedWorkerGlobalScope SharedWorkerGlobalScope ServiceWorkerGlobalScope"
).split(" ");

/** HTML elements: their handlers of CAUSED_EVENT_TYPES and ELEMENT_EVENT_TYPES at install. */
export const ELEMENT_HANDLER_INTERFACES = ["HTMLElement", "HTMLMediaElement", "HTMLVideoElement"];

/** Objects whose every event reports on a JS call: all their handlers at install. */
export const REPORTING_HANDLER_INTERFACES = (
  "XMLHttpRequestEventTarget XMLHttpRequest WebSocket EventSource Worker SharedWorker FileReader " +
  "IDBRequest IDBOpenDBRequest IDBTransaction IDBDatabase"
).split(" ");
