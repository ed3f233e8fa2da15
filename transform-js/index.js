// asynccontext/transform: the await transform (transform/, Rust) as WebAssembly, for node tools.
//
//   import { transform } from "asynccontext/transform";
//   const { code, map, changed, kind, notes } = transform(source, { filename: "src/app.ts" });
//
// The wasm module (pkg/transform/, copied there by `npm run build`) is compiled synchronously on the
// first call. Bundler plugins: asynccontext/transform/vite (Vite and Rollup), asynccontext/transform/esbuild.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
let wasmTransform;

function load() {
  if (!wasmTransform) {
    try {
      ({ transform: wasmTransform } = require("../pkg/transform/asynccontext_transform.cjs"));
    } catch (error) {
      throw new Error(`asynccontext/transform: cannot load pkg/transform/asynccontext_transform.cjs (run \`npm run build\` in a checkout): ${error.message}`, { cause: error });
    }
  }
  return wasmTransform;
}

/**
 * Transforms one file's text. Options: `filename` (its extension picks JSX/TypeScript and
 * module/CommonJS), `sourceKind` ("auto" | "module" | "script"), `mapSource`, `mapFile`,
 * `omitSourcesContent`. Returns `{ code, map, changed, kind, notes }`; `map` is source map v3 JSON
 * text. A parse error throws a SyntaxError "line:column: message" with `line` and `column`
 * (1-based; columns in UTF-16 code units).
 */
export function transform(code, options = {}) {
  if (typeof code !== "string") throw new TypeError("asynccontext/transform: code must be a string");
  return load()(code, options);
}

/** The file extensions the transform and the plugins handle. */
export const extensions = Object.freeze([".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx"]);
