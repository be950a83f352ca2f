// SPDX-License-Identifier: MIT
/*
 * Wait queues built on a sequence counter.
 *
 * A waiter samples @seq, evaluates its condition without any wait-queue lock
 * and, if false, sleeps until @seq moves. A waker makes the condition true
 * first and then bumps @seq under @lock and broadcasts. If the wake-up lands
 * between the sample and the sleep, the sleeper sees the new @seq under
 * @lock and returns at once, so no wake-up is lost; if it lands after the
 * sleeper blocked, the broadcast wakes it.
 */
#include <tyrc/wait.h>
#include <tyrc/log.h>

#include "internal.h"

void tyrc_waitqueue_init(struct tyrc_waitqueue *wq)
{
	TYRC_BUG_ON(pthread_mutex_init(&wq->lock, NULL));
	kernel_cond_init(&wq->cond);
	__atomic_store_n(&wq->seq, 0, __ATOMIC_RELAXED);
}

void tyrc_waitqueue_destroy(struct tyrc_waitqueue *wq)
{
	TYRC_BUG_ON(pthread_cond_destroy(&wq->cond));
	TYRC_BUG_ON(pthread_mutex_destroy(&wq->lock));
}

void tyrc_wake_up_all(struct tyrc_waitqueue *wq)
{
	pthread_mutex_lock(&wq->lock);
	/* Release: a waiter that reads the new value also sees the condition. */
	__atomic_store_n(&wq->seq, wq->seq + 1, __ATOMIC_RELEASE);
	pthread_cond_broadcast(&wq->cond);
	pthread_mutex_unlock(&wq->lock);
}

u64 tyrc_waitqueue_seq(struct tyrc_waitqueue *wq)
{
	return __atomic_load_n(&wq->seq, __ATOMIC_ACQUIRE);
}

bool tyrc_waitqueue_sleep(struct tyrc_waitqueue *wq, u64 seq, u64 deadline_ns)
{
	bool woken = true;

	pthread_mutex_lock(&wq->lock);
	while (wq->seq == seq) {
		if (deadline_ns != UINT64_MAX && tyrc_ktime_get_ns() >= deadline_ns) {
			woken = false;
			break;
		}
		kernel_cond_wait_until(&wq->cond, &wq->lock, deadline_ns);
	}
	pthread_mutex_unlock(&wq->lock);
	return woken;
}
