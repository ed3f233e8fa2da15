// setTimeout / setInterval callbacks run in the context of the scheduling
// call; the top level of every task stays empty.
//
// Observations are recorded inside callbacks and asserted at the end (native
// `await` does not carry the context in this milestone).

import { test, assert, sleep, nextTask } from "../harness.js";

const newVariable = (name) => new AsyncContext.Variable({ name, defaultValue: "empty" });

// A promise resolved after `count` calls of `tick()`.
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

test("setTimeout callback runs in the context of the setTimeout call", async () => {
  const v = newVariable("v");
  const seen = [];
  const { done, tick } = countdown(3);
  v.run("a", () => setTimeout(() => { seen.push(["a", v.get()]); tick(); }, 10));
  v.run("b", () => setTimeout(() => { seen.push(["b", v.get()]); tick(); }));
  setTimeout(() => { seen.push(["outside", v.get()]); tick(); }, 5);
  await done;
  assert.deepEqual(seen.sort(byLabel), [["a", "a"], ["b", "b"], ["outside", "empty"]]);
});

test("setTimeout callback sees every Variable bound at the setTimeout call", async () => {
  const v = newVariable("v");
  const w = newVariable("w");
  const seen = [];
  const { done, tick } = countdown(2);
  v.run("a", () => w.run("wa", () => setTimeout(() => { seen.push(["a", v.get(), w.get()]); tick(); }, 2)));
  w.run("wb", () => v.run("b", () => setTimeout(() => { seen.push(["b", v.get(), w.get()]); tick(); }, 0)));
  await done;
  assert.deepEqual(seen.sort(byLabel), [["a", "a", "wa"], ["b", "b", "wb"]]);
});

test("setTimeout passes its extra arguments through to the callback scheduled inside run", async () => {
  const v = newVariable("v");
  const seen = [];
  const { done, tick } = countdown(2);
  v.run("a", () =>
    setTimeout((...args) => { seen.push(["a", args, v.get()]); tick(); }, 1, 1, "two", null));
  v.run("b", () =>
    setTimeout((...args) => { seen.push(["b", args, v.get()]); tick(); }, 0, { three: 3 }));
  await done;
  assert.deepEqual(seen.sort(byLabel), [["a", [1, "two", null], "a"], ["b", [{ three: 3 }], "b"]]);
});

test("setTimeout callback scheduled inside run is called with this set to the global object, as natively", async () => {
  const v = newVariable("v");
  const thisValues = {};
  const { done, tick } = countdown(2);
  setTimeout(function () { thisValues.outside = this; tick(); }, 0);
  v.run("a", () => setTimeout(function () { thisValues.inside = this; tick(); }, 0));
  await done;
  assert.ok(thisValues.outside === globalThis, "native setTimeout did not use the global object as this");
  assert.ok(thisValues.inside === thisValues.outside, "this inside run differs from the native this");
});

test("setTimeout inside run returns a positive integer id, as natively", async () => {
  const v = newVariable("v");
  const inside = v.run("a", () => setTimeout(() => {}, 0));
  const outside = setTimeout(() => {}, 0);
  assert.ok(Number.isInteger(inside) && inside > 0, "id inside run: " + String(inside));
  assert.ok(Number.isInteger(outside) && outside > inside, "ids are not increasing: " + inside + ", " + outside);
  clearTimeout(inside);
  clearTimeout(outside);
});

test("setInterval callback sees the context of the setInterval call on every tick", async () => {
  const v = newVariable("v");
  const seen = { a: [], b: [] };
  const { done, tick } = countdown(2);
  const every = (flow, delay) => {
    const id = setInterval(() => {
      seen[flow].push(v.get());
      if (seen[flow].length === 3) {
        clearInterval(id);
        tick();
      }
    }, delay);
  };
  v.run("a", () => every("a", 1));
  v.run("b", () => every("b", 3));
  await done;
  assert.deepEqual(seen, { a: ["a", "a", "a"], b: ["b", "b", "b"] });
});

test("setInterval passes its extra arguments through on every tick inside run", async () => {
  const v = newVariable("v");
  const seen = [];
  const { done, tick } = countdown(1);
  v.run("a", () => {
    const id = setInterval((x, y) => {
      seen.push([x, y, v.get()]);
      if (seen.length === 2) {
        clearInterval(id);
        tick();
      }
    }, 1, "x", 2);
  });
  await done;
  assert.deepEqual(seen, [["x", 2, "a"], ["x", 2, "a"]]);
});

test("clearTimeout cancels a timeout scheduled inside run, also when called from another context", async () => {
  const v = newVariable("v");
  const fired = [];
  const cancelled = v.run("a", () => setTimeout(() => fired.push("a"), 0));
  clearTimeout(cancelled);
  const cancelledElsewhere = v.run("b", () => setTimeout(() => fired.push("b"), 0));
  v.run("c", () => clearTimeout(cancelledElsewhere));
  v.run("control", () => setTimeout(() => fired.push("control"), 0));
  await sleep(30);
  await nextTask();
  assert.deepEqual(fired, ["control"]);
});

test("clearInterval cancels an interval scheduled inside run", async () => {
  const v = newVariable("v");
  const fired = [];
  const cancelled = v.run("a", () => setInterval(() => fired.push("a"), 0));
  clearInterval(cancelled);
  const control = v.run("control", () => setInterval(() => fired.push("control"), 0));
  await sleep(30);
  clearInterval(control);
  await nextTask();
  assert.ok(fired.length > 0, "the control interval never ticked");
  assert.ok(!fired.includes("a"), "the cleared interval ticked");
});

test("clearTimeout cancels an interval and clearInterval a timeout scheduled inside run, as natively", async () => {
  const v = newVariable("v");
  const fired = [];
  const interval = v.run("a", () => setInterval(() => fired.push("interval"), 0));
  const timeout = v.run("b", () => setTimeout(() => fired.push("timeout"), 0));
  clearTimeout(interval);
  clearInterval(timeout);
  await sleep(30);
  assert.deepEqual(fired, []);
});

test("setTimeout with a string handler inside run still evaluates the string", async () => {
  const v = newVariable("v");
  const key = "__timersStringHandlerRan";
  globalThis[key] = 0;
  try {
    v.run("a", () => setTimeout(`globalThis.${key} += 1`, 0));
    v.run("b", () => setTimeout({ toString: () => `globalThis.${key} += 10` }, 0));
    await sleep(20);
    assert.equal(globalThis[key], 11);
  } finally {
    delete globalThis[key];
  }
});

test("a throwing timer callback does not leak its context into later tasks", async () => {
  const v = newVariable("v");
  const errors = [];
  const onError = (event) => {
    if (event.error && event.error.message === "timer boom") {
      errors.push(event.error.message);
      event.preventDefault();
    }
  };
  window.addEventListener("error", onError);
  const seen = [];
  try {
    v.run("a", () => setTimeout(() => { throw new Error("timer boom"); }, 0));
    // Scheduled in the empty context, so it runs unwrapped at the top level
    // of its task and shows whatever context the thrower left behind.
    setTimeout(() => seen.push(["next timeout", v.get()]), 1);
    await sleep(20);
    seen.push(["after sleep", v.get()]);
    await nextTask();
    seen.push(["after message task", v.get()]);
    await new Promise((resolve) => requestAnimationFrame(() => { seen.push(["frame", v.get()]); resolve(); }));
  } finally {
    window.removeEventListener("error", onError);
  }
  assert.deepEqual(errors, ["timer boom"]);
  assert.deepEqual(seen, [
    ["next timeout", "empty"],
    ["after sleep", "empty"],
    ["after message task", "empty"],
    ["frame", "empty"],
  ]);
});

test("a setInterval callback that throws keeps ticking in the context of the setInterval call", async () => {
  const v = newVariable("v");
  const ticks = [];
  const between = [];
  let bodyAfterTicks;
  const onError = (event) => {
    if (event.error && event.error.message === "interval boom") event.preventDefault();
  };
  window.addEventListener("error", onError);
  try {
    const { done, tick } = countdown(1);
    const id = v.run("a", () =>
      setInterval(() => {
        ticks.push(v.get());
        if (ticks.length === 3) {
          clearInterval(id);
          tick();
        }
        setTimeout(() => between.push(v.get()), 0);
        throw new Error("interval boom");
      }, 2));
    // an unwrapped timer after each tick shows the top level of a later task
    const watch = setInterval(() => between.push(v.get()), 1);
    await done;
    await nextTask();
    bodyAfterTicks = v.get();
    await sleep(10);
    clearInterval(watch);
  } finally {
    window.removeEventListener("error", onError);
  }
  assert.deepEqual(ticks, ["a", "a", "a"]);
  assert.equal(bodyAfterTicks, "empty", "the test body saw a leaked context");
  // timers scheduled inside a tick see "a"; the unwrapped watcher sees "empty"
  assert.ok(between.includes("empty"), "the watcher never ran");
  assert.deepEqual(between.filter((x) => x !== "empty"), ["a", "a", "a"]);
});

test("a timer scheduled inside a timer callback inherits that callback's context, and a nested run overrides it", async () => {
  const v = newVariable("v");
  const w = newVariable("w");
  const seen = [];
  const { done, tick } = countdown(4);
  const outer = (flow, delay) =>
    setTimeout(() => {
      setTimeout(() => { seen.push([flow + " inherited", v.get(), w.get()]); tick(); }, delay);
      w.run("w" + flow, () =>
        setTimeout(() => { seen.push([flow + " nested run", v.get(), w.get()]); tick(); }, 0));
    }, delay);
  v.run("a", () => outer("a", 3));
  v.run("b", () => outer("b", 0));
  await done;
  assert.deepEqual(seen.sort(byLabel), [
    ["a inherited", "a", "empty"],
    ["a nested run", "a", "wa"],
    ["b inherited", "b", "empty"],
    ["b nested run", "b", "wb"],
  ]);
});

test("timers scheduled in the empty context run in the empty context, between timers scheduled inside run", async () => {
  const v = newVariable("v");
  const w = newVariable("w");
  const inside = [];
  const outside = [];
  const { done, tick } = countdown(30);
  for (let i = 0; i < 10; i++) {
    const flow = i % 2 ? "a" : "b";
    v.run(flow, () => w.run(i, () =>
      setTimeout(() => { inside.push([flow, i, v.get(), w.get()]); tick(); }, i % 5)));
    setTimeout(() => { outside.push([v.get(), w.get()]); tick(); }, i % 5);
    setTimeout(() => { outside.push([v.get(), w.get()]); tick(); }, 0);
  }
  await done;
  assert.equal(inside.length, 10);
  for (const [flow, i, seenV, seenW] of inside) {
    assert.equal(seenV, flow, "v in timer " + i);
    assert.equal(seenW, i, "w in timer " + i);
  }
  assert.deepEqual(outside, Array.from({ length: 20 }, () => ["empty", "empty"]));
});

test("the top level of a task is empty after timers scheduled inside run have fired", async () => {
  const v = newVariable("v");
  const { done, tick } = countdown(20);
  for (let i = 0; i < 20; i++) v.run("flow " + i, () => setTimeout(tick, i % 4));
  await done;
  const seen = [];
  seen.push(v.get());
  await nextTask();
  seen.push(v.get());
  await new Promise((resolve) => setTimeout(() => { seen.push(v.get()); resolve(); }, 0));
  assert.deepEqual(seen, ["empty", "empty", "empty"]);
});
