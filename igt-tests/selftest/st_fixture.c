// SPDX-License-Identifier: MIT
/* Self-test: fixture skip/failure applies to the rest of its group only. */

#include "igt.h"

igt_main
{
	igt_subtest_group {
		igt_fixture {
			errno = 0;
			igt_require_f(false, "fixture requirement\n");
		}

		igt_subtest("group-skip-a")
			igt_assert(false);

		igt_subtest("group-skip-b")
			igt_assert(false);
	}

	igt_subtest("after-skip-group")
		igt_assert(true);

	igt_subtest_group {
		igt_fixture {
			errno = 0;
			igt_assert_f(false, "fixture failure\n");
		}

		igt_subtest("group-fail-a")
			igt_assert(false);
	}

	igt_subtest("after-fail-group")
		igt_assert(true);

	igt_fixture {
		errno = 0;
		igt_skip("top-level fixture skip\n");
	}

	igt_subtest("after-top-skip")
		igt_assert(false);
}
