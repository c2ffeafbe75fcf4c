-- bench/quality.sql (run by bench/quality.sh): cdm.quality against one
-- sequential scan and against the plain-SQL KPIs a user would write, on
-- bench_q_people.  psql variable reps.
\ir lib/timing.sql
SET max_parallel_workers_per_gather = 2;
VACUUM ANALYZE bench_q_people;
CREATE TEMP TABLE bench_times (id int, side text, rep int, ms float8);

-- The peer: the same KPIs as one plain query, per source and overall.
CREATE TEMP VIEW peer_quality AS
SELECT source_system, count(*) AS records,
       count(*) FILTER (WHERE nullif(btrim(given_name), '') IS NOT NULL) AS given_name,
       count(*) FILTER (WHERE nullif(btrim(family_name), '') IS NOT NULL) AS family_name,
       count(*) FILTER (WHERE nullif(btrim(full_name), '') IS NOT NULL) AS full_name,
       count(dob) AS dob, count(*) FILTER (WHERE dob <= now()::date AND dob > now()::date - 43830) AS dob_valid,
       count(*) FILTER (WHERE nullif(btrim(email), '') IS NOT NULL) AS email,
       count(*) FILTER (WHERE email ~* '^[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}$') AS email_valid,
       count(*) FILTER (WHERE nullif(btrim(phone), '') IS NOT NULL) AS phone,
       count(*) FILTER (WHERE length(regexp_replace(phone, '[^0-9]', '', 'g')) BETWEEN 8 AND 15) AS phone_valid,
       count(*) FILTER (WHERE nullif(btrim(address), '') IS NOT NULL) AS address,
       count(*) FILTER (WHERE nullif(btrim(city), '') IS NOT NULL) AS city,
       count(*) FILTER (WHERE nullif(btrim(postcode), '') IS NOT NULL) AS postcode,
       count(*) FILTER (WHERE btrim(postcode) ~ '^[0-9]{4}$') AS postcode_valid,
       count(*) FILTER (WHERE nullif(btrim(country), '') IS NOT NULL) AS country,
       count(updated_at) AS updated, avg(extract(epoch FROM now() - updated_at) / 86400) AS age_days,
       count(*) FILTER (WHERE updated_at > now() - interval '30 days') AS within_30,
       count(*) FILTER (WHERE updated_at > now() - interval '365 days') AS within_365
  FROM bench_q_people
 GROUP BY GROUPING SETS ((source_system), ());

-- warm the cache, then time alternately
SELECT count(*) FROM bench_q_people \gset warm_
SELECT count(*) FROM cdm.quality('bench_q_people', 'AU') \gset warm_
SELECT set_config('bench.reps', :'reps', false);
DO $$ BEGIN
  FOR rep IN 1..current_setting('bench.reps')::int LOOP
    PERFORM bench_pair(1, rep, 'SELECT count(*) FROM cdm.quality(''bench_q_people'', ''AU'')',
                               'SELECT count(*) FROM bench_q_people');
    PERFORM bench_pair(2, rep, 'SELECT count(*) FROM cdm.quality(''bench_q_people'', ''AU'')',
                               'SELECT count(*) FROM peer_quality');
  END LOOP;
END $$;
-- where the time goes: the validity checks one by one, one scan each
CREATE TEMP TABLE bench_parts AS
SELECT p.part, bench_ms(p.q) AS ms
  FROM (VALUES ('scan: count(*)', 'SELECT count(*) FROM bench_q_people'),
               ('cdm.email_valid', 'SELECT count(*) FILTER (WHERE cdm.email_valid(email)) FROM bench_q_people'),
               ('cdm.phone_valid (libphonenumber)', 'SELECT count(*) FILTER (WHERE cdm.phone_valid(phone, ''AU'')) FROM bench_q_people'),
               ('cdm.country_code', 'SELECT count(*) FILTER (WHERE cdm.country_code(country) IS NOT NULL) FROM bench_q_people'),
               ('postcode shape (regex)', 'SELECT count(*) FILTER (WHERE upper(btrim(postcode)) ~ ''^[0-9]{4}$'') FROM bench_q_people')) p(part, q);

\pset footer off
SELECT CASE b.id WHEN 1 THEN 'cdm.quality vs one sequential scan' ELSE 'cdm.quality vs plain-SQL KPIs' END AS comparison,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY b.ms) FILTER (WHERE b.side = 'cdm')::numeric, 1) AS cdm_ms,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY b.ms) FILTER (WHERE b.side = 'peer')::numeric, 1) AS other_ms,
       round((percentile_cont(0.5) WITHIN GROUP (ORDER BY b.ms) FILTER (WHERE b.side = 'cdm')
              / percentile_cont(0.5) WITHIN GROUP (ORDER BY b.ms) FILTER (WHERE b.side = 'peer'))::numeric, 2) AS ratio
  FROM bench_times b GROUP BY b.id ORDER BY b.id;
SELECT part, round(ms::numeric, 1) AS ms FROM bench_parts;
-- what the checks find (cdm vs the peer's regular expressions), overall
SELECT q.field, round(q.value::numeric, 4) AS cdm_validity,
       round(CASE q.field WHEN 'email' THEN p.email_valid::numeric / nullif(p.email, 0)
                          WHEN 'phone' THEN p.phone_valid::numeric / nullif(p.phone, 0)
                          WHEN 'dob' THEN p.dob_valid::numeric / nullif(p.dob, 0)
                          WHEN 'postcode' THEN p.postcode_valid::numeric / nullif(p.postcode, 0) END, 4) AS peer_validity
  FROM cdm.quality('bench_q_people', 'AU') q, peer_quality p
 WHERE q.source IS NULL AND q.kpi = 'validity' AND p.source_system IS NULL
 ORDER BY q.field;
