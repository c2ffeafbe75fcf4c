-- bench/normalise.sql: the normalise layer against what users write today,
-- on the same values in one session.  Run by bench/normalise.sh.
--
--   cdm.fold(x)        vs lower(unaccent(x))            ASCII names          target <= 1.0x
--   cdm.fold(x)        vs lower(unaccent(x))            mixed-script names   target <= 3.0x
--   cdm.phone_e164(x)  vs regexp_replace(x, '\D', '', 'g')  US phone strings  target <= 3.0x
--
-- unaccent only strips accents (Cyrillic, Greek, Han stay as they are) and
-- the regexp only keeps digits (no validation, no country code): cdm does
-- more work in both, which the targets allow for.
\set ON_ERROR_STOP on
\if :{?reps}
\else
\set reps 5
\endif
SET max_parallel_workers_per_gather = 0;
SET jit = off;

-- ------------------------------------------------------------------ data
DROP TABLE IF EXISTS bench_febrl, bench_ascii, bench_mixed_src, bench_mixed, bench_phone;
\ir lib/febrl.sql

-- 200,000 ASCII names as a CRM holds them: "Given Surname", capitalised,
-- given name of one FEBRL record with the surname of another.
CREATE TABLE bench_ascii AS
WITH f AS (SELECT row_number() OVER (ORDER BY trim(rec_id)) AS i,
                  coalesce(trim(given_name), '') AS g, coalesce(trim(surname), '') AS s
             FROM bench_febrl),
     n AS (SELECT count(*) AS n FROM f)
SELECT initcap(a.g || ' ' || b.s) AS x
  FROM generate_series(0, 199999) k CROSS JOIN n
  JOIN f a ON a.i = k % n.n + 1
  JOIN f b ON b.i = (k * 7919 + k / n.n) % n.n + 1
 ORDER BY md5(k::text);

-- 200,000 names in six scripts (bench/data/mixed_names.csv, written for this
-- benchmark): accented Latin, Cyrillic, Greek, Han, Japanese kana, Arabic;
-- given and family names crossed within each script.
CREATE TABLE bench_mixed_src (script text, given text, family text);
\set copy_mixed '\\copy bench_mixed_src FROM ' :'mixed_csv' ' WITH (FORMAT csv, HEADER true)'
:copy_mixed
CREATE TABLE bench_mixed AS
WITH c AS (SELECT row_number() OVER (ORDER BY a.script, a.given, b.family) AS i,
                  a.given || ' ' || b.family AS x
             FROM bench_mixed_src a JOIN bench_mixed_src b USING (script)),
     n AS (SELECT count(*) AS n FROM c)
SELECT c.x FROM generate_series(0, 199999) k CROSS JOIN n JOIN c ON c.i = k % n.n + 1
 ORDER BY md5(k::text);

-- 200,000 US numbers in the formats people type them.
CREATE TABLE bench_phone AS
SELECT CASE k % 6
         WHEN 0 THEN format('(%s) %s-%s', a, e, l)
         WHEN 1 THEN format('%s.%s.%s', a, e, l)
         WHEN 2 THEN format('+1 %s %s %s', a, e, l)
         WHEN 3 THEN format('1-%s-%s-%s', a, e, l)
         WHEN 4 THEN format('%s%s%s', a, e, l)
         ELSE format('%s %s %s', a, e, l) END AS x
  FROM (SELECT k,
               (ARRAY['212','415','312','617','206','303','512','404','305','702',
                      '213','718','646','617','801','919','503','615','720','971'])[k % 20 + 1] AS a,
               lpad((200 + (k * 37) % 800)::text, 3, '0') AS e,
               lpad(((k * 7919) % 10000)::text, 4, '0') AS l
          FROM generate_series(0, 199999) k) s
 ORDER BY md5(k::text);

-- 200,000 numbers cdm's North American shortcut does not take: other
-- countries written with +, and US numbers with an extension (timed for
-- information: every one goes through libphonenumber's parser).
CREATE TABLE bench_phone_intl AS
SELECT CASE k % 4
         WHEN 0 THEN format('+44 20 7946 %s', lpad((k % 1000)::text, 4, '0'))
         WHEN 1 THEN format('+49 30 %s', lpad((9018000 + k % 1000)::text, 7, '0'))
         WHEN 2 THEN format('+33 1 %s %s %s %s', 20 + k % 70, 10 + k % 89, 10 + k % 87, 10 + k % 83)
         ELSE format('(415) %s-%s ext. %s', 200 + k % 800, lpad((k % 10000)::text, 4, '0'), k % 100) END AS x
  FROM generate_series(0, 199999) k
 ORDER BY md5(k::text);
VACUUM (FREEZE, ANALYZE) bench_phone_intl;

-- 200,000 e-mail addresses as people type them: mixed case, dots, +tags,
-- gmail and other providers (timed for information against lower(trim(x))).
CREATE TABLE bench_email AS
SELECT format(' %s.%s%s@%s ',
              (ARRAY['John','mary','Anna','PETER','li','Dmitry'])[k % 6 + 1],
              (ARRAY['Smith','jones','Ng','Garcia','O''Neil','kim'])[k % 7 + 1] || (k % 997),
              CASE WHEN k % 3 = 0 THEN '+shop' || (k % 13) ELSE '' END,
              (ARRAY['gmail.com','Example.COM','outlook.com','yahoo.com','company-' || (k % 100) || '.de'])[k % 5 + 1]) AS x
  FROM generate_series(0, 199999) k
 ORDER BY md5(k::text);
VACUUM (FREEZE, ANALYZE) bench_email;
VACUUM (FREEZE, ANALYZE) bench_ascii;
VACUUM (FREEZE, ANALYZE) bench_mixed;
VACUUM (FREEZE, ANALYZE) bench_phone;

SELECT (SELECT count(*) FROM bench_ascii) AS ascii_names,
       (SELECT round(avg(length(x)), 1) FROM bench_ascii) AS ascii_avg_len,
       (SELECT count(*) FROM bench_mixed) AS mixed_names,
       (SELECT round(avg(length(x)), 1) FROM bench_mixed) AS mixed_avg_len,
       (SELECT count(*) FROM bench_phone) AS phones;

-- ------------------------------------------------------------------ what each side returns
\echo '== what each side returns (a sample per script)'
SELECT s.script, s.given || ' ' || s.family AS input,
       cdm.fold(s.given || ' ' || s.family) AS cdm_fold,
       lower(public.unaccent(s.given || ' ' || s.family)) AS lower_unaccent
  FROM (SELECT DISTINCT ON (script) * FROM bench_mixed_src ORDER BY script, given) s
 ORDER BY s.script;

CREATE TABLE bench_cases (id int, fn text, peer text, tbl text, cdm_sql text, peer_sql text, target float8);
INSERT INTO bench_cases VALUES
 (1, 'cdm.fold (ASCII names)', 'lower(unaccent(x))', 'bench_ascii',
     'SELECT sum(octet_length(cdm.fold(x))) FROM bench_ascii',
     'SELECT sum(octet_length(lower(public.unaccent(x)))) FROM bench_ascii', 1.0),
 (2, 'cdm.fold (mixed scripts)', 'lower(unaccent(x))', 'bench_mixed',
     'SELECT sum(octet_length(cdm.fold(x))) FROM bench_mixed',
     'SELECT sum(octet_length(lower(public.unaccent(x)))) FROM bench_mixed', 3.0);

CREATE TABLE bench_sanity (id int, judged boolean, mismatches bigint, note text);
-- On ASCII names fold must equal the plain-SQL spelling of its rule.
INSERT INTO bench_sanity
SELECT 1, true, count(*) FILTER (WHERE f <> e),
       format('fold: %s of %s ASCII names differ from btrim(regexp_replace(lower(x), ''[^a-z0-9]+'', '' '', ''g''))',
              count(*) FILTER (WHERE f <> e), count(*))
  FROM (SELECT cdm.fold(x) AS f, btrim(regexp_replace(lower(x), '[^a-z0-9]+', ' ', 'g')) AS e
          FROM bench_ascii) s;

-- fold remembers recently folded non-Latin words (names repeat); the worst
-- case is text where no word repeats: 200,000 names of fresh Cyrillic and
-- Greek words.  Timed for information (no target).
CREATE TABLE bench_unique AS
SELECT initcap(w1) || ' ' || initcap(w2) AS x
  FROM (SELECT k,
               (SELECT string_agg(chr(CASE WHEN k % 2 = 0 THEN 1072 ELSE 945 END
                                      + get_byte(decode(md5(k::text || 'a'), 'hex'), i) % 24), '')
                  FROM generate_series(0, 5 + k % 4) i) AS w1,
               (SELECT string_agg(chr(CASE WHEN k % 2 = 0 THEN 1072 ELSE 945 END
                                      + get_byte(decode(md5(k::text || 'b'), 'hex'), i) % 24), '')
                  FROM generate_series(0, 6 + k % 3) i) AS w2
          FROM generate_series(0, 199999) k) s;
VACUUM (FREEZE, ANALYZE) bench_unique;
INSERT INTO bench_cases VALUES
 (4, 'cdm.fold (no word repeats)', 'lower(unaccent(x))', 'bench_unique',
     'SELECT sum(octet_length(cdm.fold(x))) FROM bench_unique',
     'SELECT sum(octet_length(lower(public.unaccent(x)))) FROM bench_unique', NULL);

INSERT INTO bench_cases VALUES
 (6, 'cdm.email_norm', 'lower(trim(x))', 'bench_email',
     'SELECT sum(octet_length(cdm.email_norm(x))) FROM bench_email',
     'SELECT sum(octet_length(lower(trim(x)))) FROM bench_email', NULL);

SELECT to_regprocedure('cdm.phone_e164(text,text)') IS NOT NULL AS have_phone \gset
\if :have_phone
INSERT INTO bench_cases VALUES
 (3, 'cdm.phone_e164', 'regexp_replace(x,''\D'','''',''g'')', 'bench_phone',
     'SELECT sum(octet_length(cdm.phone_e164(x))) FROM bench_phone',
     $q$SELECT sum(octet_length(regexp_replace(x, '\D', '', 'g'))) FROM bench_phone$q$, 3.0);
INSERT INTO bench_cases VALUES
 (5, 'cdm.phone_e164 (other)', 'regexp_replace(x,''\D'','''',''g'')', 'bench_phone_intl',
     'SELECT sum(octet_length(cdm.phone_e164(x))) FROM bench_phone_intl',
     $q$SELECT sum(octet_length(regexp_replace(x, '\D', '', 'g'))) FROM bench_phone_intl$q$, NULL);
INSERT INTO bench_sanity
SELECT 3, true, count(*) FILTER (WHERE e164 IS DISTINCT FROM '+1' || right(digits, 10)),
       format('phone_e164: %s of %s numbers differ from +1 and the last 10 digits; %s are valid per cdm.phone_valid',
              count(*) FILTER (WHERE e164 IS DISTINCT FROM '+1' || right(digits, 10)), count(*),
              count(*) FILTER (WHERE valid))
  FROM (SELECT cdm.phone_e164(x) AS e164, regexp_replace(x, '\D', '', 'g') AS digits,
               cdm.phone_valid(x) AS valid FROM bench_phone) s;
\else
\echo 'bench: cdm.phone_e164 is not in this build; its row is skipped'
\endif
SELECT note AS sanity FROM bench_sanity ORDER BY id;

-- ------------------------------------------------------------------ timing
\ir lib/timing.sql

CREATE TABLE bench_times (id int, side text, rep int, ms float8);

-- As in compare.sql: warm-up pass, then reps passes; in each pass a case runs
-- its table's baseline scan, then both sides back to back, alternating order.
CREATE OR REPLACE PROCEDURE bench_run(reps int) LANGUAGE plpgsql AS $f$
DECLARE c record; r int;
BEGIN
  FOR c IN SELECT * FROM bench_cases ORDER BY id LOOP
    PERFORM bench_ms(c.cdm_sql); PERFORM bench_ms(c.peer_sql);
    PERFORM bench_ms(format('SELECT sum(octet_length(x)) FROM %I', c.tbl));
  END LOOP;
  FOR r IN 1 .. reps LOOP
    FOR c IN SELECT * FROM bench_cases ORDER BY id LOOP
      INSERT INTO bench_times VALUES (c.id, 'base', r,
             bench_ms(format('SELECT sum(octet_length(x)) FROM %I', c.tbl)));
      PERFORM bench_pair(c.id, r, c.cdm_sql, c.peer_sql);
    END LOOP;
  END LOOP;
END $f$;

\echo
\echo '== timing (warm-up pass, then' :reps 'repetitions; medians)'
CALL bench_run(:reps);

CREATE OR REPLACE VIEW bench_report AS
WITH med AS (
  SELECT id, side, percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS ms
  FROM bench_times GROUP BY id, side),
r AS (
  SELECT c.id, c.fn, c.peer, c.target, mc.ms AS cdm_ms, mp.ms AS peer_ms, mb.ms AS base_ms,
         mc.ms / mp.ms AS ratio,
         (mc.ms - mb.ms) / nullif(mp.ms - mb.ms, 0) AS net_ratio,
         (mc.ms - mb.ms) * 1e6 / 200000 AS cdm_ns, (mp.ms - mb.ms) * 1e6 / 200000 AS peer_ns,
         coalesce(s.mismatches, 0) AS wrong
  FROM bench_cases c
  JOIN med mc ON mc.id = c.id AND mc.side = 'cdm'
  JOIN med mp ON mp.id = c.id AND mp.side = 'peer'
  JOIN med mb ON mb.id = c.id AND mb.side = 'base'
  LEFT JOIN bench_sanity s ON s.id = c.id AND s.judged),
fmt AS (
  SELECT 0 AS k, format('%-26s %-30s %8s %8s %6s %6s %8s %8s %6s  %s',
           'function', 'peer', 'cdm ms', 'peer ms', 'ratio', 'net', 'cdm ns', 'peer ns',
           'target', 'verdict') AS line
  UNION ALL
  SELECT 1, repeat('-', 133)
  UNION ALL
  SELECT 10 + id, format('%-26s %-30s %8s %8s %6s %6s %8s %8s %6s  %s',
           fn, peer, round(cdm_ms::numeric, 1), round(peer_ms::numeric, 1),
           round(ratio::numeric, 2) || 'x', coalesce(round(net_ratio::numeric, 2) || 'x', '-'),
           round(cdm_ns::numeric), round(peer_ns::numeric),
           coalesce('<=' || target || 'x', '-'),
           CASE WHEN wrong > 0 THEN 'WRONG (' || wrong || ' mismatches)'
                WHEN target IS NULL THEN 'info'
                WHEN ratio <= target THEN 'PASS' ELSE 'MISS' END)
  FROM r
  UNION ALL
  SELECT 100 + id, format('%-26s %-30s %8s   (scan of %s: sum(octet_length(x)), 200000 rows)',
           'baseline', '', round(base_ms::numeric, 1), (SELECT tbl FROM bench_cases b WHERE b.id = r.id))
  FROM r
  UNION ALL
  SELECT 200 + id, CASE WHEN judged THEN 'sanity: ' ELSE 'info:   ' END || note FROM bench_sanity)
SELECT k, line FROM fmt;

\pset format unaligned
\pset tuples_only on
\echo
\echo :header
SELECT line FROM bench_report ORDER BY k;
\echo 'ratio = cdm ms / peer ms (medians of' :reps 'runs); net = (cdm - baseline) / (peer - baseline); ns per call after the baseline.'
\if :{?outfile}
\o :outfile
\qecho :header
SELECT line FROM bench_report ORDER BY k;
\qecho 'ratio = cdm ms / peer ms (medians of' :reps 'runs); net = (cdm - baseline) / (peer - baseline); ns per call after the baseline.'
\o
\endif
\pset format aligned
\pset tuples_only off

DO $f$ BEGIN
  IF EXISTS (SELECT 1 FROM bench_sanity WHERE judged AND mismatches > 0) THEN
    RAISE EXCEPTION 'cdm disagrees with the expected answers on a sanity check: the timings above are of wrong answers';
  END IF;
END $f$;
