/*
 * command.h -- run a shell command and keep what it printed.
 *
 * The chapter tests (golden outputs, lesson timelines) and the conformance
 * tests all work the same way: run a program, take its standard output as
 * one string, compare it with something.  These few helpers are shared by
 * including this header; each test is its own program, so they are static inline.
 */
#ifndef AWAITLAB_TESTS_COMMAND_H
#define AWAITLAB_TESTS_COMMAND_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

/*
 * Runs `command` through /bin/sh and returns everything it wrote to standard
 * output, NUL-terminated, in a malloc'd string (standard error is left
 * alone, so its messages appear in the test's own output).  *exit_status
 * gets the command's exit status, or -1 if it did not exit normally.
 * Returns NULL only when the command could not be started or memory ran out.
 */
static inline char *command_output(const char *command, int *exit_status)
{
    FILE *pipe = popen(command, "r");
    if (!pipe)
        return NULL;
    char chunk[4096];
    size_t size = 0, got;
    char *text = malloc(1);
    while (text && (got = fread(chunk, 1, sizeof chunk, pipe)) > 0) {
        char *bigger = realloc(text, size + got + 1);
        if (!bigger)
            free(text);
        text = bigger;
        if (!text)
            break;
        memcpy(text + size, chunk, got);
        size += got;
    }
    int status = pclose(pipe);
    *exit_status = status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (text)
        text[size] = '\0';
    return text;
}

/* printf into a malloc'd string; NULL when out of memory. */
static inline char *format_string(const char *format, ...) __attribute__((format(printf, 1, 2)));
static inline char *format_string(const char *format, ...)
{
    va_list ap;
    char *text = NULL;
    va_start(ap, format);
    if (vasprintf(&text, format, ap) < 0)
        text = NULL;
    va_end(ap);
    return text;
}

/*
 * The version of python3 on the PATH as major * 100 + minor (311 for 3.11),
 * or 0 if there is no python3 that runs.
 */
static inline int python_version(void)
{
    int status, major = 0, minor = 0;
    char *out = command_output(
        "python3 -c 'import sys; print(*sys.version_info[:2])' 2>/dev/null", &status);
    if (!out || status != 0 || sscanf(out, "%d %d", &major, &minor) != 2)
        major = minor = 0;
    free(out);
    return major * 100 + minor;
}

#endif /* AWAITLAB_TESTS_COMMAND_H */
