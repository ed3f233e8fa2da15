// Type-checked by check.mjs (tsc --strict --module nodenext): the typings of asynccontext/transform
// and its plugins, resolved through the package's own "exports", against Rollup's and esbuild's
// plugin types. Never run.
import { transform, extensions, type TransformResult, type TransformSyntaxError } from "asynccontext/transform";
import { asyncContextTransform as vitePlugin } from "asynccontext/transform/vite";
import esbuildPlugin from "asynccontext/transform/esbuild";
import type { Plugin as RollupPlugin } from "rollup";
import type { Plugin as EsbuildPlugin } from "esbuild";

const result: TransformResult = transform("await 1", { filename: "a.mts", sourceKind: "module", omitSourcesContent: true });
const kind: "module" | "script" | "commonjs" | "declaration" = result.kind;
const first: string | undefined = extensions[0];
const rollupPlugin: RollupPlugin = vitePlugin({ include: [/src\//, "src", (file) => file.endsWith(".ts")], exclude: /vendor/ });
const plugin: EsbuildPlugin = esbuildPlugin({ sourceKind: "auto" });
function position(error: TransformSyntaxError): string {
  return `${error.line}:${error.column}`;
}
// @ts-expect-error sourceKind is one of three strings
vitePlugin({ sourceKind: "commonjs" });
export { kind, first, rollupPlugin, plugin, position };
