#!/usr/bin/env bash
# Builds and runs every test (Swift Testing), then the benchmark's smoke run when it exists.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
swift build --build-tests
swift test --skip-build
