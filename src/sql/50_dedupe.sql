-- ---------------------------------------------------------------------------
-- Score, cluster, dedupe: a Fellegi-Sunter match model over per-role
-- comparison levels, trained by EM, stored and reused; clustering that does
-- not chain; one call from a customer table to clusters of the same person.
-- ---------------------------------------------------------------------------

CREATE TABLE cdm.match_model (
  name            text PRIMARY KEY,
  model           text NOT NULL,
  trained_on      text NOT NULL,
  trained_at      timestamptz NOT NULL DEFAULT now(),
  records         bigint NOT NULL,
  candidate_pairs bigint NOT NULL,
  random_pairs    bigint NOT NULL,
  em_iterations   integer NOT NULL,
  lambda          float8 NOT NULL,
  trained_by      name NOT NULL DEFAULT current_user
);
-- Everyone reads every model; each role writes only its own (row-level
-- security), so one analyst cannot retrain another's model under them.
ALTER TABLE cdm.match_model ENABLE ROW LEVEL SECURITY;
CREATE POLICY match_model_read ON cdm.match_model FOR SELECT USING (true);
CREATE POLICY match_model_own ON cdm.match_model FOR ALL
  USING (trained_by = current_user) WITH CHECK (trained_by = current_user);
GRANT SELECT, INSERT, UPDATE, DELETE ON cdm.match_model TO PUBLIC;
COMMENT ON POLICY match_model_read ON cdm.match_model IS 'Every role may read and reuse every model.';
COMMENT ON POLICY match_model_own ON cdm.match_model IS 'A role inserts, replaces and deletes only the models it trained (trained_by = current_user).';
COMMENT ON TABLE cdm.match_model IS
'Trained match models by name. cdm.dedupe(source) trains one and stores it under the source''s qualified name; cdm.train_model(source, name) stores one under any name; cdm.dedupe(source, threshold, model) and cdm.explain_match reuse them, on the table they were trained on or another. model is the text form: per role, the m and u probabilities of each comparison level, and the prior lambda.';
COMMENT ON COLUMN cdm.match_model.model IS
'The model''s text form ("cdm_fs 1", lambda, tf_floor, then per role: levels, term-frequency levels, m and u of each level 1..), exact to the last bit.';
COMMENT ON COLUMN cdm.match_model.trained_on IS 'The relation the model was trained on.';
COMMENT ON COLUMN cdm.match_model.records IS 'Records read for training.';
COMMENT ON COLUMN cdm.match_model.candidate_pairs IS 'Candidate pairs EM ran over.';
COMMENT ON COLUMN cdm.match_model.random_pairs IS 'Random pairs u was estimated from (every pair of a small table).';
COMMENT ON COLUMN cdm.match_model.em_iterations IS 'EM iterations of the two training sessions together (each until the largest change of m or lambda falls below 1e-6, at most 100); 0 when the table was too small to train on (under 100 records or 100 candidate pairs) and cdm''s starting model was stored instead.';
COMMENT ON COLUMN cdm.match_model.lambda IS 'Prior probability that a candidate pair is a match, as EM estimated it.';
COMMENT ON COLUMN cdm.match_model.name IS 'The model''s name.';
COMMENT ON COLUMN cdm.match_model.trained_at IS 'When it was trained.';
COMMENT ON COLUMN cdm.match_model.trained_by IS 'The role that trained it: only that role may replace or delete it.';
SELECT pg_catalog.pg_extension_config_dump('cdm.match_model', '');

CREATE FUNCTION cdm.dedupe(source regclass, threshold float8 DEFAULT 0.9)
RETURNS TABLE (id text, cluster_id text, match_probability float8)
AS 'MODULE_PATHNAME', 'cdm_dedupe'
LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE;
COMMENT ON FUNCTION cdm.dedupe(regclass, float8) IS
'Which records of source are the same person. source is any table or view with cdm''s role columns: id (required, any type, unique), given_name, family_name, full_name (used when both given_name and family_name are NULL), dob (date), email, phone, address, city, postcode, country, organisation_name, domain, national_id (text); other columns are ignored, missing roles skipped. domain is an organisation''s web domain as a website or e-mail is written (https://www.acme.example/contact and sales@acme.example are both acme.example). organisation_name makes a record an organisation''s when it has no personal name (compared without legal forms, cdm.org_name_norm, word by word): organisations are matched per site (two at clearly different addresses stay apart unless their national_id, a tax number, is equal) and never linked with a person. national_id (social security, passport, tax number; compared without spaces and punctuation) is not scored: records with equal ids become candidates, and two different ids never share a cluster. Reads and normalises every record, finds candidate pairs with blocking rules, compares them per role, trains a Fellegi-Sunter model (u from random pairs, m by EM; stored in cdm.match_model under the source''s name), scores with term-frequency adjustment and clusters the links with probability >= threshold without chaining (two records whose dates of birth are 15 years or more apart and not a typing slip of each other, or whose national ids differ, never share a cluster). Returns one row per record: cluster_id is the smallest id of its cluster (deterministic), match_probability the strongest link of the record inside its cluster, NULL for a record alone. Progress is reported as NOTICEs.';

CREATE FUNCTION cdm.dedupe(source regclass, threshold float8, model text)
RETURNS TABLE (id text, cluster_id text, match_probability float8)
AS 'MODULE_PATHNAME', 'cdm_dedupe'
LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE;
COMMENT ON FUNCTION cdm.dedupe(regclass, float8, text) IS
'cdm.dedupe with a stored model instead of training one: the model named model in cdm.match_model (trained on this table or another). ERROR 42704 when there is no such model.';

CREATE FUNCTION cdm.train_model(source regclass, name text DEFAULT NULL)
RETURNS text
AS 'MODULE_PATHNAME', 'cdm_train_model'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION cdm.train_model(regclass, text) IS
'Train a match model on source (as cdm.dedupe does: u from random pairs, m and lambda by EM over the candidate pairs) and store it in cdm.match_model under name, or under the source''s qualified name when name is NULL. Returns the name. Replaces a model of the same name.';

CREATE FUNCTION cdm.explain_match(source regclass, id1 text, id2 text, model text DEFAULT NULL)
RETURNS TABLE (field text, value1 text, value2 text, level text, weight float8)
AS 'MODULE_PATHNAME', 'cdm_explain_match'
LANGUAGE C STABLE PARALLEL UNSAFE;
COMMENT ON FUNCTION cdm.explain_match(regclass, text, text, text) IS
'Why two records of source match or not: a row for the prior, one per role with the two normalised values, the comparison level they reach and its weight in bits (log2 of m/u, with the term-frequency adjustment for names: agreeing on a common name weighs less), and a total row whose level gives the match probability. Uses the model named model, or the one stored for source by cdm.dedupe / cdm.train_model.';

CREATE FUNCTION cdm.match_pairs(source regclass, min_probability float8 DEFAULT 0, model text DEFAULT NULL)
RETURNS TABLE (id1 text, id2 text, match_probability float8, match_weight float8)
AS 'MODULE_PATHNAME', 'cdm_match_pairs'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION cdm.match_pairs(regclass, float8, text) IS
'The scored candidate pairs of source, as cdm.dedupe sees them before clustering: id1 < id2 (C collation), the match probability and the match weight in bits (log2 of the Bayes factor, prior included). Pairs below min_probability are left out. Uses the model named model, or trains one and stores it under the source''s name. For review queues, threshold choice and checking what blocking finds.';

CREATE FUNCTION cdm.match_probability(a jsonb, b jsonb, model text DEFAULT NULL)
RETURNS float8
AS 'MODULE_PATHNAME', 'cdm_match_probability'
LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION cdm.match_probability(jsonb, jsonb, text) IS
'Probability that two records are the same person, each given as a JSON object with cdm''s role names as keys (given_name, family_name, full_name, dob as a date string, email, phone, address, city, postcode, country, organisation_name, domain, national_id; other keys ignored), scored with the stored model named model (cdm.match_model), or with cdm''s untrained starting model when model is NULL. No term-frequency adjustment (there is no table to count names in). Two different national_id values give 0; so do an organisation and a person (a record with organisation_name and no personal name against one with a personal name), and two organisations at clearly different addresses without one national_id (two sites). STABLE: reads cdm.match_model once per query. Not a JSON object: 22023; a dob that is not a date: 22007.';

CREATE FUNCTION cdm.blocking_keys(attrs jsonb)
RETURNS bigint[]
AS 'MODULE_PATHNAME', 'cdm_blocking_keys'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cdm.blocking_keys(jsonb) IS
'The blocking values cdm.dedupe gives a record (a JSON object by role name): 64-bit hashes of a rule and its value (family name''s Double Metaphone + given initial, dob + given code, e-mail, last 9 phone digits, postcode + family code, ...). Two records are candidates when they share one. For stores and indexes that find candidates by exact lookups (a btree or GIN on these values). IMMUTABLE like cdm.fold: values change with the tokenizer or a major ICU upgrade.';
