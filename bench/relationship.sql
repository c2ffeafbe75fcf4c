-- bench/relationship.sql (run by bench/relationship.sh): households and the
-- organisation hierarchy against the plain SQL a user would write.  psql
-- variables people, orgs, reps.
--
-- The store is filled directly (entities, records, versions, relationships,
-- milestones written by INSERT as the superuser, as cdm.ingest would leave
-- them for these attributes): a million ingests would take hours, and what
-- is timed here is reading.
\ir lib/timing.sql
SET max_parallel_workers_per_gather = 2;
CREATE TEMP TABLE bench_times (id int, side text, rep int, ms float8);

-- ----------------------------------------------------------- people
SELECT nextval('cdm.entity_id_seq') AS pbase \gset
SELECT setval('cdm.entity_id_seq', :pbase + :people + :orgs + 10) \gset skip_
CREATE TEMP TABLE gen_people AS
SELECT i, :pbase + i AS entity, (i * 2) / 5 AS hh,
       ((i * 2) / 5 + 7919) % greatest((:people * 2) / 5, 1) AS hh2,
       (ARRAY['Smith','Nguyen','Garcia','Müller','Rossi','Kowalski','Okafor','Tanaka','Silva','Dubois',
              'Jensen','Novak','Haddad','Kim','Petrov','Brown','Lopez','Cohen','Singh','Walsh'])[1 + ((i * 2) / 5) % 20] AS family,
       (ARRAY['Ann','Ben','Cleo','Dan','Eva','Finn','Gia','Hugo','Ida','Jon'])[1 + i % 10] AS given
  FROM generate_series(1, :people) i;
CREATE OR REPLACE FUNCTION pg_temp.addr(hh bigint) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT jsonb_build_object(
    'address', (hh % 200 + 1) || ' ' ||
               (ARRAY['Oak','Elm','Pine','Maple','Cedar','Birch','Ash','Willow','Hazel','Rowan',
                      'Quarry','Harbour','Mill','Church','Station','Market','Bridge','Park','Hill','River',
                      'North','South','East','West','King','Queen','Castle','Forest','Meadow','Orchard',
                      'Spring','Valley','Lake','Garden','Chapel','School','Green','High','Manor','Abbey'])[1 + (hh / 200) % 40]
               || ' ' || (ARRAY['Street', 'St', 'St.', 'Street'])[1 + hh % 4],
    'postcode', (2000 + hh / 8000)::text, 'city', 'Benchton')
$$;
INSERT INTO cdm.entity (id, created_at) SELECT g.entity, '2020-01-01' FROM gen_people g;
-- version 1: where they lived from 2020; every fifth person moved in 2024
CREATE TEMP TABLE gen_versions AS
SELECT g.entity, 1 AS version,
       jsonb_build_object('given_name', g.given, 'family_name', g.family) || pg_temp.addr(g.hh) AS attrs,
       timestamptz '2020-01-01' + make_interval(mins => g.i % 100000) AS at
  FROM gen_people g
UNION ALL
SELECT g.entity, 2,
       jsonb_build_object('given_name', g.given, 'family_name', g.family, 'moved_at',
                          (date '2024-01-01' + (g.i % 365))::text) || pg_temp.addr(g.hh2),
       timestamptz '2024-06-01' + make_interval(mins => g.i % 100000)
  FROM gen_people g WHERE g.i % 5 = 0;
INSERT INTO cdm.record (id, source, source_key, version, attrs, entity, first_entity, link_rule, created_at, updated_at)
SELECT v.entity, 'bench', 'P' || v.entity, v.version, v.attrs, v.entity, v.entity, 'new', v.at, v.at
  FROM (SELECT DISTINCT ON (entity) * FROM gen_versions ORDER BY entity, version DESC) v;
INSERT INTO cdm.record_version (record, version, attrs, ingested_at, ingested_by)
SELECT v.entity, v.version, v.attrs, v.at, 'bench' FROM gen_versions v;

-- ----------------------------------------------------- organisations
-- levels 0..6 (2% roots); a parent for each organisation in the level above
SELECT :pbase + :people AS obase \gset
CREATE TEMP TABLE gen_levels AS
SELECT l, (b * :orgs)::bigint AS lo, (lead(b) OVER (ORDER BY l) * :orgs)::bigint AS hi
  FROM unnest(ARRAY[0, 0.02, 0.06, 0.14, 0.26, 0.42, 0.66, 1.0]) WITH ORDINALITY u(b, l);
CREATE TEMP TABLE gen_orgs AS
SELECT i, :obase + i AS entity, lv.l - 1 AS depth,
       CASE WHEN lv.l > 1 THEN :obase + up.lo + 1 + (i * 7919) % (up.hi - up.lo) END AS parent
  FROM generate_series(1, :orgs) i
  JOIN gen_levels lv ON i > lv.lo AND i <= lv.hi
  LEFT JOIN gen_levels up ON up.l = lv.l - 1;
INSERT INTO cdm.entity (id, created_at) SELECT o.entity, '2015-01-01' FROM gen_orgs o;
INSERT INTO cdm.record (id, source, source_key, version, attrs, entity, first_entity, link_rule, created_at, updated_at)
SELECT o.entity, 'bench', 'O' || o.entity, 1, jsonb_build_object('organisation_name', 'Org ' || o.i || ' Ltd'),
       o.entity, o.entity, 'new', '2015-01-01', '2015-01-01'
  FROM gen_orgs o;
INSERT INTO cdm.record_version (record, version, attrs, ingested_at, ingested_by)
SELECT o.entity, 1, jsonb_build_object('organisation_name', 'Org ' || o.i || ' Ltd'), '2015-01-01', 'bench' FROM gen_orgs o;
INSERT INTO cdm.relationship (from_entity, to_entity, type, valid_from, source)
SELECT o.entity, o.parent, 'subsidiary_of', '2015-01-01', 'bench' FROM gen_orgs o WHERE o.parent IS NOT NULL;
-- a purchase for 30% of the organisations, over the last two years
INSERT INTO cdm.milestone (entity, milestone, at, source)
SELECT o.entity, t.id, now() - make_interval(days => o.i % 730), 'bench'
  FROM gen_orgs o JOIN cdm.milestone_type t ON t.name = 'purchase' WHERE o.i % 10 < 3;
SELECT cdm.rebuild_timelines() AS timelines \gset
SELECT cdm.define_active('bench_rel', '{"any": ["purchase"], "activity_within": "365 days", "activity": ["purchase"]}') AS v \gset
VACUUM ANALYZE cdm.entity;
VACUUM ANALYZE cdm.record;
VACUUM ANALYZE cdm.record_version;
VACUUM ANALYZE cdm.relationship;
VACUUM ANALYZE cdm.entity_timeline;
CREATE TEMP TABLE bench_roots AS
SELECT o.entity FROM gen_orgs o WHERE o.depth = 0 ORDER BY o.i LIMIT 20;
CREATE TEMP TABLE bench_leaves AS
SELECT o.entity FROM gen_orgs o WHERE o.depth = 6 ORDER BY o.i LIMIT 1000;

-- ------------------------------------------------------------- peers
-- households: the current address of every person record, normalised and
-- grouped (no history, no move dates, no merges)
CREATE TEMP VIEW peer_households AS
SELECT cdm.household_key(concat_ws(' ', r.attrs ->> 'address', r.attrs ->> 'postcode', r.attrs ->> 'city')) AS household,
       count(*) AS size
  FROM cdm.record r
 WHERE r.retired_at IS NULL AND r.attrs ? 'address' AND NOT r.attrs ? 'organisation_name'
 GROUP BY 1;
-- hierarchy: a recursive CTE over the relationship table as stored (no
-- merges, no choice between two parents)
CREATE OR REPLACE FUNCTION pg_temp.peer_group_active(root bigint) RETURNS bigint LANGUAGE sql STABLE AS $$
  WITH RECURSIVE g(entity, path) AS (
    SELECT root, ARRAY[root]
    UNION ALL
    SELECT r.from_entity, g.path || r.from_entity
      FROM g JOIN cdm.relationship r ON r.to_entity = g.entity AND r.type = 'subsidiary_of'
     WHERE r.valid_from <= now() AND (r.valid_to IS NULL OR r.valid_to > now())
       AND r.from_entity <> ALL (g.path))
  SELECT count(*) FROM g JOIN cdm.entity_timeline t ON t.entity = g.entity
   WHERE cdm._timeline_active(t.events, (SELECT d.program FROM cdm.active_definition d WHERE d.name = 'bench_rel'), now())
$$;
CREATE TEMP VIEW peer_hierarchy AS
WITH RECURSIVE l AS (
  SELECT r.from_entity AS entity, r.to_entity AS parent FROM cdm.relationship r
   WHERE r.type = 'subsidiary_of' AND r.valid_from <= now() AND (r.valid_to IS NULL OR r.valid_to > now())
), h(root, entity, depth, path) AS (
  SELECT DISTINCT l.parent, l.parent, 0, ARRAY[l.parent] FROM l
   WHERE NOT EXISTS (SELECT 1 FROM l x WHERE x.entity = l.parent)
  UNION ALL
  SELECT h.root, l.entity, h.depth + 1, h.path || l.entity FROM h JOIN l ON l.parent = h.entity
   WHERE l.entity <> ALL (h.path)
)
SELECT h.root, h.entity, h.depth, array_to_string(h.path, '/') AS path FROM h;
CREATE OR REPLACE FUNCTION pg_temp.peer_root(e bigint) RETURNS bigint LANGUAGE sql STABLE AS $$
  WITH RECURSIVE u(entity, path) AS (
    SELECT e, ARRAY[e]
    UNION ALL
    SELECT r.to_entity, u.path || r.to_entity FROM u JOIN cdm.relationship r ON r.from_entity = u.entity
     WHERE r.type = 'subsidiary_of' AND r.valid_from <= now() AND (r.valid_to IS NULL OR r.valid_to > now())
       AND r.to_entity <> ALL (u.path))
  SELECT u.entity FROM u ORDER BY cardinality(u.path) DESC LIMIT 1
$$;

-- same answers?
SELECT (SELECT count(*) FROM cdm.households()) AS cdm_households,
       (SELECT count(*) FROM peer_households) AS peer_households,
       (SELECT max(size) FROM cdm.households()) AS largest;
SELECT (SELECT count(*) FROM cdm.account_hierarchy) AS cdm_hierarchy_rows,
       (SELECT count(*) FROM peer_hierarchy) AS peer_hierarchy_rows,
       (SELECT max(depth) FROM cdm.account_hierarchy) AS max_depth;
SELECT (SELECT sum(cdm.group_active_count(b.entity, 'bench_rel')) FROM bench_roots b) AS cdm_active_in_20_groups,
       (SELECT sum(pg_temp.peer_group_active(b.entity)) FROM bench_roots b) AS peer_active_in_20_groups,
       (SELECT sum(m) FROM bench_roots b, LATERAL (SELECT count(*) AS m FROM cdm.group_members(b.entity)) x) AS members_of_20_groups;
SELECT count(*) FILTER (WHERE cdm.group_root(l.entity) = pg_temp.peer_root(l.entity)) AS roots_agree,
       count(*) AS leaves FROM bench_leaves l;

-- time alternately
SELECT set_config('bench.reps', :'reps', false);
DO $$ BEGIN
  FOR rep IN 1..current_setting('bench.reps')::int LOOP
    PERFORM bench_pair(1, rep, 'SELECT count(*) FROM cdm.households()',
                               'SELECT count(*) FROM peer_households');
    PERFORM bench_pair(2, rep, 'SELECT count(*) FROM cdm.households(''2023-01-01'')',
                               'SELECT count(*) FROM peer_households');
    PERFORM bench_pair(3, rep, 'SELECT sum(cdm.group_active_count(b.entity, ''bench_rel'')) FROM bench_roots b',
                               'SELECT sum(pg_temp.peer_group_active(b.entity)) FROM bench_roots b');
    PERFORM bench_pair(4, rep, 'SELECT count(*) FROM cdm.account_hierarchy',
                               'SELECT count(*) FROM peer_hierarchy');
    PERFORM bench_pair(5, rep, 'SELECT sum(cdm.group_root(l.entity)) FROM bench_leaves l',
                               'SELECT sum(pg_temp.peer_root(l.entity)) FROM bench_leaves l');
  END LOOP;
END $$;

\pset footer off
SELECT CASE b.id WHEN 1 THEN 'households now (cdm.households vs GROUP BY household_key of current address)'
                 WHEN 2 THEN 'households at 2023-01-01 (cdm, with history) vs the same peer (now only)'
                 WHEN 3 THEN 'group_active_count of 20 groups vs recursive CTE + timeline test'
                 WHEN 4 THEN 'account_hierarchy (all groups) vs recursive CTE'
                 ELSE 'group_root of 1000 depth-6 leaves vs recursive CTE up' END AS comparison,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY b.ms) FILTER (WHERE b.side = 'cdm')::numeric, 1) AS cdm_ms,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY b.ms) FILTER (WHERE b.side = 'peer')::numeric, 1) AS peer_ms,
       round((percentile_cont(0.5) WITHIN GROUP (ORDER BY b.ms) FILTER (WHERE b.side = 'cdm')
              / percentile_cont(0.5) WITHIN GROUP (ORDER BY b.ms) FILTER (WHERE b.side = 'peer'))::numeric, 2) AS ratio
  FROM bench_times b GROUP BY b.id ORDER BY b.id;
