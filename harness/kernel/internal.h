/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the kernel-service implementation files only (not part
 * of the public API): monotonic condition variables and deadline handling.
 */
#ifndef TYRC_KERNEL_INTERNAL_H
#define TYRC_KERNEL_INTERNAL_H

#include <pthread.h>
#include <string.h>
#include <time.h>

#include <tyrc/log.h>

/* kernel_cond_init() - a condition variable whose timed waits use CLOCK_MONOTONIC. */
static inline void kernel_cond_init(pthread_cond_t *cond)
{
	pthread_condattr_t attr;

	TYRC_BUG_ON(pthread_condattr_init(&attr));
	TYRC_BUG_ON(pthread_condattr_setclock(&attr, CLOCK_MONOTONIC));
	TYRC_BUG_ON(pthread_cond_init(cond, &attr));
	pthread_condattr_destroy(&attr);
}

/*
 * kernel_cond_wait_until() - wait on @cond until signalled or the absolute
 * CLOCK_MONOTONIC time @deadline_ns; UINT64_MAX waits without a deadline.
 * Return: false if the deadline passed. Spurious wake-ups return true, so
 * callers loop on their own predicate.
 */
static inline bool kernel_cond_wait_until(pthread_cond_t *cond, pthread_mutex_t *lock,
					  u64 deadline_ns)
{
	struct timespec ts;
	int ret;

	if (deadline_ns == UINT64_MAX) {
		TYRC_BUG_ON(pthread_cond_wait(cond, lock));
		return true;
	}
	ts.tv_sec = (time_t)(deadline_ns / NSEC_PER_SEC);
	ts.tv_nsec = (long)(deadline_ns % NSEC_PER_SEC);
	ret = pthread_cond_timedwait(cond, lock, &ts);
	TYRC_BUG_ON(ret && ret != ETIMEDOUT);
	return ret == 0;
}

/* kernel_thread_name() - name the calling thread "@prefix@name" (truncated to 15 chars). */
static inline void kernel_thread_name(const char *prefix, const char *name)
{
	char buf[16];
	size_t n = 0;

	/* Linux limits thread names to 15 characters plus the NUL. */
	for (const char *s = prefix; *s && n < sizeof(buf) - 1; s++)
		buf[n++] = *s;
	for (const char *s = name ? name : ""; *s && n < sizeof(buf) - 1; s++)
		buf[n++] = *s;
	buf[n] = '\0';
	pthread_setname_np(pthread_self(), buf);
}

#endif /* TYRC_KERNEL_INTERNAL_H */
