-- ---------------------------------------------------------------------------
-- Govern: the rights people have over their data.  cdm.forget removes an
-- entity's personal data from every record, version, log entry, review item
-- and milestone, keeps salted hashes so a re-import is stopped rather than
-- silently re-creating the person, and returns a receipt; cdm.export gives
-- everything held on a person, with its sources.
-- ---------------------------------------------------------------------------

-- The salt of the tombstones: random per database, readable by no role.
CREATE TABLE cdm.erasure_salt (
  salt bytea NOT NULL CHECK (length(salt) = 32),
  one  boolean PRIMARY KEY DEFAULT true CHECK (one)
);
INSERT INTO cdm.erasure_salt (salt)
SELECT pg_catalog.decode(pg_catalog.md5(pg_catalog.random()::text || pg_catalog.clock_timestamp()::text)
                         || pg_catalog.md5(pg_catalog.random()::text || pg_catalog.pg_backend_pid()::text), 'hex');
COMMENT ON TABLE cdm.erasure_salt IS
'The salt of the erasure tombstones (32 random bytes, made at CREATE EXTENSION): without it a tombstone hash cannot be tested against a guessed e-mail address. Readable by no cdm role; dumped, so a restored database still recognises erased people.';
COMMENT ON COLUMN cdm.erasure_salt.salt IS 'The salt.';
COMMENT ON COLUMN cdm.erasure_salt.one IS 'There is one row.';
SELECT pg_catalog.pg_extension_config_dump('cdm.erasure_salt', '');

CREATE TABLE cdm.erasure (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  entity     bigint NOT NULL REFERENCES cdm.entity (id),
  reason     text,
  erased_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
  erased_by  text NOT NULL DEFAULT cdm._actor(),
  receipt    jsonb NOT NULL
);
COMMENT ON TABLE cdm.erasure IS
'One row per cdm.forget: which entity id, why, when, by whom, and the receipt (counts of what was removed; no personal data).';
COMMENT ON COLUMN cdm.erasure.id IS 'Erasure id.';
COMMENT ON COLUMN cdm.erasure.entity IS 'The entity whose data was removed (its id stays, empty).';
COMMENT ON COLUMN cdm.erasure.reason IS 'Why, as given (the request''s reference, not the person''s name).';
COMMENT ON COLUMN cdm.erasure.erased_at IS 'When.';
COMMENT ON COLUMN cdm.erasure.erased_by IS 'Who.';
COMMENT ON COLUMN cdm.erasure.receipt IS 'What was removed, as returned by cdm.forget.';
SELECT pg_catalog.pg_extension_config_dump('cdm.erasure', '');

CREATE TABLE cdm.erasure_key (
  hash     bytea PRIMARY KEY,
  erasure  bigint NOT NULL REFERENCES cdm.erasure (id),
  kind     text NOT NULL CHECK (kind IN ('source_key', 'email', 'phone'))
);
COMMENT ON TABLE cdm.erasure_key IS
'Tombstones: salted SHA-256 hashes of an erased person''s (source, source_key) pairs, normalised e-mail addresses and E.164 phone numbers. cdm.ingest does not store a record matching one (it returns NULL and logs an erasure_block event). To let a person back in (consent given again), an admin deletes the rows of that erasure.';
COMMENT ON COLUMN cdm.erasure_key.hash IS 'sha256(salt || kind || '':'' || value).';
COMMENT ON COLUMN cdm.erasure_key.erasure IS 'The erasure it came from.';
COMMENT ON COLUMN cdm.erasure_key.kind IS 'source_key, email or phone.';
SELECT pg_catalog.pg_extension_config_dump('cdm.erasure_key', '');

-- the tombstone hashes of one record version's identifying values
CREATE FUNCTION cdm._erasure_hashes(source text, source_key text, attrs jsonb)
RETURNS TABLE (kind text, hash bytea)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
  WITH s AS (SELECT x.salt FROM cdm.erasure_salt x),
       v(kind, value) AS (
         VALUES ('source_key', source || E'\x1f' || source_key),
                ('email', cdm.email_norm(attrs ->> 'email')),
                ('phone', cdm.phone_e164(attrs ->> 'phone',
                                         coalesce(cdm.store_setting_value('phone_region'), 'US'))))
  SELECT v.kind, sha256(s.salt || convert_to(v.kind || ':' || v.value, 'UTF8'))
    FROM v, s WHERE v.value IS NOT NULL
$$;
COMMENT ON FUNCTION cdm._erasure_hashes(text, text, jsonb) IS
'Internal: the salted hashes cdm.forget keeps and cdm.ingest checks: the (source, source_key) pair, the normalised e-mail, the E.164 phone.';

CREATE FUNCTION cdm._erasure_blocks(source text, source_key text, attrs jsonb) RETURNS boolean
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  hit record;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM cdm.erasure_key) THEN
    RETURN false;                       -- the common case: nobody erased
  END IF;
  SELECT k.erasure, k.kind INTO hit
    FROM cdm._erasure_hashes(source, source_key, attrs) h
    JOIN cdm.erasure_key k ON k.hash = h.hash
   ORDER BY k.erasure LIMIT 1;
  IF NOT FOUND THEN
    RETURN false;
  END IF;
  PERFORM cdm._log('erasure_block', NULL, NULL, NULL, NULL, NULL, 'matches erasure ' || hit.erasure,
                   jsonb_build_object('erasure', hit.erasure, 'matched', hit.kind, 'source', source));
  RAISE WARNING 'cdm.ingest: a record of source "%" matches a person erased by erasure % (same %); it was not stored',
    source, hit.erasure, replace(hit.kind, '_', ' ')
    USING HINT = 'If the person gave consent again, an admin can lift the erasure: DELETE FROM cdm.erasure_key WHERE erasure = ' || hit.erasure || '.';
  RETURN true;
END
$$;
COMMENT ON FUNCTION cdm._erasure_blocks(text, text, jsonb) IS
'Internal: does an incoming record match an erased person (its source key, e-mail or phone among the tombstones)? Then an erasure_block event is logged (no personal data), a WARNING raised, and cdm.ingest stores nothing.';

CREATE FUNCTION cdm.forget(entity bigint, reason text) RETURNS jsonb
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  live   bigint;
  ids    bigint[];
  recs   bigint[];
  eid    bigint;
  n_rec  bigint;
  n_ver  bigint;
  n_blk  bigint;
  n_ms   bigint;
  n_tl   bigint;
  n_ov   bigint;
  n_cp   bigint;
  n_dec  bigint;
  n_rev  bigint;
  n_ev   bigint;
  n_key  bigint;
  n_rel  bigint;
  n_rend bigint;
  t_erase timestamptz;
  srcs   jsonb;
  rcpt   jsonb;
BEGIN
  IF entity IS NULL THEN
    RAISE EXCEPTION 'cdm.forget: entity must not be NULL' USING ERRCODE = '22004';
  END IF;
  live := cdm._store_lock_entity(entity, 'update');
  ids := ARRAY(SELECT cdm._entity_ids(live));
  -- records not erased before (an erased record keeps its row, empty)
  recs := ARRAY(SELECT r.id FROM cdm.record r WHERE r.entity = live
                   AND r.source_key <> 'erased:' || r.id ORDER BY r.id FOR UPDATE);
  IF cardinality(recs) = 0 AND NOT EXISTS (SELECT 1 FROM cdm.milestone m WHERE m.entity = ANY (ids))
     AND NOT EXISTS (SELECT 1 FROM cdm.golden_override o WHERE o.entity = ANY (ids))
     AND NOT EXISTS (SELECT 1 FROM cdm.contact_preference p WHERE p.entity = ANY (ids))
     AND NOT EXISTS (SELECT 1 FROM cdm.relationship x
                      WHERE (x.from_entity = ANY (ids) OR x.to_entity = ANY (ids))
                        AND (x.valid_to IS NULL OR x.valid_to > clock_timestamp() AND x.valid_to > x.valid_from
                             OR x.end_reason <> 'erased')) THEN
    RAISE EXCEPTION 'cdm.forget: entity % holds nothing to erase', entity
      USING ERRCODE = '22023', HINT = 'It was erased already, or never held a record: see cdm.erasure and cdm.entity_history(' || entity || ').';
  END IF;
  srcs := (SELECT coalesce(jsonb_object_agg(x.source, x.n), '{}') FROM
             (SELECT r.source, count(*) AS n FROM cdm.record r WHERE r.id = ANY (recs) GROUP BY r.source) x);
  INSERT INTO cdm.erasure (entity, reason, receipt) VALUES (live, reason, '{}') RETURNING id, erased_at INTO eid, t_erase;
  -- tombstones first, from every version (before the values go)
  INSERT INTO cdm.erasure_key (hash, erasure, kind)
  SELECT DISTINCT ON (h.hash) h.hash, eid, h.kind
    FROM cdm.record r
    JOIN cdm.record_version v ON v.record = r.id
   CROSS JOIN LATERAL cdm._erasure_hashes(r.source, r.source_key, cdm._store_clean(v.attrs)) h
   WHERE r.id = ANY (recs)
  ON CONFLICT (hash) DO NOTHING;
  GET DIAGNOSTICS n_key = ROW_COUNT;
  UPDATE cdm.record_version v SET attrs = '{}' WHERE v.record = ANY (recs);
  GET DIAGNOSTICS n_ver = ROW_COUNT;
  DELETE FROM cdm.record_block b WHERE b.record = ANY (recs);
  GET DIAGNOSTICS n_blk = ROW_COUNT;
  UPDATE cdm.record r SET attrs = '{}', k = NULL, match_phone = NULL, source_key = 'erased:' || r.id,
                          retired_at = coalesce(r.retired_at, clock_timestamp()), link_probability = NULL
   WHERE r.id = ANY (recs);
  GET DIAGNOSTICS n_rec = ROW_COUNT;
  DELETE FROM cdm.milestone m WHERE m.entity = ANY (ids) OR m.record = ANY (recs);
  GET DIAGNOSTICS n_ms = ROW_COUNT;
  DELETE FROM cdm.entity_timeline t WHERE t.entity = live;
  GET DIAGNOSTICS n_tl = ROW_COUNT;
  DELETE FROM cdm.golden_override o WHERE o.entity = ANY (ids);
  GET DIAGNOSTICS n_ov = ROW_COUNT;
  DELETE FROM cdm.contact_preference p WHERE p.entity = ANY (ids);
  GET DIAGNOSTICS n_cp = ROW_COUNT;
  UPDATE cdm.decision d SET reason = NULL WHERE d.record_a = ANY (recs) OR d.record_b = ANY (recs);
  GET DIAGNOSTICS n_dec = ROW_COUNT;
  UPDATE cdm.review_item ri SET resolved_at = coalesce(ri.resolved_at, clock_timestamp()),
                                resolution = coalesce(ri.resolution, 'erased')
   WHERE ri.record_a = ANY (recs) OR ri.record_b = ANY (recs);
  GET DIAGNOSTICS n_rev = ROW_COUNT;
  UPDATE cdm.event e SET reason = NULL, detail = NULL
   WHERE (e.entity = ANY (ids) OR e.other_entity = ANY (ids) OR e.record = ANY (recs))
     AND (e.reason IS NOT NULL OR e.detail IS NOT NULL);
  GET DIAGNOSTICS n_ev = ROW_COUNT;
  -- relationships on any of its ids, either side: the rows stay (ids, not
  -- personal data, and the other side's history needs them); one still
  -- holding after the erasure ends at it (one not started yet gets the
  -- empty period [valid_from, valid_from)), reason 'erased'; the reason
  -- given for an earlier end is free text and goes
  WITH u AS (
    UPDATE cdm.relationship x
       SET valid_to = CASE WHEN x.valid_to IS NULL OR x.valid_to > t_erase AND x.valid_to > x.valid_from THEN greatest(x.valid_from, t_erase) ELSE x.valid_to END,
           ended_at = CASE WHEN x.valid_to IS NULL OR x.valid_to > t_erase AND x.valid_to > x.valid_from THEN t_erase ELSE x.ended_at END,
           ended_by = CASE WHEN x.valid_to IS NULL OR x.valid_to > t_erase AND x.valid_to > x.valid_from THEN cdm._actor() ELSE x.ended_by END,
           end_reason = CASE WHEN x.valid_to IS NULL OR x.valid_to > t_erase AND x.valid_to > x.valid_from THEN 'erased' END
     WHERE (x.from_entity = ANY (ids) OR x.to_entity = ANY (ids))
       AND (x.valid_to IS NULL OR x.valid_to > t_erase AND x.valid_to > x.valid_from OR x.end_reason <> 'erased')
    RETURNING x.end_reason
  )
  SELECT count(*), count(*) FILTER (WHERE u.end_reason = 'erased') INTO n_rel, n_rend FROM u;
  rcpt := jsonb_build_object(
    'erasure', eid, 'entity', live, 'entity_ids', to_jsonb(ids), 'reason', reason,
    'erased_at', clock_timestamp(), 'erased_by', cdm._actor(),
    'records', n_rec, 'records_by_source', srcs, 'versions', n_ver, 'blocking_values', n_blk,
    'milestones', n_ms, 'timelines', n_tl, 'golden_overrides', n_ov, 'contact_preferences', n_cp, 'decisions', n_dec,
    'review_items', n_rev, 'log_entries', n_ev, 'tombstones', n_key,
    'relationships', n_rel, 'relationships_ended', n_rend,
    'kept', 'entity ids and their merge links; record rows with their ids, versions numbers and times, retired, attributes empty, keys replaced by erased:<record id>; log entries with kind, time, ids and who; relationships with their ids, type, source, who recorded them and when, ended at the erasure (reason erased), earlier end reasons removed; salted hashes of the source keys, e-mail addresses and phone numbers');
  UPDATE cdm.erasure x SET receipt = rcpt WHERE x.id = eid;
  PERFORM cdm._log('erase', live, NULL, NULL, NULL, NULL, NULL, jsonb_build_object('erasure', eid));
  RETURN rcpt;
END
$$;
COMMENT ON FUNCTION cdm.forget(bigint, text) IS
'Erase a person: remove the personal data of the entity (as currently resolved: every id merged into it, every record on it) from every record and version (attributes emptied, source keys replaced by erased:<record id>, records retired), the blocking values, milestones and timeline, golden overrides, preferred contact points chosen by stewards, decision reasons, log entries'' reasons and details; resolve its open review items (erased); end its relationships (recorded on any of its ids, either side) still holding at the erasure, at the erasure time with end reason erased (one not started yet gets an empty period), and remove the end reasons given earlier: the relationship rows stay (ids, type, source, period, who), as the other side''s history needs them. Keeps ids, times and the kind of each logged event, and salted SHA-256 hashes of its source keys, e-mail addresses and phone numbers, so a re-import is stopped (cdm.ingest returns NULL with a WARNING) instead of bringing the person back. Returns the receipt (counts per table, sources, relationships changed and ended, what was kept), also stored in cdm.erasure. Nothing left to erase: 22023; unknown entity: 42704; NULL: 22004.';

CREATE FUNCTION cdm.export(entity bigint) RETURNS jsonb
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  live bigint;
  ids  bigint[];
BEGIN
  IF entity IS NULL THEN
    RETURN NULL;
  END IF;
  live := cdm._live_entity('cdm.export', entity);
  ids := ARRAY(SELECT cdm._entity_ids(live));
  RETURN jsonb_build_object(
    'entity', live,
    'entity_ids', to_jsonb(ids),
    'exported_at', now(),
    'golden', (SELECT jsonb_build_object('attrs', g.attrs, 'provenance', g.provenance)
                 FROM cdm.golden g WHERE g.entity = live),
    'records', coalesce((
      SELECT jsonb_agg(jsonb_build_object(
               'source', r.source, 'source_key', r.source_key, 'attrs', r.attrs,
               'first_seen', r.created_at, 'updated', r.updated_at, 'retired', r.retired_at,
               'linked_by', r.link_rule,
               'versions', (SELECT jsonb_agg(jsonb_build_object('version', v.version, 'attrs', v.attrs,
                                                                'ingested_at', v.ingested_at) ORDER BY v.version)
                              FROM cdm.record_version v WHERE v.record = r.id))
             ORDER BY r.id)
        FROM cdm.record r WHERE r.entity = live), '[]'),
    'golden_overrides', coalesce((
      SELECT jsonb_agg(jsonb_build_object('attribute', o.attribute, 'value', o.value, 'reason', o.reason,
                                          'set_by', o.set_by, 'set_at', o.set_at) ORDER BY o.attribute)
        FROM cdm.golden_override o WHERE o.entity = live), '[]'),
    'contact_preferences', coalesce((
      SELECT jsonb_agg(jsonb_build_object('kind', p.kind, 'type', p.type, 'value', p.value, 'reason', p.reason,
                                          'set_by', p.set_by, 'set_at', p.set_at, 'entity', p.entity)
                       ORDER BY p.kind, p.type, p.entity = live DESC, p.set_at DESC)
        FROM cdm.contact_preference p WHERE p.entity = ANY (ids)), '[]'),
    'relationships', coalesce((
      SELECT jsonb_agg(jsonb_build_object(
               'relationship', x.relationship, 'type', x.type, 'role', x.role, 'direction', x.direction,
               'other_entity', x.other_entity, 'valid_from', x.valid_from, 'valid_to', x.valid_to,
               'source', x.source, 'from_entity', x.from_entity, 'to_entity', x.to_entity,
               'recorded_at', r.recorded_at, 'recorded_by', r.recorded_by,
               'ended_at', r.ended_at, 'ended_by', r.ended_by, 'end_reason', r.end_reason)
             ORDER BY x.valid_from, x.relationship)
        FROM cdm.relationships(live, NULL) x
        JOIN cdm.relationship r ON r.id = x.relationship), '[]'),
    'milestones', coalesce((
      SELECT jsonb_agg(to_jsonb(t) - 'milestone_id' ORDER BY t.at, t.milestone) FROM cdm.timeline(live) t), '[]'),
    'decisions', coalesce((
      SELECT jsonb_agg(jsonb_build_object('record_a', d.record_a, 'record_b', d.record_b, 'decision', d.decision,
                                          'reason', d.reason, 'decided_by', d.decided_by, 'decided_at', d.decided_at))
        FROM cdm.decision d
       WHERE d.record_a IN (SELECT r.id FROM cdm.record r WHERE r.entity = live)
          OR d.record_b IN (SELECT r.id FROM cdm.record r WHERE r.entity = live)), '[]'),
    'history', coalesce((
      SELECT jsonb_agg(to_jsonb(h) - 'ordinality' ORDER BY h.ordinality)
        FROM cdm.entity_history(live) WITH ORDINALITY h), '[]'),
    'stage', cdm.stage_at(live)::text,
    'active_under', coalesce((
      SELECT jsonb_agg(d.name ORDER BY d.name) FROM cdm.active_definition_current d
       WHERE cdm.is_active(live, d.name)), '[]'));
END
$$;
COMMENT ON FUNCTION cdm.export(bigint) IS
'Everything cdm holds on a person (the entity as currently resolved), as one JSON document for an access request: the golden record with its provenance, every record with its source and every version as ingested, steward overrides, the preferred contact points stewards chose (on any of its ids: kind, type, value, reason, who, when, the id it was set on), milestones with their sources, its relationships (both directions, ended ones too, resolved through merges as cdm.relationships: type, role read from this entity, direction, the other entity''s id only, period, source, the ids as recorded, who recorded and ended them, when and why), decisions, the full history (store events and relationships recorded and ended, as cdm.entity_history), the current stage and the definitions of active it meets. Unknown entity: 42704; NULL: NULL.';

