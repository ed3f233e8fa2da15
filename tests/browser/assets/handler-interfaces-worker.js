// Worker half of fixtures/handler-interfaces.html: the walk the polyfill used to do at install, run
// in a dedicated worker's global before importScripts loads the polyfill; posts the labels found,
// those left native at install that must not be, those patched early, and those left native after
// the first captureFallbackContext.
"use strict";
var found = [];
function collect(owner, label) {
  Object.getOwnPropertyNames(owner).forEach(function (key) {
    if (key.length < 3 || key.slice(0, 2) !== "on") return;
    var d = Object.getOwnPropertyDescriptor(owner, key);
    if (d && d.get && d.set && d.configurable) found.push({ owner: owner, label: label + "." + key, key: key, get: d.get, set: d.set });
  });
}
collect(self, "self");
Object.getOwnPropertyNames(self).forEach(function (name) {
  var d = Object.getOwnPropertyDescriptor(self, name);
  var ctor = d && d.value;
  if (typeof ctor !== "function" || !/^[A-Z]/.test(name) || !ctor.prototype) return;
  if (ctor.prototype !== EventTarget.prototype && EventTarget.prototype.isPrototypeOf(ctor.prototype)) collect(ctor.prototype, name + ".prototype");
});
importScripts("/tests/browser/assets/handler-rule.js", "/pkg/asynccontext.global.js");
function patched(h) {
  var d = Object.getOwnPropertyDescriptor(h.owner, h.key);
  return d.get !== h.get && d.set !== h.set;
}
function labels(list) {
  return list.map(function (h) { return h.label; });
}
function needed(h) {
  return fixtureRule.neededAtInstall(h.owner, h.key, self, WorkerGlobalScope.prototype);
}
var missedAtInstall = found.filter(function (h) { return needed(h) && !patched(h); });
var early = found.filter(function (h) { return !needed(h) && patched(h); });
AsyncContext.captureFallbackContext(new AsyncContext.Variable(), function () {});
var missed = found.filter(function (h) { return !patched(h); });
postMessage({ found: labels(found), missedAtInstall: labels(missedAtInstall), early: labels(early), missed: labels(missed) });
