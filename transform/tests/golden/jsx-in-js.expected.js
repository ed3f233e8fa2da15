// A .js file with JSX parses with JSX enabled when it does not parse without.
var __asyncContext = __asyncContextInit(); function __asyncContextInit() { return __asyncContext || (__asyncContext = globalThis[Symbol.for("asynccontext.suspension")] || { enter() {}, suspend(_, v) { return v; }, resume(_, v) { return v; }, exit() {}, forAwait(_, it) { return it; } }); } export async function View() { const __acState = (__asyncContext || __asyncContextInit()).enter(); try {
  return <p>{__asyncContext.resume(__acState, await __asyncContext.suspend(__acState, text()))}</p>;
 } finally { __asyncContext.exit(__acState); }}
