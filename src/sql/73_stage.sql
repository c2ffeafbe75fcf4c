-- ---------------------------------------------------------------------------
-- Lifecycle, part 4: an entity's stage, derived from its milestones under a
-- stage model (71_lifecycle.sql), and the golden customers with their stage
-- and their standing under every definition of active, for BI tools.
-- ---------------------------------------------------------------------------

CREATE FUNCTION cdm._timeline_first_at(events bytea) RETURNS timestamptz
AS 'MODULE_PATHNAME', 'cdm_timeline_first_at'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm._timeline_first_at(bytea) IS 'Internal: the moment of a timeline''s first event (NULL when empty).';

CREATE FUNCTION cdm._timeline_last_at(events bytea) RETURNS timestamptz
AS 'MODULE_PATHNAME', 'cdm_timeline_last_at'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm._timeline_last_at(bytea) IS 'Internal: the moment of a timeline''s last event (NULL when empty).';

-- the scope id to derive in: 0 all, -1 a scope never used (unscoped milestones only)
CREATE FUNCTION cdm._scope_lookup(scope text) RETURNS integer
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT CASE WHEN scope IS NULL THEN 0
              ELSE coalesce((SELECT s.id FROM cdm.lifecycle_scope s WHERE s.name = scope), -1) END
$$;
COMMENT ON FUNCTION cdm._scope_lookup(text) IS
'Internal: a scope''s id without registering it: 0 for NULL (every milestone), -1 for a scope no milestone has used (only unscoped milestones count there).';

-- when an entity began: its creation in the store, or its first milestone
-- when that is earlier (records are often loaded long after the fact)
CREATE FUNCTION cdm._entity_born(live bigint, events bytea) RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT least((SELECT min(e.created_at) FROM cdm.entity e WHERE e.id IN (SELECT cdm._entity_ids(live))),
               cdm._timeline_first_at(events))
$$;
COMMENT ON FUNCTION cdm._entity_born(bigint, bytea) IS
'Internal: when a live entity began: the earliest of its ids'' creation and its first milestone.';

CREATE FUNCTION cdm.stage_at(entity bigint, as_of timestamptz DEFAULT now(), scope text DEFAULT NULL,
                             model text DEFAULT 'default')
RETURNS cdm.lifecycle
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  live bigint;
  ev   bytea;
BEGIN
  IF entity IS NULL OR as_of IS NULL OR model IS NULL THEN
    RETURN NULL;
  END IF;
  live := cdm._live_entity('cdm.stage_at', entity);
  SELECT t.events INTO ev FROM cdm.entity_timeline t WHERE t.entity = live;
  ev := coalesce(ev, ''::bytea);
  RETURN cdm._timeline_stage(ev, model, as_of, cdm._scope_lookup(scope), cdm._entity_born(live, ev));
END
$$;
COMMENT ON FUNCTION cdm.stage_at(bigint, timestamptz, text, text) IS
'The lifecycle stage of an entity (as currently resolved) at as_of (default now), derived from its milestones dated at or before as_of under a stage model (default ''default''; see cdm.declare_stage_model), in a scope (NULL: every milestone; a scope: its milestones and unscoped ones): the model''s initial stage from when the entity began (the earlier of its creation and its first milestone), then every mapped milestone, lapse and reactivation in order. NULL before the entity began. Example: cdm.stage_at(42, ''2025-03-31'') = ''active@2025-01-08 00:00:00+00''. Unknown entity: 42704; unknown model: 22023.';

CREATE FUNCTION cdm.why_stage(entity bigint, as_of timestamptz DEFAULT now(), scope text DEFAULT NULL,
                              model text DEFAULT 'default')
RETURNS jsonb
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  live bigint;
  ev   bytea;
BEGIN
  IF entity IS NULL OR as_of IS NULL OR model IS NULL THEN
    RETURN NULL;
  END IF;
  live := cdm._live_entity('cdm.why_stage', entity);
  SELECT t.events INTO ev FROM cdm.entity_timeline t WHERE t.entity = live;
  ev := coalesce(ev, ''::bytea);
  RETURN jsonb_build_object('entity', live)
         || (cdm._stage_explain(ev, model, as_of, cdm._scope_lookup(scope), cdm._entity_born(live, ev)) - 'scope')
         || jsonb_build_object('scope', scope);
END
$$;
COMMENT ON FUNCTION cdm.why_stage(bigint, timestamptz, text, text) IS
'How cdm.stage_at reached its answer: {"entity", "model", "as_of", "scope", "born", "stage", "entered_at", "steps": [{"at", "step", "milestone", "from", "to", ...}]}, every transition, skip, lapse, return and reactivation, and every milestone ignored with the reason (already in stage, needs a reactivation, not allowed).';

CREATE VIEW cdm.customer_lifecycle AS
SELECT e.id AS entity,
       cdm.stage(s.state) AS stage,
       cdm.entered_at(s.state) AS stage_entered_at,
       cdm._timeline_first_at(t.events) AS first_milestone_at,
       cdm._timeline_last_at(t.events) AS last_milestone_at,
       coalesce(cdm._timeline_length(t.events), 0) AS milestones,
       (SELECT string_agg(a.name, ', ' ORDER BY a.name)
          FROM cdm.active_definition_current d
          JOIN cdm.active_definition a ON a.name = d.name AND a.version = d.version
         WHERE t.events IS NOT NULL
           AND cdm._timeline_active(t.events, a.program, now())
           AND cdm._in_population(e.id, a.sources, a.exclude_sources)) AS active_under
  FROM cdm.entity e
  LEFT JOIN cdm.entity_timeline t ON t.entity = e.id
 CROSS JOIN LATERAL (SELECT cdm._timeline_stage(coalesce(t.events, ''::bytea), 'default', now(), 0,
                                                least(e.created_at, cdm._timeline_first_at(t.events))) AS state) s
 WHERE e.merged_into IS NULL;
COMMENT ON VIEW cdm.customer_lifecycle IS
'One row per live entity, now: its stage under the default stage model and when it was entered, its first and last milestone, how many it has, and the definitions of active (latest versions) it is active under, as one comma-separated text (NULL: none). Plain columns for BI tools; join cdm.golden on entity for names, cdm.customer_active for one flag per definition and row.';
