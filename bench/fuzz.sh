#!/usr/bin/env bash
# bench/fuzz.sh [hours]: the long fuzzing run. Builds and runs every
# libFuzzer target of tests/fuzz/ (upload readers and request parsers) one
# after another for the given hours each (default 1; fractions such as 0.25
# work), through tests/fuzz/run.sh. The corpus grown in build-fuzz/corpus_*
# is kept, so a later run goes on from it. A crash leaves
# build-fuzz/crash-<target>-* and makes the run fail: turn it into a unit
# test in tests/unit/, fix it, and add the input to tests/fuzz/seeds/.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HOURS="${1:-1}"
SECONDS_PER_TARGET="$(awk -v h="$HOURS" 'BEGIN { s = int(h * 3600); if (s < 1) exit 1; print s }')" || {
  echo "usage: bench/fuzz.sh [hours]  (a positive number)" >&2
  exit 2
}
echo "fuzzing every target for ${SECONDS_PER_TARGET}s each" >&2
exec "$ROOT/tests/fuzz/run.sh" "$SECONDS_PER_TARGET"
