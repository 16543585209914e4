#!/usr/bin/env bash
# Static checks of the C sources: clang-format (the checked-in .clang-format),
# cppcheck and the layer check (scripts/check_layers.py). Prints what is
# wrong; exits non-zero when anything is.
set -u
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT" || exit 2
mapfile -t files < <(git ls-files 'api/src/*.c' 'api/src/*.h' 'tests/unit/*.c')
status=0
if ! clang-format --dry-run --Werror "${files[@]}"; then
  echo "clang-format: run clang-format -i on the files above" >&2
  status=1
fi
# jansson's iteration macros are given to cppcheck as plain loops (it does
# not read system headers). Its preprocessor cannot expand the SQL text
# macros of the participant store (string literals with parentheses inside
# macro arguments), so it skips those two files: gcc -Wall -Wextra -Werror
# and the sanitizer runs still cover them.
if ! cppcheck --quiet --error-exitcode=1 --inline-suppr \
    --enable=warning,performance,portability,style \
    --suppress=missingIncludeSystem \
    --suppress=preprocessorErrorDirective:api/src/store/participants.c \
    --suppress=preprocessorErrorDirective:api/src/store/participants_sql.h \
    "-Djson_array_foreach(array,index,value)=for(index=0;index<1;index++)" \
    "-Djson_object_foreach(object,key,value)=for(;key;)" \
    -I api/src api/src; then
  status=1
fi
# The layers of api/src point down only (README "Layout"); no banned C
# functions.
if ! python3 "$ROOT/scripts/check_layers.py"; then
  status=1
fi
[ "$status" -eq 0 ] && echo "clang-format, cppcheck and layers: clean (${#files[@]} files)"
exit "$status"
