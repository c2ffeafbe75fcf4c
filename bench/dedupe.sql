-- bench/dedupe.sql: cdm.dedupe against the plain-SQL peer (bench/dedupe_peer.sql)
-- on the sets of bench/dedupe_load.sql and bench/gen_dedupe.sql.  Run by
-- bench/dedupe.sh (which loads the data and the peer first).
--
-- For each set and side: one call, timed with clock_timestamp() around it in
-- plpgsql (bench_dd.run; the same wrapper for both sides), its output kept in
-- bench_dd.out_<side>_<set>.  Checks: exactly one output row per input row,
-- every input id once (otherwise the row says WRONG and the run fails).
-- Quality: pairwise precision, recall and F1 of the clusters against the
-- truth, from pair counts per group (sum of c*(c-1)/2 over clusters, over
-- true entities, and over (cluster, entity) groups for the pairs both agree
-- on); no pair is ever enumerated.
--
-- psql variables: header, peer_threshold (0.55), timeout (statement_timeout
-- per call, e.g. 300s), scale (1 = also the scale section), outfile.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET max_parallel_workers_per_gather = 0;
SET jit = off;
\if :{?peer_threshold}
\else
\set peer_threshold 0.55
\endif
\if :{?timeout}
\else
\set timeout 300s
\endif

SELECT to_regprocedure('cdm.dedupe(regclass,float8)') IS NOT NULL AS has_cdm \gset

CREATE TABLE IF NOT EXISTS bench_dd.results (
  ds text, side text, records bigint, out_rows bigint, bad_ids bigint, status text,
  secs float8, prec float8, recall float8, f1 float8, pred_pairs bigint, true_pairs bigint,
  PRIMARY KEY (ds, side));
TRUNCATE bench_dd.results;

-- Pairwise precision / recall / F1 of a result table (id, cluster_id) against
-- bench_dd.truth for data set ds.
CREATE OR REPLACE FUNCTION bench_dd.prf(p_ds text, p_pred regclass, OUT pred_pairs bigint,
  OUT true_pairs bigint, OUT tp bigint, OUT prec float8, OUT recall float8, OUT f1 float8)
LANGUAGE plpgsql AS $f$
BEGIN
  EXECUTE format($q$
    WITH j AS (SELECT p.cluster_id, t.truth FROM %s p JOIN bench_dd.truth t ON t.ds = %L AND t.id = p.id)
    SELECT (SELECT coalesce(sum(c * (c - 1) / 2), 0) FROM (SELECT count(*) c FROM j GROUP BY cluster_id) s),
           (SELECT coalesce(sum(c * (c - 1) / 2), 0) FROM (SELECT count(*) c FROM j GROUP BY truth) s),
           (SELECT coalesce(sum(c * (c - 1) / 2), 0) FROM (SELECT count(*) c FROM j GROUP BY cluster_id, truth) s)
  $q$, p_pred, p_ds) INTO pred_pairs, true_pairs, tp;
  -- no predicted pair: precision is undefined; count it as 1 (nothing wrong was claimed)
  prec := CASE WHEN pred_pairs > 0 THEN tp::float8 / pred_pairs ELSE 1 END;
  recall := CASE WHEN true_pairs > 0 THEN tp::float8 / true_pairs END;
  f1 := CASE WHEN prec + recall > 0 THEN 2 * prec * recall / (prec + recall) ELSE 0 END;
END $f$;

-- One side on one set: call, time, check, score.  A statement_timeout
-- cancels the call and is recorded as 'timeout' (query_canceled is caught).
CREATE OR REPLACE FUNCTION bench_dd.run(p_ds text, p_side text, p_threshold float8) RETURNS void
LANGUAGE plpgsql AS $f$
DECLARE
  src text := 'bench_dd.' || p_ds;
  outt text := format('bench_dd.out_%s_%s', p_side, p_ds);
  call text;
  t0 timestamptz;
  secs float8;
  n bigint; nout bigint; bad bigint;
  m record;
BEGIN
  EXECUTE format('DROP TABLE IF EXISTS %s', outt);
  EXECUTE format('SELECT count(*) FROM %s', src) INTO n;
  call := CASE p_side
            WHEN 'peer' THEN format('SELECT id::text, cluster_id::text FROM peer.dedupe(%L, %s)', src, p_threshold)
            ELSE format('SELECT id::text, cluster_id::text FROM cdm.dedupe(%L)', src) END;
  BEGIN
    t0 := clock_timestamp();
    EXECUTE format('CREATE TABLE %s AS %s', outt, call);
    secs := extract(epoch FROM clock_timestamp() - t0);
  EXCEPTION WHEN query_canceled THEN
    INSERT INTO bench_dd.results (ds, side, records, status, secs)
    VALUES (p_ds, p_side, n, 'timeout', extract(epoch FROM clock_timestamp() - t0));
    RETURN;
  END;
  EXECUTE format('SELECT count(*) FROM %s', outt) INTO nout;
  -- input ids missing from the output, or output ids that are not input ids or come twice
  EXECUTE format($q$SELECT (SELECT count(*) FROM %1$s s WHERE NOT EXISTS (SELECT 1 FROM %2$s o WHERE o.id = s.id::text))
                         + (SELECT count(*) FROM (SELECT id FROM %2$s GROUP BY id HAVING count(*) > 1) d)
                         + (SELECT count(*) FROM %2$s o WHERE NOT EXISTS (SELECT 1 FROM %1$s s WHERE s.id::text = o.id))
                  $q$, src, outt) INTO bad;
  SELECT * INTO m FROM bench_dd.prf(p_ds, outt::regclass);
  INSERT INTO bench_dd.results VALUES (p_ds, p_side, n, nout, bad,
    CASE WHEN nout <> n OR bad > 0 THEN 'WRONG' ELSE 'ok' END,
    secs, m.prec, m.recall, m.f1, m.pred_pairs, m.true_pairs);
END $f$;

-- ------------------------------------------------------------------ runs
-- Each call is its own top-level statement (\gexec), so that the
-- statement_timeout applies per call.
SET statement_timeout = :'timeout';
\o /dev/null
SELECT format('SELECT bench_dd.run(%L, %L, %s)', ds, side, :'peer_threshold')
  FROM (VALUES (1, 'febrl3'), (2, 'febrl4'), (3, 'fake1000'), (4, 'hist50k'), (5, 'gen')) d(o, ds)
  CROSS JOIN (VALUES (1, 'peer'), (2, 'cdm')) s(so, side)
 WHERE side = 'peer' OR :'has_cdm'::boolean
 ORDER BY d.o, s.so \gexec
\o

-- The time target is on the 10,000-record generated set, where one call takes
-- a fifth of a second and a single timing moves by 10-20% with whatever else
-- runs on the machine: its seconds are the median of :time_reps calls a side
-- (default 3; peer and cdm alternating; the first call is the scored one
-- above, the others are timed only, doing the same work: CREATE TABLE AS).
CREATE OR REPLACE FUNCTION bench_dd.time_call(p_ds text, p_side text, p_threshold float8) RETURNS float8
LANGUAGE plpgsql AS $f$
DECLARE
  src text := 'bench_dd.' || p_ds;
  t0 timestamptz;
  secs float8;
BEGIN
  DROP TABLE IF EXISTS bench_dd.time_call_out;
  t0 := clock_timestamp();
  EXECUTE format('CREATE TABLE bench_dd.time_call_out AS %s',
                 CASE p_side WHEN 'peer' THEN format('SELECT id::text, cluster_id::text FROM peer.dedupe(%L, %s)', src, p_threshold)
                             ELSE format('SELECT id::text, cluster_id::text FROM cdm.dedupe(%L)', src) END);
  secs := extract(epoch FROM clock_timestamp() - t0);
  DROP TABLE bench_dd.time_call_out;
  RETURN secs;
END $f$;
\if :{?time_reps}
\else
\set time_reps 3
\endif
CREATE TEMP TABLE gen_times AS SELECT side, secs FROM bench_dd.results WHERE ds = 'gen' AND status = 'ok';
\o /dev/null
SELECT format('INSERT INTO gen_times SELECT %L, bench_dd.time_call(''gen'', %L, %s)', side, side, :'peer_threshold')
  FROM generate_series(2, :time_reps) r CROSS JOIN (VALUES (1, 'peer'), (2, 'cdm')) s(so, side)
 WHERE (side = 'peer' OR :'has_cdm'::boolean) AND EXISTS (SELECT 1 FROM gen_times t WHERE t.side = s.side)
 ORDER BY r, so \gexec
\o
UPDATE bench_dd.results r SET secs = m.median
  FROM (SELECT side, percentile_cont(0.5) WITHIN GROUP (ORDER BY secs) AS median FROM gen_times GROUP BY side) m
 WHERE r.ds = 'gen' AND r.side = m.side;
RESET statement_timeout;

-- ------------------------------------------------------------------ report
CREATE OR REPLACE VIEW bench_dd.report AS
WITH r AS (
  SELECT d.o, d.ds, d.customer, s.side, res.records, res.status, res.secs, res.prec, res.recall, res.f1
    FROM (VALUES (1, 'febrl3', true), (2, 'febrl4', true), (3, 'fake1000', true), (4, 'hist50k', false),
                 (5, 'gen', true)) d(o, ds, customer)
    CROSS JOIN (VALUES ('peer'), ('cdm')) s(side)
    LEFT JOIN bench_dd.results res ON res.ds = d.ds AND res.side = s.side),
w AS (
  SELECT c.o, c.ds, c.side, c.records, c.status, c.prec, c.recall, c.f1, c.secs, c.customer,
         p.secs AS peer_secs, p.f1 AS peer_f1, p.status AS peer_status
    FROM r c LEFT JOIN r p ON p.ds = c.ds AND p.side = 'peer')
SELECT o, CASE side WHEN 'peer' THEN 1 ELSE 2 END AS so,
       format('%-9s %-5s %8s %9s %7s %7s %9s %9s %8s  %-36s %s',
         ds, side, coalesce(records::text, '-'),
         CASE WHEN status IN ('ok', 'WRONG') THEN round(prec::numeric, 4)::text ELSE '-' END,
         CASE WHEN status IN ('ok', 'WRONG') THEN round(recall::numeric, 4)::text ELSE '-' END,
         CASE WHEN status IN ('ok', 'WRONG') THEN round(f1::numeric, 4)::text ELSE '-' END,
         CASE WHEN status IS NULL THEN '-' WHEN status = 'timeout' THEN 'timeout' ELSE round(secs::numeric, 2)::text END,
         CASE WHEN side = 'cdm' AND status = 'ok' AND peer_status = 'ok' THEN round((secs / peer_secs)::numeric, 3) || 'x'
              WHEN side = 'cdm' AND status = 'ok' AND peer_status = 'timeout' THEN '<' || round((secs / peer_secs)::numeric, 3) || 'x'
              ELSE '' END,
         CASE WHEN side = 'cdm' AND status = 'ok' AND peer_status = 'ok'
              THEN to_char(f1 - peer_f1, 'SG0.0000') ELSE '' END,
         CASE WHEN side = 'peer' THEN ''
              ELSE concat_ws(', ', CASE WHEN customer THEN 'F1>=0.97' END, 'F1>=peer+0.05',
                             CASE WHEN ds = 'gen' THEN 'time<=0.1x' END) END,
         CASE WHEN status = 'WRONG' THEN 'WRONG'
              WHEN side = 'peer' AND status IS NULL THEN 'not run'
              WHEN side = 'peer' THEN CASE WHEN status = 'timeout' THEN 'timeout' ELSE 'info' END
              WHEN status IS NULL THEN 'cdm: not available'
              WHEN status = 'timeout' THEN 'timeout (MISS)'
              WHEN (customer AND f1 < 0.97)
                OR (peer_status = 'ok' AND f1 < peer_f1 + 0.05)
                OR (ds = 'gen' AND peer_status = 'ok' AND secs > 0.1 * peer_secs) THEN 'MISS'
              ELSE 'PASS' END) AS line
  FROM w;

\pset format unaligned
\pset tuples_only on
\echo
\echo :header
\echo 'peer threshold' :peer_threshold ' per-call timeout' :timeout
SELECT format('%-9s %-5s %8s %9s %7s %7s %9s %9s %8s  %-36s %s', 'set', 'side', 'records',
              'precision', 'recall', 'F1', 'seconds', 'cdm/peer', 'F1 diff', 'target', 'verdict')
UNION ALL SELECT repeat('-', 126)
UNION ALL (SELECT line FROM bench_dd.report ORDER BY o, so);
SELECT format('sanity: %s %s: %s output rows for %s records, %s bad ids', ds, side, out_rows, records, bad_ids)
  FROM bench_dd.results WHERE status = 'WRONG' ORDER BY ds, side;
SELECT format('gen seconds: the median of %s calls a side (%s)', :time_reps, string_agg(side || ' ' || (SELECT string_agg(round(secs::numeric, 3)::text, ' ' ORDER BY secs) FROM gen_times g WHERE g.side = s.side), '; ' ORDER BY side DESC)) FROM (SELECT DISTINCT side FROM gen_times) s;
\echo 'pairwise P/R/F1: pairs inside a predicted cluster vs pairs inside a true entity; customer-like sets: febrl3, febrl4, fake1000, gen (target F1>=0.97); hist50k: F1>=peer+0.05 only.'
\if :{?outfile}
\o :outfile
\qecho :header
\qecho 'peer threshold' :peer_threshold ' per-call timeout' :timeout
SELECT format('%-9s %-5s %8s %9s %7s %7s %9s %9s %8s  %-36s %s', 'set', 'side', 'records',
              'precision', 'recall', 'F1', 'seconds', 'cdm/peer', 'F1 diff', 'target', 'verdict')
UNION ALL SELECT repeat('-', 126)
UNION ALL (SELECT line FROM bench_dd.report ORDER BY o, so);
SELECT format('sanity: %s %s: %s output rows for %s records, %s bad ids', ds, side, out_rows, records, bad_ids)
  FROM bench_dd.results WHERE status = 'WRONG' ORDER BY ds, side;
SELECT format('gen seconds: the median of %s calls a side (%s)', :time_reps, string_agg(side || ' ' || (SELECT string_agg(round(secs::numeric, 3)::text, ' ' ORDER BY secs) FROM gen_times g WHERE g.side = s.side), '; ' ORDER BY side DESC)) FROM (SELECT DISTINCT side FROM gen_times) s;
\o
\endif
\pset format aligned
\pset tuples_only off

-- Where each side loses on the generated set: the share of records whose
-- predicted cluster is exactly their true entity, by what was done to the
-- record (a record counts under each of its corruptions) and by the kind of
-- person (twin, junior, common: the hard negatives).
CREATE OR REPLACE FUNCTION bench_dd.exact_by_variant(p_side text)
RETURNS TABLE(variant text, side text, records bigint, exact_cluster numeric)
LANGUAGE plpgsql AS $f$
BEGIN
  IF to_regclass('bench_dd.out_' || p_side || '_gen') IS NULL THEN
    RETURN;
  END IF;
  RETURN QUERY EXECUTE format($q$
    WITH j AS (SELECT o.id, o.cluster_id, t.truth, gi.kind, gi.variant
                 FROM bench_dd.out_%s_gen o JOIN bench_dd.truth t ON t.ds = 'gen' AND t.id = o.id
                 JOIN bench_dd.gen_info gi ON gi.ds = 'gen' AND gi.id = o.id),
    k AS (SELECT j.*, count(*) OVER (PARTITION BY cluster_id) AS np, count(*) OVER (PARTITION BY truth) AS nt,
                 count(*) OVER (PARTITION BY cluster_id, truth) AS nb FROM j)
    SELECT v, %L::text, count(*), round(avg((np = nt AND nt = nb)::int)::numeric, 3)
      FROM k CROSS JOIN LATERAL unnest(string_to_array(nullif(variant, ''), ' ') || ('kind:' || kind)) v
     GROUP BY v ORDER BY v $q$, p_side, p_side);
END $f$;
\echo
\echo '== gen: share of records whose predicted cluster is exactly their person, by corruption and kind (info)'
SELECT * FROM bench_dd.exact_by_variant('peer') UNION ALL SELECT * FROM bench_dd.exact_by_variant('cdm')
 ORDER BY 1, 2;

DO $f$ BEGIN
  IF EXISTS (SELECT 1 FROM bench_dd.results WHERE status = 'WRONG') THEN
    RAISE EXCEPTION 'a side returned the wrong rows (see the sanity: lines): its figures are void';
  END IF;
END $f$;
