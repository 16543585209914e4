#!/usr/bin/env bash
# Builds the release binary and runs the benchmarks, printing their tables.
# Usage: bench/run.sh [auth|perf ...]   (default: auth and perf)
#   auth: sign-in cost (auth_bench.py)
#   perf: the performance budget of DESIGN.md §6 against its floors (perf_bench.py)
#   scale: the same scenarios at 100,000 and 1,000,000 participants (scale_bench.py; not in the default)
#   soak: 1,000 slow clients beside the list, then ten minutes of mixed load (soak_bench.py; not in the default)
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
install_missing
dpkg-query -W -f='${Status}' wrk 2>/dev/null | grep -q "install ok installed" ||
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk postgresql-contrib
build_api "$ROOT/build-release" -DCMAKE_BUILD_TYPE=Release -DPORTAL_SANITIZE=OFF -DPORTAL_TESTS=OFF
export PORTAL_BINARY="$ROOT/build-release/portal-api"
[ $# -gt 0 ] || set -- auth perf
for b in "$@"; do
  log "benchmark: $b"
  /usr/bin/python3 "$ROOT/bench/${b}_bench.py"
done
