# mk/install.mk -- installing awaitlab like a C library, and packaging it.
#
#   make install   [PREFIX=/usr/local] [DESTDIR=]
#   make uninstall [PREFIX=/usr/local] [DESTDIR=]
#   make deb       build/awaitlab_VERSION_ARCH.deb, made with dpkg-deb
#
# What goes where (PREFIX/...):
#   bin/awaitlab                          the command
#   lib/libawaitlab.so.MAJOR, .a, .so     the runtime, shared and static
#   include/awaitlab/                     its public headers
#   lib/pkgconfig/awaitlab.pc
#   lib/awaitlab/chapters/, exercise/     chapter programs; the sanitized
#                                         runtime, check library and checks
#                                         `awaitlab check` links exercises with
#   share/awaitlab/                       lessons, chapter sources and Python
#                                         twins, exercises, checks, solutions,
#                                         the book's style sheet, and
#                                         awaitlab-source.tar.gz, the sources
#                                         a Gradescope bundle carries
#   share/man/man1/awaitlab.1, man3/awaitlab.3
#   share/bash-completion/completions/awaitlab
#
# The command finds lib/awaitlab and share/awaitlab relative to itself
# (common/data_dirs.c), so the tree works wherever it is put.

AW_VERSION := 0.1.0
AW_MAJOR   := 0
PREFIX     ?= /usr/local
DESTDIR    ?=

bindir     := $(PREFIX)/bin
libdir     := $(PREFIX)/lib
includedir := $(PREFIX)/include
datadir    := $(PREFIX)/share
pkglibdir  := $(libdir)/awaitlab
pkgdatadir := $(datadir)/awaitlab
mandir     := $(datadir)/man
completiondir := $(datadir)/bash-completion/completions

API_HEADERS := runtime/awaitlab.h runtime/awaitlab_io.h
SONAME      := libawaitlab.so.$(AW_MAJOR)
SHARED_LIB  := $(BUILD)/libawaitlab.so.$(AW_VERSION)
RUNTIME_PIC_O := $(patsubst %,$(BUILD)/pic/%.o,$(RUNTIME_C) $(SWITCH_SRC))
RUNTIME_LINK_LIBS = $(shell pkg-config --libs libuv libcurl 2>/dev/null) -lm -lpthread

# The command reports its version; one number, here.
$(BUILD)/obj/cli/main.c.o: EXTRA_CFLAGS += -DAWAITLAB_VERSION='"$(AW_VERSION)"'

# `awaitlab check` links a student's exercise against the libraries by their
# sonames, so the installed command needs only the runtime packages (libuv1,
# libjansson4), not their -dev packages.  It replaces the Makefile's value.
soname_of = $(shell objdump -p "$$($(CC) -print-file-name=lib$(1).so)" 2>/dev/null | \
                    awk '/SONAME/ { print "-l:" $$2 }')
EXERCISE_SONAMES = $(or $(call soname_of,uv),-luv) $(or $(call soname_of,jansson),-ljansson)
$(BUILD)/obj/checker/toolchain.c.o: EXTRA_CFLAGS += -UAW_EXERCISE_LIBS \
    -DAW_EXERCISE_LIBS='"$(EXERCISE_SONAMES) -lm -lpthread"'

.PHONY: install uninstall deb shared-lib install-files

build-all: $(SHARED_LIB) $(BUILD)/awaitlab.pc $(BUILD)/man/awaitlab.1 $(BUILD)/man/awaitlab.3

# The shared library: position-independent objects, and only the functions
# the public headers declare exported (a version script made from them).
$(BUILD)/pic/%.o: %
	@mkdir -p $(dir $@)
	@echo "  CC      $< (shared)"
	@$(CC) $(CFLAGS_ALL) -fPIC -c $< -o $@

$(BUILD)/awaitlab.map: $(API_HEADERS) scripts/api-doc.py
	@mkdir -p $(dir $@)
	@python3 scripts/api-doc.py exports $(API_HEADERS) > $@

$(SHARED_LIB): $(RUNTIME_PIC_O) $(BUILD)/awaitlab.map
	@echo "  LINK    $@"
	@$(CC) -shared -Wl,-soname,$(SONAME) -Wl,--version-script=$(BUILD)/awaitlab.map \
	  -Wl,--no-undefined -Wl,-z,noexecstack -o $@ $(RUNTIME_PIC_O) $(RUNTIME_LINK_LIBS) $(EXTRA_LDFLAGS)
	@ln -sf $(notdir $@) $(BUILD)/$(SONAME)
	@ln -sf $(SONAME) $(BUILD)/libawaitlab.so

$(BUILD)/awaitlab.pc: mk/install.mk
	@mkdir -p $(dir $@)
	@printf '%s\n' 'prefix=$(PREFIX)' 'libdir=$${prefix}/lib' 'includedir=$${prefix}/include' \
	  'static_libs=$${libdir}/libawaitlab.a $(RUNTIME_LINK_LIBS)' '' \
	  'Name: awaitlab' \
	  'Description: asyncio-style runtime for C: tasks, gather, timeouts, queues, HTTP' \
	  'Version: $(AW_VERSION)' \
	  'Requires.private: libuv libcurl' \
	  'Cflags: -I$${includedir}/awaitlab' \
	  'Libs: -L$${libdir} -lawaitlab' \
	  'Libs.private: -lm -lpthread' > $@

# awaitlab(1): the commands as written in dist/, and each chapter's own
# flags as the chapter programs describe themselves.
$(BUILD)/man/awaitlab.1: dist/awaitlab.1 scripts/man-chapters.py $(CHAPTERS)
	@mkdir -p $(dir $@)
	@python3 scripts/man-chapters.py dist/awaitlab.1 $(CHAPTERS) > $@

$(BUILD)/man/awaitlab.3: $(API_HEADERS) scripts/api-doc.py
	@mkdir -p $(dir $@)
	@python3 scripts/api-doc.py man $(AW_VERSION) $(API_HEADERS) > $@

# ---------------------------------------------------------------------------
# install / uninstall

INSTALL_DATA := install -p -m 644
SHARE_TREES  := exercises solutions tests/exercises

install: all
	@$(MAKE) --no-print-directory install-files

# The sources for `awaitlab grade --gradescope-bundle` from an install: the
# entries dist/source-files names, with the names cli/gradescope_bundle.c
# excludes too.
SOURCE_ENTRIES := $(shell sed -e '/^[#]/d' -e '/^$$/d' dist/source-files)
SOURCE_ARCHIVE := $(BUILD)/awaitlab-source.tar.gz

$(SOURCE_ARCHIVE): dist/source-files
	@tar -czf $@ --exclude=build --exclude=.git --exclude=.awaitlab --exclude=solutions \
	  $(SOURCE_ENTRIES)

install-files:
	@echo "  INSTALL $(DESTDIR)$(PREFIX)"
	@rm -f $(SOURCE_ARCHIVE) && $(MAKE) --no-print-directory -s $(SOURCE_ARCHIVE)
	@install -d $(DESTDIR)$(bindir) $(DESTDIR)$(libdir)/pkgconfig $(DESTDIR)$(includedir)/awaitlab \
	  $(DESTDIR)$(pkglibdir)/chapters $(DESTDIR)$(pkgdatadir)/lessons $(DESTDIR)$(pkgdatadir)/chapters \
	  $(DESTDIR)$(pkgdatadir)/runtime $(DESTDIR)$(mandir)/man1 $(DESTDIR)$(mandir)/man3 \
	  $(DESTDIR)$(completiondir)
	@install -p -m 755 $(BUILD)/awaitlab $(DESTDIR)$(bindir)/awaitlab
	@install -p -m 755 $(SHARED_LIB) $(DESTDIR)$(libdir)/
	@ln -sf $(notdir $(SHARED_LIB)) $(DESTDIR)$(libdir)/$(SONAME)
	@ln -sf $(SONAME) $(DESTDIR)$(libdir)/libawaitlab.so
	@$(INSTALL_DATA) $(BUILD)/libawaitlab.a $(DESTDIR)$(libdir)/
	@$(INSTALL_DATA) $(API_HEADERS) $(DESTDIR)$(includedir)/awaitlab/
	@sed 's|^prefix=.*|prefix=$(PREFIX)|' $(BUILD)/awaitlab.pc > $(DESTDIR)$(libdir)/pkgconfig/awaitlab.pc
	@install -p -m 755 $(CHAPTERS) $(DESTDIR)$(pkglibdir)/chapters/
	@cp -R $(BUILD)/exercise $(DESTDIR)$(pkglibdir)/
	@rm -rf $(DESTDIR)$(pkglibdir)/exercise/obj
	@find $(DESTDIR)$(pkglibdir)/exercise -name '*.d' -delete
	@$(INSTALL_DATA) $(LESSONS) $(DESTDIR)$(pkgdatadir)/lessons/
	@$(INSTALL_DATA) $(CHAPTER_C) $(LESSONS) $(wildcard chapters/*.py) chapters/harness.h \
	  $(DESTDIR)$(pkgdatadir)/chapters/
	@$(INSTALL_DATA) $(API_HEADERS) $(DESTDIR)$(pkgdatadir)/runtime/
	@install -D -p -m 644 book/style.css $(DESTDIR)$(pkgdatadir)/book/style.css
	@$(INSTALL_DATA) $(SOURCE_ARCHIVE) $(DESTDIR)$(pkgdatadir)/
	@for tree in $(SHARE_TREES); do \
	  (cd $$tree && find . -type f) | while read -r f; do \
	    install -D -p -m 644 "$$tree/$$f" "$(DESTDIR)$(pkgdatadir)/$$tree/$$f" || exit 1; done; done
	@# the prebuilt checks after their sources, so they are not taken as stale
	@find $(DESTDIR)$(pkglibdir)/exercise -name '*.o' -exec touch {} +
	@$(INSTALL_DATA) $(BUILD)/man/awaitlab.1 $(DESTDIR)$(mandir)/man1/
	@$(INSTALL_DATA) $(BUILD)/man/awaitlab.3 $(DESTDIR)$(mandir)/man3/
	@$(INSTALL_DATA) dist/awaitlab.bash-completion $(DESTDIR)$(completiondir)/awaitlab

uninstall:
	@echo "  UNINSTALL $(DESTDIR)$(PREFIX)"
	@rm -f $(DESTDIR)$(bindir)/awaitlab $(DESTDIR)$(libdir)/libawaitlab.so* \
	  $(DESTDIR)$(libdir)/libawaitlab.a $(DESTDIR)$(libdir)/pkgconfig/awaitlab.pc \
	  $(DESTDIR)$(mandir)/man1/awaitlab.1 $(DESTDIR)$(mandir)/man3/awaitlab.3 \
	  $(DESTDIR)$(completiondir)/awaitlab
	@rm -rf $(DESTDIR)$(includedir)/awaitlab $(DESTDIR)$(pkglibdir) $(DESTDIR)$(pkgdatadir)
	@# the directories install made, where nothing else is left in them
	@for d in $(completiondir) $(datadir)/bash-completion $(mandir)/man1 $(mandir)/man3 $(mandir) \
	  $(libdir)/pkgconfig $(includedir) $(libdir) $(bindir) $(datadir) $(PREFIX); do \
	  rmdir "$(DESTDIR)$$d" 2>/dev/null || true; done

# ---------------------------------------------------------------------------
# A Debian package, installed to /usr, made with dpkg-deb from a staged tree.

DEB_ARCH    = $(shell dpkg --print-architecture 2>/dev/null || echo amd64)
DEB_STAGE   = $(BUILD)/deb/root
DEB_FILE    = $(BUILD)/awaitlab_$(AW_VERSION)_$(DEB_ARCH).deb
DEB_DEPENDS = libc6, libuv1, libcurl4 | libcurl4t64, libjansson4, libncursesw6, \
              libmicrohttpd12 | libmicrohttpd12t64, libcmark0.30.2, gcc, libc6-dev

deb: all
	@rm -rf $(BUILD)/deb
	@$(MAKE) --no-print-directory install-files PREFIX=/usr DESTDIR=$(abspath $(DEB_STAGE))
	@mkdir -p $(DEB_STAGE)/DEBIAN
	@printf '%s\n' 'Package: awaitlab' 'Version: $(AW_VERSION)' 'Architecture: $(DEB_ARCH)' \
	  'Maintainer: awaitlab <awaitlab@localhost>' 'Section: devel' 'Priority: optional' \
	  'Depends: $(DEB_DEPENDS)' 'Recommends: bubblewrap, man-db' \
	  "Installed-Size: $$(du -sk $(DEB_STAGE) | cut -f1)" \
	  'Description: asyncio patterns in C: a workbook, a runtime and its exercises' \
	  ' Numbered chapters of asyncio patterns as C programs on libawaitlab, an' \
	  ' asyncio-style runtime (stackful tasks on libuv, a virtual clock, HTTP' \
	  ' with libcurl), with lessons, exercises and checks, and a live viewer.' \
	  > $(DEB_STAGE)/DEBIAN/control
	@echo 'activate-noawait ldconfig' > $(DEB_STAGE)/DEBIAN/triggers
	@dpkg-deb --root-owner-group --build $(DEB_STAGE) $(DEB_FILE) >/dev/null
	@echo "  DEB     $(DEB_FILE)"

-include $(shell find $(BUILD)/pic -name '*.d' 2>/dev/null)

# `make test` runs this: install, use and uninstall in temporary directories.
.PHONY: install-tests
install-tests:
	@sh tests/install/test-install.sh $(BUILD)
