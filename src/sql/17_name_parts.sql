-- ---------------------------------------------------------------------------
-- Personal names split into parts.
-- ---------------------------------------------------------------------------

CREATE FUNCTION cdm.name_parts(name text,
                               OUT title text, OUT given text, OUT middle text,
                               OUT family text, OUT suffix text)
AS 'MODULE_PATHNAME', 'cdm_name_parts_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.name_parts(text) IS
'Title, given, middle, family and suffix of a personal name, each folded (cdm.fold); a missing part is NULL. SELECT (cdm.name_parts(''Dr. John Q. Smith Jr.'')).* gives dr | john | q | smith | jr. Words are split at white space and commas of the original text (''García-López'' stays one word, garcia lopez; ''王小明'' is one word). ''Smith, John'' = ''John Smith''; a last comma group of suffixes is suffixes (''Smith, John, Jr.''). Titles (mr, mrs, ms, miss, mx, dr, prof, sir, dame, rev, fr, lord, lady, ...) at the start and suffixes (jr, sr, jnr, snr, ii, iii, iv, v, phd, md, esq, dds) at the end are taken while another word remains; roman numerals only when two names remain besides, and v after a comma is a middle initial. Particles (van, von, de, da, del, della, di, du, la, le, bin, ibn, al, st, ...) before the last word join the family name: ''Maria de la Cruz'' -> family ''de la cruz''. A lone word is the given name (''Madonna''), or the family name after a title (''Dr. Who''). Titles and suffixes lose inner separators (''Ph.D.'' -> phd). All parts NULL when nothing is left after folding.';
