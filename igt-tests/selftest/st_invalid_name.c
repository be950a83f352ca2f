// SPDX-License-Identifier: MIT
/* Self-test: a subtest name with a space aborts the binary. */

#include "igt.h"

igt_main
{
	igt_subtest("valid-name")
		igt_assert(true);

	igt_subtest("invalid name")
		igt_assert(true);
}
