-- ---------------------------------------------------------------------------
-- Accounts: an organisation's people (employees and buying-team roles),
-- its buying team, and its "active" status and its group's derived from
-- the members' milestones under a definition of active (72_active.sql).
-- ---------------------------------------------------------------------------

-- the people of a live organisation at as_of, by the index on to_entity
-- (an SQL-standard body, inlined where called in FROM): merges resolved by
-- the entity row, cdm.entity_live only for an id merged away
CREATE FUNCTION cdm._account_links(live bigint, as_of timestamptz)
RETURNS TABLE (person bigint, type text, id bigint, valid_from timestamptz, valid_to timestamptz)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
  SELECT y.person, y.type, y.id, y.valid_from, y.valid_to
    FROM (SELECT CASE WHEN e.merged_into IS NULL THEN e.id ELSE cdm.entity_live(e.id) END AS person,
                 r.type, r.id, r.valid_from, r.valid_to
            FROM cdm._entity_ids(live) i
            JOIN cdm.relationship r ON r.to_entity = i.i
            JOIN cdm.entity e ON e.id = r.from_entity
           WHERE r.type IN (SELECT t.name FROM cdm.relationship_type t
                             WHERE t.from_kind = 'person' AND t.to_kind = 'organisation')
             AND r.valid_from <= as_of AND (r.valid_to IS NULL OR r.valid_to > as_of)) y
   WHERE y.person <> live;
END;
COMMENT ON FUNCTION cdm._account_links(bigint, timestamptz) IS
'Internal: the person -> organisation relationships to a live organisation (or to an id merged into it) holding at as_of, the person resolved through merges (a relationship whose two sides merged is left out): the rows of cdm.account_members, unordered; by index, inlined where called in FROM.';

CREATE FUNCTION cdm.account_members(account bigint, as_of timestamptz DEFAULT now())
RETURNS TABLE (entity bigint, role text, relationship bigint, valid_from timestamptz, valid_to timestamptz)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
SET jit = off
AS $$
#variable_conflict use_column
DECLARE
  live bigint;
BEGIN
  IF account IS NULL OR as_of IS NULL THEN
    RETURN;
  END IF;
  live := cdm._live_entity('cdm.account_members', account);
  RETURN QUERY
  SELECT y.person, y.type, y.id, y.valid_from, y.valid_to
    FROM cdm._account_links(live, as_of) y
   ORDER BY y.person, y.type, y.id;
END
$$;
COMMENT ON FUNCTION cdm.account_members(bigint, timestamptz) IS
'The people of an organisation (as currently resolved) at as_of (default now): every person -> organisation relationship to it holding then (employee_of, decision_maker_for, influencer_for, champion_for, user_of, naysayer_for and declared ones): person (live entity), role (the type), relationship id, period. A person with two roles has two rows. NULL argument: no rows; unknown entity: 42704.';

CREATE FUNCTION cdm._entity_active(live bigint, d cdm.active_definition, as_of timestamptz) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT coalesce((SELECT cdm._timeline_active(t.events, d.program, as_of)
                     FROM cdm.entity_timeline t WHERE t.entity = live), false)
         AND cdm._in_population(live, d.sources, d.exclude_sources)
$$;
COMMENT ON FUNCTION cdm._entity_active(bigint, cdm.active_definition, timestamptz) IS
'Internal: is a live entity active at as_of under a definition (as cdm.is_active)?';

CREATE FUNCTION cdm.account_is_active(account bigint, definition text, as_of timestamptz DEFAULT now(),
                                      role text DEFAULT NULL)
RETURNS boolean
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  d    cdm.active_definition;
  t    cdm.relationship_type;
  live bigint;
BEGIN
  IF account IS NULL OR definition IS NULL OR as_of IS NULL THEN
    RETURN NULL;
  END IF;
  d := cdm._active_def('cdm.account_is_active', definition);
  IF role IS NOT NULL THEN
    t := cdm._relationship_type('cdm.account_is_active', role);
    IF t.from_kind <> 'person' OR t.to_kind <> 'organisation' THEN
      RAISE EXCEPTION 'cdm.account_is_active: "%" is not a role of a person in an organisation', role
        USING ERRCODE = '22023',
              HINT = 'Name a person -> organisation type: ' || (SELECT string_agg(x.name, ', ' ORDER BY x.name)
                       FROM cdm.relationship_type x WHERE x.from_kind = 'person' AND x.to_kind = 'organisation') || '.';
    END IF;
  END IF;
  live := cdm._live_entity('cdm.account_is_active', account);
  IF role IS NULL AND cdm._entity_active(live, d, as_of) THEN
    RETURN true;
  END IF;
  RETURN EXISTS (SELECT 1 FROM cdm.account_members(live, as_of) m
                  WHERE (account_is_active.role IS NULL OR m.role = account_is_active.role)
                    AND cdm._entity_active(m.entity, d, as_of));
END
$$;
COMMENT ON FUNCTION cdm.account_is_active(bigint, text, timestamptz, text) IS
'Is an account (an organisation, as currently resolved) active at as_of (default now) under a definition of active (name or name@version), by the rule "any member active": the organisation itself or any of its people (cdm.account_members) active under the definition; with role (e.g. ''decision_maker_for''), only people holding that role then count (the organisation''s own milestones do not). NULL account, definition or as_of: NULL. Unknown definition or entity: 42704; unknown role or one that is not person -> organisation: 22023.';

CREATE FUNCTION cdm.group_active_count(root bigint, definition text, as_of timestamptz DEFAULT now(),
                                       people boolean DEFAULT false)
RETURNS bigint
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
SET jit = off
AS $$
DECLARE
  d    cdm.active_definition;
  n    bigint;
  live bigint;
BEGIN
  IF root IS NULL OR definition IS NULL OR as_of IS NULL OR people IS NULL THEN
    RETURN NULL;
  END IF;
  d := cdm._active_def('cdm.group_active_count', definition);
  live := cdm._live_entity('cdm.group_active_count', root);
  -- the group as cdm.group_members finds it, inlined (so the planner sees a
  -- group's size, and reads the timelines of its members by index)
  WITH g AS MATERIALIZED (
    SELECT m.entity FROM cdm._group_tree(live, as_of) m
  ), who AS (
    SELECT g.entity FROM g
    UNION
    SELECT p.person
      FROM g CROSS JOIN LATERAL cdm._account_links(g.entity, as_of) p
     WHERE group_active_count.people
  )
  SELECT count(*) INTO n
    FROM who w
    JOIN cdm.entity_timeline t ON t.entity = w.entity
   WHERE cdm._timeline_active(t.events, d.program, as_of)
     AND (d.sources IS NULL AND d.exclude_sources IS NULL
          OR cdm._in_population(w.entity, d.sources, d.exclude_sources));
  RETURN n;
END
$$;
COMMENT ON FUNCTION cdm.group_active_count(bigint, text, timestamptz, boolean) IS
'How many active accounts a group has: the organisations of cdm.group_members(root, as_of) active at as_of under the definition (name or name@version); with people, their people too (every person holding a person -> organisation relationship to one of them then; each counted once). NULL argument: NULL; unknown definition or entity: 42704.';

CREATE VIEW cdm.buying_team AS
SELECT r.to_live AS account,
       (SELECT g.value #>> '{}' FROM cdm.golden_value g
         WHERE g.entity = r.to_live AND g.attribute = 'organisation_name') AS account_name,
       r.from_live AS person,
       (SELECT coalesce(max(g.value #>> '{}') FILTER (WHERE g.attribute = 'full_name'),
                        nullif(concat_ws(' ', max(g.value #>> '{}') FILTER (WHERE g.attribute = 'given_name'),
                                              max(g.value #>> '{}') FILTER (WHERE g.attribute = 'family_name')), ''))
          FROM cdm.golden_value g
         WHERE g.entity = r.from_live AND g.attribute IN ('full_name', 'given_name', 'family_name')) AS person_name,
       r.type AS role, r.valid_from, r.valid_to, r.source, r.id AS relationship
  FROM cdm.relationship_resolved r
  JOIN cdm.relationship_type t ON t.name = r.type AND t.buying_role
 WHERE NOT r.self AND r.valid_from <= now() AND (r.valid_to IS NULL OR r.valid_to > now());
COMMENT ON VIEW cdm.buying_team IS
'For BI tools: the buying team of every account now: account (organisation entity) and its golden organisation_name, person and golden name (full_name, else given and family name), role (decision_maker_for, influencer_for, champion_for, user_of, naysayer_for and declared buying roles), period, source, relationship id. Entities as currently resolved.';

CREATE FUNCTION cdm.account_stage(account bigint, as_of timestamptz DEFAULT now(), role text DEFAULT NULL,
                                  scope text DEFAULT NULL, model text DEFAULT 'default')
RETURNS cdm.lifecycle
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  t    cdm.relationship_type;
  live bigint;
  ev   bytea;
  born timestamptz;
  m    record;
BEGIN
  IF account IS NULL OR as_of IS NULL OR model IS NULL THEN
    RETURN NULL;
  END IF;
  IF role IS NOT NULL THEN
    t := cdm._relationship_type('cdm.account_stage', role);
    IF t.from_kind <> 'person' OR t.to_kind <> 'organisation' THEN
      RAISE EXCEPTION 'cdm.account_stage: "%" is not a role of a person in an organisation', role
        USING ERRCODE = '22023';
    END IF;
  END IF;
  live := cdm._live_entity('cdm.account_stage', account);
  -- one journey for the account: the union of the timelines of the
  -- organisation (unless a role is named) and of its people then
  FOR m IN SELECT live AS entity WHERE account_stage.role IS NULL
           UNION
           SELECT p.entity FROM cdm.account_members(live, as_of) p
            WHERE account_stage.role IS NULL OR p.role = account_stage.role LOOP
    ev := cdm._timeline_merge(ev, (SELECT x.events FROM cdm.entity_timeline x WHERE x.entity = m.entity));
    born := least(born, cdm._entity_born(m.entity, (SELECT x.events FROM cdm.entity_timeline x WHERE x.entity = m.entity)));
  END LOOP;
  IF born IS NULL THEN
    RETURN NULL;
  END IF;
  RETURN cdm._timeline_stage(coalesce(ev, ''::bytea), model, as_of, cdm._scope_lookup(scope), born);
END
$$;
COMMENT ON FUNCTION cdm.account_stage(bigint, timestamptz, text, text, text) IS
'The lifecycle stage of an account (an organisation, as currently resolved) at as_of (default now) under a stage model (default ''default'') in a scope (as cdm.stage_at), derived from one journey: the milestones of the organisation and of every person holding a person -> organisation relationship to it at as_of, merged in time order (the account reached onboarding when its first member did, is active while a member''s activity keeps it so); with role, only the people holding that role, not the organisation''s own milestones. NULL when no one of them had begun by as_of, and for a NULL account, as_of or model. Unknown entity: 42704; unknown role or not person -> organisation, unknown model: 22023.';
