#!/usr/bin/env bash
# Installs the Debian packages cdm needs to build, test and benchmark, when
# run as root and any is missing.  Not root: only reports what is missing.
set -euo pipefail
PGV=${PGV:-15}
# clang and its compiler-rt (libFuzzer, sanitizer runtimes): make fuzz.
need=(build-essential pkg-config "postgresql-$PGV" "postgresql-server-dev-$PGV"
      libicu-dev libphonenumber-dev "postgresql-$PGV-pgtap"
      postgresql-common libipc-run-perl clang libclang-rt-14-dev)
missing=()
for p in "${need[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "cdm: missing Debian packages: ${missing[*]}" >&2
  echo "cdm: run 'make deps' as root, or: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "cdm: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
