/* SPDX-License-Identifier: MIT */
/*
 * ID allocator / sparse array (xarray-like): maps u32 ids to pointers and
 * hands out the lowest free id in a range. Internally locked; use
 * tyrc_xa_lock() around a load + get so the object cannot vanish between them.
 */
#ifndef TYRC_XARRAY_H
#define TYRC_XARRAY_H

#include "lock.h"

/** struct tyrc_xa - id → pointer map. */
struct tyrc_xa {
	/** @lock: protects @entries, @size, @count. */
	struct tyrc_mutex lock;
	/** @entries: slot i holds id i; NULL = free. */
	void **entries;
	/** @size: number of slots allocated in @entries. */
	u32 size;
	/** @count: number of used ids (@lock). */
	u32 count;
};

void tyrc_xa_init(struct tyrc_xa *xa);
/** tyrc_xa_destroy() - free the storage (the entries themselves are the caller's). */
void tyrc_xa_destroy(struct tyrc_xa *xa);
/**
 * tyrc_xa_alloc() - store @entry (non-NULL) at the lowest free id in [@min, @max].
 * Return: 0 with *@id set, -EBUSY if the range is full (or empty: @min > @max),
 * -EINVAL if @entry is NULL, -ENOMEM (also for an id of U32_MAX, which the
 * storage cannot hold).
 */
int tyrc_xa_alloc(struct tyrc_xa *xa, u32 *id, void *entry, u32 min, u32 max);
/** tyrc_xa_load() - the entry at @id or NULL. */
void *tyrc_xa_load(struct tyrc_xa *xa, u32 id);
/** tyrc_xa_erase() - remove and return the entry at @id (NULL if none). */
void *tyrc_xa_erase(struct tyrc_xa *xa, u32 id);
/** tyrc_xa_count() - number of ids in use. */
u32 tyrc_xa_count(struct tyrc_xa *xa);
/** tyrc_xa_find() - first used id >= *@id; Return: its entry and *@id, or NULL at the end. */
void *tyrc_xa_find(struct tyrc_xa *xa, u32 *id);

void tyrc_xa_lock(struct tyrc_xa *xa);
void tyrc_xa_unlock(struct tyrc_xa *xa);
/* Variants for callers that hold tyrc_xa_lock(). */
void *tyrc_xa_load_locked(struct tyrc_xa *xa, u32 id);
void *tyrc_xa_erase_locked(struct tyrc_xa *xa, u32 id);

/* Visit every entry in id order; safe against erasing the current one. */
#define tyrc_xa_for_each(xa, index, entry) \
	for (index = 0; (entry = tyrc_xa_find(xa, &index)) != NULL; index++)

#endif /* TYRC_XARRAY_H */
