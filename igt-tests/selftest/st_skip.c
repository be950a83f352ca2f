// SPDX-License-Identifier: MIT
/* Self-test: every subtest skips, so the binary exits 77. */

#include "igt.h"

igt_main
{
	igt_subtest("skip-require") {
		errno = 0;
		igt_require(1 == 2);
	}

	igt_subtest("skip-require-f") {
		errno = 0;
		igt_require_f(false, "needs %s\n", "unicorns");
	}

	igt_subtest("skip-on-f") {
		errno = 0;
		igt_skip_on_f(true, "skip on purpose\n");
	}

	igt_subtest("skip-require-fd") {
		errno = 0;
		igt_require_fd(-1);
	}

	igt_subtest("skip-explicit")
		igt_skip("explicit skip\n");
}
