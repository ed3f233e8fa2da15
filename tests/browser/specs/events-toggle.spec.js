// Toggle events of <details>, <dialog> and popovers (semantics.md §3: "details/dialog/popover toggle (the call
// that toggled)" runs in the context of the causing call; user-originated toggles run in the empty context;
// js-shim/patches/toggle.js and attributes.js). User toggles are real Playwright clicks and key presses
// (userClick/userPress through run.mjs), not synthetic events. Listeners are registered in a context of their own.

import { test, assert, sleep, userClick, userPress } from "../harness.js";
import { flowVariable } from "../assets/events-common.js";

const flow = flowVariable();
let unique = 0;

/** Records `type:context` for every event of `types` on `target`, listeners added in context "listeners". */
function record(target, types, label = "") {
  const seen = [];
  flow.run("listeners", () => {
    for (const type of types) target.addEventListener(type, () => seen.push(`${label}${type}:${flow.get()}`));
  });
  return seen;
}

const eventOf = (target, type) => new Promise((resolve) => target.addEventListener(type, resolve, { once: true }));

/** Runs `fn(element)` with `html` parsed into a fresh container (removed afterwards). */
async function withMarkup(html, fn) {
  const container = document.createElement("div");
  container.innerHTML = html;
  document.body.append(container);
  try {
    return await fn(container);
  } finally {
    container.remove();
  }
}

function details() {
  const id = `events-details-${++unique}`;
  return `<details id="${id}"><summary id="${id}-summary">summary</summary><p>content</p></details>`;
}

test("details toggle listeners run in the context of the open set, two elements interleaved", () =>
  withMarkup(details() + details(), async (container) => {
    const [a, b] = container.querySelectorAll("details");
    const seenA = record(a, ["toggle"]);
    const seenB = record(b, ["toggle"]);
    const toggled = Promise.all([eventOf(a, "toggle"), eventOf(b, "toggle")]);
    flow.run("A", () => {
      a.open = true;
    });
    flow.run("B", () => {
      b.open = true;
    });
    await toggled;
    assert.deepEqual(seenA, ["toggle:A"]);
    assert.deepEqual(seenB, ["toggle:B"]);
  }));

test("details toggle listeners run in the context of setAttribute(\"open\") and removeAttribute(\"open\")", () =>
  withMarkup(details(), async (container) => {
    const element = container.querySelector("details");
    const seen = record(element, ["toggle"]);
    let toggled = eventOf(element, "toggle");
    flow.run("set", () => element.setAttribute("open", ""));
    await toggled;
    toggled = eventOf(element, "toggle");
    flow.run("remove", () => element.removeAttribute("open"));
    await toggled;
    assert.deepEqual(seen, ["toggle:set", "toggle:remove"]);
  }));

test("a details ontoggle handler set in another context runs in the context of the open set", () =>
  withMarkup(details(), async (container) => {
    const element = container.querySelector("details");
    const seen = [];
    let done;
    const toggled = new Promise((resolve) => (done = resolve));
    flow.run("listeners", () => {
      element.ontoggle = () => done(seen.push(flow.get()));
    });
    flow.run("open", () => {
      element.open = true;
    });
    await toggled;
    assert.deepEqual(seen, ["open"]);
  }));

test("closing details in another context runs the toggle listener in the closing context", () =>
  withMarkup(details(), async (container) => {
    const element = container.querySelector("details");
    const seen = record(element, ["toggle"]);
    let toggled = eventOf(element, "toggle");
    flow.run("open", () => {
      element.open = true;
    });
    await toggled;
    toggled = eventOf(element, "toggle");
    flow.run("close", () => {
      element.open = false;
    });
    await toggled;
    assert.deepEqual(seen, ["toggle:open", "toggle:close"]);
  }));

test("dialog show() runs toggle listeners in the context of show()", () =>
  withMarkup("<dialog>a</dialog><dialog>b</dialog>", async (container) => {
    const [a, b] = container.querySelectorAll("dialog");
    const seenA = record(a, ["beforetoggle", "toggle"]);
    const seenB = record(b, ["beforetoggle", "toggle"]);
    const toggled = Promise.all([eventOf(a, "toggle"), eventOf(b, "toggle")]);
    flow.run("A", () => a.show());
    flow.run("B", () => b.show());
    await toggled;
    assert.deepEqual(seenA, ["beforetoggle:A", "toggle:A"]);
    assert.deepEqual(seenB, ["beforetoggle:B", "toggle:B"]);
  }));

test("dialog showModal() runs toggle listeners in the context of showModal()", () =>
  withMarkup("<dialog>modal</dialog>", async (container) => {
    const dialog = container.querySelector("dialog");
    const seen = record(dialog, ["beforetoggle", "toggle"]);
    const toggled = eventOf(dialog, "toggle");
    flow.run("modal", () => dialog.showModal());
    await toggled;
    const before = seen.slice();
    dialog.close();
    assert.deepEqual(before, ["beforetoggle:modal", "toggle:modal"]);
  }));

test("dialog close() runs close listeners in the context of close(), two dialogs interleaved", () =>
  withMarkup("<dialog>a</dialog><dialog>b</dialog>", async (container) => {
    const [a, b] = container.querySelectorAll("dialog");
    flow.run("opened", () => {
      a.show();
      b.showModal();
    });
    await sleep(20);
    const seenA = record(a, ["close"]);
    const seenB = record(b, ["close"]);
    const closed = Promise.all([eventOf(a, "close"), eventOf(b, "close")]);
    flow.run("B", () => b.close());
    flow.run("A", () => a.close("value"));
    await closed;
    assert.deepEqual(seenA, ["close:A"]);
    assert.deepEqual(seenB, ["close:B"]);
  }));

test("dialog requestClose() runs cancel and close listeners in the context of requestClose()", () =>
  withMarkup("<dialog>a</dialog>", async (container) => {
    const dialog = container.querySelector("dialog");
    flow.run("opened", () => dialog.showModal());
    await sleep(20);
    const seen = record(dialog, ["cancel", "close"]);
    const closed = eventOf(dialog, "close");
    flow.run("request", () => dialog.requestClose());
    await closed;
    assert.deepEqual(seen, ["cancel:request", "close:request"]);
  }));

test("showPopover(), hidePopover() and togglePopover() run toggle listeners in the context of the call", () =>
  withMarkup('<div popover id="events-popover-a">a</div><div popover id="events-popover-b">b</div>', async (container) => {
    const [a, b] = container.querySelectorAll("[popover]");
    const seenA = record(a, ["beforetoggle", "toggle"]);
    const seenB = record(b, ["beforetoggle", "toggle"]);
    let toggled = Promise.all([eventOf(a, "toggle"), eventOf(b, "toggle")]);
    flow.run("show A", () => a.showPopover());
    flow.run("toggle B", () => b.togglePopover()); // an auto popover: showing B hides A
    await toggled;
    await sleep(20);
    toggled = eventOf(b, "toggle");
    flow.run("hide B", () => b.hidePopover());
    await toggled;
    assert.deepEqual(seenB, ["beforetoggle:toggle B", "toggle:toggle B", "beforetoggle:hide B", "toggle:hide B"]);
    assert.equal(seenA[0], "beforetoggle:show A");
    assert.ok(seenA.includes("toggle:show A") || seenA.includes("toggle:toggle B"), JSON.stringify(seenA));
  }));

test("two manual popovers toggled in two contexts each run toggle listeners in their own context", () =>
  withMarkup('<div popover="manual">a</div><div popover="manual">b</div>', async (container) => {
    const [a, b] = container.querySelectorAll("[popover]");
    const seenA = record(a, ["toggle"]);
    const seenB = record(b, ["toggle"]);
    const toggled = Promise.all([eventOf(a, "toggle"), eventOf(b, "toggle")]);
    flow.run("A", () => a.showPopover());
    flow.run("B", () => b.togglePopover(true));
    await toggled;
    a.hidePopover();
    b.hidePopover();
    assert.deepEqual(seenA, ["toggle:A"]);
    assert.deepEqual(seenB, ["toggle:B"]);
  }));

// ---------------------------------------------------------------------------------------------------------
// User toggles: the empty context

test("a details element opened by a user click on its summary runs toggle listeners in the empty context", () =>
  withMarkup(details(), async (container) => {
    const element = container.querySelector("details");
    const seen = record(element, ["toggle"]);
    const toggled = eventOf(element, "toggle");
    await userClick(`#${element.id}-summary`);
    await toggled;
    assert.deepEqual(seen, ["toggle:empty"]);
  }));

test("a details element toggled by JS inside run and then by a user click runs the user's toggle in the empty context", () =>
  withMarkup(details(), async (container) => {
    const element = container.querySelector("details");
    const seen = record(element, ["toggle"]);
    let toggled = eventOf(element, "toggle");
    flow.run("script", () => {
      element.open = true;
    });
    await toggled;
    toggled = eventOf(element, "toggle");
    await userClick(`#${element.id}-summary`);
    await toggled;
    assert.deepEqual(seen, ["toggle:script", "toggle:empty"]);
  }));

test("a popover shown by a user click on its popovertarget button runs toggle listeners in the empty context", () =>
  withMarkup('<button id="events-popover-button" popovertarget="events-popover-user">open</button><div popover id="events-popover-user">p</div>', async (container) => {
    const popover = container.querySelector("[popover]");
    const seen = record(popover, ["beforetoggle", "toggle"]);
    const toggled = eventOf(popover, "toggle");
    await userClick("#events-popover-button");
    await toggled;
    popover.hidePopover();
    assert.deepEqual(seen.slice(0, 2), ["beforetoggle:empty", "toggle:empty"]);
  }));

test("a popover shown by JS inside run and hidden by a user click on its button runs the user's toggle in the empty context", () =>
  withMarkup('<button id="events-popover-button-2" popovertarget="events-popover-user-2">toggle</button><div popover="manual" id="events-popover-user-2">p</div>', async (container) => {
    const popover = container.querySelector("[popover]");
    const seen = record(popover, ["beforetoggle", "toggle"]);
    let toggled = eventOf(popover, "toggle");
    flow.run("script", () => popover.showPopover());
    await toggled;
    toggled = eventOf(popover, "toggle");
    await userClick("#events-popover-button-2");
    await toggled;
    assert.deepEqual(seen, ["beforetoggle:script", "toggle:script", "beforetoggle:empty", "toggle:empty"]);
  }));

test("a modal dialog opened inside run and closed by the user's Escape key runs cancel and close listeners in the empty context", () =>
  withMarkup('<dialog><button id="events-dialog-button">ok</button></dialog>', async (container) => {
    const dialog = container.querySelector("dialog");
    flow.run("script", () => dialog.showModal());
    await sleep(20);
    const seen = record(dialog, ["cancel", "close"]);
    const closed = eventOf(dialog, "close");
    await userPress("Escape", "#events-dialog-button");
    await closed;
    assert.deepEqual(seen, ["cancel:empty", "close:empty"]);
  }));

test("setting details.open to its current value inside run does not make a later user toggle run in that context", () =>
  withMarkup(details(), async (container) => {
    const element = container.querySelector("details");
    let toggled = eventOf(element, "toggle");
    element.open = true;
    await toggled;
    const seen = record(element, ["toggle"]);
    flow.run("script", () => {
      element.open = true; // already open: no toggle event
    });
    await sleep(50);
    toggled = eventOf(element, "toggle");
    await userClick(`#${element.id}-summary`);
    await toggled;
    assert.deepEqual(seen, ["toggle:empty"]);
  }));

test("showPopover() on a popover that is already showing does not make a later user toggle run in that context", () =>
  withMarkup('<button id="events-popover-button-3" popovertarget="events-popover-user-3">toggle</button><div popover="manual" id="events-popover-user-3">p</div>', async (container) => {
    const popover = container.querySelector("[popover]");
    let toggled = eventOf(popover, "toggle");
    popover.showPopover();
    await toggled;
    const seen = record(popover, ["beforetoggle", "toggle"]);
    flow.run("script", () => popover.showPopover()); // already showing: no event
    await sleep(50);
    toggled = eventOf(popover, "toggle");
    await userClick("#events-popover-button-3");
    await toggled;
    assert.deepEqual(seen, ["beforetoggle:empty", "toggle:empty"]);
  }));
