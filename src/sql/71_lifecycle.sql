-- ---------------------------------------------------------------------------
-- Lifecycle, part 2: stage models and the cdm.lifecycle type.
--
--   cdm.stage_model          declared stage models (stages in rank order, the
--                            moves between them, which milestones move an
--                            entity where, a lapse rule), compiled.
--   cdm.lifecycle            a stage of a model and when it was entered:
--                            'active@2025-03-01 00:00:00+00'.
--   cdm._timeline_stage      the stage derived from an entity's timeline.
-- ---------------------------------------------------------------------------

CREATE TABLE cdm.stage_model (
  name         text PRIMARY KEY
               CHECK (name ~ '^[a-z][a-z0-9_]*$' AND length(name) <= 63),
  model        jsonb NOT NULL,
  program      bytea NOT NULL,
  declared_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
  declared_by  name NOT NULL DEFAULT cdm._actor()
);
COMMENT ON TABLE cdm.stage_model IS
'Declared stage models (cdm.declare_stage_model), immutable once declared. The model ''default'' is declared by the extension: prospect, lead, onboarding, active, lapsed, churned, lapsing after 365 days without invoice_paid, purchase or login. Every role reads them (cdm.lifecycle input needs to); declaring needs INSERT on this table.';
COMMENT ON COLUMN cdm.stage_model.name IS 'The model''s name (lower-case letters, digits and _, starting with a letter, at most 63 characters); ''default'' is the one cdm.lifecycle values without a model: prefix use.';
COMMENT ON COLUMN cdm.stage_model.model IS 'The model as declared, with "initial" filled in when it was left out.';
COMMENT ON COLUMN cdm.stage_model.program IS 'The compiled model (versioned binary form, milestone ids instead of names) that cdm.lifecycle and the derivation read; checked on every load.';
COMMENT ON COLUMN cdm.stage_model.declared_at IS 'When it was declared.';
COMMENT ON COLUMN cdm.stage_model.declared_by IS 'Who declared it.';
GRANT SELECT ON cdm.stage_model TO PUBLIC;
-- the seeded default comes back with CREATE EXTENSION; dump the user's models
SELECT pg_catalog.pg_extension_config_dump('cdm.stage_model', 'WHERE name <> ''default''');

CREATE FUNCTION cdm._stage_model_compile(model jsonb) RETURNS bytea
AS 'MODULE_PATHNAME', 'cdm_stage_model_compile'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm._stage_model_compile(jsonb) IS
'Internal: the program (cdm.stage_model.program) of a model in the form cdm.declare_stage_model hands over: "stages", "initial", "transitions", "reactivations" as declared, "milestones" as [[milestone id, stage], ...], "reactivated_by" as ids, "lapse" as {"after_us": microseconds, "from", "to", "activity": ids}. Unknown stages, bad names, self-moves, moves declared both ways: 22023; past the limits (32 stages, 256 mapped milestones, 64 reactivated_by or activity milestones): 54000 (program_limit_exceeded).';

CREATE FUNCTION cdm.declare_stage_model(name text, model jsonb) RETURNS void
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  c constant text := 'cdm.declare_stage_model';
  keys constant text[] := ARRAY['stages', 'initial', 'transitions', 'reactivations',
                                'milestones', 'reactivated_by', 'lapse'];
  lapse_keys constant text[] := ARRAY['after', 'from', 'to', 'activity'];
  k text;
  norm jsonb;
  prog jsonb;
  lapse jsonb;
  iv interval;
  old jsonb;
BEGIN
  IF name IS NULL OR model IS NULL THEN
    RAISE EXCEPTION '%: name and model must not be NULL', c USING ERRCODE = '22004';
  END IF;
  IF name !~ '^[a-z][a-z0-9_]*$' OR length(name) > 63 THEN
    RAISE EXCEPTION '%: invalid stage model name "%"', c, name
      USING ERRCODE = '22023',
            HINT = 'A stage model name is lower-case letters, digits and _, starting with a letter, at most 63 characters (e.g. retail).';
  END IF;
  IF pg_catalog.jsonb_typeof(model) <> 'object' THEN
    RAISE EXCEPTION '%: the model must be a JSON object, not %', c, pg_catalog.jsonb_typeof(model)
      USING ERRCODE = '22023', HINT = 'See cdm.stage_model where name = ''default'' for an example.';
  END IF;
  FOR k IN SELECT pg_catalog.jsonb_object_keys(model) LOOP
    IF NOT k = ANY (keys) THEN
      RAISE EXCEPTION '%: unknown key "%"', c, k
        USING ERRCODE = '22023', HINT = 'The keys of a stage model are: ' || pg_catalog.array_to_string(keys, ', ') || '.';
    END IF;
  END LOOP;
  IF pg_catalog.jsonb_typeof(model -> 'stages') IS DISTINCT FROM 'array' THEN
    RAISE EXCEPTION '%: "stages" must be an array of stage names', c
      USING ERRCODE = '22023', HINT = 'e.g. "stages": ["trial", "paying", "gone"]; the rank of a stage is its position.';
  END IF;
  norm := model || pg_catalog.jsonb_build_object('initial', coalesce(model -> 'initial', model -> 'stages' -> 0));

  -- milestone names -> ids (an undeclared name is an error naming it)
  IF model ? 'milestones' AND pg_catalog.jsonb_typeof(model -> 'milestones') <> 'object' THEN
    RAISE EXCEPTION '%: "milestones" must be an object {milestone: stage}', c
      USING ERRCODE = '22023', HINT = 'e.g. "milestones": {"onboarding_completed": "active"}.';
  END IF;
  prog := pg_catalog.jsonb_build_object(
    'stages', model -> 'stages', 'initial', norm -> 'initial',
    'transitions', model -> 'transitions', 'reactivations', model -> 'reactivations',
    'milestones', (SELECT pg_catalog.jsonb_agg(pg_catalog.jsonb_build_array(cdm._milestone_id(c, e.key), e.value) ORDER BY e.key)
                     FROM pg_catalog.jsonb_each(model -> 'milestones') e),
    'reactivated_by', cdm._stage_milestone_ids(c, 'reactivated_by', model -> 'reactivated_by'));

  lapse := model -> 'lapse';
  IF lapse IS NOT NULL AND lapse <> 'null' THEN
    IF pg_catalog.jsonb_typeof(lapse) <> 'object' THEN
      RAISE EXCEPTION '%: "lapse" must be an object', c
        USING ERRCODE = '22023', HINT = 'e.g. "lapse": {"after": "365 days", "from": "active", "to": "lapsed", "activity": ["login"]}.';
    END IF;
    FOR k IN SELECT pg_catalog.jsonb_object_keys(lapse) LOOP
      IF NOT k = ANY (lapse_keys) THEN
        RAISE EXCEPTION '%: unknown key "lapse.%"', c, k
          USING ERRCODE = '22023', HINT = 'The keys of "lapse" are: ' || pg_catalog.array_to_string(lapse_keys, ', ') || '.';
      END IF;
    END LOOP;
    IF pg_catalog.jsonb_typeof(lapse -> 'after') IS DISTINCT FROM 'string' THEN
      RAISE EXCEPTION '%: "lapse.after" must be an interval in a string', c
        USING ERRCODE = '22023', HINT = 'e.g. "after": "365 days".';
    END IF;
    BEGIN
      iv := (lapse ->> 'after')::interval;
    EXCEPTION WHEN invalid_datetime_format OR datetime_field_overflow OR interval_field_overflow THEN
      RAISE EXCEPTION '%: invalid interval "%" in "lapse.after"', c, lapse ->> 'after'
        USING ERRCODE = '22023', HINT = 'e.g. "after": "365 days" or "90 days 12 hours".';
    END;
    IF iv <= interval '0' THEN
      RAISE EXCEPTION '%: "lapse.after" must be positive, not "%"', c, lapse ->> 'after'
        USING ERRCODE = '22023', HINT = 'e.g. "after": "365 days".';
    END IF;
    prog := prog || pg_catalog.jsonb_build_object('lapse', pg_catalog.jsonb_build_object(
      'after_us', pg_catalog.round(pg_catalog.date_part('epoch', iv)::numeric * 1000000)::bigint,
      'from', lapse -> 'from', 'to', lapse -> 'to',
      'activity', cdm._stage_milestone_ids(c, 'lapse.activity', lapse -> 'activity')));
  END IF;

  SELECT m.model INTO old FROM cdm.stage_model m WHERE m.name = declare_stage_model.name;
  IF FOUND THEN
    IF old = norm THEN
      RETURN;   -- the same declaration again: nothing to do
    END IF;
    RAISE EXCEPTION '%: stage model "%" is already declared with a different model', c, name
      USING ERRCODE = '42710',
            HINT = 'Stage models are immutable (cdm.lifecycle values and derivations depend on them): declare the new one under a new name.';
  END IF;
  INSERT INTO cdm.stage_model (name, model, program)
  VALUES (declare_stage_model.name, norm, cdm._stage_model_compile(pg_catalog.jsonb_strip_nulls(prog)));
END
$$;
COMMENT ON FUNCTION cdm.declare_stage_model(text, jsonb) IS
'Declare a stage model: {"stages": [names in rank order], "initial": stage (default the first), "transitions": [[from, to], ...], "reactivations": [[from, to], ...] (moves taken only as a reactivation), "milestones": {milestone: stage}, "reactivated_by": [milestones that take a reactivation edge], "lapse": {"after": interval, "from": stage, "to": stage, "activity": [milestones]}}; e.g. cdm.declare_stage_model(''trial'', ''{"stages": ["trial", "paying"], "transitions": [["trial", "paying"]], "milestones": {"purchase": "paying"}}''). Unknown keys, unknown stages, undeclared milestones, bad intervals: 22023 naming them. Declaring the same model again does nothing; a different model under a declared name: 42710 (models are immutable). Intervals with months or years count 30 days a month, 365.25 days a year.';

CREATE FUNCTION cdm._stage_milestone_ids(caller text, key text, names jsonb) RETURNS jsonb
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF names IS NULL OR names = 'null' THEN
    RETURN NULL;
  END IF;
  IF pg_catalog.jsonb_typeof(names) <> 'array'
     OR EXISTS (SELECT FROM pg_catalog.jsonb_array_elements(names) e WHERE pg_catalog.jsonb_typeof(e) <> 'string') THEN
    RAISE EXCEPTION '%: "%" must be an array of milestone names', caller, key
      USING ERRCODE = '22023', HINT = 'e.g. ["invoice_paid", "login"]; the declared milestones are in cdm.milestone_type.';
  END IF;
  RETURN (SELECT coalesce(pg_catalog.jsonb_agg(cdm._milestone_id(caller, e.v) ORDER BY e.i), '[]')
            FROM pg_catalog.jsonb_array_elements_text(names) WITH ORDINALITY e(v, i));
END
$$;
COMMENT ON FUNCTION cdm._stage_milestone_ids(text, text, jsonb) IS
'Internal: a JSON array of milestone names as an array of their ids, for cdm.declare_stage_model; not an array of strings, or an undeclared name: 22023 naming the key or the milestone.';

-- ---------------------------------------------------------- the lifecycle type

CREATE TYPE cdm.lifecycle;

CREATE FUNCTION cdm.lifecycle_in(cstring) RETURNS cdm.lifecycle
AS 'MODULE_PATHNAME', 'cdm_lifecycle_in'
LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.lifecycle_in(cstring) IS
'Text input of cdm.lifecycle: ''stage@time'' for the model default, ''model:stage@time'' for another, time any timestamptz literal (''active@2025-03-01'', ''retail:paying@2025-03-01 10:00+01''). STABLE: the stage''s rank is read from cdm.stage_model, and the time depends on TimeZone. An undeclared model or a stage not in it: 22023; bad syntax: 22P02; an infinite time: 22023.';

CREATE FUNCTION cdm.lifecycle_out(cdm.lifecycle) RETURNS cstring
AS 'MODULE_PATHNAME', 'cdm_lifecycle_out'
LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.lifecycle_out(cdm.lifecycle) IS
'Text output of cdm.lifecycle: [model:]stage@time, the time in ISO form (2025-03-01 00:00:00+00) in the session TimeZone whatever DateStyle is; the model: prefix only for models other than default. STABLE because of TimeZone.';

CREATE FUNCTION cdm.lifecycle_recv(internal) RETURNS cdm.lifecycle
AS 'MODULE_PATHNAME', 'cdm_lifecycle_recv'
LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.lifecycle_recv(internal) IS
'Binary input of cdm.lifecycle: int64 entry time (microseconds since 2000-01-01 UTC), int16 rank, model and stage names (a length byte, then the bytes). The stage is looked up in this database''s model; a rank that differs from the sender''s (another model under the same name) is refused (22P03).';

CREATE FUNCTION cdm.lifecycle_send(cdm.lifecycle) RETURNS bytea
AS 'MODULE_PATHNAME', 'cdm_lifecycle_send'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.lifecycle_send(cdm.lifecycle) IS
'Binary output of cdm.lifecycle: int64 entry time (microseconds since 2000-01-01 UTC), int16 rank, model and stage names (a length byte, then the bytes).';

CREATE TYPE cdm.lifecycle (
    INPUT = cdm.lifecycle_in,
    OUTPUT = cdm.lifecycle_out,
    RECEIVE = cdm.lifecycle_recv,
    SEND = cdm.lifecycle_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = int4,
    STORAGE = main
);
COMMENT ON TYPE cdm.lifecycle IS
'A stage of a stage model and when it was entered, e.g. ''active@2025-03-01 00:00:00+00'' (model default) or ''retail:paying@2025-03-01 00:00:00+00''. Self-contained: output needs no model. Ordered by stage rank, then entry time, then model and stage name. Build with cdm.lifecycle(stage, at, model), move with cdm.transition, read with cdm.stage, cdm.entered_at, cdm.stage_model_of.';

-- ------------------------------------------------------------------ accessors

CREATE FUNCTION cdm.stage(state cdm.lifecycle) RETURNS text
AS 'MODULE_PATHNAME', 'cdm_lifecycle_stage'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.stage(cdm.lifecycle) IS
'The stage''s name: cdm.stage(''active@2025-03-01'') = ''active''.';

CREATE FUNCTION cdm.entered_at(state cdm.lifecycle) RETURNS timestamptz
AS 'MODULE_PATHNAME', 'cdm_lifecycle_entered_at'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.entered_at(cdm.lifecycle) IS
'When the stage was entered: cdm.entered_at(''active@2025-03-01'') = ''2025-03-01'' in the session time zone.';

CREATE FUNCTION cdm.stage_model_of(state cdm.lifecycle) RETURNS text
AS 'MODULE_PATHNAME', 'cdm_lifecycle_model'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.stage_model_of(cdm.lifecycle) IS
'The stage model''s name: ''default'' for ''active@2025-03-01'', ''retail'' for ''retail:paying@2025-03-01''.';

CREATE FUNCTION cdm.lifecycle(stage text, at timestamptz, model text DEFAULT 'default') RETURNS cdm.lifecycle
AS 'MODULE_PATHNAME', 'cdm_lifecycle_make'
LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.lifecycle(text, timestamptz, text) IS
'The value for a stage of a model entered at a time: cdm.lifecycle(''lead'', ''2025-01-10'') = ''lead@2025-01-10 00:00:00+00'' (in a UTC session). An undeclared model, a stage not in the model, an infinite time: 22023. STABLE: reads cdm.stage_model.';

CREATE FUNCTION cdm.transition(state cdm.lifecycle, to_stage text, at timestamptz,
                               reactivation boolean DEFAULT false) RETURNS cdm.lifecycle
AS 'MODULE_PATHNAME', 'cdm_lifecycle_transition'
LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.transition(cdm.lifecycle, text, timestamptz, boolean) IS
'The state after moving to to_stage at `at`: along a declared transition, or a reactivation edge when reactivation => true (which also allows ordinary transitions). E.g. cdm.transition(''lead@2025-01-10'', ''onboarding'', ''2025-02-01''). To the same stage: the state unchanged (entry time kept). A move the model does not declare (stages are not skipped here), a reactivation without reactivation => true, `at` before the entry, an unknown stage: 22023 naming both stages, the allowed moves in the hint. STABLE: reads cdm.stage_model.';

-- ------------------------------------------------------- equality, order, hash

CREATE FUNCTION cdm.lifecycle_eq(cdm.lifecycle, cdm.lifecycle) RETURNS boolean
AS 'MODULE_PATHNAME', 'cdm_lifecycle_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.lifecycle_eq(cdm.lifecycle, cdm.lifecycle) IS 'Same model, stage and entry time (the = operator).';
CREATE FUNCTION cdm.lifecycle_ne(cdm.lifecycle, cdm.lifecycle) RETURNS boolean
AS 'MODULE_PATHNAME', 'cdm_lifecycle_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.lifecycle_ne(cdm.lifecycle, cdm.lifecycle) IS 'The values differ (the <> operator).';
CREATE FUNCTION cdm.lifecycle_lt(cdm.lifecycle, cdm.lifecycle) RETURNS boolean
AS 'MODULE_PATHNAME', 'cdm_lifecycle_lt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.lifecycle_lt(cdm.lifecycle, cdm.lifecycle) IS 'Lower stage rank, or the same rank entered earlier, then model and stage name (the < operator).';
CREATE FUNCTION cdm.lifecycle_le(cdm.lifecycle, cdm.lifecycle) RETURNS boolean
AS 'MODULE_PATHNAME', 'cdm_lifecycle_le' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.lifecycle_le(cdm.lifecycle, cdm.lifecycle) IS 'The <= operator of the order of cdm.lifecycle (rank, entry time, model, stage).';
CREATE FUNCTION cdm.lifecycle_gt(cdm.lifecycle, cdm.lifecycle) RETURNS boolean
AS 'MODULE_PATHNAME', 'cdm_lifecycle_gt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.lifecycle_gt(cdm.lifecycle, cdm.lifecycle) IS 'The > operator of the order of cdm.lifecycle (rank, entry time, model, stage).';
CREATE FUNCTION cdm.lifecycle_ge(cdm.lifecycle, cdm.lifecycle) RETURNS boolean
AS 'MODULE_PATHNAME', 'cdm_lifecycle_ge' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.lifecycle_ge(cdm.lifecycle, cdm.lifecycle) IS 'The >= operator of the order of cdm.lifecycle (rank, entry time, model, stage).';
CREATE FUNCTION cdm.lifecycle_cmp(cdm.lifecycle, cdm.lifecycle) RETURNS integer
AS 'MODULE_PATHNAME', 'cdm_lifecycle_cmp' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.lifecycle_cmp(cdm.lifecycle, cdm.lifecycle) IS 'Btree comparison of cdm.lifecycle: -1, 0 or 1 (rank, entry time, model name, stage name).';
CREATE FUNCTION cdm.lifecycle_hash(cdm.lifecycle) RETURNS integer
AS 'MODULE_PATHNAME', 'cdm_lifecycle_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.lifecycle_hash(cdm.lifecycle) IS 'Hash of a cdm.lifecycle (all of it), for hash joins, GROUP BY and hash indexes.';
CREATE FUNCTION cdm.lifecycle_hash_extended(cdm.lifecycle, bigint) RETURNS bigint
AS 'MODULE_PATHNAME', 'cdm_lifecycle_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.lifecycle_hash_extended(cdm.lifecycle, bigint) IS '64-bit seeded hash of a cdm.lifecycle, for hash partitioning.';

CREATE OPERATOR cdm.= (
    LEFTARG = cdm.lifecycle, RIGHTARG = cdm.lifecycle, PROCEDURE = cdm.lifecycle_eq,
    COMMUTATOR = OPERATOR(cdm.=), NEGATOR = OPERATOR(cdm.<>),
    RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES
);
COMMENT ON OPERATOR cdm.= (cdm.lifecycle, cdm.lifecycle) IS 'Same model, stage and entry time.';
CREATE OPERATOR cdm.<> (
    LEFTARG = cdm.lifecycle, RIGHTARG = cdm.lifecycle, PROCEDURE = cdm.lifecycle_ne,
    COMMUTATOR = OPERATOR(cdm.<>), NEGATOR = OPERATOR(cdm.=),
    RESTRICT = neqsel, JOIN = neqjoinsel
);
COMMENT ON OPERATOR cdm.<> (cdm.lifecycle, cdm.lifecycle) IS 'The values differ.';
CREATE OPERATOR cdm.< (
    LEFTARG = cdm.lifecycle, RIGHTARG = cdm.lifecycle, PROCEDURE = cdm.lifecycle_lt,
    COMMUTATOR = OPERATOR(cdm.>), NEGATOR = OPERATOR(cdm.>=),
    RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
COMMENT ON OPERATOR cdm.< (cdm.lifecycle, cdm.lifecycle) IS 'Earlier in the lifecycle: lower stage rank, or the same rank entered earlier.';
CREATE OPERATOR cdm.<= (
    LEFTARG = cdm.lifecycle, RIGHTARG = cdm.lifecycle, PROCEDURE = cdm.lifecycle_le,
    COMMUTATOR = OPERATOR(cdm.>=), NEGATOR = OPERATOR(cdm.>),
    RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
COMMENT ON OPERATOR cdm.<= (cdm.lifecycle, cdm.lifecycle) IS 'Earlier in the lifecycle, or equal.';
CREATE OPERATOR cdm.> (
    LEFTARG = cdm.lifecycle, RIGHTARG = cdm.lifecycle, PROCEDURE = cdm.lifecycle_gt,
    COMMUTATOR = OPERATOR(cdm.<), NEGATOR = OPERATOR(cdm.<=),
    RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
COMMENT ON OPERATOR cdm.> (cdm.lifecycle, cdm.lifecycle) IS 'Later in the lifecycle: higher stage rank, or the same rank entered later.';
CREATE OPERATOR cdm.>= (
    LEFTARG = cdm.lifecycle, RIGHTARG = cdm.lifecycle, PROCEDURE = cdm.lifecycle_ge,
    COMMUTATOR = OPERATOR(cdm.<=), NEGATOR = OPERATOR(cdm.<),
    RESTRICT = scalargesel, JOIN = scalargejoinsel
);
COMMENT ON OPERATOR cdm.>= (cdm.lifecycle, cdm.lifecycle) IS 'Later in the lifecycle, or equal.';

CREATE OPERATOR CLASS cdm.btree_lifecycle_ops DEFAULT FOR TYPE cdm.lifecycle USING btree AS
    OPERATOR 1 cdm.< ,
    OPERATOR 2 cdm.<= ,
    OPERATOR 3 cdm.= ,
    OPERATOR 4 cdm.>= ,
    OPERATOR 5 cdm.> ,
    FUNCTION 1 cdm.lifecycle_cmp(cdm.lifecycle, cdm.lifecycle);
COMMENT ON OPERATOR CLASS cdm.btree_lifecycle_ops USING btree IS
'Default btree operator class of cdm.lifecycle: ORDER BY, DISTINCT, merge joins, unique and range indexes (order: stage rank, entry time, model, stage).';

CREATE OPERATOR CLASS cdm.hash_lifecycle_ops DEFAULT FOR TYPE cdm.lifecycle USING hash AS
    OPERATOR 1 cdm.= ,
    FUNCTION 1 cdm.lifecycle_hash(cdm.lifecycle),
    FUNCTION 2 cdm.lifecycle_hash_extended(cdm.lifecycle, bigint);
COMMENT ON OPERATOR CLASS cdm.hash_lifecycle_ops USING hash IS
'Default hash operator class of cdm.lifecycle: hash joins, hash aggregation, hash indexes and hash partitioning.';

-- ------------------------------------------------------------------ derivation

CREATE FUNCTION cdm._timeline_stage(events bytea, model text, as_of timestamptz, scope integer,
                                    born timestamptz) RETURNS cdm.lifecycle
AS 'MODULE_PATHNAME', 'cdm_timeline_stage'
LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm._timeline_stage(bytea, text, timestamptz, integer, timestamptz) IS
'Internal: the stage at as_of derived from a timeline (cdm.entity_timeline.events) with a stage model: the initial stage entered at born, then in time order the events at or before as_of of the scope (0: all; s: s and unscoped), each moving to its mapped stage by a declared transition, by transitions skipped over, or by a reactivation edge when the milestone is in reactivated_by; activity refreshes the lapse clock and brings a lapsed entity back; lapse is checked before each event and at as_of. NULL when born > as_of. A timeline of a length not a multiple of 16 bytes, or an infinite born: 22023.';

CREATE FUNCTION cdm._stage_explain(events bytea, model text, as_of timestamptz, scope integer,
                                   born timestamptz) RETURNS jsonb
AS 'MODULE_PATHNAME', 'cdm_stage_explain'
LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm._stage_explain(bytea, text, timestamptz, integer, timestamptz) IS
'Internal: the derivation of cdm._timeline_stage step by step, as {"model", "as_of", "scope", "born", "stage", "entered_at", "steps": [{"at", "step", "milestone", "from", "to", "target", "since"}]}; step is transition, skip, reactivation, lapse (with since: the activity or entry it counts from), return (activity while lapsed), or ignored: already in stage / needs a reactivation / not allowed (with target: the milestone''s stage). Activity that moves nothing is not listed. stage is null when born > as_of.';

CREATE FUNCTION cdm._timeline_from(at timestamptz[], milestone integer[], scope integer[]) RETURNS bytea
AS 'MODULE_PATHNAME', 'cdm_timeline_from'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm._timeline_from(timestamptz[], integer[], integer[]) IS
'Internal: a timeline (the layout of cdm.entity_timeline.events) of the events at[i], milestone[i], scope[i], sorted; for tests and hand-made examples. Arrays of different lengths, NULL elements, milestone ids <= 0 or negative scopes: an error.';

-- ------------------------------------------------------------- the default model

SELECT cdm.declare_stage_model('default', $json$
{
  "stages": ["prospect", "lead", "onboarding", "active", "lapsed", "churned"],
  "initial": "prospect",
  "transitions": [["prospect", "lead"], ["lead", "onboarding"], ["onboarding", "active"],
                  ["active", "lapsed"], ["lapsed", "active"], ["active", "churned"], ["lapsed", "churned"]],
  "reactivations": [["churned", "active"]],
  "milestones": {"lead_created": "lead", "onboarding_started": "onboarding",
                 "documents_submitted": "onboarding", "onboarding_completed": "active",
                 "contract_ended": "churned"},
  "reactivated_by": ["contract_signed"],
  "lapse": {"after": "365 days", "from": "active", "to": "lapsed",
            "activity": ["invoice_paid", "purchase", "login"]}
}
$json$::jsonb);
