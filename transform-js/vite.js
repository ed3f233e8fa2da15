// asynccontext/transform/vite: the await transform as a Vite and Rollup plugin.
//
//   import { asyncContextTransform } from "asynccontext/transform/vite";
//   export default { plugins: [asyncContextTransform()] };            // vite.config.js
//   rollup({ input: "src/main.js", plugins: [asyncContextTransform()] });
//
// It runs before other plugins in Vite (`enforce: "pre"`), on the original source: the transform
// parses TypeScript and JSX itself. Unchanged files are passed on untouched.
import path from "node:path";
import { transform } from "./index.js";
import { createFilter } from "./filter.js";

/**
 * Options: `include`, `exclude` (see filter.js: RegExps, paths or functions; node_modules is
 * skipped unless `include` matches), `sourceKind` ("auto" | "module" | "script").
 */
export function asyncContextTransform(options = {}) {
  const filter = createFilter(options);
  return {
    name: "asynccontext-transform",
    enforce: "pre",
    transform(code, id) {
      if (id.startsWith("\0")) return null; // virtual modules
      const file = id.replace(/[?#].*$/, ""); // Vite adds queries (?v=…, ?import)
      if (!filter(file)) return null;
      let out;
      try {
        out = transform(code, { filename: file, mapSource: path.basename(file), sourceKind: options.sourceKind });
      } catch (error) {
        if (!(error instanceof SyntaxError) || typeof error.line !== "number") throw error;
        const message = error.message.replace(/^\d+:\d+: /, "");
        // Rollup's loc.column counts from 0; the transform's from 1.
        this.error({ message: `${file}:${error.line}:${error.column}: ${message}`, id, loc: { file, line: error.line, column: error.column - 1 } });
      }
      for (const note of out.notes) {
        this.warn({ message: `${file}:${note.line}:${note.column}: ${note.message}`, id, loc: { file, line: note.line, column: note.column - 1 } });
      }
      if (!out.changed) return null;
      return { code: out.code, map: JSON.parse(out.map) };
    },
  };
}

export default asyncContextTransform;
