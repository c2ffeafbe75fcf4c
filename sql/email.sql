-- normalise layer: e-mail addresses (cdm.email_norm, cdm.email_valid).
-- (pg_regress loads the extension with --load-extension=cdm)

-- The examples: Gmail rules, case, white space, IDN both ways.
SELECT cdm.email_norm('J.Doe+shop@GMail.com') AS gmail,
       cdm.email_norm('j.doe@googlemail.com') AS googlemail,
       cdm.email_norm('J.Doe@Example.com') AS dots_kept,
       cdm.email_norm(E' \t alice@EXAMPLE.org\u00a0') AS trimmed;

SELECT cdm.email_norm('anna@xn--bcher-kva.de') AS from_a_label,
       cdm.email_norm('Anna@BÜCHER.de') AS from_u_label,
       cdm.email_norm('info@xn--e1afmkfd.xn--p1ai') AS cyrillic,
       cdm.email_norm('Иван.Петров@Пример.РФ') AS eai,
       cdm.email_norm('ΟΔΥΣΣΕΥΣ@example.gr') AS final_sigma,
       cdm.email_norm('用户@例子.广告') AS han,
       cdm.email_norm('info@faß.de') AS sharp_s;

-- Plus addressing: dropped where the provider documents it, kept elsewhere.
SELECT e, cdm.email_norm(e)
  FROM (VALUES ('jo.ann+news@outlook.com'), ('jo.ann+news@hotmail.com'),
               ('jo.ann+news@me.com'), ('jo.ann+news@fastmail.com'),
               ('jo.ann+news@proton.me'), ('jo.ann+news@yahoo.com'),
               ('jo.ann-news@yahoo.com'), ('jo.ann+news@example.com'),
               ('+news@gmail.com')) v(e);

-- Not addresses: NULL from email_norm, false from email_valid.
SELECT e, cdm.email_norm(e) AS norm, cdm.email_valid(e) AS valid
  FROM (VALUES (''), ('   '), ('alice'), ('a@b@example.com'), ('@example.com'),
               ('alice@'), ('.alice@example.com'), ('alice.@example.com'),
               ('al..ice@example.com'), ('alice@localhost'), ('alice@example.com.'),
               ('alice@example..com'), ('a b@example.com'), ('"john doe"@example.com'),
               ('user@[192.0.2.1]'), ('user@192.0.2.1'), ('mailto:alice@example.com'),
               ('Alice <alice@example.com>'), ('alice@ex_ample.com'), ('alice@-x.com'),
               ('😀@example.com'), ('alice@i❤.ws'), ('alice@xn--a.com')) v(e);

-- Lengths: local part 64 octets, label 63, whole address 254.
SELECT cdm.email_valid(repeat('l', 64) || '@example.com') AS local_64,
       cdm.email_valid(repeat('l', 65) || '@example.com') AS local_65,
       cdm.email_valid('a@' || repeat('x', 63) || '.com') AS label_63,
       cdm.email_valid('a@' || repeat('x', 64) || '.com') AS label_64,
       cdm.email_valid(repeat('l', 64) || '@' || repeat('x', 63) || '.' || repeat('y', 63)
                       || '.' || repeat('z', 57) || '.com') AS total_254,
       cdm.email_valid(repeat('l', 64) || '@' || repeat('x', 63) || '.' || repeat('y', 63)
                       || '.' || repeat('z', 58) || '.com') AS total_255,
       cdm.email_valid(repeat('a', 100000) || '@example.com') AS input_100k;

-- NULL in, NULL out.
SELECT cdm.email_norm(NULL) IS NULL AS norm_null, cdm.email_valid(NULL) IS NULL AS valid_null;

-- Both are IMMUTABLE STRICT PARALLEL SAFE (no rows expected).
SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname = 'cdm' AND p.proname IN ('email_norm', 'email_valid')
   AND (p.provolatile <> 'i' OR NOT p.proisstrict OR p.proparallel <> 's');

-- Valid addresses, as typed.
SELECT cdm.email_valid('J.Doe+shop@GMail.com') AS gmail,
       cdm.email_valid(' anna@xn--bcher-kva.de ') AS idn,
       cdm.email_valid('用户@例子.广告') AS eai,
       cdm.email_valid('a!#$%&''*+-/=?^_`{|}~z@example.com') AS every_atext;

-- Duplicates collapse under the canonical form (buecher.de is another domain).
CREATE TABLE customers (id int, email text);
INSERT INTO customers VALUES
  (1, 'J.Doe+shop@GMail.com'), (2, 'jdoe@gmail.com'), (3, ' j.doe@googlemail.com '),
  (4, 'Anna@BÜCHER.de'), (5, 'anna@xn--bcher-kva.de'), (6, 'anna@buecher.de'),
  (7, 'bob@example.com'), (8, 'Bob+x@Example.COM'), (9, 'not an address'), (10, NULL);
SELECT cdm.email_norm(email) AS canonical, count(*) AS n, array_agg(id ORDER BY id) AS ids
  FROM customers GROUP BY 1 ORDER BY cdm.email_norm(email) COLLATE "C";
DROP TABLE customers;

-- An expression index on the canonical form: lookups use it, and a unique
-- one refuses a second spelling of a known address.
CREATE TABLE accounts (id int, email text);
CREATE UNIQUE INDEX accounts_email_norm ON accounts (cdm.email_norm(email));
INSERT INTO accounts VALUES (1, 'J.Doe+shop@GMail.com'), (2, 'Anna@BÜCHER.de'), (3, 'bob@example.com');
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT id FROM accounts WHERE cdm.email_norm(email) = cdm.email_norm('JDOE@gmail.com');
SELECT id, email FROM accounts WHERE cdm.email_norm(email) = cdm.email_norm('JDOE@gmail.com');
RESET enable_seqscan;
INSERT INTO accounts VALUES (4, 'j.d.o.e@googlemail.com');
INSERT INTO accounts VALUES (5, 'anna@xn--bcher-kva.de');
DROP TABLE accounts;
