#!/usr/bin/env bash
# Inside a throwaway cluster (pg_virtualenv sets PGHOST/PGPORT/PGUSER):
# the pg_regress suites, then the SQL conformance run, then a short
# concurrency run of the store (test/concurrency/run.sh).
set -u
cd "$(dirname "$0")/.."
passed=0; failed=0
# the TAP tests make their own clusters: test/run-all.sh runs them apart
out=$(make -s installcheck TAP_TESTS= 2>&1); rc=$?
printf '%s\n' "$out" | grep -E '^(ok|not ok|test |     |#)|tests|failed|FAILED' || true
# pg_regress: "ok N - name" / "not ok N - name" (PG 16+) or "test name ... ok" (PG 15)
p=$(printf '%s\n' "$out" | grep -cE '^(ok [0-9]|test .* \.\.\. ok)' || true)
f=$(printf '%s\n' "$out" | grep -cE '^(not ok [0-9]|test .* \.\.\. FAILED)' || true)
if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; printf '%s\n' "$out" | tail -n 30; fi
if [ "$f" -gt 0 ] && [ -f regression.diffs ]; then head -n 200 regression.diffs; fi
if [ "$f" -gt 0 ] && [ -f output_iso/regression.diffs ]; then head -n 200 output_iso/regression.diffs; fi
echo "regression: $p passed, $f failed"
passed=$((passed + p)); failed=$((failed + f))

out=$(bash test/conformance/run-sql.sh 2>&1); rc=$?
printf '%s\n' "$out"
line=$(printf '%s\n' "$out" | grep -E '^conformance-sql: [0-9]+ passed, [0-9]+ failed$' | tail -n 1)
if [ -z "$line" ]; then
  failed=$((failed + 1)); echo "conformance-sql: did not run (exit $rc)"
else
  p=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed.*/\1/'); f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed$/\1/')
  passed=$((passed + p)); failed=$((failed + f))
fi
# the store under concurrent writers, briefly (make stress: a minute)
out=$(STRESS_SECONDS=${STRESS_SECONDS:-15} STRESS_CLIENTS=${STRESS_CLIENTS:-4} bash test/concurrency/run.sh 2>&1); rc=$?
printf '%s\n' "$out"
line=$(printf '%s\n' "$out" | grep -E '^concurrency: [0-9]+ passed, [0-9]+ failed$' | tail -n 1)
if [ -z "$line" ]; then
  failed=$((failed + 1)); echo "concurrency: did not run (exit $rc)"
else
  p=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed.*/\1/'); f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed$/\1/')
  passed=$((passed + p)); failed=$((failed + f))
fi

echo "pg: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
