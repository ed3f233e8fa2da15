// Imported by specs/modules.spec.js (with a unique query per import, so each import evaluates anew):
// records what the spec's variable holds while this module's body evaluates, after its top-level
// await, and in a timer the body schedules.
const probe = globalThis.__modulesSpecProbe;
const id = new URL(import.meta.url).searchParams.get("id");
probe.record(id, "body", probe.variable.get());
await new Promise((resolve) => setTimeout(resolve, 10));
probe.record(id, "after top-level await", probe.variable.get());
setTimeout(() => probe.record(id, "timer scheduled by the body", probe.variable.get()), 0);
export const evaluated = id;
