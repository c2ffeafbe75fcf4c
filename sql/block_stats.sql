-- cdm.block_stats / cdm.block_largest: candidates per record of a blocking key.
-- Written against the cdm.key contract (cdm.name_key, %, cdm.key_threshold,
-- cdm.gist_key_ops); the expected output was generated after the key type
-- landed and reviewed line by line.
SET client_min_messages = warning;
CREATE TABLE bs_people (id int PRIMARY KEY, name text, k cdm.key, note text);
INSERT INTO bs_people (id, name) VALUES
  (1, 'Robert Smith'), (2, 'Bob Smith'), (3, 'Smith, Robert'), (4, 'Robert Smyth'),
  (5, 'Дмитрий Иванов'), (6, 'Dmitry Ivanov'), (7, 'Dmitrii Ivanov'),
  (8, 'José García'), (9, 'Jose Garcia'),
  (10, 'Kierkegaard'), (11, NULL), (12, '');
UPDATE bs_people SET k = cdm.name_key(name);
CREATE INDEX ON bs_people USING gist (k);

-- The threshold in force is reported; a NULL key is never a candidate.
SELECT current_setting('cdm.key_threshold') AS guc_default \gset
SELECT :'guc_default' AS guc_default;
SELECT records, null_keys, candidate_pairs, mean_per_record, p50, p95, p99, max_per_record,
       singletons, key_threshold
  FROM cdm.block_stats('bs_people', 'k');

-- candidate_pairs must equal a plain self-join with %.
SELECT count(*) AS self_join_pairs
  FROM bs_people a JOIN bs_people b ON a.id < b.id AND a.k OPERATOR(cdm.%) b.k;

-- Threshold 0: only identical keys; 1: everything with a key.
SELECT records, candidate_pairs, max_per_record, key_threshold
  FROM cdm.block_stats('bs_people', 'k', 0);
SELECT records, candidate_pairs, max_per_record, key_threshold
  FROM cdm.block_stats('bs_people', 'k', 1);
-- ... and the override does not outlive the call.
SELECT current_setting('cdm.key_threshold') = :'guc_default' AS unchanged;
BEGIN;
SELECT key_threshold FROM cdm.block_stats('bs_people', 'k', 0.25);
SELECT current_setting('cdm.key_threshold') AS after_call_in_transaction;
COMMIT;

-- The records with the most candidates, without their key.
SELECT candidates, record->>'id' AS id, record->>'name' AS name, record ? 'k' AS has_key
  FROM cdm.block_largest('bs_people', 'k', 3);
SELECT count(*) AS none FROM cdm.block_largest('bs_people', 'k', 0);

-- The index can serve the per-record probe (on 12 rows the planner would
-- rather scan; bench/block.sql shows the plan on 40,000).
SET enable_seqscan = off;
EXPLAIN (COSTS OFF)
SELECT (SELECT count(*) FROM bs_people b WHERE b.k OPERATOR(cdm.%) a.k) FROM bs_people a;
RESET enable_seqscan;

-- A view over an expression index works the same.
CREATE TABLE bs_plain (id int, name text);
INSERT INTO bs_plain SELECT id, name FROM bs_people;
CREATE INDEX ON bs_plain USING gist (cdm.name_key(name));
CREATE VIEW bs_plain_k AS SELECT id, name, cdm.name_key(name) AS k FROM bs_plain;
SELECT records, null_keys, candidate_pairs, max_per_record FROM cdm.block_stats('bs_plain_k', 'k');

-- Empty table.
CREATE TABLE bs_empty (k cdm.key);
SELECT * FROM cdm.block_stats('bs_empty', 'k');

-- Errors.
SELECT * FROM cdm.block_stats('bs_people', 'nosuch');
SELECT * FROM cdm.block_stats('bs_people', 'name');
SELECT * FROM cdm.block_stats('bs_people', 'k', 1.5);
SELECT * FROM cdm.block_stats('bs_people', 'k', -0.1);
SELECT * FROM cdm.block_stats('no_such_table', 'k');
SELECT * FROM cdm.block_largest('bs_people', 'k', -1);
SELECT count(*) AS no_rows FROM cdm.block_stats(NULL, 'k');
SELECT count(*) AS no_rows FROM cdm.block_largest('bs_people', NULL);

DROP VIEW bs_plain_k;
DROP TABLE bs_people, bs_plain, bs_empty;
