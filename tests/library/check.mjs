#!/usr/bin/env node
// Library check: a real npm library's own test suites, run before and after the await transform.
//
// Library: abstract-level (the base of the `level` database ecosystem: level, classic-level,
// browser-level, memory-level), with memory-level as the implementation under test. Its source is
// async/await throughout (open/close state machine, get/put/del/batch, iterators, sublevels, hooks),
// and its npm tarball ships its tests: `test/self.js` (its own unit tests) and `test/index.js` (the
// compliance suite every implementation runs), both on tape.
//
// Steps:
//   1. install the pinned packages into target/library-check/ (gitignored; npm registry only)
//   2. build the transform CLI (release) and copy the two packages, tests included, into a work dir
//   3. run both suites on the plain copies without the polyfill: the baseline must pass
//   4. transform both packages (library source and tests), run both suites again with the polyfill
//      loaded (node --import pkg/asynccontext.mjs), and again without it (the fallback runtime):
//      same passing assertions, no failure
//   4c. minify the library source with esbuild (pinned), transform it, run both suites on it with the
//      polyfill: the same passing assertions
//   5. context check: two interleaved AsyncContext.Variable.run flows call the transformed library;
//      the callbacks it makes after its internal awaits see each flow's own value. The same script on
//      the plain library must lose the value, which shows the check can fail.
// Prints `ok - ...` / `not ok - ...` lines and `N passed, N failed` last; exits 1 on any failure.

import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const here = join(root, "tests", "library");
const base = join(root, "target", "library-check");
const work = join(base, "work");
const cli = join(root, "target", "release", "asynccontext-transform");
const polyfill = join(root, "pkg", "asynccontext.mjs");

// Exact versions. memory-level 3.1.0 depends on abstract-level ^3.1.0, so npm dedupes it to the one below.
const PACKAGES = { "abstract-level": "3.1.1", "memory-level": "3.1.0", tape: "5.10.2" };
const LIBRARIES = ["abstract-level", "memory-level"]; // copied, transformed and tested
const SUITE_TIMEOUT_MS = 120_000;

let passed = 0;
let failed = 0;
function report(ok, name, detail) {
  if (ok) {
    passed++;
    console.log(`ok - ${name}`);
  } else {
    failed++;
    console.log(`not ok - ${name}${detail ? `: ${detail}` : ""}`);
  }
  return ok;
}
function finish() {
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 && passed > 0 ? 0 : 1);
}
function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 256 * 1024 * 1024, timeout: SUITE_TIMEOUT_MS, ...options });
  return { status: r.status, signal: r.signal, out: r.stdout ?? "", err: (r.stderr ?? "") + (r.error ? String(r.error) : "") };
}
function tail(text, lines = 15) {
  return text.trim().split("\n").slice(-lines).join(" | ");
}

// 1. Install.
function installed(name) {
  const file = join(base, "node_modules", name, "package.json");
  return existsSync(file) && JSON.parse(readFileSync(file, "utf8")).version === PACKAGES[name];
}
if (!Object.keys(PACKAGES).every(installed)) {
  mkdirSync(base, { recursive: true });
  const specs = Object.entries(PACKAGES).map(([name, version]) => `${name}@${version}`);
  const r = run("npm", ["install", "--prefix", base, "--no-save", "--no-audit", "--no-fund", "--ignore-scripts", "--no-package-lock", ...specs], { timeout: 300_000 });
  if (!report(r.status === 0 && Object.keys(PACKAGES).every(installed), `npm install ${specs.join(" ")}`, tail(r.err))) finish();
} else {
  report(true, `pinned packages already installed in ${relative(root, base)}`);
}

// 2. Build the CLI, lay out the work dir.
{
  const r = run("cargo", ["build", "--release", "-q", "-p", "asynccontext-transform"], { cwd: root, timeout: 600_000 });
  if (!report(r.status === 0 && existsSync(cli), "cargo build --release -p asynccontext-transform", tail(r.err))) finish();
}
if (!report(existsSync(polyfill), "polyfill build exists at pkg/asynccontext.mjs", "run `npm run build` first")) finish();

rmSync(work, { recursive: true, force: true });
const src = join(work, "src");
const out = join(work, "out");
const variants = { plain: join(work, "plain"), transformed: join(work, "transformed") };
for (const name of LIBRARIES) {
  cpSync(join(base, "node_modules", name), join(src, name), { recursive: true });
  cpSync(join(src, name), join(variants.plain, "node_modules", name), { recursive: true });
}

function filesBelow(dir) {
  const result = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) result.push(...filesBelow(path));
    else result.push(path);
  }
  return result;
}

// 4a. Transform the library source and its tests.
{
  const r = run(cli, [src, "-o", out, "-q"]);
  report(r.status === 0, "the transform CLI processes every file of abstract-level and memory-level", tail(r.err));
  for (const name of LIBRARIES) {
    cpSync(join(src, name), join(variants.transformed, "node_modules", name), { recursive: true });
    cpSync(join(out, name), join(variants.transformed, "node_modules", name), { recursive: true, force: true });
  }
  const js = filesBelow(src).filter((f) => /\.(c|m)?js$/.test(f));
  const changed = js.filter((f) => {
    const o = join(out, relative(src, f));
    return existsSync(o) && readFileSync(o, "utf8") !== readFileSync(f, "utf8");
  });
  const changedSource = changed.filter((f) => !relative(src, f).split("/").includes("test"));
  const changedTests = changed.length - changedSource.length;
  report(changedSource.length > 0 && changedTests > 0,
    `the transform rewrote ${changed.length} of ${js.length} JS files (${changedSource.length} library source, ${changedTests} test files)`,
    "expected both library source and test files to change");
}
// 4c. The library source minified with esbuild (pinned devDependency; its tests stay as they are), then
// transformed: minifiers write `await(0,x.f)()`, `yield[a,b]` and the like, where the transform's
// inserted calls must stay apart from the keyword.
{
  const { transformSync } = await import("esbuild");
  const minSrc = join(work, "min-src");
  const minOut = join(work, "min-out");
  variants.minified = join(work, "minified");
  cpSync(src, minSrc, { recursive: true });
  let minified = 0;
  let glued = 0;
  for (const f of filesBelow(minSrc).filter((f) => /\.(c|m)?js$/.test(f) && !relative(minSrc, f).split("/").includes("test"))) {
    const code = transformSync(readFileSync(f, "utf8"), { minify: true, loader: "js", legalComments: "none" }).code;
    writeFileSync(f, code);
    minified++;
    if (/\b(await|yield)[(\[{`"'!~+\-./]/.test(code)) glued++;
  }
  const r = run(cli, [minSrc, "-o", minOut, "-q"]);
  report(r.status === 0 && minified > 0,
    `esbuild --minify of the ${minified} library source files (${glued} with await/yield right before a punctuator), then the transform CLI`,
    tail(r.err));
  for (const name of LIBRARIES) {
    cpSync(join(minSrc, name), join(variants.minified, "node_modules", name), { recursive: true });
    cpSync(join(minOut, name), join(variants.minified, "node_modules", name), { recursive: true, force: true });
  }
}
for (const dir of Object.values(variants)) cpSync(join(here, "memory-level-suite.cjs"), join(dir, "memory-level-suite.cjs"));

// 3/4b. Suites.
// tape prints "ok N name" / "not ok N name" per assertion and "# pass N" / "# fail N" at the end.
function tap(text) {
  const lines = text.split("\n");
  const oks = lines.filter((l) => /^ok \d+/.test(l)).map((l) => l.replace(/^ok \d+ ?/, ""));
  const notOks = lines.filter((l) => /^not ok \d+/.test(l));
  const pass = Number((text.match(/^# pass +(\d+)/m) ?? [])[1] ?? 0);
  const fail = Number((text.match(/^# fail +(\d+)/m) ?? [])[1] ?? 0);
  return { oks, notOks, pass, fail, complete: /^1\.\.\d+/m.test(text) };
}
const SUITES = [
  { name: "abstract-level self tests (test/self.js)", args: ["node_modules/abstract-level/test/self.js"] },
  { name: "abstract-level compliance suite on memory-level (test/index.js x 3 store encodings)", args: ["memory-level-suite.cjs"] },
];
const RUNS = [
  { label: "plain, no polyfill (baseline)", dir: variants.plain, pre: [] },
  { label: "transformed, polyfill loaded", dir: variants.transformed, pre: ["--import", pathToFileURL(polyfill).href] },
  { label: "transformed, no polyfill (fallback runtime)", dir: variants.transformed, pre: [] },
  { label: "minified (esbuild) then transformed, polyfill loaded", dir: variants.minified, pre: ["--import", pathToFileURL(polyfill).href] },
];
for (const suite of SUITES) {
  let baseline;
  for (const r of RUNS) {
    const started = Date.now();
    const res = run(process.execPath, [...r.pre, ...suite.args], { cwd: r.dir });
    const t = tap(res.out);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const clean = res.status === 0 && t.complete && t.fail === 0 && t.notOks.length === 0 && t.pass > 0;
    const detail = res.signal ? `killed by ${res.signal}` : `exit ${res.status}, ${t.pass} passed, ${t.fail} failed; ${t.notOks.slice(0, 3).join(" | ")} ${tail(res.err, 5)}`;
    if (!baseline) {
      report(clean, `${suite.name}: ${r.label}: ${t.pass} assertions pass, 0 fail (${seconds}s)`, detail);
      baseline = t;
      continue;
    }
    // Same passing assertions as the baseline, compared as multisets of names (tape runs tests one at a time).
    const sorted = (a) => [...a].sort().join("\n");
    const same = t.pass === baseline.pass && sorted(t.oks) === sorted(baseline.oks);
    report(clean && same, `${suite.name}: ${r.label}: the same ${t.pass} assertions pass, 0 fail (${seconds}s)`,
      same ? detail : `${detail}; ${t.pass} passed vs ${baseline.pass} in the baseline, or the assertion names differ`);
  }
}

// 5. Context check.
{
  const expected = [];
  for (const name of ["A", "B"]) {
    expected.push(`write put ${name}: ${name}`, `write put ${name}2: ${name}`, `decode ${name}-value: ${name}`,
      `decode ${name}2-value: ${name}`, `decode ${name}-value: ${name}`, `decode ${name}2-value: ${name}`, `write del ${name}2: ${name}`);
  }
  const seenIn = (dir) => {
    cpSync(join(here, "context-check.cjs"), join(dir, "context-check.cjs"));
    const res = run(process.execPath, ["--import", pathToFileURL(polyfill).href, "context-check.cjs"], { cwd: dir });
    try {
      return { seen: JSON.parse(res.out.trim().split("\n").pop()), res };
    } catch {
      return { seen: null, res };
    }
  };
  const t = seenIn(variants.transformed);
  const ok = t.seen !== null && [...t.seen].sort().join("\n") === [...expected].sort().join("\n");
  // The two flows interleave: each one's first write event comes before the other's last.
  const interleaved = ok && t.seen.indexOf("write put B: B") < t.seen.indexOf("write del A2: A");
  report(ok && interleaved,
    "transformed memory-level: callbacks it makes after its internal awaits (write events, value decoding in get/getMany/iterator.all) see the value of the AsyncContext.Variable.run flow that called it, with two interleaved flows",
    t.seen ? `saw ${JSON.stringify(t.seen)}${ok ? " (flows did not interleave)" : ""}` : tail(t.res.out + t.res.err));
  const m = seenIn(variants.minified);
  const minifiedOk = m.seen !== null && [...m.seen].sort().join("\n") === [...expected].sort().join("\n");
  report(minifiedOk && m.seen.indexOf("write put B: B") < m.seen.indexOf("write del A2: A"),
    "minified (esbuild) then transformed memory-level: the same callbacks see their own flow's value, with two interleaved flows",
    m.seen ? `saw ${JSON.stringify(m.seen)}` : tail(m.res.out + m.res.err));
  const p = seenIn(variants.plain);
  const lost = p.seen !== null && p.seen.some((s) => s.endsWith(": undefined"));
  report(lost, "control: the same script on the plain library loses the flow's value after the library's internal awaits",
    p.seen ? `saw ${JSON.stringify(p.seen)}` : tail(p.res.out + p.res.err));
}

finish();
