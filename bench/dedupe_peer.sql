-- bench/dedupe_peer.sql: the peer of cdm.dedupe — what a competent DBA writes
-- today with contrib's pg_trgm, fuzzystrmatch and unaccent and the
-- pg_similarity package (Debian postgresql-15-similarity), in plain SQL and
-- plpgsql:
--
--   peer.dedupe(source regclass, threshold float8 DEFAULT 0.7)
--     RETURNS TABLE(id text, cluster_id text)
--
-- source has cdm's role columns (id required; given_name, family_name,
-- full_name, dob, email, phone, address, city, postcode, country, ...; any
-- may be missing, unknown columns are ignored), like cdm.dedupe's.
--
-- 1. Normalise (one pass, into an indexed temp table): lower case and
--    unaccent; given/family taken from full_name when missing ("Family,
--    Given" or "Given ... Family"); name tokens sorted (so a swapped
--    "Smith John" meets "John Smith"); phone = its last 9 digits (drops +61,
--    0 and formatting); e-mail trimmed and lower case; common street types
--    abbreviated (street -> st, ...).
-- 2. Candidate pairs = union of blocking rules, each through an index:
--    dmetaphone(family) + given initial (and the swapped form), exact
--    dob + postcode, exact e-mail, exact phone, and pg_trgm's % on the
--    sorted full name through a GIN index (7x faster than GiST here) (pg_trgm.similarity_threshold
--    0.5).  Blocks of the first two rules larger than 200 records are
--    dropped (the usual guard against "J SM0" blocks of thousands).
-- 3. Score in 0..1: a weighted mean over the fields both records have of
--    per-field similarities — names: pg_similarity jarowinkler rescaled
--    from 0.7..1 to 0..1 (given 2,
--    family 3; the better of straight and swapped), dob 3 (equal 1, day and
--    month swapped or one day off 0.6, same year 0.2), e-mail 3, phone 2,
--    postcode 1, city 1 (jarowinkler), address 2 (pg_trgm similarity);
--    fields that only one record has count as 0.3 with half their weight
--    (missing is weak evidence against).  A name-only pair is capped at 0.5.
-- 4. Pairs with score >= threshold are edges; clusters = connected
--    components by label propagation (each record takes the smallest label
--    of its neighbours until nothing changes; a few passes).
--
-- Threshold 0.7: tuned on FEBRL dataset3 only (the F1 maximum of 0.5,
-- 0.55, ... 0.9 there), then used unchanged on every set.
--
-- Needs schemas fsm (fuzzystrmatch), pgs (pg_similarity), trgm (pg_trgm) and
-- an unaccent extension in schema una: bench/dedupe.sh creates them.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
CREATE SCHEMA IF NOT EXISTS peer;

-- family and given name from a full name: "Family, Given" or "Given ... Family".
CREATE OR REPLACE FUNCTION peer.name_parts(g text, f text, full_name text, OUT given text, OUT family text)
LANGUAGE sql IMMUTABLE AS $$
SELECT CASE WHEN g IS NOT NULL OR full_name IS NULL THEN g
            WHEN full_name LIKE '%,%' THEN split_part(btrim(split_part(full_name, ',', 2)), ' ', 1)
            ELSE split_part(btrim(full_name), ' ', 1) END,
       CASE WHEN f IS NOT NULL OR full_name IS NULL THEN f
            WHEN full_name LIKE '%,%' THEN btrim(split_part(full_name, ',', 1))
            WHEN btrim(full_name) LIKE '% %' THEN regexp_replace(btrim(full_name), '^.* ', '')
       END
$$;

CREATE OR REPLACE FUNCTION peer.clean(s text) RETURNS text LANGUAGE sql STABLE AS $$
SELECT nullif(btrim(regexp_replace(lower(una.unaccent(s)), '[^[:alnum:] ]+', ' ', 'g')), '')
$$;

CREATE OR REPLACE FUNCTION peer.street(s text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
SELECT regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
       regexp_replace(s, '\mstreet\M', 'st', 'g'), '\mroad\M', 'rd', 'g'), '\mavenue\M', 'ave', 'g'),
       '\mplace\M', 'pl', 'g'), '\mcrescent\M', 'cres', 'g'), '\mdrive\M', 'dr', 'g'), '\mcourt\M', 'ct', 'g')
$$;

-- Jaro-Winkler rescaled so that unrelated names (typically 0.4-0.7) score 0:
-- raw Jaro-Winkler rates almost any two short names as half similar.
CREATE OR REPLACE FUNCTION peer.jw(a text, b text) RETURNS float8 LANGUAGE sql IMMUTABLE AS $$
SELECT greatest(0.0, (pgs.jarowinkler(a, b) - 0.7) / 0.3)
$$;

CREATE OR REPLACE FUNCTION peer.dob_sim(a date, b date) RETURNS float8 LANGUAGE sql IMMUTABLE AS $$
SELECT CASE WHEN a = b THEN 1.0
            WHEN abs(a - b) = 1 THEN 0.6
            WHEN extract(year FROM a) = extract(year FROM b) AND extract(month FROM a) = extract(day FROM b)
                 AND extract(day FROM a) = extract(month FROM b) THEN 0.6
            WHEN extract(year FROM a) = extract(year FROM b) THEN 0.2
            ELSE 0.0 END
$$;

-- Steps 1-3: leaves temp tables peer_rec (the normalised records) and
-- peer_scored (a, b, score) for every candidate pair.
CREATE OR REPLACE FUNCTION peer.score_pairs(source regclass) RETURNS void
LANGUAGE plpgsql
SET search_path = peer, trgm, pgs, fsm, public
AS $f$
DECLARE
  cols text[];
  c text;
  sel text := '';
BEGIN
  SELECT array_agg(attname::text) INTO cols FROM pg_attribute
   WHERE attrelid = source AND attnum > 0 AND NOT attisdropped;
  IF NOT 'id' = ANY (cols) THEN
    RAISE EXCEPTION 'peer.dedupe: % has no id column', source;
  END IF;
  -- the role columns the source has; NULL for the others
  FOREACH c IN ARRAY ARRAY['given_name', 'family_name', 'full_name', 'email', 'phone', 'address',
                           'city', 'postcode'] LOOP
    sel := sel || CASE WHEN c = ANY (cols) THEN format(', %I::text AS %I', c, c)
                       ELSE format(', NULL::text AS %I', c) END;
  END LOOP;
  sel := sel || CASE WHEN 'dob' = ANY (cols) THEN ', dob::date AS dob' ELSE ', NULL::date AS dob' END;

  DROP TABLE IF EXISTS peer_rec, peer_pair, peer_scored;
  -- One statement, no UPDATE afterwards: an index built in the same
  -- transaction over updated (HOT) rows is not usable by this transaction's
  -- queries (indcheckxmin), and the trigram join would scan every pair.
  EXECUTE format($q$
    CREATE TEMP TABLE peer_rec AS
    SELECT r.*,
           (SELECT string_agg(t, ' ' ORDER BY t) FROM regexp_split_to_table(concat_ws(' ', gn, fn), ' ') t
             WHERE t <> '') AS nm,
           nullif(fsm.dmetaphone(fn), '') AS dm, nullif(fsm.dmetaphone(gn), '') AS dmg,
           left(gn, 1) AS gi, left(fn, 1) AS fi
      FROM (
    SELECT row_number() OVER ()::int AS rid, s.id::text AS id,
           peer.clean(np.given) AS gn, peer.clean(np.family) AS fn,
           s.dob,
           nullif(lower(btrim(s.email)), '') AS em,
           nullif(right(regexp_replace(s.phone, '[^0-9]', '', 'g'), 9), '') AS ph,
           nullif(peer.street(peer.clean(s.address)), '') AS ad,
           peer.clean(s.city) AS ci,
           nullif(lower(replace(s.postcode, ' ', '')), '') AS pc
      FROM (SELECT id %s FROM %s) s
      CROSS JOIN LATERAL peer.name_parts(nullif(btrim(s.given_name), ''), nullif(btrim(s.family_name), ''),
                                         nullif(btrim(s.full_name), '')) np) r $q$, sel, source);
  CREATE INDEX ON peer_rec USING gin (nm gin_trgm_ops);
  CREATE INDEX ON peer_rec (dm, gi);
  CREATE INDEX ON peer_rec (dmg, fi);
  CREATE INDEX ON peer_rec (dob, pc);
  CREATE INDEX ON peer_rec (em);
  CREATE INDEX ON peer_rec (ph);
  CREATE UNIQUE INDEX ON peer_rec (rid);
  ANALYZE peer_rec;
  RAISE DEBUG 'peer: normalised %', clock_timestamp();

  -- candidate pairs: the union of the blocking rules
  PERFORM set_config('pg_trgm.similarity_threshold', '0.5', true);
  CREATE TEMP TABLE peer_pair AS
  SELECT DISTINCT least(a, b) AS a, greatest(a, b) AS b FROM (
    SELECT x.rid AS a, y.rid AS b FROM peer_rec x JOIN peer_rec y ON y.dm = x.dm AND y.gi = x.gi
     WHERE x.rid < y.rid AND (x.dm, x.gi) IN (SELECT dm, gi FROM peer_rec WHERE dm IS NOT NULL
                                               GROUP BY 1, 2 HAVING count(*) <= 200)
    UNION ALL
    -- given and family swapped
    SELECT x.rid, y.rid FROM peer_rec x JOIN peer_rec y ON y.dmg = x.dm AND y.fi = x.gi
     WHERE x.rid <> y.rid AND (x.dm, x.gi) IN (SELECT dm, gi FROM peer_rec WHERE dm IS NOT NULL
                                                GROUP BY 1, 2 HAVING count(*) <= 200)
    UNION ALL
    SELECT x.rid, y.rid FROM peer_rec x JOIN peer_rec y ON y.dob = x.dob AND y.pc = x.pc
     WHERE x.rid < y.rid AND (x.dob, x.pc) IN (SELECT dob, pc FROM peer_rec WHERE dob IS NOT NULL
                                                AND pc IS NOT NULL GROUP BY 1, 2 HAVING count(*) <= 200)
    UNION ALL
    SELECT x.rid, y.rid FROM peer_rec x JOIN peer_rec y ON y.em = x.em WHERE x.rid < y.rid
    UNION ALL
    SELECT x.rid, y.rid FROM peer_rec x JOIN peer_rec y ON y.ph = x.ph WHERE x.rid < y.rid
    UNION ALL
    SELECT x.rid, y.rid FROM peer_rec x JOIN peer_rec y ON y.nm % x.nm WHERE x.rid < y.rid
  ) u WHERE a <> b;
  RAISE DEBUG 'peer: % candidate pairs %', (SELECT count(*) FROM peer_pair), clock_timestamp();

  -- score
  CREATE TEMP TABLE peer_scored AS
  SELECT a, b, score FROM (
    SELECT p.a, p.b,
           (SELECT CASE WHEN sum(w) FILTER (WHERE s IS NOT NULL AND k <> 'name') IS NULL
                        THEN least(0.5, sum(w * s) / sum(w))
                        ELSE sum(w * s) / sum(w) END
              FROM (VALUES
                ('name', 5.0, CASE WHEN x.gn IS NOT NULL AND y.gn IS NOT NULL AND x.fn IS NOT NULL
                                     AND y.fn IS NOT NULL
                              THEN greatest(2 * peer.jw(x.gn, y.gn) + 3 * peer.jw(x.fn, y.fn),
                                            2 * peer.jw(x.gn, y.fn) + 3 * peer.jw(x.fn, y.gn)) / 5
                              WHEN x.fn IS NOT NULL AND y.fn IS NOT NULL THEN peer.jw(x.fn, y.fn)
                              WHEN coalesce(x.gn, x.fn) IS NOT NULL AND coalesce(y.gn, y.fn) IS NOT NULL
                              THEN peer.jw(coalesce(x.gn, x.fn), coalesce(y.gn, y.fn)) END),
                ('dob', 3.0, peer.dob_sim(x.dob, y.dob)),
                ('em', 3.0, (x.em = y.em)::int::float8),
                ('ph', 2.0, (x.ph = y.ph)::int::float8),
                ('pc', 1.0, (x.pc = y.pc)::int::float8),
                ('ci', 1.0, peer.jw(x.ci, y.ci)),
                ('ad', 2.0, similarity(x.ad, y.ad)::float8),
                -- present on one side only: weak evidence against
                ('miss', 0.5 * ((x.dob IS NULL) <> (y.dob IS NULL))::int * 3
                          + 0.5 * ((x.em IS NULL) <> (y.em IS NULL))::int * 3
                          + 0.5 * ((x.ph IS NULL) <> (y.ph IS NULL))::int * 2
                          + 0.5 * ((x.ad IS NULL) <> (y.ad IS NULL))::int * 2, 0.3)
              ) v(k, w, s)
             WHERE s IS NOT NULL AND w > 0) AS score
      FROM peer_pair p JOIN peer_rec x ON x.rid = p.a JOIN peer_rec y ON y.rid = p.b) s;
  DROP TABLE peer_pair;
END $f$;

-- Step 4: clusters of the pairs of peer_scored with score >= threshold.
CREATE OR REPLACE FUNCTION peer.components(threshold float8) RETURNS TABLE(id text, cluster_id text)
LANGUAGE plpgsql AS $f$
DECLARE
  changed bigint;
  passes int := 0;
BEGIN
  DROP TABLE IF EXISTS peer_edge, peer_lab;
  CREATE TEMP TABLE peer_edge AS SELECT a, b FROM peer_scored WHERE score >= threshold;
  -- label propagation over both directions of the edges
  CREATE TEMP TABLE peer_lab AS SELECT rid, rid AS lab FROM peer_rec;
  ALTER TABLE peer_lab ADD PRIMARY KEY (rid);
  INSERT INTO peer_edge SELECT b, a FROM peer_edge;
  CREATE INDEX ON peer_edge (a);
  ANALYZE peer_edge, peer_lab;
  LOOP
    UPDATE peer_lab l SET lab = m.lab
      FROM (SELECT e.a AS rid, min(n.lab) AS lab FROM peer_edge e JOIN peer_lab n ON n.rid = e.b
             GROUP BY e.a) m
     WHERE m.rid = l.rid AND m.lab < l.lab;
    GET DIAGNOSTICS changed = ROW_COUNT;
    passes := passes + 1;
    EXIT WHEN changed = 0;
  END LOOP;
  RAISE DEBUG 'peer.components: % label passes', passes;
  RETURN QUERY SELECT r.id, c.id FROM peer_rec r JOIN peer_lab l ON l.rid = r.rid
                 JOIN peer_rec c ON c.rid = l.lab;
  DROP TABLE peer_edge, peer_lab;
END $f$;

CREATE OR REPLACE FUNCTION peer.dedupe(source regclass, threshold float8 DEFAULT 0.7)
RETURNS TABLE(id text, cluster_id text)
LANGUAGE plpgsql AS $f$
BEGIN
  PERFORM peer.score_pairs(source);
  RETURN QUERY SELECT * FROM peer.components(threshold);
  DROP TABLE peer_rec, peer_scored;
END $f$;
