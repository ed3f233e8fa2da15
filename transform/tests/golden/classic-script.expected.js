// A classic script (no import/export, sloppy code that is not valid in a module): `var` binding
// whose name is unique to the file, since every classic script shares the global scope.
var __asyncContext_6bd843da = globalThis[Symbol.for("asynccontext.suspension")] || { enter() {}, suspend(_, v) { return v; }, resume(_, v) { return v; }, exit() {}, forAwait(_, it) { return it; } }; var await = 1;
with (Math) { var r = round(await); }
async function greet(name) { const __acState = __asyncContext_6bd843da.enter(); try {
  __asyncContext_6bd843da.resume(__acState, await __asyncContext_6bd843da.suspend(__acState, delay(1)));
  return "hello " + name;
 } finally { __asyncContext_6bd843da.exit(__acState); }}
