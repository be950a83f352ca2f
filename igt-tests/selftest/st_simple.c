// SPDX-License-Identifier: MIT
/* Self-test: igt_simple_main; ST_SIMPLE_MODE=pass|fail|skip picks the outcome. */

#include "igt.h"

IGT_TEST_DESCRIPTION("Self-test of igt_simple_main.");

igt_simple_main
{
	const char *mode = getenv("ST_SIMPLE_MODE");

	igt_info("simple test running\n");
	errno = 0;
	if (mode && !strcmp(mode, "fail"))
		igt_assert_eq(3, 4);
	if (mode && !strcmp(mode, "skip"))
		igt_require(mode == NULL);
}
