-- normalise layer: nicknames, name parts, name similarity.
-- (pg_regress loads the extension with --load-extension=cdm)

-- nickname_roots: every formal name the (folded, whole) input is a nickname of,
-- plus itself when the data lists it as a formal name.
SELECT n, cdm.nickname_roots(n) AS roots
  FROM (VALUES ('Bob'), ('Robert'), ('Pat'), ('Ron'), ('Liz'), ('  BOBBY!'),
               ('Zebulon'), ('K.C.'), ('Mary Ann'), ('Bob Smith'), ('Дмитрий'),
               ('王'), ('Ｂｏｂ'), ('B̈ob'), ('😀'), (''), ('--')) v(n);
SELECT cdm.nickname_roots(NULL) IS NULL AS null_in_null_out;

-- nickname_root: one key per name (the rule is in the function's comment).
SELECT n, cdm.nickname_root(n) AS root
  FROM (VALUES ('Bob'), ('Ron'), ('Robert'), ('Bobby'), ('Peggy'), ('Bill'),
               ('Will'), ('Liz'), ('Pat'), ('Peter'), ('Andrew'), ('Zebulon'),
               ('Mary Ann'), ('Bob Smith'), ('ΜΑΡΙΑ'), ('😀'), ('')) v(n);
SELECT cdm.nickname_root(NULL) IS NULL AS null_in_null_out;

-- Roots as a join key: overlapping roots.
SELECT a, b, cdm.nickname_roots(a) && cdm.nickname_roots(b) AS may_be_same
  FROM (VALUES ('Bob', 'Robert'), ('Peggy', 'Margaret'), ('Liz', 'Beth'),
               ('John', 'Jane')) v(a, b);

-- The table itself.
SELECT count(*) AS pairs, count(DISTINCT name) AS names,
       count(DISTINCT nickname) AS nicknames
  FROM cdm.nickname_pairs();
SELECT * FROM cdm.nickname_pairs() WHERE nickname IN ('bob', 'k c') ORDER BY 1, 2;

-- name_parts: the issue's examples.
SELECT (cdm.name_parts('Dr. John Q. Smith Jr.')).*;
SELECT n, p.*
  FROM (VALUES ('John Smith'), ('Smith, John'), ('Smith, John, Jr.'),
               ('Smith Jr, John'), ('John Smith, Jr.'), ('Mrs. Jane Doe, Ph.D.'),
               ('Prof. Dr. Hans Müller'), ('Ludwig van Beethoven'),
               ('Maria de la Cruz'), ('Van Morrison'), ('García-López, José'),
               ('John Paul George Ringo Starr'), ('Madonna'), ('Dr. Who'),
               ('John V'), ('Smith, John V'), ('John Paul V'), ('Smith Jr'),
               ('Dr.'), ('Mr & Mrs John Smith')) v(n),
       cdm.name_parts(n) p;

-- name_parts in other scripts and forms.
SELECT n, p.*
  FROM (VALUES ('Иванов, Дмитрий'), ('Γιώργος Παπαδόπουλος'), ('王小明'),
               ('王 小明'), ('محمد بن سلمان'), ('Ｓｍｉｔｈ，Ｊｏｈｎ'),
               ('Ｊｏｈｎ　Ｓｍｉｔｈ'), (E'Jose\u0301 Mun\u0303oz'),
               ('John 😀 Smith')) v(n),
       cdm.name_parts(n) p;

-- Nothing left: a row of NULLs (not a NULL row); NULL in, NULL out.
SELECT n, p.*, p IS NULL AS all_null
  FROM (VALUES (''), ('   '), ('😀'), (' , ; - ')) v(n), cdm.name_parts(n) p;
SELECT cdm.name_parts(NULL) IS NULL AS null_in_null_out;

-- name_similarity: the issue's requirements.
SELECT a, b, round(cdm.name_similarity(a, b)::numeric, 4) AS sim
  FROM (VALUES ('Bob Smith', 'Smith, Robert'),
               ('John Smith', 'Jane Smith'),
               ('John Smith Jr', 'John Smith Sr'),
               ('José Muñoz', 'JOSE MUNOZ'),
               ('Дмитрий Иванов', 'Dmitry Ivanov'),
               ('J. Smith', 'John Smith'),
               ('John Smith', 'Smith John'),
               ('Jon Smyth', 'John Smith'),
               ('Katherine Zeta', 'Robert Brown')) v(a, b);

-- More: titles, suffixes, middle names, particles, scripts.
SELECT a, b, round(cdm.name_similarity(a, b)::numeric, 4) AS sim
  FROM (VALUES ('Dr. John Smith', 'John Smith'),
               ('John Smith Jr.', 'John Smith'),
               ('John Smith II', 'John Smith III'),
               ('Bill Gates', 'William Gates'),
               ('Robert Jones', 'William Jones'),
               ('John Q. Smith', 'John Smith'),
               ('John Paul Smith', 'John Peter Smith'),
               ('John Smith', 'John'),
               ('Ludwig van Beethoven', 'Ludwig Beethoven'),
               ('Иванов, Дмитрий', 'Dmitriy Ivanov'),
               ('Γιώργος Παπαδόπουλος', 'Giorgos Papadopoulos'),
               ('王小明', 'Wang Xiao Ming'),
               ('Ｊｏｈｎ Ｓｍｉｔｈ', 'john smith'),
               ('Catherine Johnson', 'Kathryn Jonson')) v(a, b);

-- Symmetric; empty names score 0, even against themselves; NULL in, NULL out.
SELECT cdm.name_similarity('Smith, Robert', 'Bob Smith') = cdm.name_similarity('Bob Smith', 'Smith, Robert') AS symmetric,
       cdm.name_similarity('', 'John Smith') AS empty_vs_name,
       cdm.name_similarity('', '') AS empty_vs_empty,
       cdm.name_similarity('😀', '😀') AS no_words,
       cdm.name_similarity(NULL, 'John') IS NULL AS null_in_null_out;

-- Long input: only the first 16 words of each name count; no error.
SELECT cdm.name_similarity(repeat('anna bob ', 5000), repeat('anna bob ', 5000)) AS long_same,
       (cdm.name_parts(repeat('x ', 10000))).middle IS NOT NULL AS long_parts;
