-- bench/make_pairs.sql: builds bench_pairs(a text, b text), the name pairs the
-- compare-layer benchmark scores, from FEBRL dataset3 (5,000 synthetic person
-- records, 2,000 people).  Deterministic: the same rows on every run.
--
--   psql -v febrl_csv=test/data/febrl/dataset3.csv -f bench/make_pairs.sql
--
-- Pairs (a = given_name || ' ' || surname of one record, b of another):
--   * every true duplicate pair: two records with the same N in rec-N-... (6,538);
--   * each record with the next 80 records in the fixed pseudo-random order
--     md5(rec_id), wrapping around at the end (5,000 x 80 = 400,000).
-- Empty given names / surnames are kept (real data has them): such a name is
-- 'john ' or ' smith'.  Also leaves table bench_words (the distinct single
-- words of the name fields) for the dmetaphone sanity check.
\set ON_ERROR_STOP on
\if :{?febrl_csv}
\else
\set febrl_csv test/data/febrl/dataset3.csv
\endif

DROP TABLE IF EXISTS bench_febrl, bench_people, bench_pairs, bench_words;

\ir lib/febrl.sql

CREATE TABLE bench_people AS
SELECT rec_id,
       split_part(rec_id, '-', 2)::int AS person,
       coalesce(trim(given_name), '') || ' ' || coalesce(trim(surname), '') AS name,
       row_number() OVER (ORDER BY md5(trim(rec_id)), rec_id)::int AS ord
FROM (SELECT trim(rec_id) AS rec_id, given_name, surname FROM bench_febrl) r;

CREATE TABLE bench_pairs (a text, b text);

-- Stored in a fixed pseudo-random order (not sorted), so that no function can
-- profit from runs of equal inputs.
INSERT INTO bench_pairs (a, b)
SELECT a, b FROM (
  SELECT p.name AS a, q.name AS b           -- true duplicates, each unordered pair once
  FROM bench_people p JOIN bench_people q ON q.person = p.person AND q.rec_id > p.rec_id
  UNION ALL
  SELECT p.name, q.name                     -- the next 80 in md5 order, wrapping
  FROM bench_people p
  CROSS JOIN generate_series(1, 80) k
  JOIN bench_people q ON q.ord = (p.ord - 1 + k) % (SELECT count(*) FROM bench_people) + 1
) s
ORDER BY md5(a || '|' || b), a, b;

CREATE TABLE bench_words AS
SELECT DISTINCT w
FROM bench_febrl, regexp_split_to_table(trim(given_name) || ' ' || trim(surname), '\s+') w
WHERE w <> '';

VACUUM (FREEZE, ANALYZE) bench_pairs;
VACUUM (FREEZE, ANALYZE) bench_words;

SELECT count(*) AS pairs,
       (SELECT count(*) FROM bench_people p JOIN bench_people q
          ON q.person = p.person AND q.rec_id > p.rec_id) AS true_pairs,
       round(avg(length(a) + length(b)) / 2.0, 2) AS avg_name_len,
       max(greatest(length(a), length(b))) AS max_name_len,
       count(*) FILTER (WHERE a ~ '^ | $' OR b ~ '^ | $') AS pairs_with_empty_part
FROM bench_pairs;
