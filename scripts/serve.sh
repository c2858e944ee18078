#!/usr/bin/env bash
# The hall online over the demo store (run scripts/demo.sh first): issues a manager token the first
# time and prints it, then serves http://127.0.0.1:8080 with the board counted to the demo year's
# last working day. Extra arguments go to `ledger serve` (e.g. --port 9000 --today 2023-06-30).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
swift build -c release --product ledger
store="${LEDGER_STORE:-./ledger-data}"
tokens="$store/tokens.json"
if [ ! -s "$tokens" ]; then
    token=$(.build/release/ledger token add --tokens "$tokens" --role manager --name hall-manager 2>/dev/null)
    echo "manager token (sign in at http://127.0.0.1:8080/login, or send Authorization: Bearer …): $token"
fi
exec .build/release/ledger serve --store "$store" --tokens "$tokens" --today 2023-12-29 "$@"
