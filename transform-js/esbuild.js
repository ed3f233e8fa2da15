// asynccontext/transform/esbuild: the await transform as an esbuild plugin.
//
//   import { build } from "esbuild";
//   import { asyncContextTransform } from "asynccontext/transform/esbuild";
//   await build({ entryPoints: ["src/main.ts"], bundle: true, sourcemap: true, plugins: [asyncContextTransform()] });
//
// An onLoad callback for .js .mjs .cjs .jsx .ts .mts .cts .tsx files in the "file" namespace reads
// the file, transforms it and hands esbuild the result with an inline source map, so esbuild's own
// source map points at the original text. The loader comes from the build's `loader` option for
// that extension, or else from the extension. Files the transform leaves unchanged (and filtered
// out files) are loaded by esbuild as usual. Being an onLoad callback, it takes the place of any
// later plugin's onLoad for the files it transforms.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { transform } from "./index.js";
import { createFilter, extensionFilter } from "./filter.js";

const loaders = { ".js": "js", ".mjs": "js", ".cjs": "js", ".jsx": "jsx", ".ts": "ts", ".mts": "ts", ".cts": "ts", ".tsx": "tsx" };

/**
 * Options: `include`, `exclude` (see filter.js: RegExps, paths or functions; node_modules is
 * skipped unless `include` matches), `sourceKind` ("auto" | "module" | "script").
 */
export function asyncContextTransform(options = {}) {
  const filter = createFilter(options);
  return {
    name: "asynccontext-transform",
    setup(build) {
      const configured = build.initialOptions.loader ?? {};
      build.onLoad({ filter: extensionFilter, namespace: "file" }, async (args) => {
        if (!filter(args.path)) return undefined;
        const source = await readFile(args.path, "utf8");
        let out;
        try {
          out = transform(source, { filename: args.path, mapSource: path.basename(args.path), sourceKind: options.sourceKind });
        } catch (error) {
          if (!(error instanceof SyntaxError) || typeof error.line !== "number") throw error;
          return { errors: [{ text: error.message.replace(/^\d+:\d+: /, ""), location: location(args.path, source, error) }] };
        }
        const warnings = out.notes.map((note) => ({ text: note.message, location: location(args.path, source, note) }));
        if (!out.changed) return warnings.length ? { warnings } : undefined;
        const ext = path.extname(args.path);
        const map = Buffer.from(out.map).toString("base64");
        return {
          contents: `${out.code}\n//# sourceMappingURL=data:application/json;charset=utf-8;base64,${map}\n`,
          loader: configured[ext] ?? loaders[ext],
          warnings,
        };
      });
    },
  };
}

// esbuild locations: 1-based line, 0-based column, with the line's text.
function location(file, source, { line, column }) {
  return { file, line, column: column - 1, lineText: source.split(/\r\n|[\n\r\u2028\u2029]/)[line - 1] ?? "" };
}

export default asyncContextTransform;
