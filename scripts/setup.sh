#!/usr/bin/env bash
# Installs everything the build, the demo and the tests need, skipping what is already there at
# the right version. Safe to run any number of times.
#   Debian: chromium, chromium-driver (headless browser tests); firefox-esr, webkit2gtk-driver
#           (WebKitWebDriver + MiniBrowser) and xvfb (WebKitGTK needs a display) for the other engines
#   Rust:   wasm32-unknown-unknown target; wasm-bindgen-cli at the version pinned in Cargo.lock;
#           wasm-pack 0.15.1
#   npm:    devDependencies from package-lock.json (esbuild, binaryen's wasm-opt, playwright-core,
#           puppeteer-core for Firefox over WebDriver BiDi)
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_PACK_VERSION=0.15.1
say() { printf 'setup: %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# Debian packages, each only when its binary is missing (one apt-get for all of them).
packages=()
[ -x /usr/bin/chromium ] || packages+=(chromium)
[ -x /usr/bin/chromedriver ] || packages+=(chromium-driver)
[ -x /usr/bin/firefox-esr ] || packages+=(firefox-esr)
{ [ -x /usr/bin/WebKitWebDriver ] && [ -x /usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser ]; } || packages+=(webkit2gtk-driver)
command -v xvfb-run >/dev/null || packages+=(xvfb)
if [ "${#packages[@]}" -gt 0 ]; then
  say "installing Debian ${packages[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# wasm-bindgen-cli must match the wasm-bindgen crate exactly (Cargo.lock is the source of truth).
bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
if [ -z "$bindgen_version" ]; then
  cargo generate-lockfile
  bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
fi
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$bindgen_version" ]; then
  say "installing wasm-bindgen-cli $bindgen_version (a few minutes)"
  # No --locked: the tool's own lock file names a crate version this registry does not serve.
  cargo install wasm-bindgen-cli --version "$bindgen_version" --force
fi
if [ "$(wasm-pack --version 2>/dev/null | awk '{print $2}')" != "$WASM_PACK_VERSION" ]; then
  say "installing wasm-pack $WASM_PACK_VERSION (a few minutes)"
  cargo install wasm-pack --version "$WASM_PACK_VERSION" --force
fi

# npm ci only when package-lock.json changed since the last install.
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
stamp=node_modules/.asynccontext-lock-hash
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_hash" ]; then
  say "npm ci"
  npm ci --no-audit --no-fund
  echo "$lock_hash" > "$stamp"
fi
say "ready (wasm-bindgen $bindgen_version, wasm-pack $WASM_PACK_VERSION, $(/usr/bin/chromium --version 2>/dev/null), $(/usr/bin/firefox-esr --version 2>/dev/null), WebKitGTK MiniBrowser)"
