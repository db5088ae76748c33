#!/bin/sh
# Benchmarks side by side with CPython asyncio (and, for HTTP, the curl
# command line against a lab server the runner starts).
#
#   sh bench/run.sh [BUILD_DIR] [--quick] [--only NAME,...]
#
# BUILD_DIR (default build) holds the programs built from bench/*.c, in
# BUILD_DIR/bench/.  --quick runs small sizes once each, as a smoke test.
# The table is printed and written to BUILD_DIR/bench/results.md.  A missed
# target is reported, not failed: the status is non-zero only when a
# benchmark could not run.
set -eu
here=$(dirname "$0")
build=${1:-build}
python3 "$here/compare.py" "$@"

# The live viewer's own limits: 1,000 live tasks within 10% of one core, a
# 100,000-event replay under a second, a frame within its budget.
case " $* " in
*" --only "*|*" --quick "*) ;;
*)  echo
    echo "== the live viewer (tests/viewer/test_view_perf with its limits checked)"
    AWAITLAB_CHECK_PERF=1 "$build/tests/viewer/test_view_perf" "$build" ;;
esac
