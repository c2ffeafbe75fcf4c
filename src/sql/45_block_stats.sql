-- ---------------------------------------------------------------------------
-- Block-size diagnostics: how many candidates a blocking setting yields,
-- before a dedup run pays for scoring them.  PL/pgSQL over the key index:
-- one index probe (b.key % a.key) per record.
-- ---------------------------------------------------------------------------

-- The key column of a table or view, checked: exists, is a cdm.key.
-- Returns the quoted column name for dynamic SQL.
CREATE FUNCTION cdm._block_key_column(source regclass, key_column text) RETURNS text
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $f$
DECLARE
  typ oid;
BEGIN
  SELECT a.atttypid INTO typ FROM pg_attribute a
   WHERE a.attrelid = source AND a.attname = key_column AND a.attnum > 0 AND NOT a.attisdropped;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'column "%" of relation "%" does not exist', key_column,
                    (SELECT relname FROM pg_class WHERE oid = source)
      USING ERRCODE = 'undefined_column',
            HINT = 'Pass the name of a column of type cdm.key, e.g. a stored cdm.name_key(name), '
                   'or a view exposing cdm.name_key(name) AS k (the expression index is then used).';
  END IF;
  IF typ IS DISTINCT FROM to_regtype('cdm.key') THEN
    RAISE EXCEPTION 'column "%" of relation "%" is of type %, not cdm.key', key_column,
                    (SELECT relname FROM pg_class WHERE oid = source), format_type(typ, NULL)
      USING ERRCODE = 'datatype_mismatch',
            HINT = format('Block on a key built from it: a view with cdm.name_key(%I) AS k, or a stored key column.',
                          key_column);
  END IF;
  RETURN quote_ident(key_column);
END $f$;
COMMENT ON FUNCTION cdm._block_key_column(regclass, text) IS
'Internal to cdm.block_stats and cdm.block_largest: checks that key_column is a column of source of type cdm.key (SQLSTATE 42703 when it does not exist, 42804 when it has another type) and returns it quoted for dynamic SQL.';

-- Sets cdm.key_threshold for the rest of the transaction when a threshold
-- is given, and returns the threshold in force.
-- No SET clause here: it would undo the SET LOCAL when this function returns.
CREATE FUNCTION cdm._block_threshold(threshold float8) RETURNS float8
LANGUAGE plpgsql VOLATILE
AS $f$
BEGIN
  IF threshold IS NOT NULL THEN
    IF threshold < 0 OR threshold > 1 OR threshold = 'NaN'::float8 THEN
      RAISE EXCEPTION 'threshold % is out of range', threshold
        USING ERRCODE = 'invalid_parameter_value',
              HINT = 'cdm.key_threshold is a key distance between 0 (identical) and 1.';
    END IF;
    PERFORM pg_catalog.set_config('cdm.key_threshold', threshold::text, true);
  END IF;
  RETURN pg_catalog.current_setting('cdm.key_threshold')::float8;
END $f$;
COMMENT ON FUNCTION cdm._block_threshold(float8) IS
'Internal to cdm.block_stats and cdm.block_largest: SET LOCAL cdm.key_threshold when threshold is not NULL (0..1, else SQLSTATE 22023), and return the threshold in force.';

CREATE FUNCTION cdm.block_stats(source regclass, key_column text, threshold float8 DEFAULT NULL)
RETURNS TABLE (records bigint, null_keys bigint, candidate_pairs bigint, mean_per_record float8,
               p50 int, p95 int, p99 int, max_per_record int, singletons bigint,
               key_threshold float8)
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $f$
DECLARE
  col text;
  saved text := current_setting('cdm.key_threshold', true);
BEGIN
  IF source IS NULL OR key_column IS NULL THEN
    RETURN;   -- NULL in, nothing out
  END IF;
  col := cdm._block_key_column(source, key_column);
  key_threshold := cdm._block_threshold(threshold);
  -- Candidates of a record: the other records whose key is within the
  -- threshold.  The inner count is one index probe when source has a GiST
  -- index on the key (or the view's key expression); a record counts itself
  -- when its key is within the threshold of itself, hence the subtraction.
  EXECUTE format($q$
    WITH per AS MATERIALIZED (   -- else each use of n repeats the probe
      SELECT a.%1$s IS NULL AS null_key,
             CASE WHEN a.%1$s IS NULL THEN 0
                  ELSE (SELECT count(*) FROM %2$s b WHERE b.%1$s OPERATOR(cdm.%%) a.%1$s)
                       - (a.%1$s OPERATOR(cdm.%%) a.%1$s)::int END AS n
        FROM %2$s a)
    SELECT count(*), count(*) FILTER (WHERE null_key), coalesce(sum(n) / 2, 0), avg(n)::float8,
           percentile_disc(0.5) WITHIN GROUP (ORDER BY n),
           percentile_disc(0.95) WITHIN GROUP (ORDER BY n),
           percentile_disc(0.99) WITHIN GROUP (ORDER BY n),
           max(n), count(*) FILTER (WHERE n = 0)
      FROM per$q$, col, source)
    INTO records, null_keys, candidate_pairs, mean_per_record, p50, p95, p99, max_per_record, singletons;
  IF threshold IS NOT NULL AND saved IS NOT NULL THEN
    PERFORM set_config('cdm.key_threshold', saved, true);
  END IF;
  RETURN NEXT;
END $f$;
COMMENT ON FUNCTION cdm.block_stats(regclass, text, float8) IS
'How many candidate pairs blocking on a cdm.key column yields, before a dedup run: for each record of source (a table or view), the other records whose key is within cdm.key_threshold (key % key), through the GiST index when there is one (one probe per record). Returns one row: records, null_keys (never candidates), candidate_pairs (unordered), mean_per_record, p50/p95/p99/max_per_record (candidates of one record), singletons (records with no candidate), key_threshold (in force). threshold, when given (0..1), overrides the GUC for this call. Example: SELECT * FROM cdm.block_stats(''customers_k'', ''k'', 0.5). Errors: key_column missing (42703) or not a cdm.key (42804), threshold outside 0..1 (22023). NULL source or key_column: no row. Cost: one index probe per record; on a large table run it on a sample (CREATE TABLE ... AS SELECT ... TABLESAMPLE) with its own index.';

CREATE FUNCTION cdm.block_largest(source regclass, key_column text, n int DEFAULT 10,
                                  threshold float8 DEFAULT NULL)
RETURNS TABLE (candidates bigint, record jsonb)
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $f$
DECLARE
  col text;
  saved text := current_setting('cdm.key_threshold', true);
  used float8;
BEGIN
  IF source IS NULL OR key_column IS NULL THEN
    RETURN;
  END IF;
  col := cdm._block_key_column(source, key_column);
  IF n IS NULL OR n < 0 THEN
    RAISE EXCEPTION 'n must be 0 or more, not %', coalesce(n::text, 'NULL')
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'n is how many records to list, those with the most candidates first.';
  END IF;
  used := cdm._block_threshold(threshold);
  -- The record is returned as jsonb without its key column: the caller's
  -- own id columns say which record it is.
  RETURN QUERY EXECUTE format($q$
    SELECT s.n, s.r - %3$L
      FROM (SELECT (SELECT count(*) FROM %2$s b WHERE b.%1$s OPERATOR(cdm.%%) a.%1$s)
                   - (a.%1$s OPERATOR(cdm.%%) a.%1$s)::int AS n,
                   to_jsonb(a) AS r
              FROM %2$s a WHERE a.%1$s IS NOT NULL OFFSET 0) s   -- one probe per record
     ORDER BY s.n DESC, (s.r - %3$L)::text   -- ties: by the record without its key
     LIMIT %4$s$q$, col, source, key_column, n);
  IF threshold IS NOT NULL AND saved IS NOT NULL THEN
    PERFORM set_config('cdm.key_threshold', saved, true);
  END IF;
END $f$;
COMMENT ON FUNCTION cdm.block_largest(regclass, text, int, float8) IS
'The n records of source with the most blocking candidates (other records whose cdm.key in key_column is within cdm.key_threshold; threshold overrides the GUC for this call), most first: candidates and the record as jsonb without its key column. Shows what makes blocks large (a common surname, an empty or one-letter name) before a dedup run. Example: SELECT * FROM cdm.block_largest(''customers_k'', ''k'', 5). Records with a NULL key are left out. Errors as cdm.block_stats; n < 0 or NULL: 22023.';
