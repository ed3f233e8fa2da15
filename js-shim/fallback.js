// Fallback contexts (experimental, AsyncContext.captureFallbackContext): listeners registered while
// the callback runs get a context to use for browser-originated dispatches, which otherwise run in
// the empty context.

let active;

/** The fallback context listeners registered now get, or undefined. */
export function activeFallback() {
  return active;
}

/** Runs `fn` with `extend(activeFallback())` as the active fallback context. */
export function withFallback(extend, fn) {
  const previous = active;
  active = extend(previous);
  try {
    return fn();
  } finally {
    active = previous;
  }
}
