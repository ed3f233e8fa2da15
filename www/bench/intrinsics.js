// Platform functions the benchmark harness itself uses, captured when this module is evaluated,
// which is before any implementation script is loaded. The harness waits, times and yields with
// these; the scenarios' own work goes through the (possibly patched) globals on purpose.

export const now = performance.now.bind(performance);
export const NativePromise = Promise;

const channel = new MessageChannel();
const waiting = [];
channel.port1.onmessage = () => {
  const resolve = waiting.shift();
  if (resolve) resolve();
};

// Resolves in a fresh macrotask (no timer nesting, empty context for every implementation).
export function nextTask() {
  return new NativePromise((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(null);
  });
}

// Full GC when the page was started with --js-flags=--expose-gc; otherwise nothing.
export const collectGarbage = typeof globalThis.gc === "function" ? globalThis.gc : () => {};
