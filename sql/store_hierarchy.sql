-- The set-based hierarchy and household functions against references: the
-- PL/pgSQL loops they replaced (copied here as pg_temp functions) and plain
-- recursive queries over cdm.parent_links, on a generated hierarchy with
-- dated links, second parents, ended links, links to ids merged away, a
-- link made a self link by a merge and a loop made by a merge; every live
-- organisation as root and as leaf at five moments.  Then households
-- under a forced parallel plan, and moved_at read without a subtransaction.
SET client_min_messages = warning;
SET TimeZone = 'UTC';
\pset null '(null)'
-- in one transaction rolled back at the end: the suites after this one see
-- none of it
BEGIN;

-- 1. 60 organisations written directly (as the benchmark does), with
--    people employed by some of them
CREATE TEMP TABLE h_org AS SELECT i, nextval('cdm.entity_id_seq') AS id FROM generate_series(1, 60) i;
INSERT INTO cdm.entity (id, created_at) SELECT id, '2015-01-01' FROM h_org;
INSERT INTO cdm.record (source, source_key, version, attrs, entity, first_entity, link_rule, created_at, updated_at)
SELECT 'hier', 'O' || i, 1, jsonb_build_object('organisation_name', 'Hierarchy Test ' || i), id, id, 'new',
       '2015-01-01', '2015-01-01'
  FROM h_org;
INSERT INTO cdm.record_version (record, version, attrs, ingested_at, ingested_by)
SELECT r.id, 1, r.attrs, '2015-01-01', 'test' FROM cdm.record r WHERE r.source = 'hier';
CREATE TEMP TABLE h_person AS SELECT i, nextval('cdm.entity_id_seq') AS id FROM generate_series(1, 30) i;
INSERT INTO cdm.entity (id, created_at) SELECT id, '2015-01-01' FROM h_person;
INSERT INTO cdm.record (source, source_key, version, attrs, entity, first_entity, link_rule, created_at, updated_at)
SELECT 'hier', 'P' || i, 1, jsonb_build_object('given_name', 'Given' || i, 'family_name', 'Family' || i), id, id, 'new',
       '2015-01-01', '2015-01-01'
  FROM h_person;
CREATE FUNCTION pg_temp.o(i int) RETURNS bigint LANGUAGE sql AS $$ SELECT id FROM h_org WHERE h_org.i = $1 $$;

-- 2. Links: 3..40 under i/3 since 2015 (1 and 2 are roots); every fifth
--    of them moves at 2022 to the next organisation of that level; every
--    seventh gets a second parent i/2 from 2020, which wins while it holds;
--    41..60 a second tree under 41; one link starts in 2030
INSERT INTO cdm.relationship (from_entity, to_entity, type, valid_from, valid_to, source)
SELECT pg_temp.o(i), pg_temp.o(i / 3), 'subsidiary_of', '2015-01-01',
       CASE WHEN i % 5 = 0 THEN timestamptz '2022-01-01' END, 'test'
  FROM generate_series(3, 40) i;
INSERT INTO cdm.relationship (from_entity, to_entity, type, valid_from, source)
SELECT pg_temp.o(i), pg_temp.o(i / 3 + 1), 'subsidiary_of', '2022-01-01', 'test'
  FROM generate_series(3, 40) i WHERE i % 5 = 0 AND i / 3 + 1 <> i;
INSERT INTO cdm.relationship (from_entity, to_entity, type, valid_from, source)
SELECT pg_temp.o(i), pg_temp.o(i / 2), 'subsidiary_of', '2020-01-01', 'test'
  FROM generate_series(3, 40) i WHERE i % 7 = 0;
INSERT INTO cdm.relationship (from_entity, to_entity, type, valid_from, source)
SELECT pg_temp.o(i), pg_temp.o(41 + (i - 41) / 2), 'subsidiary_of', '2015-01-01', 'test'
  FROM generate_series(42, 60) i WHERE 41 + (i - 41) / 2 <> i;
INSERT INTO cdm.relationship (from_entity, to_entity, type, valid_from, source)
VALUES (pg_temp.o(2), pg_temp.o(60), 'subsidiary_of', '2030-01-01', 'test');
-- people: employee_of and decision_maker_for, some ended
INSERT INTO cdm.relationship (from_entity, to_entity, type, valid_from, valid_to, source)
SELECT p.id, pg_temp.o(1 + p.i % 45), CASE WHEN p.i % 3 = 0 THEN 'decision_maker_for' ELSE 'employee_of' END,
       '2016-01-01', CASE WHEN p.i % 4 = 0 THEN timestamptz '2021-06-01' END, 'test'
  FROM h_person p;

-- 3. Merges: 13 into its parent 4 (their link becomes a self link and 13's
--    subsidiaries follow), 1 with 30 (30 -> 10 -> 3 -> 1: a loop), 50 with
--    55, a person with another
SELECT cdm.merge(pg_temp.o(4), pg_temp.o(13), 'test') IS NOT NULL AS merged_4_13,
       cdm.merge(pg_temp.o(1), pg_temp.o(30), 'test') IS NOT NULL AS merged_1_30,
       cdm.merge(pg_temp.o(50), pg_temp.o(55), 'test') IS NOT NULL AS merged_50_55,
       cdm.merge((SELECT id FROM h_person WHERE i = 5), (SELECT id FROM h_person WHERE i = 6), 'test') IS NOT NULL AS merged_p5_p6;
SELECT count(*) AS merged_away FROM h_org o JOIN cdm.entity e ON e.id = o.id WHERE e.merged_into IS NOT NULL;

-- 4. The implementations replaced, as they were
CREATE FUNCTION pg_temp.old_parent_of(live bigint, as_of timestamptz) RETURNS bigint
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN (SELECT y.parent
            FROM (SELECT cdm.entity_live(r.to_entity) AS parent, r.valid_from, r.id
                    FROM cdm.relationship r
                    JOIN cdm.relationship_type t ON t.name = r.type AND t.hierarchy
                   WHERE r.from_entity IN (SELECT cdm._entity_ids(live))
                     AND r.valid_from <= as_of AND (r.valid_to IS NULL OR r.valid_to > as_of)) y
           WHERE y.parent <> live
           ORDER BY y.valid_from DESC, y.id DESC
           LIMIT 1);
END $$;
CREATE FUNCTION pg_temp.old_group_root(entity bigint, as_of timestamptz) RETURNS bigint
LANGUAGE plpgsql STABLE AS $$
DECLARE
  cur  bigint;
  p    bigint;
  seen bigint[];
BEGIN
  cur := cdm.entity_live(entity);
  seen := ARRAY[cur];
  LOOP
    p := pg_temp.old_parent_of(cur, as_of);
    EXIT WHEN p IS NULL;
    IF p = ANY (seen) THEN
      RETURN (SELECT min(x) FROM unnest(seen[array_position(seen, p):]) x);
    END IF;
    seen := seen || p;
    cur := p;
  END LOOP;
  RETURN cur;
END $$;
CREATE FUNCTION pg_temp.old_group_members(root bigint, as_of timestamptz)
RETURNS TABLE (entity bigint, depth integer, path bigint[])
LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
DECLARE
  live     bigint;
  frontier bigint[];
  seen     bigint[];
  ents     bigint[];
  pars     bigint[];
  nc       bigint[];
  np       bigint[];
  ids      bigint[];
  cands    bigint[];
  levels   integer := 0;
BEGIN
  live := cdm.entity_live(root);
  frontier := ARRAY[live];
  seen := ARRAY[live];
  ents := '{}';
  pars := '{}';
  WHILE cardinality(frontier) > 0 AND levels < 10000 LOOP
    ids := ARRAY(SELECT cdm._entity_ids(f) FROM unnest(frontier) f);
    cands := ARRAY(SELECT DISTINCT cdm.entity_live(r.from_entity)
                     FROM cdm.relationship r
                     JOIN cdm.relationship_type t ON t.name = r.type AND t.hierarchy
                    WHERE r.to_entity = ANY (ids)
                      AND r.valid_from <= as_of AND (r.valid_to IS NULL OR r.valid_to > as_of));
    ids := ARRAY(SELECT cdm._entity_ids(c) FROM unnest(cands) c WHERE c <> ALL (seen));
    SELECT coalesce(array_agg(ch.child), '{}'), coalesce(array_agg(ch.parent), '{}') INTO nc, np
      FROM (SELECT DISTINCT ON (x.child) x.child, x.parent
              FROM (SELECT cdm.entity_live(r.from_entity) AS child, cdm.entity_live(r.to_entity) AS parent,
                           r.valid_from, r.id
                      FROM cdm.relationship r
                      JOIN cdm.relationship_type t ON t.name = r.type AND t.hierarchy
                     WHERE r.from_entity = ANY (ids)
                       AND r.valid_from <= as_of AND (r.valid_to IS NULL OR r.valid_to > as_of)) x
             WHERE x.parent <> x.child
             ORDER BY x.child, x.valid_from DESC, x.id DESC) ch
     WHERE ch.parent = ANY (frontier);
    ents := ents || nc;
    pars := pars || np;
    seen := seen || nc;
    frontier := nc;
    levels := levels + 1;
  END LOOP;
  RETURN QUERY
  WITH RECURSIVE g(entity, depth, path) AS (
    SELECT live, 0, ARRAY[live]
    UNION ALL
    SELECT e.child, g.depth + 1, g.path || e.child
      FROM g JOIN unnest(ents, pars) e(child, parent) ON e.parent = g.entity
  )
  SELECT g.entity, g.depth, g.path FROM g ORDER BY g.path;
END $$;
CREATE FUNCTION pg_temp.old_account_members(account bigint, as_of timestamptz)
RETURNS TABLE (entity bigint, role text, relationship bigint, valid_from timestamptz, valid_to timestamptz)
LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
DECLARE
  live bigint;
  ids  bigint[];
BEGIN
  live := cdm.entity_live(account);
  ids := ARRAY(SELECT cdm._entity_ids(live));
  RETURN QUERY
  SELECT y.person, y.type, y.id, y.valid_from, y.valid_to
    FROM (SELECT cdm.entity_live(r.from_entity) AS person, r.type, r.id, r.valid_from, r.valid_to
            FROM cdm.relationship r
            JOIN cdm.relationship_type t ON t.name = r.type AND t.from_kind = 'person' AND t.to_kind = 'organisation'
           WHERE r.to_entity = ANY (ids)
             AND r.valid_from <= as_of AND (r.valid_to IS NULL OR r.valid_to > as_of)) y
   WHERE y.person <> live
   ORDER BY y.person, y.type, y.id;
END $$;

-- 5. The same answers, for every organisation id (merged-away ones too)
--    at five moments
CREATE TEMP TABLE h_moment (at timestamptz);
INSERT INTO h_moment VALUES ('2014-06-01'), ('2016-01-01'), ('2021-01-01'), ('2023-01-01'), ('2031-01-01');
SELECT count(*) AS cases,
       count(*) FILTER (WHERE cdm.group_root(o.id, m.at) = pg_temp.old_group_root(o.id, m.at)) AS roots_equal,
       count(*) FILTER (WHERE cdm._parent_of(cdm.entity_live(o.id), m.at)
                              IS NOT DISTINCT FROM pg_temp.old_parent_of(cdm.entity_live(o.id), m.at)) AS parents_equal,
       count(*) FILTER (WHERE ARRAY(SELECT g FROM cdm.group_members(o.id, m.at) g)
                              = ARRAY(SELECT g FROM pg_temp.old_group_members(o.id, m.at) g)) AS groups_equal,
       count(*) FILTER (WHERE ARRAY(SELECT a FROM cdm.account_members(o.id, m.at) a)
                              = ARRAY(SELECT a FROM pg_temp.old_account_members(o.id, m.at) a)) AS members_equal
  FROM h_org o CROSS JOIN h_moment m;
-- and cdm.parent_links (the set form) gives every parent chosen
SELECT count(*) AS live_cases,
       count(*) FILTER (WHERE cdm._parent_of(o.id, m.at) IS NOT DISTINCT FROM
                              (SELECT p.parent FROM cdm.parent_links(m.at) p WHERE p.entity = o.id)) AS parent_links_equal
  FROM h_org o CROSS JOIN h_moment m
 WHERE cdm.entity_live(o.id) = o.id;
-- what the cases hold: groups, depths, second parents, the loop
SELECT m.at::date AS at,
       count(DISTINCT cdm.group_root(o.id, m.at)) AS roots,
       max((SELECT max(g.depth) FROM cdm.group_members(o.id, m.at) g)) AS max_depth,
       count(*) FILTER (WHERE cdm._parent_of(o.id, m.at) IS NOT NULL) AS with_parent
  FROM h_org o CROSS JOIN h_moment m
 WHERE cdm.entity_live(o.id) = o.id
 GROUP BY m.at ORDER BY m.at;
-- the loop made by merging 1 with 30: its smallest id stands as the root,
-- and the group from it holds the loop once
SELECT cdm.group_root(pg_temp.o(10), '2021-01-01') = least(cdm.entity_live(pg_temp.o(1)), pg_temp.o(3), pg_temp.o(10)) AS loop_root_smallest,
       (SELECT count(*) FROM cdm.group_members(pg_temp.o(3), '2021-01-01') g
         WHERE g.entity IN (cdm.entity_live(pg_temp.o(1)), pg_temp.o(3), pg_temp.o(10))) AS loop_members_once;
-- the link made a self link (13 into 4) is ignored
SELECT cdm._parent_of(cdm.entity_live(pg_temp.o(13)), '2016-01-01') = cdm.entity_live(pg_temp.o(1)) AS merged_13_4_under_1,
       cdm.entity_live(pg_temp.o(13)) = cdm.entity_live(pg_temp.o(4)) AS one_entity;

-- 6. Roll-ups over the same groups: group_active_count with people
SELECT cdm.define_active('hier_def', '{"any": ["purchase"], "activity_within": "365 days", "activity": ["purchase"]}') IS NOT NULL AS defined;
INSERT INTO cdm.milestone (entity, milestone, at, source)
SELECT e.id, t.id, timestamptz '2020-06-01' + (e.i % 3) * interval '1 year', 'test'
  FROM (SELECT id, i FROM h_org WHERE i % 4 = 0 UNION ALL SELECT id, i FROM h_person WHERE i % 3 = 1) e
  JOIN cdm.milestone_type t ON t.name = 'purchase';
SELECT cdm.rebuild_timelines() >= 0 AS rebuilt;
CREATE FUNCTION pg_temp.ref_active(root bigint, as_of timestamptz, people boolean) RETURNS bigint
LANGUAGE sql STABLE AS $$
  WITH g AS (SELECT m.entity FROM pg_temp.old_group_members(root, as_of) m),
  who AS (SELECT g.entity FROM g
          UNION
          SELECT p.entity FROM g CROSS JOIN LATERAL pg_temp.old_account_members(g.entity, as_of) p WHERE people)
  SELECT count(*) FROM who w WHERE cdm.is_active(w.entity, 'hier_def', as_of)
$$;
SELECT count(*) AS cases,
       count(*) FILTER (WHERE cdm.group_active_count(o.id, 'hier_def', m.at, false) = pg_temp.ref_active(o.id, m.at, false)) AS orgs_equal,
       count(*) FILTER (WHERE cdm.group_active_count(o.id, 'hier_def', m.at, true) = pg_temp.ref_active(o.id, m.at, true)) AS with_people_equal,
       sum(cdm.group_active_count(o.id, 'hier_def', m.at, true)) AS active_total
  FROM h_org o CROSS JOIN h_moment m;

-- 7. Households under a parallel plan forced everywhere: the functions that
--    read moved_at (an exception block: a subtransaction) are PARALLEL
--    UNSAFE, so the plan stays in the backend instead of failing
INSERT INTO cdm.entity (id, created_at) SELECT id, '2015-01-01' FROM (SELECT nextval('cdm.entity_id_seq') AS id) x;
INSERT INTO cdm.record (source, source_key, version, attrs, entity, first_entity, link_rule, created_at, updated_at)
SELECT 'hier', 'P-moved', 1, '{"given_name": "Mo", "family_name": "Ved", "address": "5 Elm Rd", "moved_at": "1 March 2024"}',
       currval('cdm.entity_id_seq'), currval('cdm.entity_id_seq'), 'new', '2024-03-05', '2024-03-05';
INSERT INTO cdm.record_version (record, version, attrs, ingested_at, ingested_by)
SELECT r.id, 1, r.attrs, '2024-03-05', 'test' FROM cdm.record r WHERE r.source = 'hier' AND r.source_key = 'P-moved';
CREATE TEMP TABLE h_hh AS SELECT * FROM cdm.households('2025-01-01');
SET force_parallel_mode = on;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SELECT (SELECT count(*) FROM cdm.households('2025-01-01')) = (SELECT count(*) FROM h_hh) AS households_same,
       (SELECT count(*) FROM cdm.households('2025-01-01') h WHERE h.household LIKE '5 elm%') AS moved_in,
       (SELECT count(*) FROM cdm.household_spells() s WHERE s.household LIKE '5 elm%') AS moved_spells;
RESET force_parallel_mode;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
SELECT p.oid::regprocedure AS reads_moved_at, p.proparallel
  FROM pg_proc p
 WHERE p.oid IN ('cdm._try_timestamptz(text)'::regprocedure, 'cdm._moved_at(jsonb)'::regprocedure,
                 'cdm.households(timestamptz, boolean)'::regprocedure, 'cdm.household_spells(boolean)'::regprocedure,
                 'cdm._household_key_at(bigint, timestamptz, boolean)'::regprocedure,
                 'cdm._household_address_key(bigint, timestamptz, boolean)'::regprocedure)
 ORDER BY p.oid::regprocedure::text COLLATE "C";

-- 8. moved_at: the quick reading of ISO dates agrees with the exception
--    block on every form (day 28..31 of every month, leap years, others)
SELECT count(*) AS dates,
       count(*) FILTER (WHERE cdm._moved_at(jsonb_build_object('moved_at', v))
                              IS NOT DISTINCT FROM cdm._try_timestamptz(v)) AS agree,
       count(*) FILTER (WHERE cdm._try_timestamptz(v) IS NULL) AS invalid
  FROM (SELECT to_char(y, 'FM0000') || '-' || to_char(mo, 'FM00') || '-' || to_char(d, 'FM00') AS v
          FROM unnest(ARRAY[1, 999, 1000, 1900, 2000, 2023, 2024, 9999]) y, generate_series(0, 13) mo,
               generate_series(0, 32) d) x;
SELECT v, cdm._moved_at(jsonb_build_object('moved_at', v)) AS moved_at,
       cdm._moved_at(jsonb_build_object('moved_at', v)) IS NOT DISTINCT FROM cdm._try_timestamptz(v) AS agree
  FROM unnest(ARRAY['2024-02-29', '2023-02-29', '2024-04-31', '2024-12-31', '1 March 2024', '2024-03-01 12:30+02',
                    ' 2024-03-01', '2024-3-1', 'infinity', '', 'garbage', '0000-01-01', '10000-01-01']) v;
SELECT cdm._moved_at('{}') AS no_moved_at, cdm._moved_at('{"moved_at": null}') AS json_null,
       cdm._moved_at('{"moved_at": 20240301}') AS a_number;

ROLLBACK;
