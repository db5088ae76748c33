#!/bin/sh
# run-tests.sh BUILD [runtime|viewer|chapters|conformance|GROUP/test_NAME]
#
# Runs every cmocka test program under BUILD/tests (or only one group, or
# one program), each from the repository root with BUILD as its argument, and ends
# with one line "N passed, N failed" over all the tests they ran.
# VALGRIND=1 runs each program under valgrind's memcheck, where any error or
# leak fails it.
set -u
BUILD=${1:?usage: run-tests.sh BUILD [group]}
ONLY=${2:-}

if [ -n "$ONLY" ] && [ -f "$BUILD/tests/$ONLY" ]; then
    programs="$BUILD/tests/$ONLY"
elif [ -n "$ONLY" ]; then
    programs=$(ls "$BUILD"/tests/"$ONLY"/test_* 2>/dev/null)
else
    programs=$(ls "$BUILD"/tests/*/test_* 2>/dev/null)
fi
[ -n "$programs" ] || { echo "run-tests: no test programs in $BUILD/tests" >&2; exit 1; }

wrapper=""
if [ "${VALGRIND:-0}" = 1 ]; then
    command -v valgrind >/dev/null || { echo "run-tests: valgrind is not installed" >&2; exit 1; }
    wrapper="valgrind -q --child-silent-after-fork=yes --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible --track-fds=no"
fi

passed=0
failed=0
broken=""
log=$(mktemp)
for program in $programs; do
    [ -x "$program" ] || continue
    echo "--- $program"
    # shellcheck disable=SC2086
    $wrapper "$program" "$BUILD" >"$log" 2>&1
    status=$?
    cat "$log"
    p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
    f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
    passed=$((passed + ${p:-0}))
    failed=$((failed + ${f:-0}))
    if [ "$status" -ne 0 ]; then
        broken="$broken $program"
        [ -z "$f" ] && failed=$((failed + 1)) # crashed or valgrind found something
    fi
done
rm -f "$log"

[ -n "$broken" ] && echo "failing programs:$broken"
echo "$passed passed, $failed failed"
# `make test` adds up every suite's counts for one closing line.
[ -n "${TEST_COUNTS:-}" ] && echo "$passed $failed" >>"$TEST_COUNTS"
[ -z "$broken" ]
