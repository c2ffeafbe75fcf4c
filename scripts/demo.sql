-- The cdm demo: 5,000 FEBRL customer records (2,000 people, 3,000 corrupted copies).
\pset footer off
\pset border 2
\echo
\echo '== cdm demo: FEBRL dataset3, 5000 customer records of 2000 people =='
CREATE EXTENSION cdm;
SELECT cdm.icu_version() AS "ICU used for transliteration";

CREATE TEMP TABLE raw (rec_id text, given_name text, surname text, street_number text,
    address_1 text, address_2 text, suburb text, postcode text, state text,
    date_of_birth text, soc_sec_id text);
-- (\copy does not expand psql variables: build the command in one)
\set copy_raw '\\copy raw FROM ' :'data' ' WITH (FORMAT csv, HEADER true)'
:copy_raw

CREATE TABLE customers AS
SELECT trim(rec_id) AS rec_id,
       (regexp_match(rec_id, 'rec-(\d+)'))[1]::int AS person,   -- ground truth, for scoring only
       nullif(trim(given_name), '') AS given_name,
       nullif(trim(surname), '') AS surname,
       nullif(trim(suburb), '') AS suburb,
       nullif(trim(postcode), '') AS postcode
  FROM raw;

\echo
\echo '-- 1. One person, four records: spelled differently each time'
SELECT rec_id, given_name, surname, suburb,
       cdm.dmetaphone(surname) AS dmetaphone, cdm.soundex(surname) AS soundex,
       cdm.nysiis(surname) AS nysiis
  FROM customers
 WHERE person = (SELECT person FROM customers GROUP BY person
                  HAVING count(*) = 4 AND count(DISTINCT surname) = 3 ORDER BY person LIMIT 1)
 ORDER BY rec_id;

\echo
\echo '-- 2. How alike are they?  Edit distances and similarity scores'
SELECT a.rec_id AS a, b.rec_id AS b, a.surname AS surname_a, b.surname AS surname_b,
       cdm.levenshtein(a.surname, b.surname) AS lev,
       cdm.damerau_levenshtein(a.surname, b.surname) AS damerau,
       round(cdm.jaro_winkler_similarity(a.surname, b.surname)::numeric, 3) AS jaro_winkler,
       round(cdm.qgram_similarity(a.surname, b.surname)::numeric, 3) AS trigram
  FROM customers a JOIN customers b ON a.person = b.person AND a.rec_id < b.rec_id
 WHERE a.surname <> b.surname
 ORDER BY a.person, a.rec_id, b.rec_id
 LIMIT 8;

\echo
\echo '-- 3. Find likely duplicates without knowing the answer.'
\echo '--    Block: the records share a Double Metaphone code of a name (either field: FEBRL swaps them).'
\echo '--    Score: Jaro-Winkler of the full name, in order or swapped; plus the postcode or suburb agreeing.'
CREATE TEMP TABLE codes AS
SELECT rec_id, code
  FROM customers, LATERAL (VALUES (cdm.dmetaphone(given_name)), (cdm.dmetaphone(surname)),
                                  (cdm.dmetaphone_alt(surname))) c(code)
 WHERE code <> '';

CREATE TEMP TABLE candidates AS
SELECT DISTINCT ON (x.rec_id, y.rec_id) x.rec_id AS a, y.rec_id AS b,
       x.person = y.person AS truly_same,
       greatest(cdm.jaro_winkler_similarity(concat_ws(' ', x.given_name, x.surname),
                                            concat_ws(' ', y.given_name, y.surname)),
                cdm.jaro_winkler_similarity(concat_ws(' ', x.given_name, x.surname),
                                            concat_ws(' ', y.surname, y.given_name))) AS name_score,
       x.postcode = y.postcode OR cdm.jaro_winkler_similarity(x.suburb, y.suburb) >= 0.9 AS place_agrees
  FROM codes cx JOIN codes cy ON cx.code = cy.code AND cx.rec_id < cy.rec_id
  JOIN customers x ON x.rec_id = cx.rec_id
  JOIN customers y ON y.rec_id = cy.rec_id;

WITH truth AS (SELECT count(*) AS pairs FROM customers a JOIN customers b
                 ON a.person = b.person AND a.rec_id < b.rec_id),
     predicted AS (SELECT * FROM candidates WHERE name_score >= 0.85 AND place_agrees)
SELECT (SELECT count(*) FROM candidates) AS candidate_pairs,
       (SELECT count(*) FROM predicted) AS predicted_matches,
       (SELECT count(*) FROM predicted WHERE truly_same) AS correct,
       (SELECT pairs FROM truth) AS true_pairs,
       round(100.0 * (SELECT count(*) FROM predicted WHERE truly_same)
             / nullif((SELECT count(*) FROM predicted), 0), 1) AS precision_pct,
       round(100.0 * (SELECT count(*) FROM predicted WHERE truly_same)
             / (SELECT pairs FROM truth), 1) AS recall_pct;
\echo '(All 12.5 million pairs were never compared: blocking by sound left the candidates above.)'

\echo
\echo '-- 4. Some matches it found whose names are spelled differently'
SELECT c.a, c.b, concat_ws(' ', x.given_name, x.surname) AS name_a,
       concat_ws(' ', y.given_name, y.surname) AS name_b,
       round(c.name_score::numeric, 3) AS score, c.truly_same
  FROM candidates c JOIN customers x ON x.rec_id = c.a JOIN customers y ON y.rec_id = c.b
 WHERE c.name_score >= 0.85 AND c.place_agrees
   AND c.name_score < 1          -- typos, not just swapped fields
 ORDER BY c.a, c.b LIMIT 10;

\echo
\echo '-- 5. Characters, not bytes: any script, any length'
SELECT cdm.levenshtein('Müller', 'Mueller') AS lev_mueller,
       cdm.dmetaphone('Müller') = cdm.dmetaphone('Mueller') AS same_dmetaphone,
       cdm.soundex('Дмитрий') AS soundex_cyrillic, cdm.soundex('Dmitry') AS soundex_latin,
       cdm.daitch_mokotoff('Schwarzenegger') AS daitch_mokotoff,
       cdm.levenshtein(repeat('ab', 5000), repeat('ba', 5000)) AS lev_10000_chars;
\echo
\echo '-- 6. Formatting differences disappear: one key per spelling (the normalisers)'
SELECT kind, a, b, key_a, key_b, key_a = key_b AS same_key
  FROM (VALUES
    ('name',    'José MUÑOZ', 'jose munoz', cdm.fold('José MUÑOZ'), cdm.fold('jose munoz')),
    ('name',    'Дмитрий', 'Dmitriy', cdm.fold('Дмитрий'), cdm.fold('Dmitriy')),
    ('phone',   '(415) 555-2671', '+1 415 555 2671', cdm.phone_e164('(415) 555-2671'), cdm.phone_e164('+1 415 555 2671')),
    ('e-mail',  'J.Doe+shop@GMail.com', 'jdoe@gmail.com', cdm.email_norm('J.Doe+shop@GMail.com'), cdm.email_norm('jdoe@gmail.com')),
    ('address', '123 North Main Street Apartment 4', '123 N Main St Apt 4',
                cdm.address_norm('123 North Main Street Apartment 4'), cdm.address_norm('123 N Main St Apt 4')),
    ('nickname', 'Bob', 'Robert', cdm.nickname_root('Bob'), cdm.nickname_root('Robert'))
  ) v(kind, a, b, key_a, key_b);

\echo
\echo '-- 7. Whole names: word order, nicknames, initials, scripts, and Jr vs Sr'
SELECT a, b, round(cdm.name_similarity(a, b)::numeric, 3) AS name_similarity,
       round(cdm.jaro_winkler_similarity(a, b)::numeric, 3) AS jaro_winkler
  FROM (VALUES ('Bob Smith', 'Smith, Robert'), ('J. Smith', 'John Smith'),
               ('Дмитрий Иванов', 'Dmitry Ivanov'), ('John Smith', 'Jane Smith'),
               ('John Smith Jr', 'John Smith Sr')) v(a, b);
\echo
\echo '-- 8. Blocking index: the nearest names to "Greene, Taylah" (swapped, misspelt) through a GiST index'
CREATE INDEX customers_name_key ON customers
    USING gist (cdm.name_key(coalesce(given_name, '') || ' ' || coalesce(surname, '')));
ANALYZE customers;
SELECT c.rec_id, c.given_name, c.surname,
       round((cdm.name_key(coalesce(c.given_name, '') || ' ' || coalesce(c.surname, ''))
              OPERATOR(cdm.<->) cdm.name_key('Greene, Taylah'))::numeric, 3) AS key_distance
  FROM customers c
 ORDER BY cdm.name_key(coalesce(c.given_name, '') || ' ' || coalesce(c.surname, ''))
          OPERATOR(cdm.<->) cdm.name_key('Greene, Taylah')
 LIMIT 5;
\echo
\echo '-- 9. Before a dedup run: how many candidates would blocking at cdm.key_threshold give each record?'
CREATE VIEW customers_k AS
SELECT rec_id, cdm.name_key(coalesce(given_name, '') || ' ' || coalesce(surname, '')) AS k FROM customers;
SELECT records, candidate_pairs, round(mean_per_record::numeric, 1) AS mean_per_record,
       p50, p95, max_per_record, key_threshold
  FROM cdm.block_stats('customers_k', 'k');
\echo
\echo '-- 10. One call from the table to clusters of the same person: cdm.dedupe'
\echo '--     (reads the columns by role name, blocks, trains a Fellegi-Sunter model by EM, scores, clusters)'
CREATE FUNCTION pg_temp.ymd(t text) RETURNS date LANGUAGE plpgsql IMMUTABLE AS
  $$ BEGIN RETURN to_date(t, 'YYYYMMDD'); EXCEPTION WHEN others THEN RETURN NULL; END $$;
CREATE TEMP VIEW febrl_people AS
SELECT trim(rec_id) AS id, nullif(trim(given_name), '') AS given_name,
       nullif(trim(surname), '') AS family_name, pg_temp.ymd(trim(date_of_birth)) AS dob,
       nullif(concat_ws(' ', nullif(trim(street_number), ''), nullif(trim(address_1), ''),
                        nullif(trim(address_2), '')), '') AS address,
       nullif(trim(suburb), '') AS city, nullif(trim(postcode), '') AS postcode
  FROM raw;
SET client_min_messages = warning;
CREATE TEMP TABLE clusters AS SELECT * FROM cdm.dedupe('febrl_people');
RESET client_min_messages;
WITH j AS (SELECT c.cluster_id, (regexp_match(c.id, 'rec-(\d+)'))[1] AS person FROM clusters c),
     pairs AS (SELECT (SELECT sum(n * (n - 1) / 2) FROM (SELECT count(*) n FROM j GROUP BY cluster_id) x) AS found,
                      (SELECT sum(n * (n - 1) / 2) FROM (SELECT count(*) n FROM j GROUP BY person) x) AS truth,
                      (SELECT sum(n * (n - 1) / 2) FROM (SELECT count(*) n FROM j GROUP BY cluster_id, person) x) AS right_)
SELECT (SELECT count(*) FROM clusters) AS records, (SELECT count(DISTINCT cluster_id) FROM clusters) AS clusters,
       found AS pairs_linked, right_ AS correct, truth AS true_pairs,
       round(right_::numeric / found, 4) AS precision, round(right_::numeric / truth, 4) AS recall
  FROM pairs;
\echo '-- Why two records of one person match: the weights behind the decision (bits, + for, - against)'
SELECT field, value1, value2, level, round(weight::numeric, 2) AS weight
  FROM cdm.explain_match('febrl_people',
         (SELECT min(id) FROM clusters WHERE cluster_id IN (SELECT cluster_id FROM clusters GROUP BY 1 HAVING count(*) = 4 ORDER BY 1 LIMIT 1)),
         (SELECT max(id) FROM clusters WHERE cluster_id IN (SELECT cluster_id FROM clusters GROUP BY 1 HAVING count(*) = 4 ORDER BY 1 LIMIT 1)))
 WHERE level <> 'missing' OR field IN ('prior', 'total');

\echo
\echo '-- 11. The entity store: records from three systems become entities as they arrive'
SET client_min_messages = warning;
SELECT r.source, r.source_key, cdm.ingest(r.source, r.source_key, r.attrs) AS entity
  FROM (VALUES
    ('crm', 'C-17', '{"given_name": "Katherine", "family_name": "O''Neill", "email": "kate.oneill@example.com", "phone": "+44 20 7946 0958"}'::jsonb),
    ('billing', 'INV-88', '{"full_name": "Kate ONeill", "email": "Kate.ONeill@Example.com"}'),
    ('crm', 'C-18', '{"given_name": "Tomás", "family_name": "Ruiz", "email": "t.ruiz@example.com"}'),
    ('web', 'u-5501', '{"given_name": "Tomas", "family_name": "Ruiz", "email": "t.ruiz@example.com", "city": "Sevilla"}'),
    ('crm', 'C-19', '{"given_name": "Priya", "family_name": "Nair", "email": "priya.nair@example.com"}'),
    ('crm', 'C-20', '{"given_name": "Jonas", "family_name": "Berg", "email": "jonas.berg@example.com"}')) r(source, source_key, attrs);

\echo
\echo '-- 12. "How many active customers?" Shared milestones, three teams'' definitions, side by side'
SELECT count(*) AS milestones_recorded FROM (
  SELECT cdm.record_milestone(cdm.entity_of(s, k), m, at::timestamptz, src,
                              amount => CASE WHEN m = 'invoice_paid' THEN 49.90 END)
    FROM (VALUES
      ('crm', 'C-17', 'documents_submitted', '2025-01-03', 'crm'), ('crm', 'C-17', 'onboarding_completed', '2025-01-08', 'crm'),
      ('crm', 'C-17', 'contract_signed', '2025-01-08', 'crm'), ('crm', 'C-17', 'invoice_paid', '2025-02-01', 'billing'),
      ('crm', 'C-17', 'invoice_paid', '2025-03-01', 'billing'),
      ('crm', 'C-18', 'documents_submitted', '2025-02-01', 'crm'), ('crm', 'C-18', 'onboarding_completed', '2025-02-03', 'crm'),
      ('crm', 'C-18', 'contract_signed', '2025-02-03', 'crm'), ('crm', 'C-18', 'invoice_paid', '2025-02-28', 'billing'),
      ('crm', 'C-18', 'contract_ended', '2025-03-20', 'crm'),
      ('crm', 'C-19', 'documents_submitted', '2025-03-10', 'crm'), ('crm', 'C-19', 'ready_for_service', '2025-03-12', 'ops'),
      ('crm', 'C-20', 'contract_signed', '2024-05-01', 'crm'), ('crm', 'C-20', 'invoice_paid', '2025-02-15', 'billing')
    ) v(s, k, m, at, src)) x;
SELECT cdm.define_active('finance', '{"all": ["contract_signed"], "none": ["contract_ended"], "activity_within": "90 days", "activity": ["invoice_paid"]}') AS finance,
       cdm.define_active('sales', '{"all": ["onboarding_completed"], "none": ["contract_ended"]}') AS sales,
       cdm.define_active('operations', '{"any": ["ready_for_service", "onboarding_completed"]}') AS operations;
SELECT d AS definition, cdm.active_count(d, '2025-03-31') AS active_on_31_march
  FROM unnest(ARRAY['finance', 'sales', 'operations']) d;
\echo '-- The difference between Finance and Operations, person by person (cdm.active_diff)'
SELECT g.attrs ->> 'given_name' AS given_name, x.active_a AS finance, x.active_b AS operations,
       x.why_a -> 'activity' ->> 'last_at' AS last_payment, x.why_b -> 'any' -> 'met' AS ops_milestone_met
  FROM cdm.active_diff('finance', 'operations', '2025-03-31') x
  LEFT JOIN cdm.golden g ON g.entity = x.entity
 ORDER BY x.entity;
RESET client_min_messages;
\echo
\echo '-- 13. Data quality of the FEBRL table: completeness, validity, duplicate rate (from the dedupe run above)'
SELECT field, kpi, round(value::numeric, 4) AS value, numerator, denominator
  FROM cdm.quality('febrl_people', 'Australia') WHERE source IS NULL AND kpi <> 'records'
 ORDER BY kpi, field;
\echo '-- ... and of the store, per source system (cdm.quality_by_source)'
SELECT source, field, kpi, round(value::numeric, 4) AS value
  FROM cdm.quality_by_source WHERE kpi IN ('completeness', 'duplicate_rate') AND field IN ('*', 'email', 'phone')
 ORDER BY source NULLS FIRST, field, kpi;

\echo
\echo '-- 14. The customer 360 a BI tool reads, and RFM segments on 31 March 2025'
SELECT entity, given_name, family_name, email, sources, records, stage, active_under
  FROM cdm.customer_360 ORDER BY entity;
SELECT g.attrs ->> 'given_name' AS given_name, r.frequency, r.monetary, r.rfm, r.segment
  FROM cdm.rfm(timestamptz '2025-03-31', milestones => ARRAY['invoice_paid']) r
  JOIN cdm.golden g ON g.entity = r.entity
 ORDER BY r.entity;
\echo
\echo '-- 15. Organisations: one company from three systems, another site of it, and its buyer'
\echo '--     (matched by name without legal forms, per site, never with a person)'
CREATE TEMP TABLE demo_org AS
SELECT r.source, r.source_key, r.attrs ->> 'organisation_name' AS organisation_name,
       r.attrs ->> 'given_name' AS given_name, r.attrs ->> 'address' AS address,
       cdm.ingest(r.source, r.source_key, r.attrs) AS entity
  FROM (VALUES
    ('crm', 'A-1', '{"organisation_name": "Nordwind Logistik GmbH", "phone": "+49 40 1234 5670", "email": "info@nordwind.example", "address": "Hafenstrasse 12", "city": "Hamburg"}'::jsonb),
    ('billing', 'K-900', '{"organisation_name": "NORDWIND LOGISTIK GMBH & CO. KG", "phone": "040 1234 5670", "address": "Hafenstr. 12", "city": "Hamburg", "country": "DE"}'),
    ('erp', '55012', '{"organisation_name": "Nordwind Logistik", "email": "info@nordwind.example", "address": "Hafenstraße 12", "city": "Hamburg"}'),
    ('crm', 'A-2', '{"organisation_name": "Nordwind Logistik GmbH", "phone": "+49 40 1234 5670", "address": "Flughafenweg 3", "city": "Bremen"}'),
    ('crm', 'P-77', '{"given_name": "Greta", "family_name": "Lindqvist", "organisation_name": "Nordwind Logistik", "phone": "+49 40 1234 5670", "email": "info@nordwind.example", "address": "Hafenstrasse 12", "city": "Hamburg"}')
  ) r(source, source_key, attrs);
SELECT source, source_key, coalesce(given_name || ' (person)', organisation_name) AS record,
       cdm.org_name_norm(organisation_name) AS compared_as, address, entity, cdm.entity_kind(entity) AS kind
  FROM demo_org ORDER BY entity, source;
SELECT cdm.relate((SELECT entity FROM demo_org WHERE source_key = 'A-2'), (SELECT entity FROM demo_org WHERE source_key = 'A-1'),
                  'subsidiary_of', '2024-01-01') IS NOT NULL AS bremen_site_under_hamburg,
       cdm.relate((SELECT entity FROM demo_org WHERE source_key = 'P-77'), (SELECT entity FROM demo_org WHERE source_key = 'A-1'),
                  'decision_maker_for', '2024-01-01', source => 'crm') IS NOT NULL AS greta_decides;
SELECT account_name, person_name, role FROM cdm.buying_team ORDER BY account;
SELECT root, entity, depth, path FROM cdm.account_hierarchy ORDER BY path;

\echo
\echo '-- 16. A whole customer table into the store at once: cdm.load_records'
\echo '--     (one cdm.dedupe run; each cluster becomes an entity, written as cdm.ingest would write it)'
SET client_min_messages = warning;
CREATE TEMP TABLE demo_load AS SELECT * FROM cdm.load_records('febrl', 'febrl_people');
RESET client_min_messages;
SELECT count(*) AS records_loaded, count(DISTINCT entity) AS entities,
       count(*) FILTER (WHERE link_rule = 'batch') AS joined_by_their_cluster,
       (SELECT count(*) FROM cdm.review) AS open_review_items
  FROM demo_load;
\echo '-- A record arriving later finds the batch-loaded person (a typo in the surname, a new source)'
SELECT cdm.ingest('web', 'w-9001', jsonb_build_object('given_name', p.given_name, 'family_name', p.family_name || 'e',
                                                      'dob', p.dob, 'postcode', p.postcode))
         = cdm.entity_of('febrl', p.id) AS same_entity
  FROM febrl_people p WHERE p.id = (SELECT min(source_key) FROM demo_load WHERE link_rule = 'batch');
SELECT event, source, source_key, round(probability::numeric, 4) AS p, reason
  FROM cdm.entity_history((SELECT cdm.entity_of('web', 'w-9001')))
 ORDER BY event_id NULLS LAST;

\echo
\echo 'Done. The cluster was throwaway; install cdm in your own database with CREATE EXTENSION cdm.'
