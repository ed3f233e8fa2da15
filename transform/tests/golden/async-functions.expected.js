// Declarations, expressions, arrows and methods; each function that suspends gets its own state.
var __asyncContext_a2f2b76a = globalThis[Symbol.for("asynccontext.suspension")] || { enter() {}, suspend(_, v) { return v; }, resume(_, v) { return v; }, exit() {}, forAwait(_, it) { return it; } }; async function declaration() { const __acState = __asyncContext_a2f2b76a.enter(); try {
  __asyncContext_a2f2b76a.resume(__acState, await __asyncContext_a2f2b76a.suspend(__acState, step()));
 } finally { __asyncContext_a2f2b76a.exit(__acState); }}
const expression = async function named() { const __acState = __asyncContext_a2f2b76a.enter(); try {
  return __asyncContext_a2f2b76a.resume(__acState, await __asyncContext_a2f2b76a.suspend(__acState, step()));
 } finally { __asyncContext_a2f2b76a.exit(__acState); }};
const concise = async (x) => { const __acState = __asyncContext_a2f2b76a.enter(); try { return __asyncContext_a2f2b76a.resume(__acState, await __asyncContext_a2f2b76a.suspend(__acState, x)); } finally { __asyncContext_a2f2b76a.exit(__acState); } };
const conciseObject = async () => { const __acState = __asyncContext_a2f2b76a.enter(); try { return ({ value: __asyncContext_a2f2b76a.resume(__acState, await __asyncContext_a2f2b76a.suspend(__acState, step())) }); } finally { __asyncContext_a2f2b76a.exit(__acState); } };
const block = async x => { const __acState = __asyncContext_a2f2b76a.enter(); try { __asyncContext_a2f2b76a.resume(__acState, await __asyncContext_a2f2b76a.suspend(__acState, x));  } finally { __asyncContext_a2f2b76a.exit(__acState); }};
const object = {
  async method() { const __acState = __asyncContext_a2f2b76a.enter(); try { __asyncContext_a2f2b76a.resume(__acState, await __asyncContext_a2f2b76a.suspend(__acState, step()));  } finally { __asyncContext_a2f2b76a.exit(__acState); }},
  async [computed]() { const __acState = __asyncContext_a2f2b76a.enter(); try { __asyncContext_a2f2b76a.resume(__acState, await __asyncContext_a2f2b76a.suspend(__acState, step()));  } finally { __asyncContext_a2f2b76a.exit(__acState); }},
};
class Store {
  async load() { const __acState = __asyncContext_a2f2b76a.enter(); try { return __asyncContext_a2f2b76a.resume(__acState, await __asyncContext_a2f2b76a.suspend(__acState, fetchIt(this.url)));  } finally { __asyncContext_a2f2b76a.exit(__acState); }}
  static async create() { const __acState = __asyncContext_a2f2b76a.enter(); try { __asyncContext_a2f2b76a.resume(__acState, await __asyncContext_a2f2b76a.suspend(__acState, Store.prepare()));  } finally { __asyncContext_a2f2b76a.exit(__acState); }}
  async #secret() { const __acState = __asyncContext_a2f2b76a.enter(); try { __asyncContext_a2f2b76a.resume(__acState, await __asyncContext_a2f2b76a.suspend(__acState, step()));  } finally { __asyncContext_a2f2b76a.exit(__acState); }}
  field = async () => { const __acState = __asyncContext_a2f2b76a.enter(); try { __asyncContext_a2f2b76a.resume(__acState, await __asyncContext_a2f2b76a.suspend(__acState, step()));  } finally { __asyncContext_a2f2b76a.exit(__acState); }};
}
async function outer() { const __acState = __asyncContext_a2f2b76a.enter(); try {
  __asyncContext_a2f2b76a.resume(__acState, await __asyncContext_a2f2b76a.suspend(__acState, step()));
  async function inner() { const __acState = __asyncContext_a2f2b76a.enter(); try {
    __asyncContext_a2f2b76a.resume(__acState, await __asyncContext_a2f2b76a.suspend(__acState, step()));
   } finally { __asyncContext_a2f2b76a.exit(__acState); }}
  function untouched() {
    try { work(); } catch (e) { log(e); }
  }
  const arrow = async () => { const __acState = __asyncContext_a2f2b76a.enter(); try { return __asyncContext_a2f2b76a.resume(__acState, await __asyncContext_a2f2b76a.suspend(__acState, inner())); } finally { __asyncContext_a2f2b76a.exit(__acState); } };
  return [inner, untouched, arrow];
 } finally { __asyncContext_a2f2b76a.exit(__acState); }}
async function strict(a) {
  "use strict"; const __acState = __asyncContext_a2f2b76a.enter(); try {
  __asyncContext_a2f2b76a.resume(__acState, await __asyncContext_a2f2b76a.suspend(__acState, a));
 } finally { __asyncContext_a2f2b76a.exit(__acState); }}
async function directives() {
  'use strict'; 'another directive'; const __acState = __asyncContext_a2f2b76a.enter(); try {
  __asyncContext_a2f2b76a.resume(__acState, await __asyncContext_a2f2b76a.suspend(__acState, step()));
 } finally { __asyncContext_a2f2b76a.exit(__acState); }}
