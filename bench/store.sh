#!/usr/bin/env bash
# Inside a throwaway cluster (pg_virtualenv sets PGHOST/PGPORT/PGUSER): the
# store's ingest rate.  bench/gen_dedupe.sql makes BENCH_STORE_RECORDS noisy
# customer records (default 20,000); the first 90% are ingested by one
# session (the store fills up: candidates through the GiST index on the
# records' keys, scored with cdm.match_probability), then the last 10% by
# two sessions at once, half each.  Prints records per second for both and
# how the ingested records were linked.  Run by bench/run.sh
# (BENCH_ONLY=store).
#   BENCH_STORE_RECORDS=20000   size of the generated set
#   BENCH_OUT=file              also write the report there
set -euo pipefail
cd "$(dirname "$0")/.."
export PGDATABASE=cdm_bench_store PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
psql() { command psql -X -q -v ON_ERROR_STOP=1 "$@"; }
n=${BENCH_STORE_RECORDS:-20000}
psql -d postgres -c 'DROP DATABASE IF EXISTS cdm_bench_store' -c 'CREATE DATABASE cdm_bench_store'
psql -c 'CREATE EXTENSION cdm'
echo "== data (bench/gen_dedupe.sql, $n records)"
psql -v records="$n" -f bench/gen_dedupe.sql
# The records as ingest sees them: attrs by role name, in a fixed order.
psql -c "CREATE TABLE bench_feed AS
  SELECT row_number() OVER (ORDER BY md5(id)) AS seq, source_system AS source, id AS source_key,
         jsonb_strip_nulls(jsonb_build_object('given_name', given_name, 'family_name', family_name,
           'full_name', full_name, 'dob', dob, 'email', email, 'phone', phone, 'address', address,
           'city', city, 'postcode', postcode, 'country', country)) AS attrs
    FROM bench_dd.gen"
bulk=$(( n * 9 / 10 ))
rest=$(( n - bulk ))
half=$(( rest / 2 ))
# One session: one ingest per transaction, as an application in autocommit
# calls it (the store's person locks are held to commit: many ingests in one
# transaction from two sessions can deadlock).
t0=$(date +%s.%N)
psql -c "DO \$\$ DECLARE r record; BEGIN
  FOR r IN SELECT * FROM bench_feed WHERE seq <= $bulk ORDER BY seq LOOP
    PERFORM cdm.ingest(r.source, r.source_key, r.attrs);
    COMMIT;
  END LOOP; END \$\$"
t1=$(date +%s.%N)
# Two sessions at once, each half of the rest.
for part in 0 1; do
  lo=$(( bulk + part * half + 1 )); hi=$(( part == 0 ? bulk + half : n ))
  psql -c "DO \$\$ DECLARE r record; BEGIN
    FOR r IN SELECT * FROM bench_feed WHERE seq BETWEEN $lo AND $hi ORDER BY seq LOOP
      PERFORM cdm.ingest(r.source, r.source_key, r.attrs);
      COMMIT;
    END LOOP; END \$\$" &
done
wait
t2=$(date +%s.%N)
report=$(psql -At -F ' ' -c "SELECT
  'records ' || (SELECT count(*) FROM cdm.record) ||
  '  entities live ' || (SELECT count(*) FROM cdm.entity WHERE merged_into IS NULL AND EXISTS
      (SELECT 1 FROM cdm.record r WHERE r.entity = entity.id)) ||
  '  true persons ' || (SELECT count(DISTINCT truth) FROM bench_dd.truth WHERE ds = 'gen') ||
  '  open review items ' || (SELECT count(*) FROM cdm.review)")
{
  echo "cdm store ingest benchmark  $(date -u '+%Y-%m-%d %H:%M UTC')  cdm $(git -c safe.directory='*' rev-parse --short HEAD 2>/dev/null || echo unknown)  $(nproc) cpu"
  awk -v a="$t0" -v b="$t1" -v c="$t2" -v bulk="$bulk" -v rest="$rest" 'BEGIN {
    printf "one session : %6d records in %7.2f s = %6.0f records/s\n", bulk, b - a, bulk / (b - a);
    printf "two sessions: %6d records in %7.2f s = %6.0f records/s (store already holding %d)\n", rest, c - b, rest / (c - b), bulk }'
  echo "$report"
  echo "target (issue 6): >= 2,000 records/s against 1M existing customers; this run: $n records"
} | tee ${BENCH_OUT:+"$BENCH_OUT"}
