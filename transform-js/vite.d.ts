// Typings for asynccontext/transform/vite. The plugin object follows Rollup's and Vite's plugin
// interface; it is typed structurally so that neither package's types are needed.
import type { PluginOptions } from "./index.js";

export type { PluginOptions, FilterPattern } from "./index.js";

export interface AsyncContextTransformPlugin {
  name: "asynccontext-transform";
  enforce: "pre";
  transform(this: unknown, code: string, id: string): { code: string; map: SourceMapV3 } | null;
}

export function asyncContextTransform(options?: PluginOptions): AsyncContextTransformPlugin;
export default asyncContextTransform;

export interface SourceMapV3 {
  version: number;
  file?: string;
  sources: string[];
  sourcesContent?: string[];
  names: string[];
  mappings: string;
}
