// The implementations the benchmark compares. `file` is the browser file, relative to the repo
// root (the page loads it with a classic <script>; scripts/bench.mjs measures its size).
// `setup()` runs after the file loaded and returns the api the scenarios use:
//   { Variable, propagates, version?, around? }
// `around(fn)`, if present, wraps every timed run (the tracker-on column runs inside tracker.run).
// Nothing here touches the DOM at module evaluation, so scripts/bench.mjs can import it too.

// "none": no polyfill. Its Variable is a plain global slot that `run` overwrites and never restores,
// so the platform rows measure the same work (chains, timeouts, get calls) with nothing propagated.
class GlobalSlotVariable {
  #value;
  run(value, fn) {
    this.#value = value;
    return fn();
  }
  get() {
    return this.#value;
  }
}

// zone.js has no Variable; the equivalent of run(value, fn) is a child zone carrying the value as a
// zone property, and get() is Zone.current.get(key), which walks up the zone chain.
function zoneVariableClass(Zone) {
  let count = 0;
  return class ZoneVariable {
    #key = `bench-variable-${count++}`;
    run(value, fn) {
      const key = this.#key;
      return Zone.current.fork({ name: key, properties: { [key]: value } }).run(fn);
    }
    get() {
      return Zone.current.get(this.#key);
    }
  };
}

export const IMPLEMENTATIONS = {
  none: {
    description: "no polyfill (platform baseline)",
    file: null,
    setup() {
      return { Variable: GlobalSlotVariable, propagates: false };
    },
  },
  // A cost bound, not a polyfill (www/bench/floor.js): then wraps each reaction in one closure that
  // swaps a global around the call, nothing else. Only then-based propagation works in it.
  "floor (then only)": {
    description: "cost bound, not a polyfill: Promise.prototype.then wraps each reaction in one closure swapping a global; no store, propagates only through then",
    file: "www/bench/floor.js",
    setup() {
      if (!globalThis.BenchFloor) throw new Error("www/bench/floor.js did not define BenchFloor");
      return { Variable: globalThis.BenchFloor.Variable, propagates: true, thenOnly: true };
    },
  },
  asynccontext: {
    description: "this project (wasm store + JS shim)",
    file: "pkg/asynccontext.global.js",
    setup() {
      const info = globalThis[Symbol.for("asynccontext")];
      if (!info) throw new Error("pkg/asynccontext.global.js ran but published no installed-info object");
      if (info.active !== "asynccontext") {
        throw new Error(`asynccontext did not install itself (active implementation: ${info.active})`);
      }
      return { Variable: globalThis.AsyncContext.Variable, propagates: true, version: info.version };
    },
  },
  // The tracking build (asynccontext/tracking): the same polyfill plus AsyncContext.experimental.
  // "no tracker": nothing is tracked, so it must cost what the core build costs. "tracker on": every
  // timed run happens inside tracker.run with all four hooks set (counting only), so every .then,
  // timeout and run in it creates a task record and a call-graph node.
  "tracking (no tracker)": {
    description: "this project's tracking build (pkg/asynccontext.tracking.global.js), no tracker active",
    file: "pkg/asynccontext.tracking.global.js",
    setup() {
      return trackingBuild();
    },
  },
  "tracking (tracker on)": {
    description: "this project's tracking build, every timed run inside tracker.run (hooks count tasks)",
    file: "pkg/asynccontext.tracking.global.js",
    setup() {
      const api = trackingBuild();
      const counts = { scheduled: 0, before: 0, after: 0, cancelled: 0 };
      const tracker = new globalThis.AsyncContext.experimental.Tracker({
        name: "bench",
        scheduled() {
          counts.scheduled++;
        },
        before() {
          counts.before++;
        },
        after() {
          counts.after++;
        },
        cancelled() {
          counts.cancelled++;
        },
      });
      return { ...api, around: (fn) => tracker.run(fn), counts };
    },
  },
  reference: {
    description: "pure-JS reference store (www/bench/reference-store.js)",
    file: "www/bench/reference-store.js",
    setup() {
      return { Variable: globalThis.AsyncContext.Variable, propagates: true };
    },
  },
  "simple-async-context": {
    description: "npm simple-async-context, bundled to an IIFE by scripts/bench.mjs",
    file: "bench-peers/simple-async-context.iife.js",
    setup() {
      const api = globalThis.SimpleAsyncContext;
      if (!api || typeof api.Variable !== "function") {
        throw new Error("simple-async-context bundle did not define SimpleAsyncContext.Variable");
      }
      return { Variable: api.Variable, propagates: true };
    },
  },
  "zone.js": {
    description: "npm zone.js browser bundle (zone.umd.min.js); Variable mapped to zone forks",
    file: "bench-peers/node_modules/zone.js/bundles/zone.umd.min.js",
    setup() {
      const Zone = globalThis.Zone;
      if (typeof Zone !== "function" || !Zone.current) throw new Error("zone.js did not define Zone");
      return { Variable: zoneVariableClass(Zone), propagates: true };
    },
  },
};

export const IMPLEMENTATION_NAMES = Object.keys(IMPLEMENTATIONS);

function trackingBuild() {
  const info = globalThis[Symbol.for("asynccontext")];
  if (!info || info.active !== "asynccontext") throw new Error("pkg/asynccontext.tracking.global.js did not install itself");
  if (!globalThis.AsyncContext.experimental) throw new Error("the tracking build has no AsyncContext.experimental");
  return { Variable: globalThis.AsyncContext.Variable, propagates: true, version: info.version };
}
