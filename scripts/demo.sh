#!/usr/bin/env bash
# make demo: build and install cdm, start a throwaway cluster, load FEBRL
# sample customers and show cdm finding the same person spelled differently.
set -euo pipefail
cd "$(dirname "$0")/.."
make -s -j2 >/dev/null
make -s install >/dev/null
[ "$(id -u)" -eq 0 ] && chmod -R o+rX . 2>/dev/null || true
exec pg_virtualenv -t -v "${PGV:-15}" \
  psql -X -q -v ON_ERROR_STOP=1 -v data="$PWD/test/data/febrl/dataset3.csv" -f scripts/demo.sql
