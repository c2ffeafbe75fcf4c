#!/usr/bin/env bash
# Inside a throwaway cluster (pg_virtualenv sets PGHOST/PGPORT/PGUSER): the
# relationship layer against plain SQL, on a store filled directly by
# bench/relationship.sql:
#   BENCH_REL_PEOPLE  person entities (default 1,000,000; ~2.5 per household,
#                     every fifth moved in 2024, so two record versions)
#   BENCH_REL_ORGS    organisations (default 100,000; seven levels, depth
#                     0..6, 2% roots; 30% with a purchase in two years)
#   BENCH_REPS        timed repetitions (default 3; medians reported)
# Households: cdm.households (address history, move dates, merges) vs a
# GROUP BY on cdm.household_key of the current address.  Hierarchy:
# cdm.group_active_count, cdm.account_hierarchy and cdm.group_root vs plain
# recursive CTEs over the relationship table as stored.
# Run by bench/run.sh (BENCH_ONLY=relationship).
set -euo pipefail
cd "$(dirname "$0")/.."
export PGDATABASE=cdm_bench_relationship PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
psql() { command psql -X -q -v ON_ERROR_STOP=1 "$@"; }
people=${BENCH_REL_PEOPLE:-1000000}
orgs=${BENCH_REL_ORGS:-100000}
reps=${BENCH_REPS:-3}
psql -d postgres -c 'DROP DATABASE IF EXISTS cdm_bench_relationship' -c 'CREATE DATABASE cdm_bench_relationship'
psql -c 'CREATE EXTENSION cdm'
out=/tmp/cdm-bench-relationship.$$
start=$(date +%s)
psql -v people="$people" -v orgs="$orgs" -v reps="$reps" -f bench/relationship.sql > "$out"
{
  echo "cdm relationship benchmark  $(date -u '+%Y-%m-%d %H:%M UTC')  cdm $(git -c safe.directory='*' rev-parse --short HEAD 2>/dev/null || echo unknown)  $(nproc) cpu  $people people, $orgs organisations  ($(( $(date +%s) - start )) s with loading)"
  cat "$out"
} | tee ${BENCH_OUT:+"$BENCH_OUT"}
rm -f "$out"
