// Typings for asynccontext/transform/esbuild. The plugin object follows esbuild's Plugin interface;
// it is typed structurally so that esbuild's types are not needed.
import type { PluginOptions } from "./index.js";

export type { PluginOptions, FilterPattern } from "./index.js";

export interface AsyncContextTransformPlugin {
  name: "asynccontext-transform";
  setup(build: any): void;
}

export function asyncContextTransform(options?: PluginOptions): AsyncContextTransformPlugin;
export default asyncContextTransform;
