/*
 * fuzz.h -- what the fuzz targets share.
 *
 * Each tests/fuzz/fuzz_NAME.c defines LLVMFuzzerTestOneInput(), the one
 * entry point libFuzzer calls with every input it makes up.  The same file
 * is built twice: with -fsanitize=fuzzer by `make fuzz`, which searches for
 * new inputs, and with replay.c's main() by the ordinary and sanitizer
 * builds, which feed it every input kept under tests/fuzz/NAME/ -- so an
 * input that once crashed a parser is tried again by every `make test`.
 *
 * Parsers that read files get their input through a private scratch
 * directory, made once per process and removed at exit.
 */
#ifndef AWAITLAB_FUZZ_H
#define AWAITLAB_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A directory of this process's own, made on first use, removed at exit. */
const char *fuzz_scratch_dir(void);

/* Makes every missing directory of `path` (which names a file). */
void fuzz_make_parents(const char *path);

/* Writes `size` bytes to `path`, replacing it; aborts if it cannot. */
void fuzz_write_file(const char *path, const uint8_t *data, size_t size);

#endif /* AWAITLAB_FUZZ_H */
