// The source already uses the default names: the output picks others.
var __asyncContext$1 = __asyncContextInit$1(); function __asyncContextInit$1() { return __asyncContext$1 || (__asyncContext$1 = globalThis[Symbol.for("asynccontext.suspension")] || { enter() {}, suspend(_, v) { return v; }, resume(_, v) { return v; }, exit() {}, forAwait(_, it) { return it; } }); } const __acState = "mine";
const __asyncContext = { mine: true };
export async function f() { const __acState$1 = (__asyncContext$1 || __asyncContextInit$1()).enter(); try {
  return [__acState, __asyncContext, __asyncContext$1.resume(__acState$1, await __asyncContext$1.suspend(__acState$1, g()))];
 } finally { __asyncContext$1.exit(__acState$1); }}
