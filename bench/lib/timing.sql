-- bench/lib/timing.sql: bench_ms(q), the wall time of one statement inside
-- this backend, in ms (clock_timestamp() around EXECUTE, the same wrapper for
-- cdm and for the peer).  Included by the benchmarks' SQL with \ir.
CREATE OR REPLACE FUNCTION bench_ms(q text) RETURNS float8 LANGUAGE plpgsql AS $f$
DECLARE t0 timestamptz; r text;
BEGIN
  t0 := clock_timestamp();
  EXECUTE q INTO r;
  RETURN 1000 * extract(epoch FROM clock_timestamp() - t0);
END $f$;

-- bench_pair(id, rep, cdm_sql, peer_sql): times both sides of one case back
-- to back into bench_times (id int, side text, rep int, ms float8), cdm
-- first in odd repetitions and the peer first in even ones, so neither side
-- always runs on the cache the other warmed.
CREATE OR REPLACE FUNCTION bench_pair(id int, rep int, cdm_sql text, peer_sql text)
RETURNS void LANGUAGE plpgsql AS $f$
BEGIN
  IF rep % 2 = 1 THEN
    INSERT INTO bench_times VALUES (id, 'cdm', rep, bench_ms(cdm_sql));
    INSERT INTO bench_times VALUES (id, 'peer', rep, bench_ms(peer_sql));
  ELSE
    INSERT INTO bench_times VALUES (id, 'peer', rep, bench_ms(peer_sql));
    INSERT INTO bench_times VALUES (id, 'cdm', rep, bench_ms(cdm_sql));
  END IF;
END $f$;
