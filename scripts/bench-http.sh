#!/usr/bin/env bash
# wrk (Debian) against `ledger serve` over demo stores: GET a case, GET the longest window queue,
# POST new cases, at 1 and 64 connections — against two servers side by side, one with the limits
# as shipped (--rate-limit high enough never to refuse, so the limiter still runs, and the
# connection limit) and one with them off (--rate-limit 0 --max-connections 0). The runs alternate
# between the two, ROUNDS times, so a shared machine's changing load falls on both alike. One
# table row per run, and the load average before and after. Build first:
#   swift build -c release --scratch-path .build-rel --product ledger
# LEDGER (default .build-rel/release/ledger), DURATION (default 5s), ROUNDS (default 3), CASES (default 2000).
set -euo pipefail
cd "$(dirname "$0")/.."
ledger=${LEDGER:-.build-rel/release/ledger}
duration=${DURATION:-5s}
work=$(mktemp -d)
servers=()
cleanup() { for s in "${servers[@]}"; do kill "$s" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
item=$(grep -m1 '"code"' seeds/catalog.jsonl | sed 's/.*"code":"\([^"]*\)".*/\1/')
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

# start NAME PORT ARGS…: a demo store of its own and a server over it.
start() {
    local name=$1 port=$2; shift 2
    "$ledger" demo --cases "${CASES:-2000}" --store "$work/$name" > /dev/null
    "$ledger" serve --store "$work/$name" --tokens "$work/tokens.json" --port "$port" --today 2023-12-29 "$@" > "$work/$name.log" 2>&1 &
    servers+=($!)
    for _ in $(seq 1 150); do curl -fs "http://127.0.0.1:$port/healthz" > /dev/null 2>&1 && return; sleep 0.2; done
    echo "the server did not start:" >&2; cat "$work/$name.log" >&2; exit 1
}

# One wrk run: prints "| limits | route | connections | requests/s | p50 | p99 |".
run() {
    local label=$1 route=$2 connections=$3; shift 3
    local threads=$(( connections > 1 ? 2 : 1 ))
    local out rps p50 p99
    out=$(wrk -t"$threads" -c"$connections" -d"$duration" --latency "$@")
    if grep -q "Non-2xx" <<< "$out"; then echo "warning: $(grep "Non-2xx" <<< "$out" | xargs) on $route" >&2; fi
    rps=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' <<< "$out")
    p50=$(awk '$1 == "50%" {print $2}' <<< "$out")
    p99=$(awk '$1 == "99%" {print $2}' <<< "$out")
    echo "| $label | \`$route\` | $connections | $rps | $p50 | $p99 |"
}

token=$("$ledger" token add --tokens "$work/tokens.json" --role manager --name bench 2>/dev/null)
port=$((20000 + RANDOM % 20000))
declare -A ports=([on]=$port [off]=$((port + 1)))
start on "${ports[on]}" --rate-limit 100000000
start off "${ports[off]}" --rate-limit 0 --max-connections 0
caseNumber=LZH-2023-000100
window=$(for w in $(seq -f "W%02g" 1 24); do
    n=$(curl -fs -H "Authorization: Bearer $token" "http://127.0.0.1:${ports[on]}/windows/$w/queue" | grep -o '"case":"' | wc -l || true)
    echo "$n $w"; done | sort -rn | head -1)
echo "longest queue: ${window% *} cases at ${window#* }"
window=${window#* }

echo "| limits | route | connections | requests/s | p50 | p99 |"
echo "|---|---|---|---|---|---|"
postBase=100000
for round in $(seq 1 "${ROUNDS:-3}"); do
    for c in 1 64; do
        for setting in on off; do
            run "$setting" "GET /cases/{case}" "$c" -H "Authorization: Bearer $token" "http://127.0.0.1:${ports[$setting]}/cases/$caseNumber"
        done
        for setting in on off; do
            run "$setting" "GET /windows/{w}/queue" "$c" -H "Authorization: Bearer $token" "http://127.0.0.1:${ports[$setting]}/windows/$window/queue"
        done
        for setting in on off; do
            postBase=$((postBase + 50000))
            TOKEN=$token ITEM=$item BASE=$postBase run "$setting" "POST /cases/{case}/events" "$c" -s Benchmarks/http/post-events.lua "http://127.0.0.1:${ports[$setting]}"
        done
    done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
