// FileReader events (semantics.md §3: "FileReader (readAs*)" runs in the context of the causing call;
// js-shim/patches/file-reader.js). Listeners are registered in a context of their own; two readers read
// concurrently in two contexts. abort() dispatches synchronously: the dispatcher's context.

import { test, assert } from "../harness.js";
import { flowVariable } from "../assets/events-common.js";

const flow = flowVariable();
const TYPES = ["loadstart", "progress", "load", "loadend"];

function listenIn(value, reader, types, seen) {
  flow.run(value, () => {
    for (const type of types) reader.addEventListener(type, () => seen.push(`${type}:${flow.get()}`));
  });
}

const loadEnd = (reader) => new Promise((resolve) => reader.addEventListener("loadend", resolve, { once: true }));

async function twoReads(method, types = TYPES) {
  const a = new FileReader();
  const b = new FileReader();
  const seen = { A: [], B: [] };
  listenIn("listeners", a, types, seen.A);
  listenIn("listeners", b, types, seen.B);
  const ended = Promise.all([loadEnd(a), loadEnd(b)]);
  flow.run("A", () => a[method](new Blob(["x".repeat(1 << 20)])));
  flow.run("B", () => b[method](new Blob(["small"])));
  await ended;
  return seen;
}

function assertAllIn(list, value, what) {
  assert.ok(list.length > 0, `${what}: no events`);
  for (const entry of list) assert.ok(entry.endsWith(`:${value}`), `${what}: ${JSON.stringify(list)}`);
}

test("FileReader loadstart, progress, load and loadend listeners run in the context of readAsText(), two reads interleaved", async () => {
  const seen = await twoReads("readAsText");
  for (const name of ["A", "B"]) {
    assert.ok(seen[name].includes(`load:${name}`) && seen[name].includes(`loadstart:${name}`) && seen[name].includes(`loadend:${name}`),
      `events of ${name}: ${JSON.stringify(seen[name])}`);
    assertAllIn(seen[name], name, `events of ${name}`);
  }
});

test("FileReader progress listeners run in the context of the readAs* call", async () => {
  const seen = await twoReads("readAsText", ["progress"]);
  assertAllIn(seen.A, "A", "progress events of A");
  assertAllIn(seen.B, "B", "progress events of B");
});

test("FileReader load listeners run in the context of readAsArrayBuffer()", async () => {
  const seen = await twoReads("readAsArrayBuffer", ["load"]);
  assert.deepEqual(seen, { A: ["load:A"], B: ["load:B"] });
});

test("FileReader load listeners run in the context of readAsDataURL()", async () => {
  const seen = await twoReads("readAsDataURL", ["load"]);
  assert.deepEqual(seen, { A: ["load:A"], B: ["load:B"] });
});

test("FileReader load listeners run in the context of readAsBinaryString()", async () => {
  const seen = await twoReads("readAsBinaryString", ["load"]);
  assert.deepEqual(seen, { A: ["load:A"], B: ["load:B"] });
});

test("FileReader on* handlers set in another context run in the context of the readAs* call", async () => {
  const a = new FileReader();
  const b = new FileReader();
  const seen = [];
  flow.run("listeners", () => {
    a.onload = () => seen.push(`A:${flow.get()}`);
    b.onload = () => seen.push(`B:${flow.get()}`);
  });
  const ended = Promise.all([loadEnd(a), loadEnd(b)]);
  flow.run("A", () => a.readAsText(new Blob(["a"])));
  flow.run("B", () => b.readAsText(new Blob(["b"])));
  await ended;
  assert.deepEqual(seen.slice().sort(), ["A:A", "B:B"]);
});

test("a FileReader read started in the empty context runs listeners added inside run in the empty context", async () => {
  const reader = new FileReader();
  const seen = [];
  listenIn("listeners", reader, ["load"], seen);
  const ended = loadEnd(reader);
  reader.readAsText(new Blob(["x"]));
  await ended;
  assert.deepEqual(seen, ["load:empty"]);
});

test("a second read on a reused FileReader replaces the context of its events", async () => {
  const reader = new FileReader();
  const seen = [];
  listenIn("listeners", reader, ["load"], seen);
  let ended = loadEnd(reader);
  flow.run("first", () => reader.readAsText(new Blob(["1"])));
  await ended;
  ended = loadEnd(reader);
  flow.run("second", () => reader.readAsArrayBuffer(new Blob(["2"])));
  await ended;
  ended = loadEnd(reader);
  reader.readAsDataURL(new Blob(["3"]));
  await ended;
  assert.deepEqual(seen, ["load:first", "load:second", "load:empty"]);
});

test("a read started from the previous read's loadend listener runs in the same readAs* context (chunked reading)", async () => {
  const reader = new FileReader();
  const chunks = [new Blob(["one"]), new Blob(["two"]), new Blob(["three"])];
  const seen = [];
  let next = 0;
  const done = new Promise((resolve) => {
    flow.run("listeners", () => reader.addEventListener("load", () => seen.push(`${reader.result}:${flow.get()}`)));
    reader.addEventListener("loadend", () => {
      if (++next < chunks.length) reader.readAsText(chunks[next]);
      else resolve();
    });
  });
  flow.run("reader", () => reader.readAsText(chunks[0]));
  await done;
  assert.deepEqual(seen, ["one:reader", "two:reader", "three:reader"]);
});

test("reader.abort() called in another context runs abort and loadend listeners in the abort() caller's context", () => {
  const reader = new FileReader();
  const seen = [];
  listenIn("listeners", reader, ["abort", "loadend", "load"], seen);
  flow.run("A", () => reader.readAsText(new Blob(["x".repeat(1 << 20)])));
  flow.run("B", () => reader.abort());
  assert.deepEqual(seen, ["abort:B", "loadend:B"]);
});

test("reader.abort() called in the empty context runs abort and loadend listeners in the empty context", () => {
  const reader = new FileReader();
  const seen = [];
  listenIn("listeners", reader, ["abort", "loadend", "load"], seen);
  flow.run("A", () => reader.readAsText(new Blob(["x".repeat(1 << 20)])));
  reader.abort();
  assert.deepEqual(seen, ["abort:empty", "loadend:empty"]);
});
