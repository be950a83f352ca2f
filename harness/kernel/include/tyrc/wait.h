/* SPDX-License-Identifier: MIT */
/*
 * Wait queues. The condition is evaluated WITHOUT any wait-queue lock held
 * (as in Linux), so it may take the caller's own locks. Wakers set the
 * condition first, then call tyrc_wake_up_all(); a sequence number makes a
 * wake-up between the waiter's check and its sleep impossible to lose.
 */
#ifndef TYRC_WAIT_H
#define TYRC_WAIT_H

#include <pthread.h>
#include "ktime.h"

/** struct tyrc_waitqueue - threads sleeping until some condition holds. */
struct tyrc_waitqueue {
	/** @lock: protects @seq and pairs with @cond. */
	pthread_mutex_t lock;
	/** @cond: signalled on every wake-up (CLOCK_MONOTONIC). */
	pthread_cond_t cond;
	/** @seq: bumped by each wake-up, under @lock; sampled locklessly (acquire). */
	u64 seq;
};

void tyrc_waitqueue_init(struct tyrc_waitqueue *wq);
void tyrc_waitqueue_destroy(struct tyrc_waitqueue *wq);
/** tyrc_wake_up_all() - wake every waiter of @wq so it re-checks its condition. */
void tyrc_wake_up_all(struct tyrc_waitqueue *wq);

/* Internal halves of the wait macros. */
u64 tyrc_waitqueue_seq(struct tyrc_waitqueue *wq);
/*
 * Sleep until @wq->seq != @seq or @deadline_ns (absolute CLOCK_MONOTONIC; UINT64_MAX =
 * never) passes. Return: false on timeout.
 */
bool tyrc_waitqueue_sleep(struct tyrc_waitqueue *wq, u64 seq, u64 deadline_ns);

/*
 * Absolute deadline @timeout_ns from now, saturating at UINT64_MAX (which the
 * sleep treats as "no deadline") so a huge timeout cannot wrap into the past.
 */
static inline u64 tyrc_wait_deadline(u64 timeout_ns)
{
	u64 now = tyrc_ktime_get_ns();

	return timeout_ns > UINT64_MAX - now ? UINT64_MAX : now + timeout_ns;
}

/**
 * tyrc_wait_event_timeout() - sleep until @condition is true or @timeout_ns elapses.
 * Return: 0 if the condition is still false after the timeout, otherwise the
 * remaining time in ns (at least 1), like wait_event_timeout().
 */
#define tyrc_wait_event_timeout(wq, condition, timeout_ns)                           \
	({                                                                           \
		u64 __deadline = tyrc_wait_deadline(timeout_ns);                     \
		u64 __ret = 0;                                                       \
		for (;;) {                                                           \
			u64 __seq = tyrc_waitqueue_seq(wq);                          \
			if (condition) {                                             \
				u64 __now = tyrc_ktime_get_ns();                     \
				__ret = __now < __deadline ? __deadline - __now : 1; \
				break;                                               \
			}                                                            \
			if (!tyrc_waitqueue_sleep(wq, __seq, __deadline)) {          \
				__ret = (condition) ? 1 : 0;                         \
				break;                                               \
			}                                                            \
		}                                                                    \
		__ret;                                                               \
	})

/** tyrc_wait_event() - sleep until @condition is true, with no timeout. */
#define tyrc_wait_event(wq, condition)                               \
	do {                                                         \
		for (;;) {                                           \
			u64 __seq = tyrc_waitqueue_seq(wq);          \
			if (condition)                               \
				break;                               \
			tyrc_waitqueue_sleep(wq, __seq, UINT64_MAX); \
		}                                                    \
	} while (0)

#endif /* TYRC_WAIT_H */
