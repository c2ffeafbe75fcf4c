-- Relationships, organisations, households and accounts: typed, dated
-- relationships following merges and unmerges, legal-form-free
-- organisation names, the subsidiary hierarchy and its roll-ups, buying
-- teams, households from address history with move dates.  Entity ids are
-- captured with \gset (other suites ran before in this database) and shown
-- by name through pg_temp.n.
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
CREATE TEMP TABLE ent (name text PRIMARY KEY, id bigint UNIQUE);
-- the error, with the entity ids of ent shown by name
CREATE FUNCTION pg_temp.err(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  msg text := pg_temp.sqlstate_of(q);
  e record;
BEGIN
  FOR e IN SELECT name, id FROM ent ORDER BY length(id::text) DESC, id LOOP
    msg := regexp_replace(msg, '(entit(?:y|ies) |and |of |so |\()' || e.id || '\M', '\1' || e.name, 'g');
    msg := regexp_replace(msg, '(\m)' || e.id || '( subsidiary_of )', '\1' || e.name || '\2', 'g');
    msg := regexp_replace(msg, '( subsidiary_of )' || e.id || '\M', '\1' || e.name, 'g');
  END LOOP;
  RETURN msg;
END $$;
CREATE FUNCTION pg_temp.n(e bigint) RETURNS text LANGUAGE sql AS
$$ SELECT coalesce((SELECT name FROM ent WHERE id = e), CASE WHEN e IS NOT NULL THEN 'other' END) $$;
CREATE FUNCTION pg_temp.ns(es bigint[]) RETURNS text LANGUAGE sql AS
$$ SELECT string_agg(pg_temp.n(x), ',' ORDER BY o) FROM unnest(es) WITH ORDINALITY u(x, o) $$;

-- 1. Declared types
SELECT name, from_kind, to_kind, inverse, buying_role, hierarchy FROM cdm.relationship_type ORDER BY name;

-- 2. People and organisations (an organisation has an organisation_name)
SELECT cdm.ingest('rel_crm', 'P1', '{"given_name": "Adelheid", "family_name": "Marwick", "email": "adelheid.marwick@rel.example"}') AS ada \gset
SELECT cdm.ingest('rel_crm', 'P2', '{"given_name": "Bartholomew", "family_name": "Ngata", "email": "b.ngata@rel.example"}') AS ben \gset
SELECT cdm.ingest('rel_crm', 'P3', '{"given_name": "Clementine", "family_name": "Oyelaran", "email": "c.oyelaran@rel.example"}') AS cleo \gset
SELECT cdm.ingest('rel_crm', 'O1', '{"organisation_name": "Acme Holdings Ltd", "domain": "acme-holdings.example"}') AS holding \gset
SELECT cdm.ingest('rel_crm', 'O2', '{"organisation_name": "ACME, Inc.", "domain": "acme.example"}') AS acme \gset
SELECT cdm.ingest('rel_crm', 'O3', '{"organisation_name": "Acme Europe GmbH"}') AS europe \gset
SELECT cdm.ingest('rel_crm', 'O4', '{"organisation_name": "Acme France S.A.S."}') AS france \gset
SELECT cdm.ingest('rel_crm', 'O5', '{"organisation_name": "Beta Widgets Ltd"}') AS beta \gset
SELECT cdm.ingest('rel_crm', 'O6', '{"organisation_name": "Omega Group plc"}') AS omega \gset
INSERT INTO ent VALUES ('ada', :ada), ('ben', :ben), ('cleo', :cleo), ('holding', :holding), ('acme', :acme),
                       ('europe', :europe), ('france', :france), ('beta', :beta), ('omega', :omega);
SELECT count(DISTINCT id) AS distinct_entities FROM ent;
SELECT name, cdm.entity_kind(id) AS kind FROM ent ORDER BY id;
SELECT cdm.entity_kind(NULL) AS null_kind, cdm.entity_kind(-1) AS unknown_kind;

-- 3. Relating; the same relationship again is recorded once
SELECT cdm.relate(:ada, :acme, 'employee_of', '2024-01-01', source => 'crm') AS r_ada_emp \gset
SELECT cdm.relate(:ada, :acme, 'decision_maker_for', '2024-02-01', source => 'crm') AS r_ada_dm \gset
SELECT cdm.relate(:ben, :acme, 'influencer_for', '2024-03-01', source => 'crm') AS r_ben_inf \gset
SELECT cdm.relate(:ben, :cleo, 'caregiver_of', '2023-05-01', source => 'care') AS r_ben_care \gset
SELECT cdm.relate(:ada, :acme, 'employee_of', '2024-01-01', source => 'crm') = :r_ada_emp AS same_again;
SELECT cdm.relate(:ada, :acme, 'employee_of', '2024-06-01', '2024-07-01', 'hr') = :r_ada_emp AS covered_period;
SELECT count(*) AS ada_rows FROM cdm.relationship WHERE from_entity = :ada;
SELECT type, role, direction, pg_temp.n(other_entity) AS other, valid_from, valid_to, source
  FROM cdm.relationships(:ada, NULL);
SELECT type, role, direction, pg_temp.n(other_entity) AS other, valid_from
  FROM cdm.relationships(:acme);
SELECT type, role, direction, pg_temp.n(other_entity) AS other FROM cdm.relationships(:acme, '2024-02-15');
SELECT type, role, direction, pg_temp.n(other_entity) AS other FROM cdm.relationships(:cleo);
SELECT count(*) AS before_any FROM cdm.relationships(:acme, '2023-12-31');
SELECT count(*) AS null_entity FROM cdm.relationships(NULL);

-- 4. Ending: the period is [valid_from, at); an end can only come forward
SELECT cdm.end_relationship(:r_ben_inf, '2025-06-01', 'left the project') = :r_ben_inf AS ended;
SELECT valid_to, ended_by = current_user AS by_me, end_reason FROM cdm.relationship WHERE id = :r_ben_inf;
SELECT type, pg_temp.n(other_entity) AS other FROM cdm.relationships(:acme, '2025-05-31 23:59:59');
SELECT type, pg_temp.n(other_entity) AS other FROM cdm.relationships(:acme, '2025-06-01');
SELECT cdm.end_relationship(:r_ben_inf, '2025-05-01') = :r_ben_inf AS brought_forward;
SELECT replace(pg_temp.sqlstate_of($$SELECT cdm.end_relationship($$ || :r_ben_inf || $$, '2025-07-01')$$),
               'relationship ' || :r_ben_inf || ' ', 'relationship r_ben_inf ') AS sqlstate_of;
SELECT replace(pg_temp.sqlstate_of($$SELECT cdm.end_relationship($$ || :r_ben_inf || $$, '2020-01-01')$$),
               'relationship ' || :r_ben_inf || ' ', 'relationship r_ben_inf ') AS sqlstate_of;
SELECT replace(pg_temp.sqlstate_of($$SELECT cdm.end_relationship($$ || :r_ben_inf || $$, 'infinity')$$),
               'relationship ' || :r_ben_inf || ' ', 'relationship r_ben_inf ') AS sqlstate_of;
SELECT pg_temp.sqlstate_of($$SELECT cdm.end_relationship(-1)$$);
SELECT pg_temp.sqlstate_of($$SELECT cdm.end_relationship(NULL)$$);
-- a relationship that ended may be recorded again for a later period
SELECT cdm.relate(:ben, :acme, 'influencer_for', '2025-09-01') <> :r_ben_inf AS new_period;

-- 5. Errors
SELECT pg_temp.err($$SELECT cdm.relate($$ || :ada || $$, $$ || :acme || $$, 'employe_of')$$);
SELECT pg_temp.err($$SELECT cdm.relate($$ || :acme || $$, $$ || :ada || $$, 'employee_of')$$);
SELECT pg_temp.err($$SELECT cdm.relate($$ || :ada || $$, $$ || :ben || $$, 'subsidiary_of')$$);
SELECT pg_temp.err($$SELECT cdm.relate($$ || :ada || $$, $$ || :ada || $$, 'caregiver_of')$$);
SELECT pg_temp.err($$SELECT cdm.relate($$ || :ada || $$, -1, 'caregiver_of')$$);
SELECT pg_temp.err($$SELECT cdm.relate(NULL, 1, 'caregiver_of')$$);
SELECT pg_temp.err($$SELECT cdm.relate($$ || :ada || $$, $$ || :ben || $$, 'caregiver_of', NULL)$$);
SELECT pg_temp.err($$SELECT cdm.relate($$ || :ada || $$, $$ || :ben || $$, 'caregiver_of', '2025-01-01', '2024-01-01')$$);
SELECT pg_temp.err($$SELECT cdm.relate($$ || :ada || $$, $$ || :ben || $$, 'caregiver_of', 'infinity')$$);
SELECT pg_temp.sqlstate_of($$SELECT cdm.relationships(-1)$$);
-- valid_to infinity means open
SELECT cdm.relate(:cleo, :ben, 'caregiver_of', '2024-01-01', 'infinity') AS r_cleo_care \gset
SELECT valid_to FROM cdm.relationship WHERE id = :r_cleo_care;

-- 6. Merges and unmerges: Dashiell (crm, shown as dan) and Mira (billing, shown as dana) are
--    merged by a steward, then told apart again
SELECT cdm.ingest('rel_crm', 'P4', '{"given_name": "Dashiell", "family_name": "Thornquist", "email": "d.thornquist@rel.example"}') AS dan \gset
SELECT cdm.ingest('rel_billing', 'B4', '{"given_name": "Mira", "family_name": "Whitfield", "email": "mira.w@rel.example"}') AS dana \gset
INSERT INTO ent VALUES ('dan', :dan), ('dana', :dana);
SELECT :dan < :dana AS dan_older;
SELECT cdm.relate(:dan, :acme, 'user_of', '2024-04-01') AS r_dan_user \gset
SELECT cdm.relate(:dana, :cleo, 'caregiver_of', '2024-05-01') AS r_dana_care \gset
SELECT cdm.merge(:dan, :dana, 'same person') = :dan AS merged;
-- both show on the survivor, also when asked by the merged-away id
SELECT type, direction, pg_temp.n(other_entity) AS other, pg_temp.n(from_entity) AS recorded_from
  FROM cdm.relationships(:dana);
SELECT pg_temp.n(from_live) AS from_live, pg_temp.n(from_entity) AS recorded FROM cdm.relationship_resolved WHERE id = :r_dana_care;
-- relating the merged-away id records it on that id
SELECT cdm.relate(:dana, :beta, 'employee_of', '2024-06-01') AS r_dana_emp \gset
SELECT pg_temp.n(from_entity) AS recorded_on FROM cdm.relationship WHERE id = :r_dana_emp;
SELECT count(*) AS dan_now FROM cdm.relationships(:dan);
-- the unmerge revives Dana's id, which takes back what was recorded on it
SELECT cdm.unmerge('rel_billing', 'B4', 'two people after all') = :dana AS revived;
SELECT type, direction, pg_temp.n(other_entity) AS other FROM cdm.relationships(:dan);
SELECT type, direction, pg_temp.n(other_entity) AS other FROM cdm.relationships(:dana);

-- 7. A relationship whose two sides are merged into one entity: kept,
--    shown with direction self, refused as new, back after an unmerge
SELECT cdm.ingest('rel_crm', 'P5', '{"given_name": "Faustine", "family_name": "Moreau-Leclerc", "email": "faustine.ml@rel.example"}') AS fay \gset
SELECT cdm.ingest('rel_billing', 'B5', '{"given_name": "Gaspard", "family_name": "Moreau-Leclerc", "email": "gaspard.ml@rel.example"}') AS gus \gset
INSERT INTO ent VALUES ('fay', :fay), ('gus', :gus);
SELECT cdm.relate(:fay, :gus, 'caregiver_of', '2024-01-01') AS r_fay_gus \gset
SELECT cdm.merge(:fay, :gus, 'looked alike') = :fay AS merged;
SELECT type, role, direction, pg_temp.n(other_entity) AS other FROM cdm.relationships(:gus);
SELECT self FROM cdm.relationship_resolved WHERE id = :r_fay_gus;
SELECT pg_temp.err($$SELECT cdm.relate($$ || :fay || $$, $$ || :gus || $$, 'caregiver_of')$$);
SELECT cdm.unmerge('rel_billing', 'B5', 'mother and son') = :gus AS revived;
SELECT type, role, direction, pg_temp.n(other_entity) AS other FROM cdm.relationships(:gus);

-- 8. Organisation names
SELECT x AS name, cdm.org_name_norm(x) AS norm
  FROM unnest(ARRAY['ACME, Inc.', 'Acme Incorporated', 'acme corp', 'The Acme Company', 'Acme Co., Ltd.',
                    'Müller GmbH & Co. KG', 'Müller GmbH und Co KG', 'Johnson & Johnson', 'Johnson and Johnson',
                    'Nestlé S.A.', 'Nestle SA', 'Company Ltd', 'Siemens AG Österreich', 'J.P. Morgan Chase & Co.',
                    'PT Astra International Tbk', 'Grupo Bimbo, S.A.B. de C.V.', 'Volvo AB (publ)',
                    'Foo Sp. z o.o.', 'Widget Pty Ltd', 'Widget Pty. Limited', 'Fiat S.p.A.', 'Philips N.V.',
                    'Shell B.V.', 'Nokia Oyj', 'Maersk A/S', 'Toyota Motor Corporation', 'Sony Kabushiki Kaisha',
                    'ООО Ромашка', 'Ωμέγα Α.Ε.', 'ＡＣＭＥ　Ｉｎｃ', 'Café Crème S.à r.l.', 'Smith & Co',
                    'Inc', '', '  ', '&', 'Ltd.', 'Data & Analytics LLC', '3M Company', 'Acme Inc 😀']) x;
SELECT cdm.org_name_norm(NULL) AS null_in;
SELECT cdm.org_name_norm('ACME, Inc.') = cdm.org_name_norm('Acme Incorporated') AS acme_same,
       cdm.org_name_norm('Acme Holdings Ltd') = cdm.org_name_norm('Acme Inc') AS holding_same;
SELECT p.provolatile, p.proisstrict, p.proparallel FROM pg_proc p WHERE p.oid = 'cdm.org_name_norm(text)'::regprocedure;

-- 9. The hierarchy: acme under holding since 2020, europe under acme since
--    2022, france under europe since 2023; beta under holding until 2024,
--    then under omega
SELECT cdm.relate(:acme, :holding, 'subsidiary_of', '2020-01-01') IS NOT NULL AS ok;
SELECT cdm.relate(:europe, :acme, 'subsidiary_of', '2022-01-01') IS NOT NULL AS ok;
SELECT cdm.relate(:france, :europe, 'subsidiary_of', '2023-01-01') IS NOT NULL AS ok;
SELECT cdm.relate(:beta, :holding, 'subsidiary_of', '2020-01-01', '2024-01-01') IS NOT NULL AS ok;
SELECT cdm.relate(:beta, :omega, 'subsidiary_of', '2024-01-01') IS NOT NULL AS ok;
SELECT pg_temp.n(entity) AS entity, depth, pg_temp.ns(path) AS path FROM cdm.group_members(:holding, '2023-06-01');
SELECT pg_temp.n(entity) AS entity, depth, pg_temp.ns(path) AS path FROM cdm.group_members(:holding);
SELECT pg_temp.n(entity) AS entity, depth, pg_temp.ns(path) AS path FROM cdm.group_members(:holding, '2021-06-01');
SELECT pg_temp.n(entity) AS entity, depth FROM cdm.group_members(:europe);
SELECT pg_temp.n(entity) AS entity, depth FROM cdm.group_members(:omega);
SELECT pg_temp.n(cdm.group_root(:france)) AS france_root, pg_temp.n(cdm.group_root(:france, '2022-06-01')) AS france_2022,
       pg_temp.n(cdm.group_root(:beta, '2023-01-01')) AS beta_2023, pg_temp.n(cdm.group_root(:beta)) AS beta_now,
       pg_temp.n(cdm.group_root(:holding)) AS holding_root, pg_temp.n(cdm.group_root(:ada)) AS person_root;
SELECT cdm.group_root(NULL) AS null_root, count(*) AS null_members FROM cdm.group_members(NULL);
SELECT pg_temp.n(entity) AS entity, pg_temp.n(parent) AS parent FROM cdm.parent_links('2023-06-01')
 WHERE entity IN (SELECT id FROM ent) ORDER BY 1;
-- a link that would close a loop is refused, also when the loop would
-- start later in its period; one ending before the loop would form is not
SELECT pg_temp.err($$SELECT cdm.relate($$ || :holding || $$, $$ || :france || $$, 'subsidiary_of', '2024-01-01')$$);
SELECT pg_temp.err($$SELECT cdm.relate($$ || :holding || $$, $$ || :acme || $$, 'subsidiary_of', '2019-01-01')$$);
SELECT pg_temp.err($$SELECT cdm.relate($$ || :holding || $$, $$ || :france || $$, 'subsidiary_of', '2021-01-01', '2024-01-01')$$);
SELECT cdm.relate(:holding, :france, 'subsidiary_of', '2021-01-01', '2022-01-01') AS r_early \gset
SELECT pg_temp.n(cdm.group_root(:acme, '2021-06-01')) AS acme_root_2021, pg_temp.n(cdm.group_root(:acme, '2022-06-01')) AS acme_root_2022;
-- the flattened view (now)
SELECT pg_temp.n(root) AS root, pg_temp.n(entity) AS entity, pg_temp.n(parent) AS parent, depth,
       pg_temp.ns(path_ids) AS path, path = array_to_string(path_ids, '/') AS path_text_agrees
  FROM cdm.account_hierarchy WHERE root IN (:holding, :omega) ORDER BY root, path_ids;
-- two parents at once: the link that started last wins
SELECT cdm.relate(:france, :omega, 'subsidiary_of', '2025-01-01') AS r_france_omega \gset
SELECT pg_temp.n(cdm.group_root(:france)) AS france_root_now, pg_temp.n(cdm.group_root(:france, '2024-12-31')) AS before;
SELECT cdm.end_relationship(:r_france_omega, '2025-02-01') IS NOT NULL AS ended;
SELECT pg_temp.n(cdm.group_root(:france)) AS france_root_again;

-- a loop made by a merge: p under q, q under r; merging p and r makes them
-- each other's parent; reading terminates and names the smallest id
SELECT cdm.ingest('rel_crm', 'O7', '{"organisation_name": "Loop P Ltd"}') AS lp \gset
SELECT cdm.ingest('rel_crm', 'O8', '{"organisation_name": "Loop Q Ltd"}') AS lq \gset
SELECT cdm.ingest('rel_billing', 'O9', '{"organisation_name": "Loop R Ltd"}') AS lr \gset
INSERT INTO ent VALUES ('lp', :lp), ('lq', :lq), ('lr', :lr);
SELECT cdm.relate(:lp, :lq, 'subsidiary_of', '2020-01-01') IS NOT NULL AS ok;
SELECT cdm.relate(:lq, :lr, 'subsidiary_of', '2020-01-01') IS NOT NULL AS ok;
SELECT cdm.merge(:lp, :lr, 'same company') = :lp AS merged;
SELECT pg_temp.n(cdm.group_root(:lq)) AS root_q, pg_temp.n(cdm.group_root(:lr)) AS root_r;
SELECT pg_temp.n(entity) AS entity, depth, pg_temp.ns(path) AS path FROM cdm.group_members(:lp);
SELECT count(*) AS loop_in_view FROM cdm.account_hierarchy WHERE entity IN (:lp, :lq);
SELECT cdm.unmerge('rel_billing', 'O9', 'two companies') = :lr AS revived;
SELECT pg_temp.n(entity) AS entity, depth FROM cdm.group_members(:lr);

-- 10. Roll-ups under a definition of active: a purchase in the last year
SELECT cdm.define_active('rel_buyer', '{"any": ["purchase"], "activity_within": "365 days", "activity": ["purchase"]}') AS v;
SELECT cdm.record_milestone(:europe, 'purchase', '2024-05-01', 'erp') IS NOT NULL AS ok;
SELECT cdm.record_milestone(:ada, 'purchase', '2024-03-01', 'web') IS NOT NULL AS ok;
SELECT cdm.record_milestone(:dan, 'purchase', '2024-09-01', 'web') IS NOT NULL AS ok;
SELECT cdm.group_active_count(:holding, 'rel_buyer', '2024-06-01') AS orgs,
       cdm.group_active_count(:holding, 'rel_buyer', '2024-06-01', people => true) AS with_people,
       cdm.group_active_count(:holding, 'rel_buyer', '2024-10-01', people => true) AS october,
       cdm.group_active_count(:holding, 'rel_buyer', '2026-01-01', people => true) AS later,
       cdm.group_active_count(:omega, 'rel_buyer', '2024-06-01', true) AS omega;
-- account: any member active; or any member holding a role
SELECT cdm.account_is_active(:acme, 'rel_buyer', '2024-06-01') AS acme_any,
       cdm.account_is_active(:acme, 'rel_buyer', '2024-06-01', 'decision_maker_for') AS acme_dm,
       cdm.account_is_active(:acme, 'rel_buyer', '2024-06-01', 'influencer_for') AS acme_influencer,
       cdm.account_is_active(:acme, 'rel_buyer', '2024-02-01') AS acme_before_dm,
       cdm.account_is_active(:europe, 'rel_buyer', '2024-06-01') AS europe_itself,
       cdm.account_is_active(:europe, 'rel_buyer', '2024-06-01', 'user_of') AS europe_users,
       cdm.account_is_active(:acme, 'rel_buyer', '2024-10-01', 'user_of') AS acme_user_dan,
       cdm.account_is_active(NULL, 'rel_buyer') AS null_account;
SELECT pg_temp.n(entity) AS person, role FROM cdm.account_members(:acme, '2024-10-01');
-- the account's stage: one journey over the organisation and its people
SELECT cdm.record_milestone(:ben, 'lead_created', '2023-01-15', 'crm') IS NOT NULL AS ok;
SELECT cdm.record_milestone(:ada, 'onboarding_completed', '2024-04-01', 'crm') IS NOT NULL AS ok;
SELECT d AS as_of, cdm.account_stage(:acme, d) AS acme, cdm.account_stage(:acme, d, 'decision_maker_for') AS acme_dm,
       cdm.stage_at(:ada, d) AS ada, cdm.stage_at(:ben, d) AS ben
  FROM unnest(ARRAY[timestamptz '2023-06-01', '2024-06-01', '2026-06-01']) d;
SELECT cdm.account_stage(:omega, '2024-06-01') AS omega_no_milestones, cdm.account_stage(NULL) AS null_account;
SELECT pg_temp.sqlstate_of($$SELECT cdm.account_stage($$ || :acme || $$, now(), 'caregiver_of')$$);
SELECT pg_temp.sqlstate_of($$SELECT cdm.account_stage(-1)$$);
SELECT pg_temp.sqlstate_of($$SELECT cdm.account_is_active($$ || :acme || $$, 'rel_buyer', now(), 'subsidiary_of')$$);
SELECT pg_temp.sqlstate_of($$SELECT cdm.account_is_active($$ || :acme || $$, 'rel_buyer', now(), 'buyer_of')$$);
SELECT pg_temp.sqlstate_of($$SELECT cdm.account_is_active($$ || :acme || $$, 'no_such_definition')$$);
SELECT pg_temp.sqlstate_of($$SELECT cdm.group_active_count(-1, 'rel_buyer')$$);

-- 11. The buying team now
SELECT account_name, person_name, role, valid_from FROM cdm.buying_team WHERE account = :acme ORDER BY person_name, role;

-- 12. Declaring a type
SELECT cdm.declare_relationship_type('partner_of', 'organisation', 'organisation', 'partner_of', 'A reseller or alliance partner.') AS declared;
SELECT cdm.relate(:beta, :omega, 'partner_of', '2024-01-01') IS NOT NULL AS ok;
SELECT pg_temp.sqlstate_of($$SELECT cdm.declare_relationship_type('employee_of', 'person', 'organisation', 'has_employee')$$);
SELECT pg_temp.sqlstate_of($$SELECT cdm.declare_relationship_type('Bad Name', 'person', 'person', 'x')$$);
SELECT pg_temp.sqlstate_of($$SELECT cdm.declare_relationship_type('reports_to', 'person', 'robot', 'has_report')$$);
SELECT pg_temp.sqlstate_of($$SELECT cdm.declare_relationship_type('buys_for', 'person', 'person', 'has_buyer', NULL, true)$$);

-- 13. Household keys
SELECT cdm.household_key('12 North Main Street Apt 4') AS a,
       cdm.household_key('12 N. Main St., Apt. #4') AS b,
       cdm.household_key('12 Main St', 'Müller') AS with_family,
       cdm.household_key('12 Main St', '  ') AS blank_family,
       cdm.household_key('ул. Ленина 5', 'Петров') AS cyrillic;
SELECT cdm.household_key(NULL) IS NULL AS null_address, cdm.household_key('') IS NULL AS empty,
       cdm.household_key('  ', 'Smith') IS NULL AS blank, cdm.household_key('#.,', 'Smith') IS NULL AS nothing_left;

-- 14. Households from address history: the Petrovs and a lodger at 17
--     Quarry Lane since 2020 (the sources say so in moved_at)
SELECT cdm.ingest('rel_crm', 'H1', '{"given_name": "Hana", "family_name": "Petrov", "email": "hana.p@rel.example", "dob": "1980-02-03", "address": "17 Quarry Lane", "postcode": "4001", "city": "Springfield", "moved_at": "2020-01-01"}') AS hana \gset
SELECT cdm.ingest('rel_crm', 'H2', '{"given_name": "Ivo", "family_name": "Petrov", "email": "ivo.p@rel.example", "dob": "1978-11-30", "address": "17 Quarry Ln.", "postcode": "4001", "city": "Springfield", "moved_at": "2020-01-01"}') IS NOT NULL AS ingested;
-- same surname at the same address: the store may well link Ivo to Hana; a
-- steward tells them apart (a record already alone stays where it is)
SELECT cdm.unmerge('rel_crm', 'H2', 'Hana and Ivo are spouses') AS ivo \gset
SELECT cdm.ingest('rel_crm', 'H3', '{"given_name": "Jon", "family_name": "Smith", "email": "jon.s@rel.example", "dob": "1990-07-07", "address": "17 QUARRY LANE", "postcode": "4001", "city": "Springfield", "moved_at": "2020-06-01"}') AS jon \gset
SELECT cdm.ingest('rel_crm', 'H4', '{"given_name": "Kim", "family_name": "Ode", "email": "kim.o@rel.example", "dob": "1991-01-01", "address": "17 Quarry Lane", "postcode": "9999", "city": "Shelbyville", "moved_at": "2020-01-01"}') AS kim \gset
SELECT cdm.ingest('rel_crm', 'H5', '{"organisation_name": "Quarry Lane Bakery Ltd", "address": "17 Quarry Lane", "postcode": "4001", "city": "Springfield"}') AS bakery \gset
INSERT INTO ent VALUES ('hana', :hana), ('ivo', :ivo), ('jon', :jon), ('kim', :kim), ('bakery', :bakery);
SELECT count(DISTINCT id) AS distinct_entities FROM ent WHERE name IN ('hana', 'ivo', 'jon', 'kim', 'bakery');
CREATE TEMP VIEW ours AS
SELECT h.household, h.size, pg_temp.ns(h.members) AS members, h.as_of, h.surname
  FROM (SELECT x.*, a.as_of, s.surname
          FROM (VALUES (timestamptz '2019-06-01'), ('2020-03-01'), ('2025-02-01'), ('2025-04-01')) a(as_of)
         CROSS JOIN (VALUES (false), (true)) s(surname)
         CROSS JOIN LATERAL cdm.households(a.as_of, s.surname) x) h
 WHERE h.members && (SELECT array_agg(id) FROM ent);
SELECT household, size, members FROM ours WHERE as_of = '2020-03-01' AND NOT surname ORDER BY household;
SELECT household, size, members FROM ours WHERE as_of = '2025-02-01' AND NOT surname ORDER BY household;
SELECT household, size, members FROM ours WHERE as_of = '2025-02-01' AND surname ORDER BY household;
SELECT count(*) AS before_2020 FROM ours WHERE as_of = '2019-06-01';
-- Ivo moved out on 2025-03-01 (a new version of his record says so)
SELECT cdm.ingest('rel_crm', 'H2', '{"given_name": "Ivo", "family_name": "Petrov", "email": "ivo.p@rel.example", "dob": "1978-11-30", "address": "5 Harbour Road", "postcode": "4002", "city": "Springfield", "moved_at": "2025-03-01"}') = :ivo AS same_entity;
SELECT household, size, members FROM ours WHERE as_of = '2025-02-01' AND NOT surname ORDER BY household;
SELECT household, size, members FROM ours WHERE as_of = '2025-04-01' AND NOT surname ORDER BY household;
-- Jon moves without a date: from when the new version was ingested;
-- a moved_at that is not a date is ignored
SELECT clock_timestamp() AS before_jon_moved \gset
SELECT cdm.ingest('rel_crm', 'H3', '{"given_name": "Jon", "family_name": "Smith", "email": "jon.s@rel.example", "dob": "1990-07-07", "address": "1 Mill Street", "postcode": "4003", "city": "Springfield", "moved_at": "soon"}') = :jon AS same_entity;
SELECT pg_temp.ns(members) AS quarry_before FROM cdm.households(:'before_jon_moved') WHERE household = '17 quarry ln 4001 springfield';
SELECT pg_temp.ns(members) AS quarry_now FROM cdm.households() WHERE household = '17 quarry ln 4001 springfield';
SELECT pg_temp.ns(members) AS mill_now FROM cdm.household WHERE household = '1 mill st 4003 springfield';
-- the stays, for BI
SELECT household, pg_temp.n(entity) AS entity, since, until IS NULL AS current, until = '2025-03-01' AS until_move
  FROM cdm.household_members WHERE entity IN (:hana, :ivo, :kim) ORDER BY entity, since;
SELECT count(*) AS jon_stays, count(*) FILTER (WHERE until IS NULL) AS jon_current,
       min(until) > :'before_jon_moved' AS moved_after_capture
  FROM cdm.household_members WHERE entity = :jon;
SELECT count(*) AS bakery_rows FROM cdm.household_members WHERE entity = :bakery;
SELECT count(*) AS null_as_of FROM cdm.households(NULL);

-- a merge puts both people's addresses on one entity: the latest wins
SELECT cdm.ingest('rel_crm', 'H6', '{"given_name": "Lea", "family_name": "Brandt", "email": "lea.b@rel.example", "address": "8 Elm Court", "postcode": "4001", "city": "Springfield", "moved_at": "2021-01-01"}') AS lea \gset
SELECT cdm.ingest('rel_billing', 'H7', '{"given_name": "Lea", "family_name": "Brandt-Ross", "email": "lea.ross@rel.example", "address": "17 Quarry Lane", "postcode": "4001", "city": "Springfield", "moved_at": "2022-01-01"}') AS lea2 \gset
SELECT cdm.merge(:lea, :lea2, 'married name') AS lea_now \gset
INSERT INTO ent VALUES ('lea', :lea_now);
SELECT household, since, until IS NULL AS current FROM cdm.household_members WHERE entity = :lea_now ORDER BY since;

-- 14b. Declared households (member_of_household) win over addresses:
--      the census says Ivo lives in Hana's household again from 2025-06-01
--      (his records still give 5 Harbour Road); Hana moves to 2 Birch Way on
--      2025-09-01 and Ivo goes with her; Kim joins Ivo's household (so
--      Hana's: links are followed) from 2025-08-01; the census link ends on
--      2026-01-01 and Ivo is back at Harbour Road, Kim with him.
CREATE TEMP VIEW hh AS
SELECT a.as_of, s.surname, CASE WHEN e.id IS NULL THEN x.household ELSE 'entity:' || e.name END AS household,
       pg_temp.ns(x.members) AS members
  FROM (VALUES (timestamptz '2025-05-01'), ('2025-07-01'), ('2025-08-15'), ('2025-10-01'), ('2026-02-01')) a(as_of)
 CROSS JOIN (VALUES (false), (true)) s(surname)
 CROSS JOIN LATERAL cdm.households(a.as_of, s.surname) x
  LEFT JOIN ent e ON x.household = 'entity:' || e.id
 WHERE x.members && (SELECT array_agg(id) FROM ent WHERE name IN ('hana', 'ivo', 'kim', 'mo', 'nia', 'ole'));
SELECT cdm.relate(:ivo, :hana, 'member_of_household', '2025-06-01', source => 'census') AS r_ivo_hana \gset
SELECT cdm.relate(:kim, :ivo, 'member_of_household', '2025-08-01', source => 'census') IS NOT NULL AS ok;
SELECT cdm.ingest('rel_crm', 'H1', '{"given_name": "Hana", "family_name": "Petrov", "email": "hana.p@rel.example", "dob": "1980-02-03", "address": "2 Birch Way", "postcode": "4001", "city": "Springfield", "moved_at": "2025-09-01"}') = :hana AS hana_moved;
SELECT cdm.end_relationship(:r_ivo_hana, '2026-01-01', 'census 2026') = :r_ivo_hana AS ended;
SELECT as_of::date, household, members FROM hh WHERE NOT surname ORDER BY as_of, household;
-- with surname: the declared household is Hana's, family name included,
-- whatever the members' own names (Kim Ode)
SELECT as_of::date, household, members FROM hh WHERE surname AND as_of IN ('2025-05-01', '2025-10-01') ORDER BY as_of, household;
-- the stays: they start and end with the links and with Hana's move
SELECT pg_temp.n(entity) AS entity, household, since, until
  FROM cdm.household_members WHERE entity IN (:hana, :ivo, :kim) AND (until IS NULL OR until > '2025-01-01')
 ORDER BY entity, since;
-- spells and households agree at every moment asked
SELECT a.as_of::date, bool_and(coalesce(s.household = h.household, s.household IS NULL AND h.household IS NULL)) AS agree
  FROM (VALUES (timestamptz '2025-05-01'), ('2025-07-01'), ('2025-08-15'), ('2025-10-01'), ('2026-02-01')) a(as_of)
 CROSS JOIN unnest(ARRAY[:hana, :ivo, :kim]) p(entity)
  LEFT JOIN cdm.household_members s ON s.entity = p.entity AND s.since <= a.as_of AND (s.until IS NULL OR s.until > a.as_of)
  LEFT JOIN LATERAL (SELECT x.household FROM cdm.households(a.as_of) x WHERE p.entity = ANY (x.members)) h ON true
 GROUP BY a.as_of ORDER BY 1;
-- a reference person without an address heads a household keyed
-- entity:<id>; a loop (Mo in Nia's household, Nia in Mo's, and Ole in
-- Nia's) has its smallest id as the reference
SELECT cdm.ingest('rel_crm', 'H8', '{"given_name": "Mo", "family_name": "Quist", "email": "mo.q@rel.example"}') AS mo \gset
SELECT cdm.ingest('rel_crm', 'H9', '{"given_name": "Nia", "family_name": "Varga", "email": "nia.v@rel.example", "address": "40 Canal Street", "postcode": "4005", "city": "Springfield", "moved_at": "2024-01-01"}') AS nia \gset
SELECT cdm.ingest('rel_crm', 'H10', '{"given_name": "Ole", "family_name": "Brenner", "email": "ole.b@rel.example"}') AS ole \gset
INSERT INTO ent VALUES ('mo', :mo), ('nia', :nia), ('ole', :ole);
SELECT :mo < :nia AND :nia < :ole AS in_order;
SELECT cdm.relate(:nia, :mo, 'member_of_household', '2025-01-01') IS NOT NULL AS ok;
SELECT cdm.relate(:mo, :nia, 'member_of_household', '2025-09-15') IS NOT NULL AS ok;
SELECT cdm.relate(:ole, :nia, 'member_of_household', '2025-09-20') IS NOT NULL AS ok;
SELECT as_of::date, household, members FROM hh
 WHERE NOT surname AND as_of IN ('2025-05-01', '2025-10-01') AND household NOT LIKE '%quarry%' AND household NOT LIKE '%birch%'
 ORDER BY as_of, household;
SELECT pg_temp.n(entity) AS entity, household LIKE 'entity:%' AS declared_key, since::date, until::date
  FROM cdm.household_members WHERE entity IN (:mo, :nia, :ole) ORDER BY entity, since;
-- NULL arguments; an organisation is in no household
SELECT cdm._household_reference(:kim, NULL) AS null_as_of, cdm._household_key_at(NULL, now(), false) AS null_entity,
       cdm._household_key_at(:acme, now(), false) AS organisation;

-- 15. Contact points: typed, with sources, first and last seen, one
--     preferred per type
SELECT cdm.ingest('rel_crm', 'C1', '{"given_name": "Noor", "family_name": "Haddad", "email": "Noor.Haddad@rel.example", "work_email": "n.haddad@work.example", "home_phone": "+1 415 555 0100", "billing_address": "1 Market Street", "shipping_address": "99 Dock Road"}') AS noor \gset
SELECT cdm.ingest('rel_web', 'W1', '{"given_name": "Noor", "family_name": "Haddad", "email": "noor.haddad@rel.example", "work_email": "noor@newjob.example", "home_phone": "(415) 555-0100", "shipping_address": "99 Dock Rd."}') AS noor_web \gset
SELECT :noor = :noor_web AS one_entity;
SELECT kind, type, value, normalised, sources, records, preferred, first_seen <= last_seen AS ordered
  FROM cdm.contact_point WHERE entity = :noor ORDER BY kind, type, last_seen DESC, normalised;
-- the crm record changes its billing address: both stay, the new one is preferred
SELECT cdm.ingest('rel_crm', 'C1', '{"given_name": "Noor", "family_name": "Haddad", "email": "Noor.Haddad@rel.example", "work_email": "n.haddad@work.example", "home_phone": "+1 415 555 0100", "billing_address": "200 Mission Street", "shipping_address": "99 Dock Road"}') = :noor AS same;
SELECT type, value, preferred FROM cdm.contact_point WHERE entity = :noor AND kind = 'address' ORDER BY type, last_seen DESC;
SELECT count(*) AS preferred_per_type_is_one
  FROM (SELECT entity, kind, type FROM cdm.contact_point WHERE preferred GROUP BY 1, 2, 3 HAVING count(*) > 1) x;

-- 16. Readers read, stewards relate, admins declare; nobody else
CREATE ROLE rel_nobody NOLOGIN;
CREATE ROLE rel_reader NOLOGIN IN ROLE cdm_reader;
CREATE ROLE rel_steward NOLOGIN IN ROLE cdm_steward;
GRANT EXECUTE ON FUNCTION pg_temp.sqlstate_of(text) TO PUBLIC;
SET ROLE rel_nobody;
SELECT pg_temp.sqlstate_of($$SELECT cdm.relationships(1)$$);
SELECT pg_temp.sqlstate_of($$SELECT count(*) FROM cdm.relationship$$);
SELECT cdm.org_name_norm('Acme Ltd') AS pure_ok, cdm.household_key('1 Main Street') AS pure_ok2;
RESET ROLE;
SET ROLE rel_reader;
SELECT count(*) AS reader_sees FROM cdm.relationships(:ada);
SELECT count(*) > 0 AS reader_view FROM cdm.account_hierarchy;
SELECT pg_temp.sqlstate_of($$SELECT cdm.relate($$ || :ada || $$, $$ || :beta || $$, 'user_of')$$);
SELECT pg_temp.sqlstate_of($$INSERT INTO cdm.relationship (from_entity, to_entity, type, valid_from) VALUES (1, 2, 'caregiver_of', now())$$);
RESET ROLE;
SET ROLE rel_steward;
SELECT cdm.relate(:ada, :beta, 'user_of', '2025-01-01') AS r_steward \gset
SELECT pg_temp.sqlstate_of($$SELECT cdm.declare_relationship_type('x_of', 'any', 'any', 'has_x')$$);
RESET ROLE;
SELECT recorded_by FROM cdm.relationship WHERE id = :r_steward;
DROP ROLE rel_nobody, rel_reader, rel_steward;
