#!/bin/sh
# check-aarch64.sh -- build the aarch64 context switch with a cross compiler
# and run its test under qemu-aarch64.  Skips (exit 0) when either tool is
# missing: apt-get install gcc-aarch64-linux-gnu qemu-user to run it.
set -eu
if ! command -v aarch64-linux-gnu-gcc >/dev/null || ! command -v qemu-aarch64 >/dev/null; then
    echo "aarch64 switch: skipped (needs gcc-aarch64-linux-gnu and qemu-user)"
    exit 0
fi
# One closing line, and the counts for `make test`'s total.
report() {
    echo "aarch64: $1 passed, $2 failed"
    if [ -n "${TEST_COUNTS:-}" ]; then echo "$1 $2" >>"$TEST_COUNTS"; fi
}

out=$(mktemp)
# A cross compiler without its C library headers cannot build anything;
# that is a machine without the toolchain, not a failing switch.
if ! printf '#include <stdint.h>\nint main(void) { return 0; }\n' |
        aarch64-linux-gnu-gcc -static -x c - -o "$out" 2>/dev/null; then
    rm -f "$out"
    echo "aarch64 switch: skipped (the cross compiler cannot build a program; needs libc6-dev-arm64-cross)"
    exit 0
fi
aarch64-linux-gnu-gcc -O2 -static -Wall -Wextra -Werror -Iruntime \
    tests/switch/aarch64_switch.c runtime/switch_frame.c runtime/switch_aarch64.S -o "$out" -lm
status=0
if qemu-aarch64 "$out"; then report 1 0; else report 0 1; status=1; fi
rm -f "$out"
exit $status
