# mk/fuzz.mk -- fuzzing the parsers of outside input, and replaying what it found.
#
#   make fuzz                  each tests/fuzz/fuzz_NAME.c under libFuzzer for
#                              FUZZ_SECONDS (default 60), with ASan + UBSan
#   make fuzz FUZZ_ONLY=trace  just that one
#
# Every target is also built as an ordinary test, $(BUILD)/tests/fuzz/test_fuzz_NAME
# (the same source with tests/fuzz/replay.c's main), which feeds it its seed
# corpus, tests/fuzz/NAME/corpus/, and every input that ever crashed it,
# tests/fuzz/NAME/regressions/.  `make test` runs those in the normal and the
# sanitizer builds like any other test.
#
# libFuzzer comes with clang (on Debian: clang-14 and libclang-rt-14-dev);
# without it `make fuzz` says so and does nothing.  New inputs go to
# build/fuzz/corpus/NAME (the checked-in corpus stays small), crashes to
# build/fuzz/findings/NAME/.

FUZZ_SECONDS ?= 60
FUZZ_CC      ?= clang
FUZZ_SRC     := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_NAMES   := $(patsubst tests/fuzz/fuzz_%.c,%,$(FUZZ_SRC))
FUZZ_ONLY    ?= $(FUZZ_NAMES)
FUZZ_REPLAYS := $(patsubst %,$(BUILD)/tests/fuzz/test_fuzz_%,$(FUZZ_NAMES))
FUZZ_TARGETS := $(patsubst %,$(BUILD)/fuzz_%,$(FUZZ_NAMES))

# Everything a target may call: the checker's files, the viewer, the lab
# server, the runtime (chapters/harness.c is compiled into fuzz_flags.c).
FUZZ_DEPS = $(call obj,tests/fuzz/scratch.c $(CHECKER_C)) $(COMMON_O) \
            $(BUILD)/libawaitlab_viewer.a $(BUILD)/liblabserver.a $(BUILD)/libawaitlab.a

.PHONY: fuzz fuzz-targets

# One replay object per target, so each knows which corpus is its own.
$(BUILD)/obj/tests/fuzz/replay_%.o: tests/fuzz/replay.c
	@mkdir -p $(dir $@)
	@echo "  CC      $< ($*)"
	@$(CC) $(CFLAGS_ALL) -DFUZZ_NAME='"$*"' -c $< -o $@

$(BUILD)/tests/fuzz/test_fuzz_%: $(BUILD)/obj/tests/fuzz/fuzz_%.c.o $(BUILD)/obj/tests/fuzz/replay_%.o \
                                 $(FUZZ_DEPS)
	@mkdir -p $(dir $@)
	@echo "  LINK    $@"
	@$(CC) $(CFLAGS_ALL) -o $@ $^ $(LDLIBS_ALL)

# In the fuzzing build (BUILD=build/fuzz): the same target with libFuzzer's main.
$(BUILD)/fuzz_%: $(BUILD)/obj/tests/fuzz/fuzz_%.c.o $(FUZZ_DEPS)
	@echo "  LINK    $@ (libFuzzer)"
	@$(CC) $(CFLAGS_ALL) -fsanitize=fuzzer -o $@ $^ $(LDLIBS_ALL)

fuzz-targets: $(FUZZ_TARGETS)

FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all

fuzz:
	@if ! printf 'int LLVMFuzzerTestOneInput(const char *d, long n) { return 0; }\n' | \
	     $(FUZZ_CC) -x c -fsanitize=fuzzer -o /dev/null - 2>/dev/null; then \
	  echo "make fuzz: $(FUZZ_CC) cannot build with -fsanitize=fuzzer; install clang and its"; \
	  echo "runtime (Debian: apt-get install clang-14 libclang-rt-14-dev) -- skipped"; \
	  exit 0; \
	fi; \
	$(MAKE) --no-print-directory BUILD=build/fuzz CC=$(FUZZ_CC) OPT="-O1 -g -fno-omit-frame-pointer" \
	  EXTRA_CFLAGS="-fsanitize=fuzzer-no-link $(FUZZ_SAN)" EXTRA_LDFLAGS="$(FUZZ_SAN)" \
	  NO_DEPS=1 fuzz-targets || exit 1; \
	FUZZ_SECONDS=$(FUZZ_SECONDS) sh tests/fuzz/run-fuzzers.sh build/fuzz $(FUZZ_ONLY)
