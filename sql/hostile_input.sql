-- hostile input: every SQL-callable function of schema cdm, fed NULL, empty,
-- huge, malformed and adversarial values.  What must hold: no call ends
-- in an internal error (SQLSTATE XX000) or crashes the backend (which would
-- abort this suite), documented limits raise 54000 naming the limit, and
-- long work stops within a second or two of a cancel.
-- (pg_regress loads the extension with --load-extension=cdm)
SET TimeZone = 'UTC';
SET client_min_messages = warning;
SELECT setseed(0.4242);

-- ------------------------------------------------------------ hostile values
-- Random BMP letters of eight scripts (Latin, Cyrillic, Greek, Han, Hangul,
-- Arabic, Devanagari, Thai), n characters, deterministic after setseed.
CREATE FUNCTION pg_temp.bmp_letters(n int) RETURNS text LANGUAGE sql AS $$
  SELECT string_agg(chr(CASE k % 8
           WHEN 0 THEN 65 + (random() * 25)::int
           WHEN 1 THEN 1040 + (random() * 63)::int
           WHEN 2 THEN 945 + (random() * 24)::int
           WHEN 3 THEN 19968 + (random() * 20000)::int
           WHEN 4 THEN 44032 + (random() * 11000)::int
           WHEN 5 THEN 1575 + (random() * 35)::int
           WHEN 6 THEN 2325 + (random() * 36)::int
           ELSE 3585 + (random() * 45)::int END), '')
    FROM generate_series(1, n) k $$;
-- Random Unicode scalar values from every plane: unassigned, private use,
-- tags and noncharacters included, surrogates (not valid UTF-8) left out.
CREATE FUNCTION pg_temp.any_unicode(n int) RETURNS text LANGUAGE sql AS $$
  SELECT string_agg(chr(CASE WHEN c BETWEEN 55296 AND 57343 THEN c + 2048 ELSE c END), '')
    FROM (SELECT 1 + (random() * 1114110)::int AS c FROM generate_series(1, n)) s $$;
-- Random bytes.
CREATE FUNCTION pg_temp.random_bytes(n int) RETURNS bytea LANGUAGE sql AS $$
  SELECT substr(decode(string_agg(md5(random()::text), ''), 'hex'), 1, n)
    FROM generate_series(0, n / 16) $$;

CREATE TEMP TABLE h_text (id int PRIMARY KEY, label text, v text);
INSERT INTO h_text VALUES
  (1, 'null', NULL),
  (2, 'empty', ''),
  (3, 'space', ' '),
  (4, 'a_1mb', repeat('a', 1048576)),
  (5, 'bmp_letters_16k', pg_temp.bmp_letters(6000)),
  (6, 'combining_200', 'e' || (SELECT string_agg(chr(768 + k % 112), '') FROM generate_series(0, 199) k)),
  (7, 'emoji_zwj', '👩‍👩‍👧‍👦 👍🏽 👨🏿‍🦰 🏳️‍🌈 🇺🇸🇯🇵 1️⃣ 🧑🏻‍🤝‍🧑🏿 😀'),
  (8, 'controls', (SELECT string_agg(chr(k), '') FROM generate_series(1, 31) k) || chr(127) || chr(133) || 'Ann' || chr(9) || 'Smith'),
  (9, 'bom', chr(65279) || 'Ann' || chr(65279) || ' Smith'),
  (10, 'noncharacters', chr(65534) || chr(65535) || chr(1114111) || chr(64976) || chr(131070) || 'x'),
  (11, 'rtl_marks', chr(8238) || 'htimS nnA' || chr(8236) || ' ' || chr(8207) || 'محمد' || chr(8206) || ' שלום ' || chr(8295) || 'x' || chr(8297)),
  (12, 'fullwidth', 'Ｊｏｈｎ　Ｓｍｉｔｈ ｊｏｈｎ＠ｅｘａｍｐｌｅ．ｃｏｍ ＋１ ５５５ ０１２３ Ｍａｉｎ　Ｓｔ'),
  (13, 'punctuation', $p$!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~¡¿–—…‽※・、。$p$),
  (14, 'long_word_100k', (SELECT string_agg(chr(97 + (random() * 25)::int), '') FROM generate_series(1, 100000))),
  (15, 'words_10k', (SELECT string_agg((ARRAY['ann', 'bob', 'smith', 'de', 'la', 'jr', 'mr', 'o''neil', 'van', 'lee'])[1 + k % 10] || k, ' ') FROM generate_series(1, 10000) k)),
  (16, 'any_unicode_4k', pg_temp.any_unicode(4000)),
  (17, 'expanding', repeat(chr(65018), 500) || repeat('㎯', 500) || ' ﬃ ß İ ǅ ΐ'),
  (18, 'format_specifiers', '%s %n %x %p %% %1$s {0} ${x} \N \\ \x00'),
  (19, 'sql_injection', $q$'); DROP TABLE cdm.record; --$q$),
  (20, 'digits_of_scripts', '١٢٣٤٥٦٧٨٩٠ ۱۲۳ १२३४ ๑๒๓ ０１２ 123'),
  (21, 'email_overlong', repeat('a', 300) || '@' || repeat('b', 300) || '.com'),
  (22, 'at_signs', repeat('@', 1000)),
  (23, 'idn_hostile', 'ü@' || repeat('ü', 70) || '.xn--' || repeat('a', 70) || '.' || repeat('ß', 64)),
  (24, 'phone_overlong', '+' || repeat('9', 300) || ' ext. ' || repeat('1', 100)),
  (25, 'key_text', 'name(1fffffff 0) f7(1) email(00000000)'),
  (26, 'lifecycle_text', 'default:active@2025-01-01 00:00+00'),
  (27, 'unicode_spaces', chr(160) || chr(8192) || chr(8203) || chr(12288) || chr(8232) || chr(8233) || E'\t\n\r\f\v' || 'x'),
  (28, 'case_specials', 'İSTANBUL ıi ΣΑΣ ς ß ẞ ǅ ﬁ ŉ'),
  (29, 'tags_selectors', chr(917601) || chr(917569) || chr(917631) || 'A' || chr(65039) || chr(65038) || chr(917760)),
  (30, 'hangul_jamo', chr(4352) || chr(4449) || chr(4520) || chr(4353) || chr(4450)),
  (31, 'digits_1000', repeat('9', 1000)),
  (32, 'zalgo_words', (SELECT string_agg('a' || repeat(chr(776), 50) || ' ', '') FROM generate_series(1, 200)));

CREATE TEMP TABLE h_jsonb (id int PRIMARY KEY, label text, v jsonb);
INSERT INTO h_jsonb VALUES
  (1, 'null', NULL),
  (2, 'json_null', 'null'),
  (3, 'empty_object', '{}'),
  (4, 'empty_array', '[]'),
  (5, 'number', '0'),
  (6, 'huge_number', '1e1000'),
  (7, 'string', '"Ann Smith"'),
  (8, 'true', 'true'),
  (9, 'array', '[1, "a", null, {}]'),
  (10, 'nested_arrays_1000', (repeat('[', 1000) || repeat(']', 1000))::jsonb),
  (11, 'nested_objects_1000', (repeat('{"a":', 1000) || '1' || repeat('}', 1000))::jsonb),
  (12, 'roles_hostile_text', (SELECT jsonb_object_agg(r, (SELECT v FROM h_text WHERE id = 5 + i))
                                FROM unnest(ARRAY['given_name', 'family_name', 'full_name', 'email', 'phone',
                                                  'address', 'city', 'postcode', 'country', 'national_id', 'dob']) WITH ORDINALITY u(r, i))),
  (13, 'roles_numbers', '{"given_name": 1, "family_name": -0, "full_name": 1e300, "email": 2, "phone": 5550123,
                          "address": 0.5, "city": 1, "postcode": 12345, "country": 1, "national_id": 123456789, "dob": 19800312}'),
  (14, 'roles_containers', '{"given_name": [], "family_name": {}, "full_name": ["Ann"], "email": {"a": 1}, "phone": [5550123],
                             "address": null, "city": true, "postcode": false, "country": [[]], "national_id": {}, "dob": []}'),
  (15, 'roles_1mb', jsonb_build_object('given_name', repeat('a', 1048576), 'email', repeat('b', 1048576) || '@x.com',
                                       'phone', repeat('5', 1048576), 'address', repeat('1 main st ', 100000))),
  (16, 'dob_bad', '{"given_name": "Ann", "dob": "not a date"}'),
  (17, 'dob_extremes', '{"given_name": "Ann", "dob": "4713-01-01 BC", "national_id": "---"}'),
  (18, 'dob_infinity', '{"given_name": "Ann", "dob": "infinity"}'),
  (19, 'dob_far', '{"given_name": "Ann", "dob": "5874897-12-31"}'),
  (20, 'keys_10k', (SELECT jsonb_object_agg('k' || k, k) FROM generate_series(1, 10000) k)),
  (21, 'unicode_keys', jsonb_build_object(chr(65279) || 'given_name', 'Ann', 'given_name' || chr(0 + 1), 'x', '👩‍👩‍👧', 'y')),
  (22, 'model_shapes', '{"stages": ["a", "a"], "transitions": [["a"]], "lapse": {"after_us": 1e30, "from": "a", "to": "a"}}'),
  (23, 'model_too_many_stages', (SELECT jsonb_build_object('stages', jsonb_agg('s' || k)) FROM generate_series(1, 40) k)),
  (24, 'model_bad_types', '{"stages": [1, null, ["a"]], "initial": 5, "milestones": [[1e20, "a"], ["x", 1]], "reactivated_by": "x"}'),
  (25, 'model_valid', '{"stages": ["a", "b"], "transitions": [["a", "b"]], "milestones": [[1, "b"]], "reactivated_by": [], "lapse": {"after_us": 86400000000, "from": "b", "to": "a", "activity": [1]}}'),
  (26, 'rule_shapes', (SELECT jsonb_build_object('all', jsonb_agg('m' || k), 'any', '[1, null]'::jsonb, 'none', '"x"'::jsonb,
                                                 'activity_within', 'forever', 'sources', '[[]]'::jsonb) FROM generate_series(1, 70) k)),
  (27, 'nan_strings', '{"given_name": "NaN", "after_us": "NaN", "stages": ["NaN"], "lapse": {"after_us": -1}}'),
  (28, 'controls_in_values', jsonb_build_object('given_name', (SELECT v FROM h_text WHERE id = 8), 'email', (SELECT v FROM h_text WHERE id = 7))),
  (29, 'same_national_id', '{"given_name": "Ann", "national_id": "1"}');

CREATE TEMP TABLE h_bytea (id int PRIMARY KEY, label text, v bytea);
INSERT INTO h_bytea VALUES
  (1, 'null', NULL),
  (2, 'empty', ''),
  (3, 'one_zero', '\x00'),
  (4, 'zeros_15', '\x000000000000000000000000000000'),
  (5, 'zeros_16', '\x00000000000000000000000000000000'),
  (6, 'random_16', pg_temp.random_bytes(16)),
  (7, 'random_1600', pg_temp.random_bytes(1600)),
  (8, 'random_64k', pg_temp.random_bytes(65536)),
  (9, 'ff_64', decode(repeat('ff', 64), 'hex')),
  (10, 'timeline_valid', cdm._timeline_from('{2024-01-01, 2025-01-01}', '{1, 2}', '{0, 0}')),
  (11, 'timeline_unsorted', cdm._timeline_from('{2025-01-01}', '{2}', '{0}') || cdm._timeline_from('{2024-01-01}', '{1}', '{0}')),
  (12, 'timeline_infinite', cdm._timeline_from('{-infinity, infinity}', '{1, 1}', '{0, 0}')),
  (13, 'timeline_100k_events', (SELECT cdm._timeline_from(array_agg('2000-01-01'::timestamptz + k * interval '1 second'),
                                                        array_agg(1 + k % 5), array_agg(k % 3)) FROM generate_series(1, 100000) k)),
  (14, 'program_valid', cdm._active_compile(0, true, '30 days', '{1}', '{}', '{3}', '{}')),
  (15, 'program_huge_window', cdm._active_compile(0, true, '-178000000 years', '{}', '{}', '{}', '{}')),
  (16, 'program_truncated', substr(cdm._active_compile(0, true, '30 days', '{1,2}', '{}', '{}', '{}'), 1, 20)),
  (17, 'stage_program', cdm._stage_model_compile('{"stages": ["a", "b"], "transitions": [["a", "b"]]}')),
  (18, 'random_1mb', pg_temp.random_bytes(1048576));

CREATE TEMP TABLE h_key (id int PRIMARY KEY, label text, v cdm.key);
INSERT INTO h_key VALUES
  (1, 'null', NULL),
  (2, 'empty', ''),
  (3, 'name', cdm.name_key('Ann Smith')),
  (4, 'record', cdm.record_key('Ann Smith', 'ann@example.com', '+1 202 555 0123', '1 Main St')),
  (5, 'reserved_fields', 'f4(1) f5(2) f6(3) f7(1fffffff)'),
  (6, 'full_2000_tokens', (SELECT string_agg(f || '(' || (SELECT string_agg(to_hex(k * 7919 + 1), ' ') FROM generate_series(1, 300) k) || ')', ' ')
                             FROM unnest(ARRAY['name', 'email', 'phone', 'address', 'f4', 'f5', 'f6', 'f7']) f)::cdm.key),
  (7, 'from_hostile', cdm.name_key((SELECT v FROM h_text WHERE id = 16)));

CREATE TEMP TABLE h_lifecycle (id int PRIMARY KEY, label text, v cdm.lifecycle);
INSERT INTO h_lifecycle VALUES
  (1, 'null', NULL),
  (2, 'prospect', 'prospect@2025-01-01'),
  (3, 'churned_earliest', cdm.lifecycle('churned', '4714-11-24 00:00:00+00 BC')),
  (4, 'active_latest', cdm.lifecycle('active', '294276-12-31 23:59:59+00')),
  (5, 'other_model', cdm.lifecycle('lapsed', '2025-01-01'));

CREATE TEMP TABLE h_int (id int PRIMARY KEY, label text, v int);
INSERT INTO h_int VALUES (1, 'null', NULL), (2, 'zero', 0), (3, 'minus_one', -1),
  (4, 'max', 2147483647), (5, 'min', -2147483648), (6, 'one', 1), (7, 'sixty_five', 65);
CREATE TEMP TABLE h_bigint (id int PRIMARY KEY, label text, v bigint);
INSERT INTO h_bigint VALUES (1, 'null', NULL), (2, 'zero', 0), (3, 'minus_one', -1),
  (4, 'max', 9223372036854775807), (5, 'min', -9223372036854775808);
CREATE TEMP TABLE h_float8 (id int PRIMARY KEY, label text, v float8);
INSERT INTO h_float8 VALUES (1, 'null', NULL), (2, 'nan', 'NaN'), (3, 'infinity', 'Infinity'),
  (4, 'minus_infinity', '-Infinity'), (5, 'minus_zero', '-0'), (6, 'denormal', 1e-320), (7, 'huge', 1e308), (8, 'minus_one', -1);
CREATE TEMP TABLE h_bool (id int PRIMARY KEY, label text, v bool);
INSERT INTO h_bool VALUES (1, 'null', NULL), (2, 'true', true), (3, 'false', false);
CREATE TEMP TABLE h_ts (id int PRIMARY KEY, label text, v timestamptz);
INSERT INTO h_ts VALUES (1, 'null', NULL), (2, 'infinity', 'infinity'), (3, 'minus_infinity', '-infinity'),
  (4, 'earliest', '4714-11-24 00:00:00+00 BC'), (5, 'latest', '294276-12-31 23:59:59.999999+00'), (6, 'epoch', 'epoch');
CREATE TEMP TABLE h_interval (id int PRIMARY KEY, label text, v interval);
INSERT INTO h_interval VALUES (1, 'null', NULL), (2, 'zero', '0'), (3, 'huge', '178000000 years'),
  (4, 'minus_huge', '-178000000 years'), (5, 'microsecond', '1 microsecond'), (6, 'mixed_signs', '1 month -40 days 3 hours');
CREATE TEMP TABLE h_numeric (id int PRIMARY KEY, label text, v numeric);
INSERT INTO h_numeric VALUES (1, 'null', NULL), (2, 'nan', 'NaN'), (3, 'infinity', 'Infinity'),
  (4, 'huge', 1e1000), (5, 'tiny', 1e-1000), (6, 'minus', -1);
CREATE TEMP TABLE h_int_arr (id int PRIMARY KEY, label text, v int[]);
INSERT INTO h_int_arr VALUES (1, 'null', NULL), (2, 'empty', '{}'), (3, 'null_element', '{NULL}'),
  (4, 'zero_negative', '{0, -1}'), (5, 'two_dim', '{{1, 2}, {3, 4}}'), (6, 'lower_bound_5', '[5:6]={1,2}'),
  (7, 'elements_100k', (SELECT array_agg(k) FROM generate_series(1, 100000) k)), (8, 'max', '{2147483647}');
CREATE TEMP TABLE h_bigint_arr (id int PRIMARY KEY, label text, v bigint[]);
INSERT INTO h_bigint_arr VALUES (1, 'null', NULL), (2, 'empty', '{}'), (3, 'null_element', '{NULL}'),
  (4, 'two_dim', '{{1, 2}, {3, 4}}'), (5, 'lower_bound_5', '[5:6]={1,2}'),
  (6, 'elements_100k', (SELECT array_agg(k::bigint) FROM generate_series(1, 100000) k));
CREATE TEMP TABLE h_ts_arr (id int PRIMARY KEY, label text, v timestamptz[]);
INSERT INTO h_ts_arr VALUES (1, 'null', NULL), (2, 'empty', '{}'), (3, 'null_element', '{NULL}'),
  (4, 'infinite', '{infinity, -infinity}'), (5, 'two_dim', '{{2025-01-01, 2025-01-02}, {2025-01-03, 2025-01-04}}'),
  (6, 'lower_bound_5', '[5:5]={2025-01-01}'),
  (7, 'moments_10001', (SELECT array_agg('2025-01-01'::timestamptz + k * interval '1 hour') FROM generate_series(1, 10001) k));
CREATE TEMP TABLE h_text_arr (id int PRIMARY KEY, label text, v text[]);
INSERT INTO h_text_arr VALUES (1, 'null', NULL), (2, 'empty', '{}'), (3, 'null_element', '{NULL}'),
  (4, 'empty_string', '{""}'), (5, 'hostile', (SELECT array_agg(v) FROM h_text WHERE id BETWEEN 5 AND 32));
CREATE TEMP TABLE h_float8_arr (id int PRIMARY KEY, label text, v float8[]);
INSERT INTO h_float8_arr VALUES (1, 'null', NULL), (2, 'empty', '{}'), (3, 'null_element', '{NULL}'),
  (4, 'nan_inf', '{NaN, Infinity, -Infinity}'), (5, 'two_dim', '{{1, 2}, {3, 4}}');

-- Which table holds the hostile values of each argument type, and a
-- harmless value of the type for the other arguments.
CREATE TEMP TABLE h_type (typ regtype PRIMARY KEY, tab text, cast_to text, benign text);
INSERT INTO h_type VALUES
  ('text', 'h_text', '', $$'Ann Smith'::text$$),
  ('cstring', 'h_text', '::cstring', $$'Ann Smith'::cstring$$),
  ('jsonb', 'h_jsonb', '', $$'{"given_name": "Ann", "family_name": "Smith", "email": "ann@example.com"}'::jsonb$$),
  ('bytea', 'h_bytea', '', $$cdm._timeline_from('{2024-01-01, 2025-01-01}', '{1, 2}', '{0, 0}')$$),
  ('cdm.key', 'h_key', '', $$cdm.name_key('Ann Smith')$$),
  ('cdm.lifecycle', 'h_lifecycle', '', $$'lead@2025-01-01'::cdm.lifecycle$$),
  ('integer', 'h_int', '', '3'),
  ('bigint', 'h_bigint', '', '1::bigint'),
  ('double precision', 'h_float8', '', '0.5::float8'),
  ('boolean', 'h_bool', '', 'false'),
  ('timestamptz', 'h_ts', '', $$'2025-06-01 00:00:00+00'::timestamptz$$),
  ('interval', 'h_interval', '', $$'30 days'::interval$$),
  ('numeric', 'h_numeric', '', '1::numeric'),
  ('integer[]', 'h_int_arr', '', $$'{1}'::int[]$$),
  ('bigint[]', 'h_bigint_arr', '', $$'{1}'::bigint[]$$),
  ('timestamptz[]', 'h_ts_arr', '', $$'{2025-06-01 00:00:00+00}'::timestamptz[]$$),
  ('text[]', 'h_text_arr', '', $$'{Ann}'::text[]$$),
  ('double precision[]', 'h_float8_arr', '', $$'{0.5}'::float8[]$$);
-- Arguments whose harmless value must be more specific, so that the
-- hostile value of another argument gets past the first check.
CREATE TEMP TABLE h_benign (proname name, argno int, expr text, PRIMARY KEY (proname, argno));
INSERT INTO h_benign VALUES
  ('phone_e164', 2, $$'US'$$), ('phone_valid', 2, $$'US'$$), ('phone_key', 2, $$'US'$$), ('record_key', 5, $$'US'$$),
  ('lifecycle', 1, $$'active'$$), ('lifecycle', 3, $$'default'$$), ('transition', 2, $$'active'$$),
  ('_timeline_stage', 2, $$'default'$$), ('_stage_explain', 2, $$'default'$$),
  ('_timeline_stage', 4, '0'), ('_stage_explain', 4, '0'), ('_timeline_status', 3, '0'),
  ('_timeline_active', 2, $$cdm._active_compile(0, true, '30 days', '{1}', '{}', '{}', '{}')$$),
  ('_timeline_why', 2, $$cdm._active_compile(0, true, '30 days', '{1}', '{}', '{}', '{}')$$),
  ('_timeline_status', 2, $$cdm._active_compile(0, true, '30 days', '{1}', '{}', '{}', '{}')$$),
  ('_active_counts', 2, $$cdm._active_compile(0, true, '30 days', '{1}', '{}', '{}', '{}')$$),
  ('_active_counts_step', 3, $$cdm._active_compile(0, true, '30 days', '{1}', '{}', '{}', '{}')$$),
  ('_active_counts_step', 1, 'NULL::bigint[]'),
  ('match_probability', 3, 'NULL::text'),
  ('_rule_names', 3, $$'all'$$), ('_rule_names', 2, $$'{"all": ["login"]}'::jsonb$$),
  ('store_setting_value', 1, $$'candidates'$$),
  ('_stage_model_compile', 1, $$'{"stages": ["a", "b"], "transitions": [["a", "b"]]}'::jsonb$$);

-- ------------------------------------------------------------ the sweep
-- Every function of schema cdm: skipped (with the reason) or called once per
-- hostile value of each argument, the other arguments harmless; each call
-- in its own subtransaction, its SQLSTATE recorded ('00000': no error).
-- The result goes through ::text, so the output functions run too.
CREATE TEMP TABLE h_result (sig text, argno int, label text, state text, message text, ms float8);
CREATE TEMP TABLE h_skipped (sig text, reason text);

CREATE FUNCTION pg_temp.sweep() RETURNS void LANGUAGE plpgsql AS $sweep$
DECLARE
  f record;
  why text;
  ht record;
  hid int;
  lbl text;
  args text[];
  q text;
  st text;
  msg text;
  t0 timestamptz;
BEGIN
  FOR f IN SELECT p.oid::regprocedure::text AS sig, p.proname, p.provolatile, p.pronargs,
                  p.prorettype::regtype AS rettype,
                  ARRAY(SELECT a FROM unnest(p.proargtypes::regtype[]) WITH ORDINALITY u(a, o) ORDER BY o) AS types
             FROM pg_proc p WHERE p.pronamespace = 'cdm'::regnamespace ORDER BY 1 LOOP
    why := CASE
      WHEN 'internal'::regtype = ANY (f.types) THEN 'takes internal: index, aggregate or binary input support'
      WHEN f.rettype = 'trigger'::regtype THEN 'trigger function'
      WHEN 'regclass'::regtype = ANY (f.types) THEN 'reads a table: see the hostile table below'
      WHEN f.provolatile = 'v' THEN 'volatile: writes the store (sequences outlive a rollback), locks or settings'
      WHEN EXISTS (SELECT 1 FROM unnest(f.types) a WHERE a NOT IN (SELECT typ FROM h_type))
        THEN 'no values of its argument types outside an index' END;
    IF why IS NOT NULL THEN
      INSERT INTO h_skipped VALUES (f.sig, why);
      CONTINUE;
    END IF;
    FOR i IN 0 .. f.pronargs LOOP
      -- i = 0: every argument harmless (once); then each argument hostile in turn
      CONTINUE WHEN i = 0 AND f.pronargs > 0;
      IF i > 0 THEN
        SELECT * INTO ht FROM h_type WHERE typ = f.types[i];
      END IF;
      FOR hid, lbl IN EXECUTE CASE WHEN i = 0 THEN 'SELECT 0, ''none''' ELSE format('SELECT id, label FROM %I ORDER BY id', ht.tab) END LOOP
        args := ARRAY(SELECT CASE WHEN k = i THEN format('(SELECT v%s FROM %I WHERE id = %s)', ht.cast_to, ht.tab, hid)
                                  ELSE coalesce((SELECT expr FROM h_benign b WHERE b.proname = f.proname AND b.argno = k),
                                                (SELECT benign FROM h_type WHERE typ = f.types[k])) END
                                  || '::' || f.types[k]::text
                        FROM generate_series(1, f.pronargs) k ORDER BY k);
        q := format('SELECT md5(string_agg(x::text, %L)) FROM (SELECT cdm.%I(%s) AS x) s', ',', f.proname,
                    array_to_string(args, ', '));
        t0 := clock_timestamp();
        BEGIN
          EXECUTE q;
          st := '00000';
          msg := NULL;
        EXCEPTION WHEN OTHERS THEN
          GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
        END;
        BEGIN
          INSERT INTO h_result VALUES (f.sig, i, lbl, st, left(msg, 300),
                                       extract(epoch FROM clock_timestamp() - t0) * 1000);
        EXCEPTION WHEN character_not_in_repertoire THEN
          -- the message itself is not valid UTF-8 (a name cut inside a character)
          INSERT INTO h_result VALUES (f.sig, i, lbl, st || ' bad message', NULL, NULL);
        END;
      END LOOP;
    END LOOP;
  END LOOP;
END $sweep$;

SELECT pg_temp.sweep();

-- The verdict: no internal error, no message that is not valid UTF-8 (the
-- rows, if any, say where).
SELECT count(*) AS calls, count(*) FILTER (WHERE state = 'XX000') AS internal_errors,
       count(*) FILTER (WHERE state LIKE '% bad message') AS bad_messages
  FROM h_result;
SELECT sig, argno, label, state, message FROM h_result
 WHERE state = 'XX000' OR state LIKE '% bad message' ORDER BY 1, 2, 3;
-- What each function answered, over all its hostile calls.  (XX001,
-- data_corrupted, comes only from internal functions given a timeline or a
-- compiled definition that cdm did not write: they read them from cdm's
-- own tables, where such a value would be corruption.)
SELECT sig, count(*) AS calls, string_agg(DISTINCT state, ' ' ORDER BY state) AS sqlstates
  FROM h_result GROUP BY sig ORDER BY sig;
-- What was not called, and why (a new function lands in one list or the other).
SELECT sig, reason FROM h_skipped ORDER BY reason, sig;

CREATE FUNCTION pg_temp.state_of(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE q;
  RETURN '00000';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE;
END $$;
CREATE FUNCTION pg_temp.err(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE q;
  RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

-- ------------------------------------------------------------ 1 MB of random letters
-- ICU transliteration reads about 300 KB a second here, so the sweep above
-- gives the transliterating functions 16 KB of random letters; the full
-- megabyte goes through cdm.fold (which they all share) and through every
-- function that does not transliterate.
CREATE TEMP TABLE h_big AS SELECT pg_temp.bmp_letters(400000) AS v;
SELECT octet_length(v) > 900000 AS about_1mb, length(v) AS characters FROM h_big;
SELECT q, pg_temp.state_of(q) AS sqlstate
  FROM unnest(ARRAY[
    'SELECT cdm.fold(v) FROM h_big',
    'SELECT cdm.levenshtein(v, ''Ann Smith'') FROM h_big',
    'SELECT cdm.levenshtein(''Ann Smith'', v, 3) FROM h_big',
    'SELECT cdm.damerau_levenshtein(v, ''Ann Smith'') FROM h_big',
    'SELECT cdm.osa_distance(v, ''Ann Smith'') FROM h_big',
    'SELECT cdm.hamming(v, v) FROM h_big',
    'SELECT cdm.jaro_similarity(v, ''Ann Smith'') FROM h_big',
    'SELECT cdm.jaro_winkler_similarity(''Ann Smith'', v) FROM h_big',
    'SELECT cdm.jaro_winkler_similarity(v, reverse(v)) FROM h_big',
    'SELECT cdm.qgram_similarity(v, ''Ann Smith'', 64) FROM h_big',
    'SELECT cdm.qgram_similarity(v, reverse(v), 1) FROM h_big',
    'SELECT cdm.email_norm(v), cdm.email_valid(v) FROM h_big',
    'SELECT cdm.email_norm(''a@'' || v) FROM h_big',
    'SELECT cdm.phone_e164(v, ''US''), cdm.phone_valid(v, ''GB'') FROM h_big',
    'SELECT cdm.phone_e164(''+1 202 555 0123'', v) FROM h_big',
    'SELECT cdm.key_in(v::cstring) FROM h_big',
    'SELECT cdm.lifecycle_in(v::cstring) FROM h_big',
    'SELECT cdm.lifecycle(v, now()) FROM h_big',
    'SELECT cdm.lifecycle(''active'', now(), v) FROM h_big',
    'SELECT cdm.transition(''lead@2025-01-01'', v, now()) FROM h_big',
    'SELECT cdm.store_setting_value(v) FROM h_big']) q;

-- ------------------------------------------------------------ a hostile table
-- The functions that read a table (regclass): cdm.dedupe and its family over
-- a table whose every column holds each hostile value (every call reads
-- the whole table: the megabyte of 'a' is cut to 100 KB, the random letters
-- to 500 characters, the random Unicode to 1000); the ones that write the
-- store or the milestones are left out (their ids would move the hard-coded
-- ids of the suites after this one).
SELECT p.oid::regprocedure AS reads_a_table,
       CASE WHEN p.proname IN ('_source_add', 'register_source', 'load_milestones')
            THEN 'skipped: registers a source or loads milestones (writes the store)'
            WHEN p.proname IN ('load_records', '_load_records_staged')
            THEN 'skipped: loads records (writes the store; see the suite store_load)'
            ELSE 'called below' END AS how
  FROM pg_proc p
 WHERE p.pronamespace = 'cdm'::regnamespace AND 'regclass'::regtype = ANY (p.proargtypes::regtype[])
 ORDER BY p.oid::regprocedure::text COLLATE "C";
CREATE TEMP TABLE h_people (id text, given_name text, family_name text, full_name text, dob date,
                            email text, phone text, address text, city text, postcode text,
                            country text, national_id text, k cdm.key);
INSERT INTO h_people (id, given_name, family_name, full_name, dob, email, phone, address, city,
                      postcode, country, national_id)
SELECT 'h' || lpad(id::text, 2, '0'), v, v, v,
       (ARRAY[NULL, '4713-01-01 BC', '5874897-12-31', 'infinity', '-infinity', '2000-02-29']::date[])[1 + id % 6],
       v, v, v, v, v, v, v
  FROM (SELECT id, CASE id WHEN 4 THEN left(v, 100000) WHEN 5 THEN left(v, 500) WHEN 16 THEN left(v, 1000)
                            ELSE v END AS v FROM h_text) t;
INSERT INTO h_people (id, given_name, family_name, full_name, dob, email, phone, address, country) VALUES
  ('n1', 'Ann', 'Smith', 'Ann Smith', '1980-03-12', 'ann@example.com', '+1 202 555 0123', '1 Main St', 'US'),
  ('n2', 'Anne', 'Smith', 'Anne Smith', '1980-03-12', 'ann@example.com', '202-555-0123', '1 Main Street', 'USA'),
  ('n3', 'Bob', 'Smith', NULL, NULL, NULL, NULL, NULL, NULL),
  ((SELECT v FROM h_text WHERE id = 7), 'Ann', 'Smith', NULL, NULL, NULL, NULL, NULL, NULL),
  ((SELECT v FROM h_text WHERE id = 8), 'Ann', 'Smith', NULL, NULL, NULL, NULL, NULL, NULL),
  ((SELECT v FROM h_text WHERE id = 11), 'Ann', 'Smith', NULL, NULL, NULL, NULL, NULL, NULL);
UPDATE h_people SET k = cdm.record_key(full_name, email, phone, address);
-- cdm.dedupe and cdm.train_model store the model they train (cdm.match_model):
-- all of it in a transaction that is rolled back.
BEGIN;
SELECT q, pg_temp.state_of(q) AS sqlstate
  FROM unnest(ARRAY[
    'SELECT count(*) FROM cdm.dedupe(''h_people'')',
    'SELECT count(*) FROM cdm.dedupe(''h_people'', 0)',
    'SELECT count(*) FROM cdm.dedupe(''h_people'', ''NaN'')',
    'SELECT count(*) FROM cdm.dedupe(''h_people'', 1, ''no such model'')',
    'SELECT count(*) FROM cdm.match_pairs(''h_people'')',
    'SELECT count(*) FROM cdm.match_pairs(''h_people'', -1)',
    'SELECT count(*) FROM cdm._dedupe_load(''h_people'', 0.9, NULL, 0.5)',
    'SELECT count(*) FROM cdm._dedupe_load(''h_people'', ''NaN'', NULL, 0.5)',
    'SELECT count(*) FROM cdm._dedupe_load(''h_people'', 0.9, NULL, 2)',
    'SELECT count(*) FROM cdm.explain_match(''h_people'', ''n1'', ''n2'')',
    'SELECT count(*) FROM cdm.explain_match(''h_people'', ''n1'', ''missing'')',
    'SELECT count(*) FROM cdm.explain_match(''h_people'', (SELECT v FROM h_text WHERE id = 7), ''n1'')',
    'SELECT count(*) FROM cdm.block_stats(''h_people'', ''k'')',
    'SELECT count(*) FROM cdm.block_stats(''h_people'', ''k'', 0)',
    'SELECT count(*) FROM cdm.block_stats(''h_people'', ''k'', ''NaN'')',
    'SELECT count(*) FROM cdm.block_stats(''h_people'', ''given_name'')',
    'SELECT count(*) FROM cdm.block_stats(''h_people'', (SELECT v FROM h_text WHERE id = 4))',
    'SELECT count(*) FROM cdm.block_largest(''h_people'', ''k'', 5)',
    'SELECT count(*) FROM cdm.block_largest(''h_people'', ''k'', -1)',
    'SELECT count(*) FROM cdm.block_largest(''h_people'', ''k'', 2147483647, 1)',
    'SELECT cdm._block_key_column(''h_people'', (SELECT v FROM h_text WHERE id = 19))',
    'SELECT count(*) FROM cdm.quality(''h_people'')',
    'SELECT count(*) FROM cdm.quality(''h_people'', ''AU'')',
    'SELECT count(*) FROM cdm.quality(''h_people'', (SELECT v FROM h_text WHERE id = 7))',
    'SELECT count(*) FROM cdm.quality(''h_people'', NULL, ''infinity'')']) q;
-- A model of its own, trained and used under a hostile name.
SELECT q, pg_temp.state_of(q) AS sqlstate
  FROM unnest(ARRAY[
    'SELECT cdm.train_model(''h_people'', (SELECT v FROM h_text WHERE id = 7))',
    'SELECT count(*) FROM cdm.dedupe(''h_people'', 0.5, (SELECT v FROM h_text WHERE id = 7))',
    'SELECT count(*) FROM cdm._dedupe_load(''h_people'', 0.5, (SELECT v FROM h_text WHERE id = 7), 0)',
    'SELECT count(*) FROM cdm.explain_match(''h_people'', ''h06'', ''h07'', (SELECT v FROM h_text WHERE id = 7))',
    'SELECT cdm.match_probability(v, v, (SELECT v FROM h_text WHERE id = 7)) FROM h_jsonb WHERE id = 12']) q;
ROLLBACK;

-- ------------------------------------------------------------ binary input
-- The cdm.key and cdm.lifecycle receive functions take internal, so they are fed
-- through COPY (FORMAT binary): a bytea written out is read back as the type,
-- its raw bytes handed to the receive function as they are.
CREATE TEMP TABLE h_wire (id int PRIMARY KEY, label text, b bytea);
INSERT INTO h_wire SELECT id, label, v FROM h_bytea WHERE v IS NOT NULL;
INSERT INTO h_wire VALUES
  (101, 'key_count_max', '\x7fffffff'),
  (102, 'key_count_negative', '\xffffffff00000001'),
  (103, 'key_count_short', '\x000000020000000a'),
  (104, 'key_reserved_bits', '\x00000003ffffffffe000000078000000'),
  (105, 'key_valid', cdm.key_send(cdm.record_key('Ann Smith', 'ann@example.com'))),
  (106, 'key_trailing_byte', cdm.key_send(cdm.name_key('Ann')) || '\x00'),
  (107, 'key_3000_tokens', '\x00000bb8'::bytea || pg_temp.random_bytes(12000)),
  (111, 'lifecycle_valid', cdm.lifecycle_send('active@2025-01-01')),
  (112, 'lifecycle_infinity', overlay(cdm.lifecycle_send('active@2025-01-01') PLACING '\x7fffffffffffffff' FROM 1 FOR 8)),
  (113, 'lifecycle_rank_mismatch', set_byte(cdm.lifecycle_send('active@2025-01-01'), 9, 9)),
  (114, 'lifecycle_bad_model_name', set_byte(cdm.lifecycle_send('active@2025-01-01'), 11, 68)),
  (115, 'lifecycle_name_255', set_byte(cdm.lifecycle_send('active@2025-01-01'), 10, 255)),
  (116, 'lifecycle_name_0', set_byte(cdm.lifecycle_send('active@2025-01-01'), 10, 0)),
  (117, 'lifecycle_truncated', substr(cdm.lifecycle_send('active@2025-01-01'), 1, 12)),
  (118, 'lifecycle_trailing_byte', cdm.lifecycle_send('active@2025-01-01') || '\x00'::bytea),
  (119, 'lifecycle_undeclared_model', substr(cdm.lifecycle_send('active@2025-01-01'), 1, 10) || '\x06'::bytea
          || convert_to('retail', 'UTF8') || '\x06'::bytea || convert_to('active', 'UTF8'));
CREATE TEMP TABLE h_recv_key (v cdm.key);
CREATE TEMP TABLE h_void (x int);
CREATE TEMP TABLE h_recv_lifecycle (v cdm.lifecycle);
CREATE FUNCTION pg_temp.recv_states(target text) RETURNS TABLE (label text, state text)
LANGUAGE plpgsql AS $$
DECLARE
  f text := '/tmp/cdm_hostile_' || pg_backend_pid() || '.bin';
  w record;
BEGIN
  FOR w IN SELECT * FROM h_wire ORDER BY id LOOP
    EXECUTE format('COPY (SELECT b FROM h_wire WHERE id = %s) TO %L (FORMAT binary)', w.id, f);
    label := w.label;
    BEGIN
      EXECUTE format('COPY %I FROM %L (FORMAT binary)', target, f);
      state := '00000';
    EXCEPTION WHEN OTHERS THEN
      state := SQLSTATE;
    END;
    RETURN NEXT;
  END LOOP;
  EXECUTE format('COPY h_void FROM PROGRAM %L', 'rm -f ' || f);
END $$;
SELECT label, k.state AS as_key, l.state AS as_lifecycle
  FROM pg_temp.recv_states('h_recv_key') k JOIN pg_temp.recv_states('h_recv_lifecycle') l USING (label)
 ORDER BY label;
-- What was accepted is normalised and valid: it prints and reads back.
SELECT count(*) AS keys, bool_and(v::text::cdm.key OPERATOR(cdm.=) v) AS keys_round_trip,
       bool_and(cdm.key_ntokens(v) <= 2000) AS within_2000_tokens FROM h_recv_key;
SELECT count(*) AS lifecycles, bool_and(v::text::cdm.lifecycle OPERATOR(cdm.=) v) AS round_trip FROM h_recv_lifecycle;


-- ------------------------------------------------------------ indexes
-- Hostile keys in btree, hash and GiST indexes, and as the query of a
-- nearest-neighbour scan: the index answers what a sequential scan does.
CREATE TEMP TABLE h_keys AS
SELECT v AS k FROM h_key WHERE v IS NOT NULL
UNION ALL SELECT cdm.record_key(v, v, v, v) FROM h_text WHERE id <> 5
UNION ALL SELECT cdm.name_key(v) FROM h_text WHERE id <> 5;
CREATE INDEX ON h_keys USING gist (k cdm.gist_key_ops (siglen = 8));
CREATE INDEX ON h_keys USING hash (k);
-- A btree entry holds at most 2704 bytes, about 670 tokens: only keys of very
-- long values pass that (2000 tokens here), and PostgreSQL refuses them, 54000.
CREATE INDEX ON h_keys USING btree (k);
CREATE INDEX ON h_keys USING btree (k) WHERE cdm.key_ntokens(k) <= 670;
SET enable_seqscan = off;
CREATE TEMP TABLE h_knn AS
SELECT q.id, (SELECT array_agg(cdm.key_distance(k, q.v) ORDER BY k OPERATOR(cdm.<->) q.v)
                FROM (SELECT k FROM h_keys ORDER BY k OPERATOR(cdm.<->) q.v LIMIT 5) n) AS via_index,
       (SELECT count(*) FROM h_keys WHERE k OPERATOR(cdm.%) q.v) AS similar_via_index,
       (SELECT count(*) FROM h_keys WHERE k OPERATOR(cdm.=) q.v) AS equal_via_index
  FROM h_key q WHERE q.v IS NOT NULL;
RESET enable_seqscan;
SET enable_indexscan = off;
SET enable_bitmapscan = off;
SELECT q.id, h.via_index = (SELECT array_agg(d ORDER BY d) FROM (SELECT cdm.key_distance(k, q.v) AS d FROM h_keys ORDER BY 1 LIMIT 5) n) AS knn_same,
       h.similar_via_index = (SELECT count(*) FROM h_keys WHERE k OPERATOR(cdm.%) q.v) AS similar_same,
       h.equal_via_index = (SELECT count(*) FROM h_keys WHERE k OPERATOR(cdm.=) q.v) AS equal_same
  FROM h_key q JOIN h_knn h USING (id) ORDER BY q.id;
-- The same through signatures of the smallest and the largest length.
DROP INDEX h_keys_k_idx;
RESET enable_indexscan;
RESET enable_bitmapscan;
CREATE FUNCTION pg_temp.knn_same() RETURNS TABLE (id int, knn_same boolean, similar_same boolean)
LANGUAGE sql AS $$
  SELECT q.id, (SELECT array_agg(cdm.key_distance(k, q.v) ORDER BY k OPERATOR(cdm.<->) q.v)
                  FROM (SELECT k FROM h_keys ORDER BY k OPERATOR(cdm.<->) q.v LIMIT 5) n) = h.via_index,
         (SELECT count(*) FROM h_keys WHERE k OPERATOR(cdm.%) q.v) = h.similar_via_index
    FROM h_key q JOIN h_knn h USING (id) ORDER BY q.id $$;
SET enable_seqscan = off;
CREATE INDEX h_keys_sig1 ON h_keys USING gist (k cdm.gist_key_ops (siglen = 1));
SELECT * FROM pg_temp.knn_same();
DROP INDEX h_keys_sig1;
CREATE INDEX h_keys_sig2024 ON h_keys USING gist (k cdm.gist_key_ops (siglen = 2024));
SELECT * FROM pg_temp.knn_same();
RESET enable_seqscan;
SELECT pg_temp.err($$CREATE INDEX ON h_keys USING gist (k cdm.gist_key_ops (siglen = 2025))$$);
SELECT pg_temp.err($$CREATE INDEX ON h_keys USING gist (k cdm.gist_key_ops (siglen = 0))$$);

-- ------------------------------------------------------------ limits
-- Each documented limit raises 54000 (program_limit_exceeded), the limit in
-- the message; just under it, the call works.
\set VERBOSITY default
-- Text values: 16 MB (16777216 bytes) each, arguments, jsonb attributes and
-- the columns cdm.dedupe reads alike.
SELECT length(cdm.fold(repeat('a', 16777216))) AS fold_at_the_limit,
       cdm.levenshtein(repeat('a', 16777216), 'b', 1) AS bounded_at_the_limit;
SELECT pg_temp.err($$SELECT cdm.fold(repeat('a', 16777217))$$);
SELECT pg_temp.err($$SELECT cdm.levenshtein('a', repeat('ab', 8388609))$$);
SELECT pg_temp.err($$SELECT cdm.name_key(repeat('é', 8388609))$$);
SELECT pg_temp.err($$SELECT cdm.record_key('Ann', NULL, NULL, repeat('x', 16777217))$$);
SELECT pg_temp.err($$SELECT cdm.phone_e164('1', repeat('U', 16777217))$$);
-- a stored value, compressed: refused before it is decompressed
CREATE TEMP TABLE h_huge AS SELECT 'x'::text AS id, repeat('Ann ', 5000000) AS given_name;
SELECT pg_temp.err($$SELECT cdm.soundex(given_name) FROM h_huge$$);
SELECT pg_temp.err($$SELECT cdm.blocking_keys(jsonb_build_object('given_name', given_name)) FROM h_huge$$);
SELECT pg_temp.err($$SELECT count(*) FROM cdm.dedupe('h_huge')$$);
-- cdm.key text input: 16 MB too (a key prints in at most 18 KB)
SELECT pg_temp.err($$SELECT repeat('name(1) ', 2097153)::cdm.key$$);
SELECT cdm.key_ntokens(repeat('name(1) ', 2097152)::cdm.key) AS duplicates_at_the_limit;
-- Damerau-Levenshtein: (m+2)(n+2) <= 67108864 cells after the common prefix
-- and suffix are removed.
SELECT cdm.damerau_levenshtein(repeat('a', 8190), 'y' || repeat('b', 8189)) AS at_the_limit;
SELECT pg_temp.err($$SELECT cdm.damerau_levenshtein(repeat('a', 8191), 'y' || repeat('b', 8190))$$);
-- q-grams: q at most 64 (q < 1 is a bad value, 22023).
SELECT cdm.qgram_similarity('Ann', 'Anne', 64) AS q_64;
SELECT pg_temp.err($$SELECT cdm.qgram_similarity('Ann', 'Anne', 65)$$);
SELECT pg_temp.err($$SELECT cdm.qgram_similarity('Ann', 'Anne', 0)$$);
-- Definitions of active: at most 64 milestones a list.
SELECT octet_length(cdm._active_compile(0, true, NULL, (SELECT array_agg(k) FROM generate_series(1, 64) k), '{}', '{}', '{}')) AS list_of_64;
SELECT pg_temp.err($$SELECT cdm._active_compile(0, true, NULL, (SELECT array_agg(k) FROM generate_series(1, 65) k), '{}', '{}', '{}')$$);
-- An active count: at most 10000 moments (none is a bad value, 22023).
SELECT cdm._active_counts(v, cdm._active_compile(0, true, NULL, '{1}', '{}', '{}', '{}'),
                          (SELECT array_agg('2025-01-01'::timestamptz + k * interval '1 hour') FROM generate_series(1, 10000) k))
       @> '{1}' AS moments_10000
  FROM h_bytea WHERE label = 'timeline_valid';
SELECT pg_temp.err($$SELECT cdm._active_counts(v, cdm._active_compile(0, true, NULL, '{1}', '{}', '{}', '{}'),
                            (SELECT v FROM h_ts_arr WHERE label = 'moments_10001')) FROM h_bytea WHERE label = 'timeline_valid'$$);
SELECT pg_temp.err($$SELECT cdm._active_counts(v, cdm._active_compile(0, true, NULL, '{1}', '{}', '{}', '{}'), '{}')
                       FROM h_bytea WHERE label = 'timeline_valid'$$);
-- Stage models: 32 stages, 256 mapped milestones, 64 reactivated_by or activity milestones.
SELECT octet_length(cdm._stage_model_compile(jsonb_build_object('stages', (SELECT jsonb_agg('s' || k) FROM generate_series(1, 32) k)))) > 0 AS stages_32;
SELECT pg_temp.err($$SELECT cdm._stage_model_compile(jsonb_build_object('stages', (SELECT jsonb_agg('s' || k) FROM generate_series(1, 33) k)))$$);
SELECT pg_temp.err($$SELECT cdm._stage_model_compile(jsonb_build_object('stages', '["a", "b"]'::jsonb,
                       'milestones', (SELECT jsonb_agg(jsonb_build_array(k, 'b')) FROM generate_series(1, 257) k)))$$);
SELECT pg_temp.err($$SELECT cdm._stage_model_compile(jsonb_build_object('stages', '["a", "b"]'::jsonb,
                       'reactivations', '[["b", "a"]]'::jsonb,
                       'reactivated_by', (SELECT jsonb_agg(k) FROM generate_series(1, 65) k)))$$);
-- Timelines: at most 67108863 events (1 GB); past it _timeline_add,
-- _timeline_merge, _timeline_from and _timeline_agg raise 54000, which
-- needs more than 1 GB of input: not run here.

-- ------------------------------------------------------------ cancellation
-- Long work stops soon after a cancel: statement_timeout 1 s, each of these
-- would run for many seconds (on the 2-core test machine: daitch_mokotoff of
-- 1 MB 16 s, an active count of 10000 moments over a million events more
-- than 20 s, fold of 400 K random letters 3.6 s so of 1.2 M about 10 s,
-- cdm.dedupe of 50000 rows 1.5 s so of 200000 about 6 s; levenshtein and
-- osa_distance of two 1 MB strings are 10^12 cells); it must end in 57014
-- within 3 s of the start, 2 s after the timeout (measured: 1.00 to 1.09 s).
CREATE TEMP TABLE h_long AS SELECT repeat('ab', 524288) AS a, repeat('ba', 524288) AS b;
CREATE TEMP TABLE h_events AS
SELECT cdm._timeline_from(array_agg('2000-01-01'::timestamptz + k * interval '1 minute'),
                          array_agg(1 + k % 5), array_agg(0)) AS t
  FROM generate_series(1, 1000000) k;
CREATE TEMP TABLE h_many AS
SELECT k::text AS id, 'Ann' AS given_name, 'Smith' AS family_name, 'ann' || (k % 1000) || '@example.com' AS email
  FROM generate_series(1, 200000) k;
CREATE FUNCTION pg_temp.cancelled(q text) RETURNS TABLE (sqlstate text, stopped_within_3s boolean)
LANGUAGE plpgsql AS $$
DECLARE
  t0 timestamptz := clock_timestamp();
BEGIN
  EXECUTE q;
  RETURN QUERY SELECT 'finished: not long work'::text, NULL::boolean;
EXCEPTION WHEN query_canceled THEN
  RETURN QUERY SELECT SQLSTATE, clock_timestamp() - t0 < interval '3 s';
END $$;
SET statement_timeout = '1s';
SELECT * FROM pg_temp.cancelled('SELECT cdm.levenshtein(a, b) FROM h_long');
SELECT * FROM pg_temp.cancelled('SELECT cdm.osa_distance(a, b) FROM h_long');
SELECT * FROM pg_temp.cancelled('SELECT cdm.fold(v || v || v) FROM h_big');
SELECT * FROM pg_temp.cancelled($$SELECT cdm.daitch_mokotoff(repeat('JCJŢ', 250000))$$);
SELECT * FROM pg_temp.cancelled($$SELECT cdm._active_counts(t, cdm._active_compile(0, true, '30 days', '{1}', '{}', '{3}', '{}'),
  (SELECT array_agg('2003-01-01'::timestamptz + k * interval '1 hour') FROM generate_series(1, 10000) k)) FROM h_events$$);
SELECT * FROM pg_temp.cancelled($$SELECT count(*) FROM cdm.dedupe('h_many')$$);
RESET statement_timeout;

-- ------------------------------------------------------------ regressions
-- cdm._active_compile is not STRICT (for the window): a NULL list was read
-- as an array and crashed the backend; now NULL anywhere but the window
-- gives NULL.
SELECT cdm._active_compile(0, true, NULL, NULL, '{}', '{}', '{}') IS NULL AS null_list,
       cdm._active_compile(NULL, true, NULL, '{1}', '{}', '{}', '{}') IS NULL AS null_scope,
       cdm._active_compile(0, NULL, NULL, '{1}', '{}', '{}', '{}') IS NULL AS null_flag,
       cdm._active_compile(0, true, NULL, '{1}', '{}', '{}', '{}') IS NOT NULL AS null_window;
-- The support functions of cdm._active_counts take bigint[], so SQL can
-- call them: that was an internal error (XX000), now 0A000.
SELECT pg_temp.err($$SELECT cdm._active_counts_step(NULL, NULL, '\x00', '{2025-01-01}')$$);
SELECT pg_temp.err($$SELECT cdm._active_counts_combine('{1}', '{2}')$$);
-- A parallel active count over no rows: every partial count is NULL, and
-- the combine function returned its NULL first argument as a value (a null
-- pointer, and a crash); now NULL, as a serial count gives.
CREATE TABLE public.h_parallel_timelines (t bytea);
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
EXPLAIN (COSTS OFF)
SELECT cdm._active_counts(t, cdm._active_compile(0, true, NULL, '{1}', '{}', '{}', '{}'), '{2025-01-01}')
  FROM public.h_parallel_timelines;
SELECT cdm._active_counts(t, cdm._active_compile(0, true, NULL, '{1}', '{}', '{}', '{}'), '{2025-01-01}') IS NULL AS no_rows
  FROM public.h_parallel_timelines;
INSERT INTO public.h_parallel_timelines SELECT v FROM h_bytea WHERE label IN ('timeline_valid', 'timeline_100k_events');
SELECT cdm._active_counts(t, cdm._active_compile(0, true, NULL, '{1}', '{}', '{}', '{}'), '{2000-01-01, 2025-01-01}') AS two_rows
  FROM public.h_parallel_timelines;
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
DROP TABLE public.h_parallel_timelines;
-- Names in messages were cut at 64 bytes, inside a character: the message
-- was not valid UTF-8.  Now they are cut on a character boundary.
SELECT pg_temp.err($$SELECT cdm.lifecycle(repeat('é', 40), now())$$);
SELECT pg_temp.err($$SELECT cdm.lifecycle('active', now(), repeat('ж', 40))$$);
SELECT pg_temp.err($$SELECT cdm._stage_model_compile(jsonb_build_object('stages', jsonb_build_array(repeat('ñ', 40))))$$);
SELECT pg_temp.err($$SELECT cdm._stage_model_compile(jsonb_build_object('stages', '["a"]'::jsonb, 'initial', repeat('ü', 40)))$$);

-- ------------------------------------------------------------ other server encodings
-- In a database of another encoding (LATIN1 here) the comparisons decode with
-- PostgreSQL's pg_mb2wchar_with_len, which writes a terminating 0 after the
-- characters: the buffer was one short, and a value of 4096 characters
-- overran the heap (glibc aborted the backend).  A SQL_ASCII database hands
-- over bytes that need not be UTF-8: 22021, never a crash.
\set regress_db :DBNAME
CREATE DATABASE cdm_hostile_latin1 ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0;
CREATE DATABASE cdm_hostile_sql_ascii ENCODING 'SQL_ASCII' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0;
\c cdm_hostile_latin1
SET client_min_messages = warning;
SET client_encoding = 'UTF8';
CREATE EXTENSION cdm;
SELECT cdm.levenshtein(repeat(convert_from('\xe9', 'LATIN1'), 4096), 'x') AS lev_4096,
       cdm.levenshtein(repeat(convert_from('\xe9', 'LATIN1'), 4096), repeat('e', 4095)) AS lev_4096_4095,
       cdm.osa_distance(repeat(convert_from('\xe9', 'LATIN1'), 4096), repeat(convert_from('\xe8', 'LATIN1'), 4096)) AS osa_4096,
       cdm.levenshtein(repeat(convert_from('\xe9', 'LATIN1'), 127), repeat(convert_from('\xe9', 'LATIN1'), 128)) AS lev_127_128,
       cdm.hamming(repeat(convert_from('\xfc', 'LATIN1'), 128), repeat('u', 128)) AS hamming_128;
SELECT cdm.fold(convert_from('\x4dfc6c6c6572', 'LATIN1')) AS fold_mueller,
       cdm.name_parts(convert_from('\x4dfc6c6c6572', 'LATIN1') || ', Dr. J' || convert_from('\xfc', 'LATIN1') || 'rgen') AS parts,
       cdm.dmetaphone(convert_from('\xc7', 'LATIN1') || 'a') AS dmetaphone_ca,
       cdm.phone_e164('+49 30 1234567', 'DE') AS e164;
\c cdm_hostile_sql_ascii
SET client_min_messages = warning;
CREATE EXTENSION cdm;
CREATE FUNCTION pg_temp.state_of(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE q;
  RETURN '00000';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE;
END $$;
CREATE TEMP TABLE bytes_in AS
SELECT convert_from(b, 'SQL_ASCII') AS v FROM unnest(ARRAY['\xfffe', '\xc3', '\xeda080', '\xc0af', '\x616e6ee9',
  '\x6140627f2eff636f6d', '\x2b31203230322035353520ff30313233', '\xf4908080']::bytea[]) b;
SELECT q, pg_temp.state_of(q) AS sqlstate
  FROM unnest(ARRAY['SELECT cdm.levenshtein(v, repeat(v, 600)) FROM bytes_in',
                    'SELECT cdm.jaro_winkler_similarity(repeat(v, 100), v) FROM bytes_in',
                    'SELECT cdm.fold(v) FROM bytes_in',
                    'SELECT cdm.soundex(v) FROM bytes_in',
                    'SELECT cdm.email_norm(v), cdm.email_valid(v) FROM bytes_in',
                    'SELECT cdm.phone_e164(v, ''US'') FROM bytes_in',
                    'SELECT cdm.record_key(NULL, v) FROM bytes_in',
                    'SELECT cdm.match_probability(jsonb_build_object(''email'', v), ''{}'') FROM bytes_in']) q;
\c :regress_db
DROP DATABASE cdm_hostile_latin1;
DROP DATABASE cdm_hostile_sql_ascii;
