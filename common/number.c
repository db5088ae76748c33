/*
 * number.c -- plain decimal numbers for flags (see number.h for what counts).
 *
 * The text is checked character by character first, and only then handed to
 * strtod() for the conversion itself, which rounds correctly; so strtod()'s
 * generous extras (hex, exponents, nan, inf, leading space) never get in.
 */
#include "number.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>

/* -?(digits(.digits?)?|.digits): true if the whole text has this shape. */
static bool is_plain_decimal(const char *text)
{
    const char *p = text;
    if (*p == '-')
        p++;
    size_t digits = 0;
    while (isdigit((unsigned char)*p))
        p++, digits++;
    if (*p == '.') {
        p++;
        while (isdigit((unsigned char)*p))
            p++, digits++;
    }
    return digits > 0 && *p == '\0';
}

bool number_parse(const char *text, double *value)
{
    if (!text || !is_plain_decimal(text))
        return false;
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    /* A point other than '.' (a locale's ',') or a number too big for a double. */
    if (*end != '\0' || errno == ERANGE || !isfinite(v))
        return false;
    *value = v;
    return true;
}

bool number_parse_whole(const char *text, long min, long max, long *value)
{
    double v;
    if (!number_parse(text, &v) || v != floor(v) || v < (double)min || v > (double)max)
        return false;
    *value = (long)v;
    return true;
}
