#!/bin/sh
# test-book.sh BUILD -- `awaitlab book` makes a site that works offline.
#
# Builds the book into a temporary directory and checks its pages as files
# (every chapter, its lesson rendered, its timeline inline, both sources, its
# exercises, a phone's viewport, nothing from outside), then loads every page
# in headless Chromium (tests/book/browser_check.py): no console error, no
# broken link or image, nothing wider than a phone.  The browser checker is
# first shown a broken copy of the site, which it must reject.  Where Chromium
# is not installed, the browser part is skipped and says so.
# Ends with "N passed, N failed", added to TEST_COUNTS under `make test`.
set -u
BUILD=${1:-build}
AW=$(pwd)/$BUILD/awaitlab
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
SITE=$TMP/site
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok: $1"; }
fail() { failed=$((failed + 1)); echo "FAILED: $1"; [ -n "${2:-}" ] && sed 's/^/    /' "$2" | head -n 40; }
check() {
    name=$1; shift
    if "$@" >"$TMP/out" 2>&1; then ok "$name"; else fail "$name" "$TMP/out"; fi
}

check "awaitlab book without OUT_DIR is a usage error (2)" \
    sh -c "'$AW' book; test \$? -eq 2"
check "awaitlab book OUT_DIR" "$AW" book "$SITE"
chapters=$("$AW" list | grep -c '^[0-9][0-9] ')
pages=$(ls "$SITE"/[0-9][0-9]_*.html 2>/dev/null | wc -l)
check "one page a chapter ($pages of $chapters)" test "$pages" -eq "$chapters"
check "the index links every chapter page" \
    sh -c "for p in '$SITE'/[0-9][0-9]_*.html; do grep -q \"href=\\\"\${p##*/}\\\"\" '$SITE/index.html' || exit 1; done"
every_page() { # every_page NAME GREP-ARGS...: each page matches
    name=$1; shift
    missing=""
    for page in "$SITE"/*.html; do
        grep -q "$@" "$page" || missing="$missing ${page##*/}"
    done
    check "$name${missing:+ (not in:$missing)}" test -z "$missing"
}
every_page "every page has a phone's viewport" 'name="viewport" content="width=device-width'
every_page "every page uses the site's own style sheet" '<link rel="stylesheet" href="style.css">'
check "no page loads anything from outside" \
    sh -c "! grep -l 'src=\"http\\|href=\"http[^\"]*\\.css\\|@import\\|url(http' '$SITE'/*.html '$SITE'/style.css"
chapter_pages() { # chapter_pages NAME GREP-ARGS...: each chapter page matches
    name=$1; shift
    missing=""
    for page in "$SITE"/[0-9][0-9]_*.html; do
        grep -q "$@" "$page" || missing="$missing ${page##*/}"
    done
    check "$name${missing:+ (not in:$missing)}" test -z "$missing"
}
chapter_pages "every lesson is rendered from Markdown (its heading an <h1>)" '<h1>Chapter [0-9][0-9]'
chapter_pages "no lesson is left as raw Markdown" -v '^# Chapter'
chapter_pages "every chapter shows its run's timeline inline" '<figure class="timeline">'
chapter_pages "... an SVG drawn on the virtual clock" 'of virtual time'
chapter_pages "every chapter shows its C program" '<code class="language-c">'
chapter_pages "... beside its Python twin" '<code class="language-py">'
chapter_pages "every chapter links its exercises" '<li id="exercise-'
check "the C shown is the chapter's source, escaped" \
    grep -q 'aw_spawn(fetch, (void \*)(intptr_t)i, &quot;fetch-%ld&quot;, i)' \
    "$SITE/01_sequential_vs_gather.html"

CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then
    echo "SKIPPED: the pages in a browser -- Chromium is not installed" \
         "(apt-get install chromium, or sh scripts/install-deps.sh --test)"
else
    # The checker must see what is wrong with a broken copy of the site.
    cp -R "$SITE" "$TMP/broken"
    rm "$TMP/broken/sources/01_sequential_vs_gather.py"
    sed -i 's|</main>|<img src="missing.png" alt=""><script>no_such_function();</script><div style="width:2000px">wide</div></main>|' \
        "$TMP/broken/02_return_exceptions.html"
    timeout 300 python3 tests/book/browser_check.py "$CHROMIUM" "$TMP/broken" >"$TMP/broken.out" 2>&1
    status=$?
    for expected in "01_sequential_vs_gather.html: broken link: sources/01_sequential_vs_gather.py" \
                    "02_return_exceptions.html: exception" \
                    "02_return_exceptions.html: broken asset: missing.png" \
                    "02_return_exceptions.html: wider than a phone"; do
        if [ "$status" -eq 1 ] && grep -qF "$expected" "$TMP/broken.out"; then
            ok "the browser check catches: $expected"
        else
            fail "the browser check catches: $expected" "$TMP/broken.out"
        fi
    done
    check "every page in headless Chromium: no console error, no broken link or image, fits a phone" \
        timeout 300 python3 tests/book/browser_check.py "$CHROMIUM" "$SITE"
    tail -n 1 "$TMP/out"
fi

echo "book: $passed passed, $failed failed"
[ -n "${TEST_COUNTS:-}" ] && echo "$passed $failed" >>"$TEST_COUNTS"
[ "$failed" -eq 0 ]
