// Every expression position an await can take inside an async function.
var __asyncContext = __asyncContextInit(); function __asyncContextInit() { return __asyncContext || (__asyncContext = globalThis[Symbol.for("asynccontext.suspension")] || { enter() {}, suspend(_, v) { return v; }, resume(_, v) { return v; }, exit() {}, forAwait(_, it) { return it; } }); } const __acState = __asyncContext.enter(); export async function positions(a, b) { const __acState = (__asyncContext || __asyncContextInit()).enter(); try {
  f(__asyncContext.resume(__acState, await __asyncContext.suspend(__acState, a)), __asyncContext.resume(__acState, await __asyncContext.suspend(__acState, b)));
  (__asyncContext.resume(__acState, await __asyncContext.suspend(__acState, a))).prop;
  (__asyncContext.resume(__acState, await __asyncContext.suspend(__acState, a)))?.prop?.();
  obj[__asyncContext.resume(__acState, await __asyncContext.suspend(__acState, a))] = __asyncContext.resume(__acState, await __asyncContext.suspend(__acState, b));
  const { x = __asyncContext.resume(__acState, await __asyncContext.suspend(__acState, a)), [__asyncContext.resume(__acState, await __asyncContext.suspend(__acState, b))]: y } = __asyncContext.resume(__acState, await __asyncContext.suspend(__acState, obj));
  const [first = __asyncContext.resume(__acState, await __asyncContext.suspend(__acState, a)), ...rest] = __asyncContext.resume(__acState, await __asyncContext.suspend(__acState, list));
  `${__asyncContext.resume(__acState, await __asyncContext.suspend(__acState, a))} and ${__asyncContext.resume(__acState, await __asyncContext.suspend(__acState, b))}`;
  tag`${__asyncContext.resume(__acState, await __asyncContext.suspend(__acState, a))}`;
  (__asyncContext.resume(__acState, await __asyncContext.suspend(__acState, a))) ? __asyncContext.resume(__acState, await __asyncContext.suspend(__acState, b)) : __asyncContext.resume(__acState, await __asyncContext.suspend(__acState, c));
  (a && (__asyncContext.resume(__acState, await __asyncContext.suspend(__acState, b))) || (__asyncContext.resume(__acState, await __asyncContext.suspend(__acState, c)))) ?? d;
  (__asyncContext.resume(__acState, await __asyncContext.suspend(__acState, a))) + (__asyncContext.resume(__acState, await __asyncContext.suspend(__acState, b))) * (__asyncContext.resume(__acState, await __asyncContext.suspend(__acState, c)));
  typeof __asyncContext.resume(__acState, await __asyncContext.suspend(__acState, a)), void __asyncContext.resume(__acState, await __asyncContext.suspend(__acState, a)), delete (__asyncContext.resume(__acState, await __asyncContext.suspend(__acState, a))).p, !__asyncContext.resume(__acState, await __asyncContext.suspend(__acState, a)), -__asyncContext.resume(__acState, await __asyncContext.suspend(__acState, a));
  x = __asyncContext.resume(__acState, await __asyncContext.suspend(__acState, a)); x += __asyncContext.resume(__acState, await __asyncContext.suspend(__acState, b)); x ||= __asyncContext.resume(__acState, await __asyncContext.suspend(__acState, c));
  [...(__asyncContext.resume(__acState, await __asyncContext.suspend(__acState, a))), { ...(__asyncContext.resume(__acState, await __asyncContext.suspend(__acState, b))), k: __asyncContext.resume(__acState, await __asyncContext.suspend(__acState, c)) }];
  new Thing(__asyncContext.resume(__acState, await __asyncContext.suspend(__acState, a)));
  new (__asyncContext.resume(__acState, await __asyncContext.suspend(__acState, Factory)))();
  class Local extends (__asyncContext.resume(__acState, await __asyncContext.suspend(__acState, base))) { [__asyncContext.resume(__acState, await __asyncContext.suspend(__acState, key))]() {} static [__asyncContext.resume(__acState, await __asyncContext.suspend(__acState, other))] = 1; }
  (__asyncContext.resume(__acState, await __asyncContext.suspend(__acState, a)), __asyncContext.resume(__acState, await __asyncContext.suspend(__acState, b)));
  __asyncContext.resume(__acState, await __asyncContext.suspend(__acState, __asyncContext.resume(__acState, await __asyncContext.suspend(__acState, a))));
  __asyncContext.resume(__acState, await /* comment */ __asyncContext.suspend(__acState, a));
  __asyncContext.resume(__acState, await __asyncContext.suspend(__acState, (a)));
  if (__asyncContext.resume(__acState, await __asyncContext.suspend(__acState, a))) {} else if (__asyncContext.resume(__acState, await __asyncContext.suspend(__acState, b))) {}
  while (__asyncContext.resume(__acState, await __asyncContext.suspend(__acState, a))) break;
  do {} while (__asyncContext.resume(__acState, await __asyncContext.suspend(__acState, a)));
  for (let i = __asyncContext.resume(__acState, await __asyncContext.suspend(__acState, a)); i < __asyncContext.resume(__acState, await __asyncContext.suspend(__acState, b)); i += __asyncContext.resume(__acState, await __asyncContext.suspend(__acState, c))) {}
  for (const k in __asyncContext.resume(__acState, await __asyncContext.suspend(__acState, a))) {}
  for (const v of __asyncContext.resume(__acState, await __asyncContext.suspend(__acState, a))) {}
  switch (__asyncContext.resume(__acState, await __asyncContext.suspend(__acState, a))) { case __asyncContext.resume(__acState, await __asyncContext.suspend(__acState, b)): break; default: }
  if (a) return __asyncContext.resume(__acState, await __asyncContext.suspend(__acState, a));
  throw __asyncContext.resume(__acState, await __asyncContext.suspend(__acState, b));
 } finally { __asyncContext.exit(__acState); }}
export default __asyncContext.resume(__acState, await __asyncContext.suspend(__acState, value));
