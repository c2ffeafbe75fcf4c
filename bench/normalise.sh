#!/usr/bin/env bash
# Inside a throwaway cluster (pg_virtualenv sets PGHOST/PGPORT/PGUSER): the
# normalise-layer benchmark, bench/normalise.sql.  Run by bench/run.sh.
#   BENCH_REPS=5      timed repetitions (median reported)
#   BENCH_OUT=file    also write the report table there
set -euo pipefail
cd "$(dirname "$0")/.."
export PGDATABASE=cdm_bench_norm PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
psql() { command psql -X -q -v ON_ERROR_STOP=1 "$@"; }

psql -d postgres -c 'DROP DATABASE IF EXISTS cdm_bench_norm' -c 'CREATE DATABASE cdm_bench_norm'
psql -c 'CREATE EXTENSION unaccent' -c 'CREATE EXTENSION cdm'
psql -At -c "SELECT 'extensions: ' || string_agg(extname || ' ' || extversion, ', ' ORDER BY extname) FROM pg_extension WHERE extname <> 'plpgsql'"
rev=$(git -c safe.directory='*' rev-parse --short HEAD 2>/dev/null || echo unknown)
header="cdm normalise-layer benchmark  $(date -u '+%Y-%m-%d %H:%M UTC')  cdm ${rev}  ICU $(psql -At -c 'SELECT cdm.icu_version()')  $(psql -At -c 'SHOW server_version')  $(nproc) cpu  reps ${BENCH_REPS:-5}"
args=(-v reps="${BENCH_REPS:-5}" -v header="$header" -v febrl_csv=test/data/febrl/dataset3.csv -v mixed_csv=bench/data/mixed_names.csv)
[ -n "${BENCH_OUT:-}" ] && args+=(-v outfile="$BENCH_OUT")
psql "${args[@]}" -f bench/normalise.sql
