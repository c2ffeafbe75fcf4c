-- ---------------------------------------------------------------------------
-- Relationships between entities: typed and dated (employee_of,
-- decision_maker_for, caregiver_of, subsidiary_of...).  Like milestones they
-- are recorded on the entity ids given and resolved through merges when
-- read, so they follow merges and come back out of an unmerge that revives
-- an id, without the store's writers knowing about them.
--
--   cdm.relationship_type   the declared types, with the kinds of entity
--                           each side must be (person, organisation, any).
--   cdm.relationship        every relationship ever recorded; ending one
--                           sets its valid_to, nothing is deleted.
--
-- An entity is an organisation when one of its live records is an
-- organisation's (cdm._org_record: an organisation_name and no personal
-- name), a person when it has live records and none is; an entity without
-- live records is of no known kind.
-- ---------------------------------------------------------------------------

CREATE TABLE cdm.relationship_type (
  name         text PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9_]*$' AND length(name) <= 63),
  from_kind    text NOT NULL CHECK (from_kind IN ('person', 'organisation', 'any')),
  to_kind      text NOT NULL CHECK (to_kind IN ('person', 'organisation', 'any')),
  inverse      text NOT NULL CHECK (inverse ~ '^[a-z][a-z0-9_]*$' AND length(inverse) <= 63),
  buying_role  boolean NOT NULL DEFAULT false,
  hierarchy    boolean NOT NULL DEFAULT false,
  description  text,
  builtin      boolean NOT NULL DEFAULT false,
  CHECK (NOT hierarchy OR (from_kind = 'organisation' AND to_kind = 'organisation')),
  CHECK (NOT buying_role OR (from_kind = 'person' AND to_kind = 'organisation'))
);
COMMENT ON TABLE cdm.relationship_type IS
'The relationship types cdm.relate accepts (a typo is an error, not a new type): which kind of entity each side must be, the name read from the other side (inverse), whether it is a buying-team role (cdm.buying_team) or the organisation hierarchy (subsidiary_of: cdm.group_members, cdm.account_hierarchy). Nine are built in; cdm.declare_relationship_type adds more.';
COMMENT ON COLUMN cdm.relationship_type.name IS 'The type, read from the from side: from_entity <name> to_entity (lower-case letters, digits and _).';
COMMENT ON COLUMN cdm.relationship_type.from_kind IS 'person, organisation or any: what from_entity must be.';
COMMENT ON COLUMN cdm.relationship_type.to_kind IS 'person, organisation or any: what to_entity must be.';
COMMENT ON COLUMN cdm.relationship_type.inverse IS 'The type read from the to side (employee_of: has_employee), as cdm.relationships shows incoming relationships.';
COMMENT ON COLUMN cdm.relationship_type.buying_role IS 'A role in an account''s buying team (person -> organisation): listed by cdm.buying_team.';
COMMENT ON COLUMN cdm.relationship_type.hierarchy IS 'The organisation hierarchy: from_entity is a subsidiary of to_entity (only subsidiary_of).';
COMMENT ON COLUMN cdm.relationship_type.description IS 'What it means.';
COMMENT ON COLUMN cdm.relationship_type.builtin IS 'Declared by the extension (not dumped).';

INSERT INTO cdm.relationship_type (name, from_kind, to_kind, inverse, buying_role, hierarchy, builtin, description) VALUES
  ('member_of_household', 'person', 'person', 'has_household_member', false, false, true,
   'Lives in the household of the other person (its reference person), as a source declares it; cdm.households also derives households from addresses.'),
  ('caregiver_of',        'person', 'person', 'has_caregiver', false, false, true,
   'Cares for the other person (a parent, guardian or carer acting for them).'),
  ('employee_of',         'person', 'organisation', 'has_employee', false, false, true,
   'Works for the organisation.'),
  ('decision_maker_for',  'person', 'organisation', 'has_decision_maker', true, false, true,
   'Decides purchases for the organisation (buying team).'),
  ('influencer_for',      'person', 'organisation', 'has_influencer', true, false, true,
   'Influences the organisation''s purchases (buying team).'),
  ('champion_for',        'person', 'organisation', 'has_champion', true, false, true,
   'Argues for us inside the organisation (buying team).'),
  ('user_of',             'person', 'organisation', 'has_user', true, false, true,
   'Uses the product on the organisation''s behalf (buying team).'),
  ('naysayer_for',        'person', 'organisation', 'has_naysayer', true, false, true,
   'Argues against buying inside the organisation (buying team).'),
  ('subsidiary_of',       'organisation', 'organisation', 'parent_of', false, true, true,
   'Is a subsidiary of (owned or controlled by) the other organisation: the organisation hierarchy.');
SELECT pg_catalog.pg_extension_config_dump('cdm.relationship_type', 'WHERE NOT builtin');

CREATE FUNCTION cdm.declare_relationship_type(name text, from_kind text, to_kind text, inverse text,
                                              description text DEFAULT NULL,
                                              buying_role boolean DEFAULT false)
RETURNS text
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF name IS NULL OR from_kind IS NULL OR to_kind IS NULL OR inverse IS NULL OR buying_role IS NULL THEN
    RAISE EXCEPTION 'cdm.declare_relationship_type: name, from_kind, to_kind, inverse and buying_role must not be NULL'
      USING ERRCODE = '22004';
  END IF;
  IF name !~ '^[a-z][a-z0-9_]*$' OR length(name) > 63 OR inverse !~ '^[a-z][a-z0-9_]*$' OR length(inverse) > 63 THEN
    RAISE EXCEPTION 'cdm.declare_relationship_type: invalid type name "%" or inverse "%"', name, inverse
      USING ERRCODE = '22023',
            HINT = 'A type name is lower-case letters, digits and _, starting with a letter, at most 63 characters (e.g. partner_of).';
  END IF;
  IF from_kind NOT IN ('person', 'organisation', 'any') OR to_kind NOT IN ('person', 'organisation', 'any') THEN
    RAISE EXCEPTION 'cdm.declare_relationship_type: unknown kind "%" or "%"', from_kind, to_kind
      USING ERRCODE = '22023', HINT = 'The kinds are person, organisation and any.';
  END IF;
  IF buying_role AND (from_kind <> 'person' OR to_kind <> 'organisation') THEN
    RAISE EXCEPTION 'cdm.declare_relationship_type: buying role "%" must go from a person to an organisation', name
      USING ERRCODE = '22023';
  END IF;
  IF EXISTS (SELECT 1 FROM cdm.relationship_type t WHERE t.name = declare_relationship_type.name AND t.builtin) THEN
    RAISE EXCEPTION 'cdm.declare_relationship_type: "%" is built in and cannot be redeclared', name
      USING ERRCODE = '42710';
  END IF;
  INSERT INTO cdm.relationship_type AS t (name, from_kind, to_kind, inverse, buying_role, description)
  VALUES (declare_relationship_type.name, declare_relationship_type.from_kind, declare_relationship_type.to_kind,
          declare_relationship_type.inverse, declare_relationship_type.buying_role,
          declare_relationship_type.description)
  ON CONFLICT ON CONSTRAINT relationship_type_pkey DO UPDATE
    SET from_kind = excluded.from_kind, to_kind = excluded.to_kind, inverse = excluded.inverse,
        buying_role = excluded.buying_role, description = coalesce(excluded.description, t.description);
  RETURN name;
END
$$;
COMMENT ON FUNCTION cdm.declare_relationship_type(text, text, text, text, text, boolean) IS
'Declare (or redeclare) a relationship type: from_entity <name> to_entity, the kinds of entity each side must be (person, organisation, any), the name read from the other side (inverse), a description, and whether it is a buying-team role (person -> organisation). Returns the name. Example: cdm.declare_relationship_type(''partner_of'', ''organisation'', ''organisation'', ''partner_of''). Relationships already recorded are not re-checked. Bad name or kind: 22023; a built-in type: 42710; NULL: 22004.';

CREATE TABLE cdm.relationship (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  from_entity  bigint NOT NULL REFERENCES cdm.entity (id),
  to_entity    bigint NOT NULL REFERENCES cdm.entity (id),
  type         text NOT NULL REFERENCES cdm.relationship_type (name),
  valid_from   timestamptz NOT NULL CHECK (valid_from < 'infinity'),
  valid_to     timestamptz CHECK (isfinite(valid_to)),
  source       text,
  recorded_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
  recorded_by  text NOT NULL DEFAULT cdm._actor(),
  ended_at     timestamptz,
  ended_by     text,
  end_reason   text,
  CHECK (from_entity <> to_entity),
  -- an empty period only from cdm.forget: a relationship that had not
  -- started when one of its sides was erased never holds
  CHECK (valid_to IS NULL OR valid_to > valid_from OR (valid_to = valid_from AND end_reason = 'erased'))
);
COMMENT ON TABLE cdm.relationship IS
'Every relationship ever recorded (cdm.relate): from_entity <type> to_entity during [valid_from, valid_to). Recorded on the entity ids given and resolved through merges when read (cdm.relationship_resolved), so it follows merges and goes back with an id an unmerge revives. Never deleted: cdm.end_relationship sets valid_to and who ended it.';
COMMENT ON COLUMN cdm.relationship.id IS 'Relationship id (returned by cdm.relate).';
COMMENT ON COLUMN cdm.relationship.from_entity IS 'The entity id it was recorded from (resolved through merges when read).';
COMMENT ON COLUMN cdm.relationship.to_entity IS 'The entity id it was recorded to (resolved through merges when read).';
COMMENT ON COLUMN cdm.relationship.type IS 'The type (cdm.relationship_type).';
COMMENT ON COLUMN cdm.relationship.valid_from IS 'From when it holds (inclusive); -infinity: since always.';
COMMENT ON COLUMN cdm.relationship.valid_to IS 'Until when it holds (exclusive); NULL: open. Equal to valid_from (an empty period: it never held) only when cdm.forget ended, at the erasure, a relationship that had not started yet.';
COMMENT ON COLUMN cdm.relationship.source IS 'The system or person that reported it.';
COMMENT ON COLUMN cdm.relationship.recorded_at IS 'When cdm learnt of it.';
COMMENT ON COLUMN cdm.relationship.recorded_by IS 'Who recorded it (cdm._actor()).';
COMMENT ON COLUMN cdm.relationship.ended_at IS 'When cdm.end_relationship (or cdm.forget) ended it; NULL when never ended.';
COMMENT ON COLUMN cdm.relationship.ended_by IS 'Who ended it.';
COMMENT ON COLUMN cdm.relationship.end_reason IS 'Why, as given to cdm.end_relationship; erased when cdm.forget ended it (one of its sides was erased); NULL after cdm.forget erased the reason given.';
CREATE INDEX relationship_from_idx ON cdm.relationship (from_entity);
COMMENT ON INDEX cdm.relationship_from_idx IS 'Relationships recorded from an entity id.';
CREATE INDEX relationship_to_idx ON cdm.relationship (to_entity);
COMMENT ON INDEX cdm.relationship_to_idx IS 'Relationships recorded to an entity id.';
SELECT pg_catalog.pg_extension_config_dump('cdm.relationship', '');

-- ------------------------------------------------------------ resolution

CREATE VIEW cdm.entity_forward AS
WITH RECURSIVE chain(id, live) AS (
  -- merged_into IS NOT NULL spelt out: the partial index on merged_into
  -- then serves both steps, and a store with few merges costs little
  SELECT e.id, p.id
    FROM cdm.entity e
    JOIN cdm.entity p ON p.id = e.merged_into AND p.merged_into IS NULL
   WHERE e.merged_into IS NOT NULL
  UNION ALL
  SELECT e.id, c.live
    FROM cdm.entity e
    JOIN chain c ON e.merged_into = c.id
   WHERE e.merged_into IS NOT NULL
)
SELECT chain.id, chain.live FROM chain;
COMMENT ON VIEW cdm.entity_forward IS
'Every entity id merged away, with the live entity it stands for now (the end of its merged_into chain): the set form of cdm.entity_live, for joins. Live ids are not listed (they stand for themselves): coalesce(f.live, id) after a LEFT JOIN. Its cost follows the number of merged ids, not of entities.';

CREATE VIEW cdm.relationship_resolved AS
SELECT r.id, r.type, r.from_entity, r.to_entity,
       coalesce(ff.live, r.from_entity) AS from_live,
       coalesce(ft.live, r.to_entity) AS to_live,
       coalesce(ff.live, r.from_entity) = coalesce(ft.live, r.to_entity) AS self,
       r.valid_from, r.valid_to, r.source, r.recorded_at, r.recorded_by, r.ended_at, r.ended_by, r.end_reason
  FROM cdm.relationship r
  LEFT JOIN cdm.entity_forward ff ON ff.id = r.from_entity
  LEFT JOIN cdm.entity_forward ft ON ft.id = r.to_entity;
COMMENT ON VIEW cdm.relationship_resolved IS
'Every relationship with both sides resolved to the live entities they stand for now (from_live, to_live). self is true when both sides became one entity through a merge (A employee_of B, then A and B merged): such a relationship is kept (an unmerge may separate them again) and shown by cdm.relationships with direction self, but it takes no part in hierarchies, roll-ups, buying teams or households.';

CREATE FUNCTION cdm.entity_kind(entity bigint) RETURNS text
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT CASE WHEN bool_or(cdm._org_record(r.attrs)) THEN 'organisation'
              WHEN count(*) > 0 THEN 'person' END
    FROM cdm.record r
   WHERE r.entity = cdm.entity_live($1) AND r.retired_at IS NULL
$$;
COMMENT ON FUNCTION cdm.entity_kind(bigint) IS
'What an entity (as currently resolved) is: organisation when one of its live records is an organisation''s (an organisation_name attribute and no personal name: a person''s record may name their employer), person when it has live records and none is, NULL when it has none (or the id is unknown).';

CREATE FUNCTION cdm._relationship_type(caller text, type text) RETURNS cdm.relationship_type
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  t cdm.relationship_type;
BEGIN
  SELECT * INTO t FROM cdm.relationship_type x WHERE x.name = type;
  IF NOT FOUND THEN
    RAISE EXCEPTION '%: unknown relationship type "%"', caller, type
      USING ERRCODE = '22023',
            HINT = 'The types are: ' || (SELECT string_agg(x.name, ', ' ORDER BY x.name) FROM cdm.relationship_type x)
                   || '. Declare others with cdm.declare_relationship_type.';
  END IF;
  RETURN t;
END
$$;
COMMENT ON FUNCTION cdm._relationship_type(text, text) IS
'Internal: a declared relationship type; an unknown name is an error (22023) listing the declared ones.';

CREATE FUNCTION cdm._hierarchy_reaches(target bigint, start bigint, lo timestamptz, hi timestamptz)
RETURNS timestamptz[]
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  frontier bigint[] := ARRAY[start];
  seen     bigint[] := ARRAY[start];
  starts   timestamptz[] := '{}';
  nxt      bigint[];
  moments  timestamptz[];
  steps    integer := 0;
BEGIN
  -- walk up from start through every subsidiary_of link holding at some
  -- moment of [lo, hi] (all parents, not only the one cdm.group_root
  -- follows), by index lookups per organisation met
  LOOP
    IF target = ANY (frontier) THEN
      RETURN starts;
    END IF;
    EXIT WHEN cardinality(frontier) = 0 OR steps >= 10000;
    SELECT array_agg(DISTINCT y.parent) FILTER (WHERE y.parent <> ALL (seen)), array_agg(DISTINCT y.valid_from)
      INTO nxt, moments
      FROM (SELECT cdm.entity_live(x.to_entity) AS parent, x.valid_from
              FROM cdm.relationship x
              JOIN cdm.relationship_type t ON t.name = x.type AND t.hierarchy
             WHERE x.from_entity IN (SELECT cdm._entity_ids(f) FROM unnest(frontier) f)
               AND x.valid_from <= coalesce(hi, 'infinity')
               AND (x.valid_to IS NULL OR x.valid_to > lo)) y;
    starts := starts || coalesce(moments, '{}');
    frontier := coalesce(nxt, '{}');
    seen := seen || frontier;
    steps := steps + 1;
  END LOOP;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION cdm._hierarchy_reaches(bigint, bigint, timestamptz, timestamptz) IS
'Internal: is target (a live entity) above start in the organisation hierarchy through subsidiary_of links holding at some moment of [lo, hi] (hi NULL: open)? NULL when not; else the starts of the links walked (the moments at which the answer can change, for an exact check moment by moment).';

-- ------------------------------------------------------------ writing

CREATE FUNCTION cdm.relate(from_entity bigint, to_entity bigint, type text,
                           valid_from timestamptz DEFAULT now(), valid_to timestamptz DEFAULT NULL,
                           source text DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  caller constant text := 'cdm.relate';
  t      cdm.relationship_type;
  a      bigint;
  b      bigint;
  ka     text;
  kb     text;
  m      timestamptz;
  moments timestamptz[];
  rid    bigint;
BEGIN
  IF from_entity IS NULL OR to_entity IS NULL OR type IS NULL OR valid_from IS NULL THEN
    RAISE EXCEPTION '%: from_entity, to_entity, type and valid_from must not be NULL', caller
      USING ERRCODE = '22004';
  END IF;
  t := cdm._relationship_type(caller, type);
  IF valid_from = 'infinity' THEN
    RAISE EXCEPTION '%: a relationship cannot start at infinity', caller
      USING ERRCODE = '22023', HINT = 'Give the moment it started, or -infinity for "since always".';
  END IF;
  IF valid_to = 'infinity' THEN
    valid_to := NULL;
  END IF;
  IF valid_to IS NOT NULL AND valid_to <= valid_from THEN
    RAISE EXCEPTION '%: valid_to % is not after valid_from %', caller, valid_to, valid_from
      USING ERRCODE = '22023', HINT = 'The relationship holds during [valid_from, valid_to): valid_to must be later.';
  END IF;
  -- share locks on both live entities, in id order as merges take theirs:
  -- a merge waits for us, and we follow one that happened while we waited
  a := cdm._live_entity(caller, from_entity);
  b := cdm._live_entity(caller, to_entity);
  IF a <= b THEN
    a := cdm._store_lock_entity(a, 'share');
    b := cdm._store_lock_entity(b, 'share');
  ELSE
    b := cdm._store_lock_entity(b, 'share');
    a := cdm._store_lock_entity(a, 'share');
  END IF;
  IF a = b THEN
    RAISE EXCEPTION '%: entities % and % are one entity (%)', caller, from_entity, to_entity, a
      USING ERRCODE = '22023', HINT = 'An entity cannot be related to itself; unmerge them first if they are different.';
  END IF;
  ka := cdm.entity_kind(a);
  kb := cdm.entity_kind(b);
  IF t.from_kind <> 'any' AND ka IS NOT NULL AND ka <> t.from_kind
     OR t.to_kind <> 'any' AND kb IS NOT NULL AND kb <> t.to_kind THEN
    RAISE EXCEPTION '%: % relates kind % to kind %, but entity % is of kind % and entity % of kind %', caller, type,
      t.from_kind, t.to_kind, from_entity, ka, to_entity, kb
      USING ERRCODE = '22023',
            HINT = 'An entity is an organisation when one of its records has an organisation_name attribute and no personal name, else a person.';
  END IF;
  IF t.hierarchy THEN
    -- a loop: a above b at some moment of the period.  First every link
    -- that overlaps it; only when that reaches a, moment by moment at the
    -- starts of the links met (the only moments the answer can change)
    moments := cdm._hierarchy_reaches(a, b, relate.valid_from, relate.valid_to - interval '1 microsecond');
    IF moments IS NOT NULL THEN
      FOR m IN SELECT DISTINCT x FROM unnest(moments || relate.valid_from) x
                WHERE x >= relate.valid_from AND (relate.valid_to IS NULL OR x < relate.valid_to)
                ORDER BY 1 LOOP
        IF cdm._hierarchy_reaches(a, b, m, m) IS NOT NULL THEN
          RAISE EXCEPTION '%: entity % is above entity % in the hierarchy at %, so % % % would close a loop', caller,
            a, b, m, from_entity, type, to_entity
            USING ERRCODE = '23514', HINT = 'End the link that makes it a parent first (cdm.end_relationship), or end the new one before then.';
        END IF;
      END LOOP;
    END IF;
  END IF;
  -- the same relationship already holding over the whole period: nothing new
  SELECT r.id INTO rid FROM cdm.relationship r
   WHERE r.from_entity IN (SELECT cdm._entity_ids(a)) AND r.type = relate.type
     AND cdm.entity_live(r.to_entity) = b
     AND r.valid_from <= relate.valid_from
     AND (r.valid_to IS NULL OR (relate.valid_to IS NOT NULL AND r.valid_to >= relate.valid_to))
   ORDER BY r.id LIMIT 1;
  IF rid IS NOT NULL THEN
    RETURN rid;
  END IF;
  INSERT INTO cdm.relationship AS r (from_entity, to_entity, type, valid_from, valid_to, source)
  VALUES (relate.from_entity, relate.to_entity, relate.type, relate.valid_from, relate.valid_to, relate.source)
  RETURNING r.id INTO rid;
  RETURN rid;
END
$$;
COMMENT ON FUNCTION cdm.relate(bigint, bigint, text, timestamptz, timestamptz, text) IS
'Record that from_entity <type> to_entity during [valid_from, valid_to) (default: from now, open), as reported by source; returns the relationship id. Recorded on the ids given (an id merged away is accepted and resolved when read), so the relationship follows merges and goes back with an id an unmerge revives. The same type between the same entities already holding over the whole period: its id is returned and nothing is recorded (a feed can repeat itself). Example: cdm.relate(17, 42, ''employee_of'', ''2024-01-01'', source => ''crm''). Checks: a declared type (22023, listing them); each side of the kind the type wants when its kind is known (cdm.entity_kind; 22023); two different entities (22023: merged ones are one); valid_to after valid_from, infinity meaning open (22023); a subsidiary_of link that would close a loop at any moment of its period (23514); unknown entity 42704; NULL argument 22004.';

CREATE FUNCTION cdm.end_relationship(relationship bigint, at timestamptz DEFAULT now(), reason text DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  r cdm.relationship;
BEGIN
  IF relationship IS NULL OR at IS NULL THEN
    RAISE EXCEPTION 'cdm.end_relationship: relationship and at must not be NULL' USING ERRCODE = '22004';
  END IF;
  SELECT * INTO r FROM cdm.relationship x WHERE x.id = end_relationship.relationship FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'cdm.end_relationship: no relationship %', relationship USING ERRCODE = '42704';
  END IF;
  IF NOT isfinite(at) OR at <= r.valid_from THEN
    RAISE EXCEPTION 'cdm.end_relationship: relationship % starts at %, it cannot end at %', relationship, r.valid_from, at
      USING ERRCODE = '22023', HINT = 'Give a moment after valid_from: the relationship holds during [valid_from, at).';
  END IF;
  IF r.valid_to IS NOT NULL AND r.valid_to <= at THEN
    RAISE EXCEPTION 'cdm.end_relationship: relationship % already ends at %', relationship, r.valid_to
      USING ERRCODE = '55000', HINT = 'An end can only be brought forward; record a new relationship with cdm.relate for a later period.';
  END IF;
  UPDATE cdm.relationship x
     SET valid_to = end_relationship.at, ended_at = clock_timestamp(), ended_by = cdm._actor(),
         end_reason = end_relationship.reason
   WHERE x.id = r.id;
  RETURN r.id;
END
$$;
COMMENT ON FUNCTION cdm.end_relationship(bigint, timestamptz, text) IS
'End a relationship at the moment at (default now): it held during [valid_from, at). Who and when it was ended and why are kept (ended_by, ended_at, end_reason); nothing is deleted. Returns the id. An end can only be brought forward: a relationship already ending at or before at is an error (55000). at not after valid_from or infinite: 22023; unknown id: 42704; NULL: 22004.';

-- ------------------------------------------------------------ reading

CREATE FUNCTION cdm.relationships(entity bigint, as_of timestamptz DEFAULT now())
RETURNS TABLE (relationship bigint, type text, role text, direction text, other_entity bigint,
               valid_from timestamptz, valid_to timestamptz, source text,
               from_entity bigint, to_entity bigint)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  live bigint;
  ids  bigint[];
BEGIN
  IF $1 IS NULL THEN
    RETURN;
  END IF;
  live := cdm._live_entity('cdm.relationships', $1);
  ids := ARRAY(SELECT cdm._entity_ids(live));
  -- by the indexes on the ids recorded, each side resolved on its own (no
  -- scan of every relationship nor of every merged id)
  RETURN QUERY
  SELECT x.id, x.type,
         CASE WHEN l.fl = live THEN x.type ELSE t.inverse END,
         CASE WHEN l.fl = l.tl THEN 'self' WHEN l.fl = live THEN 'out' ELSE 'in' END,
         CASE WHEN l.fl = live THEN l.tl ELSE l.fl END,
         x.valid_from, x.valid_to, x.source, x.from_entity, x.to_entity
    FROM cdm.relationship x
    JOIN cdm.relationship_type t ON t.name = x.type
   CROSS JOIN LATERAL (SELECT cdm.entity_live(x.from_entity) AS fl, cdm.entity_live(x.to_entity) AS tl) l
   WHERE (x.from_entity = ANY (ids) OR x.to_entity = ANY (ids))
     AND ($2 IS NULL OR (x.valid_from <= $2 AND (x.valid_to IS NULL OR x.valid_to > $2)))
   ORDER BY x.valid_from, x.id;
END
$$;
COMMENT ON FUNCTION cdm.relationships(bigint, timestamptz) IS
'The relationships of an entity as currently resolved (an id merged away is followed; relationships recorded on it and on every id merged into it), both directions, holding at as_of (default now; NULL: all, ended ones too), oldest first: id, type, role (the type read from this entity: employee_of outgoing, has_employee incoming), direction (out, in, or self when both sides became this entity through a merge), the other entity (live; this one for self), period, source and the ids as recorded. Unknown entity: 42704.';
