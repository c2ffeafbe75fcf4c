-- ---------------------------------------------------------------------------
-- Nicknames: given-name relations from carltonnorthern/nicknames (Apache-2.0,
-- data/nicknames/), compiled into the module.  Arguments are folded
-- (cdm.fold) and looked up whole.
-- ---------------------------------------------------------------------------

CREATE FUNCTION cdm.nickname_roots(name text) RETURNS text[]
AS 'MODULE_PATHNAME', 'cdm_nickname_roots_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.nickname_roots(text) IS
'The formal names the folded name is a nickname of, plus the name itself when the data lists it as a formal name, sorted: nickname_roots(''Bob'') = {bert,bob,bobby,robert}, nickname_roots(''Liz'') = {elizabeth,lisa,lizzie}. A name in no relation gives {its folded self} (nickname_roots(''Zebulon'') = {zebulon}); NULL when nothing is left after folding. Multi-word input is one key (''Mary Ann'' -> ''mary ann''). Two names may be the same person when their roots overlap: nickname_roots(a) && nickname_roots(b).';

CREATE FUNCTION cdm.nickname_root(name text) RETURNS text
AS 'MODULE_PATHNAME', 'cdm_nickname_root_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.nickname_root(text) IS
'One formal name for a (nick)name, for grouping: Bob -> robert, Ron -> ronald, Robert -> robert, Liz -> elizabeth, Bill -> william. First, cdm''s own choice for 35 common nicknames the data relates to several names (bill -> william, chris -> christopher, peggy -> margaret, tony -> anthony, maria stays maria; each one of the data''s roots). Otherwise, among the candidates (the name itself when it is a formal name, and every formal name it is a nickname of) the highest score wins: 2 x its number of nicknames (at most 10) + 3 x the length of the prefix it shares with the name + 8 if the two are listed as nicknames of each other + 6 for the name itself when it has 4 or more letters; ties go to the first in byte order; the choice is then followed while it moves (tommy -> tom -> thomas), so nickname_root(nickname_root(x)) = nickname_root(x). A name in no relation gives itself folded (Zebulon -> zebulon); NULL when nothing is left after folding; multi-word input is one key.';

CREATE FUNCTION cdm.nickname_pairs() RETURNS TABLE (name text, nickname text)
AS 'MODULE_PATHNAME', 'cdm_nickname_pairs_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 2691;
COMMENT ON FUNCTION cdm.nickname_pairs() IS
'The nickname table the nickname functions use: one row per (formal name, nickname), folded (k.c. is stored as ''k c''), in byte order. 2,691 rows from carltonnorthern/nicknames (Apache License 2.0).';
