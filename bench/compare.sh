#!/usr/bin/env bash
# Inside a throwaway cluster (pg_virtualenv sets PGHOST/PGPORT/PGUSER): the
# extensions, the pairs, then bench/compare.sql.  Run by bench/run.sh.
#   BENCH_REPS=5          timed repetitions (median reported)
#   BENCH_CDM=placeholder stand-in cdm (harness test only)
#   BENCH_OUT=file        also write the report table there
set -euo pipefail
cd "$(dirname "$0")/.."
export PGDATABASE=cdm_bench PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
psql() { command psql -X -q -v ON_ERROR_STOP=1 "$@"; }

psql -d postgres -c 'DROP DATABASE IF EXISTS cdm_bench' -c 'CREATE DATABASE cdm_bench'
# Each peer in its own schema: fuzzystrmatch and pg_similarity both define
# soundex(text), and pg_similarity puts plain names (jarowinkler, lev, ...) in
# whatever schema it is created in.
psql -c 'CREATE SCHEMA fsm; CREATE EXTENSION fuzzystrmatch SCHEMA fsm;' \
     -c 'CREATE SCHEMA pgs; CREATE EXTENSION pg_similarity SCHEMA pgs;' \
     -c 'CREATE SCHEMA trgm; CREATE EXTENSION pg_trgm SCHEMA trgm;'
if [ "${BENCH_CDM:-}" = placeholder ]; then
  echo "bench: BENCH_CDM=placeholder: cdm is a stand-in made of peer wrappers; ratios mean nothing"
  psql -f bench/placeholder.sql
else
  psql -c 'CREATE EXTENSION cdm'
fi
psql -At -c "SELECT 'extensions: ' || string_agg(extname || ' ' || extversion || ' (' || extnamespace::regnamespace || ')', ', ' ORDER BY extname) FROM pg_extension WHERE extname <> 'plpgsql'"
# the functions actually called, as resolved
psql -At -c "SELECT 'resolved:   ' || string_agg(f::regprocedure::text, ', ') FROM unnest(ARRAY[
  'cdm.levenshtein(text,text)', 'fsm.levenshtein(text,text)',
  'cdm.jaro_winkler_similarity(text,text)', 'pgs.jarowinkler(text,text)',
  'cdm.qgram_similarity(text,text,integer)', 'trgm.similarity(text,text)',
  'cdm.dmetaphone(text)', 'fsm.dmetaphone(text)']::regprocedure[]) f"

echo "== pairs (FEBRL dataset3)"
psql -v febrl_csv=test/data/febrl/dataset3.csv -f bench/make_pairs.sql

rev=$(git -c safe.directory='*' rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(git --no-optional-locks -c safe.directory='*' status --porcelain -- src sql 2>/dev/null | grep -q . && echo '+uncommitted' || true)
header="cdm compare-layer benchmark  $(date -u '+%Y-%m-%d %H:%M UTC')  cdm ${rev}${dirty}  $(psql -At -c 'SHOW server_version')  $(psql -At -c 'SHOW server_encoding')  $(nproc) cpu  reps ${BENCH_REPS:-5}${BENCH_CDM:+  [cdm=$BENCH_CDM]}"
args=(-v reps="${BENCH_REPS:-5}" -v header="$header")
[ -n "${BENCH_OUT:-}" ] && args+=(-v outfile="$BENCH_OUT")
psql "${args[@]}" -f bench/compare.sql
