#!/usr/bin/env bash
# Builds everything, runs the benchmark's smoke version (tiny sizes, seconds — so the runner never
# rots; it is not a timed test), then every test (Swift Testing).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
# The feed's tests ship into a throwaway PostgreSQL cluster of their own (installed when missing),
# stopped and removed when the tests end. An already exported LEDGER_TEST_POSTGRES_URL is used as is.
if [ -z "${LEDGER_TEST_POSTGRES_URL:-}" ]; then
    eval "$(bash scripts/postgres-test-cluster.sh)"
    trap 'bash scripts/postgres-test-cluster.sh stop "$LEDGER_TEST_POSTGRES_DATA"' EXIT
fi
swift build --build-tests
.build/debug/ledger-bench --smoke --json "${TMPDIR:-/tmp}/ledger-bench-smoke.json" > /dev/null
echo "ledger-bench smoke run: ok"
swift test --skip-build
