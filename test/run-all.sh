#!/usr/bin/env bash
# make test: build, install, then the core unit tests (with the conformance
# vectors, plain and under ASan/UBSan), a short smoke run of every fuzz
# target, the pg_regress and isolation suites, the SQL conformance run and
# a short concurrency run in a throwaway cluster, then the TAP tests (crash
# recovery; they make their own clusters).  Closes with "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
PGV=${PGV:-15}
total_p=0; total_f=0
add() { # parse "...: N passed, N failed" from the last matching line of $1
  local line; line=$(printf '%s\n' "$1" | grep -E '[0-9]+ passed, [0-9]+ failed$' | tail -n 1)
  if [ -z "$line" ]; then total_f=$((total_f + 1)); return; fi
  total_p=$((total_p + $(echo "$line" | sed -E 's/.* ([0-9]+) passed.*/\1/')))
  total_f=$((total_f + $(echo "$line" | sed -E 's/.* ([0-9]+) failed$/\1/')))
}

echo "== build and install"
if ! make -s -j2 >/tmp/cdm-build.log 2>&1 || ! make -s install >>/tmp/cdm-build.log 2>&1; then
  cat /tmp/cdm-build.log; echo "build: 0 passed, 1 failed"; echo "0 passed, 1 failed"; exit 1
fi
echo "== unit tests (pure C core, conformance vectors)"
out=$(make -s -j2 unit 2>&1); printf '%s\n' "$out"; add "$out"
if [ "${SANITIZE_UNIT:-1}" = 1 ]; then
  echo "== unit tests under ASan/UBSan"
  rm -rf test/unit/bin
  out=$(make -s -j2 unit SANITIZE=1 2>&1); printf '%s\n' "$out" | tail -n 3; add "$out"
  rm -rf test/unit/bin
fi
if [ "${FUZZ_SMOKE:-1}" = 1 ]; then
  # Every libFuzzer target briefly, from its seed corpus (the inputs of
  # past findings included): about 50 s with the build.  make fuzz runs
  # them longer (FUZZ_SECONDS, default 30).
  secs=${FUZZ_SMOKE_SECONDS:-1}
  echo "== fuzz smoke (every target ${secs} s under ASan/UBSan, niced)"
  # A fixed seed: the smoke replays the corpora and explores the same way
  # each time, so CI does not turn red on a new random finding (make fuzz
  # is where new inputs are looked for).
  out=$( { make -s -j2 fuzz-build && make -s fuzz FUZZ_SECONDS="$secs" FUZZ_SEED="${FUZZ_SMOKE_SEED:-1}"; } 2>&1)
  printf '%s\n' "$out" | grep -vE '^make(\[[0-9]+\])?: \*\*\*' | tail -n 40; add "$out"
fi
echo "== regression suites and SQL conformance (throwaway cluster)"
if [ "$(id -u)" -eq 0 ]; then
  # the cluster runs as postgres, which must be able to read the tree
  chmod -R o+rX . 2>/dev/null || true
fi
out=$(pg_virtualenv -t -v "$PGV" bash test/run-pg.sh 2>&1); printf '%s\n' "$out"; add "$out"
echo "== TAP tests (t/*.pl: the store killed with SIGKILL and recovered; own clusters)"
out=$(make -s installcheck REGRESS= ISOLATION= 2>&1); rc=$?
printf '%s\n' "$out" | grep -E '^(t/|Files=|Result:|Failed|  Failed|#)' || true
tests=$(printf '%s\n' "$out" | sed -nE 's/^Files=[0-9]+, Tests=([0-9]+),.*/\1/p' | tail -n 1)
if [ "$rc" -eq 0 ] && printf '%s\n' "$out" | grep -q '^Result: PASS'; then
  echo "tap: ${tests:-0} passed, 0 failed"; add "tap: ${tests:-0} passed, 0 failed"
else
  printf '%s\n' "$out" | tail -n 30
  bad=$(printf '%s\n' "$out" | sed -nE 's/.*Tests: [0-9]+ Failed: ([0-9]+)\).*/\1/p' | awk '{ s += $1 } END { print s + 0 }')
  [ "$bad" -gt 0 ] || bad=1
  good=$(( ${tests:-0} > bad ? ${tests:-0} - bad : 0 ))
  echo "tap: $good passed, $bad failed"; add "tap: $good passed, $bad failed"
  for f in tmp_check/log/regress_log_*; do [ -f "$f" ] && tail -n 40 "$f"; done
fi
echo
echo "$total_p passed, $total_f failed"
[ "$total_f" -eq 0 ]
