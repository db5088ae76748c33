/*
 * test_flaky.c -- the reproducible coin behind /flaky.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "labserver.h"
#include "ls_flaky.h"

static void test_splitmix64_matches_the_reference(void **state)
{
    (void)state;
    /* The first three outputs of the reference splitmix64.c seeded with 0. */
    const uint64_t gamma = 0x9e3779b97f4a7c15u;
    assert_true(ls_splitmix64(0) == 0xe220a8397b1dcdafu);
    assert_true(ls_splitmix64(gamma) == 0x6e789e6aa1b965f4u);
    assert_true(ls_splitmix64(2 * gamma) == 0x06c45d188009454fu);
}

static void test_fails_follows_the_documented_formula(void **state)
{
    (void)state;
    /* Computed independently, in Python, from the formula in labserver.h. */
    const bool seed42[10] = {false, false, false, false, false, true, true, true, false, true};
    for (uint64_t i = 0; i < 10; i++)
        assert_int_equal(labserver_flaky_fails(42, i, 0.5), seed42[i]);
}

static void test_probability_is_about_right(void **state)
{
    (void)state;
    int fails = 0;
    for (uint64_t i = 0; i < 10000; i++) {
        fails += labserver_flaky_fails(12345, i, 0.3);
        assert_false(labserver_flaky_fails(12345, i, 0.0));
        assert_true(labserver_flaky_fails(12345, i, 1.0));
    }
    assert_in_range(fails, 2800, 3200);
}

static void test_each_seed_counts_its_own_requests(void **state)
{
    (void)state;
    ls_flaky f;
    ls_flaky_init(&f);
    assert_int_equal(ls_flaky_next_index(&f, 1), 0);
    assert_int_equal(ls_flaky_next_index(&f, 2), 0);
    assert_int_equal(ls_flaky_next_index(&f, 1), 1);
    assert_int_equal(ls_flaky_next_index(&f, 1), 2);
    assert_int_equal(ls_flaky_next_index(&f, 2), 1);
    ls_flaky_reset(&f);
    assert_int_equal(ls_flaky_next_index(&f, 1), 0);
    ls_flaky_destroy(&f);
}

static void test_a_new_seed_past_the_limit_recycles_the_oldest(void **state)
{
    (void)state;
    ls_flaky f;
    ls_flaky_init(&f);
    for (uint64_t seed = 0; seed < LS_FLAKY_SEEDS; seed++)
        ls_flaky_next_index(&f, seed);
    assert_int_equal(ls_flaky_next_index(&f, 5), 1);            /* still followed    */
    assert_int_equal(ls_flaky_next_index(&f, 1000), 0);         /* takes seed 0's slot */
    assert_int_equal(ls_flaky_next_index(&f, 0), 0);            /* so 0 starts again */
    assert_int_equal(ls_flaky_next_index(&f, 1000), 1);
    ls_flaky_destroy(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_splitmix64_matches_the_reference),
        cmocka_unit_test(test_fails_follows_the_documented_formula),
        cmocka_unit_test(test_probability_is_about_right),
        cmocka_unit_test(test_each_seed_counts_its_own_requests),
        cmocka_unit_test(test_a_new_seed_past_the_limit_recycles_the_oldest),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
