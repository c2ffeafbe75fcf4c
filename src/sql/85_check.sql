-- ---------------------------------------------------------------------------
-- Store consistency: the invariants every committed state of the entity
-- store keeps, checked in one snapshot.  Run after a crash, a restore, a
-- load test, or anything done to the tables behind cdm's back.
-- ---------------------------------------------------------------------------

CREATE FUNCTION cdm._check_ids(ids bigint[]) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT CASE WHEN cardinality($1) IS NULL OR cardinality($1) = 0 THEN ''
              ELSE array_to_string($1[1:5], ', ') || CASE WHEN cardinality($1) > 5 THEN ', ...' ELSE '' END
         END
$$;
COMMENT ON FUNCTION cdm._check_ids(bigint[]) IS
'Internal to cdm.check_store: the first five ids of a sorted array, comma-separated, with ", ..." when there are more; '''' for none.';

CREATE FUNCTION cdm.check_store(knn_sample integer DEFAULT 200)
RETURNS TABLE (check_name text, ok boolean, bad bigint, detail text)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  ids      bigint[];
  n        bigint;
  q        record;
  idx_ids  bigint[];
  idx_d    float8[];
  seq_ids  bigint[];
  seq_d    float8[];
  sampled  integer := 0;
  scans0   bigint;
  old_seq  text;
  old_idx  text;
  old_bmp  text;
  old_ios  text;
  amcheck  text;
  ix       record;
  msgs     text[] := '{}';
  knn      constant text :=
    'SELECT array_agg(x.id), array_agg(x.d) FROM (
       SELECT r.id, r.k OPERATOR(cdm.<->) $1 AS d FROM cdm.record r
        WHERE r.retired_at IS NULL AND r.k IS NOT NULL
        ORDER BY r.k OPERATOR(cdm.<->) $1 LIMIT 10) x';
BEGIN
  old_seq := current_setting('enable_seqscan');
  old_idx := current_setting('enable_indexscan');
  old_bmp := current_setting('enable_bitmapscan');
  old_ios := current_setting('enable_indexonlyscan');
  -- the invariants are read from the tables themselves: an index that lies
  -- (after a crash, say) must not hide a broken invariant; the indexes are
  -- checked last, on their own
  PERFORM set_config('enable_seqscan', 'on', true);
  PERFORM set_config('enable_indexscan', 'off', true);
  PERFORM set_config('enable_indexonlyscan', 'off', true);
  PERFORM set_config('enable_bitmapscan', 'off', true);

  -- 1. every record sits on a live entity
  check_name := 'record_entity_live';
  ids := ARRAY(SELECT r.id FROM cdm.record r JOIN cdm.entity e ON e.id = r.entity
                WHERE e.merged_into IS NOT NULL ORDER BY r.id);
  bad := cardinality(ids);
  ok := bad = 0;
  detail := CASE WHEN ok THEN 'every record is on a live entity'
                 ELSE 'records on an entity merged away: ' || cdm._check_ids(ids) END;
  RETURN NEXT;

  -- 2. every merged_into chain ends at a live entity, without a cycle
  check_name := 'merge_chain';
  ids := ARRAY(
    WITH RECURSIVE walk(start, cur) AS (
      SELECT e.id, e.merged_into FROM cdm.entity e WHERE e.merged_into IS NOT NULL
      UNION ALL
      SELECT w.start, x.merged_into FROM walk w JOIN cdm.entity x ON x.id = w.cur
       WHERE x.merged_into IS NOT NULL
    ) CYCLE cur SET is_cycle USING path
    SELECT DISTINCT w.start FROM walk w WHERE w.is_cycle ORDER BY w.start);
  bad := cardinality(ids);
  ok := bad = 0;
  detail := CASE WHEN ok THEN 'every merged entity forwards to a live one'
                 ELSE 'entities whose merged_into chain has a cycle: ' || cdm._check_ids(ids) END;
  RETURN NEXT;

  -- 3. every entity merged away has a merge event naming it
  check_name := 'merge_logged';
  ids := ARRAY(SELECT e.id FROM cdm.entity e
                WHERE e.merged_into IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM cdm.event v
                                   WHERE v.event = 'merge' AND v.other_entity = e.id)
                ORDER BY e.id);
  bad := cardinality(ids);
  ok := bad = 0;
  detail := CASE WHEN ok THEN 'every merged entity has its merge event'
                 ELSE 'entities merged away without a merge event: ' || cdm._check_ids(ids) END;
  RETURN NEXT;

  -- 4. every record has its create or link event, and every version its
  --    create, link or version event
  check_name := 'record_logged';
  ids := ARRAY(SELECT r.id FROM cdm.record r
                WHERE NOT EXISTS (SELECT 1 FROM cdm.event v
                                   WHERE v.record = r.id AND v.event IN ('create', 'link'))
                ORDER BY r.id);
  bad := cardinality(ids);
  ok := bad = 0;
  detail := CASE WHEN ok THEN 'every record has its create or link event'
                 ELSE 'records without a create or link event: ' || cdm._check_ids(ids) END;
  RETURN NEXT;

  check_name := 'version_logged';
  ids := ARRAY(SELECT DISTINCT rv.record FROM cdm.record_version rv
                WHERE NOT EXISTS (SELECT 1 FROM cdm.event v
                                   WHERE v.record = rv.record AND v.version = rv.version
                                     AND v.event IN ('create', 'link', 'version'))
                ORDER BY rv.record);
  bad := cardinality(ids);
  ok := bad = 0;
  detail := CASE WHEN ok THEN 'every record version has its create, link or version event'
                 ELSE 'records with a version not in the log: ' || cdm._check_ids(ids) END;
  RETURN NEXT;

  -- 5. record.version is its newest version, and versions 1 .. version exist
  check_name := 'record_versions';
  ids := ARRAY(SELECT r.id FROM cdm.record r
                LEFT JOIN (SELECT rv.record, max(rv.version) AS top, min(rv.version) AS low,
                                  count(*) AS n
                             FROM cdm.record_version rv GROUP BY rv.record) v ON v.record = r.id
                LEFT JOIN cdm.record_version c ON c.record = r.id AND c.version = r.version
                WHERE v.record IS NULL OR v.top <> r.version OR v.low <> 1 OR v.n <> r.version
                   OR r.attrs IS DISTINCT FROM c.attrs
                ORDER BY r.id);
  bad := cardinality(ids);
  ok := bad = 0;
  detail := CASE WHEN ok THEN 'every record''s version is its newest, versions 1 to it exist, attrs equal it'
                 ELSE 'records whose versions disagree with record.version or attrs: ' || cdm._check_ids(ids) END;
  RETURN NEXT;

  -- 6. record_block holds exactly the blocking values of live records
  check_name := 'record_block';
  ids := ARRAY(
    WITH expect AS (
      SELECT DISTINCT r.id AS record, v.bkey
        FROM cdm.record r
       CROSS JOIN LATERAL unnest(cdm.blocking_keys(cdm._store_clean(r.attrs))) v(bkey)
       WHERE r.retired_at IS NULL
    ), diff AS (
      (SELECT e.record, e.bkey FROM expect e
       EXCEPT
       SELECT b.record, b.bkey FROM cdm.record_block b)
      UNION ALL
      (SELECT b.record, b.bkey FROM cdm.record_block b
       EXCEPT
       SELECT e.record, e.bkey FROM expect e)
    )
    SELECT DISTINCT d.record FROM diff d ORDER BY d.record);
  bad := cardinality(ids);
  ok := bad = 0;
  detail := CASE WHEN ok THEN 'record_block equals the blocking values of every live record'
                 ELSE 'records whose blocking values are missing or stale: ' || cdm._check_ids(ids) END;
  RETURN NEXT;

  -- 6b. the phone kept for matching is the current version's
  check_name := 'record_match_phone';
  ids := ARRAY(SELECT r.id FROM cdm.record r
                WHERE r.match_phone IS DISTINCT FROM cdm._store_phone(r.attrs)
                ORDER BY r.id);
  bad := cardinality(ids);
  ok := bad = 0;
  detail := CASE WHEN ok THEN 'every record''s match_phone is cdm._store_phone of its attrs'
                 ELSE 'records whose match_phone is stale: ' || cdm._check_ids(ids) END;
  RETURN NEXT;

  -- 7. entity_timeline equals a rebuild from cdm.milestone (the query of
  --    cdm.rebuild_timelines, computed here and compared, nothing written)
  check_name := 'entity_timeline';
  ids := ARRAY(
    WITH rebuilt AS (
      SELECT m.live AS entity, cdm._timeline_agg(m.at, m.milestone, coalesce(m.scope, 0)) AS events
        FROM cdm._milestone_live m GROUP BY m.live
    )
    SELECT coalesce(t.entity, b.entity)
      FROM cdm.entity_timeline t
      FULL JOIN rebuilt b ON b.entity = t.entity
     WHERE t.events IS DISTINCT FROM b.events
     ORDER BY 1);
  bad := cardinality(ids);
  ok := bad = 0;
  detail := CASE WHEN ok THEN 'cdm.entity_timeline equals a rebuild from cdm.milestone'
                 ELSE 'entities whose timeline differs from a rebuild: ' || cdm._check_ids(ids) END;
  RETURN NEXT;

  -- 8. open review items pair records of two different live entities
  check_name := 'review_open_pairs';
  ids := ARRAY(SELECT ri.id FROM cdm.review_item ri
                JOIN cdm.record ra ON ra.id = ri.record_a
                JOIN cdm.record rb ON rb.id = ri.record_b
                WHERE ri.resolved_at IS NULL AND ra.entity = rb.entity
                ORDER BY ri.id);
  bad := cardinality(ids);
  ok := bad = 0;
  detail := CASE WHEN ok THEN 'every open review item pairs two entities'
                 ELSE 'open review items inside one entity: ' || cdm._check_ids(ids) END;
  RETURN NEXT;

  -- 9. no steward no_match pair of live records inside one entity (a merge
  --    looks only at live records, so a retired one may share the entity)
  check_name := 'no_match_apart';
  ids := ARRAY(SELECT d.record_a FROM cdm.decision d
                JOIN cdm.record ra ON ra.id = d.record_a
                JOIN cdm.record rb ON rb.id = d.record_b
                WHERE d.decision = 'no_match' AND ra.entity = rb.entity
                  AND ra.retired_at IS NULL AND rb.retired_at IS NULL
                ORDER BY d.record_a, d.record_b);
  bad := cardinality(ids);
  ok := bad = 0;
  detail := CASE WHEN ok THEN 'no no_match pair of live records shares an entity'
                 ELSE 'no_match pairs inside one entity (record_a): ' || cdm._check_ids(ids) END;
  RETURN NEXT;

  -- 9b. relationships: both sides are entities and the type is declared
  --     (foreign keys, so only writes with triggers off can break it)
  check_name := 'relationship_entities';
  ids := ARRAY(SELECT x.id FROM cdm.relationship x
                LEFT JOIN cdm.entity a ON a.id = x.from_entity
                LEFT JOIN cdm.entity b ON b.id = x.to_entity
                LEFT JOIN cdm.relationship_type t ON t.name = x.type
                WHERE a.id IS NULL OR b.id IS NULL OR t.name IS NULL
                ORDER BY x.id);
  bad := cardinality(ids);
  ok := bad = 0;
  detail := CASE WHEN ok THEN 'every relationship joins two entities by a declared type'
                 ELSE 'relationships naming an unknown entity or type: ' || cdm._check_ids(ids) END;
  RETURN NEXT;

  -- 9c. no relationship recorded on an erased person's ids before the
  --     erasure holds after it or keeps an end reason (cdm.forget ends
  --     them and removes the reasons)
  check_name := 'relationship_erased';
  ids := ARRAY(
    WITH erased AS (
      SELECT er.erased_at, i.v::bigint AS id
        FROM cdm.erasure er
       CROSS JOIN LATERAL jsonb_array_elements_text(er.receipt -> 'entity_ids') i(v)
    ), hit AS (
      SELECT x.*, e.erased_at FROM cdm.relationship x JOIN erased e ON e.id = x.from_entity
      UNION ALL
      SELECT x.*, e.erased_at FROM cdm.relationship x JOIN erased e ON e.id = x.to_entity
    )
    SELECT DISTINCT h.id FROM hit h
     WHERE h.recorded_at < h.erased_at
       AND (h.valid_to IS NULL OR (h.valid_to > h.erased_at AND h.valid_to > h.valid_from)
            OR h.end_reason <> 'erased')
     ORDER BY h.id);
  bad := cardinality(ids);
  ok := bad = 0;
  detail := CASE WHEN ok THEN 'no relationship of an erased person holds after the erasure or keeps an end reason'
                 ELSE 'relationships of erased people still holding or keeping an end reason: ' || cdm._check_ids(ids) END;
  RETURN NEXT;

  -- 10. the GiST index on record.k answers nearest-neighbour queries like a
  --     sequential scan: for up to knn_sample live records (a fixed sample)
  --     the 10 nearest by k <-> their own key, once through the index, once
  --     without; the distances must be equal and so must the ids nearer
  --     than the 10th (ties at the 10th may come in either order)
  check_name := 'record_k_index';
  ids := '{}';
  scans0 := pg_stat_get_xact_numscans('cdm.record_k_idx'::regclass);
  FOR q IN SELECT r.id, r.k FROM cdm.record r
            WHERE r.retired_at IS NULL AND r.k IS NOT NULL
            ORDER BY md5(r.id::text) LIMIT greatest(coalesce(knn_sample, 200), 0) LOOP
    -- index side: the KNN scan of record_k_idx; sequential side: no index
    PERFORM set_config('enable_seqscan', 'off', true);
    PERFORM set_config('enable_indexscan', 'on', true);
    PERFORM set_config('enable_bitmapscan', 'off', true);
    EXECUTE knn INTO idx_ids, idx_d USING q.k;
    PERFORM set_config('enable_seqscan', 'on', true);
    PERFORM set_config('enable_indexscan', 'off', true);
    EXECUTE knn INTO seq_ids, seq_d USING q.k;
    sampled := sampled + 1;
    IF idx_d IS DISTINCT FROM seq_d
       OR ARRAY(SELECT t.i FROM unnest(idx_ids, idx_d) t(i, d) WHERE t.d < idx_d[cardinality(idx_d)] ORDER BY 1)
          IS DISTINCT FROM
          ARRAY(SELECT t.i FROM unnest(seq_ids, seq_d) t(i, d) WHERE t.d < seq_d[cardinality(seq_d)] ORDER BY 1) THEN
      ids := ids || q.id;
    END IF;
  END LOOP;
  PERFORM set_config('enable_seqscan', old_seq, true);
  PERFORM set_config('enable_indexscan', old_idx, true);
  PERFORM set_config('enable_indexonlyscan', old_ios, true);
  PERFORM set_config('enable_bitmapscan', old_bmp, true);
  ids := ARRAY(SELECT x FROM unnest(ids) x ORDER BY x);
  bad := cardinality(ids);
  n := pg_stat_get_xact_numscans('cdm.record_k_idx'::regclass) - scans0;
  IF sampled = 0 AND knn_sample = 0 THEN
    ok := NULL;
    detail := 'skipped: knn_sample => 0';
  ELSIF sampled > 0 AND n < sampled AND current_setting('track_counts')::boolean THEN
    -- without the index on one side the comparison proves nothing
    ok := false;
    detail := format('the planner did not use cdm.record_k_idx (%s index scans for %s queries)', n, sampled);
  ELSE
    ok := bad = 0;
    detail := CASE WHEN ok THEN format('%s nearest-neighbour queries: the index answers like a sequential scan', sampled)
                   ELSE format('%s of %s queries answered differently through the index; their records: ', bad, sampled)
                        || cdm._check_ids(ids) END;
  END IF;
  RETURN NEXT;

  -- 11. amcheck's bt_index_check (with heapallindexed) on the store's btree
  --     indexes, when the amcheck extension is installed in this database
  check_name := 'btree_indexes';
  SELECT quote_ident(ns.nspname) INTO amcheck
    FROM pg_extension x JOIN pg_namespace ns ON ns.oid = x.extnamespace
   WHERE x.extname = 'amcheck';
  IF amcheck IS NULL THEN
    ok := NULL;
    bad := 0;
    detail := 'skipped: the amcheck extension is not installed in this database';
    RETURN NEXT;
    RETURN;
  END IF;
  n := 0;
  FOR ix IN SELECT i.indexrelid::regclass AS ix
              FROM pg_index i
              JOIN pg_class c ON c.oid = i.indexrelid
              JOIN pg_am am ON am.oid = c.relam
             WHERE am.amname = 'btree'
               AND i.indrelid IN ('cdm.entity'::regclass, 'cdm.record'::regclass,
                                  'cdm.record_version'::regclass, 'cdm.record_block'::regclass,
                                  'cdm.decision'::regclass, 'cdm.review_item'::regclass,
                                  'cdm.event'::regclass, 'cdm.golden_override'::regclass,
                                  'cdm.milestone'::regclass, 'cdm.entity_timeline'::regclass,
                                  'cdm.relationship'::regclass, 'cdm.contact_preference'::regclass)
             ORDER BY c.relname LOOP
    n := n + 1;
    BEGIN
      EXECUTE format('SELECT %s.bt_index_check($1, true)', amcheck) USING ix.ix;
    EXCEPTION
      WHEN insufficient_privilege OR undefined_function THEN
        ok := NULL;
        bad := 0;
        detail := 'skipped: ' || SQLERRM;
        RETURN NEXT;
        RETURN;
      WHEN OTHERS THEN
        msgs := msgs || (ix.ix::text || ': ' || SQLERRM);
    END;
  END LOOP;
  bad := cardinality(msgs);
  ok := bad = 0;
  detail := CASE WHEN ok THEN format('%s btree indexes pass bt_index_check', n)
                 ELSE array_to_string(msgs[1:3], '; ') END;
  RETURN NEXT;
END
$$;
COMMENT ON FUNCTION cdm.check_store(integer) IS
'Check the entity store''s invariants in one snapshot (safe to run while the store is written: every committed state must pass), reading the tables without their indexes (so a damaged index hides nothing), then the indexes; one row per check with ok, the number of offending rows (bad) and a detail naming the first offending ids. record_entity_live: every record is on an entity not merged away. merge_chain: every merged_into chain ends at a live entity, without a cycle. merge_logged: every entity merged away has a merge event naming it. record_logged: every record has its create or link event; version_logged: every record version its create, link or version event. record_versions: record.version is the newest version, versions 1 to it all exist and record.attrs equals it. record_block: cdm.record_block holds exactly cdm.blocking_keys of every live record''s current attributes (none for retired ones). record_match_phone: every record''s match_phone is cdm._store_phone of its attributes (the phone candidates are scored with). entity_timeline: cdm.entity_timeline equals what cdm.rebuild_timelines() would build (computed, not written). review_open_pairs: no open review item pairs two records of one entity. no_match_apart: no steward no_match pair of live records shares an entity. relationship_entities: every relationship''s two sides are entities and its type is declared (foreign keys: only writes with triggers off break it). relationship_erased: no relationship recorded on an erased person''s ids before the erasure still holds after it or keeps an end reason other than erased (what cdm.forget leaves). record_k_index: for up to knn_sample (default 200) live records, the 10 nearest by k <-> key through the GiST index cdm.record_k_idx equal those of a sequential scan (knn_sample => 0 skips it: ok NULL). btree_indexes: amcheck''s bt_index_check(index, heapallindexed => true) on the store''s btree indexes, when the amcheck extension is installed in the database (ok NULL, skipped, otherwise or without the privilege to run it). Example: SELECT * FROM cdm.check_store() WHERE ok IS NOT TRUE; -- no rows but a skipped amcheck. Reads every table of the store, so its cost grows with it: at 20,000 records about 3 s for the table checks and amcheck, plus about 0.05-0.1 s per sampled record for the GiST check (each costs a sequential scan computing every record''s distance): lower knn_sample on a large store.';
