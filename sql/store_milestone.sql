-- Milestones: declared names, recording on entities and on source records,
-- repeats stored once, the per-entity timelines following merges and
-- unmerges, bulk loads, rebuilds, errors.  Entity ids are captured with
-- \gset (the store suite ran before in this database).
SET client_min_messages = warning;
SET TimeZone = 'UTC';
\pset null '(null)'

CREATE FUNCTION pg_temp.sqlstate_of(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE q;
  RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

-- the declared milestones
SELECT id, name FROM cdm.milestone_type ORDER BY id;

-- three people: Maria (crm), Mario (crm), Mary (billing)
SELECT cdm.ingest('lc_crm', 'M1', '{"given_name": "Maria", "family_name": "Okafor", "email": "maria.okafor@example.org"}') AS maria \gset
SELECT cdm.ingest('lc_crm', 'M2', '{"given_name": "Mario", "family_name": "Rossi", "email": "mario.rossi@example.org"}') AS mario \gset
SELECT cdm.ingest('lc_billing', 'B9', '{"given_name": "Mary", "family_name": "Chen", "email": "mchen@example.net"}') AS mary \gset
SELECT :maria < :mario AND :mario < :mary AS ids_increase;

-- 1. On entities, with scope and amount; the same event twice is stored once
SELECT cdm.record_milestone(:maria, 'onboarding_completed', '2025-01-10', 'crm') AS m1 \gset
SELECT cdm.record_milestone(:maria, 'invoice_paid', '2025-02-01 09:30', 'billing', amount => 120.50) AS m2 \gset
SELECT cdm.record_milestone(:maria, 'invoice_paid', '2025-02-01 09:30', 'billing', amount => 120.50) = :m2 AS same_id;
SELECT cdm.record_milestone(:mario, 'lead_created', '2024-12-01', 'crm', scope => 'insurance') IS NOT NULL AS ok;
-- 2. On a source record
SELECT cdm.record_source_milestone('lc_billing', 'B9', 'invoice_paid', '2025-03-01', amount => 80) IS NOT NULL AS ok;
SELECT cdm.record_source_milestone('lc_billing', 'B9', 'login', '2025-03-02', reported_by => 'web') IS NOT NULL AS ok;

SELECT at, milestone, scope, source, amount, split_part(recorded_on, ' ', 1) AS recorded_on FROM cdm.timeline(:maria);
SELECT at, milestone, scope, source, amount, split_part(recorded_on, ' ', 1) AS recorded_on FROM cdm.timeline(:mario);
SELECT at, milestone, scope, source, amount, recorded_on FROM cdm.timeline(:mary);
SELECT at, milestone FROM cdm.timeline(:maria, '2025-01-31');
SELECT count(*) AS insurance_registered FROM cdm.lifecycle_scope WHERE name = 'insurance';
-- the timelines: one row per live entity with milestones, events sorted
SELECT t.entity = :maria AS maria, t.entity = :mario AS mario, t.entity = :mary AS mary,
       cdm._timeline_length(t.events) AS events, cdm._timeline_valid(t.events) AS valid
  FROM cdm.entity_timeline t WHERE t.entity IN (:maria, :mario, :mary) ORDER BY t.entity;

-- 3. Merge Mary into Maria: Mary's record and its milestones follow
SELECT cdm.merge(:maria, :mary, 'same person, married name') = :maria AS survivor_is_older;
SELECT at, milestone, source FROM cdm.timeline(:mary);   -- the old id resolves to Maria
SELECT cdm._timeline_length(t.events) AS maria_events FROM cdm.entity_timeline t WHERE t.entity = :maria;
SELECT count(*) AS mary_row FROM cdm.entity_timeline t WHERE t.entity = :mary;
-- a milestone recorded on the merged-away id goes to the survivor
SELECT cdm.record_milestone(:mary, 'purchase', '2025-04-01', 'till', amount => 15) IS NOT NULL AS ok;
SELECT cdm._timeline_length(t.events) AS maria_events FROM cdm.entity_timeline t WHERE t.entity = :maria;

-- 4. Unmerge the billing record: it takes its own id back, with what was
--    recorded on that id and on the record; Maria keeps hers
SELECT cdm.unmerge('lc_billing', 'B9', 'different people after all') = :mary AS revived;
SELECT at, milestone, source FROM cdm.timeline(:maria);
SELECT at, milestone, source FROM cdm.timeline(:mary);
SELECT t.entity = :maria AS maria, cdm._timeline_length(t.events) AS events
  FROM cdm.entity_timeline t WHERE t.entity IN (:maria, :mary) ORDER BY t.entity;

-- 5. The timelines agree with a rebuild from the milestone table
CREATE TEMP TABLE before_rebuild AS SELECT * FROM cdm.entity_timeline;
SELECT cdm.rebuild_timelines() >= 3 AS rebuilt;
SELECT count(*) AS differing
  FROM before_rebuild b FULL JOIN cdm.entity_timeline t USING (entity)
 WHERE b.events IS DISTINCT FROM t.events;

-- 6. Bulk load: 300 milestones for 3 entities from a table; repeats skipped
CREATE TEMP TABLE feed AS
SELECT (ARRAY[:maria, :mario, :mary]::bigint[])[1 + i % 3] AS entity,
       (ARRAY['login', 'purchase', 'invoice_paid'])[1 + (i / 3) % 3] AS milestone,
       timestamptz '2025-01-01' + make_interval(days => i) AS at,
       'web' AS source,
       CASE WHEN i % 2 = 0 THEN 'insurance' END AS scope,
       i::numeric AS amount
  FROM generate_series(1, 300) i;
SELECT cdm.load_milestones('feed') AS entities_touched;
SELECT cdm.load_milestones('feed') AS again;
SELECT count(*) AS loaded FROM cdm.milestone WHERE source = 'web' AND entity IN (:maria, :mario, :mary);
CREATE TEMP TABLE after_load AS SELECT * FROM cdm.entity_timeline;
SELECT cdm.rebuild_timelines() >= 3 AS rebuilt;
SELECT count(*) AS differing_from_rebuild
  FROM after_load b FULL JOIN cdm.entity_timeline t USING (entity)
 WHERE b.events IS DISTINCT FROM t.events;

-- 7. Errors
SELECT pg_temp.sqlstate_of($$SELECT cdm.record_milestone(1, 'invoice_payed', now(), 'billing')$$);
SELECT pg_temp.sqlstate_of($$SELECT cdm.record_milestone(-5, 'login', now(), 'web')$$);
SELECT pg_temp.sqlstate_of($$SELECT cdm.record_milestone(NULL, 'login', now(), 'web')$$);
SELECT pg_temp.sqlstate_of($$SELECT cdm.record_milestone(1, 'login', NULL, 'web')$$);
SELECT pg_temp.sqlstate_of($$SELECT cdm.record_milestone(1, 'login', 'infinity', 'web')$$);
SELECT pg_temp.sqlstate_of($$SELECT cdm.record_milestone(1, 'login', now(), 'web', scope => '')$$);
SELECT pg_temp.sqlstate_of($$SELECT cdm.record_source_milestone('nowhere', 'X', 'login', now())$$);
SELECT pg_temp.sqlstate_of($$SELECT cdm.declare_milestone('Invoice Paid')$$);
SELECT pg_temp.sqlstate_of($$SELECT cdm.load_milestones('pg_class')$$);
CREATE TEMP TABLE bad_feed (entity bigint, milestone text, at timestamptz, source text);
INSERT INTO bad_feed VALUES (1, 'contract_endded', now(), 'crm');
SELECT pg_temp.sqlstate_of($$SELECT cdm.load_milestones('bad_feed')$$);
TRUNCATE bad_feed;
INSERT INTO bad_feed VALUES (999999999, 'login', now(), 'crm');
SELECT pg_temp.sqlstate_of($$SELECT cdm.load_milestones('bad_feed')$$);
-- a damaged timeline is an error, not a crash
SELECT pg_temp.sqlstate_of($$SELECT cdm._timeline_length('\x0102'::bytea)$$);
SELECT cdm._timeline_valid('\x0102'::bytea) AS valid;

-- 8. Declaring a milestone of one's own
SELECT cdm.declare_milestone('policy_renewed', 'An insurance policy was renewed.') > 10 AS declared;
SELECT cdm.declare_milestone('policy_renewed') = (SELECT id FROM cdm.milestone_type WHERE name = 'policy_renewed') AS same_id;
SELECT description FROM cdm.milestone_type WHERE name = 'policy_renewed';
SELECT cdm.record_milestone(:mario, 'policy_renewed', '2025-05-01', 'insurance_core', scope => 'insurance') IS NOT NULL AS ok;
