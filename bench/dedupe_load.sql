-- bench/dedupe_load.sql: the public data sets of the deduplication benchmark,
-- each as a table with cdm's role columns (what cdm.dedupe(source) and the
-- peer read) and the truth kept apart in bench_dd.truth (ds, id, truth), so
-- that no side can see it.  Empty strings become NULL.  Run by bench/dedupe.sh;
-- the generated set comes from bench/gen_dedupe.sql.
--
--   bench_dd.febrl3    FEBRL dataset3 (5,000 records, 2,000 people)
--       id = rec_id ('rec-12-dup-0'), given_name = given_name,
--       family_name = surname, dob = date_of_birth (YYYYMMDD; the 35 invalid
--       ones such as 19371233 become NULL), address = street_number ||
--       address_1 || address_2 (blank-separated, empty parts left out),
--       city = suburb, postcode = postcode.  Not mapped: state (no role;
--       every record is Australian, so no country either) and soc_sec_id
--       (no role: cdm has no national-id column).  truth = the N of rec-N.
--   bench_dd.febrl4    FEBRL dataset4a + dataset4b (10,000 records, 5,000
--       people, each exactly twice: a linkage task read as one
--       deduplication).  Same mapping; id = 'a:' or 'b:' || rec_id,
--       source_system = 'a' or 'b'.  64 invalid dates in 4b become NULL.
--   bench_dd.fake1000  Splink fake_1000 (1,000 records, 251 people)
--       id = unique_id, given_name = first_name, family_name = surname,
--       dob, city, email.  truth = cluster.
--   bench_dd.hist50k   Splink historical_figures_with_errors_50k (50,578
--       records, 5,156 people)
--       id = unique_id, full_name = full_name, given_name = first_name,
--       family_name = surname, dob (2,904 invalid such as 1856-86-18 or
--       -0050-01-0 become NULL), city = birth_place, postcode = postcode_fake.
--       Not mapped: first_and_surname (derived from the two name columns),
--       gender, occupation (no role).  truth = cluster (the Wikidata QID).
--
-- psql variables: data directories are fixed relative to the project root.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
CREATE SCHEMA IF NOT EXISTS bench_dd;
CREATE TABLE IF NOT EXISTS bench_dd.truth (ds text, id text, truth text, PRIMARY KEY (ds, id));
DELETE FROM bench_dd.truth WHERE ds IN ('febrl3', 'febrl4', 'fake1000', 'hist50k');
DROP TABLE IF EXISTS bench_dd.febrl3, bench_dd.febrl4, bench_dd.fake1000, bench_dd.hist50k,
  dd_febrl3, dd_febrl4a, dd_febrl4b, dd_fake, dd_hist;

-- A date from year, month and day text, or NULL when it is not a valid date
-- (to_date() would raise an error, PostgreSQL 15 has no pg_input_is_valid).
CREATE OR REPLACE FUNCTION bench_dd.ymd(y text, m text, d text) RETURNS date
LANGUAGE sql IMMUTABLE AS $$
SELECT CASE WHEN y ~ '^[0-9]{4}$' AND m ~ '^[0-9]{2}$' AND d ~ '^[0-9]{2}$' THEN
  CASE WHEN y::int >= 1 AND m::int BETWEEN 1 AND 12 AND d::int >= 1 THEN
    CASE WHEN d::int <= extract(day FROM make_date(y::int, m::int, 1) + interval '1 month - 1 day')
         THEN make_date(y::int, m::int, d::int) END END END
$$;

-- ------------------------------------------------------------------ FEBRL
\set febrl_table dd_febrl3
\set febrl_csv test/data/febrl/dataset3.csv
\ir lib/febrl.sql
\set febrl_table dd_febrl4a
\set febrl_csv test/data/febrl/dataset4a.csv
\ir lib/febrl.sql
\set febrl_table dd_febrl4b
\set febrl_csv test/data/febrl/dataset4b.csv
\ir lib/febrl.sql

CREATE TABLE bench_dd.febrl3 (id text PRIMARY KEY, given_name text, family_name text, dob date,
  address text, city text, postcode text);
CREATE TABLE bench_dd.febrl4 (id text PRIMARY KEY, given_name text, family_name text, dob date,
  address text, city text, postcode text, source_system text);

CREATE TEMP VIEW dd_febrl_all AS
SELECT 'febrl3' AS ds, '' AS pfx, '' AS sys, * FROM dd_febrl3
UNION ALL SELECT 'febrl4', 'a:', 'a', * FROM dd_febrl4a
UNION ALL SELECT 'febrl4', 'b:', 'b', * FROM dd_febrl4b;

CREATE TEMP TABLE dd_febrl_roles AS
SELECT ds, pfx || btrim(rec_id) AS id, sys,
       nullif(btrim(given_name), '') AS given_name, nullif(btrim(surname), '') AS family_name,
       bench_dd.ymd(substr(btrim(date_of_birth), 1, 4), substr(btrim(date_of_birth), 5, 2),
                    substr(btrim(date_of_birth), 7)) AS dob,
       nullif(concat_ws(' ', nullif(btrim(street_number), ''), nullif(btrim(address_1), ''),
                        nullif(btrim(address_2), '')), '') AS address,
       nullif(btrim(suburb), '') AS city, nullif(btrim(postcode), '') AS postcode,
       substring(rec_id FROM 'rec-([0-9]+)') AS truth
  FROM dd_febrl_all;

INSERT INTO bench_dd.febrl3 SELECT id, given_name, family_name, dob, address, city, postcode
  FROM dd_febrl_roles WHERE ds = 'febrl3' ORDER BY md5(id);
INSERT INTO bench_dd.febrl4 SELECT id, given_name, family_name, dob, address, city, postcode, sys
  FROM dd_febrl_roles WHERE ds = 'febrl4' ORDER BY md5(id);
INSERT INTO bench_dd.truth SELECT ds, id, truth FROM dd_febrl_roles;

-- ------------------------------------------------------------------ Splink fake_1000
CREATE TEMP TABLE dd_fake (unique_id text, first_name text, surname text, dob text, city text,
  email text, cluster text);
\copy dd_fake FROM 'test/data/splink_fake_1000/fake_1000.csv' WITH (FORMAT csv, HEADER true)
CREATE TABLE bench_dd.fake1000 (id text PRIMARY KEY, given_name text, family_name text, dob date,
  city text, email text);
INSERT INTO bench_dd.fake1000
SELECT unique_id, nullif(first_name, ''), nullif(surname, ''),
       bench_dd.ymd(split_part(dob, '-', 1), split_part(dob, '-', 2), split_part(dob, '-', 3)),
       nullif(city, ''), nullif(email, '')
  FROM dd_fake ORDER BY md5(unique_id);
INSERT INTO bench_dd.truth SELECT 'fake1000', unique_id, cluster FROM dd_fake;

-- ------------------------------------------------------------------ Splink historical_50k
CREATE TEMP TABLE dd_hist (unique_id text, cluster text, full_name text, first_and_surname text,
  first_name text, surname text, dob text, birth_place text, postcode_fake text, gender text,
  occupation text);
\copy dd_hist FROM 'bench/data/splink_historical_50k/historical_figures_with_errors_50k.csv' WITH (FORMAT csv, HEADER true)
CREATE TABLE bench_dd.hist50k (id text PRIMARY KEY, given_name text, family_name text,
  full_name text, dob date, city text, postcode text);
INSERT INTO bench_dd.hist50k
SELECT unique_id, nullif(first_name, ''), nullif(surname, ''), nullif(full_name, ''),
       bench_dd.ymd(split_part(dob, '-', 1), split_part(dob, '-', 2), split_part(dob, '-', 3)),
       nullif(birth_place, ''), nullif(postcode_fake, '')
  FROM dd_hist ORDER BY md5(unique_id);
INSERT INTO bench_dd.truth SELECT 'hist50k', unique_id, cluster FROM dd_hist;

ANALYZE bench_dd.febrl3, bench_dd.febrl4, bench_dd.fake1000, bench_dd.hist50k, bench_dd.truth;
