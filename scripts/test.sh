#!/usr/bin/env bash
# Builds and runs every test (Swift Testing), then the benchmark's smoke run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
swift build --build-tests
swift test --skip-build
# The benchmark's smoke run (tiny sizes, seconds), so the runner never rots. Not a timed test.
.build/debug/ledger-bench --smoke --json "${TMPDIR:-/tmp}/ledger-bench-smoke.json" > /dev/null
echo "ledger-bench smoke run: ok"
