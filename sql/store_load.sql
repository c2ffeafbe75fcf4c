-- cdm.load_records: a customer table into the entity store in one call.
-- The batch gives cdm.dedupe's clusters as entities and writes what
-- cdm.ingest writes for the same rows (checked against ingesting them one
-- by one); later ingests find the batch records; a non-empty store: keys
-- it holds are refused, clusters join the entities they match, the grey
-- zone goes to review; erased people stay out; privileges; the store's
-- checks pass.  In a database of its own, so that ids and counts do not
-- depend on the suites before it, nor change those after it.
SET client_min_messages = warning;
\pset null '(null)'
\set regdb :DBNAME
CREATE DATABASE cdm_store_load;
\c cdm_store_load
SET client_min_messages = warning;
SET TimeZone = 'UTC';
\pset null '(null)'
CREATE EXTENSION cdm;

CREATE FUNCTION pg_temp.err(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  st text; msg text; hint text;
BEGIN
  EXECUTE q;
  RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, hint = PG_EXCEPTION_HINT;
  RETURN st || ': ' || msg || coalesce(' HINT: ' || nullif(hint, ''), '');
END $$;
CREATE FUNCTION pg_temp.store_rows() RETURNS text LANGUAGE sql AS $$
  SELECT 'entities ' || (SELECT count(*) FROM cdm.entity) || ', records ' || (SELECT count(*) FROM cdm.record)
         || ', versions ' || (SELECT count(*) FROM cdm.record_version) || ', blocks ' || (SELECT count(*) FROM cdm.record_block)
         || ', events ' || (SELECT count(*) FROM cdm.event) || ', review items ' || (SELECT count(*) FROM cdm.review_item)
$$;
CREATE FUNCTION pg_temp.failing() RETURNS TABLE (check_name text, ok boolean, bad bigint, detail text)
LANGUAGE sql AS $$ SELECT * FROM cdm.check_store() c WHERE c.ok IS FALSE $$;

-- The customers: Anna three times (one record with only a full name and
-- the e-mail in capitals) and another Anna Novak (born ten years before,
-- another e-mail: the grey zone), Boris twice, an organisation twice, a blank
-- address (a blank string counts as missing), a Cyrillic name, people
-- alone, and a note column that is no role (left out).
CREATE TABLE people (id text, given_name text, family_name text, full_name text, dob date, email text,
                     phone text, address text, city text, country text, organisation_name text, note text);
INSERT INTO people VALUES
  ('A1', 'Anna', 'Novak', NULL, '1985-04-12', 'anna.novak@example.com', '+1 202 555 0101', '12 Oak Street', 'Springfield', 'US', NULL, 'vip'),
  ('A2', 'Ann', 'Novak', NULL, '1985-04-12', 'anna.novak@example.com', '202-555-0101', '12 Oak St', 'Springfield', 'US', NULL, NULL),
  ('A3', NULL, NULL, 'Anna Novak', '1985-04-12', 'ANNA.NOVAK@example.com', NULL, NULL, NULL, NULL, NULL, NULL),
  ('B1', 'Boris', 'Ivanov', NULL, '1970-01-30', 'boris@example.org', '+1 303 555 0199', '5 Elm Road', 'Denver', 'US', NULL, NULL),
  ('B2', 'Boris', 'Ivanov', NULL, '1970-01-30', 'boris@example.org', NULL, '5 Elm Rd', 'Denver', 'US', NULL, NULL),
  ('C1', 'Chen', 'Wei', NULL, '1990-07-07', 'chen.wei@example.net', '+1 415 555 0111', NULL, NULL, NULL, NULL, NULL),
  ('A4', 'Anna', 'Novak', NULL, '1975-09-30', 'novak77@mail.test', NULL, NULL, NULL, NULL, NULL, NULL),
  ('D1', 'Dora', 'Kemp', NULL, NULL, NULL, NULL, '', NULL, NULL, NULL, NULL),
  ('E1', NULL, NULL, 'Елена Петрова', '1992-03-03', 'elena.p@example.ru', NULL, NULL, NULL, NULL, NULL, NULL),
  ('O1', NULL, NULL, NULL, NULL, 'info@acme.example', '+1 415 555 0100', '1 Main Street', 'Springfield', 'US', 'ACME, Inc.', NULL),
  ('O2', NULL, NULL, NULL, NULL, NULL, '(415) 555-0100', '1 Main St', 'Springfield', 'US', 'Acme Incorporated', NULL);

-- 1. Errors: each one leaves the store empty.
SELECT q, pg_temp.err(q) AS error
  FROM unnest(ARRAY[
    'SELECT * FROM cdm.load_records(NULL, ''people'')',
    'SELECT * FROM cdm.load_records(''b'', NULL)',
    'SELECT * FROM cdm.load_records('''', ''people'')',
    'SELECT * FROM cdm.load_records(''b'', ''people'', 1.5)',
    'SELECT * FROM cdm.load_records(''b'', ''people'', ''NaN'')',
    'SELECT * FROM cdm.load_records(''b'', ''people'', 0.9, ''no such model'')',
    'SELECT * FROM cdm.load_records(''b'', ''no_such_table'')',
    'SELECT * FROM cdm.load_records(''b'', ''pg_class'')']) q;
CREATE VIEW people_null_id AS SELECT NULL::text AS id, given_name FROM people;
CREATE VIEW people_empty_id AS SELECT '' AS id, given_name FROM people LIMIT 1;
CREATE VIEW people_twice AS SELECT left(id, 1) AS id, given_name, family_name FROM people;
CREATE VIEW people_bad_dob AS SELECT id, given_name, CASE id WHEN 'B2' THEN '1970-02-30' ELSE dob::text END AS dob FROM people;
CREATE VIEW people_int_phone AS SELECT id, given_name, 5550101 AS phone FROM people;
SELECT v, pg_temp.err(format('SELECT * FROM cdm.load_records(''b'', %L)', v)) AS error
  FROM unnest(ARRAY['people_null_id', 'people_empty_id', 'people_twice', 'people_bad_dob', 'people_int_phone']) v;
SELECT pg_temp.store_rows();

-- 2. What cdm.ingest makes of the rows, one by one, in the order the batch
--    writes them (cluster by cluster): kept aside as the reference, then
--    the store is emptied and its ids start again.
CREATE TABLE clusters AS SELECT d.id, d.cluster_id, d.match_probability FROM cdm.dedupe('people') d;
SELECT id, cluster_id, round(match_probability::numeric, 4) AS p FROM clusters ORDER BY id COLLATE "C";
-- the one read cdm.load_records makes (cdm._dedupe_load) gives cdm.dedupe's
-- rows and cdm.match_pairs' pairs: training afresh, and with the stored model
CREATE TEMP TABLE dl AS SELECT 'trained' AS how, d.* FROM cdm._dedupe_load('people', 0.9, NULL, 0.3) d
  UNION ALL SELECT 'stored', d.* FROM cdm._dedupe_load('people', 0.9, 'public.people', 0.3) d;
CREATE TEMP TABLE mp AS SELECT m.id1, m.id2, m.match_probability FROM cdm.match_pairs('people', 0.3, 'public.people') m;
SELECT h.how,
       (SELECT count(*) FROM dl WHERE dl.how = h.how AND NOT pair) AS cluster_rows,
       (SELECT count(*) FROM ((SELECT id1, id2, match_probability FROM dl WHERE dl.how = h.how AND NOT pair
                               EXCEPT SELECT id, cluster_id, match_probability FROM clusters)
                              UNION ALL
                              (SELECT id, cluster_id, match_probability FROM clusters
                               EXCEPT SELECT id1, id2, match_probability FROM dl WHERE dl.how = h.how AND NOT pair)) x) AS cluster_diffs,
       (SELECT count(*) FROM dl WHERE dl.how = h.how AND pair) AS pair_rows,
       (SELECT count(*) FROM ((SELECT id1, id2, match_probability FROM dl WHERE dl.how = h.how AND pair EXCEPT SELECT * FROM mp)
                              UNION ALL
                              (SELECT * FROM mp EXCEPT SELECT id1, id2, match_probability FROM dl WHERE dl.how = h.how AND pair)) x) AS pair_diffs
  FROM (VALUES ('trained'), ('stored')) h(how);
CREATE TABLE feed AS
SELECT p.id AS key, jsonb_strip_nulls(jsonb_build_object('given_name', given_name, 'family_name', family_name,
         'full_name', full_name, 'dob', dob, 'email', email, 'phone', phone, 'address', address, 'city', city,
         'country', country, 'organisation_name', organisation_name)) AS attrs,
       row_number() OVER (ORDER BY c.cluster_id COLLATE "C", p.id <> c.cluster_id, p.id COLLATE "C") AS n
  FROM people p JOIN clusters c ON c.id = p.id;
DO $$ DECLARE r record; BEGIN
  FOR r IN SELECT * FROM feed ORDER BY n LOOP
    PERFORM cdm.ingest('b', r.key, r.attrs);
  END LOOP;
END $$;
CREATE TABLE ing_record AS SELECT * FROM cdm.record;
CREATE TABLE ing_version AS SELECT r.source_key, v.* FROM cdm.record_version v JOIN cdm.record r ON r.id = v.record;
CREATE TABLE ing_block AS SELECT r.source_key, b.bkey FROM cdm.record_block b JOIN cdm.record r ON r.id = b.record;
CREATE TABLE ing_event AS SELECT r.source_key, e.* FROM cdm.event e LEFT JOIN cdm.record r ON r.id = e.record;
CREATE TABLE ing_review AS
SELECT a.source_key AS key_a, b.source_key AS key_b, i.probability
  FROM cdm.review_item i JOIN cdm.record a ON a.id = i.record_a JOIN cdm.record b ON b.id = i.record_b;
SELECT pg_temp.store_rows();
TRUNCATE cdm.entity, cdm.record, cdm.record_version, cdm.record_block, cdm.event, cdm.review_item CASCADE;
SELECT setval(s, 1, false) FROM unnest(ARRAY['cdm.entity_id_seq', 'cdm.record_id_seq', 'cdm.event_id_seq',
                                             'cdm.review_item_id_seq']) s;

-- 3. The batch load: one row per customer, the record a cluster is named
--    after creates its entity (new), the others join it (batch, with their
--    strongest link in the cluster).
SELECT source_key, record, entity, link_rule, round(link_probability::numeric, 4) AS p
  FROM cdm.load_records('b', 'people');
SELECT pg_temp.store_rows();
-- the entities are cdm.dedupe's clusters, key for key
SELECT (SELECT array_agg(k ORDER BY k) FROM (
          SELECT string_agg(r.source_key, ' ' ORDER BY r.source_key COLLATE "C") AS k FROM cdm.record r GROUP BY r.entity) x)
     = (SELECT array_agg(k ORDER BY k) FROM (
          SELECT string_agg(c.id, ' ' ORDER BY c.id COLLATE "C") AS k FROM clusters c GROUP BY c.cluster_id) y)
       AS entities_are_clusters;
-- record by record against cdm.ingest: the same version, attributes (the
-- row as it came: the blank address kept, the note left out), key and
-- first entity; links by the batch rule instead of the scoring one
SELECT b.source_key, b.link_rule AS batch_rule, i.link_rule AS ingest_rule,
       round(b.link_probability::numeric, 4) AS batch_p, round(i.link_probability::numeric, 4) AS ingest_p,
       b.version = i.version AS same_version, b.attrs = i.attrs AS same_attrs, b.k::text = i.k::text AS same_key,
       (b.first_entity = b.entity) = (i.first_entity = i.entity) AS same_first,
       b.retired_at IS NULL AND i.retired_at IS NULL AS both_live
  FROM cdm.record b JOIN ing_record i ON i.source_key = b.source_key
 ORDER BY b.id;
-- the same grouping into entities (two records share an entity in the
-- batch exactly when they do after the ingests)
SELECT count(*) AS pairs_grouped_differently
  FROM cdm.record b1 JOIN cdm.record b2 ON b1.id < b2.id
  JOIN ing_record i1 ON i1.source_key = b1.source_key JOIN ing_record i2 ON i2.source_key = b2.source_key
 WHERE (b1.entity = b2.entity) <> (i1.entity = i2.entity);
-- versions, blocking values, events: the same, ids and times aside
SELECT (SELECT count(*) FROM cdm.record_version v JOIN cdm.record r ON r.id = v.record
         JOIN ing_version i ON i.source_key = r.source_key
        WHERE i.version = v.version AND i.attrs = v.attrs AND i.ingested_by = v.ingested_by) AS versions_equal,
       (SELECT count(*) FROM ing_version) AS versions_ingested,
       (SELECT count(*) FROM (SELECT r.source_key, b.bkey FROM cdm.record_block b JOIN cdm.record r ON r.id = b.record
                              EXCEPT SELECT source_key, bkey FROM ing_block) x) AS blocks_only_batch,
       (SELECT count(*) FROM (SELECT source_key, bkey FROM ing_block
                              EXCEPT SELECT r.source_key, b.bkey FROM cdm.record_block b JOIN cdm.record r ON r.id = b.record) x)
         AS blocks_only_ingest,
       (SELECT count(*) FROM ing_block) AS blocks;
SELECT r.source_key, e.event, i.event AS ingest_event, e.who = i.who AS same_who, e.version, e.other_entity,
       round(e.probability::numeric, 4) AS p, e.reason, i.reason AS ingest_reason, e.detail
  FROM cdm.event e JOIN cdm.record r ON r.id = e.record
  LEFT JOIN ing_event i ON i.source_key = r.source_key AND i.event IN ('create', 'link')
 ORDER BY e.id;
-- the grey zone, pair by pair: the batch scores with cdm.dedupe's model
-- (term frequencies included), cdm.ingest with the store's
SELECT coalesce(b.key_a, i.key_a) AS key_a, coalesce(b.key_b, i.key_b) AS key_b,
       round(b.probability::numeric, 4) AS batch_p, round(i.probability::numeric, 4) AS ingest_p
  FROM (SELECT a.source_key AS key_a, c.source_key AS key_b, x.probability
          FROM cdm.review_item x JOIN cdm.record a ON a.id = x.record_a JOIN cdm.record c ON c.id = x.record_b) b
  FULL JOIN ing_review i ON i.key_a = b.key_a AND i.key_b = b.key_b
 ORDER BY 1, 2;
SELECT * FROM pg_temp.failing();

-- 4. The batch explained: Anna's entity history.
SELECT cdm.entity_of('b', 'A1') AS anna \gset
SELECT event, entity_id = :anna AS anna, source, source_key, version, round(probability::numeric, 4) AS p, reason,
       detail ->> 'cluster' AS cluster
  FROM cdm.entity_history(:anna);

-- 5. Later ingests: a duplicate of Anna links to the batch entity; a new
--    version of a batch record that is now someone else's (B2 becomes
--    Chen Wei's) is re-evaluated like a scored link and moves.
SELECT cdm.ingest('shop', 'S1', '{"given_name": "Anna", "family_name": "Novak", "dob": "1985-04-12",
                                  "email": "anna.novak@example.com"}') = :anna AS duplicate_joins_batch_entity;
SELECT link_rule, round(link_probability::numeric, 4) AS p FROM cdm.record WHERE source_key = 'S1';
SELECT cdm.ingest('b', 'B2', '{"given_name": "Chen", "family_name": "Wei", "dob": "1990-07-07",
                               "email": "chen.wei@example.net", "phone": "+1 415 555 0111"}')
       = cdm.entity_of('b', 'C1') AS b2_moved_to_chen;
SELECT source_key, version, link_rule, entity = cdm.entity_of('b', 'C1') AS on_chen FROM cdm.record
 WHERE source_key IN ('B1', 'B2') ORDER BY source_key;
SELECT event, source_key, version, reason FROM cdm.entity_history(cdm.entity_of('b', 'C1')) ORDER BY event_id;
SELECT * FROM pg_temp.failing();

-- 6. A store that is not empty.  Keys it holds for the source are refused
--    (nothing written); under another source the same rows join the
--    entities they match, each cluster as a whole.
SELECT pg_temp.store_rows();
SELECT pg_temp.err('SELECT * FROM cdm.load_records(''b'', ''people'')') AS error;
SELECT pg_temp.store_rows();
CREATE TABLE more (id int, given_name text, family_name text, full_name text, dob date, email text, phone text);
INSERT INTO more VALUES
  (1, 'Anna', 'Novak', NULL, '1985-04-12', 'anna.novak@example.com', NULL),
  (2, 'Dora', 'Kemp', NULL, '1961-11-11', 'dora.kemp@example.com', '+1 503 555 0142'),
  (3, 'Dora', 'Kemp', NULL, '1961-11-11', 'dora.kemp@example.com', NULL),
  (4, 'Felix', 'Ng', NULL, '2001-05-05', 'felix@example.com', NULL),
  (5, NULL, NULL, 'Boris Ivanov', NULL, NULL, NULL),
  (6, 'Anna', 'Novak', NULL, '1975-09-30', 'novak77@mail.test', '+1 212 555 0177'),
  (7, 'Felix', 'Ng', NULL, '1971-02-02', 'f.ng@mail.test', NULL);
SELECT m.source_key, m.link_rule, round(m.link_probability::numeric, 4) AS p,
       CASE m.entity WHEN :anna THEN 'anna' WHEN cdm.entity_of('b', 'D1') THEN 'dora'
                     WHEN cdm.entity_of('b', 'B1') THEN 'boris' WHEN cdm.entity_of('b', 'A4') THEN 'anna 1975'
                     ELSE 'new' END AS joined
  FROM cdm.load_records('crm', 'more') m;
SELECT pg_temp.store_rows();
SELECT r.source || '/' || r.source_key AS record, e.event, round(e.probability::numeric, 4) AS p, e.reason,
       e.detail - 'load' - 'model' AS detail_more
  FROM cdm.event e JOIN cdm.record r ON r.id = e.record
 WHERE r.source = 'crm' ORDER BY e.id;
-- the grey zone: queued for a steward, as cdm.ingest would
SELECT source_a || '/' || source_key_a AS a, source_b || '/' || source_key_b AS b, round(probability::numeric, 4) AS p
  FROM cdm.review ORDER BY 1, 2;
SELECT * FROM pg_temp.failing();

-- 7. Erased people stay out: after cdm.forget, a row with Chen's e-mail is
--    left out (a WARNING, an erasure_block event, NULLs in its row), the
--    others are loaded.
SELECT (cdm.forget(cdm.entity_of('b', 'C1'), 'request 7')) ->> 'records' AS erased_records;
CREATE TABLE again (id text, given_name text, family_name text, email text);
INSERT INTO again VALUES ('G1', 'Chen', 'Wei', 'chen.wei@example.net'), ('G2', 'Gina', 'Ruiz', 'gina@example.com');
SELECT * FROM cdm.load_records('web', 'again');
SELECT event, reason, detail FROM cdm.event WHERE event = 'erasure_block' ORDER BY id;
SELECT source_key FROM cdm.record WHERE source = 'web' ORDER BY 1;

-- 8. Privileges: stewards load (logged as themselves), others may not.
CREATE ROLE load_steward NOLOGIN IN ROLE cdm_steward;
CREATE ROLE load_reader NOLOGIN IN ROLE cdm_reader;
CREATE TABLE third (id text, given_name text, family_name text, email text);
INSERT INTO third VALUES ('H1', 'Hugo', 'Berg', 'hugo@example.com');
GRANT SELECT ON third TO load_steward, load_reader;
SET ROLE load_reader;
SELECT pg_temp.err('SELECT * FROM cdm.load_records(''till'', ''third'')') AS reader;
RESET ROLE;
SET ROLE load_steward;
SELECT source_key, link_rule FROM cdm.load_records('till', 'third');
RESET ROLE;
SELECT e.who, e.event FROM cdm.event e JOIN cdm.record r ON r.id = e.record WHERE r.source = 'till';
SELECT v.ingested_by FROM cdm.record_version v JOIN cdm.record r ON r.id = v.record WHERE r.source = 'till';
SELECT has_function_privilege('public', 'cdm.load_records(text, regclass, float8, text)', 'EXECUTE') AS public_may,
       has_function_privilege('cdm_steward', 'cdm.load_records(text, regclass, float8, text)', 'EXECUTE') AS steward_may;
DROP TABLE third;
DROP ROLE load_steward;
DROP ROLE load_reader;

-- 9. Two loads in one transaction (the staging tables are made afresh),
--    and the store's checks after everything.
BEGIN;
CREATE TABLE t1 (id text, given_name text, family_name text, email text);
INSERT INTO t1 VALUES ('I1', 'Ida', 'Holm', 'ida@example.com');
SELECT source_key, link_rule FROM cdm.load_records('x', 't1');
SELECT source_key, link_rule, entity = cdm.entity_of('x', 'I1') AS same_entity FROM cdm.load_records('y', 't1');
COMMIT;
SELECT * FROM pg_temp.failing();
SELECT count(*) FILTER (WHERE ok) AS checks_ok, count(*) FILTER (WHERE NOT ok) AS checks_failing FROM cdm.check_store();

-- 10. The candidates setting also caps the records read per blocking value,
--     the newest kept (ingest and load alike): with candidates 1, a record
--     sharing only an e-mail with three stored people is scored against the
--     newest of them alone (their keys tie, so the nearest-by-key cut alone
--     would keep the oldest); by default against all of them.
SELECT cdm.ingest('cap', k, a) IS NOT NULL AS ingested FROM (VALUES
  ('1', '{"given_name": "Ann", "family_name": "Lee", "dob": "1980-01-02", "email": "cap@example.com"}'::jsonb),
  ('2', '{"given_name": "Bob", "family_name": "Marsh", "dob": "1971-05-06", "email": "cap@example.com"}'),
  ('3', '{"given_name": "Cyd", "family_name": "Oakes", "dob": "1990-09-10", "email": "cap@example.com"}')) v(k, a)
 ORDER BY k;
INSERT INTO cdm.store_setting VALUES ('candidates', '1');
SELECT cdm.ingest('cap', 'x1', '{"email": "cap@example.com"}') = cdm.entity_of('cap', '3') AS ingest_newest_only;
CREATE TABLE cap_t (id text, email text);
INSERT INTO cap_t VALUES ('L1', 'cap@example.com');
SELECT link_rule, entity = cdm.entity_of('cap', '3') AS load_newest_only FROM cdm.load_records('capload', 'cap_t');
DELETE FROM cdm.store_setting WHERE name = 'candidates';
SELECT cdm.ingest('cap', 'x2', '{"email": "cap@example.com"}') = cdm.entity_of('cap', '1') AS default_all;
-- the grey-zone pairs each queued against the records before it
SELECT v.k, (SELECT count(*) FROM cdm.review_item i
              WHERE greatest(i.record_a, i.record_b) = r.id) AS review_items
  FROM (VALUES (1, 'cap', 'x1'), (2, 'capload', 'L1'), (3, 'cap', 'x2')) v(n, s, k)
  JOIN cdm.record r ON r.source = v.s AND r.source_key = v.k ORDER BY v.n;
DROP TABLE cap_t;

-- 11. Of the records read, those sharing the rarest values are scored first
--     (each shared value weighs 1 / the records read for it), not the
--     nearest by key: six stored people share an e-mail with the new record
--     (a shop's inbox), one other its phone.  The six are nearer by key, but
--     with candidates 5 the phone's owner is scored, and the record links
--     to it (load and ingest alike; the load is rolled back).
SELECT cdm.ingest('rare', 's1', '{"given_name": "Zed", "family_name": "Quill", "phone": "+1 617 555 0187", "dob": "1980-01-01"}') IS NOT NULL AS ingested;
SELECT count(cdm.ingest('rare', 'f' || i, jsonb_build_object('given_name', 'Bea', 'family_name', 'Ray', 'email', 'info@shop.test',
                                                         'dob', '199' || i || '-0' || i || '-1' || i))) AS ingested
  FROM generate_series(1, 6) i;
\set rq '{"given_name": "Dana", "family_name": "Fox", "email": "info@shop.test", "phone": "+1 617 555 0187", "dob": "1980-01-01"}'
-- the six are nearer by key than the phone's owner
SELECT r.source_key = 's1' AS phone_owner, count(*) AS records,
       round(min(r.k OPERATOR(cdm.<->) cdm._store_key(cdm._store_clean(:'rq'), 'US'))::numeric, 3) AS key_distance
  FROM cdm.record r WHERE r.source = 'rare' GROUP BY 1 ORDER BY 1;
-- the candidates as cdm._store_candidates ranks them, n = 5: the phone's
-- owner first (its phone read alone weighs 1; the inbox read to the cap,
-- 1/5 for each of its values), then the newest four of the six
SELECT c.ord, r.source_key
  FROM cdm._store_candidates(cdm.blocking_keys(cdm._store_clean(:'rq')), 5, NULL) WITH ORDINALITY c(record, ord)
  JOIN cdm.record r ON r.id = c.record ORDER BY c.ord;
INSERT INTO cdm.store_setting VALUES ('candidates', '5');
BEGIN;
CREATE TABLE rare_t (id text, given_name text, family_name text, email text, phone text, dob date);
INSERT INTO rare_t VALUES ('L1', 'Dana', 'Fox', 'info@shop.test', '+1 617 555 0187', '1980-01-01');
SELECT link_rule, entity = cdm.entity_of('rare', 's1') AS load_phone_owner FROM cdm.load_records('rareload', 'rare_t');
ROLLBACK;
SELECT cdm.ingest('rare', 'q', :'rq') = cdm.entity_of('rare', 's1') AS ingest_phone_owner;
DELETE FROM cdm.store_setting WHERE name = 'candidates';

-- 12. A session whose store grows from empty keeps finding its candidates
--     by key: PL/pgSQL keeps the plans cdm.ingest makes while the store is
--     small, and plans made on an empty, analysed store scanned the tables
--     whole, so every ingest cost more than the one before.  After 1,500
--     ingests in one session the next one touches a few hundred buffers (it
--     touched about 4,000 then).
CREATE FUNCTION pg_temp.buffers_of(q text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  p jsonb;
BEGIN
  EXECUTE 'EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ' || q INTO p;
  RETURN (p->0->'Plan'->>'Shared Hit Blocks')::bigint + (p->0->'Plan'->>'Shared Read Blocks')::bigint;
END $$;
TRUNCATE cdm.entity, cdm.record, cdm.record_version, cdm.record_block, cdm.event, cdm.review_item CASCADE;
ANALYZE cdm.record, cdm.record_block, cdm.entity, cdm.event;
DO $$
BEGIN
  FOR i IN 1..1500 LOOP
    PERFORM cdm.ingest('grow', i::text, jsonb_build_object('given_name', 'G' || i % 97, 'family_name', 'F' || i % 389,
                                                            'email', 'p' || i || '@example.com', 'dob', date '1950-01-01' + i % 9973));
  END LOOP;
END $$;
SELECT pg_temp.buffers_of($$SELECT cdm.ingest('grow', 'next', '{"given_name": "G1", "family_name": "F1", "email": "next@example.com"}')$$)
       < 1500 AS few_buffers;

-- 13. cdm.record_block is autovacuumed after 0.5% new rows, not the
--     default 20%: the candidate search reads it by index-only scans, which
--     fall back to the table for every row on a page not yet all-visible.
SELECT c.reloptions FROM pg_class c WHERE c.oid = 'cdm.record_block'::regclass;

-- 14. cdm._store_candidate_ids reads cdm.record_block's primary key itself:
--     for every live record of this store (about 12,000, many sharing names
--     and e-mails), with the record itself skipped or not and caps of 20, 3,
--     0 and none, it returns what the reads in SQL (bkey = v ORDER BY record
--     DESC LIMIT n per value) ranked by cdm._store_rank_candidates return.
CREATE TEMP TABLE cid_in AS
SELECT r.id, cdm.blocking_keys(cdm._store_clean(r.attrs)) AS bk FROM cdm.record r WHERE r.retired_at IS NULL;
CREATE FUNCTION pg_temp.sql_reads(bk bigint[], n int, skip bigint) RETURNS bigint[] LANGUAGE sql STABLE AS $$
  SELECT cdm._store_rank_candidates(array_agg(u.bkey), array_agg(rb.record), n, skip)
    FROM unnest(bk) u(bkey)
   CROSS JOIN LATERAL (SELECT rb.record FROM cdm.record_block rb WHERE rb.bkey = u.bkey
                        ORDER BY rb.record DESC LIMIT n) rb $$;
SELECT count(*) AS records, min(cardinality(i.bk)) > 0 AS all_have_values,
       count(*) FILTER (WHERE cardinality(cdm._store_candidate_ids(i.bk, 20, NULL)) = 20) > 100 AS many_at_cap,
       count(*) FILTER (WHERE cdm._store_candidate_ids(i.bk, n.n, s.skip)
                              IS DISTINCT FROM pg_temp.sql_reads(i.bk, n.n, s.skip)) AS differ
  FROM cid_in i
 CROSS JOIN (VALUES (20), (3), (0), (NULL)) n(n)
 CROSS JOIN LATERAL (VALUES (NULL::bigint), (i.id)) s(skip);
-- a value given twice counts once; no values, none read
SELECT cdm._store_candidate_ids(i.bk || i.bk, 20, NULL) = cdm._store_candidate_ids(i.bk, 20, NULL) AS twice_same,
       cdm._store_candidate_ids(NULL, 20, NULL) AS null_values, cdm._store_candidate_ids('{}', 20, NULL) AS no_values
  FROM cid_in i ORDER BY i.id LIMIT 1;
-- as the statement's snapshot sees the table: rows deleted or added earlier
-- in the transaction are gone or there (record 987654321 does not exist;
-- the table has no foreign key)
BEGIN;
SELECT min(i.id) AS rec FROM cid_in i \gset
DELETE FROM cdm.record_block b WHERE b.record = :rec;
INSERT INTO cdm.record_block SELECT v, 987654321 FROM cid_in i, unnest(i.bk) v WHERE i.id = :rec;
SELECT :rec = ANY (cdm._store_candidate_ids(i.bk, NULL, NULL)) AS deleted_read,
       987654321 = ANY (cdm._store_candidate_ids(i.bk, NULL, NULL)) AS added_read,
       (cdm._store_candidate_ids(i.bk, 1, NULL))[1] AS first
  FROM cid_in i WHERE i.id = :rec;
ROLLBACK;
SELECT pg_temp.err($$SELECT cdm._store_candidate_ids('{1,NULL}', 5, NULL)$$) AS null_value,
       pg_temp.err($$SELECT cdm._store_candidate_ids('{1}', -1, NULL)$$) AS negative_n;
-- not for PUBLIC; and a role let call it still needs SELECT on the table
CREATE ROLE cid_caller NOLOGIN;
GRANT USAGE ON SCHEMA cdm TO cid_caller;
SET ROLE cid_caller;
SELECT pg_temp.err($$SELECT cdm._store_candidate_ids('{1}', 5, NULL)$$) AS not_granted;
RESET ROLE;
GRANT EXECUTE ON FUNCTION cdm._store_candidate_ids(bigint[], integer, bigint) TO cid_caller;
SET ROLE cid_caller;
SELECT pg_temp.err($$SELECT cdm._store_candidate_ids('{1}', 5, NULL)$$) AS no_select;
RESET ROLE;
REVOKE ALL ON FUNCTION cdm._store_candidate_ids(bigint[], integer, bigint) FROM cid_caller;
REVOKE USAGE ON SCHEMA cdm FROM cid_caller;
DROP ROLE cid_caller;
DROP TABLE cid_in;

\c :regdb
DROP DATABASE cdm_store_load WITH (FORCE);
