// Shared helpers of the events-*.spec.js files (not a spec itself: run.mjs only runs *.spec.js).

/** A Variable whose default, "empty", is what a listener sees in the empty context. */
export function flowVariable(name = "flow") {
  return new AsyncContext.Variable({ name, defaultValue: "empty" });
}

/** A promise with its resolve/reject functions. */
export function deferred() {
  let resolve;
  let reject;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** URL of the test server's delayed response (see run.mjs): `{ status, type, body, file, chunks }`. */
export function delayUrl(ms, params = {}) {
  const query = new URLSearchParams({ ms: String(ms) });
  for (const [key, value] of Object.entries(params)) query.set(key, String(value));
  // A unique parameter, so no response is ever shared through a cache.
  query.set("unique", `${performance.now()}-${Math.random()}`);
  return `/__test__/delay?${query}`;
}

export const ASSETS = "/tests/browser/assets";

/** A delayed image that loads. */
export function imageUrl(ms) {
  return delayUrl(ms, { file: `${ASSETS}/pixel.svg` });
}

/** A delayed response that is not an image (its load fails). */
export function brokenImageUrl(ms) {
  return delayUrl(ms, { body: "not an image", type: "text/plain" });
}

/**
 * Resolves when `count` calls of the returned `note(label)` have happened; `note` records
 * `label` (e.g. "load:A") in `log`, in call order.
 */
export function collector(count) {
  const log = [];
  const done = deferred();
  const note = (label) => {
    log.push(label);
    if (log.length === count) done.resolve(log);
  };
  return { log, note, done: done.promise };
}

/** Resolves with the first `type` event on `target` (the listener is added in the current context). */
export function nextEvent(target, type) {
  return new Promise((resolve) => target.addEventListener(type, resolve, { once: true }));
}

/** A window whose prototypes the polyfill never patched (a same-origin about:blank iframe). */
export function unpatchedWindow() {
  const frame = document.createElement("iframe");
  frame.style.display = "none";
  document.body.append(frame);
  return frame.contentWindow;
}

/** Runs `fn(container)` with a fresh container in the document, removed after the test body. */
export async function withContainer(fn) {
  const container = document.createElement("div");
  document.body.append(container);
  try {
    return await fn(container);
  } finally {
    container.remove();
  }
}
