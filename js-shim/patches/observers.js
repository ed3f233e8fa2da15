// Observers (semantics.md §3, 2026): the callbacks of MutationObserver, ResizeObserver,
// IntersectionObserver, PerformanceObserver and ReportingObserver run in the empty context.
// Observations are batched, so no single call causes a callback, and the proposal dropped
// capturing the constructor's context for its memory cost (an observer would hold it as long as
// it lives). A page that wants the registration context wraps its callback itself:
// `new MutationObserver(AsyncContext.Snapshot.wrap(callback))`.
//
// So nothing is patched: the native constructors stay in place and hold no context. The host
// calls an observer callback at the top of a task or microtask, where the polyfill's current
// context is always empty (every callback the polyfill runs restores the previous context in a
// `finally`, also when it throws), so a callback cannot inherit a leaked context. For task
// tracking an observer callback is not part of the flow that constructed the observer.

export function prepareObservers() {
  return [];
}
