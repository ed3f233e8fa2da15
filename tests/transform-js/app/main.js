// Entry of the app bundled by check.mjs (esbuild plugin, Rollup plugin, and without the transform).
import { runFlows } from "./flows.js";

window.result = runFlows();
