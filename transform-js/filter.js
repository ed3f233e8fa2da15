// Which files the plugins transform (shared by vite.js and esbuild.js).
import path from "node:path";
import { extensions } from "./index.js";

const pattern = /\.(?:[cm]?[jt]s|[jt]sx)$/;

/** esbuild's onLoad filter: the extensions the transform handles. */
export const extensionFilter = pattern;

function toPredicate(option, name) {
  const list = option === undefined || option === null ? [] : Array.isArray(option) ? option : [option];
  const tests = list.map((entry) => {
    if (entry instanceof RegExp) return (file) => { entry.lastIndex = 0; return entry.test(file); };
    if (typeof entry === "function") return (file) => Boolean(entry(file));
    if (typeof entry === "string") {
      // A path: the file itself or anything below it (resolved against the working directory).
      const base = path.resolve(entry).split(path.sep).join("/").replace(/\/+$/, "");
      return (file) => file === base || file.startsWith(`${base}/`);
    }
    throw new TypeError(`asynccontext/transform: ${name} entries must be RegExps, path strings or functions`);
  });
  return list.length === 0 ? null : (file) => tests.some((t) => t(file));
}

/**
 * `include`/`exclude`: a RegExp, a path (a file or a directory, relative to the working directory),
 * a function of the file path, or an array of these. Paths are tested with forward slashes.
 * A file is transformed when its extension is one of `extensions`, it is not a `.d.ts` file, no
 * `exclude` entry matches it, and either an `include` entry matches it or, with no `include`, it is
 * not inside node_modules.
 */
export function createFilter({ include, exclude } = {}) {
  const included = toPredicate(include, "include");
  const excluded = toPredicate(exclude, "exclude");
  return (file) => {
    const normalized = file.split(path.sep).join("/");
    if (!pattern.test(normalized) || /\.d\.[cm]?ts$/.test(normalized)) return false;
    if (excluded && excluded(normalized)) return false;
    if (included) return included(normalized);
    return !/(?:^|\/)node_modules\//.test(normalized);
  };
}

export { extensions };
