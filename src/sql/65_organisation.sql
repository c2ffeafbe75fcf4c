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

CREATE FUNCTION cdm._parent_of(live bigint, as_of timestamptz) RETURNS bigint
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  -- the parent cdm.parent_links gives, for one organisation, by index
  RETURN (SELECT y.parent
            FROM (SELECT cdm.entity_live(r.to_entity) AS parent, r.valid_from, r.id
                    FROM cdm.relationship r
                    JOIN cdm.relationship_type t ON t.name = r.type AND t.hierarchy
                   WHERE r.from_entity IN (SELECT cdm._entity_ids(live))
                     AND r.valid_from <= as_of AND (r.valid_to IS NULL OR r.valid_to > as_of)) y
           WHERE y.parent <> live
           ORDER BY y.valid_from DESC, y.id DESC
           LIMIT 1);
END
$$;
COMMENT ON FUNCTION cdm._parent_of(bigint, timestamptz) IS
'Internal: the parent of a live organisation at as_of, as cdm.parent_links chooses it (the subsidiary_of link that started last, then the one recorded last), found by index; NULL without one.';

CREATE FUNCTION cdm.group_members(root bigint, as_of timestamptz DEFAULT now())
RETURNS TABLE (entity bigint, depth integer, path bigint[])
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
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
  IF root IS NULL OR as_of IS NULL THEN
    RETURN;
  END IF;
  live := cdm.entity_live(root);
  IF live IS NULL THEN
    RAISE EXCEPTION 'cdm.group_members: no entity %', root USING ERRCODE = '42704';
  END IF;
  -- down from the root one level at a time, two indexed queries a level
  -- (the links into the level, then the parent each candidate has chosen):
  -- the cost follows the size of the group, not of the hierarchy
  frontier := ARRAY[live];
  seen := ARRAY[live];
  ents := '{}';
  pars := '{}';
  WHILE cardinality(frontier) > 0 AND levels < 10000 LOOP
    -- ids as arrays first, so each query is an index scan over = ANY
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
END
$$;
COMMENT ON FUNCTION cdm.group_members(bigint, timestamptz) IS
'The organisation root (as currently resolved) and every organisation under it at as_of (default now) through subsidiary_of links (one parent each, as cdm.parent_links chooses), depth first in path order: entity, depth (0 for root) and path (the ids from root down to it). Found by index from the root down, one level at a time, so the cost follows the size of the group. Cycle-safe: a loop made by merges is followed once. NULL argument: no rows; unknown entity: 42704.';

CREATE FUNCTION cdm.group_root(entity bigint, as_of timestamptz DEFAULT now()) RETURNS bigint
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  cur  bigint;
  p    bigint;
  seen bigint[];
BEGIN
  IF entity IS NULL OR as_of IS NULL THEN
    RETURN NULL;
  END IF;
  cur := cdm.entity_live(entity);
  IF cur IS NULL THEN
    RAISE EXCEPTION 'cdm.group_root: no entity %', entity USING ERRCODE = '42704';
  END IF;
  seen := ARRAY[cur];
  LOOP
    p := cdm._parent_of(cur, as_of);
    EXIT WHEN p IS NULL;
    IF p = ANY (seen) THEN
      -- a loop (merges can make one): its smallest id stands as the root
      RETURN (SELECT min(x) FROM unnest(seen[array_position(seen, p):]) x);
    END IF;
    seen := seen || p;
    cur := p;
  END LOOP;
  RETURN cur;
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
