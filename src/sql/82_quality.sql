-- ---------------------------------------------------------------------------
-- Govern: data-quality figures.  The KPIs customer-data teams watch --
-- completeness, validity, uniqueness (duplicate rate) and freshness -- per
-- source system and per field, over any table or view that uses cdm's role
-- names, and over the entity store; in long form so a BI tool charts them
-- as they are.
-- ---------------------------------------------------------------------------

CREATE TABLE cdm.postcode_format (
  country  text PRIMARY KEY CHECK (country ~ '^[A-Z]{2}$'),
  pattern  text NOT NULL,
  example  text NOT NULL CHECK (example ~ pattern)
);
COMMENT ON TABLE cdm.postcode_format IS
'The shape of a valid postcode per country (ISO 3166-1 alpha-2), as an anchored regular expression over the upper-cased, trimmed postcode; cdm.quality counts postcodes of other shapes as invalid. The shapes follow the formats the national postal operators publish (collected by the Universal Postal Union''s addressing pages); add or change rows for your countries (cdm_admin).';
COMMENT ON COLUMN cdm.postcode_format.country IS 'ISO 3166-1 alpha-2 code.';
COMMENT ON COLUMN cdm.postcode_format.pattern IS 'Anchored POSIX regular expression for the upper-cased, trimmed postcode.';
COMMENT ON COLUMN cdm.postcode_format.example IS 'A postcode of that shape (checked against the pattern).';
INSERT INTO cdm.postcode_format (country, pattern, example) VALUES
  ('AT', '^[0-9]{4}$', '1010'),
  ('AU', '^[0-9]{4}$', '2600'),
  ('BE', '^[0-9]{4}$', '1000'),
  ('BR', '^[0-9]{5}-?[0-9]{3}$', '01310-100'),
  ('CA', '^[A-Z][0-9][A-Z] ?[0-9][A-Z][0-9]$', 'K1A 0B1'),
  ('CH', '^[0-9]{4}$', '8001'),
  ('CN', '^[0-9]{6}$', '100000'),
  ('CZ', '^[0-9]{3} ?[0-9]{2}$', '110 00'),
  ('DE', '^[0-9]{5}$', '10115'),
  ('DK', '^[0-9]{4}$', '1050'),
  ('ES', '^[0-9]{5}$', '28001'),
  ('FI', '^[0-9]{5}$', '00100'),
  ('FR', '^[0-9]{5}$', '75001'),
  ('GB', '^([A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}|GIR ?0AA)$', 'SW1A 1AA'),
  ('IE', '^[A-Z][0-9][0-9W] ?[A-Z0-9]{4}$', 'D02 X285'),
  ('IN', '^[0-9]{6}$', '110001'),
  ('IT', '^[0-9]{5}$', '00184'),
  ('JP', '^[0-9]{3}-?[0-9]{4}$', '100-0001'),
  ('MX', '^[0-9]{5}$', '06000'),
  ('NL', '^[0-9]{4} ?[A-Z]{2}$', '1012 JS'),
  ('NO', '^[0-9]{4}$', '0150'),
  ('NZ', '^[0-9]{4}$', '6011'),
  ('PL', '^[0-9]{2}-[0-9]{3}$', '00-950'),
  ('PT', '^[0-9]{4}-[0-9]{3}$', '1000-001'),
  ('RU', '^[0-9]{6}$', '101000'),
  ('SE', '^[0-9]{3} ?[0-9]{2}$', '111 22'),
  ('US', '^[0-9]{5}(-[0-9]{4})?$', '20500-0003'),
  ('ZA', '^[0-9]{4}$', '0002');
SELECT pg_catalog.pg_extension_config_dump('cdm.postcode_format', '');

-- Runs of cdm.dedupe, for the duplicate rate of the tables they read.
CREATE TABLE cdm.dedupe_run (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  relid      oid NOT NULL,
  relation   text NOT NULL,
  run_at     timestamptz NOT NULL DEFAULT now(),
  run_by     name NOT NULL DEFAULT current_user,
  threshold  float8 NOT NULL,
  model      text,
  records    bigint NOT NULL,
  clusters   bigint NOT NULL
);
COMMENT ON TABLE cdm.dedupe_run IS
'One row per cdm.dedupe call that finished (not in read-only transactions, e.g. on a standby): the table, when, by whom, threshold, model, how many records and clusters. cdm.quality takes the duplicate rate of a table from its latest run (1 - clusters / records); cdm.duplicate_rate_over_time lists them all. Everyone reads every run; a role adds only its own.';
COMMENT ON COLUMN cdm.dedupe_run.id IS 'Run id.';
COMMENT ON COLUMN cdm.dedupe_run.relid IS 'The table''s oid (renames keep matching).';
COMMENT ON COLUMN cdm.dedupe_run.relation IS 'The table''s name at the time.';
COMMENT ON COLUMN cdm.dedupe_run.run_at IS 'When the run started (its transaction).';
COMMENT ON COLUMN cdm.dedupe_run.run_by IS 'Who ran it.';
COMMENT ON COLUMN cdm.dedupe_run.threshold IS 'The link threshold.';
COMMENT ON COLUMN cdm.dedupe_run.model IS 'The model reused, or NULL when the run trained its own.';
COMMENT ON COLUMN cdm.dedupe_run.records IS 'Records read.';
COMMENT ON COLUMN cdm.dedupe_run.clusters IS 'Clusters found (people).';
CREATE INDEX dedupe_run_relid_idx ON cdm.dedupe_run (relid, run_at DESC);
COMMENT ON INDEX cdm.dedupe_run_relid_idx IS 'The latest run of a table.';
ALTER TABLE cdm.dedupe_run ENABLE ROW LEVEL SECURITY;
CREATE POLICY dedupe_run_read ON cdm.dedupe_run FOR SELECT USING (true);
CREATE POLICY dedupe_run_add ON cdm.dedupe_run FOR INSERT WITH CHECK (run_by = current_user);
COMMENT ON POLICY dedupe_run_read ON cdm.dedupe_run IS 'Every role reads every run.';
COMMENT ON POLICY dedupe_run_add ON cdm.dedupe_run IS 'A role records only its own runs (cdm.dedupe runs as its caller).';
GRANT SELECT, INSERT ON cdm.dedupe_run TO PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('cdm.dedupe_run', '');

-- the postcode check of one row: its country's shape (NULL: no shape known)
CREATE FUNCTION cdm.postcode_valid(postcode text, country text) RETURNS boolean
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT upper(btrim(postcode)) ~ f.pattern
    FROM cdm.postcode_format f WHERE f.country = cdm.country_code(postcode_valid.country)
$$;
COMMENT ON FUNCTION cdm.postcode_valid(text, text) IS
'Does the postcode have the shape of a postcode of the country (its English name or ISO code; the shapes are cdm.postcode_format''s)? postcode_valid(''2600'', ''Australia'') = true, postcode_valid(''SW1A 1AA'', ''GB'') = true, postcode_valid(''ABC'', ''DE'') = false; NULL when the country is unknown or has no shape in cdm.postcode_format. A shape check: it does not say the postcode exists.';

CREATE FUNCTION cdm.quality(relation regclass, country text DEFAULT NULL, as_of timestamptz DEFAULT now())
RETURNS TABLE (source text, field text, kpi text, value float8, numerator bigint, denominator bigint)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  roles   constant text[] := ARRAY['given_name', 'family_name', 'full_name', 'dob', 'email', 'phone',
                                   'address', 'city', 'postcode', 'country', 'national_id'];
  cols    text[];
  types   text[];
  present text[] := '{}';
  r       text;
  i       integer;
  src     text;
  cc      text;                -- the country code expression of a row
  pc_case text;
  pc_countries text[];
  inner_sel text;
  sel     text[] := '{}';
  q       text;
  dupcol  text;
  run     cdm.dedupe_run;
  groups  jsonb;
BEGIN
  IF relation IS NULL OR as_of IS NULL THEN
    RETURN;
  END IF;
  SELECT array_agg(a.attname::text ORDER BY a.attnum), array_agg(format_type(a.atttypid, NULL) ORDER BY a.attnum)
    INTO cols, types
    FROM pg_attribute a WHERE a.attrelid = relation AND a.attnum > 0 AND NOT a.attisdropped;
  IF country IS NOT NULL AND cdm.country_code(country) IS NULL THEN
    RAISE EXCEPTION 'cdm.quality: unknown country "%"', country
      USING ERRCODE = '22023', HINT = 'Give an ISO 3166-1 alpha-2 code (''AU'') or an English country name (''Australia'').';
  END IF;
  FOREACH r IN ARRAY roles LOOP
    IF r = ANY (cols) THEN
      present := present || r;
    END IF;
  END LOOP;
  IF cardinality(present) = 0 THEN
    RAISE EXCEPTION 'cdm.quality: % has no column named like a role', relation
      USING ERRCODE = '42703',
            HINT = 'cdm.quality reads the columns named ' || array_to_string(roles, ', ') || ' (and source_system, updated_at, cluster_id); expose a view with those names.';
  END IF;
  src := CASE WHEN 'source_system' = ANY (cols) THEN 't.source_system::text'
              WHEN 'source' = ANY (cols) THEN 't.source::text' ELSE 'NULL::text' END;
  -- the row's country code and trimmed upper-case postcode are computed once
  -- per row, in the subquery t below (as _cdm_cc and _cdm_pc), not once per
  -- aggregate that uses them
  cc := CASE WHEN 'country' = ANY (cols)
             THEN format('coalesce(cdm.country_code(t.country::text), %L)', cdm.country_code(country))
             ELSE quote_nullable(cdm.country_code(country)) END;
  inner_sel := format('%s AS _cdm_cc', cc);
  IF 'postcode' = ANY (present) THEN
    inner_sel := inner_sel || format(', nullif(upper(btrim(t.postcode::text)), %L) AS _cdm_pc', '');
  END IF;
  sel := sel || format('%s AS source', src) || 'count(*) AS records'::text;
  FOREACH r IN ARRAY present LOOP
    IF r = 'postcode' THEN
      -- upper-casing keeps blank blank
      sel := sel || 'count(t._cdm_pc) AS f_postcode'::text;
    ELSE
      sel := sel || format('count(*) FILTER (WHERE nullif(btrim(t.%I::text), %L) IS NOT NULL) AS "f_%s"', r, '', r);
    END IF;
  END LOOP;
  IF 'email' = ANY (present) THEN
    sel := sel || 'count(*) FILTER (WHERE cdm.email_valid(t.email::text)) AS v_email'::text;
  END IF;
  IF 'phone' = ANY (present) THEN
    sel := sel || format('count(*) FILTER (WHERE cdm.phone_valid(t.phone::text, coalesce(t._cdm_cc, %L))) AS v_phone', 'US');
  END IF;
  IF 'dob' = ANY (present) THEN
    i := array_position(cols, 'dob');
    IF types[i] IN ('date', 'timestamp without time zone', 'timestamp with time zone') THEN
      sel := sel || format('count(*) FILTER (WHERE t.dob::date <= %L::date AND t.dob::date > %L::date - 120 * 365.25 * interval %L) AS v_dob',
                           as_of, as_of, '1 day');
    ELSE
      -- text: an ISO date of a plausible year, month and day
      sel := sel || format('count(*) FILTER (WHERE btrim(t.dob::text) ~ %L AND left(btrim(t.dob::text), 4)::int BETWEEN %s AND %s) AS v_dob',
                           '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$',
                           extract(year FROM as_of)::int - 120, extract(year FROM as_of)::int);
    END IF;
  END IF;
  IF 'postcode' = ANY (present) THEN
    -- a postcode is checked (k) when its country has a shape, valid (v) when
    -- it has that shape; a postcode is never NULL here, so the CASE is NULL
    -- exactly when no shape is known and k needs no regular expression
    SELECT coalesce('CASE t._cdm_cc' || string_agg(format(' WHEN %L THEN t._cdm_pc ~ %L', f.country, f.pattern), '' ORDER BY f.country)
                    || ' END', 'NULL::boolean'),
           coalesce(array_agg(f.country ORDER BY f.country), '{}')
      INTO pc_case, pc_countries FROM cdm.postcode_format f;
    sel := sel || format('count(*) FILTER (WHERE t._cdm_pc IS NOT NULL AND t._cdm_cc = ANY (%L::text[])) AS k_postcode', pc_countries)
               || format('count(*) FILTER (WHERE t._cdm_pc IS NOT NULL AND (%s)) AS v_postcode', pc_case);
  END IF;
  IF 'updated_at' = ANY (cols) THEN
    sel := sel || 'count(t.updated_at) AS u_n'::text
               || format('sum(extract(epoch FROM %L::timestamptz - t.updated_at::timestamptz) / 86400) AS u_age', as_of)
               || format('count(*) FILTER (WHERE t.updated_at::timestamptz > %L::timestamptz - interval %L) AS u_30', as_of, '30 days')
               || format('count(*) FILTER (WHERE t.updated_at::timestamptz > %L::timestamptz - interval %L) AS u_365', as_of, '365 days');
  END IF;
  dupcol := CASE WHEN 'cluster_id' = ANY (cols) THEN 'cluster_id' WHEN 'entity' = ANY (cols) THEN 'entity' END;
  IF dupcol IS NOT NULL THEN
    sel := sel || format('count(DISTINCT t.%I) AS d_clusters', dupcol) || format('count(t.%I) AS d_n', dupcol);
  END IF;
  -- one scan, grouped by source; the totals are sums of the groups.  An
  -- OFFSET keeps t a subquery (pulled up, its computed columns' expressions
  -- would be copied into every aggregate that reads them); OFFSET NULL, not
  -- OFFSET 0, because the planner sees that a NULL constant limits nothing
  -- and still gives the scan parallel workers, while 0 (an int4 literal cast
  -- to bigint) reads to it as a limit, and the scan runs in one process.
  q := format('SELECT coalesce(jsonb_agg(to_jsonb(g)), %L) FROM (SELECT %s FROM (SELECT t.*, %s FROM %s t OFFSET NULL) t GROUP BY 1) g',
              '[]', array_to_string(sel, ', '), inner_sel, relation);
  EXECUTE q INTO groups;
  IF dupcol IS NOT NULL THEN
    -- distinct clusters do not add up over sources: count them overall
    EXECUTE format('SELECT count(DISTINCT t.%I), count(t.%I) FROM %s t', dupcol, dupcol, relation)
      INTO run.clusters, run.records;
  ELSE
    SELECT * INTO run FROM cdm.dedupe_run d WHERE d.relid = quality.relation ORDER BY d.run_at DESC, d.id DESC LIMIT 1;
  END IF;
  RETURN QUERY
  WITH grp AS (
    SELECT x.g ->> 'source' AS source, x.g FROM jsonb_array_elements(groups) x(g) WHERE src <> 'NULL::text'
    UNION ALL
    SELECT NULL, coalesce((SELECT jsonb_object_agg(k.key, k.total)
                             FROM (SELECT e.key, sum((e.value)::text::numeric) AS total
                                     FROM jsonb_array_elements(groups) x(g), jsonb_each(x.g) e
                                    WHERE e.key <> 'source' GROUP BY e.key) k),
                          '{"records": 0}'::jsonb)
  ), rows AS (
    SELECT grp.source, '*'::text AS field, 'records'::text AS kpi, (grp.g ->> 'records')::float8 AS value,
           (grp.g ->> 'records')::bigint AS num, NULL::bigint AS den, grp.g
      FROM grp
    UNION ALL
    SELECT grp.source, p.role, 'completeness', NULL, (grp.g ->> ('f_' || p.role))::bigint, (grp.g ->> 'records')::bigint, grp.g
      FROM grp, unnest(present) p(role)
    UNION ALL
    SELECT grp.source, v.role, 'validity', NULL, (grp.g ->> ('v_' || v.role))::bigint,
           CASE v.role WHEN 'postcode' THEN (grp.g ->> 'k_postcode')::bigint ELSE (grp.g ->> ('f_' || v.role))::bigint END,
           grp.g
      FROM grp, unnest(ARRAY['email', 'phone', 'dob', 'postcode']) v(role)
     WHERE grp.g ? ('v_' || v.role)
    UNION ALL
    SELECT grp.source, 'updated_at', 'freshness_mean_days',
           (grp.g ->> 'u_age')::float8 / nullif((grp.g ->> 'u_n')::float8, 0), NULL, (grp.g ->> 'u_n')::bigint, grp.g
      FROM grp WHERE grp.g ? 'u_n'
    UNION ALL
    SELECT grp.source, 'updated_at', w.kpi, NULL, (grp.g ->> w.k)::bigint, (grp.g ->> 'u_n')::bigint, grp.g
      FROM grp, (VALUES ('updated_within_30_days', 'u_30'), ('updated_within_365_days', 'u_365')) w(kpi, k)
     WHERE grp.g ? 'u_n'
    UNION ALL
    SELECT grp.source, '*', 'duplicate_rate', NULL,
           (grp.g ->> 'd_n')::bigint - (grp.g ->> 'd_clusters')::bigint, (grp.g ->> 'd_n')::bigint, grp.g
      FROM grp WHERE grp.g ? 'd_n' AND grp.source IS NOT NULL
  )
  SELECT r.source, r.field, r.kpi,
         coalesce(r.value, r.num::float8 / nullif(r.den, 0)), r.num, r.den
    FROM rows r
  UNION ALL
  -- the whole relation's duplicate rate: its cluster column, else its latest cdm.dedupe run
  SELECT NULL, '*', 'duplicate_rate',
         (run.records - run.clusters)::float8 / nullif(run.records, 0), run.records - run.clusters, run.records
   WHERE run.records IS NOT NULL
  ORDER BY 1 NULLS FIRST, 2, 3;
END
$$;
COMMENT ON FUNCTION cdm.quality(regclass, text, timestamptz) IS
'Data-quality KPIs of any table or view whose columns use cdm''s role names (given_name, family_name, full_name, dob, email, phone, address, city, postcode, country, national_id), in one scan, per source system (a source_system or source column) and overall (source NULL), as rows (source, field, kpi, value, numerator, denominator): records; completeness per role present (non-blank / records); validity of email (cdm.email_valid), phone (cdm.phone_valid in the row''s country, else the country argument, else US), dob (a date within the last 120 years up to as_of; text: an ISO date of such a year), postcode (the shape of its country in cdm.postcode_format; denominator: postcodes whose country has a shape); freshness of updated_at (mean age in days at as_of, share updated within 30 and 365 days); duplicate_rate = 1 - people / records, from a cluster_id or entity column when there is one (also per source), else from the table''s latest cdm.dedupe run (overall only). country: the country of rows without one (ISO code or English name). No role column: 42703; unknown country: 22023.';

-- --------------------------------------------------- the store, for BI tools

CREATE VIEW cdm.store_records AS
SELECT r.id, r.source AS source_system, r.entity,
       a ->> 'given_name' AS given_name, a ->> 'family_name' AS family_name, a ->> 'full_name' AS full_name,
       a ->> 'dob' AS dob, a ->> 'email' AS email, a ->> 'phone' AS phone, a ->> 'address' AS address,
       a ->> 'city' AS city, a ->> 'postcode' AS postcode, a ->> 'country' AS country,
       a ->> 'national_id' AS national_id, r.created_at, r.updated_at
  FROM cdm.record r
 CROSS JOIN LATERAL cdm._store_clean(r.attrs) a
 WHERE r.retired_at IS NULL;
COMMENT ON VIEW cdm.store_records IS
'The live records of the store as plain columns by role name (as text), with their source system, entity and times: what cdm.quality reads for cdm.quality_by_source, and a flat table for BI tools.';

CREATE VIEW cdm.quality_by_source AS
SELECT q.source, q.field, q.kpi, q.value, q.numerator, q.denominator
  FROM cdm.quality('cdm.store_records'::regclass) q;
COMMENT ON VIEW cdm.quality_by_source IS
'cdm.quality over the store''s live records now: per source system (and overall, source NULL) and field: records, completeness, validity, freshness of updated_at, and duplicate_rate (1 - entities / records: within a source, how many of its records are extra copies of a person it already has; overall, of anyone). Chart: SELECT source, field, value FROM cdm.quality_by_source WHERE kpi = ''completeness''.';

CREATE VIEW cdm.duplicate_rate_over_time AS
WITH months AS (
  SELECT (date_trunc('month', now()) - make_interval(months => i))::date AS month,
         least(date_trunc('month', now()) - make_interval(months => i - 1) - interval '1 microsecond', now()) AS as_of
    FROM generate_series(0, 23) i
)
SELECT 'cdm.store'::text AS subject, m.month, m.as_of, s.records, s.people,
       CASE WHEN s.records > 0 THEN 1 - s.people::float8 / s.records END AS duplicate_rate
  FROM months m
 CROSS JOIN LATERAL (SELECT count(*) AS records, count(DISTINCT r.entity) AS people
                       FROM cdm.record r
                      WHERE r.created_at <= m.as_of AND (r.retired_at IS NULL OR r.retired_at > m.as_of)) s
UNION ALL
SELECT d.relation, date_trunc('month', d.run_at)::date, d.run_at, d.records, d.clusters,
       CASE WHEN d.records > 0 THEN 1 - d.clusters::float8 / d.records END
  FROM cdm.dedupe_run d;
COMMENT ON VIEW cdm.duplicate_rate_over_time IS
'The duplicate rate over time: for the store (subject cdm.store), at the end of each of the last 24 months, the records live then and the people they are as currently resolved (1 - people / records); for every cdm.dedupe run, the table''s records, clusters and rate then. Chart: SELECT month, subject, duplicate_rate FROM cdm.duplicate_rate_over_time ORDER BY month.';

CREATE VIEW cdm.customer_360 AS
SELECT g.entity,
       g.attrs ->> 'given_name' AS given_name, g.attrs ->> 'family_name' AS family_name,
       g.attrs ->> 'full_name' AS full_name, g.attrs ->> 'dob' AS dob, g.attrs ->> 'email' AS email,
       g.attrs ->> 'phone' AS phone, g.attrs ->> 'address' AS address, g.attrs ->> 'city' AS city,
       g.attrs ->> 'postcode' AS postcode, g.attrs ->> 'country' AS country,
       cl.stage, cl.stage_entered_at, cl.active_under, (cl.active_under IS NOT NULL) AS active_any,
       src.sources, g.records, src.first_seen, g.updated_at AS last_updated,
       cl.last_milestone_at AS last_activity_at, cl.milestones
  FROM cdm.golden g
  JOIN cdm.customer_lifecycle cl ON cl.entity = g.entity
 CROSS JOIN LATERAL (SELECT string_agg(DISTINCT r.source, ', ' ORDER BY r.source) AS sources,
                            min(r.created_at) AS first_seen
                       FROM cdm.record r WHERE r.entity = g.entity AND r.retired_at IS NULL) src;
COMMENT ON VIEW cdm.customer_360 IS
'One row per golden customer (live entity with a live record): the golden values of the roles as text, the lifecycle stage (default model) and since when, the definitions of active it meets now (comma-separated; active_any), its source systems (comma-separated), how many records, first seen, last updated, last milestone and how many. Plain columns for BI tools; one flag row per definition is in cdm.customer_active.';
