// Browser- and user-originated events (semantics.md §3: user clicks and input, MessagePort and BroadcastChannel
// messages, postMessage run in the empty context, whatever context their listeners were registered in and
// whatever other flows are doing meanwhile). User input is real: Playwright clicks and key presses performed by
// run.mjs at the page's request (userClick/userPress/userType), so the events are dispatched by the browser from
// the top of a task, not by dispatchEvent.

import { test, assert, sleep, userClick, userPress, userType } from "../harness.js";
import { flowVariable, deferred, imageUrl } from "../assets/events-common.js";

const flow = flowVariable();
let unique = 0;

/** Runs `fn(element)` for a fresh element made from `html` (with a unique id), removed afterwards. */
async function withElement(html, fn) {
  const container = document.createElement("div");
  container.innerHTML = html;
  const element = container.firstElementChild;
  element.id = `events-user-${++unique}`;
  document.body.append(container);
  try {
    return await fn(element, `#${element.id}`);
  } finally {
    container.remove();
  }
}

/** Records `type:context` for every event of `types` on `target`, listeners added in context "listeners". */
function record(target, types) {
  const seen = [];
  flow.run("listeners", () => {
    for (const type of types) target.addEventListener(type, () => seen.push(`${type}:${flow.get()}`));
  });
  return seen;
}

const POINTER_TYPES = ["pointerdown", "mousedown", "pointerup", "mouseup", "click"];

test("a real user click runs listeners added inside run in the empty context", () =>
  withElement("<button>press</button>", async (button, selector) => {
    const seen = record(button, POINTER_TYPES);
    await userClick(selector);
    assert.deepEqual(seen, POINTER_TYPES.map((type) => `${type}:empty`));
  }));

test("a real user click runs an onclick handler set inside run in the empty context", () =>
  withElement("<button>press</button>", async (button, selector) => {
    const seen = [];
    flow.run("listeners", () => {
      button.onclick = () => seen.push(flow.get());
    });
    await userClick(selector);
    assert.deepEqual(seen, ["empty"]);
  }));

test("a real user click runs a handleEvent listener added inside run in the empty context", () =>
  withElement("<button>press</button>", async (button, selector) => {
    const seen = [];
    flow.run("listeners", () => button.addEventListener("click", { handleEvent: () => seen.push(flow.get()) }));
    await userClick(selector);
    assert.deepEqual(seen, ["empty"]);
  }));

test("a real user click runs listeners in the empty context while other flows' timers are pending", () =>
  withElement("<button>press</button>", async (button, selector) => {
    const seen = record(button, ["click"]);
    const timers = [];
    const fired = deferred();
    flow.run("B", () => {
      setTimeout(() => {
        timers.push(`timeout:${flow.get()}`);
        fired.resolve();
      }, 1000);
    });
    let ticks = 0;
    const interval = flow.run("C", () => setInterval(() => ticks++ < 3 && timers.push(`interval:${flow.get()}`), 10));
    flow.run("D", () => Promise.resolve().then(() => sleep(0)).then(() => timers.push(`promise:${flow.get()}`)));
    await userClick(selector);
    await userClick(selector);
    await fired.promise;
    clearInterval(interval);
    assert.deepEqual(seen, ["click:empty", "click:empty"]);
    assert.ok(timers.includes("timeout:B") && timers.includes("promise:D"), JSON.stringify(timers));
    for (const entry of timers.filter((e) => e.startsWith("interval"))) assert.equal(entry, "interval:C");
  }));

test("a real user click on a button that was click()ed inside run runs listeners in the empty context", () =>
  withElement("<button>press</button>", async (button, selector) => {
    const seen = record(button, ["click"]);
    flow.run("script", () => button.click());
    await userClick(selector);
    assert.deepEqual(seen, ["click:script", "click:empty"]);
  }));

test("a real user click on an img whose src was set inside run runs click listeners in the empty context", () =>
  withElement('<img width="20" height="20">', async (img, selector) => {
    const loaded = new Promise((resolve) => img.addEventListener("load", resolve, { once: true }));
    flow.run("script", () => {
      img.src = imageUrl(10);
    });
    await loaded;
    const seen = record(img, ["mousedown", "click"]);
    await userClick(selector);
    assert.deepEqual(seen, ["mousedown:empty", "click:empty"]);
  }));

test("a real user click on an img whose src was set inside run runs document-level click listeners in the empty context", () =>
  withElement('<img width="20" height="20">', async (img, selector) => {
    const loaded = new Promise((resolve) => img.addEventListener("load", resolve, { once: true }));
    flow.run("script", () => {
      img.src = imageUrl(10);
    });
    await loaded;
    const seen = [];
    const listener = () => seen.push(flow.get());
    flow.run("listeners", () => document.addEventListener("click", listener));
    try {
      await userClick(selector);
    } finally {
      document.removeEventListener("click", listener);
    }
    assert.deepEqual(seen, ["empty"]);
  }));

test("a real user click on a video whose src was set and play() called inside run runs click listeners in the empty context", () =>
  withElement('<video muted width="40" height="40" style="display:block;background:#000"></video>', async (video, selector) => {
    const ended = new Promise((resolve) => video.addEventListener("ended", resolve, { once: true }));
    await flow.run("script", () => {
      video.src = `/__test__/wav?ms=100&unique=${Math.random()}`;
      return video.play();
    });
    await ended;
    const seen = record(video, ["click"]);
    await userClick(selector);
    assert.deepEqual(seen, ["click:empty"]);
  }));

test("a real user click focusing an input runs focus listeners added inside run in the empty context", () =>
  withElement("<input>", async (input, selector) => {
    const seen = record(input, ["focus", "focusin"]);
    await userClick(selector);
    input.blur();
    assert.deepEqual(seen, ["focus:empty", "focusin:empty"]);
  }));

test("a real key press runs keyboard and input listeners added inside run in the empty context", () =>
  withElement("<input>", async (input, selector) => {
    const seen = record(input, ["keydown", "keypress", "beforeinput", "input", "keyup"]);
    await userPress("a", selector);
    assert.equal(input.value, "a");
    assert.deepEqual(seen, ["keydown:empty", "keypress:empty", "beforeinput:empty", "input:empty", "keyup:empty"]);
  }));

test("real typing runs input listeners set inside two different runs in the empty context", () =>
  withElement("<textarea></textarea>", async (area, selector) => {
    const seen = [];
    flow.run("A", () => area.addEventListener("input", () => seen.push(`listener:${flow.get()}`)));
    flow.run("B", () => {
      area.oninput = () => seen.push(`handler:${flow.get()}`);
    });
    await userClick(selector);
    await userType("xy");
    assert.equal(area.value, "xy");
    assert.deepEqual(seen, ["listener:empty", "handler:empty", "listener:empty", "handler:empty"]);
  }));

test("a real user click on a checkbox runs change listeners added inside run in the empty context", () =>
  withElement('<input type="checkbox">', async (box, selector) => {
    const seen = record(box, ["input", "change"]);
    await userClick(selector);
    assert.equal(box.checked, true);
    assert.deepEqual(seen, ["input:empty", "change:empty"]);
  }));

test("a real user click runs document-level capturing and bubbling listeners added inside run in the empty context", () =>
  withElement("<button>press</button>", async (button, selector) => {
    const seen = [];
    const capture = () => seen.push(`capture:${flow.get()}`);
    const bubble = () => seen.push(`bubble:${flow.get()}`);
    flow.run("A", () => document.addEventListener("click", capture, true));
    flow.run("B", () => window.addEventListener("click", bubble));
    try {
      await userClick(selector);
    } finally {
      document.removeEventListener("click", capture, true);
      window.removeEventListener("click", bubble);
    }
    assert.deepEqual(seen, ["capture:empty", "bubble:empty"]);
  }));

// ---------------------------------------------------------------------------------------------------------
// Messages

test("MessagePort messages run in the empty context, two channels posted to from two contexts", async () => {
  const first = new MessageChannel();
  const second = new MessageChannel();
  const seen = [];
  const received = deferred();
  const note = (label) => {
    seen.push(`${label}:${flow.get()}`);
    if (seen.length === 4) received.resolve();
  };
  flow.run("listeners", () => {
    first.port1.onmessage = () => note("first");
    second.port1.addEventListener("message", () => note("second"));
    second.port1.start();
  });
  flow.run("A", () => first.port2.postMessage(1));
  flow.run("B", () => second.port2.postMessage(2));
  flow.run("B", () => first.port2.postMessage(3));
  flow.run("A", () => second.port2.postMessage(4));
  await received.promise;
  for (const port of [first.port1, first.port2, second.port1, second.port2]) port.close();
  assert.deepEqual(seen.slice().sort(), ["first:empty", "first:empty", "second:empty", "second:empty"]);
});

test("BroadcastChannel messages run in the empty context", async () => {
  const name = `events-user-input-${Math.random()}`;
  const sender = new BroadcastChannel(name);
  const receiver = flow.run("construction", () => new BroadcastChannel(name));
  const seen = [];
  const received = deferred();
  flow.run("listeners", () => {
    receiver.onmessage = (event) => {
      seen.push(`${event.data}:${flow.get()}`);
      if (seen.length === 2) received.resolve();
    };
  });
  flow.run("A", () => sender.postMessage("a"));
  flow.run("B", () => sender.postMessage("b"));
  await received.promise;
  sender.close();
  receiver.close();
  assert.deepEqual(seen, ["a:empty", "b:empty"]);
});

test("window.postMessage to the same window runs message listeners in the empty context", async () => {
  const seen = [];
  const received = deferred();
  const listener = (event) => {
    if (typeof event.data !== "string" || !event.data.startsWith("events-user-input")) return;
    seen.push(`${event.data}:${flow.get()}`);
    if (seen.length === 2) received.resolve();
  };
  flow.run("listeners", () => window.addEventListener("message", listener));
  flow.run("A", () => window.postMessage("events-user-input a", location.origin));
  flow.run("B", () => window.postMessage("events-user-input b", "*"));
  await received.promise;
  window.removeEventListener("message", listener);
  assert.deepEqual(seen, ["events-user-input a:empty", "events-user-input b:empty"]);
});

test("postMessage from another window runs message listeners in the empty context", async () => {
  const frame = document.createElement("iframe");
  frame.srcdoc = "<script>parent.postMessage('events-user-input from frame', '*');<\/script>";
  const seen = [];
  const received = deferred();
  const listener = (event) => {
    if (event.data !== "events-user-input from frame") return;
    seen.push(flow.get());
    received.resolve();
  };
  flow.run("listeners", () => window.addEventListener("message", listener));
  flow.run("inserting", () => document.body.append(frame));
  await received.promise;
  window.removeEventListener("message", listener);
  frame.remove();
  assert.deepEqual(seen, ["empty"]);
});
