/* SPDX-License-Identifier: MIT */
/*
 * Sleeping locks. Both mutexes and "spinlocks" are pthread mutexes (spinning
 * on a 2-core box with preemptible threads only burns time), but each keeps
 * its owner so that _locked functions can assert ownership.
 */
#ifndef TYRC_LOCK_H
#define TYRC_LOCK_H

#include <pthread.h>
#include "log.h"

/** struct tyrc_mutex - a non-recursive mutex that knows its owner. */
struct tyrc_mutex {
	/** @lock: the underlying pthread mutex (error-checking type). */
	pthread_mutex_t lock;
	/** @owner: thread holding the lock, 0 when free; read for assertions only. */
	unsigned long owner;
};

/** tyrc_mutex_init() - prepare an unlocked mutex. */
void tyrc_mutex_init(struct tyrc_mutex *m);
/** tyrc_mutex_destroy() - release @m's resources; destroying a held mutex is a bug. */
void tyrc_mutex_destroy(struct tyrc_mutex *m);
/** tyrc_mutex_lock() - take @m, sleeping if needed; relocking by the owner is a bug. */
void tyrc_mutex_lock(struct tyrc_mutex *m);
/** tyrc_mutex_trylock() - Return: true if the lock was taken. */
bool tyrc_mutex_trylock(struct tyrc_mutex *m);
/** tyrc_mutex_unlock() - release @m; unlocking a mutex the caller does not hold is a bug. */
void tyrc_mutex_unlock(struct tyrc_mutex *m);
/** tyrc_mutex_is_held() - true if the calling thread owns @m. */
bool tyrc_mutex_is_held(const struct tyrc_mutex *m);

/* Assert the caller holds @m (use at the top of every _locked function). */
#define tyrc_lockdep_assert_held(m) TYRC_BUG_ON(!tyrc_mutex_is_held(m))

/* Short critical sections that never sleep on anything else. */
#define tyrc_spinlock tyrc_mutex
#define tyrc_spin_lock_init tyrc_mutex_init
#define tyrc_spin_lock tyrc_mutex_lock
#define tyrc_spin_unlock tyrc_mutex_unlock

#endif /* TYRC_LOCK_H */
