#!/usr/bin/env bash
# wrk (Debian) against `ledger serve` over a demo store: GET a case, GET the longest window queue,
# POST new cases, at 1 and 64 connections — with the server's limits as shipped, then with them
# off (--rate-limit 0 --max-connections 0) to show what they cost. One table row per run, and the
# load average before and after (the machine may be shared). Build first:
#   swift build -c release --scratch-path .build-rel --product ledger
# LEDGER (default .build-rel/release/ledger), DURATION (default 10s), CASES (default 2000).
set -euo pipefail
cd "$(dirname "$0")/.."
ledger=${LEDGER:-.build-rel/release/ledger}
duration=${DURATION:-10s}
work=$(mktemp -d)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
"$ledger" demo --cases "${CASES:-2000}" --store "$work/store" > /dev/null
token=$("$ledger" token add --tokens "$work/tokens.json" --role manager --name bench 2>/dev/null)
port=$((20000 + RANDOM % 20000))
base="http://127.0.0.1:$port"
item=$(head -1 seeds/catalog.jsonl | sed 's/.*"code":"\([^"]*\)".*/\1/')
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

start() {
    "$ledger" serve --store "$work/store" --tokens "$work/tokens.json" --port "$port" --today 2023-12-29 "$@" > "$work/server.log" 2>&1 &
    server=$!
    for _ in $(seq 1 150); do curl -fs "$base/healthz" > /dev/null 2>&1 && return; sleep 0.2; done
    echo "the server did not start:" >&2; cat "$work/server.log" >&2; exit 1
}
stop() { kill "$server"; wait "$server" 2>/dev/null || true; server=""; }

# One wrk run: prints "| limits | route | connections | requests/s | p50 | p99 |".
run() {
    local label=$1 route=$2 connections=$3; shift 3
    local threads=$(( connections > 1 ? 2 : 1 ))
    local out
    out=$(wrk -t"$threads" -c"$connections" -d"$duration" --latency "$@")
    local rps p50 p99
    rps=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' <<< "$out")
    p50=$(awk '$1 == "50%" {print $2}' <<< "$out")
    p99=$(awk '$1 == "99%" {print $2}' <<< "$out")
    echo "| $label | \`$route\` | $connections | $rps | $p50 | $p99 |"
}

caseNumber=LZH-2023-000100
start
window=$(for w in $(seq -f "W%02g" 1 24); do
    n=$(curl -fs -H "Authorization: Bearer $token" "$base/windows/$w/queue" | grep -o '"case":"' | wc -l || true)
    echo "$n $w"; done | sort -rn | head -1)
echo "longest queue: ${window% *} cases at ${window#* }"
window=${window#* }
stop

echo "| limits | route | connections | requests/s | p50 | p99 |"
echo "|---|---|---|---|---|---|"
postBase=100000
for setting in on off; do
    if [ "$setting" = on ]; then start --rate-limit 10000000; else start --rate-limit 0 --max-connections 0; fi
    for c in 1 64; do
        run "$setting" "GET /cases/{case}" "$c" -H "Authorization: Bearer $token" "$base/cases/$caseNumber"
    done
    for c in 1 64; do
        run "$setting" "GET /windows/{w}/queue" "$c" -H "Authorization: Bearer $token" "$base/windows/$window/queue"
    done
    for c in 1 64; do
        postBase=$((postBase + 100000))
        TOKEN=$token ITEM=$item BASE=$postBase run "$setting" "POST /cases/{case}/events" "$c" -s Benchmarks/http/post-events.lua "$base"
    done
    stop
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
