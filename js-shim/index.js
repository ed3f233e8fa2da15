// ES module entry (`import "asynccontext"`): installs the polyfill on import.
import { install } from "./install.js";

const installed = install();

/** The active AsyncContext: this polyfill's, or a native/earlier one that was kept. */
export const AsyncContext = installed.AsyncContext;
/** "asynccontext" when this polyfill is active, "native" or "other" when an existing one was kept. */
export const implementation = installed.implementation;
