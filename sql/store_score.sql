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
