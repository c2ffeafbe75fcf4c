-- bench/lifecycle.sql: cdm's active counts against the plain-SQL peer
-- (bench/lifecycle_peer.sql) on the data of bench/lifecycle_gen.sql and
-- bench/lifecycle_load.sql.  Run by bench/lifecycle.sh.
--
-- Sanity first (judged: any difference prints WRONG and the run fails):
-- for every definition, cdm.active_count = the peer's count at three dates
-- (the anchor, one and two years before); the set of live entities active
-- at the anchor is the same on both sides (cdm's read through the internal
-- cdm._timeline_active over cdm.entity_timeline); cdm.active_monthly's 24
-- counts = cdm.active_counts at the view's own moments = the peer at those
-- moments; cdm.is_active = the peer's per-entity query for every sampled
-- entity at the three dates.
--
-- Timing (bench_ms of lib/timing.sql: clock_timestamp() around EXECUTE of
-- the statement text, the same wrapper for both sides), medians:
--   active_count at each date       :reps times each side, interleaved
--                                   (bench_pair)
--   24 months, cdm.active_counts    :reps times
--   24 months, cdm.active_monthly   :reps times (filtered on the definition)
--   24 months, the peer             :peer_monthly_reps times (the first is
--                                   its sanity run): unnest of the 24
--                                   moments, the peer's count LATERAL per
--                                   moment (a user's generate_series of month
--                                   ends joined with the count query)
--   is_active x sample              :reps times each side, interleaved
--
-- psql variables: reps (3), peer_monthly_reps (1), header, outfile.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET jit = off;
-- A DBA running reports over ten million rows raises work_mem; with the
-- default 4MB the peer's DISTINCT spills to disk, and on PostgreSQL 15 one of
-- its counts (operations a year before the anchor: a hash aggregate over a
-- parallel partial aggregate, spilling) ran for minutes instead of 2 s.
-- cdm's counts do not use work_mem.
SET work_mem = '64MB';
\if :{?reps}
\else
\set reps 3
\endif
\if :{?peer_monthly_reps}
\else
\set peer_monthly_reps 1
\endif
SELECT set_config('bench.reps', :'reps', false) AS set_reps,
       set_config('bench.peer_monthly_reps', :'peer_monthly_reps', false) AS set_peer_monthly_reps \gset
\ir lib/timing.sql
DROP TABLE IF EXISTS bench_times;
CREATE TABLE bench_times (id int, side text, rep int, ms float8);

CREATE TABLE bench_lc.dates AS
SELECT i, p.anchor - make_interval(years => 3 - i) AS t FROM bench_lc.param p, generate_series(1, 3) i;

-- The peer's statements: its count at t (an SQL expression), its 24 months,
-- its per-entity answer over the sample.
CREATE FUNCTION bench_lc.peer_count(def text, t text) RETURNS text LANGUAGE sql AS $f$
  SELECT 'SELECT count(*) FROM (' || replace(sql, ':T', t) || ') s'
    FROM bench_lc.peer_sql WHERE definition = def AND kind = 'set'
$f$;
CREATE FUNCTION bench_lc.ts(t timestamptz) RETURNS text LANGUAGE sql AS $f$
  SELECT quote_literal(t) || '::timestamptz'
$f$;
CREATE FUNCTION bench_lc.peer_monthly(def text, moments timestamptz[]) RETURNS text LANGUAGE sql AS $f$
  SELECT 'SELECT array_agg(x.c ORDER BY u.i)::text FROM unnest(' || quote_literal(moments) ||
         '::timestamptz[]) WITH ORDINALITY u(t, i) CROSS JOIN LATERAL (' ||
         bench_lc.peer_count(def, 'u.t') || ') x(c)'
$f$;
CREATE FUNCTION bench_lc.peer_entities(def text, t text, what text) RETURNS text LANGUAGE sql AS $f$
  SELECT 'SELECT ' || what || ' FROM bench_lc.sample s CROSS JOIN LATERAL (' ||
         replace(replace(sql, ':T', t), ':E', 's.e') || ') x(a)'
    FROM bench_lc.peer_sql WHERE definition = def AND kind = 'entity'
$f$;
CREATE TABLE bench_lc.def AS
SELECT x.o AS d, x.name
  FROM (VALUES (1, 'finance'), (2, 'sales'), (3, 'operations')) x(o, name);

-- ------------------------------------------------------------------ sanity
CREATE TABLE bench_lc.sanity (definition text, what text, cdm text, peer text, ok boolean);
CREATE TABLE bench_lc.moments (definition text PRIMARY KEY, moments timestamptz[], view_counts bigint[]);

-- counts at the three dates
DO $f$
DECLARE r record; c bigint; p bigint;
BEGIN
  FOR r IN SELECT d.name, x.t FROM bench_lc.def d, bench_lc.dates x ORDER BY d.d, x.i LOOP
    c := cdm.active_count(r.name, r.t);
    EXECUTE bench_lc.peer_count(r.name, bench_lc.ts(r.t)) INTO p;
    INSERT INTO bench_lc.sanity VALUES (r.name, 'active_count ' || to_char(r.t, 'YYYY-MM-DD'), c, p, c = p);
  END LOOP;
END $f$;

-- the same entities at the anchor
DO $f$
DECLARE r record; n bigint; cdm_set text; peer_set text;
BEGIN
  FOR r IN SELECT d.name, a.program, x.t, p.sql FROM bench_lc.def d
             JOIN cdm.active_definition_current v ON v.name = d.name
             JOIN cdm.active_definition a ON a.name = v.name AND a.version = v.version
             JOIN bench_lc.peer_sql p ON p.definition = d.name AND p.kind = 'set'
             CROSS JOIN bench_lc.dates x WHERE x.i = 3 ORDER BY d.d LOOP
    cdm_set := format('SELECT t.entity FROM cdm.entity_timeline t WHERE cdm._timeline_active(t.events, %L::bytea, %s)',
                      r.program, bench_lc.ts(r.t));
    peer_set := replace(r.sql, ':T', bench_lc.ts(r.t));
    EXECUTE format('SELECT count(*) FROM ((%s EXCEPT %s) UNION ALL (%s EXCEPT %s)) x',
                   cdm_set, peer_set, peer_set, cdm_set) INTO n;
    INSERT INTO bench_lc.sanity VALUES (r.name, 'active entities ' || to_char(r.t, 'YYYY-MM-DD') || ': in one side only',
                                        n, 0, n = 0);
  END LOOP;
END $f$;

-- 24 months: the view, cdm.active_counts at the view's moments, the peer
INSERT INTO bench_lc.moments
SELECT definition, array_agg(as_of ORDER BY month), array_agg(active ORDER BY month)
  FROM cdm.active_monthly WHERE definition IN (SELECT name FROM bench_lc.def) GROUP BY definition;
-- (the peer's 24 months take minutes: this run is also its first timed run)
DO $f$
DECLARE r record; c bigint[]; p text; t0 timestamptz;
BEGIN
  FOR r IN SELECT d.d, m.* FROM bench_lc.moments m JOIN bench_lc.def d ON d.name = m.definition ORDER BY d.d LOOP
    SELECT array_agg(x.active ORDER BY x.as_of) INTO c FROM cdm.active_counts(r.definition, r.moments) x;
    INSERT INTO bench_lc.sanity VALUES (r.definition, '24 months: active_counts = active_monthly',
                                        c::text, r.view_counts::text, c = r.view_counts);
    t0 := clock_timestamp();
    EXECUTE bench_lc.peer_monthly(r.definition, r.moments) INTO p;
    INSERT INTO bench_times VALUES (10 * r.d + 6, 'peer', 1, 1000 * extract(epoch FROM clock_timestamp() - t0));
    INSERT INTO bench_lc.sanity VALUES (r.definition, '24 months: active_counts = peer',
                                        c::text, p, c::text = p);
  END LOOP;
END $f$;

-- is_active on every sampled entity at the three dates
DO $f$
DECLARE r record; n bigint;
BEGIN
  FOR r IN SELECT d.name, x.t FROM bench_lc.def d, bench_lc.dates x ORDER BY d.d, x.i LOOP
    EXECUTE bench_lc.peer_entities(r.name, bench_lc.ts(r.t),
              format('count(*) FILTER (WHERE cdm.is_active(s.e, %L, %s) IS DISTINCT FROM x.a)',
                     r.name, bench_lc.ts(r.t)))
      INTO n;
    INSERT INTO bench_lc.sanity VALUES (r.name, 'is_active ' || to_char(r.t, 'YYYY-MM-DD') || ': sample entities that differ',
                                        n, 0, n = 0);
  END LOOP;
END $f$;

-- ------------------------------------------------------------------ timing
-- case ids: 10*d + 1..3 active_count at date i, 10*d + 4 active_counts,
-- 10*d + 5 the view, 10*d + 6 the peer's 24 months, 10*d + 7 is_active
CREATE TABLE bench_lc.cases AS
SELECT 10 * d.d + x.i AS id, d.name AS definition,
       format('SELECT cdm.active_count(%L, %s)', d.name, bench_lc.ts(x.t)) AS cdm_sql,
       bench_lc.peer_count(d.name, bench_lc.ts(x.t)) AS peer_sql
  FROM bench_lc.def d, bench_lc.dates x
UNION ALL
SELECT 10 * d.d + 7, d.name,
       format('SELECT count(*) FILTER (WHERE cdm.is_active(s.e, %L, %s)) FROM bench_lc.sample s',
              d.name, bench_lc.ts(x.t)),
       bench_lc.peer_entities(d.name, bench_lc.ts(x.t), 'count(*) FILTER (WHERE x.a)')
  FROM bench_lc.def d, bench_lc.dates x WHERE x.i = 3;

DO $f$
DECLARE c record;
BEGIN
  FOR rep IN 1 .. current_setting('bench.reps')::int LOOP
    FOR c IN SELECT * FROM bench_lc.cases ORDER BY id LOOP
      PERFORM bench_pair(c.id, rep, c.cdm_sql, c.peer_sql);
    END LOOP;
  END LOOP;
END $f$;

DO $f$
DECLARE r record; rep int;
BEGIN
  FOR rep IN 1 .. greatest(current_setting('bench.reps')::int, current_setting('bench.peer_monthly_reps')::int) LOOP
    FOR r IN SELECT d.d, m.* FROM bench_lc.moments m JOIN bench_lc.def d ON d.name = m.definition ORDER BY d.d LOOP
      IF rep BETWEEN 2 AND current_setting('bench.peer_monthly_reps')::int AND rep % 2 = 0 THEN
        INSERT INTO bench_times VALUES (10 * r.d + 6, 'peer', rep, bench_ms(bench_lc.peer_monthly(r.definition, r.moments)));
      END IF;
      IF rep <= current_setting('bench.reps')::int THEN
        INSERT INTO bench_times VALUES (10 * r.d + 4, 'cdm', rep,
          bench_ms(format('SELECT array_agg(active ORDER BY as_of)::text FROM cdm.active_counts(%L, %L::timestamptz[])',
                          r.definition, r.moments)));
        INSERT INTO bench_times VALUES (10 * r.d + 5, 'cdm', rep,
          bench_ms(format('SELECT array_agg(active ORDER BY month)::text FROM cdm.active_monthly WHERE definition = %L',
                          r.definition)));
      END IF;
      IF rep BETWEEN 2 AND current_setting('bench.peer_monthly_reps')::int AND rep % 2 = 1 THEN
        INSERT INTO bench_times VALUES (10 * r.d + 6, 'peer', rep, bench_ms(bench_lc.peer_monthly(r.definition, r.moments)));
      END IF;
    END LOOP;
  END LOOP;
END $f$;

-- ------------------------------------------------------------------ report
CREATE TABLE bench_lc.med AS
SELECT id, side, percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS ms, count(*) AS n
  FROM bench_times GROUP BY id, side;
SELECT count(*) AS sample_n FROM bench_lc.sample \gset

CREATE TABLE bench_lc.report AS
WITH rows AS (
  SELECT d.d, x.i AS k, d.name, 'active_count ' || to_char(x.t, 'YYYY-MM-DD') AS query,
         10 * d.d + x.i AS cid, 10 * d.d + x.i AS pid, 2000::float8 AS target, 1 AS per
    FROM bench_lc.def d, bench_lc.dates x
  UNION ALL SELECT d.d, 4, d.name, '24 months: active_counts', 10 * d.d + 4, 10 * d.d + 6, 30000, 1 FROM bench_lc.def d
  UNION ALL SELECT d.d, 5, d.name, '24 months: active_monthly', 10 * d.d + 5, 10 * d.d + 6, 30000, 1 FROM bench_lc.def d
  UNION ALL SELECT d.d, 6, d.name, format('is_active x %s', :sample_n), 10 * d.d + 7, 10 * d.d + 7, NULL, 1 FROM bench_lc.def d
  UNION ALL SELECT d.d, 7, d.name, '  per call (ms)', 10 * d.d + 7, 10 * d.d + 7, NULL, :sample_n FROM bench_lc.def d
)
SELECT r.d, r.k,
       format('%-11s %-28s %10s %10s %7s  %-8s %s', r.name, r.query,
              to_char(c.ms / r.per, CASE WHEN r.per > 1 THEN 'FM99990.000' ELSE 'FM9999990' END),
              coalesce(to_char(p.ms / r.per, CASE WHEN r.per > 1 THEN 'FM99990.000' ELSE 'FM9999990' END), '-'),
              coalesce(to_char(c.ms / p.ms, 'FM990.000'), '-'),
              coalesce('<= ' || (r.target / 1000)::int || ' s', 'info'),
              CASE WHEN EXISTS (SELECT 1 FROM bench_lc.sanity s WHERE s.definition = r.name AND NOT s.ok) THEN 'WRONG'
                   WHEN r.target IS NULL THEN ''
                   WHEN c.ms <= r.target THEN 'PASS' ELSE 'MISS' END) AS line
  FROM rows r
  JOIN bench_lc.med c ON c.id = r.cid AND c.side = 'cdm'
  LEFT JOIN bench_lc.med p ON p.id = r.pid AND p.side = 'peer';

CREATE TABLE bench_lc.info_lines AS
SELECT 1 AS o, format('data: %s entities (%s live after %s merges), %s milestones (%s per entity), %s timelines; anchor %s; sample %s entities',
              (SELECT value::bigint FROM bench_lc.info WHERE key = 'entities'),
              (SELECT value::bigint FROM bench_lc.info WHERE key = 'entities_live'),
              (SELECT count(*) FROM bench_lc.merge_pair),
              (SELECT value::bigint FROM bench_lc.info WHERE key = 'milestones'),
              round(((SELECT value FROM bench_lc.info WHERE key = 'milestones') /
                     (SELECT value FROM bench_lc.info WHERE key = 'entities'))::numeric, 1),
              (SELECT value::bigint FROM bench_lc.info WHERE key = 'timelines'),
              (SELECT to_char(anchor, 'YYYY-MM-DD HH24:MI TZ') FROM bench_lc.param), :sample_n) AS line
UNION ALL
SELECT 2, format('load (info): cdm.load_milestones %s s; cdm.merge %s ms per call before the load, %s ms after; cdm.record_milestone %s ms per call; peer: insert %s s + 2 indexes %s s + merge map %s s',
              round(((SELECT value FROM bench_lc.info WHERE key = 'cdm_load_ms') / 1000)::numeric, 1),
              round(((SELECT value FROM bench_lc.info WHERE key = 'cdm_merges_before_ms') /
                     greatest((SELECT value FROM bench_lc.info WHERE key = 'cdm_merges_before'), 1))::numeric, 2),
              round(((SELECT value FROM bench_lc.info WHERE key = 'cdm_merges_after_ms') /
                     greatest((SELECT value FROM bench_lc.info WHERE key = 'cdm_merges_after'), 1))::numeric, 2),
              round(((SELECT value FROM bench_lc.info WHERE key = 'cdm_single_ms') / 1000)::numeric, 2),
              round(((SELECT value FROM bench_lc.info WHERE key = 'peer_load_ms') / 1000)::numeric, 1),
              round(((SELECT value FROM bench_lc.info WHERE key = 'peer_index_ms') / 1000)::numeric, 1),
              round(((SELECT value FROM bench_lc.info WHERE key = 'peer_map_ms') / 1000)::numeric, 1))
UNION ALL
SELECT 3, format('size (info): cdm.milestone %s (with its 4 indexes), cdm.entity_timeline %s; peer.milestone %s (with its 2 indexes), peer.entity_live %s',
              pg_size_pretty((SELECT value::bigint FROM bench_lc.info WHERE key = 'cdm_milestone_bytes')),
              pg_size_pretty((SELECT value::bigint FROM bench_lc.info WHERE key = 'cdm_timeline_bytes')),
              pg_size_pretty((SELECT value::bigint FROM bench_lc.info WHERE key = 'peer_milestone_bytes')),
              pg_size_pretty((SELECT value::bigint FROM bench_lc.info WHERE key = 'peer_map_bytes')))
UNION ALL
SELECT 4, format('timing: medians of %s runs (peer 24 months: %s); ratio = cdm / peer; the two 24-month rows share the peer''s time; work_mem %s, jit off, max_parallel_workers_per_gather %s',
              :reps, :peer_monthly_reps, current_setting('work_mem'), current_setting('max_parallel_workers_per_gather'))
UNION ALL
SELECT 5, format('sanity: %s of %s checks equal (counts at 3 dates, active sets at the anchor, 24 months three ways, is_active per sampled entity)',
              count(*) FILTER (WHERE ok), count(*)) FROM bench_lc.sanity
UNION ALL
(SELECT 6, format('sanity: WRONG %s %s: cdm %s, peer %s', definition, what, cdm, peer)
   FROM bench_lc.sanity WHERE NOT ok ORDER BY definition, what);

\pset format unaligned
\pset tuples_only on
\echo
\echo :header
SELECT format('%-11s %-28s %10s %10s %7s  %-8s %s', 'definition', 'query', 'cdm ms', 'peer ms', 'ratio', 'target', 'verdict')
UNION ALL SELECT repeat('-', 90)
UNION ALL (SELECT line FROM bench_lc.report ORDER BY d, k);
SELECT line FROM bench_lc.info_lines ORDER BY o;
\if :{?outfile}
\o :outfile
\qecho :header
SELECT format('%-11s %-28s %10s %10s %7s  %-8s %s', 'definition', 'query', 'cdm ms', 'peer ms', 'ratio', 'target', 'verdict')
UNION ALL SELECT repeat('-', 90)
UNION ALL (SELECT line FROM bench_lc.report ORDER BY d, k);
SELECT line FROM bench_lc.info_lines ORDER BY o;
\o
\endif
\pset format aligned
\pset tuples_only off

DO $f$ BEGIN
  IF EXISTS (SELECT 1 FROM bench_lc.sanity WHERE NOT ok) THEN
    RAISE EXCEPTION 'cdm and the peer disagree (see the sanity: lines): the figures are void';
  END IF;
END $f$;
