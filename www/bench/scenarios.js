// Benchmark scenarios. Each one has:
//   run(api, n)   does the work once and returns elapsed milliseconds; it checks its own result
//                 (a sum every step contributes to), so the JIT cannot drop the work and a wrong
//                 implementation cannot produce a figure;
//   check(api)    a small correctness test run before timing, with two interleaved flows where
//                 that matters. It returns { error } when the implementation does not propagate
//                 (the row becomes "n/a"), or { note } for a problem that does not stop the row.
//
// `api.Variable` is an AsyncContext.Variable-like class (run(value, fn), get()); `api.propagates` is
// false for the "none" baseline, whose Variable is a plain global slot. Scenario code uses the
// global `Promise` and `setTimeout` unqualified, so it sees whatever the implementation patched,
// exactly like page code would.

import { now, NativePromise, nextTask } from "./intrinsics.js";

class ScenarioError extends Error {}

function expectEqual(actual, expected, what) {
  if (!Object.is(actual, expected)) {
    throw new ScenarioError(`${what}: expected ${String(expected)}, got ${String(actual)}`);
  }
}

const increment = (x) => x + 1;

// Runs fn inside nested runs: variable.run(values[0], () => variable.run(values[1], ... fn())).
function nestedRuns(variable, values, fn, index = 0) {
  if (index === values.length) return fn();
  return variable.run(values[index], () => nestedRuns(variable, values, fn, index + 1));
}

// Calls fn with the values every link of a promise chain observed through `read`.
function chainReading(length, read) {
  const seen = [];
  let p = Promise.resolve();
  for (let i = 0; i < length; i++) p = p.then(() => void seen.push(read()));
  return p.then(() => seen);
}

// After a flow ran, a fresh task must see the variable's default again.
async function leakNote(variable) {
  await nextTask();
  const value = variable.get();
  if (value === undefined) return undefined;
  return `context leaks out of callbacks: get() at task top level after the flows returned ${JSON.stringify(value)}`;
}

function describeMismatch(seen, expected) {
  const wrong = seen.find((value) => value !== expected);
  return `expected every value to be ${JSON.stringify(expected)}, saw ${JSON.stringify(wrong)}`;
}

export const SCENARIOS = [
  {
    id: "chain-empty",
    title: "Promise chain, 10^5 `.then` links created in the empty context",
    platform: true,
    n: 1e5,
    async check(api) {
      const v = new api.Variable();
      await this.run(api, 100);
      if (!api.propagates) return {};
      v.run("x", () => {}); // a finished run must leave nothing behind
      const seen = await chainReading(20, () => v.get());
      if (seen.some((value) => value !== undefined)) {
        return { error: `links created in the empty context: ${describeMismatch(seen, undefined)}` };
      }
      return {};
    },
    async run(api, n) {
      const start = now();
      let p = Promise.resolve(0);
      for (let i = 0; i < n; i++) p = p.then(increment);
      const value = await p;
      const elapsed = now() - start;
      expectEqual(value, n, "chain result");
      return elapsed;
    },
  },
  {
    id: "chain-run",
    title: "Promise chain, 10^5 links created inside `variable.run`, 10 links call get()",
    platform: true,
    n: 1e5,
    async check(api) {
      await this.run(api, 100);
      if (!api.propagates) return {};
      const v = new api.Variable();
      const a = v.run("a", () => chainReading(30, () => v.get()));
      const b = v.run("b", () => chainReading(30, () => v.get()));
      const outside = v.get();
      const [seenA, seenB] = [await a, await b];
      if (outside !== undefined) return { error: `get() right after run returned ${JSON.stringify(outside)}` };
      if (seenA.some((x) => x !== "a")) return { error: `flow a: ${describeMismatch(seenA, "a")}` };
      if (seenB.some((x) => x !== "b")) return { error: `flow b: ${describeMismatch(seenB, "b")}` };
      return { note: await leakNote(v) };
    },
    async run(api, n) {
      const v = new api.Variable();
      const VALUE = 3;
      const every = n / 10;
      const addValue = (x) => x + v.get();
      const start = now();
      const last = v.run(VALUE, () => {
        let p = Promise.resolve(0);
        for (let i = 1; i <= n; i++) p = p.then(i % every === 0 ? addValue : increment);
        return p;
      });
      const value = await last;
      const elapsed = now() - start;
      expectEqual(value, n - 10 + 10 * VALUE, "chain result");
      return elapsed;
    },
  },
  {
    id: "timeouts",
    title: "setTimeout(0) burst: 1000 timeouts scheduled inside a run, until all fired",
    platform: true,
    n: 1000,
    async check(api) {
      await this.run(api, 10);
      if (!api.propagates) return {};
      const v = new api.Variable();
      const seen = { a: [], b: [] };
      await new NativePromise((resolve) => {
        let pending = 10;
        const fire = (flow) => () => {
          seen[flow].push(v.get());
          if (--pending === 0) resolve();
        };
        for (let i = 0; i < 5; i++) {
          v.run("a", () => setTimeout(fire("a"), 0));
          v.run("b", () => setTimeout(fire("b"), 0));
        }
      });
      if (seen.a.some((x) => x !== "a")) return { error: `flow a: ${describeMismatch(seen.a, "a")}` };
      if (seen.b.some((x) => x !== "b")) return { error: `flow b: ${describeMismatch(seen.b, "b")}` };
      return { note: await leakNote(v) };
    },
    run(api, n) {
      const v = new api.Variable();
      const VALUE = 5;
      return new NativePromise((resolve, reject) => {
        let fired = 0;
        let sum = 0;
        const onTimeout = () => {
          sum += v.get();
          if (++fired < n) return;
          const elapsed = now() - start;
          if (sum === n * VALUE) resolve(elapsed);
          else reject(new ScenarioError(`timeout callbacks read a sum of ${sum}, expected ${n * VALUE}`));
        };
        const start = now();
        v.run(VALUE, () => {
          for (let i = 0; i < n; i++) setTimeout(onTimeout, 0);
        });
      });
    },
  },
  {
    id: "run-get",
    title: "run+get loop: 10^6 × `v.run(i, () => v.get())`",
    platform: false,
    n: 1e6,
    async check(api) {
      const v = new api.Variable();
      const nested = v.run(1, () => `${v.run(2, () => v.get())}:${v.get()}`);
      if (nested !== "2:1") return { error: `nested runs read "${nested}", expected "2:1"` };
      if (v.get() !== undefined) return { error: `get() after run returned ${JSON.stringify(v.get())}` };
      await this.run(api, 1000);
      return {};
    },
    run(api, n) {
      const v = new api.Variable();
      let sum = 0;
      const start = now();
      for (let i = 0; i < n; i++) sum += v.run(i, () => v.get());
      const elapsed = now() - start;
      expectEqual(sum, (n * (n - 1)) / 2, "sum of get()");
      return elapsed;
    },
  },
  {
    id: "get-d1",
    title: "10^6 get(): depth 1, 1 variable",
    platform: false,
    n: 1e6,
    check(api) {
      return getCheck(this, api);
    },
    run(api, n) {
      const v = new api.Variable();
      // The receiver is read from an array each time so the lookup cannot be hoisted out of the loop.
      const receivers = [v, v, v, v];
      return v.run(1, () => timeGets(receivers, n, 1));
    },
  },
  {
    id: "get-d10",
    title: "10^6 get(): depth 10, 1 variable (10 nested runs of it)",
    platform: false,
    n: 1e6,
    check(api) {
      return getCheck(this, api);
    },
    run(api, n) {
      const v = new api.Variable();
      const receivers = [v, v, v, v];
      const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
      return nestedRuns(v, values, () => timeGets(receivers, n, 10));
    },
  },
  {
    id: "get-d10-v20",
    title: "10^6 get(): 20 variables bound, the innermost one re-run 10 deep; gets rotate over all 20",
    platform: false,
    n: 1e6,
    check(api) {
      return getCheck(this, api);
    },
    run(api, n) {
      const variables = Array.from({ length: 20 }, () => new api.Variable());
      const innermost = variables[19];
      const rounds = n / 20;
      // variables[k] is bound to k + 1, then variables[19] is re-run with 101..110.
      const bindAll = (k, fn) => (k === 20 ? fn() : variables[k].run(k + 1, () => bindAll(k + 1, fn)));
      const deepValues = [101, 102, 103, 104, 105, 106, 107, 108, 109, 110];
      return bindAll(0, () =>
        nestedRuns(innermost, deepValues, () => {
          let sum = 0;
          const start = now();
          for (let r = 0; r < rounds; r++) {
            for (let k = 0; k < 20; k++) sum += variables[k].get();
          }
          const elapsed = now() - start;
          expectEqual(sum, rounds * (190 + 110), "sum of get()");
          return elapsed;
        }),
      );
    },
  },
];

function timeGets(receivers, n, expected) {
  let sum = 0;
  const start = now();
  for (let i = 0; i < n; i++) sum += receivers[i & 3].get();
  const elapsed = now() - start;
  expectEqual(sum, n * expected, "sum of get()");
  return elapsed;
}

// The get rows' own sums only show that the innermost value is read; this also checks that an
// inner run is undone and that variables do not overwrite each other.
async function getCheck(scenario, api) {
  const a = new api.Variable();
  const b = new api.Variable();
  const afterInner = a.run(1, () => {
    nestedRuns(a, [2, 3], () => a.get());
    return a.get();
  });
  if (afterInner !== 1) return { error: `get() after nested runs returned ${JSON.stringify(afterInner)}, expected 1` };
  const both = a.run("a", () => b.run("b", () => `${a.get()}${b.get()}`));
  if (both !== "ab") return { error: `two variables read "${both}", expected "ab"` };
  await scenario.run(api, 1000);
  return {};
}

export { ScenarioError };
