-- bench/lib/febrl.sql: FEBRL dataset3 as it is in the CSV, into the table
-- named by the psql variable febrl_table (default bench_febrl), from the file
-- in febrl_csv.  Included by the benchmarks' SQL with \ir.
\if :{?febrl_table}
\else
\set febrl_table bench_febrl
\endif
DROP TABLE IF EXISTS :febrl_table;
CREATE TABLE :febrl_table (
  rec_id text, given_name text, surname text, street_number text,
  address_1 text, address_2 text, suburb text, postcode text, state text,
  date_of_birth text, soc_sec_id text);
-- ", " separators: the fields keep a leading blank; callers trim.
-- (\copy does not expand psql variables, so the command is built in one)
\set copy_febrl '\\copy ' :febrl_table ' FROM ' :'febrl_csv' ' WITH (FORMAT csv, HEADER true)'
:copy_febrl
