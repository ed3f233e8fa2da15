// Which on* handlers the polyfill must have patched at install (fixtures/handler-interfaces.html and
// its worker): written from the rule in README "Events", independently of the polyfill's own lists.
// On the global object and on nodes, the handlers of event types a JS call can cause (load, toggle,
// media, select, focus) and the global error and unhandledrejection; on objects whose every event
// reports on a JS call, all handlers. Everything else may wait for the first captureFallbackContext.
"use strict";
var fixtureRule = (function () {
  var caused = (
    "load error beforetoggle toggle cancel close focus select unhandledrejection volumechange ratechange " +
    "loadstart progress suspend abort emptied stalled loadedmetadata loadeddata canplay canplaythrough playing " +
    "waiting seeking seeked ended durationchange timeupdate play pause resize encrypted waitingforkey"
  ).split(" ");
  var reporting = ["XMLHttpRequestEventTarget", "FileReader", "IDBRequest", "IDBTransaction", "IDBDatabase", "WebSocket", "EventSource", "Worker", "SharedWorker"];
  function inherits(owner, name) {
    var ctor = self[name];
    return typeof ctor === "function" && !!ctor.prototype && (ctor.prototype === owner || ctor.prototype.isPrototypeOf(owner));
  }
  return {
    neededAtInstall: function (owner, key, globalObject, globalPrototype) {
      if (reporting.some(function (name) { return inherits(owner, name); })) return true;
      var nodeLike = owner === globalObject || owner === globalPrototype || globalPrototype.isPrototypeOf(owner) || inherits(owner, "Node");
      return nodeLike && caused.indexOf(key.slice(2)) >= 0;
    },
  };
})();
