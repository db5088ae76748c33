# awaitlab -- the one entry point.
#
#   make            build everything into build/ (build/awaitlab, build/libawaitlab.a)
#   make run        chapter 01 live, in real time, with its timeline
#                   (builds only the command, the chapters and the lessons)
#   make check-quick  the fast tests (runtime, viewer, lab server, chapter
#                   goldens) in the normal build: a minute or two, for while you work
#   make test       every test: unit, golden, conformance, sanitizers
#   make test-under-load  conformance and golden tests beside two CPU hogs
#   make valgrind   the runtime and viewer tests under valgrind memcheck
#   make tsan       the tests where threads meet, under ThreadSanitizer
#   make fuzz       the parsers of outside input under libFuzzer (mk/fuzz.mk)
#   make bench      benchmarks beside CPython asyncio, uvloop, aiohttp and curl,
#                   cold and warm (BENCH_QUICK=1: small sizes, in a minute or two)
#   make lessons    regenerate the timelines embedded in the lessons
#
# Missing Debian packages are installed first (scripts/install-deps.sh);
# NO_DEPS=1 skips that step.

BUILD      ?= build
CC         ?= cc
PKGS       := libuv libcurl jansson cmocka ncursesw libmicrohttpd
ARCH       := $(shell uname -m)

# The context switch back end is chosen here, in one place: hand-written
# assembly where we have it, ucontext elsewhere or when SWITCH=ucontext.
ifeq ($(SWITCH),ucontext)
  SWITCH_SRC :=
  SWITCH_DEF := -DAW_SWITCH_UCONTEXT
else ifneq ($(wildcard runtime/switch_$(ARCH).S),)
  SWITCH_SRC := runtime/switch_$(ARCH).S
  SWITCH_DEF :=
else
  SWITCH_SRC :=
  SWITCH_DEF := -DAW_SWITCH_UCONTEXT
endif

WARN       := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes
OPT        ?= -O2 -g
PKG_CFLAGS  = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS    = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CFLAGS_ALL  = -std=gnu11 $(OPT) $(WARN) -fstack-clash-protection -D_GNU_SOURCE \
              $(SWITCH_DEF) -Iruntime -Ichapters -Iviewer -Ilabserver -Icli -Icommon -Ichecker $(PKG_CFLAGS) \
              $(EXTRA_CFLAGS) -MMD -MP
LDLIBS_ALL  = $(PKG_LIBS) -lm -lpthread $(EXTRA_LDFLAGS)

RUNTIME_C  := $(wildcard runtime/*.c)
VIEWER_C   := $(wildcard viewer/*.c)
LABSERVER_C := $(wildcard labserver/*.c)
CLI_C      := $(wildcard cli/*.c)
CHECKER_C  := $(wildcard checker/*.c)
HARNESS_C  := chapters/harness.c chapters/lab_server.c
COMMON_C   := $(wildcard common/*.c)
CHAPTER_C  := $(filter-out $(HARNESS_C),$(wildcard chapters/[0-9][0-9]_*.c))
LESSONS    := $(wildcard chapters/[0-9][0-9]_*.md)
TEST_C     := $(wildcard tests/runtime/test_*.c tests/viewer/test_*.c tests/checker/test_*.c tests/grading/test_*.c tests/chapters/test_*.c tests/conformance/test_*.c tests/labserver/test_*.c)
BENCH_C    := $(wildcard bench/*.c)
SCENARIO_C := $(wildcard tests/conformance/scenarios/*.c)

obj = $(patsubst %,$(BUILD)/obj/%.o,$(1))
EXERCISE_DIR := $(BUILD)/exercise
CHECK_SRC    := $(wildcard tests/exercises/*/*.check.c)
CHECK_O      := $(patsubst tests/exercises/%.c,$(EXERCISE_DIR)/checks/%.o,$(CHECK_SRC))

RUNTIME_O  := $(call obj,$(RUNTIME_C) $(SWITCH_SRC))
VIEWER_O   := $(call obj,$(VIEWER_C))
LABSERVER_O := $(call obj,$(LABSERVER_C))
CLI_O      := $(call obj,$(CLI_C) $(CHECKER_C))
HARNESS_O  := $(call obj,$(HARNESS_C) $(COMMON_C))
COMMON_O   := $(call obj,$(COMMON_C))
CHAPTERS   := $(patsubst chapters/%.c,$(BUILD)/chapters/%,$(CHAPTER_C))
TESTS      := $(patsubst tests/%.c,$(BUILD)/tests/%,$(TEST_C))
BENCHES    := $(patsubst bench/%.c,$(BUILD)/bench/%,$(BENCH_C))
SCENARIOS  := $(patsubst tests/conformance/scenarios/%.c,$(BUILD)/scenarios/%,$(SCENARIO_C))
LESSON_OUT := $(patsubst chapters/%,$(BUILD)/lessons/%,$(LESSONS))

include mk/fuzz.mk mk/tsan.mk

.PHONY: all build-all build-run deps test-deps bench-deps run check-quick test test-under-load under-load-tests unit-tests sanitize ucontext-tests valgrind valgrind-tests bench lessons clean
.DEFAULT_GOAL := all
.SECONDARY:

all: deps
	@$(MAKE) --no-print-directory build-all

build-all: $(EXERCISE_DIR)/libawaitlab.a $(EXERCISE_DIR)/libcheck.a $(CHECK_O) $(BUILD)/libawaitlab.a $(BUILD)/libawaitlab_viewer.a $(BUILD)/liblabserver.a $(BUILD)/awaitlab \
           $(CHAPTERS) $(LESSON_OUT) $(TESTS) $(BENCHES) $(SCENARIOS) $(FUZZ_REPLAYS)

deps:
ifeq ($(NO_DEPS),)
	@sh scripts/install-deps.sh
endif

test-deps:
ifeq ($(NO_DEPS),)
	@sh scripts/install-deps.sh --test
endif

bench-deps:
ifeq ($(NO_DEPS),)
	@sh scripts/install-deps.sh --bench
endif

$(BUILD)/obj/%.o: %
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS_ALL) -c $< -o $@

$(BUILD)/libawaitlab.a: $(RUNTIME_O)
	@rm -f $@
	@echo "  AR      $@"
	@ar rcs $@ $^

$(BUILD)/libawaitlab_viewer.a: $(VIEWER_O)
	@rm -f $@
	@echo "  AR      $@"
	@ar rcs $@ $^

$(BUILD)/liblabserver.a: $(LABSERVER_O)
	@rm -f $@
	@echo "  AR      $@"
	@ar rcs $@ $^

$(BUILD)/awaitlab: $(CLI_O) $(COMMON_O) $(BUILD)/libawaitlab_viewer.a $(BUILD)/liblabserver.a $(BUILD)/libawaitlab.a
	@echo "  LINK    $@"
	@$(CC) $(CFLAGS_ALL) -o $@ $^ $(LDLIBS_ALL)

# Chapter programs; the HTTP chapters start a lab server inside themselves.
$(BUILD)/chapters/%: $(BUILD)/obj/chapters/%.c.o $(HARNESS_O) $(BUILD)/liblabserver.a $(BUILD)/libawaitlab.a
	@mkdir -p $(dir $@)
	@echo "  LINK    $@"
	@$(CC) $(CFLAGS_ALL) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/lessons/%.md: chapters/%.md
	@mkdir -p $(dir $@)
	@cp $< $@

# The HTTP client's tests talk to the lab server, started in-process.
$(BUILD)/tests/runtime/test_http: $(BUILD)/obj/tests/runtime/test_http.c.o $(BUILD)/liblabserver.a $(BUILD)/libawaitlab.a
	@mkdir -p $(dir $@)
	@echo "  LINK    $@"
	@$(CC) $(CFLAGS_ALL) -o $@ $^ $(LDLIBS_ALL)

# The checker's tests drive the checker itself, which draws with the viewer.
$(BUILD)/tests/checker/%: $(BUILD)/obj/tests/checker/%.c.o $(call obj,$(CHECKER_C)) $(COMMON_O) \
                          $(BUILD)/libawaitlab_viewer.a
	@mkdir -p $(dir $@)
	@echo "  LINK    $@"
	@$(CC) $(CFLAGS_ALL) -o $@ $^ $(LDLIBS_ALL)

# Runtime tests need only the runtime; the others also the viewer and server.
$(BUILD)/tests/runtime/%: $(BUILD)/obj/tests/runtime/%.c.o $(BUILD)/libawaitlab.a
	@mkdir -p $(dir $@)
	@echo "  LINK    $@"
	@$(CC) $(CFLAGS_ALL) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/tests/%: $(BUILD)/obj/tests/%.c.o $(BUILD)/libawaitlab_viewer.a $(BUILD)/liblabserver.a $(BUILD)/libawaitlab.a
	@mkdir -p $(dir $@)
	@echo "  LINK    $@"
	@$(CC) $(CFLAGS_ALL) -o $@ $^ $(LDLIBS_ALL)

# Conformance scenarios: small C programs, each with a Python twin beside it.
$(BUILD)/scenarios/%: $(BUILD)/obj/tests/conformance/scenarios/%.c.o $(BUILD)/libawaitlab.a
	@mkdir -p $(dir $@)
	@echo "  LINK    $@"
	@$(CC) $(CFLAGS_ALL) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/bench/%: $(BUILD)/obj/bench/%.c.o $(BUILD)/libawaitlab.a
	@mkdir -p $(dir $@)
	@echo "  LINK    $@"
	@$(CC) $(CFLAGS_ALL) -o $@ $^ $(LDLIBS_ALL)

# Exercises.  A student's file is built by `awaitlab check` with the
# sanitizers on, so it links against the runtime built the same way, and a
# check program against the check library (its main() and its questions).
EXERCISE_SAN    := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
EXERCISE_CFLAGS  = -std=gnu11 -O1 -g $(WARN) -D_GNU_SOURCE $(SWITCH_DEF) -Iruntime -Itests/exercises \
                   $(PKG_CFLAGS) $(EXERCISE_SAN) -MMD -MP
CHECKLIB_C      := $(wildcard tests/exercises/*.c)
EXERCISE_RUNTIME_O := $(patsubst %,$(EXERCISE_DIR)/obj/%.o,$(RUNTIME_C) $(SWITCH_SRC))
CHECKLIB_O      := $(patsubst %,$(EXERCISE_DIR)/obj/%.o,$(CHECKLIB_C))

# Each exercise's check, compiled once here rather than at every `check`.
$(EXERCISE_DIR)/checks/%.o: tests/exercises/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(EXERCISE_CFLAGS) -c $< -o $@

$(EXERCISE_DIR)/obj/%.o: %
	@mkdir -p $(dir $@)
	@echo "  CC      $< (for exercises)"
	@$(CC) $(EXERCISE_CFLAGS) -c $< -o $@

$(EXERCISE_DIR)/libawaitlab.a: $(EXERCISE_RUNTIME_O)
	@rm -f $@
	@echo "  AR      $@"
	@ar rcs $@ $^

$(EXERCISE_DIR)/libcheck.a: $(CHECKLIB_O)
	@rm -f $@
	@echo "  AR      $@"
	@ar rcs $@ $^

# The compiler and libraries `awaitlab check` builds exercises with.
$(BUILD)/obj/checker/toolchain.c.o: EXTRA_CFLAGS += -DAW_EXERCISE_CC='"$(CC)"' \
    -DAW_EXERCISE_SAN='"$(EXERCISE_SAN)"' \
    -DAW_EXERCISE_LIBS='"$(shell pkg-config --libs libuv jansson 2>/dev/null) -lm -lpthread"'

# Where `awaitlab list`, `show` and the viewer's L find the chapters' sources.
$(BUILD)/obj/cli/catalog.c.o: EXTRA_CFLAGS += -DAW_SOURCE_DIR='"$(CURDIR)/chapters"'

# ---------------------------------------------------------------------------
# Running and testing

# What `make run` needs and no more: the command, the chapters (n and p go
# through them all) and the lessons (l opens one) -- not the tests, benches
# and exercise libraries, which take most of a full build.
build-run: $(BUILD)/awaitlab $(CHAPTERS) $(LESSON_OUT)

# In a terminal, chapter 01 in the live viewer; piped or in CI, as text.
run: deps
	@$(MAKE) --no-print-directory build-run
	@if [ -t 1 ] && [ -t 0 ]; then $(BUILD)/awaitlab view 01 --clock real; \
	else $(BUILD)/awaitlab run 01 --clock real --timeline; fi

# The fast suite, while you work: the runtime, the viewer, the lab server
# and the chapters' golden outputs, in the normal build only.  `make test`
# adds the slow rest (grading, conformance with Python, HTTP chapters,
# exercises) and runs everything again under the sanitizers and valgrind.
QUICK_GROUPS := runtime viewer labserver
QUICK_TESTS  := $(filter $(patsubst %,$(BUILD)/tests/%/%,$(QUICK_GROUPS)),$(TESTS)) \
                $(BUILD)/tests/chapters/test_golden

check-quick: test-deps
	@$(MAKE) --no-print-directory $(BUILD)/awaitlab $(CHAPTERS) $(LESSON_OUT) $(QUICK_TESTS)
	@for group in $(QUICK_GROUPS); do sh scripts/run-tests.sh $(BUILD) $$group || exit 1; done
	@echo "--- $(BUILD)/tests/chapters/test_golden"
	@$(BUILD)/tests/chapters/test_golden $(BUILD)

# The whole suite: the normal build; its conformance and golden tests again
# beside two CPU hogs; everything again under AddressSanitizer + UBSan; the
# runtime tests with the ucontext back end; the runtime and viewer tests
# under valgrind's memcheck; the threaded ones under TSan; make install and
# the book.
TEST_COUNTS := $(abspath build/test-counts.txt)
export TEST_COUNTS

test: test-deps all
	@mkdir -p build && : > $(TEST_COUNTS)
	@echo "== tests"
	@$(MAKE) --no-print-directory unit-tests
	@echo "== conformance and golden tests beside two CPU hogs"
	@$(MAKE) --no-print-directory under-load-tests
	@echo "== tests under AddressSanitizer + UndefinedBehaviorSanitizer"
	@$(MAKE) --no-print-directory sanitize
	@echo "== runtime tests with the ucontext context switch"
	@$(MAKE) --no-print-directory ucontext-tests
	@echo "== the aarch64 context switch under qemu (when a cross compiler is installed)"
	@sh scripts/check-aarch64.sh
	@echo "== runtime and viewer tests under valgrind"
	@$(MAKE) --no-print-directory valgrind-tests
	@echo "== threads under ThreadSanitizer"
	@$(MAKE) --no-print-directory tsan
	@echo "== make install, pkg-config, man pages; the book in a browser"
	@$(MAKE) --no-print-directory install-tests book-tests
	@echo "all test suites passed"
	@awk '{ p += $$1; f += $$2 } END { printf "total: %d passed, %d failed\n", p, f }' $(TEST_COUNTS)

unit-tests:
	@sh scripts/run-tests.sh $(BUILD)

# Virtual clocks make these suites indifferent to a busy machine; this holds
# them to it.
test-under-load: all
	@$(MAKE) --no-print-directory under-load-tests

under-load-tests:
	@sh scripts/test-under-load.sh $(BUILD)

sanitize:
	@$(MAKE) --no-print-directory BUILD=build/asan OPT="-O1 -g -fno-omit-frame-pointer" \
	  EXTRA_CFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all" \
	  EXTRA_LDFLAGS="-fsanitize=address,undefined" NO_DEPS=1 build-all
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
	  sh scripts/run-tests.sh build/asan

ucontext-tests:
	@$(MAKE) --no-print-directory BUILD=build/ucontext SWITCH=ucontext NO_DEPS=1 build-all
	@sh scripts/run-tests.sh build/ucontext runtime

valgrind: all
	@$(MAKE) --no-print-directory valgrind-tests

valgrind-tests:
	@VALGRIND=1 sh scripts/run-tests.sh $(BUILD) runtime
	@VALGRIND=1 sh scripts/run-tests.sh $(BUILD) viewer

bench: bench-deps all
	@BENCH_QUICK=$(BENCH_QUICK) sh bench/run.sh $(BUILD) --json $(BUILD)/bench/results.json

lessons: all
	@python3 scripts/update-lessons.py $(BUILD)

clean:
	rm -rf build

# Installing, packaging (mk/install.mk); the workbook as a web site (mk/book.mk).
include mk/install.mk
include mk/book.mk


-include $(shell find $(BUILD)/obj $(EXERCISE_DIR) -name '*.d' 2>/dev/null)
