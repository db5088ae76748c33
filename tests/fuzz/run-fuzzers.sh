#!/bin/sh
# run-fuzzers.sh BUILD NAME... -- runs BUILD/fuzz_NAME under libFuzzer for
# FUZZ_SECONDS each and says, per target, how many inputs it tried and
# whether it found a crash.  Exits 1 if any did, naming the inputs to fix
# the parser against and then keep in tests/fuzz/NAME/regressions/.
set -u
BUILD=${1:?usage: run-fuzzers.sh BUILD NAME...}
shift
SECONDS_EACH=${FUZZ_SECONDS:-60}
found=""
for name in "$@"; do
    corpus="$BUILD/corpus/$name"
    findings="$BUILD/findings/$name"
    log="$BUILD/$name.log"
    mkdir -p "$corpus" "$findings"
    # A dictionary of the format's words, when there is one.
    dict=""
    case $name in
        catalogue | weights | state) dict=-dict=tests/fuzz/json.dict ;;
        trace) dict=-dict=tests/fuzz/trace.dict ;;
    esac
    # New inputs go to the first directory; the checked-in seeds are only read.
    # -close_fd_mask=1: the targets' own output (help texts) is not wanted.
    ASAN_OPTIONS=detect_leaks=1 "$BUILD/fuzz_$name" -max_total_time="$SECONDS_EACH" \
        -artifact_prefix="$findings/" -close_fd_mask=1 -print_final_stats=1 $dict \
        "$corpus" "tests/fuzz/$name/corpus" >"$log" 2>&1
    status=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    per_s=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
    if [ "$status" -eq 0 ]; then
        echo "fuzz $name: ${runs:-?} inputs in ${SECONDS_EACH} s (${per_s:-?}/s), no crash"
    else
        echo "fuzz $name: CRASH after ${runs:-?} inputs -- see $log"
        found="$found $(ls "$findings"/* 2>/dev/null | tr '\n' ' ')"
    fi
done
if [ -n "$found" ]; then
    echo "crashing inputs:$found"
    echo "fix the parser, then keep each input in tests/fuzz/NAME/regressions/"
    exit 1
fi
