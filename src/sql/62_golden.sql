-- ---------------------------------------------------------------------------
-- Entity store: golden records (survivorship per attribute, steward
-- overrides, provenance) and an entity's history.  Golden records are views,
-- computed when read, so they are never stale and overrides survive any
-- recomputation by construction.
-- ---------------------------------------------------------------------------

CREATE TABLE cdm.survivorship (
  attribute       text PRIMARY KEY,
  rule            text NOT NULL
                  CHECK (rule IN ('most_recent', 'most_frequent', 'source_priority', 'most_complete')),
  source_priority text[],
  CHECK ((rule = 'source_priority') = (source_priority IS NOT NULL))
);
COMMENT ON TABLE cdm.survivorship IS
'Which value of an attribute wins in the golden record, per attribute name; attributes not listed use most_recent. Rules: most_recent (the value of the record version ingested last), most_frequent (the value most records of the entity hold, exact JSON equality; ties: most recent), source_priority (the value from the first source in source_priority that has one; sources not listed come after, most recent first), most_complete (the longest value, in characters; ties: most recent). Missing values (JSON null, blank) never win.';
COMMENT ON COLUMN cdm.survivorship.attribute IS 'The attribute (role name or any other key of attrs).';
COMMENT ON COLUMN cdm.survivorship.rule IS 'most_recent, most_frequent, source_priority or most_complete.';
COMMENT ON COLUMN cdm.survivorship.source_priority IS 'For source_priority: the sources, most trusted first; NULL for the other rules.';
SELECT pg_catalog.pg_extension_config_dump('cdm.survivorship', '');

CREATE TABLE cdm.golden_override (
  entity    bigint NOT NULL REFERENCES cdm.entity (id),
  attribute text NOT NULL,
  value     jsonb NOT NULL,
  reason    text,
  set_by    text NOT NULL DEFAULT cdm._actor(),
  set_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (entity, attribute)
);
COMMENT ON TABLE cdm.golden_override IS
'Steward overrides of golden values (cdm.set_golden): they win over every survivorship rule, whatever is ingested later. A merge copies the loser''s overrides to the survivor where it has none.';
COMMENT ON COLUMN cdm.golden_override.entity IS 'The entity.';
COMMENT ON COLUMN cdm.golden_override.attribute IS 'The attribute.';
COMMENT ON COLUMN cdm.golden_override.value IS 'The value (a JSON string).';
COMMENT ON COLUMN cdm.golden_override.reason IS 'Why.';
COMMENT ON COLUMN cdm.golden_override.set_by IS 'Who.';
COMMENT ON COLUMN cdm.golden_override.set_at IS 'When.';
SELECT pg_catalog.pg_extension_config_dump('cdm.golden_override', '');

CREATE VIEW cdm.golden_value AS
SELECT ranked.entity, ranked.attribute, ranked.value,
       jsonb_build_object('rule', ranked.rule, 'record', ranked.record, 'source', ranked.source,
                          'source_key', ranked.source_key, 'version', ranked.version) AS provenance
  FROM (SELECT v.*,
               row_number() OVER (PARTITION BY v.entity, v.attribute
                                  ORDER BY CASE v.rule WHEN 'most_frequent' THEN -v.freq ELSE 0 END,
                                           CASE v.rule WHEN 'source_priority'
                                                THEN coalesce(array_position(v.sources, v.source), 2147483647)
                                                ELSE 0 END,
                                           CASE v.rule WHEN 'most_complete'
                                                THEN -length(v.value #>> '{}') ELSE 0 END,
                                           v.updated_at DESC, v.record DESC) AS rn
          FROM (SELECT r.entity, a.key AS attribute, a.value, r.id AS record, r.source, r.source_key,
                       r.version, r.updated_at, coalesce(s.rule, 'most_recent') AS rule,
                       s.source_priority AS sources,
                       count(*) OVER (PARTITION BY r.entity, a.key, a.value) AS freq
                  FROM cdm.record r
                  JOIN cdm.entity e ON e.id = r.entity AND e.merged_into IS NULL
                  CROSS JOIN LATERAL jsonb_each(cdm._store_clean(r.attrs)) a
                  LEFT JOIN cdm.survivorship s ON s.attribute = a.key
                 WHERE r.retired_at IS NULL
                   AND NOT EXISTS (SELECT 1 FROM cdm.golden_override o
                                    WHERE o.entity = r.entity AND o.attribute = a.key)) v
       ) ranked
 WHERE ranked.rn = 1
UNION ALL
SELECT o.entity, o.attribute, o.value,
       jsonb_build_object('rule', 'override', 'reason', o.reason, 'set_by', o.set_by, 'set_at', o.set_at)
  FROM cdm.golden_override o
  JOIN cdm.entity e ON e.id = o.entity AND e.merged_into IS NULL
 WHERE EXISTS (SELECT 1 FROM cdm.record r WHERE r.entity = o.entity AND r.retired_at IS NULL);
COMMENT ON VIEW cdm.golden_value IS
'One row per live entity and attribute: the surviving value over the entity''s live records (current versions) by the attribute''s rule in cdm.survivorship (default most_recent), or the steward override. provenance says where it came from: {"rule", "record", "source", "source_key", "version"}, or {"rule": "override", "reason", "set_by", "set_at"}.';

CREATE VIEW cdm.golden AS
SELECT l.entity,
       coalesce(g.attrs, '{}'::jsonb) AS attrs,
       coalesce(g.provenance, '{}'::jsonb) AS provenance,
       l.records,
       l.updated_at
  FROM (SELECT r.entity, count(*)::integer AS records, max(r.updated_at) AS updated_at
          FROM cdm.record r
          JOIN cdm.entity e ON e.id = r.entity AND e.merged_into IS NULL
         WHERE r.retired_at IS NULL
         GROUP BY r.entity) l
  LEFT JOIN (SELECT v.entity, jsonb_object_agg(v.attribute, v.value) AS attrs,
                    jsonb_object_agg(v.attribute, v.provenance) AS provenance
               FROM cdm.golden_value v
              GROUP BY v.entity) g ON g.entity = l.entity;
COMMENT ON VIEW cdm.golden IS
'The golden record: one row per live entity (not merged away, at least one live record). attrs: per attribute the surviving value (cdm.golden_value: survivorship rule of cdm.survivorship, default most recent; steward overrides win); provenance: per attribute, which record version (source, source_key, version) and rule gave it, or the override. records: live records; updated_at: the latest ingest among them. Computed when read: filter by entity (WHERE entity = ...) to read one.';

CREATE FUNCTION cdm.set_golden(entity bigint, attribute text, value text, reason text) RETURNS void
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  e bigint;
BEGIN
  IF set_golden.entity IS NULL OR set_golden.attribute IS NULL THEN
    RAISE EXCEPTION 'cdm.set_golden: entity and attribute must not be NULL' USING ERRCODE = '22004';
  END IF;
  IF btrim(set_golden.attribute) = '' THEN
    RAISE EXCEPTION 'cdm.set_golden: attribute must not be empty' USING ERRCODE = '22023';
  END IF;
  e := cdm._store_lock_entity(set_golden.entity, 'share');
  IF set_golden.value IS NULL THEN
    DELETE FROM cdm.golden_override o WHERE o.entity = e AND o.attribute = set_golden.attribute;
  ELSE
    INSERT INTO cdm.golden_override AS o (entity, attribute, value, reason)
    VALUES (e, set_golden.attribute, to_jsonb(set_golden.value), set_golden.reason)
    ON CONFLICT ON CONSTRAINT golden_override_pkey DO UPDATE
      SET value = excluded.value, reason = excluded.reason,
          set_by = cdm._actor(), set_at = clock_timestamp();
  END IF;
  PERFORM cdm._log('override', e, NULL, NULL, NULL, NULL, set_golden.reason,
                   jsonb_build_object('attribute', set_golden.attribute, 'value', set_golden.value));
END
$$;
COMMENT ON FUNCTION cdm.set_golden(bigint, text, text, text) IS
'A steward override of one golden value: the entity''s attribute is value (a string), whatever its records say now or later; NULL value removes the override (the survivorship rule applies again). Follows merges; logged as an override event with reason. NULL entity or attribute: 22004; empty attribute: 22023; unknown entity: 42704.';

CREATE VIEW cdm.review AS
SELECT ri.id AS review_id,
       ri.record_a, ra.source AS source_a, ra.source_key AS source_key_a, ra.entity AS entity_a,
       ri.record_b, rb.source AS source_b, rb.source_key AS source_key_b, rb.entity AS entity_b,
       ri.probability, ri.created_at, ra.attrs AS attrs_a, rb.attrs AS attrs_b
  FROM cdm.review_item ri
  JOIN cdm.record ra ON ra.id = ri.record_a
  JOIN cdm.record rb ON rb.id = ri.record_b
 WHERE ri.resolved_at IS NULL AND ra.retired_at IS NULL AND rb.retired_at IS NULL;
COMMENT ON VIEW cdm.review IS
'The steward''s queue: open pairs of live records in different entities that cdm.ingest scored in the grey zone (review_threshold <= probability < link_threshold, or a strong match held in a second entity). Answer each with cdm.decide(record_a, record_b, ''match'' | ''no_match'', reason); a merge that joins the two entities closes the item too.';
