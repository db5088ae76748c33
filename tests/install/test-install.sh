#!/bin/sh
# test-install.sh BUILD -- `make install` gives a working C library and command.
#
# Installs into temporary directories (a PREFIX, and a DESTDIR staging tree),
# then uses what was installed the way a user would: a ten-line program built
# with pkg-config against the shared and the static library, the command run
# from / (list, show, init, check), both manual pages, the bash completion,
# and `make uninstall`, which must leave nothing behind.  Ends with
# "N passed, N failed", added to TEST_COUNTS under `make test`.
set -u
BUILD=${1:-build}
ROOT=$(pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
passed=0
failed=0

ok() { passed=$((passed + 1)); echo "ok: $1"; }
fail() { failed=$((failed + 1)); echo "FAILED: $1"; [ -n "${2:-}" ] && sed 's/^/    /' "$2"; }
# check NAME COMMAND...: passes when the command exits 0; its output is kept.
check() {
    name=$1; shift
    if "$@" >"$TMP/out" 2>&1; then ok "$name"; else fail "$name" "$TMP/out"; fi
}
install_to() { make --no-print-directory -s NO_DEPS=1 BUILD="$BUILD" install-files "$@" >"$TMP/out" 2>&1; }

# --- a staged install (DESTDIR): everything under PREFIX, and back out -----
STAGE=$TMP/stage
check "make install DESTDIR= PREFIX=/usr/local" install_to DESTDIR="$STAGE" PREFIX=/usr/local
outside=$(find "$STAGE" -mindepth 1 -not -path "$STAGE/usr" -not -path "$STAGE/usr/local" \
          -not -path "$STAGE/usr/local/*")
check "DESTDIR install writes only under DESTDIR/PREFIX" test -z "$outside"
check "the installed awaitlab.pc names the PREFIX, not DESTDIR" \
    grep -qx 'prefix=/usr/local' "$STAGE/usr/local/lib/pkgconfig/awaitlab.pc"
make --no-print-directory -s BUILD="$BUILD" uninstall DESTDIR="$STAGE" PREFIX=/usr/local >/dev/null 2>&1
left=$(find "$STAGE" -mindepth 1 -not -path "$STAGE/usr" 2>/dev/null) # usr/ is PREFIX's parent
check "make uninstall DESTDIR= leaves nothing behind" test -z "$left"
[ -z "$left" ] || echo "$left" | head -5

# --- a real PREFIX --------------------------------------------------------
PREFIX=$TMP/prefix
check "make install PREFIX=" install_to PREFIX="$PREFIX"
LIB=$PREFIX/lib
echo "installed: $(find "$PREFIX" -type f | wc -l) files, $(du -sk "$PREFIX" | cut -f1) KiB"

# The shared library: its soname, and exactly the header's functions exported.
SO=$(ls "$LIB"/libawaitlab.so.*.*.* 2>/dev/null | head -n 1)
soname=$(objdump -p "$SO" 2>/dev/null | awk '/SONAME/ { print $2 }')
check "libawaitlab.so has the soname libawaitlab.so.MAJOR" \
    sh -c "echo '$soname' | grep -qx 'libawaitlab\.so\.[0-9]*' && test -e '$LIB/$soname'"
nm -D --defined-only "$SO" | awk '$2 == "T" { print $3 }' | sed 's/@.*//' | sort >"$TMP/exported"
python3 scripts/api-doc.py functions runtime/awaitlab.h runtime/awaitlab_io.h | sort >"$TMP/declared"
echo "nm -D: $(wc -l <"$TMP/exported") functions exported, $(wc -l <"$TMP/declared") declared"
check "nm -D exports exactly the functions the public headers declare" \
    diff "$TMP/declared" "$TMP/exported"

cat >"$TMP/hello.c" <<'PROGRAM'
#include "awaitlab.h"
#include <stdio.h>
static int nap(void *arg, intptr_t *result) { *result = 2 * (intptr_t)arg; return aw_sleep(0.5); }
static int both(void *arg, intptr_t *result) {
    aw_task *t[2] = {aw_spawn(nap, (void *)1, "a"), aw_spawn(nap, arg, "b")};
    int status = aw_gather(t, 2, 0);
    *result = aw_task_value(t[0]) + aw_task_value(t[1]);
    printf("%.3f\n", aw_now()); return status; }
int main(void) { aw_config c = {.clock = AW_CLOCK_VIRTUAL}; intptr_t v = 0;
    int s = aw_run(both, (void *)2, &c, &v); printf("%d %ld\n", s, (long)v); return s != 0; }
PROGRAM
printf '0.500\n0 6\n' >"$TMP/hello.expected"
export PKG_CONFIG_PATH="$LIB/pkgconfig"
check "cc with pkg-config --cflags --libs awaitlab (shared)" \
    sh -c "cc -o '$TMP/hello' '$TMP/hello.c' \$(pkg-config --cflags --libs awaitlab)"
check "the shared program loads libawaitlab.so.MAJOR" \
    sh -c "LD_LIBRARY_PATH='$LIB' ldd '$TMP/hello' | grep -q '$soname => $LIB'"
check "the shared program runs: two 0.5 s naps gathered in 0.5 s" \
    sh -c "LD_LIBRARY_PATH='$LIB' '$TMP/hello' | diff '$TMP/hello.expected' -"
check "cc with pkg-config --variable=static_libs awaitlab (static)" \
    sh -c "cc -o '$TMP/hello-static' '$TMP/hello.c' \$(pkg-config --cflags awaitlab) \
           \$(pkg-config --variable=static_libs awaitlab)"
check "the static program needs no libawaitlab.so" \
    sh -c "! ldd '$TMP/hello-static' | grep -q libawaitlab"
check "the static program runs the same" sh -c "'$TMP/hello-static' | diff '$TMP/hello.expected' -"

# The command, from / and with the build tree out of reach.
AW=$PREFIX/bin/awaitlab
cd /
check "awaitlab --version" sh -c "'$AW' --version | grep -q '^awaitlab [0-9]'"
check "awaitlab list from / lists 12 chapters" sh -c "test \$('$AW' list | grep -c '^[0-9][0-9] ') -eq 12"
check "awaitlab show 01 from / prints the lesson" sh -c "'$AW' show 01 | head -n 1 | grep -q '^Chapter 01'"
check "awaitlab run 01 from / runs the installed chapter" \
    sh -c "'$AW' run 01 --clock virtual --n 3 --json | grep -q '\"chapter\"'"
check "awaitlab init from /" "$AW" init "$TMP/ws"
check "awaitlab book from / writes the site from the installed sources" \
    sh -c "'$AW' book '$TMP/site' 2>/dev/null && grep -q 'language-py' '$TMP/site/12_periodic_and_pages.html'"
cd "$TMP/ws"
"$AW" check gather_fetches >"$TMP/out" 2>&1
status=$?
if [ "$status" -eq 1 ] && grep -q '^FAIL gather_fetches' "$TMP/out"; then
    ok "awaitlab check: the exercise as shipped fails (exit 1)"
else fail "awaitlab check: the exercise as shipped fails (exit 1), got $status" "$TMP/out"; fi
cp "$PREFIX/share/awaitlab/solutions/01_sequential_vs_gather/gather_fetches.c" \
   exercises/01_sequential_vs_gather/gather_fetches.c
check "awaitlab check: the solution passes, built with the installed toolchain" \
    "$AW" check gather_fetches
check "awaitlab check of a prediction runs the installed program" \
    sh -c "'$AW' check await_in_order; test \$? -le 1"
cd /

# --color reaches the live viewer, in a real terminal (tmux), either way.
viewer_screen() { # viewer_screen ENV FLAGS: the finished screen, with its escapes
    # a tmux server for each call (one that ends takes a moment to go)
    server=awaitlab-colour-$$-$(echo "$1 $2" | cksum | cut -d ' ' -f 1)
    tmux -L "$server" -f /dev/null new-session -d -x 100 -y 30 \
        "env $1 LC_ALL=C.UTF-8 '$AW' $2 view 01 --clock virtual --speed 10; sleep 60"
    i=0
    while [ $i -lt 150 ] && ! tmux -L "$server" capture-pane -p | grep -q 'end'; do
        sleep 0.2; i=$((i + 1))
    done
    tmux -L "$server" capture-pane -p -e
    tmux -L "$server" kill-server
}
sets_colour() { grep -qP '\x1b\[([0-9]*;)*(3[0-8]|4[0-8]|9[0-7]|10[0-7])(;[0-9]*)*m'; }
expect_colour() { # expect_colour yes|no NAME ENV FLAGS
    if viewer_screen "$3" "$4" | sets_colour; then got=yes; else got=no; fi
    if [ "$got" = "$1" ]; then ok "$2"; else fail "$2"; fi
}
if command -v tmux >/dev/null 2>&1; then
    expect_colour yes "the viewer is coloured by default" "NO_COLOR=" ""
    expect_colour no "--color=never: no colour" "NO_COLOR=" "--color=never"
    expect_colour yes "--color=always: colour even with NO_COLOR" "NO_COLOR=1" "--color=always"
else
    echo "SKIPPED: --color in the live viewer -- tmux is not installed"
fi
check "--color=sometimes is a usage error (2) that says what --color takes" \
    sh -c "'$AW' --color=sometimes list 2>&1 | grep -q 'auto, always or never';
           '$AW' --color=sometimes list 2>/dev/null; test \$? -eq 2"

mv "$PREFIX" "$TMP/moved"
check "a moved install still finds its data" sh -c "'$TMP/moved/bin/awaitlab' show 02 | head -n 1 | grep -q '^Chapter 02'"
mv "$TMP/moved" "$PREFIX"
cd "$ROOT"

# Manual pages: both render; awaitlab(1) names every command and flag.
for page in man1/awaitlab.1 man3/awaitlab.3; do
    check "man -l $page renders" \
        sh -c "MANWIDTH=80 man -l '$PREFIX/share/man/$page' 2>/dev/null | grep -q '^NAME'"
done
check "awaitlab(3) documents every function of the headers" \
    sh -c "MANWIDTH=200 man -l '$PREFIX/share/man/man3/awaitlab.3' 2>/dev/null >'$TMP/man3' &&
           while read -r f; do grep -q \"\\b\$f(\" '$TMP/man3' || { echo \"missing \$f\"; exit 1; }; done <'$TMP/declared'"
MANWIDTH=200 man -l "$PREFIX/share/man/man1/awaitlab.1" 2>/dev/null >"$TMP/man1"
missing=""
for command in $("$AW" --help | awk '/^  [a-z]/ { print $1 }'); do
    grep -q "awaitlab $command" "$TMP/man1" || missing="$missing $command"
    for flag in $("$AW" "$command" --help 2>&1 | grep -o -- '--[a-z][a-z-]*\|-j' | sort -u); do
        grep -q -- "$flag" "$TMP/man1" || missing="$missing $command:$flag"
    done
done
check "awaitlab(1) names every command and flag of --help${missing:+ (missing:$missing)}" \
    test -z "$missing"
missing=""
for program in "$BUILD"/chapters/[0-9][0-9]_*; do
    for flag in $("$program" --describe | python3 -c \
                  'import json, sys; print(" ".join(p["name"] for p in json.load(sys.stdin)["params"]))'); do
        grep -q -- "--$flag" "$TMP/man1" || missing="$missing ${program##*/}:--$flag"
    done
done
check "awaitlab(1) names every chapter's own flags${missing:+ (missing:$missing)}" test -z "$missing"
check "awaitlab(1) documents the exit status 0, 1 and 2" \
    sh -c "grep -A12 '^EXIT STATUS' '$TMP/man1' | grep -c '^       [012]  ' | grep -qx 3"

# Bash completion, asked as bash asks it.
complete_line() {
    bash -c ". '$PREFIX/share/bash-completion/completions/awaitlab'
             COMP_WORDS=($1); COMP_CWORD=\$((\${#COMP_WORDS[@]} - 1)); _awaitlab
             printf '%s\n' \"\${COMPREPLY[@]}\"" 2>&1
}
PATH="$PREFIX/bin:$PATH"
export PATH
completes() { # completes NAME LINE EXPECTED: one of the completions of LINE
    if complete_line "$2" | grep -qx "$3"; then ok "$1"; else fail "$1"; fi
}
completes "completion: a command" "awaitlab sh" show
completes "completion: a chapter name" "awaitlab show 01_" 01_sequential_vs_gather
completes "completion: an exercise name" "awaitlab check gather_f" gather_fetches

# The Debian package (installing it for real is left to a person: apt install ./FILE).
if command -v dpkg-deb >/dev/null 2>&1; then
    check "make deb" make --no-print-directory -s NO_DEPS=1 BUILD="$BUILD" deb
    deb=$(ls "$BUILD"/awaitlab_*.deb 2>/dev/null | head -n 1)
    dpkg-deb -f "$deb" Depends >"$TMP/depends" 2>&1
    missing=""
    for package in libuv1 libcurl4 libjansson4 libncursesw6 libmicrohttpd12 libcmark gcc libc6-dev; do
        grep -q "$package" "$TMP/depends" || missing="$missing $package"
    done
    check "the package depends on the runtime libraries and gcc${missing:+ (missing:$missing)}" \
        test -z "$missing"
    dpkg-deb -c "$deb" >"$TMP/contents" 2>&1
    missing=""
    for file in ./usr/bin/awaitlab ./usr/lib/libawaitlab.so.0 ./usr/lib/libawaitlab.a \
                ./usr/include/awaitlab/awaitlab.h ./usr/lib/pkgconfig/awaitlab.pc \
                ./usr/lib/awaitlab/exercise/libcheck.a ./usr/share/awaitlab/lessons/01_sequential_vs_gather.md \
                ./usr/share/man/man3/awaitlab.3 ./usr/share/bash-completion/completions/awaitlab; do
        grep -q " $file\( \|\$\)" "$TMP/contents" || missing="$missing $file"
    done
    check "the package holds the command, the library and the data under /usr${missing:+ (missing:$missing)}" \
        test -z "$missing"
    check "the package's pkg-config file says prefix=/usr" \
        sh -c "dpkg-deb --fsys-tarfile '$deb' | tar -xO ./usr/lib/pkgconfig/awaitlab.pc | grep -qx prefix=/usr"
else
    echo "SKIPPED: make deb -- dpkg-deb is not installed"
fi

# --- a Gradescope bundle, from the installed tree and from the sources ---
# Each must carry every part its build reads (make -n parses the Makefile
# and finds every source a target needs), keep its scripts executable, and
# hold no reference solutions.
zip_mode() { # zip_mode ZIP NAME: the unix mode stored for NAME, in octal
    python3 -c 'import sys, zipfile
print(oct(zipfile.ZipFile(sys.argv[1]).getinfo(sys.argv[2]).external_attr >> 16))' "$1" "$2"
}
check_bundle() { # check_bundle LABEL AWAITLAB
    dir=$TMP/bundle-$1
    mkdir -p "$dir"
    check "awaitlab grade --gradescope-bundle ($1)" \
        sh -c "cd / && '$2' grade --gradescope-bundle '$dir/autograder.zip'"
    python3 -m zipfile -e "$dir/autograder.zip" "$dir/x" >/dev/null 2>&1
    check "the bundle ($1) has all its build needs: make -n in it succeeds" \
        make --no-print-directory -n -C "$dir/x/awaitlab" NO_DEPS=1
    check "the bundle ($1) holds no solutions" test ! -e "$dir/x/awaitlab/solutions"
    modes="$(zip_mode "$dir/autograder.zip" run_autograder) $(zip_mode "$dir/autograder.zip" setup.sh)"
    check "the bundle ($1) keeps run_autograder and setup.sh executable (modes: $modes)" \
        test "$modes" = "0o100755 0o100755"
}
check_bundle installed "$PREFIX/bin/awaitlab"
check_bundle sources "$ROOT/$BUILD/awaitlab"

# Uninstall leaves nothing.
make --no-print-directory -s BUILD="$BUILD" uninstall PREFIX="$PREFIX" >/dev/null 2>&1
check "make uninstall PREFIX= leaves nothing behind" test ! -e "$PREFIX"

echo "install: $passed passed, $failed failed"
[ -n "${TEST_COUNTS:-}" ] && echo "$passed $failed" >>"$TEST_COUNTS"
[ "$failed" -eq 0 ]
