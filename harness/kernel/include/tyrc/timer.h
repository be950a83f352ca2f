/* SPDX-License-Identifier: MIT */
/*
 * High-resolution one-shot timers (hrtimer-like). Callbacks run on a timer
 * thread, one at a time, in expiry order; they may re-arm their own timer.
 */
#ifndef TYRC_TIMER_H
#define TYRC_TIMER_H

#include "list.h"

struct tyrc_timer;
typedef void (*tyrc_timer_fn)(struct tyrc_timer *timer);

/** struct tyrc_timer - one pending or idle timer; embed it and use container_of. */
struct tyrc_timer {
	/** @node: link in the timer base's sorted list (timer base lock). */
	struct tyrc_list_head node;
	/** @expires: absolute CLOCK_MONOTONIC deadline in ns (timer base lock). */
	u64 expires;
	/** @fn: callback, run on the timer thread. */
	tyrc_timer_fn fn;
	/** @queued: true while in the sorted list (timer base lock). */
	bool queued;
};

/** tyrc_timer_init() - prepare an idle timer that will call @fn. */
void tyrc_timer_init(struct tyrc_timer *timer, tyrc_timer_fn fn);
/** tyrc_timer_start() - (re-)arm @timer to fire at absolute time @expires_ns. */
void tyrc_timer_start(struct tyrc_timer *timer, u64 expires_ns);
/** tyrc_timer_start_rel() - (re-)arm @timer to fire @delay_ns from now. */
void tyrc_timer_start_rel(struct tyrc_timer *timer, u64 delay_ns);
/**
 * tyrc_timer_cancel() - disarm @timer and wait for a running callback of it to
 * finish (re-disarming it if that callback re-armed it). Called from a timer
 * callback (its own or another timer's) it only disarms and never waits.
 * Must not be called with a lock the callback takes.
 * Return: true if it was armed.
 */
bool tyrc_timer_cancel(struct tyrc_timer *timer);
/**
 * tyrc_timer_try_cancel() - disarm @timer without waiting for a running
 * callback (like hrtimer_try_to_cancel(), but always disarms); safe under
 * locks the callback takes. Return: true if it was armed.
 */
bool tyrc_timer_try_cancel(struct tyrc_timer *timer);
/** tyrc_timer_is_queued() - true while armed and not yet fired. */
bool tyrc_timer_is_queued(struct tyrc_timer *timer);

#endif /* TYRC_TIMER_H */
