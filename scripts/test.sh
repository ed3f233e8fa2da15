#!/usr/bin/env bash
# npm test: sets up the toolchain if needed, builds, and runs every suite:
#   1. cargo test            native unit + property tests of the store and the transform
#   2. wasm-pack test        the exported store and call-graph API as wasm in headless Chromium
#   3. tests/browser/run.mjs the polyfill in Chromium, Firefox ESR and WebKitGTK (scripts/engines.mjs),
#                            every spec with the classic script, the ES module and the tracking build
#   4. tests/package/check.mjs the npm tarball installed into a scratch project, bundled, run
#   5. tests/types/check.mjs TypeScript declarations
#   6. the await transform: its wasm build checked against the golden outputs, its execution
#      tests (transformed and untransformed programs side by side in all three engines), the npm
#      entry and bundler plugins (tests/transform-js), and a real library's own test suites run
#      transformed (tests/library: abstract-level + memory-level on tape, installed from npm)
#   7. tests/opentelemetry/run.mjs asynccontext/opentelemetry: unit tests in Chromium, and the real
#      OpenTelemetry web SDK end to end through Vite (build and dev server), zone.js printed beside
# Prints one summary line at the end: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER=/usr/bin/chromedriver

bash scripts/setup.sh || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }
npm run build || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }

passed=0
failed=0
durations=()
log=$(mktemp -d)

# cargo's "test result: ok. N passed; M failed" lines, summed.
count_cargo() {
  local p f
  p=$(grep -Eo 'test result: [A-Za-z]+\. [0-9]+ passed' "$1" | awk '{s+=$4} END {print s+0}')
  f=$(grep -Eo '[0-9]+ failed;' "$1" | awk '{s+=$1} END {print s+0}')
  echo "$p $f"
}
# Our runners end with the plain line "N passed, N failed".
count_plain() {
  grep -E '^[0-9]+ passed, [0-9]+ failed' "$1" | tail -1 | awk '{print $1, $3}'
}
suite() {
  local name=$1 counter=$2; shift 2
  echo "=== $name: $*"
  local started=$SECONDS
  "$@" 2>&1 | tee "$log/$name.txt"
  local status=${PIPESTATUS[0]} counts p f
  counts=$($counter "$log/$name.txt")
  p=${counts%% *}; f=${counts##* }
  p=${p:-0}; f=${f:-0}
  # A failing command that reported no failed test (crash, compile error) still counts as one.
  if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then echo "$name ran no test"; f=1; fi
  echo "=== $name: $p passed, $f failed ($((SECONDS - started)) s)"
  durations+=("$name $((SECONDS - started)) s")
  passed=$((passed + p)); failed=$((failed + f))
}

suite cargo count_cargo cargo test --release --workspace
suite wasm-bindgen-test count_cargo wasm-pack test --headless --chrome -- --test web --features graph
suite browser count_plain node tests/browser/run.mjs --load=all
suite package count_plain node tests/package/check.mjs
suite types count_plain node tests/types/check.mjs
suite transform-wasm count_plain node transform/tests/wasm/check.mjs
suite transform-exec count_plain node transform/tests/exec/run.mjs
suite transform-js count_plain node tests/transform-js/check.mjs
suite library count_plain node tests/library/check.mjs
suite opentelemetry count_plain node tests/opentelemetry/run.mjs

echo "=== durations: ${durations[*]/%/;} total $SECONDS s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
