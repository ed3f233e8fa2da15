// The application code of the end-to-end test and of the demo: native async/await click handlers.
// Each button's flow: a fetch, a timer, an XHR after several awaits, a manual span, a fetch made
// from a timer. The two flows have different delays so that, clicked one right after the other,
// their steps interleave. `base` is where the requests go (the test server records traceparent).
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function xhr(url) {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("GET", url);
    request.onload = () => resolve(request.responseText);
    request.onerror = () => reject(new Error(`XHR ${url} failed`));
    request.send();
  });
}

const DELAYS = { a: { fetch: 180, xhr: 60, timerFetch: 40 }, b: { fetch: 40, xhr: 150, timerFetch: 20 } };

/** Adds the click handlers of buttons #a and #b; `onFlow({ name, start, end, error })` after each flow. */
export function installFlows({ tracer, base, onFlow }) {
  for (const name of ["a", "b"]) {
    const delays = DELAYS[name];
    document.getElementById(name).addEventListener("click", async () => {
      const start = performance.now();
      let error;
      try {
        const response = await fetch(`${base}/${name}/fetch?delay=${delays.fetch}`);
        await response.text();
        await sleep(30);
        await Promise.resolve();
        await sleep(0);
        await xhr(`${base}/${name}/xhr?delay=${delays.xhr}`);
        const span = tracer.startSpan(`${name}: manual`, { attributes: { "app.flow": name } });
        await sleep(15);
        span.end();
        await new Promise((resolve, reject) => {
          setTimeout(() => {
            fetch(`${base}/${name}/timer-fetch?delay=${delays.timerFetch}`).then((r) => r.text()).then(resolve, reject);
          }, 20);
        });
      } catch (e) {
        error = String(e);
      }
      onFlow({ name, start, end: performance.now(), error });
    });
  }
}
