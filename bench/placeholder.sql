-- bench/placeholder.sql: a stand-in schema cdm made of wrappers around the
-- peers, to test the harness while the extension does not build
-- (BENCH_CDM=placeholder bash bench/run.sh).  Its ratios mean nothing.
CREATE SCHEMA cdm;
CREATE FUNCTION cdm.levenshtein(a text, b text) RETURNS integer
  LANGUAGE sql IMMUTABLE STRICT AS 'SELECT fsm.levenshtein(a, b)';
CREATE FUNCTION cdm.jaro_winkler_similarity(a text, b text) RETURNS double precision
  LANGUAGE sql IMMUTABLE STRICT AS 'SELECT pgs.jarowinkler(a, b)';
CREATE FUNCTION cdm.qgram_similarity(a text, b text, q integer DEFAULT 3) RETURNS double precision
  LANGUAGE sql IMMUTABLE STRICT AS 'SELECT trgm.similarity(a, b)::float8';
CREATE FUNCTION cdm.dmetaphone(s text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT AS 'SELECT fsm.dmetaphone(s)';
