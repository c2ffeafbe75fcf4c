-- bench/lifecycle_peer.sql: the peer of the lifecycle benchmark, what a
-- user writes without cdm: plain SQL over a milestones table with sensible
-- indexes, entities resolved through a mapping built from the merges.
--
--   peer.milestone (entity, milestone, at, source, amount)  the same rows
--        cdm.load_milestones got (bench_lc.gen), as recorded (the ids the
--        sources used, merged or not)
--   peer.merge (a, b)          the merges made (the same pairs as cdm.merge)
--   peer.entity_live (id, live)  every customer id and the id it stands for
--        now: the smallest id of its group of merged ids (cdm keeps the older,
--        smaller id too), built with a recursive query over peer.merge
--   bench_lc.peer_sql (definition, kind, sql)  the peer's queries per
--        definition: kind 'set' (the live entities active at :T; a count is
--        SELECT count(*) FROM (set) s) and 'entity' (is entity :E active at
--        :T); bench/lifecycle.sql substitutes :T and :E
--
-- Indexes: (milestone, at) INCLUDE (entity) finds who did X in a time range
-- (the driving set of a count); (entity, at) INCLUDE (milestone) answers
-- "did this entity do X / anything before T" per entity; both index-only
-- after the VACUUM.  The count queries start from the entities that met one
-- positive condition (the most selective one a user would pick: the
-- activity in the window for finance, the completed onboarding for sales,
-- ready for service for operations), take each live entity once, and test
-- the other conditions with EXISTS over all the ids merged into it.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS peer CASCADE;
CREATE SCHEMA peer;

CREATE TABLE peer.milestone (
  entity bigint NOT NULL, milestone text NOT NULL, at timestamptz NOT NULL,
  source text NOT NULL, amount numeric
);
CREATE FUNCTION pg_temp.step(k text, q text) RETURNS void LANGUAGE plpgsql AS $f$
DECLARE t0 timestamptz := clock_timestamp();
BEGIN
  EXECUTE q;
  INSERT INTO bench_lc.info VALUES (k, 1000 * extract(epoch FROM clock_timestamp() - t0));
END $f$;
-- the bulk rows and the single ones cdm got through cdm.record_milestone
SELECT pg_temp.step('peer_load_ms', $q$
  INSERT INTO peer.milestone SELECT entity, milestone, at, source, amount FROM bench_lc.gen;
  INSERT INTO peer.milestone SELECT entity, milestone, at, source, NULL FROM bench_lc.gen_single;
$q$);
SELECT pg_temp.step('peer_index_ms', $q$
  CREATE INDEX milestone_ms_at ON peer.milestone (milestone, at) INCLUDE (entity);
  CREATE INDEX milestone_entity_at ON peer.milestone (entity, at) INCLUDE (milestone);
$q$);

CREATE TABLE peer.merge (a bigint NOT NULL, b bigint NOT NULL);
INSERT INTO peer.merge SELECT a, b FROM bench_lc.merge_pair;

-- every customer id (the peer's customer table holds them all, with or
-- without milestones) and the id it stands for
CREATE TABLE peer.entity_live (id bigint PRIMARY KEY, live bigint NOT NULL);
SELECT pg_temp.step('peer_map_ms', $q$
WITH RECURSIVE edge(x, y) AS (
  SELECT a, b FROM peer.merge UNION SELECT b, a FROM peer.merge
), reach(id, other) AS (
  SELECT x, y FROM edge
  UNION
  SELECT r.id, e.y FROM reach r JOIN edge e ON e.x = r.other
)
INSERT INTO peer.entity_live
SELECT c.id, least(c.id, coalesce(g.low, c.id))
  FROM generate_series(1, (SELECT entities FROM bench_lc.param)) c(id)
  LEFT JOIN (SELECT id, min(other) AS low FROM reach GROUP BY id) g ON g.id = c.id;
CREATE INDEX entity_live_live ON peer.entity_live (live, id);
$q$);

VACUUM ANALYZE peer.milestone, peer.merge, peer.entity_live;
INSERT INTO bench_lc.info VALUES
  ('peer_milestone_bytes', pg_total_relation_size('peer.milestone')),
  ('peer_map_bytes', pg_total_relation_size('peer.entity_live'));

-- ------------------------------------------------------------ the queries
-- :T is a timestamptz expression, :E an entity id expression.  "ids of the
-- live entity L": peer.entity_live i WHERE i.live = L.
CREATE TABLE bench_lc.peer_sql (definition text, kind text, sql text, PRIMARY KEY (definition, kind));

-- finance: contract_signed, no contract_ended, invoice_paid within 90 days
INSERT INTO bench_lc.peer_sql VALUES
('finance', 'set', $q$
SELECT d.live FROM (
  SELECT DISTINCT l.live
    FROM peer.milestone m JOIN peer.entity_live l ON l.id = m.entity
   WHERE m.milestone = 'invoice_paid' AND m.at > :T - interval '90 days' AND m.at <= :T) d
 WHERE EXISTS (SELECT 1 FROM peer.entity_live i JOIN peer.milestone m ON m.entity = i.id
                WHERE i.live = d.live AND m.milestone = 'contract_signed' AND m.at <= :T)
   AND NOT EXISTS (SELECT 1 FROM peer.entity_live i JOIN peer.milestone m ON m.entity = i.id
                    WHERE i.live = d.live AND m.milestone = 'contract_ended' AND m.at <= :T)
$q$),
('finance', 'entity', $q$
SELECT EXISTS (SELECT 1 FROM peer.entity_live i JOIN peer.milestone m ON m.entity = i.id
                WHERE i.live = d.live AND m.milestone = 'invoice_paid'
                  AND m.at > :T - interval '90 days' AND m.at <= :T)
   AND EXISTS (SELECT 1 FROM peer.entity_live i JOIN peer.milestone m ON m.entity = i.id
                WHERE i.live = d.live AND m.milestone = 'contract_signed' AND m.at <= :T)
   AND NOT EXISTS (SELECT 1 FROM peer.entity_live i JOIN peer.milestone m ON m.entity = i.id
                    WHERE i.live = d.live AND m.milestone = 'contract_ended' AND m.at <= :T)
  FROM (SELECT l.live FROM peer.entity_live l WHERE l.id = :E) d
$q$);

-- sales: onboarding_completed and documents_submitted, no contract_ended
INSERT INTO bench_lc.peer_sql VALUES
('sales', 'set', $q$
SELECT d.live FROM (
  SELECT DISTINCT l.live
    FROM peer.milestone m JOIN peer.entity_live l ON l.id = m.entity
   WHERE m.milestone = 'onboarding_completed' AND m.at <= :T) d
 WHERE EXISTS (SELECT 1 FROM peer.entity_live i JOIN peer.milestone m ON m.entity = i.id
                WHERE i.live = d.live AND m.milestone = 'documents_submitted' AND m.at <= :T)
   AND NOT EXISTS (SELECT 1 FROM peer.entity_live i JOIN peer.milestone m ON m.entity = i.id
                    WHERE i.live = d.live AND m.milestone = 'contract_ended' AND m.at <= :T)
$q$),
('sales', 'entity', $q$
SELECT EXISTS (SELECT 1 FROM peer.entity_live i JOIN peer.milestone m ON m.entity = i.id
                WHERE i.live = d.live AND m.milestone = 'onboarding_completed' AND m.at <= :T)
   AND EXISTS (SELECT 1 FROM peer.entity_live i JOIN peer.milestone m ON m.entity = i.id
                WHERE i.live = d.live AND m.milestone = 'documents_submitted' AND m.at <= :T)
   AND NOT EXISTS (SELECT 1 FROM peer.entity_live i JOIN peer.milestone m ON m.entity = i.id
                    WHERE i.live = d.live AND m.milestone = 'contract_ended' AND m.at <= :T)
  FROM (SELECT l.live FROM peer.entity_live l WHERE l.id = :E) d
$q$);

-- operations: ready_for_service, any milestone within 365 days
INSERT INTO bench_lc.peer_sql VALUES
('operations', 'set', $q$
SELECT d.live FROM (
  SELECT DISTINCT l.live
    FROM peer.milestone m JOIN peer.entity_live l ON l.id = m.entity
   WHERE m.milestone = 'ready_for_service' AND m.at <= :T) d
 WHERE EXISTS (SELECT 1 FROM peer.entity_live i JOIN peer.milestone m ON m.entity = i.id
                WHERE i.live = d.live AND m.at > :T - interval '365 days' AND m.at <= :T)
$q$),
('operations', 'entity', $q$
SELECT EXISTS (SELECT 1 FROM peer.entity_live i JOIN peer.milestone m ON m.entity = i.id
                WHERE i.live = d.live AND m.milestone = 'ready_for_service' AND m.at <= :T)
   AND EXISTS (SELECT 1 FROM peer.entity_live i JOIN peer.milestone m ON m.entity = i.id
                WHERE i.live = d.live AND m.at > :T - interval '365 days' AND m.at <= :T)
  FROM (SELECT l.live FROM peer.entity_live l WHERE l.id = :E) d
$q$);
