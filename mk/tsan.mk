# mk/tsan.mk -- the tests where threads meet, under ThreadSanitizer.
#
#   make tsan     builds them in build/tsan with -fsanitize=thread and runs them
#
# The runtime tells TSan about every switch between tasks (runtime/fiber.c
# uses its fiber API), so tasks running on their own stacks are followed
# like any code.  What runs: the thread pool (aw_to_thread), subprocesses,
# the HTTP client with the lab server on its threads in the same process,
# and the lab server's own tests.  A data race or a lock-order inversion
# fails the run.

TSAN_BUILD := build/tsan
TSAN_TESTS := tests/runtime/test_prefault tests/runtime/test_thread tests/runtime/test_process tests/runtime/test_http \
              tests/runtime/test_http_faults tests/labserver/test_labserver tests/labserver/test_timer \
              tests/labserver/test_load
TSAN_FLAGS := -fsanitize=thread

.PHONY: tsan tsan-build

tsan-build: $(patsubst %,$(BUILD)/%,$(TSAN_TESTS))

tsan:
	@$(MAKE) --no-print-directory BUILD=$(TSAN_BUILD) OPT="-O1 -g" EXTRA_CFLAGS="$(TSAN_FLAGS)" \
	  EXTRA_LDFLAGS="$(TSAN_FLAGS)" NO_DEPS=1 tsan-build
	@TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" sh scripts/run-tests.sh $(TSAN_BUILD)
