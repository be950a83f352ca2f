// SPDX-License-Identifier: MIT
/* Self-test: failing subtests; later subtests still run. */

#include "igt.h"

igt_main
{
	igt_subtest("pass-first")
		igt_assert(true);

	igt_subtest("fail-assert")
		igt_assert_eq(1, 2);

	igt_subtest("fail-assert-f") {
		errno = 0;
		igt_info("context before the failure\n");
		igt_assert_f(0 > 1, "custom message %d\n", 42);
	}

	igt_subtest("fail-on")
		igt_fail_on(1 == 1);

	igt_subtest("fail-u64")
		igt_assert_eq_u64(0x10, 0x20);

	igt_subtest("fail-explicit")
		igt_fail(IGT_EXIT_FAILURE);

	igt_subtest("pass-last")
		igt_assert(true);
}
