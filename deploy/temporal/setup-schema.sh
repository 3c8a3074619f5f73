#!/bin/sh
# Creates Temporal's schemas in PostgreSQL, or upgrades them to what this admin-tools
# image ships. Safe on every start: the tool skips what is already applied. Run it with
# the admin-tools image of the same version as the server.
#
# The two databases exist already (deploy/postgres/create-databases.sh makes them, owned
# by the `temporal` role); with a PostgreSQL of your own, create them the same way first.
set -eu
: "${POSTGRES_SEEDS:?the PostgreSQL host}"
: "${POSTGRES_USER:?the role that owns the temporal databases}"
: "${POSTGRES_PWD:?its password (env/temporal.env)}"

SCHEMA_DIR=/etc/temporal/schema/postgresql/v12
# The tool reads the password from the environment: it never shows in a process list.
SQL_PASSWORD="$POSTGRES_PWD"
export SQL_PASSWORD

sql_tool() {
    temporal-sql-tool --plugin postgres12 --endpoint "$POSTGRES_SEEDS" \
        --port "${DB_PORT:-5432}" --user "$POSTGRES_USER" "$@"
}

for pair in "${DBNAME:-temporal}:temporal" "${VISIBILITY_DBNAME:-temporal_visibility}:visibility"; do
    database=${pair%%:*}
    schema=${pair#*:}
    echo "temporal schema: $database"
    # Version 0.0 only creates the bookkeeping tables; a newer schema is left alone.
    sql_tool --database "$database" setup-schema -v 0.0
    sql_tool --database "$database" update-schema -d "$SCHEMA_DIR/$schema/versioned"
done
echo "temporal schema: up to date"
