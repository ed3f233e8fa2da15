// The core entry has no task tracking: its declarations must not offer AsyncContext.experimental,
// so the tracking.ts passes really come from tracking.d.ts.
import "asynccontext";

// test: import "asynccontext" alone does not declare AsyncContext.experimental
// @ts-expect-error experimental exists only with asynccontext/tracking
void AsyncContext.experimental;

export {};
