// SPDX-License-Identifier: MIT
/* Mutexes: ownership tracking, exclusion, and aborts on misuse. */
#include <pthread.h>

#include "test_util.h"

struct held_check {
	struct tyrc_mutex *m;
	bool held;
	bool trylock_ok;
};

static void *check_from_other_thread(void *arg)
{
	struct held_check *c = arg;

	c->held = tyrc_mutex_is_held(c->m);
	c->trylock_ok = tyrc_mutex_trylock(c->m);
	if (c->trylock_ok)
		tyrc_mutex_unlock(c->m);
	return NULL;
}

static void test_is_held_tracks_owner(void **state)
{
	struct tyrc_mutex m;
	struct held_check c = { .m = &m };
	pthread_t th;

	tyrc_mutex_init(&m);
	assert_false(tyrc_mutex_is_held(&m));
	tyrc_mutex_lock(&m);
	assert_true(tyrc_mutex_is_held(&m));
	tyrc_lockdep_assert_held(&m);

	/* Another thread sees it as not its own and cannot take it. */
	assert_int_equal(pthread_create(&th, NULL, check_from_other_thread, &c), 0);
	pthread_join(th, NULL);
	assert_false(c.held);
	assert_false(c.trylock_ok);

	tyrc_mutex_unlock(&m);
	assert_false(tyrc_mutex_is_held(&m));

	/* Free again: the other thread's trylock succeeds. */
	assert_int_equal(pthread_create(&th, NULL, check_from_other_thread, &c), 0);
	pthread_join(th, NULL);
	assert_true(c.trylock_ok);
	tyrc_mutex_destroy(&m);
}

static void test_trylock(void **state)
{
	struct tyrc_mutex m;

	tyrc_mutex_init(&m);
	assert_true(tyrc_mutex_trylock(&m));
	assert_true(tyrc_mutex_is_held(&m));
	tyrc_mutex_unlock(&m);
	tyrc_mutex_destroy(&m);
}

static void test_spinlock_aliases(void **state)
{
	struct tyrc_spinlock s;

	tyrc_spin_lock_init(&s);
	tyrc_spin_lock(&s);
	assert_true(tyrc_mutex_is_held(&s));
	tyrc_spin_unlock(&s);
	assert_false(tyrc_mutex_is_held(&s));
	tyrc_mutex_destroy(&s);
}

#define EXCL_THREADS 4
#define EXCL_ROUNDS 20000

struct excl {
	struct tyrc_mutex m;
	/* Deliberately non-atomic: only the mutex keeps the count exact. */
	unsigned long counter;
	int inside;
	bool overlap;
};

static void *excl_worker(void *arg)
{
	struct excl *e = arg;

	for (int i = 0; i < EXCL_ROUNDS; i++) {
		tyrc_mutex_lock(&e->m);
		if (e->inside++)
			e->overlap = true;
		e->counter++;
		e->inside--;
		tyrc_mutex_unlock(&e->m);
	}
	return NULL;
}

static void test_mutual_exclusion(void **state)
{
	pthread_t th[EXCL_THREADS];
	struct excl e = { 0 };

	tyrc_mutex_init(&e.m);
	for (int i = 0; i < EXCL_THREADS; i++)
		assert_int_equal(pthread_create(&th[i], NULL, excl_worker, &e), 0);
	for (int i = 0; i < EXCL_THREADS; i++)
		pthread_join(th[i], NULL);
	assert_int_equal(e.counter, EXCL_THREADS * EXCL_ROUNDS);
	assert_false(e.overlap);
	tyrc_mutex_destroy(&e.m);
}

static void relock(void *arg)
{
	struct tyrc_mutex m;

	tyrc_mutex_init(&m);
	tyrc_mutex_lock(&m);
	tyrc_mutex_lock(&m);
}

static void test_relock_aborts(void **state)
{
	char msg[512];

	test_expect_abort(relock, NULL, msg, sizeof(msg));
	assert_non_null(strstr(msg, "lock.c"));
}

static void unlock_unlocked(void *arg)
{
	struct tyrc_mutex m;

	tyrc_mutex_init(&m);
	tyrc_mutex_unlock(&m);
}

static void test_unlock_unlocked_aborts(void **state)
{
	test_expect_abort(unlock_unlocked, NULL, NULL, 0);
}

static void *lock_and_exit(void *arg)
{
	tyrc_mutex_lock(arg);
	return NULL;
}

static void unlock_foreign(void *arg)
{
	struct tyrc_mutex m;
	pthread_t th;

	tyrc_mutex_init(&m);
	pthread_create(&th, NULL, lock_and_exit, &m);
	pthread_join(th, NULL);
	tyrc_mutex_unlock(&m); /* owned by the (finished) other thread */
}

static void test_unlock_by_non_owner_aborts(void **state)
{
	test_expect_abort(unlock_foreign, NULL, NULL, 0);
}

static void assert_held_unlocked(void *arg)
{
	struct tyrc_mutex m;

	tyrc_mutex_init(&m);
	tyrc_lockdep_assert_held(&m);
}

static void test_lockdep_assert_aborts(void **state)
{
	char msg[512];

	test_expect_abort(assert_held_unlocked, NULL, msg, sizeof(msg));
	assert_non_null(strstr(msg, "tyrc_mutex_is_held"));
}

static void destroy_held(void *arg)
{
	struct tyrc_mutex m;

	tyrc_mutex_init(&m);
	tyrc_mutex_lock(&m);
	tyrc_mutex_destroy(&m);
}

static void test_destroy_held_aborts(void **state)
{
	test_expect_abort(destroy_held, NULL, NULL, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_is_held_tracks_owner),
		cmocka_unit_test(test_trylock),
		cmocka_unit_test(test_spinlock_aliases),
		cmocka_unit_test(test_mutual_exclusion),
		cmocka_unit_test(test_relock_aborts),
		cmocka_unit_test(test_unlock_unlocked_aborts),
		cmocka_unit_test(test_unlock_by_non_owner_aborts),
		cmocka_unit_test(test_lockdep_assert_aborts),
		cmocka_unit_test(test_destroy_held_aborts),
	};

	return cmocka_run_group_tests_name("lock", tests, NULL, NULL);
}
