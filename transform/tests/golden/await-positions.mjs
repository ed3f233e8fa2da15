// Every expression position an await can take inside an async function.
export async function positions(a, b) {
  f(await a, await b);
  (await a).prop;
  (await a)?.prop?.();
  obj[await a] = await b;
  const { x = await a, [await b]: y } = await obj;
  const [first = await a, ...rest] = await list;
  `${await a} and ${await b}`;
  tag`${await a}`;
  (await a) ? await b : await c;
  (a && (await b) || (await c)) ?? d;
  (await a) + (await b) * (await c);
  typeof await a, void await a, delete (await a).p, !await a, -await a;
  x = await a; x += await b; x ||= await c;
  [...(await a), { ...(await b), k: await c }];
  new Thing(await a);
  new (await Factory)();
  class Local extends (await base) { [await key]() {} static [await other] = 1; }
  (await a, await b);
  await await a;
  await /* comment */ a;
  await (a);
  if (await a) {} else if (await b) {}
  while (await a) break;
  do {} while (await a);
  for (let i = await a; i < await b; i += await c) {}
  for (const k in await a) {}
  for (const v of await a) {}
  switch (await a) { case await b: break; default: }
  if (a) return await a;
  throw await b;
}
export default await value;
