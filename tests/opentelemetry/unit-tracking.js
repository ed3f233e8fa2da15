// The unit tests with the tracking build imported first: the manager must use the AsyncContext
// it installed (one polyfill), and behave the same.
import { AsyncContext as trackingAsyncContext } from "../../pkg/asynccontext.tracking.mjs";
import { test, equal } from "./unit.js";

test("with asynccontext/tracking imported first, one polyfill is installed and it is the global one", () => {
  equal(trackingAsyncContext, globalThis.AsyncContext, "tracking's AsyncContext");
  equal(globalThis[Symbol.for("asynccontext")].active, "asynccontext", "active implementation");
});

test("IdleInteractionContextManager finds the tracking build's Tracker without options, and checks isInteraction", async () => {
  const { IdleInteractionContextManager } = await import("../../pkg/asynccontext.opentelemetry.mjs");
  const manager = new IdleInteractionContextManager();
  equal(typeof manager.spanProcessor.onStart, "function", "spanProcessor.onStart");
  let error;
  try {
    new IdleInteractionContextManager({ isInteraction: "click" });
  } catch (e) {
    error = e;
  }
  equal(error instanceof TypeError, true, `isInteraction: "click" threw ${error}`);
});
