// Streams (semantics.md §3, streams rows): which context the page's underlying source, sink and
// transformer methods run in.
//
// - `start` runs in the construction context (the constructor calls it synchronously).
// - Every other method runs in the context of the call that caused it, as recorded below, else in
//   the construction context (no recorded cause: the stream was only constructed, or only used
//   through consumers the shim cannot see).
//
// Calls that count as causes (the complete list):
//   readable side, "the latest cause" of the stream:
//     ReadableStream.prototype.cancel, pipeTo (this stream as source), pipeThrough (as source),
//     tee, values / [Symbol.asyncIterator]; the async iterator's next and return;
//     ReadableStreamDefaultReader.prototype.read and cancel; ReadableStreamBYOBReader.prototype.
//     read and cancel. Calls on a tee() branch count for the teed stream.
//   writable side:
//     WritableStreamDefaultWriter.prototype.write: one entry per call, in order; each chunk's
//       sink `write` / transformer `transform` runs in the context of the write() that supplied
//       it (first in, first out). Chunks written by a pipe run in the latest cause below.
//     "the latest cause": WritableStream.prototype.close and abort, WritableStreamDefaultWriter.
//       prototype.close and abort, pipeTo (this stream as destination), pipeThrough (this
//       stream as the pair's `writable`).
// Which method uses what:
//   source pull, cancel                → latest cause of the readable stream
//   sink write / transformer transform → the write() that supplied the chunk, else latest cause
//   sink close, abort / flush          → latest cause of the writable stream (or of the
//                                        TransformStream's writable side)
//   transformer cancel                 → the latest cancel()/abort()/iterator return() on either
//                                        side of the TransformStream, else the writable side's
//                                        latest cause, else the readable side's
// Readers and writers are tied to their stream by getReader/getWriter and by the reader/writer
// constructors; releaseLock unties them (a released reader or writer causes nothing).
//
// Not seen (so they leave the recorded cause as it was): bodies read by the platform
// (new Response(stream).text(), fetch() upload bodies), ReadableStream.from()'s iterator (its
// next/return run in the empty context), and strategy `size` functions, which the platform calls
// synchronously inside enqueue()/write() (so they already run in that call's context).
//
// The page's underlying source / sink / transformer object is not modified: the constructor gets
// a proxy of it whose methods are bound wrappers. The browser reads each member through the proxy
// exactly when and as often as it would read the object (getters run with the page's object as
// `this`), and the wrappers call the page's methods with `this` = the page's object. Contexts are
// held while the stream (or one of its readers/writers) lives.

import {
  ObjectGetOwnPropertyDescriptor,
  ObjectGetPrototypeOf,
  ReflectApply,
  SymbolAsyncIterator,
  WeakMapCtor,
  WeakMapGet,
  WeakMapSet,
  copyArguments,
  isObject,
} from "../intrinsics.js";
import { capture, runIn } from "../context.js";
import { prepareCause, prepareMethod } from "../patch.js";
import { prepareAlias, prepareConstructorWith } from "../patch.js";

const WeakMapDelete = WeakMap.prototype.delete;
const ProxyCtor = Proxy;
const ReflectGet = Reflect.get;

/** stream, tee branch, reader, writer or async iterator -> the Side of the stream it acts on */
const sides = new WeakMapCtor();

const sideOf = (target) => ReflectApply(WeakMapGet, sides, [target]);
const link = (target, side) => {
  if (isObject(target)) ReflectApply(WeakMapSet, sides, [target, side]);
};
const unlink = (target) => ReflectApply(WeakMapDelete, sides, [target]);

/**
 * What the shim knows about one readable or writable stream whose source/sink/transformer came
 * from the page. `ends` is shared by the two sides of a TransformStream.
 */
function newSide(construction, ends) {
  return {
    construction,
    /** The latest causing call's context, or undefined. */
    cause: undefined,
    /** Whether a wrapped write/transform consumes `writes` (else nothing is queued). */
    takesWrites: false,
    /** Contexts of write() calls whose chunks have not reached the page's write/transform yet. */
    writes: undefined,
    head: 0,
    ends,
  };
}

const latest = (side) => (side.cause !== undefined ? side.cause : side.construction);

function pushWrite(side, ctx) {
  let writes = side.writes;
  if (writes === undefined) side.writes = writes = [];
  writes[writes.length] = ctx;
}

function takeWrite(side) {
  const writes = side.writes;
  if (writes === undefined || side.head === writes.length) return latest(side);
  const ctx = writes[side.head];
  writes[side.head] = undefined;
  side.head += 1;
  if (side.head === writes.length) {
    writes.length = 0;
    side.head = 0;
  }
  return ctx;
}

// ---- recording causes -------------------------------------------------------------------

function noteCause(target) {
  const side = sideOf(target);
  if (side !== undefined) side.cause = capture();
}

function noteEnd(target) {
  const side = sideOf(target);
  if (side === undefined) return;
  const ctx = capture();
  side.cause = ctx;
  if (side.ends !== undefined) side.ends.cause = ctx;
}

function noteWrite(writer) {
  const side = sideOf(writer);
  if (side !== undefined && side.takesWrites) pushWrite(side, capture());
}

/** `target[key]` whose result acts on the same stream as `this` (getReader, getWriter, values). */
function linking(target, key, note) {
  return prepareMethod(target, key, (original) => ({
    [key]() {
      const side = sideOf(this);
      if (side !== undefined && note) side.cause = capture();
      const result = ReflectApply(original, this, arguments);
      if (side !== undefined) link(result, side);
      return result;
    },
  })[key]);
}

/** releaseLock: the reader or writer no longer acts on the stream. */
function unlinking(target) {
  return prepareMethod(target, "releaseLock", (original) => ({
    releaseLock() {
      const result = ReflectApply(original, this, arguments);
      unlink(this);
      return result;
    },
  }).releaseLock);
}

// ---- wrapping the page's methods --------------------------------------------------------

/**
 * A proxy of the page's object. Every member function is handed out as a wrapper that calls it
 * with `this` = the page's object (the browser calls it on the proxy); when `choose(key)` returns
 * a context picker, the call runs in the picked context, else in the current one.
 */
function proxied(object, choose) {
  return new ProxyCtor(object, {
    get(target, key) {
      const value = ReflectGet(target, key, target);
      if (typeof value !== "function") return value;
      const contextFor = choose(key);
      if (contextFor === undefined) {
        return function () {
          return ReflectApply(value, target, arguments);
        };
      }
      return function () {
        return runIn(contextFor(), value, target, arguments);
      };
    },
  });
}

function sourceProxy(source, side) {
  const start = () => side.construction;
  const other = () => latest(side);
  return proxied(source, (key) => (key === "start" ? start : key === "pull" || key === "cancel" ? other : undefined));
}

function sinkProxy(sink, side) {
  const start = () => side.construction;
  const write = () => takeWrite(side);
  const other = () => latest(side);
  return proxied(sink, (key) => {
    if (key === "write") {
      side.takesWrites = true;
      return write;
    }
    return key === "start" ? start : key === "close" || key === "abort" ? other : undefined;
  });
}

function transformerProxy(transformer, pair) {
  const { readable, writable, ends } = pair;
  const start = () => writable.construction;
  const transform = () => takeWrite(writable);
  const flush = () => latest(writable);
  const cancel = () =>
    ends.cause !== undefined ? ends.cause : writable.cause !== undefined ? writable.cause : latest(readable);
  return proxied(transformer, (key) => {
    if (key === "transform") {
      writable.takesWrites = true;
      return transform;
    }
    return key === "start" ? start : key === "flush" ? flush : key === "cancel" ? cancel : undefined;
  });
}

// ---- the patches ------------------------------------------------------------------------

function prepareReadable(global) {
  const ReadableStream = global.ReadableStream;
  const proto = ReadableStream && ReadableStream.prototype;
  if (!proto) return [];
  const patches = [
    prepareConstructorWith(
      global,
      "ReadableStream",
      (args) => {
        if (!isObject(args[0])) return undefined;
        const side = newSide(capture(), undefined);
        args[0] = sourceProxy(args[0], side);
        return side;
      },
      (stream, side) => {
        if (side !== undefined) link(stream, side);
      },
    ),
    linking(proto, "getReader", false),
    prepareCause(proto, "cancel", noteEnd),
    prepareCause(proto, "pipeTo", (self, args) => {
      noteCause(self);
      noteCause(args[0]);
    }),
    prepareMethod(proto, "pipeThrough", (original) => ({
      pipeThrough(transform) {
        noteCause(this);
        if (!isObject(transform)) return ReflectApply(original, this, arguments);
        const ctx = capture();
        const args = copyArguments(arguments);
        // Learns the destination as the browser reads it, without reading anything extra.
        args[0] = new ProxyCtor(transform, {
          get(target, key) {
            const value = ReflectGet(target, key, target);
            if (key === "writable") {
              const side = sideOf(value);
              if (side !== undefined) side.cause = ctx;
            }
            return value;
          },
        });
        return ReflectApply(original, this, args);
      },
    }).pipeThrough),
    prepareMethod(proto, "tee", (original) => ({
      tee() {
        const side = sideOf(this);
        if (side !== undefined) side.cause = capture();
        const branches = ReflectApply(original, this, arguments);
        if (side !== undefined) {
          link(branches[0], side);
          link(branches[1], side);
        }
        return branches;
      },
    }).tee),
  ];
  const values = linking(proto, "values", true);
  patches.push(values, prepareAlias(proto, SymbolAsyncIterator, values));

  // %ReadableStreamAsyncIteratorPrototype% is only reachable from an iterator.
  let iteratorProto;
  try {
    iteratorProto = ObjectGetPrototypeOf(ReflectApply(proto.values, new ReadableStream(), []));
  } catch {
    iteratorProto = undefined;
  }
  patches.push(prepareCause(iteratorProto, "next", noteCause), prepareCause(iteratorProto, "return", noteEnd));

  for (const name of ["ReadableStreamDefaultReader", "ReadableStreamBYOBReader"]) {
    const Reader = global[name];
    const readerProto = Reader && Reader.prototype;
    patches.push(
      prepareConstructorWith(global, name, (args) => args[0], (reader, stream) => {
        const side = sideOf(stream);
        if (side !== undefined) link(reader, side);
      }),
      prepareCause(readerProto, "read", noteCause),
      prepareCause(readerProto, "cancel", noteEnd),
      unlinking(readerProto),
    );
  }
  return patches;
}

function prepareWritable(global) {
  const WritableStream = global.WritableStream;
  const proto = WritableStream && WritableStream.prototype;
  if (!proto) return [];
  const Writer = global.WritableStreamDefaultWriter;
  const writerProto = Writer && Writer.prototype;
  return [
    prepareConstructorWith(
      global,
      "WritableStream",
      (args) => {
        if (!isObject(args[0])) return undefined;
        const side = newSide(capture(), undefined);
        args[0] = sinkProxy(args[0], side);
        return side;
      },
      (stream, side) => {
        if (side !== undefined) link(stream, side);
      },
    ),
    linking(proto, "getWriter", false),
    prepareCause(proto, "close", noteCause),
    prepareCause(proto, "abort", noteEnd),
    prepareConstructorWith(global, "WritableStreamDefaultWriter", (args) => args[0], (writer, stream) => {
      const side = sideOf(stream);
      if (side !== undefined) link(writer, side);
    }),
    prepareCause(writerProto, "write", noteWrite),
    prepareCause(writerProto, "close", noteCause),
    prepareCause(writerProto, "abort", noteEnd),
    unlinking(writerProto),
  ];
}

function prepareTransform(global) {
  const TransformStream = global.TransformStream;
  const proto = TransformStream && TransformStream.prototype;
  if (!proto) return [];
  const getter = (key) => {
    const descriptor = ObjectGetOwnPropertyDescriptor(proto, key);
    return descriptor && descriptor.get;
  };
  const readableOf = getter("readable");
  const writableOf = getter("writable");
  if (typeof readableOf !== "function" || typeof writableOf !== "function") return [];
  return [
    prepareConstructorWith(
      global,
      "TransformStream",
      (args) => {
        if (!isObject(args[0])) return undefined;
        const construction = capture();
        const ends = { cause: undefined };
        const pair = { readable: newSide(construction, ends), writable: newSide(construction, ends), ends };
        args[0] = transformerProxy(args[0], pair);
        return pair;
      },
      (stream, pair) => {
        if (pair === undefined) return;
        link(ReflectApply(readableOf, stream, []), pair.readable);
        link(ReflectApply(writableOf, stream, []), pair.writable);
      },
    ),
  ];
}

export function prepareStreams(global) {
  return [...prepareReadable(global), ...prepareWritable(global), ...prepareTransform(global)];
}
