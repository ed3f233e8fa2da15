// A classic script loaded by events-resource-loading.spec.js (its load event is what the tests observe).
globalThis.__eventsNoopScriptRuns = (globalThis.__eventsNoopScriptRuns || 0) + 1;
