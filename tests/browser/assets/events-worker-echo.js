// Worker for events-connections.spec.js: answers every message with the same data, twice.
self.onmessage = (event) => {
  self.postMessage(event.data);
  setTimeout(() => self.postMessage(event.data), 10);
};
