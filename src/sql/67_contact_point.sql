-- ---------------------------------------------------------------------------
-- Multi-valued contact data: every address, e-mail and phone an entity's
-- records ever gave, typed (billing, shipping, home, work...) by the
-- attribute name, with its sources, first and last seen, and one preferred
-- value per type, so survivorship works per type instead of collapsing
-- them into one golden value.  A steward may choose the preferred value of
-- a type (cdm.set_preferred_contact); the choice is recorded on the entity
-- id and resolved through merges when read, like relationships.
-- ---------------------------------------------------------------------------

CREATE FUNCTION cdm._contact_norm(kind text, raw text) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT coalesce(CASE kind WHEN 'email' THEN cdm.email_norm(raw)
                            WHEN 'phone' THEN cdm.phone_e164(raw, coalesce(cdm.store_setting_value('phone_region'), 'US'))
                            ELSE nullif(cdm.address_norm(raw), '') END,
                  lower(raw))
$$;
COMMENT ON FUNCTION cdm._contact_norm(text, text) IS
'Internal: the normalised form of a contact value of a kind, as cdm.contact_point groups and cdm.set_preferred_contact matches them: email cdm.email_norm, phone cdm.phone_e164 with the store''s phone_region (default US), address cdm.address_norm; lower-cased as written when it does not normalise. Example: cdm._contact_norm(''phone'', ''(415) 555-0100'') = ''+14155550100''.';

CREATE TABLE cdm.contact_preference (
  entity  bigint NOT NULL REFERENCES cdm.entity (id),
  kind    text NOT NULL CHECK (kind IN ('address', 'email', 'phone')),
  type    text NOT NULL CHECK (type ~ '^[a-z][a-z0-9]*$'),
  value   text NOT NULL,
  reason  text,
  set_by  text NOT NULL DEFAULT cdm._actor(),
  set_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (entity, kind, type)
);
COMMENT ON TABLE cdm.contact_preference IS
'Steward choices of the preferred contact point of a type (cdm.set_preferred_contact): the entity''s kind/type value whose normalised form equals that of value is the preferred one in cdm.contact_point, whatever is ingested later, as long as one of its live records gives it. Recorded on the live entity id of the moment and resolved through merges when read (the live id''s own choice first, then the latest), so a choice follows merges and goes back with an id an unmerge revives.';
COMMENT ON COLUMN cdm.contact_preference.entity IS 'The entity id it was set on (resolved through merges when read).';
COMMENT ON COLUMN cdm.contact_preference.kind IS 'address, email or phone.';
COMMENT ON COLUMN cdm.contact_preference.type IS 'main, or the prefix of the attribute name (billing, shipping, home, work...).';
COMMENT ON COLUMN cdm.contact_preference.value IS 'The value as the steward gave it (normalised when read).';
COMMENT ON COLUMN cdm.contact_preference.reason IS 'Why.';
COMMENT ON COLUMN cdm.contact_preference.set_by IS 'Who.';
COMMENT ON COLUMN cdm.contact_preference.set_at IS 'When.';
SELECT pg_catalog.pg_extension_config_dump('cdm.contact_preference', '');

CREATE VIEW cdm.contact_point AS
WITH obs AS (
  SELECT r.entity, r.source, v.record, v.ingested_at, m[2] AS kind, coalesce(m[1], 'main') AS type,
         btrim(e.value #>> '{}') AS raw
    FROM cdm.record r
    JOIN cdm.record_version v ON v.record = r.id
   CROSS JOIN LATERAL jsonb_each(v.attrs) e
   CROSS JOIN LATERAL regexp_match(e.key, '^(?:([a-z][a-z0-9]*)_)?(address|email|phone)$') m
   WHERE r.retired_at IS NULL AND m IS NOT NULL
     AND jsonb_typeof(e.value) = 'string' AND btrim(e.value #>> '{}') <> ''
), normed AS (
  SELECT o.*, cdm._contact_norm(o.kind, o.raw) AS norm
    FROM obs o
), grouped AS (
  SELECT n.entity, n.kind, n.type, n.norm,
         (array_agg(n.raw ORDER BY n.ingested_at DESC, n.record DESC))[1] AS value,
         array_agg(DISTINCT n.source ORDER BY n.source) AS sources,
         min(n.ingested_at) AS first_seen, max(n.ingested_at) AS last_seen,
         count(DISTINCT n.record) AS records
    FROM normed n
   GROUP BY n.entity, n.kind, n.type, n.norm
), chosen AS (
  -- the steward's choice among the values the entity has: recorded on the
  -- live id or on one merged into it (the live id's own first, then the
  -- latest); a choice whose value is gone is ignored
  SELECT DISTINCT ON (g.entity, g.kind, g.type) g.entity, g.kind, g.type, g.norm
    FROM cdm.contact_preference p
    JOIN grouped g ON g.entity = cdm.entity_live(p.entity) AND g.kind = p.kind AND g.type = p.type
                  AND g.norm = cdm._contact_norm(p.kind, btrim(p.value))
   ORDER BY g.entity, g.kind, g.type, p.entity = g.entity DESC, p.set_at DESC
), ranked AS (
  SELECT g.*, c.norm AS chosen,
         row_number() OVER (PARTITION BY g.entity, g.kind, g.type
                            ORDER BY g.last_seen DESC, g.records DESC, g.norm) AS rn
    FROM grouped g
    LEFT JOIN chosen c ON c.entity = g.entity AND c.kind = g.kind AND c.type = g.type
)
SELECT x.entity, x.kind, x.type, x.value, x.norm AS normalised, x.sources, x.first_seen, x.last_seen, x.records,
       CASE WHEN x.chosen IS NOT NULL THEN x.chosen = x.norm ELSE x.rn = 1 END AS preferred,
       CASE WHEN x.chosen = x.norm THEN 'steward' WHEN x.chosen IS NULL AND x.rn = 1 THEN 'last_seen' END AS preferred_by
  FROM ranked x;
COMMENT ON VIEW cdm.contact_point IS
'Every address, e-mail and phone of every entity (as currently resolved), typed: an attribute named address, email or phone is of type main, one named <type>_address, <type>_email or <type>_phone (billing_address, shipping_address, home_phone, work_email...) of that type. One row per entity, kind, type and normalised value (cdm.address_norm, cdm.email_norm, cdm.phone_e164 with the store''s phone_region; lower-cased as written when it does not normalise) over every version of the entity''s live records: value (as last written), normalised, sources, first_seen and last_seen (ingests of the versions that gave it), records, and preferred, one per entity, kind and type: the steward''s choice (cdm.set_preferred_contact) while a live record gives it, else the value seen last of its type (ties: more records, then the smaller normalised value). preferred_by says which: steward or last_seen (NULL on the rows not preferred).';

CREATE FUNCTION cdm.set_preferred_contact(entity bigint, kind text, type text, value text, reason text) RETURNS void
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  caller constant text := 'cdm.set_preferred_contact';
  e    bigint;
  norm text;
BEGIN
  IF entity IS NULL OR kind IS NULL OR type IS NULL THEN
    RAISE EXCEPTION '%: entity, kind and type must not be NULL', caller USING ERRCODE = '22004';
  END IF;
  IF kind NOT IN ('address', 'email', 'phone') THEN
    RAISE EXCEPTION '%: unknown kind "%"', caller, kind
      USING ERRCODE = '22023', HINT = 'The kinds are address, email and phone.';
  END IF;
  IF type !~ '^[a-z][a-z0-9]*$' THEN
    RAISE EXCEPTION '%: invalid type "%"', caller, type
      USING ERRCODE = '22023',
            HINT = 'A type is main (the attributes address, email, phone) or the prefix of the attribute name: billing for billing_address, work for work_email.';
  END IF;
  e := cdm._store_lock_entity(entity, 'share');
  IF value IS NULL THEN
    -- the rule applies again: the choices recorded on every id of the
    -- entity go (an unmerge reviving one of them then brings none back)
    DELETE FROM cdm.contact_preference p
     WHERE p.entity IN (SELECT cdm._entity_ids(e)) AND p.kind = set_preferred_contact.kind
       AND p.type = set_preferred_contact.type;
  ELSE
    norm := cdm._contact_norm(kind, btrim(value));
    IF NOT EXISTS (SELECT 1 FROM cdm.contact_point c
                    WHERE c.entity = e AND c.kind = set_preferred_contact.kind
                      AND c.type = set_preferred_contact.type AND c.normalised = norm) THEN
      RAISE EXCEPTION '%: "%" is not among the % % values of entity %', caller, value, type, kind, entity
        USING ERRCODE = '22023',
              HINT = format('The preferred value must be one the entity''s live records give: SELECT value FROM cdm.contact_point WHERE entity = %s AND kind = %L AND type = %L.',
                            e, kind, type);
    END IF;
    INSERT INTO cdm.contact_preference AS p (entity, kind, type, value, reason)
    VALUES (e, set_preferred_contact.kind, set_preferred_contact.type, btrim(set_preferred_contact.value),
            set_preferred_contact.reason)
    ON CONFLICT ON CONSTRAINT contact_preference_pkey DO UPDATE
      SET value = excluded.value, reason = excluded.reason, set_by = cdm._actor(), set_at = clock_timestamp();
  END IF;
  PERFORM cdm._log('override', e, NULL, NULL, NULL, NULL, reason,
                   jsonb_build_object('contact_kind', kind, 'contact_type', type, 'value', value));
END
$$;
COMMENT ON FUNCTION cdm.set_preferred_contact(bigint, text, text, text, text) IS
'A steward''s choice of the preferred contact point of one kind (address, email, phone) and type (main, billing, shipping, home, work...) of an entity: in cdm.contact_point the value whose normalised form equals that of value is preferred (preferred_by steward), whatever is ingested later, while a live record of the entity gives it (when none does any more, the last-seen rule applies again). NULL value clears the choice. Follows merges (recorded on the live id, resolved when read); logged as an override event with reason and detail {contact_kind, contact_type, value}. Example: cdm.set_preferred_contact(17, ''email'', ''work'', ''N.Haddad@work.example'', ''customer asked''). A value not among the entity''s values of that kind and type: 22023 (the hint says where to look); unknown kind or invalid type: 22023; NULL entity, kind or type: 22004; unknown entity: 42704.';

-- The multi-valued part of the golden record: the contact points as typed
-- lists, one jsonb document per live entity.
CREATE VIEW cdm.golden_contacts AS
SELECT k.entity,
       jsonb_object_agg(k.kind, k.types ORDER BY k.kind) AS contacts,
       (jsonb_object_agg(k.kind, k.preferred ORDER BY k.kind)) AS preferred
  FROM (SELECT t.entity, t.kind,
               jsonb_object_agg(t.type, t.vals ORDER BY t.type) AS types,
               jsonb_object_agg(t.type, t.pref ORDER BY t.type) FILTER (WHERE t.pref IS NOT NULL) AS preferred
          FROM (SELECT c.entity, c.kind, c.type,
                       jsonb_agg(jsonb_build_object('value', c.value, 'normalised', c.normalised,
                                                    'sources', to_jsonb(c.sources),
                                                    'first_seen', c.first_seen, 'last_seen', c.last_seen,
                                                    'records', c.records, 'preferred', c.preferred,
                                                    'preferred_by', c.preferred_by)
                                 ORDER BY c.preferred DESC, c.last_seen DESC, c.normalised) AS vals,
                       (array_agg(c.value ORDER BY c.normalised) FILTER (WHERE c.preferred))[1] AS pref
                  FROM cdm.contact_point c
                 GROUP BY c.entity, c.kind, c.type) t
         GROUP BY t.entity, t.kind) k
 GROUP BY k.entity;
COMMENT ON VIEW cdm.golden_contacts IS
'The multi-valued part of the golden record, beside cdm.golden''s one value per attribute: per live entity, contacts = {"address" | "email" | "phone": {type: [{value, normalised, sources, first_seen, last_seen, records, preferred, preferred_by}, ...]}} (the preferred value first, then the most recently seen), and preferred = {kind: {type: value}}, the value to use per kind and type (a steward''s choice, cdm.set_preferred_contact, else the one seen last). Read from cdm.contact_point; WHERE entity = n reads one entity.';
