/* SPDX-License-Identifier: MIT */
/*
 * igt_aux.h - small helpers from IGT's lib/igt_aux.h that tests commonly use.
 */

#ifndef IGT_AUX_H
#define IGT_AUX_H

#include <stdbool.h>
#include <stdint.h>

#include "igt_core.h"

#define min_t(t, x, y)                                 \
	({                                             \
		t __min_x = (x), __min_y = (y);        \
		__min_x < __min_y ? __min_x : __min_y; \
	})

#define max_t(t, x, y)                                 \
	({                                             \
		t __max_x = (x), __max_y = (y);        \
		__max_x > __max_y ? __max_x : __max_y; \
	})

#define igt_swap(a, b)                          \
	do {                                    \
		typeof(a) __igt_swap_tmp = (a); \
		(a) = (b);                      \
		(b) = __igt_swap_tmp;           \
	} while (0)

#define DIV_ROUND_UP(n, d) (((n) + (d)-1) / (d))

#endif /* IGT_AUX_H */
