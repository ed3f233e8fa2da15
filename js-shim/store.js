// The JavaScript side of the wasm context store (src/store.rs): instantiates the module
// synchronously from inlined bytes. The JS values of the store's slots are kept by context.js
// (each in its Variable's record), which `release` tells about the slots the store freed.

import wasmHex from "../pkg/asynccontext_core_bytes.js";
import { glueFor } from "./wasm-glue.js";
import { EvalErrorCtor, ErrorCtor, ObjectHasOwn, ReflectApply, Uint8ArrayCtor, Uint8ArrayFromHex, Uint32ArrayCtor, WasmInstance, WasmModule, WasmModuleImports } from "./intrinsics.js";

const consoleError = console.error;

/**
 * `store_lookup` answers a slot (>= 0), -1 (as a signed i32) when the context does not bind the
 * variable, or STALE for a stale handle (an internal bug, reported by the caller).
 */
export const STALE = -2;

function decodeHex(hex) {
  // Native where the engine has it (Chromium 140+, Firefox 133+, Safari 18.2+): the loop below
  // runs once per byte in the interpreter, at install.
  if (Uint8ArrayFromHex !== undefined) return ReflectApply(Uint8ArrayFromHex, Uint8ArrayCtor, [hex]);
  const bytes = new Uint8ArrayCtor(hex.length >> 1);
  for (let i = 0, j = 0; i < bytes.length; i++, j += 2) {
    // '0'-'9' are 0x30-0x39, 'a'-'f' are 0x61-0x66: low nibble, plus 9 for letters.
    const hi = hex.charCodeAt(j), lo = hex.charCodeAt(j + 1);
    bytes[i] = (((hi & 15) + (hi >> 6) * 9) << 4) | ((lo & 15) + (lo >> 6) * 9);
  }
  return bytes;
}

/** Compiles an inlined module; `what` names it in errors. Throws an EvalError under a CSP without wasm. */
export function compileHex(hex, what) {
  try {
    return new WasmModule(decodeHex(hex));
  } catch (cause) {
    if (/Content.Security.Policy|CSP|unsafe-eval/i.test(String(cause && cause.message))) {
      throw new EvalErrorCtor(
        "asynccontext: this page's Content-Security-Policy forbids compiling WebAssembly, so AsyncContext " +
          "was not installed. Add 'wasm-unsafe-eval' to the script-src directive " +
          "(for example: script-src 'self' 'wasm-unsafe-eval').",
        { cause },
      );
    }
    throw new ErrorCtor(`asynccontext: could not compile the WebAssembly ${what}`, { cause });
  }
}

/**
 * Compiles and instantiates an inlined module of this crate; returns its exports. The only imports
 * wasm-bindgen gives it are the panic report (src/lib.rs) and its externref table's initializer,
 * supplied here by name, so that no wasm-bindgen glue is bundled (the exports take and return
 * numbers only).
 */
export function instantiateHex(hex, what) {
  const module = compileHex(hex, what);
  // The debug bundles (scripts/build.mjs --debug-panics): the glue supplies the std build's imports.
  const glue = glueFor !== undefined ? glueFor(hex) : undefined;
  if (glue !== undefined) return glue({ module });
  const provided = {
    panicked() {
      ReflectApply(consoleError, console, [`asynccontext: internal error: the ${what} panicked`]);
    },
    // wasm-bindgen's table of JS values passed into wasm: none ever are, so it stays empty.
    __wbindgen_init_externref_table() {},
  };
  const imports = {};
  const wanted = WasmModuleImports(module);
  for (let i = 0; i < wanted.length; i++) {
    const { module: from, name } = wanted[i];
    if (!ObjectHasOwn(provided, name)) throw new ErrorCtor(`asynccontext: internal error: the ${what} imports ${from} ${name}`);
    (imports[from] ??= {})[name] = provided[name];
  }
  const exports = new WasmInstance(module, imports).exports;
  exports.__wbindgen_start();
  return exports;
}

/**
 * Instantiates the store. Throws (installing nothing) when the page cannot run wasm.
 * Returns the raw exports; `release(handle, freeSlot)` calls `freeSlot(slot)` for every value slot
 * the store freed.
 */
export function createStore() {
  const wasm = instantiateHex(wasmHex, "context store");
  const memory = wasm.memory;
  const derive = wasm.store_derive;
  const lookup = wasm.store_lookup;
  const releaseRaw = wasm.store_release;
  let words = new Uint32ArrayCtor(memory.buffer);

  return {
    newVariable: wasm.store_new_variable,
    derive,
    lookup,
    /** Releases a node; the values of the slots the store freed are dropped by `freeSlot`. */
    release(handle, freeSlot) {
      const at = releaseRaw(handle) >>> 2;
      if (at === 0) {
        // Called from the FinalizationRegistry: report, do not throw into the page.
        ReflectApply(consoleError, console, ["asynccontext: internal error: a context was released twice"]);
        return;
      }
      // Growing wasm memory detaches the old buffer, which empties every view on it.
      if (words.length === 0) words = new Uint32ArrayCtor(memory.buffer);
      const count = words[at];
      for (let i = 1; i <= count; i++) freeSlot(words[at + i]);
    },
    liveNodes: wasm.store_live_nodes,
    liveSlots: wasm.store_live_slots,
  };
}
