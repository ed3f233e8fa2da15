// Task tracking for the scheduling APIs the other tracking specs do not cover: observers (their
// callbacks run in the empty context, so they are no part of the flow that constructed them: no
// task; a Snapshot.wrap'ed callback is no task either, but what it schedules belongs to the wrapped
// context's trackers), scheduler.postTask, FileReader and IndexedDB operations (pending until their
// final event, their listeners linked to them).

import { test, assert, requireFunction } from "../harness.js";

const { Tracker, asyncStack } = AsyncContext.experimental;

function recorder() {
  const events = [];
  const tracker = new Tracker({
    scheduled: (t) => events.push(["scheduled", t.kind, t.api]),
    before: (t) => events.push(["before", t.kind, t.runs]),
    after: (t) => events.push(["after", t.kind]),
  });
  return { tracker, events };
}

test("a MutationObserver constructed in a tracker's run schedules no task, and what its callback schedules is not tracked", async () => {
  const { tracker, events } = recorder();
  const target = document.createElement("div");
  let observer;
  let notifications = 0;
  const done = new Promise((resolve) => {
    tracker.run(() => {
      observer = new MutationObserver(() => {
        setTimeout(() => {}, 0);
        if (++notifications === 2) resolve();
      });
    });
  });
  observer.observe(target, { attributes: true });
  target.setAttribute("a", "1");
  await Promise.resolve();
  target.setAttribute("a", "2");
  await done;
  observer.disconnect();
  assert.deepEqual(events.filter((e) => e[1] !== "run"), [], JSON.stringify(events));
  assert.deepEqual(tracker.pending, []);
});

test("a Snapshot.wrap'ed observer callback is no task itself, and what it schedules is tracked by the wrapped context's tracker", async () => {
  const { tracker, events } = recorder();
  const target = document.createElement("div");
  let observer;
  const timerRan = new Promise((resolve) => {
    tracker.run(() => {
      observer = new MutationObserver(AsyncContext.Snapshot.wrap(() => setTimeout(resolve, 0)));
    });
  });
  observer.observe(target, { attributes: true });
  target.setAttribute("a", "1");
  await timerRan;
  observer.disconnect();
  assert.deepEqual(events.filter((e) => e[1] !== "run"), [
    ["scheduled", "timeout", "setTimeout"],
    ["before", "timeout", 1],
    ["after", "timeout"],
  ]);
});

test("scheduler.postTask schedules a scheduler-task that whenIdle waits for", async () => {
  requireFunction("scheduler.postTask");
  const { tracker, events } = recorder();
  const order = [];
  tracker.run(() => scheduler.postTask(() => order.push("task"), { priority: "background" }));
  await tracker.whenIdle();
  order.push("idle");
  assert.deepEqual(order, ["task", "idle"]);
  assert.ok(events.some((e) => e[0] === "scheduled" && e[1] === "scheduler-task" && e[2] === "postTask"), JSON.stringify(events));
});

test("a FileReader read is a file-reader operation, pending until loadend, and its load listener is linked to it", async () => {
  const tracker = new Tracker();
  const reader = new FileReader();
  let stack;
  let pendingKinds;
  tracker.run(() => {
    reader.addEventListener("load", () => (stack = asyncStack()));
    reader.readAsText(new Blob(["hello"]));
  });
  pendingKinds = tracker.pending.map((t) => t.kind);
  await tracker.whenIdle();
  assert.deepEqual(pendingKinds, ["file-reader"]);
  assert.deepEqual(stack.map((e) => [e.kind, e.api, e.detail]), [
    ["event-listener", "addEventListener", "load"],
    ["file-reader", "FileReader", undefined],
    ["run", "run", undefined],
  ]);
  assert.equal(reader.result, "hello");
  assert.deepEqual(tracker.pending, []);
});

test("an IndexedDB open request is an indexeddb operation that keeps the tracker busy until its success event", async () => {
  const tracker = new Tracker();
  const name = `tracking-apis-${Math.random()}`;
  let db;
  let kinds;
  tracker.run(() => {
    const request = indexedDB.open(name, 1);
    request.onupgradeneeded = () => request.result.createObjectStore("s");
    request.onsuccess = () => (db = request.result);
    kinds = tracker.pending.map((t) => t.kind);
  });
  await tracker.whenIdle();
  assert.ok(kinds.includes("indexeddb"), JSON.stringify(kinds));
  assert.ok(db, "whenIdle resolved after the success listener ran");
  db.close();
  await new Promise((resolve) => (indexedDB.deleteDatabase(name).onsuccess = resolve));
});

test("two Snapshot.wrap'ed observer callbacks in two concurrent trackers schedule work each seen only by its own tracker", async () => {
  const a = recorder();
  const b = recorder();
  const target = document.createElement("div");
  const fired = [];
  const done = new Promise((resolve) => {
    const callback = (name) => () =>
      queueMicrotask(() => {
        fired.push(name);
        if (fired.length === 2) resolve();
      });
    const oa = a.tracker.run(() => new MutationObserver(AsyncContext.Snapshot.wrap(callback("a"))));
    const ob = b.tracker.run(() => new MutationObserver(AsyncContext.Snapshot.wrap(callback("b"))));
    oa.observe(target, { childList: true });
    ob.observe(target, { childList: true });
  });
  target.append(document.createElement("span"));
  await done;
  assert.deepEqual(a.events.filter((e) => e[1] === "microtask").length, 3);
  assert.deepEqual(b.events.filter((e) => e[1] === "microtask").length, 3);
  assert.deepEqual(fired.sort(), ["a", "b"]);
});

test("a setSelectionRange() in a tracker's run keeps the tracker busy until its select event is dispatched, and the select listener is linked to it", async () => {
  const tracker = new Tracker();
  const input = document.createElement("input");
  input.value = "hello world";
  document.body.append(input);
  let stack;
  input.addEventListener("select", () => (stack = asyncStack()));
  tracker.run(() => input.setSelectionRange(0, 3));
  const pendingKinds = tracker.pending.map((t) => t.kind);
  await tracker.whenIdle();
  input.remove();
  assert.deepEqual(pendingKinds, ["resource"]);
  assert.ok(stack !== undefined, "whenIdle resolved after the select listener ran");
  assert.deepEqual(stack.map((e) => [e.kind, e.api, e.detail]), [
    ["event-listener", "addEventListener", "select"],
    ["resource", "HTMLInputElement", undefined],
    ["run", "run", undefined],
  ]);
});

test("a volume change in a tracker's run is a media operation, pending until its volumechange event is dispatched", async () => {
  const tracker = new Tracker();
  const media = document.createElement("video");
  let ran = false;
  media.addEventListener("volumechange", () => (ran = true));
  tracker.run(() => (media.volume = 0.5));
  const pendingKinds = tracker.pending.map((t) => t.kind);
  await tracker.whenIdle();
  assert.deepEqual(pendingKinds, ["media"]);
  assert.equal(ran, true, "whenIdle resolved after the volumechange listener ran");
});
