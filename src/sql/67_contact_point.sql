-- ---------------------------------------------------------------------------
-- Multi-valued contact data: every address, e-mail and phone an entity's
-- records ever gave, typed (billing, shipping, home, work...) by the
-- attribute name, with its sources, first and last seen, and one preferred
-- value per type, so survivorship works per type instead of collapsing
-- them into one golden value.
-- ---------------------------------------------------------------------------

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
  SELECT o.*,
         coalesce(CASE o.kind WHEN 'email' THEN cdm.email_norm(o.raw)
                              WHEN 'phone' THEN cdm.phone_e164(o.raw, coalesce(cdm.store_setting_value('phone_region'), 'US'))
                              ELSE nullif(cdm.address_norm(o.raw), '') END,
                  lower(o.raw)) AS norm
    FROM obs o
), grouped AS (
  SELECT n.entity, n.kind, n.type, n.norm,
         (array_agg(n.raw ORDER BY n.ingested_at DESC, n.record DESC))[1] AS value,
         array_agg(DISTINCT n.source ORDER BY n.source) AS sources,
         min(n.ingested_at) AS first_seen, max(n.ingested_at) AS last_seen,
         count(DISTINCT n.record) AS records
    FROM normed n
   GROUP BY n.entity, n.kind, n.type, n.norm
)
SELECT g.entity, g.kind, g.type, g.value, g.norm AS normalised, g.sources, g.first_seen, g.last_seen, g.records,
       row_number() OVER (PARTITION BY g.entity, g.kind, g.type
                          ORDER BY g.last_seen DESC, g.records DESC, g.norm) = 1 AS preferred
  FROM grouped g;
COMMENT ON VIEW cdm.contact_point IS
'Every address, e-mail and phone of every entity (as currently resolved), typed: an attribute named address, email or phone is of type main, one named <type>_address, <type>_email or <type>_phone (billing_address, shipping_address, home_phone, work_email...) of that type. One row per entity, kind, type and normalised value (cdm.address_norm, cdm.email_norm, cdm.phone_e164 with the store''s phone_region; lower-cased as written when it does not normalise) over every version of the entity''s live records: value (as last written), normalised, sources, first_seen and last_seen (ingests of the versions that gave it), records, and preferred: the value seen last of its type (ties: more records, then the smaller normalised value), one per entity, kind and type.';
