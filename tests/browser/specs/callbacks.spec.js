// Completion callbacks and callbacks inside asynchronous algorithms run in the context of the
// call that handed them over (navigator.locks.request, document.startViewTransition,
// canvas.toBlob, Notification.requestPermission, geolocation.getCurrentPosition,
// decodeAudioData, DataTransferItem.getAsString); registrations (geolocation.watchPosition,
// mediaSession.setActionHandler) run theirs in the registration context. Return values and
// errors for bad input are the native ones.
//
// Headless Chromium here denies geolocation and notifications, so the geolocation tests use the
// error callback (PERMISSION_DENIED) and the Notification test the "denied" answer; media session
// action handlers cannot be triggered from the page (only registration is tested).

import { test, assert, sleep, withNativeWindow, skip } from "../harness.js";

const newVariable = (name) => new AsyncContext.Variable({ name, defaultValue: "empty" });

function deferred() {
  let resolve;
  const promise = new Promise((r) => { resolve = r; });
  return { promise, resolve };
}

async function until(predicate) {
  while (!predicate()) await sleep(10);
}

// How a call ended, comparable across realms: thrown or rejected (constructor name and message),
// or returned/fulfilled.
async function outcomeOf(call) {
  const describe = (kind, error) => ({ kind, name: error && error.constructor && error.constructor.name, message: error && error.message });
  let result;
  try {
    result = call();
  } catch (error) {
    return describe("threw", error);
  }
  if (result && typeof result.then === "function") {
    return Promise.resolve(result).then(() => ({ kind: "fulfilled" }), (error) => describe("rejected", error));
  }
  return { kind: "returned" };
}

/** The outcome of `call(window)` inside run and in the empty context equals the native outcome. */
async function assertFailsAsNatively(label, call) {
  const v = newVariable("v");
  await withNativeWindow(async (native) => {
    const expected = await outcomeOf(() => call(native));
    assert.ok(expected.kind === "threw" || expected.kind === "rejected", `native ${label} did not fail`);
    assert.deepEqual(await v.run("a", () => outcomeOf(() => call(window))), expected, `${label} inside run`);
    assert.deepEqual(await outcomeOf(() => call(window)), expected, `${label} in the empty context`);
  });
}

// ---------------------------------------------------------------------------
// navigator.locks.request

test("navigator.locks.request callback runs in the context of the request call, also after waiting for the lock", async () => {
  const v = newVariable("v");
  const seen = [];
  const release = deferred();
  const a = v.run("a", () =>
    navigator.locks.request("callbacks-spec-lock", async () => {
      seen.push(["a", v.get()]);
      await release.promise;
    }),
  );
  const b = v.run("b", () => navigator.locks.request("callbacks-spec-lock", () => seen.push(["b", v.get()])));
  await until(() => seen.length === 1);
  release.resolve();
  await Promise.all([a, b]);
  assert.deepEqual(seen, [["a", "a"], ["b", "b"]]);
});

test("navigator.locks.request with options runs the callback in the context of the request call", async () => {
  const v = newVariable("v");
  const seen = [];
  await Promise.all([
    v.run("a", () => navigator.locks.request("callbacks-spec-shared", { mode: "shared" }, () => seen.push(["a", v.get()]))),
    v.run("b", () => navigator.locks.request("callbacks-spec-shared", { mode: "shared" }, () => seen.push(["b", v.get()]))),
  ]);
  assert.deepEqual(seen, [["a", "a"], ["b", "b"]]);
});

test("navigator.locks.request resolves with the callback's result inside run", async () => {
  const v = newVariable("v");
  const result = await v.run("a", () => navigator.locks.request("callbacks-spec-result", (lock) => `${lock.name}:${v.get()}`));
  assert.equal(result, "callbacks-spec-result:a");
});

test("navigator.locks.request without a callable callback fails as natively", async () => {
  await assertFailsAsNatively("request(name)", (w) => w.navigator.locks.request("callbacks-spec-bad"));
  await assertFailsAsNatively("request(name, 1)", (w) => w.navigator.locks.request("callbacks-spec-bad", 1));
  await assertFailsAsNatively("request(name, {}, 1)", (w) => w.navigator.locks.request("callbacks-spec-bad", {}, 1));
});

// ---------------------------------------------------------------------------
// document.startViewTransition

test("document.startViewTransition update callback runs in the context of the call, also for a skipped transition", async () => {
  const v = newVariable("v");
  const seen = [];
  const start = (flow) =>
    v.run(flow, () => {
      const transition = document.startViewTransition(() => seen.push([flow, v.get()]));
      transition.ready.catch(() => {}); // the first one is skipped by the second
      return transition;
    });
  const a = start("a");
  const b = start("b");
  await Promise.all([a.finished, b.finished]);
  assert.deepEqual(seen, [["a", "a"], ["b", "b"]]);
});

test("document.startViewTransition reads update from an options object in the context of the call without modifying it", async () => {
  const v = newVariable("v");
  let seen;
  const update = () => { seen = v.get(); };
  const options = { update, types: ["callbacks-spec"] };
  const transition = v.run("a", () => document.startViewTransition(options));
  transition.ready.catch(() => {});
  await transition.finished;
  assert.equal(seen, "a");
  assert.equal(options.update, update, "options.update");
  assert.deepEqual(Object.keys(options), ["update", "types"], "options keys");
  assert.deepEqual([...transition.types], ["callbacks-spec"], "transition.types");
});

test("document.startViewTransition reads each option once, as natively", async () => {
  const v = newVariable("v");
  const reads = (win) => {
    const log = [];
    const options = {
      get update() { log.push("update"); return () => {}; },
      get types() { log.push("types"); return []; },
    };
    const transition = win.document.startViewTransition(options);
    transition.ready.catch(() => {});
    transition.skipTransition();
    return log;
  };
  await withNativeWindow(async (native) => {
    assert.deepEqual(v.run("a", () => reads(window)), reads(native));
  });
});

// ---------------------------------------------------------------------------
// HTMLCanvasElement.prototype.toBlob

test("canvas.toBlob callback runs in the context of the toBlob call", async () => {
  const v = newVariable("v");
  const seen = [];
  const make = (flow) =>
    new Promise((resolve) => {
      const canvas = document.createElement("canvas");
      canvas.width = canvas.height = 4;
      v.run(flow, () => canvas.toBlob((blob) => { seen.push([flow, v.get(), blob.type]); resolve(); }));
    });
  await Promise.all([make("a"), make("b")]);
  seen.sort();
  assert.deepEqual(seen, [["a", "a", "image/png"], ["b", "b", "image/png"]]);
});

test("canvas.toBlob without a callable callback fails as natively", async () => {
  await assertFailsAsNatively("toBlob(1)", (w) => w.document.createElement("canvas").toBlob(1));
});

// ---------------------------------------------------------------------------
// Notification.requestPermission (deprecated callback form)

test("Notification.requestPermission callback runs in the context of the call", async () => {
  const v = newVariable("v");
  const seen = [];
  const results = await Promise.all([
    v.run("a", () => Notification.requestPermission((permission) => seen.push(["a", v.get(), permission]))),
    v.run("b", () => Notification.requestPermission((permission) => seen.push(["b", v.get(), permission]))),
  ]);
  await until(() => seen.length === 2);
  seen.sort();
  assert.deepEqual(seen, [["a", "a", results[0]], ["b", "b", results[1]]]);
});

// ---------------------------------------------------------------------------
// Geolocation

/**
 * Skips the running test where the browser never answers a geolocation request natively (WebKitGTK's
 * MiniBrowser under WebDriver: no position provider and no permission answer, neither callback runs).
 */
async function requireGeolocationAnswer() {
  const answered = await withNativeWindow((native) =>
    new Promise((resolve) => {
      native.navigator.geolocation.getCurrentPosition(() => resolve(true), () => resolve(true));
      native.setTimeout(() => resolve(false), 3000);
    }),
  );
  if (!answered) skip("this browser answers no geolocation request here (no callback within 3 s natively)");
}

test("geolocation.getCurrentPosition error callback runs in the context of the call", async () => {
  await requireGeolocationAnswer();
  const v = newVariable("v");
  const seen = [];
  const ask = (flow) =>
    new Promise((resolve) => {
      v.run(flow, () =>
        navigator.geolocation.getCurrentPosition(
          () => { seen.push([flow, "position", v.get()]); resolve(); },
          (error) => { seen.push([flow, error.code, v.get()]); resolve(); },
        ),
      );
    });
  await Promise.all([ask("a"), ask("b")]);
  seen.sort();
  assert.deepEqual(seen, [["a", GeolocationPositionError.PERMISSION_DENIED, "a"], ["b", GeolocationPositionError.PERMISSION_DENIED, "b"]]);
});

test("geolocation.watchPosition error callback runs in the context of the watchPosition call", async () => {
  await requireGeolocationAnswer();
  const v = newVariable("v");
  const seen = [];
  const ids = [];
  const watch = (flow) =>
    new Promise((resolve) => {
      ids.push(v.run(flow, () =>
        navigator.geolocation.watchPosition(
          () => { seen.push([flow, "position", v.get()]); resolve(); },
          (error) => { seen.push([flow, error.code, v.get()]); resolve(); },
        ),
      ));
    });
  await Promise.all([watch("a"), watch("b")]);
  for (const id of ids) navigator.geolocation.clearWatch(id);
  seen.sort();
  assert.deepEqual(seen, [["a", GeolocationPositionError.PERMISSION_DENIED, "a"], ["b", GeolocationPositionError.PERMISSION_DENIED, "b"]]);
  assert.ok(ids.every((id) => typeof id === "number"), "watch ids are numbers");
});

test("geolocation.getCurrentPosition without a callable success callback fails as natively", async () => {
  await assertFailsAsNatively("getCurrentPosition(1)", (w) => w.navigator.geolocation.getCurrentPosition(1));
  await assertFailsAsNatively("watchPosition(1)", (w) => w.navigator.geolocation.watchPosition(1));
});

// ---------------------------------------------------------------------------
// MediaSession.prototype.setActionHandler (registration only: actions cannot be triggered here)

test("mediaSession.setActionHandler accepts a handler and null inside run", () => {
  const v = newVariable("v");
  v.run("a", () => {
    navigator.mediaSession.setActionHandler("play", () => {});
    navigator.mediaSession.setActionHandler("play", null);
  });
  assert.equal(v.get(), "empty");
});

test("mediaSession.setActionHandler rejects an unknown action and a non-callable handler as natively", async () => {
  await assertFailsAsNatively("setActionHandler('nope', fn)", (w) => w.navigator.mediaSession.setActionHandler("nope", () => {}));
  await assertFailsAsNatively("setActionHandler('play', 1)", (w) => w.navigator.mediaSession.setActionHandler("play", 1));
});

// ---------------------------------------------------------------------------
// BaseAudioContext.prototype.decodeAudioData

/** A valid 8-sample mono 16-bit PCM WAV file. */
function wavBytes() {
  const samples = 8;
  const buffer = new ArrayBuffer(44 + samples * 2);
  const view = new DataView(buffer);
  const ascii = (offset, text) => [...text].forEach((c, i) => view.setUint8(offset + i, c.charCodeAt(0)));
  ascii(0, "RIFF");
  view.setUint32(4, 36 + samples * 2, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, 8000, true);
  view.setUint32(28, 16000, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  ascii(36, "data");
  view.setUint32(40, samples * 2, true);
  return buffer;
}

test("decodeAudioData success callback runs in the context of the call", async () => {
  const v = newVariable("v");
  const context = new OfflineAudioContext(1, 8, 8000);
  const seen = [];
  const decode = (flow) =>
    new Promise((resolve) => {
      v.run(flow, () => context.decodeAudioData(wavBytes(), (buffer) => { seen.push([flow, v.get(), buffer.length]); resolve(); }));
    });
  await Promise.all([decode("a"), decode("b")]);
  seen.sort();
  assert.deepEqual(seen, [["a", "a", 8], ["b", "b", 8]]);
});

test("decodeAudioData error callback runs in the context of the call", async () => {
  const v = newVariable("v");
  const context = new OfflineAudioContext(1, 8, 8000);
  const seen = [];
  const decode = (flow) =>
    new Promise((resolve) => {
      v.run(flow, () =>
        context
          .decodeAudioData(new ArrayBuffer(16), () => resolve(), (error) => { seen.push([flow, v.get(), error === null ? null : error.name]); resolve(); })
          .catch(() => {}),
      );
    });
  // The error callback's argument as the engine passes it natively: the spec's EncodingError, or null in WebKit.
  const nativeError = await withNativeWindow((native) =>
    new Promise((resolve) => {
      new native.OfflineAudioContext(1, 8, 8000)
        .decodeAudioData(new native.ArrayBuffer(16), () => resolve("decoded"), (error) => resolve(error === null ? null : error.name))
        .catch(() => {});
    }),
  );
  await Promise.all([decode("a"), decode("b")]);
  seen.sort();
  assert.deepEqual(seen, [["a", "a", nativeError], ["b", "b", nativeError]]);
});

test("decodeAudioData still resolves its promise with the decoded buffer inside run", async () => {
  const v = newVariable("v");
  const context = new OfflineAudioContext(1, 8, 8000);
  const buffer = await v.run("a", () => context.decodeAudioData(wavBytes(), () => {}));
  assert.equal(buffer.length, 8);
});

// ---------------------------------------------------------------------------
// DataTransferItem.prototype.getAsString

test("DataTransferItem.getAsString callback runs in the context of the call", async () => {
  const v = newVariable("v");
  const data = new DataTransfer();
  data.items.add("alpha", "text/plain");
  data.items.add("<b>beta</b>", "text/html");
  const seen = [];
  v.run("a", () => data.items[0].getAsString((text) => seen.push([text, v.get()])));
  v.run("b", () => data.items[1].getAsString((text) => seen.push([text, v.get()])));
  await until(() => seen.length === 2);
  seen.sort();
  assert.deepEqual(seen, [["<b>beta</b>", "b"], ["alpha", "a"]]);
});

// ---------------------------------------------------------------------------
// Shape

const patchedFunctions = [
  ["LockManager.prototype.request", () => LockManager.prototype.request],
  ["Document.prototype.startViewTransition", () => Document.prototype.startViewTransition],
  ["HTMLCanvasElement.prototype.toBlob", () => HTMLCanvasElement.prototype.toBlob],
  ["Notification.requestPermission", () => Notification.requestPermission],
  ["Geolocation.prototype.getCurrentPosition", () => Geolocation.prototype.getCurrentPosition],
  ["Geolocation.prototype.watchPosition", () => Geolocation.prototype.watchPosition],
  ["MediaSession.prototype.setActionHandler", () => MediaSession.prototype.setActionHandler],
  ["BaseAudioContext.prototype.decodeAudioData", () => BaseAudioContext.prototype.decodeAudioData],
  ["DataTransferItem.prototype.getAsString", () => DataTransferItem.prototype.getAsString],
];

test("the patched callback APIs keep their native name, length and toString", async () => {
  await withNativeWindow((native) => {
    for (const [label, get] of patchedFunctions) {
      const patched = get();
      const original = new native.Function(`return ${label}`)();
      assert.equal(patched.name, original.name, `${label} name`);
      assert.equal(patched.length, original.length, `${label} length`);
      assert.equal(Function.prototype.toString.call(patched), native.Function.prototype.toString.call(original), `${label} toString`);
    }
  });
});
