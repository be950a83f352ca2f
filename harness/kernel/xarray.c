// SPDX-License-Identifier: MIT
/*
 * ID allocator over a growable pointer array. Ids come from xa_alloc-style
 * lowest-free allocation, so they stay dense and the array is sized by the
 * highest id in use, never by the @max of a range: a range of [0, U32_MAX]
 * costs nothing until ids are actually handed out.
 */
#include <stdlib.h>

#include <tyrc/xarray.h>

/* Smallest array allocated, in slots. */
#define XA_MIN_SLOTS 16U

void tyrc_xa_init(struct tyrc_xa *xa)
{
	tyrc_mutex_init(&xa->lock);
	xa->entries = NULL;
	xa->size = 0;
	xa->count = 0;
}

void tyrc_xa_destroy(struct tyrc_xa *xa)
{
	free(xa->entries);
	xa->entries = NULL;
	xa->size = 0;
	xa->count = 0;
	tyrc_mutex_destroy(&xa->lock);
}

void tyrc_xa_lock(struct tyrc_xa *xa)
{
	tyrc_mutex_lock(&xa->lock);
}

void tyrc_xa_unlock(struct tyrc_xa *xa)
{
	tyrc_mutex_unlock(&xa->lock);
}

/* Make slot @id exist. Return: 0 or -ENOMEM. */
static int xa_grow_locked(struct tyrc_xa *xa, u32 id)
{
	u64 want = (u64)id + 1;
	u64 new_size = tyrc_max((u64)xa->size * 2, (u64)XA_MIN_SLOTS);
	void **entries;

	if (want <= xa->size)
		return 0;
	if (new_size < want)
		new_size = want;
	/* @size is a u32: U32_MAX slots hold ids up to U32_MAX - 1. */
	if (new_size > UINT32_MAX)
		new_size = UINT32_MAX;
	if (new_size < want || new_size > SIZE_MAX / sizeof(void *))
		return -ENOMEM;
	entries = realloc(xa->entries, (size_t)new_size * sizeof(void *));
	if (!entries)
		return -ENOMEM;
	for (u64 i = xa->size; i < new_size; i++)
		entries[i] = NULL;
	xa->entries = entries;
	xa->size = (u32)new_size;
	return 0;
}

int tyrc_xa_alloc(struct tyrc_xa *xa, u32 *id, void *entry, u32 min, u32 max)
{
	u64 i;
	int ret;

	if (!entry)
		return -EINVAL;
	if (min > max)
		return -EBUSY;

	tyrc_mutex_lock(&xa->lock);
	/* Every id at or above @size is free, so the scan stops there. */
	for (i = min; i <= max && i < xa->size; i++) {
		if (!xa->entries[i])
			break;
	}
	if (i > max) {
		ret = -EBUSY;
		goto out_unlock;
	}
	ret = xa_grow_locked(xa, (u32)i);
	if (ret)
		goto out_unlock;
	xa->entries[i] = entry;
	xa->count++;
	*id = (u32)i;
out_unlock:
	tyrc_mutex_unlock(&xa->lock);
	return ret;
}

void *tyrc_xa_load_locked(struct tyrc_xa *xa, u32 id)
{
	tyrc_lockdep_assert_held(&xa->lock);
	return id < xa->size ? xa->entries[id] : NULL;
}

void *tyrc_xa_load(struct tyrc_xa *xa, u32 id)
{
	void *entry;

	tyrc_mutex_lock(&xa->lock);
	entry = tyrc_xa_load_locked(xa, id);
	tyrc_mutex_unlock(&xa->lock);
	return entry;
}

void *tyrc_xa_erase_locked(struct tyrc_xa *xa, u32 id)
{
	void *entry;

	tyrc_lockdep_assert_held(&xa->lock);
	if (id >= xa->size || !xa->entries[id])
		return NULL;
	entry = xa->entries[id];
	xa->entries[id] = NULL;
	xa->count--;
	return entry;
}

void *tyrc_xa_erase(struct tyrc_xa *xa, u32 id)
{
	void *entry;

	tyrc_mutex_lock(&xa->lock);
	entry = tyrc_xa_erase_locked(xa, id);
	tyrc_mutex_unlock(&xa->lock);
	return entry;
}

u32 tyrc_xa_count(struct tyrc_xa *xa)
{
	u32 count;

	tyrc_mutex_lock(&xa->lock);
	count = xa->count;
	tyrc_mutex_unlock(&xa->lock);
	return count;
}

void *tyrc_xa_find(struct tyrc_xa *xa, u32 *id)
{
	void *entry = NULL;

	tyrc_mutex_lock(&xa->lock);
	for (u32 i = *id; i < xa->size; i++) {
		if (xa->entries[i]) {
			entry = xa->entries[i];
			*id = i;
			break;
		}
	}
	tyrc_mutex_unlock(&xa->lock);
	return entry;
}
