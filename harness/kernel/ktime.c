// SPDX-License-Identifier: MIT
/* Monotonic clocks and short sleeps. */
#include <time.h>

#include <tyrc/ktime.h>
#include <tyrc/log.h>

static u64 clock_ns(clockid_t id)
{
	struct timespec ts;

	TYRC_BUG_ON(clock_gettime(id, &ts));
	return (u64)ts.tv_sec * NSEC_PER_SEC + (u64)ts.tv_nsec;
}

u64 tyrc_ktime_get_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

u64 tyrc_ktime_get_raw_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC_RAW);
}

void tyrc_usleep(u64 us)
{
	struct timespec ts = {
		.tv_sec = (time_t)(us / 1000000),
		.tv_nsec = (long)(us % 1000000) * 1000,
	};

	/* Resume after signals so the caller gets at least the time asked. */
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}
