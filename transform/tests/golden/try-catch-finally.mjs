// catch/finally blocks that may be reached from a suspension resume the context first.
export async function cases() {
  try {
    await a();
  } catch (error) {
    log(error);
  } finally {
    done();
  }

  try { await a(); } catch { recover(); }

  try { sync(); } catch (e) { onlySync(e); } finally { noAwaitAbove(); }

  try { sync(); } catch (e) { await report(e); } finally { afterAwaitInCatch(); }

  try {
    try { await inner(); } finally { innerFinally(); }
  } catch (e) { outerCatch(e); }

  try { for await (const x of xs) use(x); } catch (e) { fromLoop(e); }

  const nested = () => { try { work(); } catch (e) { log(e); } };
  return nested;
}
