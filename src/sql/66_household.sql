-- ---------------------------------------------------------------------------
-- Households: people sharing a normalised address (optionally a surname),
-- with move-outs handled by dates.  Computed when read from the record
-- versions, so a person whose records show a newer address from date D is
-- in the new household, and no longer in the old one, from D.
-- ---------------------------------------------------------------------------

CREATE FUNCTION cdm.household_key(address text, family_name text DEFAULT NULL) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  -- NULL || text is NULL: no address, no key (and address_norm runs once)
  SELECT nullif(cdm.address_norm($1), '') || coalesce(' | ' || nullif(cdm.fold($2), ''), '')
$$;
COMMENT ON FUNCTION cdm.household_key(text, text) IS
'The key of a household: cdm.address_norm(address), and with a family name `` | `` and its cdm.fold, so household_key(''12 North Main Street Apt 4'') = household_key(''12 N. Main St., Apt. #4'') = ''12 n main st apt 4'' and household_key(''12 Main St'', ''Müller'') = ''12 main st | muller''. Pass the whole address (line, postcode, city) when addresses of several towns are mixed. NULL when the address is NULL, blank or nothing is left of it; a NULL or blank family name is left out. IMMUTABLE (as cdm.fold).';

CREATE FUNCTION cdm._try_timestamptz(v text) RETURNS timestamptz
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  RETURN CASE WHEN isfinite(v::timestamptz) THEN v::timestamptz END;
EXCEPTION WHEN data_exception THEN
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION cdm._try_timestamptz(text) IS
'Internal: the text as a finite timestamptz, NULL when it is not one (a moved_at a source wrote badly is ignored, not an error).';

CREATE FUNCTION cdm._household_address(attrs jsonb) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT CASE WHEN nullif(btrim($1 ->> 'address'), '') IS NOT NULL
              THEN concat_ws(' ', btrim($1 ->> 'address'), nullif(btrim($1 ->> 'postcode'), ''),
                             nullif(btrim($1 ->> 'city'), '')) END
$$;
COMMENT ON FUNCTION cdm._household_address(jsonb) IS
'Internal: the address a record version gives for households: its address line followed by postcode and city when it has them; NULL without an address line.';

CREATE FUNCTION cdm.household_spells(surname boolean DEFAULT false)
RETURNS TABLE (household text, entity bigint, since timestamptz, until timestamptz)
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  WITH obs AS (
    -- every version of a live person record that gives an address: from
    -- when it holds (moved_at when the source says so, else its ingest)
    SELECT r.entity,
           coalesce(CASE WHEN v.attrs ? 'moved_at' THEN cdm._try_timestamptz(v.attrs ->> 'moved_at') END,
                    v.ingested_at) AS since,
           v.ingested_at, v.record, v.version,
           cdm.household_key(cdm._household_address(v.attrs),
                             CASE WHEN $1 THEN nullif(btrim(v.attrs ->> 'family_name'), '') END) AS k
      FROM cdm.record_version v
      JOIN cdm.record r ON r.id = v.record
     WHERE r.retired_at IS NULL
       AND nullif(btrim(v.attrs ->> 'address'), '') IS NOT NULL
       AND nullif(btrim(r.attrs ->> 'organisation_name'), '') IS NULL
  ), marked AS (
    SELECT o.*, o.k IS DISTINCT FROM lag(o.k) OVER w AS starts
      FROM obs o
     WHERE o.k IS NOT NULL
    WINDOW w AS (PARTITION BY o.entity ORDER BY o.since, o.ingested_at, o.record, o.version)
  ), numbered AS (
    SELECT m.*, count(*) FILTER (WHERE m.starts)
                  OVER (PARTITION BY m.entity ORDER BY m.since, m.ingested_at, m.record, m.version) AS spell
      FROM marked m
  ), spells AS (
    SELECT n.entity, n.spell, min(n.k) AS k, min(n.since) AS since
      FROM numbered n GROUP BY n.entity, n.spell
  )
  SELECT s.k, s.entity, s.since, lead(s.since) OVER (PARTITION BY s.entity ORDER BY s.spell)
    FROM spells s
$$;
COMMENT ON FUNCTION cdm.household_spells(boolean) IS
'Who lived in which household when: one row per person entity and stay (household key, entity, since, until; until NULL for the current one). Read from every version of the entity''s live records that gives an address (address line, with postcode and city when given: cdm.household_key; with surname, also the version''s family_name), each holding from its moved_at attribute when it has a valid one, else from when it was ingested; the most recent observation wins, so a person is in the old household until the move and in the new one from it. Organisations (records with organisation_name) are left out. Records of one entity from two sources that disagree count in time order: a source that keeps sending an old address moves the person back.';

CREATE FUNCTION cdm.households(as_of timestamptz DEFAULT now(), surname boolean DEFAULT false)
RETURNS TABLE (household text, size integer, members bigint[])
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  -- the household of each person at as_of is the key of their latest
  -- observation by then (what cdm.household_spells says, without building
  -- every stay)
  WITH obs AS (
    SELECT r.entity,
           coalesce(CASE WHEN v.attrs ? 'moved_at' THEN cdm._try_timestamptz(v.attrs ->> 'moved_at') END,
                    v.ingested_at) AS since,
           v.ingested_at, v.record, v.version,
           cdm.household_key(cdm._household_address(v.attrs),
                             CASE WHEN $2 THEN nullif(btrim(v.attrs ->> 'family_name'), '') END) AS k
      FROM cdm.record_version v
      JOIN cdm.record r ON r.id = v.record
     WHERE r.retired_at IS NULL
       AND nullif(btrim(v.attrs ->> 'address'), '') IS NOT NULL
       AND nullif(btrim(r.attrs ->> 'organisation_name'), '') IS NULL
  ), latest AS (
    SELECT DISTINCT ON (o.entity) o.entity, o.k
      FROM obs o
     WHERE o.k IS NOT NULL AND o.since <= $1
     ORDER BY o.entity, o.since DESC, o.ingested_at DESC, o.record DESC, o.version DESC
  )
  SELECT l.k, count(*)::integer, array_agg(l.entity ORDER BY l.entity)
    FROM latest l
   GROUP BY l.k
   ORDER BY l.k
$$;
COMMENT ON FUNCTION cdm.households(timestamptz, boolean) IS
'The households at as_of (default now): live person entities grouped by the household key of their address then (the latest observation by as_of, as in cdm.household_spells; with surname, only people of one family name share a household): key, size and members (entity ids, ascending). A person alone at an address is a household of one. NULL as_of: no rows.';

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
