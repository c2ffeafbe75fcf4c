-- block layer: the GiST operator class cdm.gist_key_ops.
-- Index scans must return exactly what sequential scans return, for % and
-- for nearest-neighbour ORDER BY k <-> q, at several signature lengths.
SET search_path = public, cdm;

-- 4000 generated names: variants by deletion, letter swap, nickname, word
-- order, case and middle initials, over 30 given names and 43 surnames.
CREATE TABLE people AS
WITH f(a, nick) AS (
  SELECT ARRAY['John','Robert','William','Mary','Elizabeth','Michael','James','Patricia','Jennifer','Linda',
               'David','Richard','Joseph','Thomas','Charles','Margaret','Susan','Dorothy','Christopher','Daniel',
               'Matthew','Anthony','Catherine','Dmitry','José','Zoë','Mohammed','Wei','Anna','Peter'],
         ARRAY['Jack','Bob','Bill','Molly','Liz','Mike','Jim','Patty','Jen','Lindy',
               'Dave','Dick','Joe','Tom','Chuck','Peggy','Sue','Dot','Chris','Dan',
               'Matt','Tony','Kate','Dima','Pepe','Zoe','Mo','Wei','Ann','Pete']),
s(a) AS (
  SELECT ARRAY['Smith','Johnson','Williams','Brown','Jones','Garcia','Miller','Davis','Rodriguez','Martinez',
               'Hernandez','Lopez','Gonzalez','Wilson','Anderson','Thomas','Taylor','Moore','Jackson','Martin',
               'Lee','Perez','Thompson','White','Harris','Sanchez','Clark','Ramirez','Lewis','Robinson',
               'Walker','Young','Allen','King','Wright','Scott','Torres','Nguyen','Hill','Flores',
               'Müller','Иванов','O''Brien']),
g AS (
  SELECT i, f.a[1 + (i * 7) % 30] AS fn, f.nick[1 + (i * 7) % 30] AS nk, s.a[1 + (i * 13) % 43] AS sn
    FROM generate_series(1, 4000) i, f, s)
SELECT i AS id,
       CASE i % 6
         WHEN 0 THEN fn || ' ' || sn
         WHEN 1 THEN sn || ', ' || fn
         WHEN 2 THEN overlay(fn placing '' from 2 for 1) || ' ' || sn
         WHEN 3 THEN fn || ' ' || overlay(sn placing substr(sn, 3, 1) || substr(sn, 2, 1) from 2 for 2)
         WHEN 4 THEN upper(fn) || ' ' || sn
         ELSE nk || ' ' || sn
       END || CASE WHEN i % 5 = 0 THEN ' ' || chr(65 + i % 26) || '.' ELSE '' END AS name
  FROM g;
SELECT id, name FROM people WHERE id <= 12 ORDER BY id;

CREATE TABLE queries AS
SELECT row_number() OVER (ORDER BY q) AS qid, q
  FROM (VALUES ('Jon Smyth'), ('Bob Jonson'), ('Дмитрий Иванов'), ('Smith, Elizabeth'),
               ('Kate Thompson'), ('mike obrien'), (''), ('Zzyzx Qwerty'), ('😀')) v(q)
UNION ALL
SELECT 100 + id, name FROM people WHERE id % 501 = 7;
SELECT count(*) AS queries FROM queries;

\set sim 'SELECT q.qid, p.id FROM queries q JOIN people p ON name_key(p.name) % name_key(q.q)'
\set knn 'SELECT q.qid, t.id, t.d FROM queries q CROSS JOIN LATERAL (SELECT id, name_key(name) <-> name_key(q.q) AS d FROM people ORDER BY name_key(name) <-> name_key(q.q) FETCH FIRST 10 ROWS WITH TIES) t'

-- Sequential-scan answers, the reference.
SET enable_indexscan = off;
SET enable_bitmapscan = off;
CREATE TABLE sim_seq AS :sim;
CREATE TABLE knn_seq AS :knn;
RESET enable_indexscan;
RESET enable_bitmapscan;
SELECT count(*) AS sim_pairs, count(DISTINCT qid) AS queries_with_hits FROM sim_seq;
SELECT count(*) AS knn_rows FROM knn_seq;
-- The nearest names of two queries (all names tied with the 10th are kept, so the
-- answer does not depend on the order a scan meets ties in).
SELECT k.qid, q.q, k.id, p.name, round(k.d::numeric, 4) AS d
  FROM knn_seq k JOIN queries q USING (qid) JOIN people p USING (id)
 WHERE k.qid IN (SELECT qid FROM queries WHERE q IN ('Jon Smyth', 'Bob Jonson'))
 ORDER BY k.qid, k.d, k.id LIMIT 8;

-- Index answers, at the default siglen, then small and large signatures.
-- The opclass has sortsupport (support function 11), so CREATE INDEX sorts
-- the keys and packs pages bottom-up (picksplit splits leaves in that order).
SELECT amprocnum, amproc::regproc FROM pg_amproc
 WHERE amprocfamily = (SELECT opcfamily FROM pg_opclass WHERE opcname = 'gist_key_ops')
   AND amprocnum IN (6, 11) ORDER BY 1;
CREATE INDEX people_key ON people USING gist (name_key(name));
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT id FROM people WHERE name_key(name) % name_key('Jon Smyth');
EXPLAIN (COSTS OFF) SELECT id FROM people ORDER BY name_key(name) <-> name_key('Jon Smyth') LIMIT 10;

EXPLAIN (COSTS OFF) :sim;
EXPLAIN (COSTS OFF) :knn;
CREATE TABLE sim_idx AS :sim;
CREATE TABLE knn_idx AS :knn;
SELECT (SELECT count(*) FROM (TABLE sim_seq EXCEPT ALL TABLE sim_idx) x) AS sim_missing,
       (SELECT count(*) FROM (TABLE sim_idx EXCEPT ALL TABLE sim_seq) x) AS sim_extra,
       (SELECT count(*) FROM (TABLE knn_seq EXCEPT ALL TABLE knn_idx) x) AS knn_missing,
       (SELECT count(*) FROM (TABLE knn_idx EXCEPT ALL TABLE knn_seq) x) AS knn_extra;

-- A stricter and a looser threshold, through the index.
SET cdm.key_threshold = 0.3;
SELECT count(*) AS strict_pairs FROM (:sim) x;
SET cdm.key_threshold = 0.9;
SELECT count(*) AS loose_pairs FROM (:sim) x;
RESET cdm.key_threshold;
SET enable_indexscan = off;
SET enable_bitmapscan = off;
SET enable_seqscan = on;
SET cdm.key_threshold = 0.3;
SELECT count(*) AS strict_pairs_seq FROM (:sim) x;
SET cdm.key_threshold = 0.9;
SELECT count(*) AS loose_pairs_seq FROM (:sim) x;
RESET cdm.key_threshold;
RESET enable_indexscan;
RESET enable_bitmapscan;

DROP INDEX people_key;
CREATE INDEX people_key ON people USING gist (name_key(name) gist_key_ops (siglen = 1));
SET enable_seqscan = off;
DROP TABLE sim_idx, knn_idx;
CREATE TABLE sim_idx AS :sim;
CREATE TABLE knn_idx AS :knn;
SELECT 'siglen=1' AS index,
       (SELECT count(*) FROM (TABLE sim_seq EXCEPT ALL TABLE sim_idx) x) AS sim_missing,
       (SELECT count(*) FROM (TABLE sim_idx EXCEPT ALL TABLE sim_seq) x) AS sim_extra,
       (SELECT count(*) FROM (TABLE knn_seq EXCEPT ALL TABLE knn_idx) x) AS knn_missing,
       (SELECT count(*) FROM (TABLE knn_idx EXCEPT ALL TABLE knn_seq) x) AS knn_extra;

DROP INDEX people_key;
CREATE INDEX people_key ON people USING gist (name_key(name) gist_key_ops (siglen = 2024));
DROP TABLE sim_idx, knn_idx;
CREATE TABLE sim_idx AS :sim;
CREATE TABLE knn_idx AS :knn;
SELECT 'siglen=2024' AS index,
       (SELECT count(*) FROM (TABLE sim_seq EXCEPT ALL TABLE sim_idx) x) AS sim_missing,
       (SELECT count(*) FROM (TABLE sim_idx EXCEPT ALL TABLE sim_seq) x) AS sim_extra,
       (SELECT count(*) FROM (TABLE knn_seq EXCEPT ALL TABLE knn_idx) x) AS knn_missing,
       (SELECT count(*) FROM (TABLE knn_idx EXCEPT ALL TABLE knn_seq) x) AS knn_extra;

-- Inserts after the build (penalty and picksplit on a live index) keep answers equal.
INSERT INTO people SELECT 4000 + id, reverse(name) FROM people WHERE id <= 1500;
INSERT INTO people VALUES (9001, ''), (9002, NULL), (9003, '😀 🎉');
SELECT count(*) AS rows FROM people;
DROP TABLE sim_seq, knn_seq, sim_idx, knn_idx;
CREATE TABLE sim_idx AS :sim;
CREATE TABLE knn_idx AS :knn;
SET enable_seqscan = on;
SET enable_indexscan = off;
SET enable_bitmapscan = off;
CREATE TABLE sim_seq AS :sim;
CREATE TABLE knn_seq AS :knn;
RESET enable_indexscan;
RESET enable_bitmapscan;
SET enable_seqscan = off;
SELECT 'after inserts' AS index,
       (SELECT count(*) FROM sim_seq) AS sim_pairs,
       (SELECT count(*) FROM (TABLE sim_seq EXCEPT ALL TABLE sim_idx) x) AS sim_missing,
       (SELECT count(*) FROM (TABLE sim_idx EXCEPT ALL TABLE sim_seq) x) AS sim_extra,
       (SELECT count(*) FROM knn_seq) AS knn_rows,
       (SELECT count(*) FROM (TABLE knn_seq EXCEPT ALL TABLE knn_idx) x) AS knn_missing,
       (SELECT count(*) FROM (TABLE knn_idx EXCEPT ALL TABLE knn_seq) x) AS knn_extra;
-- The empty keys are nearest to the empty query (distance 0), through the index.
EXPLAIN (COSTS OFF) SELECT id FROM people ORDER BY name_key(name) <-> name_key('') FETCH FIRST 1 ROWS WITH TIES;
SELECT id, d FROM (SELECT id, name_key(name) <-> name_key('') AS d FROM people
                    ORDER BY name_key(name) <-> name_key('') FETCH FIRST 1 ROWS WITH TIES) x ORDER BY id;

-- siglen out of range.
CREATE INDEX ON people USING gist (name_key(name) gist_key_ops (siglen = 0));
CREATE INDEX ON people USING gist (name_key(name) gist_key_ops (siglen = 2025));

-- One index on record_key finds records that agree on any field.
CREATE TABLE customers AS
SELECT id, name,
       CASE WHEN id % 3 <> 0 THEN lower(replace(name, ' ', '.')) || (id % 97) || '@example.com' END AS email,
       CASE WHEN id % 4 <> 0 THEN '555-' || lpad((id % 1000)::text, 3, '0') || '-' || lpad((id * 37 % 10000)::text, 4, '0') END AS phone
  FROM people WHERE id <= 3000;
CREATE INDEX customers_key ON customers USING gist (record_key(name, email, phone));
\set rknn 'SELECT q.id AS qid, t.id, t.d FROM customers q CROSS JOIN LATERAL (SELECT c.id, record_key(c.name, c.email, c.phone) <-> record_key(NULL, q.email, q.phone) AS d FROM customers c ORDER BY record_key(c.name, c.email, c.phone) <-> record_key(NULL, q.email, q.phone) FETCH FIRST 5 ROWS WITH TIES) t WHERE q.id % 300 = 1'
EXPLAIN (COSTS OFF) :rknn;
CREATE TABLE rknn_idx AS :rknn;
SET enable_seqscan = on;
SET enable_indexscan = off;
SET enable_bitmapscan = off;
CREATE TABLE rknn_seq AS :rknn;
SELECT (SELECT count(*) FROM rknn_seq) AS rows,
       (SELECT count(*) FROM (TABLE rknn_seq EXCEPT ALL TABLE rknn_idx) x) AS missing,
       (SELECT count(*) FROM (TABLE rknn_idx EXCEPT ALL TABLE rknn_seq) x) AS extra,
       (SELECT count(*) FROM rknn_seq WHERE qid = id AND d = 0) AS found_itself_by_email_and_phone;
RESET enable_seqscan;
RESET enable_indexscan;
RESET enable_bitmapscan;
DROP TABLE people, queries, sim_seq, knn_seq, sim_idx, knn_idx, customers, rknn_idx, rknn_seq;
