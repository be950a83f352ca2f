// SPDX-License-Identifier: MIT
/* Timers: firing, order, re-arming, cancel semantics (incl. from callbacks). */
#include <pthread.h>

#include "test_util.h"

#define FAR_NS (10 * NSEC_PER_SEC)

struct ttimer {
	struct tyrc_timer timer;
	struct test_flag fired; /* number of callback runs */
	u64 fired_at;
	int id;
	/* Test-specific knobs. */
	int rearm_left;
	struct ttimer *other, *third;
	bool cancel_result;
	struct test_flag entered, gate;
	bool gate_timeout;
	int cancel_done_seen;
	int *cancel_done;
};

/* Order in which callbacks ran, for the expiry-order test. */
static int order[8];
static int order_n;

static struct ttimer *to_tt(struct tyrc_timer *t)
{
	return container_of(t, struct ttimer, timer);
}

static void tt_init(struct ttimer *tt, tyrc_timer_fn fn, int id)
{
	memset(tt, 0, sizeof(*tt));
	tyrc_timer_init(&tt->timer, fn);
	test_flag_init(&tt->fired);
	test_flag_init(&tt->entered);
	test_flag_init(&tt->gate);
	tt->id = id;
}

static void tt_fini(struct ttimer *tt)
{
	tyrc_timer_cancel(&tt->timer);
	test_flag_fini(&tt->fired);
	test_flag_fini(&tt->entered);
	test_flag_fini(&tt->gate);
}

static void count_fn(struct tyrc_timer *t)
{
	struct ttimer *tt = to_tt(t);

	tt->fired_at = tyrc_ktime_get_ns();
	order[__atomic_fetch_add(&order_n, 1, __ATOMIC_RELAXED) % 8] = tt->id;
	test_flag_add(&tt->fired, 1);
}

static void test_fires_after_delay(void **state)
{
	struct ttimer tt;
	u64 start;

	tt_init(&tt, count_fn, 0);
	assert_false(tyrc_timer_is_queued(&tt.timer));
	start = tyrc_ktime_get_ns();
	tyrc_timer_start_rel(&tt.timer, 2 * NSEC_PER_MSEC);
	assert_true(test_flag_wait_ge(&tt.fired, 1, TEST_TIMEOUT_NS));
	assert_true(tt.fired_at - start >= 2 * NSEC_PER_MSEC);
	assert_false(tyrc_timer_is_queued(&tt.timer));
	assert_int_equal(test_flag_get(&tt.fired), 1);
	tt_fini(&tt);
}

static void blocking_fn(struct tyrc_timer *t);

static void test_fires_in_expiry_order(void **state)
{
	struct ttimer a, b, c, blocker;
	int dummy = 0;
	u64 now;

	order_n = 0;
	tt_init(&a, count_fn, 1);
	tt_init(&b, count_fn, 2);
	tt_init(&c, count_fn, 3);
	/* Hold the timer thread so all three expire before any runs. */
	tt_init(&blocker, blocking_fn, 0);
	blocker.cancel_done = &dummy;
	tyrc_timer_start_rel(&blocker.timer, 0);
	assert_true(test_flag_wait_ge(&blocker.entered, 1, TEST_TIMEOUT_NS));
	now = tyrc_ktime_get_ns();
	tyrc_timer_start(&a.timer, now + 3);
	tyrc_timer_start(&b.timer, now + 1);
	tyrc_timer_start(&c.timer, now + 2);
	assert_true(tyrc_timer_is_queued(&a.timer));
	test_flag_set(&blocker.gate, 1);
	assert_true(test_flag_wait_ge(&a.fired, 1, TEST_TIMEOUT_NS));
	assert_true(test_flag_wait_ge(&b.fired, 1, TEST_TIMEOUT_NS));
	assert_true(test_flag_wait_ge(&c.fired, 1, TEST_TIMEOUT_NS));
	assert_int_equal(__atomic_load_n(&order_n, __ATOMIC_RELAXED), 3);
	assert_int_equal(order[0], 2);
	assert_int_equal(order[1], 3);
	assert_int_equal(order[2], 1);
	assert_false(blocker.gate_timeout);
	tt_fini(&a);
	tt_fini(&b);
	tt_fini(&c);
	tt_fini(&blocker);
}

static void test_past_deadline_fires(void **state)
{
	struct ttimer tt;

	tt_init(&tt, count_fn, 0);
	tyrc_timer_start(&tt.timer, 0);
	assert_true(test_flag_wait_ge(&tt.fired, 1, TEST_TIMEOUT_NS));
	tt_fini(&tt);
}

static void test_cancel_pending(void **state)
{
	struct ttimer tt;

	tt_init(&tt, count_fn, 0);
	tyrc_timer_start_rel(&tt.timer, FAR_NS);
	assert_true(tyrc_timer_is_queued(&tt.timer));
	assert_true(tyrc_timer_cancel(&tt.timer));
	assert_false(tyrc_timer_is_queued(&tt.timer));
	assert_false(tyrc_timer_cancel(&tt.timer));
	assert_int_equal(test_flag_get(&tt.fired), 0);
	/* try_cancel: same result, no waiting involved. */
	tyrc_timer_start_rel(&tt.timer, FAR_NS);
	assert_true(tyrc_timer_try_cancel(&tt.timer));
	assert_false(tyrc_timer_try_cancel(&tt.timer));
	tt_fini(&tt);
}

static void test_rearm_moves_deadline(void **state)
{
	struct ttimer tt, later;

	tt_init(&tt, count_fn, 0);
	tt_init(&later, count_fn, 0);
	tyrc_timer_start_rel(&tt.timer, FAR_NS);
	tyrc_timer_start_rel(&tt.timer, NSEC_PER_MSEC);
	assert_true(test_flag_wait_ge(&tt.fired, 1, TEST_TIMEOUT_NS));
	/* Pulling a deadline in from far away fires once, not twice. */
	tyrc_timer_start_rel(&later.timer, 3 * NSEC_PER_MSEC);
	assert_true(test_flag_wait_ge(&later.fired, 1, TEST_TIMEOUT_NS));
	assert_int_equal(test_flag_get(&tt.fired), 1);
	assert_false(tyrc_timer_is_queued(&tt.timer));
	tt_fini(&tt);
	tt_fini(&later);
}

static void rearm_fn(struct tyrc_timer *t)
{
	struct ttimer *tt = to_tt(t);

	if (tt->rearm_left-- > 1)
		tyrc_timer_start_rel(t, 100 * NSEC_PER_USEC);
	test_flag_add(&tt->fired, 1);
}

static void test_callback_rearms_itself(void **state)
{
	struct ttimer tt;

	tt_init(&tt, rearm_fn, 0);
	tt.rearm_left = 5;
	tyrc_timer_start_rel(&tt.timer, 100 * NSEC_PER_USEC);
	assert_true(test_flag_wait_ge(&tt.fired, 5, TEST_TIMEOUT_NS));
	assert_false(tyrc_timer_is_queued(&tt.timer));
	assert_false(test_flag_wait_ge(&tt.fired, 6, TEST_NEGATIVE_NS));
	tt_fini(&tt);
}

static void blocking_fn(struct tyrc_timer *t)
{
	struct ttimer *tt = to_tt(t);

	test_flag_set(&tt->entered, 1);
	if (!test_flag_wait_ge(&tt->gate, 1, TEST_TIMEOUT_NS))
		tt->gate_timeout = true;
	/* Record whether the canceller already came back while we ran. */
	tt->cancel_done_seen = __atomic_load_n(tt->cancel_done, __ATOMIC_ACQUIRE);
	test_flag_add(&tt->fired, 1);
}

struct canceller {
	struct ttimer *tt;
	struct test_flag done;
	int done_flag;
	bool result;
};

static void *cancel_thread(void *arg)
{
	struct canceller *c = arg;

	c->result = tyrc_timer_cancel(&c->tt->timer);
	__atomic_store_n(&c->done_flag, 1, __ATOMIC_RELEASE);
	test_flag_set(&c->done, 1);
	return NULL;
}

static void test_cancel_waits_for_running_callback(void **state)
{
	struct canceller c = { 0 };
	struct ttimer tt;
	pthread_t th;

	tt_init(&tt, blocking_fn, 0);
	test_flag_init(&c.done);
	c.tt = &tt;
	tt.cancel_done = &c.done_flag;
	tyrc_timer_start_rel(&tt.timer, 0);
	assert_true(test_flag_wait_ge(&tt.entered, 1, TEST_TIMEOUT_NS));
	assert_int_equal(pthread_create(&th, NULL, cancel_thread, &c), 0);
	/* While the callback is blocked, cancel must not return. */
	assert_false(test_flag_wait_ge(&c.done, 1, TEST_NEGATIVE_NS));
	test_flag_set(&tt.gate, 1);
	assert_true(test_flag_wait_ge(&c.done, 1, TEST_TIMEOUT_NS));
	pthread_join(th, NULL);
	assert_false(tt.gate_timeout);
	assert_int_equal(tt.cancel_done_seen, 0);
	assert_false(c.result); /* it had already fired: not armed */
	assert_int_equal(test_flag_get(&tt.fired), 1);
	test_flag_fini(&c.done);
	tt_fini(&tt);
}

static void self_cancel_fn(struct tyrc_timer *t)
{
	struct ttimer *tt = to_tt(t);

	tyrc_timer_start_rel(t, FAR_NS);
	tt->cancel_result = tyrc_timer_cancel(t); /* must not deadlock */
	test_flag_add(&tt->fired, 1);
}

static void test_cancel_self_from_callback(void **state)
{
	struct ttimer tt;

	tt_init(&tt, self_cancel_fn, 0);
	tyrc_timer_start_rel(&tt.timer, 0);
	assert_true(test_flag_wait_ge(&tt.fired, 1, TEST_TIMEOUT_NS));
	assert_true(tt.cancel_result);
	assert_false(tyrc_timer_is_queued(&tt.timer));
	tt_fini(&tt);
}

static void cancel_other_fn(struct tyrc_timer *t)
{
	struct ttimer *tt = to_tt(t);

	tt->cancel_result = tyrc_timer_cancel(&tt->other->timer);
	tyrc_timer_start_rel(&tt->third->timer, 0);
	test_flag_add(&tt->fired, 1);
}

static void test_callback_cancels_and_arms_others(void **state)
{
	struct ttimer a, b, c;

	tt_init(&a, cancel_other_fn, 1);
	tt_init(&b, count_fn, 2);
	tt_init(&c, count_fn, 3);
	a.other = &b;
	a.third = &c;
	tyrc_timer_start_rel(&b.timer, FAR_NS);
	tyrc_timer_start_rel(&a.timer, 0);
	assert_true(test_flag_wait_ge(&a.fired, 1, TEST_TIMEOUT_NS));
	assert_true(a.cancel_result);
	assert_false(tyrc_timer_is_queued(&b.timer));
	assert_true(test_flag_wait_ge(&c.fired, 1, TEST_TIMEOUT_NS));
	assert_int_equal(test_flag_get(&b.fired), 0);
	tt_fini(&a);
	tt_fini(&b);
	tt_fini(&c);
}

static void forever_fn(struct tyrc_timer *t)
{
	struct ttimer *tt = to_tt(t);

	tyrc_timer_start_rel(t, 0);
	test_flag_add(&tt->fired, 1);
}

static void test_cancel_stops_self_rearming_timer(void **state)
{
	struct ttimer tt;
	int n;

	tt_init(&tt, forever_fn, 0);
	tyrc_timer_start_rel(&tt.timer, 0);
	assert_true(test_flag_wait_ge(&tt.fired, 10, TEST_TIMEOUT_NS));
	assert_true(tyrc_timer_cancel(&tt.timer));
	assert_false(tyrc_timer_is_queued(&tt.timer));
	n = test_flag_get(&tt.fired);
	assert_false(test_flag_wait_ge(&tt.fired, n + 1, TEST_NEGATIVE_NS));
	tt_fini(&tt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fires_after_delay),
		cmocka_unit_test(test_fires_in_expiry_order),
		cmocka_unit_test(test_past_deadline_fires),
		cmocka_unit_test(test_cancel_pending),
		cmocka_unit_test(test_rearm_moves_deadline),
		cmocka_unit_test(test_callback_rearms_itself),
		cmocka_unit_test(test_cancel_waits_for_running_callback),
		cmocka_unit_test(test_cancel_self_from_callback),
		cmocka_unit_test(test_callback_cancels_and_arms_others),
		cmocka_unit_test(test_cancel_stops_self_rearming_timer),
	};

	return cmocka_run_group_tests_name("timer", tests, NULL, NULL);
}
