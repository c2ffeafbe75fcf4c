-- The cdm demo: 5,000 FEBRL customer records (2,000 people, 3,000 corrupted copies).
\pset footer off
\pset border 2
\echo
\echo '== cdm demo: FEBRL dataset3, 5000 customer records of 2000 people =='
CREATE EXTENSION cdm;
SELECT cdm.icu_version() AS "ICU used for transliteration";

CREATE TEMP TABLE raw (rec_id text, given_name text, surname text, street_number text,
    address_1 text, address_2 text, suburb text, postcode text, state text,
    date_of_birth text, soc_sec_id text);
\copy raw FROM :'data' WITH (FORMAT csv, HEADER true)

CREATE TABLE customers AS
SELECT trim(rec_id) AS rec_id,
       (regexp_match(rec_id, 'rec-(\d+)'))[1]::int AS person,   -- ground truth, for scoring only
       nullif(trim(given_name), '') AS given_name,
       nullif(trim(surname), '') AS surname,
       nullif(trim(suburb), '') AS suburb,
       nullif(trim(postcode), '') AS postcode
  FROM raw;

\echo
\echo '-- 1. One person, four records: spelled differently each time'
SELECT rec_id, given_name, surname, suburb,
       cdm.dmetaphone(surname) AS dmetaphone, cdm.soundex(surname) AS soundex,
       cdm.nysiis(surname) AS nysiis
  FROM customers
 WHERE person = (SELECT person FROM customers GROUP BY person
                  HAVING count(*) = 4 AND count(DISTINCT surname) = 3 ORDER BY person LIMIT 1)
 ORDER BY rec_id;

\echo
\echo '-- 2. How alike are they?  Edit distances and similarity scores'
SELECT a.rec_id AS a, b.rec_id AS b, a.surname AS surname_a, b.surname AS surname_b,
       cdm.levenshtein(a.surname, b.surname) AS lev,
       cdm.damerau_levenshtein(a.surname, b.surname) AS damerau,
       round(cdm.jaro_winkler_similarity(a.surname, b.surname)::numeric, 3) AS jaro_winkler,
       round(cdm.qgram_similarity(a.surname, b.surname)::numeric, 3) AS trigram
  FROM customers a JOIN customers b ON a.person = b.person AND a.rec_id < b.rec_id
 WHERE a.surname <> b.surname
 ORDER BY a.person, a.rec_id, b.rec_id
 LIMIT 8;

\echo
\echo '-- 3. Find likely duplicates without knowing the answer:'
\echo '--    same Double Metaphone code of the surname (either code), then Jaro-Winkler on the full name'
CREATE TEMP TABLE candidates AS
SELECT a.rec_id AS a, b.rec_id AS b, a.person = b.person AS truly_same,
       cdm.jaro_winkler_similarity(coalesce(a.given_name, '') || ' ' || coalesce(a.surname, ''),
                                   coalesce(b.given_name, '') || ' ' || coalesce(b.surname, '')) AS jw
  FROM customers a
  JOIN customers b ON a.rec_id < b.rec_id
   AND (cdm.dmetaphone(a.surname) IN (cdm.dmetaphone(b.surname), cdm.dmetaphone_alt(b.surname))
        OR cdm.dmetaphone_alt(a.surname) = cdm.dmetaphone(b.surname));

SELECT count(*) AS candidate_pairs,
       count(*) FILTER (WHERE jw >= 0.85) AS predicted_matches,
       count(*) FILTER (WHERE jw >= 0.85 AND truly_same) AS correct,
       round(100.0 * count(*) FILTER (WHERE jw >= 0.85 AND truly_same)
             / nullif(count(*) FILTER (WHERE jw >= 0.85), 0), 1) AS precision_pct,
       round(100.0 * count(*) FILTER (WHERE jw >= 0.85 AND truly_same)
             / (SELECT count(*) FROM customers a JOIN customers b
                  ON a.person = b.person AND a.rec_id < b.rec_id), 1) AS recall_pct
  FROM candidates;

\echo
\echo '-- 4. The closest non-identical name pairs it found'
SELECT c.a, c.b, x.given_name || ' ' || x.surname AS name_a, y.given_name || ' ' || y.surname AS name_b,
       round(c.jw::numeric, 3) AS jw, c.truly_same
  FROM candidates c JOIN customers x ON x.rec_id = c.a JOIN customers y ON y.rec_id = c.b
 WHERE c.jw >= 0.85 AND x.given_name || x.surname <> y.given_name || y.surname
 ORDER BY c.jw DESC, c.a LIMIT 8;

\echo
\echo '-- 5. Characters, not bytes: any script, any length'
SELECT cdm.levenshtein('Müller', 'Mueller') AS lev_mueller,
       cdm.dmetaphone('Müller') = cdm.dmetaphone('Mueller') AS same_dmetaphone,
       cdm.soundex('Дмитрий') AS soundex_cyrillic, cdm.soundex('Dmitry') AS soundex_latin,
       cdm.daitch_mokotoff('Schwarzenegger') AS daitch_mokotoff,
       cdm.levenshtein(repeat('ab', 5000), repeat('ba', 5000)) AS lev_10000_chars;
\echo
\echo 'Done. The cluster was throwaway; install cdm in your own database with CREATE EXTENSION cdm.'
