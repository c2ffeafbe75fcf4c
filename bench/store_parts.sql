-- bench/store_parts.sql: two parts of an ingest timed against what they
-- replace, on the store bench/store.sh has just filled (run by it, so in the
-- same run; the feed's first 1,000 records as probes):
--   1. a record's candidates: cdm._store_candidate_ids (the reads in C)
--      against the same reads as SQL (per value an index-only scan,
--      bkey = v ORDER BY record DESC LIMIT 20) ranked by the same
--      cdm._store_rank_candidates; the two must give the same ids;
--   2. scoring with a stored model: cdm._store_score with a model trained on
--      the feed, which cdm_model_load reads at each call but parses only
--      when its text changed, against the built-in model (no read).
-- Each side 5 repetitions, alternating which goes first (bench_pair);
-- medians in µs per record (the ms of 1,000 records).
\ir lib/timing.sql
SET client_min_messages = warning;
SET enable_seqscan = off;
CREATE TEMP TABLE parts_in AS
SELECT f.seq, cdm._store_clean(f.attrs) AS clean, cdm.blocking_keys(cdm._store_clean(f.attrs)) AS bk
  FROM bench_feed f WHERE f.seq <= 1000;
CREATE TEMP TABLE bench_times (id int, side text, rep int, ms float8);
SELECT count(*) AS probes_differing FROM parts_in
 WHERE cdm._store_candidate_ids(bk, 20, NULL) IS DISTINCT FROM
       (SELECT cdm._store_rank_candidates(array_agg(u.bkey), array_agg(rb.record), 20, NULL)
          FROM unnest(bk) u(bkey)
         CROSS JOIN LATERAL (SELECT rb.record FROM cdm.record_block rb
                              WHERE rb.bkey = u.bkey ORDER BY rb.record DESC LIMIT 20) rb);
-- the candidates' records, once, for the scoring case
CREATE TEMP TABLE parts_cand AS
SELECT i.seq, i.clean, array_agg(x.attrs) AS attrs, array_agg(x.match_phone) AS phones
  FROM parts_in i
 CROSS JOIN LATERAL unnest(cdm._store_candidate_ids(i.bk, 20, NULL)) c(record)
  JOIN cdm.record x ON x.id = c.record
 GROUP BY i.seq, i.clean;
CREATE TEMP TABLE parts_model AS
SELECT seq AS id, attrs->>'given_name' AS given_name, attrs->>'family_name' AS family_name,
       attrs->>'full_name' AS full_name, (attrs->>'dob')::date AS dob, attrs->>'email' AS email,
       attrs->>'phone' AS phone, attrs->>'address' AS address
  FROM bench_feed;
SELECT cdm.train_model('parts_model', 'bench_parts') IS NOT NULL AS model_trained;
DO $$
BEGIN
  FOR r IN 1..5 LOOP
    PERFORM bench_pair(1, r,
      $q$SELECT count(cdm._store_candidate_ids(bk, 20, NULL)) FROM parts_in$q$,
      $q$SELECT count((SELECT cdm._store_rank_candidates(array_agg(u.bkey), array_agg(rb.record), 20, NULL)
                         FROM unnest(bk) u(bkey)
                        CROSS JOIN LATERAL (SELECT rb.record FROM cdm.record_block rb
                                             WHERE rb.bkey = u.bkey ORDER BY rb.record DESC LIMIT 20) rb))
           FROM parts_in$q$);
    PERFORM bench_pair(2, r,
      $q$SELECT count(cdm._store_score(clean, attrs, NULL, 'bench_parts', phones)) FROM parts_cand$q$,
      $q$SELECT count(cdm._store_score(clean, attrs, NULL, NULL, phones)) FROM parts_cand$q$);
  END LOOP;
END $$;
SELECT CASE t.id WHEN 1 THEN 'candidates: C reads | SQL reads' ELSE 'scoring: stored model | built-in' END AS part,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY t.ms) FILTER (WHERE t.side = 'cdm')::numeric) AS us_per_record,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY t.ms) FILTER (WHERE t.side = 'peer')::numeric) AS us_other,
       round((percentile_cont(0.5) WITHIN GROUP (ORDER BY t.ms) FILTER (WHERE t.side = 'cdm')
              / percentile_cont(0.5) WITHIN GROUP (ORDER BY t.ms) FILTER (WHERE t.side = 'peer'))::numeric, 2) AS ratio
  FROM bench_times t GROUP BY t.id ORDER BY t.id;
DELETE FROM cdm.match_model WHERE name = 'bench_parts';
