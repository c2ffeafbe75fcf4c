-- ---------------------------------------------------------------------------
-- Blocking keys: the cdm.key type, its builders and operators.
-- A key is a sorted set of 32-bit hashed tokens; the top 3 bits of a token
-- name its field (name, email, phone, address).  Distance: over the fields
-- both keys have, 1 - the weighted mean of the per-field Jaccard indexes
-- (weights: name 1, email 2, phone 2, address 1).
-- ---------------------------------------------------------------------------

CREATE TYPE cdm.key;

CREATE FUNCTION cdm.key_in(cstring) RETURNS cdm.key
AS 'MODULE_PATHNAME', 'cdm_key_in'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.key_in(cstring) IS
'Text input of cdm.key: fields with their tokens in hex, e.g. ''name(0a1b2c3d 00ff00ff) email(1234abcd)''; the empty string is the empty key. Tokens are sorted and made distinct (at most 250 per field, the smallest kept).';

CREATE FUNCTION cdm.key_out(cdm.key) RETURNS cstring
AS 'MODULE_PATHNAME', 'cdm_key_out'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.key_out(cdm.key) IS
'Text output of cdm.key, for debugging and dump/restore: name(0a1b2c3d ...) email(...) ..., fields in order, tokens as 8 hex digits.';

CREATE FUNCTION cdm.key_recv(internal) RETURNS cdm.key
AS 'MODULE_PATHNAME', 'cdm_key_recv'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.key_recv(internal) IS
'Binary input of cdm.key: int32 token count, then each token as a uint32 in network order.';

CREATE FUNCTION cdm.key_send(cdm.key) RETURNS bytea
AS 'MODULE_PATHNAME', 'cdm_key_send'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.key_send(cdm.key) IS
'Binary output of cdm.key: int32 token count, then each token as a uint32 in network order.';

CREATE TYPE cdm.key (
    INPUT = cdm.key_in,
    OUTPUT = cdm.key_out,
    RECEIVE = cdm.key_recv,
    SEND = cdm.key_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = int4,
    STORAGE = extended
);
COMMENT ON TYPE cdm.key IS
'Blocking key: a compact sorted set of hashed tokens (q-grams of the folded value, Double Metaphone codes, nickname roots; e-mail, phone and address tokens), tagged by field. Build with cdm.name_key, email_key, phone_key, address_key or record_key; compare with <-> (distance 0..1) and % (within cdm.key_threshold); index with USING gist.';

-- ------------------------------------------------------------------ builders

CREATE FUNCTION cdm.name_key(name text) RETURNS cdm.key
AS 'MODULE_PATHNAME', 'cdm_name_key'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.name_key(text) IS
'Blocking key of a person''s name: for each word of cdm.fold(name), its padded bigrams, its Double Metaphone codes and its nickname root (with the root''s bigrams and codes when it differs), so typos, transliterations, word order and nicknames still share tokens: name_key(''Bob Smith'') <-> name_key(''Smith, Robert'') is small. Empty or punctuation-only text gives the empty key.';

CREATE FUNCTION cdm.email_key(email text) RETURNS cdm.key
AS 'MODULE_PATHNAME', 'cdm_email_key'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.email_key(text) IS
'Blocking key of an e-mail address: of cdm.email_norm(email), the whole address, the domain, the local part without . _ - + and its bigrams. Text that is not an address gives the bigrams and words of its folded text.';

CREATE FUNCTION cdm.phone_key(phone text, region text DEFAULT 'US') RETURNS cdm.key
AS 'MODULE_PATHNAME', 'cdm_phone_key'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.phone_key(text, text) IS
'Blocking key of a phone number: of its E.164 form (cdm.phone_e164(phone, region)), all digits, the last 7 and the digit trigrams; a number libphonenumber cannot read gives the same from its digits as written. An unknown region is an error (22023).';

CREATE FUNCTION cdm.address_key(address text) RETURNS cdm.key
AS 'MODULE_PATHNAME', 'cdm_address_key'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.address_key(text) IS
'Blocking key of an address line: every word of cdm.address_norm(address), plus the bigrams of words of 3 or more letters, so ''123 North Main Street'' and ''123 N Main St'' are identical and ''123 N Mian St'' is close.';

CREATE FUNCTION cdm.record_key(name text, email text DEFAULT NULL, phone text DEFAULT NULL,
                               address text DEFAULT NULL, phone_region text DEFAULT 'US')
RETURNS cdm.key
AS 'MODULE_PATHNAME', 'cdm_record_key'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cdm.record_key(text, text, text, text, text) IS
'Multi-field blocking key: the tokens of name_key, email_key, phone_key (in phone_region, NULL meaning US) and address_key, each tagged with its field, so one GiST index finds records that agree on any field. NULL fields are absent; all four NULL gives NULL. Distance compares only fields both keys have (weights: name 1, email 2, phone 2, address 1).';

-- ------------------------------------------------------- distance, similarity

CREATE FUNCTION cdm.key_distance(k1 cdm.key, k2 cdm.key) RETURNS float8
AS 'MODULE_PATHNAME', 'cdm_key_distance_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.key_distance(cdm.key, cdm.key) IS
'1 - cdm.key_similarity(k1, k2), in 0..1; 0 for identical keys (two empty keys included), 1 when the keys have no field in common. The function behind <->.';

CREATE FUNCTION cdm.key_similarity(k1 cdm.key, k2 cdm.key) RETURNS float8
AS 'MODULE_PATHNAME', 'cdm_key_similarity_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.key_similarity(cdm.key, cdm.key) IS
'Similarity of two keys in 0..1: over the fields both have, the weighted mean (name 1, email 2, phone 2, address 1) of the Jaccard indexes |A & B| / |A | B| of their tokens. 0 with no field in common; 1 for two empty keys.';

CREATE FUNCTION cdm.key_similar(k1 cdm.key, k2 cdm.key) RETURNS boolean
AS 'MODULE_PATHNAME', 'cdm_key_similar_op'
LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.key_similar(cdm.key, cdm.key) IS
'True when cdm.key_distance(k1, k2) <= the setting cdm.key_threshold (default 0.6); STABLE because it reads the setting. The function behind %.';

CREATE FUNCTION cdm.key_ntokens(k cdm.key) RETURNS integer
AS 'MODULE_PATHNAME', 'cdm_key_ntokens'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.key_ntokens(cdm.key) IS
'Number of tokens in a key (all fields), e.g. cdm.key_ntokens(cdm.name_key(''John Smith'')) = 16.';

CREATE OPERATOR cdm.<-> (
    LEFTARG = cdm.key, RIGHTARG = cdm.key, PROCEDURE = cdm.key_distance,
    COMMUTATOR = OPERATOR(cdm.<->)
);
COMMENT ON OPERATOR cdm.<-> (cdm.key, cdm.key) IS
'Distance between two blocking keys, 0..1 (cdm.key_distance); ORDER BY k <-> q LIMIT n is answered by a cdm.gist_key_ops index.';

CREATE OPERATOR cdm.% (
    LEFTARG = cdm.key, RIGHTARG = cdm.key, PROCEDURE = cdm.key_similar,
    COMMUTATOR = OPERATOR(cdm.%),
    RESTRICT = contsel, JOIN = contjoinsel
);
COMMENT ON OPERATOR cdm.% (cdm.key, cdm.key) IS
'True when the keys are within cdm.key_threshold of each other (distance <=, default 0.6); indexable with cdm.gist_key_ops.';

-- --------------------------------------------------------- equality, order

CREATE FUNCTION cdm.key_eq(cdm.key, cdm.key) RETURNS boolean
AS 'MODULE_PATHNAME', 'cdm_key_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.key_eq(cdm.key, cdm.key) IS 'True when both keys hold the same tokens (the = operator).';
CREATE FUNCTION cdm.key_ne(cdm.key, cdm.key) RETURNS boolean
AS 'MODULE_PATHNAME', 'cdm_key_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.key_ne(cdm.key, cdm.key) IS 'True when the keys differ (the <> operator).';
CREATE FUNCTION cdm.key_lt(cdm.key, cdm.key) RETURNS boolean
AS 'MODULE_PATHNAME', 'cdm_key_lt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.key_lt(cdm.key, cdm.key) IS 'Token-by-token order, shorter first on a tie (the < operator); meaningful only for sorting and btree.';
CREATE FUNCTION cdm.key_le(cdm.key, cdm.key) RETURNS boolean
AS 'MODULE_PATHNAME', 'cdm_key_le' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.key_le(cdm.key, cdm.key) IS 'The <= operator of the btree order of cdm.key.';
CREATE FUNCTION cdm.key_gt(cdm.key, cdm.key) RETURNS boolean
AS 'MODULE_PATHNAME', 'cdm_key_gt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.key_gt(cdm.key, cdm.key) IS 'The > operator of the btree order of cdm.key.';
CREATE FUNCTION cdm.key_ge(cdm.key, cdm.key) RETURNS boolean
AS 'MODULE_PATHNAME', 'cdm_key_ge' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.key_ge(cdm.key, cdm.key) IS 'The >= operator of the btree order of cdm.key.';
CREATE FUNCTION cdm.key_cmp(cdm.key, cdm.key) RETURNS integer
AS 'MODULE_PATHNAME', 'cdm_key_cmp' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.key_cmp(cdm.key, cdm.key) IS 'Btree comparison of cdm.key: -1, 0 or 1.';
CREATE FUNCTION cdm.key_hash(cdm.key) RETURNS integer
AS 'MODULE_PATHNAME', 'cdm_key_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.key_hash(cdm.key) IS 'Hash of a key''s tokens, for hash joins, GROUP BY and hash indexes.';

CREATE OPERATOR cdm.= (
    LEFTARG = cdm.key, RIGHTARG = cdm.key, PROCEDURE = cdm.key_eq,
    COMMUTATOR = OPERATOR(cdm.=), NEGATOR = OPERATOR(cdm.<>),
    RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES
);
COMMENT ON OPERATOR cdm.= (cdm.key, cdm.key) IS 'Same tokens in both keys.';
CREATE OPERATOR cdm.<> (
    LEFTARG = cdm.key, RIGHTARG = cdm.key, PROCEDURE = cdm.key_ne,
    COMMUTATOR = OPERATOR(cdm.<>), NEGATOR = OPERATOR(cdm.=),
    RESTRICT = neqsel, JOIN = neqjoinsel
);
COMMENT ON OPERATOR cdm.<> (cdm.key, cdm.key) IS 'The keys differ.';
CREATE OPERATOR cdm.< (
    LEFTARG = cdm.key, RIGHTARG = cdm.key, PROCEDURE = cdm.key_lt,
    COMMUTATOR = OPERATOR(cdm.>), NEGATOR = OPERATOR(cdm.>=),
    RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
COMMENT ON OPERATOR cdm.< (cdm.key, cdm.key) IS 'Btree order of cdm.key (token by token).';
CREATE OPERATOR cdm.<= (
    LEFTARG = cdm.key, RIGHTARG = cdm.key, PROCEDURE = cdm.key_le,
    COMMUTATOR = OPERATOR(cdm.>=), NEGATOR = OPERATOR(cdm.>),
    RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
COMMENT ON OPERATOR cdm.<= (cdm.key, cdm.key) IS 'Btree order of cdm.key (token by token).';
CREATE OPERATOR cdm.> (
    LEFTARG = cdm.key, RIGHTARG = cdm.key, PROCEDURE = cdm.key_gt,
    COMMUTATOR = OPERATOR(cdm.<), NEGATOR = OPERATOR(cdm.<=),
    RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
COMMENT ON OPERATOR cdm.> (cdm.key, cdm.key) IS 'Btree order of cdm.key (token by token).';
CREATE OPERATOR cdm.>= (
    LEFTARG = cdm.key, RIGHTARG = cdm.key, PROCEDURE = cdm.key_ge,
    COMMUTATOR = OPERATOR(cdm.<=), NEGATOR = OPERATOR(cdm.<),
    RESTRICT = scalargesel, JOIN = scalargejoinsel
);
COMMENT ON OPERATOR cdm.>= (cdm.key, cdm.key) IS 'Btree order of cdm.key (token by token).';

CREATE OPERATOR CLASS cdm.btree_key_ops DEFAULT FOR TYPE cdm.key USING btree AS
    OPERATOR 1 cdm.< ,
    OPERATOR 2 cdm.<= ,
    OPERATOR 3 cdm.= ,
    OPERATOR 4 cdm.>= ,
    OPERATOR 5 cdm.> ,
    FUNCTION 1 cdm.key_cmp(cdm.key, cdm.key);
COMMENT ON OPERATOR CLASS cdm.btree_key_ops USING btree IS
'Default btree operator class of cdm.key: equality, DISTINCT, GROUP BY, merge joins and unique indexes on keys.';

CREATE OPERATOR CLASS cdm.hash_key_ops DEFAULT FOR TYPE cdm.key USING hash AS
    OPERATOR 1 cdm.= ,
    FUNCTION 1 cdm.key_hash(cdm.key);
COMMENT ON OPERATOR CLASS cdm.hash_key_ops USING hash IS
'Default hash operator class of cdm.key: hash joins and hash aggregation on keys.';
