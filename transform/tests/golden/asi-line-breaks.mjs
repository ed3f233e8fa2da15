// Line breaks that end a statement by automatic semicolon insertion: the inserted closing text
// must not let the next line continue the expression.
export function* generator(a) {
  let x = 1
  yield
  (a)
  yield
  [a]
  x = yield x++
  (a)
  yield () => {}
  `t`
  yield
  +a
  yield
  /re/g.test(a)
  return x
}
export async function asyncFunction(x) {
  await x++
  [0]
  let y = await x--
  (0)
  if (x) await x++
  else await x--
  return y
}
