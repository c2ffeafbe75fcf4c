-- bench/lib/name_sources.sql: the noisy-record generators' raw material.
-- FEBRL dataset3 into :febrl_table (bench/lib/febrl.sql; callers trim the
-- fields they use), the nickname pairs (data/nicknames/names.csv) into the
-- temporary table :nick_table and the transliterated names
-- (bench/data/translit_names.csv) into :translit_table.  File paths come
-- from febrl_csv, nick_csv and translit_csv, with these defaults.
-- Included by bench/gen_customers.sql and bench/gen_dedupe.sql with \ir.
\if :{?febrl_csv}
\else
\set febrl_csv test/data/febrl/dataset3.csv
\endif
\if :{?nick_csv}
\else
\set nick_csv data/nicknames/names.csv
\endif
\if :{?translit_csv}
\else
\set translit_csv bench/data/translit_names.csv
\endif
\ir febrl.sql

CREATE TEMP TABLE :nick_table (name1 text, relationship text, name2 text);
\set copy_nick '\\copy ' :nick_table ' FROM ' :'nick_csv' ' WITH (FORMAT csv, HEADER true)'
:copy_nick

CREATE TEMP TABLE :translit_table (origin text, kind text, gender text, native text, latin text);
\set copy_tr '\\copy ' :translit_table ' FROM ' :'translit_csv' ' WITH (FORMAT csv, HEADER true)'
:copy_tr
