#!/usr/bin/env bash
# make fuzz: runs each libFuzzer target given for FUZZ_SECONDS (default 30)
# at nice FUZZ_NICE (default 19), from its committed seed corpus
# test/fuzz/corpus/<name>/ plus the inputs earlier runs found
# (test/fuzz/bin/corpus/<name>/, not committed).  A crash, a sanitizer
# report, an invariant failure (FUZZ_CHECK), a timeout or running out of
# memory fails the target; the input is kept in test/fuzz/crashes/ and the
# fuzzer's output in test/fuzz/bin/<name>.log.  One line per target, then
# "fuzz: N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
secs=${FUZZ_SECONDS:-30}
nice_level=${FUZZ_NICE:-19}
# Seconds one input may take before it counts as a hang (-timeout).
per_input=${FUZZ_TIMEOUT:-20}
# FUZZ_SEED fixes libFuzzer's random seed (make test's smoke stage uses 1,
# so a red CI replays); unset, every run explores afresh.
seed_arg=()
if [ -n "${FUZZ_SEED:-}" ]; then seed_arg=(-seed="$FUZZ_SEED"); fi
mkdir -p test/fuzz/crashes
passed=0; failed=0
for bin in "$@"; do
  name=$(basename "$bin"); short=${name#fuzz_}
  seeds=test/fuzz/corpus/$short
  work=test/fuzz/bin/corpus/$short
  log=test/fuzz/bin/$name.log
  mkdir -p "$work" "$seeds"
  # Without -fork a crash stops the run at once; the first corpus directory
  # is the one new inputs are written to.
  nice -n "$nice_level" "$bin" -max_total_time="$secs" -timeout="$per_input" \
    -rss_limit_mb=2048 -max_len=4096 -print_final_stats=1 "${seed_arg[@]}" \
    -artifact_prefix="test/fuzz/crashes/$short-" "$work" "$seeds" >"$log" 2>&1
  rc=$?
  execs=$(grep -E '^stat::number_of_executed_units:' "$log" | tail -n 1 | awk '{print $2}')
  rate=$(grep -E '^stat::average_exec_per_sec:' "$log" | tail -n 1 | awk '{print $2}')
  cov=$(grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE)' "$log" | tail -n 1 | sed -nE 's/.* cov: ([0-9]+).*/\1/p')
  if [ $rc -eq 0 ] && ! grep -qE '^(==[0-9]+==ERROR|fuzz: invariant failed|SUMMARY: )' "$log"; then
    printf '%-22s ok      %10s runs in %ss, %s exec/s, cov %s\n' "$name" "${execs:-?}" "$secs" "${rate:-?}" "${cov:-?}"
    passed=$((passed + 1))
  else
    art=$(grep -oE "test/fuzz/crashes/$short-[a-z-]+[0-9a-f]+" "$log" | tail -n 1)
    printf '%-22s FAILED  (exit %s) %s; log %s\n' "$name" "$rc" "${art:-no artefact}" "$log"
    grep -E '^(==[0-9]+==ERROR|fuzz: invariant failed|SUMMARY:|  )' "$log" | head -n 6
    failed=$((failed + 1))
  fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
