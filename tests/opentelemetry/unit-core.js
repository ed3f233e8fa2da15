// The unit tests with only the core polyfill: the idle helper must say it needs the tracking build.
import { IdleInteractionContextManager } from "../../pkg/asynccontext.opentelemetry.mjs";
import { test, equal } from "./unit.js";

test("IdleInteractionContextManager without the tracking build throws a TypeError that names it", () => {
  let error;
  try {
    new IdleInteractionContextManager();
  } catch (e) {
    error = e;
  }
  equal(error instanceof TypeError, true, `threw ${error}`);
  equal(/asynccontext\/tracking/.test(error.message), true, `message: ${error.message}`);
});
