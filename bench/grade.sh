#!/bin/sh
# Grading throughput: seconds per student for every exercise, the share spent
# compiling, and a class graded with -j1 and -jN.
#
#   sh bench/grade.sh [BUILD_DIR] [STUDENTS]
#
# The class is STUDENTS copies (default 10) of two fixture students, half
# perfect (every reference solution) and half as shipped (every exercise
# fails), graded in bubblewrap with the sanitizers on.
set -eu
build=${1:-build}
students=${2:-10}
awaitlab="$(cd "$build" && pwd)/awaitlab"
work=$(mktemp -d /tmp/awaitlab-bench-grade-XXXXXX)
trap 'rm -rf "$work"' EXIT

"$awaitlab" init "$work/perfect" >/dev/null
(cd solutions && find . -type f) | while read -r f; do cp "solutions/$f" "$work/perfect/exercises/$f"; done
"$awaitlab" init "$work/shipped" >/dev/null

echo "== one student, every exercise (awaitlab check --all --json, timings per check)"
for who in perfect shipped; do
    (cd "$work/$who" && "$awaitlab" check --all --json 2>/dev/null) | python3 -c '
import json, sys
rows = json.load(sys.stdin)
build = sum(r["build_s"] for r in rows); run = sum(r["run_s"] for r in rows)
print(f"  {sys.argv[1]:8} {len(rows)} exercises: {build + run:.1f} s of checks, "
      f"{100 * build / (build + run):.0f}% of it compiling and linking")' "$who"
done

mkdir "$work/class"
i=0
while [ "$i" -lt "$students" ]; do
    cp -r "$work/perfect" "$work/class/perfect-$i"
    cp -r "$work/shipped" "$work/class/shipped-$i"
    i=$((i + 1))
done
total=$((2 * students))
cores=$(nproc)
for j in 1 "$cores"; do
    start=$(date +%s.%N)
    "$awaitlab" grade "$work/class" --out "$work/out-j$j" -j "$j" >/dev/null 2>&1
    end=$(date +%s.%N)
    python3 -c "import sys; s=float(sys.argv[2])-float(sys.argv[1]); n=int(sys.argv[3]); \
print(f'== grade -j{sys.argv[4]}: {n} students in {s:.1f} s, {s/n:.2f} s a student')" \
        "$start" "$end" "$total" "$j"
done
cmp -s "$work/out-j1/results.json" "$work/out-j$cores/results.json" && echo "   (-j1 and -j$cores reports identical)"
