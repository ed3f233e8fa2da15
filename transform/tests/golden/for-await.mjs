// for await: the iterable goes through forAwait, the body resumes, a finally resumes after the loop.
export async function loops(source) {
  for await (const item of source) {
    use(item);
  }
  for await (const item of source) use(item);
  for await (const { a, b: [c] } of source) pair(a, c);
  let existing;
  for await (existing of source);
  outer: for await (const x of source) {
    inner: for await (const y of other(x)) {
      if (y) continue outer;
      break inner;
    }
  }
  first: second: for await (const z of source) break first;
  if (flag) for await (const x of source) use(x); else skip();
  for await (const x of await makeSource()) {}
}
async function* relay(source) {
  for await (const chunk of source) yield chunk;
}
