// SPDX-License-Identifier: MIT
/* Workqueues: ordering, non-reentrancy, cancel/flush, delayed work, drain. */
#include <pthread.h>

#include "test_util.h"

#define FAR_NS (10 * NSEC_PER_SEC)

struct twork {
	struct tyrc_work work;
	struct tyrc_delayed_work dwork;
	struct test_flag runs; /* completed runs */
	struct test_flag started; /* started runs */
	struct test_flag gate; /* a blocking run waits for gate >= its run number */
	int concurrent, max_concurrent;
	int requeue_left;
	bool block;
	struct tyrc_workqueue *wq;
	u64 ran_at;
	int id;
	int *log;
	int *log_n;
};

/* A blocked work gave up waiting for its gate: the test itself is broken. */
static int gate_timeouts;

static void tw_init(struct twork *tw, tyrc_work_fn fn)
{
	memset(tw, 0, sizeof(*tw));
	tyrc_work_init(&tw->work, fn);
	tyrc_delayed_work_init(&tw->dwork, fn);
	test_flag_init(&tw->runs);
	test_flag_init(&tw->started);
	test_flag_init(&tw->gate);
}

static void tw_fini(struct twork *tw)
{
	assert_int_equal(__atomic_load_n(&gate_timeouts, __ATOMIC_RELAXED), 0);
	test_flag_fini(&tw->runs);
	test_flag_fini(&tw->started);
	test_flag_fini(&tw->gate);
}

static struct twork *from_work(struct tyrc_work *w)
{
	return container_of(w, struct twork, work);
}

static struct twork *from_dwork(struct tyrc_work *w)
{
	return container_of(tyrc_to_delayed_work(w), struct twork, dwork);
}

/* Common body: track concurrency, optionally block, optionally re-queue. */
static void tw_body(struct twork *tw, struct tyrc_work *w)
{
	int c = __atomic_add_fetch(&tw->concurrent, 1, __ATOMIC_ACQ_REL);
	int run = test_flag_add(&tw->started, 1);
	int max = __atomic_load_n(&tw->max_concurrent, __ATOMIC_RELAXED);

	while (c > max && !__atomic_compare_exchange_n(&tw->max_concurrent, &max, c, false,
						       __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
	if (tw->block && !test_flag_wait_ge(&tw->gate, run, TEST_TIMEOUT_NS))
		__atomic_add_fetch(&gate_timeouts, 1, __ATOMIC_RELAXED);
	if (tw->log)
		tw->log[__atomic_fetch_add(tw->log_n, 1, __ATOMIC_RELAXED)] = tw->id;
	tw->ran_at = tyrc_ktime_get_ns();
	__atomic_sub_fetch(&tw->concurrent, 1, __ATOMIC_ACQ_REL);
	if (__atomic_load_n(&tw->requeue_left, __ATOMIC_ACQUIRE) > 0) {
		__atomic_sub_fetch(&tw->requeue_left, 1, __ATOMIC_ACQ_REL);
		tyrc_queue_work(tw->wq, w);
	}
	test_flag_add(&tw->runs, 1);
}

static void work_fn(struct tyrc_work *w)
{
	tw_body(from_work(w), w);
}

static void dwork_fn(struct tyrc_work *w)
{
	tw_body(from_dwork(w), w);
}

static void test_queue_runs_once(void **state)
{
	struct tyrc_workqueue *wq = tyrc_workqueue_create("t", 2);
	struct twork tw;

	assert_non_null(wq);
	tw_init(&tw, work_fn);
	assert_true(tyrc_queue_work(wq, &tw.work));
	tyrc_flush_work(&tw.work);
	assert_int_equal(test_flag_get(&tw.runs), 1);
	assert_false(tw.work.pending);
	/* Idle again: can be queued again. */
	assert_true(tyrc_queue_work(wq, &tw.work));
	tyrc_flush_workqueue(wq);
	assert_int_equal(test_flag_get(&tw.runs), 2);
	tyrc_workqueue_destroy(wq);
	tw_fini(&tw);
}

static void test_queue_pending_is_noop(void **state)
{
	struct tyrc_workqueue *wq = tyrc_workqueue_create("t", 1);
	struct twork blocker, tw;

	tw_init(&blocker, work_fn);
	tw_init(&tw, work_fn);
	blocker.block = true;
	assert_true(tyrc_queue_work(wq, &blocker.work));
	assert_true(test_flag_wait_ge(&blocker.started, 1, TEST_TIMEOUT_NS));
	/* The only worker is busy, so @tw stays pending. */
	assert_true(tyrc_queue_work(wq, &tw.work));
	assert_false(tyrc_queue_work(wq, &tw.work));
	assert_true(tw.work.pending);
	test_flag_set(&blocker.gate, 1);
	tyrc_flush_workqueue(wq);
	assert_int_equal(test_flag_get(&tw.runs), 1);
	tyrc_workqueue_destroy(wq);
	tw_fini(&blocker);
	tw_fini(&tw);
}

#define ORDER_ITEMS 64

static void test_ordered_queue_is_fifo(void **state)
{
	struct tyrc_workqueue *wq = tyrc_workqueue_create("ordered", 1);
	static struct twork items[ORDER_ITEMS];
	int log[ORDER_ITEMS] = { 0 };
	int log_n = 0;

	for (int i = 0; i < ORDER_ITEMS; i++) {
		tw_init(&items[i], work_fn);
		items[i].id = i;
		items[i].log = log;
		items[i].log_n = &log_n;
		assert_true(tyrc_queue_work(wq, &items[i].work));
	}
	tyrc_flush_workqueue(wq);
	assert_int_equal(log_n, ORDER_ITEMS);
	for (int i = 0; i < ORDER_ITEMS; i++) {
		assert_int_equal(log[i], i);
		tw_fini(&items[i]);
	}
	tyrc_workqueue_destroy(wq);
}

static void test_workers_run_in_parallel(void **state)
{
	struct tyrc_workqueue *wq = tyrc_workqueue_create("par", 2);
	struct twork a, b;

	tw_init(&a, work_fn);
	tw_init(&b, work_fn);
	a.block = b.block = true;
	assert_true(tyrc_queue_work(wq, &a.work));
	assert_true(tyrc_queue_work(wq, &b.work));
	/* Both started while neither finished: two workers at once. */
	assert_true(test_flag_wait_ge(&a.started, 1, TEST_TIMEOUT_NS));
	assert_true(test_flag_wait_ge(&b.started, 1, TEST_TIMEOUT_NS));
	assert_int_equal(test_flag_get(&a.runs) + test_flag_get(&b.runs), 0);
	test_flag_set(&a.gate, 1);
	test_flag_set(&b.gate, 1);
	tyrc_workqueue_destroy(wq);
	assert_int_equal(test_flag_get(&a.runs), 1);
	assert_int_equal(test_flag_get(&b.runs), 1);
	tw_fini(&a);
	tw_fini(&b);
}

static void test_requeue_while_running_not_concurrent(void **state)
{
	struct tyrc_workqueue *wq = tyrc_workqueue_create("reent", 4);
	struct twork tw;

	tw_init(&tw, work_fn);
	tw.block = true;
	assert_true(tyrc_queue_work(wq, &tw.work));
	assert_true(test_flag_wait_ge(&tw.started, 1, TEST_TIMEOUT_NS));
	/* Running, not pending: queueing succeeds, but idle workers must wait. */
	assert_true(tyrc_queue_work(wq, &tw.work));
	assert_false(test_flag_wait_ge(&tw.started, 2, TEST_NEGATIVE_NS));
	test_flag_set(&tw.gate, 2);
	assert_true(test_flag_wait_ge(&tw.runs, 2, TEST_TIMEOUT_NS));
	tyrc_flush_work(&tw.work);
	assert_int_equal(test_flag_get(&tw.runs), 2);
	assert_int_equal(tw.max_concurrent, 1);
	tyrc_workqueue_destroy(wq);
	tw_fini(&tw);
}

#define STRESS_REQUEUES 2000

struct stress_ctx {
	struct tyrc_workqueue *wq;
	struct twork *tw;
	struct test_flag stop;
};

static void *requeue_hammer(void *arg)
{
	struct stress_ctx *s = arg;

	while (!test_flag_get(&s->stop))
		tyrc_queue_work(s->wq, &s->tw->work);
	return NULL;
}

static void test_self_requeue_stress_never_overlaps(void **state)
{
	struct stress_ctx s;
	struct twork tw;
	pthread_t th;

	s.wq = tyrc_workqueue_create("stress", 4);
	s.tw = &tw;
	test_flag_init(&s.stop);
	tw_init(&tw, work_fn);
	tw.wq = s.wq;
	tw.requeue_left = STRESS_REQUEUES;
	assert_int_equal(pthread_create(&th, NULL, requeue_hammer, &s), 0);
	tyrc_queue_work(s.wq, &tw.work);
	assert_true(test_flag_wait_ge(&tw.runs, STRESS_REQUEUES, TEST_TIMEOUT_NS));
	test_flag_set(&s.stop, 1);
	pthread_join(th, NULL);
	tyrc_workqueue_destroy(s.wq);
	assert_int_equal(tw.max_concurrent, 1);
	assert_int_equal(tw.requeue_left, 0);
	test_flag_fini(&s.stop);
	tw_fini(&tw);
}

static void test_cancel_pending_work(void **state)
{
	struct tyrc_workqueue *wq = tyrc_workqueue_create("t", 1);
	struct twork blocker, tw, never;

	tw_init(&blocker, work_fn);
	tw_init(&tw, work_fn);
	tw_init(&never, work_fn);
	/* Never queued: nothing to cancel or flush. */
	assert_false(tyrc_cancel_work_sync(&never.work));
	tyrc_flush_work(&never.work);
	blocker.block = true;
	tyrc_queue_work(wq, &blocker.work);
	assert_true(test_flag_wait_ge(&blocker.started, 1, TEST_TIMEOUT_NS));
	assert_true(tyrc_queue_work(wq, &tw.work));
	assert_true(tyrc_cancel_work_sync(&tw.work));
	assert_false(tw.work.pending);
	assert_false(tyrc_cancel_work_sync(&tw.work));
	test_flag_set(&blocker.gate, 1);
	tyrc_flush_workqueue(wq);
	assert_int_equal(test_flag_get(&tw.runs), 0);
	/* Cancelled items can be queued again. */
	assert_true(tyrc_queue_work(wq, &tw.work));
	tyrc_flush_work(&tw.work);
	assert_int_equal(test_flag_get(&tw.runs), 1);
	tyrc_workqueue_destroy(wq);
	tw_fini(&blocker);
	tw_fini(&tw);
	tw_fini(&never);
}

struct cancel_ctx {
	struct tyrc_work *work;
	struct tyrc_delayed_work *dwork;
	struct test_flag done;
	bool result;
};

static void *cancel_thread(void *arg)
{
	struct cancel_ctx *c = arg;

	if (c->dwork)
		c->result = tyrc_cancel_delayed_work_sync(c->dwork);
	else
		c->result = tyrc_cancel_work_sync(c->work);
	test_flag_set(&c->done, 1);
	return NULL;
}

static void test_cancel_waits_for_running(void **state)
{
	struct tyrc_workqueue *wq = tyrc_workqueue_create("t", 2);
	struct cancel_ctx c = { 0 };
	struct twork tw;
	pthread_t th;

	tw_init(&tw, work_fn);
	test_flag_init(&c.done);
	tw.block = true;
	tyrc_queue_work(wq, &tw.work);
	assert_true(test_flag_wait_ge(&tw.started, 1, TEST_TIMEOUT_NS));
	c.work = &tw.work;
	assert_int_equal(pthread_create(&th, NULL, cancel_thread, &c), 0);
	assert_false(test_flag_wait_ge(&c.done, 1, TEST_NEGATIVE_NS));
	test_flag_set(&tw.gate, 1);
	assert_true(test_flag_wait_ge(&c.done, 1, TEST_TIMEOUT_NS));
	pthread_join(th, NULL);
	assert_false(c.result); /* it was running, not pending */
	assert_int_equal(test_flag_get(&tw.runs), 1);
	tyrc_workqueue_destroy(wq);
	test_flag_fini(&c.done);
	tw_fini(&tw);
}

static void test_cancel_beats_self_requeue(void **state)
{
	struct tyrc_workqueue *wq = tyrc_workqueue_create("t", 2);
	struct cancel_ctx c = { 0 };
	struct twork tw;
	pthread_t th;
	int runs;

	tw_init(&tw, work_fn);
	test_flag_init(&c.done);
	tw.wq = wq;
	tw.block = true;
	tw.requeue_left = 1000;
	tyrc_queue_work(wq, &tw.work);
	assert_true(test_flag_wait_ge(&tw.started, 1, TEST_TIMEOUT_NS));
	c.work = &tw.work;
	assert_int_equal(pthread_create(&th, NULL, cancel_thread, &c), 0);
	assert_false(test_flag_wait_ge(&c.done, 1, TEST_NEGATIVE_NS));
	/* Let every run through; the cancel must still win. */
	test_flag_set(&tw.gate, 1000000);
	assert_true(test_flag_wait_ge(&c.done, 1, TEST_TIMEOUT_NS));
	pthread_join(th, NULL);
	runs = test_flag_get(&tw.runs);
	assert_false(tw.work.pending);
	assert_false(test_flag_wait_ge(&tw.runs, runs + 1, TEST_NEGATIVE_NS));
	tyrc_workqueue_destroy(wq);
	test_flag_fini(&c.done);
	tw_fini(&tw);
}

static void test_flush_workqueue_waits_for_all(void **state)
{
	struct tyrc_workqueue *wq = tyrc_workqueue_create("t", 3);
	static struct twork items[16];

	for (int i = 0; i < 16; i++) {
		tw_init(&items[i], work_fn);
		tyrc_queue_work(wq, &items[i].work);
	}
	tyrc_flush_workqueue(wq);
	for (int i = 0; i < 16; i++) {
		assert_int_equal(test_flag_get(&items[i].runs), 1);
		tw_fini(&items[i]);
	}
	/* Nothing queued: returns at once. */
	tyrc_flush_workqueue(wq);
	tyrc_workqueue_destroy(wq);
}

static void test_delayed_work_runs_after_delay(void **state)
{
	struct tyrc_workqueue *wq = tyrc_workqueue_create("t", 2);
	struct twork tw;
	u64 start;

	tw_init(&tw, dwork_fn);
	/* Pending while the timer is armed: a second queue is a no-op. */
	assert_true(tyrc_queue_delayed_work(wq, &tw.dwork, FAR_NS));
	assert_true(tw.dwork.work.pending);
	assert_false(tyrc_queue_delayed_work(wq, &tw.dwork, 2 * NSEC_PER_MSEC));
	assert_true(tyrc_cancel_delayed_work_sync(&tw.dwork));

	start = tyrc_ktime_get_ns();
	assert_true(tyrc_queue_delayed_work(wq, &tw.dwork, 2 * NSEC_PER_MSEC));
	assert_true(test_flag_wait_ge(&tw.runs, 1, TEST_TIMEOUT_NS));
	assert_true(tw.ran_at - start >= 2 * NSEC_PER_MSEC);
	assert_false(test_flag_wait_ge(&tw.runs, 2, TEST_NEGATIVE_NS));
	/* Zero delay queues directly. */
	assert_true(tyrc_queue_delayed_work(wq, &tw.dwork, 0));
	assert_true(test_flag_wait_ge(&tw.runs, 2, TEST_TIMEOUT_NS));
	tyrc_workqueue_destroy(wq);
	tw_fini(&tw);
}

static void test_mod_delayed_work_shortens(void **state)
{
	struct tyrc_workqueue *wq = tyrc_workqueue_create("t", 2);
	struct twork tw;

	tw_init(&tw, dwork_fn);
	assert_true(tyrc_queue_delayed_work(wq, &tw.dwork, FAR_NS));
	tyrc_mod_delayed_work(wq, &tw.dwork, NSEC_PER_MSEC);
	assert_true(test_flag_wait_ge(&tw.runs, 1, TEST_TIMEOUT_NS));
	tyrc_mod_delayed_work(wq, &tw.dwork, 0);
	assert_true(test_flag_wait_ge(&tw.runs, 2, TEST_TIMEOUT_NS));
	assert_false(test_flag_wait_ge(&tw.runs, 3, TEST_NEGATIVE_NS));
	assert_false(tyrc_cancel_delayed_work_sync(&tw.dwork));
	tyrc_workqueue_destroy(wq);
	tw_fini(&tw);
}

static void test_mod_delayed_work_postpones(void **state)
{
	struct tyrc_workqueue *wq = tyrc_workqueue_create("t", 1);
	struct twork blocker, tw;

	tw_init(&blocker, work_fn);
	tw_init(&tw, dwork_fn);
	/* Pending on the list behind a blocker, then pushed back by mod. */
	blocker.block = true;
	tyrc_queue_work(wq, &blocker.work);
	assert_true(test_flag_wait_ge(&blocker.started, 1, TEST_TIMEOUT_NS));
	assert_true(tyrc_queue_delayed_work(wq, &tw.dwork, 0));
	tyrc_mod_delayed_work(wq, &tw.dwork, FAR_NS);
	test_flag_set(&blocker.gate, 1);
	tyrc_flush_workqueue(wq);
	assert_false(test_flag_wait_ge(&tw.runs, 1, TEST_NEGATIVE_NS));
	assert_true(tw.dwork.work.pending);
	assert_true(tyrc_cancel_delayed_work_sync(&tw.dwork));
	assert_false(tw.dwork.work.pending);
	assert_false(tyrc_timer_is_queued(&tw.dwork.timer));
	tyrc_workqueue_destroy(wq);
	tw_fini(&blocker);
	tw_fini(&tw);
}

static void test_cancel_delayed_work(void **state)
{
	struct tyrc_workqueue *wq = tyrc_workqueue_create("t", 2);
	struct cancel_ctx c = { 0 };
	struct twork tw;
	pthread_t th;

	tw_init(&tw, dwork_fn);
	test_flag_init(&c.done);
	assert_false(tyrc_cancel_delayed_work_sync(&tw.dwork));
	assert_true(tyrc_queue_delayed_work(wq, &tw.dwork, FAR_NS));
	assert_true(tyrc_cancel_delayed_work_sync(&tw.dwork));
	assert_false(tyrc_cancel_delayed_work_sync(&tw.dwork));
	assert_int_equal(test_flag_get(&tw.runs), 0);

	/* Running instance: the cancel waits for it to return. */
	tw.block = true;
	assert_true(tyrc_queue_delayed_work(wq, &tw.dwork, 0));
	assert_true(test_flag_wait_ge(&tw.started, 1, TEST_TIMEOUT_NS));
	c.dwork = &tw.dwork;
	assert_int_equal(pthread_create(&th, NULL, cancel_thread, &c), 0);
	assert_false(test_flag_wait_ge(&c.done, 1, TEST_NEGATIVE_NS));
	test_flag_set(&tw.gate, 1);
	assert_true(test_flag_wait_ge(&c.done, 1, TEST_TIMEOUT_NS));
	pthread_join(th, NULL);
	assert_false(c.result);
	assert_false(tyrc_timer_is_queued(&tw.dwork.timer));
	assert_int_equal(test_flag_get(&tw.runs), 1);
	tyrc_workqueue_destroy(wq);
	test_flag_fini(&c.done);
	tw_fini(&tw);
}

static void test_destroy_drains_chained_work(void **state)
{
	struct tyrc_workqueue *wq = tyrc_workqueue_create("drain", 2);
	static struct twork items[32];

	for (int i = 0; i < 32; i++) {
		tw_init(&items[i], work_fn);
		items[i].wq = wq;
		items[i].requeue_left = 3; /* each re-queues itself from its own run */
		tyrc_queue_work(wq, &items[i].work);
	}
	tyrc_workqueue_destroy(wq);
	for (int i = 0; i < 32; i++) {
		assert_int_equal(test_flag_get(&items[i].runs), 4);
		tw_fini(&items[i]);
	}
}

struct selffree {
	struct tyrc_work work;
	struct test_flag *done;
};

static void selffree_fn(struct tyrc_work *w)
{
	struct selffree *s = container_of(w, struct selffree, work);
	struct test_flag *done = s->done;

	free(s); /* the worker must not touch @w after this */
	test_flag_add(done, 1);
}

static void test_work_may_free_itself(void **state)
{
	struct tyrc_workqueue *wq = tyrc_workqueue_create("t", 2);
	struct test_flag done;

	test_flag_init(&done);
	for (int i = 0; i < 100; i++) {
		struct selffree *s = malloc(sizeof(*s));

		assert_non_null(s);
		tyrc_work_init(&s->work, selffree_fn);
		s->done = &done;
		assert_true(tyrc_queue_work(wq, &s->work));
	}
	tyrc_flush_workqueue(wq);
	assert_int_equal(test_flag_get(&done), 100);
	tyrc_workqueue_destroy(wq);
	test_flag_fini(&done);
}

static void test_system_wq(void **state)
{
	struct tyrc_workqueue *wq = tyrc_system_wq();
	struct twork tw;

	assert_non_null(wq);
	assert_ptr_equal(wq, tyrc_system_wq());
	tw_init(&tw, work_fn);
	assert_true(tyrc_queue_work(wq, &tw.work));
	tyrc_flush_work(&tw.work);
	assert_int_equal(test_flag_get(&tw.runs), 1);
	tw_fini(&tw);
}

static void test_destroy_null_and_defaults(void **state)
{
	struct tyrc_workqueue *wq = tyrc_workqueue_create(NULL, 0);
	struct twork tw;

	tyrc_workqueue_destroy(NULL);
	assert_non_null(wq);
	tw_init(&tw, work_fn);
	tyrc_queue_work(wq, &tw.work);
	tyrc_workqueue_destroy(wq);
	assert_int_equal(test_flag_get(&tw.runs), 1);
	tw_fini(&tw);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_queue_runs_once),
		cmocka_unit_test(test_queue_pending_is_noop),
		cmocka_unit_test(test_ordered_queue_is_fifo),
		cmocka_unit_test(test_workers_run_in_parallel),
		cmocka_unit_test(test_requeue_while_running_not_concurrent),
		cmocka_unit_test(test_self_requeue_stress_never_overlaps),
		cmocka_unit_test(test_cancel_pending_work),
		cmocka_unit_test(test_cancel_waits_for_running),
		cmocka_unit_test(test_cancel_beats_self_requeue),
		cmocka_unit_test(test_flush_workqueue_waits_for_all),
		cmocka_unit_test(test_delayed_work_runs_after_delay),
		cmocka_unit_test(test_mod_delayed_work_shortens),
		cmocka_unit_test(test_mod_delayed_work_postpones),
		cmocka_unit_test(test_cancel_delayed_work),
		cmocka_unit_test(test_destroy_drains_chained_work),
		cmocka_unit_test(test_work_may_free_itself),
		cmocka_unit_test(test_system_wq),
		cmocka_unit_test(test_destroy_null_and_defaults),
	};

	return cmocka_run_group_tests_name("workqueue", tests, NULL, NULL);
}
