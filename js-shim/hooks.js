// The seam between the polyfill's core and the experimental task tracking (tasks.js).
//
// The core's scheduling points call `tracking.*` only for a context whose `trackers` list is
// non-null, and only Tracker.prototype.run creates such contexts, so the core bundles (which
// never import tasks.js) leave `tracking` null and never reach those calls.

/** The tracking implementation once the tracking entry has installed it, else null. */
export let tracking = null;

export function enableTracking(implementation) {
  tracking = implementation;
}
