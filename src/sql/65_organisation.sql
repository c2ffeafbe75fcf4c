-- ---------------------------------------------------------------------------
-- Organisations: comparable names (legal forms dropped) and the hierarchy
-- of subsidiary_of relationships (groups, roots, a flattened view for BI).
-- The roll-ups over members' milestones are in 76_account.sql.
-- ---------------------------------------------------------------------------

CREATE FUNCTION cdm.org_name_norm(name text) RETURNS text
AS 'MODULE_PATHNAME', 'cdm_org_name_norm_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.org_name_norm(text) IS
'An organisation name in one comparable form: & read as "and", cdm.fold (case, accents, scripts, punctuation), runs of single letters joined ("S.A." -> "sa", "J.P." -> "jp"), a leading "the" or legal form of the first position (PT, OOO, ZAO, OAO, PAO, TOV) dropped, then every legal-form word at the end dropped, several in a row too: Inc, Incorporated, Corp(oration), Co, Company, Ltd, Limited, LLC, LLP, PLC, Pty, Pte, Pvt, GmbH, AG, KG, KGaA, OHG, UG, e.V., SE, S.A., SAS, SARL, SRL, S.p.A., S.L., B.V., N.V., Oy(j), AB (publ), A/S, ASA, ApS, K.K., Sdn Bhd, Tbk, s.r.o., Sp. z o.o., Kft, Zrt, d.o.o., S.A. de C.V., Holding(s), the spelt-out forms (Aktiengesellschaft, Kabushiki Kaisha, Naamloze Vennootschap, Societe Anonyme, Gesellschaft mit beschrankter Haftung, Limited Liability Company...) Greek AE, EPE, IKE, and a trailing "and" ("und", "et") left by "& Co". The first word always stays: org_name_norm(''Company Ltd'') = ''company''. Legal forms inside the name stay (''Siemens AG Osterreich'' -> ''siemens ag osterreich''). Examples: ''ACME, Inc.'' and ''Acme Incorporated'' -> ''acme''; ''Müller GmbH & Co. KG'' -> ''muller''; ''Johnson & Johnson'' -> ''johnson and johnson''. Empty string when nothing is left. IMMUTABLE (as cdm.fold: REINDEX after a major ICU upgrade).';

-- ----------------------------------------------------------- hierarchy

CREATE FUNCTION cdm.parent_links(as_of timestamptz DEFAULT now())
RETURNS TABLE (entity bigint, parent bigint, relationship bigint)
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT DISTINCT ON (r.from_live) r.from_live, r.to_live, r.id
    FROM cdm.relationship_resolved r
    JOIN cdm.relationship_type t ON t.name = r.type AND t.hierarchy
   WHERE NOT r.self AND r.valid_from <= $1 AND (r.valid_to IS NULL OR r.valid_to > $1)
   ORDER BY r.from_live, r.valid_from DESC, r.id DESC
$$;
COMMENT ON FUNCTION cdm.parent_links(timestamptz) IS
'The organisation hierarchy at as_of (default now) as one parent per organisation: its subsidiary_of relationships holding then, resolved through merges, the one that started last (then the one recorded last) when it has several, so the hierarchy is a tree. Relationships whose two sides merged into one entity are left out. NULL as_of: no rows.';

-- The hierarchy functions below walk the tree from one organisation, by
-- index, one step at a time inside one recursive query.  Their pieces are
-- SQL-standard bodies (bound when created, so without a search_path of
-- their own), which the planner inlines into the callers' queries: merges
-- are resolved by a lookup of the entity row (cdm.entity_live only for an id
-- actually merged away), and ids merged into an organisation by the partial
-- index on merged_into (cdm._entity_ids).  The callers run without JIT:
-- the planner's estimate for the nested recursion can pass jit_above_cost
-- on a small or unanalysed store, and compiling (about half a second) would
-- then cost far more than the few index probes of a walk.

CREATE FUNCTION cdm._parent_link(live bigint, as_of timestamptz)
RETURNS TABLE (parent bigint)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
  SELECT y.parent
    FROM (SELECT CASE WHEN e.merged_into IS NULL THEN e.id ELSE cdm.entity_live(e.id) END AS parent,
                 r.valid_from, r.id
            FROM cdm._entity_ids(live) i
            JOIN cdm.relationship r ON r.from_entity = i.i
            JOIN cdm.entity e ON e.id = r.to_entity
           WHERE r.type IN (SELECT t.name FROM cdm.relationship_type t WHERE t.hierarchy)
             AND r.valid_from <= as_of AND (r.valid_to IS NULL OR r.valid_to > as_of)) y
   WHERE y.parent <> live
   ORDER BY y.valid_from DESC, y.id DESC
   LIMIT 1;
END;
COMMENT ON FUNCTION cdm._parent_link(bigint, timestamptz) IS
'Internal: the parent of a live organisation at as_of as one row (none without a parent), as cdm.parent_links chooses it (the subsidiary_of link that started last, then the one recorded last; a link whose two sides merged is left out), by index; inlined where called in FROM.';

CREATE FUNCTION cdm._child_links(live bigint, as_of timestamptz)
RETURNS TABLE (child bigint)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
  SELECT DISTINCT CASE WHEN e.merged_into IS NULL THEN e.id ELSE cdm.entity_live(e.id) END
    FROM cdm._entity_ids(live) i
    JOIN cdm.relationship r ON r.to_entity = i.i
    JOIN cdm.entity e ON e.id = r.from_entity
   WHERE r.type IN (SELECT t.name FROM cdm.relationship_type t WHERE t.hierarchy)
     AND r.valid_from <= as_of AND (r.valid_to IS NULL OR r.valid_to > as_of);
END;
COMMENT ON FUNCTION cdm._child_links(bigint, timestamptz) IS
'Internal: the live organisations holding a subsidiary_of link to a live organisation (or to an id merged into it) at as_of, the organisation itself included when a merge made a link a self link: the candidates for its children, each of which has it as parent only when cdm._parent_link says so; by index, inlined where called in FROM.';

CREATE FUNCTION cdm._parent_of(live bigint, as_of timestamptz) RETURNS bigint
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
  SELECT p.parent FROM cdm._parent_link(live, as_of) p;
END;
COMMENT ON FUNCTION cdm._parent_of(bigint, timestamptz) IS
'Internal: the parent of a live organisation at as_of, as cdm.parent_links chooses it (the subsidiary_of link that started last, then the one recorded last), found by index; NULL without one.';

-- down from the root through one recursive query: at each organisation the
-- links into it (by index), kept when the candidate chose it as its parent
-- (one parent each, so every organisation is reached once, and a loop made
-- by merges is cut where it comes back into the path): the cost follows the
-- size of the group, not of the hierarchy
CREATE FUNCTION cdm._group_tree(live bigint, as_of timestamptz)
RETURNS TABLE (entity bigint, depth integer, path bigint[])
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
  WITH RECURSIVE g(entity, depth, path) AS (
    SELECT live, 0, ARRAY[live]
    UNION ALL
    SELECT c.child, g.depth + 1, g.path || c.child
      FROM g
     CROSS JOIN LATERAL cdm._child_links(g.entity, as_of) c
     WHERE c.child <> ALL (g.path) AND g.depth < 10000
       AND (SELECT p.parent FROM cdm._parent_link(c.child, as_of) p) = g.entity
  )
  SELECT g.entity, g.depth, g.path FROM g;
END;
COMMENT ON FUNCTION cdm._group_tree(bigint, timestamptz) IS
'Internal: a live organisation and every organisation under it at as_of (the rows of cdm.group_members, unordered), in one recursive query by index; inlined where called in FROM.';

CREATE FUNCTION cdm.group_members(root bigint, as_of timestamptz DEFAULT now())
RETURNS TABLE (entity bigint, depth integer, path bigint[])
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
SET jit = off
AS $$
#variable_conflict use_column
DECLARE
  live bigint;
BEGIN
  IF root IS NULL OR as_of IS NULL THEN
    RETURN;
  END IF;
  live := cdm._live_entity('cdm.group_members', root);
  RETURN QUERY
  SELECT g.entity, g.depth, g.path FROM cdm._group_tree(live, as_of) g ORDER BY g.path;
END
$$;
COMMENT ON FUNCTION cdm.group_members(bigint, timestamptz) IS
'The organisation root (as currently resolved) and every organisation under it at as_of (default now) through subsidiary_of links (one parent each, as cdm.parent_links chooses), depth first in path order: entity, depth (0 for root) and path (the ids from root down to it). Found by index from the root down in one recursive query, so the cost follows the size of the group. Cycle-safe: a loop made by merges is followed once. NULL argument: no rows; unknown entity: 42704.';

CREATE FUNCTION cdm.group_root(entity bigint, as_of timestamptz DEFAULT now()) RETURNS bigint
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
SET jit = off
AS $$
DECLARE
  live bigint;
BEGIN
  IF entity IS NULL OR as_of IS NULL THEN
    RETURN NULL;
  END IF;
  live := cdm._live_entity('cdm.group_root', entity);
  -- up one parent at a time in one recursive query, the ids met in seen;
  -- a step that comes back to an id met before is the last one (a loop,
  -- which merges can make: its smallest id stands as the root)
  RETURN (
    WITH RECURSIVE up(node, seen) AS (
      SELECT live, ARRAY[live]
      UNION ALL
      SELECT p.parent, up.seen || p.parent
        FROM up
       CROSS JOIN LATERAL cdm._parent_link(up.node, as_of) p
       WHERE up.node <> ALL (up.seen[1:cardinality(up.seen) - 1])
    )
    SELECT CASE WHEN array_position(up.seen, up.node) < cardinality(up.seen)
                THEN (SELECT min(x) FROM unnest(up.seen[array_position(up.seen, up.node):]) x)
                ELSE up.node END
      FROM up
     ORDER BY cardinality(up.seen) DESC
     LIMIT 1);
END
$$;
COMMENT ON FUNCTION cdm.group_root(bigint, timestamptz) IS
'The top of the organisation hierarchy above an entity (as currently resolved) at as_of (default now): its parent''s parent... through subsidiary_of links (one parent each, as cdm.parent_links chooses), the entity itself when it has no parent. On a loop (two organisations each the other''s subsidiary after a merge) the smallest id of the loop. NULL argument: NULL; unknown entity: 42704.';

CREATE VIEW cdm.account_hierarchy AS
WITH RECURSIVE links AS MATERIALIZED (
  SELECT p.entity, p.parent FROM cdm.parent_links(now()) p
), h(root, entity, parent, depth, ids) AS (
  SELECT DISTINCT l.parent, l.parent, NULL::bigint, 0, ARRAY[l.parent]
    FROM links l
   WHERE NOT EXISTS (SELECT 1 FROM links x WHERE x.entity = l.parent)
  UNION ALL
  SELECT h.root, l.entity, l.parent, h.depth + 1, h.ids || l.entity
    FROM h JOIN links l ON l.parent = h.entity
   WHERE l.entity <> ALL (h.ids)
)
SELECT h.root, h.entity, h.parent, h.depth, array_to_string(h.ids, '/') AS path, h.ids AS path_ids
  FROM h;
COMMENT ON VIEW cdm.account_hierarchy IS
'The organisation hierarchy now, flattened for BI tools: one row per organisation in a group (a root with subsidiaries, and each subsidiary): root, entity, parent (NULL for the root), depth (0 for the root) and path (the ids from the root down, ''12/40/41''; path_ids as an array). Organisations without parent nor subsidiary are not listed; organisations on a loop with no root above (made by merges) are not listed either (cdm.group_root names one for them). Names: join cdm.golden_value on entity and attribute ''organisation_name''.';
