-- Definitions of "active" side by side: versions, counts at a moment,
-- explanations, the difference between two definitions, the four-way
-- customer status per scope, populations (an acquired company's customers
-- under their own definition), merges counting once, the BI views, and
-- agreement with a plain-SQL reading of the rules on random data.
SET client_min_messages = warning;
SET TimeZone = 'UTC';
\pset null '(null)'

CREATE FUNCTION pg_temp.sqlstate_of(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE q;
  RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

-- Five customers of a telecom and one of Acme, the company it bought.
SELECT cdm.ingest('tc_crm', 'A', '{"given_name": "Ada", "family_name": "Quist", "email": "ada@tc.example"}') AS ada \gset
SELECT cdm.ingest('tc_crm', 'B', '{"given_name": "Ben", "family_name": "Ruiz", "email": "ben@tc.example"}') AS ben \gset
SELECT cdm.ingest('tc_crm', 'C', '{"given_name": "Cleo", "family_name": "Stone", "email": "cleo@tc.example"}') AS cleo \gset
SELECT cdm.ingest('tc_crm', 'D', '{"given_name": "Dev", "family_name": "Tran", "email": "dev@tc.example"}') AS dev \gset
SELECT cdm.ingest('tc_web', 'E', '{"given_name": "Eli", "family_name": "Umar", "email": "eli@tc.example"}') AS eli \gset
SELECT cdm.ingest('acme_crm', 'F', '{"given_name": "Fay", "family_name": "Vogel", "email": "fay@acme.example"}') AS fay \gset

-- Ada: fully onboarded, pays monthly until May.  Ben: onboarded, paid once
-- in January, then silence.  Cleo: onboarded, ready, contract ended in
-- April.  Dev: documents only (onboarding never completed), logs in.
-- Eli: a lead in the mobile line.  Fay: an Acme customer who pays.
SELECT count(*) AS recorded FROM (
  SELECT cdm.record_milestone(e, m, at::timestamptz, src, scope => sc)
    FROM (VALUES
      (:ada, 'documents_submitted', '2025-01-02', 'crm', NULL),
      (:ada, 'onboarding_completed', '2025-01-05', 'crm', NULL),
      (:ada, 'ready_for_service', '2025-01-06', 'ops', 'broadband'),
      (:ada, 'contract_signed', '2025-01-05', 'crm', 'broadband'),
      (:ada, 'invoice_paid', '2025-02-01', 'billing', 'broadband'),
      (:ada, 'invoice_paid', '2025-03-01', 'billing', 'broadband'),
      (:ada, 'invoice_paid', '2025-04-01', 'billing', 'broadband'),
      (:ada, 'invoice_paid', '2025-05-01', 'billing', 'broadband'),
      (:ben, 'documents_submitted', '2025-01-03', 'crm', NULL),
      (:ben, 'onboarding_completed', '2025-01-10', 'crm', NULL),
      (:ben, 'contract_signed', '2025-01-10', 'crm', 'broadband'),
      (:ben, 'invoice_paid', '2025-01-31', 'billing', 'broadband'),
      (:cleo, 'documents_submitted', '2024-11-01', 'crm', NULL),
      (:cleo, 'onboarding_completed', '2024-11-02', 'crm', NULL),
      (:cleo, 'ready_for_service', '2024-11-03', 'ops', 'broadband'),
      (:cleo, 'contract_signed', '2024-11-02', 'crm', 'broadband'),
      (:cleo, 'invoice_paid', '2025-03-15', 'billing', 'broadband'),
      (:cleo, 'contract_ended', '2025-04-10', 'crm', 'broadband'),
      (:dev, 'documents_submitted', '2025-02-10', 'crm', NULL),
      (:dev, 'login', '2025-03-20', 'web', 'mobile'),
      (:eli, 'lead_created', '2025-03-01', 'web', 'mobile'),
      (:fay, 'contract_signed', '2024-06-01', 'acme_erp', NULL),
      (:fay, 'invoice_paid', '2025-03-20', 'acme_erp', NULL)
    ) v(e, m, at, src, sc)) x;

-- 1. Three teams, three definitions
SELECT cdm.define_active('finance', '{"all": ["contract_signed"], "none": ["contract_ended"],
                                      "activity_within": "60 days", "activity": ["invoice_paid"],
                                      "exclude_sources": ["acme_crm"]}') AS finance_v;
SELECT cdm.define_active('sales', '{"all": ["onboarding_completed", "documents_submitted"],
                                    "none": ["contract_ended"]}') AS sales_v;
SELECT cdm.define_active('operations', '{"all": ["ready_for_service"], "activity_within": "1 year"}') AS operations_v;
SELECT cdm.define_active('acme', '{"activity_within": "90 days", "activity": ["invoice_paid"],
                                   "sources": ["acme_crm"]}') AS acme_v;
SELECT name, version, scope, sources, exclude_sources FROM cdm.active_definition
 WHERE name IN ('finance', 'sales', 'operations', 'acme') ORDER BY name, version;

-- 2. Who is active on 31 March 2025, under each
SELECT p.who, d.def, cdm.is_active(p.id, d.def, '2025-03-31 23:59:59')
  FROM (VALUES ('ada', :ada), ('ben', :ben), ('cleo', :cleo), ('dev', :dev), ('eli', :eli), ('fay', :fay)) p(who, id)
 CROSS JOIN unnest(ARRAY['finance', 'sales', 'operations', 'acme']) d(def)
 ORDER BY d.def, p.who;
-- the counts: three answers to "how many active customers?" (plus Acme's)
SELECT d.def, cdm.active_count(d.def, '2025-03-31 23:59:59') AS active
  FROM unnest(ARRAY['finance', 'sales', 'operations', 'acme']) d(def) ORDER BY d.def;
-- the counts agree with is_active over the live entities
SELECT d.def,
       cdm.active_count(d.def, '2025-03-31 23:59:59')
       = (SELECT count(*) FROM cdm.entity e
           WHERE e.merged_into IS NULL AND cdm.is_active(e.id, d.def, '2025-03-31 23:59:59')) AS agree
  FROM unnest(ARRAY['finance', 'sales', 'operations', 'acme']) d(def) ORDER BY d.def;

-- 3. Point in time: milestones after as_of do not count
SELECT m.at, cdm.active_count('finance', m.at) AS finance, cdm.active_count('sales', m.at) AS sales
  FROM unnest(ARRAY['2024-12-31', '2025-01-31', '2025-04-30', '2025-06-30', '2025-08-31']::timestamptz[]) m(at);
SELECT * FROM cdm.active_counts('finance', ARRAY['2024-12-31', '2025-01-31', '2025-04-30', '2025-06-30', '2025-08-31']::timestamptz[]);

-- 4. Why: Ben under finance on 31 March (his last payment was 59 days
--    before midnight of 31 March, 60 days before 1 April)
SELECT jsonb_pretty(cdm.why_active(:ben, 'finance', '2025-03-31 23:59:59') - 'entity');
SELECT cdm.is_active(:ben, 'finance', '2025-04-01 00:00:01') AS ben_on_1_april;
-- Cleo under sales after her contract ended
SELECT jsonb_pretty(cdm.why_active(:cleo, 'sales', '2025-04-30') - 'entity');
-- Fay: outside the finance population, inside Acme's
SELECT cdm.why_active(:fay, 'finance', '2025-03-31') -> 'in_population' AS fay_in_finance,
       cdm.why_active(:fay, 'acme', '2025-03-31') -> 'in_population' AS fay_in_acme;

-- 5. The reconciliation of finance and sales: who is in one count and not
--    the other, and why
SELECT CASE x.entity WHEN :ada THEN 'ada' WHEN :ben THEN 'ben' WHEN :cleo THEN 'cleo'
                     WHEN :dev THEN 'dev' WHEN :eli THEN 'eli' WHEN :fay THEN 'fay' END AS who,
       x.active_a AS finance, x.active_b AS sales,
       x.why_a -> 'activity' -> 'met' AS finance_activity_met,
       x.why_b -> 'all' -> 'met' AS sales_all_met
  FROM cdm.active_diff('finance', 'sales', '2025-04-30') x;
SELECT cdm.active_count('finance', '2025-04-30') - cdm.active_count('sales', '2025-04-30') AS difference,
       (SELECT count(*) FILTER (WHERE active_a) - count(*) FILTER (WHERE active_b)
          FROM cdm.active_diff('finance', 'sales', '2025-04-30')) AS explained;

-- 6. Versions: a redefinition keeps the old one for past reports
SELECT cdm.define_active('finance', '{"all": ["contract_signed"], "none": ["contract_ended"],
                                      "activity_within": "60 days", "activity": ["invoice_paid"],
                                      "exclude_sources": ["acme_crm"]}') AS same_rule_same_version;
SELECT cdm.define_active('finance', '{"all": ["contract_signed"], "none": ["contract_ended"],
                                      "activity_within": "90 days", "activity": ["invoice_paid"],
                                      "exclude_sources": ["acme_crm"]}') AS wider_window_version;
SELECT cdm.active_count('finance', '2025-04-30') AS finance_now, cdm.active_count('finance@1', '2025-04-30') AS finance_v1,
       cdm.active_count('finance@2', '2025-04-30') AS finance_v2;
SELECT name, version FROM cdm.active_definition_current WHERE name IN ('finance', 'sales') ORDER BY name;

-- 7. Scopes: a definition read in one line of business; the four questions
SELECT cdm.define_active('broadband', '{"all": ["contract_signed"], "none": ["contract_ended"],
                                        "activity_within": "90 days", "activity": ["invoice_paid", "login"],
                                        "scope": "broadband"}') AS broadband_v;
SELECT cdm.active_count('broadband', '2025-04-30') AS broadband_active;
SELECT CASE s.entity WHEN :ada THEN 'ada' WHEN :ben THEN 'ben' WHEN :cleo THEN 'cleo'
                     WHEN :dev THEN 'dev' WHEN :eli THEN 'eli' WHEN :fay THEN 'fay' END AS who,
       s.scope, s.status
  FROM cdm.customer_status('broadband', '2025-04-30') s
 WHERE s.entity IN (:ada, :ben, :cleo, :dev, :eli, :fay)
 ORDER BY who, s.scope;

-- 8. Merged entities count once: Ben and Ada merged (a steward found they
--    are one household account) -> one active customer under sales
SELECT cdm.active_count('sales', '2025-04-30') AS sales_before;
SELECT cdm.merge(:ada, :ben, 'one account') = :ada AS ada_survives;
SELECT cdm.active_count('sales', '2025-04-30') AS sales_after,
       cdm.is_active(:ben, 'sales', '2025-04-30') AS ben_id_follows;
SELECT cdm.unmerge('tc_crm', 'B', 'two people after all') = :ben AS ben_back;
SELECT cdm.active_count('sales', '2025-04-30') AS sales_unmerged;

-- 9. The BI views read as plain tables
SELECT count(*) = 24 * (SELECT count(*) FROM cdm.active_definition_current) AS monthly_rows,
       bool_and(active = cdm.active_count(definition || '@' || version, as_of)) AS monthly_agree,
       min(month) = (date_trunc('month', now()) - interval '23 months')::date AS from_23_months_ago
  FROM cdm.active_monthly;
SELECT definition, count(*) FILTER (WHERE active) = cdm.active_count(definition, now()) AS agree
  FROM cdm.customer_active GROUP BY definition ORDER BY definition;
SELECT a.definition_a, a.definition_b,
       a.both_active + a.only_a = cdm.active_count(a.definition_a, now())
       AND a.both_active + a.only_b = cdm.active_count(a.definition_b, now()) AS agree
  FROM cdm.active_reconciliation a WHERE a.definition_a IN ('finance', 'sales') ORDER BY 1, 2;
SELECT status, count(*) > 0 AS present FROM cdm.customer_status_now
 WHERE definition = 'sales' GROUP BY status ORDER BY status;
-- no composite or internal types in the views
SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod)
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'cdm' AND c.relname IN ('active_monthly', 'customer_active', 'customer_status_now', 'active_reconciliation')
   AND a.attnum > 0
 ORDER BY c.relname, a.attnum;

-- 10. Errors
SELECT pg_temp.sqlstate_of($$SELECT cdm.define_active('x', '{"alll": ["login"]}')$$);
SELECT pg_temp.sqlstate_of($$SELECT cdm.define_active('x', '{"activity_within": "ninety days"}')$$);
SELECT pg_temp.sqlstate_of($$SELECT cdm.define_active('x', '{"activity_within": "-3 days"}')$$);
SELECT pg_temp.sqlstate_of($$SELECT cdm.define_active('x', '{"activity_within": 90}')$$);
SELECT pg_temp.sqlstate_of($$SELECT cdm.define_active('x', '{"all": ["invoice_payed"]}')$$);
SELECT pg_temp.sqlstate_of($$SELECT cdm.define_active('x', '{"all": "login"}')$$);
SELECT pg_temp.sqlstate_of($$SELECT cdm.define_active('x', '{"none": ["contract_ended"]}')$$);
SELECT pg_temp.sqlstate_of($$SELECT cdm.define_active('x', '{"all": ["login"], "none": ["login"]}')$$);
SELECT pg_temp.sqlstate_of($$SELECT cdm.define_active('x', '{"all": ["login"], "sources": ["a"], "exclude_sources": ["b"]}')$$);
SELECT pg_temp.sqlstate_of($$SELECT cdm.define_active('Finance Team', '{"all": ["login"]}')$$);
SELECT pg_temp.sqlstate_of($$SELECT cdm.define_active('x', '["login"]')$$);
SELECT pg_temp.sqlstate_of($$SELECT cdm.active_count('marketing')$$);
SELECT pg_temp.sqlstate_of($$SELECT cdm.active_count('finance@9')$$);
SELECT pg_temp.sqlstate_of($$SELECT cdm.active_count('finance', 'infinity')$$);
SELECT pg_temp.sqlstate_of($$SELECT cdm.is_active(-1, 'finance')$$);
SELECT cdm.is_active(NULL, 'finance') AS null_entity, cdm.active_count(NULL) AS null_definition;
SELECT count(*) AS none_defined_x FROM cdm.active_definition WHERE name = 'x';

-- 11. Agreement on random data: 300 entities with random milestones over
--     two years, five rules, ten moments: the evaluator against the rules
--     read literally in SQL over cdm.milestone
SELECT setseed(0.7);
CREATE TEMP TABLE rnd_people AS
SELECT cdm.ingest('rnd', 'P' || i, jsonb_build_object('given_name', 'Rnd' || i, 'family_name', 'Person' || i,
                                                         'email', 'p' || i || '@rnd.example')) AS entity
  FROM generate_series(1, 300) i;
CREATE TEMP TABLE rnd_feed AS
SELECT p.entity,
       (ARRAY['onboarding_completed', 'documents_submitted', 'invoice_paid', 'login', 'contract_ended', 'purchase'])[1 + floor(random() * 6)::int] AS milestone,
       timestamptz '2024-01-01' + random() * interval '730 days' AS at,
       'rnd' AS source,
       (ARRAY[NULL, 'broadband', 'mobile'])[1 + floor(random() * 3)::int] AS scope
  FROM rnd_people p, generate_series(1, 1 + floor(random() * 8)::int) g;
SELECT cdm.load_milestones('rnd_feed') = 300 AS loaded_all;
CREATE TEMP TABLE rnd_rules (name text, rule jsonb);
INSERT INTO rnd_rules VALUES
  ('r_all', '{"all": ["onboarding_completed", "documents_submitted"]}'),
  ('r_any_none', '{"any": ["invoice_paid", "purchase"], "none": ["contract_ended"]}'),
  ('r_window', '{"all": ["onboarding_completed"], "activity_within": "45 days", "activity": ["invoice_paid", "login"]}'),
  ('r_any_activity', '{"activity_within": "3 months"}'),
  ('r_scoped', '{"any": ["purchase"], "activity_within": "120 days", "scope": "mobile"}');
SELECT count(*) AS defined FROM (SELECT cdm.define_active(name, rule) FROM rnd_rules) x;
CREATE FUNCTION pg_temp.literal(e bigint, rule jsonb, t timestamptz) RETURNS boolean LANGUAGE sql AS $$
  WITH ev AS (
    SELECT mt.name, m.at FROM cdm.milestone m JOIN cdm.milestone_type mt ON mt.id = m.milestone
     LEFT JOIN cdm.lifecycle_scope s ON s.id = m.scope
     WHERE m.entity = e AND m.at <= t
       AND (rule ->> 'scope' IS NULL OR m.scope IS NULL OR s.name = rule ->> 'scope'))
  SELECT NOT EXISTS (SELECT 1 FROM jsonb_array_elements_text(coalesce(rule -> 'all', '[]')) a
                      WHERE NOT EXISTS (SELECT 1 FROM ev WHERE ev.name = a))
     AND (rule -> 'any' IS NULL OR EXISTS (SELECT 1 FROM ev WHERE ev.name IN (SELECT jsonb_array_elements_text(rule -> 'any'))))
     AND NOT EXISTS (SELECT 1 FROM ev WHERE ev.name IN (SELECT jsonb_array_elements_text(coalesce(rule -> 'none', '[]'))))
     AND (rule -> 'activity_within' IS NULL
          OR EXISTS (SELECT 1 FROM ev WHERE ev.at > t - (rule ->> 'activity_within')::interval
                        AND (rule -> 'activity' IS NULL OR ev.name IN (SELECT jsonb_array_elements_text(rule -> 'activity')))))
$$;
SELECT r.name, count(*) AS checks,
       count(*) FILTER (WHERE cdm.is_active(p.entity, r.name, m.at) IS DISTINCT FROM pg_temp.literal(p.entity, r.rule, m.at)) AS disagree,
       count(*) FILTER (WHERE cdm.is_active(p.entity, r.name, m.at)) BETWEEN 10 AND 2990 AS both_answers_seen
  FROM rnd_rules r CROSS JOIN rnd_people p
 CROSS JOIN generate_series(timestamptz '2024-03-01', '2026-01-01', interval '73 days') m(at)
 GROUP BY r.name ORDER BY r.name;
-- why_active agrees with is_active; active_counts with active_count
SELECT count(*) FILTER (WHERE (cdm.why_active(p.entity, r.name, '2025-06-30') ->> 'active')::boolean
                              IS DISTINCT FROM cdm.is_active(p.entity, r.name, '2025-06-30')) AS why_disagrees
  FROM rnd_rules r CROSS JOIN rnd_people p;
SELECT r.name, bool_and(c.active = cdm.active_count(r.name, c.as_of)) AS counts_agree
  FROM rnd_rules r
 CROSS JOIN LATERAL cdm.active_counts(r.name, ARRAY(SELECT generate_series(timestamptz '2024-03-01', '2026-01-01', interval '73 days'))) c
 GROUP BY r.name ORDER BY r.name;
