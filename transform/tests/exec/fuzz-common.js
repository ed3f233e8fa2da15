// Runs one generated fuzz case (see fuzz.mjs) twice in the page: the copy compiled from the spec file
// (transformed in the transform- variant) and a native copy made from its source text with indirect eval
// (code created at run time is never transformed). Copied next to the specs untransformed.
import { assert, originals } from "../harness.js";
import { variantOf } from "./exec-common.js";

const platformQueueMicrotask = originals.queueMicrotask;
const v = new AsyncContext.Variable({ name: "fuzz" });
const STEPS = 12;

/** A deterministic text for any value the cases produce (errors made by the engine by class only:
 *  their messages quote source text, which the transform changes). */
function show(x, depth = 0) {
  if (x instanceof Error) return `${x.constructor.name}`;
  if (x === null || typeof x !== "object") {
    if (typeof x === "function") return "function";
    if (typeof x === "symbol") return String(x);
    if (typeof x === "string") return JSON.stringify(x);
    return `${typeof x}:${String(x)}`;
  }
  if (depth > 3) return "…";
  if (typeof x.then === "function") return "thenable";
  if (Array.isArray(x)) return `[${x.map((e) => show(e, depth + 1)).join(",")}]`;
  return `{${Object.keys(x)
    .sort()
    .map((k) => `${k}:${show(x[k], depth + 1)}`)
    .join(",")}}`;
}

/** The helpers a case gets as `h`, logging into `log` as flow `tag`; `probes` gets v.get() at each `h.ctx()`. */
function helpers(tag, log, probes) {
  const turns = (n, settle) => {
    let p = new Promise(settle);
    for (let i = 0; i < n; i++) p = p.then((x) => x);
    return p;
  };
  return {
    log(x) {
      log.push(`${tag} log ${show(x)}`);
      return x;
    },
    ctx() {
      probes.push(v.get());
    },
    p: (x, n) => turns(n, (resolve) => resolve(x)),
    r: (x, n) => turns(n, (_, reject) => reject(x)),
    t: (x) => ({ then: (resolve) => resolve(x) }),
    f: (x) => x,
    it(list) {
      let i = 0;
      return {
        [Symbol.iterator]() {
          return this;
        },
        next: () => (i < list.length ? { value: list[i++], done: false } : { value: undefined, done: true }),
        return() {
          log.push(`${tag} iterator return`);
          return { done: true };
        },
      };
    },
    async *ag(list) {
      for (const x of list) yield x;
    },
    res(name, n) {
      return {
        name,
        [Symbol.asyncDispose]() {
          log.push(`${tag} dispose ${name}`);
          return turns(n, (resolve) => resolve());
        },
      };
    },
  };
}

/** Drives one run of `fn` in flow `tag`; generators are resumed from another context. */
async function drive(kind, fn, tag, log, probes) {
  const h = helpers(tag, log, probes);
  const outcome = (label, promiseOrValue) => log.push(`${tag} ${label} ${show(promiseOrValue)}`);
  try {
    if (kind === "generator" || kind === "asyncGenerator") {
      const it = fn(h);
      for (let i = 0; i < STEPS; i++) {
        const step = await v.run("resumer", () => it.next(`n${i}`));
        outcome(step.done ? "return" : "yield", step.value);
        if (step.done) return;
      }
      outcome("return-call", await v.run("resumer", () => it.return("stop")));
    } else {
      outcome("return", await fn(h));
    }
  } catch (error) {
    outcome("throw", error);
  }
}

/** Both flows of one copy, interleaved with a microtask ticker: the log shows every turn taken. */
async function trace(kind, fn) {
  const log = [];
  const probes = { A: [], B: [] };
  let ticks = 0;
  let finished = false;
  const tick = () => {
    if (finished) return;
    log.push(`tick ${ticks}`);
    if (++ticks < 200) platformQueueMicrotask(tick);
  };
  platformQueueMicrotask(tick);
  await Promise.all([
    v.run("A", () => drive(kind, fn, "A", log, probes.A)),
    v.run("B", () => drive(kind, fn, "B", log, probes.B)),
  ]);
  // The ticker stops here: the log ends at the turn both flows were done.
  finished = true;
  return { log, probes };
}

export async function compareRuns(url, kind, compiled, source) {
  const { contexts } = variantOf(url);
  const native = (0, eval)(`(${source})`);
  const a = await trace(kind, compiled);
  const b = await trace(kind, native);
  assert.deepEqual(a.log, b.log, "results, errors and order");
  assert.equal(a.probes.A.length, b.probes.A.length, "context probes reached");
  // The transformed copy sees its own flow's context at every probe.
  contexts(a.probes.A, a.probes.A.map(() => "A"), "flow A's context");
  contexts(a.probes.B, a.probes.B.map(() => "B"), "flow B's context");
}
