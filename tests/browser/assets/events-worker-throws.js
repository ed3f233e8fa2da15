// Worker for events-connections.spec.js: throws while its script runs (an "error" event on the Worker object).
throw new Error("thrown by events-worker-throws.js");
