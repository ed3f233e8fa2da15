// Observers (semantics.md §3): the callback of MutationObserver, ResizeObserver,
// IntersectionObserver, PerformanceObserver and ReportingObserver runs in the registration
// context, i.e. the context of the `new XObserver(callback, …)` call, every time it is called.
// The context is held while the observer lives (the host holds the wrapped callback).
//
// The global constructors are replaced by subclass-safe ones (patch.js) that wrap the
// callback before constructing the original. An observer constructed in the empty context gets
// its callback unwrapped (the host calls it at the top of a task or microtask, where the context
// is empty anyway); a non-function callback is passed through for the native TypeError. The
// callback keeps its `this` (the observer) and arguments.

import { bind, isEmpty } from "../context.js";
import { prepareAlias, prepareConstructorWith } from "../patch.js";

const OBSERVERS = ["MutationObserver", "ResizeObserver", "IntersectionObserver", "PerformanceObserver", "ReportingObserver"];

function prepareObserver(global, name) {
  return prepareConstructorWith(global, name, (args) => {
    if (!isEmpty() && typeof args[0] === "function") args[0] = bind(args[0], name);
  });
}

export function prepareObservers(global) {
  const patches = [];
  for (let i = 0; i < OBSERVERS.length; i++) patches[patches.length] = prepareObserver(global, OBSERVERS[i]);
  // Chromium still exposes the prefixed name as the same constructor.
  patches[patches.length] = prepareAlias(global, "WebKitMutationObserver", patches[0]);
  return patches;
}
