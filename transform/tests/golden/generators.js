// Generators capture the context when the generator object is created (an extra rest parameter),
// restore it on every resumption and give the caller its own back at each yield.
function* simple() {
  const input = yield 1;
  yield;
  yield* inner();
  return input;
}
function* withParams(a, b = 2, { c } = {}) { yield a + b + c; }
function* trailingComma(a, b,) { yield a; }
function* trailingCommaComment(a /* first */, /* none */) { yield a; }
const expression = function* () { yield 1; };
const object = {
  *method(x) { yield x; },
  async *asyncMethod() { yield await x; },
};
class Queue {
  *[Symbol.iterator]() { yield* this.items; }
  static async *stream(source) {
    for await (const item of source) yield item;
  }
}
async function* asyncGenerator(source) {
  const first = await source.first();
  yield first;
  try {
    yield* source;
  } finally {
    await source.close();
  }
}
function* noYieldStillRestores() { work(); }
// These cannot take the extra parameter: the context is captured at the first next().
function* restParameter(...items) { yield items; }
function* ownStrict(a) { "use strict"; yield a; }
function* sloppyArguments(a) { arguments[0] = 2; yield a; }
function* sloppyEval(a) { eval("a = 2"); yield a; }
function* argumentsWithoutParameters() { yield* arguments; }
