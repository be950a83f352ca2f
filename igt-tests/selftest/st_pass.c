// SPDX-License-Identifier: MIT
/* Self-test: passing subtests, descriptions, groups, logging (legacy spelling). */

#include "igt.h"

IGT_TEST_DESCRIPTION("Self-test of the IGT runtime: every subtest passes.");

static int fixture_runs;

igt_main
{
	igt_fixture {
		fixture_runs++;
		igt_info("fixture ran\n");
	}

	igt_describe("A subtest that passes.");
	igt_subtest("pass-a") {
		igt_assert(fixture_runs == 1);
		igt_assert_eq(1 + 1, 2);
		igt_assert_neq(1, 2);
		igt_assert_lt(1, 2);
		igt_assert_lte(2, 2);
		igt_assert_eq_u32(7u, 7u);
		igt_assert_eq_u64(1ull << 40, 1ull << 40);
		igt_assert_eq_s64(-5, -5);
		igt_assert_eq_double(0.5, 0.5);
		igt_assert_lt_u64(1, 2);
		igt_assert_lt_s64(-2, -1);
		igt_assert_gt(3, 2);
		igt_assert_gte_u32(3, 3);
		igt_assert_fd(0);
		igt_fail_on(false);
		igt_fail_on_f(0, "never\n");
		igt_info("info from pass-a\n");
		igt_debug("debug from pass-a\n");
	}

	igt_describe("Subtests in this group share this description.");
	igt_subtest_group {
		igt_describe("The second subtest.");
		igt_subtest("pass-b")
			igt_require(true);

		igt_subtest_f("pass-%s", "formatted")
			igt_skip_on(false);
	}

	igt_subtest("pass_underscore_9") {
		igt_assert_f(!igt_warn_on(false), "igt_warn_on(false) returned true\n");
		igt_assert(igt_subtest_name() && !strcmp(igt_subtest_name(), "pass_underscore_9"));
	}

	igt_fixture {
		igt_info("teardown ran\n");
	}
}
