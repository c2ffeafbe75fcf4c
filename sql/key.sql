-- block layer: the cdm.key type, its builders and operators.
-- (pg_regress loads the extension with --load-extension=cdm)
SET search_path = public, cdm;

-- A name key: per word, padded bigrams, Double Metaphone codes, nickname root.
SELECT name_key('John Smith') AS k, key_ntokens(name_key('John Smith')) AS n;

-- What blocking must survive: typos, word order, nicknames, initials, accents, scripts.
SELECT a, b, round((name_key(a) <-> name_key(b))::numeric, 4) AS distance
  FROM (VALUES ('John Smith', 'John Smith'),
               ('John Smith', 'Smith, John'),
               ('John Smith', 'Jonh Smith'),
               ('John Smith', 'Jon Smyth'),
               ('Bob Smith', 'Robert Smith'),
               ('Bill Gates', 'William Gates'),
               ('John Smith', 'J. Smith'),
               ('John Smith', 'John K. Smith'),
               ('José Muñoz', 'JOSE MUNOZ'),
               ('Дмитрий Иванов', 'Dmitry Ivanov'),
               ('Μαρία Παπαδοπούλου', 'Maria Papadopoulou'),
               ('John Smith', 'Mary Jones')) v(a, b);

-- Similarity is 1 - distance; the function forms equal the operator.
SELECT key_similarity(name_key('Jon Smyth'), name_key('John Smith'))
       = 1 - key_distance(name_key('Jon Smyth'), name_key('John Smith')) AS complement,
       key_distance(name_key('Jon Smyth'), name_key('John Smith'))
       = (name_key('Jon Smyth') <-> name_key('John Smith')) AS same_as_operator;

-- % compares the distance with cdm.key_threshold (default 0.6).
SHOW cdm.key_threshold;
SELECT name_key('Jon Smyth') % name_key('John Smith') AS close,
       name_key('John Smith') % name_key('Mary Jones') AS far;
SET cdm.key_threshold = 0.2;
SELECT name_key('Jon Smyth') % name_key('John Smith') AS close_at_0_2;
RESET cdm.key_threshold;
SET cdm.key_threshold = 1.5;
SET cdm.key_other_setting = 1;

-- Other fields.
SELECT email_key('J.Doe+shop@GMail.com') = email_key('jdoe@gmail.com') AS gmail_rules,
       round((email_key('john.doe@example.com') <-> email_key('john_doe@example.org'))::numeric, 4) AS other_domain,
       key_ntokens(email_key('not an address')) AS invalid_as_words;
SELECT phone_key('(555) 123-4567') = phone_key('+1 555 123 4567') AS same_number,
       round((phone_key('555-123-4567') <-> phone_key('555-123-4576'))::numeric, 4) AS transposed,
       phone_key('020 7946 0958', 'GB') = phone_key('+44 20 7946 0958') AS gb,
       key_ntokens(phone_key('12')) AS short_digits,
       key_ntokens(phone_key('no digits')) AS no_digits;
SELECT phone_key('555-123-4567', 'XX');
SELECT address_key('123 North Main Street Apartment 4') = address_key('123 N. Main St., Apt. #4') AS usps,
       round((address_key('123 N Main St') <-> address_key('123 N Mian St'))::numeric, 4) AS typo;

-- Multi-field keys: fields tagged, only shared fields count, e-mail and phone weigh 2.
SELECT record_key('John Smith', 'jsmith@example.com', '555-123-4567', '1 Main St') AS k;
SELECT round((record_key('John Smith', 'jsmith@example.com') <->
              record_key('Mary Jones', 'jsmith@example.com'))::numeric, 4) AS same_email_other_name,
       round((record_key('John Smith', NULL, '555-123-4567') <->
              record_key('John Smith', 'a@b.com'))::numeric, 4) AS only_name_shared,
       record_key('John Smith', email => 'a@b.com') <-> record_key(NULL, NULL, '555-123-4567') AS nothing_shared,
       record_key('John Smith') = name_key('John Smith') AS name_only_equals_name_key,
       record_key(NULL, NULL, NULL, NULL) IS NULL AS all_null,
       record_key(NULL, NULL, '020 7946 0958', NULL, 'GB') = phone_key('020 7946 0958', 'GB') AS region;

-- NULL in, NULL out; empty and punctuation-only text give the empty key.
SELECT name_key(NULL) IS NULL AS n1, email_key(NULL) IS NULL AS n2,
       phone_key(NULL) IS NULL AS n3, phone_key('1', NULL) IS NULL AS n4,
       address_key(NULL) IS NULL AS n5;
SELECT name_key('')::text AS empty_text, key_ntokens(name_key('!!! ...')) AS punct,
       name_key('') <-> name_key('') AS both_empty, name_key('') <-> name_key('a') AS one_empty,
       name_key('') = ''::key AS empty_literal;

-- Any text: Cyrillic, Greek, Han, Arabic, combining marks, full-width, emoji, 100k characters.
SELECT s, key_ntokens(name_key(s)) AS n, name_key(s)::text::key = name_key(s) AS text_round_trip
  FROM (VALUES ('Дмитрий'), ('Σωκράτης'), ('北京市'), ('محمد علي'), ('Jose' || U&'\0301'),
               ('ＡＢＣ　ｄｅｆ'), ('😀 Smith 🎉'), ('😀')) v(s);
SELECT key_ntokens(name_key(repeat('abcdefg ', 12500))) AS repeated_100k,
       key_ntokens(name_key(string_agg(chr(1040 + (i * 7) % 32), '') )) AS cyrillic_100k,
       key_ntokens(address_key(repeat('x', 100000))) AS address_100k,
       key_ntokens(email_key(repeat('a', 100000) || '@x.com')) AS email_100k,
       key_ntokens(record_key(repeat('ab ', 40000), repeat('c.', 50000), repeat('5', 100000),
                              repeat('main st ', 12500))) AS record_100k
  FROM generate_series(1, 100000) i;
-- 5000 distinct words: each field keeps its 250 smallest tokens (a bottom-k sample).
SELECT key_ntokens(name_key(string_agg(md5(i::text), ' '))) AS capped
  FROM generate_series(1, 5000) i;

-- Text form: fields and hex tokens; input sorts, drops duplicates, accepts any spacing.
SELECT 'phone( 1f  2 ) name(a 3 a)'::key AS parsed;
SELECT 'name()'::key = ''::key AS empty_field;
SELECT 'nom(1)'::key;
SELECT 'name(20000000)'::key;
SELECT 'name(1 2'::key;
SELECT 'name(xyz)'::key;

-- Binary form: int32 count, then uint32 tokens, network order.
SELECT key_send('name(1 2) email(3)'::key) AS wire;
-- Binary round trip through COPY (FORMAT binary), for keys of every kind.
CREATE TEMP TABLE kb (id int, k key);
INSERT INTO kb VALUES (1, name_key('Дмитрий Иванов')), (2, name_key('')), (3, email_key('a@b.com')),
  (4, record_key('北京 😀', 'x@y.org', '+44 20 7946 0958', '1 Main St')),
  (5, name_key(repeat('long name ', 10000))), (6, NULL);
CREATE TEMP TABLE kb2 (LIKE kb);
DO $$
DECLARE f text := '/tmp/cdm_key_regress_' || pg_backend_pid() || '.bin';
BEGIN
  EXECUTE format('COPY kb TO PROGRAM %L (FORMAT binary)', 'cat > ' || f);
  EXECUTE format('COPY kb2 FROM PROGRAM %L (FORMAT binary)', 'cat ' || f || ' && rm -f ' || f);
END $$;
SELECT count(*) AS rows, count(*) FILTER (WHERE kb.k = kb2.k OR (kb.k IS NULL AND kb2.k IS NULL)) AS equal
  FROM kb JOIN kb2 USING (id);

-- Equality, order, hashing: DISTINCT, GROUP BY, btree and hash indexes.
SELECT count(DISTINCT name_key(n)) AS distinct_keys
  FROM (VALUES ('John Smith'), ('smith john'), ('JOHN  SMITH'), ('Jon Smith')) v(n);
SELECT name_key('a') < name_key('b') OR name_key('a') > name_key('b') AS ordered,
       name_key('a') <> name_key('b') AS ne, key_cmp(name_key('a'), name_key('a')) AS cmp_self;
CREATE TEMP TABLE kh AS SELECT i, name_key('name' || (i % 50)) AS k FROM generate_series(1, 500) i;
CREATE INDEX ON kh USING btree (k);
CREATE INDEX ON kh USING hash (k);
SET enable_seqscan = off;
SELECT count(*) FROM kh WHERE k = name_key('name7');
SET enable_seqscan = on;
SELECT count(*) FROM (SELECT k FROM kh GROUP BY k) g;

-- Every object is documented.
SELECT p.oid::regprocedure AS undocumented
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname = 'cdm' AND (p.proname LIKE 'key%' OR p.proname LIKE '%\_key%' OR p.proname LIKE 'gkey%')
   AND obj_description(p.oid, 'pg_proc') IS NULL;
SELECT o.oid::regoperator AS undocumented
  FROM pg_operator o JOIN pg_namespace n ON n.oid = o.oprnamespace
 WHERE n.nspname = 'cdm' AND o.oprleft = 'cdm.key'::regtype
   AND obj_description(o.oid, 'pg_operator') IS NULL;
SELECT obj_description('cdm.key'::regtype, 'pg_type') IS NOT NULL AS type_documented,
       obj_description('cdm.gkey'::regtype, 'pg_type') IS NOT NULL AS gkey_documented;
