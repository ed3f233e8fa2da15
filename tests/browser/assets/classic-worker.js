importScripts("/pkg/asynccontext.global.js", "/tests/browser/assets/worker-checks.js");
workerChecks().then((results) => postMessage(results));
