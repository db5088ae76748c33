/*
 * test_parse.c -- strict numbers from URLs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "ls_parse.h"

static void test_uint_takes_plain_digits_up_to_max(void **state)
{
    (void)state;
    uint64_t v = 99;
    assert_true(ls_parse_uint("0", 10, &v));
    assert_int_equal(v, 0);
    assert_true(ls_parse_uint("007", 10, &v));
    assert_int_equal(v, 7);
    assert_true(ls_parse_uint("10", 10, &v));
    assert_int_equal(v, 10);
    assert_true(ls_parse_uint("18446744073709551615", UINT64_MAX, &v));
    assert_true(v == UINT64_MAX);
}

static void test_uint_rejects_everything_else(void **state)
{
    (void)state;
    const char *bad[] = {"", "11", "-1", "+1", " 1", "1 ", "1.0", "0x1", "1e1", "abc",
                         "\xef\xbc\x91" /* a full-width 1 */};
    uint64_t v = 99;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_false(ls_parse_uint(bad[i], 10, &v));
    assert_false(ls_parse_uint(NULL, 10, &v));
    assert_false(ls_parse_uint("18446744073709551616", UINT64_MAX, &v));
    assert_false(ls_parse_uint("99999999999999999999999999999", UINT64_MAX, &v));
    assert_false(ls_parse_uint("5", 0, &v));
    assert_int_equal(v, 99);
}

static void test_decimal_takes_plain_decimals(void **state)
{
    (void)state;
    const struct { const char *text; double value; } good[] = {
        {"0", 0}, {"2", 2}, {"0.25", 0.25}, {".5", 0.5}, {"3.", 3}, {"0.1", 0.1},
        {"0.3", 0.3}, {"600", 600}, {"123456789012345", 123456789012345.0},
    };
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        double v = -1;
        assert_true(ls_parse_decimal(good[i].text, 1e15, &v));
        /* Exactly the double the literal denotes, as strtod would give. */
        assert_true(v == good[i].value);
    }
}

static void test_decimal_rejects_everything_else(void **state)
{
    (void)state;
    const char *bad[] = {"", ".", "-1", "+1", "1e3", "0x10", "inf", "nan", "1.2.3",
                         " 1", "1,5", "1234567890123456", "0.0000000000000001"};
    double v = -1;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_false(ls_parse_decimal(bad[i], 1e20, &v));
    assert_false(ls_parse_decimal(NULL, 10, &v));
    assert_false(ls_parse_decimal("10.5", 10, &v));
    assert_true(v == -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_uint_takes_plain_digits_up_to_max),
        cmocka_unit_test(test_uint_rejects_everything_else),
        cmocka_unit_test(test_decimal_takes_plain_decimals),
        cmocka_unit_test(test_decimal_rejects_everything_else),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
