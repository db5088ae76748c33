/*
 * fuzz_lab_numbers.c -- the strict number parsers behind every lab server
 * URL (/delay/<seconds>, ?page=<n>, ...): whatever they accept is within
 * its bound, and what they reject leaves the output untouched.
 */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "ls_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    /* The first byte picks the bound, the rest is the text. */
    static const uint64_t bounds[] = {0, 1, 9, 599, 1000000, INT64_MAX, UINT64_MAX};
    uint64_t max = bounds[data[0] % (sizeof bounds / sizeof *bounds)];
    char *text = malloc(size);
    if (!text)
        return 0;
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';

    uint64_t whole = 12345;
    if (ls_parse_uint(text, max, &whole) ? whole > max : whole != 12345)
        __builtin_trap();
    double decimal = -1;
    if (ls_parse_decimal(text, (double)max, &decimal) ? !(decimal >= 0 && decimal <= (double)max)
                                                      : decimal != -1)
        __builtin_trap();
    free(text);
    return 0;
}
