// catch/finally blocks that may be reached from a suspension resume the context first.
var __asyncContext = __asyncContextInit(); function __asyncContextInit() { return __asyncContext || (__asyncContext = globalThis[Symbol.for("asynccontext.suspension")] || { enter() {}, suspend(_, v) { return v; }, resume(_, v) { return v; }, exit() {}, forAwait(_, it) { return it; } }); } export async function cases() { const __acState = (__asyncContext || __asyncContextInit()).enter(); try {
  try {
    __asyncContext.resume(__acState, await __asyncContext.suspend(__acState, a()));
  } catch (error) { __asyncContext.resume(__acState);
    log(error);
  } finally { __asyncContext.resume(__acState);
    done();
  }

  try { __asyncContext.resume(__acState, await __asyncContext.suspend(__acState, a())); } catch { __asyncContext.resume(__acState); recover(); }

  try { sync(); } catch (e) { onlySync(e); } finally { noAwaitAbove(); }

  try { sync(); } catch (e) { __asyncContext.resume(__acState, await __asyncContext.suspend(__acState, report(e))); } finally { __asyncContext.resume(__acState); afterAwaitInCatch(); }

  try {
    try { __asyncContext.resume(__acState, await __asyncContext.suspend(__acState, inner())); } finally { __asyncContext.resume(__acState); innerFinally(); }
  } catch (e) { __asyncContext.resume(__acState); outerCatch(e); }

  try { try { for await (const x of __asyncContext.forAwait(__acState, xs)) { __asyncContext.resume(__acState); use(x); } } finally { __asyncContext.resume(__acState); } } catch (e) { __asyncContext.resume(__acState); fromLoop(e); }

  const nested = () => { try { work(); } catch (e) { log(e); } };
  return nested;
 } finally { __asyncContext.exit(__acState); }}
