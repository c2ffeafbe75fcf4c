-- ---------------------------------------------------------------------------
-- Entity store: registered sources.  A table of the user's becomes a source:
-- its rows are ingested once, then a trigger keeps the store current as
-- rows are inserted, updated or deleted (a delete retires the record).
-- ---------------------------------------------------------------------------

CREATE TABLE cdm.source (
  name          text PRIMARY KEY,
  relation      regclass NOT NULL,
  key_column    text NOT NULL,
  roles         jsonb NOT NULL,
  registered_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  registered_by text NOT NULL DEFAULT cdm._actor()
);
COMMENT ON TABLE cdm.source IS
'Sources registered with cdm.register_source: the table, its key column and which column plays which role; a trigger on the table (cdm_source_<name>) keeps the store current.';
COMMENT ON COLUMN cdm.source.name IS 'The source name records are ingested under.';
COMMENT ON COLUMN cdm.source.relation IS 'The user''s table.';
COMMENT ON COLUMN cdm.source.key_column IS 'The column giving source_key (as text).';
COMMENT ON COLUMN cdm.source.roles IS 'Attribute name -> column name, e.g. {"given_name": "first_name", "email": "mail"}.';
COMMENT ON COLUMN cdm.source.registered_at IS 'When.';
COMMENT ON COLUMN cdm.source.registered_by IS 'Who.';
SELECT pg_catalog.pg_extension_config_dump('cdm.source', '');

CREATE FUNCTION cdm._source_attrs(row_data jsonb, roles jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT coalesce(jsonb_object_agg(r.key, coalesce($1 -> (r.value #>> '{}'), 'null'::jsonb)), '{}'::jsonb)
    FROM jsonb_each($2) r
$$;
COMMENT ON FUNCTION cdm._source_attrs(jsonb, jsonb) IS
'Internal: the attributes of a row (as to_jsonb(row)) under a source''s roles mapping (attribute -> column); a NULL column gives a JSON null.';

CREATE FUNCTION cdm._source_trigger() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  s       cdm.source;
  old_key text;
  new_key text;
  what    text := quote_ident(TG_TABLE_SCHEMA) || '.' || quote_ident(TG_TABLE_NAME);
BEGIN
  SELECT * INTO s FROM cdm.source x WHERE x.name = TG_ARGV[0];
  IF NOT FOUND THEN
    RAISE EXCEPTION 'cdm: table % feeds source "%", which is not registered', what, TG_ARGV[0]
      USING ERRCODE = '42704', HINT = 'Drop the trigger or register the source again.';
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    old_key := to_jsonb(OLD) ->> s.key_column;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    new_key := to_jsonb(NEW) ->> s.key_column;
    IF new_key IS NULL THEN
      RAISE EXCEPTION 'cdm: a row of % has a NULL key (column %), so source "%" cannot keep it', what, s.key_column, s.name
        USING ERRCODE = '23502';
    END IF;
  END IF;
  -- a new key first, so the old record is still there to be found and the
  -- new one joins its entity; then the old one is retired
  IF new_key IS NOT NULL THEN
    PERFORM cdm._store_ingest(s.name, new_key, cdm._source_attrs(to_jsonb(NEW), s.roles));
  END IF;
  IF old_key IS NOT NULL AND old_key IS DISTINCT FROM new_key
     AND EXISTS (SELECT 1 FROM cdm.record r WHERE r.source = s.name AND r.source_key = old_key) THEN
    PERFORM cdm._store_retire(s.name, old_key,
                       CASE TG_OP WHEN 'DELETE' THEN 'deleted from ' || what
                                  ELSE 'key changed to ' || new_key || ' in ' || what END);
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION cdm._source_trigger() IS
'Internal: the AFTER ROW trigger of a registered source (TG_ARGV[0] is its name): insert and update ingest the row (a new version when it changed), delete retires the record, a changed key ingests the new record (which finds the old one and joins its entity) and retires the old one. A NULL key is an error (23502). Calls the store''s work directly, without the retry of cdm.ingest: a statement may write many rows in one transaction, whose locks a retry would not release; a deadlock reaches the writer, who retries the transaction.';

CREATE FUNCTION cdm._source_add(name text, relation regclass, key_column text, roles jsonb)
RETURNS void
LANGUAGE sql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
  INSERT INTO cdm.source (name, relation, key_column, roles) VALUES ($1, $2, $3, $4)
$$;
COMMENT ON FUNCTION cdm._source_add(text, regclass, text, jsonb) IS
'Internal: the row of cdm.register_source in cdm.source (written as the extension''s owner; register_source itself runs as its caller, who must be allowed to create the trigger on the table).';

CREATE FUNCTION cdm.register_source(name text, relation regclass, key_column text, roles jsonb)
RETURNS bigint
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  r     record;
  n     bigint := 0;
  col   text;
BEGIN
  IF register_source.name IS NULL OR register_source.relation IS NULL
     OR register_source.key_column IS NULL OR register_source.roles IS NULL THEN
    RAISE EXCEPTION 'cdm.register_source: arguments must not be NULL' USING ERRCODE = '22004';
  END IF;
  IF jsonb_typeof(register_source.roles) <> 'object' THEN
    RAISE EXCEPTION 'cdm.register_source: roles must be a JSON object (attribute -> column), got a JSON %',
      jsonb_typeof(register_source.roles)
      USING ERRCODE = '22023', HINT = 'e.g. {"given_name": "first_name", "email": "mail"}';
  END IF;
  FOR col IN SELECT register_source.key_column
             UNION ALL
             SELECT CASE jsonb_typeof(e.value) WHEN 'string' THEN e.value #>> '{}' END
               FROM jsonb_each(register_source.roles) e LOOP
    IF col IS NULL OR NOT EXISTS (SELECT 1 FROM pg_attribute a
                                   WHERE a.attrelid = register_source.relation AND a.attname = col
                                     AND a.attnum > 0 AND NOT a.attisdropped) THEN
      RAISE EXCEPTION 'cdm.register_source: relation % has no column %', register_source.relation,
        coalesce(quote_ident(col), '(a role mapped to something else than a column name)')
        USING ERRCODE = '42703';
    END IF;
  END LOOP;
  PERFORM cdm._source_add(register_source.name, register_source.relation, register_source.key_column,
                          register_source.roles);
  EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %s FOR EACH ROW EXECUTE FUNCTION cdm._source_trigger(%L)',
                 'cdm_source_' || register_source.name, register_source.relation, register_source.name);
  FOR r IN EXECUTE format('SELECT to_jsonb(t) AS j FROM %s t', register_source.relation) LOOP
    IF r.j ->> register_source.key_column IS NULL THEN
      RAISE EXCEPTION 'cdm.register_source: a row of % has a NULL key (column %)', register_source.relation,
        register_source.key_column USING ERRCODE = '23502';
    END IF;
    PERFORM cdm.ingest(register_source.name, r.j ->> register_source.key_column,
                       cdm._source_attrs(r.j, register_source.roles));
    n := n + 1;
  END LOOP;
  RETURN n;
END
$$;
COMMENT ON FUNCTION cdm.register_source(text, regclass, text, jsonb) IS
'Make a table a source of the store: records named (name, key_column as text), attributes from roles ({"attribute": "column", ...}; role names as in cdm.ingest, other names kept as extra attributes). Ingests every current row, then an AFTER ROW trigger cdm_source_<name> keeps the store current: inserts and updates are ingested (a changed row is a new version), deletes retire the record (logged, nothing destroyed), a changed key ingests the new record, which joins the old one''s entity, then retires the old one. Returns the rows ingested. The trigger runs cdm.ingest in the writer''s transaction as cdm''s owner (registering the table is the authorisation: whoever may write to it feeds the store). Runs as its caller, who must be allowed to create a trigger on the relation (its owner, or TRIGGER privilege). NULL argument 22004; roles not an object 22023; unknown column 42703; a NULL key 23502; a name registered twice 23505.';
