#!/usr/bin/env bash
# Inside a throwaway cluster (pg_virtualenv sets PGHOST/PGPORT/PGUSER): the
# store's ingest rate, optionally against a store already holding
# BENCH_STORE_BASE customers.  bench/gen_dedupe.sql makes BASE + RECORDS
# noisy customer records in one run (so a person's records fall on both
# sides), split in a fixed random order: the first BASE are batch-loaded
# with cdm.load_records (timed: records per second and the backend's peak
# memory), the other RECORDS are ingested one by one, the first 90% by one
# session, the last 10% by two sessions at once, half each (candidates
# through cdm.record_block, scored with cdm.match_probability).  Prints
# records per second for each step, how the ingested records were linked
# and how many of them joined an entity of the batch load.  Then the write
# floor: plain SQL writing, for FLOOR records of the feed again (under
# another source), the rows a new-key ingest writes (entity, record with
# its key, version, blocking values, event), with no locks, no candidates
# and no scoring: one transaction per record from one session, then from
# two at once, then 500 records a statement.  What storing alone costs on
# this machine: a bound no ingest that writes these rows can pass.  Last,
# bench/store_parts.sql times two parts of an ingest against what they
# replace.  Run by bench/run.sh (BENCH_ONLY=store).
#   BENCH_STORE_RECORDS=20000   records ingested one by one
#   BENCH_STORE_BASE=0          customers batch-loaded first (issue 6: 1000000)
#   BENCH_STORE_FLOOR=5000      records of the write floor, each step (at most RECORDS / 3)
#   BENCH_OUT=file              also write the report there
set -euo pipefail
cd "$(dirname "$0")/.."
export PGDATABASE=cdm_bench_store PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
psql() { command psql -X -q -v ON_ERROR_STOP=1 "$@"; }
n=${BENCH_STORE_RECORDS:-20000}
base=${BENCH_STORE_BASE:-0}
floor=${BENCH_STORE_FLOOR:-5000}
[ "$floor" -le $(( n / 3 )) ] || floor=$(( n / 3 ))
psql -d postgres -c 'DROP DATABASE IF EXISTS cdm_bench_store' -c 'CREATE DATABASE cdm_bench_store'
psql -c 'CREATE EXTENSION cdm'
echo "== data (bench/gen_dedupe.sql, $base + $n records)"
psql -v records="$(( base + n ))" -f bench/gen_dedupe.sql
# The records as ingest sees them: attrs by role name, in a fixed order.
psql -c "CREATE TABLE bench_feed AS
  SELECT row_number() OVER (ORDER BY md5(id)) AS seq, source_system AS source, id AS source_key,
         jsonb_strip_nulls(jsonb_build_object('given_name', given_name, 'family_name', family_name,
           'full_name', full_name, 'dob', dob, 'email', email, 'phone', phone, 'address', address,
           'city', city, 'postcode', postcode, 'country', country)) AS attrs
    FROM bench_dd.gen"
load_line="batch load  : none (BENCH_STORE_BASE=0)"
if [ "$base" -gt 0 ]; then
  # The first $base records in the feed's order are the existing customers,
  # loaded in one call; the feed keeps the others, renumbered from 1.
  psql -c "CREATE TABLE bench_base AS
    SELECT g.id, g.given_name, g.family_name, g.full_name, g.dob, g.email, g.phone, g.address,
           g.city, g.postcode, g.country
      FROM bench_dd.gen g JOIN bench_feed f ON f.source_key = g.id WHERE f.seq <= $base" \
       -c "DELETE FROM bench_feed WHERE seq <= $base" -c "UPDATE bench_feed SET seq = seq - $base" \
       -c "VACUUM ANALYZE bench_base" -c "VACUUM ANALYZE bench_feed"
  echo "== batch load of $base customers (cdm.load_records)"
  tl0=$(date +%s.%N)
  # its progress NOTICEs (the time of each step) go to the log below
  log=$(mktemp)
  mem=$(PGOPTIONS="${PGOPTIONS% -c client_min_messages=warning}" \
        psql -At -c "SELECT count(*) FROM cdm.load_records('base', 'bench_base')" \
             -c "SELECT (regexp_match(pg_read_file('/proc/self/status'), 'VmHWM:\s*(\d+)'))[1]" 2>"$log")
  tl1=$(date +%s.%N)
  sed -n 's/^.*NOTICE:  //p' "$log"
  rm -f "$log"
  peak_kb=$(echo "$mem" | tail -1)
  load_line=$(awk -v a="$tl0" -v b="$tl1" -v k="$base" -v m="$peak_kb" 'BEGIN {
    printf "batch load  : %7d records in %7.2f s = %6.0f records/s (cdm.load_records, backend peak RSS %.0f MB)", k, b - a, k / (b - a), m / 1024 }')
  echo "$load_line"
  psql -c "VACUUM ANALYZE cdm.record, cdm.record_block, cdm.entity"
  # The load leaves gigabytes of dirty pages for the checkpointer: write
  # them out now, so that the ingest below is timed against a settled store
  # rather than beside the load's checkpoint (ordinary checkpoints, and the
  # full-page images after them, still fall inside the timing).
  psql -c "CHECKPOINT"
fi
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
# The ingested records whose person the batch load already held, and those
# that joined an entity holding a batch-loaded record.
joined=$(psql -At -F ' ' -c "WITH t AS (SELECT id, truth FROM bench_dd.truth WHERE ds = 'gen'),
  based AS (SELECT DISTINCT t.truth FROM t JOIN cdm.record r ON r.source_key = t.id AND r.source = 'base')
  SELECT 'ingested records ' || count(*) ||
         '  whose person was batch-loaded ' || count(*) FILTER (WHERE t.truth IN (SELECT truth FROM based)) ||
         '  linked to a batch-loaded entity ' || count(*) FILTER (WHERE EXISTS
            (SELECT 1 FROM cdm.record b WHERE b.source = 'base' AND b.entity = r.entity))
    FROM cdm.record r JOIN t ON t.id = r.source_key WHERE r.source <> 'base'")
# The write floor, after the counts above (its records are not the feed's
# people twice over in those counts): the statements are those of a new-key
# cdm.ingest's writes, the key, phone and blocking values computed by the same
# functions; the entity is always new.  One session writes records 1..FLOOR
# of the feed again, then two sessions at once FLOOR+1..2*FLOOR, half each.
floor_sql() {
  psql -c "DO \$\$ DECLARE r record; e bigint; rid bigint; clean jsonb; BEGIN
  FOR r IN SELECT * FROM bench_feed WHERE seq BETWEEN $1 AND $2 ORDER BY seq LOOP
    clean := cdm._store_clean(r.attrs);
    INSERT INTO cdm.entity DEFAULT VALUES RETURNING id INTO e;
    INSERT INTO cdm.record (source, source_key, version, attrs, k, match_phone, entity, first_entity, link_rule)
    VALUES ('bench_floor', r.source_key, 1, r.attrs, cdm._store_key(clean, 'US'), cdm._store_phone(clean), e, e, 'new')
    RETURNING id INTO rid;
    INSERT INTO cdm.record_version (record, version, attrs) VALUES (rid, 1, r.attrs);
    INSERT INTO cdm.record_block (bkey, record) SELECT DISTINCT v, rid FROM unnest(cdm.blocking_keys(clean)) v;
    INSERT INTO cdm.event (event, entity, record, version, reason) VALUES ('create', e, rid, 1, 'write floor');
    COMMIT;
  END LOOP; END \$\$"
}
tf0=$(date +%s.%N)
floor_sql 1 "$floor"
tf1=$(date +%s.%N)
floor_sql $(( floor + 1 )) $(( floor + floor / 2 )) &
floor_sql $(( floor + floor / 2 + 1 )) $(( 2 * floor )) &
wait
tf2=$(date +%s.%N)
# The same rows set-based, 500 records a statement and a transaction (what
# storing costs when a batch's rows are written together; no cdm function
# writes that way yet): records 2*FLOOR+1..3*FLOOR, one session.
psql -c "DO \$\$ DECLARE s bigint; BEGIN
  FOR s IN SELECT generate_series($(( 2 * floor + 1 )), $(( 3 * floor )), 500) LOOP
    CREATE TEMP TABLE IF NOT EXISTS floor_batch (source_key text, attrs jsonb, clean jsonb, e bigint, rid bigint);
    TRUNCATE floor_batch;
    INSERT INTO floor_batch
    SELECT f.source_key, f.attrs, cdm._store_clean(f.attrs), nextval('cdm.entity_id_seq'), nextval('cdm.record_id_seq')
      FROM bench_feed f WHERE f.seq BETWEEN s AND least(s + 499, $(( 3 * floor ))) ORDER BY f.seq;
    INSERT INTO cdm.entity (id) SELECT e FROM floor_batch ORDER BY e;
    INSERT INTO cdm.record (id, source, source_key, version, attrs, k, match_phone, entity, first_entity, link_rule)
    SELECT rid, 'bench_floor', source_key, 1, attrs, cdm._store_key(clean, 'US'), cdm._store_phone(clean), e, e, 'new'
      FROM floor_batch ORDER BY rid;
    INSERT INTO cdm.record_version (record, version, attrs) SELECT rid, 1, attrs FROM floor_batch ORDER BY rid;
    INSERT INTO cdm.record_block (bkey, record)
    SELECT DISTINCT v, rid FROM floor_batch, unnest(cdm.blocking_keys(clean)) v;
    INSERT INTO cdm.event (event, entity, record, version, reason)
    SELECT 'create', e, rid, 1, 'write floor' FROM floor_batch ORDER BY rid;
    COMMIT;
  END LOOP; END \$\$"
tf3=$(date +%s.%N)
# two parts of an ingest against what they replace (bench/store_parts.sql)
parts=$(psql -f bench/store_parts.sql)
# the server settings the figures depend on most
settings=$(psql -At -c "SELECT 'shared_buffers ' || current_setting('shared_buffers') ||
  ', synchronous_commit ' || current_setting('synchronous_commit') || ', PostgreSQL ' || current_setting('server_version')")
{
  echo "cdm store ingest benchmark  $(date -u '+%Y-%m-%d %H:%M UTC')  cdm $(git -c safe.directory='*' rev-parse --short HEAD 2>/dev/null || echo unknown)  $(nproc) cpu"
  echo "server      : $settings"
  echo "$load_line"
  awk -v a="$t0" -v b="$t1" -v c="$t2" -v bulk="$bulk" -v rest="$rest" -v base="$base" 'BEGIN {
    printf "one session : %6d records in %7.2f s = %6.0f records/s\n", bulk, b - a, bulk / (b - a);
    printf "two sessions: %6d records in %7.2f s = %6.0f records/s (store already holding %d)\n", rest, c - b, rest / (c - b), base + bulk }'
  awk -v a="$t0" -v b="$t1" -v c="$t2" -v fa="$tf0" -v fb="$tf1" -v fc="$tf2" -v bulk="$bulk" -v rest="$rest" -v f="$floor" 'BEGIN {
    printf "write floor : %6d records in %7.2f s = %6.0f records/s one session, %6.0f records/s two (plain SQL: the rows alone)\n",
           f, fb - fa, f / (fb - fa), f / (fc - fb);
    printf "ingest / floor: %.2f one session, %.2f two\n", (bulk / (b - a)) / (f / (fb - fa)), (rest / (c - b)) / (f / (fc - fb)) }'
  awk -v a="$tf2" -v b="$tf3" -v f="$floor" 'BEGIN {
    printf "write floor, 500 records a statement: %6d records in %7.2f s = %6.0f records/s one session\n", f, b - a, f / (b - a) }'
  echo "$report"
  echo "$parts"
  echo "$joined"
  echo "target (issue 6): >= 2,000 records/s against 1M existing customers; this run: $base batch-loaded + $n ingested"
} | tee ${BENCH_OUT:+"$BENCH_OUT"}
