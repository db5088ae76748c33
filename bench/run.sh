#!/bin/sh
# Benchmarks side by side with CPython asyncio, uvloop, aiohttp and the curl
# command line (see bench/compare.py), ending with one table of ratios.
#
#   sh bench/run.sh [BUILD_DIR] [--quick] [--only NAME,...] [--json FILE]
#
# BUILD_DIR (default build) holds the programs built from bench/*.c, in
# BUILD_DIR/bench/.  --quick (or BENCH_QUICK=1) runs small sizes once each,
# in a minute or two.  The report is printed and written to
# BUILD_DIR/bench/results.md.  A missed target is reported, not failed: the
# status is non-zero only when a benchmark could not run.
set -eu
here=$(dirname "$0")
build=${1:-build}

# The live viewer's own limits first (1,000 live tasks within 10% of one
# core, a 100,000-event replay under a second, a frame within its budget),
# so that the comparison's table ends the output.
case " $* " in
*" --only "*|*" --quick "*) ;;
*)  if [ "${BENCH_QUICK:-}" != 1 ]; then
        echo "== the live viewer (tests/viewer/test_view_perf with its limits checked)"
        AWAITLAB_CHECK_PERF=1 "$build/tests/viewer/test_view_perf" "$build" ||
            echo "(the viewer's own limits were missed; see above)"
        echo
    fi ;;
esac
python3 "$here/compare.py" "$@"
