-- ---------------------------------------------------------------------------
-- Phonetic codes.  Non-ASCII input is transliterated to ASCII letters first
-- (ICU, as cdm.fold: Müller -> Muller, Дмитрий -> Dmitriy, Жуков -> Zhukov), except
-- letters an algorithm codes natively (Double Metaphone: Ç; Daitch-Mokotoff:
-- Ą Ę Ţ Ț).  Characters that are not letters are ignored.
-- ---------------------------------------------------------------------------

CREATE FUNCTION cdm.soundex(s text) RETURNS text
AS 'MODULE_PATHNAME', 'cdm_soundex_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.soundex(text) IS
'American Soundex (US National Archives rules, with the H/W rule): first letter and three digits, e.g. Robert -> R163. Non-ASCII letters are transliterated first; empty string when the input has no letters.';

CREATE FUNCTION cdm.metaphone(s text) RETURNS text
AS 'MODULE_PATHNAME', 'cdm_metaphone_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.metaphone(text) IS
'Metaphone (Philips 1990), the whole code, no length limit. Non-ASCII letters are transliterated first.';

CREATE FUNCTION cdm.metaphone(s text, max_length integer) RETURNS text
AS 'MODULE_PATHNAME', 'cdm_metaphone_max_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.metaphone(text, integer) IS
'Metaphone code cut to max_length characters (PostgreSQL fuzzystrmatch and commons-codec use 4). max_length < 1 is an error (22023).';

CREATE FUNCTION cdm.dmetaphone(s text) RETURNS text
AS 'MODULE_PATHNAME', 'cdm_dmetaphone_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.dmetaphone(text) IS
'Double Metaphone (Philips 2000) primary code, at most 4 characters. Non-ASCII letters are transliterated first (Ç is coded natively as S), so dmetaphone(''Müller'') = dmetaphone(''Muller'').';

CREATE FUNCTION cdm.dmetaphone_alt(s text) RETURNS text
AS 'MODULE_PATHNAME', 'cdm_dmetaphone_alt_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.dmetaphone_alt(text) IS
'Double Metaphone alternate code (for names with a second plausible pronunciation, e.g. Schmidt: XMT / SMT), at most 4 characters.';

CREATE FUNCTION cdm.nysiis(s text) RETURNS text
AS 'MODULE_PATHNAME', 'cdm_nysiis_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.nysiis(text) IS
'NYSIIS phonetic code (New York State Identification and Intelligence System, Taft 1970), not truncated. Non-ASCII letters are transliterated first.';

CREATE FUNCTION cdm.nysiis(s text, max_length integer) RETURNS text
AS 'MODULE_PATHNAME', 'cdm_nysiis_max_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.nysiis(text, integer) IS
'NYSIIS code cut to max_length characters (the original specification uses 6). max_length < 1 is an error (22023).';

CREATE FUNCTION cdm.daitch_mokotoff(s text) RETURNS text[]
AS 'MODULE_PATHNAME', 'cdm_daitch_mokotoff_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.daitch_mokotoff(text) IS
'Daitch-Mokotoff Soundex: every 6-digit code of the name, one per reading of ambiguous letter groups (e.g. John -> {160000,460000}); compare with && to match any reading. Non-ASCII letters are transliterated first, except Ą Ę Ţ Ț which the JewishGen chart codes natively.';
