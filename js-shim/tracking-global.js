// Classic-script entry (pkg/asynccontext.tracking.global.js): the polyfill plus
// AsyncContext.experimental (task tracking), installed synchronously.
import { install } from "./install.js";
import { installTracking } from "./tracking.js";

installTracking(install());
