-- ---------------------------------------------------------------------------
-- Personal-name similarity: order-, nickname-, initial- and script-aware.
-- ---------------------------------------------------------------------------

CREATE FUNCTION cdm.name_similarity(a text, b text) RETURNS float8
AS 'MODULE_PATHNAME', 'cdm_name_similarity_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.name_similarity(text, text) IS
'How alike two personal names are, 0..1, symmetric. Both are parsed as cdm.name_parts (titles ignored); the folded words of given, middle and family names are matched one to one in any order: same word 1, nicknames of each other at least 0.95 (Bob ~ Robert), an initial 0.7 (J ~ John), otherwise Jaro-Winkler (+0.05 when the Double Metaphone codes agree), values under 0.85 sharply reduced. Weighted average over matched words, unmatched words counting against (a middle name or particle only one side has, only a little); jr vs sr or ii vs iii multiplies by 0.6. name_similarity(''Bob Smith'', ''Smith, Robert'') = 0.975, (''John Smith'', ''Jane Smith'') = 0.66, (''John Smith Jr'', ''John Smith Sr'') = 0.6. A name with no words scores 0, also against itself (''''). At most 16 words of each name count.';
