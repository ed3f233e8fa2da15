// Async functions without a suspension point run to completion synchronously: left alone.
export async function ready() {
  return 1;
}
export const later = async () => ({ value: 2 });
const object = {
  async method() { return this; },
  *empty() {},
};
class Service {
  async start() { try { init(); } catch (e) { report(e); } }
  async *idle() {}
}
function* nothing() {}
async function outer() {
  // the nested function awaits, the outer one does not... see async-functions.js for that case
  return function inner() { return 3; };
}
