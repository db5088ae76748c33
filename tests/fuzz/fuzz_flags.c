/*
 * fuzz_flags.c -- a chapter program's flag and number parsing (what
 * `awaitlab run NN --size 25 --timeout 0.5` hands to chapters/harness.c):
 * the input is split at newlines into argv.
 *
 * The parser is static, so harness.c is compiled into this file, with its
 * exit() -- a usage error, or --help -- turned into a jump back here.
 */
#include "fuzz.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static jmp_buf parse_ended;

static void fuzz_exit(int status) __attribute__((noreturn));
static void fuzz_exit(int status)
{
    longjmp(parse_ended, status + 1);
}

#define exit fuzz_exit
#include "../../chapters/harness.c"
#undef exit

/* A chapter with one flag of every kind. */
static long count = 10;
static double timeout_s = 1.5, fail_rate = 0.1;
static const char *url;
static const lab_param params[] = {
    LAB_INT("count", &count, 1, 1000, "how many"),
    LAB_SECONDS("timeout", &timeout_s, 0, 60, "how long"),
    LAB_RATE("fail", &fail_rate, "how often"),
    LAB_STRING("url", &url, "where"),
    LAB_END,
};
static const lab_chapter chapter = {
    .number = "99", .slug = "fuzz", .title = "fuzz", .summary = "flags", .params = params};

enum { MAX_ARGS = 64 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    char *argv[MAX_ARGS + 1] = {"99_fuzz"};
    int argc = 1;
    for (char *line = strtok(text, "\n"); line && argc < MAX_ARGS; line = strtok(NULL, "\n"))
        argv[argc++] = line;
    argv[argc] = NULL;

    /* Each input starts from the defaults (a string flag points into the last input). */
    count = 10;
    timeout_s = 1.5;
    fail_rate = 0.1;
    url = NULL;
    lab.chapter = &chapter;
    lab.json = lab.log = lab.debug = false;
    lab.trace_path = NULL;
    if (setjmp(parse_ended) == 0)
        parse_args(argc, argv);
    free(text);
    return 0;
}
