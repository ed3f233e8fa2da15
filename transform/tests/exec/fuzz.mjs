// Seeded generator of the fuzz execution spec (used by run.mjs; not itself a spec).
//
// Each case is a random async function, async arrow, generator or async generator built from random
// statements and expressions: awaits and yields before every kind of operand, written with and without
// optional spaces (as minifiers write them), line breaks that end statements by automatic semicolon
// insertion, try/catch/finally, loops, for await, await using, nested async arrows and generators,
// rejections and throws. The spec holds every case twice: as code (transformed in the transform-
// variant) and as a string turned into a function at run time with indirect eval (never transformed).
// fuzz-common.js runs both in one page and compares their results, errors and order, interleaved with a
// microtask ticker and with a second concurrent flow; in the transformed variant it also checks that the
// transformed copy sees its own context at every probe.

/** mulberry32: small, deterministic, good enough for picking shapes. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KINDS = ["async", "asyncArrow", "asyncArrowExpression", "generator", "asyncGenerator"];

/** `awaitUsing: false` leaves out `await using` (WebKitGTK 2.50 cannot parse it). */
function caseGenerator(random, { awaitUsing }) {
  const pick = (list) => list[Math.floor(random() * list.length)];
  const chance = (p) => random() < p;
  const int = (n) => Math.floor(random() * n);
  let minified = false;
  let labels = 0;
  // Optional whitespace: none at all in minified cases.
  const sp = () => (minified ? "" : pick([" ", " ", "", "  "]));
  const startsWithWord = (text) => /^[\w$]/.test(text);
  /** `keyword` then `operand`, without a space whenever the operand starts with a punctuator. */
  const keyword = (kw, operand) => `${kw}${startsWithWord(operand) ? " " : sp()}${operand}`;

  function leaf() {
    return pick(['1', '.5', '0x1f', '"s"', "'q'", "`t`", "a", "b", "[a]", "{k:a}", "/r/g.source", "null", "true"]);
  }

  function expression(ctx, depth) {
    if (depth <= 0) return leaf();
    const e = () => expression(ctx, depth - 1);
    const forms = [
      () => leaf(),
      () => `h.log(${e()})`,
      () => `[${e()},${sp()}${e()}]`,
      () => `{k:${sp()}${e()}}`,
      () => `(${e()})`,
      () => `${e()}${sp()}+${sp()}${e()}`,
      () => `(${e()}${sp()}?${sp()}${e()}${sp()}:${sp()}${e()})`,
      () => `-${sp()}(${e()})`,
      () => `!${e()}`,
      () => `typeof ${e()}`,
      () => `\`x\${${e()}}y\``,
      () => `(a++,${sp()}${e()})`,
      () => `(${e()},${sp()}${e()})`,
    ];
    if (ctx.awaits) {
      const operand = () =>
        pick([
          () => `(${e()})`,
          () => `[${e()}][0]`,
          () => `h.p(${e()},${sp()}${int(3)})`,
          () => `h.t(${e()})`,
          () => `h.r(${e()},${sp()}${int(3)})`,
          () => `\`w\${${e()}}\``,
          () => `"s"`,
          () => `.5`,
          () => `/re/.source`,
          () => `-${sp()}(${e()})`,
          () => `+${sp()}${leaf()}`,
          () => `!${leaf()}`,
          () => `~${leaf()}`,
          () => `++a`,
          () => `--b`,
          () => `{k:${sp()}${e()}}`,
          () => `(0,${sp()}h.f)(${e()})`,
          () => leaf(),
          () => keyword("await", `(${e()})`),
        ])();
      forms.push(
        () => keyword("await", operand()),
        () => keyword("await", operand()),
        () => `(${keyword("await", operand())})`,
        () => `h.log(${keyword("await", `(async${sp()}()${sp()}=>${sp()}${keyword("await", `(${expression({ awaits: true }, depth - 1)})`)})()`)})`,
      );
    }
    if (ctx.yields) {
      const operand = () =>
        pick([
          () => `(${e()})`,
          () => `[${e()}]`,
          () => `{k:${sp()}${e()}}`,
          () => `"s"`,
          () => `'q'`,
          () => "`t`",
          () => `.5`,
          () => `/re/g`,
          () => `-${sp()}(${e()})`,
          () => `!${leaf()}`,
          () => `++a`,
          () => `~${leaf()}`,
          () => leaf(),
          () => e(),
        ])();
      forms.push(
        () => `(${keyword("yield", operand())})`,
        () => `(${keyword("yield", operand())})`,
        () => `(yield)`,
        () => `(${keyword("yield*", `[${e()},${sp()}${e()}]`)})`,
        () => `(${keyword("yield*", pick([`h.it([${e()}])`, `"ab"`, "`cd`", `(function*${sp()}()${sp()}{${keyword("yield", `(${expression({}, depth - 1)})`)}})()`]))})`,
      );
      if (ctx.awaits) forms.push(() => `(${keyword("yield*", `h.ag([${e()}])`)})`);
    }
    return pick(forms)();
  }

  /** A statement list joined by `;` or, now and then, a line break alone. */
  function statements(ctx, depth, count) {
    const list = [];
    for (let i = 0; i < count; i++) list.push(statement(ctx, depth));
    // A `;` after every statement but the last (an empty statement after a block is harmless).
    return list.map((s, i) => (i === list.length - 1 ? s : `${s};`)).join(sp());
  }

  function block(ctx, depth) {
    return `{${sp()}${statements(ctx, depth - 1, 1 + int(3))}${sp()}}`;
  }

  function statement(ctx, depth) {
    const e = () => expression(ctx, 2);
    const forms = [
      () => `h.log(${e()})`,
      () => `h.log(${e()})`,
      () => "h.ctx()",
      () => "h.ctx()",
      () => `a${sp()}=${sp()}${e()}`,
    ];
    if (depth > 0) {
      forms.push(
        () => `if${sp()}(${e()})${sp()}${block(ctx, depth)}${sp()}else${sp()}${block(ctx, depth)}`,
        () => `try${sp()}${block(ctx, depth)}${sp()}catch${sp()}(e)${sp()}{h.log(e);${sp()}h.ctx()}${sp()}finally${sp()}${block(ctx, depth)}`,
        () => `try${sp()}${block(ctx, depth)}${sp()}catch${sp()}{h.ctx()}`,
        () => `for${sp()}(const v of[${e()},${sp()}${e()}])${sp()}${block(ctx, depth)}`,
        () => `c${sp()}=${sp()}0;while${sp()}(c++${sp()}<${sp()}2)${sp()}${block(ctx, depth)}`,
        () => `switch${sp()}(${e()})${sp()}{case 1:${sp()}h.log(1);break;default:${sp()}${statement(ctx, depth - 1)}}`,
        () => {
          const label = `l${++labels}`;
          return `${label}:${sp()}for${sp()}(const v of[1,2])${sp()}{${statement(ctx, depth - 1)};${sp()}if${sp()}(v)${sp()}break ${label}}`;
        },
      );
      if (ctx.awaits) {
        forms.push(
          () => `for await${sp()}(const v of[${e()},${sp()}h.p(${e()},${sp()}1)])${sp()}${block(ctx, depth)}`,
          () => `for await${sp()}(const v of(h.ag([${e()},${sp()}${e()}])))${block(ctx, depth)}`,
        );
      }
      if (ctx.awaits && awaitUsing) {
        forms.push(
          () => `{await using r${sp()}=${sp()}h.res("r",${sp()}${int(3)});${statements(ctx, depth - 1, 1 + int(2))}}`,
          () => `{await using r${sp()}=${sp()}h.res("s",${sp()}0),${sp()}u${sp()}=${sp()}h.res("u",${sp()}1);${statements(ctx, depth - 1, 1)}}`,
          () => `for${sp()}(await using r of[h.res("q",${sp()}1)])${sp()}${block(ctx, depth)}`,
          () => `for${sp()}(await using r of(h.it([h.res("i",${sp()}2)])))h.log(r.name)`,
          () => `for await${sp()}(await using r of[h.res("z",${sp()}1)])${sp()}${block(ctx, depth)}`,
        );
      }
    }
    if (ctx.awaits) {
      // Automatic semicolon insertion after an await whose operand cannot be continued.
      forms.push(() => `${keyword("await", "a++")}\n[${e()}]`, () => `b${sp()}=${sp()}${keyword("await", "b--")}\n(h.log("asi"))`);
    }
    if (ctx.yields) {
      forms.push(
        () => `${keyword("yield", pick(["(a)", "[a]", "/re/g", '"s"', "{k:1}", "-a", ".5", "`t`"]))}`,
        () => `a${sp()}=${sp()}yield\n(h.log("asi"))`,
        () => `yield\n[b]`,
        () => `yield\n+b`,
        () => `yield a++\n(h.log("asi"))`,
      );
    }
    if (chance(0.04)) return `throw ${e()}`;
    if (chance(0.04)) return `return ${e()}`;
    return pick(forms)();
  }

  return function generate(index) {
    minified = chance(0.5);
    labels = 0;
    const kind = KINDS[index % KINDS.length];
    const ctx = {
      awaits: kind !== "generator",
      yields: kind === "generator" || kind === "asyncGenerator",
    };
    const body = `let a${sp()}=${sp()}1,b${sp()}=${sp()}2,c${sp()}=${sp()}0;${sp()}${statements(ctx, 3, 2 + int(4))};`;
    switch (kind) {
      case "async":
        return { kind, source: `async function${sp()}(h)${sp()}{${body}${sp()}return a}` };
      case "asyncArrow":
        return { kind, source: `async${sp()}(h)${sp()}=>${sp()}{${body}${sp()}return b}` };
      case "asyncArrowExpression":
        return { kind, source: `async h${sp()}=>${sp()}${keyword("await", `(${expression(ctx, 3)})`)}` };
      case "generator":
        return { kind, source: `function*${sp()}(h)${sp()}{${body}${sp()}return a}` };
      case "asyncGenerator":
        return { kind, source: `async function*${sp()}(h)${sp()}{${body}${sp()}return a}` };
    }
  };
}

/** The spec's text: `cases` cases from `seed`. */
/** The spec's source; with `awaitUsing` its cases use `await using` too, and it says so (requires-syntax). */
export function fuzzSpec({ seed, cases, awaitUsing = true }) {
  const generate = caseGenerator(rng(seed), { awaitUsing });
  const lines = [
    `// Generated by transform/tests/exec/fuzz.mjs: seed ${seed}, ${cases} cases${awaitUsing ? ", await using included" : ""}.`,
    ...(awaitUsing ? ["// requires-syntax: async function f() { await using x = null; }"] : []),
    `import { test } from "../harness.js";`,
    `import { compareRuns } from "./fuzz-common.js";`,
    `const url = import.meta.url;`,
  ];
  for (let i = 0; i < cases; i++) {
    const { kind, source } = generate(i);
    lines.push(
      `test(${JSON.stringify(`fuzz seed ${seed} case ${i} (${kind}): the transformed copy gives the native copy's results, errors and order`)}, () =>`,
      `  compareRuns(url, ${JSON.stringify(kind)}, (${source}), ${JSON.stringify(source)}));`,
    );
  }
  return lines.join("\n") + "\n";
}
