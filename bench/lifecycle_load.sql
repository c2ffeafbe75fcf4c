-- bench/lifecycle_load.sql: cdm's side of the lifecycle benchmark's data,
-- after bench/lifecycle_gen.sql.  Times each step into bench_lc.info.
--
-- Entities: inserted into cdm.entity directly, one per generated person
-- (ids 1..N, created_at the lead date), and cdm.entity_id_seq moved past
-- them.  In production the store creates entities through cdm.ingest from
-- source records; a million ingests would take longer than the whole
-- benchmark and are measured by bench/store.sh.  These entities have no
-- records, which the three definitions do not read (no sources /
-- exclude_sources).
-- Merges: cdm.merge on bench_lc.merge_pair, the first half before the
-- milestones are loaded (load_milestones then resolves milestones written
-- on merged-away ids), the second half after (the timelines are joined).
-- Milestones: cdm.load_milestones(bench_lc.gen), then 1,000 single
-- cdm.record_milestone calls (bench_lc.gen_single).
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE TABLE bench_lc.info (key text PRIMARY KEY, value float8, note text);

CREATE FUNCTION pg_temp.step(k text, q text, note text DEFAULT NULL) RETURNS void LANGUAGE plpgsql AS $f$
DECLARE t0 timestamptz := clock_timestamp();
BEGIN
  EXECUTE q;
  INSERT INTO bench_lc.info VALUES (k, 1000 * extract(epoch FROM clock_timestamp() - t0), note);
END $f$;

SELECT pg_temp.step('cdm_entities_ms', $q$
  INSERT INTO cdm.entity (id, created_at) SELECT p.entity, p.t0 FROM bench_lc.person p ORDER BY p.entity;
  SELECT setval('cdm.entity_id_seq', (SELECT max(id) FROM cdm.entity));
$q$);

SELECT pg_temp.step('cdm_merges_before_ms', $q$
  DO $d$ DECLARE r record; BEGIN
    FOR r IN SELECT * FROM bench_lc.merge_pair
              WHERE seq <= (SELECT count(*) / 2 FROM bench_lc.merge_pair) ORDER BY seq LOOP
      PERFORM cdm.merge(r.a, r.b, 'bench');
    END LOOP; END $d$;
$q$);
INSERT INTO bench_lc.info SELECT 'cdm_merges_before', count(*) / 2 FROM bench_lc.merge_pair;

SELECT pg_temp.step('cdm_load_ms', $q$ SELECT cdm.load_milestones('bench_lc.gen') $q$);

SELECT pg_temp.step('cdm_merges_after_ms', $q$
  DO $d$ DECLARE r record; BEGIN
    FOR r IN SELECT * FROM bench_lc.merge_pair
              WHERE seq > (SELECT count(*) / 2 FROM bench_lc.merge_pair) ORDER BY seq LOOP
      PERFORM cdm.merge(r.a, r.b, 'bench');
    END LOOP; END $d$;
$q$);
INSERT INTO bench_lc.info SELECT 'cdm_merges_after', count(*) - count(*) / 2 FROM bench_lc.merge_pair;

-- one transaction per call, as an application in autocommit would
DO $d$ DECLARE r record; t0 timestamptz := clock_timestamp(); BEGIN
  FOR r IN SELECT * FROM bench_lc.gen_single ORDER BY seq LOOP
    PERFORM cdm.record_milestone(r.entity, r.milestone, r.at, r.source);
    COMMIT;
  END LOOP;
  INSERT INTO bench_lc.info VALUES ('cdm_single_ms', 1000 * extract(epoch FROM clock_timestamp() - t0));
END $d$;

VACUUM ANALYZE cdm.entity, cdm.milestone, cdm.entity_timeline;

INSERT INTO bench_lc.info VALUES
  ('entities', (SELECT count(*) FROM cdm.entity)),
  ('entities_live', (SELECT count(*) FROM cdm.entity WHERE merged_into IS NULL)),
  ('timelines', (SELECT count(*) FROM cdm.entity_timeline)),
  ('milestones', (SELECT count(*) FROM cdm.milestone)),
  ('cdm_milestone_bytes', pg_total_relation_size('cdm.milestone')),
  ('cdm_timeline_bytes', pg_total_relation_size('cdm.entity_timeline'));

-- the three definitions of the issue's story
SELECT cdm.define_active('finance', '{"all": ["contract_signed"], "none": ["contract_ended"], "activity": ["invoice_paid"], "activity_within": "90 days", "description": "Finance: under contract and paid an invoice in the last 90 days"}');
SELECT cdm.define_active('sales', '{"all": ["onboarding_completed", "documents_submitted"], "none": ["contract_ended"], "description": "Sales: onboarded with documents, contract not ended"}');
SELECT cdm.define_active('operations', '{"all": ["ready_for_service"], "activity_within": "365 days", "description": "Operations: ready for service and did anything in the last year"}');
