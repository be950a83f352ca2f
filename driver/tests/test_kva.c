// SPDX-License-Identifier: MIT
/*
 * The kernel VA range allocator, without any GPU: first fit, alignment,
 * fragmentation and reuse of holes, exhaustion (-ENOMEM), free with merges
 * on either side, double free and out-of-window arguments (-EINVAL),
 * fixed reservations (-EBUSY), a window ending at 2^64.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <tyrc/kernel.h>
#include "tyrc_kva.h"

#define BASE 0x100000ULL
#define SIZE 0x100000ULL /* 256 pages */
#define PG 0x1000ULL

static int setup(void **state)
{
	struct tyrc_kva_range *r;

	assert_int_equal(tyrc_kva_range_create(BASE, SIZE, &r), 0);
	*state = r;
	return 0;
}

static int teardown(void **state)
{
	tyrc_kva_range_destroy(*state);
	return 0;
}

static u64 alloc(struct tyrc_kva_range *r, u64 size, u64 align)
{
	u64 va = 0;

	assert_int_equal(tyrc_kva_range_alloc(r, size, align, &va), 0);
	return va;
}

static void test_create_args(void **state)
{
	struct tyrc_kva_range *r;

	(void)state;
	assert_int_equal(tyrc_kva_range_create(BASE, 0, &r), -EINVAL);
	assert_int_equal(tyrc_kva_range_create(BASE + 1, SIZE, &r), -EINVAL);
	assert_int_equal(tyrc_kva_range_create(BASE, SIZE + 1, &r), -EINVAL);
	assert_int_equal(tyrc_kva_range_create(UINT64_MAX - PG + 1, 2 * PG, &r), -EINVAL);
	/* A window may end exactly at 2^64. */
	assert_int_equal(tyrc_kva_range_create(UINT64_MAX - 4 * PG + 1, 4 * PG, &r), 0);
	assert_int_equal(alloc(r, 4 * PG, 0), UINT64_MAX - 4 * PG + 1);
	assert_int_equal(tyrc_kva_range_free_bytes(r), 0);
	assert_int_equal(tyrc_kva_range_free(r, UINT64_MAX - 2 * PG + 1, 2 * PG), 0);
	assert_int_equal(tyrc_kva_range_free(r, UINT64_MAX - 4 * PG + 1, 2 * PG), 0);
	assert_int_equal(tyrc_kva_range_holes(r), 1);
	assert_int_equal(tyrc_kva_range_free_bytes(r), 4 * PG);
	tyrc_kva_range_destroy(r);
	tyrc_kva_range_destroy(NULL);
}

static void test_first_fit(void **state)
{
	struct tyrc_kva_range *r = *state;

	assert_int_equal(alloc(r, PG, 0), BASE);
	assert_int_equal(alloc(r, 2 * PG, 0), BASE + PG);
	assert_int_equal(alloc(r, PG, 0), BASE + 3 * PG);
	assert_int_equal(tyrc_kva_range_holes(r), 1);
	assert_int_equal(tyrc_kva_range_free_bytes(r), SIZE - 4 * PG);
	/* A hole in the middle is reused by the next allocation that fits. */
	assert_int_equal(tyrc_kva_range_free(r, BASE + PG, 2 * PG), 0);
	assert_int_equal(tyrc_kva_range_holes(r), 2);
	assert_int_equal(alloc(r, 4 * PG, 0), BASE + 4 * PG);
	assert_int_equal(alloc(r, PG, 0), BASE + PG);
	assert_int_equal(alloc(r, PG, 0), BASE + 2 * PG);
	assert_int_equal(tyrc_kva_range_holes(r), 1);
}

static void test_alignment(void **state)
{
	struct tyrc_kva_range *r = *state;

	assert_int_equal(alloc(r, PG, 0), BASE);
	/* 64 KiB alignment skips to the next boundary, leaving a hole before. */
	assert_int_equal(alloc(r, PG, 0x10000), BASE + 0x10000);
	assert_int_equal(tyrc_kva_range_holes(r), 2);
	/* The hole [BASE + PG, BASE + 64 KiB) still serves small allocations. */
	assert_int_equal(alloc(r, 2 * PG, 0x2000), BASE + 0x2000);
	assert_int_equal(alloc(r, PG, 0), BASE + PG);
	/* Alignment bigger than the window: nothing fits. */
	{
		u64 va;

		assert_int_equal(tyrc_kva_range_alloc(r, PG, 1ULL << 40, &va), -ENOMEM);
		assert_int_equal(tyrc_kva_range_alloc(r, PG, 0x3000, &va), -EINVAL);
		assert_int_equal(tyrc_kva_range_alloc(r, PG, 0x800, &va), -EINVAL);
		assert_int_equal(tyrc_kva_range_alloc(r, 0, 0, &va), -EINVAL);
		assert_int_equal(tyrc_kva_range_alloc(r, 0x800, 0, &va), -EINVAL);
	}
}

static void test_fragmentation_and_exhaustion(void **state)
{
	struct tyrc_kva_range *r = *state;
	u64 va;

	for (u64 i = 0; i < SIZE / PG; i++)
		assert_int_equal(alloc(r, PG, 0), BASE + i * PG);
	assert_int_equal(tyrc_kva_range_alloc(r, PG, 0, &va), -ENOMEM);
	assert_int_equal(tyrc_kva_range_holes(r), 0);
	/* Free every other page: 128 one-page holes, no two-page fit. */
	for (u64 i = 0; i < SIZE / PG; i += 2)
		assert_int_equal(tyrc_kva_range_free(r, BASE + i * PG, PG), 0);
	assert_int_equal(tyrc_kva_range_holes(r), SIZE / PG / 2);
	assert_int_equal(tyrc_kva_range_free_bytes(r), SIZE / 2);
	assert_int_equal(tyrc_kva_range_alloc(r, 2 * PG, 0, &va), -ENOMEM);
	/* Freeing the page between two holes merges all three. */
	assert_int_equal(tyrc_kva_range_free(r, BASE + 5 * PG, PG), 0);
	assert_int_equal(tyrc_kva_range_holes(r), SIZE / PG / 2 - 1);
	assert_int_equal(alloc(r, 3 * PG, 0), BASE + 4 * PG);
	/* Free everything else: one hole again. */
	assert_int_equal(tyrc_kva_range_free(r, BASE + 4 * PG, 3 * PG), 0);
	for (u64 i = 1; i < SIZE / PG; i += 2)
		if (i != 5)
			assert_int_equal(tyrc_kva_range_free(r, BASE + i * PG, PG), 0);
	assert_int_equal(tyrc_kva_range_holes(r), 1);
	assert_int_equal(tyrc_kva_range_free_bytes(r), SIZE);
	assert_int_equal(alloc(r, SIZE, 0), BASE);
	assert_int_equal(tyrc_kva_range_alloc(r, PG, 0, &va), -ENOMEM);
	assert_int_equal(tyrc_kva_range_free(r, BASE, SIZE), 0);
	/* Too big for the window. */
	assert_int_equal(tyrc_kva_range_alloc(r, SIZE + PG, 0, &va), -ENOMEM);
}

static void test_free_merge_and_checks(void **state)
{
	struct tyrc_kva_range *r = *state;
	u64 a = alloc(r, 2 * PG, 0), b = alloc(r, 2 * PG, 0), c = alloc(r, 2 * PG, 0);

	/* Merge right (with the tail hole), then left, then both sides. */
	assert_int_equal(tyrc_kva_range_free(r, c, 2 * PG), 0);
	assert_int_equal(tyrc_kva_range_holes(r), 1);
	assert_int_equal(tyrc_kva_range_free(r, a, 2 * PG), 0);
	assert_int_equal(tyrc_kva_range_holes(r), 2);
	/* Double free and overlaps are refused, nothing changes. */
	assert_int_equal(tyrc_kva_range_free(r, a, 2 * PG), -EINVAL);
	assert_int_equal(tyrc_kva_range_free(r, a + PG, 2 * PG), -EINVAL);
	assert_int_equal(tyrc_kva_range_free(r, b + PG, 2 * PG), -EINVAL);
	assert_int_equal(tyrc_kva_range_holes(r), 2);
	/* Bounds and alignment. */
	assert_int_equal(tyrc_kva_range_free(r, BASE - PG, PG), -EINVAL);
	assert_int_equal(tyrc_kva_range_free(r, BASE + SIZE, PG), -EINVAL);
	assert_int_equal(tyrc_kva_range_free(r, BASE + SIZE - PG, 2 * PG), -EINVAL);
	assert_int_equal(tyrc_kva_range_free(r, b + 1, PG), -EINVAL);
	assert_int_equal(tyrc_kva_range_free(r, b, 0), -EINVAL);
	assert_int_equal(tyrc_kva_range_free(r, UINT64_MAX - PG + 1, PG), -EINVAL);
	/* Part of an allocation can go back on its own. */
	assert_int_equal(tyrc_kva_range_free(r, b + PG, PG), 0);
	assert_int_equal(tyrc_kva_range_free(r, b, PG), 0);
	assert_int_equal(tyrc_kva_range_holes(r), 1);
	assert_int_equal(tyrc_kva_range_free_bytes(r), SIZE);
}

static void test_reserve(void **state)
{
	struct tyrc_kva_range *r = *state;

	assert_int_equal(tyrc_kva_range_reserve(r, BASE + 2 * PG, 2 * PG), 0);
	assert_int_equal(tyrc_kva_range_reserve(r, BASE + 3 * PG, 2 * PG), -EBUSY);
	assert_int_equal(tyrc_kva_range_reserve(r, BASE + SIZE, PG), -EINVAL);
	assert_int_equal(tyrc_kva_range_reserve(r, BASE + 1, PG), -EINVAL);
	/* Allocations go around it: two pages before, then after. */
	assert_int_equal(alloc(r, 2 * PG, 0), BASE);
	assert_int_equal(alloc(r, PG, 0), BASE + 4 * PG);
	assert_int_equal(tyrc_kva_range_free(r, BASE + 2 * PG, 2 * PG), 0);
	assert_int_equal(alloc(r, 2 * PG, 0), BASE + 2 * PG);
	assert_int_equal(tyrc_kva_range_free(r, BASE, 5 * PG), 0);
	assert_int_equal(tyrc_kva_range_free_bytes(r), SIZE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_args),
		cmocka_unit_test_setup_teardown(test_first_fit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alignment, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fragmentation_and_exhaustion, setup, teardown),
		cmocka_unit_test_setup_teardown(test_free_merge_and_checks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reserve, setup, teardown),
	};

	return cmocka_run_group_tests_name("kva", tests, NULL, NULL);
}
