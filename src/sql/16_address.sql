-- ---------------------------------------------------------------------------
-- Normalise: US delivery address lines (USPS Publication 28 abbreviations).
-- ---------------------------------------------------------------------------

CREATE FUNCTION cdm.address_norm(address text) RETURNS text
AS 'MODULE_PATHNAME', 'cdm_address_norm_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.address_norm(text) IS
'A US delivery address line in one comparable form: cdm.fold, then the USPS Publication 28 standard abbreviations for the street suffix (Appendix C1), pre- and postdirectionals and secondary unit designators (Appendix C2), each only in its position; house number kept. address_norm(''123 North Main Street Apartment 4'') = address_norm(''123 N. Main St., Apt. #4'') = ''123 n main st apt 4''. A directional or suffix that is the street name stays (''123 North St'' -> ''123 north st'', ''100 Park Avenue'' -> ''100 park ave''); spelled ordinals First..Tenth become 1st..10th; P.O. Box -> po box; # is dropped (''#4'' -> ''4''). No US check: other addresses are folded and matching words abbreviated. Empty string when nothing is left. IMMUTABLE: REINDEX after a major ICU upgrade, as for cdm.fold.';

CREATE FUNCTION cdm.country_code(country text) RETURNS text
AS 'MODULE_PATHNAME', 'cdm_country_code_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.country_code(text) IS
'The ISO 3166-1 alpha-2 code of a country written as its English name or its code, any case and accents: country_code(''Australia'') = ''AU'', country_code(''united kingdom'') = ''GB'', country_code(''de'') = ''DE''; NULL when the name is not one ICU''s English country names (or an ISO code) knows. Names follow the installed ICU.';
