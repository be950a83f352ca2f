// SPDX-License-Identifier: MIT
/* Self-test: the upstream-2025 block spelling, picked up by meson's detection. */

#include "igt.h"

int igt_main()
{
	int value = 0;

	igt_fixture() {
		value = 42;
	}

	igt_subtest_group() {
		igt_fixture() {
			errno = 0;
			igt_require(value == 42);
		}

		igt_subtest("new-spelling")
			igt_assert_eq(value, 42);
	}
}
