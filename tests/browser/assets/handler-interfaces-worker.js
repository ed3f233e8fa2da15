// Worker half of fixtures/handler-interfaces.html: the walk the polyfill used to do at install, run
// in a dedicated worker's global before importScripts loads the polyfill; posts the labels found and
// those whose accessors were left native.
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
importScripts("/pkg/asynccontext.global.js");
var missed = found.filter(function (h) {
  var d = Object.getOwnPropertyDescriptor(h.owner, h.key);
  return d.get === h.get || d.set === h.set;
});
postMessage({ found: found.map(function (h) { return h.label; }), missed: missed.map(function (h) { return h.label; }) });
