-- Data quality KPIs (cdm.quality over any table and over the store),
-- postcode shapes and country codes, the duplicate rate from dedupe runs,
-- customer_360, and RFM segmentation.
SET client_min_messages = warning;
SET TimeZone = 'UTC';
\pset null '(null)'

CREATE FUNCTION pg_temp.try(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE q;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

-- 1. Countries and postcodes
SELECT c, cdm.country_code(c) FROM unnest(ARRAY['Australia', 'united kingdom', 'de', 'Deutschland', 'NZ', 'Atlantis', '']) c;
SELECT p, c, cdm.postcode_valid(p, c)
  FROM (VALUES ('2600', 'Australia'), ('26000', 'AU'), ('SW1A 1AA', 'GB'), (' sw1a1aa ', 'GB'), ('K1A 0B1', 'Canada'),
               ('12345-6789', 'US'), ('1234', 'US'), ('ABC', 'DE'), ('1012 JS', 'NL'), ('12345', 'Atlantis'),
               ('12345', 'Greenland')) v(p, c);
-- every shipped shape accepts its own example (checked by the table too)
SELECT count(*) AS shapes, bool_and(cdm.postcode_valid(example, country)) AS examples_valid FROM cdm.postcode_format;

-- 2. KPIs of a table: two sources, every kind of gap and error
CREATE TABLE qc_people (id text, source_system text, given_name text, family_name text, dob text,
                        email text, phone text, postcode text, country text, updated_at timestamptz);
INSERT INTO qc_people VALUES
  ('1', 'crm', 'Anna', 'Novak', '1985-04-12', 'anna@example.com', '+1 415 555 2671', '94103', 'USA', timestamptz '2025-06-20'),
  ('2', 'crm', 'Ben', NULL, '1985-13-12', 'not an email', '12', 'ABCDE', 'US', timestamptz '2025-03-23'),
  ('3', 'web', 'Cleo', 'Stone', NULL, 'cleo@example.com', NULL, '2600', 'Australia', timestamptz '2024-05-27'),
  ('4', 'web', '', ' ', '1800-01-01', NULL, '+61 2 6123 4567', '26000', 'AU', NULL),
  ('5', 'web', 'Dan', 'Ode', '2024-02-29', 'dan@example.com', '020 7946 0018', 'SW1A 1AA', NULL, timestamptz '2025-06-29');
SELECT * FROM cdm.quality('qc_people', 'GB', timestamptz '2025-06-30');
-- the default country only fills rows without one; an unknown one is refused
SELECT pg_temp.try($$SELECT * FROM cdm.quality('qc_people', 'Atlantis')$$);
SELECT pg_temp.try($$SELECT * FROM cdm.quality('pg_class')$$);

-- 3. The duplicate rate: from a cluster column, else the latest cdm.dedupe run
CREATE TABLE qc_clustered AS
SELECT x.id, x.source_system, x.email, x.cluster_id
  FROM (VALUES ('1', 'crm', 'a@x.example', 'A'), ('2', 'crm', 'a@x.example', 'A'), ('3', 'web', 'a@x.example', 'A'),
               ('4', 'web', 'b@x.example', 'B'), ('5', 'web', 'c@x.example', 'C')) x(id, source_system, email, cluster_id);
SELECT source, value, numerator, denominator FROM cdm.quality('qc_clustered') WHERE kpi = 'duplicate_rate';
CREATE TABLE qc_dedupe AS
SELECT 'p' || i AS id, (ARRAY['Anna', 'Ben', 'Cleo', 'Dan'])[1 + i % 4] AS given_name,
       'Family' || (i % 40) AS family_name, date '1980-01-01' + (i % 40) AS dob,
       'f' || (i % 40) || '@example.org' AS email
  FROM generate_series(1, 160) i;
SELECT count(*) AS no_run_yet FROM cdm.quality('qc_dedupe') WHERE kpi = 'duplicate_rate';
SELECT count(DISTINCT cluster_id) AS people FROM cdm.dedupe('qc_dedupe');
SELECT relation, records, clusters, model, run_by = current_user AS mine FROM cdm.dedupe_run WHERE relation = 'qc_dedupe';
SELECT value = 1 - (SELECT clusters::float8 / records FROM cdm.dedupe_run WHERE relation = 'qc_dedupe') AS from_the_run,
       numerator, denominator
  FROM cdm.quality('qc_dedupe') WHERE kpi = 'duplicate_rate';
SELECT subject, records, people, duplicate_rate IS NOT NULL AS rated
  FROM cdm.duplicate_rate_over_time WHERE subject = 'qc_dedupe';

-- 4. The store: KPIs per source, duplicate rate over time, customer_360
SELECT cdm.ingest('qc_crm', 'Q1', '{"given_name": "Quinn", "family_name": "Adair", "email": "quinn@qc.example", "phone": "+1 415 555 2671"}') AS quinn \gset
SELECT cdm.ingest('qc_web', 'Q2', '{"full_name": "Quinn Adair", "email": "QUINN@qc.example"}') = :quinn AS linked;
SELECT cdm.ingest('qc_web', 'Q3', '{"given_name": "Rhea", "family_name": "Blum", "email": "rhea(at)qc.example"}') IS NOT NULL AS rhea;
SELECT source, field, kpi, numerator, denominator FROM cdm.quality_by_source
 WHERE source IN ('qc_crm', 'qc_web') AND (kpi IN ('records', 'duplicate_rate') OR field IN ('email', 'phone'))
 ORDER BY source, field, kpi;
SELECT count(*) = 24 AS months, bool_and(records >= people) AS sane,
       (SELECT records FROM cdm.duplicate_rate_over_time WHERE subject = 'cdm.store' ORDER BY month DESC LIMIT 1)
         = (SELECT count(*) FROM cdm.record WHERE retired_at IS NULL) AS this_month_counts_live_records
  FROM cdm.duplicate_rate_over_time WHERE subject = 'cdm.store';
SELECT given_name, family_name, email, sources, records, stage, active_any
  FROM cdm.customer_360 WHERE entity = :quinn;
SELECT c.relname, count(*) AS columns,
       count(*) FILTER (WHERE format_type(a.atttypid, a.atttypmod) NOT IN
         ('text', 'bigint', 'integer', 'boolean', 'double precision', 'numeric', 'date', 'timestamp with time zone')) AS not_plain
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
 WHERE c.relnamespace = 'cdm'::regnamespace AND a.attnum > 0
   AND c.relname IN ('customer_360', 'quality_by_source', 'duplicate_rate_over_time', 'store_records',
                     'rfm_segments', 'rfm_segment_summary')
 GROUP BY c.relname ORDER BY c.relname;

-- 5. RFM: six customers' purchases in the year to 30 June 2025
SELECT count(cdm.ingest('qc_shop', k, jsonb_build_object('given_name', g, 'family_name', f, 'email', lower(g) || '@' || lower(f) || '.example'))) AS shoppers
  FROM (VALUES ('C1', 'Amelia', 'Hartmann'), ('C2', 'Bruno', 'Castellanos'), ('C3', 'Chiara', 'Lombardi'),
               ('C4', 'Dmitri', 'Volkov'), ('C5', 'Esme', 'Fairweather'), ('C6', 'Farid', 'Haddad')) v(k, g, f);
SELECT count(DISTINCT entity) AS six_people FROM cdm.record WHERE source = 'qc_shop';
-- their own milestone name, so other suites' purchases stay out of the quantiles
SELECT cdm.declare_milestone('qc_order', 'An order in the shop of this suite.') > 0 AS declared;
SELECT count(*) AS recorded FROM (
  SELECT cdm.record_milestone(cdm.entity_of('qc_shop', k), 'qc_order', at::timestamptz, 'till', amount => amt)
    FROM (VALUES
      ('C1', '2025-06-25', 500), ('C1', '2025-05-01', 400), ('C1', '2025-03-01', 300), ('C1', '2025-01-10', 200),
      ('C2', '2025-06-28', 20),
      ('C3', '2024-09-01', 90), ('C3', '2024-10-01', 90), ('C3', '2024-11-01', 90), ('C3', '2024-12-01', 90),
      ('C4', '2024-07-15', 15),
      ('C5', '2025-04-01', 60), ('C5', '2025-05-01', 60),
      ('C6', '2023-12-01', 999)) v(k, at, amt)) x;
SELECT replace(s.source_key, 'C', 'shopper ') AS who, round(r.recency_days) AS days, r.frequency, r.monetary,
       r.r, r.f, r.m, r.segment
  FROM cdm.rfm(timestamptz '2025-06-30', milestones => ARRAY['qc_order']) r JOIN cdm.record s ON s.entity = r.entity AND s.source = 'qc_shop'
 ORDER BY s.source_key;
-- three buckets instead of five; a shorter period
SELECT replace(s.source_key, 'C', 'shopper ') AS who, r.rfm, r.segment
  FROM cdm.rfm(timestamptz '2025-06-30', interval '90 days', ARRAY['qc_order'], buckets => 3) r
  JOIN cdm.record s ON s.entity = r.entity AND s.source = 'qc_shop'
 ORDER BY s.source_key;
SELECT pg_temp.try($$SELECT * FROM cdm.rfm(now(), buckets => 1)$$);
SELECT pg_temp.try($$SELECT * FROM cdm.rfm(now(), interval '-1 day')$$);
SELECT pg_temp.try($$SELECT * FROM cdm.rfm(now(), milestones => ARRAY['purchased'])$$);
