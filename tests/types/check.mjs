#!/usr/bin/env node
// Type test for js-shim/asynccontext.d.ts:  node tests/types/check.mjs
//
// Each tests/types/*.ts file is compiled on its own (tsc --strict --noEmit equivalent) against a
// throwaway copy of the package: <tmp>/node_modules/asynccontext/ holds the real package.json and
// the declarations at every path its "types" entries name, so resolution goes through the real
// `exports` map. A file is split into tests by `// test: <rule>` lines; a test passes when the
// compiler reports nothing inside its section. Bad usages carry `// @ts-expect-error`, which the
// compiler reports as unused when the usage wrongly compiles.
//
// Prints one `ok - ...` / `not ok - ...` line per test and `N passed, N failed` last; exits 1 on
// any failure. Needs the `typescript` package in node_modules (a devDependency).

import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, "../..");
const DECLARATIONS = join(ROOT, "js-shim/asynccontext.d.ts");

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
for (const rel of typesPaths(pkgJson)) {
  mkdirSync(dirname(join(pkgDir, rel)), { recursive: true });
  cpSync(DECLARATIONS, join(pkgDir, rel));
}
writeFileSync(join(work, "package.json"), JSON.stringify({ name: "type-test", private: true, type: "module" }));

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

// The declarations alone compile cleanly under --strict.
{
  const diagnostics = compile([join(pkgDir, typesPaths(pkgJson)[0] ?? "")], resolutions.bundler);
  report(diagnostics.length === 0, "asynccontext.d.ts compiles under --strict", diagnostics.map(message).join("; "));
}

// Per test file: which resolution modes to compile it under.
const modes = { "usage.ts": ["bundler", "node16"] };

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
