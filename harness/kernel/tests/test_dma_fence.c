// SPDX-License-Identifier: MIT
/*
 * dma-fence core, arrays and chains: signal-once, errors, callbacks (order,
 * removal, context, dropping the last reference), waits, seqno compare,
 * stubs, and a multi-threaded stress for TSan. Every test ends with no fence
 * pending or alive (checked in the teardown).
 */
#include <pthread.h>

#include "test_util.h"

/* ------------------------------------------------------------------------
 * A test fence: malloc'd, counts its releases and op calls.
 */

static int releases;

static int releases_read(void)
{
	return __atomic_load_n(&releases, __ATOMIC_RELAXED);
}

static void releases_reset(void)
{
	__atomic_store_n(&releases, 0, __ATOMIC_RELAXED);
}

struct test_fence {
	struct tyrc_dma_fence base;
	/* @enable_calls: enable_signaling invocations. */
	int enable_calls;
	/* @enable_ret: what enable_signaling returns. */
	bool enable_ret;
	/* @done: what the signaled op reports. */
	bool done;
	/* @enabled: set when enable_signaling is called (waiter handshake). */
	struct test_flag *enabled;
};

static struct test_fence *to_test_fence(struct tyrc_dma_fence *f)
{
	return container_of(f, struct test_fence, base);
}

static const char *test_driver_name(struct tyrc_dma_fence *f)
{
	(void)f;
	return "test";
}

static const char *test_timeline_name(struct tyrc_dma_fence *f)
{
	(void)f;
	return "test-timeline";
}

static bool test_enable_signaling(struct tyrc_dma_fence *f)
{
	struct test_fence *tf = to_test_fence(f);

	__atomic_add_fetch(&tf->enable_calls, 1, __ATOMIC_RELAXED);
	if (tf->enabled)
		test_flag_set(tf->enabled, 1);
	return tf->enable_ret;
}

static bool test_signaled(struct tyrc_dma_fence *f)
{
	return __atomic_load_n(&to_test_fence(f)->done, __ATOMIC_ACQUIRE);
}

static void test_release(struct tyrc_dma_fence *f)
{
	__atomic_add_fetch(&releases, 1, __ATOMIC_RELAXED);
	free(to_test_fence(f));
}

static const struct tyrc_dma_fence_ops test_ops = {
	.get_driver_name = test_driver_name,
	.get_timeline_name = test_timeline_name,
	.enable_signaling = test_enable_signaling,
	.signaled = test_signaled,
	.release = test_release,
};

/* Minimal ops: no optional op, default release (free). */
static const struct tyrc_dma_fence_ops plain_ops = {
	.get_driver_name = test_driver_name,
	.get_timeline_name = test_timeline_name,
};

static struct test_fence *test_fence_new(struct tyrc_spinlock *lock, u64 context, u64 seqno)
{
	struct test_fence *tf = calloc(1, sizeof(*tf));

	assert_non_null(tf);
	tf->enable_ret = true;
	tyrc_dma_fence_init(&tf->base, &test_ops, lock, context, seqno);
	return tf;
}

static struct tyrc_dma_fence *fence_new(void)
{
	return &test_fence_new(NULL, tyrc_dma_fence_context_alloc(1), 1)->base;
}

static struct tyrc_dma_fence *plain_fence_new(u64 context, u64 seqno, bool seqno64)
{
	struct tyrc_dma_fence *f = malloc(sizeof(*f));

	assert_non_null(f);
	if (seqno64)
		tyrc_dma_fence_init64(f, &plain_ops, NULL, context, seqno);
	else
		tyrc_dma_fence_init(f, &plain_ops, NULL, context, seqno);
	return f;
}

static int teardown_check(void **state)
{
	(void)state;
	/* Chain work on the system queue may hold the last references briefly. */
	tyrc_flush_workqueue(tyrc_system_wq());
	assert_int_equal(tyrc_dma_fence_pending_count(), 0);
	assert_int_equal(tyrc_dma_fence_live_count(), 0);
	return 0;
}

/* A callback that records its position in a shared log. */
struct rec_cb {
	struct tyrc_dma_fence_cb cb;
	int id;
	int *log;
	int *n;
	int status;
	bool lock_held;
};

static void rec_func(struct tyrc_dma_fence *f, struct tyrc_dma_fence_cb *cb)
{
	struct rec_cb *r = container_of(cb, struct rec_cb, cb);

	r->log[(*r->n)++] = r->id;
	r->status = tyrc_dma_fence_test_signaled_flag(f) ?
			    __atomic_load_n(&f->error, __ATOMIC_RELAXED) :
			    99;
	r->lock_held = tyrc_mutex_is_held(f->lock);
}

/* ------------------------------------------------------------------------ */

static void test_init_get_put(void **state)
{
	u64 c1 = tyrc_dma_fence_context_alloc(1);
	u64 c2 = tyrc_dma_fence_context_alloc(3);
	u64 c3 = tyrc_dma_fence_context_alloc(1);
	struct tyrc_dma_fence *f;

	assert_true(c1 != 0);
	assert_int_equal(c2, c1 + 1);
	assert_int_equal(c3, c2 + 3);

	f = plain_fence_new(c1, 7, false);
	assert_int_equal(tyrc_dma_fence_pending_count(), 1);
	assert_int_equal(tyrc_dma_fence_live_count(), 1);
	assert_int_equal(f->context, c1);
	assert_int_equal(f->seqno, 7);
	assert_string_equal(tyrc_dma_fence_driver_name(f), "test");
	assert_string_equal(tyrc_dma_fence_timeline_name(f), "test-timeline");
	assert_int_equal(tyrc_dma_fence_get_status(f), 0);
	assert_false(tyrc_dma_fence_is_signaled(f));
	assert_int_equal(tyrc_dma_fence_timestamp(f), 0);

	assert_ptr_equal(tyrc_dma_fence_get(f), f);
	assert_int_equal(tyrc_kref_read(&f->refcount), 2);
	tyrc_dma_fence_put(f);
	assert_null(tyrc_dma_fence_get(NULL));
	tyrc_dma_fence_put(NULL);
	assert_ptr_equal(tyrc_dma_fence_get_unless_zero(f), f);
	tyrc_dma_fence_put(f);

	/* Released unsignalled, no callbacks: simply gone. */
	tyrc_dma_fence_put(f);
}

static void test_signal_once(void **state)
{
	struct tyrc_dma_fence *f = fence_new();
	u64 before = tyrc_ktime_get_ns(), after;

	assert_int_equal(tyrc_dma_fence_signal(f), 0);
	after = tyrc_ktime_get_ns();
	assert_int_equal(tyrc_dma_fence_pending_count(), 0);
	assert_true(tyrc_dma_fence_is_signaled(f));
	assert_int_equal(tyrc_dma_fence_get_status(f), 1);
	assert_true(tyrc_dma_fence_timestamp(f) >= before);
	assert_true(tyrc_dma_fence_timestamp(f) <= after);

	/* Later signals fail and change nothing. */
	assert_int_equal(tyrc_dma_fence_signal(f), -EINVAL);
	assert_int_equal(tyrc_dma_fence_signal_timestamp(f, 5), -EINVAL);
	assert_true(tyrc_dma_fence_timestamp(f) >= before);
	tyrc_dma_fence_put(f);

	f = fence_new();
	assert_int_equal(tyrc_dma_fence_signal_timestamp(f, 12345), 0);
	assert_int_equal(tyrc_dma_fence_timestamp(f), 12345);
	tyrc_dma_fence_put(f);
	assert_int_equal(releases_read(), 2);
	releases_reset();
}

static void test_set_error(void **state)
{
	struct tyrc_dma_fence *f = fence_new();

	assert_int_equal(tyrc_dma_fence_set_error(f, 0), -EINVAL);
	assert_int_equal(tyrc_dma_fence_set_error(f, 5), -EINVAL);
	assert_int_equal(tyrc_dma_fence_set_error(f, -4096), -EINVAL);
	assert_int_equal(tyrc_dma_fence_set_error(f, -EIO), 0);
	/* An error alone does not complete the fence. */
	assert_int_equal(tyrc_dma_fence_get_status(f), 0);
	assert_int_equal(tyrc_dma_fence_set_error(f, -ECANCELED), 0);
	assert_int_equal(tyrc_dma_fence_signal(f), 0);
	assert_int_equal(tyrc_dma_fence_get_status(f), -ECANCELED);
	/* After signalling the status is frozen. */
	assert_int_equal(tyrc_dma_fence_set_error(f, -ETIMEDOUT), -EINVAL);
	assert_int_equal(tyrc_dma_fence_get_status(f), -ECANCELED);
	tyrc_dma_fence_put(f);

	f = fence_new();
	assert_int_equal(tyrc_dma_fence_signal(f), 0);
	assert_int_equal(tyrc_dma_fence_set_error(f, -EIO), -EINVAL);
	assert_int_equal(tyrc_dma_fence_get_status(f), 1);
	tyrc_dma_fence_put(f);
	releases_reset();
}

static void test_callbacks_order_and_enoent(void **state)
{
	struct tyrc_dma_fence *f = fence_new();
	struct rec_cb r[4];
	int log[4], n = 0;

	for (int i = 0; i < 4; i++)
		r[i] = (struct rec_cb){ .id = i, .log = log, .n = &n };
	for (int i = 0; i < 3; i++)
		assert_int_equal(tyrc_dma_fence_add_callback(f, &r[i].cb, rec_func), 0);
	assert_int_equal(to_test_fence(f)->enable_calls, 1);
	assert_int_equal(n, 0);
	assert_int_equal(tyrc_dma_fence_set_error(f, -EIO), 0);
	assert_int_equal(tyrc_dma_fence_signal(f), 0);
	assert_int_equal(n, 3);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(log[i], i);
		/* Error visible, fence lock not held (unlocked signalling). */
		assert_int_equal(r[i].status, -EIO);
		assert_false(r[i].lock_held);
	}
	/* Too late: -ENOENT, not called; removing it is harmless. */
	assert_int_equal(tyrc_dma_fence_add_callback(f, &r[3].cb, rec_func), -ENOENT);
	assert_false(tyrc_dma_fence_remove_callback(f, &r[3].cb));
	assert_false(tyrc_dma_fence_remove_callback(f, &r[0].cb));
	assert_int_equal(n, 3);
	assert_int_equal(tyrc_dma_fence_add_callback(f, &r[3].cb, NULL), -EINVAL);
	tyrc_dma_fence_put(f);
	releases_reset();
}

static void test_remove_callback(void **state)
{
	struct tyrc_dma_fence *f = fence_new();
	struct rec_cb r[3];
	int log[3], n = 0;

	for (int i = 0; i < 3; i++) {
		r[i] = (struct rec_cb){ .id = i, .log = log, .n = &n };
		assert_int_equal(tyrc_dma_fence_add_callback(f, &r[i].cb, rec_func), 0);
	}
	assert_true(tyrc_dma_fence_remove_callback(f, &r[1].cb));
	assert_false(tyrc_dma_fence_remove_callback(f, &r[1].cb));
	tyrc_dma_fence_signal(f);
	assert_int_equal(n, 2);
	assert_int_equal(log[0], 0);
	assert_int_equal(log[1], 2);
	tyrc_dma_fence_put(f);
	releases_reset();
}

/* Callbacks that remove themselves and a later one, from the signaller. */
struct self_rm {
	struct tyrc_dma_fence_cb a, b;
	bool self_removed, other_removed, b_ran;
};

static void self_rm_a(struct tyrc_dma_fence *f, struct tyrc_dma_fence_cb *cb)
{
	struct self_rm *s = container_of(cb, struct self_rm, a);

	s->self_removed = tyrc_dma_fence_remove_callback(f, &s->a);
	s->other_removed = tyrc_dma_fence_remove_callback(f, &s->b);
	/* The API is usable on the fence from its own callback. */
	assert_int_equal(tyrc_dma_fence_get_status(f), 1);
}

static void self_rm_b(struct tyrc_dma_fence *f, struct tyrc_dma_fence_cb *cb)
{
	(void)f;
	container_of(cb, struct self_rm, b)->b_ran = true;
}

static void test_remove_from_callback(void **state)
{
	struct tyrc_dma_fence *f = fence_new();
	struct self_rm s = { 0 };

	assert_int_equal(tyrc_dma_fence_add_callback(f, &s.a, self_rm_a), 0);
	assert_int_equal(tyrc_dma_fence_add_callback(f, &s.b, self_rm_b), 0);
	tyrc_dma_fence_signal(f);
	assert_false(s.self_removed);
	assert_true(s.other_removed);
	assert_false(s.b_ran);
	tyrc_dma_fence_put(f);
	releases_reset();
}

/* remove_callback from another thread waits for the running callback. */
struct blocking_cb {
	struct tyrc_dma_fence_cb cb;
	struct tyrc_dma_fence *fence;
	struct test_flag started, release, finished, removed;
	int remove_ret;
	int finished_seen;
};

static void blocking_func(struct tyrc_dma_fence *f, struct tyrc_dma_fence_cb *cb)
{
	struct blocking_cb *b = container_of(cb, struct blocking_cb, cb);

	(void)f;
	test_flag_set(&b->started, 1);
	test_flag_wait_ge(&b->release, 1, TEST_TIMEOUT_NS);
	test_flag_set(&b->finished, 1);
}

static void *signal_thread(void *arg)
{
	tyrc_dma_fence_signal(arg);
	return NULL;
}

static void *remover_thread(void *arg)
{
	struct blocking_cb *b = arg;

	b->remove_ret = tyrc_dma_fence_remove_callback(b->fence, &b->cb);
	b->finished_seen = test_flag_get(&b->finished);
	test_flag_set(&b->removed, 1);
	return NULL;
}

static void test_remove_waits_for_running_callback(void **state)
{
	struct blocking_cb b = { 0 };
	pthread_t sig, rm;

	b.fence = fence_new();
	test_flag_init(&b.started);
	test_flag_init(&b.release);
	test_flag_init(&b.finished);
	test_flag_init(&b.removed);
	assert_int_equal(tyrc_dma_fence_add_callback(b.fence, &b.cb, blocking_func), 0);
	assert_int_equal(pthread_create(&sig, NULL, signal_thread, b.fence), 0);
	assert_true(test_flag_wait_ge(&b.started, 1, TEST_TIMEOUT_NS));
	assert_int_equal(pthread_create(&rm, NULL, remover_thread, &b), 0);
	/* The callback is still running: the removal must not return yet. */
	assert_false(test_flag_wait_ge(&b.removed, 1, TEST_NEGATIVE_NS));
	test_flag_set(&b.release, 1);
	assert_true(test_flag_wait_ge(&b.removed, 1, TEST_TIMEOUT_NS));
	pthread_join(rm, NULL);
	pthread_join(sig, NULL);
	assert_int_equal(b.remove_ret, 0);
	assert_int_equal(b.finished_seen, 1);
	tyrc_dma_fence_put(b.fence);
	test_flag_fini(&b.started);
	test_flag_fini(&b.release);
	test_flag_fini(&b.finished);
	test_flag_fini(&b.removed);
	releases_reset();
}

static void put_func(struct tyrc_dma_fence *f, struct tyrc_dma_fence_cb *cb)
{
	(void)cb;
	tyrc_dma_fence_put(f);
}

static void test_callback_drops_last_ref(void **state)
{
	struct tyrc_dma_fence *f = fence_new();
	struct tyrc_dma_fence_cb cb;

	releases_reset();
	/* The only reference is handed to the callback. */
	assert_int_equal(tyrc_dma_fence_add_callback(f, &cb, put_func), 0);
	assert_int_equal(tyrc_dma_fence_signal(f), 0);
	assert_int_equal(releases_read(), 1);
	releases_reset();
}

static void test_release_with_pending_callback(void **state)
{
	struct tyrc_dma_fence *f = fence_new();
	struct rec_cb r;
	int log[1], n = 0;

	r = (struct rec_cb){ .id = 0, .log = log, .n = &n };
	assert_int_equal(tyrc_dma_fence_add_callback(f, &r.cb, rec_func), 0);
	/* A user bug: the callback still runs, with -EDEADLK. */
	tyrc_dma_fence_put(f);
	assert_int_equal(n, 1);
	assert_int_equal(r.status, -EDEADLK);
	releases_reset();
}

static void test_ops_enable_and_signaled(void **state)
{
	struct test_fence *tf = test_fence_new(NULL, tyrc_dma_fence_context_alloc(1), 1);
	struct rec_cb r;
	int log[2], n = 0;

	/* The signaled op completes the fence on a status query. */
	assert_false(tyrc_dma_fence_is_signaled(&tf->base));
	r = (struct rec_cb){ .id = 0, .log = log, .n = &n };
	assert_int_equal(tyrc_dma_fence_add_callback(&tf->base, &r.cb, rec_func), 0);
	tyrc_dma_fence_enable_sw_signaling(&tf->base);
	assert_int_equal(tf->enable_calls, 1);
	__atomic_store_n(&tf->done, true, __ATOMIC_RELEASE);
	assert_int_equal(tyrc_dma_fence_get_status(&tf->base), 1);
	assert_int_equal(n, 1);
	assert_true(tyrc_dma_fence_test_signaled_flag(&tf->base));
	tyrc_dma_fence_put(&tf->base);

	/* enable_signaling reporting completion: the core signals. */
	tf = test_fence_new(NULL, tyrc_dma_fence_context_alloc(1), 1);
	tf->enable_ret = false;
	assert_int_equal(tyrc_dma_fence_add_callback(&tf->base, &r.cb, rec_func), -ENOENT);
	assert_true(tyrc_dma_fence_test_signaled_flag(&tf->base));
	assert_int_equal(tyrc_dma_fence_wait_timeout(&tf->base, NSEC_PER_SEC) > 0, 1);
	assert_int_equal(tf->enable_calls, 1);
	tyrc_dma_fence_put(&tf->base);
	releases_reset();
}

static void test_signal_locked_shared_lock(void **state)
{
	struct tyrc_spinlock lock;
	u64 ctx = tyrc_dma_fence_context_alloc(1);
	struct test_fence *a, *b;
	struct rec_cb r[2];
	int log[2], n = 0;

	tyrc_spin_lock_init(&lock);
	a = test_fence_new(&lock, ctx, 1);
	b = test_fence_new(&lock, ctx, 2);
	r[0] = (struct rec_cb){ .id = 0, .log = log, .n = &n };
	r[1] = (struct rec_cb){ .id = 1, .log = log, .n = &n };
	assert_int_equal(tyrc_dma_fence_add_callback(&a->base, &r[0].cb, rec_func), 0);
	assert_int_equal(tyrc_dma_fence_add_callback(&b->base, &r[1].cb, rec_func), 0);
	tyrc_spin_lock(&lock);
	assert_int_equal(tyrc_dma_fence_set_error(&a->base, -ECANCELED), 0);
	assert_int_equal(tyrc_dma_fence_signal_locked(&a->base), 0);
	assert_int_equal(tyrc_dma_fence_signal_timestamp_locked(&b->base, 77), 0);
	assert_int_equal(tyrc_dma_fence_signal_locked(&b->base), -EINVAL);
	tyrc_spin_unlock(&lock);
	assert_int_equal(n, 2);
	/* _locked: callbacks ran with the (shared) fence lock held. */
	assert_true(r[0].lock_held);
	assert_true(r[1].lock_held);
	assert_int_equal(r[0].status, -ECANCELED);
	assert_int_equal(tyrc_dma_fence_timestamp(&b->base), 77);
	tyrc_dma_fence_put(&a->base);
	tyrc_dma_fence_put(&b->base);
	tyrc_mutex_destroy(&lock);
	releases_reset();
}

static void test_wait_timeout_expires(void **state)
{
	struct tyrc_dma_fence *f = fence_new();
	u64 start = tyrc_ktime_get_ns();

	assert_int_equal(tyrc_dma_fence_wait_timeout(f, 0), 0);
	assert_int_equal(tyrc_dma_fence_wait_timeout(f, 3 * NSEC_PER_MSEC), 0);
	assert_true(tyrc_ktime_get_ns() - start >= 3 * NSEC_PER_MSEC);
	assert_int_equal(tyrc_dma_fence_wait_deadline(f, tyrc_ktime_get_ns()), -ETIME);
	assert_int_equal(tyrc_dma_fence_wait_deadline(f, tyrc_ktime_get_ns() + NSEC_PER_MSEC),
			 -ETIME);
	tyrc_dma_fence_signal(f);
	assert_int_equal(tyrc_dma_fence_wait_timeout(f, 0), 1);
	assert_true(tyrc_dma_fence_wait_timeout(f, NSEC_PER_SEC) > 0);
	assert_true(tyrc_dma_fence_wait_timeout(f, UINT64_MAX) > 0);
	assert_int_equal(tyrc_dma_fence_wait_deadline(f, 0), 0);
	tyrc_dma_fence_wait(f);
	tyrc_dma_fence_put(f);
	releases_reset();
}

/* Signal once the waiter has enabled signalling (it is then about to sleep). */
struct cross_wait {
	struct test_fence *tf;
	struct test_flag enabled;
};

static void *signal_when_enabled(void *arg)
{
	struct cross_wait *w = arg;

	if (test_flag_wait_ge(&w->enabled, 1, TEST_TIMEOUT_NS))
		tyrc_dma_fence_signal(&w->tf->base);
	return NULL;
}

static void test_wait_signalled_from_other_thread(void **state)
{
	for (int mode = 0; mode < 3; mode++) {
		struct cross_wait w;
		pthread_t th;

		test_flag_init(&w.enabled);
		w.tf = test_fence_new(NULL, tyrc_dma_fence_context_alloc(1), 1);
		w.tf->enabled = &w.enabled;
		assert_int_equal(pthread_create(&th, NULL, signal_when_enabled, &w), 0);
		if (mode == 0) {
			assert_true(tyrc_dma_fence_wait_timeout(&w.tf->base, TEST_TIMEOUT_NS) > 0);
		} else if (mode == 1) {
			assert_int_equal(tyrc_dma_fence_wait_deadline(
						 &w.tf->base, tyrc_wait_deadline(TEST_TIMEOUT_NS)),
					 0);
		} else {
			tyrc_dma_fence_wait(&w.tf->base);
		}
		assert_int_equal(tyrc_dma_fence_get_status(&w.tf->base), 1);
		pthread_join(th, NULL);
		tyrc_dma_fence_put(&w.tf->base);
		test_flag_fini(&w.enabled);
	}
	releases_reset();
}

static void test_seqno_compare(void **state)
{
	u64 ctx = tyrc_dma_fence_context_alloc(1);
	struct tyrc_dma_fence *low = plain_fence_new(ctx, 1, false);
	struct tyrc_dma_fence *high = plain_fence_new(ctx, 0xffffffffULL, false);
	struct tyrc_dma_fence *low64 = plain_fence_new(ctx, 1, true);
	struct tyrc_dma_fence *high64 = plain_fence_new(ctx, 0xffffffffULL, true);

	/* 32-bit: 1 comes right after 0xffffffff (wrapped). */
	assert_true(tyrc_dma_fence_is_later(low, high));
	assert_false(tyrc_dma_fence_is_later(high, low));
	assert_true(__tyrc_dma_fence_is_later(low, 0x80000000ULL, 1));
	assert_false(__tyrc_dma_fence_is_later(low, 0x80000001ULL, 1));
	assert_false(__tyrc_dma_fence_is_later(low, 5, 5));
	/* Only the low 32 bits count. */
	assert_false(__tyrc_dma_fence_is_later(low, 0x100000001ULL, 1));
	/* 64-bit: plain compare. */
	assert_false(tyrc_dma_fence_is_later(low64, high64));
	assert_true(tyrc_dma_fence_is_later(high64, low64));
	assert_true(__tyrc_dma_fence_is_later(low64, 0x100000001ULL, 1));
	assert_true(tyrc_dma_fence_is_later_or_same(low, low));
	assert_false(tyrc_dma_fence_is_later_or_same(high, low));

	for (int i = 0; i < 4; i++) {
		struct tyrc_dma_fence *f = i == 0 ? low : i == 1 ? high : i == 2 ? low64 : high64;

		tyrc_dma_fence_signal(f);
		tyrc_dma_fence_put(f);
	}
}

static void compare_contexts(void *arg)
{
	struct tyrc_dma_fence **f = arg;

	tyrc_dma_fence_is_later(f[0], f[1]);
}

static void test_compare_other_context_aborts(void **state)
{
	struct tyrc_dma_fence *f[2] = {
		plain_fence_new(tyrc_dma_fence_context_alloc(1), 1, false),
		plain_fence_new(tyrc_dma_fence_context_alloc(1), 2, false),
	};
	char msg[256];

	test_expect_abort(compare_contexts, f, msg, sizeof(msg));
	assert_non_null(strstr(msg, "context"));
	for (int i = 0; i < 2; i++) {
		tyrc_dma_fence_signal(f[i]);
		tyrc_dma_fence_put(f[i]);
	}
}

static void test_stub(void **state)
{
	struct tyrc_dma_fence *s1 = tyrc_dma_fence_get_stub();
	struct tyrc_dma_fence *s2 = tyrc_dma_fence_get_stub();
	struct tyrc_dma_fence *p;
	struct tyrc_dma_fence_cb cb;

	assert_ptr_equal(s1, s2);
	assert_int_equal(s1->context, 0);
	assert_int_equal(tyrc_dma_fence_get_status(s1), 1);
	assert_true(tyrc_dma_fence_timestamp(s1) != 0);
	assert_int_equal(tyrc_dma_fence_add_callback(s1, &cb, put_func), -ENOENT);
	assert_true(tyrc_dma_fence_wait_timeout(s1, 0) > 0);
	assert_string_equal(tyrc_dma_fence_driver_name(s1), "stub");
	tyrc_dma_fence_put(s1);
	tyrc_dma_fence_put(s2);

	p = tyrc_dma_fence_allocate_private_stub(4242);
	assert_non_null(p);
	assert_int_equal(tyrc_dma_fence_get_status(p), 1);
	assert_int_equal(tyrc_dma_fence_timestamp(p), 4242);
	assert_true(p->context != 0);
	tyrc_dma_fence_put(p);
}

/* ------------------------------------------------------------------------
 * Arrays.
 */

static struct tyrc_dma_fence **fence_vec(struct tyrc_dma_fence **members, unsigned int n)
{
	struct tyrc_dma_fence **v = calloc(n ? n : 1, sizeof(*v));

	assert_non_null(v);
	for (unsigned int i = 0; i < n; i++)
		v[i] = tyrc_dma_fence_get(members[i]);
	return v;
}

static void test_array_all(void **state)
{
	struct tyrc_dma_fence *m[3];
	struct tyrc_dma_fence_array *a;
	struct rec_cb r;
	int log[1], n = 0;
	u64 ctx = tyrc_dma_fence_context_alloc(1);

	for (int i = 0; i < 3; i++)
		m[i] = fence_new();
	a = tyrc_dma_fence_array_create(3, fence_vec(m, 3), ctx, 9, false);
	assert_non_null(a);
	assert_true(tyrc_dma_fence_is_array(&a->base));
	assert_ptr_equal(tyrc_to_dma_fence_array(&a->base), a);
	assert_null(tyrc_to_dma_fence_array(m[0]));
	assert_int_equal(a->base.context, ctx);
	assert_int_equal(a->base.seqno, 9);
	r = (struct rec_cb){ .id = 0, .log = log, .n = &n };
	assert_int_equal(tyrc_dma_fence_add_callback(&a->base, &r.cb, rec_func), 0);

	/* Out of order, with an error on the second one to signal. */
	tyrc_dma_fence_signal(m[2]);
	assert_int_equal(tyrc_dma_fence_set_error(m[0], -EIO), 0);
	tyrc_dma_fence_signal(m[0]);
	assert_false(tyrc_dma_fence_is_signaled(&a->base));
	assert_int_equal(tyrc_dma_fence_set_error(m[1], -ENODEV), 0);
	tyrc_dma_fence_signal(m[1]);
	assert_int_equal(n, 1);
	/* First error seen wins. */
	assert_int_equal(r.status, -EIO);
	assert_int_equal(tyrc_dma_fence_get_status(&a->base), -EIO);
	tyrc_dma_fence_put(&a->base);
	for (int i = 0; i < 3; i++)
		tyrc_dma_fence_put(m[i]);
	releases_reset();
}

static void test_array_any(void **state)
{
	struct tyrc_dma_fence *m[3];
	struct tyrc_dma_fence_array *a;

	for (int i = 0; i < 3; i++)
		m[i] = fence_new();
	a = tyrc_dma_fence_array_create(3, fence_vec(m, 3), tyrc_dma_fence_context_alloc(1), 1,
					true);
	assert_non_null(a);
	assert_int_equal(tyrc_dma_fence_wait_timeout(&a->base, NSEC_PER_MSEC), 0);
	tyrc_dma_fence_signal(m[1]);
	assert_true(tyrc_dma_fence_wait_timeout(&a->base, TEST_TIMEOUT_NS) > 0);
	assert_int_equal(tyrc_dma_fence_get_status(&a->base), 1);
	/* The rest signalling later is harmless. */
	tyrc_dma_fence_signal(m[0]);
	tyrc_dma_fence_signal(m[2]);
	tyrc_dma_fence_put(&a->base);
	for (int i = 0; i < 3; i++)
		tyrc_dma_fence_put(m[i]);
	releases_reset();
}

static void test_array_empty(void **state)
{
	for (int any = 0; any < 2; any++) {
		struct tyrc_dma_fence_array *a = tyrc_dma_fence_array_create(
			0, NULL, tyrc_dma_fence_context_alloc(1), 1, any);

		assert_non_null(a);
		assert_int_equal(tyrc_dma_fence_get_status(&a->base), 1);
		assert_true(tyrc_dma_fence_wait_timeout(&a->base, 0) > 0);
		tyrc_dma_fence_put(&a->base);
	}
}

static void test_array_members_signalled_before(void **state)
{
	struct tyrc_dma_fence *m[2];
	struct tyrc_dma_fence_array *a, *b;

	for (int i = 0; i < 2; i++)
		m[i] = fence_new();
	tyrc_dma_fence_set_error(m[1], -ETIMEDOUT);
	tyrc_dma_fence_signal(m[1]);
	tyrc_dma_fence_signal(m[0]);

	/* Nobody enabled signalling: the signaled op looks at the members. */
	a = tyrc_dma_fence_array_create(2, fence_vec(m, 2), tyrc_dma_fence_context_alloc(1), 1,
					false);
	assert_int_equal(tyrc_dma_fence_get_status(&a->base), -ETIMEDOUT);
	/* Enabling finds every member done (-ENOENT path). */
	b = tyrc_dma_fence_array_create(2, fence_vec(m, 2), tyrc_dma_fence_context_alloc(1), 1,
					false);
	tyrc_dma_fence_enable_sw_signaling(&b->base);
	assert_true(tyrc_dma_fence_test_signaled_flag(&b->base));
	assert_int_equal(tyrc_dma_fence_get_status(&b->base), -ETIMEDOUT);
	tyrc_dma_fence_put(&a->base);
	tyrc_dma_fence_put(&b->base);
	for (int i = 0; i < 2; i++)
		tyrc_dma_fence_put(m[i]);
	releases_reset();
}

static void test_array_of_arrays(void **state)
{
	struct tyrc_dma_fence *m[2], *inner_f;
	struct tyrc_dma_fence_array *inner, *outer;

	for (int i = 0; i < 2; i++)
		m[i] = fence_new();
	inner = tyrc_dma_fence_array_create(2, fence_vec(m, 2), tyrc_dma_fence_context_alloc(1), 1,
					    false);
	inner_f = &inner->base;
	outer = tyrc_dma_fence_array_create(1, fence_vec(&inner_f, 1),
					    tyrc_dma_fence_context_alloc(1), 1, false);
	tyrc_dma_fence_enable_sw_signaling(&outer->base);
	tyrc_dma_fence_signal(m[0]);
	tyrc_dma_fence_signal(m[1]);
	assert_true(tyrc_dma_fence_test_signaled_flag(&outer->base));
	tyrc_dma_fence_put(&outer->base);
	tyrc_dma_fence_put(inner_f);
	for (int i = 0; i < 2; i++)
		tyrc_dma_fence_put(m[i]);
	releases_reset();
}

/* ------------------------------------------------------------------------
 * Chains.
 */

/* Build points 1..n on one timeline over fresh fences m[0..n-1]; Return: the head. */
static struct tyrc_dma_fence *chain_build(struct tyrc_dma_fence **m, int n)
{
	struct tyrc_dma_fence *head = NULL;

	for (int i = 0; i < n; i++) {
		struct tyrc_dma_fence_chain *c = tyrc_dma_fence_chain_alloc();

		assert_non_null(c);
		m[i] = fence_new();
		tyrc_dma_fence_chain_init(c, head, tyrc_dma_fence_get(m[i]), (u64)i + 1);
		head = &c->base;
	}
	return head;
}

static void test_chain_init_contexts(void **state)
{
	struct tyrc_dma_fence *m[2], *head = chain_build(m, 2);
	struct tyrc_dma_fence_chain *c2 = tyrc_to_dma_fence_chain(head), *c3, *c4;
	struct tyrc_dma_fence *f3 = fence_new(), *f4 = fence_new();

	assert_non_null(c2);
	assert_true(tyrc_dma_fence_is_chain(head));
	assert_false(tyrc_dma_fence_is_chain(m[0]));
	assert_ptr_equal(tyrc_dma_fence_chain_contained(head), m[1]);
	assert_ptr_equal(tyrc_dma_fence_chain_contained(m[1]), m[1]);
	assert_int_equal(c2->base.seqno, 2);
	assert_int_equal(c2->prev_seqno, 1);
	assert_int_equal(c2->base.context, tyrc_to_dma_fence_chain(c2->prev)->base.context);

	/* A seqno that does not move forward: new context, seqno kept at 2. */
	c3 = tyrc_dma_fence_chain_alloc();
	tyrc_dma_fence_chain_init(c3, head, f3, 1);
	assert_true(c3->base.context != c2->base.context);
	assert_int_equal(c3->base.seqno, 2);
	assert_int_equal(c3->prev_seqno, 0);
	/* 64-bit seqnos: 2^32 + 1 is after 2. */
	c4 = tyrc_dma_fence_chain_alloc();
	tyrc_dma_fence_chain_init(c4, &c3->base, f4, 0x100000001ULL);
	assert_int_equal(c4->base.context, c3->base.context);
	assert_int_equal(c4->prev_seqno, 2);

	tyrc_dma_fence_signal(m[0]);
	tyrc_dma_fence_signal(m[1]);
	tyrc_dma_fence_signal(f3);
	tyrc_dma_fence_signal(f4);
	assert_int_equal(tyrc_dma_fence_get_status(&c4->base), 1);
	tyrc_dma_fence_put(&c4->base);
	for (int i = 0; i < 2; i++)
		tyrc_dma_fence_put(m[i]);
	tyrc_dma_fence_chain_free(tyrc_dma_fence_chain_alloc());
	tyrc_dma_fence_chain_free(NULL);
	releases_reset();
}

static struct tyrc_dma_fence *find(struct tyrc_dma_fence *head, u64 seqno, int *ret)
{
	struct tyrc_dma_fence *f = tyrc_dma_fence_get(head);

	*ret = tyrc_dma_fence_chain_find_seqno(&f, seqno);
	return f;
}

static void test_chain_find_seqno(void **state)
{
	struct tyrc_dma_fence *m[3], *head = chain_build(m, 3), *f, *p1, *p2;
	int ret;

	p2 = tyrc_dma_fence_chain_get_prev(tyrc_to_dma_fence_chain(head));
	p1 = tyrc_dma_fence_chain_get_prev(tyrc_to_dma_fence_chain(p2));
	assert_int_equal(p2->seqno, 2);
	assert_int_equal(p1->seqno, 1);

	/* Not yet a point; not a chain. */
	f = find(head, 4, &ret);
	assert_int_equal(ret, -EINVAL);
	assert_ptr_equal(f, head);
	tyrc_dma_fence_put(f);
	f = find(m[0], 1, &ret);
	assert_int_equal(ret, -EINVAL);
	tyrc_dma_fence_put(f);
	/* 0: unchanged. */
	f = find(head, 0, &ret);
	assert_int_equal(ret, 0);
	assert_ptr_equal(f, head);
	tyrc_dma_fence_put(f);

	f = find(head, 3, &ret);
	assert_ptr_equal(f, head);
	tyrc_dma_fence_put(f);
	f = find(head, 2, &ret);
	assert_int_equal(ret, 0);
	assert_ptr_equal(f, p2);
	tyrc_dma_fence_put(f);

	/* Point 2's own fence done but point 1 pending: point 1 decides. */
	tyrc_dma_fence_signal(m[1]);
	f = find(head, 2, &ret);
	assert_ptr_equal(f, p1);
	tyrc_dma_fence_put(f);
	/* The walk unlinked point 2 from point 3. */
	f = tyrc_dma_fence_chain_get_prev(tyrc_to_dma_fence_chain(head));
	assert_ptr_equal(f, p1);
	tyrc_dma_fence_put(f);

	/* Everything up to 2 done: nothing left to wait for. */
	tyrc_dma_fence_signal(m[0]);
	f = find(head, 2, &ret);
	assert_int_equal(ret, 0);
	assert_null(f);
	f = find(head, 3, &ret);
	assert_ptr_equal(f, head);
	tyrc_dma_fence_put(f);

	tyrc_dma_fence_signal(m[2]);
	assert_int_equal(tyrc_dma_fence_get_status(head), 1);
	tyrc_dma_fence_put(p1);
	tyrc_dma_fence_put(p2);
	tyrc_dma_fence_put(head);
	for (int i = 0; i < 3; i++)
		tyrc_dma_fence_put(m[i]);
	releases_reset();
}

static void test_chain_out_of_order(void **state)
{
	struct tyrc_dma_fence *m[4], *head = chain_build(m, 4);
	struct tyrc_dma_fence *p3 = tyrc_dma_fence_chain_get_prev(tyrc_to_dma_fence_chain(head));

	tyrc_dma_fence_enable_sw_signaling(head);
	tyrc_dma_fence_enable_sw_signaling(p3);
	/* Newest first: nothing may signal while point 1 is pending. */
	tyrc_dma_fence_set_error(m[3], -EIO);
	tyrc_dma_fence_signal(m[3]);
	tyrc_dma_fence_signal(m[2]);
	tyrc_dma_fence_signal(m[1]);
	assert_int_equal(tyrc_dma_fence_wait_timeout(head, TEST_NEGATIVE_NS), 0);
	assert_false(tyrc_dma_fence_is_signaled(p3));
	tyrc_dma_fence_signal(m[0]);
	assert_true(tyrc_dma_fence_wait_timeout(head, TEST_TIMEOUT_NS) > 0);
	assert_true(tyrc_dma_fence_wait_timeout(p3, TEST_TIMEOUT_NS) > 0);
	/* A chain node reports no error of its own. */
	assert_int_equal(tyrc_dma_fence_get_status(head), 1);
	tyrc_dma_fence_put(p3);
	tyrc_dma_fence_put(head);
	for (int i = 0; i < 4; i++)
		tyrc_dma_fence_put(m[i]);
	releases_reset();
}

static void test_chain_signaled_without_waiter(void **state)
{
	struct tyrc_dma_fence *m[2], *head = chain_build(m, 2);

	tyrc_dma_fence_signal(m[1]);
	assert_false(tyrc_dma_fence_is_signaled(head));
	tyrc_dma_fence_signal(m[0]);
	/* The signaled op walks the chain. */
	assert_true(tyrc_dma_fence_is_signaled(head));
	tyrc_dma_fence_put(head);
	for (int i = 0; i < 2; i++)
		tyrc_dma_fence_put(m[i]);
	releases_reset();
}

#define LONG_CHAIN 20000

static void test_chain_long_release(void **state)
{
	struct tyrc_dma_fence *head = NULL;

	/* Released iteratively, not one stack frame per node. */
	for (int i = 0; i < LONG_CHAIN; i++) {
		struct tyrc_dma_fence_chain *c = tyrc_dma_fence_chain_alloc();

		assert_non_null(c);
		tyrc_dma_fence_chain_init(c, head, tyrc_dma_fence_allocate_private_stub(1),
					  (u64)i + 1);
		head = &c->base;
	}
	/* No walk before the put: every node is still linked. */
	assert_true(tyrc_dma_fence_test_signaled_flag(tyrc_dma_fence_chain_contained(head)));
	tyrc_dma_fence_put(head);
}

/* ------------------------------------------------------------------------
 * Stress: racing signallers, waiters, callback adders and removers.
 */

#define STRESS_FENCES 48
#define STRESS_ROUNDS 30
#define STRESS_THREADS 6

struct stress {
	pthread_barrier_t start;
	struct tyrc_spinlock timeline_lock;
	struct tyrc_dma_fence *f[STRESS_FENCES];
	struct tyrc_dma_fence *any, *all, *chain;
	int signal_wins;
	int cbs_added;
	int cbs_removed;
	int cbs_run;
	int failures;
};

struct stress_cb {
	struct tyrc_dma_fence_cb cb;
	struct stress *s;
};

static void stress_cb_func(struct tyrc_dma_fence *f, struct tyrc_dma_fence_cb *cb)
{
	struct stress_cb *scb = container_of(cb, struct stress_cb, cb);

	(void)f;
	__atomic_add_fetch(&scb->s->cbs_run, 1, __ATOMIC_RELAXED);
}

struct stress_thread {
	struct stress *s;
	int id;
	struct stress_cb cbs[STRESS_FENCES];
};

static void *stress_worker(void *arg)
{
	struct stress_thread *t = arg;
	struct stress *s = t->s;

	pthread_barrier_wait(&s->start);
	for (int k = 0; k < STRESS_FENCES; k++) {
		/* Each thread visits every fence once, from its own starting point. */
		int i = (k + 7 * t->id) % STRESS_FENCES;
		struct tyrc_dma_fence *f = s->f[i];

		switch ((t->id + k) % 3) {
		case 0:
			if (tyrc_dma_fence_signal(f) == 0)
				__atomic_add_fetch(&s->signal_wins, 1, __ATOMIC_RELAXED);
			break;
		case 1:
			t->cbs[i].s = s;
			if (tyrc_dma_fence_add_callback(f, &t->cbs[i].cb, stress_cb_func) == 0) {
				__atomic_add_fetch(&s->cbs_added, 1, __ATOMIC_RELAXED);
				if ((k & 1) && tyrc_dma_fence_remove_callback(f, &t->cbs[i].cb))
					__atomic_add_fetch(&s->cbs_removed, 1, __ATOMIC_RELAXED);
			}
			break;
		default:
			if (tyrc_dma_fence_wait_timeout(f, 50 * NSEC_PER_USEC) == 0)
				tyrc_dma_fence_get_status(f);
			break;
		}
	}
	/* Whatever this thread did not signal, someone will: wait for all. */
	for (int i = 0; i < STRESS_FENCES; i++)
		if (tyrc_dma_fence_signal(s->f[i]) == 0)
			__atomic_add_fetch(&s->signal_wins, 1, __ATOMIC_RELAXED);
	if (tyrc_dma_fence_wait_timeout(s->all, TEST_TIMEOUT_NS) <= 0 ||
	    tyrc_dma_fence_wait_timeout(s->any, TEST_TIMEOUT_NS) <= 0 ||
	    tyrc_dma_fence_wait_timeout(s->chain, TEST_TIMEOUT_NS) <= 0)
		__atomic_add_fetch(&s->failures, 1, __ATOMIC_RELAXED);
	return NULL;
}

static void stress_round(struct stress_thread *threads)
{
	struct stress *s = threads[0].s;
	pthread_t th[STRESS_THREADS];
	struct tyrc_dma_fence *head = NULL;
	u64 own_ctx = tyrc_dma_fence_context_alloc(1);

	memset(s->f, 0, sizeof(s->f));
	s->signal_wins = s->cbs_added = s->cbs_removed = s->cbs_run = s->failures = 0;
	for (int i = 0; i < STRESS_FENCES; i++) {
		/* Half share a timeline lock, half have their own. */
		struct tyrc_spinlock *lock = (i & 1) ? &s->timeline_lock : NULL;

		s->f[i] = &test_fence_new(lock, own_ctx, (u64)i + 1)->base;
	}
	s->all = &tyrc_dma_fence_array_create(STRESS_FENCES, fence_vec(s->f, STRESS_FENCES),
					      tyrc_dma_fence_context_alloc(1), 1, false)
			  ->base;
	s->any = &tyrc_dma_fence_array_create(STRESS_FENCES, fence_vec(s->f, STRESS_FENCES),
					      tyrc_dma_fence_context_alloc(1), 1, true)
			  ->base;
	for (int i = 0; i < STRESS_FENCES; i++) {
		struct tyrc_dma_fence_chain *c = tyrc_dma_fence_chain_alloc();

		assert_non_null(c);
		tyrc_dma_fence_chain_init(c, head, tyrc_dma_fence_get(s->f[i]), (u64)i + 1);
		head = &c->base;
	}
	s->chain = head;

	for (int i = 0; i < STRESS_THREADS; i++)
		assert_int_equal(pthread_create(&th[i], NULL, stress_worker, &threads[i]), 0);
	for (int i = 0; i < STRESS_THREADS; i++)
		pthread_join(th[i], NULL);

	assert_int_equal(s->failures, 0);
	/* Exactly one successful signal per fence across all threads. */
	assert_int_equal(s->signal_wins, STRESS_FENCES);
	assert_int_equal(s->cbs_run, s->cbs_added - s->cbs_removed);
	for (int i = 0; i < STRESS_FENCES; i++) {
		assert_int_equal(tyrc_dma_fence_get_status(s->f[i]), 1);
		tyrc_dma_fence_put(s->f[i]);
	}
	tyrc_dma_fence_put(s->all);
	tyrc_dma_fence_put(s->any);
	tyrc_dma_fence_put(s->chain);
}

static void test_stress(void **state)
{
	struct stress s;
	struct stress_thread *threads = calloc(STRESS_THREADS, sizeof(*threads));

	assert_non_null(threads);
	memset(&s, 0, sizeof(s));
	tyrc_spin_lock_init(&s.timeline_lock);
	assert_int_equal(pthread_barrier_init(&s.start, NULL, STRESS_THREADS), 0);
	for (int i = 0; i < STRESS_THREADS; i++) {
		threads[i].s = &s;
		threads[i].id = i;
	}
	for (int r = 0; r < STRESS_ROUNDS; r++)
		stress_round(threads);
	pthread_barrier_destroy(&s.start);
	tyrc_mutex_destroy(&s.timeline_lock);
	free(threads);
	releases_reset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_init_get_put, teardown_check),
		cmocka_unit_test_teardown(test_signal_once, teardown_check),
		cmocka_unit_test_teardown(test_set_error, teardown_check),
		cmocka_unit_test_teardown(test_callbacks_order_and_enoent, teardown_check),
		cmocka_unit_test_teardown(test_remove_callback, teardown_check),
		cmocka_unit_test_teardown(test_remove_from_callback, teardown_check),
		cmocka_unit_test_teardown(test_remove_waits_for_running_callback, teardown_check),
		cmocka_unit_test_teardown(test_callback_drops_last_ref, teardown_check),
		cmocka_unit_test_teardown(test_release_with_pending_callback, teardown_check),
		cmocka_unit_test_teardown(test_ops_enable_and_signaled, teardown_check),
		cmocka_unit_test_teardown(test_signal_locked_shared_lock, teardown_check),
		cmocka_unit_test_teardown(test_wait_timeout_expires, teardown_check),
		cmocka_unit_test_teardown(test_wait_signalled_from_other_thread, teardown_check),
		cmocka_unit_test_teardown(test_seqno_compare, teardown_check),
		cmocka_unit_test_teardown(test_compare_other_context_aborts, teardown_check),
		cmocka_unit_test_teardown(test_stub, teardown_check),
		cmocka_unit_test_teardown(test_array_all, teardown_check),
		cmocka_unit_test_teardown(test_array_any, teardown_check),
		cmocka_unit_test_teardown(test_array_empty, teardown_check),
		cmocka_unit_test_teardown(test_array_members_signalled_before, teardown_check),
		cmocka_unit_test_teardown(test_array_of_arrays, teardown_check),
		cmocka_unit_test_teardown(test_chain_init_contexts, teardown_check),
		cmocka_unit_test_teardown(test_chain_find_seqno, teardown_check),
		cmocka_unit_test_teardown(test_chain_out_of_order, teardown_check),
		cmocka_unit_test_teardown(test_chain_signaled_without_waiter, teardown_check),
		cmocka_unit_test_teardown(test_chain_long_release, teardown_check),
		cmocka_unit_test_teardown(test_stress, teardown_check),
	};

	return cmocka_run_group_tests_name("dma_fence", tests, NULL, NULL);
}
