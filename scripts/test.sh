#!/usr/bin/env bash
# Builds everything, runs the benchmark's smoke version (tiny sizes, seconds — so the runner never
# rots; it is not a timed test), then every test (Swift Testing), then fuzzes the server's API.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
# The server's browser test drives Debian's chromium (with a CJK font for the pages); curl waits
# for the fuzzed server to come up.
if ! command -v chromium >/dev/null 2>&1 || ! command -v curl >/dev/null 2>&1 || ! fc-list :lang=zh 2>/dev/null | grep -q .; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "installing chromium, fonts-wqy-microhei, curl …" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium fonts-wqy-microhei curl >/dev/null
fi
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
bash scripts/fuzz-api.sh
