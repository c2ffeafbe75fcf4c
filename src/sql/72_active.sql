-- ---------------------------------------------------------------------------
-- Lifecycle, part 3: named definitions of "active", side by side.  Finance,
-- Sales and Operations each write theirs over the shared milestones; counts
-- at any moment, explanations, and the difference between two definitions
-- come from the same timelines.
-- ---------------------------------------------------------------------------

CREATE TABLE cdm.active_definition (
  name             text NOT NULL CHECK (name ~ '^[a-z][a-z0-9_]*$' AND length(name) <= 63),
  version          integer NOT NULL CHECK (version > 0),
  rule             jsonb NOT NULL,
  program          bytea NOT NULL,
  scope            integer REFERENCES cdm.lifecycle_scope (id),
  sources          text[],
  exclude_sources  text[],
  defined_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
  defined_by       name NOT NULL DEFAULT cdm._actor(),
  PRIMARY KEY (name, version)
);
COMMENT ON TABLE cdm.active_definition IS
'Every version of every definition of "active" (cdm.define_active). Redefining adds a version; the old ones stay, so a past report can be rerun as it was (name@version). A name alone means its latest version.';
COMMENT ON COLUMN cdm.active_definition.name IS 'The definition''s name (''finance'', ''sales'', ...).';
COMMENT ON COLUMN cdm.active_definition.version IS '1, 2, ...: one more each time the rule changes.';
COMMENT ON COLUMN cdm.active_definition.rule IS 'The rule as given (keys all, any, none, activity, activity_within, scope, sources, exclude_sources, description).';
COMMENT ON COLUMN cdm.active_definition.program IS 'The rule compiled for the evaluator (milestone ids, scope id, window).';
COMMENT ON COLUMN cdm.active_definition.scope IS 'The scope the rule reads (NULL: every milestone).';
COMMENT ON COLUMN cdm.active_definition.sources IS 'The population: entities whose live records all come from these sources (NULL: no such limit).';
COMMENT ON COLUMN cdm.active_definition.exclude_sources IS 'The population: all entities but those whose live records all come from these sources (NULL: no such limit).';
COMMENT ON COLUMN cdm.active_definition.defined_at IS 'When this version was defined.';
COMMENT ON COLUMN cdm.active_definition.defined_by IS 'Who defined it.';
SELECT pg_catalog.pg_extension_config_dump('cdm.active_definition', '');

CREATE FUNCTION cdm._active_compile(scope integer, activity_required boolean, win interval,
                                    all_ids integer[], any_ids integer[], none_ids integer[],
                                    activity_ids integer[])
RETURNS bytea AS 'MODULE_PATHNAME', 'cdm_active_compile'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cdm._active_compile(integer, boolean, interval, integer[], integer[], integer[], integer[]) IS
'Internal: compile a checked rule (milestone ids per list, scope id, window or NULL) into the evaluator''s program.';

CREATE FUNCTION cdm._timeline_active(events bytea, program bytea, as_of timestamptz) RETURNS boolean
AS 'MODULE_PATHNAME', 'cdm_timeline_active'
LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm._timeline_active(bytea, bytea, timestamptz) IS
'Internal: is a timeline active at as_of under a compiled definition? (STABLE: the window is subtracted on the session time zone''s calendar.)';

CREATE FUNCTION cdm._active_counts_step(bigint[], bytea, bytea, timestamptz[]) RETURNS bigint[]
AS 'MODULE_PATHNAME', 'cdm_active_counts_step'
LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION cdm._active_counts_step(bigint[], bytea, bytea, timestamptz[]) IS
'Internal: step of cdm._active_counts.';
CREATE FUNCTION cdm._active_counts_combine(bigint[], bigint[]) RETURNS bigint[]
AS 'MODULE_PATHNAME', 'cdm_active_counts_combine'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cdm._active_counts_combine(bigint[], bigint[]) IS
'Internal: combine function of cdm._active_counts (parallel aggregation).';
CREATE AGGREGATE cdm._active_counts(bytea, bytea, timestamptz[]) (
  SFUNC = cdm._active_counts_step,
  STYPE = bigint[],
  COMBINEFUNC = cdm._active_counts_combine,
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE cdm._active_counts(bytea, bytea, timestamptz[]) IS
'Internal: over timelines, how many are active at each of the moments under a compiled definition: one pass for a whole report.';

CREATE FUNCTION cdm._timeline_why(events bytea, program bytea, as_of timestamptz)
RETURNS TABLE (condition text, pos integer, milestone integer, at timestamptz, met boolean)
AS 'MODULE_PATHNAME', 'cdm_timeline_why'
LANGUAGE C STABLE STRICT PARALLEL SAFE ROWS 8;
COMMENT ON FUNCTION cdm._timeline_why(bytea, bytea, timestamptz) IS
'Internal: the evaluation of a definition on one timeline, condition by condition (first occurrence of each listed milestone, last activity, verdict).';

CREATE FUNCTION cdm._timeline_status(events bytea, program bytea, scope integer, as_of timestamptz)
RETURNS text AS 'MODULE_PATHNAME', 'cdm_timeline_status'
LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION cdm._timeline_status(bytea, bytea, integer, timestamptz) IS
'Internal: customer, former_customer, known_prospect or new_prospect in a scope (0: the definition''s own) at as_of; NULL events: no milestones.';

-- ------------------------------------------------------------- defining

CREATE FUNCTION cdm._rule_names(caller text, rule jsonb, key text) RETURNS text[]
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v jsonb := rule -> key;
BEGIN
  IF v IS NULL OR v = 'null'::jsonb THEN
    RETURN '{}';
  END IF;
  IF jsonb_typeof(v) <> 'array' OR EXISTS (SELECT 1 FROM jsonb_array_elements(v) e WHERE jsonb_typeof(e) <> 'string') THEN
    RAISE EXCEPTION '%: "%" must be an array of names, not %', caller, key, v
      USING ERRCODE = '22023', HINT = format('Write e.g. "%s": ["onboarding_completed", "invoice_paid"].', key);
  END IF;
  RETURN ARRAY(SELECT DISTINCT e FROM jsonb_array_elements_text(v) e ORDER BY e);
END
$$;
COMMENT ON FUNCTION cdm._rule_names(text, jsonb, text) IS
'Internal: the names listed under a key of a rule (an array of strings; NULL or missing: none), sorted, repeats dropped.';

CREATE FUNCTION cdm.define_active(name text, rule jsonb) RETURNS integer
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  caller  constant text := 'cdm.define_active';
  k       text;
  lists   text[][] := '{}';
  l_all   text[];
  l_any   text[];
  l_none  text[];
  l_act   text[];
  win     interval;
  sid     integer := 0;
  srcs    text[];
  xsrcs   text[];
  prog    bytea;
  latest  cdm.active_definition;
  v       integer;
BEGIN
  IF name IS NULL OR rule IS NULL THEN
    RAISE EXCEPTION '%: name and rule must not be NULL', caller USING ERRCODE = '22004';
  END IF;
  IF name !~ '^[a-z][a-z0-9_]*$' OR length(name) > 63 THEN
    RAISE EXCEPTION '%: invalid definition name "%"', caller, name
      USING ERRCODE = '22023',
            HINT = 'A definition name is lower-case letters, digits and _, starting with a letter, at most 63 characters (e.g. finance).';
  END IF;
  IF jsonb_typeof(rule) <> 'object' THEN
    RAISE EXCEPTION '%: the rule must be a JSON object, not %', caller, rule USING ERRCODE = '22023',
      HINT = 'E.g. {"all": ["onboarding_completed"], "none": ["contract_ended"], "activity_within": "90 days", "activity": ["invoice_paid"]}.';
  END IF;
  FOR k IN SELECT jsonb_object_keys(rule) LOOP
    IF k NOT IN ('all', 'any', 'none', 'activity', 'activity_within', 'scope', 'sources',
                 'exclude_sources', 'description') THEN
      RAISE EXCEPTION '%: unknown key "%" in the rule of "%"', caller, k, name
        USING ERRCODE = '22023',
              HINT = 'The keys are all, any, none, activity, activity_within, scope, sources, exclude_sources and description.';
    END IF;
  END LOOP;
  l_all := cdm._rule_names(caller, rule, 'all');
  l_any := cdm._rule_names(caller, rule, 'any');
  l_none := cdm._rule_names(caller, rule, 'none');
  l_act := cdm._rule_names(caller, rule, 'activity');
  IF rule ? 'activity_within' AND rule -> 'activity_within' <> 'null'::jsonb THEN
    BEGIN
      IF jsonb_typeof(rule -> 'activity_within') <> 'string' THEN
        RAISE invalid_datetime_format;
      END IF;
      win := (rule ->> 'activity_within')::interval;
    EXCEPTION WHEN invalid_datetime_format OR datetime_field_overflow OR interval_field_overflow
                   OR invalid_text_representation THEN
      RAISE EXCEPTION '%: "activity_within" is not an interval: %', caller, rule -> 'activity_within'
        USING ERRCODE = '22023', HINT = 'Write a PostgreSQL interval as a string: "90 days", "3 months", "2 years".';
    END;
    IF win <= interval '0' OR justify_interval(win) <= interval '0' THEN
      RAISE EXCEPTION '%: "activity_within" must be positive, not %', caller, rule ->> 'activity_within'
        USING ERRCODE = '22023', HINT = 'Write a PostgreSQL interval as a string: "90 days", "3 months", "2 years".';
    END IF;
  END IF;
  IF cardinality(l_all) = 0 AND cardinality(l_any) = 0 AND cardinality(l_act) = 0 AND win IS NULL THEN
    RAISE EXCEPTION '%: the rule of "%" has no positive condition', caller, name
      USING ERRCODE = '22023',
            HINT = 'Give at least one of all, any, activity or activity_within: "none" alone would make every entity without milestones active.';
  END IF;
  IF cardinality(l_all) > 64 OR cardinality(l_any) > 64 OR cardinality(l_none) > 64 OR cardinality(l_act) > 64 THEN
    RAISE EXCEPTION '%: a list of the rule of "%" names more than 64 milestones', caller, name
      USING ERRCODE = '54000';
  END IF;
  IF l_none && (l_all || l_any) AND cardinality(l_any) = 0 OR l_none && l_all THEN
    RAISE EXCEPTION '%: the rule of "%" requires and forbids %', caller, name,
          (SELECT string_agg(x, ', ') FROM unnest(l_none) x WHERE x = ANY (l_all))
      USING ERRCODE = '22023', HINT = 'A milestone cannot be in both "all" and "none": no entity could ever be active.';
  END IF;
  IF rule ? 'scope' AND rule -> 'scope' <> 'null'::jsonb THEN
    IF jsonb_typeof(rule -> 'scope') <> 'string' THEN
      RAISE EXCEPTION '%: "scope" must be a string, not %', caller, rule -> 'scope'
        USING ERRCODE = '22023', HINT = 'E.g. "scope": "insurance".';
    END IF;
    sid := cdm._scope_id(rule ->> 'scope');
  END IF;
  srcs := nullif(cdm._rule_names(caller, rule, 'sources'), '{}');
  xsrcs := nullif(cdm._rule_names(caller, rule, 'exclude_sources'), '{}');
  IF srcs IS NOT NULL AND xsrcs IS NOT NULL THEN
    RAISE EXCEPTION '%: the rule of "%" gives both "sources" and "exclude_sources"', caller, name
      USING ERRCODE = '22023',
            HINT = 'Give the acquired company''s definition "sources": [its sources] and the house definition "exclude_sources": [the same sources].';
  END IF;
  IF rule ? 'description' AND jsonb_typeof(rule -> 'description') NOT IN ('string', 'null') THEN
    RAISE EXCEPTION '%: "description" must be a string', caller USING ERRCODE = '22023';
  END IF;
  prog := cdm._active_compile(
            sid, cardinality(l_act) > 0 OR win IS NOT NULL, win,
            ARRAY(SELECT cdm._milestone_id(caller, x) FROM unnest(l_all) x),
            ARRAY(SELECT cdm._milestone_id(caller, x) FROM unnest(l_any) x),
            ARRAY(SELECT cdm._milestone_id(caller, x) FROM unnest(l_none) x),
            ARRAY(SELECT cdm._milestone_id(caller, x) FROM unnest(l_act) x));
  -- one definer at a time per name: versions count up without gaps
  PERFORM pg_catalog.pg_advisory_xact_lock(hashtext('cdm.define_active'), hashtext(name));
  SELECT * INTO latest FROM cdm.active_definition d
   WHERE d.name = define_active.name ORDER BY d.version DESC LIMIT 1;
  IF FOUND AND latest.rule = rule THEN
    RETURN latest.version;
  END IF;
  v := coalesce(latest.version, 0) + 1;
  INSERT INTO cdm.active_definition (name, version, rule, program, scope, sources, exclude_sources)
  VALUES (define_active.name, v, rule, prog, nullif(sid, 0), srcs, xsrcs);
  RETURN v;
END
$$;
COMMENT ON FUNCTION cdm.define_active(text, jsonb) IS
'Define (or redefine) what "active" means for a team. rule keys: all (milestones that must all have happened), any (at least one of them), none (none of them may have happened), activity (milestones that count as activity; default any milestone) and activity_within (an interval: some activity in the window before the moment asked about), scope (read only milestones of that scope, plus unscoped ones), sources / exclude_sources (the population: entities whose live records all come from these sources, or all but those: an acquired company''s customers under their own definition beside the house one), description. Milestones must be declared (cdm.milestone_type). Returns the version: redefining with a different rule adds a version and keeps the old (reports can name name@version); the same rule again returns the latest version. Example: cdm.define_active(''finance'', ''{"all": ["contract_signed"], "none": ["contract_ended"], "activity_within": "90 days", "activity": ["invoice_paid"]}''). Unknown key, bad interval, undeclared milestone, no positive condition, a milestone in both all and none: 22023 naming it.';

CREATE FUNCTION cdm._active_def(caller text, definition text) RETURNS cdm.active_definition
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  d    cdm.active_definition;
  base text := split_part(definition, '@', 1);
  ver  text := nullif(split_part(definition, '@', 2), '');
BEGIN
  IF ver IS NULL THEN
    SELECT * INTO d FROM cdm.active_definition x WHERE x.name = base ORDER BY x.version DESC LIMIT 1;
  ELSIF ver ~ '^[0-9]{1,9}$' THEN
    SELECT * INTO d FROM cdm.active_definition x WHERE x.name = base AND x.version = ver::integer;
  END IF;
  IF d.name IS NULL THEN
    RAISE EXCEPTION '%: no definition of active "%"', caller, definition
      USING ERRCODE = '42704',
            HINT = coalesce('The definitions are: ' || (SELECT string_agg(DISTINCT x.name, ', ') FROM cdm.active_definition x)
                            || '. Name one, or one of its versions as name@version.',
                            'Define one first with cdm.define_active(name, rule).');
  END IF;
  RETURN d;
END
$$;
COMMENT ON FUNCTION cdm._active_def(text, text) IS
'Internal: the definition a name stands for: name (its latest version) or name@version; unknown: 42704 listing the known ones.';

CREATE FUNCTION cdm._in_population(entity bigint, sources text[], exclude_sources text[]) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT CASE
    WHEN sources IS NOT NULL THEN
      EXISTS (SELECT 1 FROM cdm.record r WHERE r.entity = _in_population.entity AND r.retired_at IS NULL)
      AND NOT EXISTS (SELECT 1 FROM cdm.record r WHERE r.entity = _in_population.entity
                         AND r.retired_at IS NULL AND r.source <> ALL (sources))
    WHEN exclude_sources IS NOT NULL THEN
      NOT EXISTS (SELECT 1 FROM cdm.record r WHERE r.entity = _in_population.entity AND r.retired_at IS NULL)
      OR EXISTS (SELECT 1 FROM cdm.record r WHERE r.entity = _in_population.entity
                    AND r.retired_at IS NULL AND r.source <> ALL (exclude_sources))
    ELSE true END
$$;
COMMENT ON FUNCTION cdm._in_population(bigint, text[], text[]) IS
'Internal: is a live entity in a definition''s population? sources: its live records all come from them (and it has one); exclude_sources: not so (an entity with no live record is in).';

-- -------------------------------------------------------------- asking

CREATE FUNCTION cdm.is_active(entity bigint, definition text, as_of timestamptz DEFAULT now())
RETURNS boolean
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  d    cdm.active_definition;
  live bigint;
  ev   bytea;
BEGIN
  IF entity IS NULL OR definition IS NULL OR as_of IS NULL THEN
    RETURN NULL;
  END IF;
  d := cdm._active_def('cdm.is_active', definition);
  live := cdm._live_entity('cdm.is_active', entity);
  SELECT t.events INTO ev FROM cdm.entity_timeline t WHERE t.entity = live;
  IF ev IS NULL OR NOT cdm._timeline_active(ev, d.program, as_of) THEN
    RETURN false;
  END IF;
  -- the population test is a SQL function with subqueries (about a third of
  -- a call): only when the definition limits the population
  IF d.sources IS NULL AND d.exclude_sources IS NULL THEN
    RETURN true;
  END IF;
  RETURN cdm._in_population(live, d.sources, d.exclude_sources);
END
$$;
COMMENT ON FUNCTION cdm.is_active(bigint, text, timestamptz) IS
'Is the entity (as currently resolved: an id merged away stands for its survivor) active under the definition (name: latest version, or name@version) at as_of (default now), counting milestones dated at or before as_of? NULL argument: NULL. Unknown definition or entity: 42704.';

CREATE FUNCTION cdm.active_count(definition text, as_of timestamptz DEFAULT now()) RETURNS bigint
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  d cdm.active_definition;
  n bigint;
BEGIN
  IF definition IS NULL OR as_of IS NULL THEN
    RETURN NULL;
  END IF;
  d := cdm._active_def('cdm.active_count', definition);
  -- EXECUTE, not SELECT INTO: PL/pgSQL runs a SELECT INTO with a row limit,
  -- which keeps PostgreSQL from launching the parallel workers it planned;
  -- a dynamic statement runs to completion and gets them
  IF d.sources IS NULL AND d.exclude_sources IS NULL THEN
    EXECUTE 'SELECT count(*) FROM cdm.entity_timeline t
              WHERE cdm._timeline_active(t.events, $1, $2)'
      INTO n USING d.program, as_of;
  ELSE
    EXECUTE 'SELECT count(*) FROM cdm.entity_timeline t
              WHERE cdm._timeline_active(t.events, $1, $2)
                AND cdm._in_population(t.entity, $3, $4)'
      INTO n USING d.program, as_of, d.sources, d.exclude_sources;
  END IF;
  RETURN n;
END
$$;
COMMENT ON FUNCTION cdm.active_count(text, timestamptz) IS
'How many entities were active under the definition (name or name@version) at as_of (default now): milestones dated at or before as_of, entities as currently resolved (two merged records count once). One scan of cdm.entity_timeline (parallel when the planner chooses). NULL argument: NULL; unknown definition: 42704.';

CREATE FUNCTION cdm.active_counts(definition text, moments timestamptz[])
RETURNS TABLE (as_of timestamptz, active bigint)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  d cdm.active_definition;
  c bigint[];
BEGIN
  IF definition IS NULL OR moments IS NULL OR cardinality(moments) = 0 THEN
    RETURN;
  END IF;
  d := cdm._active_def('cdm.active_counts', definition);
  -- EXECUTE for parallel workers, as in cdm.active_count
  IF d.sources IS NULL AND d.exclude_sources IS NULL THEN
    EXECUTE 'SELECT cdm._active_counts(t.events, $1, $2) FROM cdm.entity_timeline t'
      INTO c USING d.program, moments;
  ELSE
    EXECUTE 'SELECT cdm._active_counts(t.events, $1, $2) FROM cdm.entity_timeline t
              WHERE cdm._in_population(t.entity, $3, $4)'
      INTO c USING d.program, moments, d.sources, d.exclude_sources;
  END IF;
  RETURN QUERY SELECT m.at, coalesce(c[m.i], 0)
                 FROM unnest(moments) WITH ORDINALITY m(at, i) ORDER BY m.i;
END
$$;
COMMENT ON FUNCTION cdm.active_counts(text, timestamptz[]) IS
'cdm.active_count at several moments in one scan: a row per moment, in the order given (e.g. 24 month ends for a trend chart). At most 10000 moments (more: 54000).';

CREATE FUNCTION cdm.why_active(entity bigint, definition text, as_of timestamptz DEFAULT now())
RETURNS jsonb
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  d    cdm.active_definition;
  live bigint;
  ev   bytea;
  res  jsonb;
  pop  boolean;
BEGIN
  IF entity IS NULL OR definition IS NULL OR as_of IS NULL THEN
    RETURN NULL;
  END IF;
  d := cdm._active_def('cdm.why_active', definition);
  live := cdm._live_entity('cdm.why_active', entity);
  SELECT t.events INTO ev FROM cdm.entity_timeline t WHERE t.entity = live;
  pop := cdm._in_population(live, d.sources, d.exclude_sources);
  SELECT jsonb_object_agg(w.condition, w.detail) INTO res
    FROM (SELECT y.condition,
                 CASE WHEN y.condition = 'active' THEN to_jsonb(bool_and(y.met))
                      ELSE jsonb_build_object(
                             'met', bool_or(y.met) FILTER (WHERE y.pos = 0),
                             'milestones', coalesce(jsonb_agg(jsonb_build_object('milestone', t.name, 'first_at', y.at, 'happened', y.at IS NOT NULL)
                                                              ORDER BY y.pos) FILTER (WHERE y.pos > 0), '[]'::jsonb))
                           || CASE WHEN y.condition = 'activity'
                                   THEN jsonb_build_object('last_at', max(y.at) FILTER (WHERE y.pos = 0),
                                                           'within', d.rule -> 'activity_within')
                                   ELSE '{}'::jsonb END
                 END AS detail
            FROM cdm._timeline_why(coalesce(ev, ''::bytea), d.program, as_of) y
            LEFT JOIN cdm.milestone_type t ON t.id = y.milestone
           GROUP BY y.condition) w;
  RETURN jsonb_build_object('entity', live, 'definition', d.name, 'version', d.version, 'as_of', as_of,
                            'active', (res -> 'active')::boolean AND pop)
         || CASE WHEN d.sources IS NOT NULL OR d.exclude_sources IS NOT NULL
                 THEN jsonb_build_object('in_population', pop,
                                         'population', jsonb_strip_nulls(jsonb_build_object('sources', d.sources, 'exclude_sources', d.exclude_sources)))
                 ELSE '{}'::jsonb END
         || (res - 'active');
END
$$;
COMMENT ON FUNCTION cdm.why_active(bigint, text, timestamptz) IS
'Why the entity is (not) active under the definition at as_of, as jsonb: {"entity", "definition", "version", "as_of", "active", and per condition of the rule ("all", "any", "none", "activity") whether it was met and, per listed milestone, when it first happened by as_of; for activity also the last activity and the window; with a population, whether the entity is in it}. Agrees with cdm.is_active.';

CREATE FUNCTION cdm.active_diff(def_a text, def_b text, as_of timestamptz DEFAULT now())
RETURNS TABLE (entity bigint, active_a boolean, active_b boolean, why_a jsonb, why_b jsonb)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  a cdm.active_definition;
  b cdm.active_definition;
BEGIN
  IF def_a IS NULL OR def_b IS NULL OR as_of IS NULL THEN
    RETURN;
  END IF;
  a := cdm._active_def('cdm.active_diff', def_a);
  b := cdm._active_def('cdm.active_diff', def_b);
  RETURN QUERY
  SELECT x.entity, x.aa, x.bb,
         cdm.why_active(x.entity, def_a, as_of), cdm.why_active(x.entity, def_b, as_of)
    FROM (SELECT t.entity,
                 cdm._timeline_active(t.events, a.program, as_of)
                   AND cdm._in_population(t.entity, a.sources, a.exclude_sources) AS aa,
                 cdm._timeline_active(t.events, b.program, as_of)
                   AND cdm._in_population(t.entity, b.sources, b.exclude_sources) AS bb
            FROM cdm.entity_timeline t) x
   WHERE x.aa <> x.bb
   ORDER BY x.entity;
END
$$;
COMMENT ON FUNCTION cdm.active_diff(text, text, timestamptz) IS
'Who is active under one definition and not the other at as_of (default now), and why: one row per such entity with both verdicts and both explanations (cdm.why_active). The reconciliation of two teams'' counts: active_count(a) - active_count(b) = count(active_a) - count(active_b) over these rows.';

CREATE FUNCTION cdm.customer_status(definition text, as_of timestamptz DEFAULT now())
RETURNS TABLE (entity bigint, scope text, status text)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  d cdm.active_definition;
BEGIN
  IF definition IS NULL OR as_of IS NULL THEN
    RETURN;
  END IF;
  d := cdm._active_def('cdm.customer_status', definition);
  RETURN QUERY
  SELECT e.id, s.name,
         CASE WHEN cdm._in_population(e.id, d.sources, d.exclude_sources)
              THEN cdm._timeline_status(t.events, d.program, s.id, as_of)
              ELSE 'new_prospect' END
    FROM cdm.entity e
    LEFT JOIN cdm.entity_timeline t ON t.entity = e.id
    CROSS JOIN (SELECT 0 AS id, NULL::text AS name WHERE d.scope IS NULL
                UNION ALL SELECT x.id, x.name FROM cdm.lifecycle_scope x) s
   WHERE e.merged_into IS NULL
   ORDER BY e.id, s.name NULLS FIRST;
END
$$;
COMMENT ON FUNCTION cdm.customer_status(text, timestamptz) IS
'The four questions marketing starts from, per live entity and scope, under a definition at as_of: customer (active now), former_customer (met the definition''s conditions once, with some activity, but not active now), known_prospect (has milestones in the scope, never qualified) or new_prospect (no milestone in the scope: white space). One row per entity for the definition''s own scope (scope NULL when it has none: every milestone counts) and one per registered scope, where the rule is read in that scope.';

-- ------------------------------------------------------- views for BI tools

CREATE VIEW cdm.active_definition_current AS
SELECT DISTINCT ON (d.name) d.name, d.version, d.rule, d.defined_at, d.defined_by
  FROM cdm.active_definition d
 ORDER BY d.name, d.version DESC;
COMMENT ON VIEW cdm.active_definition_current IS
'The latest version of each definition of active: name, version, rule (jsonb), when and by whom.';

CREATE VIEW cdm.active_monthly AS
SELECT d.name AS definition, d.version,
       (date_trunc('month', now()) - make_interval(months => m.i))::date AS month,
       c.as_of, c.active
  FROM cdm.active_definition_current d
 CROSS JOIN LATERAL cdm.active_counts(
         d.name || '@' || d.version,
         ARRAY(SELECT least(date_trunc('month', now()) - make_interval(months => i - 1) - interval '1 microsecond', now())
                 FROM generate_series(0, 23) i ORDER BY i DESC)) c
  JOIN generate_series(0, 23) m(i)
    ON c.as_of = least(date_trunc('month', now()) - make_interval(months => m.i - 1) - interval '1 microsecond', now());
COMMENT ON VIEW cdm.active_monthly IS
'Active customers per definition (latest version) per month, the last 24 months: month (its first day), as_of (the month''s last moment, or now for the current month) and the count then. One scan of the timelines per definition. For a chart: SELECT month, definition, active FROM cdm.active_monthly ORDER BY month.';

CREATE VIEW cdm.customer_active AS
SELECT e.id AS entity, d.name AS definition, d.version,
       coalesce(cdm._timeline_active(t.events, a.program, now())
                AND cdm._in_population(e.id, a.sources, a.exclude_sources), false) AS active
  FROM cdm.entity e
  LEFT JOIN cdm.entity_timeline t ON t.entity = e.id
 CROSS JOIN cdm.active_definition_current d
  JOIN cdm.active_definition a ON a.name = d.name AND a.version = d.version
 WHERE e.merged_into IS NULL;
COMMENT ON VIEW cdm.customer_active IS
'Per live entity and definition (latest version): active now or not. Long form, one row per pair, so a BI tool can pivot definitions into columns; join cdm.golden on entity for names.';

CREATE VIEW cdm.customer_status_now AS
SELECT d.name AS definition, s.entity, s.scope, s.status
  FROM cdm.active_definition_current d
 CROSS JOIN LATERAL cdm.customer_status(d.name || '@' || d.version, now()) s;
COMMENT ON VIEW cdm.customer_status_now IS
'cdm.customer_status for every definition (latest version) now: per definition, live entity and scope, customer / former_customer / known_prospect / new_prospect. Filter on definition to compute one.';

CREATE VIEW cdm.active_reconciliation AS
SELECT a.name AS definition_a, b.name AS definition_b, now() AS as_of,
       x.both_active, x.only_a, x.only_b
  FROM cdm.active_definition_current a
  JOIN cdm.active_definition_current b ON a.name < b.name
  JOIN cdm.active_definition pa ON pa.name = a.name AND pa.version = a.version
  JOIN cdm.active_definition pb ON pb.name = b.name AND pb.version = b.version
 CROSS JOIN LATERAL (
   SELECT count(*) FILTER (WHERE y.aa AND y.bb) AS both_active,
          count(*) FILTER (WHERE y.aa AND NOT y.bb) AS only_a,
          count(*) FILTER (WHERE y.bb AND NOT y.aa) AS only_b
     FROM (SELECT cdm._timeline_active(t.events, pa.program, now())
                    AND cdm._in_population(t.entity, pa.sources, pa.exclude_sources) AS aa,
                  cdm._timeline_active(t.events, pb.program, now())
                    AND cdm._in_population(t.entity, pb.sources, pb.exclude_sources) AS bb
             FROM cdm.entity_timeline t) y) x;
COMMENT ON VIEW cdm.active_reconciliation IS
'For every two definitions (latest versions) now: how many entities are active under both, only the first, only the second. The people behind the differences: cdm.active_diff(definition_a, definition_b).';
