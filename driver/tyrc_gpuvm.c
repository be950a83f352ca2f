// SPDX-License-Identifier: MIT
/*
 * gpuvm range tracking: a sorted array of non-overlapping mappings and the
 * split/merge step lists of drm_gpuvm (see tyrc_gpuvm.h).
 */
#include <stdlib.h>
#include <string.h>

#include <tyrc/kernel.h>
#include "tyrc_gpuvm.h"

void tyrc_gpuvm_init(struct tyrc_gpuvm *gpuvm, u64 start, u64 range)
{
	memset(gpuvm, 0, sizeof(*gpuvm));
	gpuvm->mm_start = start;
	gpuvm->mm_range = range;
}

void tyrc_gpuvm_fini(struct tyrc_gpuvm *gpuvm)
{
	TYRC_WARN_ON(gpuvm->count);
	free(gpuvm->vas);
	gpuvm->vas = NULL;
	gpuvm->count = gpuvm->cap = 0;
}

bool tyrc_gpuvm_range_valid(const struct tyrc_gpuvm *gpuvm, u64 addr, u64 range)
{
	u64 end, mm_end = gpuvm->mm_start + gpuvm->mm_range;

	if (!range || check_add_overflow(addr, range, &end))
		return false;
	return addr >= gpuvm->mm_start && end <= mm_end;
}

static u64 tyrc_gpuva_end(const struct tyrc_gpuva *va)
{
	return va->va + va->range;
}

/* Index of the first mapping ending after @addr (count if none): ends are sorted too. */
static u32 tyrc_gpuvm_first_index(const struct tyrc_gpuvm *gpuvm, u64 addr)
{
	u32 lo = 0, hi = gpuvm->count;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (tyrc_gpuva_end(gpuvm->vas[mid]) > addr)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

struct tyrc_gpuva *tyrc_gpuvm_find_first(const struct tyrc_gpuvm *gpuvm, u64 addr, u64 range)
{
	u32 i = tyrc_gpuvm_first_index(gpuvm, addr);

	if (i == gpuvm->count || gpuvm->vas[i]->va >= addr + range)
		return NULL;
	return gpuvm->vas[i];
}

struct tyrc_gpuva *tyrc_gpuvm_find(const struct tyrc_gpuvm *gpuvm, u64 addr, u64 range)
{
	struct tyrc_gpuva *va = tyrc_gpuvm_find_first(gpuvm, addr, range);

	return va && va->va == addr && va->range == range ? va : NULL;
}

struct tyrc_gpuva *tyrc_gpuvm_lookup(const struct tyrc_gpuvm *gpuvm, u64 addr)
{
	return tyrc_gpuvm_find_first(gpuvm, addr, 1);
}

static struct tyrc_gpuva *tyrc_gpuva_new(u64 va, u64 range, void *obj, u64 offset, u32 flags)
{
	struct tyrc_gpuva *gva = malloc(sizeof(*gva));

	if (gva)
		*gva = (struct tyrc_gpuva){
			.va = va, .range = range, .obj = obj, .offset = offset, .flags = flags
		};
	return gva;
}

static int tyrc_gpuvm_reserve(struct tyrc_gpuvm *gpuvm, u32 needed)
{
	struct tyrc_gpuva **vas;
	u32 cap;

	if (needed <= gpuvm->cap)
		return 0;
	cap = tyrc_max(needed, gpuvm->cap ? gpuvm->cap * 2 : 16u);
	vas = realloc(gpuvm->vas, (size_t)cap * sizeof(*vas));
	if (!vas)
		return -ENOMEM;
	gpuvm->vas = vas;
	gpuvm->cap = cap;
	return 0;
}

/*
 * The steps shared by MAP and UNMAP: one UNMAP or REMAP per mapping
 * overlapping [@addr, @end), remnants allocated now. A MAP request
 * (@obj != NULL) gets its MAP step appended.
 */
static int tyrc_gpuvm_sm_ops(struct tyrc_gpuvm *gpuvm, u64 addr, u64 range, void *obj, u64 offset,
			     u32 flags, struct tyrc_gpuva_ops *ops)
{
	u64 end = addr + range;
	u32 first, last, added = 0;
	int ret = -ENOMEM;

	memset(ops, 0, sizeof(*ops));
	if (!tyrc_gpuvm_range_valid(gpuvm, addr, range))
		return -EINVAL;

	first = tyrc_gpuvm_first_index(gpuvm, addr);
	for (last = first; last < gpuvm->count && gpuvm->vas[last]->va < end; last++)
		;
	ops->first = first;
	ops->ops = calloc(last - first + 1, sizeof(*ops->ops));
	if (!ops->ops)
		return -ENOMEM;

	for (u32 i = first; i < last; i++) {
		struct tyrc_gpuva *va = gpuvm->vas[i];
		struct tyrc_gpuva_op *op = &ops->ops[ops->count++];
		u64 va_end = tyrc_gpuva_end(va);

		op->va = va;
		if (va->va >= addr && va_end <= end) {
			op->type = TYRC_GPUVA_OP_UNMAP;
			op->keep = obj && va->obj == obj && va->offset == offset + (va->va - addr);
			continue;
		}
		op->type = TYRC_GPUVA_OP_REMAP;
		if (va->va < addr) {
			op->prev = tyrc_gpuva_new(va->va, addr - va->va, va->obj, va->offset,
						  va->flags);
			if (!op->prev)
				goto err_free;
			added++;
		}
		if (va_end > end) {
			op->next = tyrc_gpuva_new(end, va_end - end, va->obj,
						  va->offset + (end - va->va), va->flags);
			if (!op->next)
				goto err_free;
			added++;
		}
	}

	if (obj) {
		struct tyrc_gpuva_op *op = &ops->ops[ops->count++];

		op->type = TYRC_GPUVA_OP_MAP;
		op->va = tyrc_gpuva_new(addr, range, obj, offset, flags);
		if (!op->va)
			goto err_free;
		added++;
	}

	/* Room for the result, so committing cannot fail. */
	ret = tyrc_gpuvm_reserve(gpuvm, gpuvm->count - (last - first) + added);
	if (ret)
		goto err_free;
	return 0;

err_free:
	tyrc_gpuva_ops_free(ops);
	return ret;
}

int tyrc_gpuvm_sm_map(struct tyrc_gpuvm *gpuvm, u64 addr, u64 range, void *obj, u64 offset,
		      u32 flags, struct tyrc_gpuva_ops *ops)
{
	if (!obj) {
		memset(ops, 0, sizeof(*ops));
		return -EINVAL;
	}
	return tyrc_gpuvm_sm_ops(gpuvm, addr, range, obj, offset, flags, ops);
}

int tyrc_gpuvm_sm_unmap(struct tyrc_gpuvm *gpuvm, u64 addr, u64 range, struct tyrc_gpuva_ops *ops)
{
	return tyrc_gpuvm_sm_ops(gpuvm, addr, range, NULL, 0, 0, ops);
}

void tyrc_gpuva_op_unmap_range(const struct tyrc_gpuva_op *op, u64 *start, u64 *range)
{
	u64 s = op->prev ? tyrc_gpuva_end(op->prev) : op->va->va;
	u64 e = op->next ? op->next->va : tyrc_gpuva_end(op->va);

	*start = s;
	*range = e - s;
}

void tyrc_gpuvm_ops_commit(struct tyrc_gpuvm *gpuvm, struct tyrc_gpuva_ops *ops)
{
	struct tyrc_gpuva *prev = NULL, *map = NULL, *next = NULL, *added[3];
	u32 removed = 0, n = 0, tail;

	TYRC_BUG_ON(ops->committed);
	for (u32 i = 0; i < ops->count; i++) {
		struct tyrc_gpuva_op *op = &ops->ops[i];

		if (op->type == TYRC_GPUVA_OP_MAP) {
			map = op->va;
			continue;
		}
		TYRC_BUG_ON(gpuvm->vas[ops->first + removed] != op->va);
		removed++;
		prev = op->prev ? op->prev : prev;
		next = op->next ? op->next : next;
	}
	/* In address order: the remnant before, the new mapping, the remnant after. */
	if (prev)
		added[n++] = prev;
	if (map)
		added[n++] = map;
	if (next)
		added[n++] = next;

	TYRC_BUG_ON(gpuvm->count - removed + n > gpuvm->cap);
	tail = gpuvm->count - ops->first - removed;
	if (tail && n != removed)
		memmove(&gpuvm->vas[ops->first + n], &gpuvm->vas[ops->first + removed],
			tail * sizeof(*gpuvm->vas));
	if (n)
		memcpy(&gpuvm->vas[ops->first], added, n * sizeof(*added));
	gpuvm->count = gpuvm->count - removed + n;
	ops->committed = true;
}

void tyrc_gpuva_ops_free(struct tyrc_gpuva_ops *ops)
{
	for (u32 i = 0; i < ops->count; i++) {
		struct tyrc_gpuva_op *op = &ops->ops[i];

		if (ops->committed) {
			if (op->type != TYRC_GPUVA_OP_MAP)
				free(op->va);
		} else {
			if (op->type == TYRC_GPUVA_OP_MAP)
				free(op->va);
			free(op->prev);
			free(op->next);
		}
	}
	free(ops->ops);
	memset(ops, 0, sizeof(*ops));
}
