/*
 * number.h -- the one way awaitlab reads a number from the command line.
 *
 * Shared by the `awaitlab` command and the chapter programs, so that every
 * flag accepts the same numbers.  A number is a plain decimal: an optional
 * minus sign, digits, and optionally a point and more digits ("3", "0.5",
 * ".5", "-2").  Nothing else: no hexadecimal ("0x10"), no exponent ("1e3"),
 * no "nan" or "inf", no leading or trailing space.  strtod() alone accepts
 * all of those, and NaN then slips through range checks such as
 * `v < min || v > max`, since every comparison with NaN is false.
 */
#ifndef AWAITLAB_NUMBER_H
#define AWAITLAB_NUMBER_H

#include <stdbool.h>

/* Reads `text` as a plain decimal into *value; false (and *value untouched) if it is not one. */
bool number_parse(const char *text, double *value);

/* Like number_parse(), for a whole number from min to max inclusive. */
bool number_parse_whole(const char *text, long min, long max, long *value);

#endif /* AWAITLAB_NUMBER_H */
