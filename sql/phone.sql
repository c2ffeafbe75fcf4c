-- phone numbers: cdm.phone_e164, cdm.phone_valid (libphonenumber).
-- Fictional or reserved numbers where the plan has them: US 555-01xx,
-- UK Ofcom drama ranges (020 7946 0xxx, 07700 900xxx), AU 04 9100 xxxx.

-- US formats under the default region (US) all give the same E.164.
SELECT p, cdm.phone_e164(p) AS e164, cdm.phone_valid(p) AS valid
  FROM (VALUES ('(201) 555-0123'), ('201.555.0123'), ('201-555-0123'), ('2015550123'),
               ('+1-201-555-0123'), ('1 201 555 0123'), ('+1 (201) 555-0123'),
               ('tel:+1-201-555-0123')) v(p);

-- Other countries: national form with their region, international form under any region.
SELECT p, r, cdm.phone_e164(p, r) AS e164, cdm.phone_valid(p, r) AS valid
  FROM (VALUES ('020 7946 0018', 'GB'), ('+44 20 7946 0018', 'US'), ('011 44 20 7946 0018', 'US'),
               ('030 12345678', 'DE'), ('+49 (0)30 12345678', 'FR'),
               ('01 23 45 67 89', 'FR'), ('00 33 1 23 45 67 89', 'DE'),
               ('03-1234-5678', 'JP'), ('090-1234-5678', 'JP'),
               ('098765 43210', 'IN'), ('+91 98765 43210', 'GB'),
               ('04 9100 0000', 'AU'), ('(02) 9100 0000', 'AU'),
               ('(11) 91234-5678', 'BR'), ('+55 11 91234-5678', 'US'),
               ('4155552671', 'CA'), ('+800 1234 5678', 'JP')) v(p, r);

-- The region decides how a national number is read; it is case-insensitive.
SELECT cdm.phone_e164('020 7946 0018', 'GB') AS gb, cdm.phone_e164('020 7946 0018', 'gb') AS gb_lower,
       cdm.phone_e164('020 7946 0018') AS as_us, cdm.phone_e164('(201) 555-0123', 'GB') AS us_number_as_gb;

-- ZZ: no default region, only numbers written with + parse.
SELECT cdm.phone_e164('+44 20 7946 0018', 'ZZ') AS plus_gb, cdm.phone_e164('+1 201 555 0123', 'zz') AS plus_us,
       cdm.phone_e164('020 7946 0018', 'ZZ') AS national, cdm.phone_valid('2015550123', 'ZZ') AS national_valid;

-- Possible is not valid: phone_e164 checks that the length is possible for the
-- country, phone_valid the number ranges.  A local-only length (no area code)
-- has no E.164 form.  libphonenumber allows some national numbers longer than
-- E.164's 15 digits (Germany, Japan): phone_e164 returns them as formatted.
SELECT p, r, cdm.phone_e164(p, r) AS e164, cdm.phone_valid(p, r) AS valid
  FROM (VALUES ('(123) 456-7890', 'US'), ('(911) 555-0123', 'US'), ('07700 900123', 'GB'),
               ('555-0123', 'US'), ('41555526710000', 'US'),
               ('+999 1234 5678', 'US'), ('+49 30 1234567890123', 'US')) v(p, r);

-- Extensions are dropped; letters are keypad digits; other digit scripts are digits.
SELECT cdm.phone_e164('201-555-0123 ext. 12') AS ext, cdm.phone_e164('201 555 0123 x12') AS x,
       cdm.phone_e164('tel:+1-201-555-0123;ext=12') AS rfc3966,
       cdm.phone_e164('1-800-FLOWERS') AS vanity, cdm.phone_valid('1-800-FLOWERS') AS vanity_valid,
       cdm.phone_e164('1-800-FL') AS too_few_letters;
SELECT cdm.phone_e164('２０１５５５０１２３') AS fullwidth, cdm.phone_e164('（２０１）５５５－０１２３') AS fullwidth_punct,
       cdm.phone_e164('٢٠١٥٥٥٠١٢٣') AS arabic_indic, cdm.phone_e164('२०१५५५०१२३') AS devanagari;

-- Not numbers: NULL, and phone_valid false (é twice: precomposed, then e + U+0301).
-- Text around a number is skipped, as the last row shows.
SELECT p, cdm.phone_e164(p) AS e164, cdm.phone_valid(p) AS valid
  FROM (VALUES (''), ('   '), ('abc'), ('12'), ('+'), ('+1'), ('n/a'), ('Дмитрий'),
               ('Παπαδόπουλος'), ('北京市'), ('مرحبا'), ('é'), ('e' || U&'\0301'), ('😀📞'),
               ('📞 201 555 0123')) v(p);

-- libphonenumber reads at most 250 bytes: longer input is not a number.
SELECT cdm.phone_e164(rpad('201 555 0123', 250)) AS pad_250, cdm.phone_e164(rpad('201 555 0123', 251)) AS pad_251,
       cdm.phone_e164(repeat('7', 300)) AS digits_300, cdm.phone_valid(repeat('7', 100000)) AS digits_100k,
       cdm.phone_e164(repeat('(', 10000)) AS parens_10k;

-- NULL in, NULL out (STRICT).
SELECT cdm.phone_e164(NULL) IS NULL AS e164_null, cdm.phone_e164('2015550123', NULL) IS NULL AS region_null,
       cdm.phone_valid(NULL) IS NULL AS valid_null, cdm.phone_valid(NULL, 'XX') IS NULL AS null_skips_region_check;

-- Unknown regions: 22023 with a hint, whatever the number.
\set VERBOSITY default
SELECT cdm.phone_e164('2015550123', 'XX');
SELECT cdm.phone_e164('2015550123', 'usa');
SELECT cdm.phone_e164('+12015550123', '');
SELECT cdm.phone_valid('', '001');
SELECT cdm.phone_valid('2015550123', 'United States of America (and its territories)');
\set VERBOSITY terse
DO $$ BEGIN PERFORM cdm.phone_e164('1', 'U1'); EXCEPTION WHEN invalid_parameter_value THEN RAISE NOTICE 'sqlstate %', SQLSTATE; END $$;
\set VERBOSITY default

-- IMMUTABLE STRICT PARALLEL SAFE, so usable in indexes; the version is STABLE.
SELECT p.proname, p.provolatile, p.proisstrict, p.proparallel, pg_get_function_arguments(p.oid) AS args
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname = 'cdm' AND p.proname IN ('phone_e164', 'phone_valid', 'phonenumber_version')
 ORDER BY p.proname;
SELECT cdm.phonenumber_version() ~ '^[0-9]+\.[0-9]+' AS version_looks_right;

-- An expression index finds the same number however it was written.
CREATE TABLE contacts (id int, phone text);
INSERT INTO contacts VALUES (1, '(201) 555-0123'), (2, '+1 201 555 0123'), (3, '201.555.0124'),
                            (4, 'n/a'), (5, NULL), (6, '020 7946 0018');
CREATE INDEX contacts_phone ON contacts (cdm.phone_e164(phone));
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT id FROM contacts WHERE cdm.phone_e164(phone) = cdm.phone_e164('201-555-0123');
SELECT id, phone FROM contacts WHERE cdm.phone_e164(phone) = cdm.phone_e164('201-555-0123') ORDER BY id;
RESET enable_seqscan;
-- Duplicates by normalised number.
SELECT cdm.phone_e164(phone) AS e164, array_agg(id ORDER BY id) AS ids
  FROM contacts GROUP BY 1 ORDER BY 1 NULLS LAST;
DROP TABLE contacts;
