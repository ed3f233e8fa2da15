// FinalizationRegistry (semantics.md §2): cleanup callbacks run in the context current when the
// registry was constructed, whichever context `register` was called in. The context is held
// while the registry lives.
//
// The global constructor is replaced by a subclass-safe one (patch.js). The shim's own
// registry (context.js) is built from the original constructor read at load by intrinsics.js, so
// it is not affected. Registries constructed in the empty context keep their callback unwrapped.

import { bind, isEmpty } from "../context.js";
import { prepareConstructorWith } from "../patch.js";

export function prepareFinalization(global) {
  return [
    prepareConstructorWith(global, "FinalizationRegistry", (args) => {
      if (!isEmpty() && typeof args[0] === "function") args[0] = bind(args[0], "FinalizationRegistry");
    }),
  ];
}
