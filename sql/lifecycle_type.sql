-- lifecycle: stage models, the cdm.lifecycle type, transitions, derivation.
-- (pg_regress loads the extension with --load-extension=cdm)
SET TimeZone = 'UTC';
SET search_path = public, cdm;  -- the operators live in cdm

-- The seeded default model.
SELECT name, model -> 'stages' AS stages, model ->> 'initial' AS initial,
       substr(program, 1, 5) AS program_head
  FROM cdm.stage_model ORDER BY name;

-- ------------------------------------------------------------------- text I/O
SELECT 'active@2025-03-01'::cdm.lifecycle AS plain,
       'default:lead@2025-03-01 10:00+02'::cdm.lifecycle AS explicit_default,
       '  churned @ 2025-03-01 12:34:56.789+00 '::cdm.lifecycle AS spaces_fraction,
       'prospect@epoch'::cdm.lifecycle AS epoch;
-- Output is ISO whatever DateStyle is, in the session time zone.
SET DateStyle = 'SQL, DMY';
SELECT 'active@2025-03-01'::cdm.lifecycle AS sql_dmy, '2025-03-01'::timestamptz AS timestamptz_sql_dmy;
SET TimeZone = 'Asia/Kolkata';
SELECT 'active@2025-03-01 00:00+00'::cdm.lifecycle AS kolkata;
RESET DateStyle;
SET TimeZone = 'UTC';
-- Round trips through text are exact (microseconds kept).
SELECT v, v::text::cdm.lifecycle = v AS round_trip
  FROM (VALUES ('lead@2025-01-10 08:15:30.123456+00'::cdm.lifecycle),
               ('onboarding@1999-12-31 23:59:59.999999+00'),
               ('lapsed@0044-03-15 12:00:00+00')) t(v);
SELECT cdm.lifecycle_in('active@2025-03-01') AS via_in, cdm.lifecycle_out('active@2025-03-01') AS via_out;

-- Bad input.
\set VERBOSITY default
SELECT 'active'::cdm.lifecycle;
SELECT 'Active@2025-03-01'::cdm.lifecycle;
SELECT ':active@2025-03-01'::cdm.lifecycle;
SELECT 'actve@2025-03-01'::cdm.lifecycle;
SELECT 'retail:active@2025-03-01'::cdm.lifecycle;
SELECT 'active@yesterday-ish'::cdm.lifecycle;
SELECT 'active@infinity'::cdm.lifecycle;
SELECT 'aktiv_ä@2025-03-01'::cdm.lifecycle;

-- ---------------------------------------------------------- accessors, constructor
SELECT cdm.stage(v), cdm.entered_at(v), cdm.stage_model_of(v)
  FROM (VALUES ('active@2025-03-01 10:00+00'::cdm.lifecycle)) t(v);
SELECT cdm.lifecycle('lead', '2025-01-10') AS lead,
       cdm.lifecycle('lead', '2025-01-10', 'default') = 'lead@2025-01-10' AS same;
SELECT cdm.lifecycle('leed', '2025-01-10');
SELECT cdm.lifecycle('lead', '2025-01-10', 'nope');
SELECT cdm.lifecycle('lead', '2025-01-10', 'Bad Name');
SELECT cdm.lifecycle('lead', '-infinity');
SELECT cdm.lifecycle(NULL, '2025-01-10') IS NULL AS null_stage,
       cdm.stage(NULL) IS NULL AS null_state,
       cdm.transition('lead@2025-01-10', NULL, '2025-02-01') IS NULL AS null_to;

-- ------------------------------------------------------------------ binary I/O
-- send: int64 µs since 2000-01-01, int16 rank, model and stage with length bytes
SELECT cdm.lifecycle_send('active@2000-01-01 00:00:01+00') AS active_2000;
CREATE TEMP TABLE lc (id serial, v cdm.lifecycle);
INSERT INTO lc (v)
SELECT cdm.lifecycle(s, t) FROM unnest(ARRAY['prospect', 'lead', 'onboarding', 'active', 'lapsed', 'churned']) s,
       unnest(ARRAY['2025-03-01', '2024-01-01 12:00', '2025-03-01 00:00:00.000001']::timestamptz[]) t;
INSERT INTO lc (v) SELECT v FROM lc WHERE cdm.stage(v) IN ('active', 'lead');  -- duplicates
COPY lc TO '/tmp/cdm_lifecycle_type.bin' (FORMAT binary);
CREATE TEMP TABLE lc_back (LIKE lc);
COPY lc_back FROM '/tmp/cdm_lifecycle_type.bin' (FORMAT binary);
SELECT count(*) AS copied,
       count(*) FILTER (WHERE a.v = b.v AND a.v::text = b.v::text) AS identical
  FROM lc a JOIN lc_back b USING (id);

-- ------------------------------------------------------------ order and hashing
-- rank first, then entry time
SELECT v FROM lc WHERE id <= 18 ORDER BY v;
SELECT 'lead@2030-01-01'::cdm.lifecycle < 'onboarding@2020-01-01' AS rank_before_time,
       'lead@2020-01-01'::cdm.lifecycle < 'lead@2030-01-01' AS then_time,
       'lead@2020-01-01'::cdm.lifecycle <= 'lead@2020-01-01' AS le,
       'lead@2020-01-01'::cdm.lifecycle >= 'lead@2020-01-01' AS ge,
       'lead@2020-01-01'::cdm.lifecycle <> 'lead@2020-01-01 00:00:00.000001' AS ne,
       'churned@2020-01-01'::cdm.lifecycle > 'active@2030-01-01' AS gt,
       cdm.lifecycle_cmp('lead@2020-01-01', 'lead@2020-01-01') AS cmp_eq;
SELECT cdm.lifecycle_hash('lead@2020-01-01') = cdm.lifecycle_hash('lead@2020-01-01 01:00+01') AS hash_same_instant,
       cdm.lifecycle_hash('lead@2020-01-01') <> cdm.lifecycle_hash('lead@2020-01-02') AS hash_differs,
       cdm.lifecycle_hash_extended('lead@2020-01-01', 0) <> cdm.lifecycle_hash_extended('lead@2020-01-01', 1) AS seeded;
CREATE INDEX lc_btree ON lc (v);
CREATE INDEX lc_hash ON lc USING hash (v);
ANALYZE lc;
CREATE TEMP TABLE answers (scan text, q text, n bigint, ids text);
SET enable_seqscan = on; SET enable_indexscan = off; SET enable_bitmapscan = off;
INSERT INTO answers
SELECT 'seq', 'eq', count(*), string_agg(id::text, ',' ORDER BY id) FROM lc WHERE v = 'active@2025-03-01'
UNION ALL
SELECT 'seq', 'range', count(*), string_agg(id::text, ',' ORDER BY id) FROM lc
 WHERE v > 'onboarding@2025-03-01' AND v <= 'lapsed@2025-03-01';
SET enable_seqscan = off; SET enable_indexscan = on; SET enable_bitmapscan = on;
EXPLAIN (COSTS OFF) SELECT id FROM lc WHERE v = 'active@2025-03-01';
EXPLAIN (COSTS OFF) SELECT id FROM lc WHERE v > 'onboarding@2025-03-01' AND v <= 'lapsed@2025-03-01';
INSERT INTO answers
SELECT 'index', 'eq', count(*), string_agg(id::text, ',' ORDER BY id) FROM lc WHERE v = 'active@2025-03-01'
UNION ALL
SELECT 'index', 'range', count(*), string_agg(id::text, ',' ORDER BY id) FROM lc
 WHERE v > 'onboarding@2025-03-01' AND v <= 'lapsed@2025-03-01';
-- the hash index alone
DROP INDEX lc_btree;
EXPLAIN (COSTS OFF) SELECT id FROM lc WHERE v = 'active@2025-03-01';
INSERT INTO answers
SELECT 'hash', 'eq', count(*), string_agg(id::text, ',' ORDER BY id) FROM lc WHERE v = 'active@2025-03-01';
RESET enable_seqscan; RESET enable_indexscan; RESET enable_bitmapscan;
SELECT * FROM answers ORDER BY q, scan;
-- hash aggregation and a hash join agree with sorting
SET enable_sort = off;
SELECT count(*) AS groups, sum(n) AS rows FROM (SELECT v, count(*) AS n FROM lc GROUP BY v) g;
RESET enable_sort;
SET enable_hashagg = off;
SELECT count(*) AS groups, sum(n) AS rows FROM (SELECT v, count(*) AS n FROM lc GROUP BY v) g;
RESET enable_hashagg;
SET enable_mergejoin = off; SET enable_nestloop = off;
SELECT count(*) AS hash_join_pairs FROM lc a JOIN lc_back b ON a.v = b.v;
RESET enable_mergejoin; RESET enable_nestloop;
SET enable_hashjoin = off; SET enable_nestloop = off;
SELECT count(*) AS merge_join_pairs FROM lc a JOIN lc_back b ON a.v = b.v;
RESET enable_hashjoin; RESET enable_nestloop;

-- ------------------------------------------------------------------ transitions
-- Every move of the default model from a state entered on 2025-01-01.
CREATE FUNCTION pg_temp.try(f text, t text, react boolean) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  msg text; hint text;
BEGIN
  RETURN cdm.transition(cdm.lifecycle(f, '2025-01-01'), t, '2025-02-01', react)::text;
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS msg = MESSAGE_TEXT, hint = PG_EXCEPTION_HINT;
  RETURN SQLSTATE || ' ' || hint;
END $$;
SELECT f.s AS "from", t.s AS "to", pg_temp.try(f.s, t.s, false) AS result
  FROM unnest(ARRAY['prospect', 'lead', 'onboarding', 'active', 'lapsed', 'churned']) WITH ORDINALITY f(s, i),
       unnest(ARRAY['prospect', 'lead', 'onboarding', 'active', 'lapsed', 'churned']) WITH ORDINALITY t(s, j)
 ORDER BY f.i, t.j;
-- with reactivation => true: only churned -> active changes (normal moves stay allowed)
SELECT f.s AS "from", t.s AS "to", pg_temp.try(f.s, t.s, true) AS result
  FROM unnest(ARRAY['active', 'churned']) f(s), unnest(ARRAY['lapsed', 'active', 'prospect']) t(s)
 ORDER BY 1, 2;
-- The errors in full.
SELECT cdm.transition('lead@2025-01-10', 'active', '2025-02-01');
SELECT cdm.transition('churned@2025-01-10', 'active', '2025-02-01');
SELECT cdm.transition('churned@2025-01-10', 'active', '2025-02-01', reactivation => true) AS reactivated;
SELECT cdm.transition('active@2025-01-10', 'lead', '2025-02-01');
SELECT cdm.transition('lead@2025-01-10', 'onboarding', '2025-01-09');
SELECT cdm.transition('lead@2025-01-10', 'customer', '2025-02-01');
SELECT cdm.transition('lead@2025-01-10', 'onboarding', 'infinity');
-- the same stage: unchanged, entry kept; a move at the entry instant is allowed
SELECT cdm.transition('lead@2025-01-10', 'lead', '2025-06-01') AS same_stage,
       cdm.transition('lead@2025-01-10', 'onboarding', '2025-01-10') AS same_instant;
-- a chain
SELECT cdm.transition(cdm.transition(cdm.transition(cdm.transition(
         cdm.lifecycle('prospect', '2025-01-01'), 'lead', '2025-01-05'), 'onboarding', '2025-01-20'),
         'active', '2025-02-01'), 'lapsed', '2026-02-02') AS chain;

-- ---------------------------------------------------------------- stage models
-- a custom model, declared and used
SELECT cdm.declare_stage_model('retail', '{
  "stages": ["trial", "paying", "paused", "gone"],
  "transitions": [["trial", "paying"], ["paying", "paused"], ["paused", "paying"], ["paying", "gone"], ["paused", "gone"]],
  "reactivations": [["gone", "trial"]],
  "milestones": {"purchase": "paying", "contract_ended": "gone"},
  "reactivated_by": ["login"],
  "lapse": {"after": "30 days", "from": "paying", "to": "paused", "activity": ["purchase"]}
}');
SELECT name, model ->> 'initial' AS initial, declared_by = current_user AS by_me FROM cdm.stage_model ORDER BY name;
SELECT 'retail:paying@2025-03-01'::cdm.lifecycle AS retail,
       cdm.stage_model_of('retail:paying@2025-03-01') AS model,
       cdm.lifecycle('gone', '2025-03-01', 'retail') AS constructed;
SELECT cdm.transition('retail:gone@2025-03-01', 'trial', '2025-04-01', true) AS back_to_trial;
SELECT cdm.transition('retail:gone@2025-03-01', 'trial', '2025-04-01');
SELECT cdm.transition('retail:trial@2025-03-01', 'gone', '2025-04-01');
SELECT 'retail:active@2025-03-01'::cdm.lifecycle;
-- values of different models order by rank, then time, then model
SELECT v FROM (VALUES ('retail:paying@2025-01-01'::cdm.lifecycle), ('lead@2025-01-01'),
                      ('retail:trial@2025-06-01'), ('prospect@2025-06-01')) t(v) ORDER BY v;
-- Declaring the same model again does nothing; a different one under the name is refused.
\set SHOW_CONTEXT never
SELECT cdm.declare_stage_model('retail', '{
  "stages": ["trial", "paying", "paused", "gone"], "initial": "trial",
  "transitions": [["trial", "paying"], ["paying", "paused"], ["paused", "paying"], ["paying", "gone"], ["paused", "gone"]],
  "reactivations": [["gone", "trial"]],
  "milestones": {"contract_ended": "gone", "purchase": "paying"},
  "reactivated_by": ["login"],
  "lapse": {"after": "30 days", "from": "paying", "to": "paused", "activity": ["purchase"]}
}') AS again;
SELECT cdm.declare_stage_model('retail', '{"stages": ["trial", "paying"]}');
SELECT cdm.declare_stage_model('default', '{"stages": ["a"]}');
-- Validation errors name the key or the value.
SELECT cdm.declare_stage_model('m1', '{"stages": ["a", "b"], "transition": [["a", "b"]]}');
SELECT cdm.declare_stage_model('m1', '{"stages": ["a", "b"], "transitions": [["a", "c"]]}');
SELECT cdm.declare_stage_model('m1', '{"stages": ["a", "b"], "initial": "z"}');
SELECT cdm.declare_stage_model('m1', '{"stages": ["a", "b"], "milestones": {"signup": "b"}}');
SELECT cdm.declare_stage_model('m1', '{"stages": ["a", "b"], "milestones": {"login": "c"}}');
SELECT cdm.declare_stage_model('m1', '{"stages": ["a", "b"], "reactivated_by": ["logon"]}');
SELECT cdm.declare_stage_model('m1', '{"stages": ["a", "b"], "reactivated_by": "login"}');
SELECT cdm.declare_stage_model('m1', '{"stages": ["a", "b"], "lapse": {"after": "a year", "from": "a", "to": "b"}}');
SELECT cdm.declare_stage_model('m1', '{"stages": ["a", "b"], "lapse": {"after": "-1 day", "from": "a", "to": "b"}}');
SELECT cdm.declare_stage_model('m1', '{"stages": ["a", "b"], "lapse": {"after": 365, "from": "a", "to": "b"}}');
SELECT cdm.declare_stage_model('m1', '{"stages": ["a", "b"], "lapse": {"after": "1 day", "from": "a", "to": "a"}}');
SELECT cdm.declare_stage_model('m1', '{"stages": ["a", "b"], "lapse": {"after": "1 day", "form": "a", "to": "b"}}');
SELECT cdm.declare_stage_model('m1', '{"stages": ["a", "b"], "lapse": {"after": "1 day", "from": "a", "to": "b", "activity": ["nap"]}}');
SELECT cdm.declare_stage_model('m1', '{"stages": ["a", "a"]}');
SELECT cdm.declare_stage_model('m1', '{"stages": ["a", "B"]}');
SELECT cdm.declare_stage_model('m1', '{"stages": []}');
SELECT cdm.declare_stage_model('m1', '{"initial": "a"}');
SELECT cdm.declare_stage_model('m1', '{"stages": ["a", "b"], "transitions": [["a", "a"]]}');
SELECT cdm.declare_stage_model('m1', '{"stages": ["a", "b"], "transitions": [["a", "b"]], "reactivations": [["a", "b"]]}');
SELECT cdm.declare_stage_model('m1', '{"stages": ["a", "b"], "transitions": [["a", "b", "a"]]}');
SELECT cdm.declare_stage_model('m1', '["a", "b"]');
SELECT cdm.declare_stage_model('M1', '{"stages": ["a"]}');
SELECT cdm.declare_stage_model('m1', NULL);
SELECT cdm.declare_stage_model('m1', (SELECT jsonb_build_object('stages', jsonb_agg('s' || i)) FROM generate_series(1, 33) i));
SELECT count(*) AS models_after_errors FROM cdm.stage_model;
\set SHOW_CONTEXT errors
-- The SQLSTATEs.
CREATE FUNCTION pg_temp.sqlstate_of(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE q;
  RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE;
END $$;
SELECT q, pg_temp.sqlstate_of(q) AS sqlstate
  FROM (VALUES ($q$SELECT 'retail:nope@2025-01-01'::cdm.lifecycle$q$),
               ($q$SELECT 'nomodel:active@2025-01-01'::cdm.lifecycle$q$),
               ($q$SELECT 'active 2025-01-01'::cdm.lifecycle$q$),
               ($q$SELECT cdm.transition('lead@2025-01-10', 'active', '2025-02-01')$q$),
               ($q$SELECT cdm.declare_stage_model('retail', '{"stages": ["trial"]}')$q$),
               ($q$SELECT cdm.declare_stage_model('m2', '{"stages": ["a"], "colour": "red"}')$q$),
               ($q$SELECT cdm.declare_stage_model('m2', '{"stages": ["a"], "milestones": {"nap": "a"}}')$q$)) t(q);
-- 32 stages is the limit, and fits
SELECT cdm.declare_stage_model('wide', (SELECT jsonb_build_object('stages', jsonb_agg('s' || i ORDER BY i)) FROM generate_series(1, 32) i));
SELECT 'wide:s32@2025-01-01'::cdm.lifecycle > 'wide:s31@2030-01-01' AS top_rank;
-- a corrupt program is refused, not trusted
UPDATE cdm.stage_model SET program = substr(program, 1, 20) WHERE name = 'wide';
SELECT 'wide:s1@2025-01-01'::cdm.lifecycle;
SELECT pg_temp.sqlstate_of($q$SELECT 'wide:s1@2025-01-01'::cdm.lifecycle$q$) AS corrupt_sqlstate;
DELETE FROM cdm.stage_model WHERE name = 'wide';
SELECT cdm._stage_model_compile('{"stages": ["a", "b"], "milestones": [[0, "a"]]}');
SELECT cdm._stage_model_compile('{"stages": ["a", "b"], "milestones": [["x", "a"]]}');
SELECT cdm._stage_model_compile('"stages"');

-- ------------------------------------------------------------------ derivation
-- A timeline from 'YYYY-MM-DD milestone [scope]' strings.
CREATE FUNCTION pg_temp.tl(VARIADIC ev text[]) RETURNS bytea LANGUAGE sql AS $$
  SELECT cdm._timeline_from(coalesce(array_agg(split_part(e, ' ', 1)::timestamptz), '{}'),
                            coalesce(array_agg(cdm._milestone_id('test', split_part(e, ' ', 2))), '{}'),
                            coalesce(array_agg(coalesce(nullif(split_part(e, ' ', 3), ''), '0')::int), '{}'))
    FROM unnest(ev) e
$$;
CREATE FUNCTION pg_temp.st(events bytea, as_of text, scope int DEFAULT 0, born text DEFAULT '2024-01-01',
                           model text DEFAULT 'default') RETURNS cdm.lifecycle LANGUAGE sql AS $$
  SELECT cdm._timeline_stage(events, model, as_of::timestamptz, scope, born::timestamptz)
$$;
SELECT octet_length(pg_temp.tl('2025-01-02 login', '2025-01-01 lead_created')) AS two_events_bytes;
-- nothing happened: the initial stage since born; born after as_of: NULL
SELECT pg_temp.st(pg_temp.tl(VARIADIC '{}'), '2025-01-01') AS empty,
       pg_temp.st(pg_temp.tl(VARIADIC '{}'), '2023-12-31') IS NULL AS born_after_as_of,
       pg_temp.st(pg_temp.tl(VARIADIC '{}'), '2024-01-01') AS born_at_as_of;
-- the normal path, cut at several as_of
SELECT as_of, pg_temp.st(pg_temp.tl('2025-01-01 lead_created', '2025-02-01 onboarding_started',
                                    '2025-02-10 documents_submitted', '2025-03-01 onboarding_completed'), as_of) AS stage
  FROM unnest(ARRAY['2024-12-31', '2025-01-01', '2025-02-09', '2025-02-10', '2025-03-01', '2026-03-01', '2026-03-02']) as_of;
-- skipping: straight to active; and backwards is ignored
SELECT pg_temp.st(pg_temp.tl('2025-03-01 onboarding_completed'), '2025-06-01') AS skip_to_active,
       pg_temp.st(pg_temp.tl('2025-03-01 onboarding_completed', '2025-04-01 lead_created'), '2025-06-01') AS no_way_back;
-- lapse (365 days after the last activity) and coming back
SELECT as_of, pg_temp.st(pg_temp.tl('2025-01-01 onboarding_completed', '2025-06-01 invoice_paid',
                                    '2026-09-01 purchase'), as_of) AS stage
  FROM unnest(ARRAY['2026-06-01', '2026-06-01 00:00:00.000001', '2026-08-31', '2026-09-01', '2027-09-02']) as_of;
-- churned; onboarding_completed cannot reactivate, contract_signed can
SELECT pg_temp.st(pg_temp.tl('2025-01-01 onboarding_completed', '2025-05-01 contract_ended'), '2025-12-01') AS churned,
       pg_temp.st(pg_temp.tl('2025-01-01 onboarding_completed', '2025-05-01 contract_ended',
                             '2025-06-01 onboarding_completed', '2025-06-02 login'), '2025-12-01') AS still_churned,
       pg_temp.st(pg_temp.tl('2025-01-01 onboarding_completed', '2025-05-01 contract_ended',
                             '2025-07-01 contract_signed'), '2025-12-01') AS reactivated;
-- scope: 0 all; s: s and unscoped
SELECT scope, pg_temp.st(pg_temp.tl('2025-01-01 lead_created', '2025-02-01 onboarding_completed 1',
                                    '2025-03-01 contract_ended 2'), '2025-12-01', scope) AS stage
  FROM unnest(ARRAY[0, 1, 2, 3]) scope;
-- the custom model: lapse after 30 days, login reactivates gone -> trial
SELECT as_of, pg_temp.st(pg_temp.tl('2025-01-01 purchase', '2025-01-20 purchase', '2025-03-01 contract_ended',
                                    '2025-04-01 login'), as_of, model => 'retail') AS stage
  FROM unnest(ARRAY['2025-02-19', '2025-02-20', '2025-03-01', '2025-04-01']) as_of;
-- errors
SELECT cdm._timeline_stage('\x0102', 'default', '2025-01-01', 0, '2024-01-01');
SELECT cdm._timeline_stage('\x', 'nope', '2025-01-01', 0, '2024-01-01');
SELECT cdm._timeline_stage('\x', 'default', '2025-01-01', 0, '-infinity');
SELECT cdm._timeline_from('{2025-01-01}', '{1,2}', '{0}');
SELECT cdm._timeline_from('{2025-01-01}', '{0}', '{0}');
SELECT cdm._timeline_from('{2025-01-01}', '{NULL}', '{0}');

-- ---------------------------------------------------------------------- explain
SELECT jsonb_pretty(cdm._stage_explain(
  pg_temp.tl('2025-01-01 lead_created', '2025-02-01 onboarding_completed', '2025-02-15 documents_submitted',
             '2025-03-01 lead_created', '2025-05-01 login', '2026-09-01 contract_ended',
             '2026-10-01 onboarding_completed', '2026-11-01 contract_signed', '2027-12-01 login'),
  'default', '2027-12-31', 0, '2024-12-01'));
SELECT cdm._stage_explain(pg_temp.tl('2025-01-01 lead_created'), 'default', '2024-06-01', 0, '2024-12-01') AS born_after_as_of;

-- ----------------------------------------------------------------- volatility
SELECT p.proname, p.provolatile, p.proparallel, p.proisstrict
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname = 'cdm'
   AND (p.proname LIKE 'lifecycle%' OR p.proname IN ('stage', 'entered_at', 'stage_model_of', 'transition',
        '_timeline_stage', '_stage_explain', '_timeline_from', '_stage_model_compile', 'declare_stage_model',
        '_stage_milestone_ids'))
 ORDER BY p.proname;
-- every object has a comment
SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname = 'cdm' AND obj_description(p.oid, 'pg_proc') IS NULL
   AND (p.proname LIKE '%lifecycle%' OR p.proname LIKE '%stage%' OR p.proname IN ('transition', 'entered_at', '_timeline_from'));
SELECT obj_description('cdm.lifecycle'::regtype, 'pg_type') IS NOT NULL AS type_comment,
       obj_description('cdm.stage_model'::regclass, 'pg_class') IS NOT NULL AS table_comment;
SELECT o.oid::regoperator AS undocumented
  FROM pg_operator o JOIN pg_namespace n ON n.oid = o.oprnamespace
 WHERE n.nspname = 'cdm' AND o.oprleft = 'cdm.lifecycle'::regtype
   AND obj_description(o.oid, 'pg_operator') IS NULL;
