// The JavaScript side of the call-graph module (src/graph.rs, built with `--features graph`):
// a second, separate WebAssembly instance that only the tracking builds carry.

import graphHex from "../pkg/asynccontext_graph_bytes.js";
import { Uint32ArrayCtor } from "./intrinsics.js";
import { instantiateHex } from "./store.js";

export function createGraph() {
  const wasm = instantiateHex(graphHex, "call graph");
  const memory = wasm.memory;
  const chain = wasm.graph_chain;
  let words = new Uint32ArrayCtor(memory.buffer);
  return {
    /** A task node (handle > 0) linked to `link` (0: root), ready edge `ready` (0: none); -1 on failure. */
    create: wasm.graph_create,
    release: wasm.graph_release,
    setReady: wasm.graph_set_ready,
    /**
     * The chain from `handle` toward its root as a flat array [index, repeat, elided, ready, ...]
     * (arena indices; 0 for "none"), or undefined for a stale handle.
     */
    chain(handle, max) {
      const at = chain(handle, max) >>> 2;
      if (at === 0) return undefined;
      // Growing wasm memory detaches the old buffer, which empties every view on it.
      if (words.length === 0) words = new Uint32ArrayCtor(memory.buffer);
      const count = words[at] * 4;
      const out = [];
      for (let i = 0; i < count; i++) out[i] = words[at + 1 + i];
      return out;
    },
    liveNodes: wasm.graph_live_nodes,
  };
}
