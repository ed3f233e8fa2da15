/// <reference types="asynccontext" />
// A classic script (no import/export) using the global from <script src=".../asynccontext.global.js">.

// test: a triple-slash types reference declares the global AsyncContext in a classic script
{
  const user = new AsyncContext.Variable({ name: "user", defaultValue: "anonymous" });
  const name: string = user.run("ada", () => user.get());
  void name;
}

// test: Snapshot.wrap is usable from a classic script
{
  const onTick = AsyncContext.Snapshot.wrap((tick: number) => tick * 2);
  const doubled: number = onTick(21);
  void doubled;
}
