-- cdm.dedupe, cdm.train_model, cdm.explain_match: from a customer table to
-- clusters of the same person.  Progress NOTICEs carry timings, so they are
-- silenced here.
SET client_min_messages = warning;

-- A deterministic population: 400 people, 1 to 4 records each, with typos,
-- nicknames, case and accent variants, swapped fields, a new e-mail domain,
-- a missing dob; plus hand-made hard cases below.
CREATE TABLE dd_people AS
SELECT p, (ARRAY['James','Robert','William','Elizabeth','Katherine','Michael','Margaret','Thomas',
                 'Susan','Richard','Jennifer','Charles','Patricia','Daniel','Barbara','Joseph',
                 'Dmitry','José','Anna','Olga'])[1 + (p * 7) % 20] AS given,
       (ARRAY['Smith','Johnson','Williams','Brown','Jones','Garcia','Miller','Davis','Martinez',
              'Lopez','Gonzalez','Wilson','Anderson','Thomas','Taylor','Moore','Jackson','Martin',
              'Lee','Thompson','White','Harris','Clark','Lewis','Robinson','Walker','Young',
              'Allen','King','Wright','Ivanov','Kowalski','Nguyen','Müller','Rossi','Novak',
              'Kierkegaard','Okafor','Haddad','Fischer'])[1 + (p * 13 + p / 7) % 40] AS family,
       date '1950-01-01' + ((p * 7919) % 18000) AS dob,
       'c' || p || '@example.com' AS email,
       '+1 415 555 ' || lpad((p * 37 % 10000)::text, 4, '0') AS phone,
       (p * 3 % 200 + 1) || ' ' || (ARRAY['Main','Oak','Pine','Maple','Cedar','Elm'])[1 + p % 6]
         || ' Street' AS address,
       (ARRAY['Springfield','Riverside','Fairview','Madison'])[1 + p % 4] AS city
  FROM generate_series(1, 400) p;

CREATE TABLE dd_customers (id text, person int, given_name text, family_name text, dob date,
                           email text, phone text, address text, city text, note text,
                           national_id text);
INSERT INTO dd_customers
SELECT 'r' || lpad(p::text, 4, '0') || '-' || v, p,
       CASE v WHEN 0 THEN given
              WHEN 1 THEN CASE given WHEN 'Robert' THEN 'Bob' WHEN 'William' THEN 'Bill'
                                     WHEN 'Elizabeth' THEN 'Liz' WHEN 'Katherine' THEN 'Kate'
                                     WHEN 'Michael' THEN 'Mike' ELSE upper(given) END
              WHEN 2 THEN family
              ELSE overlay(given placing '' from 2 for 1) END,
       CASE v WHEN 2 THEN given WHEN 3 THEN lower(family) ELSE family END,
       CASE WHEN v = 3 AND p % 5 = 0 THEN NULL ELSE dob END,
       CASE v WHEN 1 THEN replace(email, 'example.com', 'mail.test') ELSE email END,
       CASE v WHEN 2 THEN regexp_replace(phone, '^\+1 ', '(') ELSE phone END,
       CASE v WHEN 3 THEN replace(address, 'Street', 'St') ELSE address END,
       city, NULL, NULL
  FROM dd_people, generate_series(0, p % 4) v;

-- Hard cases: father and son (same name, address, phone; dobs 30 years
-- apart), twins (same family, dob, address; different given names and
-- national ids), twins without ids, and a record that links weakly to both
-- father and son.
INSERT INTO dd_customers VALUES
  ('x-father', 1001, 'Henry', 'Okonkwo', '1950-03-04', 'h.okonkwo@example.com', '+1 212 555 0100', '9 Harbour Road', 'Portside', 'father', NULL),
  ('x-father2', 1001, 'Henry', 'Okonkwo', '1950-03-04', NULL, '+1 212 555 0100', '9 Harbour Rd', 'Portside', 'father', NULL),
  ('x-son', 1002, 'Henry', 'Okonkwo', '1980-07-21', 'henry.jr@example.com', '+1 212 555 0100', '9 Harbour Road', 'Portside', 'son', NULL),
  ('x-son2', 1002, 'Henry', 'Okonkwo', '1980-07-21', 'henry.jr@example.com', NULL, NULL, 'Portside', 'son', NULL),
  ('x-either', 1003, 'H', 'Okonkwo', NULL, NULL, '+1 212 555 0100', '9 Harbour Road', 'Portside', 'ambiguous', NULL),
  ('x-twin-a', 1004, 'Amara', 'Eze', '1995-05-05', 'amara.eze@example.com', NULL, '12 Lagoon Street', 'Portside', 'twin', '123-45-6789'),
  ('x-twin-a2', 1004, 'Amara', 'Eze', '1995-05-05', NULL, NULL, '12 Lagoon St', 'Portside', 'twin', '123 45 6789'),
  ('x-twin-b', 1005, 'Adaeze', 'Eze', '1995-05-05', 'adaeze.eze@example.com', NULL, '12 Lagoon Street', 'Portside', 'twin', '123-45-6790'),
  ('x-twin-c', 1007, 'Chidi', 'Obi', '1990-02-02', 'chidi.obi@example.com', NULL, '4 Creek Road', 'Portside', 'twin, no id', NULL),
  ('x-twin-d', 1008, 'Chuka', 'Obi', '1990-02-02', 'chuka.obi@example.com', NULL, '4 Creek Road', 'Portside', 'twin, no id', NULL),
  ('x-cyr', 1006, 'Дмитрий', 'Соколов', '1971-11-30', NULL, NULL, NULL, 'Madison', 'transliterated', NULL),
  ('x-lat', 1006, 'Dmitriy', 'Sokolov', '1971-11-30', 'dsokolov@example.com', NULL, NULL, 'Madison', 'transliterated', NULL);

CREATE TEMP TABLE dd_result AS SELECT * FROM cdm.dedupe('dd_customers');

-- One row per record, each id once.
SELECT (SELECT count(*) FROM dd_customers) AS records, count(*) AS rows,
       count(DISTINCT id) AS ids FROM dd_result;

-- Pairwise precision and recall of the clusters against the truth (person):
-- the generated duplicates are easy, so both must be high.
WITH j AS (SELECT r.cluster_id, c.person FROM dd_result r JOIN dd_customers c USING (id)),
     pred AS (SELECT sum(n * (n - 1) / 2) AS pairs FROM (SELECT count(*) n FROM j GROUP BY cluster_id) x),
     truth AS (SELECT sum(n * (n - 1) / 2) AS pairs FROM (SELECT count(*) n FROM j GROUP BY person) x),
     both_ AS (SELECT sum(n * (n - 1) / 2) AS pairs FROM (SELECT count(*) n FROM j GROUP BY cluster_id, person) x)
SELECT both_.pairs::float8 / pred.pairs >= 0.97 AS precision_ok,
       both_.pairs::float8 / truth.pairs >= 0.90 AS recall_ok
  FROM pred, truth, both_;

-- The hard cases: father and son apart whatever links to both; twins with
-- national ids apart (the same id written two ways links); each father/son's
-- own two records together; Cyrillic and Latin together.  Twins without ids
-- are apart too: clearly different given names AND different e-mail
-- addresses forbid a direct link, however high the score.
SELECT id, note, cluster_id, match_probability IS NOT NULL AS linked
  FROM dd_result JOIN dd_customers USING (id) WHERE id LIKE 'x-%' ORDER BY id;

-- cluster_id is the smallest id of its cluster; match_probability is NULL
-- exactly for records alone, and within [threshold, 1] otherwise.
SELECT bool_and(cluster_id = (SELECT min(id COLLATE "C") FROM dd_result r2 WHERE r2.cluster_id = r.cluster_id))
         AS smallest_id,
       bool_and((match_probability IS NULL) =
                (SELECT count(*) = 1 FROM dd_result r2 WHERE r2.cluster_id = r.cluster_id)) AS null_iff_alone,
       bool_and(match_probability IS NULL OR match_probability BETWEEN 0.9 AND 1) AS in_range
  FROM dd_result r;

-- A run twice gives the same clusters; the model was stored under the table's name.
SELECT count(*) AS differing
  FROM dd_result a FULL JOIN cdm.dedupe('dd_customers') b USING (id)
 WHERE a.cluster_id IS DISTINCT FROM b.cluster_id;
SELECT name, trained_on, records, em_iterations BETWEEN 1 AND 200 AS em_ran,
       lambda > 0 AND lambda < 1 AS lambda_ok
  FROM cdm.match_model;

-- A higher threshold never joins more.
SELECT (SELECT count(DISTINCT cluster_id) FROM cdm.dedupe('dd_customers', 0.999)) >=
       (SELECT count(DISTINCT cluster_id) FROM dd_result) AS fewer_links;

-- cdm.match_pairs: the scored candidate pairs behind the clusters.
CREATE TEMP TABLE dd_pairs AS SELECT * FROM cdm.match_pairs('dd_customers', 0.5, 'public.dd_customers');
SELECT count(*) > 0 AS has_pairs,
       bool_and(id1 COLLATE "C" < id2 COLLATE "C") AS ordered,
       bool_and(match_probability BETWEEN 0.5 AND 1) AS above_min,
       bool_and(abs(match_probability - 1 / (1 + power(2::float8, -match_weight))) < 1e-9) AS weight_is_log_odds
  FROM dd_pairs;
SELECT (SELECT count(*) FROM cdm.match_pairs('dd_customers', 0.99, 'public.dd_customers')) <=
       (SELECT count(*) FROM dd_pairs) AS higher_min_fewer,
       EXISTS (SELECT 1 FROM dd_pairs WHERE id1 = 'x-cyr' AND id2 = 'x-lat') AS transliterated_pair,
       -- the score alone links father and son (dobs apart, all else equal);
       -- the clustering guard is what keeps them in two clusters (above)
       EXISTS (SELECT 1 FROM dd_pairs WHERE id1 = 'x-father' AND id2 = 'x-son') AS father_son_scored;
-- Every link of a cluster is a pair at or above the threshold.
SELECT count(*) AS linked_without_a_pair
  FROM dd_result r
 WHERE r.match_probability IS NOT NULL
   AND NOT EXISTS (SELECT 1 FROM dd_pairs p
                    WHERE (p.id1 = r.id OR p.id2 = r.id) AND p.match_probability >= 0.9);
SELECT count(*) FROM cdm.match_pairs(NULL);

-- Train on one table, apply to another (a view with renamed columns and only some roles).
SELECT cdm.train_model('dd_customers', 'people_v1');
CREATE VIEW dd_crm AS
  SELECT id, given_name, family_name, dob, email, 'ignored' AS other FROM dd_customers WHERE person <= 100;
SELECT count(*) AS rows, count(DISTINCT cluster_id) < count(*) AS found_duplicates
  FROM cdm.dedupe('dd_crm', 0.9, 'people_v1');

-- full_name only: split into given and family names (titles, commas and
-- scripts handled), with the model trained above.
CREATE TABLE dd_full AS
SELECT id, CASE WHEN person % 3 = 0 THEN family_name || ', ' || given_name
                ELSE given_name || ' ' || family_name END AS full_name, dob, person
  FROM dd_customers WHERE person <= 150;
INSERT INTO dd_full VALUES ('y-1', 'Mr. Bob Smithson', '1960-01-02', 2001), ('y-2', 'Robert Smithson', '1960-01-02', 2001),
  ('y-3', 'Дмитрий Иванов', '1977-07-07', 2002), ('y-4', 'Dmitriy Ivanov', '1977-07-07', 2002),
  ('y-5', 'Mary Jones', '1960-01-02', 2003);
SELECT id, cluster_id FROM cdm.dedupe('dd_full', 0.9, 'people_v1') WHERE id LIKE 'y-%' ORDER BY id;
-- explain_match: the waterfall behind one decision; the weights add up to the total.
SELECT field, value1, value2, level, round(weight::numeric, 2) AS weight
  FROM cdm.explain_match('dd_customers', 'x-father', 'x-son')
 WHERE field IN ('given_name', 'family_name', 'dob', 'address', 'city');
SELECT abs(sum(weight) FILTER (WHERE field <> 'total') -
           sum(weight) FILTER (WHERE field = 'total')) < 1e-9 AS adds_up,
       count(*) AS rows
  FROM cdm.explain_match('dd_customers', 'r0001-0', 'r0001-1');
SELECT level FROM cdm.explain_match('dd_customers', 'x-cyr', 'x-lat') WHERE field = 'given_name';
-- Phones: one number written three ways reads as one E.164 number; the same
-- digits in a record from another country are another number (a table read
-- keeps each region's reading of the digits apart).
CREATE TABLE dd_phones (id text, family_name text, phone text, country text);
INSERT INTO dd_phones VALUES ('p1', 'Lee', '020 7946 0958', 'GB'), ('p2', 'Lee', '(020) 7946-0958', 'GB'),
  ('p3', 'Lee', '020 7946 0958', 'AU'), ('p4', 'Lee', '+44 20 7946 0958', NULL), ('p5', 'Lee', '020.7946.0958', 'United Kingdom');
SELECT e.id2, x.value1, x.value2, x.level
  FROM unnest(ARRAY['p2', 'p3', 'p4', 'p5']) e(id2)
 CROSS JOIN LATERAL cdm.explain_match('dd_phones', 'p1', e.id2, 'people_v1') x
 WHERE x.field = 'phone' ORDER BY e.id2;

-- Too few records to learn from: cdm's starting model is used (and stored, 0 EM iterations),
-- rather than a model fitted to one pair (which would call everything a match).
CREATE TABLE dd_tiny (id int, given_name text, family_name text, dob date);
INSERT INTO dd_tiny VALUES (1, 'Ann', 'Lee', '1990-01-01'), (2, 'Ann', 'Lee', '1990-01-01'),
                           (3, 'Ann', 'Lee', '1961-07-30');
SELECT id, cluster_id FROM cdm.dedupe('dd_tiny') ORDER BY id;
SELECT em_iterations, random_pairs FROM cdm.match_model WHERE name = 'public.dd_tiny';

-- Empty and NULL input.
CREATE TABLE dd_empty (id int, given_name text);
SELECT count(*) FROM cdm.dedupe('dd_empty');
SELECT count(*) FROM cdm.dedupe(NULL);

-- Errors: no id, a role of the wrong type, duplicate or NULL ids, a bad
-- threshold, an unknown model or record.
\set VERBOSITY default
CREATE TABLE dd_noid (name text);
SELECT * FROM cdm.dedupe('dd_noid');
CREATE TABLE dd_badtype (id int, dob text);
SELECT * FROM cdm.dedupe('dd_badtype');
CREATE TABLE dd_dup (id int, given_name text);
INSERT INTO dd_dup VALUES (1, 'a'), (1, 'b');
SELECT * FROM cdm.dedupe('dd_dup');
CREATE TABLE dd_nullid (id int, given_name text);
INSERT INTO dd_nullid VALUES (NULL, 'a');
SELECT * FROM cdm.dedupe('dd_nullid');
SELECT * FROM cdm.dedupe('dd_customers', 1.5);
SELECT * FROM cdm.dedupe('dd_customers', 0.9, 'no_such_model');
SELECT * FROM cdm.match_pairs('dd_customers', 2);
SELECT * FROM cdm.explain_match('dd_customers', 'x-father', 'nobody');
SELECT * FROM cdm.explain_match('dd_full', 'y-1', 'y-2');

-- cdm.match_probability: one pair given as JSON objects, for real-time matching.
SELECT round(cdm.match_probability(
         '{"given_name": "Robert", "family_name": "Smith", "dob": "1980-01-02", "email": "rs@example.com"}',
         '{"given_name": "Bob", "family_name": "Smith", "dob": "1980-01-02", "other": 1}',
         'people_v1')::numeric, 4) AS nickname_same_dob,
       round(cdm.match_probability(
         '{"given_name": "Robert", "family_name": "Smith", "dob": "1980-01-02"}',
         '{"given_name": "Mary", "family_name": "Jones", "dob": "1955-01-02"}',
         'people_v1')::numeric, 4) AS strangers,
       cdm.match_probability('{"full_name": "Anna Berg", "national_id": "123-45"}',
                             '{"full_name": "Anna Berg", "national_id": "999-99"}') AS other_ids,
       cdm.match_probability('{"given_name": "Anna"}', NULL) AS null_side;
-- The untrained default model (no model named): an equal dob weighs for, another against.
SELECT cdm.match_probability('{"given_name": "Ann", "family_name": "Lee", "dob": "1990-05-06"}',
                             '{"given_name": "Ann", "family_name": "Lee", "dob": "1990-05-06"}') >
       cdm.match_probability('{"given_name": "Ann", "family_name": "Lee", "dob": "1990-05-06"}',
                             '{"given_name": "Ann", "family_name": "Lee", "dob": "1971-01-30"}') AS dob_matters;
SELECT cdm.match_probability('[1, 2]', '{}');
SELECT cdm.match_probability('{"dob": "1980-13-45"}', '{}');
SELECT cdm.match_probability('{}', '{}', 'no_such_model');

-- Any role can use cdm and read every model; a role replaces only its own.
CREATE ROLE regress_cdm_analyst;
CREATE ROLE regress_cdm_other;
GRANT SELECT ON dd_customers, dd_crm TO regress_cdm_analyst, regress_cdm_other;
SET ROLE regress_cdm_analyst;
SELECT cdm.fold('José') AS usage_ok;
SELECT count(*) AS rows FROM cdm.dedupe('dd_crm', 0.9, 'people_v1');   -- another's model, reused
SELECT cdm.train_model('dd_customers', 'analyst_v1');
SELECT name, trained_by FROM cdm.match_model WHERE name = 'analyst_v1';
DO $$ BEGIN
  PERFORM cdm.train_model('dd_customers', 'people_v1');              -- not hers
EXCEPTION WHEN insufficient_privilege THEN
  RAISE WARNING 'refused with SQLSTATE %: %', SQLSTATE, regexp_replace(SQLERRM, 'role .*', 'role ...');
END $$;
RESET ROLE;
SET ROLE regress_cdm_other;
DELETE FROM cdm.match_model WHERE name = 'analyst_v1';               -- deletes nothing
SELECT count(*) AS still_there FROM cdm.match_model WHERE name = 'analyst_v1';
RESET ROLE;
DELETE FROM cdm.match_model WHERE trained_by IN ('regress_cdm_analyst', 'regress_cdm_other');
DROP OWNED BY regress_cdm_analyst, regress_cdm_other;
DROP ROLE regress_cdm_analyst, regress_cdm_other;

-- cdm.blocking_keys: records that share a value are candidates (the rules of cdm.dedupe).
SELECT cdm.blocking_keys('{"given_name": "Jon", "family_name": "Smyth", "dob": "1980-01-02"}') &&
       cdm.blocking_keys('{"given_name": "John", "family_name": "Smith"}') AS sound_alike_share,
       cdm.blocking_keys('{"given_name": "Ann", "family_name": "Lee"}') &&
       cdm.blocking_keys('{"given_name": "Olga", "family_name": "Petrova"}') AS strangers_share,
       cdm.blocking_keys('{"email": "A.Lee@Example.com"}') = cdm.blocking_keys('{"email": "a.lee@example.com "}') AS email_normalised,
       cardinality(cdm.blocking_keys('{}')) AS empty_record,
       cdm.blocking_keys(NULL) IS NULL AS null_in;
SELECT cdm.blocking_keys('"just a string"');
