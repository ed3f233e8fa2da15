// ES module entry `asynccontext/tracking`: installs the polyfill (shared with `asynccontext` when
// both are imported) plus the experimental task tracking, and exports it.
import { install } from "./install.js";
import { installTracking } from "./tracking.js";

const installed = install();
const experimental = installTracking(installed);

export const AsyncContext = installed.AsyncContext;
export const implementation = installed.implementation;
export const { Tracker, AsyncTask, asyncStack, label } = experimental;
