// Bundler users who include the classic-script tracking build by its subpath.
import "asynccontext/tracking.global.js";

// test: import "asynccontext/tracking.global.js" declares AsyncContext.experimental globally
{
  const tracker = new AsyncContext.experimental.Tracker({ name: "global build" });
  const idle: Promise<void> = tracker.whenIdle();
  void idle;
}

export {};
