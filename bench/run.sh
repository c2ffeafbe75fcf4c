#!/usr/bin/env bash
# make bench: the compare-layer benchmark against the peers (bench/README.md).
# Installs what is missing (root), builds and installs cdm, then runs
# bench/compare.sh (compare layer), bench/normalise.sh (normalise layer) and
# bench/block.sh (blocking index), bench/dedupe.sh (deduplication),
# bench/store.sh (ingest rate), bench/lifecycle.sh (active customers) and
# bench/quality.sh (data quality), bench/relationship.sh (households, hierarchies) and
# bench/org.sh (organisation matching) in one throwaway PostgreSQL cluster.  The
# report tables are printed and written to
# bench/results/{compare,normalise,block,dedupe,store,lifecycle,quality,relationship,org}-<date>.txt.
#   BENCH_ONLY=compare|normalise|block|dedupe|store|lifecycle|quality|relationship|org   run one of them
#   BENCH_LIFECYCLE_ENTITIES=1000000   lifecycle: people (~10 milestones each)
#   BENCH_QUALITY_RECORDS=1000000      quality: records
#   BENCH_DEDUPE_SCALE=1    dedupe: also 100k and 1M records (cdm only, slow)
#   BENCH_REPS=5            timed repetitions per query (median reported)
#   BENCH_CDM=placeholder   skip the build, time a stand-in cdm (harness test)
#   PGV=15                  PostgreSQL major version
set -euo pipefail
cd "$(dirname "$0")/.."
PGV=${PGV:-15}
export PGV

bash scripts/bench-deps.sh

if [ "${BENCH_CDM:-}" != placeholder ]; then
  echo "== build and install cdm"
  log=$(mktemp /tmp/cdm-bench-build.XXXXXX)
  if ! make -s -j2 >"$log" 2>&1 || ! make -s install >>"$log" 2>&1; then
    tail -n 40 "$log"; echo "bench: cdm does not build/install (log: $log)" >&2; exit 1
  fi
  rm -f "$log"
fi

mkdir -p bench/results
stamp=$(date -u +%Y-%m-%d-%H%M%S)
only=${BENCH_ONLY:-}
# shared_buffers well above 4 x the largest table, or sequential scans would
# use a small ring buffer and re-read the table from the OS cache on every run.
# -t: a private cluster directory, so that a concurrent make test (also
# pg_virtualenv, cluster "regress") does not clash with this one.
if [ "$(id -u)" -eq 0 ]; then chmod -R o+rX . 2>/dev/null || true; fi
BENCH_STAMP=$stamp BENCH_ONLY=$only pg_virtualenv -t -v "$PGV" -o shared_buffers=512MB bash -c '
  set -e
  if [ -z "$BENCH_ONLY" ] || [ "$BENCH_ONLY" = compare ]; then
    BENCH_OUT="$PWD/bench/results/compare-$BENCH_STAMP.txt" bash bench/compare.sh
  fi
  if { [ -z "$BENCH_ONLY" ] || [ "$BENCH_ONLY" = normalise ]; } && [ "${BENCH_CDM:-}" != placeholder ]; then
    BENCH_OUT="$PWD/bench/results/normalise-$BENCH_STAMP.txt" bash bench/normalise.sh
  fi
  if { [ -z "$BENCH_ONLY" ] || [ "$BENCH_ONLY" = block ]; } && [ "${BENCH_CDM:-}" != placeholder ]; then
    BENCH_OUT="$PWD/bench/results/block-$BENCH_STAMP.txt" bash bench/block.sh
  fi
  if { [ -z "$BENCH_ONLY" ] || [ "$BENCH_ONLY" = dedupe ]; } && [ "${BENCH_CDM:-}" != placeholder ]; then
    BENCH_OUT="$PWD/bench/results/dedupe-$BENCH_STAMP.txt" bash bench/dedupe.sh
  fi
  if { [ -z "$BENCH_ONLY" ] || [ "$BENCH_ONLY" = store ]; } && [ "${BENCH_CDM:-}" != placeholder ]; then
    BENCH_OUT="$PWD/bench/results/store-$BENCH_STAMP.txt" bash bench/store.sh
  fi
  if { [ -z "$BENCH_ONLY" ] || [ "$BENCH_ONLY" = quality ]; } && [ "${BENCH_CDM:-}" != placeholder ]; then
    BENCH_OUT="$PWD/bench/results/quality-$BENCH_STAMP.txt" bash bench/quality.sh
  fi
  if { [ -z "$BENCH_ONLY" ] || [ "$BENCH_ONLY" = lifecycle ]; } && [ "${BENCH_CDM:-}" != placeholder ]; then
    BENCH_OUT="$PWD/bench/results/lifecycle-$BENCH_STAMP.txt" bash bench/lifecycle.sh
  fi
  if { [ -z "$BENCH_ONLY" ] || [ "$BENCH_ONLY" = relationship ]; } && [ "${BENCH_CDM:-}" != placeholder ]; then
    BENCH_OUT="$PWD/bench/results/relationship-$BENCH_STAMP.txt" bash bench/relationship.sh
  fi
  if { [ -z "$BENCH_ONLY" ] || [ "$BENCH_ONLY" = org ]; } && [ "${BENCH_CDM:-}" != placeholder ]; then
    BENCH_OUT="$PWD/bench/results/org-$BENCH_STAMP.txt" bash bench/org.sh
  fi'
echo "bench: reports written to bench/results/*-$stamp.txt"
