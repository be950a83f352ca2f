// SPDX-License-Identifier: MIT
/* Wait queues: timeouts, wake-ups across threads, no lost wake-ups. */
#include <pthread.h>

#include "test_util.h"

static void test_timeout_when_false(void **state)
{
	struct tyrc_waitqueue wq;
	u64 start, ret;

	tyrc_waitqueue_init(&wq);
	start = tyrc_ktime_get_ns();
	ret = tyrc_wait_event_timeout(&wq, false, 2 * NSEC_PER_MSEC);
	assert_int_equal(ret, 0);
	assert_true(tyrc_ktime_get_ns() - start >= 2 * NSEC_PER_MSEC);
	tyrc_waitqueue_destroy(&wq);
}

static void test_true_returns_remaining(void **state)
{
	struct tyrc_waitqueue wq;
	u64 ret;

	tyrc_waitqueue_init(&wq);
	ret = tyrc_wait_event_timeout(&wq, true, NSEC_PER_SEC);
	assert_true(ret > 0);
	assert_true(ret <= NSEC_PER_SEC);
	/* Zero timeout with a true condition still reports success. */
	assert_true(tyrc_wait_event_timeout(&wq, true, 0) >= 1);
	tyrc_wait_event(&wq, true);
	tyrc_waitqueue_destroy(&wq);
}

struct waker {
	struct test_flag started; /* main evaluated its condition once */
	struct tyrc_waitqueue wq;
	int cond;
};

/* Condition with a side effect: tells the waker the waiter is in the loop. */
static bool waiter_checks(struct waker *w)
{
	test_flag_set(&w->started, 1);
	return __atomic_load_n(&w->cond, __ATOMIC_ACQUIRE);
}

static void *waker_thread(void *arg)
{
	struct waker *w = arg;

	if (test_flag_wait_ge(&w->started, 1, TEST_TIMEOUT_NS)) {
		__atomic_store_n(&w->cond, 1, __ATOMIC_RELEASE);
		tyrc_wake_up_all(&w->wq);
	}
	return NULL;
}

static void waker_setup(struct waker *w, pthread_t *th)
{
	test_flag_init(&w->started);
	tyrc_waitqueue_init(&w->wq);
	w->cond = 0;
	assert_int_equal(pthread_create(th, NULL, waker_thread, w), 0);
}

static void waker_teardown(struct waker *w, pthread_t th)
{
	pthread_join(th, NULL);
	tyrc_waitqueue_destroy(&w->wq);
	test_flag_fini(&w->started);
}

static void test_wake_from_other_thread(void **state)
{
	struct waker w;
	pthread_t th;
	u64 ret;

	waker_setup(&w, &th);
	ret = tyrc_wait_event_timeout(&w.wq, waiter_checks(&w), TEST_TIMEOUT_NS);
	assert_true(ret > 0);
	assert_int_equal(w.cond, 1);
	waker_teardown(&w, th);
}

static void test_wait_event_no_timeout(void **state)
{
	struct waker w;
	pthread_t th;

	waker_setup(&w, &th);
	tyrc_wait_event(&w.wq, waiter_checks(&w));
	assert_int_equal(w.cond, 1);
	waker_teardown(&w, th);
}

static void test_huge_timeout_does_not_wrap(void **state)
{
	struct waker w;
	pthread_t th;
	u64 ret;

	/* A deadline of now + UINT64_MAX must mean "forever", not "already passed". */
	waker_setup(&w, &th);
	ret = tyrc_wait_event_timeout(&w.wq, waiter_checks(&w), UINT64_MAX);
	assert_true(ret > 0);
	assert_int_equal(__atomic_load_n(&w.cond, __ATOMIC_ACQUIRE), 1);
	waker_teardown(&w, th);
}

static void test_sleep_primitives(void **state)
{
	struct tyrc_waitqueue wq;
	u64 seq;

	tyrc_waitqueue_init(&wq);
	seq = tyrc_waitqueue_seq(&wq);
	/* Deadline in the past: times out at once. */
	assert_false(tyrc_waitqueue_sleep(&wq, seq, tyrc_ktime_get_ns() - 1));
	/* A wake-up between sampling and sleeping is not lost. */
	tyrc_wake_up_all(&wq);
	assert_true(tyrc_waitqueue_seq(&wq) != seq);
	assert_true(tyrc_waitqueue_sleep(&wq, seq, UINT64_MAX));
	tyrc_waitqueue_destroy(&wq);
}

#define PINGPONG_ROUNDS 5000

struct pingpong {
	struct test_flag ping, pong;
	int failed;
};

static void *pong_thread(void *arg)
{
	struct pingpong *p = arg;

	for (int i = 1; i <= PINGPONG_ROUNDS; i++) {
		if (!test_flag_wait_ge(&p->ping, i, TEST_TIMEOUT_NS)) {
			__atomic_store_n(&p->failed, 1, __ATOMIC_RELAXED);
			break;
		}
		test_flag_set(&p->pong, i);
	}
	return NULL;
}

static void test_pingpong_no_lost_wakeup(void **state)
{
	struct pingpong p = { 0 };
	pthread_t th;

	test_flag_init(&p.ping);
	test_flag_init(&p.pong);
	assert_int_equal(pthread_create(&th, NULL, pong_thread, &p), 0);
	for (int i = 1; i <= PINGPONG_ROUNDS; i++) {
		test_flag_set(&p.ping, i);
		if (!test_flag_wait_ge(&p.pong, i, TEST_TIMEOUT_NS))
			break;
	}
	pthread_join(th, NULL);
	assert_int_equal(p.failed, 0);
	assert_int_equal(test_flag_get(&p.pong), PINGPONG_ROUNDS);
	test_flag_fini(&p.ping);
	test_flag_fini(&p.pong);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timeout_when_false),
		cmocka_unit_test(test_true_returns_remaining),
		cmocka_unit_test(test_wake_from_other_thread),
		cmocka_unit_test(test_wait_event_no_timeout),
		cmocka_unit_test(test_huge_timeout_does_not_wrap),
		cmocka_unit_test(test_sleep_primitives),
		cmocka_unit_test(test_pingpong_no_lost_wakeup),
	};

	return cmocka_run_group_tests_name("wait", tests, NULL, NULL);
}
