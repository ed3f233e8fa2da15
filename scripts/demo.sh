#!/usr/bin/env bash
# npm start: sets up the toolchain if needed, builds the polyfill and serves www/ (prints the URL).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
bash scripts/setup.sh
npm run build
exec node scripts/serve.mjs
