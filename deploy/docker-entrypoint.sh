#!/bin/sh
# The image's one entry point: which CLA Graph service this container runs, from SERVICE (or
# the first argument): `gateway`, a subgraph by its folder name (`social-care`, `education`,
# ... any `subgraphs/<name>/main.ts`), `alert-worker` (the alert pipeline: change feeds, daily
# sweep, webhooks), `exchange-sync` (partner authorities' registers), `simulator-<system>` (the stand-ins for the council's systems: social-care,
# education, finance) or `migrate` (the deployment step that migrates the database as its owner).
# `exec`: the service itself is the container's process and gets its SIGTERM.
set -eu
service="${1:-${SERVICE:-gateway}}"
case "$service" in
  gateway) entry=gateway/main.ts ;;
  migrate) entry=stores/migrate-main.ts ;;
  alert-worker) entry=events/main.ts ;;
  exchange-sync) entry=exchange/main.ts ;;
  simulator-*) entry="simulators/${service#simulator-}/main.ts" ;;
  *) entry="subgraphs/${service}/main.ts" ;;
esac
if [ ! -f "$entry" ]; then
  echo "unknown SERVICE '${service}': gateway, migrate, alert-worker, exchange-sync, simulator-<system> or a subgraph's name" >&2
  exit 64
fi
export SERVICE="$service"
exec node --import tsx "$entry"
