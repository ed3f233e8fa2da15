// Typings for asynccontext/transform.

export interface TransformOptions {
  /** The file's name: its extension picks JSX/TypeScript syntax and module/CommonJS parsing. */
  filename?: string;
  /** "auto" (default) detects module syntax; "module" and "script" force the kind. */
  sourceKind?: "auto" | "module" | "script";
  /** The name written to the source map's `sources` (default: `filename`). */
  mapSource?: string;
  /** The source map's `file`. */
  mapFile?: string;
  /** Leave `sourcesContent` out of the source map. */
  omitSourcesContent?: boolean;
}

export interface TransformNote {
  message: string;
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units. */
  column: number;
}

export interface TransformResult {
  code: string;
  /** Source map v3, as JSON text. */
  map: string;
  /** False when the output is the input byte for byte. */
  changed: boolean;
  kind: "module" | "script" | "commonjs" | "declaration";
  notes: TransformNote[];
}

/** Thrown for a parse error; the message is "line:column: message". */
export interface TransformSyntaxError extends SyntaxError {
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units. */
  column: number;
}

/** Transforms one file's text. Throws a {@link TransformSyntaxError} if it does not parse. */
export function transform(code: string, options?: TransformOptions): TransformResult;

/** The file extensions the transform and the plugins handle. */
export const extensions: readonly string[];

/** A RegExp, a path (file or directory, relative to the working directory) or a predicate on the file path. */
export type FilterPattern = RegExp | string | ((file: string) => boolean) | ReadonlyArray<RegExp | string | ((file: string) => boolean)>;

export interface PluginOptions {
  /** Files to transform. Without it, every file with a handled extension outside node_modules. */
  include?: FilterPattern;
  /** Files never to transform. */
  exclude?: FilterPattern;
  sourceKind?: "auto" | "module" | "script";
}
