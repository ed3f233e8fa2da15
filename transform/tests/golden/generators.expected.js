// Generators capture the context when the generator object is created (an extra rest parameter),
// restore it on every resumption and give the caller its own back at each yield.
var __asyncContext_db83c036 = globalThis[Symbol.for("asynccontext.suspension")] || { enter() {}, suspend(_, v) { return v; }, resume(_, v) { return v; }, exit() {}, forAwait(_, it) { return it; } }; function* simple(...{ __acState = __asyncContext_db83c036.enter() }) { __asyncContext_db83c036.resume(__acState); try {
  const input = __asyncContext_db83c036.resume(__acState, yield __asyncContext_db83c036.suspend(__acState, 1));
  __asyncContext_db83c036.resume(__acState, yield __asyncContext_db83c036.suspend(__acState));
  __asyncContext_db83c036.resume(__acState, yield* __asyncContext_db83c036.suspend(__acState, inner()));
  return input;
 } finally { __asyncContext_db83c036.exit(__acState); }}
function* withParams(a, b = 2, { c } = {}, ...{ __acState = __asyncContext_db83c036.enter() }) { __asyncContext_db83c036.resume(__acState); try { __asyncContext_db83c036.resume(__acState, yield __asyncContext_db83c036.suspend(__acState, a + b + c));  } finally { __asyncContext_db83c036.exit(__acState); }}
function* trailingComma(a, b, ...{ __acState = __asyncContext_db83c036.enter() }) { __asyncContext_db83c036.resume(__acState); try { __asyncContext_db83c036.resume(__acState, yield __asyncContext_db83c036.suspend(__acState, a));  } finally { __asyncContext_db83c036.exit(__acState); }}
function* trailingCommaComment(a /* first */, ...{ __acState = __asyncContext_db83c036.enter() } /* none */) { __asyncContext_db83c036.resume(__acState); try { __asyncContext_db83c036.resume(__acState, yield __asyncContext_db83c036.suspend(__acState, a));  } finally { __asyncContext_db83c036.exit(__acState); }}
const expression = function* (...{ __acState = __asyncContext_db83c036.enter() }) { __asyncContext_db83c036.resume(__acState); try { __asyncContext_db83c036.resume(__acState, yield __asyncContext_db83c036.suspend(__acState, 1));  } finally { __asyncContext_db83c036.exit(__acState); }};
const object = {
  *method(x, ...{ __acState = __asyncContext_db83c036.enter() }) { __asyncContext_db83c036.resume(__acState); try { __asyncContext_db83c036.resume(__acState, yield __asyncContext_db83c036.suspend(__acState, x));  } finally { __asyncContext_db83c036.exit(__acState); }},
  async *asyncMethod(...{ __acState = __asyncContext_db83c036.enter() }) { __asyncContext_db83c036.resume(__acState); try { __asyncContext_db83c036.resume(__acState, yield __asyncContext_db83c036.suspend(__acState, __asyncContext_db83c036.resume(__acState, await __asyncContext_db83c036.suspend(__acState, x))));  } finally { __asyncContext_db83c036.exit(__acState); }},
};
class Queue {
  *[Symbol.iterator](...{ __acState = __asyncContext_db83c036.enter() }) { __asyncContext_db83c036.resume(__acState); try { __asyncContext_db83c036.resume(__acState, yield* __asyncContext_db83c036.suspend(__acState, this.items));  } finally { __asyncContext_db83c036.exit(__acState); }}
  static async *stream(source, ...{ __acState = __asyncContext_db83c036.enter() }) { __asyncContext_db83c036.resume(__acState); try {
    try { for await (const item of __asyncContext_db83c036.forAwait(__acState, source)) { __asyncContext_db83c036.resume(__acState); __asyncContext_db83c036.resume(__acState, yield __asyncContext_db83c036.suspend(__acState, item)); } } finally { __asyncContext_db83c036.resume(__acState); }
   } finally { __asyncContext_db83c036.exit(__acState); }}
}
async function* asyncGenerator(source, ...{ __acState = __asyncContext_db83c036.enter() }) { __asyncContext_db83c036.resume(__acState); try {
  const first = __asyncContext_db83c036.resume(__acState, await __asyncContext_db83c036.suspend(__acState, source.first()));
  __asyncContext_db83c036.resume(__acState, yield __asyncContext_db83c036.suspend(__acState, first));
  try {
    __asyncContext_db83c036.resume(__acState, yield* __asyncContext_db83c036.suspend(__acState, source));
  } finally { __asyncContext_db83c036.resume(__acState);
    __asyncContext_db83c036.resume(__acState, await __asyncContext_db83c036.suspend(__acState, source.close()));
  }
 } finally { __asyncContext_db83c036.exit(__acState); }}
function* noYieldStillRestores(...{ __acState = __asyncContext_db83c036.enter() }) { __asyncContext_db83c036.resume(__acState); try { work();  } finally { __asyncContext_db83c036.exit(__acState); }}
// These cannot take the extra parameter: the context is captured at the first next().
function* restParameter(...items) { const __acState = __asyncContext_db83c036.enter(); try { __asyncContext_db83c036.resume(__acState, yield __asyncContext_db83c036.suspend(__acState, items));  } finally { __asyncContext_db83c036.exit(__acState); }}
function* ownStrict(a) { "use strict"; const __acState = __asyncContext_db83c036.enter(); try { __asyncContext_db83c036.resume(__acState, yield __asyncContext_db83c036.suspend(__acState, a));  } finally { __asyncContext_db83c036.exit(__acState); }}
function* sloppyArguments(a) { const __acState = __asyncContext_db83c036.enter(); try { arguments[0] = 2; __asyncContext_db83c036.resume(__acState, yield __asyncContext_db83c036.suspend(__acState, a));  } finally { __asyncContext_db83c036.exit(__acState); }}
function* sloppyEval(a) { const __acState = __asyncContext_db83c036.enter(); try { eval("a = 2"); __asyncContext_db83c036.resume(__acState, yield __asyncContext_db83c036.suspend(__acState, a));  } finally { __asyncContext_db83c036.exit(__acState); }}
function* argumentsWithoutParameters(...{ __acState = __asyncContext_db83c036.enter() }) { __asyncContext_db83c036.resume(__acState); try { __asyncContext_db83c036.resume(__acState, yield* __asyncContext_db83c036.suspend(__acState, arguments));  } finally { __asyncContext_db83c036.exit(__acState); }}
