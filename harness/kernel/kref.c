// SPDX-License-Identifier: MIT
/*
 * Atomic reference counts. get on a released object and put below zero are
 * bugs (TYRC_BUG_ON aborts), so a broken get/put pairing dies where it
 * happens rather than as a use-after-free later.
 */
#include <limits.h>

#include <tyrc/kref.h>
#include <tyrc/log.h>

void tyrc_kref_init(struct tyrc_kref *kref)
{
	__atomic_store_n(&kref->refcount, 1, __ATOMIC_RELAXED);
}

void tyrc_kref_get(struct tyrc_kref *kref)
{
	unsigned int old = __atomic_fetch_add(&kref->refcount, 1, __ATOMIC_RELAXED);

	TYRC_BUG_ON(old == 0);
	TYRC_BUG_ON(old == UINT_MAX);
}

bool tyrc_kref_get_unless_zero(struct tyrc_kref *kref)
{
	unsigned int old = __atomic_load_n(&kref->refcount, __ATOMIC_RELAXED);

	do {
		if (old == 0)
			return false;
		TYRC_BUG_ON(old == UINT_MAX);
	} while (!__atomic_compare_exchange_n(&kref->refcount, &old, old + 1, true,
					      __ATOMIC_ACQUIRE, __ATOMIC_RELAXED));
	return true;
}

int tyrc_kref_put(struct tyrc_kref *kref, void (*release)(struct tyrc_kref *kref))
{
	/* Release orders our accesses before the free; acquire pairs on the last put. */
	unsigned int old = __atomic_fetch_sub(&kref->refcount, 1, __ATOMIC_ACQ_REL);

	TYRC_BUG_ON(old == 0);
	if (old != 1)
		return 0;
	release(kref);
	return 1;
}

unsigned int tyrc_kref_read(const struct tyrc_kref *kref)
{
	return __atomic_load_n(&kref->refcount, __ATOMIC_RELAXED);
}
