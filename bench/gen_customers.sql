-- bench/gen_customers.sql: deterministic noisy customer records for the
-- blocking benchmark (bench/block.sql), in plain SQL (no python on CI).
--
--   gen.customers    :records generated records (default 40,000) of people
--                    whose duplicates carry realistic corruptions
--   febrl.customers  FEBRL dataset3 as it is (5,000 records of 2,000 people)
--
-- Both tables: id int (1..n, in hashed order), person int (the truth: same
-- person = same value), given_name, family_name, name (the full name as the
-- source system wrote it), email, phone, address, origin, variant (what was
-- done to this record; '' for a clean record).
--
-- psql variables: records (default 40000), febrl_csv (test/data/febrl/dataset3.csv),
-- nick_csv (data/nicknames/names.csv), translit_csv (bench/data/translit_names.csv).
--
-- Pseudo-randomness is md5 of a seed string (person, record, purpose), so the
-- same data comes out on every run and every machine.  Case mapping of
-- non-ASCII letters goes through the ICU root collation, not the database
-- locale, for the same reason.
--
-- People: 86% "anglo" (given name and surname of FEBRL's original records,
-- crossed; 40% of them get a given name that has nicknames), 4% Russian and
-- 3% Greek (written in Cyrillic/Greek in some records and in one of the usual
-- Latin spellings in others), 7% Spanish (two surnames, accents written or
-- dropped).  Names of the last three: bench/data/translit_names.csv, written
-- for this benchmark.  60% of people have one record, the
-- rest 2-5 (16/11/8/5%).  A person's first record is clean; each further one
-- gets one corruption of the name (two in 30% of them):
--   typo        deletion, insertion, substitution or transposition of adjacent
--               letters, in the given or family name
--   nickname    the given name replaced by a nickname (data/nicknames/names.csv;
--               a typo instead when the name has none)
--   initial     "J. Smith"          nogiven   "Smith"
--   swap        given and family fields swapped, name written "Smith John"
--   comma       "Smith, John"       middle    "John A. Smith"
--   case        all upper or all lower case
--   dropsecond  (Spanish) the second surname left out
-- and independently of the name: e-mail, phone and address in other formats
-- (case, +tags, googlemail, dots; six phone formats; street-type
-- abbreviations), missing values, 5% of duplicates at another address.
\set ON_ERROR_STOP on
\if :{?records}
\else
\set records 40000
\endif

SET client_min_messages = warning;
SELECT set_config('gen.records', :'records', false) \gset gen_
CREATE SCHEMA IF NOT EXISTS gen;
CREATE SCHEMA IF NOT EXISTS febrl;
DROP TABLE IF EXISTS gen.customers, febrl.customers, gen_src_febrl, gen_src_nick,
  gen_src_translit, gen_people;

-- ------------------------------------------------------------------ sources
\set febrl_table gen_src_febrl
\set nick_table gen_src_nick
\set translit_table gen_src_translit
\ir lib/name_sources.sql
UPDATE gen_src_febrl SET rec_id = btrim(rec_id), given_name = btrim(given_name),
  surname = btrim(surname), street_number = btrim(street_number),
  address_1 = btrim(address_1), address_2 = btrim(address_2), suburb = btrim(suburb),
  postcode = btrim(postcode), state = btrim(state);


-- ------------------------------------------------------------------ helpers
-- u(seed) in [0, 1): the first 32 bits of md5(seed).
CREATE FUNCTION pg_temp.u(s text) RETURNS float8 LANGUAGE sql IMMUTABLE AS
$$ SELECT ('x' || substr(md5(s), 1, 8))::bit(32)::bigint / 4294967296.0 $$;

CREATE FUNCTION pg_temp.pick(a text[], s text) RETURNS text LANGUAGE sql IMMUTABLE AS
$$ SELECT a[1 + floor(pg_temp.u(s) * cardinality(a))::int] $$;

-- Case mapping that does not depend on the database locale.
CREATE FUNCTION pg_temp.up(s text) RETURNS text LANGUAGE sql IMMUTABLE AS
$$ SELECT upper(s COLLATE "und-x-icu") $$;
CREATE FUNCTION pg_temp.low(s text) RETURNS text LANGUAGE sql IMMUTABLE AS
$$ SELECT lower(s COLLATE "und-x-icu") $$;
CREATE FUNCTION pg_temp.cap(s text) RETURNS text LANGUAGE sql IMMUTABLE AS
$$ SELECT initcap(s COLLATE "und-x-icu") $$;

CREATE FUNCTION pg_temp.unaccent(s text) RETURNS text LANGUAGE sql IMMUTABLE AS
$$ SELECT translate(s, 'áéíóúüñÁÉÍÓÚÜÑ', 'aeiouunAEIOUUN') $$;

-- One keyboard slip in w: deletion, insertion, substitution or transposition
-- of adjacent letters (kind 0..3), mostly after the first letter, with a
-- letter of w's own script.
CREATE FUNCTION pg_temp.typo(w text, s text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $f$
DECLARE
  n int := length(w);
  kind int := floor(pg_temp.u(s || 'k') * 4)::int;
  pos int;
  alpha text;
  c text;
BEGIN
  IF n < 2 THEN
    RETURN w;
  END IF;
  pos := CASE WHEN n >= 3 AND pg_temp.u(s || 'f') >= 0.1
              THEN 2 + floor(pg_temp.u(s || 'p') * (n - 1))::int
              ELSE 1 + floor(pg_temp.u(s || 'p') * n)::int END;
  alpha := CASE WHEN w ~ '[а-яёА-ЯЁ]' THEN 'абвгдежзиклмнопрстуфхцчшщыэюя'
                WHEN w ~ '[α-ωΑ-Ω]' THEN 'αβγδεζηθικλμνξοπρστυφχψω'
                ELSE 'abcdefghijklmnopqrstuvwxyz' END;
  c := substr(alpha, 1 + floor(pg_temp.u(s || 'c') * length(alpha))::int, 1);
  IF kind = 0 THEN
    RETURN overlay(w PLACING '' FROM pos FOR 1);
  ELSIF kind = 1 THEN
    RETURN overlay(w PLACING c FROM pos FOR 0);
  ELSIF kind = 2 THEN
    IF substr(w, pos, 1) = c THEN   -- a substitution must change something
      c := substr(alpha, 1 + (strpos(alpha, c) % length(alpha)), 1);
    END IF;
    RETURN overlay(w PLACING c FROM pos FOR 1);
  ELSE
    pos := least(pos, n - 1);
    RETURN substr(w, 1, pos - 1) || substr(w, pos + 1, 1) || substr(w, pos, 1) || substr(w, pos + 2);
  END IF;
END $f$;

-- ------------------------------------------------------------------ people
-- Pools (arrays, deterministic order).
CREATE TEMP TABLE gen_pools AS
SELECT
  (SELECT array_agg(g ORDER BY g) FROM (SELECT DISTINCT given_name AS g FROM gen_src_febrl
     WHERE rec_id LIKE '%-org' AND given_name ~ '^[a-z]{2,}$') s) AS anglo_given,
  (SELECT array_agg(f ORDER BY f) FROM (SELECT DISTINCT surname AS f FROM gen_src_febrl
     WHERE rec_id LIKE '%-org' AND surname ~ '^[a-z]{2,}$') s) AS anglo_family,
  (SELECT array_agg(g ORDER BY g) FROM (SELECT DISTINCT given_name AS g FROM gen_src_febrl f
     WHERE rec_id LIKE '%-org' AND given_name ~ '^[a-z]{2,}$'
       AND EXISTS (SELECT 1 FROM gen_src_nick n WHERE n.name1 = f.given_name)) s) AS anglo_given_nick,
  (SELECT array_agg(rec_id ORDER BY rec_id) FROM gen_src_febrl
     WHERE rec_id LIKE '%-org' AND address_1 <> '' AND suburb <> '') AS addr_recs;

CREATE TEMP TABLE gen_people AS
WITH p AS (
  SELECT k AS person, pg_temp.u('origin' || k) AS uo, pg_temp.u('size' || k) AS us
    FROM generate_series(1, ceil(:records / 1.82 * 1.08)::int) k),
q AS (
  SELECT person,
         CASE WHEN uo < 0.04 THEN 'ru' WHEN uo < 0.07 THEN 'el' WHEN uo < 0.14 THEN 'es'
              ELSE 'anglo' END AS origin,
         CASE WHEN pg_temp.u('gender' || person) < 0.5 THEN 'm' ELSE 'f' END AS gender,
         CASE WHEN us < 0.60 THEN 1 WHEN us < 0.76 THEN 2 WHEN us < 0.87 THEN 3
              WHEN us < 0.95 THEN 4 ELSE 5 END AS nrec
    FROM p)
SELECT q.*, sum(nrec) OVER (ORDER BY person) - nrec AS first_row FROM q;

-- Names of each person: native spelling and the Latin spellings (an array;
-- for anglo people both are the FEBRL name).
ALTER TABLE gen_people ADD COLUMN given_native text, ADD COLUMN given_latin text[],
  ADD COLUMN family_native text, ADD COLUMN family_latin text[],
  ADD COLUMN family2_native text, ADD COLUMN family2_latin text[],
  ADD COLUMN nicknames text[], ADD COLUMN addr_rec text, ADD COLUMN addr_rec2 text;

UPDATE gen_people g SET
  given_native = pg_temp.cap(pg_temp.pick(CASE WHEN pg_temp.u('nickpool' || g.person) < 0.4
                                               THEN pl.anglo_given_nick ELSE pl.anglo_given END,
                                          'given' || g.person)),
  family_native = pg_temp.cap(pg_temp.pick(pl.anglo_family, 'family' || g.person))
  FROM gen_pools pl WHERE g.origin = 'anglo';
UPDATE gen_people SET given_latin = ARRAY[given_native], family_latin = ARRAY[family_native]
 WHERE origin = 'anglo';

-- translit pools per (origin, kind, gender); family names of gender x fit both.
CREATE TEMP TABLE gen_tr_pool AS
SELECT origin, kind, gender, array_agg(native ORDER BY native) AS natives,
       array_agg(latin ORDER BY native) AS latins
  FROM (SELECT origin, kind, g.gender, native, latin FROM gen_src_translit t
          CROSS JOIN (VALUES ('m'), ('f')) g(gender)
         WHERE t.gender IN (g.gender, 'x')) s
 GROUP BY origin, kind, gender;

UPDATE gen_people g SET
  given_native = x.gn, given_latin = string_to_array(x.gl, '|'),
  family_native = x.fn, family_latin = string_to_array(x.fl, '|'),
  family2_native = CASE WHEN g.origin = 'es' THEN x.f2n END,
  family2_latin = CASE WHEN g.origin = 'es' THEN string_to_array(x.f2l, '|') END
  FROM (SELECT q.person, gp.natives[i.gi] AS gn, gp.latins[i.gi] AS gl,
               fp.natives[i.fi] AS fn, fp.latins[i.fi] AS fl,
               fp.natives[i.f2] AS f2n, fp.latins[i.f2] AS f2l
          FROM gen_people q
          JOIN gen_tr_pool gp ON gp.origin = q.origin AND gp.kind = 'given' AND gp.gender = q.gender
          JOIN gen_tr_pool fp ON fp.origin = q.origin AND fp.kind = 'family' AND fp.gender = q.gender
          CROSS JOIN LATERAL (SELECT
                 1 + floor(pg_temp.u('given' || q.person) * cardinality(gp.natives))::int AS gi,
                 1 + floor(pg_temp.u('family' || q.person) * cardinality(fp.natives))::int AS fi,
                 1 + floor(pg_temp.u('family2' || q.person) * cardinality(fp.natives))::int AS f2) i
         WHERE q.origin <> 'anglo') x
 WHERE x.person = g.person;

UPDATE gen_people g SET nicknames = n.nicks
  FROM (SELECT name1, array_agg(name2 ORDER BY name2) AS nicks FROM gen_src_nick
         WHERE relationship = 'has_nickname' AND name2 ~ '^[a-z]{2,}$' GROUP BY name1) n
 WHERE g.origin = 'anglo' AND n.name1 = lower(g.given_native);

UPDATE gen_people g SET addr_rec = pg_temp.pick(pl.addr_recs, 'addr' || g.person),
                        addr_rec2 = pg_temp.pick(pl.addr_recs, 'addr2' || g.person)
  FROM gen_pools pl;

-- ------------------------------------------------------------------ records
CREATE TABLE gen.customers (
  id int PRIMARY KEY, person int NOT NULL, given_name text, family_name text, name text,
  email text, phone text, address text, origin text, variant text);

CREATE TEMP TABLE gen_rec (person int, r int, given_name text, family_name text, name text,
  email text, phone text, address text, origin text, variant text);

DO $gen$
DECLARE
  p record;
  r int;
  s text;
  latin boolean;
  g text; f text; f2 text; full_name text; gf text; ff text;
  kinds text[];
  k text;
  variant text[];
  nk int;
  a record;
  em text; dom text; ph text; addr text; area text;
  total int := current_setting('gen.records')::int;
BEGIN
  FOR p IN SELECT * FROM gen_people WHERE first_row < total ORDER BY person LOOP
    FOR r IN 0 .. p.nrec - 1 LOOP
      EXIT WHEN p.first_row + r >= total;
      s := p.person || ':' || r || ':';
      variant := '{}';
      -- the spelling this source system uses
      IF p.origin IN ('ru', 'el') THEN
        latin := pg_temp.u(s || 'script') >= 0.45;
      ELSIF p.origin = 'es' THEN
        latin := pg_temp.u(s || 'script') >= 0.6;
      ELSE
        latin := false;
      END IF;
      IF latin THEN
        g := pg_temp.pick(p.given_latin, s || 'gv');
        f := pg_temp.pick(p.family_latin, s || 'fv');
        f2 := CASE WHEN p.family2_latin IS NOT NULL THEN pg_temp.pick(p.family2_latin, s || 'f2v') END;
        IF p.origin = 'es' THEN
          g := pg_temp.unaccent(p.given_native); f := pg_temp.unaccent(p.family_native);
          f2 := pg_temp.unaccent(p.family2_native);
          variant := variant || 'noaccent'::text;
        ELSE
          variant := variant || 'latin'::text;
        END IF;
      ELSE
        g := p.given_native; f := p.family_native; f2 := p.family2_native;
      END IF;
      IF f2 IS NOT NULL THEN
        f := f || ' ' || f2;
      END IF;
      full_name := NULL;
      gf := NULL;   -- fields as stored when they differ from g / f
      ff := NULL;
      IF r > 0 THEN
        nk := CASE WHEN pg_temp.u(s || 'two') < 0.3 THEN 2 ELSE 1 END;
        kinds := '{}';
        FOR i IN 1 .. nk LOOP
          k := CASE
                 WHEN pg_temp.u(s || 'kind' || i) < 0.36 THEN 'typo'
                 WHEN pg_temp.u(s || 'kind' || i) < 0.52 THEN 'nickname'
                 WHEN pg_temp.u(s || 'kind' || i) < 0.60 THEN 'initial'
                 WHEN pg_temp.u(s || 'kind' || i) < 0.65 THEN 'nogiven'
                 WHEN pg_temp.u(s || 'kind' || i) < 0.75 THEN 'swap'
                 WHEN pg_temp.u(s || 'kind' || i) < 0.82 THEN 'comma'
                 WHEN pg_temp.u(s || 'kind' || i) < 0.87 THEN 'middle'
                 ELSE 'case' END;
          IF k = 'nickname' AND p.nicknames IS NULL THEN
            k := CASE WHEN p.origin = 'es' AND f2 IS NOT NULL THEN 'dropsecond' ELSE 'typo' END;
          END IF;
          CONTINUE WHEN k = ANY (kinds) AND k <> 'typo';
          kinds := kinds || k;
        END LOOP;
        -- name-part changes first, then the layout of the full name
        FOREACH k IN ARRAY kinds LOOP
          IF k = 'typo' THEN
            IF pg_temp.u(s || 'tw' || cardinality(variant)) < 0.5 AND g <> '' THEN
              g := pg_temp.typo(g, s || 'tg' || cardinality(variant));
            ELSE
              f := pg_temp.typo(f, s || 'tf' || cardinality(variant));
            END IF;
          ELSIF k = 'nickname' THEN
            g := pg_temp.cap(pg_temp.pick(p.nicknames, s || 'nick'));
          ELSIF k = 'dropsecond' THEN
            f := split_part(f, ' ', 1);
          END IF;
          variant := variant || k;
        END LOOP;
        IF 'initial' = ANY (kinds) THEN
          g := left(g, 1) || '.';
        END IF;
        IF 'nogiven' = ANY (kinds) THEN
          g := '';
        END IF;
        IF 'swap' = ANY (kinds) THEN
          gf := f; ff := g;
          full_name := btrim(f || ' ' || g);
        ELSIF 'comma' = ANY (kinds) AND g <> '' THEN
          full_name := f || ', ' || g;
        ELSIF 'middle' = ANY (kinds) AND g <> '' THEN
          full_name := g || ' ' || chr(65 + floor(pg_temp.u(s || 'mid') * 26)::int) || '. ' || f;
        END IF;
        full_name := coalesce(full_name, btrim(g || ' ' || f));
        IF 'case' = ANY (kinds) THEN
          full_name := CASE WHEN pg_temp.u(s || 'case') < 0.5 THEN pg_temp.up(full_name)
                            ELSE pg_temp.low(full_name) END;
        END IF;
      ELSE
        full_name := btrim(g || ' ' || f);
      END IF;

      -- e-mail: one address per person, written differently
      dom := CASE p.origin WHEN 'ru' THEN pg_temp.pick('{mail.ru,yandex.ru,gmail.com}', p.person || 'dom')
                           WHEN 'el' THEN pg_temp.pick('{otenet.gr,gmail.com,yahoo.gr}', p.person || 'dom')
                           WHEN 'es' THEN pg_temp.pick('{gmail.com,telefonica.net,hotmail.es}', p.person || 'dom')
                           ELSE pg_temp.pick('{gmail.com,yahoo.com,hotmail.com,outlook.com,bigpond.com,icloud.com}', p.person || 'dom') END;
      em := pg_temp.low(pg_temp.unaccent(p.given_latin[1])) || '.' || pg_temp.low(pg_temp.unaccent(p.family_latin[1]));
      em := CASE floor(pg_temp.u(p.person || 'emstyle') * 4)::int
              WHEN 0 THEN em
              WHEN 1 THEN replace(em, '.', '_')
              WHEN 2 THEN left(em, 1) || split_part(em, '.', 2)
              ELSE replace(em, '.', '') || (10 + p.person % 90) END;
      em := em || '@' || dom;
      IF r > 0 THEN
        em := CASE floor(pg_temp.u(s || 'emv') * 10)::int
                WHEN 0 THEN NULL
                WHEN 1 THEN pg_temp.up(em)
                WHEN 2 THEN split_part(em, '@', 1) || '+shop@' || dom
                WHEN 3 THEN CASE WHEN dom = 'gmail.com'
                                 THEN replace(split_part(em, '@', 1), '.', '') || '@googlemail.com'
                                 ELSE pg_temp.cap(em) END
                WHEN 4 THEN ' ' || em || ' '
                ELSE em END;
      END IF;

      -- phone: one US number per person, six ways of writing it
      area := pg_temp.pick('{212,415,312,617,206,303,512,404,305,702,213,718,646,801,919,503,615,720,971,808}', p.person || 'area');
      ph := area || lpad((200 + floor(pg_temp.u(p.person || 'ex') * 800))::int::text, 3, '0')
                 || lpad(floor(pg_temp.u(p.person || 'line') * 10000)::int::text, 4, '0');
      ph := CASE CASE WHEN r = 0 THEN 0 ELSE floor(pg_temp.u(s || 'phf') * 7)::int END
              WHEN 0 THEN format('(%s) %s-%s', substr(ph, 1, 3), substr(ph, 4, 3), substr(ph, 7))
              WHEN 1 THEN format('%s.%s.%s', substr(ph, 1, 3), substr(ph, 4, 3), substr(ph, 7))
              WHEN 2 THEN format('+1 %s %s %s', substr(ph, 1, 3), substr(ph, 4, 3), substr(ph, 7))
              WHEN 3 THEN format('1-%s-%s-%s', substr(ph, 1, 3), substr(ph, 4, 3), substr(ph, 7))
              WHEN 4 THEN ph
              WHEN 5 THEN format('%s %s %s', substr(ph, 1, 3), substr(ph, 4, 3), substr(ph, 7))
              ELSE NULL END;

      -- address: FEBRL street and suburb; 5% of duplicates moved
      SELECT * INTO a FROM gen_src_febrl
       WHERE rec_id = CASE WHEN r > 0 AND pg_temp.u(s || 'moved') < 0.05 THEN p.addr_rec2 ELSE p.addr_rec END;
      addr := concat_ws(' ', nullif(a.street_number, ''), a.address_1) || ', ' || a.suburb || ' '
              || a.state || ' ' || a.postcode;
      IF r > 0 AND a.rec_id = p.addr_rec2 THEN
        variant := variant || 'moved'::text;
      END IF;
      IF r > 0 THEN
        addr := CASE floor(pg_temp.u(s || 'adv') * 5)::int
                  WHEN 0 THEN regexp_replace(regexp_replace(regexp_replace(regexp_replace(addr,
                                '\mstreet\M', 'st'), '\mroad\M', 'rd'), '\mplace\M', 'pl'), '\mavenue\M', 'ave')
                  WHEN 1 THEN upper(addr)
                  WHEN 2 THEN initcap(addr)
                  WHEN 3 THEN split_part(addr, ',', 1)
                  ELSE addr END;
      END IF;

      INSERT INTO gen_rec VALUES (p.person, r, coalesce(gf, g), coalesce(ff, f), full_name,
                                  em, ph, addr, p.origin, array_to_string(variant, ' '));
    END LOOP;
  END LOOP;
END $gen$;

INSERT INTO gen.customers
SELECT row_number() OVER (ORDER BY md5('rec' || person || ':' || r)), person, given_name,
       family_name, name, email, phone, address, origin, variant
  FROM gen_rec ORDER BY md5('rec' || person || ':' || r);

-- ------------------------------------------------------------------ FEBRL dataset3
CREATE TABLE febrl.customers (LIKE gen.customers INCLUDING ALL);
INSERT INTO febrl.customers
SELECT row_number() OVER (ORDER BY md5(rec_id)),
       substring(rec_id FROM 'rec-([0-9]+)')::int, given_name, surname,
       btrim(given_name || ' ' || surname), NULL, NULL,
       concat_ws(' ', nullif(street_number, ''), nullif(address_1, ''), nullif(address_2, ''),
                 nullif(suburb, ''), nullif(state, ''), nullif(postcode, '')),
       'febrl', CASE WHEN rec_id LIKE '%-org' THEN '' ELSE 'dup' END
  FROM gen_src_febrl ORDER BY md5(rec_id);

VACUUM (FREEZE, ANALYZE) gen.customers;
VACUUM (FREEZE, ANALYZE) febrl.customers;
