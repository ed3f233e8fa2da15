// Streams: the page's underlying source / sink / transformer methods run in
//   start                        the construction context;
//   pull, cancel (source)        the latest causing call on the readable stream (read(), cancel(),
//                                pipeTo(), pipeThrough(), tee(), iteration), else construction;
//   write (sink), transform      the write() that supplied the chunk, else the latest causing call
//                                on the writable stream (pipeTo/pipeThrough), else construction;
//   close, abort (sink), flush   the latest close()/abort()/pipe call on the writable stream.
// (js-shim/patches/streams.js lists every causing call.) The page's objects are not modified,
// their methods see them as `this`, and the constructors stay subclassable and native-looking.
//
// Observations are recorded inside the callbacks and asserted at the end.

import { test, assert, sleep, collectGarbage, liveNodes, liveSlots, showCounts, stableCounts, countsReturningTo, withNativeWindow, skip, requireFunction } from "../harness.js";

const newVariable = (name) => new AsyncContext.Variable({ name, defaultValue: "empty" });

function deferred() {
  let resolve;
  const promise = new Promise((r) => { resolve = r; });
  return { promise, resolve };
}

async function until(predicate) {
  while (!predicate()) await sleep(10);
}

async function readAll(reader) {
  const chunks = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return chunks;
    chunks.push(value);
  }
}

function thrownBy(fn) {
  try {
    fn();
  } catch (error) {
    return { name: error.constructor.name, message: error.message };
  }
  return { name: "nothing thrown" };
}

// ---------------------------------------------------------------------------
// ReadableStream

test("underlying source start runs in the context of the ReadableStream construction", () => {
  const v = newVariable("v");
  const seen = [];
  v.run("a", () => new ReadableStream({ start: () => seen.push(["a", v.get()]) }));
  v.run("b", () => new ReadableStream({ start: () => seen.push(["b", v.get()]) }));
  assert.deepEqual(seen, [["a", "a"], ["b", "b"]]);
});

test("pull runs in the context of the read() that caused it, also when the read came before start finished", async () => {
  const v = newVariable("v");
  const seen = [];
  const started = deferred();
  const open = (flow) =>
    v.run(`${flow} construction`, () =>
      new ReadableStream({
        start: () => started.promise,
        pull(controller) {
          seen.push([flow, v.get()]);
          controller.enqueue(flow);
        },
      }, { highWaterMark: 0 }),
    );
  const a = open("a").getReader();
  const b = open("b").getReader();
  const reads = [v.run("a read", () => a.read()), v.run("b read", () => b.read())];
  started.resolve();
  await Promise.all(reads);
  seen.sort();
  assert.deepEqual(seen, [["a", "a read"], ["b", "b read"]]);
});

test("pull that no read caused runs in the context of the ReadableStream construction", async () => {
  const v = newVariable("v");
  const seen = [];
  const done = deferred();
  for (const flow of ["a", "b"]) {
    v.run(flow, () =>
      new ReadableStream({
        pull(controller) {
          seen.push([flow, v.get()]);
          controller.enqueue(1);
          if (seen.length === 2) done.resolve();
        },
      }, { highWaterMark: 1 }),
    );
  }
  await done.promise;
  seen.sort();
  assert.deepEqual(seen, [["a", "a"], ["b", "b"]]);
});

test("each later pull runs in the context of the read() that caused it", async () => {
  const v = newVariable("v");
  const seen = [];
  let n = 0;
  const reader = v.run("construction", () =>
    new ReadableStream({
      async pull(controller) {
        seen.push(v.get());
        await sleep(1);
        controller.enqueue(n++);
      },
    }, { highWaterMark: 0 }),
  ).getReader();
  await v.run("read 1", () => reader.read());
  await v.run("read 2", () => reader.read());
  await v.run("read 3", () => reader.read());
  assert.deepEqual(seen, ["read 1", "read 2", "read 3"]);
});

test("source cancel runs in the context of reader.cancel() and of stream.cancel()", async () => {
  const v = newVariable("v");
  const seen = [];
  const open = (flow) => v.run("construction", () => new ReadableStream({ cancel: (reason) => { seen.push([flow, reason, v.get()]); } }));
  const first = open("reader").getReader();
  const second = open("stream");
  await Promise.all([v.run("a", () => first.cancel("r1")), v.run("b", () => second.cancel("r2"))]);
  assert.deepEqual(seen, [["reader", "r1", "a"], ["stream", "r2", "b"]]);
});

test("the underlying source's methods are called with the page's object as this, and the object is not modified", async () => {
  const v = newVariable("v");
  const thisValues = [];
  const source = {
    start() { thisValues.push(this); },
    pull(controller) { thisValues.push(this); controller.enqueue(1); },
    cancel() { thisValues.push(this); },
  };
  const before = Object.getOwnPropertyDescriptors(source);
  const reader = v.run("a", () => new ReadableStream(source, { highWaterMark: 0 })).getReader();
  await v.run("b", () => reader.read());
  await v.run("c", () => reader.cancel());
  assert.equal(thisValues.length, 3);
  assert.ok(thisValues.every((self) => self === source), "this is the page's source object");
  assert.deepEqual(Object.getOwnPropertyDescriptors(source), before, "source object unchanged");
});

test("underlying sink and transformer methods are called with the page's object as this", async () => {
  const v = newVariable("v");
  const thisValues = [];
  class Sink {
    start() { thisValues.push(["sink start", this]); }
    write() { thisValues.push(["sink write", this]); }
    close() { thisValues.push(["sink close", this]); }
  }
  class Transformer {
    start() { thisValues.push(["transformer start", this]); }
    transform(chunk, controller) { thisValues.push(["transformer transform", this]); controller.enqueue(chunk); }
    flush() { thisValues.push(["transformer flush", this]); }
  }
  const sink = new Sink();
  const transformer = new Transformer();
  const writer = v.run("a", () => new WritableStream(sink)).getWriter();
  const transform = v.run("a", () => new TransformStream(transformer));
  await v.run("b", () => writer.write(1));
  await v.run("b", () => writer.close());
  const transformWriter = transform.writable.getWriter();
  const drained = readAll(transform.readable.getReader());
  await v.run("b", () => transformWriter.write(1));
  await v.run("b", () => transformWriter.close());
  await drained;
  assert.deepEqual(thisValues.map(([what]) => what), [
    "sink start", "transformer start", "sink write", "sink close", "transformer transform", "transformer flush",
  ]);
  for (const [what, self] of thisValues) {
    assert.ok(self === (what.startsWith("sink") ? sink : transformer), `${what}: this is the page's object`);
  }
});

test("each member of an underlying source, sink and transformer is read once, in the native order", async () => {
  const v = newVariable("v");
  const members = {
    ReadableStream: ["start", "pull", "cancel", "type", "autoAllocateChunkSize"],
    WritableStream: ["start", "write", "close", "abort", "type"],
    TransformStream: ["start", "transform", "flush", "cancel", "readableType", "writableType"],
  };
  const reads = (win, name) => {
    const log = [];
    const object = {};
    for (const key of members[name]) {
      Object.defineProperty(object, key, {
        get() {
          log.push(key);
          return key === "type" || key.endsWith("Type") || key === "autoAllocateChunkSize" ? undefined : () => {};
        },
      });
    }
    // Engines may reject such an object (WebKit throws a RangeError for a "type" member even when it is
    // undefined): then the polyfilled constructor must throw the same, after the same reads.
    try {
      new win[name](object);
    } catch (error) {
      log.push(`threw ${error.name}`);
    }
    return log;
  };
  await withNativeWindow((native) => {
    for (const name of Object.keys(members)) {
      assert.deepEqual(v.run("a", () => reads(window, name)), reads(native, name), name);
    }
  });
});

/** Skips the running test where the browser has no readable byte streams (WebKitGTK 2.50). */
function requireByteStreams() {
  try {
    new ReadableStream({ type: "bytes" });
  } catch {
    skip("readable byte streams are not implemented in this browser");
  }
}

test("pull of a byte stream runs in the context of the BYOB reader's read()", async () => {
  requireByteStreams();
  const v = newVariable("v");
  const seen = [];
  const started = deferred();
  const reader = v.run("construction", () =>
    new ReadableStream({
      type: "bytes",
      start: () => started.promise,
      pull(controller) {
        seen.push(v.get());
        controller.byobRequest.view[0] = 7;
        controller.byobRequest.respond(1);
      },
    }),
  ).getReader({ mode: "byob" });
  const read = v.run("byob read", () => reader.read(new Uint8Array(4)));
  started.resolve();
  const { value } = await read;
  assert.deepEqual(seen, ["byob read"]);
  assert.equal(value[0], 7);
});

test("pull runs in the context of a read() on a reader made with the ReadableStreamDefaultReader constructor", async () => {
  const v = newVariable("v");
  const seen = [];
  const started = deferred();
  const stream = v.run("construction", () =>
    new ReadableStream({ start: () => started.promise, pull: (c) => { seen.push(v.get()); c.enqueue(1); } }, { highWaterMark: 0 }),
  );
  const reader = new ReadableStreamDefaultReader(stream);
  const read = v.run("read", () => reader.read());
  started.resolve();
  await read;
  assert.deepEqual(seen, ["read"]);
});

test("pull runs in the context of the async iterator's next() and cancel in the context of its return()", async () => {
  requireFunction("ReadableStream.prototype.values");
  const v = newVariable("v");
  const seen = [];
  const started = deferred();
  const stream = v.run("construction", () =>
    new ReadableStream({
      start: () => started.promise,
      pull: (c) => { seen.push(["pull", v.get()]); c.enqueue(1); },
      cancel: () => { seen.push(["cancel", v.get()]); },
    }, { highWaterMark: 0 }),
  );
  const iterator = v.run("values", () => stream[Symbol.asyncIterator]());
  const next = v.run("next", () => iterator.next());
  started.resolve();
  await next;
  await v.run("return", () => iterator.return());
  assert.deepEqual(seen, [["pull", "next"], ["cancel", "return"]]);
});

test("pull runs in the context of a read() on a tee() branch", async () => {
  const v = newVariable("v");
  const seen = [];
  const started = deferred();
  const stream = v.run("construction", () =>
    new ReadableStream({ start: () => started.promise, pull: (c) => { seen.push(v.get()); c.enqueue(1); } }, { highWaterMark: 0 }),
  );
  const [left] = v.run("tee", () => stream.tee());
  const read = v.run("branch read", () => left.getReader().read());
  started.resolve();
  await read;
  // the branch's queue may ask for one more chunk: that pull has the same latest cause
  assert.ok(seen.length > 0, "pulled");
  assert.deepEqual(seen, seen.map(() => "branch read"));
});

test("a released reader causes nothing: the next reader's read() is the cause", async () => {
  const v = newVariable("v");
  const seen = [];
  const started = deferred();
  const stream = v.run("construction", () =>
    new ReadableStream({ start: () => started.promise, pull: (c) => { seen.push(v.get()); c.enqueue(1); } }, { highWaterMark: 0 }),
  );
  const first = stream.getReader();
  first.releaseLock();
  const second = stream.getReader();
  const read = v.run("second read", () => second.read());
  await v.run("released read", () => first.read().catch(() => {}));
  started.resolve();
  await read;
  assert.deepEqual(seen, ["second read"]);
});

// ---------------------------------------------------------------------------
// WritableStream

test("sink write runs in the context of the write() that supplied the chunk, with two flows writing in turn", async () => {
  const v = newVariable("v");
  const seen = [];
  const writer = v.run("construction", () =>
    new WritableStream({
      async write(chunk) {
        seen.push([chunk, v.get()]);
        await sleep(1); // later chunks queue up behind this one
      },
    }),
  ).getWriter();
  const writes = [
    v.run("a", () => writer.write("a1")),
    v.run("b", () => writer.write("b1")),
    v.run("a", () => writer.write("a2")),
    writer.write("empty1"),
    v.run("b", () => writer.write("b2")),
  ];
  await Promise.all(writes);
  assert.deepEqual(seen, [["a1", "a"], ["b1", "b"], ["a2", "a"], ["empty1", "empty"], ["b2", "b"]]);
});

test("sink write runs in the context of write() also when written before start finished", async () => {
  const v = newVariable("v");
  const seen = [];
  const started = deferred();
  const open = (flow) =>
    v.run(`${flow} construction`, () => new WritableStream({ start: () => started.promise, write: (chunk) => { seen.push([chunk, v.get()]); } }));
  const a = open("a").getWriter();
  const b = open("b").getWriter();
  const writes = [v.run("a write", () => a.write("a")), v.run("b write", () => b.write("b"))];
  started.resolve();
  await Promise.all(writes);
  seen.sort();
  assert.deepEqual(seen, [["a", "a write"], ["b", "b write"]]);
});

test("sink start runs in the construction context and close in the context of writer.close()", async () => {
  const v = newVariable("v");
  const seen = [];
  const writer = v.run("construction", () =>
    new WritableStream({
      start: () => { seen.push(["start", v.get()]); },
      write: () => sleep(1),
      close: () => { seen.push(["close", v.get()]); },
    }),
  ).getWriter();
  writer.write("x");
  await v.run("close", () => writer.close());
  assert.deepEqual(seen, [["start", "construction"], ["close", "close"]]);
});

test("sink abort runs in the context of writer.abort() and of stream.abort()", async () => {
  const v = newVariable("v");
  const seen = [];
  const open = (flow) => v.run("construction", () => new WritableStream({ abort: (reason) => { seen.push([flow, reason, v.get()]); } }));
  const writer = open("writer").getWriter();
  const stream = open("stream");
  await Promise.all([v.run("a", () => writer.abort("r1")), v.run("b", () => stream.abort("r2"))]);
  assert.deepEqual(seen, [["writer", "r1", "a"], ["stream", "r2", "b"]]);
});

test("sink close runs in the context of WritableStream.prototype.close()", async () => {
  const v = newVariable("v");
  let seen;
  const stream = v.run("construction", () => new WritableStream({ close: () => { seen = v.get(); } }));
  await v.run("close", () => stream.close());
  assert.equal(seen, "close");
});

test("sink write runs in the context of a write() through a writer made with the WritableStreamDefaultWriter constructor", async () => {
  const v = newVariable("v");
  const seen = [];
  const started = deferred();
  const stream = v.run("construction", () => new WritableStream({ start: () => started.promise, write: () => { seen.push(v.get()); } }));
  const writer = new WritableStreamDefaultWriter(stream);
  const write = v.run("write", () => writer.write(1));
  started.resolve();
  await write;
  assert.deepEqual(seen, ["write"]);
});

// ---------------------------------------------------------------------------
// TransformStream and pipes

test("transform runs in the context of the write() that supplied the chunk and flush in the context of close()", async () => {
  const v = newVariable("v");
  const seen = [];
  const transform = v.run("construction", () =>
    new TransformStream({
      start: () => { seen.push(["start", v.get()]); },
      async transform(chunk, controller) {
        seen.push([chunk, v.get()]);
        await sleep(1);
        controller.enqueue(chunk);
      },
      flush: () => { seen.push(["flush", v.get()]); },
    }, undefined, { highWaterMark: 10 }),
  );
  const writer = transform.writable.getWriter();
  const writes = [v.run("a", () => writer.write("a1")), v.run("b", () => writer.write("b1")), v.run("a", () => writer.write("a2"))];
  const closed = v.run("close", () => writer.close());
  await Promise.all([...writes, closed]);
  assert.deepEqual(seen, [["start", "construction"], ["a1", "a"], ["b1", "b"], ["a2", "a"], ["flush", "close"]]);
});

test("pipeTo runs the source's pull and the sink's write and close in the context of the pipeTo call", async () => {
  const v = newVariable("v");
  const seen = [];
  const pipe = (flow) => {
    let n = 0;
    const source = v.run(`${flow} source`, () =>
      new ReadableStream({
        pull(controller) {
          seen.push([flow, "pull", v.get()]);
          if (n === 2) controller.close();
          else controller.enqueue(n++);
        },
      }, { highWaterMark: 0 }),
    );
    const sink = v.run(`${flow} sink`, () =>
      new WritableStream({
        write: (chunk) => { seen.push([flow, `write ${chunk}`, v.get()]); },
        close: () => { seen.push([flow, "close", v.get()]); },
      }),
    );
    return v.run(flow, () => source.pipeTo(sink));
  };
  await Promise.all([pipe("a"), pipe("b")]);
  const expected = (flow) => seen.filter(([f]) => f === flow).map(([, what]) => [flow, what, flow]);
  assert.deepEqual(seen.filter(([f]) => f === "a"), expected("a"), "flow a");
  assert.deepEqual(seen.filter(([f]) => f === "b"), expected("b"), "flow b");
  assert.ok(seen.some(([f, what]) => f === "a" && what === "close"), "the pipe closed the sink");
});

test("pipeThrough runs the source's pull and the transform in the context of the pipeThrough call", async () => {
  const v = newVariable("v");
  const seen = [];
  const run = (flow) => {
    let n = 0;
    const source = v.run(`${flow} source`, () =>
      new ReadableStream({
        pull(controller) {
          seen.push([flow, "pull", v.get()]);
          if (n === 2) controller.close();
          else controller.enqueue(n++);
        },
      }, { highWaterMark: 0 }),
    );
    const doubler = v.run(`${flow} transform`, () =>
      new TransformStream({
        transform: (chunk, controller) => {
          seen.push([flow, "transform", v.get()]);
          controller.enqueue(chunk * 2);
        },
        flush: () => { seen.push([flow, "flush", v.get()]); },
      }),
    );
    const output = v.run(flow, () => source.pipeThrough(doubler));
    return readAll(output.getReader());
  };
  const outputs = await Promise.all([run("a"), run("b")]);
  assert.deepEqual(outputs, [[0, 2], [0, 2]]);
  for (const flow of ["a", "b"]) {
    const mine = seen.filter(([f]) => f === flow);
    assert.deepEqual(mine.map(([, , value]) => value), mine.map(() => flow), `flow ${flow}: ${JSON.stringify(mine)}`);
    assert.ok(mine.some(([, what]) => what === "flush"), `flow ${flow} flushed`);
  }
});

test("pipeThrough reads the pair's readable and writable once each, as natively", async () => {
  const v = newVariable("v");
  const reads = (win) => {
    const log = [];
    const inner = new win.TransformStream();
    const pair = {
      get readable() { log.push("readable"); return inner.readable; },
      get writable() { log.push("writable"); return inner.writable; },
    };
    const result = new win.ReadableStream().pipeThrough(pair);
    log.push(result === inner.readable ? "returns readable" : "returns something else");
    return log;
  };
  await withNativeWindow((native) => {
    assert.deepEqual(v.run("a", () => reads(window)), reads(native));
  });
});

// ---------------------------------------------------------------------------
// Subclassing and shape

test("classes extending the stream constructors construct working subclass instances", async () => {
  const v = newVariable("v");
  const seen = [];
  class Numbers extends ReadableStream {
    constructor() {
      let n = 0;
      super({ pull: (c) => { seen.push(["pull", v.get()]); c.enqueue(n++); } }, { highWaterMark: 0 });
    }
  }
  class Log extends WritableStream {
    constructor() {
      super({ write: (chunk) => { seen.push([`write ${chunk}`, v.get()]); } });
    }
  }
  class Identity extends TransformStream {}
  const numbers = v.run("construction", () => new Numbers());
  const log = v.run("construction", () => new Log());
  const identity = new Identity();
  assert.ok(numbers instanceof Numbers && numbers instanceof ReadableStream, "readable instanceof");
  assert.ok(log instanceof Log && log instanceof WritableStream, "writable instanceof");
  assert.ok(identity instanceof Identity && identity instanceof TransformStream, "transform instanceof");
  assert.deepEqual([numbers.constructor, log.constructor, identity.constructor], [Numbers, Log, Identity]);
  const { value } = await v.run("read", () => numbers.getReader().read());
  await v.run("write", () => log.getWriter().write(value));
  assert.deepEqual(seen, [["pull", "read"], ["write 0", "write"]]);
});

for (const name of ["ReadableStream", "WritableStream", "TransformStream", "ReadableStreamDefaultReader", "ReadableStreamBYOBReader", "WritableStreamDefaultWriter"]) {
  test(`${name} keeps the native name, length, prototype, constructor link and toString, and requires new`, async () => {
    requireFunction(name);
    const Ctor = globalThis[name];
    await withNativeWindow((native) => {
      const Native = native[name];
      assert.equal(Ctor.name, Native.name, "name");
      assert.equal(Ctor.length, Native.length, "length");
      // The same own keys; their order is the engine's (Firefox lists a built-in's "prototype" first,
      // which no constructor written in JS can).
      assert.deepEqual(Reflect.ownKeys(Ctor).map(String).sort(), Reflect.ownKeys(Native).map(String).sort(), "own keys");
      assert.deepEqual(
        Object.getOwnPropertyDescriptor(Ctor, "prototype"),
        { value: Ctor.prototype, writable: false, enumerable: false, configurable: false },
        "prototype descriptor",
      );
      assert.equal(Ctor.prototype.constructor, Ctor, "prototype.constructor");
      assert.equal(Function.prototype.toString.call(Ctor), native.Function.prototype.toString.call(Native), "toString");
      assert.deepEqual(thrownBy(() => Ctor()), thrownBy(() => Native()), "called without new");
    });
  });
}

test("bad underlying sources, sinks and transformers throw the native errors", async () => {
  const v = newVariable("v");
  const cases = [
    ["ReadableStream pull: 1", (w) => new w.ReadableStream({ pull: 1 })],
    ["ReadableStream type: 'nope'", (w) => new w.ReadableStream({ type: "nope" })],
    ["WritableStream write: 1", (w) => new w.WritableStream({ write: 1 })],
    ["WritableStream type: 'bytes'", (w) => new w.WritableStream({ type: "bytes" })],
    ["TransformStream transform: 1", (w) => new w.TransformStream({ transform: 1 })],
    ["TransformStream readableType: 'bytes'", (w) => new w.TransformStream({ readableType: "bytes" })],
    ["reader of a non-stream", (w) => new w.ReadableStreamDefaultReader({})],
  ];
  await withNativeWindow((native) => {
    for (const [label, make] of cases) {
      const expected = thrownBy(() => make(native));
      assert.notEqual(expected.name, "nothing thrown", `native ${label}`);
      assert.deepEqual(v.run("a", () => thrownBy(() => make(window))), expected, `${label} inside run`);
      assert.deepEqual(thrownBy(() => make(window)), expected, `${label} in the empty context`);
    }
  });
});

test("ReadableStream.prototype[Symbol.asyncIterator] is still the same function as values", () => {
  assert.equal(ReadableStream.prototype[Symbol.asyncIterator], ReadableStream.prototype.values);
});

// ---------------------------------------------------------------------------
// Memory


// Outside the async test, so that no suspended frame keeps a stream alive.
function openStreams(v, count) {
  const kept = [];
  const pending = [];
  for (let i = 0; i < count; i++) {
    v.run({ i }, () => {
      const readable = new ReadableStream({ pull: (c) => c.enqueue(i) }, { highWaterMark: 0 });
      const writable = new WritableStream({ write: () => sleep(1) });
      const transform = new TransformStream({ transform: (chunk, c) => c.enqueue(chunk) });
      const reader = readable.getReader();
      const writer = writable.getWriter();
      pending.push(reader.read(), writer.write(i), writer.write(i));
      kept.push(readable, writable, transform, reader, writer);
    });
  }
  return { release: () => kept.splice(0), settled: Promise.all(pending) };
}

test("contexts captured by streams are released once the streams are garbage", async () => {
  const v = newVariable("v");
  const baseline = await stableCounts();
  let streams = openStreams(v, 30);
  await streams.settled;
  const alive = await stableCounts();
  assert.ok(alive.nodes > baseline.nodes, `while the streams live: ${showCounts(alive)}, baseline ${showCounts(baseline)}`);
  streams.release();
  streams = null;
  const after = await countsReturningTo(baseline);
  assert.ok(after.nodes <= baseline.nodes && after.slots <= baseline.slots, `after GC: ${showCounts(after)}, baseline ${showCounts(baseline)}`);
}, { timeout: 30_000 }); // dozens of full collections: Firefox's, asked for through its driver, take longer
