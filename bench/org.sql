-- bench/org.sql: organisation matching on the labelled Chicago early-childhood
-- sites (test/data/dedupe_csv_example, 3,337 records of 1,162 sites), cdm.dedupe
-- against a plain-SQL peer, pairwise precision / recall / F1 and time.
-- psql variable: csv (the file's absolute path).
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;
DROP TABLE IF EXISTS org_raw CASCADE;
CREATE TABLE org_raw (true_id bigint, id bigint, source text, site_name text, address text, zip text,
  phone text, fax text, program_name text, length_of_day text, idhs text, agency text,
  neighborhood text, funded text, program_option text, n_ehs text, n_hs text, director text,
  hs_fund text, ehs_fund text, cc_fund text, progmod text, website text, exec_director text,
  center_director text, ece text, naeyc_until text, naeyc_id text, email text, ounce text,
  purple text, c1 text, c2 text);
COPY org_raw FROM :'csv' CSV HEADER;
CREATE VIEW org_sites AS
SELECT id::text AS id, site_name AS organisation_name, address, nullif(btrim(zip), '') AS postcode,
       nullif(btrim(phone), '') AS phone
  FROM org_raw;

-- The peer, as a DBA writes it today: names lower-cased, unaccented, punctuation and
-- the common legal forms dropped by a regular expression; candidates share the phone
-- digits, or the house number and the first street word; a pair links when the names
-- are alike (pg_trgm similarity >= s) and the address agrees (or, the other variant,
-- the phone or the address); clusters are connected components (label propagation).
-- s and the variant are chosen for the peer's best F1 on this very set.
CREATE SCHEMA IF NOT EXISTS peer;
CREATE OR REPLACE FUNCTION peer.org_dedupe(s float8, phone_or_address boolean) RETURNS TABLE (id text, cluster_id text)
LANGUAGE plpgsql AS $f$
DECLARE changed bigint;
BEGIN
  DROP TABLE IF EXISTS p_rec, p_edge, p_lab;
  CREATE TEMP TABLE p_rec AS
  SELECT r.id::text AS id, row_number() OVER (ORDER BY r.id) AS rid,
         btrim(regexp_replace(regexp_replace(lower(unaccent(r.site_name)), '[^a-z0-9]+', ' ', 'g'),
                              '\m(inc|llc|ltd|corp|co|the)\M', ' ', 'g')) AS nm,
         nullif(regexp_replace(coalesce(r.phone, ''), '[^0-9]', '', 'g'), '') AS ph,
         lower(regexp_replace(coalesce(r.address, ''), '[^A-Za-z0-9 ]', ' ', 'g')) AS ad,
         (regexp_match(lower(coalesce(r.address, '')), '([0-9]+)\D+?([a-z]{3,})'))::text AS site
    FROM org_raw r;
  CREATE INDEX ON p_rec (ph);
  CREATE INDEX ON p_rec (site);
  ANALYZE p_rec;
  CREATE TEMP TABLE p_edge AS
  SELECT DISTINCT a.rid AS a, b.rid AS b
    FROM p_rec a JOIN p_rec b ON a.rid < b.rid AND (a.ph = b.ph OR a.site = b.site)
   WHERE similarity(a.nm, b.nm) >= s
     AND ((phone_or_address AND a.ph = b.ph) OR similarity(a.ad, b.ad) >= 0.6);
  INSERT INTO p_edge SELECT b, a FROM p_edge;
  CREATE INDEX ON p_edge (a);
  CREATE TEMP TABLE p_lab AS SELECT rid, rid AS lab FROM p_rec;
  ALTER TABLE p_lab ADD PRIMARY KEY (rid);
  ANALYZE p_edge, p_lab;
  LOOP
    UPDATE p_lab l SET lab = m.lab
      FROM (SELECT e.a AS rid, min(n.lab) AS lab FROM p_edge e JOIN p_lab n ON n.rid = e.b GROUP BY e.a) m
     WHERE m.rid = l.rid AND m.lab < l.lab;
    GET DIAGNOSTICS changed = ROW_COUNT;
    EXIT WHEN changed = 0;
  END LOOP;
  RETURN QUERY SELECT r.id, c.id FROM p_rec r JOIN p_lab l ON l.rid = r.rid JOIN p_rec c ON c.rid = l.lab;
END $f$;

CREATE OR REPLACE FUNCTION peer.prf(res regclass) RETURNS TABLE (prec numeric, rec numeric, f1 numeric)
LANGUAGE plpgsql AS $f$
BEGIN
  RETURN QUERY EXECUTE format($q$
    WITH t AS (SELECT r.id::text AS id, r.true_id, x.cluster_id FROM org_raw r JOIN %s x ON x.id = r.id::text),
    p AS (SELECT count(*) FILTER (WHERE a.cluster_id = b.cluster_id AND a.true_id = b.true_id) AS tp,
                 count(*) FILTER (WHERE a.cluster_id = b.cluster_id) AS pp,
                 count(*) FILTER (WHERE a.true_id = b.true_id) AS ap
            FROM t a JOIN t b ON a.id < b.id AND (a.cluster_id = b.cluster_id OR a.true_id = b.true_id))
    SELECT round(tp::numeric / nullif(pp, 0), 3), round(tp::numeric / ap, 3), round(2 * tp::numeric / (pp + ap), 3) FROM p
  $q$, res);
END $f$;

-- the peer's threshold: its best F1 on this very set (a fair, even generous, choice)
CREATE TEMP TABLE peer_grid (s float8, phone_or_address boolean, prec numeric, rec numeric, f1 numeric);
DO $$
DECLARE s float8; v boolean;
BEGIN
  FOREACH v IN ARRAY ARRAY[false, true] LOOP
    FOREACH s IN ARRAY ARRAY[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7] LOOP
      DROP TABLE IF EXISTS peer_res;
      CREATE TEMP TABLE peer_res AS SELECT * FROM peer.org_dedupe(s, v);
      INSERT INTO peer_grid SELECT s, v, x.* FROM peer.prf('peer_res') x;
    END LOOP;
  END LOOP;
END $$;
SELECT s AS peer_name_similarity, phone_or_address, prec, rec, f1 FROM peer_grid ORDER BY phone_or_address, s;
SELECT s AS best_s, phone_or_address AS best_v FROM peer_grid ORDER BY f1 DESC, s LIMIT 1 \gset

-- timed runs, alternating, medians of :reps
CREATE TEMP TABLE timing (who text, ms float8);
DO $$
DECLARE t0 timestamptz; i int;
  best float8 := (SELECT s FROM peer_grid ORDER BY f1 DESC, s LIMIT 1);
  best_v boolean := (SELECT phone_or_address FROM peer_grid ORDER BY f1 DESC, s LIMIT 1);
BEGIN
  FOR i IN 1 .. current_setting('bench.reps')::int LOOP
    t0 := clock_timestamp();
    DROP TABLE IF EXISTS cdm_res;
    CREATE TEMP TABLE cdm_res AS SELECT * FROM cdm.dedupe('org_sites');
    INSERT INTO timing VALUES ('cdm', extract(epoch FROM clock_timestamp() - t0) * 1000);
    t0 := clock_timestamp();
    DROP TABLE IF EXISTS peer_res;
    CREATE TEMP TABLE peer_res AS SELECT * FROM peer.org_dedupe(best, best_v);
    INSERT INTO timing VALUES ('peer', extract(epoch FROM clock_timestamp() - t0) * 1000);
  END LOOP;
END $$;
WITH m AS (SELECT who, percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS ms FROM timing GROUP BY who)
SELECT 'cdm.dedupe (organisation_name role, threshold 0.9)' AS matcher, c.prec, c.rec, c.f1,
       round((SELECT ms FROM m WHERE who = 'cdm')::numeric, 0) AS ms
  FROM peer.prf('cdm_res') c
UNION ALL
SELECT format('plain SQL peer (pg_trgm similarity >= %s, %s)', :best_s,
              CASE WHEN :'best_v' THEN 'phone or address' ELSE 'address' END), p.prec, p.rec, p.f1,
       round((SELECT ms FROM m WHERE who = 'peer')::numeric, 0)
  FROM peer.prf('peer_res') p;
SELECT round(((SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FROM timing WHERE who = 'cdm') /
              (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FROM timing WHERE who = 'peer'))::numeric, 3)
       AS time_ratio_cdm_to_peer,
       (SELECT f1 FROM peer.prf('cdm_res')) - (SELECT f1 FROM peer.prf('peer_res')) AS f1_cdm_minus_peer;
