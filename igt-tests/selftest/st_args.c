// SPDX-License-Identifier: MIT
/* Self-test: igt_main_args with a test-specific option. */

#include "igt.h"

struct opts {
	int value;
};

static int opt_handler(int opt, int opt_index, void *data)
{
	struct opts *opts = data;

	switch (opt) {
	case 'v':
		opts->value = atoi(optarg);
		if (opts->value < 0)
			return IGT_OPT_HANDLER_ERROR;
		break;
	default:
		return IGT_OPT_HANDLER_ERROR;
	}

	return IGT_OPT_HANDLER_SUCCESS;
}

static const struct option long_opts[] = {
	{ .name = "value", .has_arg = required_argument, .val = 'v' },
	{},
};

static const char help_str[] = "  --value <n>\tA non-negative number\n";

static struct opts opts = { .value = 1 };

igt_main_args("v:", long_opts, help_str, opt_handler, &opts)
{
	igt_subtest("value-is-five")
		igt_assert_eq(opts.value, 5);
}
