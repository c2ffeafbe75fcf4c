-- ---------------------------------------------------------------------------
-- E-mail addresses: syntactic validity and a canonical form for matching.
-- Plain ASCII addresses never reach ICU; IDN domains go through ICU's UTS #46
-- (cdm.icu_version() tells which ICU), so indexes on cdm.email_norm() of
-- IDN addresses should be rebuilt (REINDEX) after a major ICU upgrade.
-- ---------------------------------------------------------------------------

CREATE FUNCTION cdm.email_norm(email text) RETURNS text
AS 'MODULE_PATHNAME', 'cdm_email_norm_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.email_norm(text) IS
'Canonical form of an e-mail address for finding duplicates, NULL if the input is not an address (see cdm.email_valid). Trims Unicode white space, lower-cases the local part (strictly case-sensitive under RFC 5321, in practice never) and the domain, decodes IDN domains to Unicode NFC (''a@xn--bcher-kva.de'' and ''a@BÜCHER.de'' -> ''a@bücher.de''), and applies documented provider rules: Gmail ignores dots and a +tag, googlemail.com is gmail.com (''J.Doe+shop@GMail.com'' -> ''jdoe@gmail.com''); Outlook/Hotmail/Live/MSN, iCloud (me.com and mac.com reported as icloud.com), Fastmail and Proton drop a +tag; Yahoo and all other domains keep the local part as written. Depends on the ICU version for IDN domains: REINDEX indexes on it after a major ICU upgrade.';

CREATE FUNCTION cdm.email_valid(email text) RETURNS boolean
AS 'MODULE_PATHNAME', 'cdm_email_valid_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.email_valid(text) IS
'True when cdm.email_norm would return an address: one @; the local part an RFC 5322 dot-atom (no leading, trailing or double dots) where non-ASCII letters are allowed (RFC 6531) but not symbols or emoji, at most 64 octets; the domain valid under IDNA UTS #46 with at least two labels of 1..63 octets, no trailing dot and a TLD that is not all digits; at most 254 octets in all. Rejected as not customer addresses: quoted local parts ("john doe"@x.com), IP literals (a@[192.0.2.1]), display names (John <j@x.com>), a mailto: prefix. Syntax only: says nothing about whether the mailbox exists.';
