#!/usr/bin/env bash
# The peers the benchmarks compare against (pg_trgm and fuzzystrmatch come with contrib).
set -euo pipefail
PGV=${PGV:-15}
bash "$(dirname "$0")/deps.sh"
dpkg-query -W -f='${Status}' "postgresql-$PGV-similarity" 2>/dev/null | grep -q 'install ok installed' && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "cdm: bench needs postgresql-$PGV-similarity (pg_similarity); install it as root" >&2; exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "postgresql-$PGV-similarity" >/dev/null
