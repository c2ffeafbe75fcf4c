-- Stages derived from an entity's milestones: the default model, lapse and
-- return, churn and reactivation, scopes, a custom model, merges, the
-- explanation, and the customer_lifecycle view.
SET client_min_messages = warning;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO';
\pset null '(null)'

CREATE FUNCTION pg_temp.sqlstate_of(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE q;
  RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

SELECT cdm.ingest('st_crm', 'G', '{"given_name": "Gus", "family_name": "Wolde", "email": "gus@st.example"}') AS gus \gset
SELECT cdm.ingest('st_crm', 'H', '{"given_name": "Hana", "family_name": "Xu", "email": "hana@st.example"}') AS hana \gset
SELECT cdm.ingest('st_crm', 'I', '{"given_name": "Ivo", "family_name": "Yilmaz", "email": "ivo@st.example"}') AS ivo \gset

-- Gus: lead, onboarding, active in March 2025, pays until June 2025, then
-- silent for more than a year, buys again in September 2026.
-- Hana: active, contract ends, signs again (a declared reactivation).
-- Ivo: a lead in the mobile line only.
SELECT count(*) AS recorded FROM (
  SELECT cdm.record_milestone(e, m, at::timestamptz, 'st', scope => sc)
    FROM (VALUES
      (:gus, 'lead_created', '2025-01-01', NULL), (:gus, 'onboarding_started', '2025-02-01', NULL),
      (:gus, 'onboarding_completed', '2025-03-01', NULL), (:gus, 'invoice_paid', '2025-06-01', NULL),
      (:gus, 'purchase', '2026-09-01', NULL),
      (:hana, 'onboarding_completed', '2025-01-10', NULL), (:hana, 'contract_ended', '2025-05-01', NULL),
      (:hana, 'onboarding_completed', '2025-06-01', NULL), (:hana, 'contract_signed', '2025-07-01', NULL),
      (:ivo, 'lead_created', '2025-04-01', 'mobile')) v(e, m, at, sc)) x;

SELECT d AS as_of, cdm.stage_at(:gus, d) AS gus, cdm.stage_at(:hana, d) AS hana, cdm.stage_at(:ivo, d) AS ivo
  FROM unnest(ARRAY['2024-12-31', '2025-01-15', '2025-02-15', '2025-04-01', '2025-05-15',
                    '2025-06-15', '2025-08-01', '2026-06-02', '2026-09-01']::timestamptz[]) d;
-- the stage is an ordered value: rank first, then time
SELECT cdm.stage_at(:gus, '2025-04-01') OPERATOR(cdm.>) cdm.stage_at(:ivo, '2025-05-01') AS active_ranks_above_lead,
       cdm.stage_at(:gus, '2025-02-15') OPERATOR(cdm.<) cdm.stage_at(:ivo, '2025-05-01') AS onboarding_sorts_below_lead;
-- scopes: Ivo is a lead in mobile, a prospect in a scope he never touched
SELECT cdm.stage_at(:ivo, '2025-05-01', 'mobile') AS ivo_mobile,
       cdm.stage_at(:ivo, '2025-05-01', 'broadband') AS ivo_broadband,
       cdm.stage_at(:ivo, '2025-05-01', 'never_used') AS ivo_unknown_scope;
-- why: every step, and what was ignored
SELECT s ->> 'at' AS at, s ->> 'step' AS step, s ->> 'milestone' AS milestone, s ->> 'from' AS from_stage, s ->> 'to' AS to_stage
  FROM jsonb_array_elements(cdm.why_stage(:hana, '2025-12-01') -> 'steps') s;
SELECT cdm.why_stage(:hana, '2025-12-01') - 'steps' - 'entity' AS summary;

-- a custom model for a shop: trial -> paying <-> paused -> gone
SELECT cdm.declare_stage_model('shop', '{
  "stages": ["trial", "paying", "paused", "gone"],
  "transitions": [["trial","paying"], ["paying","paused"], ["paused","paying"], ["paying","gone"], ["paused","gone"]],
  "reactivations": [["gone","trial"]],
  "milestones": {"purchase": "paying", "invoice_paid": "paying", "contract_ended": "gone"},
  "reactivated_by": ["login"],
  "lapse": {"after": "60 days", "from": "paying", "to": "paused", "activity": ["purchase", "invoice_paid"]}}');
SELECT cdm.stage_at(:gus, '2025-07-01', model => 'shop') AS gus_shop_july,
       cdm.stage_at(:gus, '2025-09-01', model => 'shop') AS gus_shop_september;

-- merging: the survivor's stage comes from both timelines
SELECT cdm.merge(:gus, :ivo, 'same person') = :gus AS gus_survives;
SELECT cdm.stage_at(:ivo, '2025-05-01') AS ivo_id_now_gus;
SELECT cdm.unmerge('st_crm', 'I', 'not the same') = :ivo AS ivo_back;
SELECT cdm.stage_at(:ivo, '2025-05-01') AS ivo_again;

-- the view: one row per live entity, plain columns
SELECT stage, stage_entered_at, first_milestone_at, last_milestone_at, milestones
  FROM cdm.customer_lifecycle WHERE entity IN (:gus, :hana, :ivo) ORDER BY entity;
SELECT count(*) = (SELECT count(*) FROM cdm.entity WHERE merged_into IS NULL) AS one_row_per_live_entity,
       bool_and(stage = cdm.stage(cdm.stage_at(entity))) AS agrees_with_stage_at
  FROM cdm.customer_lifecycle;
SELECT a.attname, format_type(a.atttypid, a.atttypmod)
  FROM pg_attribute a WHERE a.attrelid = 'cdm.customer_lifecycle'::regclass AND a.attnum > 0 ORDER BY a.attnum;

-- errors and NULLs
SELECT pg_temp.sqlstate_of($$SELECT cdm.stage_at(-1)$$);
SELECT pg_temp.sqlstate_of($$SELECT cdm.stage_at(1, now(), NULL, 'no_such_model')$$);
SELECT cdm.stage_at(NULL) AS null_entity, cdm.stage_at(:gus, NULL) AS null_as_of;
