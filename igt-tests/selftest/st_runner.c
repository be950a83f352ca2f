// SPDX-License-Identifier: MIT
/* Self-test binary for tyrc-igt-runner: one subtest per result kind. */

#include <signal.h>

#include "igt.h"

igt_main
{
	igt_subtest("pass")
		igt_info("all good\n");

	igt_subtest("warn")
		igt_warn("something odd\n");

	igt_subtest("fail") {
		errno = 0;
		igt_assert(false);
	}

	igt_subtest("skip")
		igt_skip("not today\n");

	igt_subtest("crash")
		raise(SIGSEGV);

	igt_subtest("killed")
		raise(SIGKILL);

	igt_subtest("hang")
		sleep(60);

	igt_subtest_with_dynamic("dyn") {
		igt_dynamic("one")
			igt_assert(true);
		igt_dynamic("two") {
			errno = 0;
			igt_assert(false);
		}
	}
}
