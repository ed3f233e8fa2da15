// Shared by the execution specs; copied next to them untransformed (see run.mjs).
import { assert, originals } from "../harness.js";

// Called as plain functions (a platform function called on the `originals` object would throw).
const platformSetTimeout = originals.setTimeout;
const platformQueueMicrotask = originals.queueMicrotask;

/**
 * `variantOf(import.meta.url)`: whether this copy of the spec is the transformed one. Context values are
 * asserted only there (native await loses them otherwise); everything else is asserted in both copies.
 */
export function variantOf(url) {
  const transformed = new URL(url).pathname.split("/").pop().startsWith("transform-");
  return {
    transformed,
    /** assert.equal in the transformed copy; nothing in the plain one. */
    context(actual, expected, msg) {
      if (transformed) assert.equal(actual, expected, msg);
    },
    /** assert.deepEqual in the transformed copy; nothing in the plain one. */
    contexts(actual, expected, msg) {
      if (transformed) assert.deepEqual(actual, expected, msg);
    },
  };
}

/** A promise resolved with `value` by the platform's own timer after `ms` (no context involved). */
export function later(ms, value) {
  return new Promise((resolve) => platformSetTimeout(() => resolve(value), ms));
}

/** A promise rejected with `error` by the platform's own timer after `ms`. */
export function failLater(ms, error) {
  return new Promise((_, reject) => platformSetTimeout(() => reject(error), ms));
}

/**
 * Pushes "t0", "t1", ... to `log`, one per microtask, `count` times, through the platform's own
 * queueMicrotask: interleaving it with awaits shows how many microtask turns they take.
 */
export function ticker(log, count) {
  let i = 0;
  const step = () => {
    log.push(`t${i}`);
    if (++i < count) platformQueueMicrotask(step);
  };
  platformQueueMicrotask(step);
}

/** Runs `fn` from a platform task (never wrapped by the polyfill) and resolves to its result. */
export function fromPlatformTask(fn) {
  return new Promise((resolve) => platformSetTimeout(() => resolve(fn()), 0));
}

/** A promise that fulfills with `value` (or rejects with `error` when given) after `turns` microtask turns. */
export function afterTurns(turns, value, error) {
  let promise = error === undefined ? Promise.resolve(value) : Promise.reject(error);
  for (let i = 0; i < turns; i++) promise = promise.then((x) => x);
  return promise;
}
