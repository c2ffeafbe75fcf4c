#!/usr/bin/env bash
# Inside a throwaway cluster (pg_virtualenv sets PGHOST/PGPORT/PGUSER): the
# lifecycle benchmark (issue 7).  bench/lifecycle_gen.sql makes
# BENCH_LIFECYCLE_ENTITIES people (default 1,000,000) with about ten
# milestones each over the three years before the anchor;
# bench/lifecycle_load.sql puts them into cdm (entities, 0.2% of them merged,
# cdm.load_milestones, 1,000 cdm.record_milestone calls) and defines finance,
# sales and operations; bench/lifecycle_peer.sql builds the peer (the same
# milestones in a plain table with two indexes, merged ids resolved through a
# mapping table); bench/lifecycle.sql checks that both sides agree and times
# them.  Prints one table, and how the counting queries were executed
# (parallel workers or not).  Run by bench/run.sh (BENCH_ONLY=lifecycle).
#   BENCH_LIFECYCLE_ENTITIES=1000000   people (ids); milestones are ~10 each
#   BENCH_LIFECYCLE_ANCHOR='2026-11-01 00:00:00+00'  the data end here (the
#                       same anchor gives the same data); cdm.active_monthly
#                       always covers the 24 months up to now()
#   BENCH_REPS=3        timed runs per query (medians)
#   BENCH_LIFECYCLE_PEER_MONTHLY_REPS=1  runs of the peer's 24-month query
#                       (it takes 24 of its counts)
#   BENCH_INSTALL_LOCK=/tmp/cdm-install.lock  shared build machine: make
#                       install, CREATE EXTENSION and a private copy of
#                       cdm.so, all under this lock, so that another
#                       worktree's make install during the run cannot change
#                       the cdm being measured (the functions are pointed at
#                       the copy)
#   BENCH_OUT=file      also write the report there
set -euo pipefail
cd "$(dirname "$0")/.."
export PGDATABASE=cdm_bench_lifecycle PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
psql() { command psql -X -q -v ON_ERROR_STOP=1 "$@"; }
n=${BENCH_LIFECYCLE_ENTITIES:-1000000}
anchor=${BENCH_LIFECYCLE_ANCHOR:-2026-11-01 00:00:00+00}
reps=${BENCH_REPS:-3}
pmreps=${BENCH_LIFECYCLE_PEER_MONTHLY_REPS:-1}
t_start=$(date +%s)
secs() { echo $(( $(date +%s) - $1 )); }

# the commit measured (taken before the install below)
rev=$(git -c safe.directory='*' rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(git --no-optional-locks -c safe.directory='*' status --porcelain -- src sql bench 2>/dev/null | grep -q . && echo '+uncommitted' || true)
psql -d postgres -c 'DROP DATABASE IF EXISTS cdm_bench_lifecycle' -c 'CREATE DATABASE cdm_bench_lifecycle'
if [ -n "${BENCH_INSTALL_LOCK:-}" ]; then
  libcopy=$(mktemp -d /tmp/cdm-bench-lib.XXXXXX)
  chmod 755 "$libcopy"
  trap 'rm -rf "$libcopy"' EXIT
  pkglib=$("${PG_CONFIG:-pg_config}" --pkglibdir)
  flock "$BENCH_INSTALL_LOCK" bash -c '
    set -e
    make -s install >/dev/null
    psql -X -q -v ON_ERROR_STOP=1 -c "CREATE EXTENSION cdm"
    cp "$1/cdm.so" "$2/cdm.so"' _ "$pkglib" "$libcopy"
  chmod 755 "$libcopy/cdm.so"
  psql -c "UPDATE pg_catalog.pg_proc SET probin = '$libcopy/cdm' WHERE probin = '\$libdir/cdm'"
  lib_note="cdm.so pinned: a private copy of the build installed under $BENCH_INSTALL_LOCK"
else
  psql -c 'CREATE EXTENSION cdm'
  lib_note="installed cdm.so"
fi

echo "== data (bench/lifecycle_gen.sql, $n entities, anchor $anchor)"
t0=$(date +%s)
psql -v entities="$n" -v anchor="$anchor" -f bench/lifecycle_gen.sql >/dev/null
echo "generated in $(secs "$t0") s"
echo "== cdm: entities, merges, cdm.load_milestones, definitions (bench/lifecycle_load.sql)"
t0=$(date +%s)
psql -f bench/lifecycle_load.sql >/dev/null
echo "loaded in $(secs "$t0") s"
echo "== peer: table, indexes, merge map (bench/lifecycle_peer.sql)"
t0=$(date +%s)
psql -f bench/lifecycle_peer.sql >/dev/null
echo "built in $(secs "$t0") s"

header="cdm lifecycle benchmark  $(date -u '+%Y-%m-%d %H:%M UTC')  cdm ${rev}${dirty} ($lib_note)  $(psql -At -c 'SHOW server_version')  $(nproc) cpu  shared_buffers $(psql -At -c 'SHOW shared_buffers')"
args=(-v reps="$reps" -v peer_monthly_reps="$pmreps" -v header="$header")
[ -n "${BENCH_OUT:-}" ] && args+=(-v outfile="$BENCH_OUT")
echo "== sanity and timing (bench/lifecycle.sql)"
status=0
psql "${args[@]}" -f bench/lifecycle.sql || status=$?

# How the counts ran: the plan of the statement inside cdm.active_count and
# cdm.active_counts (auto_explain of nested statements, with ANALYZE), and
# the peer's count (EXPLAIN ANALYZE).  "serial" = no Gather node.
summary() {
  awk '/Gather/ { g = 1 } /Workers Planned:/ { p += $3 } /Workers Launched:/ { l += $3 }
       END { if (g) printf "Gather, workers planned %d, launched %d", p, l; else printf "serial (no Gather)" }'
}
nested_plan() {  # the auto_explain block that scans cdm.entity_timeline
  awk '/duration: .* plan:/ { if (keep) exit; blk = ""; inb = 1 } inb { blk = blk $0 "\n" }
       /entity_timeline/ { keep = 1 } END { if (keep) printf "%s", blk }'
}
at=$(psql -At -c "SELECT bench_lc.ts(anchor) FROM bench_lc.param")
ae=(-c "SET jit = off" -c "SET work_mem = '64MB'" -c "LOAD 'auto_explain'" -c "SET auto_explain.log_min_duration = 0" -c "SET auto_explain.log_nested_statements = on"
    -c "SET auto_explain.log_analyze = on" -c "SET auto_explain.log_level = notice" -c "SET client_min_messages = notice")
plan_count=$(psql "${ae[@]}" -c "SELECT cdm.active_count('operations', $at)" 2>&1 >/dev/null | nested_plan)
plan_counts=$(psql "${ae[@]}" -c "SELECT count(*) FROM cdm.active_counts('operations', (SELECT moments FROM bench_lc.moments WHERE definition = 'operations'))" 2>&1 >/dev/null | nested_plan)
plan_peer=$(psql -At 2>&1 <<'EOF'
SET jit = off;
SET work_mem = '64MB';
SELECT 'EXPLAIN (ANALYZE, COSTS OFF) ' || bench_lc.peer_count('operations', bench_lc.ts(anchor)) FROM bench_lc.param
\gexec
EOF
)
plans="plans (operations at the anchor, as executed): cdm.active_count: $(echo "$plan_count" | summary); cdm.active_counts: $(echo "$plan_counts" | summary); peer count: $(echo "$plan_peer" | summary)"
echo "$plans"
[ -n "${BENCH_OUT:-}" ] && echo "$plans" >>"$BENCH_OUT"
if [ -n "${BENCH_LIFECYCLE_PLANS:-}" ]; then
  { echo "== cdm.active_count, the statement inside"; echo "$plan_count"
    echo "== cdm.active_counts, the statement inside"; echo "$plan_counts"
    echo "== peer count"; echo "$plan_peer"; } >"$BENCH_LIFECYCLE_PLANS"
fi
echo "lifecycle benchmark: $(secs "$t_start") s"
exit $status
