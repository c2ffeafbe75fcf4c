#!/usr/bin/env bash
# Inside a throwaway cluster (pg_virtualenv sets PGHOST/PGPORT/PGUSER): the
# deduplication benchmark.  Loads the public sets (bench/dedupe_load.sql) and
# the generated one (bench/gen_dedupe.sql), the plain-SQL peer
# (bench/dedupe_peer.sql), then bench/dedupe.sql runs the peer and, when it
# exists, cdm.dedupe(regclass, float8) on each set and prints one table.
# Run by bench/run.sh (BENCH_ONLY=dedupe).
#   BENCH_DEDUPE_RECORDS=10000   size of the generated set
#   BENCH_DEDUPE_TIMEOUT=300s    statement_timeout per call (prints "timeout")
#   BENCH_DEDUPE_PEER_THRESHOLD=0.55  the peer's threshold (tuned on febrl3)
#   BENCH_DEDUPE_TIME_REPS=3     calls a side on the generated set; its seconds
#                                are their median (the time target's set)
#   BENCH_DEDUPE_SCALE=1         also the scale section (cdm only, 100k and 1M
#                                generated records; slow)
#   BENCH_OUT=file               also write the report table there
set -euo pipefail
cd "$(dirname "$0")/.."
export PGDATABASE=cdm_bench_dedupe PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
psql() { command psql -X -q -v ON_ERROR_STOP=1 "$@"; }
t_start=$(date +%s)

psql -d postgres -c 'DROP DATABASE IF EXISTS cdm_bench_dedupe' -c 'CREATE DATABASE cdm_bench_dedupe'
# The peer's extensions each in its own schema, as in bench/compare.sh
# (fuzzystrmatch and pg_similarity both define soundex).
psql -c 'CREATE SCHEMA fsm; CREATE EXTENSION fuzzystrmatch SCHEMA fsm;' \
     -c 'CREATE SCHEMA pgs; CREATE EXTENSION pg_similarity SCHEMA pgs;' \
     -c 'CREATE SCHEMA trgm; CREATE EXTENSION pg_trgm SCHEMA trgm;' \
     -c 'CREATE SCHEMA una; CREATE EXTENSION unaccent SCHEMA una;'
# cdm is optional: without cdm.dedupe the peer side still runs.
if ! psql -c 'CREATE EXTENSION cdm' 2>/dev/null; then
  echo "bench: CREATE EXTENSION cdm failed; running the peer side only"
fi
psql -At -c "SELECT 'extensions: ' || string_agg(extname || ' ' || extversion || ' (' || extnamespace::regnamespace || ')', ', ' ORDER BY extname) FROM pg_extension WHERE extname <> 'plpgsql'"
has_cdm=$(psql -At -c "SELECT to_regprocedure('cdm.dedupe(regclass,float8)') IS NOT NULL")
[ "$has_cdm" = t ] || echo "cdm: not available (no cdm.dedupe(regclass,float8)); peer only"

echo "== data (FEBRL 3 and 4a+4b, Splink fake_1000 and historical_50k; gen_dedupe.sql ${BENCH_DEDUPE_RECORDS:-10000} records)"
psql -f bench/dedupe_load.sql
psql -v records="${BENCH_DEDUPE_RECORDS:-10000}" -f bench/gen_dedupe.sql
psql -f bench/dedupe_peer.sql

rev=$(git -c safe.directory='*' rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(git --no-optional-locks -c safe.directory='*' status --porcelain -- src sql bench 2>/dev/null | grep -q . && echo '+uncommitted' || true)
header="cdm dedupe benchmark  $(date -u '+%Y-%m-%d %H:%M UTC')  cdm ${rev}${dirty}  cdm.dedupe $([ "$has_cdm" = t ] && echo present || echo absent) (installed build)  $(psql -At -c 'SHOW server_version')  $(nproc) cpu"
args=(-v header="$header" -v timeout="${BENCH_DEDUPE_TIMEOUT:-300s}"
      -v peer_threshold="${BENCH_DEDUPE_PEER_THRESHOLD:-0.55}" -v time_reps="${BENCH_DEDUPE_TIME_REPS:-3}")
[ -n "${BENCH_OUT:-}" ] && args+=(-v outfile="$BENCH_OUT")
status=0
psql "${args[@]}" -f bench/dedupe.sql || status=$?

# ------------------------------------------------------------------ scale (opt-in)
if [ "${BENCH_DEDUPE_SCALE:-0}" = 1 ]; then
  echo
  echo "== scale: cdm.dedupe on generated sets of 100,000 and 1,000,000 records"
  if [ "$has_cdm" != t ]; then
    echo "cdm: not available; scale section skipped"
  else
    declare -A secs hwm
    for n in 100000 1000000; do
      t0=$(date +%s)
      psql -v records=$n -v gen_table=bench_dd.gen_$n -v gen_ds=gen_$n -f bench/gen_dedupe.sql
      echo "generated $n records in $(( $(date +%s) - t0 )) s"
      # A fresh backend per call, so that its peak resident memory (VmHWM)
      # is this call's; read from /proc by the backend itself (superuser).
      out=$(psql -At -F ' ' -c "SET jit = off" -c "SET max_parallel_workers_per_gather = 0" -c "
        CREATE TEMP TABLE t0 AS SELECT clock_timestamp() AS t;
        CREATE TABLE bench_dd.out_cdm_gen_$n AS SELECT id::text, cluster_id::text FROM cdm.dedupe('bench_dd.gen_$n');
        SELECT extract(epoch FROM clock_timestamp() - t) FROM t0;" \
        -c "SELECT substring(pg_read_file('/proc/' || pg_backend_pid() || '/status') FROM 'VmHWM:\s*([0-9]+) kB')")
      secs[$n]=$(echo "$out" | sed -n 1p)
      hwm[$n]=$(echo "$out" | sed -n 2p)
      rows=$(psql -At -c "SELECT (SELECT count(*) FROM bench_dd.out_cdm_gen_$n) = $n AND (SELECT count(DISTINCT id) FROM bench_dd.out_cdm_gen_$n) = $n")
      f1=$(psql -At -c "SELECT round(f1::numeric, 4) FROM bench_dd.prf('gen_$n', 'bench_dd.out_cdm_gen_$n')")
      [ "$rows" = t ] || { echo "WRONG: cdm.dedupe on gen_$n does not return one row per record"; status=1; }
      printf 'gen %8s  cdm  %8.2f s  peak backend memory %s MB  F1 %s%s\n' "$n" "${secs[$n]}" \
        "$(( ${hwm[$n]:-0} / 1024 ))" "$f1" "$([ "$rows" = t ] || echo '  WRONG')"
      psql -c "DROP TABLE bench_dd.gen_$n, bench_dd.out_cdm_gen_$n" -c "DELETE FROM bench_dd.truth WHERE ds = 'gen_$n'" \
           -c "DELETE FROM bench_dd.gen_info WHERE ds = 'gen_$n'"
    done
    ratio=$(awk -v a="${secs[1000000]}" -v b="${secs[100000]}" 'BEGIN { printf "%.2f", a / b }')
    verdict=$(awk -v r="$ratio" 'BEGIN { print (r <= 12 ? "PASS" : "MISS") }')
    echo "growth 1M/100k: ${ratio}x (target <= 12x): $verdict"
    if [ -n "${BENCH_OUT:-}" ]; then
      { echo "scale: gen 100k ${secs[100000]} s (${hwm[100000]} kB peak), 1M ${secs[1000000]} s (${hwm[1000000]} kB peak), growth ${ratio}x (<= 12x) $verdict"; } >>"$BENCH_OUT"
    fi
  fi
fi
echo "dedupe benchmark: $(( $(date +%s) - t_start )) s"
exit $status
