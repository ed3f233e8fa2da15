#!/usr/bin/env node
// Type test for js-shim/asynccontext.d.ts and js-shim/tracking.d.ts:  node tests/types/check.mjs
//
// Each tests/types/*.ts file is compiled on its own (tsc --strict --noEmit equivalent) against a
// throwaway copy of the package: <tmp>/node_modules/asynccontext/ holds the real package.json and,
// at every path its "types" entries name, the js-shim/ declaration file of the same basename
// (pkg/asynccontext.d.ts <- js-shim/asynccontext.d.ts, pkg/tracking.d.ts <- js-shim/tracking.d.ts),
// so resolution goes through the real `exports` map. A file is split into tests by `// test: <rule>` lines; a test passes when the
// compiler reports nothing inside its section. Bad usages carry `// @ts-expect-error`, which the
// compiler reports as unused when the usage wrongly compiles.
//
// Prints one `ok - ...` / `not ok - ...` line per test and `N passed, N failed` last; exits 1 on
// any failure. Needs the `typescript` package in node_modules (a devDependency).

import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, "../..");
/** Where the build's declaration files come from: js-shim/<basename of the types path>. */
const DECLARATIONS = join(ROOT, "js-shim");

let passed = 0;
let failed = 0;
function report(ok, name, detail) {
  if (ok) {
    passed++;
    console.log(`ok - types > ${name}`);
  } else {
    failed++;
    console.log(`not ok - types > ${name}: ${detail}`);
  }
}
function finish() {
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed > 0 || passed === 0 ? 1 : 0);
}

let ts;
try {
  ts = createRequire(join(ROOT, "package.json"))("typescript");
} catch {
  report(false, "typescript is available", "the `typescript` package is missing from node_modules; run `npm ci` (it is a devDependency)");
  finish();
}

// Every declaration path the package.json names: "types"/"typings" and each "types" condition.
function typesPaths(pkg) {
  const out = new Set();
  for (const key of ["types", "typings"]) if (typeof pkg[key] === "string") out.add(pkg[key]);
  const walk = (node) => {
    if (!node || typeof node !== "object") return;
    for (const [key, value] of Object.entries(node)) {
      if (key === "types" && typeof value === "string") out.add(value);
      else walk(value);
    }
  };
  walk(pkg.exports);
  return [...out];
}

const work = mkdtempSync(join(tmpdir(), "asynccontext-types-"));
process.on("exit", () => rmSync(work, { recursive: true, force: true }));

const pkgJson = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
const pkgDir = join(work, "node_modules", pkgJson.name);
mkdirSync(pkgDir, { recursive: true });
writeFileSync(join(pkgDir, "package.json"), JSON.stringify(pkgJson, null, 2));
// The build's declaration paths (pkg/) come from js-shim/; other "types" entries (transform-js/)
// are shipped as they are in the repository, so they are copied unchanged.
const isBuilt = (rel) => /^(\.\/)?pkg\//.test(rel);
for (const rel of typesPaths(pkgJson).filter((r) => !isBuilt(r) && existsSync(join(ROOT, r)))) {
  mkdirSync(dirname(join(pkgDir, rel)), { recursive: true });
  cpSync(join(ROOT, rel), join(pkgDir, rel));
}
const declarationPaths = typesPaths(pkgJson).filter(isBuilt);
for (const rel of declarationPaths) {
  const source = join(DECLARATIONS, basename(rel));
  if (!existsSync(source)) {
    report(false, `${rel} has a source declaration file`, `package.json names ${rel}, but there is no js-shim/${basename(rel)}`);
    continue;
  }
  mkdirSync(dirname(join(pkgDir, rel)), { recursive: true });
  cpSync(source, join(pkgDir, rel));
}
writeFileSync(join(work, "package.json"), JSON.stringify({ name: "type-test", private: true, type: "module" }));
// pkg/opentelemetry.d.ts imports the types of its optional peer, @opentelemetry/api (a devDependency).
cpSync(join(ROOT, "node_modules/@opentelemetry/api"), join(work, "node_modules/@opentelemetry/api"), { recursive: true });

const baseOptions = {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  lib: ["lib.es2022.d.ts", "lib.dom.d.ts"],
  types: [], // no ambient @types packages: only what each file imports or references
  skipLibCheck: false, // check the declarations themselves too
  noUnusedLocals: false,
};
const resolutions = {
  bundler: { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler },
  node16: { module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16 },
};

function lineOf(diagnostic) {
  return diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line + 1;
}
function message(diagnostic) {
  const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, " ");
  if (!diagnostic.file) return `TS${diagnostic.code}: ${text}`;
  const where = diagnostic.file.fileName.replace(work + "/", "");
  return `${where}:${lineOf(diagnostic)} TS${diagnostic.code}: ${text}`;
}

function compile(files, options) {
  const program = ts.createProgram(files, { ...baseOptions, ...options });
  return ts.getPreEmitDiagnostics(program);
}

// Each declaration file alone compiles cleanly under --strict.
{
  const seen = new Set();
  for (const rel of declarationPaths) {
    const name = basename(rel);
    if (seen.has(name) || !existsSync(join(pkgDir, rel))) continue;
    seen.add(name);
    const diagnostics = compile([join(pkgDir, rel)], resolutions.bundler);
    report(diagnostics.length === 0, `${name} compiles under --strict`, diagnostics.map(message).join("; "));
  }
  if (!seen.has("asynccontext.d.ts")) report(false, "package.json names pkg/asynccontext.d.ts", "no types entry for it");
  if (!seen.has("tracking.d.ts")) report(false, "package.json names pkg/tracking.d.ts", "no types entry for it");
}

// Per test file: which resolution modes to compile it under.
const modes = { "usage.ts": ["bundler", "node16"], "tracking.ts": ["bundler", "node16"], "opentelemetry.ts": ["bundler", "node16"] };

const files = readdirSync(HERE).filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts")).sort();
for (const file of files) {
  const source = readFileSync(join(HERE, file), "utf8");
  const target = join(work, file);
  writeFileSync(target, source);

  // Sections: [startLine, endLine] per `// test:` marker (1-based, inclusive).
  const lines = source.split("\n");
  const sections = [];
  lines.forEach((text, i) => {
    const m = /^\s*\/\/ test: (.+?)\s*$/.exec(text);
    if (m) {
      if (sections.length) sections[sections.length - 1].end = i;
      sections.push({ name: m[1], start: i + 1, end: lines.length });
    }
  });
  if (sections.length === 0) {
    report(false, `${file} has tests`, "no `// test: <rule>` line in the file");
    continue;
  }

  for (const mode of modes[file] ?? ["bundler"]) {
    const suffix = (modes[file] ?? []).length > 1 ? ` (moduleResolution ${mode})` : "";
    const diagnostics = compile([target], resolutions[mode]);
    const inSection = (d, s) => d.file && d.file.fileName === target && lineOf(d) >= s.start && lineOf(d) <= s.end;
    for (const s of sections) {
      const mine = diagnostics.filter((d) => inSection(d, s));
      report(mine.length === 0, `${file} > ${s.name}${suffix}`, mine.map(message).join("; "));
    }
    const stray = diagnostics.filter((d) => !sections.some((s) => inSection(d, s)));
    if (stray.length) report(false, `${file} compiles outside its test sections${suffix}`, stray.map(message).join("; "));
  }
}

finish();
