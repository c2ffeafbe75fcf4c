-- bench/gen_dedupe.sql: deterministic noisy customer records for the
-- deduplication benchmark (bench/dedupe.sql), set-based SQL only (no per-row
-- plpgsql loop: 1,000,000 records in well under two minutes).  Works without
-- cdm: the nicknames are read from data/nicknames/names.csv with \copy.
--
--   :gen_table (default bench_dd.gen)  the records, with cdm's role columns:
--       id text, given_name, family_name, full_name, dob date, email, phone,
--       address, city, postcode, country, source_system, updated_at timestamptz
--   bench_dd.truth (ds, id, truth)      ds = :gen_ds (default gen); truth = person
--   bench_dd.gen_info (ds, id, person, kind, variant)  what was done to each
--       record (for diagnostics; kind = normal|twin|junior|common)
--
-- psql variables: records (default 10000), gen_table, gen_ds, febrl_csv
-- (test/data/febrl/dataset3.csv: name, street and locality pools),
-- nick_csv (data/nicknames/names.csv), translit_csv (bench/data/translit_names.csv).
--
-- Pseudo-randomness: md5 of a seed string (person, record, purpose); one md5
-- gives eight 16-bit uniforms (hu(h, 0..7)), so the same data comes out on
-- every run and machine.
--
-- People: 86% anglo (FEBRL given names and the formal names of the nickname
-- list, FEBRL surnames; picks skewed towards the start of the pool so that
-- some names are common), 4% Russian, 3% Greek (native script in some
-- records, one of the usual Latin spellings in others), 7% Spanish (two
-- surnames, accents dropped in some records).  Records per person:
-- 1 (50%), 2 (24%), 3 (13%), 4 (8%), 5 (5%), each from a different source
-- system (crm, web, shop, billing, support, loyalty).
--
-- Hard negatives (different people who look alike):
--   twin    (3% of even-numbered people) the previous person's twin: same
--           family name, dob and address; another given name, own mobile
--           and e-mail
--   junior  (2% of even-numbered people) the previous person's child: same
--           given and family name, same address, born 25-35 years later;
--           own mobile, e-mail with "jr"; " Jr" in half of the full names
--   common  (3%) one of six very common names (John Smith, ...), otherwise
--           independent people
--
-- Corruptions of a person's later records (the first record is clean apart
-- from missing values):
--   nickname  given name replaced by a nickname (15%, when it has one; a typo otherwise)
--   typo      deletion, insertion, substitution or transposition (20%)
--   initial   given name cut to "J." (5%)      swap  given and family swapped (7%)
--   upper     name in capitals (5%)
--   translit  (ru/el) native or Latin script, Latin spelling variants; (es)
--             accents dropped, second surname dropped in some records
--   married   (12% of people with 2+ records) from some record on: another
--             family name and a new e-mail
--   moved     (15% of people with 2+ records) from some record on: another
--             address, city, postcode and phone
--   formats   phone in seven formats, e-mail case and blanks, street-type
--             abbreviations (St/Street, Rd/Road, ...), address case, country
--             written AU / Australia / australia
--   dob       missing (7%), day and month swapped (3%), a day off (3%),
--             a decade off (2%)
--   missing   each other field missing in 5-12% of records
--   layout    the web system keeps only full_name ("Given Family" or
--             "Family, Given"), support keeps both, the others given/family only
\set ON_ERROR_STOP on
\if :{?records}
\else
\set records 10000
\endif
\if :{?gen_table}
\else
\set gen_table bench_dd.gen
\endif
\if :{?gen_ds}
\else
\set gen_ds gen
\endif

SET client_min_messages = warning;
CREATE SCHEMA IF NOT EXISTS bench_dd;
CREATE TABLE IF NOT EXISTS bench_dd.truth (ds text, id text, truth text, PRIMARY KEY (ds, id));
CREATE TABLE IF NOT EXISTS bench_dd.gen_info (ds text, id text, person int, kind text, variant text,
                                              PRIMARY KEY (ds, id));
DELETE FROM bench_dd.truth WHERE ds = :'gen_ds';
DELETE FROM bench_dd.gen_info WHERE ds = :'gen_ds';
DROP TABLE IF EXISTS :gen_table;
DROP TABLE IF EXISTS dd_src_febrl, dd_src_nick, dd_src_translit, dd_pool_v, dd_pool_n, dd_nick, dd_tr_pool,
  dd_people, dd_rec;

-- ------------------------------------------------------------------ sources
\set febrl_table dd_src_febrl
\set nick_table dd_src_nick
\set translit_table dd_src_translit
\ir lib/name_sources.sql
UPDATE dd_src_febrl SET rec_id = btrim(rec_id), given_name = btrim(given_name),
  surname = btrim(surname), address_1 = btrim(address_1), suburb = btrim(suburb),
  postcode = btrim(postcode), state = btrim(state);


-- ------------------------------------------------------------------ helpers
-- hu(h, i): the i-th (0..7) 16-bit slice of the md5 hex string h, in [0, 1).
CREATE FUNCTION pg_temp.hu(h text, i int) RETURNS float8 LANGUAGE sql IMMUTABLE AS
$$ SELECT ('x' || substr(h, 1 + 4 * i, 4))::bit(16)::int / 65536::float8 $$;

-- pick from a (small) array with u in [0, 1).
CREATE FUNCTION pg_temp.pick(a text[], u float8) RETURNS text LANGUAGE sql IMMUTABLE AS
$$ SELECT a[1 + floor(u * cardinality(a))::int] $$;

CREATE FUNCTION pg_temp.unaccent(s text) RETURNS text LANGUAGE sql IMMUTABLE AS
$$ SELECT translate(s, 'áéíóúüñÁÉÍÓÚÜÑ', 'aeiouunAEIOUUN') $$;

-- One keyboard slip in w, after the first letter: deletion, insertion,
-- substitution or transposition (h: an md5 hex string), with a letter of
-- w's own script.
CREATE FUNCTION pg_temp.typo(w text, h text) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
SELECT CASE
  WHEN length(w) < 3 THEN w
  ELSE (SELECT CASE kind
          WHEN 0 THEN overlay(w PLACING '' FROM pos FOR 1)
          WHEN 1 THEN overlay(w PLACING c FROM pos FOR 0)
          WHEN 2 THEN overlay(w PLACING CASE WHEN substr(w, pos, 1) = c THEN c || c ELSE c END
                                FROM pos FOR 1)
          ELSE substr(w, 1, pos - 1) || substr(w, pos + 1, 1) || substr(w, pos, 1) || substr(w, pos + 2)
        END
        FROM (SELECT floor(pg_temp.hu(h, 0) * 4)::int AS kind,
                     2 + floor(pg_temp.hu(h, 1) * (length(w) - 2))::int AS pos,
                     substr(alpha, 1 + floor(pg_temp.hu(h, 2) * length(alpha))::int, 1) AS c
                FROM (SELECT CASE WHEN w ~ '[а-яё]' THEN 'абвгдежзиклмнопрстуфхцчшщыэюя'
                                  WHEN w ~ '[α-ω]' THEN 'αβγδεζηθικλμνξοπρστυφχψω'
                                  ELSE 'abcdefghijklmnopqrstuvwxyz' END AS alpha) a) x)
END $f$;

-- ------------------------------------------------------------------ pools
-- Pools as (pool, i, v) rows: picked by joining on i (arrays of a few
-- thousand names would be detoasted on every subscript).
CREATE TEMP TABLE dd_pool_v (pool text, i int, v text, PRIMARY KEY (pool, i));
INSERT INTO dd_pool_v
SELECT 'given', row_number() OVER (ORDER BY md5(g)), initcap(g) FROM (
  SELECT given_name AS g FROM dd_src_febrl WHERE rec_id LIKE '%-org' AND given_name ~ '^[a-z]{3,}$'
  UNION SELECT name1 FROM dd_src_nick WHERE name1 ~ '^[a-z]{3,}$') s
UNION ALL
SELECT 'family', row_number() OVER (ORDER BY md5(f)), initcap(f) FROM (SELECT DISTINCT surname AS f
  FROM dd_src_febrl WHERE rec_id LIKE '%-org' AND surname ~ '^[a-z]{3,}$') s
UNION ALL
SELECT 'street', row_number() OVER (ORDER BY md5(a)), a FROM (SELECT DISTINCT address_1 AS a
  FROM dd_src_febrl WHERE rec_id LIKE '%-org' AND address_1 ~ '^[a-z]+( [a-z]+)* [a-z]+$') s
UNION ALL
SELECT 'locality', row_number() OVER (ORDER BY md5(l)), l FROM (
  SELECT DISTINCT suburb || '|' || postcode || '|' || state AS l FROM dd_src_febrl
   WHERE rec_id LIKE '%-org' AND suburb ~ '^[a-z ]+$' AND postcode ~ '^[0-9]{4}$' AND state <> '') s
UNION ALL
SELECT 'common', i, v FROM unnest(ARRAY['John Smith', 'David Jones', 'Michael Brown', 'Sarah Williams',
                                        'James Wilson', 'Mary Taylor']) WITH ORDINALITY c(v, i);
ANALYZE dd_pool_v;
CREATE TEMP TABLE dd_pool_n AS
SELECT count(*) FILTER (WHERE pool = 'given')::int AS ng, count(*) FILTER (WHERE pool = 'family')::int AS nf,
       count(*) FILTER (WHERE pool = 'street')::int AS ns, count(*) FILTER (WHERE pool = 'locality')::int AS nl,
       count(*) FILTER (WHERE pool = 'common')::int AS nc
  FROM dd_pool_v;

-- index into a pool of n for u in [0, 1); skew > 1 favours the first
-- elements (so that some names are common).
CREATE FUNCTION pg_temp.ix(u float8, n int, skew float8 DEFAULT 1) RETURNS int LANGUAGE sql IMMUTABLE AS
$$ SELECT 1 + floor(power(u, skew) * n)::int $$;

CREATE TEMP TABLE dd_nick AS
SELECT name1 AS formal, array_agg(name2 ORDER BY name2) AS nicks FROM dd_src_nick
 WHERE relationship = 'has_nickname' AND name2 ~ '^[a-z]{2,}$' GROUP BY name1;
ALTER TABLE dd_nick ADD PRIMARY KEY (formal);

-- translit pools per (origin, kind, gender); family names of gender x fit both.
CREATE TEMP TABLE dd_tr_pool AS
SELECT origin, kind, gender, array_agg(native ORDER BY native) AS natives,
       array_agg(latin ORDER BY native) AS latins
  FROM (SELECT origin, kind, g.gender, native, latin FROM dd_src_translit t
          CROSS JOIN (VALUES ('m'), ('f')) g(gender)
         WHERE t.gender IN (g.gender, 'x')) s
 GROUP BY origin, kind, gender;

-- ------------------------------------------------------------------ people
-- Enough people for :records records (1.91 records per person on average).
CREATE TEMP TABLE dd_people AS
WITH b AS (
  SELECT p, md5('dd-p1:' || p) AS h1, md5('dd-p2:' || p) AS h2, md5('dd-p3:' || p) AS h3
    FROM generate_series(1, ceil(:records / 1.91 * 1.06)::int + 10) p),
a AS MATERIALIZED (
  SELECT p, h1, h2, h3,
         CASE WHEN p % 2 = 0 AND pg_temp.hu(h1, 0) < 0.03 THEN 'twin'
              WHEN p % 2 = 0 AND pg_temp.hu(h1, 0) < 0.05 THEN 'junior'
              WHEN pg_temp.hu(h1, 0) >= 0.05 AND pg_temp.hu(h1, 0) < 0.08 THEN 'common'
              ELSE 'normal' END AS kind,
         CASE WHEN pg_temp.hu(h1, 1) < 0.04 THEN 'ru' WHEN pg_temp.hu(h1, 1) < 0.07 THEN 'el'
              WHEN pg_temp.hu(h1, 1) < 0.14 THEN 'es' ELSE 'anglo' END AS origin,
         CASE WHEN pg_temp.hu(h1, 2) < 0.5 THEN 'm' ELSE 'f' END AS gender,
         CASE WHEN pg_temp.hu(h1, 3) < 0.50 THEN 1 WHEN pg_temp.hu(h1, 3) < 0.74 THEN 2
              WHEN pg_temp.hu(h1, 3) < 0.87 THEN 3 WHEN pg_temp.hu(h1, 3) < 0.95 THEN 4 ELSE 5 END AS nrec
    FROM b),
c AS MATERIALIZED (
  SELECT a.*,
         pg_temp.ix(pg_temp.hu(h1, 4), n.ng, 1.6) AS gi, pg_temp.ix(pg_temp.hu(h1, 5), n.nf, 1.6) AS fi,
         pg_temp.ix(pg_temp.hu(h1, 4), n.nc) AS ci,
         pg_temp.ix(pg_temp.hu(h2, 1), n.ns) AS si, pg_temp.ix(pg_temp.hu(h2, 2), n.nl) AS li,
         pg_temp.ix(pg_temp.hu(h3, 1), n.nf) AS nfi,
         pg_temp.ix(pg_temp.hu(h3, 5), n.ns) AS nsi, pg_temp.ix(pg_temp.hu(h3, 6), n.nl) AS nli,
         pg_temp.ix(pg_temp.hu(h3, 0), n.ng) AS ai1, pg_temp.ix(pg_temp.hu(h3, 1), n.ng) AS ai2
    FROM a CROSS JOIN dd_pool_n n)
SELECT c.p, c.kind, c.origin, c.gender, c.nrec, c.h1, c.h2, c.h3,
       -- names: native spelling and Latin spellings ('|'-separated)
       CASE WHEN c.origin = 'anglo' AND c.kind = 'common' THEN split_part(vc.v, ' ', 1)
            WHEN c.origin = 'anglo' THEN vg.v
            ELSE gp.natives[1 + floor(pg_temp.hu(c.h1, 4) * cardinality(gp.natives))::int] END AS given,
       CASE WHEN c.origin = 'anglo' THEN NULL
            ELSE gp.latins[1 + floor(pg_temp.hu(c.h1, 4) * cardinality(gp.natives))::int] END AS given_latin,
       CASE WHEN c.origin = 'anglo' AND c.kind = 'common' THEN split_part(vc.v, ' ', 2)
            WHEN c.origin = 'anglo' THEN vf.v
            ELSE fp.natives[1 + floor(pg_temp.hu(c.h1, 5) * cardinality(fp.natives))::int] END AS family,
       CASE WHEN c.origin = 'anglo' THEN NULL
            ELSE fp.latins[1 + floor(pg_temp.hu(c.h1, 5) * cardinality(fp.natives))::int] END AS family_latin,
       CASE WHEN c.origin = 'es'
            THEN fp.natives[1 + floor(pg_temp.hu(c.h1, 6) * cardinality(fp.natives))::int] END AS family2,
       date '1940-01-01' + floor(pg_temp.hu(c.h1, 7) * 65 * 365.25)::int AS dob,
       (1 + floor(pg_temp.hu(c.h2, 0) * 250))::int AS street_no,
       vs.v AS street, vl.v AS locality,
       '04' || lpad(floor(pg_temp.hu(c.h2, 3) * 10000)::int::text, 4, '0')
            || lpad(floor(pg_temp.hu(c.h2, 4) * 10000)::int::text, 4, '0') AS mobile,
       floor(pg_temp.hu(c.h2, 5) * 4)::int AS email_style,
       (ARRAY['gmail.com', 'yahoo.com.au', 'hotmail.com', 'outlook.com', 'bigpond.com', 'icloud.com',
              'optusnet.com.au'])[1 + floor(pg_temp.hu(c.h2, 6) * 7)::int] AS domain,
       c.nrec >= 2 AND pg_temp.hu(c.h2, 7) < 0.12 AS married,
       1 + floor(pg_temp.hu(c.h3, 0) * (c.nrec - 1))::int AS marry_at,
       vnf.v AS new_family,
       c.nrec >= 2 AND pg_temp.hu(c.h3, 2) < 0.15 AS moved,
       1 + floor(pg_temp.hu(c.h3, 3) * (c.nrec - 1))::int AS move_at,
       (1 + floor(pg_temp.hu(c.h3, 4) * 250))::int AS new_street_no,
       vns.v AS new_street, vnl.v AS new_locality,
       '04' || lpad(floor(pg_temp.hu(c.h3, 7) * 10000)::int::text, 4, '0')
            || lpad(floor(pg_temp.hu(c.h2, 0) * 10000)::int::text, 4, '0') AS new_mobile,
       floor(pg_temp.hu(c.h1, 6) * 6)::int AS sysbase,
       va1.v AS alt_given1, va2.v AS alt_given2
  FROM c
  JOIN dd_pool_v vg ON vg.pool = 'given' AND vg.i = c.gi
  JOIN dd_pool_v vf ON vf.pool = 'family' AND vf.i = c.fi
  JOIN dd_pool_v vc ON vc.pool = 'common' AND vc.i = c.ci
  JOIN dd_pool_v vs ON vs.pool = 'street' AND vs.i = c.si
  JOIN dd_pool_v vl ON vl.pool = 'locality' AND vl.i = c.li
  JOIN dd_pool_v vnf ON vnf.pool = 'family' AND vnf.i = c.nfi
  JOIN dd_pool_v vns ON vns.pool = 'street' AND vns.i = c.nsi
  JOIN dd_pool_v vnl ON vnl.pool = 'locality' AND vnl.i = c.nli
  JOIN dd_pool_v va1 ON va1.pool = 'given' AND va1.i = c.ai1
  JOIN dd_pool_v va2 ON va2.pool = 'given' AND va2.i = c.ai2
  LEFT JOIN dd_tr_pool gp ON gp.origin = c.origin AND gp.kind = 'given' AND gp.gender = c.gender
  LEFT JOIN dd_tr_pool fp ON fp.origin = c.origin AND fp.kind = 'family' AND fp.gender = c.gender;
ALTER TABLE dd_people ADD PRIMARY KEY (p);
UPDATE dd_people SET kind = 'normal' WHERE kind = 'common' AND origin <> 'anglo';

-- Twins and sons take their household from the previous person (an odd
-- number, so never a twin or son itself).  A twin's given name differs.
UPDATE dd_people t SET
  origin = s.origin, gender = CASE WHEN t.kind = 'junior' THEN 'm' ELSE t.gender END,
  family = s.family, family_latin = s.family_latin, family2 = s.family2,
  given = CASE WHEN t.kind = 'junior' THEN s.given
               WHEN s.origin = 'anglo' AND t.origin = 'anglo' AND lower(t.given) <> lower(s.given)
                 THEN t.given
               WHEN s.origin = 'anglo' AND lower(t.alt_given1) <> lower(s.given) THEN t.alt_given1
               WHEN s.origin = 'anglo' THEN t.alt_given2
               ELSE coalesce((SELECT gp.natives[i] FROM dd_tr_pool gp,
                                generate_subscripts(gp.natives, 1) i
                               WHERE gp.origin = s.origin AND gp.kind = 'given' AND gp.gender = t.gender
                                 AND gp.natives[i] <> s.given
                               ORDER BY md5(t.p || ':' || i) LIMIT 1), s.given) END,
  given_latin = NULL,
  dob = CASE WHEN t.kind = 'junior'
             THEN s.dob + (floor((25 + pg_temp.hu(t.h3, 0) * 10) * 365.25))::int ELSE s.dob END,
  street_no = s.street_no, street = s.street, locality = s.locality,
  married = false, moved = false
  FROM dd_people s
 WHERE t.kind IN ('twin', 'junior') AND s.p = t.p - 1;
-- a non-anglo twin's Latin spelling follows the given name
UPDATE dd_people t SET given_latin = (SELECT gp.latins[array_position(gp.natives, t.given)]
                                        FROM dd_tr_pool gp
                                       WHERE gp.origin = t.origin AND gp.kind = 'given'
                                         AND t.given = ANY (gp.natives) LIMIT 1)
 WHERE t.kind IN ('twin', 'junior') AND t.origin <> 'anglo';

-- ------------------------------------------------------------------ records
CREATE TEMP TABLE dd_rec AS
WITH r0 AS (
  SELECT pe.*, r, md5('dd-r1:' || pe.p || ':' || r) AS g1, md5('dd-r2:' || pe.p || ':' || r) AS g2,
         md5('dd-r3:' || pe.p || ':' || r) AS g3,
         row_number() OVER (ORDER BY pe.p, r) AS seq
    FROM dd_people pe CROSS JOIN LATERAL generate_series(0, pe.nrec - 1) r),
r1 AS (   -- life events and the spelling this source system uses
  SELECT r0.*, (ARRAY['crm', 'web', 'shop', 'billing', 'support', 'loyalty'])[1 + (sysbase + r) % 6] AS sys,
         married AND r >= marry_at AS married_now, moved AND r >= move_at AS moved_now,
         CASE WHEN origin IN ('ru', 'el') AND pg_temp.hu(g1, 0) >= 0.45
                THEN pg_temp.pick(string_to_array(given_latin, '|'), pg_temp.hu(g1, 1))
              WHEN origin = 'es' AND pg_temp.hu(g1, 0) >= 0.6 THEN pg_temp.unaccent(given)
              ELSE given END AS g,
         CASE WHEN married AND r >= marry_at THEN new_family
              WHEN origin IN ('ru', 'el') AND pg_temp.hu(g1, 0) >= 0.45
                THEN pg_temp.pick(string_to_array(family_latin, '|'), pg_temp.hu(g1, 2))
              WHEN origin = 'es' AND pg_temp.hu(g1, 0) >= 0.6
                THEN pg_temp.unaccent(family || CASE WHEN pg_temp.hu(g1, 2) < 0.7 THEN ' ' || family2 ELSE '' END)
              WHEN origin = 'es' THEN family || ' ' || family2
              ELSE family END AS f,
         CASE WHEN origin IN ('ru', 'el') AND pg_temp.hu(g1, 0) >= 0.45 THEN 'translit'
              WHEN origin = 'es' AND pg_temp.hu(g1, 0) >= 0.6 THEN 'noaccent' END AS v_script,
         CASE WHEN r = 0 THEN 1.0 ELSE pg_temp.hu(g1, 3) END AS uc
    FROM r0
   WHERE seq <= :records),
r2 AS (   -- name corruptions
  SELECT r1.*,
         CASE WHEN uc < 0.15 AND n.nicks IS NOT NULL THEN 'nickname'
              WHEN uc < 0.35 THEN 'typo' WHEN uc < 0.40 THEN 'initial' WHEN uc < 0.47 THEN 'swap'
              WHEN uc < 0.52 THEN 'upper' END AS v_name,
         n.nicks
    FROM r1 LEFT JOIN dd_nick n ON n.formal = lower(r1.g) AND r1.origin = 'anglo'),
r3 AS (
  SELECT r2.*,
         CASE v_name WHEN 'nickname' THEN initcap(pg_temp.pick(nicks, pg_temp.hu(g1, 4)))
                     WHEN 'typo' THEN CASE WHEN pg_temp.hu(g1, 5) < 0.5 THEN pg_temp.typo(g, g3) ELSE g END
                     WHEN 'initial' THEN left(g, 1) || '.'
                     ELSE g END AS g2n,
         CASE WHEN v_name = 'typo' AND pg_temp.hu(g1, 5) >= 0.5 THEN pg_temp.typo(f, g3) ELSE f END AS f2n
    FROM r2),
r4 AS (
  SELECT r3.*,
         CASE WHEN v_name = 'swap' THEN f2n ELSE g2n END AS gf,
         CASE WHEN v_name = 'swap' THEN g2n ELSE f2n END AS ff,
         -- the e-mail the person gives this system (a new one after a marriage)
         lower(pg_temp.unaccent(split_part(coalesce(given_latin, given), '|', 1))) AS em_g,
         lower(pg_temp.unaccent(split_part(coalesce(CASE WHEN married_now THEN new_family END,
                                                    split_part(family_latin, '|', 1), family), ' ', 1))) AS em_f
    FROM r3)
SELECT p, r, kind, sys, seq, g1, g2, g3,
       concat_ws(' ', v_script, v_name, CASE WHEN married_now THEN 'married' END,
                 CASE WHEN moved_now THEN 'moved' END) AS variant,
       CASE WHEN v_name = 'upper' THEN upper(gf) ELSE gf END AS gf,
       CASE WHEN v_name = 'upper' THEN upper(ff) ELSE ff END AS ff,
       -- Jr in some of a son's full names
       CASE WHEN kind = 'junior' AND pg_temp.hu(g2, 7) < 0.5 THEN ' Jr' ELSE '' END AS suffix,
       dob, em_g, em_f, email_style, domain, married_now, moved_now,
       CASE WHEN moved_now THEN new_street_no ELSE street_no END AS sno,
       CASE WHEN moved_now THEN new_street ELSE street END AS street,
       CASE WHEN moved_now THEN new_locality ELSE locality END AS locality,
       CASE WHEN moved_now THEN new_mobile ELSE mobile END AS mobile
  FROM r4;

CREATE TABLE :gen_table (
  id text PRIMARY KEY, given_name text, family_name text, full_name text, dob date,
  email text, phone text, address text, city text, postcode text, country text,
  source_system text, updated_at timestamptz);

INSERT INTO :gen_table
SELECT 'g' || seq, given_name, family_name, full_name, dob, email, phone, address, city, postcode,
       country, source_system, updated_at
  FROM (
SELECT seq, g1,
       CASE WHEN sys = 'web' THEN NULL ELSE nullif(gf, '') END AS given_name,
       CASE WHEN sys = 'web' THEN NULL ELSE nullif(ff, '') END AS family_name,
       CASE WHEN sys IN ('web', 'support')
            THEN CASE WHEN pg_temp.hu(g2, 1) < 0.3 THEN ff || ', ' || gf ELSE gf || ' ' || ff END || suffix
       END AS full_name,
       CASE WHEN pg_temp.hu(g2, 2) < 0.07 AND r > 0 THEN NULL
            WHEN pg_temp.hu(g2, 2) < 0.10 AND r > 0 AND extract(day FROM dob) <= 12
              THEN make_date(extract(year FROM dob)::int, extract(day FROM dob)::int, extract(month FROM dob)::int)
            WHEN pg_temp.hu(g2, 2) < 0.13 AND r > 0 THEN dob + 1
            WHEN pg_temp.hu(g2, 2) < 0.15 AND r > 0 THEN (dob + interval '10 years')::date
            WHEN pg_temp.hu(g2, 2) < 0.02 THEN NULL
            ELSE dob END AS dob,
       CASE WHEN pg_temp.hu(g2, 3) < CASE WHEN r = 0 THEN 0.05 ELSE 0.12 END THEN NULL
            ELSE (SELECT CASE WHEN r = 0 THEN e
                              WHEN pg_temp.hu(g2, 4) < 0.10 THEN upper(e)
                              WHEN pg_temp.hu(g2, 4) < 0.16 THEN ' ' || e || ' '
                              WHEN pg_temp.hu(g2, 4) < 0.22 THEN initcap(e)
                              ELSE e END
                    FROM (SELECT CASE email_style
                                   WHEN 0 THEN em_g || '.' || em_f
                                   WHEN 1 THEN em_g || '_' || em_f
                                   WHEN 2 THEN left(em_g, 1) || em_f
                                   ELSE em_g || em_f || (10 + p % 90) END
                                 || CASE WHEN kind = 'junior' THEN 'jr' ELSE '' END
                                 || CASE WHEN married_now THEN '.' || left(em_g, 1) ELSE '' END
                                 || '@' || domain AS e) x) END AS email,
       CASE floor(pg_temp.hu(g2, 5) * CASE WHEN r = 0 THEN 1 ELSE 8 END)::int
         WHEN 0 THEN format('%s %s %s', substr(mobile, 1, 4), substr(mobile, 5, 3), substr(mobile, 8))
         WHEN 1 THEN format('+61 %s %s %s', substr(mobile, 2, 3), substr(mobile, 5, 3), substr(mobile, 8))
         WHEN 2 THEN mobile
         WHEN 3 THEN format('%s-%s-%s', substr(mobile, 1, 4), substr(mobile, 5, 3), substr(mobile, 8))
         WHEN 4 THEN '61' || substr(mobile, 2)
         WHEN 5 THEN '+61' || substr(mobile, 2)
         WHEN 6 THEN format('(%s) %s %s', substr(mobile, 1, 2), substr(mobile, 3, 4), substr(mobile, 7))
         ELSE NULL END AS phone,
       CASE WHEN pg_temp.hu(g2, 6) < CASE WHEN r = 0 THEN 0.03 ELSE 0.08 END THEN NULL
            ELSE (SELECT CASE floor(pg_temp.hu(g3, 4) * CASE WHEN r = 0 THEN 1 ELSE 5 END)::int
                           WHEN 0 THEN initcap(a)
                           WHEN 1 THEN initcap(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
                                         regexp_replace(regexp_replace(regexp_replace(a,
                                         ' street$', ' st'), ' road$', ' rd'), ' avenue$', ' ave'),
                                         ' place$', ' pl'), ' crescent$', ' cres'), ' drive$', ' dr'),
                                         ' court$', ' ct'))
                           WHEN 2 THEN upper(a)
                           WHEN 3 THEN 'Unit ' || (1 + p % 9) || '/' || initcap(a)
                           ELSE a END
                    FROM (SELECT sno || ' ' || street AS a) x) END AS address,
       CASE WHEN pg_temp.hu(g3, 5) < CASE WHEN r = 0 THEN 0.03 ELSE 0.08 END THEN NULL
            WHEN pg_temp.hu(g3, 6) < 0.15 AND r > 0 THEN upper(split_part(locality, '|', 1))
            ELSE initcap(split_part(locality, '|', 1)) END AS city,
       CASE WHEN pg_temp.hu(g3, 7) < CASE WHEN r = 0 THEN 0.03 ELSE 0.06 END THEN NULL
            ELSE split_part(locality, '|', 2) END AS postcode,
       CASE sys WHEN 'crm' THEN 'AU' WHEN 'web' THEN 'Australia' WHEN 'shop' THEN 'australia'
                WHEN 'billing' THEN 'AU' ELSE NULL END AS country,
       sys AS source_system,
       timestamptz '2015-01-01 00:00+00' + (r * 400 + floor(pg_temp.hu(g3, 0) * 400)) * interval '1 day'
         + floor(pg_temp.hu(g3, 1) * 86400) * interval '1 second' AS updated_at
  FROM dd_rec) s
 ORDER BY md5(g1);

INSERT INTO bench_dd.truth SELECT :'gen_ds', 'g' || seq, p::text FROM dd_rec;
INSERT INTO bench_dd.gen_info SELECT :'gen_ds', 'g' || seq, p, kind, variant FROM dd_rec;
DROP TABLE dd_rec, dd_people;
VACUUM (ANALYZE) :gen_table;
