-- ---------------------------------------------------------------------------
-- Entity store: batch load.  cdm.load_records fills the store from a
-- customer table in a few set-based statements instead of one cdm.ingest
-- per row: cdm.dedupe clusters the table once, each cluster becomes an
-- entity (or joins the entity already in the store that it matches), and
-- the records, versions, blocking values, review items and log events are
-- written as cdm.ingest would have written them, so later ingests find
-- these records as candidates and cdm.entity_history explains every link.
--
-- Three steps, as cdm.load_milestones does it: the table is read with the
-- caller's rights (privileges and row-level security apply; cdm.dedupe and
-- cdm.match_pairs run as the caller too), staged in temporary tables, and
-- written by cdm._load_records_staged, which runs as cdm's owner.
--
-- Concurrency: the writing step locks cdm.entity, then cdm.record, in
-- EXCLUSIVE mode (entities before records, as every writer of the store
-- takes them), so it waits for the writers already at work and every other
-- writer waits for it; readers go on.  cdm.dedupe runs before the locks.
-- ---------------------------------------------------------------------------

CREATE FUNCTION cdm._load_records_check(source text) RETURNS bigint
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  bad  text;
  n    bigint;
  tb   text;
BEGIN
  IF EXISTS (SELECT 1 FROM pg_temp.cdm_load_feed f WHERE f.key IS NULL) THEN
    RAISE EXCEPTION 'cdm.load_records: a row of the relation has a NULL id'
      USING ERRCODE = '22004', HINT = 'Every record needs its key in the source: give it one, or leave the row out through a view.';
  END IF;
  IF EXISTS (SELECT 1 FROM pg_temp.cdm_load_feed f WHERE f.key = '') THEN
    RAISE EXCEPTION 'cdm.load_records: a row of the relation has an empty id'
      USING ERRCODE = '22023', HINT = 'An empty string is no source key (cdm.ingest refuses it too).';
  END IF;
  SELECT f.key INTO bad FROM pg_temp.cdm_load_feed f GROUP BY f.key HAVING count(*) > 1
   ORDER BY f.key COLLATE "C" LIMIT 1;
  IF bad IS NOT NULL THEN
    RAISE EXCEPTION 'cdm.load_records: id % appears more than once in the relation', quote_literal(bad)
      USING ERRCODE = '23505', HINT = 'A source key names one record: keep one row per id.';
  END IF;
  PERFORM cdm._load_records_known(source);
  -- a bad date fails the load as it fails cdm.ingest (22007/22008)
  PERFORM (f.attrs ->> 'dob')::date FROM pg_temp.cdm_load_feed f WHERE f.attrs ? 'dob';
  -- the tables of an earlier load in this transaction (quietly: no NOTICE)
  FOR tb IN SELECT unnest(ARRAY['cdm_load_erased']) LOOP
    IF to_regclass('pg_temp.' || tb) IS NOT NULL THEN
      EXECUTE format('DROP TABLE pg_temp.%I', tb);
    END IF;
  END LOOP;
  -- people erased with cdm.forget are not brought back: the rows are left
  -- out (logged and warned about, one by one, as cdm.ingest does)
  CREATE TEMP TABLE cdm_load_erased (key text) ON COMMIT DROP;
  IF EXISTS (SELECT 1 FROM cdm.erasure_key) THEN
    WITH gone AS (
      DELETE FROM pg_temp.cdm_load_feed f
       WHERE cdm._erasure_blocks(source, f.key, cdm._store_clean(f.attrs))
      RETURNING f.key)
    INSERT INTO pg_temp.cdm_load_erased SELECT g.key FROM gone g;
  END IF;
  SELECT count(*) INTO n FROM pg_temp.cdm_load_feed;
  RETURN n;
END
$$;
COMMENT ON FUNCTION cdm._load_records_check(text) IS
'Internal to cdm.load_records, before cdm.dedupe runs: checks the staged rows of pg_temp.cdm_load_feed (a NULL id 22004, an empty one 22023, an id twice 23505, a key the store already holds for source 23505, a dob that is not a date 22007/22008) and takes out the rows of people erased with cdm.forget (into pg_temp.cdm_load_erased; an erasure_block event and a WARNING each, as cdm.ingest). Returns the rows left.';

CREATE FUNCTION cdm._load_records_known(source text) RETURNS void
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  bad  text;
  n    bigint;
BEGIN
  SELECT min(f.key COLLATE "C"), count(*) INTO bad, n
    FROM pg_temp.cdm_load_feed f
   WHERE EXISTS (SELECT 1 FROM cdm.record r WHERE r.source = _load_records_known.source AND r.source_key = f.key);
  IF n > 0 THEN
    RAISE EXCEPTION 'cdm.load_records: the store already holds % record(s) of source % with these ids, e.g. %',
      n, quote_literal(source), quote_literal(bad)
      USING ERRCODE = '23505',
            HINT = 'A batch load only adds new records: send changed records through cdm.ingest (a new version), or leave the known ids out through a view.';
  END IF;
END
$$;
COMMENT ON FUNCTION cdm._load_records_known(text) IS
'Internal to cdm.load_records: ERROR 23505 (naming how many and the first, C order) when the store already holds a record (source, id) for an id of pg_temp.cdm_load_feed.';

CREATE FUNCTION cdm._load_records_staged(source text, relation regclass, threshold float8, model text)
RETURNS TABLE (source_key text, record bigint, entity bigint, link_rule text, link_probability float8)
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  link_t   float8 := cdm.store_setting_value('link_threshold')::float8;
  review_t float8 := cdm.store_setting_value('review_threshold')::float8;
  smodel   text := cdm.store_setting_value('model');
  ncand    integer := cdm.store_setting_value('candidates')::integer;
  region   text := cdm.store_setting_value('phone_region');
  who      text := cdm._actor();
  rel      text := relation::text;
  t0       timestamptz := clock_timestamp();
  t1       timestamptz;
  n_rec    bigint;
  n_ent    bigint;
  n_join   bigint;
  n_blk    bigint;
  n_rev    bigint;
  tb       text;
BEGIN
  -- the tables of an earlier load in this transaction (quietly: no NOTICE)
  FOR tb IN SELECT unnest(ARRAY['cdm_load_rec', 'cdm_load_cand', 'cdm_load_ent', 'cdm_load_out', 'cdm_load_review']) LOOP
    IF to_regclass('pg_temp.' || tb) IS NOT NULL THEN
      EXECUTE format('DROP TABLE pg_temp.%I', tb);
    END IF;
  END LOOP;
  -- entities before records, as every writer of the store locks them:
  -- writers already at work finish first, the others wait for this load
  LOCK TABLE cdm.entity IN EXCLUSIVE MODE;
  LOCK TABLE cdm.record IN EXCLUSIVE MODE;
  t1 := clock_timestamp();
  PERFORM cdm._load_records_known(source);
  -- the relation read twice (staged, then by cdm.dedupe): under READ
  -- COMMITTED a write in between could make them differ
  IF EXISTS (SELECT 1 FROM pg_temp.cdm_load_feed f
              WHERE NOT EXISTS (SELECT 1 FROM pg_temp.cdm_load_cluster c WHERE c.key = f.key))
     OR (SELECT count(*) FROM pg_temp.cdm_load_cluster)
        <> (SELECT count(*) FROM pg_temp.cdm_load_feed) + (SELECT count(*) FROM pg_temp.cdm_load_erased) THEN
    RAISE EXCEPTION 'cdm.load_records: % changed while it was being loaded', rel
      USING ERRCODE = '40001',
            HINT = 'Load a table nobody writes meanwhile, or run the load in a REPEATABLE READ transaction.';
  END IF;

  -- every record with what the store keeps of it, in cluster order (the
  -- record a cluster is named after first): record ids follow that order
  CREATE TEMP TABLE cdm_load_rec ON COMMIT DROP AS
  SELECT nextval('cdm.record_id_seq') AS id, s.*
    FROM (SELECT y.* FROM (
            SELECT f.key, f.attrs, x.clean, c.p,
                   first_value(f.key) OVER (PARTITION BY c.cluster ORDER BY f.key COLLATE "C") AS root,
                   -- the record key as cdm.ingest computes it, the phone region read once
                   cdm._store_key(x.clean, region) AS q, cdm._store_phone(x.clean) AS ph,
                   cdm.blocking_keys(x.clean) AS bk
              FROM pg_temp.cdm_load_feed f
              JOIN pg_temp.cdm_load_cluster c ON c.key = f.key
             -- OFFSET 0: computed once, not at each of its uses
             CROSS JOIN LATERAL (SELECT cdm._store_clean(f.attrs) AS clean OFFSET 0) x) y
           ORDER BY y.root COLLATE "C", y.key = y.root DESC, y.key COLLATE "C") s;
  ANALYZE pg_temp.cdm_load_rec;
  SELECT count(*) INTO n_rec FROM pg_temp.cdm_load_rec;
  RAISE NOTICE 'cdm.load_records: % records prepared (attributes, keys, blocking values) in % s',
    n_rec, round(extract(epoch FROM clock_timestamp() - t1)::numeric, 2);
  t1 := clock_timestamp();

  -- the store's own records: each new record's candidates as cdm.ingest
  -- finds and scores them (cdm._store_candidates; cdm._store_score with the
  -- store's model and the candidates' kept phones)
  CREATE TEMP TABLE cdm_load_cand (id bigint, record bigint, entity bigint, p float8) ON COMMIT DROP;
  IF EXISTS (SELECT 1 FROM cdm.record_block) THEN
    INSERT INTO pg_temp.cdm_load_cand
    WITH kept AS (
      SELECT l.id, r.id AS record, r.entity, r.attrs, r.match_phone
        FROM pg_temp.cdm_load_rec l
       CROSS JOIN LATERAL cdm._store_candidates(l.bk, ncand, NULL) c
       CROSS JOIN LATERAL (SELECT x.id, x.entity, x.attrs, x.match_phone, x.retired_at FROM cdm.record x
                            WHERE x.id = c.record OFFSET 0) r
       WHERE r.retired_at IS NULL
    )
    -- each new record against its candidates in one call, with their kept
    -- phones (not parsed again), as cdm.ingest scores them
    SELECT k.id, s.record, cdm.entity_live(s.entity), s.p
      FROM (SELECT k.id, array_agg(k.record ORDER BY k.record) AS recs, array_agg(k.entity ORDER BY k.record) AS ents,
                   array_agg(k.attrs ORDER BY k.record) AS attrs, array_agg(k.match_phone ORDER BY k.record) AS phones
              FROM kept k GROUP BY k.id) k
      JOIN pg_temp.cdm_load_rec l ON l.id = k.id
     CROSS JOIN LATERAL unnest(k.recs, k.ents, cdm._store_score(l.clean, k.attrs, NULL, smodel, k.phones)) s(record, entity, p);
  END IF;

  IF EXISTS (SELECT 1 FROM pg_temp.cdm_load_cand) THEN
    RAISE NOTICE 'cdm.load_records: % candidates in the store scored in % s',
      (SELECT count(*) FROM pg_temp.cdm_load_cand), round(extract(epoch FROM clock_timestamp() - t1)::numeric, 2);
  END IF;
  t1 := clock_timestamp();

  -- one entity per cluster: the store's entity its records score highest
  -- with at >= link_threshold (ties: the smaller entity id), else a new one
  CREATE TEMP TABLE cdm_load_ent ON COMMIT DROP AS
  SELECT s.root, coalesce(s.home, nextval('cdm.entity_id_seq')) AS entity, s.home IS NOT NULL AS joined,
         s.p, s.via, s.via_record
    FROM (SELECT c.root, c.first, h.entity AS home, h.p, h.via, h.via_record
            FROM (SELECT l.root, min(l.id) AS first FROM pg_temp.cdm_load_rec l GROUP BY l.root) c
            LEFT JOIN (SELECT DISTINCT ON (l.root) l.root, x.entity, x.p, l.id AS via, x.record AS via_record
                         FROM pg_temp.cdm_load_cand x JOIN pg_temp.cdm_load_rec l ON l.id = x.id
                        WHERE x.p >= link_t
                        ORDER BY l.root, x.p DESC, x.entity, l.id, x.record) h ON h.root = c.root
           ORDER BY c.first) s;
  SELECT count(*) FILTER (WHERE NOT e.joined), count(*) FILTER (WHERE e.joined) INTO n_ent, n_join
    FROM pg_temp.cdm_load_ent e;

  -- what each record becomes: the record a new cluster is named after
  -- created its entity (new); the one that scored against the store's
  -- entity joined it (score); the others joined through cdm.dedupe (batch)
  CREATE TEMP TABLE cdm_load_out ON COMMIT DROP AS
  SELECT l.id, l.key, l.attrs, l.q, l.ph, l.bk, l.root, e.entity, e.via_record, r.rule,
         CASE r.rule WHEN 'new' THEN NULL WHEN 'score' THEN e.p ELSE l.p END AS p
    FROM pg_temp.cdm_load_rec l
    JOIN pg_temp.cdm_load_ent e ON e.root = l.root
   CROSS JOIN LATERAL (SELECT CASE WHEN e.joined AND l.id = e.via THEN 'score'
                                   WHEN NOT e.joined AND l.key = l.root THEN 'new'
                                   ELSE 'batch' END AS rule) r
   ORDER BY l.id;

  INSERT INTO cdm.entity (id)
  SELECT e.entity FROM pg_temp.cdm_load_ent e WHERE NOT e.joined ORDER BY e.entity;
  INSERT INTO cdm.record (id, source, source_key, version, attrs, k, match_phone, entity, first_entity, link_rule, link_probability)
  SELECT o.id, _load_records_staged.source, o.key, 1, o.attrs, o.q, o.ph, o.entity, o.entity, o.rule, o.p
    FROM pg_temp.cdm_load_out o ORDER BY o.id;
  INSERT INTO cdm.record_version (record, version, attrs, ingested_by)
  SELECT o.id, 1, o.attrs, who FROM pg_temp.cdm_load_out o ORDER BY o.id;
  INSERT INTO cdm.record_block (bkey, record)
  SELECT DISTINCT v.bkey, o.id FROM pg_temp.cdm_load_out o CROSS JOIN LATERAL unnest(o.bk) v(bkey)
   ORDER BY 1, 2;
  GET DIAGNOSTICS n_blk = ROW_COUNT;
  INSERT INTO cdm.event (who, event, entity, record, version, probability, reason, detail)
  SELECT who, CASE o.rule WHEN 'new' THEN 'create' ELSE 'link' END, o.entity, o.id, 1, o.p,
         CASE o.rule WHEN 'new' THEN 'new record'
                     WHEN 'score' THEN 'scored >= ' || link_t
                     ELSE 'cdm.dedupe cluster at >= ' || threshold END,
         jsonb_build_object('load', rel, 'cluster', o.root, 'model', model)
         || CASE WHEN o.rule = 'score' THEN jsonb_build_object('record_b', o.via_record) ELSE '{}' END
    FROM pg_temp.cdm_load_out o ORDER BY o.id;

  -- grey zone, as cdm.ingest queues it: pairs scoring >= review_threshold
  -- whose records ended in different entities, against the store's records
  -- (the candidates above) and inside the batch (cdm.match_pairs with the
  -- model of cdm.dedupe, staged by cdm.load_records); the later record of
  -- a pair is the one whose review event it is
  CREATE TEMP TABLE cdm_load_review ON COMMIT DROP AS
  SELECT o.id AS rid, o.entity AS home, x.record AS other, x.entity AS other_entity, x.p
    FROM pg_temp.cdm_load_cand x JOIN pg_temp.cdm_load_out o ON o.id = x.id
   WHERE x.p >= review_t AND x.entity <> o.entity
  UNION ALL
  SELECT greatest(a.id, b.id), CASE WHEN a.id > b.id THEN a.entity ELSE b.entity END,
         least(a.id, b.id), CASE WHEN a.id > b.id THEN b.entity ELSE a.entity END, m.p
    FROM pg_temp.cdm_load_pair m
    JOIN pg_temp.cdm_load_out a ON a.key = m.a
    JOIN pg_temp.cdm_load_out b ON b.key = m.b
   WHERE m.p >= review_t AND a.entity <> b.entity;
  INSERT INTO cdm.review_item AS ri (record_a, record_b, probability)
  SELECT least(v.rid, v.other), greatest(v.rid, v.other), v.p
    FROM pg_temp.cdm_load_review v ORDER BY v.rid, v.other
  ON CONFLICT (record_a, record_b) WHERE resolved_at IS NULL
  DO UPDATE SET probability = excluded.probability;
  GET DIAGNOSTICS n_rev = ROW_COUNT;
  INSERT INTO cdm.event (who, event, entity, other_entity, record, probability, reason, detail)
  SELECT who, 'review', v.home, v.other_entity, v.rid, v.p, 'grey zone', jsonb_build_object('record_b', v.other)
    FROM pg_temp.cdm_load_review v ORDER BY v.rid, v.other;

  RAISE NOTICE 'cdm.load_records: % records of % written in % entities (% new, % clusters joined entities of the store), % blocking values, % review items, in % s (% s with the locks waited for)',
    n_rec, rel, n_ent + n_join, n_ent, n_join, n_blk, n_rev,
    round(extract(epoch FROM clock_timestamp() - t1)::numeric, 2), round(extract(epoch FROM clock_timestamp() - t0)::numeric, 2);

  RETURN QUERY
  SELECT u.key, u.id, u.entity, u.rule, u.p
    FROM (SELECT o.key, o.id, o.entity, o.rule, o.p FROM pg_temp.cdm_load_out o
          UNION ALL
          SELECT g.key, NULL::bigint, NULL::bigint, NULL::text, NULL::float8 FROM pg_temp.cdm_load_erased g) u
   ORDER BY u.id NULLS LAST, u.key COLLATE "C";
END
$$;
COMMENT ON FUNCTION cdm._load_records_staged(text, regclass, float8, text) IS
'Internal: the writing half of cdm.load_records, over what it staged (pg_temp.cdm_load_feed: key, attrs; cdm_load_cluster: cdm.dedupe''s rows; cdm_load_pair: cdm.match_pairs'' grey zone; cdm_load_erased). Locks cdm.entity and cdm.record in EXCLUSIVE mode, then writes the entities, records, versions, blocking values, events and review items in one statement each. threshold and model are those cdm.dedupe used, for the log.';

CREATE FUNCTION cdm._dedupe_load(source regclass, threshold float8, model text, min_probability float8)
RETURNS TABLE (id1 text, id2 text, match_probability float8, pair boolean)
AS 'MODULE_PATHNAME', 'cdm_dedupe_load'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION cdm._dedupe_load(regclass, float8, text, float8) IS
'Internal to cdm.load_records: from one read of source, the rows cdm.dedupe(source, threshold[, model]) returns (pair false: id1 the id, id2 its cluster_id, match_probability) and the pairs cdm.match_pairs(source, min_probability, the model) returns (pair true: id1 < id2). model NULL trains one and stores it under the source''s name, as cdm.dedupe does; the pairs are scored with the model as stored. Runs as its caller. NULL source, threshold or min_probability: no rows.';

CREATE FUNCTION cdm.load_records(source text, relation regclass, threshold float8 DEFAULT NULL, model text DEFAULT NULL)
RETURNS TABLE (source_key text, record bigint, entity bigint, link_rule text, link_probability float8)
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  roles text[] := ARRAY['given_name', 'family_name', 'full_name', 'dob', 'email', 'phone', 'address', 'city',
                        'postcode', 'country', 'organisation_name', 'domain', 'national_id'];
  cols  text[];
  sel   text;
  t     float8;
  rt    float8 := cdm.store_setting_value('review_threshold')::float8;
  mname text;
  n     bigint;
  t0    timestamptz := clock_timestamp();
  tb    text;
BEGIN
  IF load_records.source IS NULL OR load_records.relation IS NULL THEN
    RAISE EXCEPTION 'cdm.load_records: source and relation must not be NULL' USING ERRCODE = '22004';
  END IF;
  IF load_records.source = '' THEN
    RAISE EXCEPTION 'cdm.load_records: source must not be empty'
      USING ERRCODE = '22023', HINT = 'Name the system the records come from, e.g. ''crm''.';
  END IF;
  t := coalesce(load_records.threshold, cdm.store_setting_value('link_threshold')::float8);
  IF t = 'NaN'::float8 OR t < 0 OR t > 1 THEN
    RAISE EXCEPTION 'cdm.load_records: threshold must be a probability between 0 and 1, got %', t
      USING ERRCODE = '22023',
            HINT = 'NULL (the default) takes the store''s link_threshold, 0.9 unless set in cdm.store_setting.';
  END IF;
  cols := ARRAY(SELECT a.attname::text FROM pg_attribute a
                 WHERE a.attrelid = load_records.relation AND a.attnum > 0 AND NOT a.attisdropped);
  IF NOT 'id' = ANY (cols) THEN
    RAISE EXCEPTION 'cdm.load_records: relation % has no column "id"', load_records.relation
      USING ERRCODE = '42703',
            HINT = 'The relation is read as cdm.dedupe reads it: id (the source key, required), given_name, family_name, full_name, dob, email, phone, address, city, postcode, country, organisation_name, domain, national_id. A view can rename columns.';
  END IF;
  sel := (SELECT string_agg(format('%L, s.%I', r, r), ', ' ORDER BY o)
            FROM unnest(roles) WITH ORDINALITY x(r, o) WHERE r = ANY (cols));

  -- the tables of an earlier load in this transaction (quietly: no NOTICE)
  FOR tb IN SELECT unnest(ARRAY['cdm_load_feed', 'cdm_load_dd', 'cdm_load_cluster', 'cdm_load_pair']) LOOP
    IF to_regclass('pg_temp.' || tb) IS NOT NULL THEN
      EXECUTE format('DROP TABLE pg_temp.%I', tb);
    END IF;
  END LOOP;
  -- read with the caller's rights: privileges and row-level security apply
  CREATE TEMP TABLE cdm_load_feed (key text, attrs jsonb) ON COMMIT DROP;
  EXECUTE format('INSERT INTO pg_temp.cdm_load_feed SELECT s.id::text, jsonb_strip_nulls(jsonb_build_object(%s)) FROM %s s',
                 coalesce(sel, ''), load_records.relation);
  n := cdm._load_records_check(load_records.source);
  RAISE NOTICE 'cdm.load_records: % rows of % staged in % s', n, load_records.relation,
    round(extract(epoch FROM clock_timestamp() - t0)::numeric, 2);

  -- the clusters, and the grey zone for the review queue, with one model,
  -- from one read of the relation (cdm.dedupe's rows and cdm.match_pairs')
  CREATE TEMP TABLE cdm_load_dd ON COMMIT DROP AS
  SELECT * FROM cdm._dedupe_load(load_records.relation, t, load_records.model, rt);
  mname := coalesce(load_records.model,
                    (SELECT format('%I.%I', ns.nspname, c.relname)
                       FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace
                      WHERE c.oid = load_records.relation));
  CREATE TEMP TABLE cdm_load_cluster ON COMMIT DROP AS
  SELECT d.id1 AS key, d.id2 AS cluster, d.match_probability AS p
    FROM pg_temp.cdm_load_dd d WHERE NOT d.pair;
  CREATE INDEX ON pg_temp.cdm_load_cluster (key);
  ANALYZE pg_temp.cdm_load_cluster;
  CREATE TEMP TABLE cdm_load_pair ON COMMIT DROP AS
  SELECT d.id1 AS a, d.id2 AS b, d.match_probability AS p
    FROM pg_temp.cdm_load_dd d
    JOIN pg_temp.cdm_load_cluster c1 ON c1.key = d.id1
    JOIN pg_temp.cdm_load_cluster c2 ON c2.key = d.id2
   WHERE d.pair AND c1.cluster <> c2.cluster;
  DROP TABLE pg_temp.cdm_load_dd;

  RETURN QUERY SELECT * FROM cdm._load_records_staged(load_records.source, load_records.relation, t, mname);
END
$$;
COMMENT ON FUNCTION cdm.load_records(text, regclass, float8, text) IS
'Load a customer table into the entity store in one go, as records of source: the set-based counterpart of calling cdm.ingest once per row. relation is read as cdm.dedupe reads it: id becomes the source key (as text), the role columns given_name, family_name, full_name, dob, email, phone, address, city, postcode, country, organisation_name, domain, national_id become the attributes (NULL columns left out; other columns ignored). cdm.dedupe(relation, threshold) clusters the rows (it trains a model and stores it under the relation''s name, or uses the stored model named model); threshold NULL means the store''s link_threshold. Each cluster becomes one entity: a new one (its record of smallest id, C order, creates it: link_rule new; the others link_rule batch, link_probability their strongest link in the cluster), or, when the store already holds records, the existing entity a record of the cluster scores highest with at >= link_threshold, found and scored as cdm.ingest does (candidates through cdm.record_block, cdm.match_probability with the store''s model; that record link_rule score, the others batch). Writes what cdm.ingest writes: record version 1, its key k, its blocking values in cdm.record_block, a create or link event per record (detail: load, cluster, model), and the grey zone in cdm.review (pairs at >= review_threshold ending in different entities: against the store''s records, and inside the table by cdm.match_pairs with the same model), each with its review event. Batch links are re-evaluated by a later cdm.ingest of the record, like score links. Returns one row per row of relation: source key, record id, entity, link rule and probability; NULLs for a row left out because it matches a person erased with cdm.forget (erasure_block event and WARNING, as cdm.ingest). Progress is reported as NOTICEs. Errors: NULL source or relation 22004; empty source, threshold outside [0, 1] 22023; no id column 42703; a NULL id 22004, an empty one 22023, an id twice 23505; an id the store already holds for source 23505 (nothing is written: a batch load only adds records; changes go through cdm.ingest); a dob that is not a date 22007/22008; the relation changed between its two reads 40001; what cdm.dedupe raises (a role column of the wrong type 42804, unknown model 42704). Locks cdm.entity and cdm.record in EXCLUSIVE mode while it writes (after cdm.dedupe): concurrent writers wait, readers do not.';
