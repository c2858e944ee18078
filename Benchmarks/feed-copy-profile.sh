#!/usr/bin/env bash
# Where PostgreSQL's time goes when it takes the feed's rows: times psql's \copy of the same
# synthetic ledger_events rows (sizes like the feed's: a ~290-byte event JSON, a 176-byte record,
# a 32-byte hash) into variants of the table, ROUNDS times each; the medians tell the cost of
# partition routing, the primary key, jsonb parsing, bytea's hex form and the WAL.
#
#   bash Benchmarks/feed-copy-profile.sh postgres://postgres@localhost:54329/postgres [ROWS] [ROUNDS]
#
# It creates (and drops at the end) a database `feed_copy_profile` on that server.
set -euo pipefail
url="${1:?usage: feed-copy-profile.sh POSTGRES_URL [ROWS] [ROUNDS]}"
rows="${2:-200000}"
rounds="${3:-3}"
scratch="$(mktemp -d "${TMPDIR:-/tmp}/feed-copy-profile.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
db_url="${url%/*}/feed_copy_profile"
psql -X -q "$url" -c "DROP DATABASE IF EXISTS feed_copy_profile" -c "CREATE DATABASE feed_copy_profile"
PG=(psql -X -q "$db_url")

"${PG[@]}" <<SQL
CREATE TABLE source (ledger_id text, seq bigint, case_number text, version integer, type text, at timestamptz,
                     actor text, event jsonb, record bytea, hash bytea);
INSERT INTO source
SELECT 'LZH', g, 'LZH-2023-' || lpad((g / 7)::text, 6, '0'), (g % 7)::int,
  (ARRAY['submitted','accepted','materials_requested','approved','completed','reviewed','delivered'])[1 + g % 7],
  timestamptz '2023-01-03 09:00+08' + (g || ' minutes')::interval, 'clerk-' || lpad((g % 40)::text, 2, '0'),
  ('{"id":"' || md5(g::text) || '","case":"LZH-2023-' || lpad((g / 7)::text, 6, '0') || '","type":"accepted",'
   || '"at":"2023-01-03T09:12:00+08:00","actor":"clerk-07","data":{"item":"LZH-Q-' || lpad((g % 300)::text, 4, '0')
   || '","window":"W-' || (g % 20) || '","channel":"window","applicant":{"kind":"person","ref":"P-' || md5(g::text || 'x')
   || '"},"note":"材料齐全，当场受理"}}')::jsonb,
  decode(repeat(md5(g::text), 7) || md5((g + 1)::text) || md5((g + 2)::text) || md5((g + 3)::text) || md5((g + 4)::text), 'hex'),
  sha256(g::text::bytea)
FROM generate_series(1, $rows) g;
SQL
"${PG[@]}" -c "\\copy source TO '$scratch/rows.copy'" -c "\\copy source TO '$scratch/rows.bin' WITH (FORMAT binary)"
"${PG[@]}" -c "DROP TABLE source"

columns="ledger_id text NOT NULL, seq bigint NOT NULL, case_number text NOT NULL, version integer NOT NULL, type text NOT NULL, at timestamptz NOT NULL, actor text NOT NULL"
feed_table="CREATE TABLE t ($columns, event jsonb NOT NULL, record bytea NOT NULL, hash bytea NOT NULL, PRIMARY KEY (ledger_id, seq)) PARTITION BY LIST (ledger_id); CREATE TABLE t_lzh PARTITION OF t FOR VALUES IN ('LZH')"
variants=(
  "A the feed's table: partitioned, primary key, jsonb, bytea|$feed_table|$scratch/rows.copy|"
  "B one table (no partition), primary key, jsonb, bytea|CREATE TABLE t ($columns, event jsonb NOT NULL, record bytea NOT NULL, hash bytea NOT NULL, PRIMARY KEY (ledger_id, seq))|$scratch/rows.copy|"
  "C no primary key, jsonb, bytea|CREATE TABLE t ($columns, event jsonb NOT NULL, record bytea NOT NULL, hash bytea NOT NULL)|$scratch/rows.copy|"
  "D as C, the event as json (checked, not converted)|CREATE TABLE t ($columns, event json NOT NULL, record bytea NOT NULL, hash bytea NOT NULL)|$scratch/rows.copy|"
  "E as C, the event as text|CREATE TABLE t ($columns, event text NOT NULL, record bytea NOT NULL, hash bytea NOT NULL)|$scratch/rows.copy|"
  "F as E, record and hash as text (no hex decoding)|CREATE TABLE t ($columns, event text NOT NULL, record text NOT NULL, hash text NOT NULL)|$scratch/rows.copy|"
  "G as C, UNLOGGED (no WAL)|CREATE UNLOGGED TABLE t ($columns, event jsonb NOT NULL, record bytea NOT NULL, hash bytea NOT NULL)|$scratch/rows.copy|"
  "H the feed's table, binary COPY|$feed_table|$scratch/rows.bin|WITH (FORMAT binary)"
)
results="$scratch/results"
for round in $(seq "$rounds"); do
  for variant in "${variants[@]}"; do
    IFS='|' read -r name create file options <<<"$variant"
    "${PG[@]}" -c "DROP TABLE IF EXISTS t CASCADE" -c "$create" -c "CHECKPOINT" 2>/dev/null
    started=$(date +%s.%N)
    "${PG[@]}" -c "\\copy t FROM '$file' $options"
    ended=$(date +%s.%N)
    echo "$name|$(echo "$ended - $started" | bc)" >>"$results"
  done
done
psql -X -q "$url" -c "DROP DATABASE feed_copy_profile"
echo "$rows rows, median of $rounds rounds (psql \\copy, one transaction):"
for variant in "${variants[@]}"; do
  name="${variant%%|*}"
  median=$(grep -F "$name|" "$results" | cut -d'|' -f2 | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
  printf '%-58s %6.2f s %9.0f rows/s\n' "$name" "$median" "$(echo "$rows / $median" | bc)"
done
