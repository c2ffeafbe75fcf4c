-- ---------------------------------------------------------------------------
-- Households: people sharing a normalised address (optionally a surname),
-- with move-outs handled by dates.  Computed when read from the record
-- versions, so a person whose records show a newer address from date D is
-- in the new household, and no longer in the old one, from D.
-- ---------------------------------------------------------------------------

-- NULL || text is NULL: no address, no key (and address_norm runs once).
-- An SQL-standard body (bound when created, no search_path of its own), so
-- it is inlined into cdm.households' scan of every record version
CREATE FUNCTION cdm.household_key(address text, family_name text DEFAULT NULL) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN nullif(cdm.address_norm(address), '') || coalesce(' | ' || nullif(cdm.fold(family_name), ''), '');
COMMENT ON FUNCTION cdm.household_key(text, text) IS
'The key of a household: cdm.address_norm(address), and with a family name `` | `` and its cdm.fold, so household_key(''12 North Main Street Apt 4'') = household_key(''12 N. Main St., Apt. #4'') = ''12 n main st apt 4'' and household_key(''12 Main St'', ''Müller'') = ''12 main st | muller''. Pass the whole address (line, postcode, city) when addresses of several towns are mixed. NULL when the address is NULL, blank or nothing is left of it; a NULL or blank family name is left out. IMMUTABLE (as cdm.fold).';

CREATE FUNCTION cdm._try_timestamptz(v text) RETURNS timestamptz
LANGUAGE plpgsql STABLE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  RETURN CASE WHEN isfinite(v::timestamptz) THEN v::timestamptz END;
EXCEPTION WHEN data_exception THEN
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION cdm._try_timestamptz(text) IS
'Internal: the text as a finite timestamptz, NULL when it is not one (a moved_at a source wrote badly is ignored, not an error). PARALLEL UNSAFE: the exception block is a subtransaction, which a parallel query cannot start.';

-- moved_at as cdm._try_timestamptz reads it, without its subtransaction for
-- the usual form: a plain ISO date of a day every month of the year has
-- (Feb 29 and other forms go the slow way).  SQL-standard, so inlined
CREATE FUNCTION cdm._moved_at(attrs jsonb) RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL UNSAFE
RETURN CASE WHEN attrs ? 'moved_at' THEN
         CASE WHEN (attrs ->> 'moved_at') ~ '^[1-9][0-9]{3}-((0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])|(0[13-9]|1[0-2])-(29|30)|(0[13578]|1[02])-31)$'
              THEN (attrs ->> 'moved_at')::timestamptz
              ELSE cdm._try_timestamptz(attrs ->> 'moved_at') END
       END;
COMMENT ON FUNCTION cdm._moved_at(jsonb) IS
'Internal: the moved_at attribute of a record version as a finite timestamptz (cdm._try_timestamptz), NULL without one or when it is not a valid moment; an ISO date (2024-03-01) is read without a subtransaction.';

CREATE FUNCTION cdm._household_address(attrs jsonb) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN nullif(btrim(attrs ->> 'address'), '') IS NOT NULL
            THEN btrim(attrs ->> 'address') || coalesce(' ' || nullif(btrim(attrs ->> 'postcode'), ''), '')
                 || coalesce(' ' || nullif(btrim(attrs ->> 'city'), ''), '') END;
-- (|| rather than concat_ws, which is only stable: an immutable body is
-- inlined into cdm.households' scan)
COMMENT ON FUNCTION cdm._household_address(jsonb) IS
'Internal: the address a record version gives for households: its address line followed by postcode and city when it has them; NULL without an address line.';

-- ------------------------------------------------ declared households
--
-- A source may declare a household: P member_of_household R (R the
-- reference person).  At a moment when P holds such a link, P is in R's
-- household whatever P's own address says; R's household is the one of R's
-- address then, or, when R has none, one keyed 'entity:<R>'.  Links are
-- followed (P -> R -> S: both in S's household); in a loop the smallest id
-- of the loop is the reference.  With several links holding at once the one
-- that started last wins (as for the organisation hierarchy).

CREATE FUNCTION cdm._household_address_key(entity bigint, as_of timestamptz, surname boolean) RETURNS text
LANGUAGE sql STABLE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
  -- the latest observation of the entity's live person records by as_of
  SELECT cdm.household_key(cdm._household_address(v.attrs),
                           CASE WHEN $3 THEN nullif(btrim(v.attrs ->> 'family_name'), '') END)
    FROM cdm.record_version v
    JOIN cdm.record r ON r.id = v.record
   WHERE r.entity = $1 AND r.retired_at IS NULL
     AND nullif(btrim(v.attrs ->> 'address'), '') IS NOT NULL
     AND NOT cdm._org_record(r.attrs)
     AND cdm.household_key(cdm._household_address(v.attrs)) IS NOT NULL
     AND coalesce(cdm._moved_at(v.attrs), v.ingested_at) <= $2
   ORDER BY coalesce(cdm._moved_at(v.attrs), v.ingested_at) DESC, v.ingested_at DESC, v.record DESC, v.version DESC
   LIMIT 1
$$;
COMMENT ON FUNCTION cdm._household_address_key(bigint, timestamptz, boolean) IS
'Internal: the household key of one live entity''s address at as_of (its latest observation by then, as in cdm.households); NULL without one.';

CREATE FUNCTION cdm._household_reference(entity bigint, as_of timestamptz) RETURNS bigint
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  cur     bigint := entity;
  nxt     bigint;
  visited bigint[] := ARRAY[entity];
BEGIN
  IF entity IS NULL OR as_of IS NULL THEN
    RETURN NULL;
  END IF;
  LOOP
    -- the member_of_household link of cur holding at as_of that started
    -- last (by the index on from_entity; a link to an organisation or to
    -- an entity merged with cur is not a household)
    SELECT y.ref INTO nxt
      FROM (SELECT cdm.entity_live(x.to_entity) AS ref, x.valid_from, x.id
              FROM cdm.relationship x
             WHERE x.from_entity IN (SELECT cdm._entity_ids(cur)) AND x.type = 'member_of_household'
               AND x.valid_from <= as_of AND (x.valid_to IS NULL OR x.valid_to > as_of)
            OFFSET 0) y                 -- the kind only of the few links found
     WHERE y.ref <> cur AND cdm.entity_kind(y.ref) IS DISTINCT FROM 'organisation'
     ORDER BY y.valid_from DESC, y.id DESC
     LIMIT 1;
    EXIT WHEN nxt IS NULL;
    IF nxt = ANY (visited) THEN
      -- a loop: its smallest id is the reference
      cur := (SELECT min(v) FROM unnest(visited[array_position(visited, nxt):]) v);
      EXIT;
    END IF;
    visited := visited || nxt;
    cur := nxt;
  END LOOP;
  RETURN CASE WHEN cardinality(visited) > 1 THEN cur END;
END
$$;
COMMENT ON FUNCTION cdm._household_reference(bigint, timestamptz) IS
'Internal: the reference person of the household a live entity declares at as_of: the end of its chain of member_of_household links holding then (the link that started last at each step; in a loop, its smallest id); NULL when it holds no such link.';

CREATE FUNCTION cdm._household_key_at(entity bigint, as_of timestamptz, surname boolean) RETURNS text
LANGUAGE plpgsql STABLE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  ref bigint;
  k   text;
BEGIN
  IF entity IS NULL OR as_of IS NULL OR cdm.entity_kind(entity) IS NOT DISTINCT FROM 'organisation' THEN
    RETURN NULL;
  END IF;
  ref := cdm._household_reference(entity, as_of);
  IF ref IS NOT NULL THEN
    RETURN coalesce(cdm._household_address_key(ref, as_of, surname), 'entity:' || ref);
  END IF;
  k := cdm._household_address_key(entity, as_of, surname);
  IF k IS NULL AND EXISTS (
       SELECT 1
         FROM (SELECT x.from_entity FROM cdm.relationship x
                WHERE x.to_entity IN (SELECT cdm._entity_ids(entity)) AND x.type = 'member_of_household'
                  AND x.valid_from <= as_of AND (x.valid_to IS NULL OR x.valid_to > as_of)
               OFFSET 0) d            -- the chains only of the few links found
        WHERE cdm._household_reference(cdm.entity_live(d.from_entity), as_of) = entity) THEN
    -- the reference person of a declared household, without an address
    k := 'entity:' || entity;
  END IF;
  RETURN k;
END
$$;
COMMENT ON FUNCTION cdm._household_key_at(bigint, timestamptz, boolean) IS
'Internal: the household key of one live person entity at as_of, declared households first: its reference person''s address key when it holds a member_of_household link then (entity:<reference> when that person has no address), else its own address key (entity:<itself> when it has none but is the reference of a declared household); NULL for an organisation or a person in no household.';

CREATE FUNCTION cdm.household_spells(surname boolean DEFAULT false)
RETURNS TABLE (household text, entity bigint, since timestamptz, until timestamptz)
LANGUAGE sql STABLE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
  WITH RECURSIVE links AS (
    -- every declared household link, sides as resolved now
    SELECT cdm.entity_live(x.from_entity) AS a, cdm.entity_live(x.to_entity) AS b, x.valid_from, x.valid_to
      FROM cdm.relationship x
     WHERE x.type = 'member_of_household'
  ), edges AS (
    SELECT l.a, l.b FROM links l WHERE l.a <> l.b
    UNION
    SELECT l.b, l.a FROM links l WHERE l.a <> l.b
  ), reach(node, other) AS (
    SELECT e.a, e.a FROM edges e
    UNION
    SELECT r.node, e.b FROM reach r JOIN edges e ON e.a = r.other
  ), comp AS (
    -- the people linked by declarations, by group (its smallest id)
    SELECT r.node, min(r.other) AS grp FROM reach r GROUP BY r.node
  ), obs AS (
    -- every version of a live person record that gives an address: from
    -- when it holds (moved_at when the source says so, else its ingest)
    SELECT r.entity,
           coalesce(cdm._moved_at(v.attrs), v.ingested_at) AS since,
           v.ingested_at, v.record, v.version,
           cdm.household_key(cdm._household_address(v.attrs),
                             CASE WHEN $1 THEN nullif(btrim(v.attrs ->> 'family_name'), '') END) AS k
      FROM cdm.record_version v
      JOIN cdm.record r ON r.id = v.record
     WHERE r.retired_at IS NULL
       AND nullif(btrim(v.attrs ->> 'address'), '') IS NOT NULL
       AND NOT cdm._org_record(r.attrs)
  ), marked AS (
    SELECT o.*, o.k IS DISTINCT FROM lag(o.k) OVER w AS starts
      FROM obs o
     WHERE o.k IS NOT NULL AND o.entity NOT IN (SELECT c.node FROM comp c)
    WINDOW w AS (PARTITION BY o.entity ORDER BY o.since, o.ingested_at, o.record, o.version)
  ), numbered AS (
    SELECT m.*, count(*) FILTER (WHERE m.starts)
                  OVER (PARTITION BY m.entity ORDER BY m.since, m.ingested_at, m.record, m.version) AS spell
      FROM marked m
  ), spells AS (
    SELECT n.entity, n.spell, min(n.k) AS k, min(n.since) AS since
      FROM numbered n GROUP BY n.entity, n.spell
  ), moments AS (
    -- for the people of a declared household: the moments their household
    -- may change (an address observation or a link starting or ending in
    -- their group), the household at each, and the runs of equal ones
    SELECT DISTINCT c.grp, m.at
      FROM comp c
      JOIN (SELECT o.entity, o.since AS at FROM obs o WHERE o.k IS NOT NULL
            UNION ALL SELECT l.a, l.valid_from FROM links l
            UNION ALL SELECT l.a, l.valid_to FROM links l WHERE l.valid_to IS NOT NULL) m ON m.entity = c.node
  ), declared AS (
    SELECT c.node AS entity, m.at, cdm._household_key_at(c.node, m.at, $1) AS k
      FROM comp c JOIN moments m ON m.grp = c.grp
  ), dmarked AS (
    SELECT d.*, d.k IS DISTINCT FROM lag(d.k) OVER (PARTITION BY d.entity ORDER BY d.at) AS starts
      FROM declared d
  ), druns AS (
    SELECT d.entity, d.k, d.at AS since, lead(d.at) OVER (PARTITION BY d.entity ORDER BY d.at) AS until
      FROM dmarked d WHERE d.starts
  )
  SELECT s.k, s.entity, s.since, lead(s.since) OVER (PARTITION BY s.entity ORDER BY s.spell)
    FROM spells s
  UNION ALL
  SELECT d.k, d.entity, d.since, d.until
    FROM druns d WHERE d.k IS NOT NULL
$$;
COMMENT ON FUNCTION cdm.household_spells(boolean) IS
'Who lived in which household when: one row per person entity and stay (household key, entity, since, until; until NULL for the current one). Read from every version of the entity''s live records that gives an address (address line, with postcode and city when given: cdm.household_key; with surname, also the version''s family_name), each holding from its moved_at attribute when it has a valid one, else from when it was ingested; the most recent observation wins, so a person is in the old household until the move and in the new one from it. Declared households come first: while a person holds a member_of_household relationship to another, they are in that person''s household (as in cdm.households), so their stays also start and end with the relationship and with the other person''s moves. Organisations (records with an organisation_name and no personal name) are left out. Records of one entity from two sources that disagree count in time order: a source that keeps sending an old address moves the person back.';

CREATE FUNCTION cdm.households(as_of timestamptz DEFAULT now(), surname boolean DEFAULT false)
RETURNS TABLE (household text, size integer, members bigint[])
LANGUAGE sql STABLE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
  -- the household of each person at as_of is the key of their latest
  -- observation by then (what cdm.household_spells says, without building
  -- every stay), except for the people a declared household link holding
  -- then touches (either side), whose household is computed one by one
  WITH obs AS (
    SELECT r.entity,
           coalesce(cdm._moved_at(v.attrs), v.ingested_at) AS since,
           v.ingested_at, v.record, v.version,
           cdm.household_key(cdm._household_address(v.attrs),
                             CASE WHEN $2 THEN nullif(btrim(v.attrs ->> 'family_name'), '') END) AS k
      FROM cdm.record_version v
      JOIN cdm.record r ON r.id = v.record
     WHERE r.retired_at IS NULL
       AND nullif(btrim(v.attrs ->> 'address'), '') IS NOT NULL
       AND NOT cdm._org_record(r.attrs)
    OFFSET 0                          -- the key and the moment computed once a row
  ), latest AS (
    SELECT DISTINCT ON (o.entity) o.entity, o.k
      FROM obs o
     WHERE o.k IS NOT NULL AND o.since <= $1
     ORDER BY o.entity, o.since DESC, o.ingested_at DESC, o.record DESC, o.version DESC
  ), touched AS (
    SELECT DISTINCT s.e
      FROM cdm.relationship x
     CROSS JOIN LATERAL (VALUES (cdm.entity_live(x.from_entity)), (cdm.entity_live(x.to_entity))) s(e)
     WHERE x.type = 'member_of_household'
       AND x.valid_from <= $1 AND (x.valid_to IS NULL OR x.valid_to > $1)
  ), keyed AS (
    SELECT l.entity, l.k FROM latest l WHERE l.entity NOT IN (SELECT t.e FROM touched t)
    UNION ALL
    SELECT t.e, cdm._household_key_at(t.e, $1, $2) FROM touched t
  )
  SELECT y.k, count(*)::integer, array_agg(y.entity ORDER BY y.entity)
    FROM keyed y
   WHERE y.k IS NOT NULL
   GROUP BY y.k
   ORDER BY y.k
$$;
COMMENT ON FUNCTION cdm.households(timestamptz, boolean) IS
'The households at as_of (default now): live person entities grouped by the household key of their address then (the latest observation by as_of, as in cdm.household_spells; with surname, only people of one family name share a household): key, size and members (entity ids, ascending). A person alone at an address is a household of one. Declared households win over addresses: a person holding a member_of_household relationship to another at as_of is in that person''s household (the one of the reference person''s address then, whatever their own address says and, with surname, whatever their family name), links followed (P -> R -> S: all in S''s household; in a loop the smallest id is the reference; several at once: the one that started last); a reference person without an address heads a household keyed entity:<id>. NULL as_of: no rows.';

CREATE VIEW cdm.household_members AS
SELECT s.household, s.entity, s.since, s.until
  FROM cdm.household_spells(false) s;
COMMENT ON VIEW cdm.household_members IS
'For BI tools: every stay of a person in a household (cdm.household_spells without surname agreement): household key, entity, since, until (NULL: still there). The members now: WHERE until IS NULL.';

CREATE VIEW cdm.household AS
SELECT h.household, h.size, h.members
  FROM cdm.households(now(), false) h;
COMMENT ON VIEW cdm.household IS
'For BI tools: the households now (cdm.households): key, size, member entity ids. Join cdm.golden on unnest(members) for names.';
