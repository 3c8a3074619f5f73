#!/bin/sh
# Runs once, when PostgreSQL's data volume is first initialised (the image runs every
# script in /docker-entrypoint-initdb.d): one role and database per owner, so Temporal
# and Redress cannot touch each other's tables. Passwords come from env/postgres.env.
set -eu
: "${TEMPORAL_DB_PASSWORD:?set it in env/postgres.env}"
: "${REDRESS_DB_PASSWORD:?set it in env/postgres.env}"

# psql fills :'name' in as a quoted literal, so a password needs no escaping here.
psql --set ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    --set temporal_password="$TEMPORAL_DB_PASSWORD" \
    --set redress_password="$REDRESS_DB_PASSWORD" <<'SQL'
CREATE ROLE temporal LOGIN PASSWORD :'temporal_password';
CREATE DATABASE temporal OWNER temporal;
CREATE DATABASE temporal_visibility OWNER temporal;
CREATE ROLE redress LOGIN PASSWORD :'redress_password';
CREATE DATABASE redress OWNER redress;
SQL
