// await using: guards resume after the disposal awaits and suspend before them.
export async function resources() {
  await using connection = await open();
  {
    using lock = acquire();
    await using a = first(), b = second()
    work(a, b);
  }
  for (await using file of files()) { read(file); }
  for await (await using file of asyncFiles()) read(file);
  for (await using cursor = openCursor(); cursor.next(); ) step(cursor);
  // The head's expression is evaluated while `file` is uninitialised (TDZ).
  for (await using file of [file]) {}
  for(await using file of(files()))read(file);
  return connection.id;
}
await using moduleLevel = openModuleResource();
