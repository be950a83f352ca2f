// SPDX-License-Identifier: MIT
/* Self-test: dynamic subtests. */

#include "igt.h"

igt_main
{
	igt_describe("All dynamic subtests pass.");
	igt_subtest_with_dynamic("dyn-pass") {
		for (int i = 0; i < 3; i++)
			igt_dynamic_f("item-%d", i)
				igt_assert(i < 3);
	}

	igt_subtest_with_dynamic("dyn-fail") {
		igt_dynamic("good")
			igt_assert(true);
		igt_dynamic("bad") {
			errno = 0;
			igt_assert_eq(1, 0);
		}
		igt_dynamic("after-bad")
			igt_assert(true);
	}

	igt_subtest_with_dynamic("dyn-none") {
		igt_info("no dynamic subtests here\n");
	}

	igt_subtest_with_dynamic_f("dyn-%s", "skip") {
		igt_dynamic("skipped") {
			errno = 0;
			igt_skip("dynamic skip\n");
		}
		igt_dynamic("passed")
			igt_assert(igt_dynamic_subtest_name() != NULL);
	}

	igt_subtest_with_dynamic("dyn-require") {
		errno = 0;
		igt_require(false);
		igt_dynamic("unreached")
			igt_assert(false);
	}
}
