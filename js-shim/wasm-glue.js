// The default bundles instantiate their no_std modules without wasm-bindgen's glue (store.js).
// `node scripts/build.mjs --debug-panics` replaces this module with pkg/debug/wasm-glue.js, whose
// `glueFor(hex)` answers that module's glue `initSync` (its std build imports console and Error).
export const glueFor = undefined;
