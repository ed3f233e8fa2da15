// Generators and for await after the transform.
import { test, assert } from "../harness.js";
import { variantOf, later, afterTurns } from "./exec-common.js";

const { context, contexts } = variantOf(import.meta.url);
const v = new AsyncContext.Variable({ name: "exec" });

test("a generator runs in the context of its creation on every resumption, whoever calls next()", () => {
  function* counter(limit) {
    for (let i = 0; i < limit; i++) yield [i, v.get()];
    return ["done", v.get()];
  }
  const a = v.run("created A", () => counter(2));
  const b = v.run("created B", () => counter(2));
  const steps = [
    v.run("x", () => a.next()),
    v.run("y", () => b.next()),
    v.run("z", () => a.next()),
    b.next(),
    v.run("x", () => a.next()),
    v.run("y", () => b.next()),
  ];
  assert.deepEqual(
    steps.map((s) => [s.value[0], s.done]),
    [[0, false], [0, false], [1, false], [1, false], ["done", true], ["done", true]],
  );
  contexts(
    steps.map((s) => s.value[1]),
    ["created A", "created B", "created A", "created B", "created A", "created B"],
  );
});

test("the caller of next() continues in its own context after each yield and after completion", () => {
  function* gen() {
    yield 1;
    yield 2;
  }
  const g = v.run("creator", () => gen());
  const seen = [];
  v.run("caller", () => {
    g.next();
    seen.push(v.get());
    g.next();
    seen.push(v.get());
    g.next();
    seen.push(v.get());
  });
  seen.push(v.get());
  assert.deepEqual(seen, ["caller", "caller", "caller", undefined]);
});

test("a value sent with next(), throw() into a catch and return() through a finally are seen in the creation context", () => {
  const seen = [];
  function* gen() {
    try {
      const got = yield "first";
      seen.push(["got", got, v.get()]);
      yield "second";
    } catch (error) {
      seen.push(["caught", error.message, v.get()]);
      try {
        yield "third";
      } finally {
        seen.push(["finally", v.get()]);
      }
    }
  }
  const g = v.run("creation", () => gen());
  const results = v.run("caller", () => [
    g.next().value,
    g.next("sent").value,
    g.throw(new Error("thrown")).value,
    g.return("returned"),
  ]);
  assert.deepEqual(results, ["first", "second", "third", { value: "returned", done: true }]);
  assert.deepEqual(seen.map((s) => s.slice(0, -1)), [["got", "sent"], ["caught", "thrown"], ["finally"]]);
  contexts(seen.map((s) => s.at(-1)), ["creation", "creation", "creation"]);
});

test("yield* delegation: each generator keeps its own creation context", () => {
  function* inner() {
    yield ["inner", v.get()];
    return "inner result";
  }
  function* outer(child) {
    yield ["outer", v.get()];
    const result = yield* child;
    yield [result, v.get()];
  }
  const child = v.run("child", () => inner());
  const parent = v.run("parent", () => outer(child));
  const values = v.run("caller", () => [...parent]);
  assert.deepEqual(values.map((x) => x[0]), ["outer", "inner", "inner result"]);
  contexts(values.map((x) => x[1]), ["parent", "child", "parent"]);
});

test("an async generator consumed with for await in another context: each side sees its own, in two interleaved flows", async () => {
  async function* produce(tag, ms) {
    for (let i = 0; i < 3; i++) {
      await later(ms);
      yield [`${tag}${i}`, v.get()];
    }
  }
  async function consume(source) {
    const seen = [];
    for await (const [value, producerContext] of source) {
      seen.push([value, producerContext, v.get()]);
      await later(1);
      seen.push(["after", v.get()]);
    }
    seen.push(["end", v.get()]);
    return seen;
  }
  const [a, b] = await Promise.all([
    v.run("consumer A", () => consume(v.run("producer A", () => produce("a", 2)))),
    v.run("consumer B", () => consume(v.run("producer B", () => produce("b", 1)))),
  ]);
  assert.deepEqual(a.filter((x) => x.length === 3).map((x) => x[0]), ["a0", "a1", "a2"]);
  assert.deepEqual(b.filter((x) => x.length === 3).map((x) => x[0]), ["b0", "b1", "b2"]);
  contexts(a.map((x) => x.slice(1)), [
    ["producer A", "consumer A"], ["consumer A"],
    ["producer A", "consumer A"], ["consumer A"],
    ["producer A", "consumer A"], ["consumer A"],
    ["consumer A"],
  ]);
  contexts(b.map((x) => x.slice(1)), [
    ["producer B", "consumer B"], ["consumer B"],
    ["producer B", "consumer B"], ["consumer B"],
    ["producer B", "consumer B"], ["consumer B"],
    ["consumer B"],
  ]);
});

test("for await over a sync iterable of promises keeps the context and the values", async () => {
  const seen = await v.run("loop", async () => {
    const out = [];
    for await (const x of [afterTurns(2, "p"), "plain", later(1, "timer")]) out.push([x, v.get()]);
    out.push(["end", v.get()]);
    return out;
  });
  assert.deepEqual(seen.map((x) => x[0]), ["p", "plain", "timer", "end"]);
  contexts(seen.map((x) => x[1]), ["loop", "loop", "loop", "loop"]);
});

test("breaking out of for await closes the iterator and the code after the loop keeps the context", async () => {
  const events = [];
  async function* source() {
    try {
      yield 1;
      yield 2;
    } finally {
      await later(1);
      events.push(["closed", v.get()]);
    }
  }
  const after = await v.run("loop", async () => {
    const gen = v.run("source", () => source());
    outer: {
      for await (const x of gen) {
        events.push(["got", x, v.get()]);
        break outer;
      }
    }
    return v.get();
  });
  assert.deepEqual(events.map((e) => e.slice(0, -1)), [["got", 1], ["closed"]]);
  contexts([...events.map((e) => e.at(-1)), after], ["loop", "source", "loop"]);
});

test("an error thrown by the iterated async generator reaches the loop's catch in the loop's context", async () => {
  async function* failing() {
    yield 1;
    await later(1);
    throw new URIError("broken");
  }
  const seen = await v.run("loop", async () => {
    const out = [];
    try {
      for await (const x of v.run("gen", () => failing())) out.push(x);
    } catch (error) {
      out.push(error.name, v.get());
    }
    return out;
  });
  assert.deepEqual(seen.slice(0, 2), [1, "URIError"]);
  context(seen[2], "loop");
});

test("async generator methods of classes keep the creation context across awaits and yields", async () => {
  class Feed {
    async *items() {
      yield v.get();
      await later(1);
      yield v.get();
    }
  }
  const feed = new Feed();
  const it = v.run("created", () => feed.items());
  const first = await v.run("first", () => it.next());
  const second = await v.run("second", () => it.next());
  const last = await it.next();
  assert.deepEqual([first.done, second.done, last.done], [false, false, true]);
  contexts([first.value, second.value], ["created", "created"]);
});

test("known limitation: a generator with a rest parameter takes the context of its first next() call", () => {
  function* rest(...items) {
    yield [items.length, v.get()];
  }
  const g = v.run("created", () => rest(1, 2));
  const { value } = v.run("first next", () => g.next());
  assert.equal(value[0], 2);
  context(value[1], "first next");
});

test("an async generator's finally after `return x` (which awaits x) runs in the generator's context, in two interleaved flows", async () => {
  async function* returning(ms, seen) {
    try {
      yield 1;
      return later(ms, "r");
    } finally {
      seen.push(v.get());
    }
  }
  const seenA = [];
  const seenB = [];
  const a = v.run("A", () => returning(3, seenA));
  const b = v.run("B", () => returning(1, seenB));
  const steps = await v.run("resumer", () => Promise.all([a.next(), b.next()]));
  const ends = await v.run("resumer", () => Promise.all([a.next(), b.next()]));
  assert.deepEqual(steps.map((s) => s.value), [1, 1]);
  assert.deepEqual(ends, [{ value: "r", done: true }, { value: "r", done: true }]);
  assert.equal(seenA.length + seenB.length, 2);
  contexts([seenA[0], seenB[0]], ["A", "B"]);
});
