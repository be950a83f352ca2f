// SPDX-License-Identifier: MIT
/* kref: counting, release on the last put, and aborts on misuse. */
#include <pthread.h>

#include "test_util.h"

struct obj {
	struct tyrc_kref ref;
	int released;
};

static void obj_release(struct tyrc_kref *ref)
{
	container_of(ref, struct obj, ref)->released++;
}

static void test_init_is_one(void **state)
{
	struct obj o = { 0 };

	tyrc_kref_init(&o.ref);
	assert_int_equal(tyrc_kref_read(&o.ref), 1);
}

static void test_get_put_release_once(void **state)
{
	struct obj o = { 0 };

	tyrc_kref_init(&o.ref);
	tyrc_kref_get(&o.ref);
	tyrc_kref_get(&o.ref);
	assert_int_equal(tyrc_kref_read(&o.ref), 3);
	assert_int_equal(tyrc_kref_put(&o.ref, obj_release), 0);
	assert_int_equal(tyrc_kref_put(&o.ref, obj_release), 0);
	assert_int_equal(o.released, 0);
	assert_int_equal(tyrc_kref_put(&o.ref, obj_release), 1);
	assert_int_equal(o.released, 1);
	assert_int_equal(tyrc_kref_read(&o.ref), 0);
}

static void test_get_unless_zero(void **state)
{
	struct obj o = { 0 };

	tyrc_kref_init(&o.ref);
	assert_true(tyrc_kref_get_unless_zero(&o.ref));
	assert_int_equal(tyrc_kref_read(&o.ref), 2);
	tyrc_kref_put(&o.ref, obj_release);
	tyrc_kref_put(&o.ref, obj_release);
	assert_int_equal(o.released, 1);
	assert_false(tyrc_kref_get_unless_zero(&o.ref));
	assert_int_equal(tyrc_kref_read(&o.ref), 0);
}

static void put_released(void *arg)
{
	struct obj *o = arg;

	tyrc_kref_put(&o->ref, obj_release);
}

static void test_put_underflow_aborts(void **state)
{
	struct obj o = { 0 };
	char msg[512];

	tyrc_kref_init(&o.ref);
	assert_int_equal(tyrc_kref_put(&o.ref, obj_release), 1);
	test_expect_abort(put_released, &o, msg, sizeof(msg));
	assert_non_null(strstr(msg, "BUG"));
	assert_non_null(strstr(msg, "kref.c"));
	/* The parent's object is untouched by the child's attempt. */
	assert_int_equal(o.released, 1);
}

static void get_released(void *arg)
{
	struct obj *o = arg;

	tyrc_kref_get(&o->ref);
}

static void test_get_from_zero_aborts(void **state)
{
	struct obj o = { 0 };
	char msg[512];

	tyrc_kref_init(&o.ref);
	tyrc_kref_put(&o.ref, obj_release);
	test_expect_abort(get_released, &o, msg, sizeof(msg));
	assert_non_null(strstr(msg, "kref.c"));
}

#define HAMMER_THREADS 4
#define HAMMER_ROUNDS 20000

/* Worker threads count failures instead of asserting (cmocka asserts longjmp). */
static int hammer_failures;

static void *hammer(void *arg)
{
	struct obj *o = arg;

	for (int i = 0; i < HAMMER_ROUNDS; i++) {
		tyrc_kref_get(&o->ref);
		if (tyrc_kref_put(&o->ref, obj_release) != 0)
			__atomic_add_fetch(&hammer_failures, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

static void test_concurrent_get_put(void **state)
{
	pthread_t th[HAMMER_THREADS];
	struct obj o = { 0 };

	tyrc_kref_init(&o.ref);
	for (int i = 0; i < HAMMER_THREADS; i++)
		assert_int_equal(pthread_create(&th[i], NULL, hammer, &o), 0);
	for (int i = 0; i < HAMMER_THREADS; i++)
		pthread_join(th[i], NULL);
	assert_int_equal(hammer_failures, 0);
	assert_int_equal(tyrc_kref_read(&o.ref), 1);
	assert_int_equal(o.released, 0);
	assert_int_equal(tyrc_kref_put(&o.ref, obj_release), 1);
	assert_int_equal(o.released, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_is_one),
		cmocka_unit_test(test_get_put_release_once),
		cmocka_unit_test(test_get_unless_zero),
		cmocka_unit_test(test_put_underflow_aborts),
		cmocka_unit_test(test_get_from_zero_aborts),
		cmocka_unit_test(test_concurrent_get_put),
	};

	return cmocka_run_group_tests_name("kref", tests, NULL, NULL);
}
