// queueMicrotask, requestAnimationFrame, requestIdleCallback,
// scheduler.postTask and requestVideoFrameCallback run their callback in the
// context of the scheduling call; bad arguments fail exactly as natively.
//
// Observations are recorded inside callbacks and asserted at the end (native
// `await` does not carry the context in this milestone).

import { test, assert, nextTask, withNativeWindow, requireFunction } from "../harness.js";

const newVariable = (name) => new AsyncContext.Variable({ name, defaultValue: "empty" });

function countdown(count) {
  let resolve;
  const done = new Promise((r) => { resolve = r; });
  return {
    done,
    tick() {
      count -= 1;
      if (count === 0) resolve();
    },
  };
}

const byLabel = (a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));

// A same-origin about:blank iframe gives the unpatched platform functions to
// compare error behaviour against.
// How a call ended: thrown or rejected error (constructor name and message),
// or a normal return. Errors from the iframe come from its realm, so the
// comparison is by name and message.
function outcomeOf(call) {
  const describe = (kind, error) => ({
    kind,
    name: error && error.constructor && error.constructor.name,
    message: error && error.message,
  });
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

const nonCallables = [
  ["undefined", undefined],
  ["null", null],
  ["a number", 1],
  ["a string", "callback"],
  ["a plain object", {}],
  ["a symbol", Symbol("s")],
];

// For each non-callable value: the outcome inside run, and in the empty
// context, equals the native outcome; the context is unchanged inside the run
// after the failed call and empty after it.
async function checkNonCallable(apiName, callPatched, callNative) {
  const v = newVariable("v");
  await withNativeWindow(async (nativeWindow) => {
    const cases = [...nonCallables, ["no argument", undefined, "omit"]];
    for (const [label, value, omit] of cases) {
      const args = omit ? [] : [value];
      const native = await outcomeOf(() => callNative(nativeWindow, args));
      assert.ok(native.kind === "threw" || native.kind === "rejected", `native ${apiName} accepted ${label}`);
      let contextAfterFailure;
      const inside = await v.run("a", () => {
        const outcome = outcomeOf(() => callPatched(args));
        contextAfterFailure = v.get();
        return outcome;
      });
      const outside = await outcomeOf(() => callPatched(args));
      assert.deepEqual(inside, native, `${apiName} with ${label} inside run`);
      assert.deepEqual(outside, native, `${apiName} with ${label} in the empty context`);
      assert.equal(contextAfterFailure, "a", `context inside run after ${apiName} with ${label}`);
      assert.equal(v.get(), "empty", `context after run around ${apiName} with ${label}`);
    }
    // the error objects themselves come from this realm, as natively
    let thrown;
    try {
      const result = callPatched([1]);
      if (result && typeof result.then === "function") result.then(null, () => {});
    } catch (error) {
      thrown = error;
    }
    if (thrown !== undefined) assert.ok(thrown instanceof TypeError, `${apiName} threw a non-TypeError: ${thrown}`);
  });
}

// Calls `schedule(callback)` once in the empty context (not wrapped: native
// behaviour) and once inside run; resolves to the [this, arguments.length]
// each callback saw.
async function receiverAndArity(schedule) {
  const v = newVariable("v");
  const seen = {};
  const { done, tick } = countdown(2);
  const record = (key) =>
    function () {
      seen[key] = [this, arguments.length];
      tick();
    };
  schedule(record("native"));
  v.run("a", () => schedule(record("inside")));
  await done;
  return seen;
}

const schedulers = {
  queueMicrotask: (cb) => queueMicrotask(cb),
  requestAnimationFrame: (cb) => requestAnimationFrame(cb),
  requestIdleCallback: (cb) => requestIdleCallback(cb, { timeout: 50 }),
  setTimeout: (cb) => setTimeout(cb, 0),
  "scheduler.postTask": (cb) => scheduler.postTask(cb),
};
for (const [apiName, schedule] of Object.entries(schedulers)) {
  test(`${apiName} callback scheduled inside run gets the same this value and argument count as natively`, async () => {
    requireFunction(apiName);
    const { native, inside } = await receiverAndArity(schedule);
    assert.ok(native[0] === inside[0], `this: native ${String(native[0])}, inside run ${String(inside[0])}`);
    assert.equal(inside[1], native[1], "arguments.length");
  });
}

// ---------------------------------------------------------------------------
// queueMicrotask

test("queueMicrotask callback runs in the context of the queueMicrotask call", async () => {
  const v = newVariable("v");
  const seen = [];
  const { done, tick } = countdown(3);
  v.run("a", () => queueMicrotask(() => { seen.push(v.get()); tick(); }));
  queueMicrotask(() => { seen.push(v.get()); tick(); });
  v.run("b", () => queueMicrotask(() => { seen.push(v.get()); tick(); }));
  await done;
  assert.deepEqual(seen, ["a", "empty", "b"]);
});

test("a microtask queued inside a queueMicrotask callback inherits that callback's context", async () => {
  const v = newVariable("v");
  const seen = [];
  const { done, tick } = countdown(2);
  const nested = (flow) => queueMicrotask(() => queueMicrotask(() => { seen.push([flow, v.get()]); tick(); }));
  v.run("a", () => nested("a"));
  v.run("b", () => nested("b"));
  await done;
  assert.deepEqual(seen, [["a", "a"], ["b", "b"]]);
});

test("a throwing queueMicrotask callback leaves the next microtask in its own context", async () => {
  const v = newVariable("v");
  const seen = [];
  const onError = (event) => {
    if (event.error && event.error.message === "microtask boom") event.preventDefault();
  };
  window.addEventListener("error", onError);
  try {
    const { done, tick } = countdown(2);
    v.run("a", () => queueMicrotask(() => { throw new Error("microtask boom"); }));
    queueMicrotask(() => { seen.push(v.get()); tick(); });
    v.run("b", () => queueMicrotask(() => { seen.push(v.get()); tick(); }));
    await done;
    await nextTask();
  } finally {
    window.removeEventListener("error", onError);
  }
  assert.deepEqual(seen, ["empty", "b"]);
});

test("queueMicrotask inside run keeps its place in the microtask queue relative to promise reactions", async () => {
  const v = newVariable("v");
  const order = (runInside) => {
    const log = [];
    const scenario = () => {
      Promise.resolve().then(() => log.push("then 1"));
      queueMicrotask(() => {
        log.push("microtask 1");
        queueMicrotask(() => log.push("microtask 3"));
        Promise.resolve().then(() => log.push("then 3"));
      });
      Promise.resolve().then(() => log.push("then 2")).then(() => log.push("then 2b"));
      queueMicrotask(() => log.push("microtask 2"));
    };
    if (runInside) v.run("a", scenario);
    else scenario();
    return nextTask().then(() => log);
  };
  const native = await order(false);
  const inside = await order(true);
  assert.equal(native.length, 7);
  assert.deepEqual(inside, native);
});

test("queueMicrotask with a non-callable argument fails as natively and leaves the context unchanged", async () => {
  await checkNonCallable("queueMicrotask", (args) => queueMicrotask(...args), (w, args) => w.queueMicrotask(...args));
});

// ---------------------------------------------------------------------------
// requestAnimationFrame

test("requestAnimationFrame callback runs in the context of the requestAnimationFrame call", async () => {
  const v = newVariable("v");
  const seen = [];
  const { done, tick } = countdown(3);
  v.run("a", () => requestAnimationFrame((time) => { seen.push(["a", v.get(), typeof time]); tick(); }));
  requestAnimationFrame((time) => { seen.push(["outside", v.get(), typeof time]); tick(); });
  v.run("b", () => requestAnimationFrame((time) => { seen.push(["b", v.get(), typeof time]); tick(); }));
  await done;
  assert.deepEqual(seen, [["a", "a", "number"], ["outside", "empty", "number"], ["b", "b", "number"]]);
});

test("requestAnimationFrame inside run returns a positive integer id, as natively", async () => {
  const v = newVariable("v");
  const inside = v.run("a", () => requestAnimationFrame(() => {}));
  const outside = requestAnimationFrame(() => {});
  assert.ok(Number.isInteger(inside) && inside > 0, "id inside run: " + String(inside));
  assert.ok(Number.isInteger(outside) && outside > inside, "ids are not increasing: " + inside + ", " + outside);
  cancelAnimationFrame(inside);
  cancelAnimationFrame(outside);
});

test("a requestAnimationFrame callback that re-schedules itself keeps the context on every frame", async () => {
  const v = newVariable("v");
  const seen = { a: [], b: [] };
  const { done, tick } = countdown(2);
  const loop = (flow) => {
    const frame = () => {
      seen[flow].push(v.get());
      if (seen[flow].length < 4) requestAnimationFrame(frame);
      else tick();
    };
    requestAnimationFrame(frame);
  };
  v.run("a", () => loop("a"));
  v.run("b", () => loop("b"));
  await done;
  assert.deepEqual(seen, { a: ["a", "a", "a", "a"], b: ["b", "b", "b", "b"] });
});

test("cancelAnimationFrame cancels a callback scheduled inside run, also when called from another context", async () => {
  const v = newVariable("v");
  const fired = [];
  const cancelled = v.run("a", () => requestAnimationFrame(() => fired.push("a")));
  cancelAnimationFrame(cancelled);
  const cancelledElsewhere = v.run("b", () => requestAnimationFrame(() => fired.push("b")));
  v.run("c", () => cancelAnimationFrame(cancelledElsewhere));
  v.run("control", () => requestAnimationFrame(() => fired.push("control")));
  await nextFrame();
  await nextFrame();
  assert.deepEqual(fired, ["control"]);
});

test("requestAnimationFrame with a non-callable argument fails as natively and leaves the context unchanged", async () => {
  await checkNonCallable(
    "requestAnimationFrame",
    (args) => requestAnimationFrame(...args),
    (w, args) => w.requestAnimationFrame(...args),
  );
});

// ---------------------------------------------------------------------------
// requestIdleCallback

test("requestIdleCallback callback runs in the context of the requestIdleCallback call", async () => {
  requireFunction("requestIdleCallback");
  const v = newVariable("v");
  const seen = [];
  const { done, tick } = countdown(3);
  const record = (label) => (deadline) => {
    seen.push([label, v.get(), typeof deadline.timeRemaining, typeof deadline.didTimeout]);
    tick();
  };
  v.run("a", () => requestIdleCallback(record("a"), { timeout: 50 }));
  requestIdleCallback(record("outside"), { timeout: 50 });
  v.run("b", () => requestIdleCallback(record("b"), { timeout: 50 }));
  await done;
  assert.deepEqual(seen.sort(byLabel), [
    ["a", "a", "function", "boolean"],
    ["b", "b", "function", "boolean"],
    ["outside", "empty", "function", "boolean"],
  ]);
});

test("cancelIdleCallback cancels a callback scheduled inside run", async () => {
  requireFunction("requestIdleCallback");
  const v = newVariable("v");
  const fired = [];
  const cancelled = v.run("a", () => requestIdleCallback(() => fired.push("a"), { timeout: 50 }));
  assert.ok(Number.isInteger(cancelled) && cancelled > 0, "id inside run: " + String(cancelled));
  v.run("c", () => cancelIdleCallback(cancelled));
  const { done, tick } = countdown(1);
  v.run("control", () => requestIdleCallback(() => { fired.push("control"); tick(); }, { timeout: 100 }));
  await done;
  // the cancelled callback had the shorter timeout: it would have run first
  await new Promise((resolve) => requestIdleCallback(resolve, { timeout: 100 }));
  assert.deepEqual(fired, ["control"]);
});

test("requestIdleCallback with a non-callable argument fails as natively and leaves the context unchanged", async () => {
  requireFunction("requestIdleCallback");
  await checkNonCallable(
    "requestIdleCallback",
    (args) => requestIdleCallback(...args),
    (w, args) => w.requestIdleCallback(...args),
  );
});

// ---------------------------------------------------------------------------
// scheduler.postTask

{
  // Registered everywhere, skipped where the browser lacks scheduler.postTask.
  for (const priority of ["user-blocking", "user-visible", "background"]) {
    test(`scheduler.postTask callback with priority "${priority}" runs in the context of the postTask call`, async () => {
      requireFunction("scheduler.postTask");
      const v = newVariable("v");
      const results = await Promise.all([
        v.run("a", () => scheduler.postTask(() => v.get(), { priority })),
        scheduler.postTask(() => v.get(), { priority }),
        v.run("b", () => scheduler.postTask(() => v.get(), { priority })),
      ]);
      assert.deepEqual(results, ["a", "empty", "b"]);
    });
  }

  test("scheduler.postTask callback with a delay runs in the context of the postTask call", async () => {
    requireFunction("scheduler.postTask");
    const v = newVariable("v");
    const results = await Promise.all([
      v.run("a", () => scheduler.postTask(() => v.get(), { delay: 5 })),
      v.run("b", () => scheduler.postTask(() => v.get(), { delay: 1 })),
    ]);
    assert.deepEqual(results, ["a", "b"]);
  });

  test("a postTask whose priority is changed through TaskController.setPriority still runs in the context of the postTask call", async () => {
    requireFunction("scheduler.postTask");
    const v = newVariable("v");
    const controller = new TaskController({ priority: "background" });
    const a = v.run("a", () => scheduler.postTask(() => v.get(), { signal: controller.signal }));
    v.run("other", () => controller.setPriority("user-blocking"));
    assert.equal(await a, "a");
  });

  test("scheduler.postTask aborted through a TaskController or AbortController never runs the callback and rejects with AbortError", async () => {
    requireFunction("scheduler.postTask");
    const v = newVariable("v");
    const ran = [];
    const taskController = new TaskController();
    const abortController = new AbortController();
    const viaTask = v.run("a", () => scheduler.postTask(() => ran.push("a"), { signal: taskController.signal }));
    const viaAbort = v.run("b", () =>
      scheduler.postTask(() => ran.push("b"), { signal: abortController.signal, delay: 1 }));
    v.run("c", () => taskController.abort());
    abortController.abort();
    const reasons = await Promise.all([viaTask, viaAbort].map((p) => p.then(() => "fulfilled", (e) => e.name)));
    const control = await v.run("control", () => scheduler.postTask(() => v.get()));
    assert.deepEqual(reasons, ["AbortError", "AbortError"]);
    assert.deepEqual(ran, []);
    assert.equal(control, "control");
  });

  test("a throwing postTask callback rejects its promise and leaves the context restored", async () => {
    requireFunction("scheduler.postTask");
    const v = newVariable("v");
    const failed = v.run("a", () => scheduler.postTask(() => { throw new Error("task boom in " + v.get()); }));
    const after = scheduler.postTask(() => v.get());
    const reason = await failed.then(() => "fulfilled", (e) => e.message);
    assert.equal(reason, "task boom in a");
    assert.equal(await after, "empty");
  });

  test("scheduler.postTask with a non-callable argument fails as natively and leaves the context unchanged", async () => {
    requireFunction("scheduler.postTask");
    await checkNonCallable(
      "scheduler.postTask",
      (args) => scheduler.postTask(...args),
      (w, args) => w.scheduler.postTask(...args),
    );
  });
}

// ---------------------------------------------------------------------------
// requestVideoFrameCallback (a muted video fed by a canvas capture stream
// presents frames in headless Chromium)

async function withPlayingVideo(fn, win = window) {
  const doc = win.document;
  const canvas = doc.createElement("canvas");
  canvas.width = 32;
  canvas.height = 32;
  const context2d = canvas.getContext("2d");
  let shade = 0;
  const paint = () => {
    context2d.fillStyle = `rgb(${(shade += 17) % 256}, 0, 0)`;
    context2d.fillRect(0, 0, 32, 32);
  };
  paint();
  const painter = setInterval(paint, 10);
  const video = doc.createElement("video");
  video.muted = true;
  video.playsInline = true;
  video.srcObject = canvas.captureStream(30);
  (doc.body || doc.documentElement).append(video);
  try {
    await video.play();
    return await fn(video);
  } finally {
    clearInterval(painter);
    video.pause();
    for (const track of video.srcObject.getTracks()) track.stop();
    video.remove();
  }
}

if (typeof HTMLVideoElement === "function" && "requestVideoFrameCallback" in HTMLVideoElement.prototype) {
  test("requestVideoFrameCallback callback runs in the context of the requestVideoFrameCallback call", async () => {
    const v = newVariable("v");
    const seen = await withPlayingVideo(async (video) => {
      const records = [];
      const { done, tick } = countdown(3);
      const record = (label) => (now, metadata) => {
        records.push([label, v.get(), typeof now, typeof metadata.mediaTime]);
        tick();
      };
      v.run("a", () => video.requestVideoFrameCallback(record("a")));
      video.requestVideoFrameCallback(record("outside"));
      v.run("b", () => video.requestVideoFrameCallback(record("b")));
      await done;
      return records;
    });
    assert.deepEqual(seen.sort(byLabel), [
      ["a", "a", "number", "number"],
      ["b", "b", "number", "number"],
      ["outside", "empty", "number", "number"],
    ]);
  });

  test("cancelVideoFrameCallback cancels a callback scheduled inside run", async () => {
    const v = newVariable("v");
    const fired = await withPlayingVideo(async (video) => {
      const records = [];
      const cancelled = v.run("a", () => video.requestVideoFrameCallback(() => records.push("a")));
      assert.ok(Number.isInteger(cancelled) && cancelled > 0, "id inside run: " + String(cancelled));
      v.run("c", () => video.cancelVideoFrameCallback(cancelled));
      const { done, tick } = countdown(1);
      v.run("control", () => video.requestVideoFrameCallback(() => { records.push("control"); tick(); }));
      await done;
      // one more presented frame, to be sure the cancelled one is not just late
      await new Promise((resolve) => video.requestVideoFrameCallback(() => resolve()));
      return records;
    });
    assert.deepEqual(fired, ["control"]);
  });

  test("requestVideoFrameCallback with a non-callable argument fails as natively and leaves the context unchanged", async () => {
    const video = document.createElement("video");
    await checkNonCallable(
      "requestVideoFrameCallback",
      (args) => video.requestVideoFrameCallback(...args),
      (w, args) => w.document.createElement("video").requestVideoFrameCallback(...args),
    );
  });
}
