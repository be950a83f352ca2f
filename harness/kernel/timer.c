// SPDX-License-Identifier: MIT
/*
 * DOC: Timers
 *
 * One timer base per process, created lazily (pthread_once) by the first
 * timer operation and living until exit: a sorted list of armed timers and a
 * detached thread that sleeps until the earliest expiry and runs callbacks
 * one at a time, in expiry order, without the base lock held. The base is
 * the only global mutable state of this file.
 *
 * Callbacks may re-arm their own timer and arm or cancel other timers.
 * tyrc_timer_cancel() waits for a running callback of that timer, except
 * when called on the timer thread itself (from a callback): the thread runs
 * one callback at a time, so the only callback that can be running then is
 * the caller's own, and waiting for it would deadlock; the cancel then just
 * disarms.
 *
 * Lock order: callers' locks -> base.lock. Callbacks run with no base lock.
 */
#include <tyrc/timer.h>
#include <tyrc/ktime.h>
#include <tyrc/log.h>

#include "internal.h"

/**
 * struct timer_base - the process-wide timer list and its thread.
 */
struct timer_base {
	/** @lock: guards @list, @running and every timer's @node, @expires, @queued. */
	pthread_mutex_t lock;
	/** @wake: tells the thread that the head of @list changed (@lock). */
	pthread_cond_t wake;
	/** @done: broadcast when @running's callback returns (@lock). */
	pthread_cond_t done;
	/** @list: armed timers sorted by @expires, ties in arming order (@lock). */
	struct tyrc_list_head list;
	/**
	 * @running: timer whose callback is executing, NULL if none (@lock).
	 * Compared by address only: the callback may have freed it.
	 */
	struct tyrc_timer *running;
	/** @thread: the timer thread, set once at creation. */
	pthread_t thread;
};

static struct timer_base base;
static pthread_once_t base_once = PTHREAD_ONCE_INIT;

static void *timer_thread(void *arg)
{
	kernel_thread_name("tyrc-timer", NULL);
	pthread_mutex_lock(&base.lock);
	for (;;) {
		struct tyrc_timer *t;
		tyrc_timer_fn fn;

		if (tyrc_list_empty(&base.list)) {
			kernel_cond_wait_until(&base.wake, &base.lock, UINT64_MAX);
			continue;
		}
		t = tyrc_list_first_entry(&base.list, struct tyrc_timer, node);
		if (t->expires > tyrc_ktime_get_ns()) {
			kernel_cond_wait_until(&base.wake, &base.lock, t->expires);
			continue;
		}
		tyrc_list_del_init(&t->node);
		t->queued = false;
		base.running = t;
		fn = t->fn;
		pthread_mutex_unlock(&base.lock);

		fn(t);

		pthread_mutex_lock(&base.lock);
		base.running = NULL;
		pthread_cond_broadcast(&base.done);
	}
	return NULL;
}

static void base_init(void)
{
	pthread_attr_t attr;

	TYRC_BUG_ON(pthread_mutex_init(&base.lock, NULL));
	kernel_cond_init(&base.wake);
	kernel_cond_init(&base.done);
	tyrc_list_init(&base.list);
	TYRC_BUG_ON(pthread_attr_init(&attr));
	TYRC_BUG_ON(pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED));
	TYRC_BUG_ON(pthread_create(&base.thread, &attr, timer_thread, NULL));
	pthread_attr_destroy(&attr);
}

static struct timer_base *base_get(void)
{
	pthread_once(&base_once, base_init);
	return &base;
}

static bool on_timer_thread(struct timer_base *b)
{
	return pthread_equal(pthread_self(), b->thread);
}

void tyrc_timer_init(struct tyrc_timer *timer, tyrc_timer_fn fn)
{
	tyrc_list_init(&timer->node);
	timer->expires = 0;
	timer->fn = fn;
	timer->queued = false;
}

/* Dequeue @timer if armed. Return: true if it was. */
static bool timer_dequeue_locked(struct tyrc_timer *timer)
{
	if (!timer->queued)
		return false;
	tyrc_list_del_init(&timer->node);
	timer->queued = false;
	return true;
}

void tyrc_timer_start(struct tyrc_timer *timer, u64 expires_ns)
{
	struct timer_base *b = base_get();
	struct tyrc_list_head *pos;

	TYRC_BUG_ON(!timer->fn);
	pthread_mutex_lock(&b->lock);
	timer_dequeue_locked(timer);
	timer->expires = expires_ns;
	/* Walk back from the tail: re-arms usually go last; ties keep arming order. */
	for (pos = b->list.prev; pos != &b->list; pos = pos->prev) {
		if (tyrc_list_entry(pos, struct tyrc_timer, node)->expires <= expires_ns)
			break;
	}
	tyrc_list_add(&timer->node, pos);
	timer->queued = true;
	if (b->list.next == &timer->node)
		pthread_cond_signal(&b->wake);
	pthread_mutex_unlock(&b->lock);
}

void tyrc_timer_start_rel(struct tyrc_timer *timer, u64 delay_ns)
{
	u64 now = tyrc_ktime_get_ns();

	tyrc_timer_start(timer, delay_ns > UINT64_MAX - now ? UINT64_MAX : now + delay_ns);
}

bool tyrc_timer_try_cancel(struct tyrc_timer *timer)
{
	struct timer_base *b = base_get();
	bool was_queued;

	pthread_mutex_lock(&b->lock);
	was_queued = timer_dequeue_locked(timer);
	pthread_mutex_unlock(&b->lock);
	return was_queued;
}

bool tyrc_timer_cancel(struct tyrc_timer *timer)
{
	struct timer_base *b = base_get();
	bool was_queued = false;

	pthread_mutex_lock(&b->lock);
	for (;;) {
		/* Dequeue again after each wait: the callback may have re-armed it. */
		if (timer_dequeue_locked(timer))
			was_queued = true;
		if (b->running != timer || on_timer_thread(b))
			break;
		kernel_cond_wait_until(&b->done, &b->lock, UINT64_MAX);
	}
	pthread_mutex_unlock(&b->lock);
	return was_queued;
}

bool tyrc_timer_is_queued(struct tyrc_timer *timer)
{
	struct timer_base *b = base_get();
	bool queued;

	pthread_mutex_lock(&b->lock);
	queued = timer->queued;
	pthread_mutex_unlock(&b->lock);
	return queued;
}
