#!/usr/bin/env bash
# Builds everything, runs the benchmark's smoke version (tiny sizes, seconds — so the runner never
# rots; it is not a timed test), then every test (Swift Testing).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
swift build --build-tests
.build/debug/ledger-bench --smoke --json "${TMPDIR:-/tmp}/ledger-bench-smoke.json" > /dev/null
echo "ledger-bench smoke run: ok"
swift test --skip-build
