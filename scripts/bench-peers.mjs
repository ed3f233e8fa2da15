// Comparison packages for the benchmarks (scripts/bench.mjs, scripts/bench-transform.mjs), installed
// at bench time into bench-peers/ (gitignored) at pinned versions.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const PEERS_DIR = join(ROOT, "bench-peers");

/** A benchmark that cannot run (a peer failed to install or load): reported, exit status 1. */
export class BenchError extends Error {}

export function installedVersion(name) {
  const file = join(PEERS_DIR, "node_modules", name, "package.json");
  return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")).version : null;
}

/**
 * Makes bench-peers/ hold `peers` ({ name: exact version }). npm prunes every package it is not
 * told about, so the packages already there are named again: the two benchmarks keep each other's
 * peers instead of reinstalling them in turn.
 */
export function ensurePeers(peers, log) {
  const stale = Object.entries(peers).filter(([name, version]) => installedVersion(name) !== version);
  if (stale.length > 0) {
    const wanted = new Map(Object.entries(peers));
    const manifest = join(PEERS_DIR, "node_modules", ".package-lock.json");
    const present = existsSync(manifest) ? Object.keys(JSON.parse(readFileSync(manifest, "utf8")).packages ?? {}) : [];
    for (const path of present) {
      const name = path.replace(/^node_modules\//, "");
      if (!name.includes("node_modules/") && !wanted.has(name) && isTopLevelPeer(name)) wanted.set(name, installedVersion(name));
    }
    const specs = [...wanted].filter(([, version]) => version).map(([name, version]) => `${name}@${version}`);
    log(`installing into bench-peers/: ${specs.join(" ")}`);
    const result = spawnSync("npm", ["install", "--prefix", "bench-peers", "--no-save", "--no-package-lock", ...specs], {
      cwd: ROOT,
      stdio: ["ignore", "inherit", "inherit"],
    });
    if (result.status !== 0) throw new BenchError(`npm install of the bench peers failed (${specs.join(" ")})`);
  }
  for (const [name, version] of Object.entries(peers)) {
    const found = installedVersion(name);
    if (found !== version) throw new BenchError(`bench peer ${name}: expected ${version}, found ${found}`);
  }
}

/** The packages the benchmarks pin: only these are kept across installs (not their dependencies). */
const KNOWN_PEERS = ["simple-async-context", "zone.js", "@babel/core", "@babel/plugin-transform-async-to-generator", "typescript"];
const isTopLevelPeer = (name) => KNOWN_PEERS.includes(name);

/**
 * simple-async-context ships CommonJS only, and its main entry requires "tslib" without declaring
 * it: bundle the two modules the main entry uses (enable the polyfill, then expose AsyncContext as
 * globalThis.SimpleAsyncContext) into a minified classic script at `outfile`.
 */
export async function bundleSimpleAsyncContext(outfile) {
  const esbuild = await import("esbuild");
  await esbuild.build({
    stdin: {
      contents: [
        'const { Polyfill } = require("simple-async-context/build/polyfill/Polyfill");',
        "Polyfill.ensureEnabled();",
        'globalThis.SimpleAsyncContext = require("simple-async-context/build/lib/AsyncContext").AsyncContext;',
      ].join("\n"),
      resolveDir: PEERS_DIR,
      sourcefile: "simple-async-context-entry.js",
    },
    bundle: true,
    format: "iife",
    platform: "browser",
    minify: true,
    outfile,
    logLevel: "warning",
  });
}
