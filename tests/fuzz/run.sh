#!/usr/bin/env bash
# tests/fuzz/run.sh [seconds]: builds the libFuzzer targets for the upload
# readers (CSV, XLSX, content sniffing) with clang, AddressSanitizer and
# UBSan, and runs each for the given seconds (default 30, or $FUZZ_SECONDS).
# The request-parsing targets (JSON body readers, tokens, headers and query
# string, cursors, domain parsers) link against the server's sources built
# with clang by CMake into build-fuzz/core, and run for the same seconds.
# Needs clang and libclang-rt-14-dev (libFuzzer). The checked-in seeds in
# tests/fuzz/seeds/<target>/ are read; new inputs go to build-fuzz/, never
# into the seeds. A crash leaves build-fuzz/crash-<target>-* and fails the
# run: turn it into a unit test before fixing it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SECONDS_PER_TARGET="${1:-${FUZZ_SECONDS:-30}}"
OUT="$ROOT/build-fuzz"
CC="${FUZZ_CC:-clang}"
mkdir -p "$OUT"
SOURCES=(
  "$ROOT/api/src/formats/sniff.c" "$ROOT/api/src/formats/csv_reader.c"
  "$ROOT/api/src/formats/xlsx_reader.c" "$ROOT/api/src/formats/sheet_columns.c"
  "$ROOT/api/src/base/buf.c" "$ROOT/api/src/domain/civil_date.c"
)
# The XLSX reader's other parts (formats/xlsx_reader_internal.h).
SOURCES+=(
  "$ROOT/api/src/formats/xlsx_reader_zip.c" "$ROOT/api/src/formats/xlsx_reader_parts.c"
  "$ROOT/api/src/formats/xlsx_reader_sheet.c"
)
# shellcheck disable=SC2207
LIBS=($(pkg-config --cflags --libs libzip expat))
status=0
for target in csv xlsx sniff; do
  bin="$OUT/fuzz_$target"
  "$CC" -std=c11 -g -O1 -Wall -Wextra -Werror \
    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
    -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -I "$ROOT/api/src" \
    "$ROOT/tests/fuzz/fuzz_$target.c" "${SOURCES[@]}" "${LIBS[@]}" -lm -o "$bin"
  mkdir -p "$OUT/corpus_$target"
  echo "fuzzing $target for ${SECONDS_PER_TARGET}s" >&2
  if ! ASAN_OPTIONS="detect_leaks=1" "$bin" -max_total_time="$SECONDS_PER_TARGET" \
      -max_len=65536 -rss_limit_mb=2048 -timeout=10 -print_final_stats=0 \
      -artifact_prefix="$OUT/crash-$target-" \
      "$OUT/corpus_$target" "$ROOT/tests/fuzz/seeds/$target" 2> "$OUT/fuzz_$target.log"; then
    tail -n 40 "$OUT/fuzz_$target.log" >&2
    echo "fuzz_$target found a crash: see $OUT/crash-$target-*" >&2
    status=1
  else
    grep -E "^(#[0-9]+ +DONE|Done)" "$OUT/fuzz_$target.log" | tail -n 1 >&2 || true
  fi
done

# The request-parsing targets: the whole server library, built once (and
# incrementally afterwards) with clang and the sanitizers.
REQUEST_TARGETS=(json_inputs jwt headers_query cursor domain_parsers)
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all"
cmake -S "$ROOT" -B "$OUT/core" -DCMAKE_C_COMPILER="$CC" -DCMAKE_BUILD_TYPE=Debug \
  -DPORTAL_TESTS=OFF -DCMAKE_C_FLAGS="-O1 -fsanitize=fuzzer-no-link $SAN" > "$OUT/core.log"
cmake --build "$OUT/core" --target portal_core -j2 >> "$OUT/core.log" 2>&1 ||
  { tail -n 40 "$OUT/core.log" >&2; exit 1; }
# shellcheck disable=SC2207
CORE_LIBS=($(pkg-config --cflags --libs libulfius liborcania libyder jansson libpq libjwt openssl \
  libcurl libmicrohttpd liboath libargon2 pwquality libqrencode xlsxwriter libzip expat))
for target in "${REQUEST_TARGETS[@]}"; do
  bin="$OUT/fuzz_$target"
  # shellcheck disable=SC2086
  "$CC" -std=c11 -g -O1 -Wall -Wextra -Werror -fsanitize=fuzzer $SAN \
    -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -I "$ROOT/api/src" \
    "$ROOT/tests/fuzz/fuzz_$target.c" "$OUT/core/libportal_core.a" "${CORE_LIBS[@]}" \
    -lpthread -lm -o "$bin"
  mkdir -p "$OUT/corpus_$target"
  echo "fuzzing $target for ${SECONDS_PER_TARGET}s" >&2
  if ! ASAN_OPTIONS="detect_leaks=1" "$bin" -max_total_time="$SECONDS_PER_TARGET" \
      -max_len=16384 -rss_limit_mb=2048 -timeout=10 -print_final_stats=0 \
      -artifact_prefix="$OUT/crash-$target-" \
      "$OUT/corpus_$target" "$ROOT/tests/fuzz/seeds/$target" 2> "$OUT/fuzz_$target.log"; then
    tail -n 40 "$OUT/fuzz_$target.log" >&2
    echo "fuzz_$target found a crash: see $OUT/crash-$target-*" >&2
    status=1
  else
    grep -E "^(#[0-9]+ +DONE|Done)" "$OUT/fuzz_$target.log" | tail -n 1 >&2 || true
  fi
done
exit "$status"
