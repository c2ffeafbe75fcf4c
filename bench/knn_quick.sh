#!/bin/bash
# bench/knn_quick.sh [siglens] - quick KNN benchmark (see knn_quick.sql), in a
# throwaway cluster, under the shared install lock.  Example: bash bench/knn_quick.sh '{64,256}'
set -e
cd "$(dirname "$0")/.."
SIGLENS=${1:-'{64}'}
make -s -j2
flock /tmp/cdm-install.lock bash -c "make -s install >/dev/null && chmod -R o+rX . && \
  pg_virtualenv -t -v 15 -o shared_buffers=256MB psql -X -q -v csv=$PWD/test/data/febrl/dataset3.csv \
    -v siglens='$SIGLENS' -f bench/knn_quick.sql"
