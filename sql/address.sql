-- cdm.address_norm: USPS Publication 28 abbreviations in a folded address line.
-- (pg_regress loads the extension with --load-extension=cdm)

-- The issue's example and its spellings all meet.
SELECT cdm.address_norm('123 North Main Street Apartment 4') AS spelled_out,
       cdm.address_norm('123 N. Main St., Apt. #4') AS abbreviated,
       cdm.address_norm('123 north main st apt 4') AS lower_case;

-- Each table: a C1 suffix variant, a C2 designator, a directional.
SELECT x, cdm.address_norm(x) AS norm
FROM (VALUES ('100 Elm Avenu'), ('9 Oak Boulv'), ('5 Rose Crssng'), ('7 Bay Wy'),
             ('1 Elm St Suite 200'), ('1 Elm St Building 3 Room 101'),
             ('1 Elm St Penthouse'), ('1600 Pennsylvania Avenue Northwest'),
             ('123 South-East Main St')) v(x);

-- Names that look like suffixes or directionals keep them (Pub 28 233.3, 234.2).
SELECT x, cdm.address_norm(x) AS norm
FROM (VALUES ('123 North St'), ('123 North Park Ave'), ('100 Park Avenue'),
             ('12 Court Street'), ('5 Street Road'), ('123 Avenue of the Americas'),
             ('100 Avenue A'), ('123 St Johns Road'), ('12 Front Street'),
             ('123 Main Street Anytown KY 40202')) v(x);

-- Units, PO boxes, house numbers, ordinals.
SELECT x, cdm.address_norm(x) AS norm
FROM (VALUES ('Apt 4'), ('Apartment 4B'), ('Suite 200'), ('Ste. 200'), ('#4'),
             ('Fl 3'), ('Floor 3'), ('123 Main St 3rd Floor'), ('P.O. Box 12'),
             ('Post Office Box 12'), ('123-125 Main Street'), ('123 1/2 Main Street'),
             ('123 First Street'), ('7 wallaby place')) v(x);

-- Other scripts are folded; empty when nothing is left; NULL in, NULL out.
SELECT cdm.address_norm('Hauptstraße 5') AS german,
       cdm.address_norm('ул. Ленина, д. 5') AS cyrillic,
       cdm.address_norm('Οδός Αθηνάς 12') AS greek,
       cdm.address_norm('１２３ Ｍａｉｎ Ｓｔｒｅｅｔ') AS full_width,
       cdm.address_norm('123 Main St 🏠') AS emoji;
SELECT cdm.address_norm('') AS empty, cdm.address_norm(' #!* ') AS punctuation,
       cdm.address_norm(NULL) IS NULL AS null_is_null;

-- Long input: no limit.
SELECT length(cdm.address_norm(repeat('Main Street ', 10000))) AS long_len,
       left(cdm.address_norm(repeat('Main Street ', 10000)), 24) AS long_start;

-- Several spellings collapse to one group.
CREATE TEMP TABLE customer_address (id int, address text);
INSERT INTO customer_address VALUES
  (1, '123 North Main Street Apartment 4'), (2, '123 N. Main St., Apt. #4'),
  (3, '123 NORTH MAIN ST APT 4'), (4, '123 n main street, apartment 4'),
  (5, '100 Park Avenue'), (6, '100 PARK AVE.'), (7, '100 park av'),
  (8, 'P.O. Box 12'), (9, 'PO BOX 12');
SELECT cdm.address_norm(address) AS norm, count(*) AS n, array_agg(id ORDER BY id) AS ids
FROM customer_address GROUP BY 1 ORDER BY 1;

-- An expression index serves lookups by the normalised form.
CREATE INDEX customer_address_norm ON customer_address (cdm.address_norm(address));
SET enable_seqscan = off;
EXPLAIN (COSTS OFF)
SELECT id FROM customer_address WHERE cdm.address_norm(address) = cdm.address_norm('123 N Main St Apt 4');
SELECT id FROM customer_address WHERE cdm.address_norm(address) = cdm.address_norm('123 N Main St Apt 4') ORDER BY id;
RESET enable_seqscan;
