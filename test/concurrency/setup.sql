-- test/concurrency/setup.sql: the generator and the wrappers the pgbench
-- scripts of test/concurrency/run.sh call, in schema cdm_stress.
--
-- People: 1 .. :persons (the pgbench variable, default 400), in households of
-- three that share a family name, an address and a phone prefix (so
-- neighbours score in the grey zone and reviews are queued).  A person's
-- record comes from one of four sources under key '<person>.<0|1|2>', in one
-- of six variants (clean, a typo in the given or the family name, no e-mail,
-- no phone and a typo, full name with the e-mail in capitals), so records of
-- one person link, the same key comes back with other attributes (new
-- versions, relinks), and stewards have something to decide.
--
-- The wrappers call cdm's functions and catch only the errors the API
-- documents for a legitimate request: 23514 when a merge (cdm.merge or a
-- match decision) would join records a steward decided apart.  Anything
-- else, above all 40P01 (deadlock) and 40001 (serialization failure),
-- reaches pgbench, which counts it as a failed transaction or aborts the
-- client: the run must have neither.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS cdm_stress CASCADE;
CREATE SCHEMA cdm_stress;

CREATE FUNCTION cdm_stress.h(t text) RETURNS integer
LANGUAGE sql IMMUTABLE AS $$ SELECT abs(hashtext($1) % 1000003) $$;

CREATE FUNCTION cdm_stress.pick(a text[], t text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT $1[1 + cdm_stress.h($2) % cardinality($1)] $$;

-- one typo: a substitution, a transposition or a deletion, placed by seed
CREATE FUNCTION cdm_stress.typo(s text, seed text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE cdm_stress.h(seed || 'k') % 3
           WHEN 0 THEN overlay(s PLACING chr(97 + cdm_stress.h(seed || 'c') % 26) FROM i FOR 1)
           WHEN 1 THEN overlay(s PLACING substr(s, i + 1, 1) || substr(s, i, 1) FROM i FOR 2)
           ELSE overlay(s PLACING '' FROM i FOR 1) END
    FROM (SELECT 2 + cdm_stress.h(seed || 'i') % greatest(length(s) - 2, 1) AS i) x
$$;

CREATE FUNCTION cdm_stress.attrs(p integer, v integer) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
  WITH base AS (
    SELECT cdm_stress.pick(ARRAY['Anna','Peter','Maria','John','Olga','Luis','Sara','David','Elena',
                                 'Tomas','Irene','Mark','Julia','Pavel','Nora','Victor','Clara','Hugo'],
                           'g' || p) AS given,
           cdm_stress.pick(ARRAY['Novak','Lopez','Schmidt','Okafor','Ivanova','Garcia','Lindqvist',
                                 'Rossi','Kowalski','Nguyen','Murphy','Haddad','Tanaka','Silva',
                                 'Dubois','Fischer','Moreau','Horvat','Jensen','Costa'],
                           'f' || (p / 3)) AS family,
           (p / 3) % 500 + 1 AS house,
           cdm_stress.pick(ARRAY['Oak Street','Mill Road','Station Avenue','Church Lane','Park Drive'],
                           's' || (p / 3)) AS street,
           date '1950-01-01' + cdm_stress.h('d' || p) % 20000 AS dob
  ), rec AS (
    SELECT CASE WHEN v = 1 THEN cdm_stress.typo(b.given, p || 'g' || v) ELSE b.given END AS given,
           CASE WHEN v IN (2, 4) THEN cdm_stress.typo(b.family, p || 'f' || v) ELSE b.family END AS family,
           lower(b.given) || '.' || lower(b.family) || (p % 7) || '@example.com' AS email,
           '+1 415 55' || lpad(((p / 3) % 100)::text, 2, '0') || ' ' || lpad((p % 1000)::text, 3, '0') AS phone,
           b.house || ' ' || b.street AS address, b.dob
      FROM base b
  )
  SELECT CASE v
           WHEN 5 THEN jsonb_build_object('full_name', r.given || ' ' || r.family, 'email', upper(r.email),
                                          'dob', r.dob, 'address', r.address)
           ELSE jsonb_strip_nulls(jsonb_build_object(
                  'given_name', r.given, 'family_name', r.family, 'dob', r.dob,
                  'email', CASE WHEN v <> 3 THEN r.email END,
                  'phone', CASE WHEN v <> 4 THEN r.phone END,
                  'address', r.address))
         END
    FROM rec r
$$;

CREATE FUNCTION cdm_stress.source(s integer) RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT (ARRAY['crm', 'web', 'till', 'billing'])[1 + (s - 1) % 4] $$;

-- a random record of person p (NULL when none yet)
CREATE FUNCTION cdm_stress.some_record(p integer) RETURNS cdm.record
LANGUAGE sql VOLATILE AS $$
  SELECT r.* FROM cdm.record r
   WHERE r.source IN ('crm', 'web', 'till', 'billing')
     AND r.source_key IN (p || '.0', p || '.1', p || '.2')
   ORDER BY random() LIMIT 1
$$;

CREATE FUNCTION cdm_stress.ingest(p integer, v integer, s integer) RETURNS bigint
LANGUAGE sql VOLATILE AS $$
  SELECT cdm.ingest(cdm_stress.source(s), p || '.' || (v % 3), cdm_stress.attrs(p, v))
$$;

-- merge the entities of a record of p and a record of q (same person,
-- household, or anybody)
CREATE FUNCTION cdm_stress.merge(p integer, q integer) RETURNS bigint
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  a cdm.record := cdm_stress.some_record(p);
  b cdm.record := cdm_stress.some_record(q);
BEGIN
  IF a.id IS NULL OR b.id IS NULL THEN
    RETURN NULL;
  END IF;
  RETURN cdm.merge(a.entity, b.entity, 'stress merge ' || p || '/' || q);
EXCEPTION WHEN check_violation THEN      -- 23514: a no_match pair would be joined
  RETURN NULL;
END $$;

CREATE FUNCTION cdm_stress.unmerge(p integer) RETURNS bigint
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  a cdm.record := cdm_stress.some_record(p);
BEGIN
  IF a.id IS NULL THEN
    RETURN NULL;
  END IF;
  RETURN cdm.unmerge(a.source, a.source_key, 'stress unmerge');
END $$;

CREATE FUNCTION cdm_stress.decide(p integer, q integer, m integer) RETURNS void
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  a cdm.record := cdm_stress.some_record(p);
  b cdm.record := cdm_stress.some_record(q);
BEGIN
  IF a.id IS NULL OR b.id IS NULL OR a.id = b.id THEN
    RETURN;
  END IF;
  -- the same person: mostly match; others: mostly no_match
  PERFORM cdm.decide(a.id, b.id,
                     CASE WHEN (p = q) = (m <= 7) THEN 'match' ELSE 'no_match' END,
                     'stress decide');
EXCEPTION WHEN check_violation THEN      -- 23514: match across a no_match pair
  RETURN;
END $$;

CREATE FUNCTION cdm_stress.milestone(p integer, m integer, d integer) RETURNS bigint
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  a cdm.record := cdm_stress.some_record(p);
  ms text := (ARRAY['lead_created', 'onboarding_completed', 'purchase', 'invoice_paid', 'login'])[1 + m % 5];
BEGIN
  IF a.id IS NULL THEN
    RETURN NULL;
  END IF;
  IF m % 2 = 0 THEN
    RETURN cdm.record_milestone(a.entity, ms, timestamptz '2024-01-01' + d * interval '1 hour', 'stress',
                                CASE WHEN m % 3 = 0 THEN 'retail' END);
  END IF;
  RETURN cdm.record_source_milestone(a.source, a.source_key, ms, timestamptz '2024-01-01' + d * interval '1 hour');
END $$;

CREATE FUNCTION cdm_stress.retire(p integer) RETURNS bigint
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  a cdm.record := cdm_stress.some_record(p);
BEGIN
  IF a.id IS NULL THEN
    RETURN NULL;
  END IF;
  RETURN cdm.retire(a.source, a.source_key, 'stress retire');
END $$;
