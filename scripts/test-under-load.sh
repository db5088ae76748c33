#!/bin/sh
# test-under-load.sh BUILD
#
# The conformance and golden suites with two CPU hogs running beside them,
# the way a loaded CI machine runs them.  Both suites run on virtual clocks
# (the C runtime's, and chapters/awaitlab_clock.py for the Python twins), so
# a busy machine must not change one line of their output: a test that
# passes alone and fails here depends on the real clock somewhere.
#
# The hogs are killed on every way out: the suites ending, failing, or the
# script being interrupted.
set -u
BUILD=${1:?usage: test-under-load.sh BUILD}

hogs=""
suites=""
stop() {
    # The suites are a process group of their own (setsid below): end it all.
    # (The kill program: the shell's own cannot signal a group in every sh.)
    [ -n "$suites" ] && env kill -TERM -- "-$suites" 2>/dev/null
    # shellcheck disable=SC2086
    [ -n "$hogs" ] && kill $hogs 2>/dev/null
    # shellcheck disable=SC2086
    wait $hogs $suites 2>/dev/null
    hogs="" suites=""
}
trap stop EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

for _ in 1 2; do
    python3 -c 'while 1: pass' &
    hogs="$hogs $!"
done
echo "test-under-load: two CPU hogs running (pids$hogs)"

# The suites run in the background, in a session of their own (setsid), so
# that a signal is handled at once -- the shell runs a trap only when the
# command it waits for returns, but `wait` returns early -- and so that
# stop() can end every program they started in one kill.
setsid sh -c '
    status=0
    sh scripts/run-tests.sh "$1" conformance || status=1
    sh scripts/run-tests.sh "$1" chapters/test_golden || status=1
    exit $status' sh "$BUILD" &
suites=$!
wait "$suites"
status=$?
suites=""
exit $status
