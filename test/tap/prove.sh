#!/usr/bin/env bash
# PROVE for PGXS's TAP tests (t/*.pl, make installcheck): initdb refuses to
# run as root, so as root prove runs as the postgres user (CDM_TAP_USER),
# which gets the test's scratch directory ($TESTDIR/tmp_check).  The tree
# must be readable by that user (make test and the documented commands run
# chmod -R o+rX first).
set -eu
if [ "$(id -u)" -ne 0 ]; then
  exec prove "$@"
fi
user=${CDM_TAP_USER:-postgres}
scratch=${TESTDIR:-$PWD}/tmp_check
mkdir -p "$scratch"
chown -R "$user" "$scratch"
exec runuser -u "$user" -p -- env HOME="$scratch" prove "$@"
