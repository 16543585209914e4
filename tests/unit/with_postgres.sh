#!/usr/bin/env bash
# Runs one test program against a throwaway PostgreSQL cluster: initdb in a
# temporary folder (as user postgres when run as root: initdb and pg_ctl
# refuse root), a server on a Unix socket only in that folder, a database
# "portal"; PORTAL_TEST_DATABASE_URL points the program at it. The cluster
# is stopped and removed when the program ends, whatever its result. With
# PORTAL_TEST_DATABASE_URL already set, the program runs against that.
set -eu
if [ -n "${PORTAL_TEST_DATABASE_URL:-}" ]; then
  exec "$@"
fi
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
if [ -z "$bin" ]; then
  echo "with_postgres.sh: no PostgreSQL server binaries under /usr/lib/postgresql" >&2
  exit 1
fi
dir="$(mktemp -d /tmp/portal-unit-pg.XXXXXX)"
run_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
[ "$(id -u)" -eq 0 ] && chown postgres "$dir"
cleanup() {
  run_pg "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
run_pg "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --no-sync >/dev/null
run_pg "$bin/pg_ctl" -D "$dir/data" -w -l "$dir/postgres.log" \
  -o "-k $dir -c listen_addresses= -p 5499 -c fsync=off" start >/dev/null
run_pg "$bin/createdb" -h "$dir" -p 5499 -U postgres portal
export PORTAL_TEST_DATABASE_URL="postgresql://postgres@/portal?host=$dir&port=5499"
"$@"
