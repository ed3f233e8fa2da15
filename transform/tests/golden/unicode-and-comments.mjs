/* ünïcödé 😀 before */ export async function f(s = "😀") { // trailing comment
  const é = await g(s); /* inline 😀 */ return é;
}
