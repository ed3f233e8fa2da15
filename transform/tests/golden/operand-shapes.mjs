// Every kind of token an operand can start with, right after `await`, `yield` and `yield*` with no
// space (as minifiers write them): the keyword must stay a keyword.
export async function punctuators(o, p, x, re) {
  const a = await(o), b = await[o, p], c = await{ o }, d = await`t${o}`, e = await"s", f = await'q';
  const g = await.5, h = await/re/.source, i = await+o, j = await-o, k = await!o, l = await~o;
  const m = await++x, n = await--x, q = await(0, p)(), r = await/*c*/(o), s = await//c
  (o);
  return [a, b, c, d, e, f, g, h, i, j, k, l, m, n, q, r, s, await await(o), await 1, await x];
}
export class Fields {
  #x = 1;
  async has(o) { return #x in await(o); }
  async inside(o) { return await(#x in o); }
  *gen() { yield#x in this; yield*[#x in this]; }
}
export function* generator(o) {
  yield(o); yield[o]; yield{ o }; yield`t`; yield"s"; yield'q'; yield.5; yield/re/g; yield+o;
  yield-o; yield!o; yield~o; yield++o; yield--o; yield 1; yield; yield yield(o);
  yield*(o); yield*[o]; yield*"s"; yield*`t`; yield*/re/; yield*{ *[Symbol.iterator]() {} };
}
export async function* asyncGenerator(o) {
  yield await(o); await(yield); yield*(await[o]); for await(const v of(o))yield(v);
}
export const arrow = async(o)=>await(o), arrowBody = async o=>{return await[o]};
// `return X` in an async generator awaits X before the finally block runs.
export async function* returns(o) { try { return(o); } finally { o.done(); } }
