#!/usr/bin/env bash
# The main job: simulate a district year into a fresh embedded store and print the headline figures.
# Extra arguments go to `ledger demo` (e.g. --cases 1000000 --seed 7 --store /tmp/year).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
swift build -c release --product ledger
exec .build/release/ledger demo "$@"
