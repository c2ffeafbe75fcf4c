-- ---------------------------------------------------------------------------
-- An entity's history: the store's log (cdm.event) and the relationships'
-- own log (cdm.relationship: recorded_at/by, ended_at/by/reason) in one
-- time line.  Here, after the relationships, because a LANGUAGE sql body is
-- checked against the tables it reads when it is created.
-- ---------------------------------------------------------------------------

CREATE FUNCTION cdm.entity_history(entity bigint)
RETURNS TABLE (event_id bigint, at timestamptz, who text, event text, entity_id bigint,
               other_entity bigint, source text, source_key text, version integer,
               probability float8, reason text, detail jsonb)
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  WITH RECURSIVE ids(id) AS (
    SELECT $1
    UNION
    SELECT e.id FROM cdm.entity e JOIN ids ON e.merged_into = ids.id
  ), rel AS (
    -- the relationships recorded on any of the ids, either side, seen from
    -- the entity: the side that is one of its ids, the other side
    SELECT x.*, t.inverse, s.me, s.other, s.direction,
           CASE WHEN s.direction = 'in' THEN t.inverse ELSE x.type END AS role
      FROM cdm.relationship x
      JOIN cdm.relationship_type t ON t.name = x.type
     CROSS JOIN LATERAL (
       SELECT CASE WHEN x.from_entity IN (SELECT id FROM ids) THEN x.from_entity ELSE x.to_entity END AS me,
              CASE WHEN x.from_entity IN (SELECT id FROM ids) THEN x.to_entity ELSE x.from_entity END AS other,
              CASE WHEN x.from_entity IN (SELECT id FROM ids) AND x.to_entity IN (SELECT id FROM ids) THEN 'self'
                   WHEN x.from_entity IN (SELECT id FROM ids) THEN 'out' ELSE 'in' END AS direction) s
     WHERE x.from_entity IN (SELECT id FROM ids) OR x.to_entity IN (SELECT id FROM ids)
  ), h AS (
    SELECT ev.id AS event_id, ev.at, ev.who, ev.event, ev.entity AS entity_id, ev.other_entity,
           r.source, r.source_key, ev.version, ev.probability, ev.reason, ev.detail,
           0 AS part, ev.id AS n
      FROM cdm.event ev
      LEFT JOIN cdm.record r ON r.id = ev.record
     WHERE ev.entity IN (SELECT id FROM ids) OR ev.other_entity IN (SELECT id FROM ids)
    UNION ALL
    SELECT NULL, x.recorded_at, x.recorded_by, 'relate', x.me, x.other, x.source, NULL, NULL, NULL, NULL,
           jsonb_build_object('relationship', x.id, 'type', x.type, 'role', x.role, 'direction', x.direction,
                              'other_live', cdm.entity_live(x.other), 'valid_from', x.valid_from)
           -- the end as recorded; once ended, the end event carries it
           || CASE WHEN x.ended_at IS NULL THEN jsonb_build_object('valid_to', x.valid_to) ELSE '{}' END,
           1, x.id
      FROM rel x
    UNION ALL
    SELECT NULL, x.ended_at, x.ended_by, 'end_relationship', x.me, x.other, x.source, NULL, NULL, NULL, x.end_reason,
           jsonb_build_object('relationship', x.id, 'type', x.type, 'role', x.role, 'direction', x.direction,
                              'other_live', cdm.entity_live(x.other), 'valid_from', x.valid_from,
                              'valid_to', x.valid_to),
           2, x.id
      FROM rel x
     WHERE x.ended_at IS NOT NULL
  )
  SELECT h.event_id, h.at, h.who, h.event, h.entity_id, h.other_entity, h.source, h.source_key,
         h.version, h.probability, h.reason, h.detail
    FROM h
   ORDER BY h.at, h.part, h.n
$$;
COMMENT ON FUNCTION cdm.entity_history(bigint) IS
'Every event that shaped an entity, oldest first (by time; ties: store events, then relationships recorded, then ended, each by id): the store events (cdm.event) naming it or any entity merged into it (recursively) as entity or other_entity: creations, links, versions, relinks, merges, unmerges, decisions, reviews, retirements, overrides (golden values and preferred contact points), erasures, with who, when, why, the record (source, source_key) and version; and the relationships recorded on any of those ids, either side (cdm.relate, from cdm.relationship, which keeps its own log): event relate at recorded_at by recorded_by, and end_relationship at ended_at by ended_by with the end reason (erased when cdm.forget ended it), with event_id NULL, entity_id the id of this entity as recorded, other_entity the other side as recorded, source the relationship''s source, and detail {relationship, type, role (the type read from this entity), direction (out, in, self), other_live (the other side now), valid_from, valid_to}. A relationship keeps only its latest end (an end brought forward replaces the earlier one). No rows for an unknown id.';
