// Line breaks that end a statement by automatic semicolon insertion: the inserted closing text
// must not let the next line continue the expression.
var __asyncContext = __asyncContextInit(); function __asyncContextInit() { return __asyncContext || (__asyncContext = globalThis[Symbol.for("asynccontext.suspension")] || { enter() {}, suspend(_, v) { return v; }, resume(_, v) { return v; }, exit() {}, forAwait(_, it) { return it; } }); } export function* generator(a, ...{ __acState = (__asyncContext || __asyncContextInit()).enter() }) { __asyncContext.resume(__acState); try {
  let x = 1
  __asyncContext.resume(__acState, yield __asyncContext.suspend(__acState));
  (a)
  __asyncContext.resume(__acState, yield __asyncContext.suspend(__acState));
  [a]
  x = __asyncContext.resume(__acState, yield __asyncContext.suspend(__acState, x++));
  (a)
  __asyncContext.resume(__acState, yield __asyncContext.suspend(__acState, () => {}));
  `t`
  __asyncContext.resume(__acState, yield __asyncContext.suspend(__acState));
  +a
  __asyncContext.resume(__acState, yield __asyncContext.suspend(__acState));
  /re/g.test(a)
  return x
 } finally { __asyncContext.exit(__acState); }}
export async function asyncFunction(x) { const __acState = (__asyncContext || __asyncContextInit()).enter(); try {
  __asyncContext.resume(__acState, await __asyncContext.suspend(__acState, x++));
  [0]
  let y = __asyncContext.resume(__acState, await __asyncContext.suspend(__acState, x--));
  (0)
  if (x) __asyncContext.resume(__acState, await __asyncContext.suspend(__acState, x++));
  else __asyncContext.resume(__acState, await __asyncContext.suspend(__acState, x--));
  return y
 } finally { __asyncContext.exit(__acState); }}
