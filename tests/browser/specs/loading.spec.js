// What the polyfill publishes about itself once loaded in the harness page: the installed-info object and the
// opt-in test hooks. (Pages that need their own setup — CSP, double install, script order — are fixtures.)

import { test, assert, collectGarbage, liveNodes, liveSlots } from "../harness.js";

const INFO = Symbol.for("asynccontext");

test("the installed-info object is globalThis[Symbol.for(\"asynccontext\")] and is frozen", () => {
  const info = globalThis[INFO];
  assert.equal(typeof info, "object");
  assert.ok(info !== null, "info is not null");
  assert.equal(Object.isFrozen(info), true);
});

test("the installed-info name is \"asynccontext\"", () => {
  assert.equal(globalThis[INFO].name, "asynccontext");
});

test("the installed-info active is \"asynccontext\" when the polyfill installed itself", () => {
  assert.equal(globalThis[INFO].active, "asynccontext");
});

test("the installed-info version is the version in package.json", async () => {
  const response = await fetch("/package.json");
  const pkg = await response.json();
  assert.equal(globalThis[INFO].version, pkg.version);
});

test("the test hooks replace the opt-in flag with liveNodes and liveSlots functions", () => {
  const hooks = globalThis.__ASYNCCONTEXT_TEST_HOOKS__;
  assert.equal(typeof hooks, "object");
  assert.equal(typeof hooks.liveNodes, "function", "liveNodes");
  assert.equal(typeof hooks.liveSlots, "function", "liveSlots");
});

test("the store is empty at baseline: no live nodes or slots after garbage collection", async () => {
  await collectGarbage(() => liveNodes() === 0 && liveSlots() === 0);
  assert.deepEqual({ nodes: liveNodes(), slots: liveSlots() }, { nodes: 0, slots: 0 });
});
