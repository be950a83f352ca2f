/* SPDX-License-Identifier: MIT */
/* Monotonic time in nanoseconds and short sleeps for register polling. */
#ifndef TYRC_KTIME_H
#define TYRC_KTIME_H

#include "types.h"

/** tyrc_ktime_get_ns() - CLOCK_MONOTONIC in nanoseconds. */
u64 tyrc_ktime_get_ns(void);
/** tyrc_ktime_get_raw_ns() - CLOCK_MONOTONIC_RAW in nanoseconds. */
u64 tyrc_ktime_get_raw_ns(void);
/** tyrc_usleep() - sleep about @us microseconds (polling loops only, never as synchronisation). */
void tyrc_usleep(u64 us);

#endif /* TYRC_KTIME_H */
