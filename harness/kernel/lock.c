// SPDX-License-Identifier: MIT
/*
 * Mutexes with owner tracking. The pthread mutex is of the error-checking
 * type, so relocking and foreign unlocks are reported by pthread as well as
 * by the owner check; either way they are bugs and abort.
 */
#include <tyrc/lock.h>

_Static_assert(sizeof(pthread_t) <= sizeof(unsigned long), "pthread_t must fit the owner field");

static unsigned long self_id(void)
{
	return (unsigned long)pthread_self();
}

void tyrc_mutex_init(struct tyrc_mutex *m)
{
	pthread_mutexattr_t attr;

	TYRC_BUG_ON(pthread_mutexattr_init(&attr));
	TYRC_BUG_ON(pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK));
	TYRC_BUG_ON(pthread_mutex_init(&m->lock, &attr));
	pthread_mutexattr_destroy(&attr);
	__atomic_store_n(&m->owner, 0, __ATOMIC_RELAXED);
}

void tyrc_mutex_destroy(struct tyrc_mutex *m)
{
	/* Destroying a held mutex is a bug (pthread reports EBUSY). */
	TYRC_BUG_ON(__atomic_load_n(&m->owner, __ATOMIC_RELAXED) != 0);
	TYRC_BUG_ON(pthread_mutex_destroy(&m->lock));
}

void tyrc_mutex_lock(struct tyrc_mutex *m)
{
	TYRC_BUG_ON(tyrc_mutex_is_held(m)); /* recursive locking */
	TYRC_BUG_ON(pthread_mutex_lock(&m->lock));
	__atomic_store_n(&m->owner, self_id(), __ATOMIC_RELAXED);
}

bool tyrc_mutex_trylock(struct tyrc_mutex *m)
{
	int ret;

	TYRC_BUG_ON(tyrc_mutex_is_held(m)); /* would deadlock as a lock() */
	ret = pthread_mutex_trylock(&m->lock);
	if (ret == EBUSY)
		return false;
	TYRC_BUG_ON(ret);
	__atomic_store_n(&m->owner, self_id(), __ATOMIC_RELAXED);
	return true;
}

void tyrc_mutex_unlock(struct tyrc_mutex *m)
{
	TYRC_BUG_ON(!tyrc_mutex_is_held(m)); /* unlock by a non-owner */
	__atomic_store_n(&m->owner, 0, __ATOMIC_RELAXED);
	TYRC_BUG_ON(pthread_mutex_unlock(&m->lock));
}

bool tyrc_mutex_is_held(const struct tyrc_mutex *m)
{
	/*
	 * Only the owner ever stores its own id, so a relaxed load that
	 * returns our id cannot be stale in a way that matters.
	 */
	return __atomic_load_n(&m->owner, __ATOMIC_RELAXED) == self_id();
}
