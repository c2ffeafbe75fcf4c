-- bench/knn_quick.sql - quick nearest-neighbour benchmark of cdm.gist_key_ops
-- against pg_trgm's GiST (helper's harness; the real one is bench/block.sh).
-- Run through bench/knn_quick.sh (throwaway cluster).  psql variables:
--   :csv      path of test/data/febrl/dataset3.csv
--   :siglens  signature lengths to build, e.g. '{64,256}'
\set ON_ERROR_STOP on
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS cdm;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
SET search_path = public, cdm;
SET max_parallel_workers_per_gather = 0;
SET jit = off;

CREATE TEMP TABLE febrl_raw (rec_id text, given_name text, surname text, street_number text,
  address_1 text, address_2 text, suburb text, postcode text, state text, date_of_birth text,
  soc_sec_id text);
COPY febrl_raw FROM :'csv' WITH (FORMAT csv, HEADER true);

-- Deterministic corruptions.
CREATE FUNCTION pg_temp.typo(s text, seed bigint) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN length(s) < 2 THEN s || chr(97 + (seed % 26)::int)
  ELSE CASE (seed / 7) % 4
    WHEN 0 THEN overlay(s placing '' from (1 + seed % length(s))::int for 1)
    WHEN 1 THEN overlay(s placing chr(97 + ((seed / 31) % 26)::int) from (1 + seed % length(s))::int for 1)
    WHEN 2 THEN overlay(s placing chr(97 + ((seed / 31) % 26)::int) from (1 + seed % length(s))::int for 0)
    ELSE overlay(s placing substr(s, (2 + seed % (length(s) - 1))::int, 1) || substr(s, (1 + seed % (length(s) - 1))::int, 1)
                 from (1 + seed % (length(s) - 1))::int for 2)
  END END $$;
CREATE FUNCTION pg_temp.h(s text) RETURNS bigint LANGUAGE sql IMMUTABLE AS
  $$ SELECT ('x' || substr(md5(s), 1, 12))::bit(48)::bigint $$;
CREATE FUNCTION pg_temp.cyr(s text) RETURNS text LANGUAGE sql IMMUTABLE AS
  $$ SELECT translate(replace(replace(replace(s, 'x', 'кс'), 'sh', 'ш'), 'ch', 'ч'),
                      'abcdefghijklmnopqrstuvwyz', 'абкдефгхийклмнопкрстувуыз') $$;

CREATE TEMP TABLE base AS
SELECT row_number() OVER (ORDER BY rec_id) AS rid,
       split_part(rec_id, '-', 2)::int AS entity,
       coalesce(btrim(given_name), '') AS gn, coalesce(btrim(surname), '') AS sn
  FROM febrl_raw;

CREATE TEMP TABLE nick AS
SELECT DISTINCT ON (n) n, alt FROM (
  SELECT name AS n, nickname AS alt FROM cdm.nickname_pairs()
  UNION ALL SELECT nickname, name FROM cdm.nickname_pairs()) x
 WHERE n !~ ' ' AND alt !~ ' ' ORDER BY n, md5(n || alt);

CREATE TABLE names (id serial PRIMARY KEY, entity int, variant int, name text);
INSERT INTO names (entity, variant, name)
SELECT b.entity, v,
  CASE v
    WHEN 0 THEN b.gn || ' ' || b.sn
    WHEN 1 THEN pg_temp.typo(b.gn, pg_temp.h('g' || b.rid)) || ' ' || b.sn
    WHEN 2 THEN b.gn || ' ' || pg_temp.typo(b.sn, pg_temp.h('s' || b.rid))
    WHEN 3 THEN coalesce(nk.alt, pg_temp.typo(b.gn, pg_temp.h('n' || b.rid))) || ' ' || b.sn
    WHEN 4 THEN b.sn || ' ' || b.gn
    WHEN 5 THEN pg_temp.typo(b.gn, pg_temp.h('G' || b.rid)) || ' ' || pg_temp.typo(b.sn, pg_temp.h('S' || b.rid))
    WHEN 6 THEN CASE WHEN b.rid % 2 = 0 THEN pg_temp.cyr(b.gn || ' ' || b.sn)
                     ELSE left(b.gn, 1) || ' ' || b.sn END
    ELSE CASE WHEN b.rid % 2 = 0 THEN b.sn ELSE upper(b.gn) || ' ' || upper(b.sn) END
  END
  FROM base b LEFT JOIN nick nk ON nk.n = b.gn, generate_series(0, 7) v
 ORDER BY md5(b.rid || '/' || v);
ANALYZE names;

CREATE TABLE queries AS
SELECT row_number() OVER (ORDER BY md5('q' || id)) AS qid, id, entity, name
  FROM names ORDER BY md5('q' || id) LIMIT 500;
CREATE TABLE truth AS
SELECT q.qid, least(10, count(n.id)) AS want
  FROM queries q JOIN names n ON n.entity = q.entity AND n.id <> q.id GROUP BY q.qid;
SELECT count(*) AS names, count(DISTINCT entity) AS entities,
       round(avg(length(name)), 1) AS avg_len, round(avg(key_ntokens(name_key(name))), 1) AS avg_tokens
  FROM names;
SELECT count(*) AS queries, round(avg(want), 2) AS avg_want FROM truth;
SELECT variant, name FROM names WHERE entity = (SELECT entity FROM names WHERE id = 1)
 ORDER BY variant, id LIMIT 12;

CREATE TABLE results (method text, qid bigint, id int, rank int);
CREATE TABLE timing (method text, what text, ms float8, size bigint);

CREATE FUNCTION pg_temp.build(method text, ddl text, idx text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz; BEGIN
  t0 := clock_timestamp();
  EXECUTE ddl;
  INSERT INTO timing VALUES (method, 'build', extract(epoch FROM clock_timestamp() - t0) * 1000,
                             pg_relation_size(idx));
END $$;

-- Time every query for both methods, interleaved; 2 rounds, the second counted.
CREATE FUNCTION pg_temp.run(method text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE r record; t0 timestamptz; tc float8 := 0; tt float8 := 0; a int[]; b int[]; rnd int;
  pc bigint; pt bigint;
BEGIN
  SET LOCAL enable_seqscan = off;
  FOR rnd IN 1..2 LOOP
    tc := 0; tt := 0;
    pc := pg_stat_get_xact_blocks_fetched('names_cdm'::regclass);
    pt := pg_stat_get_xact_blocks_fetched('names_trgm'::regclass);
    FOR r IN SELECT * FROM queries ORDER BY qid LOOP
      -- static SQL in plpgsql: plans are cached, the time is the scan's
      t0 := clock_timestamp();
      SELECT array_agg(id) INTO a FROM (SELECT id FROM names
        ORDER BY name_key(name) <-> name_key(r.name) LIMIT 11) x;
      tc := tc + extract(epoch FROM clock_timestamp() - t0);
      t0 := clock_timestamp();
      SELECT array_agg(id) INTO b FROM (SELECT id FROM names
        ORDER BY lower(name) <-> lower(r.name) LIMIT 11) x;
      tt := tt + extract(epoch FROM clock_timestamp() - t0);
      IF rnd = 2 THEN
        INSERT INTO results SELECT method, r.qid, x, o FROM unnest(a) WITH ORDINALITY u(x, o);
        INSERT INTO results SELECT 'pg_trgm', r.qid, x, o FROM unnest(b) WITH ORDINALITY u(x, o)
         WHERE NOT EXISTS (SELECT FROM results x WHERE x.method = 'pg_trgm' AND x.qid = r.qid);
      END IF;
    END LOOP;
  END LOOP;
  INSERT INTO timing VALUES (method, 'query', tc * 1000 / 500, NULL), ('pg_trgm', 'query', tt * 1000 / 500, NULL),
    (method, 'pages', (pg_stat_get_xact_blocks_fetched('names_cdm'::regclass) - pc) / 500.0, NULL),
    ('pg_trgm', 'pages', (pg_stat_get_xact_blocks_fetched('names_trgm'::regclass) - pt) / 500.0, NULL);
END $$;

SELECT pg_temp.build('pg_trgm', 'CREATE INDEX names_trgm ON names USING gist (lower(name) gist_trgm_ops)', 'names_trgm');

-- one cdm index at a time (the planner would otherwise pick any)
SELECT format('SELECT pg_temp.build(%L, %L, %L); SELECT pg_temp.run(%L); EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT id FROM names ORDER BY name_key(name) <-> name_key(%L) LIMIT 10; DROP INDEX names_cdm;',
              'cdm siglen ' || s,
              format('CREATE INDEX names_cdm ON names USING gist (name_key(name) gist_key_ops (siglen = %s))', s),
              'names_cdm', 'cdm siglen ' || s, 'toby webb')
  FROM unnest(:'siglens'::int[]) s \gexec
SET enable_seqscan = off;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF, SUMMARY OFF)
SELECT id FROM names ORDER BY lower(name) <-> lower('toby webb') LIMIT 10;

-- recall@10: same-entity rows (the query row itself excluded) among the first 10 others.
CREATE TEMP TABLE recall AS
SELECT method, round(avg(LEAST(1.0, hit::numeric / want)), 3) AS recall
  FROM (SELECT r.method, r.qid, t.want,
               count(*) FILTER (WHERE n.entity = q.entity) AS hit
          FROM (SELECT method, qid, id, row_number() OVER (PARTITION BY method, qid ORDER BY rank) AS k
                  FROM results r WHERE id <> (SELECT id FROM queries WHERE qid = r.qid)) r
          JOIN queries q USING (qid) JOIN names n ON n.id = r.id JOIN truth t USING (qid)
         WHERE r.k <= 10
         GROUP BY r.method, r.qid, t.want) x
 GROUP BY method;
SELECT t.method, r.recall,
       round(avg(ms) FILTER (WHERE what = 'query')::numeric, 3) AS ms_query,
       round(avg(ms) FILTER (WHERE what = 'pages')::numeric, 1) AS pages_query,
       round(max(ms) FILTER (WHERE what = 'build')::numeric, 0) AS build_ms,
       pg_size_pretty(max(size)) AS size, max(size) AS bytes
  FROM timing t JOIN recall r USING (method) GROUP BY t.method, r.recall ORDER BY t.method;
-- recall by the variant of the query name
SELECT method, n.variant, round(avg(LEAST(1.0, hit::numeric / want)), 3) AS recall
  FROM (SELECT r.method, r.qid, t.want, count(*) FILTER (WHERE n.entity = q.entity) AS hit
          FROM (SELECT method, qid, id, row_number() OVER (PARTITION BY method, qid ORDER BY rank) AS k
                  FROM results r WHERE id <> (SELECT id FROM queries WHERE qid = r.qid)) r
          JOIN queries q USING (qid) JOIN names n ON n.id = r.id JOIN truth t USING (qid)
         WHERE r.k <= 10 GROUP BY r.method, r.qid, t.want) x
  JOIN queries q USING (qid) JOIN names n ON n.id = q.id
 GROUP BY method, n.variant ORDER BY n.variant, method \crosstabview method variant recall
