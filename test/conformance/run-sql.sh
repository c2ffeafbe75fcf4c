#!/usr/bin/env bash
# Runs the published vectors through cdm's SQL functions (the C core is
# checked against the same files by the unit tests).  Needs a database
# with cdm installable; connection from the usual PG* variables.
# Prints one line per file and closes with "conformance-sql: N passed, N failed" (rows).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
data=$here/data
db=${PGDATABASE:-postgres}
psql_q() { psql -X -q -v ON_ERROR_STOP=1 -d "$db" "$@"; }

# file | SQL expression over the row $1 (jsonb) | comparison | tolerance
# Tolerances are each source's own (3 d.p. values: 0.001; values rounded to 2 d.p.: 0.01).
plan=$(cat "$here/plan.txt")

psql_q <<SQL
DROP SCHEMA IF EXISTS conformance CASCADE;
CREATE SCHEMA conformance;
SET search_path = conformance;
CREATE EXTENSION IF NOT EXISTS cdm;
\i $here/harness.sql
\copy conf_deviation FROM '$here/DEVIATIONS.csv' WITH (FORMAT csv, HEADER true, FORCE_NOT_NULL (file, a, b, cdm, reason))
SQL

{
  echo "SET search_path = conformance;"
  i=0
  while IFS='|' read -r file expr mode tol; do
    file=$(echo "$file" | xargs); [ -z "$file" ] && continue; case "$file" in \#*) continue;; esac
    expr=$(echo "$expr" | sed 's/^ *//; s/ *$//'); mode=$(echo "$mode" | xargs); tol=$(echo "$tol" | xargs)
    header=$(head -n 1 "$data/$file" | tr -d '\r')
    IFS=',' read -r -a cols <<< "$header"
    coldefs=$(printf '%s text,' "${cols[@]}"); coldefs=${coldefs%,}
    ncols=${#cols[@]}
    bcol=NULL; [ "$ncols" -ge 3 ] && bcol="'${cols[1]}'"
    i=$((i + 1)); t="t$i"
    echo "CREATE TABLE $t ($coldefs);"
    # empty fields are empty strings, not NULL
    fnn=$(printf '%s,' "${cols[@]}"); fnn=${fnn%,}
    echo "\\copy $t FROM '$data/$file' WITH (FORMAT csv, HEADER true, FORCE_NOT_NULL ($fnn))"
    echo "SELECT conf_run('$file', '$t', \$x\$$expr\$x\$, '$mode', ${tol:-0}, $bcol);"
  done <<< "$plan"
} | psql_q >/dev/null

psql_q -At -F ' ' <<'SQL'
SET search_path = conformance;
SELECT file || ': ' || count(*) FILTER (WHERE ok) || ' passed, ' || count(*) FILTER (WHERE NOT ok) || ' failed'
       || CASE WHEN count(*) FILTER (WHERE note = 'deviation') > 0
               THEN ' (' || count(*) FILTER (WHERE note = 'deviation') || ' documented deviations)' ELSE '' END
  FROM conf_result GROUP BY file ORDER BY file;
SELECT 'FAIL ' || file || ' row ' || rn || ': ' || input::text || ' got ' || coalesce(got, 'NULL')
       || ' want ' || coalesce(expected, 'NULL')
  FROM conf_result WHERE NOT ok ORDER BY file, rn LIMIT 60;
SELECT 'conformance-sql: ' || count(*) FILTER (WHERE ok) || ' passed, ' || count(*) FILTER (WHERE NOT ok) || ' failed'
  FROM conf_result;
SQL
psql_q -c 'DROP SCHEMA conformance CASCADE' >/dev/null 2>&1
