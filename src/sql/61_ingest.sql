-- ---------------------------------------------------------------------------
-- Entity store: ingest, entity_of, merge, unmerge, decide, retire.
--
-- Concurrency (READ COMMITTED, the default): cdm.ingest takes a transaction
-- advisory lock on (source, source_key), so two sessions ingesting one key
-- run one after the other and the second sees the first's record; then locks
-- on the person's blocking values (folded family name, normalised e-mail,
-- last 7 phone digits; sorted, so no two ingests wait on each other in
-- opposite orders), so the same new person arriving from two sources at
-- once is searched for only after the other session committed, and links.
-- Each statement of these functions takes a fresh snapshot, which is what
-- makes the second session see the first.
--
-- Entities are locked before records, and several entities in id order, by
-- every writer: a record is pinned to its entity by a lock on that entity
-- (FOR SHARE to add to it: link a record, record a milestone; FOR UPDATE to
-- take from it or rewrite it: merge, unmerge, a steward decision, a record
-- moving away), and whoever moves a record holds FOR UPDATE on the entity it
-- leaves.  So a record is never linked to an entity that is being merged
-- away, and two writers never wait on each other crosswise (merge locks
-- entities, then updates their records; an unmerge no longer holds its
-- record while waiting for the entity).  Record rows are not locked ahead:
-- the key's advisory lock keeps the key's other writers out.  What can still
-- deadlock (an entity whose merge chain changes while a writer waits, a lock
-- upgraded from share to update) is retried: the public writers run their
-- work in a subtransaction and retry it up to 5 times on a deadlock (40P01)
-- or, under READ COMMITTED, a serialization failure (40001), so neither
-- reaches a caller who ingests, merges, unmerges or decides once per
-- transaction.  A transaction that ingests many records (or one multi-row
-- write to a registered source) holds every record's person locks to its
-- end and can still deadlock with another such transaction: retry it.
-- ---------------------------------------------------------------------------

CREATE FUNCTION cdm._store_clean(attrs jsonb) RETURNS jsonb
AS 'MODULE_PATHNAME', 'cdm_store_clean'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm._store_clean(jsonb) IS
'Internal: the attributes the store matches on and builds golden records from: the object without JSON nulls and blank strings (a source writing "" means it does not know). The stored versions keep what came.';

-- The advisory lock key of one source record: one definition for
-- cdm._store_lock and the lock statement of cdm._store_ingest (an inlined
-- SQL-standard body: no call of its own).
CREATE FUNCTION cdm._store_lock_key(source text, source_key text) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN hashtextextended('cdm.record ' || source || chr(31) || source_key, 0);
COMMENT ON FUNCTION cdm._store_lock_key(text, text) IS
'Internal: the transaction advisory lock key of the source record (source, source_key), as cdm._store_lock and cdm.ingest take it.';

CREATE FUNCTION cdm._store_lock(source text, source_key text) RETURNS void
LANGUAGE sql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT pg_advisory_xact_lock(cdm._store_lock_key($1, $2))
$$;
COMMENT ON FUNCTION cdm._store_lock(text, text) IS
'Internal: the transaction advisory lock on one source record that cdm.ingest, cdm.unmerge and cdm.retire take first.';

CREATE FUNCTION cdm._store_record_locked(caller text, source text, source_key text)
RETURNS cdm.record
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  r cdm.record;
BEGIN
  IF source IS NULL OR source_key IS NULL THEN
    RAISE EXCEPTION 'cdm.%: source and source_key must not be NULL', caller USING ERRCODE = '22004';
  END IF;
  PERFORM cdm._store_lock(source, source_key);
  -- no row lock: the key lock keeps the key's writers out, and the caller
  -- pins the record's entity with cdm._store_lock_record_entity
  SELECT * INTO r FROM cdm.record x
   WHERE x.source = _store_record_locked.source AND x.source_key = _store_record_locked.source_key;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'cdm.%: no record % / %', caller, quote_literal(source), quote_literal(source_key)
      USING ERRCODE = '42704';
  END IF;
  RETURN r;
END $$;
COMMENT ON FUNCTION cdm._store_record_locked(text, text, text) IS
'Internal to cdm.unmerge and cdm.retire: checks the arguments (22004), takes the record''s advisory lock (which keeps the key''s other writers out) and returns the record (42704 when there is none); caller names the function in messages. The record row itself is not locked: entities are locked before records (cdm._store_lock_record_entity).';

CREATE FUNCTION cdm._store_no_match_on(rid bigint, entity bigint) RETURNS TABLE (other bigint)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT x.id
    FROM cdm.decision d
    JOIN cdm.record x ON x.id = CASE WHEN d.record_a = $1 THEN d.record_b ELSE d.record_a END
   WHERE (d.record_a = $1 OR d.record_b = $1) AND d.decision = 'no_match'
     AND x.entity = $2 AND x.retired_at IS NULL
$$;
COMMENT ON FUNCTION cdm._store_no_match_on(bigint, bigint) IS
'Internal: the live records on entity that a steward no_match decision pairs with record rid.';

CREATE FUNCTION cdm._store_score(attrs jsonb, cands jsonb[], decisions text[], model text,
                                 phones text[] DEFAULT NULL)
RETURNS float8[]
AS 'MODULE_PATHNAME', 'cdm_store_score'
LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION cdm._store_score(jsonb, jsonb[], text[], text, text[]) IS
'Internal to cdm.ingest: the scores of a record (attrs) against its candidates (cands), one per candidate: 1 where decisions says match, 0 where no_match, else cdm.match_probability(attrs, cand, model) with blank strings counted as missing in both (as cdm._store_clean leaves them); the record is prepared once. decisions NULL: none; else one (or NULL) per candidate (22023 for another word, 2202E for another length). phones: each candidate''s cdm._store_phone (NULL: none), used instead of reading its phone again (the store keeps it as record.match_phone); NULL reads them from cands; another length 2202E. NULL attrs or cands: NULL; a NULL candidate: NULL.';

CREATE FUNCTION cdm._store_phone(attrs jsonb) RETURNS text
AS 'MODULE_PATHNAME', 'cdm_store_phone'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm._store_phone(jsonb) IS
'Internal: the phone of a store record as cdm.match_probability reads it: the E.164 number''s digits without +, read in the region of the record''s country (else US), or the digits as written when libphonenumber cannot read it; NULL without a phone (blank strings count as missing). cdm.ingest and cdm.load_records keep it in record.match_phone so that a candidate''s phone is not parsed again at every ingest. IMMUTABLE like cdm.phone_e164 (changes with a libphonenumber upgrade). Not a JSON object: 22023.';

CREATE FUNCTION cdm._store_lock_entity(entity bigint, strength text) RETURNS bigint
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  e     bigint;
  fwd   bigint;
  tries integer := 0;
BEGIN
  LOOP
    e := cdm._live_entity('cdm', entity);
    IF strength = 'update' THEN
      SELECT x.merged_into INTO fwd FROM cdm.entity x WHERE x.id = e FOR UPDATE;
    ELSE
      SELECT x.merged_into INTO fwd FROM cdm.entity x WHERE x.id = e FOR SHARE;
    END IF;
    -- done unless it was merged away while we waited for the lock, or an
    -- unmerge revived an id on the way (the id now leads elsewhere): then
    -- lock where it leads now
    EXIT WHEN fwd IS NULL AND cdm.entity_live(entity) = e;
    tries := tries + 1;
    IF tries > 100 THEN
      RAISE EXCEPTION 'cdm: entity % keeps being merged away', entity USING ERRCODE = '40001';
    END IF;
  END LOOP;
  RETURN e;
END
$$;
COMMENT ON FUNCTION cdm._store_lock_entity(bigint, text) IS
'Internal: lock the live entity an id stands for (strength share: adding to it, a record link or a milestone; update: merging, unmerging, moving a record away), following merges (and unmerges that revive an id on the way) that happen while waiting. Returns the live id; 42704 for an id never given.';

CREATE FUNCTION cdm._store_lock_entities(ids bigint[], strength text) RETURNS void
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  e bigint;
BEGIN
  -- in id order, as every writer takes them, so two writers never wait on
  -- each other crosswise
  FOR e IN SELECT DISTINCT cdm.entity_live(x) AS l FROM unnest(ids) x WHERE x IS NOT NULL ORDER BY l LOOP
    IF e IS NOT NULL THEN
      PERFORM cdm._store_lock_entity(e, strength);
    END IF;
  END LOOP;
END
$$;
COMMENT ON FUNCTION cdm._store_lock_entities(bigint[], text) IS
'Internal: lock the live entities these ids stand for (share or update), in id order; NULLs and unknown ids are skipped.';

CREATE FUNCTION cdm._store_lock_record_entity(rid bigint, strength text) RETURNS bigint
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  e     bigint;
  got   bigint;
  tries integer := 0;
BEGIN
  LOOP
    SELECT x.entity INTO e FROM cdm.record x WHERE x.id = rid;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'cdm: no record %', rid USING ERRCODE = '42704';
    END IF;
    got := cdm._store_lock_entity(e, strength);
    -- whoever moves a record locks the entity it leaves FOR UPDATE, so once
    -- we hold a lock on the record's entity the record stays there
    SELECT x.entity INTO e FROM cdm.record x WHERE x.id = rid;
    EXIT WHEN e = got;
    tries := tries + 1;
    IF tries > 100 THEN
      RAISE EXCEPTION 'cdm: record % keeps moving between entities', rid USING ERRCODE = '40001';
    END IF;
  END LOOP;
  RETURN got;
END
$$;
COMMENT ON FUNCTION cdm._store_lock_record_entity(bigint, text) IS
'Internal: lock the entity record rid is on (share or update) and return it; when the record moved while we waited, lock its new entity. While the lock is held the record cannot leave the entity: every writer that moves a record holds FOR UPDATE on the entity it leaves.';

CREATE FUNCTION cdm._store_detach_entities(rid bigint) RETURNS bigint[]
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT ARRAY[cdm.entity_live(r.entity),
               CASE WHEN e.merged_into IS NOT NULL THEN cdm.entity_live(e.id) END]
    FROM cdm.record r JOIN cdm.entity e ON e.id = r.first_entity
   WHERE r.id = rid
$$;
COMMENT ON FUNCTION cdm._store_detach_entities(bigint) IS
'Internal: the live entities cdm._store_detach(rid) locks FOR UPDATE: the record''s entity and, when its first id was merged away (and may be revived), the entity that id leads to now. Callers lock them first, in id order.';

CREATE FUNCTION cdm._store_retry(caller text, attempt integer, state text, message text) RETURNS boolean
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  -- a serialization failure is worth a retry only under READ COMMITTED: a
  -- transaction-wide snapshot would fail the same way again
  IF attempt >= 5 OR (state = '40001' AND current_setting('transaction_isolation') <> 'read committed') THEN
    RETURN false;
  END IF;
  RAISE LOG 'cdm: % retries after % (%), attempt % of 5', caller, state, message, attempt + 1;
  -- apart, so that the sessions that met do not meet again in step
  PERFORM pg_sleep(random() * 0.005 * attempt);
  RETURN true;
END
$$;
COMMENT ON FUNCTION cdm._store_retry(text, integer, text, text) IS
'Internal to the store''s writers: after a deadlock (40P01) or a serialization failure (40001, READ COMMITTED only) in attempt number attempt, should the work run again (at most 5 attempts)? Logs the retry (server log, level LOG) and waits a few random milliseconds first.';

CREATE FUNCTION cdm._store_queue_reviews(rid bigint, home bigint, recs bigint[], ents bigint[], ps float8[])
RETURNS void
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  -- two statements for all pairs, in record order (a PL/pgSQL body keeps
  -- their plans for the session; a loop with cdm._log per pair cost a
  -- statement and a planned SQL function call each)
  INSERT INTO cdm.review_item AS ri (record_a, record_b, probability)
  SELECT least(rid, t.rec), greatest(rid, t.rec), t.p
    FROM unnest(recs, ps) t(rec, p) ORDER BY t.rec
  ON CONFLICT (record_a, record_b) WHERE resolved_at IS NULL
  DO UPDATE SET probability = excluded.probability;
  -- the events as cdm._log writes them
  INSERT INTO cdm.event (event, entity, other_entity, record, version, probability, reason, detail)
  SELECT 'review', home, t.ent, rid, NULL, t.p, 'grey zone', jsonb_build_object('record_b', t.rec)
    FROM unnest(recs, ents, ps) t(rec, ent, p) ORDER BY t.rec;
END
$$;
COMMENT ON FUNCTION cdm._store_queue_reviews(bigint, bigint, bigint[], bigint[], float8[]) IS
'Internal: queue the pairs (rid, recs[i]) in cdm.review_item (one open item per pair: a repeat updates its probability ps[i]) and log a review event each (entity home, other_entity ents[i]).';

-- ------------------------------------------------------------------- merge

CREATE FUNCTION cdm._store_merge(a bigint, b bigint, reason text, steward boolean) RETURNS bigint
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  ea bigint;
  eb bigint;
  survivor bigint;
  loser bigint;
  conflict record;
BEGIN
  ea := cdm._live_entity('cdm', a);
  eb := cdm._live_entity('cdm', b);
  -- lock in id order so two merges never wait on each other crosswise
  IF ea < eb THEN
    ea := cdm._store_lock_entity(ea, 'update');
    eb := cdm._store_lock_entity(eb, 'update');
  ELSE
    eb := cdm._store_lock_entity(eb, 'update');
    ea := cdm._store_lock_entity(ea, 'update');
  END IF;
  IF ea = eb THEN
    RETURN ea;
  END IF;
  SELECT ra.id AS ra, rb.id AS rb INTO conflict
    FROM cdm.decision d
    JOIN cdm.record ra ON ra.id = d.record_a
    JOIN cdm.record rb ON rb.id = d.record_b
   WHERE d.decision = 'no_match' AND ra.retired_at IS NULL AND rb.retired_at IS NULL
     AND ((ra.entity = ea AND rb.entity = eb) OR (ra.entity = eb AND rb.entity = ea))
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'cdm: entities % and % hold records % and %, decided to be different people', ea, eb, conflict.ra, conflict.rb
      USING ERRCODE = '23514',
            HINT = 'A steward no_match decision is never overruled: change it with cdm.decide(' || conflict.ra || ', ' || conflict.rb || ', ''match'', reason) first.';
  END IF;
  survivor := least(ea, eb);
  loser := greatest(ea, eb);
  UPDATE cdm.record r
     SET entity = survivor,
         link_rule = CASE WHEN steward THEN 'merge' ELSE r.link_rule END
   WHERE r.entity = loser;
  UPDATE cdm.entity x SET merged_into = survivor, merged_at = clock_timestamp() WHERE x.id = loser;
  -- the loser's overrides carry over where the survivor has none (and stay
  -- with the loser, should an unmerge revive it)
  INSERT INTO cdm.golden_override (entity, attribute, value, reason, set_by, set_at)
  SELECT survivor, o.attribute, o.value, o.reason, o.set_by, o.set_at
    FROM cdm.golden_override o WHERE o.entity = loser
  ON CONFLICT DO NOTHING;
  UPDATE cdm.review_item ri SET resolved_at = clock_timestamp(), resolution = 'same_entity'
   WHERE ri.resolved_at IS NULL
     AND ri.record_a IN (SELECT r.id FROM cdm.record r WHERE r.entity = survivor)
     AND ri.record_b IN (SELECT r.id FROM cdm.record r WHERE r.entity = survivor);
  -- milestones follow: the loser's timeline joins the survivor's
  PERFORM cdm._timeline_absorb(survivor, loser);
  PERFORM cdm._log('merge', survivor, loser, NULL, NULL, NULL, reason,
                   CASE WHEN steward THEN NULL ELSE '{"automatic": true}'::jsonb END);
  RETURN survivor;
END
$$;
COMMENT ON FUNCTION cdm._store_merge(bigint, bigint, text, boolean) IS
'Internal: merge two entities (the older, smaller id survives; the other is forwarded to it). steward: a steward''s merge (its records'' links become merge links, which re-ingests do not re-evaluate), else one cdm.ingest made.';

CREATE FUNCTION cdm.merge(a bigint, b bigint, reason text) RETURNS bigint
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  attempt integer := 1;
BEGIN
  IF a IS NULL OR b IS NULL THEN
    RAISE EXCEPTION 'cdm.merge: entity ids must not be NULL' USING ERRCODE = '22004';
  END IF;
  LOOP
    BEGIN
      RETURN cdm._store_merge(a, b, reason, true);
    EXCEPTION WHEN deadlock_detected OR serialization_failure THEN
      IF NOT cdm._store_retry('cdm.merge', attempt, SQLSTATE, SQLERRM) THEN
        RAISE;
      END IF;
    END;
    attempt := attempt + 1;
  END LOOP;
END
$$;
COMMENT ON FUNCTION cdm.merge(bigint, bigint, text) IS
'Merge entities a and b (ids that were merged away are followed first): the older entity (smaller id) survives, every record of the other moves to it, the other id is forwarded (cdm.entity_of and cdm.entity_live follow it), its golden overrides carry over where the survivor has none, open review items inside the result are resolved, and a merge event is logged with reason. Returns the survivor. Already one entity: returns it, nothing logged. NULL id: 22004; unknown id: 42704; a steward no_match decision between records of the two: 23514. A deadlock with a concurrent writer is retried inside (see cdm.ingest).';

-- ------------------------------------------------------------ detach (split)

CREATE FUNCTION cdm._store_detach(rid bigint, reason text, detail jsonb) RETURNS bigint
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  r      cdm.record;
  cur    bigint;
  target bigint;
  via    bigint;
BEGIN
  -- entities first, in id order (callers took them already, also in order)
  PERFORM cdm._store_lock_entities(cdm._store_detach_entities(rid), 'update');
  cur := cdm._store_lock_record_entity(rid, 'update');
  SELECT * INTO r FROM cdm.record x WHERE x.id = rid;
  IF r.first_entity <> cur
     AND NOT EXISTS (SELECT 1 FROM cdm.record x WHERE x.entity = r.first_entity)
     AND (SELECT x.merged_into FROM cdm.entity x WHERE x.id = r.first_entity FOR NO KEY UPDATE) IS NOT NULL THEN
    -- its own id is free: revive it.  Ids forwarded to it keep leading
    -- where their records went: the live entity it leads to now (usually
    -- cur; another one when the record moved on since), whose timeline
    -- loses the milestones recorded on the revived id
    target := r.first_entity;
    via := cdm._store_lock_entity(target, 'update');
    UPDATE cdm.entity x SET merged_into = via WHERE x.merged_into = target;
    UPDATE cdm.entity x SET merged_into = NULL, merged_at = NULL WHERE x.id = target;
  ELSE
    INSERT INTO cdm.entity DEFAULT VALUES RETURNING id INTO target;
  END IF;
  UPDATE cdm.record x SET entity = target, link_rule = 'unmerge', link_probability = NULL WHERE x.id = rid;
  -- milestones follow the record and the revived id
  PERFORM cdm._timeline_rebuild(ARRAY(SELECT DISTINCT e FROM unnest(ARRAY[target, cur, via]) e WHERE e IS NOT NULL ORDER BY e));
  PERFORM cdm._log('unmerge', target, cur, rid, r.version, NULL, reason, detail);
  RETURN target;
END
$$;
COMMENT ON FUNCTION cdm._store_detach(bigint, text, jsonb) IS
'Internal: take record rid out of its entity into an entity of its own: its first entity id when that one was merged away and holds no record (revived: ids merged into it go on leading to the entity it led to), else a new id. Locks the record''s entity and the entity the first id leads to FOR UPDATE, in id order, before anything else; rebuilds the timelines concerned. Logs an unmerge event; returns the record''s new entity.';

CREATE FUNCTION cdm._store_unmerge(source text, source_key text, reason text) RETURNS bigint
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  r      cdm.record;
  cur    bigint;
  others bigint[];
  o      bigint;
BEGIN
  r := cdm._store_record_locked('unmerge', source, source_key);
  -- what the split will lock, first and in id order
  PERFORM cdm._store_lock_entities(cdm._store_detach_entities(r.id), 'update');
  cur := cdm._store_lock_record_entity(r.id, 'update');
  others := ARRAY(SELECT x.id FROM cdm.record x
                   WHERE x.entity = cur AND x.id <> r.id AND x.retired_at IS NULL ORDER BY x.id);
  IF cardinality(others) = 0 THEN
    PERFORM cdm._log('unmerge', cur, cur, r.id, r.version, NULL, reason, '{"alone": true}');
    RETURN cur;
  END IF;
  -- later ingests respect the split: the record and each record it leaves
  -- are a steward no_match pair
  FOREACH o IN ARRAY others LOOP
    INSERT INTO cdm.decision AS d (record_a, record_b, decision, reason)
    VALUES (least(o, r.id), greatest(o, r.id), 'no_match', 'unmerge: ' || coalesce(reason, ''))
    ON CONFLICT ON CONSTRAINT decision_pkey DO UPDATE
      SET decision = 'no_match', reason = excluded.reason,
          decided_by = cdm._actor(), decided_at = clock_timestamp();
  END LOOP;
  RETURN cdm._store_detach(r.id, reason, jsonb_build_object('no_match_with', to_jsonb(others)));
END
$$;
COMMENT ON FUNCTION cdm._store_unmerge(text, text, text) IS
'Internal: the work of cdm.unmerge, run (and retried) by it in a subtransaction.';

CREATE FUNCTION cdm.unmerge(source text, source_key text, reason text) RETURNS bigint
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  attempt integer := 1;
BEGIN
  LOOP
    BEGIN
      RETURN cdm._store_unmerge(source, source_key, reason);
    EXCEPTION WHEN deadlock_detected OR serialization_failure THEN
      IF NOT cdm._store_retry('cdm.unmerge', attempt, SQLSTATE, SQLERRM) THEN
        RAISE;
      END IF;
    END;
    attempt := attempt + 1;
  END LOOP;
END
$$;
COMMENT ON FUNCTION cdm.unmerge(text, text, text) IS
'Take the record (source, source_key) out of its entity and give it an entity of its own: the id it was first placed in when that id was merged away and is free (revived), else a new id (also when the record still sits on its own first id with others: the record leaves, the others keep the id they know). Each record it leaves and it become a steward no_match pair, so later ingests and merges respect the split. Logs an unmerge event with reason; returns the record''s entity. A record already alone: logged, its entity returned. NULL source or key: 22004; unknown record: 42704. A deadlock with a concurrent writer is retried inside (see cdm.ingest).';

-- ------------------------------------------------------------------ decide

CREATE FUNCTION cdm._store_decide(lo bigint, hi bigint, decision text, reason text) RETURNS void
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  ea bigint;
  eb bigint;
BEGIN
  -- both records' entities FOR UPDATE (and what a split of hi would lock),
  -- in id order, before anything else: no ingest links one record to the
  -- other's entity meanwhile, and a merge of the two sees the decision
  PERFORM cdm._store_lock_entities(
    ARRAY(SELECT x.entity FROM cdm.record x WHERE x.id IN (lo, hi)) || cdm._store_detach_entities(hi), 'update');
  ea := cdm._store_lock_record_entity(lo, 'update');
  eb := cdm._store_lock_record_entity(hi, 'update');
  INSERT INTO cdm.decision AS d (record_a, record_b, decision, reason)
  VALUES (lo, hi, _store_decide.decision, _store_decide.reason)
  ON CONFLICT ON CONSTRAINT decision_pkey DO UPDATE
    SET decision = excluded.decision, reason = excluded.reason,
        decided_by = cdm._actor(), decided_at = clock_timestamp();
  UPDATE cdm.review_item ri SET resolved_at = clock_timestamp(), resolution = _store_decide.decision
   WHERE ri.record_a = lo AND ri.record_b = hi AND ri.resolved_at IS NULL;
  PERFORM cdm._log('decide', ea, eb, lo, NULL, NULL, _store_decide.reason,
                   jsonb_build_object('record_b', hi, 'decision', _store_decide.decision));
  IF _store_decide.decision = 'match' AND ea <> eb THEN
    PERFORM cdm._store_merge(ea, eb, 'decide match ' || lo || '/' || hi || ': ' || coalesce(_store_decide.reason, ''), true);
  ELSIF _store_decide.decision = 'no_match' AND ea = eb THEN
    -- the later record leaves; the others stay together
    PERFORM cdm._store_detach(hi, 'decide no_match ' || lo || '/' || hi || ': ' || coalesce(_store_decide.reason, ''), NULL);
  END IF;
END
$$;
COMMENT ON FUNCTION cdm._store_decide(bigint, bigint, text, text) IS
'Internal: the work of cdm.decide on records lo < hi, run (and retried) by it in a subtransaction.';

CREATE FUNCTION cdm.decide(record_a bigint, record_b bigint, decision text, reason text) RETURNS void
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  lo bigint := least(decide.record_a, decide.record_b);
  hi bigint := greatest(decide.record_a, decide.record_b);
  attempt integer := 1;
BEGIN
  IF decide.record_a IS NULL OR decide.record_b IS NULL OR decide.decision IS NULL THEN
    RAISE EXCEPTION 'cdm.decide: record ids and decision must not be NULL' USING ERRCODE = '22004';
  END IF;
  IF decide.decision NOT IN ('match', 'no_match') THEN
    RAISE EXCEPTION 'cdm.decide: decision must be ''match'' or ''no_match'', not %', quote_literal(decide.decision)
      USING ERRCODE = '22023';
  END IF;
  IF lo = hi THEN
    RAISE EXCEPTION 'cdm.decide: a record (%) cannot be decided against itself', lo USING ERRCODE = '22023';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM cdm.record x WHERE x.id = lo) THEN
    RAISE EXCEPTION 'cdm.decide: no record %', lo USING ERRCODE = '42704';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM cdm.record x WHERE x.id = hi) THEN
    RAISE EXCEPTION 'cdm.decide: no record %', hi USING ERRCODE = '42704';
  END IF;
  LOOP
    BEGIN
      PERFORM cdm._store_decide(lo, hi, decide.decision, decide.reason);
      RETURN;
    EXCEPTION WHEN deadlock_detected OR serialization_failure THEN
      IF NOT cdm._store_retry('cdm.decide', attempt, SQLSTATE, SQLERRM) THEN
        RAISE;
      END IF;
    END;
    attempt := attempt + 1;
  END LOOP;
END
$$;
COMMENT ON FUNCTION cdm.decide(bigint, bigint, text, text) IS
'A steward''s decision on two records (ids as in cdm.review / cdm.record_id): ''match'' merges their entities now (older id survives) and the pair is linked by every later ingest; ''no_match'' splits them now if they share an entity (the later record, larger id, leaves: its first id back if free, else a new one) and the pair is never linked again, nor are entities holding them merged. The latest decision on a pair replaces earlier ones; every decision is logged with reason; an open review item of the pair is resolved. NULL arguments: 22004; other decision words or a record against itself: 22023; unknown record: 42704; a match joining records a steward decided apart (another pair): 23514. Locks both records'' entities first, so no concurrent ingest links one record to the other''s entity meanwhile; a deadlock with a concurrent writer is retried inside (see cdm.ingest).';

-- ------------------------------------------------------------------ ingest

-- enable_seqscan off: every table this reads is found by key, and PL/pgSQL
-- keeps a statement's plan for the session; planned while the store is empty
-- (after an ANALYZE of it, say) a plan scans the tables whole and keeps doing
-- so as they grow (about 70 records/s by 1,500 records in one session).
CREATE FUNCTION cdm._store_ingest(source text, source_key text, attrs jsonb) RETURNS bigint
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
SET enable_seqscan = off
AS $$
DECLARE
  link_t   float8 := cdm.store_setting_value('link_threshold')::float8;
  review_t float8 := cdm.store_setting_value('review_threshold')::float8;
  clean    jsonb;
  q        cdm.key;  ph text;     -- the key; the phone as the matcher reads it
  bk       bigint[];
  model    text;  ncand  text;  region text;   -- settings, read once
  r        cdm.record;
  existing boolean;
  c_rec    bigint[];
  c_ent    bigint[];
  c_dec    text[];  c_attrs jsonb[];  c_phones text[];
  c_p      float8[];
  cur      bigint;
  best_e   bigint;
  best_p   float8;
  home     bigint;
  move     boolean;
  split    boolean;
  apart    bigint;
  alone    boolean;
  rid      bigint;
  ver      integer;
BEGIN
  IF source IS NULL OR source_key IS NULL OR attrs IS NULL THEN
    RAISE EXCEPTION 'cdm.ingest: source, source_key and attrs must not be NULL'
      USING ERRCODE = '22004', HINT = 'A record deleted at its source is retired with cdm.retire(source, source_key, reason).';
  END IF;
  IF jsonb_typeof(attrs) <> 'object' THEN
    RAISE EXCEPTION 'cdm.ingest: attrs must be a JSON object, got a JSON %', jsonb_typeof(attrs)
      USING ERRCODE = '22023',
            HINT = 'Pass {"given_name": "Ann", "email": "ann@example.com", ...} with cdm''s role names as keys.';
  END IF;
  IF source = '' OR source_key = '' THEN
    RAISE EXCEPTION 'cdm.ingest: source and source_key must not be empty' USING ERRCODE = '22023';
  END IF;
  clean := cdm._store_clean(attrs);
  IF clean ? 'dob' THEN
    PERFORM (clean->>'dob')::date;         -- a bad date fails every ingest alike (22007/22008)
  END IF;
  -- a person erased with cdm.forget is not brought back by a re-import
  IF cdm._erasure_blocks(source, source_key, clean) THEN
    RETURN NULL;
  END IF;
  -- the other settings in one statement (the model was looked up once per
  -- candidate); candidates is cast where the candidates are searched
  SELECT cdm.store_setting_value('model'), cdm.store_setting_value('candidates'),
         cdm.store_setting_value('phone_region')
    INTO model, ncand, region;
  -- the blocking key: cdm.record_key(full_name, or given_name and
  -- family_name, or else organisation_name; email; phone; address) with the
  -- store's phone_region; empty strings count as missing; NULL when all
  -- four are missing.  cdm._store_key is the one definition of it (also
  -- cdm.load_records'); an SQL-standard body, so the planner inlines it
  -- and it costs no function call of its own.
  q := cdm._store_key(clean, region);  ph := cdm._store_phone(clean);
  bk := cdm.blocking_keys(clean);   -- once: the candidate search and record_block use it

  -- the key's lock (cdm._store_lock), then the person's, sorted, in one
  -- statement (ORDINALITY keeps that order)
  PERFORM pg_advisory_xact_lock(l.h)
     FROM unnest(cdm._store_lock_key(source, source_key)
                 || ARRAY(SELECT hashtextextended('cdm.person ' || v, 0)
                            FROM unnest(cdm._store_lock_values(clean)) WITH ORDINALITY u(v, n) ORDER BY u.n))
          WITH ORDINALITY l(h, n)
    ORDER BY l.n;

  -- no row lock: the key lock keeps the key's other writers out, and the
  -- record's entity is locked below, before the record is written
  SELECT * INTO r FROM cdm.record x
   WHERE x.source = _store_ingest.source AND x.source_key = _store_ingest.source_key;
  existing := FOUND;
  IF existing AND r.attrs = _store_ingest.attrs AND r.retired_at IS NULL THEN
    RETURN cdm.entity_live(r.entity);      -- nothing new: no version, no event
  END IF;

  -- the candidates: live records sharing a blocking value with it, those
  -- sharing the rarest values first, at most the candidates setting
  -- (cdm._store_candidates: per value the newest as many, so a common name
  -- costs no more than a rare one); and every record a steward decision
  -- pairs it with.  Ranked from cdm.record_block alone, so only the records
  -- kept are read.  Records are fetched by id one by one (OFFSET 0 keeps the planner
  -- from hashing the whole record table; retired_at is tested outside it, so
  -- that no index partial on live records can stand in for the primary key
  -- in a plan cached while the store was small); each with its entity (live:
  -- a merge moves the loser's records in the same transaction, so one
  -- snapshot never shows a record on a merged-away entity) and decision.
  -- The arrays come from one aggregation, so they are aligned; their order
  -- does not matter (nothing below depends on it), and sorting each one cost
  -- a sort per array.
  IF NOT existing THEN
    -- a new key: no steward decision can name it yet, so the decisions and
    -- their join are left out of the plan
    SELECT array_agg(y.id), array_agg(y.entity), array_agg(y.attrs), array_agg(y.match_phone)
      INTO c_rec, c_ent, c_attrs, c_phones
      FROM cdm._store_candidates(bk, ncand::integer, NULL) bl
     CROSS JOIN LATERAL (SELECT x.id, x.entity, x.attrs, x.match_phone, x.retired_at FROM cdm.record x
                          WHERE x.id = bl.record OFFSET 0) y
     WHERE y.retired_at IS NULL;
  ELSE
    WITH blocked AS (
      SELECT c.record FROM cdm._store_candidates(bk, ncand::integer, r.id) c
    ), cand AS (
      SELECT y.id, y.entity, y.attrs, y.match_phone
        FROM blocked bl
       CROSS JOIN LATERAL (SELECT x.id, x.entity, x.attrs, x.match_phone, x.retired_at FROM cdm.record x
                            WHERE x.id = bl.record OFFSET 0) y
       WHERE y.retired_at IS NULL
    ), dec AS (
      SELECT CASE WHEN d.record_a = r.id THEN d.record_b ELSE d.record_a END AS other, d.decision
        FROM cdm.decision d
       WHERE d.record_a = r.id OR d.record_b = r.id
    ), pool AS (
      SELECT c.id, c.entity, c.attrs, c.match_phone FROM cand c
      UNION
      SELECT y.id, y.entity, y.attrs, y.match_phone
        FROM dec
       CROSS JOIN LATERAL (SELECT x.id, x.entity, x.attrs, x.match_phone, x.retired_at FROM cdm.record x
                            WHERE x.id = dec.other OFFSET 0) y
       WHERE y.retired_at IS NULL
    )
    SELECT array_agg(p.id), array_agg(p.entity), array_agg(d.decision), array_agg(p.attrs), array_agg(p.match_phone)
      INTO c_rec, c_ent, c_dec, c_attrs, c_phones
      FROM pool p
      LEFT JOIN dec d ON d.other = p.id;
  END IF;
  -- scored in one call: 1 for a match decision, 0 for no_match, else
  -- cdm.match_probability with the store's model (blanks count as missing)
  c_p := cdm._store_score(clean, c_attrs, c_dec, model, c_phones);

  -- the best entity a link is allowed to: no candidate on it is a no_match
  SELECT t.entity, max(t.p) INTO best_e, best_p
    FROM unnest(c_ent, c_dec, c_p) t(entity, decision, p)
   WHERE t.entity NOT IN (SELECT u.entity FROM unnest(c_ent, c_dec) u(entity, decision)
                           WHERE u.decision = 'no_match')
     AND t.entity IS DISTINCT FROM CASE WHEN existing THEN cdm.entity_live(r.entity) END
   GROUP BY t.entity
  HAVING max(t.p) >= link_t
   ORDER BY max(t.p) DESC, t.entity
   LIMIT 1;

  IF NOT existing THEN
    IF best_e IS NOT NULL THEN
      home := cdm._store_lock_entity(best_e, 'share');
    ELSE
      INSERT INTO cdm.entity DEFAULT VALUES RETURNING id INTO home;
    END IF;
    INSERT INTO cdm.record AS x (source, source_key, version, attrs, k, match_phone, entity, first_entity,
                                 link_rule, link_probability)
    VALUES (_store_ingest.source, _store_ingest.source_key, 1, _store_ingest.attrs, q, ph, home, home,
            CASE WHEN best_e IS NULL THEN 'new' ELSE 'score' END, best_p)
    ON CONFLICT ON CONSTRAINT record_source_source_key_key DO NOTHING
    RETURNING x.id INTO rid;
    IF rid IS NULL THEN
      -- only possible outside READ COMMITTED: the key lock serialises the rest
      RAISE EXCEPTION 'cdm.ingest: record % / % was created concurrently', source, source_key
        USING ERRCODE = '40001', HINT = 'Retry the transaction.';
    END IF;
    ver := 1;
    INSERT INTO cdm.record_version (record, version, attrs) VALUES (rid, 1, _store_ingest.attrs);
    INSERT INTO cdm.record_block (bkey, record)
    SELECT DISTINCT v, rid FROM unnest(bk) v;
    -- the event as cdm._log writes it (a statement here has its plan kept)
    INSERT INTO cdm.event (event, entity, other_entity, record, version, probability, reason)
    VALUES (CASE WHEN best_e IS NULL THEN 'create' ELSE 'link' END, home, NULL, rid, 1, best_p,
            CASE WHEN best_e IS NULL THEN 'new record' ELSE 'scored >= ' || link_t END);
  ELSE
    rid := r.id;
    ver := r.version + 1;
    cur := cdm.entity_live(r.entity);
    -- re-evaluate links the store made (a steward's stay where they are):
    -- move when nothing on its entity still scores >= link_t and another
    -- entity does
    move := r.link_rule IN ('new', 'score', 'batch') AND best_e IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM unnest(c_ent, c_p) t(entity, p) WHERE t.entity = cur AND t.p >= link_t);
    -- a record back from retirement may find on its entity a record a
    -- steward decided apart from it (a merge looks only at live records):
    -- then it leaves, as cdm.decide would have split them
    split := EXISTS (SELECT 1 FROM cdm._store_no_match_on(rid, cur));
    -- entities first, in id order; FOR UPDATE on the entity the record may
    -- leave (and on the one it may join: both timelines are rebuilt)
    IF split THEN
      PERFORM cdm._store_lock_entities(cdm._store_detach_entities(rid), 'update');
    ELSIF move THEN
      PERFORM cdm._store_lock_entities(ARRAY[cur, best_e], 'update');
    END IF;
    cur := cdm._store_lock_record_entity(rid, CASE WHEN split OR move THEN 'update' ELSE 'share' END);
    -- what the record is now that its entity is locked: a steward may have
    -- merged or split it meanwhile
    SELECT * INTO r FROM cdm.record x WHERE x.id = rid;
    apart := (SELECT n.other FROM cdm._store_no_match_on(rid, cur) n ORDER BY n.other LIMIT 1);
    split := apart IS NOT NULL;
    IF move AND NOT split THEN
      best_e := cdm._store_lock_entity(best_e, 'update');
      move := r.link_rule IN ('new', 'score', 'batch') AND best_e <> cur
              AND NOT EXISTS (SELECT 1 FROM unnest(c_ent, c_p) t(entity, p)
                               WHERE cdm.entity_live(t.entity) = cur AND t.p >= link_t)
              AND NOT EXISTS (SELECT 1 FROM cdm._store_no_match_on(rid, best_e));
    ELSE
      move := false;
    END IF;

    UPDATE cdm.record x SET version = ver, attrs = _store_ingest.attrs, k = q, match_phone = ph,
                            updated_at = clock_timestamp(), retired_at = NULL
     WHERE x.id = rid;
    INSERT INTO cdm.record_version (record, version, attrs) VALUES (rid, ver, _store_ingest.attrs);
    DELETE FROM cdm.record_block b WHERE b.record = rid;
    INSERT INTO cdm.record_block (bkey, record)
    SELECT DISTINCT v, rid FROM unnest(bk) v;
    home := cur;
    IF split THEN
      home := cdm._store_detach(rid, 'record ' || rid || ' version ' || ver || ' is back on the entity of record '
                                     || apart || ', decided to be another person',
                                jsonb_build_object('no_match_with', apart));
    ELSIF move THEN
      alone := NOT EXISTS (SELECT 1 FROM cdm.record x WHERE x.entity = cur AND x.id <> rid AND x.retired_at IS NULL);
      IF alone THEN
        home := cdm._store_merge(cur, best_e, 'record ' || rid || ' version ' || ver || ' scored ' || round(best_p::numeric, 4), false);
      ELSE
        home := best_e;
      END IF;
      UPDATE cdm.record x SET entity = home, link_rule = 'score', link_probability = best_p WHERE x.id = rid;
      IF NOT alone THEN
        -- pairs it had in review with records of its new entity are settled
        UPDATE cdm.review_item ri SET resolved_at = clock_timestamp(), resolution = 'same_entity'
         WHERE ri.resolved_at IS NULL AND (ri.record_a = rid OR ri.record_b = rid)
           AND EXISTS (SELECT 1 FROM cdm.record x
                        WHERE x.id = CASE WHEN ri.record_a = rid THEN ri.record_b ELSE ri.record_a END
                          AND x.entity = home);
        -- milestones recorded on the record go with it
        IF EXISTS (SELECT 1 FROM cdm.milestone m WHERE m.record = rid) THEN
          PERFORM cdm._timeline_rebuild(ARRAY[least(cur, home), greatest(cur, home)]);
        END IF;
        PERFORM cdm._log('relink', home, cur, rid, ver, best_p, 'new version scored >= ' || link_t);
      END IF;
    END IF;
    INSERT INTO cdm.event (event, entity, other_entity, record, version, probability, reason)
    VALUES ('version', home, NULL, rid, ver, NULL,
            CASE WHEN r.retired_at IS NOT NULL THEN 'ingested again after retirement' ELSE 'new version' END);
  END IF;

  -- grey zone (and strong matches in a second entity): queue for a steward;
  -- the candidates' entities as they are now (a merge may have joined one
  -- to ours while we waited for its lock; none can while we hold it)
  SELECT array_agg(t.record), array_agg(x.entity), array_agg(t.p)
    INTO c_rec, c_ent, c_p
    FROM unnest(c_rec, c_dec, c_p) t(record, decision, p)
    CROSS JOIN LATERAL (SELECT y.entity FROM cdm.record y WHERE y.id = t.record OFFSET 0) x
   WHERE t.decision IS NULL AND t.p >= review_t AND x.entity <> home;
  IF c_rec IS NOT NULL THEN
    PERFORM cdm._store_queue_reviews(rid, home, c_rec, c_ent, c_p);
  END IF;
  RETURN home;
END
$$;
COMMENT ON FUNCTION cdm._store_ingest(text, text, jsonb) IS
'Internal: the work of cdm.ingest, run (and retried) by it in a subtransaction; called directly by cdm.register_source and the trigger of a registered source, whose statements may write many records in one transaction.';

CREATE FUNCTION cdm.ingest(source text, source_key text, attrs jsonb) RETURNS bigint
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  attempt integer := 1;
BEGIN
  LOOP
    BEGIN
      RETURN cdm._store_ingest(source, source_key, attrs);
    EXCEPTION WHEN deadlock_detected OR serialization_failure THEN
      IF NOT cdm._store_retry('cdm.ingest', attempt, SQLSTATE, SQLERRM) THEN
        RAISE;
      END IF;
    END;
    attempt := attempt + 1;
  END LOOP;
END
$$;
COMMENT ON FUNCTION cdm.ingest(text, text, jsonb) IS
'Put one source record into the store and return its entity id. attrs: a JSON object by cdm''s role names (given_name, family_name, full_name, dob, email, phone, address, city, postcode, country, national_id); other keys are kept; JSON nulls and blank strings count as missing. A new key: up to 20 live records sharing a blocking value with it (cdm.blocking_keys, the rules of cdm.dedupe; per value the newest 20), those sharing the rarest values first (each shared value weighs 1 / the records read for it), and every record a steward decision pairs it with are scored with cdm.match_probability and the store''s model; it links to the entity scoring highest at >= link_threshold (0.9) unless a no_match decision holds a record there (a match decision scores 1), else gets a new entity; candidates in other entities scoring >= review_threshold (0.5) are queued in cdm.review. A known key with other attrs: a new version (never overwriting), and a link the store made is re-evaluated: when nothing on its entity still scores >= link_threshold and another entity does, the record moves (relink; a record alone merges its entity with the other, the older id surviving). Steward links (decision, merge, unmerge) stay. The same attrs again: nothing changes. A retired key comes back as a new version. A record matching a person erased with cdm.forget (same source and key, e-mail or phone) is not stored: NULL is returned, a WARNING raised and an erasure_block event logged. A record back from retirement that finds on its entity a live record a steward decided apart from it (the entity was merged while it was retired) leaves it, as cdm.decide would have split them (logged as an unmerge). Errors: NULL argument 22004; attrs not an object, empty source or key 22023; a dob that is not a date 22007/22008. Concurrency (READ COMMITTED): advisory locks on the key and on the person''s blocking values, then entity locks in id order (see the README); a deadlock with a concurrent writer is retried inside, up to 5 attempts, so it does not reach a caller who ingests once per transaction.';

-- ------------------------------------------------------- entity_of, retire

CREATE FUNCTION cdm.entity_of(source text, source_key text) RETURNS bigint
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT cdm.entity_live(r.entity) FROM cdm.record r WHERE r.source = $1 AND r.source_key = $2
$$;
COMMENT ON FUNCTION cdm.entity_of(text, text) IS
'The live entity of the record (source, source_key), following merges; NULL for a key the store does not know (and for NULL arguments). A retired record still answers the entity it last belonged to.';

CREATE FUNCTION cdm._store_retire(source text, source_key text, reason text) RETURNS bigint
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  r cdm.record;
  e bigint;
BEGIN
  r := cdm._store_record_locked('retire', source, source_key);
  -- its entity stays put (merged or split) until we are done
  e := cdm._store_lock_record_entity(r.id, 'share');
  IF r.retired_at IS NULL THEN
    UPDATE cdm.record x SET retired_at = clock_timestamp() WHERE x.id = r.id;
    DELETE FROM cdm.record_block b WHERE b.record = r.id;
    PERFORM cdm._log('retire', e, NULL, r.id, r.version, NULL, reason);
  END IF;
  RETURN e;
END
$$;
COMMENT ON FUNCTION cdm._store_retire(text, text, text) IS
'Internal: the work of cdm.retire, run (and retried) by it in a subtransaction; called directly by the trigger of a registered source.';

CREATE FUNCTION cdm.retire(source text, source_key text, reason text) RETURNS bigint
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  attempt integer := 1;
BEGIN
  LOOP
    BEGIN
      RETURN cdm._store_retire(source, source_key, reason);
    EXCEPTION WHEN deadlock_detected OR serialization_failure THEN
      IF NOT cdm._store_retry('cdm.retire', attempt, SQLSTATE, SQLERRM) THEN
        RAISE;
      END IF;
    END;
    attempt := attempt + 1;
  END LOOP;
END
$$;
COMMENT ON FUNCTION cdm.retire(text, text, text) IS
'The record (source, source_key) was deleted at its source: mark it retired (kept with all its versions, logged with reason), so it no longer matches nor feeds golden records. Returns its entity. Retiring twice logs once; ingesting the key again brings it back as a new version. NULL source or key: 22004; unknown record: 42704. A deadlock with a concurrent writer is retried inside (see cdm.ingest).';
