-- ---------------------------------------------------------------------------
-- Normalise: one comparable form of any text.
-- ---------------------------------------------------------------------------

CREATE FUNCTION cdm.fold(s text) RETURNS text
AS 'MODULE_PATHNAME', 'cdm_fold_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.fold(text) IS
'Folded form for matching: Unicode NFKC with case folding, ICU transliteration to Latin (Cyrillic by BGN/PCGN, Greek by ELOT 743, other scripts by Any-Latin; the primes BGN writes for soft and hard signs removed) then ASCII, every character that is not a letter, digit or mark to a separator, separators collapsed to one space, ends trimmed. fold(''  José MUÑOZ-García '') = ''jose munoz garcia'', fold(''Дмитрий'') = ''dmitriy''. Empty string when nothing is left. IMMUTABLE so it can be indexed; the result can change with a major ICU upgrade (see cdm.icu_version()): REINDEX indexes on it after one.';
