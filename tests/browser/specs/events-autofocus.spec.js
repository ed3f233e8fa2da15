// Autofocus (web-integration/html__events.md, 6.5/6.6): an element with the autofocus attribute
// inserted by a JS call gets its focus events, fired when the browser flushes the autofocus
// candidates at the next rendering update, in the context of the insertion. A document
// autofocuses at most once, so this file has its own page and the tests run in order: the first
// uses the document's one autofocus, the second checks that a later candidate, never focused by
// autofocus, does not keep the insertion's context for a focus by the user.

import { test, assert, sleep, userClick } from "../harness.js";
import { flowVariable } from "../assets/events-common.js";

const flow = flowVariable();

function input(id, autofocus) {
  const element = document.createElement("input");
  element.id = id;
  element.autofocus = autofocus;
  return element;
}

function record(target, types, seen, label) {
  flow.run("listeners", () => {
    for (const type of types) target.addEventListener(type, () => seen.push(`${label} ${type}:${flow.get()}`));
  });
}

async function until(predicate) {
  while (!predicate()) await sleep(10);
}

test("an autofocus element inserted inside run gets its focus and focusin events in the context of the insertion", async () => {
  const container = document.createElement("div");
  document.body.append(container);
  const a = input("autofocus-a", true);
  const seen = [];
  record(a, ["focus", "focusin"], seen, "a");
  flow.run("A", () => container.append(a));
  flow.run("B", () => container.append(input("autofocus-b", false)));
  await until(() => seen.length === 2);
  assert.deepEqual(seen, ["a focus:A", "a focusin:A"]);
  assert.equal(document.activeElement, a);
});

test("a later autofocus candidate, which the browser does not autofocus, runs a user's focus on it in the empty context", async () => {
  const c = input("autofocus-c", true);
  const seen = [];
  record(c, ["focus"], seen, "c");
  flow.run("C", () => document.body.append(c));
  await sleep(100); // two rendering updates: no autofocus happens (the document had its one)
  assert.deepEqual(seen, []);
  await userClick("#autofocus-c");
  await until(() => seen.length === 1);
  c.remove();
  assert.deepEqual(seen, ["c focus:empty"]);
});
