// Declarations, expressions, arrows and methods; each function that suspends gets its own state.
async function declaration() {
  await step();
}
const expression = async function named() {
  return await step();
};
const concise = async (x) => await x;
const conciseObject = async () => ({ value: await step() });
const block = async x => { await x; };
const object = {
  async method() { await step(); },
  async [computed]() { await step(); },
};
class Store {
  async load() { return await fetchIt(this.url); }
  static async create() { await Store.prepare(); }
  async #secret() { await step(); }
  field = async () => { await step(); };
}
async function outer() {
  await step();
  async function inner() {
    await step();
  }
  function untouched() {
    try { work(); } catch (e) { log(e); }
  }
  const arrow = async () => await inner();
  return [inner, untouched, arrow];
}
async function strict(a) {
  "use strict"
  await a;
}
async function directives() {
  'use strict'; 'another directive';
  await step();
}
