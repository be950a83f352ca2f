// SPDX-License-Identifier: MIT
/* xarray: lowest-free allocation, ranges, lookup, iteration, locking. */
#include <pthread.h>

#include "test_util.h"

static int objs[4096];

static void test_alloc_lowest_free(void **state)
{
	struct tyrc_xa xa;
	u32 id;

	tyrc_xa_init(&xa);
	for (u32 i = 1; i <= 3; i++) {
		assert_int_equal(tyrc_xa_alloc(&xa, &id, &objs[i], 1, 10), 0);
		assert_int_equal(id, i);
	}
	assert_ptr_equal(tyrc_xa_erase(&xa, 2), &objs[2]);
	assert_int_equal(tyrc_xa_alloc(&xa, &id, &objs[9], 1, 10), 0);
	assert_int_equal(id, 2);
	assert_ptr_equal(tyrc_xa_load(&xa, 2), &objs[9]);
	assert_int_equal(tyrc_xa_count(&xa), 3);
	tyrc_xa_destroy(&xa);
}

static void test_range_full_and_invalid(void **state)
{
	struct tyrc_xa xa;
	u32 id = 12345;

	tyrc_xa_init(&xa);
	for (u32 i = 0; i < 3; i++)
		assert_int_equal(tyrc_xa_alloc(&xa, &id, &objs[i], 0, 2), 0);
	assert_int_equal(tyrc_xa_alloc(&xa, &id, &objs[3], 0, 2), -EBUSY);
	/* A single-id range, then full. */
	assert_int_equal(tyrc_xa_alloc(&xa, &id, &objs[3], 7, 7), 0);
	assert_int_equal(id, 7);
	assert_int_equal(tyrc_xa_alloc(&xa, &id, &objs[3], 7, 7), -EBUSY);
	id = 12345;
	assert_int_equal(tyrc_xa_alloc(&xa, &id, &objs[3], 5, 4), -EBUSY);
	assert_int_equal(tyrc_xa_alloc(&xa, &id, NULL, 0, 100), -EINVAL);
	assert_int_equal(id, 12345);
	assert_int_equal(tyrc_xa_count(&xa), 4);
	tyrc_xa_destroy(&xa);
}

static void test_huge_ranges_stay_small(void **state)
{
	struct tyrc_xa xa;
	u32 id;

	tyrc_xa_init(&xa);
	/* [0, U32_MAX] must not allocate anything like max-sized storage. */
	assert_int_equal(tyrc_xa_alloc(&xa, &id, &objs[0], 0, UINT32_MAX), 0);
	assert_int_equal(id, 0);
	assert_true(xa.size <= 64);
	assert_int_equal(tyrc_xa_alloc(&xa, &id, &objs[1], 100000, UINT32_MAX), 0);
	assert_int_equal(id, 100000);
	assert_true(xa.size <= 2 * 100001);
	assert_ptr_equal(tyrc_xa_load(&xa, 100000), &objs[1]);
	assert_null(tyrc_xa_load(&xa, 99999));
	assert_null(tyrc_xa_load(&xa, UINT32_MAX));
	assert_null(tyrc_xa_erase(&xa, UINT32_MAX));
	tyrc_xa_destroy(&xa);
}

static void test_load_erase_missing(void **state)
{
	struct tyrc_xa xa;
	u32 id;

	tyrc_xa_init(&xa);
	assert_null(tyrc_xa_load(&xa, 0));
	assert_null(tyrc_xa_erase(&xa, 0));
	assert_int_equal(tyrc_xa_count(&xa), 0);
	assert_int_equal(tyrc_xa_alloc(&xa, &id, &objs[0], 0, 10), 0);
	assert_ptr_equal(tyrc_xa_erase(&xa, id), &objs[0]);
	assert_null(tyrc_xa_erase(&xa, id));
	assert_int_equal(tyrc_xa_count(&xa), 0);
	tyrc_xa_destroy(&xa);
}

static void test_grows_past_initial_size(void **state)
{
	struct tyrc_xa xa;
	u32 id;

	tyrc_xa_init(&xa);
	for (u32 i = 0; i < 3000; i++) {
		assert_int_equal(tyrc_xa_alloc(&xa, &id, &objs[i], 0, 5000), 0);
		assert_int_equal(id, i);
	}
	for (u32 i = 0; i < 3000; i++)
		assert_ptr_equal(tyrc_xa_load(&xa, i), &objs[i]);
	assert_int_equal(tyrc_xa_count(&xa), 3000);
	tyrc_xa_destroy(&xa);
}

static void test_find_and_for_each(void **state)
{
	struct tyrc_xa xa;
	u32 id, index, seen[8];
	void *entry;
	int n = 0;

	tyrc_xa_init(&xa);
	for (u32 i = 0; i < 8; i++)
		assert_int_equal(tyrc_xa_alloc(&xa, &id, &objs[i], 0, 100), 0);
	tyrc_xa_erase(&xa, 0);
	tyrc_xa_erase(&xa, 3);
	tyrc_xa_erase(&xa, 4);
	id = 3;
	assert_ptr_equal(tyrc_xa_find(&xa, &id), &objs[5]);
	assert_int_equal(id, 5);
	id = 8;
	assert_null(tyrc_xa_find(&xa, &id));

	/* Erasing the current entry while iterating is allowed. */
	tyrc_xa_for_each(&xa, index, entry) {
		assert_ptr_equal(entry, &objs[index]);
		seen[n++] = index;
		tyrc_xa_erase(&xa, index);
	}
	assert_int_equal(n, 5);
	assert_int_equal(seen[0], 1);
	assert_int_equal(seen[1], 2);
	assert_int_equal(seen[2], 5);
	assert_int_equal(seen[3], 6);
	assert_int_equal(seen[4], 7);
	assert_int_equal(tyrc_xa_count(&xa), 0);
	tyrc_xa_destroy(&xa);
}

static void test_locked_variants(void **state)
{
	struct tyrc_xa xa;
	u32 id;

	tyrc_xa_init(&xa);
	assert_int_equal(tyrc_xa_alloc(&xa, &id, &objs[0], 0, 10), 0);
	tyrc_xa_lock(&xa);
	assert_ptr_equal(tyrc_xa_load_locked(&xa, id), &objs[0]);
	assert_ptr_equal(tyrc_xa_erase_locked(&xa, id), &objs[0]);
	assert_null(tyrc_xa_load_locked(&xa, id));
	tyrc_xa_unlock(&xa);
	assert_int_equal(tyrc_xa_count(&xa), 0);
	tyrc_xa_destroy(&xa);
}

static void load_locked_without_lock(void *arg)
{
	struct tyrc_xa xa;

	tyrc_xa_init(&xa);
	tyrc_xa_load_locked(&xa, 0);
}

static void test_locked_without_lock_aborts(void **state)
{
	test_expect_abort(load_locked_without_lock, NULL, NULL, 0);
}

#define XA_THREADS 4
#define XA_PER_THREAD 500

struct xa_ctx {
	struct tyrc_xa *xa;
	long tid;
	int failures;
};

static void *xa_alloc_worker(void *arg)
{
	struct xa_ctx *c = arg;

	for (int i = 0; i < XA_PER_THREAD; i++) {
		u32 id;

		if (tyrc_xa_alloc(c->xa, &id, &objs[c->tid], 0, UINT32_MAX))
			c->failures++;
	}
	return NULL;
}

static void test_concurrent_alloc_distinct(void **state)
{
	struct xa_ctx ctx[XA_THREADS];
	pthread_t th[XA_THREADS];
	int per_thread[XA_THREADS] = { 0 };
	struct tyrc_xa xa;

	tyrc_xa_init(&xa);
	for (long i = 0; i < XA_THREADS; i++) {
		ctx[i] = (struct xa_ctx){ .xa = &xa, .tid = i };
		assert_int_equal(pthread_create(&th[i], NULL, xa_alloc_worker, &ctx[i]), 0);
	}
	for (int i = 0; i < XA_THREADS; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(ctx[i].failures, 0);
	}
	/* Ids 0..N-1 are all used exactly once (dense, no duplicates). */
	assert_int_equal(tyrc_xa_count(&xa), XA_THREADS * XA_PER_THREAD);
	for (u32 i = 0; i < XA_THREADS * XA_PER_THREAD; i++) {
		int *o = tyrc_xa_load(&xa, i);

		assert_non_null(o);
		per_thread[o - objs]++;
	}
	for (int i = 0; i < XA_THREADS; i++)
		assert_int_equal(per_thread[i], XA_PER_THREAD);
	tyrc_xa_destroy(&xa);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alloc_lowest_free),
		cmocka_unit_test(test_range_full_and_invalid),
		cmocka_unit_test(test_huge_ranges_stay_small),
		cmocka_unit_test(test_load_erase_missing),
		cmocka_unit_test(test_grows_past_initial_size),
		cmocka_unit_test(test_find_and_for_each),
		cmocka_unit_test(test_locked_variants),
		cmocka_unit_test(test_locked_without_lock_aborts),
		cmocka_unit_test(test_concurrent_alloc_distinct),
	};

	return cmocka_run_group_tests_name("xarray", tests, NULL, NULL);
}
