-- cdm: customer data management for PostgreSQL.
-- This script is assembled from src/sql/*.sql, one file per layer.

\echo Use "CREATE EXTENSION cdm" to load this file. \quit

-- The schema is the extension's: everyone may use what is in it (functions
-- are executable by PUBLIC as PostgreSQL's default; tables say their own).
GRANT USAGE ON SCHEMA cdm TO PUBLIC;

-- Who is calling, for the log and the *_by columns.  The store's writers
-- run as SECURITY DEFINER (callers need no rights on the tables, so the log
-- cannot be edited behind cdm's back), where current_user is the owner: the
-- caller is the role set by SET ROLE, else the session's user.
-- A body in SQL-standard form, bound when created (no search_path of its
-- own), so the planner inlines it into the column defaults that call it on
-- every row written (called, it was planned anew each time).
CREATE FUNCTION cdm._actor() RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
RETURN CASE WHEN pg_catalog.current_setting('role') OPERATOR(pg_catalog.=) 'none'
            THEN session_user::text
            ELSE pg_catalog.current_setting('role') END;
COMMENT ON FUNCTION cdm._actor() IS
'Internal: the role on whose behalf cdm acts (recorded as who / *_by): the current SET ROLE, else the session user; unlike current_user it is not the owner inside cdm''s SECURITY DEFINER functions.';
