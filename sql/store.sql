-- Entity store: ingest, versions, links, the review queue, steward decisions,
-- merge, unmerge, retire, golden records with provenance and overrides,
-- history, errors and NULLs.  Ids come from the store's sequences, fresh in
-- the regression database.  Scores are those of cdm.match_probability's
-- built-in model (no cdm.store_setting row for model).
SET client_min_messages = warning;
\pset null '(null)'

CREATE FUNCTION pg_temp.sqlstate_of(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE q;
  RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE;
END $$;

-- the settings and their defaults (the table is empty)
SELECT s, cdm.store_setting_value(s)
  FROM unnest(ARRAY['link_threshold', 'review_threshold', 'model', 'candidates', 'phone_region']) s;

-- 1. A new record: entity 1.  The unknown key loyalty_tier is kept.
SELECT cdm.ingest('crm', 'C1', '{"given_name": "Anna", "family_name": "Novak", "dob": "1985-04-12",
                                 "email": "anna.novak@example.com", "loyalty_tier": "gold"}');
-- the same attrs again: nothing new (still version 1, one event)
SELECT cdm.ingest('crm', 'C1', '{"given_name": "Anna", "family_name": "Novak", "dob": "1985-04-12",
                                 "email": "anna.novak@example.com", "loyalty_tier": "gold"}');
SELECT id, source, source_key, version, entity, first_entity, link_rule, k IS NOT NULL AS has_key,
       attrs->>'loyalty_tier' AS loyalty_tier
  FROM cdm.record ORDER BY id;

-- 2. The key again with a phone: version 2 of record 1, same entity
SELECT cdm.ingest('crm', 'C1', '{"given_name": "Anna", "family_name": "Novak", "dob": "1985-04-12",
                                 "email": "anna.novak@example.com", "loyalty_tier": "gold",
                                 "phone": "+1 415 555 0101"}');
SELECT record, version, attrs->>'phone' AS phone, ingested_by = current_user AS by_me
  FROM cdm.record_version ORDER BY record, version;

-- 3. The same person from the web shop (full name, e-mail in capitals): links to 1
SELECT cdm.ingest('web', 'W7', '{"full_name": "Anna Novak", "email": "Anna.Novak@Example.com",
                                 "city": "Springfield"}');
SELECT id, source, source_key, entity, link_rule, round(link_probability::numeric, 4) AS p
  FROM cdm.record ORDER BY id;

-- 4. A stranger: entity 2
SELECT cdm.ingest('till', 'T1', '{"given_name": "Peter", "family_name": "Lopez", "phone": "+1 212 555 0199"}');

-- 5. Grey zone: same name, other birth date and e-mail (0.52 with C1, 0.67
--    with W7): a new entity 3 and a review item for each pair
SELECT round(cdm.match_probability(
         '{"given_name": "Anna", "family_name": "Novak", "dob": "1985-04-12", "email": "anna.novak@example.com", "phone": "+1 415 555 0101"}',
         '{"given_name": "Anna", "family_name": "Novak", "dob": "1975-09-30", "email": "novak77@mail.test"}')::numeric, 4) AS p_c1,
       round(cdm.match_probability(
         '{"full_name": "Anna Novak", "email": "Anna.Novak@Example.com", "city": "Springfield"}',
         '{"given_name": "Anna", "family_name": "Novak", "dob": "1975-09-30", "email": "novak77@mail.test"}')::numeric, 4) AS p_w7;
SELECT cdm.ingest('billing', 'B1', '{"given_name": "Anna", "family_name": "Novak", "dob": "1975-09-30",
                                     "email": "novak77@mail.test"}');
SELECT review_id, record_a, source_a, source_key_a, entity_a, record_b, source_b, source_key_b, entity_b,
       round(probability::numeric, 4) AS p
  FROM cdm.review ORDER BY review_id;

-- 6. The steward says no_match to C1/B1; that item is resolved, W7/B1 stays open
SELECT cdm.decide(1, 4, 'no_match', 'different birth dates, checked by phone');
SELECT count(*) AS open_reviews FROM cdm.review;
SELECT record_a, record_b, decision, reason FROM cdm.decision ORDER BY 1, 2;
-- B1 comes again with C1's e-mail: it would now score >= 0.9 with C1, but the
-- decision holds: it stays on entity 3, no review is queued for the pair, and
-- W7/B1's open item gets the new score
SELECT round(cdm.match_probability(
         '{"given_name": "Anna", "family_name": "Novak", "dob": "1985-04-12", "email": "anna.novak@example.com", "phone": "+1 415 555 0101"}',
         '{"given_name": "Anna", "family_name": "Novak", "dob": "1975-09-30", "email": "anna.novak@example.com"}')::numeric, 4) AS p_c1;
SELECT cdm.ingest('billing', 'B1', '{"given_name": "Anna", "family_name": "Novak", "dob": "1975-09-30",
                                     "email": "anna.novak@example.com"}');
SELECT review_id, record_a, record_b, round(probability::numeric, 4) AS p FROM cdm.review;
-- a merge of the two entities is refused while the decision stands
SELECT cdm.merge(1, 3, 'looks the same');

-- 7. Merge: Pete Lopes in billing (entity 4) is Peter Lopez (entity 2);
--    the older id, 2, survives, whichever order the ids come in
SELECT cdm.ingest('billing', 'B2', '{"given_name": "Pete", "family_name": "Lopes", "city": "Riverside"}');
SELECT cdm.merge(4, 2, 'same customer, confirmed by the till receipt');
SELECT cdm.entity_of('billing', 'B2') AS b2, cdm.entity_of('till', 'T1') AS t1, cdm.entity_live(4) AS live_4;
SELECT id, merged_into, merged_at IS NOT NULL AS merged FROM cdm.entity ORDER BY id;
SELECT cdm.merge(2, 4, 'again');          -- already one entity: 2, nothing logged

-- 8. Unmerge: B2 gets its original id 4 back; it and T1 become a no_match
--    pair, so B2 ingested again with Peter's phone still stays apart
SELECT cdm.unmerge('billing', 'B2', 'the till receipt was someone else''s');
SELECT cdm.entity_of('billing', 'B2') AS b2, cdm.entity_of('till', 'T1') AS t1;
SELECT id, merged_into FROM cdm.entity ORDER BY id;
SELECT record_a, record_b, decision, reason FROM cdm.decision ORDER BY 1, 2;
SELECT cdm.ingest('billing', 'B2', '{"given_name": "Pete", "family_name": "Lopes", "city": "Riverside",
                                     "phone": "+1 212 555 0199"}');
-- unmerging a record that is alone changes nothing (logged)
SELECT cdm.unmerge('billing', 'B2', 'just checking');

-- 9. A match decision merges now: a second web record of Peter (entity 5) is
--    decided to be T1's person
SELECT cdm.ingest('web', 'W9', '{"full_name": "P. Lopez", "email": "plopez@mail.test"}');
SELECT cdm.decide(6, 3, 'match', 'same loyalty card');   -- record 6 (W9) and record 3 (T1)
SELECT cdm.entity_of('web', 'W9') AS w9, cdm.entity_live(5) AS live_5;

-- 10. A record whose own id is shared: unmerging W7 from entity 1 gives it a
--     new id (C1 keeps 1, the id callers know)
SELECT cdm.ingest('pos', 'P1', '{"given_name": "Anna", "family_name": "Novak", "email": "anna.novak@example.com"}');
SELECT cdm.unmerge('web', 'W7', 'shared family e-mail');
SELECT source, source_key, entity, first_entity, link_rule FROM cdm.record ORDER BY id;

-- 11. Golden records: one row per live entity; every value says where it came from
SELECT entity, records, attrs FROM cdm.golden ORDER BY entity;
SELECT attribute, value, provenance->>'rule' AS rule, provenance->>'source' AS source,
       provenance->>'source_key' AS source_key, provenance->>'version' AS version
  FROM cdm.golden_value WHERE entity = 1 ORDER BY attribute;
-- survivorship rules: e-mail from crm first, given name the longest,
-- family name the most frequent
INSERT INTO cdm.survivorship VALUES ('email', 'source_priority', '{crm,pos}'),
                                    ('given_name', 'most_complete', NULL),
                                    ('family_name', 'most_frequent', NULL);
SELECT cdm.ingest('pos', 'P1', '{"given_name": "A.", "family_name": "Nowak", "email": "a.nowak@mail.test"}');
SELECT cdm.ingest('pos', 'P2', '{"given_name": "Anna", "family_name": "Novak", "email": "anna.novak@example.com", "phone": "415 555 0101"}');
SELECT attribute, value, provenance->>'rule' AS rule, provenance->>'source' AS source,
       provenance->>'source_key' AS source_key, provenance->>'version' AS version
  FROM cdm.golden_value WHERE entity = 1 ORDER BY attribute;
-- a source_priority rule without its list is refused
INSERT INTO cdm.survivorship VALUES ('city', 'source_priority', NULL);

-- 12. A steward override wins, survives new versions, and can be cleared
SELECT cdm.set_golden(1, 'email', 'anna@novak.family', 'customer asked by letter');
SELECT cdm.ingest('crm', 'C1', '{"given_name": "Anna", "family_name": "Novak", "dob": "1985-04-12",
                                 "email": "anna.n@example.com", "loyalty_tier": "platinum",
                                 "phone": "+1 415 555 0101"}');
SELECT attrs->>'email' AS email, provenance->'email'->>'rule' AS rule,
       provenance->'email'->>'reason' AS reason, attrs->>'loyalty_tier' AS tier
  FROM cdm.golden WHERE entity = 1;
SELECT cdm.set_golden(1, 'email', NULL, 'customer asked to use the CRM address');
SELECT attrs->>'email' AS email, provenance->'email'->>'source_key' AS source_key,
       provenance->'email'->>'version' AS version
  FROM cdm.golden WHERE entity = 1;
-- an override on an entity id that was merged away lands on the survivor
SELECT cdm.set_golden(5, 'note', 'VIP', 'card holder');
SELECT entity, attribute, value FROM cdm.golden_override ORDER BY 1, 2;

-- 13. JSON nulls and blank strings are kept in the version, never golden
SELECT cdm.ingest('till', 'T1', '{"given_name": "Peter", "family_name": "Lopez", "phone": "+1 212 555 0199",
                                  "email": null, "city": "  "}');
SELECT attrs FROM cdm.record WHERE source = 'till' AND source_key = 'T1';
SELECT attrs FROM cdm.golden WHERE entity = 2;

-- 14. Retire: a record deleted at its source leaves matching and golden records
SELECT cdm.retire('billing', 'B2', 'deleted in billing');
SELECT cdm.retire('billing', 'B2', 'deleted again');   -- logged once
SELECT entity FROM cdm.golden WHERE entity = 4;
SELECT cdm.entity_of('billing', 'B2') AS still_answers;
-- and comes back as a new version when ingested again
SELECT cdm.ingest('billing', 'B2', '{"given_name": "Pete", "family_name": "Lopes", "city": "Riverside"}');
SELECT version, retired_at IS NULL AS live FROM cdm.record WHERE source = 'billing' AND source_key = 'B2';

-- 15. History: every event that shaped entity 2 (and 5, merged into it)
SELECT event, entity_id, other_entity, source, source_key, version, round(probability::numeric, 4) AS p,
       reason, detail, who = current_user AS by_me
  FROM cdm.entity_history(2);
SELECT event, count(*) FROM cdm.event GROUP BY event ORDER BY event;
-- every review item and how it ended
SELECT id, record_a, record_b, round(probability::numeric, 4) AS p, resolved_at IS NOT NULL AS resolved, resolution
  FROM cdm.review_item ORDER BY id;

-- 16. Non-ASCII: a Cyrillic record and its transliteration
SELECT cdm.ingest('crm', 'C9', '{"full_name": "Дмитрий Иванов", "dob": "1990-02-03", "phone": "+7 912 345 67 89"}');
SELECT cdm.ingest('web', 'W90', '{"full_name": "Dmitry Ivanov", "dob": "1990-02-03", "phone": "+79123456789"}')
       = cdm.entity_of('crm', 'C9') AS same_entity;

-- 17. Errors and NULLs
\set VERBOSITY default
SELECT cdm.ingest('crm', 'X', '[1, 2]');
SELECT cdm.ingest('crm', 'X', '"Anna"');
SELECT cdm.ingest('crm', 'X', NULL);
SELECT cdm.ingest(NULL, 'X', '{}');
SELECT cdm.ingest('crm', '', '{}');
SELECT cdm.ingest('crm', 'X', '{"dob": "1985-02-30"}');
SELECT cdm.merge(1, 999, 'no such entity');
SELECT cdm.merge(NULL, 1, 'null');
SELECT cdm.unmerge('crm', 'nope', 'no such record');
SELECT cdm.decide(1, 1, 'match', 'itself');
SELECT cdm.decide(1, 2, 'maybe', 'undecided');
SELECT cdm.decide(1, 999, 'match', 'no such record');
SELECT cdm.retire('crm', 'nope', 'no such record');
SELECT cdm.set_golden(999, 'email', 'x', 'no such entity');
SELECT q, pg_temp.sqlstate_of(q) FROM (VALUES
  ($$SELECT cdm.ingest('crm', 'X', '[1, 2]')$$),
  ($$SELECT cdm.ingest('crm', 'X', NULL)$$),
  ($$SELECT cdm.ingest('crm', 'X', '{"dob": "1985-02-30"}')$$),
  ($$SELECT cdm.merge(1, 3, 'decided apart')$$),
  ($$SELECT cdm.merge(1, 999, 'x')$$),
  ($$SELECT cdm.decide(1, 2, 'maybe', 'x')$$)) v(q);
-- an empty object is a record with nothing to match on: its own entity
SELECT cdm.ingest('crm', 'EMPTY', '{}');
SELECT entity, link_rule, k IS NULL AS no_key FROM cdm.record WHERE source_key = 'EMPTY';
SELECT cdm.entity_of(NULL, 'C1') AS null_source, cdm.entity_of('crm', NULL) AS null_key,
       cdm.entity_of('crm', 'nope') AS unknown, cdm.entity_live(NULL) AS live_null,
       cdm.entity_live(999) AS live_unknown, cdm.record_id('crm', 'C1') AS c1;
SELECT count(*) AS no_history FROM cdm.entity_history(NULL);
-- failed calls left nothing behind
SELECT count(*) AS records FROM cdm.record WHERE source_key = 'X';

-- 18. A registered source: the table's rows are ingested, then a trigger
--     keeps the store current
CREATE TABLE shop_customers (customer_no int PRIMARY KEY, first text, last text, birth date,
                             mail text, segment text, internal_note text);
INSERT INTO shop_customers VALUES
  (101, 'Olga', 'Petrova', '1979-11-05', 'olga.petrova@example.org', 'retail', 'x'),
  (102, 'Kwame', 'Mensah', NULL, 'kmensah@example.net', 'trade', 'y');
SELECT cdm.register_source('shop', 'shop_customers', 'customer_no',
         '{"given_name": "first", "family_name": "last", "dob": "birth", "email": "mail", "segment": "segment"}');
SELECT source, source_key, version, attrs FROM cdm.record WHERE source = 'shop' ORDER BY id;
-- the same person in the CRM links to the shop's entity
SELECT cdm.ingest('crm', 'C50', '{"given_name": "Olga", "family_name": "Petrova", "dob": "1979-11-05"}')
       = cdm.entity_of('shop', '101') AS crm_links_to_shop;
-- insert, update (a new version; an update of an unmapped column changes nothing), delete
INSERT INTO shop_customers VALUES (103, 'Ines', 'Duarte', '1991-06-30', 'ines@example.pt', 'retail', 'z');
UPDATE shop_customers SET mail = 'olga.p@example.org' WHERE customer_no = 101;
UPDATE shop_customers SET internal_note = 'called' WHERE customer_no = 102;
DELETE FROM shop_customers WHERE customer_no = 103;
UPDATE shop_customers SET customer_no = 202 WHERE customer_no = 102;   -- a changed key
SELECT source_key, version, retired_at IS NOT NULL AS retired, attrs->>'email' AS email, entity, link_rule
  FROM cdm.record WHERE source = 'shop' ORDER BY id;
SELECT e.event, r.source_key, e.version, e.reason
  FROM cdm.event e JOIN cdm.record r ON r.id = e.record
 WHERE r.source = 'shop' ORDER BY e.id;
-- errors: an unknown column, a NULL key, a name registered twice
SELECT cdm.register_source('shop2', 'shop_customers', 'customer_no', '{"email": "e_mail"}');
SELECT cdm.register_source('shop2', 'shop_customers', 'customer_no', '["mail"]');
SELECT cdm.register_source('shop', 'shop_customers', 'customer_no', '{"email": "mail"}');
CREATE TABLE shop_nokey (k text, mail text);
SELECT cdm.register_source('nokey', 'shop_nokey', 'k', '{"email": "mail"}');
INSERT INTO shop_nokey VALUES (NULL, 'a@example.com');
SELECT count(*) AS nokey_records FROM cdm.record WHERE source = 'nokey';
