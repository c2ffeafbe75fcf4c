-- compare layer: edit distances and similarity scores.
-- (pg_regress loads the extension with --load-extension=cdm)

-- Levenshtein: code points, not bytes; any length.
SELECT cdm.levenshtein('kitten', 'sitting') AS kitten_sitting,
       cdm.levenshtein('José', 'Jose') AS accent_is_one_edit,
       cdm.levenshtein('Дмитрий', 'Дмитри') AS cyrillic,
       cdm.levenshtein('', 'abc') AS from_empty,
       cdm.levenshtein('北京市', '北京') AS cjk;

-- Past the 255-character cap of fuzzystrmatch, and past one 64-bit word.
SELECT cdm.levenshtein(repeat('ab', 500), repeat('ab', 499) || 'ba') AS long_1000,
       cdm.levenshtein(repeat('x', 100000), repeat('x', 99990) || repeat('y', 10)) AS long_100k;

-- Bounded: exact when <= max, otherwise max + 1.
SELECT cdm.levenshtein('kitten', 'sitting', 5) AS within,
       cdm.levenshtein('kitten', 'sitting', 2) AS over,
       cdm.levenshtein('kitten', 'sitting', 0) AS zero,
       cdm.levenshtein(repeat('a', 5000), repeat('b', 5000), 3) AS far_apart;

-- True Damerau vs optimal string alignment: they differ when a transposed pair is edited again.
SELECT cdm.damerau_levenshtein('ca', 'abc') AS dl_ca_abc,
       cdm.osa_distance('ca', 'abc') AS osa_ca_abc,
       cdm.damerau_levenshtein('Smith', 'Smtih') AS dl_swap,
       cdm.osa_distance('Smith', 'Smtih') AS osa_swap,
       cdm.levenshtein('Smith', 'Smtih') AS lev_swap;

SELECT cdm.hamming('karolin', 'kathrin') AS h, cdm.hamming('', '') AS h_empty,
       cdm.hamming('hamming', 'h香mmüng') AS h_unicode;

-- Jaro and Jaro-Winkler, Winkler's published pairs.
SELECT a, b, round(cdm.jaro_similarity(a, b)::numeric, 3) AS jaro,
       round(cdm.jaro_winkler_similarity(a, b)::numeric, 3) AS jw
  FROM (VALUES ('MARTHA', 'MARHTA'), ('DWAYNE', 'DUANE'), ('DIXON', 'DICKSONX'),
               ('SHACKLEFORD', 'SHACKELFORD'), ('', ''), ('abc', ''), ('Müller', 'Mueller')) v(a, b);

-- q-gram Jaccard.
SELECT round(cdm.qgram_similarity('Jonathan', 'Johnathan')::numeric, 4) AS q3,
       round(cdm.qgram_similarity('Jonathan', 'Johnathan', 2)::numeric, 4) AS q2,
       cdm.qgram_similarity('abc', 'abc') AS same,
       cdm.qgram_similarity('abc', 'xyz') AS disjoint,
       cdm.qgram_similarity('', '') AS both_empty;

-- NULL in, NULL out (STRICT).
SELECT cdm.levenshtein(NULL, 'a') IS NULL AS lev_null,
       cdm.levenshtein('a', 'b', NULL) IS NULL AS bound_null,
       cdm.jaro_winkler_similarity('a', NULL) IS NULL AS jw_null,
       cdm.qgram_similarity('a', 'b', NULL) IS NULL AS q_null;

-- Bad arguments: 22023 with a hint.
\set VERBOSITY default
SELECT cdm.hamming('abc', 'abcd');
SELECT cdm.levenshtein('a', 'b', -1);
SELECT cdm.qgram_similarity('a', 'b', 0);
SELECT cdm.qgram_similarity('a', 'b', 65);
-- The true Damerau matrix is limited (54000); OSA has no such limit.
SELECT cdm.damerau_levenshtein(repeat('a', 9000) || 'x', repeat('b', 9000) || 'y');
SELECT cdm.osa_distance(repeat('a', 3000) || 'x', repeat('b', 3000) || 'y');

-- Every function is IMMUTABLE STRICT PARALLEL SAFE.
SELECT p.proname, p.provolatile, p.proisstrict, p.proparallel
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname = 'cdm'
   AND p.proname IN ('levenshtein', 'damerau_levenshtein', 'osa_distance', 'hamming',
                     'jaro_similarity', 'jaro_winkler_similarity', 'qgram_similarity')
   AND (p.provolatile <> 'i' OR NOT p.proisstrict OR p.proparallel <> 's');

-- Index results use them: an expression index on a distance is allowed.
CREATE TABLE people (name text);
INSERT INTO people VALUES ('Catherine'), ('Katherine'), ('Kathryn'), ('Jon');
SELECT name, cdm.levenshtein(name, 'Catherine') AS d
  FROM people WHERE cdm.levenshtein(name, 'Catherine', 2) <= 2 ORDER BY d, name;
DROP TABLE people;
