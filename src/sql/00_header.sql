-- cdm: customer data management for PostgreSQL.
-- This script is assembled from src/sql/*.sql, one file per layer.

\echo Use "CREATE EXTENSION cdm" to load this file. \quit
