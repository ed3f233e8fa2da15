// Valid as a module too, but with no module syntax: emitted in the script form.
var __asyncContext_6a962211 = globalThis[Symbol.for("asynccontext.suspension")] || { enter() {}, suspend(_, v) { return v; }, resume(_, v) { return v; }, exit() {}, forAwait(_, it) { return it; } }; async function main() { const __acState = __asyncContext_6a962211.enter(); try {
  __asyncContext_6a962211.resume(__acState, await __asyncContext_6a962211.suspend(__acState, start()));
 } finally { __asyncContext_6a962211.exit(__acState); }}
main();
