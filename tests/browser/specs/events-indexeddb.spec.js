// IndexedDB events (semantics.md §3: "IndexedDB requests/transactions (the call that created the request)";
// js-shim/patches/indexeddb.js). Real IndexedDB with a fresh database per test; listeners are registered in a
// context of their own and two flows issue requests concurrently.

import { test, assert } from "../harness.js";
import { flowVariable, deferred } from "../assets/events-common.js";

const flow = flowVariable();
const dbName = (what) => `asynccontext-events-${what}-${Date.now()}-${Math.random()}`;

/** Opens a fresh database (in the current context) with one object store "items" (keyPath "id", index "tag"). */
function freshDatabase(what, rows = []) {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(dbName(what), 1);
    request.onupgradeneeded = () => {
      const store = request.result.createObjectStore("items", { keyPath: "id" });
      store.createIndex("tag", "tag");
      for (const row of rows) store.put(row);
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function dropDatabase(db) {
  db.close();
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(db.name);
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
}

const ROWS = [
  { id: 1, tag: "a" },
  { id: 2, tag: "b" },
  { id: 3, tag: "a" },
  { id: 4, tag: "b" },
];

/** Listens for `type` on `target` in context "listeners", noting `label:context`. */
function listen(target, type, seen, label) {
  flow.run("listeners", () => target.addEventListener(type, () => seen.push(`${label}:${flow.get()}`)));
}

const completion = (tx) =>
  new Promise((resolve, reject) => {
    tx.addEventListener("complete", resolve);
    tx.addEventListener("abort", () => reject(tx.error ?? new Error("transaction aborted")));
  });

/** In one readwrite transaction, flows A and B each call `request(store)`; returns the contexts of the success listeners. */
async function requestsInTwoFlows(request, rows = ROWS) {
  const db = await freshDatabase("requests", rows);
  try {
    const tx = db.transaction("items", "readwrite");
    const store = tx.objectStore("items");
    const seen = [];
    for (const name of ["A", "B", "A", "B"]) {
      const req = flow.run(name, () => request(store, name));
      listen(req, "success", seen, name);
    }
    await completion(tx);
    return seen;
  } finally {
    await dropDatabase(db);
  }
}

test("indexedDB.open() runs upgradeneeded and success listeners in the context of open(), two opens interleaved", async () => {
  const seen = [];
  const dbs = [];
  const opened = [];
  for (const name of ["A", "B"]) {
    const request = flow.run(name, () => indexedDB.open(dbName(`open-${name}`), 1));
    listen(request, "upgradeneeded", seen, `upgradeneeded ${name}`);
    listen(request, "success", seen, `success ${name}`);
    const done = deferred();
    request.addEventListener("success", () => {
      dbs.push(request.result);
      done.resolve();
    });
    opened.push(done.promise);
  }
  await Promise.all(opened);
  for (const db of dbs) await dropDatabase(db);
  assert.deepEqual(seen.slice().sort(), ["success A:A", "success B:B", "upgradeneeded A:A", "upgradeneeded B:B"]);
});

test("indexedDB.open() on* handlers set in another context run in the context of open()", async () => {
  const seen = [];
  const request = flow.run("A", () => indexedDB.open(dbName("handlers"), 1));
  const done = deferred();
  flow.run("listeners", () => {
    request.onupgradeneeded = () => seen.push(`upgradeneeded:${flow.get()}`);
    request.onsuccess = () => {
      seen.push(`success:${flow.get()}`);
      done.resolve(request.result);
    };
  });
  await dropDatabase(await done.promise);
  assert.deepEqual(seen, ["upgradeneeded:A", "success:A"]);
});

test("the versionchange transaction's complete event runs in the context of indexedDB.open()", async () => {
  const seen = [];
  const request = flow.run("A", () => indexedDB.open(dbName("upgrade-complete"), 1));
  request.addEventListener("upgradeneeded", () => {
    request.result.createObjectStore("items");
    listen(request.transaction, "complete", seen, "complete");
  });
  const db = await new Promise((resolve) => request.addEventListener("success", () => resolve(request.result)));
  await dropDatabase(db);
  assert.deepEqual(seen, ["complete:A"]);
});

test("indexedDB.deleteDatabase() runs its success listener in the context of deleteDatabase()", async () => {
  const a = await freshDatabase("delete-a");
  const b = await freshDatabase("delete-b");
  a.close();
  b.close();
  const seen = [];
  const done = [];
  for (const [name, db] of [["A", a], ["B", b]]) {
    const request = flow.run(name, () => indexedDB.deleteDatabase(db.name));
    listen(request, "success", seen, name);
    done.push(new Promise((resolve) => request.addEventListener("success", resolve)));
  }
  await Promise.all(done);
  assert.deepEqual(seen.slice().sort(), ["A:A", "B:B"]);
});

test("store.put() runs its request's success listeners in the context of put(), two flows interleaved", async () => {
  const seen = await requestsInTwoFlows((store, name) => store.put({ id: `${name}-${Math.random()}`, tag: name }));
  assert.deepEqual(seen, ["A:A", "B:B", "A:A", "B:B"]);
});

test("store.add() runs its request's success listeners in the context of add()", async () => {
  const seen = await requestsInTwoFlows((store, name) => store.add({ id: `${name}-${Math.random()}`, tag: name }));
  assert.deepEqual(seen, ["A:A", "B:B", "A:A", "B:B"]);
});

test("store.get() runs its request's success listeners in the context of get()", async () => {
  const seen = await requestsInTwoFlows((store) => store.get(1));
  assert.deepEqual(seen, ["A:A", "B:B", "A:A", "B:B"]);
});

test("store.getAll() runs its request's success listeners in the context of getAll()", async () => {
  const seen = await requestsInTwoFlows((store) => store.getAll());
  assert.deepEqual(seen, ["A:A", "B:B", "A:A", "B:B"]);
});

test("store.count() runs its request's success listeners in the context of count()", async () => {
  const seen = await requestsInTwoFlows((store) => store.count());
  assert.deepEqual(seen, ["A:A", "B:B", "A:A", "B:B"]);
});

test("store.getKey(), getAllKeys(), delete() and clear() run their success listeners in the context of the call", async () => {
  const calls = [(s) => s.getKey(1), (s) => s.getAllKeys(), (s) => s.delete(2), (s) => s.clear()];
  let i = 0;
  const seen = await requestsInTwoFlows((store) => calls[i++](store));
  assert.deepEqual(seen, ["A:A", "B:B", "A:A", "B:B"]);
});

test("index requests run their success listeners in the context of the call", async () => {
  const calls = [(s) => s.index("tag").get("a"), (s) => s.index("tag").getAll("b"), (s) => s.index("tag").count(), (s) => s.index("tag").getAllKeys()];
  let i = 0;
  const seen = await requestsInTwoFlows((store) => calls[i++](store));
  assert.deepEqual(seen, ["A:A", "B:B", "A:A", "B:B"]);
});

test("a request made in the empty context runs listeners added inside run in the empty context", async () => {
  const db = await freshDatabase("empty", ROWS);
  try {
    const tx = db.transaction("items");
    const seen = [];
    listen(tx.objectStore("items").get(1), "success", seen, "get");
    await completion(tx);
    assert.deepEqual(seen, ["get:empty"]);
  } finally {
    await dropDatabase(db);
  }
});

test("a failing request runs its error listeners in the context of the call, and the error bubbles to the transaction in that context", async () => {
  const db = await freshDatabase("error", ROWS);
  try {
    const tx = flow.run("transaction", () => db.transaction("items", "readwrite"));
    const store = tx.objectStore("items");
    const seen = [];
    const failing = [];
    for (const name of ["A", "B"]) {
      const request = flow.run(name, () => store.add({ id: 1, tag: "duplicate" }));
      failing.push(request);
      listen(request, "error", seen, `request ${name}`);
      request.addEventListener("error", (event) => event.preventDefault()); // keep the transaction alive
    }
    flow.run("listeners", () => tx.addEventListener("error", (event) => seen.push(`transaction saw ${event.target === failing[0] ? "A" : "B"}:${flow.get()}`)));
    await completion(tx);
    assert.deepEqual(seen, ["request A:A", "transaction saw A:A", "request B:B", "transaction saw B:B"]);
  } finally {
    await dropDatabase(db);
  }
});

test("cursor.continue() re-arms the cursor's request in the context of the continue() call", async () => {
  const db = await freshDatabase("cursor", ROWS);
  try {
    const tx = db.transaction("items");
    const seen = [];
    const request = flow.run("openCursor", () => tx.objectStore("items").openCursor());
    let step = 0;
    flow.run("listeners", () =>
      request.addEventListener("success", () => {
        seen.push(flow.get());
        const cursor = request.result;
        if (cursor) flow.run(`continue ${++step}`, () => cursor.continue());
      }),
    );
    await completion(tx);
    assert.deepEqual(seen, ["openCursor", "continue 1", "continue 2", "continue 3", "continue 4"]);
  } finally {
    await dropDatabase(db);
  }
});

test("two interleaved cursors each see their own openCursor() context at every step", async () => {
  const db = await freshDatabase("cursors", ROWS);
  try {
    const tx = db.transaction("items");
    const store = tx.objectStore("items");
    const seen = { A: [], B: [] };
    for (const name of ["A", "B"]) {
      const request = flow.run(name, () => (name === "A" ? store.openCursor() : store.index("tag").openCursor(null, "prev")));
      flow.run("listeners", () =>
        request.addEventListener("success", () => {
          seen[name].push(flow.get());
          if (request.result) request.result.continue();
        }),
      );
    }
    await completion(tx);
    assert.deepEqual(seen, { A: ["A", "A", "A", "A", "A"], B: ["B", "B", "B", "B", "B"] });
  } finally {
    await dropDatabase(db);
  }
});

test("cursor.advance() re-arms the cursor's request in the context of the advance() call", async () => {
  const db = await freshDatabase("advance", ROWS);
  try {
    const tx = db.transaction("items");
    const seen = [];
    const request = flow.run("openKeyCursor", () => tx.objectStore("items").openKeyCursor());
    flow.run("listeners", () =>
      request.addEventListener("success", () => {
        seen.push(flow.get());
        if (request.result) flow.run("advance", () => request.result.advance(2));
      }),
    );
    await completion(tx);
    assert.deepEqual(seen, ["openKeyCursor", "advance", "advance"]);
  } finally {
    await dropDatabase(db);
  }
});

test("cursor.update() runs its request's success listener in the context of update()", async () => {
  const db = await freshDatabase("update", ROWS);
  try {
    const tx = db.transaction("items", "readwrite");
    const seen = [];
    const request = flow.run("openCursor", () => tx.objectStore("items").openCursor());
    request.addEventListener("success", () => {
      const cursor = request.result;
      if (!cursor) return;
      if (cursor.key === 1) listen(flow.run("update", () => cursor.update({ ...cursor.value, tag: "c" })), "success", seen, "update");
    });
    await completion(tx);
    assert.deepEqual(seen, ["update:update"]);
  } finally {
    await dropDatabase(db);
  }
});

test("transaction complete listeners run in the context of db.transaction(), two transactions interleaved", async () => {
  const db = await freshDatabase("complete", ROWS);
  try {
    const seen = [];
    const done = [];
    for (const name of ["A", "B"]) {
      const tx = flow.run(name, () => db.transaction("items", "readwrite"));
      flow.run("requests", () => tx.objectStore("items").put({ id: name, tag: name }));
      listen(tx, "complete", seen, name);
      flow.run("listeners", () => {
        tx.oncomplete = () => seen.push(`handler ${name}:${flow.get()}`);
      });
      done.push(completion(tx));
    }
    await Promise.all(done);
    assert.deepEqual(seen, ["A:A", "handler A:A", "B:B", "handler B:B"]);
  } finally {
    await dropDatabase(db);
  }
});

test("a transaction's abort listeners run in the context of db.transaction(), even when abort() is called in another context", async () => {
  const db = await freshDatabase("abort", ROWS);
  try {
    const seen = [];
    const done = [];
    for (const name of ["A", "B"]) {
      const tx = flow.run(name, () => db.transaction("items", "readwrite"));
      tx.objectStore("items").put({ id: name, tag: name });
      listen(tx, "abort", seen, name);
      done.push(new Promise((resolve) => tx.addEventListener("abort", resolve)));
      flow.run("aborter", () => tx.abort());
    }
    await Promise.all(done);
    assert.deepEqual(seen, ["A:A", "B:B"]);
  } finally {
    await dropDatabase(db);
  }
});

test("a transaction aborted by a failing request runs its abort listener in the context of db.transaction()", async () => {
  const db = await freshDatabase("abort-by-error", ROWS);
  try {
    const seen = [];
    const tx = flow.run("transaction", () => db.transaction("items", "readwrite"));
    flow.run("request", () => tx.objectStore("items").add({ id: 1, tag: "duplicate" }));
    listen(tx, "abort", seen, "abort");
    await new Promise((resolve) => tx.addEventListener("abort", resolve));
    assert.deepEqual(seen, ["abort:transaction"]);
  } finally {
    await dropDatabase(db);
  }
});
