// await using: guards resume after the disposal awaits and suspend before them.
var __asyncContext = __asyncContextInit(); function __asyncContextInit() { return __asyncContext || (__asyncContext = globalThis[Symbol.for("asynccontext.suspension")] || { enter() {}, suspend(_, v) { return v; }, resume(_, v) { return v; }, exit() {}, forAwait(_, it) { return it; } }); } const __acState = __asyncContext.enter(); export async function resources() { const __acState = (__asyncContext || __asyncContextInit()).enter(); try {
  using __acGuard_1 = { [Symbol.dispose]() { __asyncContext.resume(__acState); } }; await using connection = __asyncContext.resume(__acState, await __asyncContext.suspend(__acState, open())); using __acGuard_2 = { [Symbol.dispose]() { __asyncContext.suspend(__acState); } };
  {
    using lock = acquire();
    using __acGuard_3 = { [Symbol.dispose]() { __asyncContext.resume(__acState); } }; await using a = first(), b = second(); using __acGuard_4 = { [Symbol.dispose]() { __asyncContext.suspend(__acState); } };;
    work(a, b);
  }
  for (const file of files()) { using __acGuard_6 = { [Symbol.dispose]() { __asyncContext.resume(__acState); } }; await using __acUsing_5 = file; using __acGuard_7 = { [Symbol.dispose]() { __asyncContext.suspend(__acState); } }; { read(file); } }
  try { for await (await using file of __asyncContext.forAwait(__acState, asyncFiles())) { __asyncContext.resume(__acState); using __acGuard_8 = { [Symbol.dispose]() { __asyncContext.suspend(__acState); } }; read(file); } } finally { __asyncContext.resume(__acState); }
  try { for (await using cursor = openCursor(), __acGuard_9 = { [Symbol.asyncDispose]() { __asyncContext.suspend(__acState); } }; cursor.next(); ) step(cursor); } finally { __asyncContext.resume(__acState); }
  // The head's expression is evaluated while `file` is uninitialised (TDZ).
  for (const file of [file]) { using __acGuard_11 = { [Symbol.dispose]() { __asyncContext.resume(__acState); } }; await using __acUsing_10 = file; using __acGuard_12 = { [Symbol.dispose]() { __asyncContext.suspend(__acState); } }; {} }
  for(const file of(files())){ using __acGuard_14 = { [Symbol.dispose]() { __asyncContext.resume(__acState); } }; await using __acUsing_13 = file; using __acGuard_15 = { [Symbol.dispose]() { __asyncContext.suspend(__acState); } }; read(file); }
  return connection.id;
 } finally { __asyncContext.exit(__acState); }}
using __acGuard_16 = { [Symbol.dispose]() { __asyncContext.resume(__acState); } }; await using moduleLevel = openModuleResource(); using __acGuard_17 = { [Symbol.dispose]() { __asyncContext.suspend(__acState); } };
