-- ---------------------------------------------------------------------------
-- Organisations: comparable names (legal forms dropped) and the hierarchy
-- of subsidiary_of relationships (groups, roots, a flattened view for BI).
-- The roll-ups over members' milestones are in 76_account.sql.
-- ---------------------------------------------------------------------------

CREATE FUNCTION cdm.org_name_norm(name text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT pg_catalog.btrim(
    -- legal forms at the end, one or more ("gmbh and co kg", "pty ltd"),
    -- never the first word
    pg_catalog.regexp_replace(
      -- a few legal forms that come first (Indonesia, Russia) and "the"
      pg_catalog.regexp_replace(
        -- runs of single letters are one word: "s a" -> "sa", "j p" -> "jp"
        pg_catalog.regexp_replace(
          cdm.fold(pg_catalog.replace($1, '&', ' and ')),
          '\m([a-z]) (?=[a-z](?: |$))', '\1', 'g'),
        '^(?:the|pt|ooo|zao|oao|pao|tov) (?=\S)', ''),
      '(?<=\S)(?: (?:and|und|et|inc|incorporated|corp|corporation|co|company|cos|companies|ltd|ltda|limited|llc|llp|lp|lc|plc|pllc|'
      'pty|pte|pvt|private|public|gmbh|mbh|ag|kg|kgaa|ohg|ug|ev|eg|se|sa|sas|sasu|sarl|eurl|sca|snc|srl|srls|spa|sapa|sl|slu|'
      'sau|sab|sociedad|anonima|limitada|bv|bvba|nv|vof|cv|oy|oyj|ab|publ|as|asa|aps|hf|ehf|kk|yk|gk|bhd|sdn|tbk|sro|spol|zoo|'
      'sp|kft|zrt|nyrt|rt|doo|dd|ad|ead|ood|srl|sc|ae|epe|ike|sp zoo|sa de cv|de cv|s de rl|de rl|'
      'holding|holdings|aktiengesellschaft|aktiebolag|aktieselskab|osakeyhtio|kabushiki kaisha|kabushikikaisha|'
      'naamloze vennootschap|besloten vennootschap|societe anonyme|societa per azioni|'
      'gesellschaft mit beschrankter haftung|limited liability company|limited liability partnership))+$',
      ''))
$$;
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

CREATE FUNCTION cdm.group_members(root bigint, as_of timestamptz DEFAULT now())
RETURNS TABLE (entity bigint, depth integer, path bigint[])
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  live bigint;
BEGIN
  IF root IS NULL OR as_of IS NULL THEN
    RETURN;
  END IF;
  live := cdm.entity_live(root);
  IF live IS NULL THEN
    RAISE EXCEPTION 'cdm.group_members: no entity %', root USING ERRCODE = '42704';
  END IF;
  RETURN QUERY
  WITH RECURSIVE links AS MATERIALIZED (
    SELECT p.entity, p.parent FROM cdm.parent_links(as_of) p
  ), g(entity, depth, path) AS (
    SELECT live, 0, ARRAY[live]
    UNION ALL
    SELECT l.entity, g.depth + 1, g.path || l.entity
      FROM g JOIN links l ON l.parent = g.entity
     WHERE l.entity <> ALL (g.path)
  )
  SELECT g.entity, g.depth, g.path FROM g ORDER BY g.path;
END
$$;
COMMENT ON FUNCTION cdm.group_members(bigint, timestamptz) IS
'The organisation root (as currently resolved) and every organisation under it at as_of (default now) through subsidiary_of links (cdm.parent_links: one parent each), depth first in path order: entity, depth (0 for root) and path (the ids from root down to it). Cycle-safe: a loop made by merges is followed once. NULL argument: no rows; unknown entity: 42704.';

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
    -- the parent cdm.parent_links would give, for this one organisation
    SELECT coalesce(f.live, r.to_entity) INTO p
      FROM cdm.relationship r
      JOIN cdm.relationship_type t ON t.name = r.type AND t.hierarchy
      LEFT JOIN cdm.entity_forward f ON f.id = r.to_entity
     WHERE r.from_entity IN (SELECT cdm._entity_ids(cur))
       AND r.valid_from <= as_of AND (r.valid_to IS NULL OR r.valid_to > as_of)
       AND coalesce(f.live, r.to_entity) <> cur
     ORDER BY r.valid_from DESC, r.id DESC
     LIMIT 1;
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
'The top of the organisation hierarchy above an entity (as currently resolved) at as_of (default now): its parent''s parent... through subsidiary_of links (one parent each, as cdm.parent_links), the entity itself when it has no parent. On a loop (two organisations each the other''s subsidiary after a merge) the smallest id of the loop. NULL argument: NULL; unknown entity: 42704.';

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
