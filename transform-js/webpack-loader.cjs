// asynccontext/transform/webpack: the await transform as a webpack loader.
//
//   // webpack.config.js
//   module: { rules: [{ test: /\.[cm]?[jt]sx?$/, exclude: /node_modules/, use: "asynccontext/transform/webpack" }] }
//
// The rule's test/include/exclude choose the files; the loader transforms every file it is given.
// Put it last in `use` (loaders run last to first) so it sees the original text: the transform
// parses TypeScript and JSX itself. Option: `sourceKind` ("auto" | "module" | "script"). Parse errors
// fail the module with "file:line:column: message"; notes become warnings. An incoming source map
// (from an earlier loader) is not composed: the output maps to the text the loader received.
"use strict";

let wasmTransform;

module.exports = function asyncContextTransformLoader(source, inputMap) {
  wasmTransform ??= require("../pkg/transform/asynccontext_transform.cjs").transform;
  const options = (this.getOptions && this.getOptions()) || {};
  const file = this.resourcePath;
  let out;
  try {
    out = wasmTransform(String(source), { filename: file, sourceKind: options.sourceKind });
  } catch (error) {
    if (!(error instanceof SyntaxError) || typeof error.line !== "number") throw error;
    const message = error.message.replace(/^\d+:\d+: /, "");
    this.callback(Object.assign(new SyntaxError(`${file}:${error.line}:${error.column}: ${message}`), { line: error.line, column: error.column }));
    return;
  }
  for (const note of out.notes) this.emitWarning(new Error(`${file}:${note.line}:${note.column}: ${note.message}`));
  if (!out.changed) {
    this.callback(null, source, inputMap);
    return;
  }
  this.callback(null, out.code, this.sourceMap ? JSON.parse(out.map) : undefined);
};
