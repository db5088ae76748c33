/*
 * parse.c -- strict numbers from URLs.
 */
#include "ls_parse.h"

static bool ls_is_digit(char c)
{
    return c >= '0' && c <= '9';
}

bool ls_parse_uint(const char *text, uint64_t max, uint64_t *out)
{
    if (!text || !*text)
        return false;
    uint64_t value = 0;
    for (const char *p = text; *p; p++) {
        if (!ls_is_digit(*p))
            return false;
        unsigned digit = (unsigned)(*p - '0');
        /* Checked before multiplying, so even 30 digits cannot wrap around. */
        if (digit > max || value > (max - digit) / 10)
            return false;
        value = value * 10 + digit;
    }
    *out = value;
    return true;
}

bool ls_parse_decimal(const char *text, double max, double *out)
{
    if (!text)
        return false;
    /*
     * Read by hand rather than with strtod, whose decimal point follows
     * the locale.  All digits go into one integer and the point only
     * decides the power of ten to divide by: with both exact (at most 15
     * digits) the division rounds correctly, to the same double strtod
     * would give.
     */
    uint64_t mantissa = 0;
    int digits = 0, scale = 0;
    bool point = false;
    for (const char *p = text; *p; p++) {
        if (ls_is_digit(*p)) {
            if (++digits > LS_DECIMAL_DIGITS)
                return false;
            mantissa = mantissa * 10 + (uint64_t)(*p - '0');
            scale += point;
        } else if (*p == '.' && !point) {
            point = true;
        } else {
            return false;
        }
    }
    if (digits == 0)
        return false;
    double power = 1;   /* 10^scale, exact in a double up to 10^22 */
    for (int i = 0; i < scale; i++)
        power *= 10;
    double value = (double)mantissa / power;
    if (value > max)
        return false;
    *out = value;
    return true;
}
