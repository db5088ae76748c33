#!/bin/sh
# Install the Debian packages awaitlab needs, if any are missing.
# Called by the Makefile before every build (with --test before the tests);
# NO_DEPS=1 skips it.
# Uses apt-get directly as root, or through sudo; otherwise it says what
# to install and fails, so a build never half-works for a missing header.
set -eu

PACKAGES="build-essential libuv1-dev libcurl4-openssl-dev libncurses-dev libcmocka-dev \
libmicrohttpd-dev libjansson-dev libcmark-dev pkg-config python3 tmux valgrind curl bubblewrap"

# `install-deps.sh --bench` adds the peers `make bench` compares with:
# uvloop and aiohttp for Debian's own python3.
if [ "${1:-}" = "--bench" ]; then
    PACKAGES="$PACKAGES python3-uvloop python3-aiohttp"
fi

# `install-deps.sh --test` adds what only the test suite uses: a cross
# compiler, its C library headers (only recommended by the compiler, and
# apt-get below skips recommends) and qemu, to run the aarch64 context
# switch on this machine; man-db to render the manual pages; and Chromium, to
# load the book's pages in a real browser.  Chromium is some 350 MB
# installed, so only the tests ask for it, not a build.
if [ "${1:-}" = "--test" ]; then
    PACKAGES="$PACKAGES gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user man-db chromium"
fi

missing=""
for pkg in $PACKAGES; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    case "$status" in
        *"install ok installed"*) ;;
        *) missing="$missing $pkg" ;;
    esac
done

[ -z "$missing" ] && exit 0

echo "awaitlab: installing missing packages:$missing" >&2
if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
else
    echo "awaitlab: missing packages:$missing" >&2
    echo "awaitlab: run as root (or with sudo):  apt-get install$missing" >&2
    echo "awaitlab: or set NO_DEPS=1 if they are installed some other way" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "awaitlab: packages installed" >&2
