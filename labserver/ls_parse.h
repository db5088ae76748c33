/*
 * ls_parse.h -- strict numbers from URLs.
 *
 * strtod and strtoull accept far more than a URL should ("1e3", "0x10",
 * " 7", "-1" as a huge unsigned, "inf", "nan"), and a student who typed
 * /delay/1e3 deserves a 400, not a 17-minute wait.  These accept plain
 * decimal digits only and say no to everything else.
 */
#ifndef LS_PARSE_H
#define LS_PARSE_H

#include <stdbool.h>
#include <stdint.h>

/* Digits only ("0", "42"), at most `max`.  On false *out is untouched. */
bool ls_parse_uint(const char *text, uint64_t max, uint64_t *out);

/* Decimals keep at most this many digits: finer than any timer here. */
#define LS_DECIMAL_DIGITS 15

/*
 * A non-negative decimal ("2", "0.25", ".5", "3."), at most `max`: 1 to
 * LS_DECIMAL_DIGITS digits and at most one point.  On false *out is untouched.
 */
bool ls_parse_decimal(const char *text, double max, double *out);

#endif /* LS_PARSE_H */
