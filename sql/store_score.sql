-- The ingest's helpers in C: cdm._store_clean (the attributes the store
-- matches on) and cdm._store_score (a record against its candidates in one
-- call), at their edges; the score must be cdm.match_probability's of the
-- cleaned records.
SET client_min_messages = warning;
\pset null '(null)'

CREATE FUNCTION pg_temp.try(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE q;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

-- 1. _store_clean: JSON nulls and strings of nothing but spaces go; a tab,
-- a zero, false, an empty array or object, nested nulls and padded values stay
SELECT cdm._store_clean('{"a": null, "b": "", "c": "   ", "d": "\t", "e": 0, "f": false, "g": [], "h": {}, "i": {"j": null}, "k": " x ", "l": [null, ""]}');
SELECT cdm._store_clean('{}') AS empty, cdm._store_clean('{"a": null, "b": ""}') AS all_gone,
       cdm._store_clean('{"given_name": "Ἀλέξανδρος", "family_name": "Ивано́в", "email": "  "}') AS non_ascii,
       cdm._store_clean(NULL) AS null_in;
SELECT pg_temp.try($$SELECT cdm._store_clean('[1, null]')$$);
SELECT pg_temp.try($$SELECT cdm._store_clean('"x"')$$);
SELECT pg_temp.try($$SELECT cdm._store_clean('null')$$);
-- nothing to drop: the same value back
SELECT cdm._store_clean(j) = j AS same FROM (VALUES ('{"a": 1, "b": {"c": null}}'::jsonb)) v(j);

-- 2. _store_score = match_probability of the cleaned records, per candidate
CREATE TEMP TABLE sc_cand (n int, attrs jsonb);
INSERT INTO sc_cand VALUES
  (1, '{"given_name": "Anne", "family_name": "Smith", "dob": "1980-03-12", "email": "ann@example.com"}'),
  (2, '{"given_name": "Ann", "family_name": "Smith", "dob": "  ", "email": "", "phone": null}'),
  (3, '{"given_name": "Bob", "family_name": "Jones", "dob": "1950-01-01"}'),
  (4, '{"given_name": "Ann", "family_name": "Smith", "national_id": "123-45-6789"}'),
  (5, '{"organisation_name": "Smith Ltd"}'),
  (6, '{"full_name": "Ann Smith", "phone": "0491 570 159", "country": "AU"}'),
  (7, '{"given_name": "Анна", "family_name": "Смит"}');
\set a '{"given_name": "Ann", "family_name": "Smith", "dob": "1980-03-12", "email": "ann@example.com", "phone": "+61 491 570 159", "national_id": "987654321"}'
SELECT c.n, round(s.p::numeric, 6) AS score,
       s.p = cdm.match_probability(:'a', cdm._store_clean(c.attrs)) AS as_match_probability
  FROM sc_cand c
  JOIN unnest(cdm._store_score(:'a', (SELECT array_agg(attrs ORDER BY n) FROM sc_cand), NULL, NULL))
       WITH ORDINALITY s(p, n) USING (n)
 ORDER BY c.n;
-- a blank dob is missing here, where match_probability of the raw record fails
SELECT pg_temp.try($$SELECT cdm.match_probability('{"dob": "1980-03-12"}', '{"dob": "  "}')$$);

-- 3. decisions: match 1, no_match 0, NULL scored; lengths must agree
SELECT cdm._store_score(:'a', ARRAY['{"given_name": "Bob"}', '{"given_name": "Ann"}', '{"given_name": "Ann"}']::jsonb[],
                        ARRAY['match', 'no_match', NULL], NULL) AS decided;
SELECT pg_temp.try($$SELECT cdm._store_score('{}', ARRAY['{}']::jsonb[], ARRAY['match', NULL], NULL)$$);
SELECT pg_temp.try($$SELECT cdm._store_score('{}', ARRAY['{}']::jsonb[], ARRAY['maybe'], NULL)$$);
-- a decided candidate is not read at all (not even a bad date)
SELECT cdm._store_score('{}', ARRAY['{"dob": "1985-02-30"}']::jsonb[], ARRAY['no_match'], NULL) AS not_read;

-- 3b. candidates' phones given as the store keeps them (record.match_phone,
--     cdm._store_phone): the same scores as reading them from the
--     candidates; another phone, another score; one per candidate
SELECT n, cdm._store_phone(attrs) AS kept FROM sc_cand WHERE cdm._store_phone(attrs) IS NOT NULL ORDER BY n;
SELECT cdm._store_score(:'a', c, NULL, NULL, p) = cdm._store_score(:'a', c, NULL, NULL) AS same_scores
  FROM (SELECT array_agg(attrs ORDER BY n) AS c, array_agg(cdm._store_phone(attrs) ORDER BY n) AS p FROM sc_cand) x;
SELECT (cdm._store_score(:'a', ARRAY[attrs], NULL, NULL, ARRAY['61491570159']))[1] >
       (cdm._store_score(:'a', ARRAY[attrs], NULL, NULL, ARRAY['15550000000']))[1] AS phone_used
  FROM sc_cand WHERE n = 6;
SELECT pg_temp.try($$SELECT cdm._store_score('{}', ARRAY['{}']::jsonb[], NULL, NULL, ARRAY['1', '2'])$$);
-- the region from the country (ISO code or name), else US; the digits as
-- written when libphonenumber cannot read them; blank or no phone: NULL
SELECT cdm._store_phone('{"phone": "0491 570 159", "country": "Australia"}') AS au_by_name,
       cdm._store_phone('{"phone": "(415) 555-0101"}') AS us_default,
       cdm._store_phone('{"phone": "12"}') AS as_written,
       cdm._store_phone('{"phone": "  "}') AS blank,
       cdm._store_phone('{"given_name": "Ann"}') AS no_phone;
SELECT pg_temp.try($$SELECT cdm._store_phone('[1]')$$);

-- 4. NULLs, empty, non-objects, unknown model
SELECT cdm._store_score(NULL, ARRAY['{}']::jsonb[], NULL, NULL) AS null_record,
       cdm._store_score('{}', NULL, NULL, NULL) AS null_cands,
       cdm._store_score('{}', '{}'::jsonb[], NULL, NULL) AS no_cands,
       cdm._store_score('{"given_name": "Ann"}', ARRAY[NULL, '{"given_name": "Ann"}']::jsonb[], NULL, NULL) IS NOT NULL AS null_cand_ok,
       (cdm._store_score('{"given_name": "Ann"}', ARRAY[NULL, '{"given_name": "Ann"}']::jsonb[], NULL, NULL))[1] AS null_cand;
SELECT pg_temp.try($$SELECT cdm._store_score('[1]', ARRAY['{}']::jsonb[], NULL, NULL)$$);
SELECT pg_temp.try($$SELECT cdm._store_score('{}', ARRAY['"x"']::jsonb[], NULL, NULL)$$);
SELECT pg_temp.try($$SELECT cdm._store_score('{}', ARRAY['{"dob": "1985-02-30"}']::jsonb[], NULL, NULL)$$);
SELECT pg_temp.try($$SELECT cdm._store_score('{}', ARRAY['{}']::jsonb[], NULL, 'no such model')$$);

-- 5. a stored model: the same scores as match_probability with it, and a
-- model trained again under the same name counts from the next call on,
-- even within one transaction (PL/pgSQL keeps the call's state across it)
CREATE TEMP TABLE sc_people AS
SELECT 'p' || p || '-' || v AS id,
       (ARRAY['James','Anna','Olga','Thomas','Susan','Dmitry'])[1 + (p * 7) % 6] AS given_name,
       (ARRAY['Smith','Novak','Ivanov','Brown','Lee','Rossi','King','Young'])[1 + (p * 13) % 8]
         || CASE WHEN v = 2 AND p % 3 = 0 THEN 'e' ELSE '' END AS family_name,
       date '1950-01-01' + ((p * 7919) % 18000) AS dob,
       CASE WHEN v = 1 OR p % 2 = 0 THEN 'c' || p || '@example.com' END AS email
  FROM generate_series(1, 300) p, generate_series(1, 2) v;
CREATE TEMP TABLE sc_people_b AS
SELECT id, given_name, family_name, dob, NULL::text AS email FROM sc_people WHERE id LIKE '%-1';
SELECT cdm.train_model('sc_people', 'sc_model') IS NOT NULL AS trained;
SELECT bool_and(s.p = cdm.match_probability(:'a', cdm._store_clean(c.attrs), 'sc_model')) AS as_match_probability,
       bool_or(s.p <> cdm.match_probability(:'a', cdm._store_clean(c.attrs))) AS differs_from_builtin
  FROM sc_cand c
  JOIN unnest(cdm._store_score(:'a', (SELECT array_agg(attrs ORDER BY n) FROM sc_cand), NULL, 'sc_model'))
       WITH ORDINALITY s(p, n) USING (n);
CREATE TEMP TABLE sc_seen (round int, p float8[]);
DO $$
DECLARE
  a jsonb := '{"given_name": "Anna", "family_name": "Novak", "dob": "1960-05-05", "email": "x@example.com"}';
  c jsonb[] := ARRAY['{"given_name": "Anna", "family_name": "Novak", "dob": "1960-05-05"}',
                     '{"given_name": "Ann", "family_name": "Novakk", "email": "x@example.com"}']::jsonb[];
  p float8[];
BEGIN
  FOR round IN 1..2 LOOP
    p := cdm._store_score(a, c, NULL, 'sc_model');   -- as cdm.ingest calls it
    INSERT INTO sc_seen VALUES (round, p);
    IF round = 1 THEN
      PERFORM cdm.train_model('sc_people_b', 'sc_model');
    END IF;
  END LOOP;
END $$;
SELECT (SELECT p FROM sc_seen WHERE round = 1) <> (SELECT p FROM sc_seen WHERE round = 2) AS retrained_counts,
       (SELECT p FROM sc_seen WHERE round = 2) =
       ARRAY[cdm.match_probability('{"given_name": "Anna", "family_name": "Novak", "dob": "1960-05-05", "email": "x@example.com"}',
                                   '{"given_name": "Anna", "family_name": "Novak", "dob": "1960-05-05"}', 'sc_model'),
             cdm.match_probability('{"given_name": "Anna", "family_name": "Novak", "dob": "1960-05-05", "email": "x@example.com"}',
                                   '{"given_name": "Ann", "family_name": "Novakk", "email": "x@example.com"}', 'sc_model')]
         AS as_the_new_model;
-- two models in turn in one statement (a session keeps the last model it
-- parsed, by its text): each call scores with its own
SELECT cdm.train_model('sc_people', 'sc_model_a') IS NOT NULL AS trained_a;
SELECT s1 = s3 AS same_model_same_scores, s1 <> s2 AS other_model_other_scores,
       s2 = s4 AS back_to_the_other
  FROM (SELECT cdm._store_score(:'a', c, NULL, 'sc_model_a') s1, cdm._store_score(:'a', c, NULL, 'sc_model') s2,
               cdm._store_score(:'a', c, NULL, 'sc_model_a') s3, cdm._store_score(:'a', c, NULL, 'sc_model') s4
          FROM (SELECT array_agg(attrs ORDER BY n) c FROM sc_cand) x) y;
DELETE FROM cdm.match_model WHERE name IN ('sc_model', 'sc_model_a');

-- 7. cdm._store_key is inlined where it is called (its body calls only
-- immutable functions): a call that is not inlined runs the SQL function
-- executor, planned again in every transaction of cdm.ingest.  Its key is
-- the record key of the name (full_name, else given and family name, else
-- the organisation), e-mail, phone and address, blanks counting as missing.
-- the arguments cdm.record_key is expected to get, beside each record (as
-- cdm.ingest calls it: on the cleaned attributes, blank strings gone)
CREATE TABLE sc_key_in (a jsonb, name text, email text, phone text);
INSERT INTO sc_key_in VALUES
  ('{"given_name": "Ann", "family_name": "Lee", "email": "ann@example.com"}', 'Ann Lee', 'ann@example.com', NULL),
  ('{"given_name": " ", "family_name": "Lee"}', 'Lee', NULL, NULL),
  ('{"given_name": "Ann"}', 'Ann', NULL, NULL),
  ('{"given_name": "Ann", "organisation_name": "Acme"}', 'Ann', NULL, NULL),
  ('{"organisation_name": "Acme"}', 'Acme', NULL, NULL),
  ('{"full_name": " ", "given_name": "Ann", "family_name": "Lee", "phone": "+1 212 555 0100"}', 'Ann Lee', NULL, '+1 212 555 0100'),
  ('{"full_name": "A. Lee", "given_name": "Bob", "phone": " "}', 'A. Lee', NULL, NULL),
  ('{"email": " "}', NULL, NULL, NULL);
CREATE FUNCTION pg_temp.plan_of(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  l text;
  r text := '';
BEGIN
  FOR l IN EXECUTE 'EXPLAIN (VERBOSE, COSTS OFF) ' || q LOOP
    r := r || l || E'\n';
  END LOOP;
  RETURN r;
END $$;
SELECT pg_temp.plan_of('SELECT cdm._store_key(a, ''US'') FROM sc_key_in') ~ 'cdm\.record_key\(' AS inlined,
       pg_temp.plan_of('SELECT cdm._store_key(a, ''US'') FROM sc_key_in') ~ '_store_key' AS called;
SELECT a, cdm._store_key(cdm._store_clean(a), 'US')::text IS NOT DISTINCT FROM cdm.record_key(name, email, phone, NULL, 'US')::text AS as_expected,
       cdm._store_key(cdm._store_clean(a), 'US') IS NULL AS none
  FROM sc_key_in;
DROP TABLE sc_key_in;

-- 8. cdm._store_rank_candidates (the ranking of cdm._store_candidate_ids,
--    whose reads store_load checks): value 1 read for records 10..14 (a shop's
--    inbox), value 2 only for record 3 (a rare phone): the phone's holder
--    first, then the newest of the inbox; a repeated pair counts once; the
--    skipped record still weighs; bad arguments are errors with hints.
SELECT cdm._store_rank_candidates('{1,1,1,1,1,2}', '{10,11,12,13,14,3}', 5, NULL) AS ranked,
       cdm._store_rank_candidates('{1,1,2,2,2}', '{5,6,6,5,5}', 20, NULL) AS ties_newest_first,
       cdm._store_rank_candidates('{1,1,2,2}', '{5,6,6,5}', 20, 6) AS skipped,
       cdm._store_rank_candidates(NULL, NULL, 20, NULL) AS none_read,
       cdm._store_rank_candidates('{1,2}', '{7,8}', NULL, NULL) AS no_cap;
-- (their SQLSTATEs, 2202E, 22004 and 2201W, are in hostile_input)
SELECT cdm._store_rank_candidates('{1,2}', '{7}', 5, NULL);
SELECT cdm._store_rank_candidates('{1,NULL}', '{7,8}', 5, NULL);
SELECT cdm._store_rank_candidates('{1}', '{7}', -1, NULL);
