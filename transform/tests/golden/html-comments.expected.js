--> an HTML-like closing comment at the start of the input
var __asyncContext_d787b34e = globalThis[Symbol.for("asynccontext.suspension")] || { enter() {}, suspend(_, v) { return v; }, resume(_, v) { return v; }, exit() {}, forAwait(_, it) { return it; } }; async function f(o) { const __acState = __asyncContext_d787b34e.enter(); try { return __asyncContext_d787b34e.resume(__acState, await __asyncContext_d787b34e.suspend(__acState, (o))); <!-- an HTML-like opening comment
 } finally { __asyncContext_d787b34e.exit(__acState); }}
/*
*/ --> after a multi-line comment
function* g(o, ...{ __acState = __asyncContext_d787b34e.enter() }) { __asyncContext_d787b34e.resume(__acState); try { __asyncContext_d787b34e.resume(__acState, yield __asyncContext_d787b34e.suspend(__acState));<!--o
  (o);  } finally { __asyncContext_d787b34e.exit(__acState); }}
