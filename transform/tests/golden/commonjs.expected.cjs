// CommonJS: top-level return is allowed, the binding is a plain var.
var __asyncContext = globalThis[Symbol.for("asynccontext.suspension")] || { enter() {}, suspend(_, v) { return v; }, resume(_, v) { return v; }, exit() {}, forAwait(_, it) { return it; } }; const fs = require("fs");
if (!fs) return;
module.exports = async function read(path) { const __acState = __asyncContext.enter(); try {
  return __asyncContext.resume(__acState, await __asyncContext.suspend(__acState, fs.promises.readFile(path, "utf8")));
 } finally { __asyncContext.exit(__acState); }};
