-- ---------------------------------------------------------------------------
-- Telephone numbers, through Google's libphonenumber.  Its numbering-plan
-- metadata is compiled into the library, so results change only when the
-- library is upgraded: the functions are IMMUTABLE, and indexes on them need
-- a REINDEX after a libphonenumber upgrade (see cdm.phonenumber_version()).
-- ---------------------------------------------------------------------------

CREATE FUNCTION cdm.phone_e164(phone text, region text DEFAULT 'US') RETURNS text
AS 'MODULE_PATHNAME', 'cdm_phone_e164_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.phone_e164(text, text) IS
'The number in E.164 form, e.g. phone_e164(''(415) 555-2671'') = ''+14155552671'', phone_e164(''020 7946 0018'', ''GB'') = ''+442079460018''. region (ISO 3166-1 alpha-2, any case; default US) applies to numbers written without +country code; ''ZZ'' accepts only +numbers; an unknown region is an error (22023). NULL when libphonenumber cannot parse the input or its length is not possible for the country (a number without its area code included); extensions are dropped; letters are read as keypad digits (1-800-FLOWERS); full-width digits are accepted; input over 250 bytes is NULL. Not a validity check: see phone_valid. IMMUTABLE: libphonenumber''s metadata is compiled in, so REINDEX indexes on it after a libphonenumber upgrade.';

CREATE FUNCTION cdm.phone_valid(phone text, region text DEFAULT 'US') RETURNS boolean
AS 'MODULE_PATHNAME', 'cdm_phone_valid_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.phone_valid(text, text) IS
'libphonenumber''s strict check (IsValidNumber): the number parses and falls in a number range its country assigns, e.g. phone_valid(''+1 415 555 2671'') is true, phone_valid(''(123) 456-7890'') is false (no NANPA area code starts with 1) although phone_e164 gives it a form (+11234567890). region as for phone_e164 (default US; unknown region: 22023); false for input that is not a number. Results follow the metadata of the installed libphonenumber: REINDEX indexes on it after an upgrade.';

CREATE FUNCTION cdm.phonenumber_version() RETURNS text
AS 'MODULE_PATHNAME', 'cdm_phonenumber_version_sql'
LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.phonenumber_version() IS
'Version of libphonenumber cdm was built against, e.g. 8.12.57 (the library has no run-time version call; the value is baked in at build time, ''unknown'' if it could not be found). phone_e164 and phone_valid follow its metadata: after a libphonenumber upgrade, REINDEX indexes built on them.';
