-- ---------------------------------------------------------------------------
-- GiST index over cdm.key: % and nearest-neighbour ORDER BY k <-> q.
-- Leaves hold exact keys, inner entries signatures of siglen bytes
-- (option, default 256, 1..2024) whose distance is a true lower bound.
-- ---------------------------------------------------------------------------

CREATE TYPE cdm.gkey;

CREATE FUNCTION cdm.gkey_in(cstring) RETURNS cdm.gkey
AS 'MODULE_PATHNAME', 'cdm_gkey_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.gkey_in(cstring) IS 'Not callable: cdm.gkey exists only inside cdm.gist_key_ops indexes.';
CREATE FUNCTION cdm.gkey_out(cdm.gkey) RETURNS cstring
AS 'MODULE_PATHNAME', 'cdm_gkey_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.gkey_out(cdm.gkey) IS 'Not callable: cdm.gkey exists only inside cdm.gist_key_ops indexes.';

CREATE TYPE cdm.gkey (
    INPUT = cdm.gkey_in,
    OUTPUT = cdm.gkey_out,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = int4,
    STORAGE = plain
);
COMMENT ON TYPE cdm.gkey IS
'Storage type of cdm.gist_key_ops index entries (a leaf key or an inner signature); not for tables.';

CREATE FUNCTION cdm.gist_key_consistent(internal, cdm.key, smallint, oid, internal) RETURNS boolean
AS 'MODULE_PATHNAME', 'cdm_gist_key_consistent' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.gist_key_consistent(internal, cdm.key, smallint, oid, internal) IS
'GiST support (consistent) of cdm.gist_key_ops: exact % at leaves, the distance lower bound at inner entries.';
CREATE FUNCTION cdm.gist_key_distance(internal, cdm.key, smallint, oid, internal) RETURNS float8
AS 'MODULE_PATHNAME', 'cdm_gist_key_distance' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.gist_key_distance(internal, cdm.key, smallint, oid, internal) IS
'GiST support (distance) of cdm.gist_key_ops: exact <-> at leaves, a lower bound at inner entries.';
CREATE FUNCTION cdm.gist_key_union(internal, internal) RETURNS cdm.gkey
AS 'MODULE_PATHNAME', 'cdm_gist_key_union' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.gist_key_union(internal, internal) IS 'GiST support (union) of cdm.gist_key_ops.';
CREATE FUNCTION cdm.gist_key_compress(internal) RETURNS internal
AS 'MODULE_PATHNAME', 'cdm_gist_key_compress' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.gist_key_compress(internal) IS 'GiST support (compress) of cdm.gist_key_ops.';
CREATE FUNCTION cdm.gist_key_decompress(internal) RETURNS internal
AS 'MODULE_PATHNAME', 'cdm_gist_key_decompress' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.gist_key_decompress(internal) IS 'GiST support (decompress) of cdm.gist_key_ops.';
CREATE FUNCTION cdm.gist_key_penalty(internal, internal, internal) RETURNS internal
AS 'MODULE_PATHNAME', 'cdm_gist_key_penalty' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.gist_key_penalty(internal, internal, internal) IS
'GiST support (penalty) of cdm.gist_key_ops: signature bits that differ.';
CREATE FUNCTION cdm.gist_key_picksplit(internal, internal) RETURNS internal
AS 'MODULE_PATHNAME', 'cdm_gist_key_picksplit' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.gist_key_picksplit(internal, internal) IS
'GiST support (picksplit) of cdm.gist_key_ops: farthest pair as seeds, then by preference.';
CREATE FUNCTION cdm.gist_key_same(cdm.gkey, cdm.gkey, internal) RETURNS internal
AS 'MODULE_PATHNAME', 'cdm_gist_key_same' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.gist_key_same(cdm.gkey, cdm.gkey, internal) IS 'GiST support (same) of cdm.gist_key_ops.';
CREATE FUNCTION cdm.gist_key_options(internal) RETURNS void
AS 'MODULE_PATHNAME', 'cdm_gist_key_options' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cdm.gist_key_options(internal) IS
'GiST support (options) of cdm.gist_key_ops: siglen, the inner signature length in bytes (1..2024, default 256).';
CREATE FUNCTION cdm.gist_key_sortsupport(internal) RETURNS void
AS 'MODULE_PATHNAME', 'cdm_gist_key_sortsupport' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.gist_key_sortsupport(internal) IS
'GiST support (sortsupport) of cdm.gist_key_ops: CREATE INDEX sorts keys by their sorted tokens (phonetic codes first) and packs pages in that order, so sound-alike names share pages.';

CREATE OPERATOR CLASS cdm.gist_key_ops DEFAULT FOR TYPE cdm.key USING gist AS
    OPERATOR 1 cdm.% (cdm.key, cdm.key),
    OPERATOR 2 cdm.<-> (cdm.key, cdm.key) FOR ORDER BY pg_catalog.float_ops,
    FUNCTION 1 cdm.gist_key_consistent(internal, cdm.key, smallint, oid, internal),
    FUNCTION 2 cdm.gist_key_union(internal, internal),
    FUNCTION 3 cdm.gist_key_compress(internal),
    FUNCTION 4 cdm.gist_key_decompress(internal),
    FUNCTION 5 cdm.gist_key_penalty(internal, internal, internal),
    FUNCTION 6 cdm.gist_key_picksplit(internal, internal),
    FUNCTION 7 cdm.gist_key_same(cdm.gkey, cdm.gkey, internal),
    FUNCTION 8 cdm.gist_key_distance(internal, cdm.key, smallint, oid, internal),
    FUNCTION 10 cdm.gist_key_options(internal),
    FUNCTION 11 cdm.gist_key_sortsupport(internal),
    STORAGE cdm.gkey;
COMMENT ON OPERATOR CLASS cdm.gist_key_ops USING gist IS
'Default GiST operator class of cdm.key: k % q and ORDER BY k <-> q LIMIT n, with results equal to a sequential scan. Option siglen (bytes of the inner signatures, 1..2024, default 256): CREATE INDEX ON t USING gist (cdm.name_key(name) cdm.gist_key_ops (siglen = 128)).';
