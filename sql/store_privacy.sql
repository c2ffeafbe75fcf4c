-- Privacy rights: cdm.export gives everything held on a person; cdm.forget
-- removes it everywhere, keeps salted hashes that stop a re-import, and
-- returns a receipt; no table of cdm holds the person's data afterwards.
SET client_min_messages = warning;
SET TimeZone = 'UTC';
\pset null '(null)'

CREATE FUNCTION pg_temp.try(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE q;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
-- every row of every table of cdm whose text form mentions a value
CREATE FUNCTION pg_temp.traces(needle text) RETURNS TABLE (tbl text, n bigint) LANGUAGE plpgsql AS $$
DECLARE t regclass;
BEGIN
  FOR t IN SELECT c.oid::regclass FROM pg_class c WHERE c.relnamespace = 'cdm'::regnamespace AND c.relkind = 'r' ORDER BY 1 LOOP
    EXECUTE format('SELECT count(*) FROM %s x WHERE x::text ILIKE %L', t, '%' || needle || '%') INTO n;
    IF n > 0 THEN tbl := t::text; RETURN NEXT; END IF;
  END LOOP;
END $$;

-- Ingrid Lindgren, in the CRM and the web shop (linked), with a later
-- version, milestones, a steward override and a decision against a
-- namesake; Ivar Lindgren, a different person, stays untouched.
SELECT cdm.ingest('pv_crm', 'K1', '{"given_name": "Ingrid", "family_name": "Lindgren", "dob": "1979-08-14",
                                    "email": "ingrid.lindgren@example.se", "phone": "+46 8 123 456 78"}') AS ingrid \gset
SELECT cdm.ingest('pv_web', 'u-77', '{"full_name": "Ingrid Lindgren", "email": "Ingrid.Lindgren@example.se"}') = :ingrid AS web_linked;
SELECT cdm.ingest('pv_crm', 'K1', '{"given_name": "Ingrid", "family_name": "Lindgren", "dob": "1979-08-14",
                                    "email": "ingrid.lindgren@example.se", "phone": "+46 8 123 456 78",
                                    "address": "Storgatan 5"}') = :ingrid AS new_version;
SELECT cdm.ingest('pv_crm', 'K2', '{"given_name": "Ivar", "family_name": "Lindgren", "dob": "1950-02-01",
                                    "email": "ivar@example.se"}') AS ivar \gset
SELECT cdm.record_milestone(:ingrid, 'invoice_paid', '2025-03-01', 'pv_billing', amount => 99, detail => '{"invoice": "Lindgren-2025-03"}') IS NOT NULL AS ms;
SELECT cdm.record_source_milestone('pv_web', 'u-77', 'login', '2025-03-02') IS NOT NULL AS ms;
SELECT cdm.set_golden(:ingrid, 'given_name', 'Ingrid M.', 'Ingrid Lindgren asked for her middle initial');
-- and a preferred contact point a steward chose (cdm.contact_preference)
SELECT cdm.set_preferred_contact(:ingrid, 'email', 'main', 'Ingrid.Lindgren@example.se', 'Ingrid Lindgren asked to be written to here');
SELECT cdm.decide(cdm.record_id('pv_crm', 'K1'), cdm.record_id('pv_crm', 'K2'), 'no_match', 'Ingrid and Ivar Lindgren are mother and son');
-- her relationships, both directions: she cares for Ivar, who lives in her
-- household; she worked for Nordhavn until 2024 (the reason given names
-- her) and will influence its purchases from 2099
SELECT cdm.ingest('pv_crm', 'O1', '{"organisation_name": "Nordhavn Shipping AB"}') AS org \gset
SELECT cdm.relate(:ingrid, :ivar, 'caregiver_of', '2020-01-01', source => 'pv_care') IS NOT NULL AS rel;
SELECT cdm.relate(:ivar, :ingrid, 'member_of_household', '2019-06-01', source => 'pv_census') IS NOT NULL AS rel;
SELECT cdm.relate(:ingrid, :org, 'employee_of', '2015-01-01', source => 'pv_hr') AS r_emp \gset
SELECT cdm.end_relationship(:r_emp, '2024-12-31', 'Ingrid Lindgren retired (letter of 2024-11-02)') = :r_emp AS ended;
SELECT cdm.relate(:ingrid, :org, 'influencer_for', '2099-01-01', source => 'pv_crm') IS NOT NULL AS rel;
SELECT cdm.relate(:ivar, :org, 'employee_of', '2018-01-01', source => 'pv_hr') IS NOT NULL AS rel_ivar_only;
CREATE TEMP TABLE names (id bigint PRIMARY KEY, name text);
INSERT INTO names VALUES (:ingrid, 'ingrid'), (:ivar, 'ivar'), (:org, 'org');
CREATE FUNCTION pg_temp.who(e bigint) RETURNS text LANGUAGE sql AS
$$ SELECT coalesce((SELECT n.name FROM names n WHERE n.id = e), e::text) $$;

-- 1. Export: everything held on her, with sources
SELECT e -> 'golden' -> 'attrs' ->> 'given_name' AS golden_given_name,
       jsonb_array_length(e -> 'records') AS records,
       (SELECT string_agg(r ->> 'source' || '/' || (r ->> 'source_key') || ' v' || jsonb_array_length(r -> 'versions'), ', ')
          FROM jsonb_array_elements(e -> 'records') r) AS sources,
       (SELECT string_agg(m ->> 'milestone' || ' from ' || (m ->> 'source'), ', ')
          FROM jsonb_array_elements(e -> 'milestones') m) AS milestones,
       jsonb_array_length(e -> 'golden_overrides') AS overrides,
       (SELECT string_agg(p ->> 'kind' || '/' || (p ->> 'type') || ': ' || (p ->> 'value'), ', ')
          FROM jsonb_array_elements(e -> 'contact_preferences') p) AS preferred_contacts,
       jsonb_array_length(e -> 'decisions') AS decisions,
       jsonb_array_length(e -> 'history') >= 4 AS has_history,
       e ->> 'stage' IS NOT NULL AS has_stage
  FROM cdm.export(:ingrid) e;
SELECT tbl, n FROM pg_temp.traces('lindgren');
-- the relationships in the export: both directions, ended ones too, the
-- other side by id only, with who recorded and ended them
SELECT r ->> 'type' AS type, r ->> 'role' AS role, r ->> 'direction' AS direction,
       pg_temp.who((r ->> 'other_entity')::bigint) AS other, r ->> 'valid_from' AS valid_from, r ->> 'valid_to' AS valid_to,
       r ->> 'source' AS source, r ->> 'end_reason' AS end_reason,
       r ->> 'recorded_by' = current_user AS recorded_by_me, (r ->> 'recorded_at')::timestamptz <= now() AS recorded_at,
       r ->> 'ended_by' = current_user AS ended_by_me,
       pg_temp.who((r ->> 'from_entity')::bigint) || ' -> ' || pg_temp.who((r ->> 'to_entity')::bigint) AS recorded_as
  FROM jsonb_array_elements((SELECT cdm.export(:ingrid) -> 'relationships')) r;
SELECT array_agg(k ORDER BY k) AS export_keys FROM jsonb_object_keys(cdm.export(:ingrid)) k;
SELECT jsonb_array_length(cdm.export(:ivar) -> 'relationships') AS ivar_has;

-- 2. Only an admin may erase
CREATE ROLE pv_steward NOLOGIN IN ROLE cdm_steward;
GRANT EXECUTE ON FUNCTION pg_temp.try(text) TO pv_steward;
SET ROLE pv_steward;
SELECT pg_temp.try(format('SELECT cdm.forget(%s, %L)', :ingrid, 'request 42'));
SELECT cdm.export(:ingrid) -> 'records' -> 0 ->> 'source' AS steward_exports;
RESET ROLE;

-- 3. Forget her: the receipt, and no trace of her anywhere in cdm
SELECT r - 'erased_at' - 'erased_by' - 'entity' - 'entity_ids' - 'erasure' - 'kept' AS receipt,
       r ->> 'erased_by' = current_user AS erased_by_me
  FROM cdm.forget(:ingrid, 'request 42') r;
SELECT tbl, n FROM pg_temp.traces('ingrid');
SELECT tbl, n FROM pg_temp.traces('1979-08-14');
SELECT tbl, n FROM pg_temp.traces('storgatan');
SELECT tbl, n FROM pg_temp.traces('123 456');
SELECT tbl, n FROM pg_temp.traces('812345678');
-- the Lindgren left is Ivar, untouched (his record, his golden record)
SELECT tbl, n FROM pg_temp.traces('lindgren');
SELECT attrs ->> 'given_name' AS ivar FROM cdm.golden WHERE entity = :ivar;
-- what is kept: ids, the shape of the log, the receipt
SELECT source, source_key LIKE 'erased:%' AS key_replaced, attrs, retired_at IS NOT NULL AS retired
  FROM cdm.record WHERE entity = :ingrid ORDER BY id;
SELECT count(*) AS golden_rows FROM cdm.golden WHERE entity = :ingrid;
SELECT event, reason IS NULL AS reason_cleared FROM cdm.event WHERE entity = :ingrid ORDER BY id;
SELECT kind, count(*) FROM cdm.erasure_key GROUP BY kind ORDER BY kind;
SELECT reason, receipt ->> 'records' AS records FROM cdm.erasure WHERE entity = :ingrid;
SELECT cdm.export(:ingrid) -> 'records' -> 0 -> 'attrs' AS exported_now;
-- her relationships are kept (Ivar's history needs them) but none holds
-- after the erasure: the open ones end at it (the one that had not started
-- gets the empty period [2099-01-01, 2099-01-01)), reason erased; the
-- reason given before is gone.  Ivar's own employment is untouched.
SELECT erased_at FROM cdm.erasure WHERE entity = :ingrid \gset
SELECT type, pg_temp.who(from_entity) || ' -> ' || pg_temp.who(to_entity) AS rel, valid_from,
       CASE WHEN valid_to = :'erased_at' THEN 'erasure' WHEN valid_to = valid_from THEN 'empty' ELSE valid_to::text END AS valid_to,
       ended_at = :'erased_at' AS ended_at_erasure, ended_by = current_user AS by_me, end_reason, source
  FROM cdm.relationship WHERE :ingrid IN (from_entity, to_entity) OR from_entity = :ivar ORDER BY id;
SELECT type, role, direction, pg_temp.who(other_entity) AS other FROM cdm.relationships(:ivar);
SELECT type, role, direction, pg_temp.who(other_entity) AS other, valid_to IS NOT NULL AS ended
  FROM cdm.relationships(:ivar, NULL);
-- Ivar's history shows his relationships with her recorded and ended (at
-- the erasure, reason erased), and none of her data
SELECT event, pg_temp.who(entity_id) AS entity, pg_temp.who(other_entity) AS other, source, reason,
       detail ->> 'type' AS type, detail ->> 'role' AS role, detail ->> 'direction' AS direction,
       CASE WHEN at = :'erased_at' THEN 'erasure' ELSE 'earlier' END AS at
  FROM cdm.entity_history(:ivar) WHERE event IN ('relate', 'end_relationship') AND :ingrid IN (entity_id, other_entity);
SELECT count(*) AS ingrid_preferred_contacts FROM cdm.contact_preference WHERE entity = :ingrid;
SELECT r ->> 'type' AS type, r ->> 'end_reason' AS end_reason FROM jsonb_array_elements(cdm.export(:ingrid) -> 'relationships') r;
SELECT check_name, ok, bad FROM cdm.check_store(0) WHERE check_name LIKE 'relationship%';

-- 4. A re-import is stopped, by key, by e-mail, by phone; others pass
SELECT cdm.ingest('pv_crm', 'K1', '{"given_name": "Ingrid", "family_name": "Lindgren"}') AS same_key;
SELECT cdm.ingest('pv_shop', 'S9', '{"full_name": "I. Lindgren", "email": "INGRID.LINDGREN@example.se"}') AS same_email;
SELECT cdm.ingest('pv_till', 'T3', '{"family_name": "L", "phone": "+46812345678"}') AS same_phone;
SELECT cdm.ingest('pv_shop', 'S10', '{"given_name": "Olle", "family_name": "Berg", "email": "olle@example.se"}') IS NOT NULL AS other_person;
SELECT event, detail ->> 'matched' AS matched, detail ->> 'source' AS source FROM cdm.event
 WHERE event = 'erasure_block' ORDER BY id;
SELECT tbl, n FROM pg_temp.traces('ingrid');

-- 5. Nothing left to erase; erasure lifted by an admin lets her back in
SELECT replace(pg_temp.try(format('SELECT cdm.forget(%s, %L)', :ingrid, 'again')), :'ingrid', 'N');
SELECT pg_temp.try('SELECT cdm.forget(NULL, ''x'')');
SELECT pg_temp.try('SELECT cdm.forget(-7, ''x'')');
DELETE FROM cdm.erasure_key WHERE erasure = (SELECT id FROM cdm.erasure WHERE entity = :ingrid);
SELECT cdm.ingest('pv_crm', 'K1', '{"given_name": "Ingrid", "family_name": "Lindgren"}') IS NOT NULL AS back_with_consent;

-- 6. A relationship recorded on the erased id afterwards (cdm.relate
--    accepts it: the id holds no record, so no kind) gives forget something
--    to do again: it is ended, nothing else is touched
SELECT cdm.relate(:ivar, :ingrid, 'caregiver_of', '2026-01-01') AS r_late \gset
SELECT r - 'erased_at' - 'erased_by' - 'entity' - 'entity_ids' - 'erasure' - 'kept' AS receipt
  FROM cdm.forget(:ingrid, 'request 43') r;
SELECT valid_to IS NOT NULL AS ended, end_reason FROM cdm.relationship WHERE id = :r_late;
SELECT replace(pg_temp.try(format('SELECT cdm.forget(%s, %L)', :ingrid, 'again')), :'ingrid', 'N');

REVOKE EXECUTE ON FUNCTION pg_temp.try(text) FROM pv_steward;
DROP ROLE pv_steward;
