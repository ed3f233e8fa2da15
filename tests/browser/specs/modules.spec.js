// Module evaluation (semantics.md §2, normative since 2026, #98): a module's body, top-level await
// included, evaluates in the empty context, so the importer's context does not leak into it; the
// promise import() returns settles into the importer's reactions as usual. The polyfill changes
// nothing here: browsers evaluate a module from a task or microtask of their own, never inside the
// import() call, so the body starts in the empty context. These tests check that this stays true.
// Classic scripts are not covered by the rule (upstream leaves them open): an inline classic script
// inserted inside run executes synchronously inside the insertion and sees its context.

import { test, assert, sleep } from "../harness.js";

const variable = new AsyncContext.Variable({ name: "importer", defaultValue: "empty" });
const seen = [];
globalThis.__modulesSpecProbe = { variable, record: (id, where, value) => seen.push(`${id} ${where}: ${value}`) };
const moduleUrl = (id) => `/tests/browser/assets/context-module.js?id=${id}&unique=${Math.random()}`;

async function until(predicate) {
  while (!predicate()) await sleep(10);
}

test("a module imported with import() inside run evaluates its body, top-level await and timers in the empty context, two importers", async () => {
  seen.length = 0;
  const reactions = [];
  const a = variable.run("A", () => import(moduleUrl("a")).then((m) => reactions.push(`${m.evaluated}: ${variable.get()}`)));
  const b = variable.run("B", () => import(moduleUrl("b")).then((m) => reactions.push(`${m.evaluated}: ${variable.get()}`)));
  await Promise.all([a, b]);
  await until(() => seen.length === 6);
  for (const id of ["a", "b"]) {
    assert.deepEqual(seen.filter((entry) => entry.startsWith(`${id} `)), [
      `${id} body: empty`,
      `${id} after top-level await: empty`,
      `${id} timer scheduled by the body: empty`,
    ]);
  }
  assert.deepEqual(reactions.sort(), ["a: A", "b: B"], "the import() promise's reactions run in the importer's context");
});

test("importing an already evaluated module inside run does not evaluate it again, and its promise reaction runs in the importer's context", async () => {
  seen.length = 0;
  const url = moduleUrl("again");
  await import(url);
  await until(() => seen.length === 3);
  const reaction = await variable.run("second importer", () => import(url).then(() => variable.get()));
  await sleep(30);
  assert.equal(reaction, "second importer");
  assert.equal(seen.length, 3, JSON.stringify(seen));
});

test("an inline module script inserted inside run evaluates in the empty context", async () => {
  const script = document.createElement("script");
  script.type = "module";
  script.textContent = "globalThis.__modulesSpecProbe.record('inline', 'module body', globalThis.__modulesSpecProbe.variable.get());";
  seen.length = 0;
  variable.run("inserter", () => document.head.append(script));
  assert.deepEqual(seen, [], "a module script does not run inside the insertion");
  await until(() => seen.length === 1);
  script.remove();
  assert.deepEqual(seen, ["inline module body: empty"]);
});

test("an inline classic script inserted inside run executes inside the insertion, in its context", () => {
  const script = document.createElement("script");
  script.textContent = "globalThis.__modulesSpecProbe.record('inline', 'classic body', globalThis.__modulesSpecProbe.variable.get());";
  seen.length = 0;
  variable.run("inserter", () => document.head.append(script));
  script.remove();
  assert.deepEqual(seen, ["inline classic body: inserter"]);
});
