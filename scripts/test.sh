#!/usr/bin/env bash
# The second README command: the same set-up, then every test: the C static
# checks (clang-format, cppcheck, layers), C unit tests (ctest, under AddressSanitizer
# and UBSan), the OpenAPI lint, the web app's
# type check and unit tests, the API tests against the real binary, a real
# PostgreSQL and a real SMTP sink, and the browser tests. Each runner prints
# its own summary; the script exits non-zero when any of them failed.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
set +e
failed=()
step() {  # step <name> <command...>
  local name="$1"; shift
  log "$name"
  "$@" || failed+=("$name")
}

set -e
install_missing test
build_api "$ROOT/build-test" -DCMAKE_BUILD_TYPE=Debug -DPORTAL_SANITIZE=ON
build_frontend
npm_ci "$ROOT/tests/lint"
set +e

export PORTAL_BINARY="$ROOT/build-test/portal-api"
export ASAN_OPTIONS="detect_leaks=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

step "C static checks (clang-format, cppcheck, layers)" "$ROOT/scripts/check_c.sh"
step "unit tests (ctest)" ctest --test-dir "$ROOT/build-test" --output-on-failure
step "fuzzing the upload readers (libFuzzer, 30 s per target)" "$ROOT/tests/fuzz/run.sh" 30
step "OpenAPI lint" env REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
  npm --prefix "$ROOT/tests/lint" run --silent lint:openapi
step "OpenAPI lint: Dutch API Design Rules" /usr/bin/python3 "$ROOT/scripts/check_openapi.py"
step "docker-compose.yml" /usr/bin/python3 "$ROOT/tests/check_compose.py"
if [ -f "$ROOT/frontend/package.json" ]; then
  step "web app type check" npm --prefix "$ROOT/frontend" run --silent typecheck
  step "web app unit tests (vitest)" npm --prefix "$ROOT/frontend" test --silent
fi
step "API tests (pytest)" /usr/bin/python3 -m pytest -q -p no:cacheprovider "$ROOT/tests/api"
if [ -d "$ROOT/tests/browser" ] && ls "$ROOT"/tests/browser/test_*.py >/dev/null 2>&1; then
  step "browser tests (pytest + selenium)" /usr/bin/python3 -m pytest -q -p no:cacheprovider "$ROOT/tests/browser"
fi

if [ "${#failed[@]}" -gt 0 ]; then
  printf '\nFAILED: %s\n' "${failed[*]}" >&2
  exit 1
fi
printf '\nAll test suites passed.\n' >&2
