-- Conformance harness: runs one published vector file through a SQL call.
-- Loaded by test/conformance/run-sql.sh into a scratch schema.

CREATE TABLE conf_result (file text, rn int, input jsonb, got text, expected text, ok boolean, note text);

CREATE TABLE conf_deviation (file text, a text, b text, cdm text, reason text);

-- Evaluates expr (which reads the row as $1 jsonb) for every row of table tbl and compares
-- the result with the row's "expected" column; rows listed in conf_deviation must instead
-- give exactly the documented cdm value.  Errors are caught and reported as 'ERROR <sqlstate>'.
CREATE FUNCTION conf_run(file text, tbl text, expr text, mode text, tol float8, bcol text)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    r record;
    got text;
    exp text;
    dev text;
    ok boolean;
    n int := 0;
BEGIN
    FOR r IN EXECUTE format('SELECT to_jsonb(t) AS j FROM %I t', tbl) LOOP
        n := n + 1;
        BEGIN
            EXECUTE format('SELECT (%s)::text', expr) INTO got USING r.j;
        EXCEPTION WHEN OTHERS THEN
            got := 'ERROR ' || SQLSTATE;
        END;
        exp := r.j->>'expected';
        SELECT d.cdm INTO dev FROM conf_deviation d
         WHERE d.file = conf_run.file AND d.a = coalesce(r.j->>'a', '')
           AND d.b = coalesce(CASE WHEN bcol IS NULL THEN '' ELSE r.j->>bcol END, '');
        IF dev IS NOT NULL THEN
            ok := got IS NOT DISTINCT FROM dev
                  OR (mode = 'float' AND got ~ '^[-0-9.e]+$' AND dev ~ '^[-0-9.e]+$'
                      AND abs(got::float8 - dev::float8) <= 5e-7)
                  OR (mode = 'set' AND got LIKE '{%' AND dev LIKE '{%'
                      AND got::text[] @> dev::text[] AND got::text[] <@ dev::text[]);
            INSERT INTO conf_result VALUES (file, n, r.j, got, dev, ok, 'deviation');
            CONTINUE;
        END IF;
        ok := CASE mode
            WHEN 'exact' THEN got IS NOT DISTINCT FROM exp
            WHEN 'float' THEN got IS NOT NULL AND got !~ '^ERROR'
                              AND abs(got::float8 - exp::float8) <= CASE
                                  WHEN r.j->>'tolerance' = 'exact' THEN 1e-12
                                  WHEN r.j->>'tolerance' ~ '^[0-9.e-]+$' THEN greatest((r.j->>'tolerance')::float8, 1e-12)
                                  ELSE tol END
            WHEN 'set' THEN got IS NOT NULL AND got LIKE '{%'
                              AND got::text[] @> exp::text[] AND got::text[] <@ exp::text[]
            -- invariants of cdm.fold: the expression is a boolean that must hold
            WHEN 'holds' THEN got = 'true'
            -- the input folds like the published expected value (case, accents, forms are invisible)
            WHEN 'fold' THEN got IS NOT DISTINCT FROM cdm.fold(exp)
            WHEN 'lessequal' THEN got = exp
                              OR (exp::int > (r.j->>'max_d')::int AND got::int > (r.j->>'max_d')::int)
            ELSE false END;
        INSERT INTO conf_result VALUES (file, n, r.j, got, exp, coalesce(ok, false), NULL);
    END LOOP;
    IF n = 0 THEN
        INSERT INTO conf_result VALUES (file, 0, NULL, NULL, NULL, false, 'no rows');
    END IF;
END $$;
