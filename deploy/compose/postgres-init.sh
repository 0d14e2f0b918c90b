#!/bin/sh
# First start of the compose PostgreSQL only: the two roles CLA Graph needs (stores/README.md,
# "Database roles"): the owner migrates (the `migrate` service), the services connect as the
# service role, which can only INSERT and SELECT the append-only tables.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v owner_password="$CLA_OWNER_PASSWORD" -v service_password="$CLA_SERVICE_PASSWORD" <<'SQL'
CREATE ROLE cla_owner LOGIN PASSWORD :'owner_password';
CREATE ROLE cla_service LOGIN PASSWORD :'service_password';
CREATE DATABASE cla_graph OWNER cla_owner;
SQL
