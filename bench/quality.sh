#!/usr/bin/env bash
# Inside a throwaway cluster (pg_virtualenv sets PGHOST/PGPORT/PGUSER): the
# data-quality KPIs.  bench/gen_dedupe.sql makes BENCH_QUALITY_RECORDS noisy
# customer records (default 1,000,000; Australian addresses and phones, six
# source systems, updated_at over three years); then, in one session,
# alternating, medians of BENCH_REPS (default 3):
#   scan   SELECT count(*) FROM t                    (one sequential scan)
#   cdm    SELECT count(*) FROM cdm.quality(t, 'AU') (every KPI, per source)
#   peer   the same KPIs in plain SQL: completeness by non-blank counts,
#          validity by the regular expressions a user writes (e-mail shape,
#          8-15 digits for a phone, a date range, 4 digits for a postcode),
#          freshness by age sums; per source with GROUPING SETS
# and prints the ratios.  The issue's target: cdm.quality <= 5x the scan.
# Run by bench/run.sh (BENCH_ONLY=quality).
set -euo pipefail
cd "$(dirname "$0")/.."
export PGDATABASE=cdm_bench_quality PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
psql() { command psql -X -q -v ON_ERROR_STOP=1 "$@"; }
n=${BENCH_QUALITY_RECORDS:-1000000}
reps=${BENCH_REPS:-3}
psql -d postgres -c 'DROP DATABASE IF EXISTS cdm_bench_quality' -c 'CREATE DATABASE cdm_bench_quality'
psql -c 'CREATE EXTENSION cdm'
echo "== data (bench/gen_dedupe.sql, $n records)"
psql -v records="$n" -v gen_table=bench_q_people -f bench/gen_dedupe.sql
psql -v reps="$reps" -f bench/quality.sql > /tmp/cdm-bench-quality.$$ 
{
  echo "cdm data-quality benchmark  $(date -u '+%Y-%m-%d %H:%M UTC')  cdm $(git -c safe.directory='*' rev-parse --short HEAD 2>/dev/null || echo unknown)  $(nproc) cpu  $n records"
  cat /tmp/cdm-bench-quality.$$
  echo "target (issue 9): cdm.quality <= 5x one sequential scan"
} | tee ${BENCH_OUT:+"$BENCH_OUT"}
rm -f /tmp/cdm-bench-quality.$$
