-- Organisations: cdm.org_name_norm, the organisation_name role of cdm.dedupe
-- and cdm.match_probability, matched per site, never with a person.
-- The labelled data: 3,337 records of 1,162 Chicago early-childhood sites
-- (test/data/dedupe_csv_example, MIT, DataMade).
SET client_min_messages = warning;

-- legal forms
SELECT n, cdm.org_name_norm(n)
  FROM (VALUES ('ACME, Inc.'), ('Acme Incorporated'), ('Müller GmbH & Co. KG'), ('Nestlé S.A.'),
               ('Johnson & Johnson'), ('The Coca-Cola Company'), ('P.T. Astra International Tbk'),
               ('J.P. Morgan Chase & Co.'), ('Grupo Bimbo, S.A.B. de C.V.'), ('Orlen Sp. z o.o.'),
               ('Company Ltd'), ('Siemens AG Österreich'), ('Toshiba Kabushiki Kaisha'),
               ('ООО Газпром'), ('  '), ('Ltd.')) v(n);
SELECT cdm.org_name_norm(NULL) IS NULL AS strict;

\getenv abs_srcdir PG_ABS_SRCDIR
\set csv :abs_srcdir '/test/data/dedupe_csv_example/csv_example_input_with_true_ids.csv'
CREATE TABLE org_raw (true_id bigint, id bigint, source text, site_name text, address text, zip text,
  phone text, fax text, program_name text, length_of_day text, idhs text, agency text,
  neighborhood text, funded text, program_option text, n_ehs text, n_hs text, director text,
  hs_fund text, ehs_fund text, cc_fund text, progmod text, website text, exec_director text,
  center_director text, ece text, naeyc_until text, naeyc_id text, email text, ounce text,
  purple text, c1 text, c2 text);
COPY org_raw FROM :'csv' CSV HEADER;
SELECT count(*) AS records, count(DISTINCT true_id) AS sites FROM org_raw;

-- the sites as organisations: name, address, postcode, phone (the later
-- columns of the file are shifted in many rows: its "Email Address" holds dates)
CREATE VIEW org_sites AS
SELECT id::text AS id, site_name AS organisation_name, address, nullif(btrim(zip), '') AS postcode,
       nullif(btrim(phone), '') AS phone
  FROM org_raw;
-- the same records read as if the names were people's (what cdm did before)
CREATE VIEW org_as_people AS
SELECT id, organisation_name AS full_name, address, postcode, phone FROM org_sites;

CREATE FUNCTION org_f1(rel regclass) RETURNS TABLE (prec numeric, rec numeric, f1 numeric)
LANGUAGE sql AS $$
  WITH res AS (SELECT * FROM cdm.dedupe(rel)),
  t AS (SELECT r.id::text AS id, r.true_id, res.cluster_id FROM org_raw r JOIN res ON res.id = r.id::text),
  p AS (SELECT count(*) FILTER (WHERE a.cluster_id = b.cluster_id AND a.true_id = b.true_id) AS tp,
               count(*) FILTER (WHERE a.cluster_id = b.cluster_id) AS pp,
               count(*) FILTER (WHERE a.true_id = b.true_id) AS ap
          FROM t a JOIN t b ON a.id < b.id AND (a.cluster_id = b.cluster_id OR a.true_id = b.true_id))
  SELECT tp::numeric / nullif(pp, 0), tp::numeric / ap, 2 * tp::numeric / (pp + ap) FROM p
$$;

-- pairwise precision, recall and F1 of the clusters against the labels
-- (measured 0.952 / 0.935 / 0.943; as people's names: 0.884 / 0.831 / 0.857)
SELECT prec >= 0.93 AS precision_ok, rec >= 0.91 AS recall_ok, f1 >= 0.93 AS f1_ok FROM org_f1('org_sites');
SELECT o.f1 - p.f1 >= 0.05 AS organisations_beat_people_reading
  FROM org_f1('org_sites') o, org_f1('org_as_people') p;

-- why two records of one site link (Beethoven school: a short name and the long one)
SELECT field, value1, value2, level FROM cdm.explain_match('org_sites', '648', '1966')
 WHERE field IN ('organisation_name', 'address', 'phone');
SELECT site_name, address FROM org_raw WHERE id IN (648, 1966) ORDER BY id;

-- a table of people has no organisation row in its explanation
CREATE TABLE org_people (id text, given_name text, family_name text, email text);
INSERT INTO org_people
SELECT 'p' || i, (ARRAY['Ada','Bob','Cy','Di'])[1 + i % 4], 'Quist' || (i % 50), 'p' || i || '@example.com'
  FROM generate_series(1, 200) i;
SELECT cdm.train_model('org_people') IS NOT NULL AS trained;
SELECT count(*) FILTER (WHERE field = 'organisation_name') AS org_rows, count(*) > 0 AS explained
  FROM cdm.explain_match('org_people', 'p1', 'p51');

-- an organisation and a person never link, whatever they share
SELECT cdm.match_probability(
         '{"organisation_name": "Acme Ltd", "email": "info@acme.example", "phone": "+14155550100", "address": "1 Main St"}',
         '{"given_name": "Ada", "family_name": "Quist", "email": "info@acme.example", "phone": "+14155550100", "address": "1 Main St"}')
       AS org_vs_person,
       cdm.match_probability(
         '{"organisation_name": "Acme Ltd", "email": "info@acme.example", "phone": "+14155550100", "address": "1 Main St"}',
         '{"given_name": "Ada", "family_name": "Quist", "organisation_name": "Acme", "email": "info@acme.example", "phone": "+14155550100", "address": "1 Main St"}')
       AS org_vs_employee,
       cdm.match_probability(
         '{"organisation_name": "Acme Ltd", "email": "info@acme.example", "phone": "+14155550100", "address": "1 Main St"}',
         '{"organisation_name": "ACME Incorporated", "email": "info@acme.example", "phone": "+14155550100", "address": "1 Main Street"}')
       > 0.99 AS same_org;
-- the web domain: written as a site or an address, it counts for the match
SELECT cdm.match_probability(
         '{"organisation_name": "Acme Holdings", "domain": "https://www.Acme.example/contact", "city": "Springfield"}',
         '{"organisation_name": "ACME Group", "domain": "sales@acme.example", "city": "Springfield"}', NULL)
       > cdm.match_probability(
         '{"organisation_name": "Acme Holdings", "domain": "https://www.Acme.example/contact", "city": "Springfield"}',
         '{"organisation_name": "ACME Group", "domain": "acme-group.example", "city": "Springfield"}', NULL)
       AS same_domain_weighs,
       cdm.blocking_keys('{"organisation_name": "Acme Holdings", "domain": "www.acme.example"}')
       && cdm.blocking_keys('{"organisation_name": "Zenith", "domain": "acme.example/about"}') AS domain_blocks;
SELECT field, value1, value2, level FROM cdm.explain_match('org_sites', '648', '1966') WHERE field = 'domain';
-- two sites of one organisation (same name and phone, other address): apart,
-- unless one tax number says it is one company that moved
SELECT cdm.match_probability(
         '{"organisation_name": "Acme Ltd", "phone": "+14155550100", "address": "1 Main St"}',
         '{"organisation_name": "Acme Ltd", "phone": "+14155550100", "address": "40 Station Road"}') AS two_sites,
       cdm.match_probability(
         '{"organisation_name": "Acme Ltd", "phone": "+14155550100", "address": "1 Main St", "national_id": "94-1234567"}',
         '{"organisation_name": "Acme Ltd", "phone": "+14155550100", "address": "40 Station Road", "national_id": "941234567"}') > 0.5
       AS moved_with_tax_id;

-- a mixed table: the sites and their directors (people at the site's
-- address and phone; in this file a director's name sits under "Eearly Head
-- Start Fund" in some rows) -- no cluster holds both, the sites still match
CREATE VIEW org_mixed AS
SELECT id, organisation_name, NULL::text AS full_name, address, postcode, phone FROM org_sites
UNION ALL
SELECT 'd' || id, NULL, btrim(ehs_fund), address, nullif(btrim(zip), ''), nullif(btrim(phone), '')
  FROM org_raw WHERE btrim(ehs_fund) ~ '^[A-Za-z.'' -]+ [A-Za-z.''-]+$' AND ehs_fund !~* '^(yes|no)$';
SELECT count(*) FILTER (WHERE id LIKE 'd%') AS directors FROM org_mixed;
CREATE TABLE org_mixed_res AS SELECT * FROM cdm.dedupe('org_mixed');
SELECT count(*) AS clusters_with_a_person_and_a_site
  FROM (SELECT cluster_id FROM org_mixed_res GROUP BY cluster_id
        HAVING bool_or(id LIKE 'd%') AND bool_or(id NOT LIKE 'd%')) c;
WITH t AS (SELECT r.id::text AS id, r.true_id, m.cluster_id FROM org_raw r JOIN org_mixed_res m ON m.id = r.id::text),
p AS (SELECT count(*) FILTER (WHERE a.cluster_id = b.cluster_id AND a.true_id = b.true_id) AS tp,
             count(*) FILTER (WHERE a.cluster_id = b.cluster_id) AS pp,
             count(*) FILTER (WHERE a.true_id = b.true_id) AS ap
        FROM t a JOIN t b ON a.id < b.id AND (a.cluster_id = b.cluster_id OR a.true_id = b.true_id))
SELECT 2 * tp::numeric / (pp + ap) >= 0.93 AS sites_f1_ok FROM p;
