#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for the feed's tests and prints the variables the tests
# read, as shell `export` lines:
#
#   eval "$(bash scripts/postgres-test-cluster.sh)"      # start; sets LEDGER_TEST_POSTGRES_URL
#   bash scripts/postgres-test-cluster.sh stop "$LEDGER_TEST_POSTGRES_DATA"
#
# Installs Debian's postgresql when it is missing. Runs initdb and pg_ctl as the `postgres` user
# (so run it as root, or as that user) in a fresh temporary directory, on a port of its own
# (LEDGER_TEST_POSTGRES_PORT, default 54329, or the next free one), listening on localhost only,
# with trust authentication. Progress goes to stderr; only the export lines go to stdout.
set -euo pipefail

as_postgres() {
    if [ "$(id -un)" = postgres ]; then "$@"; else runuser -u postgres -- "$@"; fi
}

if [ "${1:-}" = stop ]; then
    data="${2:?usage: postgres-test-cluster.sh stop DATA_DIR}"
    bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
    as_postgres "$bin/pg_ctl" -D "$data" -m immediate -w stop >&2 || true
    rm -rf "$(dirname "$data")"
    exit 0
fi

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "installing postgresql …" >&2
    $sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null
fi
bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"

port="${LEDGER_TEST_POSTGRES_PORT:-54329}"
while (echo > "/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done

base="$(mktemp -d "${TMPDIR:-/tmp}/ledger-feed-pg.XXXXXX")"
chmod 755 "$base"
data="$base/data"
mkdir "$data"
chown postgres: "$data" 2>/dev/null || true
as_postgres "$bin/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_postgres "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
    -o "-p $port -c listen_addresses=localhost -k $data -c fsync=on -c max_connections=50" start >&2
as_postgres "$bin/psql" -h localhost -p "$port" -U postgres -qc "CREATE DATABASE ledger_feed_test" >/dev/null

echo "export LEDGER_TEST_POSTGRES_URL=postgres://postgres@localhost:$port/ledger_feed_test"
echo "export LEDGER_TEST_POSTGRES_DATA=$data"
echo "export LEDGER_TEST_POSTGRES_BIN=$bin"
echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on port $port, data in $data" >&2
