-- cdm: customer data management for PostgreSQL.
-- This script is assembled from src/sql/*.sql, one file per layer.

\echo Use "CREATE EXTENSION cdm" to load this file. \quit

-- The schema is the extension's: everyone may use what is in it (functions
-- are executable by PUBLIC as PostgreSQL's default; tables say their own).
GRANT USAGE ON SCHEMA cdm TO PUBLIC;
