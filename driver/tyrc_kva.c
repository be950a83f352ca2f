// SPDX-License-Identifier: MIT
/*
 * Kernel VA ranges (a first-fit range allocator, drm_mm's role) and kernel
 * BOs mapped at VAs taken from them. See tyrc_kva.h.
 */
#include <stdlib.h>
#include <string.h>

#include <tyrc/kernel.h>
#include "tyrc_device.h"
#include "tyrc_kva.h"
#include "tyrc_mmu.h"

/* Largest alignment tyrc_kbo_create() asks for: one 2 MiB block. */
#define TYRC_KBO_MAX_ALIGN SZ_2M

/** struct tyrc_kva_hole - a free interval [@start, @last] (inclusive: the end may be 2^64). */
struct tyrc_kva_hole {
	u64 start;
	u64 last;
};

/** struct tyrc_kva_range - a VA window and its free space. */
struct tyrc_kva_range {
	/** @start: first VA of the window. */
	u64 start;
	/** @last: last VA of the window (inclusive). */
	u64 last;
	/** @lock: guards @holes, @count and @cap. */
	struct tyrc_mutex lock;
	/** @holes: free intervals, sorted, disjoint and never adjacent (lock). */
	struct tyrc_kva_hole *holes;
	/** @count: entries used in @holes (lock). */
	u32 count;
	/** @cap: entries allocated in @holes (lock). */
	u32 cap;
};

/** struct tyrc_kbo - a kernel BO (see tyrc_kva.h). */
struct tyrc_kbo {
	struct tyrc_device *dev;
	/** @vm: where it is mapped (not referenced). */
	struct tyrc_mmu_vm *vm;
	/** @range: where @va came from (not referenced). */
	struct tyrc_kva_range *range;
	u64 va;
	u64 size;
	/** @vaddr: host view or NULL. */
	void *vaddr;
	u32 npages;
	/** @pages: physical address of each 4 KiB page. */
	u64 *pages;
};

int tyrc_kva_range_create(u64 start, u64 size, struct tyrc_kva_range **out)
{
	struct tyrc_kva_range *range;

	if (!size || !IS_ALIGNED(start | size, SZ_4K) || size - 1 > UINT64_MAX - start)
		return -EINVAL;
	range = calloc(1, sizeof(*range));
	if (!range)
		return -ENOMEM;
	range->holes = malloc(4 * sizeof(*range->holes));
	if (!range->holes) {
		free(range);
		return -ENOMEM;
	}
	range->cap = 4;
	range->start = start;
	range->last = start + (size - 1);
	range->holes[0] = (struct tyrc_kva_hole){ start, range->last };
	range->count = 1;
	tyrc_mutex_init(&range->lock);
	*out = range;
	return 0;
}

void tyrc_kva_range_destroy(struct tyrc_kva_range *range)
{
	if (!range)
		return;
	if (range->count != 1 || range->holes[0].start != range->start ||
	    range->holes[0].last != range->last)
		tyrc_warn("kva: range [0x%llx, 0x%llx] destroyed with live allocations",
			  (unsigned long long)range->start, (unsigned long long)range->last);
	tyrc_mutex_destroy(&range->lock);
	free(range->holes);
	free(range);
}

/* Make room for one more hole. */
static int tyrc_kva_grow_locked(struct tyrc_kva_range *range)
{
	struct tyrc_kva_hole *holes;
	u32 cap;

	if (range->count < range->cap)
		return 0;
	cap = range->cap * 2;
	holes = realloc(range->holes, (size_t)cap * sizeof(*holes));
	if (!holes)
		return -ENOMEM;
	range->holes = holes;
	range->cap = cap;
	return 0;
}

/* Take [@va, @last] out of hole @i, which contains it. */
static int tyrc_kva_carve_locked(struct tyrc_kva_range *range, u32 i, u64 va, u64 last)
{
	struct tyrc_kva_hole *h = &range->holes[i];
	bool left = va > h->start, right = last < h->last;

	if (left && right) {
		int ret = tyrc_kva_grow_locked(range);

		if (ret)
			return ret;
		h = &range->holes[i];
		memmove(h + 2, h + 1, (size_t)(range->count - i - 1) * sizeof(*h));
		h[1] = (struct tyrc_kva_hole){ last + 1, h->last };
		h->last = va - 1;
		range->count++;
	} else if (left) {
		h->last = va - 1;
	} else if (right) {
		h->start = last + 1;
	} else {
		memmove(h, h + 1, (size_t)(range->count - i - 1) * sizeof(*h));
		range->count--;
	}
	return 0;
}

int tyrc_kva_range_alloc(struct tyrc_kva_range *range, u64 size, u64 align, u64 *va)
{
	int ret = -ENOMEM;

	if (!align)
		align = SZ_4K;
	if (!size || !IS_ALIGNED(size, SZ_4K) || !is_power_of_2(align) || align < SZ_4K)
		return -EINVAL;

	tyrc_mutex_lock(&range->lock);
	for (u32 i = 0; i < range->count; i++) {
		const struct tyrc_kva_hole *h = &range->holes[i];
		u64 start;

		if (check_add_overflow(h->start, align - 1, &start))
			continue;
		start &= ~(align - 1);
		if (start > h->last || size - 1 > h->last - start)
			continue;
		ret = tyrc_kva_carve_locked(range, i, start, start + (size - 1));
		if (!ret)
			*va = start;
		break;
	}
	tyrc_mutex_unlock(&range->lock);
	return ret;
}

/* [@va, @va + @size) lies in the window; *@last receives its last byte. */
static bool tyrc_kva_in_window(const struct tyrc_kva_range *range, u64 va, u64 size, u64 *last)
{
	if (!size || !IS_ALIGNED(va | size, SZ_4K) || va < range->start || va > range->last)
		return false;
	if (size - 1 > range->last - va)
		return false;
	*last = va + (size - 1);
	return true;
}

int tyrc_kva_range_reserve(struct tyrc_kva_range *range, u64 va, u64 size)
{
	int ret = -EBUSY;
	u64 last;

	if (!tyrc_kva_in_window(range, va, size, &last))
		return -EINVAL;
	tyrc_mutex_lock(&range->lock);
	for (u32 i = 0; i < range->count; i++) {
		if (range->holes[i].start <= va && last <= range->holes[i].last) {
			ret = tyrc_kva_carve_locked(range, i, va, last);
			break;
		}
	}
	tyrc_mutex_unlock(&range->lock);
	return ret;
}

int tyrc_kva_range_free(struct tyrc_kva_range *range, u64 va, u64 size)
{
	struct tyrc_kva_hole *h;
	bool merge_left, merge_right;
	u64 last;
	u32 i = 0;
	int ret = 0;

	if (!tyrc_kva_in_window(range, va, size, &last))
		return -EINVAL;
	tyrc_mutex_lock(&range->lock);
	/* i: the first hole starting after @va. */
	while (i < range->count && range->holes[i].start <= va)
		i++;
	if ((i > 0 && range->holes[i - 1].last >= va) ||
	    (i < range->count && range->holes[i].start <= last)) {
		ret = -EINVAL;
		goto out_unlock;
	}
	merge_left = i > 0 && range->holes[i - 1].last + 1 == va;
	merge_right = i < range->count && last + 1 == range->holes[i].start;
	if (merge_left && merge_right) {
		range->holes[i - 1].last = range->holes[i].last;
		h = &range->holes[i];
		memmove(h, h + 1, (size_t)(range->count - i - 1) * sizeof(*h));
		range->count--;
	} else if (merge_left) {
		range->holes[i - 1].last = last;
	} else if (merge_right) {
		range->holes[i].start = va;
	} else {
		ret = tyrc_kva_grow_locked(range);
		if (ret)
			goto out_unlock;
		h = &range->holes[i];
		memmove(h + 1, h, (size_t)(range->count - i) * sizeof(*h));
		*h = (struct tyrc_kva_hole){ va, last };
		range->count++;
	}
out_unlock:
	tyrc_mutex_unlock(&range->lock);
	return ret;
}

u64 tyrc_kva_range_free_bytes(struct tyrc_kva_range *range)
{
	u64 bytes = 0;

	tyrc_mutex_lock(&range->lock);
	for (u32 i = 0; i < range->count; i++)
		bytes += range->holes[i].last - range->holes[i].start + 1;
	tyrc_mutex_unlock(&range->lock);
	return bytes;
}

u32 tyrc_kva_range_holes(struct tyrc_kva_range *range)
{
	u32 count;

	tyrc_mutex_lock(&range->lock);
	count = range->count;
	tyrc_mutex_unlock(&range->lock);
	return count;
}

/* Free the first @n pages of @bo. */
static void tyrc_kbo_free_pages(struct tyrc_kbo *bo, u32 n)
{
	for (u32 i = 0; i < n; i++)
		tyrc_ram_free_pages(bo->dev->platform.ram, bo->pages[i], 0);
}

/* Map @bo's pages at its VA, one tyrc_mmu_vm_map() per physically contiguous run. */
static int tyrc_kbo_map(struct tyrc_kbo *bo, u32 prot)
{
	u32 i = 0;

	while (i < bo->npages) {
		u32 n = 1;
		int ret;

		while (i + n < bo->npages && bo->pages[i + n] == bo->pages[i] + (u64)n * SZ_4K)
			n++;
		ret = tyrc_mmu_vm_map(bo->vm, bo->va + (u64)i * SZ_4K, bo->pages[i], (u64)n * SZ_4K,
				      prot);
		if (ret) {
			if (i)
				tyrc_mmu_vm_unmap(bo->vm, bo->va, (u64)i * SZ_4K);
			return ret;
		}
		i += n;
	}
	return 0;
}

int tyrc_kbo_create(struct tyrc_device *dev, struct tyrc_mmu_vm *vm, struct tyrc_kva_range *range,
		    u64 size, u32 prot, u32 flags, struct tyrc_kbo **out)
{
	struct tyrc_kbo *bo;
	u64 align;
	int ret;

	if (!size || size > (u64)UINT32_MAX * SZ_4K || (flags & ~TYRC_KBO_VMAP))
		return -EINVAL;
	size = ALIGN_UP(size, (u64)SZ_4K);
	align = size >= TYRC_KBO_MAX_ALIGN ? TYRC_KBO_MAX_ALIGN :
					     1ULL << (64 - __builtin_clzll(size - 1));
	if (align < SZ_4K)
		align = SZ_4K;

	bo = calloc(1, sizeof(*bo));
	if (!bo)
		return -ENOMEM;
	bo->dev = dev;
	bo->vm = vm;
	bo->range = range;
	bo->size = size;
	bo->npages = (u32)(size / SZ_4K);
	bo->pages = calloc(bo->npages, sizeof(*bo->pages));
	if (!bo->pages) {
		ret = -ENOMEM;
		goto err_free;
	}
	for (u32 i = 0; i < bo->npages; i++) {
		ret = tyrc_ram_alloc_pages(dev->platform.ram, 0, TYRC_GFP_ZERO, &bo->pages[i]);
		if (ret) {
			tyrc_kbo_free_pages(bo, i);
			goto err_free;
		}
	}
	if (flags & TYRC_KBO_VMAP) {
		bo->vaddr = tyrc_ram_vmap(dev->platform.ram, bo->pages, bo->npages);
		if (!bo->vaddr) {
			ret = -ENOMEM;
			goto err_free_pages;
		}
	}
	ret = tyrc_kva_range_alloc(range, size, align, &bo->va);
	if (ret)
		goto err_vunmap;
	ret = tyrc_kbo_map(bo, prot);
	if (ret)
		goto err_free_va;
	*out = bo;
	return 0;

err_free_va:
	TYRC_WARN_ON(tyrc_kva_range_free(range, bo->va, size));
err_vunmap:
	tyrc_ram_vunmap(bo->vaddr, bo->npages);
err_free_pages:
	tyrc_kbo_free_pages(bo, bo->npages);
err_free:
	free(bo->pages);
	free(bo);
	return ret;
}

void tyrc_kbo_destroy(struct tyrc_kbo *bo)
{
	if (!bo)
		return;
	/* Freed tables never need a split here: the range was mapped whole. */
	TYRC_WARN_ON(tyrc_mmu_vm_unmap(bo->vm, bo->va, bo->size) == -ENOMEM);
	TYRC_WARN_ON(tyrc_kva_range_free(bo->range, bo->va, bo->size));
	tyrc_ram_vunmap(bo->vaddr, bo->npages);
	tyrc_kbo_free_pages(bo, bo->npages);
	free(bo->pages);
	free(bo);
}

u64 tyrc_kbo_va(const struct tyrc_kbo *bo)
{
	return bo->va;
}

u64 tyrc_kbo_size(const struct tyrc_kbo *bo)
{
	return bo->size;
}

void *tyrc_kbo_vaddr(const struct tyrc_kbo *bo)
{
	return bo->vaddr;
}

u64 tyrc_kbo_page(const struct tyrc_kbo *bo, u32 i)
{
	return i < bo->npages ? bo->pages[i] : 0;
}
