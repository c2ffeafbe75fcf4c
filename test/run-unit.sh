#!/usr/bin/env bash
# Runs each core unit-test program against the conformance vectors and adds
# up their "N passed, N failed" lines.
set -u
cd "$(dirname "$0")/.."
data=test/conformance/data
passed=0; failed=0; bad=0
for t in "$@"; do
  out=$("$t" "$data" 2>&1); rc=$?
  line=$(printf '%s\n' "$out" | grep -E '^[a-z_0-9]+: [0-9]+ passed, [0-9]+ failed$' | tail -n 1)
  if [ -z "$line" ]; then
    printf '%s\n' "$out" | tail -n 20
    echo "$t: crashed or printed no summary (exit $rc)"; bad=$((bad + 1)); continue
  fi
  [ $rc -ne 0 ] && printf '%s\n' "$out" | grep -v ': [0-9]* passed' | head -n 40
  echo "$line"
  p=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed.*/\1/'); f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed$/\1/')
  passed=$((passed + p)); failed=$((failed + f))
  [ $rc -ne 0 ] && [ "$f" -eq 0 ] && bad=$((bad + 1))
done
failed=$((failed + bad))
echo "unit: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
