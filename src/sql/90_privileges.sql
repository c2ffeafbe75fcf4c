-- ---------------------------------------------------------------------------
-- Roles and privileges: least privilege for the three kinds of users.
--
--   cdm_reader   analysts and BI tools: read golden records, the review
--                queue, history, timelines, active counts and every view.
--   cdm_steward  data stewards and the services that feed the store:
--                ingest, batch loads, merge, unmerge, decide, retire, golden overrides,
--                milestones.  Includes cdm_reader.
--   cdm_admin    who defines the rules: definitions of active, milestone
--                names, stage models, store settings, survivorship,
--                registered sources, timeline rebuilds.  Includes
--                cdm_steward.
--
-- The functions that write the store and the lifecycle tables are SECURITY
-- DEFINER with their own search_path, so the roles above hold no write
-- privilege on any table: the store changes only through cdm's functions,
-- and every change is logged as the calling role (cdm._actor()).  The
-- normalise, compare, block and dedupe functions stay executable by
-- everyone; cdm.dedupe and cdm.train_model run as their caller, so the
-- caller's privileges and row-level security apply to the table they read.
-- The roles are cluster-wide: created when missing, never dropped by DROP
-- EXTENSION; grant them to login roles (GRANT cdm_reader TO alice).
-- ---------------------------------------------------------------------------

DO $$
DECLARE
  r text;
BEGIN
  FOREACH r IN ARRAY ARRAY['cdm_reader', 'cdm_steward', 'cdm_admin'] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = r) THEN
      EXECUTE format('CREATE ROLE %I NOLOGIN', r);
    END IF;
  END LOOP;
  IF NOT pg_catalog.pg_has_role('cdm_steward', 'cdm_reader', 'MEMBER') THEN
    GRANT cdm_reader TO cdm_steward;
  END IF;
  IF NOT pg_catalog.pg_has_role('cdm_admin', 'cdm_steward', 'MEMBER') THEN
    GRANT cdm_steward TO cdm_admin;
  END IF;
END
$$;

-- Writers: run as the extension's owner, granted by role.
ALTER FUNCTION cdm.ingest(text, text, jsonb) SECURITY DEFINER;
ALTER FUNCTION cdm.merge(bigint, bigint, text) SECURITY DEFINER;
ALTER FUNCTION cdm.unmerge(text, text, text) SECURITY DEFINER;
ALTER FUNCTION cdm.decide(bigint, bigint, text, text) SECURITY DEFINER;
ALTER FUNCTION cdm.retire(text, text, text) SECURITY DEFINER;
ALTER FUNCTION cdm.set_golden(bigint, text, text, text) SECURITY DEFINER;
ALTER FUNCTION cdm.record_milestone(bigint, text, timestamptz, text, text, numeric, jsonb) SECURITY DEFINER;
ALTER FUNCTION cdm.record_source_milestone(text, text, text, timestamptz, text, text, numeric, jsonb) SECURITY DEFINER;
ALTER FUNCTION cdm._load_milestones_staged() SECURITY DEFINER;
ALTER FUNCTION cdm._load_records_check(text) SECURITY DEFINER;
ALTER FUNCTION cdm._load_records_staged(text, regclass, float8, text) SECURITY DEFINER;
ALTER FUNCTION cdm.define_active(text, jsonb) SECURITY DEFINER;
ALTER FUNCTION cdm.declare_milestone(text, text) SECURITY DEFINER;
ALTER FUNCTION cdm.declare_stage_model(text, jsonb) SECURITY DEFINER;
ALTER FUNCTION cdm.rebuild_timelines() SECURITY DEFINER;
ALTER FUNCTION cdm._source_add(text, regclass, text, jsonb) SECURITY DEFINER;
-- the trigger of a registered source: an admin registered the table, so
-- whoever writes to it feeds the store
ALTER FUNCTION cdm._source_trigger() SECURITY DEFINER;

-- Nothing of the store or the lifecycle for PUBLIC.
REVOKE EXECUTE ON FUNCTION
  cdm.ingest(text, text, jsonb), cdm.merge(bigint, bigint, text), cdm.unmerge(text, text, text),
  cdm.decide(bigint, bigint, text, text), cdm.retire(text, text, text),
  cdm.set_golden(bigint, text, text, text),
  cdm.record_milestone(bigint, text, timestamptz, text, text, numeric, jsonb),
  cdm.record_source_milestone(text, text, text, timestamptz, text, text, numeric, jsonb),
  cdm.load_milestones(regclass), cdm._load_milestones_staged(),
  cdm.load_records(text, regclass, float8, text), cdm._load_records_check(text),
  cdm._load_records_known(text), cdm._load_records_staged(text, regclass, float8, text),
  cdm._dedupe_load(regclass, float8, text, float8),
  cdm._store_candidates(bigint[], integer, bigint), cdm._store_candidate_ids(bigint[], integer, bigint),
  cdm.define_active(text, jsonb), cdm.declare_milestone(text, text), cdm.declare_stage_model(text, jsonb),
  cdm.rebuild_timelines(), cdm.register_source(text, regclass, text, jsonb),
  cdm._source_add(text, regclass, text, jsonb), cdm._source_trigger(),
  cdm.entity_of(text, text), cdm.entity_live(bigint), cdm.record_id(text, text),
  cdm.entity_history(bigint), cdm.store_setting_value(text), cdm.timeline(bigint, timestamptz),
  cdm.is_active(bigint, text, timestamptz), cdm.active_count(text, timestamptz),
  cdm.active_counts(text, timestamptz[]), cdm.why_active(bigint, text, timestamptz),
  cdm.active_diff(text, text, timestamptz), cdm.customer_status(text, timestamptz),
  cdm.stage_at(bigint, timestamptz, text, text), cdm.why_stage(bigint, timestamptz, text, text),
  -- internal writers: reached only through the functions above
  cdm._log(text, bigint, bigint, bigint, integer, float8, text, jsonb),
  cdm._store_lock(text, text), cdm._store_record_locked(text, text, text),
  cdm._store_lock_entity(bigint, text),
  cdm._store_queue_reviews(bigint, bigint, bigint[], bigint[], float8[]),
  cdm._store_merge(bigint, bigint, text, boolean), cdm._store_detach(bigint, text, jsonb),
  cdm._record_milestone(text, bigint, bigint, text, timestamptz, text, text, numeric, jsonb),
  cdm._scope_id(text), cdm._timeline_rebuild(bigint[]), cdm._timeline_absorb(bigint, bigint),
  cdm._store_ingest(text, text, jsonb), cdm._store_unmerge(text, text, text),
  cdm._store_decide(bigint, bigint, text, text), cdm._store_retire(text, text, text),
  cdm._store_lock_entities(bigint[], text), cdm._store_lock_record_entity(bigint, text),
  cdm._store_detach_entities(bigint), cdm._store_no_match_on(bigint, bigint),
  cdm._store_retry(text, integer, text, text)
FROM PUBLIC;

-- cdm_reader: every table and view of the store and the lifecycle, and the
-- functions that read them.
GRANT SELECT ON cdm.entity, cdm.record, cdm.record_block, cdm.record_version, cdm.decision,
                cdm.review_item, cdm.event, cdm.golden_override, cdm.survivorship,
                cdm.store_setting, cdm.source, cdm.milestone_type, cdm.lifecycle_scope,
                cdm.milestone, cdm.entity_timeline, cdm.active_definition,
                cdm.golden, cdm.golden_value, cdm.review,
                cdm.active_definition_current, cdm.active_monthly, cdm.customer_active,
                cdm.customer_status_now, cdm.active_reconciliation, cdm.customer_lifecycle
  TO cdm_reader;
GRANT EXECUTE ON FUNCTION
  cdm.entity_of(text, text), cdm.entity_live(bigint), cdm.record_id(text, text),
  cdm.entity_history(bigint), cdm.store_setting_value(text), cdm.timeline(bigint, timestamptz),
  cdm.is_active(bigint, text, timestamptz), cdm.active_count(text, timestamptz),
  cdm.active_counts(text, timestamptz[]), cdm.why_active(bigint, text, timestamptz),
  cdm.active_diff(text, text, timestamptz), cdm.customer_status(text, timestamptz),
  cdm.stage_at(bigint, timestamptz, text, text), cdm.why_stage(bigint, timestamptz, text, text)
TO cdm_reader;

-- cdm_steward: the store's writers and milestones.
GRANT EXECUTE ON FUNCTION
  cdm.ingest(text, text, jsonb), cdm.merge(bigint, bigint, text), cdm.unmerge(text, text, text),
  cdm.decide(bigint, bigint, text, text), cdm.retire(text, text, text),
  cdm.set_golden(bigint, text, text, text),
  cdm.record_milestone(bigint, text, timestamptz, text, text, numeric, jsonb),
  cdm.record_source_milestone(text, text, text, timestamptz, text, text, numeric, jsonb),
  cdm.load_milestones(regclass), cdm._load_milestones_staged(),
  cdm.load_records(text, regclass, float8, text), cdm._load_records_check(text),
  cdm._load_records_staged(text, regclass, float8, text), cdm._dedupe_load(regclass, float8, text, float8)
TO cdm_steward;

-- cdm_admin: the rules.
GRANT EXECUTE ON FUNCTION
  cdm.define_active(text, jsonb), cdm.declare_milestone(text, text), cdm.declare_stage_model(text, jsonb),
  cdm.rebuild_timelines(), cdm.register_source(text, regclass, text, jsonb),
  cdm._source_add(text, regclass, text, jsonb), cdm._source_trigger()
TO cdm_admin;
GRANT INSERT, UPDATE, DELETE ON cdm.store_setting, cdm.survivorship TO cdm_admin;

-- Privacy rights: exports for stewards, erasure for admins; the receipts
-- are readable, the tombstones and their salt are not.
REVOKE EXECUTE ON FUNCTION cdm.forget(bigint, text), cdm.export(bigint),
  cdm._erasure_blocks(text, text, jsonb), cdm._erasure_hashes(text, text, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cdm.export(bigint) TO cdm_steward;
GRANT EXECUTE ON FUNCTION cdm.forget(bigint, text) TO cdm_admin;
GRANT SELECT ON cdm.erasure TO cdm_reader;

-- Data quality: the store's flat records and the KPI views for readers;
-- cdm.quality itself is everyone's (it reads what its caller may read).
GRANT SELECT ON cdm.store_records, cdm.quality_by_source, cdm.duplicate_rate_over_time,
                cdm.customer_360, cdm.postcode_format, cdm.erasure TO cdm_reader;
GRANT INSERT, UPDATE, DELETE ON cdm.postcode_format TO cdm_admin;
GRANT SELECT ON cdm.postcode_format TO PUBLIC;
REVOKE EXECUTE ON FUNCTION cdm.rfm(timestamptz, interval, text[], text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cdm.rfm(timestamptz, interval, text[], text, integer) TO cdm_reader;
GRANT SELECT ON cdm.rfm_segments, cdm.rfm_segment_summary TO cdm_reader;

-- Consistency checks of the store: for admins (they read every table).
REVOKE EXECUTE ON FUNCTION cdm.check_store(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cdm.check_store(integer) TO cdm_admin;

-- Relationships, organisations, households, accounts: relating and ending
-- for stewards, new types for admins, everything else for readers.
ALTER FUNCTION cdm.relate(bigint, bigint, text, timestamptz, timestamptz, text) SECURITY DEFINER;
ALTER FUNCTION cdm.end_relationship(bigint, timestamptz, text) SECURITY DEFINER;
ALTER FUNCTION cdm.declare_relationship_type(text, text, text, text, text, boolean) SECURITY DEFINER;
REVOKE EXECUTE ON FUNCTION
  cdm.relate(bigint, bigint, text, timestamptz, timestamptz, text),
  cdm.end_relationship(bigint, timestamptz, text),
  cdm.declare_relationship_type(text, text, text, text, text, boolean),
  cdm._hierarchy_reaches(bigint, bigint, timestamptz, timestamptz),
  cdm.relationships(bigint, timestamptz), cdm.entity_kind(bigint),
  cdm.parent_links(timestamptz), cdm.group_members(bigint, timestamptz), cdm.group_root(bigint, timestamptz),
  cdm.household_spells(boolean), cdm.households(timestamptz, boolean),
  cdm.account_members(bigint, timestamptz), cdm.account_is_active(bigint, text, timestamptz, text),
  cdm.group_active_count(bigint, text, timestamptz, boolean)
FROM PUBLIC;
GRANT SELECT ON cdm._milestone_live TO cdm_reader;
GRANT SELECT ON cdm.relationship_type, cdm.relationship, cdm.entity_forward, cdm.relationship_resolved,
                cdm.account_hierarchy, cdm.household_members, cdm.household, cdm.buying_team
  TO cdm_reader;
GRANT EXECUTE ON FUNCTION
  cdm.relationships(bigint, timestamptz), cdm.entity_kind(bigint),
  cdm.parent_links(timestamptz), cdm.group_members(bigint, timestamptz), cdm.group_root(bigint, timestamptz),
  cdm.household_spells(boolean), cdm.households(timestamptz, boolean),
  cdm.account_members(bigint, timestamptz), cdm.account_is_active(bigint, text, timestamptz, text),
  cdm.group_active_count(bigint, text, timestamptz, boolean)
TO cdm_reader;
GRANT EXECUTE ON FUNCTION
  cdm.relate(bigint, bigint, text, timestamptz, timestamptz, text),
  cdm.end_relationship(bigint, timestamptz, text)
TO cdm_steward;
GRANT EXECUTE ON FUNCTION cdm.declare_relationship_type(text, text, text, text, text, boolean) TO cdm_admin;
GRANT SELECT ON cdm.contact_point TO cdm_reader;
GRANT SELECT ON cdm.golden_contacts TO cdm_reader;
-- preferred contact points: chosen by stewards, like golden overrides
ALTER FUNCTION cdm.set_preferred_contact(bigint, text, text, text, text) SECURITY DEFINER;
REVOKE EXECUTE ON FUNCTION cdm.set_preferred_contact(bigint, text, text, text, text),
  cdm._contact_norm(text, text) FROM PUBLIC;
GRANT SELECT ON cdm.contact_preference TO cdm_reader;
GRANT EXECUTE ON FUNCTION cdm._contact_norm(text, text) TO cdm_reader;
GRANT EXECUTE ON FUNCTION cdm.set_preferred_contact(bigint, text, text, text, text) TO cdm_steward;
REVOKE EXECUTE ON FUNCTION cdm.account_stage(bigint, timestamptz, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cdm.account_stage(bigint, timestamptz, text, text, text) TO cdm_reader;
