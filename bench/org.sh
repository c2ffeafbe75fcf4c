#!/usr/bin/env bash
# Inside a throwaway cluster (pg_virtualenv sets PGHOST/PGPORT/PGUSER):
# organisation matching on the labelled Chicago early-childhood sites
# (test/data/dedupe_csv_example), cdm.dedupe against a plain-SQL peer
# (bench/org.sql): pairwise precision, recall, F1 and time (medians of
# BENCH_REPS, default 5).  Run by bench/run.sh (BENCH_ONLY=org).
set -euo pipefail
cd "$(dirname "$0")/.."
export PGDATABASE=cdm_bench_org PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning -c bench.reps=${BENCH_REPS:-5}"
psql() { command psql -X -q -v ON_ERROR_STOP=1 "$@"; }
psql -d postgres -c 'DROP DATABASE IF EXISTS cdm_bench_org' -c 'CREATE DATABASE cdm_bench_org'
psql -c 'CREATE EXTENSION cdm'
{
  echo "cdm organisation-matching benchmark  $(date -u '+%Y-%m-%d %H:%M UTC')  cdm $(git -c safe.directory='*' rev-parse --short HEAD 2>/dev/null || echo unknown)  $(nproc) cpu"
  psql -v csv="$PWD/test/data/dedupe_csv_example/csv_example_input_with_true_ids.csv" -f bench/org.sql
} | tee ${BENCH_OUT:+"$BENCH_OUT"}
