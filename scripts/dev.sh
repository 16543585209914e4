#!/usr/bin/env bash
# The first README command: install what is missing, build, start a local
# PostgreSQL in .data/, migrate, seed the demo data and serve API and web app
# on http://localhost:8080 (Ctrl-C stops the server; the cluster keeps running).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

install_missing serve
build_api "$ROOT/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPORTAL_SANITIZE=OFF -DPORTAL_TESTS=OFF
build_frontend
start_cluster
dev_env
log "migrating"
"$ROOT/build/portal-api" migrate
log "seeding demo data"
"$ROOT/build/portal-api" seed-demo
log "serving on $PORTAL_PUBLIC_URL (mail goes to .data/mail/)"
exec "$ROOT/build/portal-api" serve
