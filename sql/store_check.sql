-- cdm.check_store(): every check passes on a small store built through
-- cdm's functions; then each invariant is broken by hand, as superuser,
-- behind cdm's back, the check names the offender, and the damage is
-- mended.  In a database of its own, so that ids and counts do not depend
-- on the suites before it.
SET client_min_messages = warning;
\pset null '(null)'
\set regdb :DBNAME
CREATE DATABASE cdm_store_check;
\c cdm_store_check
SET client_min_messages = warning;
\pset null '(null)'
CREATE EXTENSION cdm;
CREATE EXTENSION amcheck;

CREATE FUNCTION pg_temp.failing() RETURNS TABLE (check_name text, ok boolean, bad bigint, detail text)
LANGUAGE sql AS $$ SELECT * FROM cdm.check_store() c WHERE c.ok IS NOT TRUE $$;
CREATE FUNCTION pg_temp.summary() RETURNS text
LANGUAGE sql AS $$
  SELECT count(*) FILTER (WHERE c.ok) || ' ok, ' || count(*) FILTER (WHERE NOT c.ok) || ' failing, '
         || count(*) FILTER (WHERE c.ok IS NULL) || ' skipped'
    FROM cdm.check_store() c
$$;

-- 1. A small store: Anna from three sources (two link, one in the grey
--    zone), Peter and Pete merged by a steward, two Olgas split by an
--    unmerge (a no_match pair), milestones on an entity and on a record,
--    a new version, a retired record.
SELECT cdm.ingest('crm', 'C1', '{"given_name": "Anna", "family_name": "Novak", "dob": "1985-04-12",
                                 "email": "anna.novak@example.com", "phone": "+1 415 555 0101"}') AS anna \gset
SELECT cdm.ingest('web', 'W1', '{"full_name": "Anna Novak", "email": "Anna.Novak@Example.com"}') = :anna AS w1_links;
SELECT cdm.ingest('billing', 'B1', '{"given_name": "Anna", "family_name": "Novak", "dob": "1975-09-30",
                                     "email": "novak77@mail.test"}') AS anna2 \gset
SELECT cdm.ingest('till', 'T1', '{"given_name": "Peter", "family_name": "Lopez", "phone": "+1 212 555 0199"}') AS peter \gset
SELECT cdm.ingest('billing', 'B2', '{"given_name": "Pete", "family_name": "Lopes", "city": "Riverside"}') AS pete \gset
SELECT cdm.merge(:peter, :pete, 'the same man') = :peter AS merged;
SELECT cdm.ingest('shop', 'S1', '{"given_name": "Olga", "family_name": "Ivanova", "email": "olga@shop.example"}') AS olga \gset
SELECT cdm.ingest('shop', 'S2', '{"given_name": "Olga", "family_name": "Ivanova", "email": "olga@shop.example",
                                  "dob": "1990-01-01"}') = :olga AS s2_links;
SELECT cdm.unmerge('shop', 'S2', 'two Olgas') AS olga2 \gset
SELECT cdm.record_milestone(:anna, 'onboarding_completed', '2025-01-05', 'crm') IS NOT NULL AS on_entity;
SELECT cdm.record_source_milestone('till', 'T1', 'purchase', '2025-02-01', amount => 20) IS NOT NULL AS on_record;
SELECT cdm.ingest('crm', 'C1', '{"given_name": "Anna", "family_name": "Novak", "dob": "1985-04-12",
                                 "email": "anna.novak@example.com", "phone": "+1 415 555 0101",
                                 "city": "Springfield"}') = :anna AS c1_v2;
SELECT cdm.retire('web', 'W1', 'deleted in the web shop') = :anna AS w1_retired;
SELECT cdm.record_id('crm', 'C1') AS c1, cdm.record_id('web', 'W1') AS w1, cdm.record_id('billing', 'B1') AS b1,
       cdm.record_id('shop', 'S1') AS s1, cdm.record_id('shop', 'S2') AS s2 \gset
SELECT id, source, source_key, version, entity, link_rule, retired_at IS NOT NULL AS retired FROM cdm.record ORDER BY id;
SELECT record_a, record_b, resolved_at IS NULL AS open, resolution FROM cdm.review_item ORDER BY id;
SELECT record_a, record_b, decision FROM cdm.decision ORDER BY 1, 2;

SELECT * FROM cdm.check_store();

-- 2. record_entity_live: a record put back on Pete's entity, which was
--    merged into Peter's (the timeline check sees it too: the purchase on
--    T1 now belongs to an entity that is not live)
UPDATE cdm.record SET entity = :pete WHERE source = 'till' AND source_key = 'T1';
SELECT * FROM pg_temp.failing();
UPDATE cdm.record SET entity = :peter WHERE source = 'till' AND source_key = 'T1';
SELECT pg_temp.summary();

-- 3. merge_chain: two entities forwarding to each other (and no merge
--    event names them)
INSERT INTO cdm.entity (id) VALUES (101), (102);
UPDATE cdm.entity SET merged_into = 102 WHERE id = 101;
UPDATE cdm.entity SET merged_into = 101 WHERE id = 102;
SELECT * FROM pg_temp.failing();
UPDATE cdm.entity SET merged_into = NULL WHERE id IN (101, 102);
DELETE FROM cdm.entity WHERE id IN (101, 102);
SELECT pg_temp.summary();

-- 4. merge_logged: the merge of Pete into Peter is missing from the log
SELECT id AS merge_event FROM cdm.event WHERE event = 'merge' AND other_entity = :pete \gset
UPDATE cdm.event SET event = 'override' WHERE id = :merge_event;
SELECT * FROM pg_temp.failing();
UPDATE cdm.event SET event = 'merge' WHERE id = :merge_event;
SELECT pg_temp.summary();

-- 5. record_logged and version_logged: S1's create event gone (its version
--    1 is then unlogged too); C1's version 2 logged under a wrong number
UPDATE cdm.event SET event = 'review' WHERE record = :s1 AND event = 'create';
UPDATE cdm.event SET version = 7 WHERE record = :c1 AND event = 'version' AND version = 2;
SELECT * FROM pg_temp.failing();
UPDATE cdm.event SET event = 'create' WHERE record = :s1 AND event = 'review' AND version = 1;
UPDATE cdm.event SET version = 2 WHERE record = :c1 AND event = 'version' AND version = 7;
SELECT pg_temp.summary();

-- 6. record_versions: C1 claims a version 3 that was never stored; S1's
--    current attributes are not those of its newest version
UPDATE cdm.record SET version = 3 WHERE id = :c1;
UPDATE cdm.record SET attrs = attrs || '{"loyalty": "gold"}' WHERE id = :s1;
SELECT * FROM pg_temp.failing();
UPDATE cdm.record SET version = 2 WHERE id = :c1;
UPDATE cdm.record SET attrs = attrs - 'loyalty' WHERE id = :s1;
SELECT pg_temp.summary();

-- 7. record_block: one blocking value of C1 lost, one left for the retired
--    W1, and one of a record that does not exist (the table has no foreign
--    key: this check stands in for it)
CREATE TEMP TABLE lost AS SELECT * FROM cdm.record_block WHERE record = :c1 ORDER BY bkey LIMIT 1;
DELETE FROM cdm.record_block b USING lost l WHERE b.record = l.record AND b.bkey = l.bkey;
INSERT INTO cdm.record_block (bkey, record) VALUES (42, :w1), (42, 987654321);
SELECT * FROM pg_temp.failing();
INSERT INTO cdm.record_block SELECT * FROM lost;
DELETE FROM cdm.record_block WHERE record IN (:w1, 987654321);
SELECT pg_temp.summary();

-- 7b. record_match_phone: C1's kept phone no longer its attributes' (it
--     would be scored as a candidate with a phone it does not have), and
--     W1, which has none, given one; the mend is cdm._store_phone's value
UPDATE cdm.record SET match_phone = '15550000000' WHERE id = :c1;
UPDATE cdm.record SET match_phone = '14155550101' WHERE id = :w1;
SELECT * FROM pg_temp.failing();
UPDATE cdm.record SET match_phone = cdm._store_phone(attrs) WHERE id IN (:c1, :w1);
SELECT pg_temp.summary();

-- 8. entity_timeline: an event Anna never had, and Peter's row gone; the
--    mend is what an admin would run
UPDATE cdm.entity_timeline SET events = cdm._timeline_add(events, '2030-01-01', 1, 0) WHERE entity = :anna;
DELETE FROM cdm.entity_timeline WHERE entity = :peter;
SELECT * FROM pg_temp.failing();
SELECT cdm.rebuild_timelines() AS rebuilt;
SELECT pg_temp.summary();

-- 9. review_open_pairs: B1 (in review with C1 and W1) moved into Anna's
--    entity without cdm, which would have settled the pairs
UPDATE cdm.record SET entity = :anna WHERE id = :b1;
SELECT * FROM pg_temp.failing();
UPDATE cdm.record SET entity = :anna2 WHERE id = :b1;
SELECT pg_temp.summary();

-- 10. no_match_apart: the two Olgas, decided apart, put back together;
--     S2 retired would not count (a merge looks only at live records), but
--     retired by hand it keeps its blocking values, which record_block sees
UPDATE cdm.record SET entity = :olga WHERE id = :s2;
SELECT * FROM pg_temp.failing();
UPDATE cdm.record SET retired_at = now() WHERE id = :s2;
SELECT * FROM pg_temp.failing();
UPDATE cdm.record SET entity = :olga2, retired_at = NULL WHERE id = :s2;
SELECT pg_temp.summary();

-- 11. record_k_index: the GiST index misses C1's current row (index
--     maintenance switched off while the row was rewritten twice, data
--     unchanged: the other checks, which read the tables, see nothing);
--     REINDEX mends it
UPDATE pg_index SET indisready = false WHERE indexrelid = 'cdm.record_k_idx'::regclass;
UPDATE cdm.record SET source_key = 'C1~' WHERE id = :c1;
UPDATE cdm.record SET source_key = 'C1' WHERE id = :c1;
UPDATE pg_index SET indisready = true WHERE indexrelid = 'cdm.record_k_idx'::regclass;
SELECT * FROM pg_temp.failing();
REINDEX INDEX cdm.record_k_idx;
SELECT pg_temp.summary();

-- 12. btree_indexes: the same done to the btree on record.entity, found by
--     amcheck's heapallindexed check (the message names a heap tuple; only
--     the index is shown)
UPDATE pg_index SET indisready = false WHERE indexrelid = 'cdm.record_entity_idx'::regclass;
UPDATE cdm.record SET source_key = 'C1~' WHERE id = :c1;
UPDATE cdm.record SET source_key = 'C1' WHERE id = :c1;
UPDATE pg_index SET indisready = true WHERE indexrelid = 'cdm.record_entity_idx'::regclass;
SELECT check_name, ok, bad, split_part(detail, ':', 1) AS index FROM pg_temp.failing();
REINDEX INDEX cdm.record_entity_idx;
SELECT pg_temp.summary();

-- 12b. relationships: Anna cares for Olga (the second one), who is then
--      erased: forget ends the relationship, and the check agrees
SELECT cdm.relate(:anna, :olga2, 'caregiver_of', '2024-01-01') AS r_care \gset
SELECT cdm.forget(:olga2, 'request 7') ->> 'relationships_ended' AS ended;
SELECT pg_temp.summary();
--      relationship_entities: a relationship to an entity that does not
--      exist, written with the foreign keys' triggers off
SET session_replication_role = replica;
INSERT INTO cdm.relationship (from_entity, to_entity, type, valid_from) VALUES (:anna, 999, 'caregiver_of', '2024-01-01');
RESET session_replication_role;
SELECT check_name, ok, bad, regexp_replace(detail, '[0-9]+$', 'N') AS detail FROM pg_temp.failing();
DELETE FROM cdm.relationship WHERE to_entity = 999;
--      relationship_erased: the relationship to the erased Olga reopened,
--      then given back a reason
UPDATE cdm.relationship SET valid_to = NULL, ended_at = NULL, ended_by = NULL, end_reason = NULL WHERE id = :r_care;
SELECT check_name, ok, bad, replace(detail, :'r_care', 'R') AS detail FROM pg_temp.failing();
UPDATE cdm.relationship SET valid_to = '2025-01-01', end_reason = 'Olga moved to her daughter' WHERE id = :r_care;
SELECT check_name, ok, bad, replace(detail, :'r_care', 'R') AS detail FROM pg_temp.failing();
UPDATE cdm.relationship SET end_reason = 'erased' WHERE id = :r_care;
SELECT pg_temp.summary();

-- 13. Who may run it: admins, not stewards; without amcheck's privilege
--     (or without amcheck) the btree check is skipped, not failed
CREATE ROLE check_steward NOLOGIN IN ROLE cdm_steward;
CREATE ROLE check_admin NOLOGIN IN ROLE cdm_admin;
SET ROLE check_steward;
SELECT * FROM cdm.check_store();
RESET ROLE;
SET ROLE check_admin;
SELECT check_name, ok, bad, detail FROM cdm.check_store() WHERE ok IS NOT TRUE;
RESET ROLE;
DROP EXTENSION amcheck;
SELECT check_name, ok, bad, detail FROM cdm.check_store() WHERE ok IS NOT TRUE;
-- on a large store the GiST check (a sequential scan per sampled record)
-- can be sampled less, or skipped
SELECT check_name, ok, bad, detail FROM cdm.check_store(knn_sample => 0) WHERE ok IS NOT TRUE;
SELECT detail FROM cdm.check_store(knn_sample => 2) WHERE check_name = 'record_k_index';
DROP ROLE check_steward;
DROP ROLE check_admin;

\c :regdb
DROP DATABASE cdm_store_check WITH (FORCE);
