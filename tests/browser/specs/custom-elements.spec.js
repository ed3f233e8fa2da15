// Custom element reactions (semantics.md §3): lifecycle callbacks run synchronously inside the DOM
// call that causes them ([CEReactions]), so they see that call's context; nothing is patched for them.
import { test, assert, sleep } from "../harness.js";

const flow = new AsyncContext.Variable({ name: "flow", defaultValue: "empty" });
let seen = [];

class ContextProbe extends HTMLElement {
  static observedAttributes = ["data-state"];
  constructor() {
    super();
    seen.push(`constructor:${flow.get()}`);
  }
  connectedCallback() {
    seen.push(`connected:${flow.get()}`);
  }
  disconnectedCallback() {
    seen.push(`disconnected:${flow.get()}`);
  }
  attributeChangedCallback(name, before, after) {
    seen.push(`attribute ${after}:${flow.get()}`);
  }
}
customElements.define("context-probe", ContextProbe);

test("custom element constructor and connectedCallback run in the context of the insertion, two flows", () => {
  seen = [];
  const a = document.createElement("context-probe");
  const b = document.createElement("context-probe");
  flow.run("B", () => document.body.append(b));
  flow.run("A", () => document.body.append(a));
  a.remove();
  b.remove();
  assert.deepEqual(seen, ["constructor:empty", "constructor:empty", "connected:B", "connected:A", "disconnected:empty", "disconnected:empty"]);
});

test("attributeChangedCallback runs in the context of the setAttribute call, two interleaved flows", () => {
  const probe = document.createElement("context-probe");
  seen = [];
  flow.run("A", () => probe.setAttribute("data-state", "one"));
  flow.run("B", () => probe.dataset.state = "two");
  flow.run("A", () => probe.removeAttribute("data-state"));
  assert.deepEqual(seen, ["attribute one:A", "attribute two:B", "attribute null:A"]);
});

test("an element upgraded by customElements.define runs its constructor and connectedCallback in the context of the define call", async () => {
  const name = "context-probe-late";
  const early = document.createElement(name);
  document.body.append(early);
  seen = [];
  flow.run("definer", () => customElements.define(name, class extends ContextProbe {}));
  early.remove();
  assert.deepEqual(seen, ["constructor:definer", "connected:definer", "disconnected:empty"]);
});

test("a custom element parsed by innerHTML inside run is constructed and connected in that context", () => {
  const host = document.createElement("div");
  document.body.append(host);
  seen = [];
  flow.run("markup", () => {
    host.innerHTML = "<context-probe></context-probe>";
  });
  host.remove();
  assert.deepEqual(seen, ["constructor:markup", "connected:markup", "disconnected:empty"]);
});

test("customElements.whenDefined reactions run in the context of their then call", async () => {
  const name = "context-probe-awaited";
  const result = flow.run("waiting", () => customElements.whenDefined(name).then(() => flow.get()));
  await sleep(1);
  flow.run("definer", () => customElements.define(name, class extends HTMLElement {}));
  assert.equal(await result, "waiting");
});
