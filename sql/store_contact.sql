-- Preferred contact points chosen by stewards (cdm.set_preferred_contact:
-- matched after normalisation, surviving re-ingests, following merges and
-- unmerges, logged, exported; erased by cdm.forget: store_privacy) and
-- relationships in an entity's history.  Entity ids are captured with
-- \gset (other suites ran before in this database) and shown by name
-- through pg_temp.n.
SET client_min_messages = warning;
SET TimeZone = 'UTC';
\pset null '(null)'

-- the error, its SQLSTATE and hint, with the entity ids of ent shown by name
CREATE TEMP TABLE ent (name text PRIMARY KEY, id bigint UNIQUE);
CREATE FUNCTION pg_temp.err(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  st text; msg text; hint text;
  e record;
BEGIN
  EXECUTE q;
  RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, hint = PG_EXCEPTION_HINT;
  msg := st || ': ' || msg || coalesce(nullif(' HINT: ' || hint, ' HINT: '), '');
  FOR e IN SELECT name, id FROM ent ORDER BY length(id::text) DESC, id LOOP
    msg := regexp_replace(msg, '(entit(?:y|ies) |entity = |and |\(|entity_history\()' || e.id || '\M', '\1' || e.name, 'g');
  END LOOP;
  RETURN msg;
END $$;
GRANT EXECUTE ON FUNCTION pg_temp.err(text) TO PUBLIC;
CREATE FUNCTION pg_temp.n(e bigint) RETURNS text LANGUAGE sql AS
$$ SELECT coalesce((SELECT name FROM ent WHERE id = e), CASE WHEN e IS NOT NULL THEN 'other' END) $$;
-- an entity's contact points, compactly
CREATE FUNCTION pg_temp.cp(e bigint, k text)
RETURNS TABLE (type text, value text, normalised text, sources text[], preferred boolean, preferred_by text)
LANGUAGE sql AS $$
  SELECT type, value, normalised, sources, preferred, preferred_by
    FROM cdm.contact_point WHERE entity = e AND kind = k ORDER BY type, normalised
$$;

-- 1. Rosa, in the CRM and the web shop: two work e-mails, the web one seen last
SELECT cdm.ingest('ct_crm', 'R1', '{"given_name": "Rosa", "family_name": "Quintero", "email": "rosa.quintero@ct.example",
  "work_email": "R.Quintero@Work.example", "home_phone": "+1 415 555 0142", "billing_address": "12 Harbour Lane"}') AS rosa \gset
SELECT cdm.ingest('ct_web', 'W1', '{"given_name": "Rosa", "family_name": "Quintero", "email": "Rosa.Quintero@ct.example",
  "work_email": "rosa@newco.example", "home_phone": "(415) 555-0199", "billing_address": "12 Harbour Ln."}') = :rosa AS web_linked;
INSERT INTO ent VALUES ('rosa', :rosa);
SELECT * FROM pg_temp.cp(:rosa, 'email');
SELECT * FROM pg_temp.cp(:rosa, 'phone');

-- 2. The steward prefers her old work address: matched after
--    normalisation (case, blanks), stored as given
SELECT cdm.set_preferred_contact(:rosa, 'email', 'work', '  r.quintero@WORK.example ', 'she reads this one');
SELECT * FROM pg_temp.cp(:rosa, 'email');
SELECT pg_temp.n(entity) AS entity, kind, type, value, reason, set_by = current_user AS by_me FROM cdm.contact_preference
 WHERE entity = :rosa;
-- a phone written differently than any record wrote it
SELECT cdm.set_preferred_contact(:rosa, 'phone', 'home', '415-555-0142', 'landline');
SELECT * FROM pg_temp.cp(:rosa, 'phone');
-- the choice survives a newer value: the new one is listed, the chosen one stays preferred
SELECT cdm.ingest('ct_web', 'W1', '{"given_name": "Rosa", "family_name": "Quintero", "email": "Rosa.Quintero@ct.example",
  "work_email": "rosa.q@newco.example", "home_phone": "(415) 555-0199", "billing_address": "12 Harbour Ln."}') = :rosa AS same;
SELECT * FROM pg_temp.cp(:rosa, 'email');
-- setting it again replaces the choice (one per entity, kind and type)
SELECT cdm.set_preferred_contact(:rosa, 'email', 'work', 'rosa.q@newco.example', 'new job');
SELECT type, value, preferred_by FROM pg_temp.cp(:rosa, 'email') WHERE preferred;
SELECT count(*) AS choices, max(value) AS value FROM cdm.contact_preference WHERE entity = :rosa AND kind = 'email';
-- exactly one preferred per entity, kind and type, everywhere
SELECT count(*) AS types_with_two_preferred
  FROM (SELECT entity, kind, type FROM cdm.contact_point WHERE preferred GROUP BY 1, 2, 3 HAVING count(*) > 1) x;
SELECT count(*) AS types_without_preferred
  FROM (SELECT entity, kind, type FROM cdm.contact_point GROUP BY 1, 2, 3 HAVING NOT bool_or(preferred)) x;

-- 3. Refusals
-- a value she does not have, of that type or at all
SELECT pg_temp.err(format('SELECT cdm.set_preferred_contact(%s, %L, %L, %L, NULL)', :rosa, 'email', 'work', 'rosa.quintero@ct.example'));
SELECT pg_temp.err(format('SELECT cdm.set_preferred_contact(%s, %L, %L, %L, NULL)', :rosa, 'email', 'home', 'rosa.quintero@ct.example'));
SELECT pg_temp.err(format('SELECT cdm.set_preferred_contact(%s, %L, %L, %L, NULL)', :rosa, 'phone', 'home', '+1 415 555 0000'));
SELECT pg_temp.err(format('SELECT cdm.set_preferred_contact(%s, %L, %L, %L, NULL)', :rosa, 'address', 'main', ''));
-- non-ASCII: a value nobody gave, quoted as given
SELECT pg_temp.err(format('SELECT cdm.set_preferred_contact(%s, %L, %L, %L, NULL)', :rosa, 'address', 'billing', 'Straße 1 東京'));
SELECT pg_temp.err(format('SELECT cdm.set_preferred_contact(%s, %L, %L, %L, NULL)', :rosa, 'fax', 'main', 'x'));
SELECT pg_temp.err(format('SELECT cdm.set_preferred_contact(%s, %L, %L, %L, NULL)', :rosa, 'email', 'Work', 'x'));
SELECT pg_temp.err(format('SELECT cdm.set_preferred_contact(%s, %L, %L, %L, NULL)', :rosa, 'email', 'work_email', 'x'));
SELECT pg_temp.err('SELECT cdm.set_preferred_contact(NULL, ''email'', ''work'', ''x'', NULL)');
SELECT pg_temp.err(format('SELECT cdm.set_preferred_contact(%s, NULL, %L, %L, NULL)', :rosa, 'work', 'x'));
SELECT pg_temp.err('SELECT cdm.set_preferred_contact(-1, ''email'', ''work'', ''x'', NULL)');
-- nothing was stored by the refusals
SELECT kind, type, value FROM cdm.contact_preference WHERE entity = :rosa ORDER BY kind, type;

-- 4. Logged as override events (who, why, which kind, type and value)
SELECT event, pg_temp.n(entity) AS entity, reason, detail, who = current_user AS by_me
  FROM cdm.event WHERE entity = :rosa AND event = 'override' ORDER BY id;

-- 5. Clearing (value NULL): the last-seen rule applies again; logged
SELECT cdm.set_preferred_contact(:rosa, 'phone', 'home', NULL, 'landline cut');
SELECT * FROM pg_temp.cp(:rosa, 'phone');
SELECT reason, detail FROM cdm.event WHERE entity = :rosa AND event = 'override' ORDER BY id DESC LIMIT 1;
-- clearing what is not set changes nothing
SELECT cdm.set_preferred_contact(:rosa, 'address', 'billing', NULL, NULL);
SELECT kind, type FROM cdm.contact_preference WHERE entity = :rosa ORDER BY kind, type;

-- 6. Merges and unmerges: Rosa's duplicate Rosalind (a record of her own
--    that did not link) has her own choices; the survivor's win where both
--    chose, the duplicate's apply elsewhere; an unmerge takes them back
SELECT cdm.ingest('ct_shop', 'S1', '{"given_name": "Rosalind", "family_name": "Quintero-Vidal", "email": "rqv@shop.example",
  "billing_address": "7 Mill Road", "shipping_address": "Unit 4, Dock Park"}') AS rosalind \gset
SELECT cdm.ingest('ct_shop', 'S1b', '{"given_name": "Rosalind", "family_name": "Quintero-Vidal", "email": "rqv@shop.example",
  "shipping_address": "Gate 9, Dock Park"}') = :rosalind AS same_person;
INSERT INTO ent VALUES ('rosalind', :rosalind);
SELECT :rosa < :rosalind AS rosa_survives;
SELECT cdm.set_preferred_contact(:rosalind, 'address', 'shipping', 'Unit 4, Dock Park', 'depot');
SELECT cdm.set_preferred_contact(:rosalind, 'email', 'main', 'RQV@shop.example', 'shop account');
SELECT cdm.set_preferred_contact(:rosa, 'email', 'main', 'rosa.quintero@ct.example', 'personal');
SELECT pg_temp.n(cdm.merge(:rosa, :rosalind, 'same woman, married name')) AS survivor;
SELECT kind, type, value, preferred_by FROM cdm.contact_point WHERE entity = :rosa AND preferred ORDER BY kind, type;
-- the choices stay on the ids they were set on
SELECT pg_temp.n(entity) AS set_on, kind, type, value FROM cdm.contact_preference
 WHERE entity IN (:rosa, :rosalind) ORDER BY entity, kind, type;
-- a choice through the merged-away id lands on the live one (Rosa's
-- billing address, not the one seen last)
SELECT cdm.set_preferred_contact(:rosalind, 'address', 'billing', '12 Harbour Lane', 'old billing');
SELECT pg_temp.n(entity) AS set_on, value FROM cdm.contact_preference WHERE kind = 'address' AND type = 'billing'
   AND entity IN (:rosa, :rosalind);
SELECT type, value, preferred_by FROM pg_temp.cp(:rosa, 'address') WHERE preferred;
-- unmerge the shop record S1: it gets its first id back, and the
-- duplicate's choices with it (S1b stays with Rosa: the shipping address
-- chosen on Rosalind's id is no longer Rosa's, so the rule applies there;
-- the billing choice was set on Rosa's id and stays hers)
SELECT pg_temp.n(cdm.unmerge('ct_shop', 'S1', 'different woman after all')) AS unmerged_to;
SELECT pg_temp.n(entity) AS entity, kind, type, value, preferred_by FROM cdm.contact_point
 WHERE entity IN (:rosa, :rosalind) AND preferred AND kind IN ('address', 'email') ORDER BY entity, kind, type;
-- a chosen value that is gone (its record retired): the rule again
SELECT cdm.set_preferred_contact(:rosalind, 'address', 'shipping', 'unit 4 dock park', 'depot again');
SELECT pg_temp.n(cdm.retire('ct_shop', 'S1', 'account closed')) AS retired;
SELECT count(*) AS rosalind_contact_points FROM cdm.contact_point WHERE entity = :rosalind;
SELECT type, value, preferred_by FROM pg_temp.cp(:rosa, 'address') ORDER BY type, value;

-- 7. Relationships in the history: recorded and ended, in time order,
--    with the other entity, type, role, who and why
SELECT cdm.ingest('ct_crm', 'O1', '{"organisation_name": "Tidewater Freight Ltd"}') AS tide \gset
SELECT cdm.ingest('ct_crm', 'O2', '{"organisation_name": "Larkspur Analytics GmbH"}') AS lark \gset
INSERT INTO ent VALUES ('tide', :tide), ('lark', :lark);
SELECT cdm.relate(:rosa, :tide, 'employee_of', '2022-03-01', source => 'hr') AS r_emp \gset
SELECT cdm.relate(:rosa, :lark, 'decision_maker_for', '2024-01-01', '2025-01-01', source => 'crm') AS r_dm \gset
SELECT cdm.end_relationship(:r_emp, '2025-06-30', 'moved to Larkspur') = :r_emp AS ended;
SELECT cdm.relate(:rosa, :lark, 'employee_of', '2025-07-01', source => 'hr') AS r_emp2 \gset
-- recorded on the id merged away earlier: part of the survivor's history
-- while merged (Rosalind is live again here, so it is hers now)
SELECT cdm.relate(:rosalind, :tide, 'user_of', '2023-01-01', source => 'crm') AS r_user \gset
SELECT event, pg_temp.n(entity_id) AS entity, pg_temp.n(other_entity) AS other, source, reason,
       detail ->> 'type' AS type, detail ->> 'role' AS role, detail ->> 'direction' AS dir,
       pg_temp.n((detail ->> 'other_live')::bigint) AS other_live,
       (detail ->> 'valid_from')::timestamptz::date AS valid_from, (detail ->> 'valid_to')::timestamptz::date AS valid_to,
       detail ? 'valid_to' AS has_valid_to, event_id IS NULL AS no_event_id, who = current_user AS by_me
  FROM cdm.entity_history(:rosa) WHERE event IN ('relate', 'end_relationship', 'override', 'merge', 'unmerge');
-- time order over both logs, no row lost
SELECT bool_and(at >= prev) AS in_time_order, count(*) = (SELECT count(*) FROM cdm.entity_history(:rosa)) AS all_rows
  FROM (SELECT at, lag(at, 1, '-infinity') OVER () AS prev FROM cdm.entity_history(:rosa)) x;
SELECT (SELECT count(*) FROM cdm.entity_history(:rosa) WHERE event_id IS NOT NULL)
     = (SELECT count(*) FROM cdm.event WHERE :rosa IN (entity, other_entity)) AS every_event_kept;
-- from the other side: incoming, read with the inverse type
SELECT event, pg_temp.n(entity_id) AS entity, pg_temp.n(other_entity) AS other, reason,
       detail ->> 'role' AS role, detail ->> 'direction' AS dir
  FROM cdm.entity_history(:lark) WHERE event IN ('relate', 'end_relationship');
SELECT event, pg_temp.n(other_entity) AS other, detail ->> 'role' AS role
  FROM cdm.entity_history(:rosalind) WHERE event IN ('relate', 'end_relationship');
-- while merged, a relationship recorded on the merged-away id is in the
-- survivor's history, once (direction self) when both sides are one
SELECT cdm.relate(:rosalind, :rosa, 'caregiver_of', '2020-01-01', source => 'care') AS r_care \gset
SELECT pg_temp.n(cdm.merge(:rosa, :rosalind, 'same woman after all')) AS survivor;
SELECT pg_temp.err(format('SELECT cdm.relate(%s, %s, %L)', :rosa, :rosalind, 'caregiver_of'));
SELECT event, pg_temp.n(entity_id) AS entity, pg_temp.n(other_entity) AS other, detail ->> 'type' AS type,
       detail ->> 'direction' AS dir, detail ->> 'role' AS role
  FROM cdm.entity_history(:rosa) WHERE event IN ('relate', 'end_relationship') AND detail ->> 'type' IN ('user_of', 'caregiver_of');
SELECT count(*) AS unknown_id FROM cdm.entity_history(-1);

-- 8. Readers read, stewards choose; nobody else
CREATE ROLE ct_nobody NOLOGIN;
CREATE ROLE ct_reader NOLOGIN IN ROLE cdm_reader;
CREATE ROLE ct_steward NOLOGIN IN ROLE cdm_steward;
GRANT SELECT ON ent TO PUBLIC;
SET ROLE ct_nobody;
SELECT pg_temp.err('SELECT count(*) FROM cdm.contact_preference');
SELECT pg_temp.err(format('SELECT cdm.set_preferred_contact(%s, %L, %L, %L, NULL)', :rosa, 'email', 'work', 'rosa@newco.example'));
RESET ROLE;
SET ROLE ct_reader;
SELECT count(*) > 0 AS reader_sees FROM cdm.contact_preference;
SELECT count(*) > 0 AS reader_view FROM cdm.contact_point WHERE entity = :rosa AND preferred_by = 'steward';
SELECT count(*) > 0 AS reader_history FROM cdm.entity_history(:rosa) WHERE event = 'relate';
SELECT pg_temp.err(format('SELECT cdm.set_preferred_contact(%s, %L, %L, %L, NULL)', :rosa, 'email', 'work', 'rosa@newco.example'));
SELECT pg_temp.err('INSERT INTO cdm.contact_preference (entity, kind, type, value) VALUES (1, ''email'', ''main'', ''x'')');
RESET ROLE;
SET ROLE ct_steward;
SELECT cdm.set_preferred_contact(:rosa, 'email', 'work', 'R.Quintero@work.example', 'steward call');
RESET ROLE;
SELECT set_by, reason FROM cdm.contact_preference WHERE entity = :rosa AND kind = 'email' AND type = 'work';
SELECT who FROM cdm.event WHERE entity = :rosa AND event = 'override' ORDER BY id DESC LIMIT 1;
DROP ROLE ct_nobody, ct_reader, ct_steward;

-- 9. Export has the choices (on any of her ids) and the relationship
--    events in its history
SELECT p ->> 'kind' AS kind, p ->> 'type' AS type, p ->> 'value' AS value, p ->> 'reason' AS reason,
       pg_temp.n((p ->> 'entity')::bigint) AS set_on
  FROM jsonb_array_elements(cdm.export(:rosa) -> 'contact_preferences') p;
SELECT count(*) FILTER (WHERE h ->> 'event' IN ('relate', 'end_relationship')) AS relationship_events,
       bool_and(h ? 'event_id' AND NOT h ? 'ordinality') AS history_columns
  FROM jsonb_array_elements(cdm.export(:rosa) -> 'history') h;
-- (cdm.forget erasing them: store_privacy)
SELECT check_name, ok, bad FROM cdm.check_store(0) WHERE check_name NOT IN ('btree_indexes', 'record_k_index') AND ok IS NOT TRUE;

-- 10. The golden record's typed lists (cdm.golden_contacts): the same
--     preferred values as cdm.contact_point, every value listed once
SELECT kind, type, value
  FROM cdm.golden_contacts g, jsonb_each(g.preferred) k(kind, types), jsonb_each_text(k.types) t(type, value)
 WHERE g.entity = :rosa ORDER BY kind, type;
SELECT (SELECT count(*) FROM cdm.golden_contacts g, jsonb_each(g.contacts) k(kind, types),
                             jsonb_each(k.types) t(type, vals), jsonb_array_elements(t.vals) v
         WHERE g.entity = :rosa)
       = (SELECT count(*) FROM cdm.contact_point WHERE entity = :rosa) AS every_value_once,
       (SELECT jsonb_agg(v -> 'normalised' ORDER BY o) FROM cdm.golden_contacts g,
               jsonb_array_elements(g.contacts #> '{email,work}') WITH ORDINALITY x(v, o) WHERE g.entity = :rosa)
         AS work_emails_preferred_first,
       (SELECT g.contacts #> '{email,work,0,sources}' FROM cdm.golden_contacts g WHERE g.entity = :rosa) AS its_sources;
SELECT count(*) = (SELECT count(DISTINCT entity) FROM cdm.contact_point) AS one_row_per_entity_with_contacts
  FROM cdm.golden_contacts;
SELECT count(*) AS preferred_differences
  FROM ((SELECT g.entity, k.kind, t.type, t.value
           FROM cdm.golden_contacts g, jsonb_each(g.preferred) k(kind, types), jsonb_each_text(k.types) t(type, value)
         EXCEPT
         SELECT entity, kind, type, value FROM cdm.contact_point WHERE preferred)
        UNION ALL
        (SELECT entity, kind, type, value FROM cdm.contact_point WHERE preferred
         EXCEPT
         SELECT g.entity, k.kind, t.type, t.value
           FROM cdm.golden_contacts g, jsonb_each(g.preferred) k(kind, types), jsonb_each_text(k.types) t(type, value))) d;
