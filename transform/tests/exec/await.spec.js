// Async functions after the transform: the context survives every await; nothing else changes.
import { test, assert, sleep } from "../harness.js";
import { variantOf, later, failLater, ticker, fromPlatformTask, afterTurns } from "./exec-common.js";

const { transformed, context, contexts } = variantOf(import.meta.url);
const v = new AsyncContext.Variable({ name: "exec" });

// Top-level await in this module (the module is evaluated in the empty context).
const topLevel = [v.get()];
await sleep(1);
topLevel.push(v.get());
for await (const x of [later(1, "a"), "b"]) topLevel.push(x, v.get());
topLevel.push(v.get());

test("top-level await resumes the module in its own (empty) context and keeps values and order", () => {
  assert.deepEqual(topLevel, [undefined, undefined, "a", undefined, "b", undefined, undefined]);
});

/** Awaits in many expression positions; `seen` gets v.get() right after each resumption. */
async function positions(ms, seen) {
  const look = (value) => {
    seen.push(v.get());
    return value;
  };
  const out = [];
  out.push(look(await later(ms, 1)));
  out.push(look((await later(ms, 2)) + (await later(ms, 3))));
  out.push(look(`${await later(ms, "t")}-${await later(ms, "u")}`));
  const { a = look(await later(ms, 4)), [look(await later(ms, "k"))]: b } = { k: 5 };
  out.push(a, b);
  out.push(look((await later(ms, true)) ? await later(ms, "yes") : "no"));
  out.push(look([await later(ms, 6), { n: await later(ms, 7) }]));
  out.push(look(await await later(ms, 8)));
  let i = 0;
  while (look(await later(ms, i < 2))) i++;
  for (let j = await later(ms, 0); j < (await later(ms, 2)); j += await later(ms, 1)) look(j);
  switch (look(await later(ms, "x"))) {
    case await later(ms, "x"):
      out.push(look("case"));
  }
  for (const w of await later(ms, [9, 10])) out.push(look(w));
  return look(out);
}

test("an async function sees its own context after awaits in every expression position, in two interleaved flows", async () => {
  const seenA = [];
  const seenB = [];
  const [a, b] = await Promise.all([v.run("A", () => positions(3, seenA)), v.run("B", () => positions(2, seenB))]);
  const expected = [1, 5, "t-u", 4, 5, "yes", [6, { n: 7 }], 8, "case", 9, 10];
  assert.deepEqual(a, expected);
  assert.deepEqual(b, expected);
  assert.equal(seenA.length, 18);
  assert.equal(seenB.length, 18);
  contexts(seenA, Array(18).fill("A"));
  contexts(seenB, Array(18).fill("B"));
});

test("native await's continuation sees the function's context only when transformed", async () => {
  const after = await v.run("A", async () => {
    await later(1);
    return v.get();
  });
  assert.equal(after, transformed ? "A" : undefined);
});

test("code that runs while an async function is suspended does not see that function's context", async () => {
  const outside = [];
  const flow = v.run("A", async () => {
    for (let i = 0; i < 4; i++) await later(2);
  });
  for (let i = 0; i < 4; i++) outside.push(await fromPlatformTask(() => v.get()));
  await flow;
  outside.push(await fromPlatformTask(() => v.get()));
  assert.deepEqual(outside, [undefined, undefined, undefined, undefined, undefined]);
  assert.equal(v.get(), undefined);
});

test("a rejected await resumes in the function's context in catch and finally, in two interleaved flows", async () => {
  async function flow(ms) {
    const seen = [];
    try {
      await failLater(ms, new RangeError("no"));
      seen.push("not reached");
    } catch (error) {
      seen.push(error.message, v.get());
      await later(ms);
      seen.push(v.get());
    } finally {
      seen.push(v.get());
    }
    try {
      await later(ms);
    } finally {
      seen.push(v.get());
    }
    return seen;
  }
  const [a, b] = await Promise.all([v.run("A", () => flow(2)), v.run("B", () => flow(1))]);
  assert.equal(a[0], "no");
  assert.equal(b[0], "no");
  assert.equal(a.length, 5);
  contexts(a, ["no", "A", "A", "A", "A"]);
  contexts(b, ["no", "B", "B", "B", "B"]);
});

test("an error thrown after an await rejects the call with that error and the caller keeps its context", async () => {
  const boom = new TypeError("boom");
  async function thrower() {
    await later(1);
    throw boom;
  }
  const seen = await v.run("caller", async () => {
    try {
      await v.run("callee", thrower);
      return ["fulfilled"];
    } catch (error) {
      return [error === boom, v.get()];
    }
  });
  assert.equal(seen[0], true);
  context(seen[1], "caller");
  assert.equal(v.get(), undefined);
});

test("run inside an async function: awaits inside see the inner value and the outer value comes back after run", async () => {
  const seen = [];
  await v.run("outer", async () => {
    await later(1);
    seen.push(v.get());
    const inner = v.run("inner", async () => {
      await later(2);
      seen.push(v.get());
      await later(1);
      seen.push(v.get());
      return "done";
    });
    seen.push(v.get());
    seen.push(await inner);
    seen.push(v.get());
  });
  assert.equal(seen[4], "done");
  contexts(seen, ["outer", "outer", "inner", "inner", "done", "outer"]);
});

test("async arrows with expression and block bodies keep their context", async () => {
  const concise = async (ms) => [await later(ms, "x"), v.get()];
  const block = async (ms) => {
    await later(ms);
    return v.get();
  };
  const [a, b, c, d] = await Promise.all([
    v.run("A", () => concise(2)),
    v.run("B", () => concise(1)),
    v.run("C", () => block(2)),
    v.run("D", () => block(1)),
  ]);
  assert.equal(a[0], "x");
  contexts([a[1], b[1], c, d], ["A", "B", "C", "D"]);
});

test("async methods of classes and objects (static, private, computed) keep their context", async () => {
  const key = "computed";
  class Service {
    async method(ms) {
      await later(ms);
      return [v.get(), this instanceof Service];
    }
    static async make(ms) {
      await later(ms);
      return v.get();
    }
    async #hidden(ms) {
      await later(ms);
      return v.get();
    }
    callHidden(ms) {
      return this.#hidden(ms);
    }
  }
  const object = {
    async [key](ms) {
      await later(ms);
      return [v.get(), this === object];
    },
  };
  const s = new Service();
  const results = await Promise.all([
    v.run("m", () => s.method(2)),
    v.run("s", () => Service.make(1)),
    v.run("p", () => s.callHidden(3)),
    v.run("o", () => object.computed(1)),
  ]);
  assert.equal(results[0][1], true);
  assert.equal(results[3][1], true);
  contexts([results[0][0], results[1], results[2], results[3][0]], ["m", "s", "p", "o"]);
});

test("return values, thrown errors and the order of side effects are unchanged", async () => {
  const log = [];
  async function work(n) {
    log.push(`start ${n}`);
    const x = await afterTurns(n, n * 10);
    log.push(`after ${n}`);
    if (n === 2) throw new SyntaxError(`bad ${n}`);
    try {
      await afterTurns(1, undefined, new Error(`inner ${n}`));
    } catch (error) {
      log.push(`caught ${error.message}`);
    } finally {
      log.push(`finally ${n}`);
    }
    return x + 1;
  }
  const settled = await Promise.allSettled([work(1), work(2), work(3)]);
  assert.deepEqual(
    settled.map((s) => (s.status === "fulfilled" ? s.value : `${s.reason.name}: ${s.reason.message}`)),
    [11, "SyntaxError: bad 2", 31],
  );
  assert.deepEqual(log, [
    "start 1",
    "start 2",
    "start 3",
    "after 1",
    "after 2",
    "caught inner 1",
    "finally 1",
    "after 3",
    "caught inner 3",
    "finally 3",
  ]);
});

test("awaits take the same number of microtask turns as without the transform", async () => {
  const log = [];
  async function steps() {
    log.push("s0");
    await undefined;
    log.push("s1");
    await Promise.resolve();
    log.push("s2");
    await { then: (resolve) => resolve() };
    log.push("s3");
    try {
      await Promise.reject(new Error("r"));
    } catch {
      log.push("s4");
    }
    return "end";
  }
  ticker(log, 8);
  const result = await steps();
  log.push(result);
  await sleep(0);
  assert.deepEqual(log, ["s0", "t0", "s1", "t1", "s2", "t2", "t3", "s3", "t4", "s4", "t5", "end", "t6", "t7"]);
});

test("an error created after an await reports the line it has in the original source", async () => {
  const error = await v.run("A", async () => {
    await later(1);
    return new Error("where"); // LINE-MARKER
  });
  const original = await (await fetch(new URL(import.meta.url).href.replace("/transform-", "/plain-"))).text();
  const expectedLine = original.split("\n").findIndex((line) => line.includes("// LINE" + "-MARKER")) + 1;
  const file = new URL(import.meta.url).pathname.split("/").pop();
  const frame = error.stack.split("\n").find((line) => line.includes(file));
  assert.ok(frame, error.stack);
  assert.equal(Number(/:(\d+):\d+\)?$/.exec(frame)[1]), expectedLine, frame);
});
