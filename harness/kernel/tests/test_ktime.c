// SPDX-License-Identifier: MIT
/* Monotonic clocks and tyrc_usleep(). */
#include "test_util.h"

static void test_monotonic_never_goes_back(void **state)
{
	u64 prev = tyrc_ktime_get_ns();

	assert_true(prev > 0);
	for (int i = 0; i < 10000; i++) {
		u64 now = tyrc_ktime_get_ns();

		assert_true(now >= prev);
		prev = now;
	}
}

static void test_raw_clock_advances(void **state)
{
	u64 a = tyrc_ktime_get_raw_ns();
	u64 b;

	tyrc_usleep(100);
	b = tyrc_ktime_get_raw_ns();
	assert_true(b > a);
}

static void test_usleep_sleeps_at_least(void **state)
{
	u64 start = tyrc_ktime_get_ns();

	tyrc_usleep(2000);
	assert_true(tyrc_ktime_get_ns() - start >= 2 * NSEC_PER_MSEC);
	/* Zero returns at once (no assertion on speed, just that it returns). */
	tyrc_usleep(0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_monotonic_never_goes_back),
		cmocka_unit_test(test_raw_clock_advances),
		cmocka_unit_test(test_usleep_sleeps_at_least),
	};

	return cmocka_run_group_tests_name("ktime", tests, NULL, NULL);
}
