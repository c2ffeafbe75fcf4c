-- Least privilege: the roles cdm_reader, cdm_steward and cdm_admin; the
-- store written only through cdm's functions and logged as the calling
-- role; a hostile search_path changes nothing; cdm.dedupe runs as its
-- caller and sees only the rows row-level security lets it see.
SET client_min_messages = warning;
\pset null '(null)'

CREATE FUNCTION pg_temp.try(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE q;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
GRANT EXECUTE ON FUNCTION pg_temp.try(text) TO PUBLIC;

-- 1. The roles and how they nest
SELECT r.rolname, r.rolcanlogin,
       pg_has_role(r.rolname, 'cdm_reader', 'MEMBER') AS reader,
       pg_has_role(r.rolname, 'cdm_steward', 'MEMBER') AS steward,
       pg_has_role(r.rolname, 'cdm_admin', 'MEMBER') AS admin
  FROM pg_roles r WHERE r.rolname LIKE 'cdm\_%' ORDER BY r.rolname;

-- every SECURITY DEFINER function sets its own search_path
SELECT p.oid::regprocedure AS definer, p.proconfig
  FROM pg_proc p WHERE p.pronamespace = 'cdm'::regnamespace AND p.prosecdef ORDER BY p.oid::regprocedure::text COLLATE "C";
-- what PUBLIC may still run that is not read-only: the dedupe layer, which
-- runs as its caller (its model table has row-level security), and the
-- block diagnostics, which set cdm.key_threshold for the transaction
SELECT p.oid::regprocedure AS public_volatile
  FROM pg_proc p
 WHERE p.pronamespace = 'cdm'::regnamespace AND p.provolatile = 'v' AND p.prokind = 'f'
   AND has_function_privilege('public', p.oid, 'EXECUTE')
 ORDER BY p.oid::regprocedure::text COLLATE "C";

CREATE ROLE sec_nobody NOLOGIN;
CREATE ROLE sec_reader NOLOGIN IN ROLE cdm_reader;
CREATE ROLE sec_steward NOLOGIN IN ROLE cdm_steward;
CREATE ROLE sec_admin NOLOGIN IN ROLE cdm_admin;

-- 2. No cdm role: the pure functions, nothing of the store
SET ROLE sec_nobody;
SELECT cdm.fold('José') AS fold, cdm.levenshtein('kitten', 'sitting') AS lev;
SELECT pg_temp.try($$SELECT cdm.ingest('sec', 'N1', '{"given_name": "No", "family_name": "Body"}')$$);
SELECT pg_temp.try($$SELECT count(*) FROM cdm.record$$);
SELECT pg_temp.try($$SELECT cdm.active_count('anything')$$);
SELECT pg_temp.try($$SELECT * FROM cdm.golden$$);
SELECT pg_temp.try($$SELECT cdm._store_merge(1, 2, 'sneaky', true)$$);
SELECT pg_temp.try($$SELECT cdm._log('merge', 1, 2, NULL, NULL, NULL, 'forged')$$);
RESET ROLE;

-- 3. A steward feeds the store; every change is logged as the steward; the
--    tables themselves stay closed
SET ROLE sec_steward;
SELECT cdm.ingest('sec', 'S1', '{"given_name": "Sara", "family_name": "Lindqvist", "email": "sara@sec.example"}') AS sara \gset
SELECT cdm.ingest('sec', 'S2', '{"given_name": "Sam", "family_name": "Ortega", "email": "sam@sec.example"}') AS sam \gset
SELECT cdm.record_milestone(:sara, 'onboarding_completed', '2025-01-05', 'crm') IS NOT NULL AS milestone_ok;
SELECT cdm.merge(:sara, :sam, 'steward test') = :sara AS merged;
SELECT cdm.unmerge('sec', 'S2', 'steward test undone') = :sam AS unmerged;
SELECT pg_temp.try($$INSERT INTO cdm.event (event, entity, reason) VALUES ('merge', 1, 'forged')$$);
SELECT pg_temp.try($$UPDATE cdm.record SET entity = 1$$);
SELECT pg_temp.try($$DELETE FROM cdm.milestone$$);
SELECT pg_temp.try($$SELECT cdm.define_active('sec_def', '{"all": ["onboarding_completed"]}')$$);
SELECT pg_temp.try($$UPDATE cdm.store_setting SET value = '0.1'$$);
-- a steward reads too (cdm_reader is part of cdm_steward)
SELECT count(*) AS sara_records FROM cdm.record WHERE source = 'sec';
CREATE TEMP TABLE steward_feed AS
  SELECT :sam::bigint AS entity, 'login'::text AS milestone, timestamptz '2025-02-01' AS at, 'web'::text AS source;
SELECT cdm.load_milestones('steward_feed') AS loaded;
RESET ROLE;
SELECT event, who FROM cdm.event e JOIN cdm.record r ON r.id = e.record OR e.entity IN (:sara, :sam)
 WHERE r.source = 'sec' GROUP BY event, who ORDER BY event, who;
SELECT DISTINCT recorded_by FROM cdm.milestone WHERE entity IN (:sara, :sam);
SELECT DISTINCT ingested_by FROM cdm.record_version v JOIN cdm.record r ON r.id = v.record WHERE r.source = 'sec';

-- 4. An admin writes the rules; a reader reads, counts and explains, and
--    writes nothing
SET ROLE sec_admin;
SELECT cdm.define_active('sec_def', '{"all": ["onboarding_completed"]}') AS version;
SELECT defined_by FROM cdm.active_definition WHERE name = 'sec_def';
SELECT pg_temp.try($$INSERT INTO cdm.store_setting VALUES ('candidates', '25')$$) AS admin_setting;
SELECT pg_temp.try($$DELETE FROM cdm.store_setting WHERE name = 'candidates'$$) AS admin_setting_back;
RESET ROLE;
SET ROLE sec_reader;
SELECT cdm.is_active(:sara, 'sec_def', '2025-03-01') AS sara_active, cdm.active_count('sec_def', '2025-03-01') >= 1 AS counted;
SELECT cdm.stage(cdm.stage_at(:sara, '2025-03-01')) AS sara_stage;
SELECT count(*) >= 1 AS golden_rows FROM cdm.golden WHERE entity = :sara;
SELECT count(*) = 24 AS monthly_rows FROM cdm.active_monthly WHERE definition = 'sec_def';
SELECT pg_temp.try($$SELECT cdm.ingest('sec', 'R1', '{"given_name": "Rita"}')$$);
SELECT pg_temp.try($$SELECT cdm.record_milestone(1, 'login', now(), 'web')$$);
SELECT pg_temp.try($$SELECT cdm.decide(1, 2, 'match', 'reader')$$);
RESET ROLE;

-- 5. An admin registers a table it may put a trigger on, and no other
CREATE TABLE sec_admin_shop (no text PRIMARY KEY, mail text);
ALTER TABLE sec_admin_shop OWNER TO sec_admin;
CREATE TABLE sec_foreign_shop (no text PRIMARY KEY, mail text);
INSERT INTO sec_foreign_shop VALUES ('F1', 'f1@sec.example');
SET ROLE sec_admin;
SELECT cdm.register_source('sec_shop', 'sec_admin_shop', 'no', '{"email": "mail"}') AS registered;
INSERT INTO sec_admin_shop VALUES ('A1', 'a1@sec.example');
SELECT pg_temp.try($$SELECT cdm.register_source('sec_foreign', 'sec_foreign_shop', 'no', '{"email": "mail"}')$$);
RESET ROLE;
-- the trigger feeds the store whoever writes to the table
GRANT INSERT ON sec_admin_shop TO sec_nobody;
SET ROLE sec_nobody;
INSERT INTO sec_admin_shop VALUES ('A2', 'a2@sec.example');
RESET ROLE;
SELECT source_key, attrs FROM cdm.record WHERE source = 'sec_shop' ORDER BY source_key;
SELECT count(*) AS foreign_registered FROM cdm.source WHERE name = 'sec_foreign';

-- 6. A hostile search_path: an operator and functions that shadow the
--    built-ins change no result of cdm's
CREATE SCHEMA evil;
CREATE FUNCTION evil.texteq_always(text, text) RETURNS boolean LANGUAGE sql AS 'SELECT true';
CREATE OPERATOR evil.= (LEFTARG = text, RIGHTARG = text, FUNCTION = evil.texteq_always);
CREATE FUNCTION evil.lower(text) RETURNS text LANGUAGE sql AS $$SELECT 'pwned'$$;
CREATE FUNCTION evil.now() RETURNS timestamptz LANGUAGE sql AS $$SELECT timestamptz '1970-01-01'$$;
CREATE FUNCTION evil.jsonb_strip_nulls(jsonb) RETURNS jsonb LANGUAGE sql AS $$SELECT '{"pwned": true}'::jsonb$$;
CREATE TABLE sec_people (id text, given_name text, family_name text, dob date, email text);
INSERT INTO sec_people VALUES
  ('1', 'Anna', 'Novak', '1985-04-12', 'anna@x.example'), ('2', 'Ana', 'Novak', '1985-04-12', 'anna@x.example'),
  ('3', 'Peter', 'Lopez', '1970-01-02', 'pl@x.example'), ('4', 'Petra', 'Kovac', '1990-03-03', 'pk@x.example');
CREATE TEMP TABLE clean_run AS
SELECT cdm.entity_of('sec', 'S1') AS entity_of, cdm.record_id('sec', 'S1') AS record_id,
       cdm.is_active(:sara, 'sec_def', '2025-03-01') AS is_active,
       (SELECT array_agg(cluster_id ORDER BY id) FROM cdm.dedupe('sec_people')) AS clusters,
       cdm.ingest('sec', 'H1', '{"given_name": "Hugo", "family_name": "Brandt", "email": "hugo@sec.example"}') AS ingest;
SET search_path = evil, pg_catalog, public;
SELECT cdm.entity_of('sec', 'S1') = c.entity_of AS entity_of_same,
       cdm.record_id('sec', 'S1') = c.record_id AS record_id_same,
       cdm.is_active(:sara, 'sec_def', '2025-03-01') = c.is_active AS is_active_same,
       (SELECT array_agg(cluster_id ORDER BY id) FROM cdm.dedupe('public.sec_people')) = c.clusters AS dedupe_same,
       cdm.ingest('sec', 'H1', '{"given_name": "Hugo", "family_name": "Brandt", "email": "hugo@sec.example"}') = c.ingest AS ingest_same,
       cdm.entity_of('sec', 'nonexistent') IS NULL AS no_false_match
  FROM clean_run c;
RESET search_path;
SELECT count(*) AS versions_of_h1 FROM cdm.record_version v JOIN cdm.record r ON r.id = v.record
 WHERE r.source = 'sec' AND r.source_key = 'H1';

-- 7. cdm.dedupe runs as its caller: row-level security on the source applies
ALTER TABLE sec_people ENABLE ROW LEVEL SECURITY;
CREATE POLICY sec_people_novak ON sec_people FOR SELECT USING (family_name = 'Novak');
GRANT SELECT ON sec_people TO sec_reader;
DELETE FROM cdm.match_model WHERE name = 'public.sec_people';   -- the owner's, from section 6
SET ROLE sec_reader;
SELECT id, cluster_id FROM cdm.dedupe('sec_people') ORDER BY id;
RESET ROLE;
SELECT count(*) AS owner_sees FROM cdm.dedupe('sec_people', 0.5, 'public.sec_people');  -- the reader's model, reused

DROP TABLE sec_admin_shop, sec_foreign_shop, sec_people;
DROP SCHEMA evil CASCADE;
DELETE FROM cdm.source WHERE name = 'sec_shop';
DELETE FROM cdm.match_model WHERE trained_by = 'sec_reader';
REVOKE ALL ON ALL TABLES IN SCHEMA cdm FROM sec_nobody, sec_reader, sec_steward, sec_admin;
DROP OWNED BY sec_nobody, sec_reader, sec_steward, sec_admin;
DROP ROLE sec_nobody, sec_reader, sec_steward, sec_admin;
