// Which on* handlers the polyfill must have patched at install (fixtures/handler-interfaces.html and
// its worker): written from the rule in README "Events", independently of the polyfill's own lists.
// On the global object and on nodes, the handlers of load, error, select, focus and
// unhandledrejection (bubbling, autofocus, global errors); on HTMLElement.prototype and the media
// elements, also the toggle, dialog and media events; on objects whose every event reports on a JS
// call, all handlers. Everything else may wait for the first captureFallbackContext.
"use strict";
var fixtureRule = (function () {
  // Everywhere on nodes and the global: bubbling (select), autofocus (focus), loads, global errors.
  var caused = ["load", "error", "focus", "select", "unhandledrejection"];
  // At HTML elements only (they do not bubble): toggles, dialogs, media.
  var atElements = (
    "beforetoggle toggle cancel close volumechange ratechange loadstart progress suspend abort emptied " +
    "stalled loadedmetadata loadeddata canplay canplaythrough playing waiting seeking seeked ended " +
    "durationchange timeupdate play pause resize encrypted waitingforkey"
  ).split(" ");
  var reporting = ["XMLHttpRequestEventTarget", "FileReader", "IDBRequest", "IDBTransaction", "IDBDatabase", "WebSocket", "EventSource", "Worker", "SharedWorker"];
  function inherits(owner, name) {
    var ctor = self[name];
    return typeof ctor === "function" && !!ctor.prototype && (ctor.prototype === owner || ctor.prototype.isPrototypeOf(owner));
  }
  return {
    neededAtInstall: function (owner, key, globalObject, globalPrototype) {
      if (reporting.some(function (name) { return inherits(owner, name); })) return true;
      var type = key.slice(2);
      var nodeLike = owner === globalObject || owner === globalPrototype || globalPrototype.isPrototypeOf(owner) || inherits(owner, "Node");
      if (nodeLike && caused.indexOf(type) >= 0) return true;
      // HTMLElement.prototype and the media elements' own (onencrypted, onwaitingforkey, …).
      var htmlElement = typeof HTMLElement === "function" && (owner === HTMLElement.prototype || inherits(owner, "HTMLMediaElement"));
      return htmlElement && atElements.indexOf(type) >= 0;
    },
  };
})();
