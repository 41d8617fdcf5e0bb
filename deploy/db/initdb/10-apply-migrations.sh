#!/bin/sh
# Runs once, when the postgres image initialises an empty data directory (the official image's
# /docker-entrypoint-initdb.d contract). It applies the project's migrations — the same numbered
# files the services carry — and records each in schema_migrations exactly as the runner in
# packages/db/src/migrations.ts does, so the runner and every /readyz see the schema as current.
# Later migrations are applied by the runner (the migrations Job or the compose `migrate` step).
set -eu

MIGRATIONS_DIR="${MIGRATIONS_DIR:-/opt/voting/migrations}"
psql_db() {
  psql --no-psqlrc -v ON_ERROR_STOP=1 --quiet --username "${POSTGRES_USER:-postgres}" \
    --dbname "${POSTGRES_DB:-${POSTGRES_USER:-postgres}}" "$@"
}

# The same table the runner creates (keep the two definitions in step).
psql_db <<'SQL'
CREATE TABLE IF NOT EXISTS schema_migrations (
  id integer PRIMARY KEY,
  name text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
);
SQL

for file in "$MIGRATIONS_DIR"/*.sql; do
  base=$(basename "$file" .sql)    # 0001_rounds_and_ballots
  id=${base%%_*}                   # 0001 (the ::integer cast below makes it 1)
  name=${base#*_}                  # rounds_and_ballots
  echo "applying migration $base"
  # One transaction per migration with its bookkeeping row, as the runner does.
  psql_db --single-transaction -v id="$id" -v name="$name" -v file="$file" <<'SQL'
\i :file
INSERT INTO schema_migrations (id, name) VALUES (:'id'::integer, :'name');
SQL
done
