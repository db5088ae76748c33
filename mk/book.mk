# mk/book.mk -- the workbook as a static web site.
#
#   make book      build/book/index.html: a page a chapter, made by
#                  `awaitlab book` (lessons rendered by cmark, timelines of
#                  virtual-clock runs, C beside Python, the exercises)
#   make book-tests  every page loaded in headless Chromium (skipped, saying
#                  so, where Chromium is not installed)

BOOK_DIR := $(BUILD)/book

# Lessons are CommonMark, rendered by the cmark library.
$(BUILD)/obj/cli/book_html.c.o: EXTRA_CFLAGS += $(shell pkg-config --cflags libcmark 2>/dev/null)
$(BUILD)/awaitlab: LDLIBS_ALL += $(shell pkg-config --libs libcmark 2>/dev/null || echo -lcmark)

.PHONY: book book-tests
book: all
	@rm -rf $(BOOK_DIR)
	@$(BUILD)/awaitlab book $(BOOK_DIR)

book-tests:
	@sh tests/book/test-book.sh $(BUILD)
