// Fallback contexts (experimental, AsyncContext.captureFallbackContext): listeners registered while
// the callback runs get a context to use for browser-originated dispatches, which otherwise run in
// the empty context.

let active;
/** Work that only fallback contexts need, done just before the first one is made (events.js). */
let beforeFirst;

export function beforeFirstFallback(fn) {
  beforeFirst = fn;
}

/** The fallback context listeners registered now get, or undefined. */
export function activeFallback() {
  return active;
}

/** Runs `fn` with `extend(activeFallback())` as the active fallback context. */
export function withFallback(extend, fn) {
  if (beforeFirst !== undefined) {
    const prepare = beforeFirst;
    beforeFirst = undefined;
    prepare();
  }
  const previous = active;
  active = extend(previous);
  try {
    return fn();
  } finally {
    active = previous;
  }
}
