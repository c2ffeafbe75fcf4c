#!/usr/bin/env bash
# Inside a throwaway cluster (pg_virtualenv sets PGHOST/PGPORT/PGUSER): the
# blocking benchmark.  bench/gen_customers.sql makes the data (gen.customers:
# BENCH_RECORDS noisy records, default 40,000; febrl.customers: FEBRL
# dataset3), then bench/block.sql times cdm's key index against pg_trgm's.
# Run by bench/run.sh.
#   BENCH_REPS=3          timed passes of the KNN loop (median reported)
#   BENCH_RECORDS=40000   size of the generated data set
#   BENCH_QUERIES=2000    KNN query records per data set
#   BENCH_JOIN_RECORDS=10000  records (whole persons) in the self-join
#   BENCH_OUT=file        also write the report table there
set -euo pipefail
cd "$(dirname "$0")/.."
export PGDATABASE=cdm_bench_block PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
psql() { command psql -X -q -v ON_ERROR_STOP=1 "$@"; }

psql -d postgres -c 'DROP DATABASE IF EXISTS cdm_bench_block' -c 'CREATE DATABASE cdm_bench_block'
psql -c 'CREATE EXTENSION pg_trgm'
# cdm is optional here: without the key type the pg_trgm side still runs.
if ! psql -c 'CREATE EXTENSION cdm' 2>/dev/null; then
  echo "bench: CREATE EXTENSION cdm failed; running the pg_trgm side only"
fi
psql -At -c "SELECT 'extensions: ' || string_agg(extname || ' ' || extversion, ', ' ORDER BY extname) FROM pg_extension WHERE extname <> 'plpgsql'"

echo "== data (bench/gen_customers.sql, ${BENCH_RECORDS:-40000} records; FEBRL dataset3)"
psql -v records="${BENCH_RECORDS:-40000}" -v febrl_csv=test/data/febrl/dataset3.csv \
     -v nick_csv=data/nicknames/names.csv -v translit_csv=bench/data/translit_names.csv \
     -f bench/gen_customers.sql

rev=$(git -c safe.directory='*' rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(git --no-optional-locks -c safe.directory='*' status --porcelain -- src sql 2>/dev/null | grep -q . && echo '+uncommitted' || true)
header="cdm blocking benchmark  $(date -u '+%Y-%m-%d %H:%M UTC')  cdm ${rev}${dirty}  $(psql -At -c 'SHOW server_version')  $(nproc) cpu  reps ${BENCH_REPS:-3}  queries ${BENCH_QUERIES:-2000}"
args=(-v reps="${BENCH_REPS:-3}" -v queries="${BENCH_QUERIES:-2000}" -v join_records="${BENCH_JOIN_RECORDS:-10000}" -v header="$header")
[ -n "${BENCH_OUT:-}" ] && args+=(-v outfile="$BENCH_OUT")
psql "${args[@]}" -f bench/block.sql
