// SPDX-License-Identifier: MIT
/*
 * IRQ delivery against a fake device with a panthor-like interrupt block:
 * RAWSTAT bits, a MASK register, and the line driven by (RAWSTAT & MASK).
 * The hard handler masks everything (which drops the line from inside its
 * MMIO write) and wakes the thread, which acknowledges and unmasks.
 */
#include <pthread.h>

#include "test_util.h"

struct fdev {
	struct tyrc_irq_line *line;
	/* Device-internal lock, held while it drives the line (as the model does). */
	pthread_mutex_t lock;
	u32 rawstat, mask;
	/* Driver-side observations. */
	struct test_flag hard, thread;
	char log[64];
	int log_n;
	/* Knobs. */
	int raise_again; /* thread_fn raises a new event before unmasking */
	bool block_thread; /* thread_fn waits for @gate */
	struct test_flag gate;
	int gate_timeouts; /* a blocked handler gave up: the test is broken */
	int handled_until; /* level_handler: calls before it drops the line */
	enum tyrc_irqreturn ret; /* fixed_handler's return value */
};

static void fdev_update_locked(struct fdev *d)
{
	tyrc_irq_line_set(d->line, (d->rawstat & d->mask) != 0);
}

static void fdev_raise(struct fdev *d, u32 bits)
{
	pthread_mutex_lock(&d->lock);
	d->rawstat |= bits;
	fdev_update_locked(d);
	pthread_mutex_unlock(&d->lock);
}

static void fdev_write_mask(struct fdev *d, u32 mask)
{
	pthread_mutex_lock(&d->lock);
	d->mask = mask;
	fdev_update_locked(d);
	pthread_mutex_unlock(&d->lock);
}

static u32 fdev_read_status(struct fdev *d)
{
	u32 s;

	pthread_mutex_lock(&d->lock);
	s = d->rawstat & d->mask;
	pthread_mutex_unlock(&d->lock);
	return s;
}

static void fdev_clear(struct fdev *d, u32 bits)
{
	pthread_mutex_lock(&d->lock);
	d->rawstat &= ~bits;
	fdev_update_locked(d);
	pthread_mutex_unlock(&d->lock);
}

static void fdev_log(struct fdev *d, char c)
{
	int i = __atomic_fetch_add(&d->log_n, 1, __ATOMIC_ACQ_REL);

	if (i < (int)sizeof(d->log) - 1)
		d->log[i] = c;
}

static enum tyrc_irqreturn hard_handler(void *data)
{
	struct fdev *d = data;

	if (!fdev_read_status(d)) {
		test_flag_add(&d->hard, 1);
		return TYRC_IRQ_NONE;
	}
	fdev_write_mask(d, 0);
	fdev_log(d, 'H');
	test_flag_add(&d->hard, 1);
	return TYRC_IRQ_WAKE_THREAD;
}

static enum tyrc_irqreturn thread_handler(void *data)
{
	struct fdev *d = data;
	int run = test_flag_add(&d->thread, 1);

	fdev_log(d, 'T');
	if (d->block_thread && !test_flag_wait_ge(&d->gate, run, TEST_TIMEOUT_NS))
		__atomic_add_fetch(&d->gate_timeouts, 1, __ATOMIC_RELAXED);
	pthread_mutex_lock(&d->lock);
	d->rawstat = 0;
	pthread_mutex_unlock(&d->lock);
	if (d->raise_again > 0) {
		d->raise_again--;
		fdev_raise(d, BIT(1)); /* masked: line stays low for now */
	}
	fdev_write_mask(d, ~0U); /* re-asserts the line if anything is pending */
	return TYRC_IRQ_HANDLED;
}

static int fdev_setup(void **state)
{
	struct fdev *d = calloc(1, sizeof(*d));

	assert_non_null(d);
	d->line = tyrc_irq_line_create("gpu");
	assert_non_null(d->line);
	pthread_mutex_init(&d->lock, NULL);
	d->mask = ~0U;
	test_flag_init(&d->hard);
	test_flag_init(&d->thread);
	test_flag_init(&d->gate);
	*state = d;
	return 0;
}

static int fdev_teardown(void **state)
{
	struct fdev *d = *state;

	tyrc_free_irq(d->line);
	assert_int_equal(d->gate_timeouts, 0);
	tyrc_irq_line_destroy(d->line);
	pthread_mutex_destroy(&d->lock);
	test_flag_fini(&d->hard);
	test_flag_fini(&d->thread);
	test_flag_fini(&d->gate);
	free(d);
	return 0;
}

static void test_line_name(void **state)
{
	struct fdev *d = *state;

	assert_string_equal(tyrc_irq_line_name(d->line), "gpu");
}

static void test_hard_then_thread(void **state)
{
	struct fdev *d = *state;

	assert_int_equal(tyrc_request_threaded_irq(d->line, hard_handler, thread_handler, d), 0);
	/* Nothing asserted: no calls. */
	assert_false(test_flag_wait_ge(&d->hard, 1, TEST_NEGATIVE_NS));
	fdev_raise(d, BIT(0));
	assert_true(test_flag_wait_ge(&d->thread, 1, TEST_TIMEOUT_NS));
	assert_false(test_flag_wait_ge(&d->hard, 2, TEST_NEGATIVE_NS));
	assert_int_equal(__atomic_load_n(&d->log_n, __ATOMIC_ACQUIRE), 2);
	assert_memory_equal(d->log, "HT", 2);
}

static void test_level_redelivery_after_unmask(void **state)
{
	struct fdev *d = *state;

	d->raise_again = 2;
	assert_int_equal(tyrc_request_threaded_irq(d->line, hard_handler, thread_handler, d), 0);
	fdev_raise(d, BIT(0));
	assert_true(test_flag_wait_ge(&d->thread, 3, TEST_TIMEOUT_NS));
	assert_false(test_flag_wait_ge(&d->hard, 4, TEST_NEGATIVE_NS));
	assert_int_equal(__atomic_load_n(&d->log_n, __ATOMIC_ACQUIRE), 6);
	assert_memory_equal(d->log, "HTHTHT", 6);
}

static void test_disable_enable_nesting(void **state)
{
	struct fdev *d = *state;

	assert_int_equal(tyrc_request_threaded_irq(d->line, hard_handler, thread_handler, d), 0);
	tyrc_disable_irq(d->line);
	tyrc_disable_irq(d->line);
	fdev_raise(d, BIT(0));
	assert_false(test_flag_wait_ge(&d->hard, 1, TEST_NEGATIVE_NS));
	tyrc_enable_irq(d->line);
	assert_false(test_flag_wait_ge(&d->hard, 1, TEST_NEGATIVE_NS));
	tyrc_enable_irq(d->line);
	/* Still asserted: enabling delivers it. */
	assert_true(test_flag_wait_ge(&d->thread, 1, TEST_TIMEOUT_NS));
	assert_int_equal(test_flag_get(&d->hard), 1);
}

struct irq_call {
	struct tyrc_irq_line *line;
	void (*fn)(struct tyrc_irq_line *line);
	struct test_flag done;
};

static void *irq_call_thread(void *arg)
{
	struct irq_call *c = arg;

	c->fn(c->line);
	test_flag_set(&c->done, 1);
	return NULL;
}

/* Run @fn on another thread while the thread handler is blocked; it must wait. */
static void check_waits_for_handler(struct fdev *d, void (*fn)(struct tyrc_irq_line *line))
{
	struct irq_call c = { .line = d->line, .fn = fn };
	pthread_t th;

	test_flag_init(&c.done);
	d->block_thread = true;
	fdev_raise(d, BIT(0));
	assert_true(test_flag_wait_ge(&d->thread, 1, TEST_TIMEOUT_NS));
	assert_int_equal(pthread_create(&th, NULL, irq_call_thread, &c), 0);
	assert_false(test_flag_wait_ge(&c.done, 1, TEST_NEGATIVE_NS));
	test_flag_set(&d->gate, 1);
	assert_true(test_flag_wait_ge(&c.done, 1, TEST_TIMEOUT_NS));
	pthread_join(th, NULL);
	test_flag_fini(&c.done);
}

static void test_disable_waits_for_running_handler(void **state)
{
	struct fdev *d = *state;

	assert_int_equal(tyrc_request_threaded_irq(d->line, hard_handler, thread_handler, d), 0);
	check_waits_for_handler(d, tyrc_disable_irq);
	/* Disabled: a new event is held back until enable. */
	d->block_thread = false;
	fdev_raise(d, BIT(2));
	assert_false(test_flag_wait_ge(&d->hard, 2, TEST_NEGATIVE_NS));
	tyrc_enable_irq(d->line);
	assert_true(test_flag_wait_ge(&d->thread, 2, TEST_TIMEOUT_NS));
}

static void test_synchronize_waits_for_running_handler(void **state)
{
	struct fdev *d = *state;

	assert_int_equal(tyrc_request_threaded_irq(d->line, hard_handler, thread_handler, d), 0);
	check_waits_for_handler(d, tyrc_synchronize_irq);
	/* Idle: returns at once. */
	tyrc_synchronize_irq(d->line);
}

static void test_free_irq_waits_and_detaches(void **state)
{
	struct fdev *d = *state;

	assert_int_equal(tyrc_request_threaded_irq(d->line, hard_handler, thread_handler, d), 0);
	assert_int_equal(tyrc_request_threaded_irq(d->line, hard_handler, thread_handler, d),
			 -EBUSY);
	check_waits_for_handler(d, tyrc_free_irq);
	/* Detached: assertions go nowhere. */
	fdev_raise(d, BIT(3));
	assert_false(test_flag_wait_ge(&d->hard, 2, TEST_NEGATIVE_NS));
	/* Re-attaching picks up the still-asserted line. */
	d->block_thread = false;
	assert_int_equal(tyrc_request_threaded_irq(d->line, hard_handler, thread_handler, d), 0);
	assert_true(test_flag_wait_ge(&d->thread, 2, TEST_TIMEOUT_NS));
	tyrc_free_irq(d->line);
	tyrc_free_irq(d->line); /* second free is a no-op */
}

static enum tyrc_irqreturn fixed_handler(void *data)
{
	struct fdev *d = data;

	test_flag_add(&d->hard, 1);
	return d->ret;
}

static void test_none_storm_prevented(void **state)
{
	struct fdev *d = *state;

	d->ret = TYRC_IRQ_NONE;
	assert_int_equal(tyrc_request_threaded_irq(d->line, fixed_handler, thread_handler, d), 0);
	tyrc_irq_line_set(d->line, true);
	assert_true(test_flag_wait_ge(&d->hard, 1, TEST_TIMEOUT_NS));
	/* Still asserted, but "not mine": no second call until the line is set again. */
	assert_false(test_flag_wait_ge(&d->hard, 2, TEST_NEGATIVE_NS));
	tyrc_irq_line_set(d->line, true);
	assert_true(test_flag_wait_ge(&d->hard, 2, TEST_TIMEOUT_NS));
	assert_false(test_flag_wait_ge(&d->hard, 3, TEST_NEGATIVE_NS));
	/* Enable/disable alone does not re-trigger a NONE'd level either. */
	tyrc_disable_irq(d->line);
	tyrc_enable_irq(d->line);
	assert_false(test_flag_wait_ge(&d->hard, 3, TEST_NEGATIVE_NS));
	assert_int_equal(test_flag_get(&d->thread), 0);
	tyrc_irq_line_set(d->line, false);
	assert_false(test_flag_wait_ge(&d->hard, 3, TEST_NEGATIVE_NS));
}

static enum tyrc_irqreturn level_handler(void *data)
{
	struct fdev *d = data;

	/* Drop the line from inside the handler on the Nth call (like an ack write). */
	if (test_flag_add(&d->hard, 1) >= d->handled_until)
		tyrc_irq_line_set(d->line, false);
	return TYRC_IRQ_HANDLED;
}

static void test_handled_level_is_redelivered(void **state)
{
	struct fdev *d = *state;

	d->handled_until = 3;
	assert_int_equal(tyrc_request_threaded_irq(d->line, level_handler, NULL, d), 0);
	tyrc_irq_line_set(d->line, true);
	assert_true(test_flag_wait_ge(&d->hard, 3, TEST_TIMEOUT_NS));
	assert_false(test_flag_wait_ge(&d->hard, 4, TEST_NEGATIVE_NS));
	assert_int_equal(test_flag_get(&d->thread), 0);
}

static void test_null_hard_handler_wakes_thread(void **state)
{
	struct fdev *d = *state;

	assert_int_equal(tyrc_request_threaded_irq(d->line, NULL, NULL, d), -EINVAL);
	assert_int_equal(tyrc_request_threaded_irq(d->line, NULL, thread_handler, d), 0);
	fdev_raise(d, BIT(0));
	assert_true(test_flag_wait_ge(&d->thread, 1, TEST_TIMEOUT_NS));
	assert_false(test_flag_wait_ge(&d->thread, 2, TEST_NEGATIVE_NS));
}

static void test_wake_thread_without_thread_fn(void **state)
{
	struct fdev *d = *state;

	/* WAKE_THREAD with no thread_fn: hard handler masked, nothing else runs. */
	assert_int_equal(tyrc_request_threaded_irq(d->line, hard_handler, NULL, d), 0);
	fdev_raise(d, BIT(0));
	assert_true(test_flag_wait_ge(&d->hard, 1, TEST_TIMEOUT_NS));
	assert_false(test_flag_wait_ge(&d->hard, 2, TEST_NEGATIVE_NS));
	fdev_clear(d, BIT(0));
}

static void destroy_attached(void *arg)
{
	struct tyrc_irq_line *line = tyrc_irq_line_create("x");

	tyrc_request_threaded_irq(line, fixed_handler, NULL, NULL);
	tyrc_irq_line_destroy(line);
}

static void test_destroy_attached_aborts(void **state)
{
	test_expect_abort(destroy_attached, NULL, NULL, 0);
}

static void enable_unbalanced(void *arg)
{
	struct tyrc_irq_line *line = tyrc_irq_line_create("x");

	tyrc_enable_irq(line);
}

static void test_unbalanced_enable_aborts(void **state)
{
	test_expect_abort(enable_unbalanced, NULL, NULL, 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fdev_setup, fdev_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		/* Death tests first, before this process has any threads to fork. */
		cmocka_unit_test(test_destroy_attached_aborts),
		cmocka_unit_test(test_unbalanced_enable_aborts),
		T(test_line_name),
		T(test_hard_then_thread),
		T(test_level_redelivery_after_unmask),
		T(test_disable_enable_nesting),
		T(test_disable_waits_for_running_handler),
		T(test_synchronize_waits_for_running_handler),
		T(test_free_irq_waits_and_detaches),
		T(test_none_storm_prevented),
		T(test_handled_level_is_redelivered),
		T(test_null_hard_handler_wakes_thread),
		T(test_wake_thread_without_thread_fn),
	};

	return cmocka_run_group_tests_name("irq", tests, NULL, NULL);
}
