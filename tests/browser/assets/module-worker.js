import "/pkg/asynccontext.mjs";
import "/tests/browser/assets/worker-checks.js";
globalThis.workerChecks().then((results) => postMessage(results));
