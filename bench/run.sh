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
exec python3 "$here/compare.py" "$@"
