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
