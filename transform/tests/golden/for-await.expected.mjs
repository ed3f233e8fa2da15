// for await: the iterable goes through forAwait, the body resumes, a finally resumes after the loop.
var __asyncContext = __asyncContextInit(); function __asyncContextInit() { return __asyncContext || (__asyncContext = globalThis[Symbol.for("asynccontext.suspension")] || { enter() {}, suspend(_, v) { return v; }, resume(_, v) { return v; }, exit() {}, forAwait(_, it) { return it; } }); } export async function loops(source) { const __acState = (__asyncContext || __asyncContextInit()).enter(); try {
  try { for await (const item of __asyncContext.forAwait(__acState, source)) { __asyncContext.resume(__acState);
    use(item);
  } } finally { __asyncContext.resume(__acState); }
  try { for await (const item of __asyncContext.forAwait(__acState, source)) { __asyncContext.resume(__acState); use(item); } } finally { __asyncContext.resume(__acState); }
  try { for await (const { a, b: [c] } of __asyncContext.forAwait(__acState, source)) { __asyncContext.resume(__acState); pair(a, c); } } finally { __asyncContext.resume(__acState); }
  let existing;
  try { for await (existing of __asyncContext.forAwait(__acState, source)){ __asyncContext.resume(__acState); ; } } finally { __asyncContext.resume(__acState); }
  try { outer: for await (const x of __asyncContext.forAwait(__acState, source)) { __asyncContext.resume(__acState);
    try { inner: for await (const y of __asyncContext.forAwait(__acState, other(x))) { __asyncContext.resume(__acState);
      if (y) continue outer;
      break inner;
    } } finally { __asyncContext.resume(__acState); }
  } } finally { __asyncContext.resume(__acState); }
  try { first: second: for await (const z of __asyncContext.forAwait(__acState, source)) { __asyncContext.resume(__acState); break first; } } finally { __asyncContext.resume(__acState); }
  if (flag) try { for await (const x of __asyncContext.forAwait(__acState, source)) { __asyncContext.resume(__acState); use(x); } } finally { __asyncContext.resume(__acState); } else skip();
  try { for await (const x of __asyncContext.forAwait(__acState, __asyncContext.resume(__acState, await __asyncContext.suspend(__acState, makeSource())))) { __asyncContext.resume(__acState);} } finally { __asyncContext.resume(__acState); }
 } finally { __asyncContext.exit(__acState); }}
async function* relay(source, ...{ __acState = (__asyncContext || __asyncContextInit()).enter() }) { __asyncContext.resume(__acState); try {
  try { for await (const chunk of __asyncContext.forAwait(__acState, source)) { __asyncContext.resume(__acState); __asyncContext.resume(__acState, yield __asyncContext.suspend(__acState, chunk)); } } finally { __asyncContext.resume(__acState); }
 } finally { __asyncContext.exit(__acState); }}
