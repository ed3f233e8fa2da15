#!/usr/bin/env node
// node scripts/size.mjs: what each js-shim module costs in pkg/asynccontext.global.js, as gzip -9
// bytes of the bundle (esbuild + terser, as scripts/build.mjs makes it) minus the same bundle with
// that module's exports stubbed out as no-ops. Measurement only: a stubbed bundle is never shipped.
// Modules that others import (patch.js, context.js) pull their dependents out too, so their figures
// overlap. Needs a prior `npm run build` (the inlined wasm module).
import { build } from "esbuild";
import { minify } from "terser";
import { gzipSync } from "node:zlib";
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const src = readFileSync(root + "/scripts/build.mjs", "utf8");
const mangle = new RegExp(src.match(/mangleProps: \/(.*)\/,/)[1]);
async function size(stubPath) {
  // The stubbed module keeps its export names (as functions answering []), so importers still bundle.
  const stub = {
    name: "stub",
    setup(b) {
      b.onLoad({ filter: /\.js$/ }, (args) => {
        if (args.path !== stubPath) return undefined;
        const text = readFileSync(args.path, "utf8");
        const names = [...text.matchAll(/export (?:async )?(?:function\*?|const|let|class) (\w+)/g)].map((m) => m[1]);
        const body = names.map((n) => `export function ${n}() { return []; }`).join("\n");
        return { contents: body + (/export default/.test(text) ? "\nexport default '';" : ""), loader: "js" };
      });
    },
  };
  const r = await build({ entryPoints: [root + "/js-shim/global.js"], bundle: true, minify: true, target: "es2022", legalComments: "none", mangleProps: mangle, format: "iife", write: false, logLevel: "silent", plugins: [stub] });
  const t = await minify(Buffer.from(r.outputFiles[0].contents).toString(), { compress: { passes: 2 }, mangle: true });
  return [t.code.length, gzipSync(t.code, { level: 9 }).length];
}
const [rawAll, gzAll] = await size(null);
console.log(`bundle: ${rawAll} bytes, ${gzAll} gzip (without banner and source map comment)`);
console.log("  gzip    raw  module (bytes saved without it)");
const files = [...readdirSync(root + "/js-shim/patches").map((f) => "patches/" + f), "api.js", "causes.js", "context.js", "errors.js", "patch.js", "suspension.js", "native-look.js", "fallback.js"];
const rows = [];
for (const f of files) { try { const [r, g] = await size(root + "/js-shim/" + f); rows.push([f, rawAll - r, gzAll - g]); } catch (e) { rows.push([f, "err", String(e.message).slice(0, 60)]); } }
rows.sort((a, b) => b[2] - a[2]);
for (const [f, r, g] of rows) console.log(String(g).padStart(6), String(r).padStart(6), f);
