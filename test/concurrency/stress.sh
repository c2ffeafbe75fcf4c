#!/usr/bin/env bash
# make stress: build and install cdm, then the concurrency test of the
# store (test/concurrency/run.sh) for a minute in a throwaway cluster.
#   STRESS_SECONDS=60 STRESS_CLIENTS=8 STRESS_PERSONS=400 STRESS_SEED=1
# The report is printed and written to bench/results/concurrency-<date>.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
PGV=${PGV:-15}
log=$(mktemp /tmp/cdm-stress-build.XXXXXX)
if ! make -s -j2 >"$log" 2>&1 || ! make -s install >>"$log" 2>&1; then
  tail -n 40 "$log"; echo "stress: cdm does not build/install (log: $log)" >&2; exit 1
fi
rm -f "$log"
if [ "$(id -u)" -eq 0 ]; then chmod -R o+rX . 2>/dev/null || true; fi
mkdir -p bench/results
export STRESS_SECONDS=${STRESS_SECONDS:-60} STRESS_CLIENTS=${STRESS_CLIENTS:-8}
export STRESS_OUT=${STRESS_OUT:-$PWD/bench/results/concurrency-$(date -u +%Y-%m-%d-%H%M%S).txt}
pg_virtualenv -t -v "$PGV" bash test/concurrency/run.sh
