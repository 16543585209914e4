# scripts/lib.sh: shared set-up steps for dev.sh and test.sh (sourced).
# Everything is idempotent: running it twice changes nothing the second time.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="$ROOT/.data"

# What building and serving need (dev.sh): compiler, libraries, PostgreSQL.
SERVE_PACKAGES=(
  build-essential cmake pkg-config git ca-certificates curl
  libulfius-dev liborcania-dev libyder-dev libjansson-dev libmicrohttpd-dev
  libpq-dev libjwt-dev libssl-dev libcurl4-gnutls-dev
  liboath-dev libargon2-dev libpwquality-dev cracklib-runtime libqrencode-dev
  libxlsxwriter-dev libzip-dev libexpat1-dev libcairo2-dev libpango1.0-dev
  postgresql postgresql-contrib oathtool
  python3 python3-yaml # the build embeds openapi.yaml as JSON (scripts/openapi_embed.py)
)
# What only the tests need besides (test.sh): unit-test library, Python test
# packages, the browser and its driver, linters.
TEST_PACKAGES=(
  libcmocka-dev
  python3 python3-pytest python3-requests python3-pyotp python3-openpyxl
  python3-aiosmtpd python3-selenium python3-yaml python3-cryptography python3-jwt
  chromium chromium-driver jq clang-format cppcheck
  clang libclang-rt-14-dev # libFuzzer for tests/fuzz/run.sh
  nginx # tests/api/test_proxy_nginx.py runs deploy/nginx.conf in front of the API
)

log() { printf '\n==> %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_missing() {  # install_missing serve|test
  local wanted=("${SERVE_PACKAGES[@]}")
  [ "${1:-test}" = test ] && wanted+=("${TEST_PACKAGES[@]}")
  local missing=()
  for p in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  # Node.js: this machine may already have one from elsewhere (whose npm
  # conflicts with Debian's npm package); a bare Debian 12 needs Debian's.
  if ! command -v node >/dev/null 2>&1; then
    missing+=(nodejs npm)
  elif ! command -v npm >/dev/null 2>&1; then
    missing+=(npm)
  fi
  if [ "${#missing[@]}" -gt 0 ]; then
    log "installing ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

build_api() {  # build_api <build-dir> [cmake args...]
  local dir="$1"; shift
  log "building portal-api in ${dir#$ROOT/}"
  cmake -S "$ROOT" -B "$dir" "$@" >/dev/null
  cmake --build "$dir" -j "$(nproc)"
}

npm_ci() {  # npm_ci <folder>: install exactly the lockfile, only when it changed
  local dir="$1"
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    log "installing npm packages in ${dir#$ROOT/}"
    # npm ci insists on lockfile entries for every platform's optional
    # packages (rollup's native builds), which some registry mirrors leave
    # out; npm install then installs the same pinned versions instead.
    (cd "$dir" && { npm ci --no-audit --no-fund --loglevel=error 2>/dev/null ||
                    npm install --no-audit --no-fund --loglevel=error; })
  fi
}

build_frontend() {
  if [ -f "$ROOT/frontend/package.json" ]; then
    npm_ci "$ROOT/frontend"
    log "building the web app"
    (cd "$ROOT/frontend" && npm run --silent build)
  fi
}

pg_bindir() { ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1; }

run_pg() {  # initdb/pg_ctl refuse root: run them as postgres then
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# Starts (creating on first use) the development cluster in .data/pg, on a
# unix socket in .data/run and port 5433, and creates the database portal.
start_cluster() {
  local bin; bin="$(pg_bindir)"
  mkdir -p "$DATA/run" "$DATA/mail" "$DATA/sms"
  if [ "$(id -u)" -eq 0 ]; then
    chmod 755 "$DATA"
    chown postgres "$DATA/run"
    if ! runuser -u postgres -- test -x "$DATA"; then
      echo "PostgreSQL's user cannot reach $DATA; move the project under a readable path" >&2
      exit 1
    fi
  fi
  if [ ! -f "$DATA/pg/PG_VERSION" ]; then
    log "creating the PostgreSQL cluster in .data/pg"
    mkdir -p "$DATA/pg"
    [ "$(id -u)" -eq 0 ] && chown postgres "$DATA/pg"
    run_pg "$bin/initdb" -D "$DATA/pg" -A trust -U postgres -E UTF8 >/dev/null
  fi
  if ! run_pg "$bin/pg_ctl" -D "$DATA/pg" status >/dev/null 2>&1; then
    log "starting PostgreSQL"
    run_pg "$bin/pg_ctl" -D "$DATA/pg" -w -l "$DATA/run/postgres.log" \
      -o "-k $DATA/run -p 5433 -c listen_addresses=''" start >/dev/null
  fi
  if ! psql -X -h "$DATA/run" -p 5433 -U postgres -Atc "SELECT 1 FROM pg_database WHERE datname='portal'" postgres | grep -q 1; then
    psql -X -q -h "$DATA/run" -p 5433 -U postgres -c "CREATE DATABASE portal" postgres
  fi
}

dev_env() {
  export PORTAL_ENV=development
  export PORTAL_DATABASE_URL="postgresql://postgres@/portal?host=$DATA/run&port=5433"
  export PORTAL_PORT="${PORTAL_PORT:-8080}"
  export PORTAL_PUBLIC_URL="${PORTAL_PUBLIC_URL:-http://localhost:$PORTAL_PORT}"
  export PORTAL_MAIL_DIR="$DATA/mail"
  export PORTAL_SMS_DIR="$DATA/sms"
  export PORTAL_JWT_PRIVATE_KEY_FILE="$DATA/jwt-private.pem"
  export PORTAL_FRONTEND_DIR="$ROOT/frontend/dist"
  export PORTAL_SHARE_DIR="$ROOT"
}
