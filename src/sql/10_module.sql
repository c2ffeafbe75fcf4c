-- ---------------------------------------------------------------------------
-- Module information.
-- ---------------------------------------------------------------------------

CREATE FUNCTION cdm.icu_version() RETURNS text
AS 'MODULE_PATHNAME', 'cdm_icu_version_sql'
LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.icu_version() IS
'Version of the ICU library cdm transliterates with. Phonetic codes of non-ASCII text depend on ICU''s transliteration data: after an ICU upgrade, REINDEX indexes built on them.';
