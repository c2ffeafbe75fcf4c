-- ---------------------------------------------------------------------------
-- Entity store: one living customer record while the CRM, till, billing and
-- web keep writing.  Tables and small helpers; ingest, merge, unmerge and
-- decide in 61_ingest.sql; golden records and history in 62_golden.sql;
-- registered sources (triggers) in 63_source.sql.
--
-- Model:
--   cdm.entity          one row per entity id ever given (a sequence);
--                       merged_into forwards an id that lost a merge.
--   cdm.record          one row per (source, source_key): the current
--                       version, its blocking key k (GiST) and its link to an
--                       entity (the cross-reference record -> entity).
--   cdm.record_version  every version ever ingested, never overwritten.
--   cdm.decision        steward decisions on pairs of records.
--   cdm.review_item     the grey-zone pairs waiting for a steward.
--   cdm.event           the log: every create, link, version, relink, merge,
--                       unmerge, decision, review, retire and override, with
--                       who (the calling role, cdm._actor()), when (clock_timestamp()) and why.
-- ---------------------------------------------------------------------------

CREATE TABLE cdm.store_setting (
  name  text PRIMARY KEY
        CHECK (name IN ('link_threshold', 'review_threshold', 'model', 'candidates', 'phone_region')),
  value text
);
COMMENT ON TABLE cdm.store_setting IS
'Settings of the entity store, by name; a missing row means the default. link_threshold (default 0.9): a candidate scoring at least this links; review_threshold (default 0.5): from this up to link_threshold the pair is queued in cdm.review; model (default NULL: cdm.match_probability''s built-in model): the cdm.match_model used to score; candidates (default 20): records scored per ingest (those sharing the rarest blocking values), and the most records read per blocking value (the newest); phone_region (default US): region of phone numbers written without a country code, for the blocking key.';
COMMENT ON COLUMN cdm.store_setting.name IS 'link_threshold, review_threshold, model, candidates or phone_region.';
COMMENT ON COLUMN cdm.store_setting.value IS 'The value as text; NULL means the default.';
SELECT pg_catalog.pg_extension_config_dump('cdm.store_setting', '');

CREATE FUNCTION cdm.store_setting_value(setting text) RETURNS text
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v text;
BEGIN
  SELECT s.value INTO v FROM cdm.store_setting s WHERE s.name = setting;
  v := coalesce(v, CASE setting
                     WHEN 'link_threshold' THEN '0.9'
                     WHEN 'review_threshold' THEN '0.5'
                     WHEN 'candidates' THEN '20'
                     WHEN 'phone_region' THEN 'US'
                     WHEN 'model' THEN NULL
                     ELSE NULL END);
  IF setting NOT IN ('link_threshold', 'review_threshold', 'model', 'candidates', 'phone_region') THEN
    RAISE EXCEPTION 'cdm: unknown store setting "%"', setting
      USING ERRCODE = '22023',
            HINT = 'The settings are link_threshold, review_threshold, model, candidates and phone_region.';
  END IF;
  RETURN v;
END
$$;
COMMENT ON FUNCTION cdm.store_setting_value(text) IS
'The effective value of an entity-store setting: the row of cdm.store_setting, else the default (link_threshold 0.9, review_threshold 0.5, model NULL, candidates 20, phone_region US). An unknown name is an error (22023).';

CREATE SEQUENCE cdm.entity_id_seq;
COMMENT ON SEQUENCE cdm.entity_id_seq IS 'Entity ids: increasing, so the older of two entities has the smaller id.';
SELECT pg_catalog.pg_extension_config_dump('cdm.entity_id_seq', '');

CREATE TABLE cdm.entity (
  id          bigint PRIMARY KEY DEFAULT nextval('cdm.entity_id_seq'),
  created_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
  merged_into bigint REFERENCES cdm.entity (id),
  merged_at   timestamptz,
  CHECK (merged_into IS DISTINCT FROM id)
);
COMMENT ON TABLE cdm.entity IS
'Every entity id the store ever gave. An id that lost a merge stays, with merged_into naming the entity it was merged into, so ids handed out earlier still resolve (cdm.entity_of, cdm.entity_live). Live entities have merged_into NULL.';
COMMENT ON COLUMN cdm.entity.id IS 'The entity id (from cdm.entity_id_seq: older entities have smaller ids).';
COMMENT ON COLUMN cdm.entity.created_at IS 'When the entity was created.';
COMMENT ON COLUMN cdm.entity.merged_into IS 'NULL for a live entity; else the entity it was merged into (follow the chain to the live one).';
COMMENT ON COLUMN cdm.entity.merged_at IS 'When it was merged away.';
CREATE INDEX entity_merged_into_idx ON cdm.entity (merged_into) WHERE merged_into IS NOT NULL;
COMMENT ON INDEX cdm.entity_merged_into_idx IS 'Entities merged into a given one (cdm.entity_history, unmerge).';
SELECT pg_catalog.pg_extension_config_dump('cdm.entity', '');

CREATE SEQUENCE cdm.record_id_seq;
COMMENT ON SEQUENCE cdm.record_id_seq IS 'Record ids.';
SELECT pg_catalog.pg_extension_config_dump('cdm.record_id_seq', '');

CREATE TABLE cdm.record (
  id               bigint PRIMARY KEY DEFAULT nextval('cdm.record_id_seq'),
  source           text NOT NULL,
  source_key       text NOT NULL,
  version          integer NOT NULL,
  attrs            jsonb NOT NULL,
  k                cdm.key,
  match_phone      text,
  entity           bigint NOT NULL REFERENCES cdm.entity (id),
  first_entity     bigint NOT NULL REFERENCES cdm.entity (id),
  link_rule        text NOT NULL
                   CHECK (link_rule IN ('new', 'score', 'batch', 'decision', 'merge', 'unmerge')),
  link_probability float8,
  created_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
  retired_at       timestamptz,
  UNIQUE (source, source_key)
);
COMMENT ON TABLE cdm.record IS
'One row per source record (source, source_key): its current version and attributes, its blocking key and the entity it belongs to (the cross-reference). Earlier versions are in cdm.record_version. A retired record (deleted at its source) keeps its row with retired_at set and takes no part in matching or golden records.';
COMMENT ON COLUMN cdm.record.id IS 'Record id, as used by cdm.decide and cdm.review.';
COMMENT ON COLUMN cdm.record.source IS 'The source system (''crm'', ''till'', ...).';
COMMENT ON COLUMN cdm.record.source_key IS 'The record''s key in its source.';
COMMENT ON COLUMN cdm.record.version IS 'The current version number (1, 2, ...); its attributes are also in cdm.record_version.';
COMMENT ON COLUMN cdm.record.attrs IS 'The current attributes by role (given_name, family_name, full_name, dob, email, phone, address, city, postcode, country, national_id), other keys kept as they came.';
COMMENT ON COLUMN cdm.record.k IS 'cdm.record_key(name, email, phone, address) of the current version: the candidate search of cdm.ingest (GiST, KNN). NULL when the record has none of them.';
COMMENT ON COLUMN cdm.record.match_phone IS 'cdm._store_phone of the current version: its phone as the matcher reads it (E.164 digits, or the digits as written). Kept so that a candidate''s phone is not parsed again at every ingest; NULL without a phone (and after cdm.forget).';
COMMENT ON COLUMN cdm.record.entity IS 'The entity the record belongs to (kept live by merges; cdm.entity_of follows merged_into anyway).';
COMMENT ON COLUMN cdm.record.first_entity IS 'The entity the record was first placed in: the id cdm.unmerge gives back when it is free.';
COMMENT ON COLUMN cdm.record.link_rule IS 'Why the record is on its entity: new (it created it), score (a candidate scored >= link_threshold), batch (cdm.load_records put it in the entity of its cdm.dedupe cluster), decision (a steward match), merge (cdm.merge), unmerge (cdm.unmerge or a no_match split). Only new, score and batch links are re-evaluated when the record is ingested again.';
COMMENT ON COLUMN cdm.record.link_probability IS 'The match probability of the link: when link_rule is score, the candidate''s score with the store''s model; when batch, the record''s strongest link inside its cdm.dedupe cluster (cdm.dedupe''s model).';
COMMENT ON COLUMN cdm.record.created_at IS 'First ingest.';
COMMENT ON COLUMN cdm.record.updated_at IS 'Ingest of the current version.';
COMMENT ON COLUMN cdm.record.retired_at IS 'When the record was retired (deleted at its source); NULL while live.';
-- Not partial (WHERE retired_at IS NULL): a partial index matches every
-- query that tests retired_at IS NULL, and a plan cached while the store was
-- small then scanned the whole index to find records by id.
CREATE INDEX record_k_idx ON cdm.record USING gist (k);
COMMENT ON INDEX cdm.record_k_idx IS 'Nearest records by k <-> q, for ad hoc searches (WHERE retired_at IS NULL ORDER BY k <-> cdm.record_key(...) LIMIT n for live ones); cdm.ingest finds its candidates through cdm.record_block.';
CREATE INDEX record_entity_idx ON cdm.record (entity);
COMMENT ON INDEX cdm.record_entity_idx IS 'Records of an entity (merges, golden records).';
SELECT pg_catalog.pg_extension_config_dump('cdm.record', '');

-- The blocking values of every live record's current version (the rules of
-- cdm.dedupe): cdm.ingest finds candidates by exact lookups here, a cost
-- that stays flat as the store grows, where a nearest-neighbour scan of the
-- key index reads a share of the whole index per probe.
--
-- No foreign key to cdm.record: an ingest writes about 15 rows here, and
-- each would cost a referential-integrity query locking the record row.  The
-- store's own functions are its only writers, and cdm.check_store() checks
-- that the table holds exactly the values of the live records.  Vacuumed
-- after a small share of new rows (not the default 20%): the candidate search
-- reads it by index-only scans, which read the table itself for every row on
-- a page vacuum has not yet marked all-visible.
CREATE TABLE cdm.record_block (
  bkey   bigint NOT NULL,
  record bigint NOT NULL,
  PRIMARY KEY (bkey, record)
) WITH (autovacuum_vacuum_insert_scale_factor = 0.005);
CREATE INDEX record_block_record_idx ON cdm.record_block (record);
COMMENT ON TABLE cdm.record_block IS
'The blocking values (cdm.blocking_keys) of each live record''s current version: records sharing one are candidates for each other. Maintained by cdm.ingest, cdm.retire, cdm.load_records and cdm.forget (no foreign key: cdm.check_store() checks it against cdm.record); autovacuumed after 0.5% new rows, so that the candidate search stays index-only.';
COMMENT ON COLUMN cdm.record_block.bkey IS 'One blocking value (a hash of a rule and its value).';
COMMENT ON COLUMN cdm.record_block.record IS 'The record that has it.';
COMMENT ON INDEX cdm.record_block_record_idx IS 'The values of one record (replaced on a new version, removed on retire).';
SELECT pg_catalog.pg_extension_config_dump('cdm.record_block', '');

CREATE TABLE cdm.record_version (
  record      bigint NOT NULL REFERENCES cdm.record (id),
  version     integer NOT NULL,
  attrs       jsonb NOT NULL,
  ingested_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  ingested_by text NOT NULL DEFAULT cdm._actor(),
  PRIMARY KEY (record, version)
);
COMMENT ON TABLE cdm.record_version IS
'Every version of every record, as ingested; never updated or deleted by cdm. A changed record is a new version.';
COMMENT ON COLUMN cdm.record_version.record IS 'The record (cdm.record.id).';
COMMENT ON COLUMN cdm.record_version.version IS 'Version number, from 1.';
COMMENT ON COLUMN cdm.record_version.attrs IS 'The attributes exactly as ingested.';
COMMENT ON COLUMN cdm.record_version.ingested_at IS 'When.';
COMMENT ON COLUMN cdm.record_version.ingested_by IS 'Who: the calling role (cdm._actor()).';
SELECT pg_catalog.pg_extension_config_dump('cdm.record_version', '');

CREATE TABLE cdm.decision (
  record_a   bigint NOT NULL REFERENCES cdm.record (id),
  record_b   bigint NOT NULL REFERENCES cdm.record (id),
  decision   text NOT NULL CHECK (decision IN ('match', 'no_match')),
  reason     text,
  decided_by text NOT NULL DEFAULT cdm._actor(),
  decided_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (record_a, record_b),
  CHECK (record_a < record_b)
);
COMMENT ON TABLE cdm.decision IS
'Steward decisions on pairs of records (record_a < record_b), the latest per pair: a match pair is always linked, a no_match pair never, whatever the scores say. Earlier decisions are in cdm.event.';
COMMENT ON COLUMN cdm.decision.record_a IS 'The smaller record id.';
COMMENT ON COLUMN cdm.decision.record_b IS 'The larger record id.';
COMMENT ON COLUMN cdm.decision.decision IS 'match or no_match.';
COMMENT ON COLUMN cdm.decision.reason IS 'Why, as the steward wrote it.';
COMMENT ON COLUMN cdm.decision.decided_by IS 'Who.';
COMMENT ON COLUMN cdm.decision.decided_at IS 'When.';
CREATE INDEX decision_record_b_idx ON cdm.decision (record_b);
COMMENT ON INDEX cdm.decision_record_b_idx IS 'Decisions naming a record as record_b.';
SELECT pg_catalog.pg_extension_config_dump('cdm.decision', '');

CREATE SEQUENCE cdm.review_item_id_seq;
COMMENT ON SEQUENCE cdm.review_item_id_seq IS 'Review item ids.';
SELECT pg_catalog.pg_extension_config_dump('cdm.review_item_id_seq', '');

CREATE TABLE cdm.review_item (
  id          bigint PRIMARY KEY DEFAULT nextval('cdm.review_item_id_seq'),
  record_a    bigint NOT NULL REFERENCES cdm.record (id),
  record_b    bigint NOT NULL REFERENCES cdm.record (id),
  probability float8 NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
  resolved_at timestamptz,
  resolution  text CHECK (resolution IN ('match', 'no_match', 'same_entity', 'erased')),
  CHECK (record_a < record_b)
);
COMMENT ON TABLE cdm.review_item IS
'Pairs of records in different entities that scored between review_threshold and link_threshold (or above the link threshold with a second entity), queued by cdm.ingest for a steward; open while resolved_at is NULL. cdm.decide resolves them; a merge that puts both records in one entity resolves them as same_entity. See the view cdm.review.';
COMMENT ON COLUMN cdm.review_item.id IS 'Review item id.';
COMMENT ON COLUMN cdm.review_item.record_a IS 'The smaller record id.';
COMMENT ON COLUMN cdm.review_item.record_b IS 'The larger record id.';
COMMENT ON COLUMN cdm.review_item.probability IS 'The match probability when queued (the latest, if the pair was scored again).';
COMMENT ON COLUMN cdm.review_item.created_at IS 'When queued.';
COMMENT ON COLUMN cdm.review_item.resolved_at IS 'When resolved; NULL while open.';
COMMENT ON COLUMN cdm.review_item.resolution IS 'match, no_match (by cdm.decide), same_entity (both records ended in one entity) or erased (cdm.forget took one of them).';
CREATE UNIQUE INDEX review_item_open_idx ON cdm.review_item (record_a, record_b) WHERE resolved_at IS NULL;
COMMENT ON INDEX cdm.review_item_open_idx IS 'At most one open review item per pair.';
SELECT pg_catalog.pg_extension_config_dump('cdm.review_item', '');

CREATE SEQUENCE cdm.event_id_seq;
COMMENT ON SEQUENCE cdm.event_id_seq IS 'Event ids (increasing in commit-independent order of writing).';
SELECT pg_catalog.pg_extension_config_dump('cdm.event_id_seq', '');

CREATE TABLE cdm.event (
  id           bigint PRIMARY KEY DEFAULT nextval('cdm.event_id_seq'),
  at           timestamptz NOT NULL DEFAULT clock_timestamp(),
  who          text NOT NULL DEFAULT cdm._actor(),
  event        text NOT NULL CHECK (event IN ('create', 'link', 'version', 'relink', 'merge', 'unmerge',
                                              'decide', 'review', 'retire', 'override', 'erase',
                                              'erasure_block')),
  entity       bigint,
  other_entity bigint,
  record       bigint,
  version      integer,
  probability  float8,
  reason       text,
  detail       jsonb
);
COMMENT ON TABLE cdm.event IS
'The store''s log, append-only: create (a record created entity), link (a record joined entity), version (a record got a new version and stayed), relink (a record moved from other_entity to entity), merge (other_entity merged into entity), unmerge (a record left other_entity for entity), decide (a steward decision on record and detail->record_b), review (a pair queued), retire (a record deleted at its source), override (a golden value or a preferred contact point set or cleared: detail attribute, or contact_kind and contact_type), erase (cdm.forget removed the entity''s personal data; earlier events of it keep their kind, time and ids, their reason and detail are cleared), erasure_block (an ingest matched an erased person and was not stored). who is the calling role (SET ROLE, else the session user), at clock_timestamp().';
COMMENT ON COLUMN cdm.event.id IS 'Event id.';
COMMENT ON COLUMN cdm.event.at IS 'When (clock_timestamp()).';
COMMENT ON COLUMN cdm.event.who IS 'Who: the calling role (cdm._actor()).';
COMMENT ON COLUMN cdm.event.event IS 'create, link, version, relink, merge, unmerge, decide, review, retire, override, erase or erasure_block.';
COMMENT ON COLUMN cdm.event.entity IS 'The entity the event shaped (for merge: the survivor).';
COMMENT ON COLUMN cdm.event.other_entity IS 'The second entity: merged away (merge), left (relink, unmerge), of record_b (decide, review).';
COMMENT ON COLUMN cdm.event.record IS 'The record concerned, if any.';
COMMENT ON COLUMN cdm.event.version IS 'The record version concerned, if any.';
COMMENT ON COLUMN cdm.event.probability IS 'The match probability behind a link or review, if any.';
COMMENT ON COLUMN cdm.event.reason IS 'Why: the caller''s reason, or what the store saw.';
COMMENT ON COLUMN cdm.event.detail IS 'More, by event: record_b, decision, attribute, value...';
CREATE INDEX event_entity_idx ON cdm.event (entity);
COMMENT ON INDEX cdm.event_entity_idx IS 'Events of an entity (cdm.entity_history).';
CREATE INDEX event_other_entity_idx ON cdm.event (other_entity) WHERE other_entity IS NOT NULL;
COMMENT ON INDEX cdm.event_other_entity_idx IS 'Events naming an entity as the second one (cdm.entity_history).';
SELECT pg_catalog.pg_extension_config_dump('cdm.event', '');

-- ------------------------------------------------------------------ helpers

CREATE FUNCTION cdm.entity_live(entity bigint) RETURNS bigint
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  cur  bigint := entity;
  nxt  bigint;
  hops integer := 0;
BEGIN
  LOOP
    SELECT e.merged_into INTO nxt FROM cdm.entity e WHERE e.id = cur;
    IF NOT FOUND THEN
      RETURN NULL;
    END IF;
    EXIT WHEN nxt IS NULL;
    cur := nxt;
    hops := hops + 1;
    IF hops > 10000 THEN
      RAISE EXCEPTION 'cdm: merge chain of entity % does not end', entity USING ERRCODE = 'XX000';
    END IF;
  END LOOP;
  RETURN cur;
END
$$;
COMMENT ON FUNCTION cdm.entity_live(bigint) IS
'The live entity an entity id stands for: the id itself, or the end of its merged_into chain. NULL for an id the store never gave; NULL in, NULL out.';

-- the ids of a live entity and of every entity merged into it.  A body in
-- SQL-standard form, bound when created (no search_path needed) and so
-- inlined where it is called in FROM: a lookup by the partial index on
-- merged_into, costing next to nothing for an entity nothing was merged into
CREATE FUNCTION cdm._entity_ids(live bigint) RETURNS SETOF bigint
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
  WITH RECURSIVE t(id) AS (
    SELECT live
    UNION ALL
    SELECT e.id FROM cdm.entity e JOIN t ON e.merged_into = t.id WHERE e.merged_into IS NOT NULL
  )
  SELECT t.id FROM t;
END;
COMMENT ON FUNCTION cdm._entity_ids(bigint) IS
'Internal: an entity id and every id merged into it, directly or not.';

-- The live entity of an id for a function that needs one: the same
-- 42704 error, with a hint, for every caller.
CREATE FUNCTION cdm._live_entity(caller text, entity bigint) RETURNS bigint
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  live bigint := cdm.entity_live(entity);
BEGIN
  IF live IS NULL THEN
    RAISE EXCEPTION '%: no entity %', caller, entity
      USING ERRCODE = '42704',
            HINT = 'Entity ids come from cdm.ingest or cdm.entity_of(source, source_key); an id merged into another still finds its survivor.';
  END IF;
  RETURN live;
END
$$;
COMMENT ON FUNCTION cdm._live_entity(text, bigint) IS
'Internal: cdm.entity_live(entity), or ERROR 42704 "<caller>: no entity <id>" with a hint when the store has no such entity.';

CREATE FUNCTION cdm.record_id(source text, source_key text) RETURNS bigint
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$ SELECT r.id FROM cdm.record r WHERE r.source = $1 AND r.source_key = $2 $$;
COMMENT ON FUNCTION cdm.record_id(text, text) IS
'The record id of (source, source_key), for cdm.decide; NULL when the store has no such record.';

-- The store's key of a record; an SQL-standard body (bound when created, no
-- search_path of its own) of immutable functions only (given || ' ' ||
-- family, not concat_ws, which is STABLE), so the planner inlines it into
-- cdm.ingest and cdm.load_records, which both compute keys with it.  (An
-- IMMUTABLE SQL function with a STABLE call inside is not inlined: it runs
-- the SQL function executor, planned again in each transaction.)
CREATE FUNCTION cdm._store_key(attrs jsonb, phone_region text) RETURNS cdm.key
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN cdm.record_key(coalesce(nullif(btrim(coalesce(attrs->>'full_name',
                                 coalesce(nullif(btrim(attrs->>'given_name'), '') || ' ' || nullif(btrim(attrs->>'family_name'), ''),
                                          nullif(btrim(attrs->>'given_name'), ''),
                                          nullif(btrim(attrs->>'family_name'), '')))), ''),
                               nullif(btrim(attrs->>'organisation_name'), '')),
                      nullif(btrim(attrs->>'email'), ''),
                      nullif(btrim(attrs->>'phone'), ''),
                      nullif(btrim(attrs->>'address'), ''),
                      phone_region);
COMMENT ON FUNCTION cdm._store_key(jsonb, text) IS
'Internal: the key k of a store record from its cleaned attributes: cdm.record_key(full_name, or given_name and family_name, or else organisation_name; email; phone; address; phone_region), blank strings counting as missing; NULL when all four are missing. Used by cdm.ingest and cdm.load_records.';

-- an SQL-standard body: bound when created (no search_path of its own),
-- so the planner inlines it into the queries that test every record
CREATE FUNCTION cdm._org_record(attrs jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN nullif(btrim(attrs ->> 'organisation_name'), '') IS NOT NULL
   AND nullif(btrim(attrs ->> 'given_name'), '') IS NULL
   AND nullif(btrim(attrs ->> 'family_name'), '') IS NULL
   AND nullif(btrim(attrs ->> 'full_name'), '') IS NULL;
COMMENT ON FUNCTION cdm._org_record(jsonb) IS
'Internal: is this an organisation''s own record: an organisation_name and no personal name (given_name, family_name, full_name)? A person''s record may name the organisation they work for and stays a person''s (the matching rule of cdm.dedupe and cdm.ingest).';

-- How the records read for a record's blocking values are ranked (C: the
-- sort and the weights; an SQL ranking with a window count, a grouping and a
-- sort cost as much as the index probes themselves).
CREATE FUNCTION cdm._store_rank_candidates(bkeys bigint[], records bigint[], n integer, not_record bigint)
RETURNS bigint[]
AS 'MODULE_PATHNAME', 'cdm_store_rank_candidates'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cdm._store_rank_candidates(bigint[], bigint[], integer, bigint) IS
'Internal: the ranking of cdm._store_candidate_ids on its own: records[i] was read for blocking value bkeys[i] (a repeated pair counts once); returns at most n of the records, best first: each value weighs 1 / the distinct records read for it, a record scores the sum of its values'' weights (added in ascending value order), ties to the larger id; not_record (NULL: none) is weighed but left out. NULL arrays: an empty array; NULL n: no cap. Arrays of different lengths: 2202E; a NULL element: 22004; n < 0: 2201W.';

-- The reads and the ranking in one C call: per value the index-only reads
-- of the primary key that SQL would make (bkey = v ORDER BY record DESC
-- LIMIT n), without a nested loop of executor nodes around them, which cost
-- more than the reads.
CREATE FUNCTION cdm._store_candidate_ids(bkeys bigint[], n integer, not_record bigint)
RETURNS bigint[]
AS 'MODULE_PATHNAME', 'cdm_store_candidate_ids'
LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION cdm._store_candidate_ids(bigint[], integer, bigint) IS
'Internal to cdm._store_candidates: per value of bkeys (one given twice counts once) the newest n records holding it in cdm.record_block (read through its primary key, as the statement''s snapshot sees them), ranked as cdm._store_rank_candidates ranks them; at most n, best first, not_record weighed but left out. NULL bkeys: an empty array; NULL n: no cap. A NULL element: 22004; n < 0: 2201W; a caller who may not read cdm.record_block: 42501.';

-- The store's candidates of a record, the one definition for cdm.ingest and
-- cdm.load_records.  An SQL-standard body (bound when created, no
-- search_path of its own), so the planner inlines it into both queries.
CREATE FUNCTION cdm._store_candidates(bk bigint[], n integer, not_record bigint)
RETURNS TABLE (record bigint)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
  SELECT c.record
    FROM unnest(cdm._store_candidate_ids(bk, n, not_record)) WITH ORDINALITY c(record, pos)
   ORDER BY c.pos;
END;
COMMENT ON FUNCTION cdm._store_candidates(bigint[], integer, bigint) IS
'Internal: the candidates of a record with blocking values bk (cdm.blocking_keys), as cdm.ingest and cdm.load_records find them: per value the newest n records of cdm.record_block, ranked by the values they share with it, each weighing 1 / the records read for it (an e-mail only they have outweighs a family name read to the cap), ties to the newest (cdm._store_candidate_ids reads and ranks them); at most n, record not_record left out (the record itself on a re-ingest; NULL: none). Retired records have no blocking values, so none is returned. Inlined by the planner into the queries that call it.';

CREATE FUNCTION cdm._store_lock_values(attrs jsonb) RETURNS text[]
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  fam   text := cdm.fold(nullif(btrim(attrs->>'family_name'), ''));
  email text := cdm.email_norm(nullif(btrim(attrs->>'email'), ''));
  phone text := regexp_replace(coalesce(attrs->>'phone', ''), '[^0-9]', '', 'g');
  org   text;
  v     text[] := '{}';
BEGIN
  IF fam IS NULL AND nullif(btrim(attrs->>'full_name'), '') IS NOT NULL THEN
    fam := (SELECT w FROM regexp_split_to_table(cdm.fold(attrs->>'full_name'), '\s+') WITH ORDINALITY t(w, n)
             WHERE w <> '' ORDER BY n DESC LIMIT 1);
  END IF;
  IF fam IS NOT NULL AND fam <> '' THEN v := v || ('n:' || fam); END IF;
  -- an organisation's own record: its name without legal forms
  IF fam IS NULL AND nullif(btrim(attrs->>'given_name'), '') IS NULL THEN
    org := nullif(cdm.org_name_norm(attrs->>'organisation_name'), '');
    IF org IS NOT NULL THEN v := v || ('o:' || org); END IF;
  END IF;
  IF email IS NOT NULL AND email <> '' THEN v := v || ('e:' || email); END IF;
  IF length(phone) >= 7 THEN v := v || ('p:' || right(phone, 7)); END IF;
  RETURN ARRAY(SELECT DISTINCT x FROM unnest(v) x ORDER BY 1);
END
$$;
COMMENT ON FUNCTION cdm._store_lock_values(jsonb) IS
'Internal: the values cdm.ingest takes advisory locks on so that two sessions ingesting the same new person at once see each other: folded family name (else the last word of full_name; for an organisation''s record, cdm.org_name_norm of organisation_name), normalised e-mail, last 7 phone digits. Sorted, so every session takes its locks in the same order.';

CREATE FUNCTION cdm._log(event text, entity bigint, other_entity bigint, record bigint,
                         version integer, probability float8, reason text, detail jsonb DEFAULT NULL)
RETURNS void
LANGUAGE sql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
  INSERT INTO cdm.event (event, entity, other_entity, record, version, probability, reason, detail)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
$$;
COMMENT ON FUNCTION cdm._log(text, bigint, bigint, bigint, integer, float8, text, jsonb) IS
'Internal: append an event to cdm.event (who and when are filled in).';
