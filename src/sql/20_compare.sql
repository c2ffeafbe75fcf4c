-- ---------------------------------------------------------------------------
-- Compare: edit distances and similarity scores over Unicode code points.
-- All are pure: IMMUTABLE STRICT PARALLEL SAFE, thresholds as arguments.
-- ---------------------------------------------------------------------------

CREATE FUNCTION cdm.levenshtein(a text, b text) RETURNS integer
AS 'MODULE_PATHNAME', 'cdm_levenshtein_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.levenshtein(text, text) IS
'Levenshtein distance: the fewest single-character insertions, deletions and substitutions turning a into b. Counts Unicode code points, any length (bit-parallel, Myers 1999).';

CREATE FUNCTION cdm.levenshtein(a text, b text, max integer) RETURNS integer
AS 'MODULE_PATHNAME', 'cdm_levenshtein_bounded_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.levenshtein(text, text, integer) IS
'Bounded Levenshtein distance: the exact distance when it is at most max, otherwise max + 1; stops early, so it is fast when the strings are far apart. max < 0 is an error (22023).';

CREATE FUNCTION cdm.damerau_levenshtein(a text, b text) RETURNS integer
AS 'MODULE_PATHNAME', 'cdm_damerau_levenshtein_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.damerau_levenshtein(text, text) IS
'True (unrestricted) Damerau-Levenshtein distance: insertions, deletions, substitutions and transpositions of adjacent characters, where a transposed pair may be edited again (ca -> abc = 2). Lowrance-Wagner; needs (m+2)(n+2) cells after removing the common prefix and suffix, at most 67108864 (else 54000).';

CREATE FUNCTION cdm.osa_distance(a text, b text) RETURNS integer
AS 'MODULE_PATHNAME', 'cdm_osa_distance_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.osa_distance(text, text) IS
'Optimal string alignment distance (restricted Damerau-Levenshtein): like damerau_levenshtein but no substring is edited twice (ca -> abc = 3). Bit-parallel (Hyyro 2003); linear memory at any length.';

CREATE FUNCTION cdm.hamming(a text, b text) RETURNS integer
AS 'MODULE_PATHNAME', 'cdm_hamming_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.hamming(text, text) IS
'Hamming distance: the number of positions at which two strings of equal length (in code points) differ. Unequal lengths are an error (22023); use levenshtein for those.';

CREATE FUNCTION cdm.jaro_similarity(a text, b text) RETURNS double precision
AS 'MODULE_PATHNAME', 'cdm_jaro_similarity_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.jaro_similarity(text, text) IS
'Jaro similarity (Jaro 1989) in 0..1: matching characters within floor(max(len)/2)-1 positions, less half the transpositions. Two empty strings are identical (1); one empty string scores 0.';

CREATE FUNCTION cdm.jaro_winkler_similarity(a text, b text) RETURNS double precision
AS 'MODULE_PATHNAME', 'cdm_jaro_winkler_similarity_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.jaro_winkler_similarity(text, text) IS
'Jaro-Winkler similarity (Winkler 1990) in 0..1: Jaro plus a bonus for a common prefix, prefix scale 0.1, at most 4 prefix characters, applied only when Jaro > 0.7; no long-string adjustment.';

CREATE FUNCTION cdm.qgram_similarity(a text, b text, q integer DEFAULT 3) RETURNS double precision
AS 'MODULE_PATHNAME', 'cdm_qgram_similarity_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.qgram_similarity(text, text, integer) IS
'Jaccard similarity in 0..1 of the sets of q-grams (q consecutive code points) of a and b, each padded with q-1 boundary marks at both ends so that starts and ends count. Case- and accent-sensitive: compare cdm.fold() values to ignore them. 1 <= q <= 64 (q < 1: 22023; q > 64: 54000, the limit).';
