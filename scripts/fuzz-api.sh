#!/usr/bin/env bash
# API fuzzing: schemathesis (PyPI) against the server's own /openapi.yaml, a bounded number of
# examples per route, over a small simulated year: no 5xx, and every status, content type and body
# as the document says. Needs the debug build (scripts/test.sh builds it first).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v schemathesis >/dev/null 2>&1 || python3 -m pip install -q schemathesis
ledger=.build/debug/ledger
work=$(mktemp -d)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
"$ledger" demo --cases 400 --store "$work/store" > /dev/null
token=$("$ledger" token add --tokens "$work/tokens.json" --role manager --name fuzz 2>/dev/null)
admin=$("$ledger" token add --tokens "$work/tokens.json" --role admin --name fuzz-admin 2>/dev/null)
port=$((20000 + RANDOM % 20000))
"$ledger" serve --store "$work/store" --tokens "$work/tokens.json" --port "$port" --today 2023-12-29 \
    --rate-limit 1000000 > "$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$port/healthz" > /dev/null 2>&1 && break
    sleep 0.2
done
# The live board's event stream never ends by design: it is left out.
schemathesis run "http://127.0.0.1:$port/openapi.yaml" \
    --header "Authorization: Bearer $token" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --exclude-path /board/events \
    --max-examples "${FUZZ_EXAMPLES:-20}" --seed 2023 --request-timeout 10 --no-color
# The admin's routes again with the admin's token (the manager's run above gets their 403s): tokens,
# grants and catalog changes written and refused against the same server.
schemathesis run "http://127.0.0.1:$port/openapi.yaml" \
    --header "Authorization: Bearer $admin" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --include-path-regex '^/(tokens|grants|catalog)' \
    --max-examples "${FUZZ_EXAMPLES:-20}" --seed 2023 --request-timeout 10 --no-color
