/* SPDX-License-Identifier: MIT */
/*
 * DOC: kernel VA ranges and kernel BOs
 *
 * A struct tyrc_kva_range hands out pieces of a fixed VA window (drm_mm
 * with first-fit insertion): a user VM's kernel range [kernel_va_start,
 * full VA), where the driver maps ring buffers and sync-object arrays, and
 * the MCU VM's automatic window after the shared section, where per-queue
 * interface pages and CSG suspend buffers go. The free space is a sorted
 * array of disjoint, non-adjacent intervals; allocation takes the lowest
 * suitably aligned fit, freeing merges with both neighbours.
 *
 * A struct tyrc_kbo (panthor_kernel_bo) is a driver-owned object: board RAM
 * pages (4 KiB each, zeroed), mapped at a VA allocated from a range into an
 * mmu-layer VM with the caller's protection, optionally given a host view
 * (tyrc_ram_vmap()) for CPU access.
 *
 * Locking: each range's @lock guards its free list; kernel BOs take no
 * lock of their own (their creator serialises create and destroy). Lock
 * order: range lock is a leaf (never held across mmu calls).
 */
#ifndef TYRC_KVA_H
#define TYRC_KVA_H

#include <tyrc/types.h>

struct tyrc_device;
struct tyrc_kbo;
struct tyrc_kva_range;
struct tyrc_mmu_vm;

/**
 * tyrc_kva_range_create() - a range allocator over [@start, @start + @size).
 * @start: first VA, 4 KiB aligned.
 * @size: bytes, non-zero, 4 KiB aligned, @start + @size must not wrap
 *        (the end may be 2^64 exactly).
 * @out: receives the range.
 *
 * Context: process. Return: 0, -EINVAL for a bad window, -ENOMEM.
 */
int tyrc_kva_range_create(u64 start, u64 size, struct tyrc_kva_range **out);

/**
 * tyrc_kva_range_destroy() - free @range. Allocations still outstanding are
 * reported (a leak) and forgotten. NULL is ignored.
 */
void tyrc_kva_range_destroy(struct tyrc_kva_range *range);

/**
 * tyrc_kva_range_alloc() - allocate @size bytes at the lowest VA aligned
 * to @align that fits (first fit).
 * @range: the range.
 * @size: bytes, non-zero, 4 KiB aligned.
 * @align: power of two, at least 4 KiB (0 means 4 KiB).
 * @va: receives the start.
 *
 * Context: any; takes @range's lock. Return: 0, -EINVAL for a bad
 * @size/@align, -ENOMEM when no hole fits (or no memory for the list).
 */
int tyrc_kva_range_alloc(struct tyrc_kva_range *range, u64 size, u64 align, u64 *va);

/**
 * tyrc_kva_range_reserve() - take [@va, @va + @size) out of the free space
 * (objects placed at fixed addresses, e.g. firmware sections).
 *
 * Context: any; takes @range's lock. Return: 0, -EINVAL if unaligned or
 * outside the window, -EBUSY if part of it is already allocated,
 * -ENOMEM.
 */
int tyrc_kva_range_reserve(struct tyrc_kva_range *range, u64 va, u64 size);

/**
 * tyrc_kva_range_free() - give back [@va, @va + @size), which must have
 * been allocated or reserved (whole or a part of it).
 *
 * Context: any; takes @range's lock. Return: 0; -EINVAL if unaligned,
 * outside the window or overlapping free space (double free: nothing
 * changes); -ENOMEM if the free list could not grow.
 */
int tyrc_kva_range_free(struct tyrc_kva_range *range, u64 va, u64 size);

/** tyrc_kva_range_free_bytes() - free bytes left in @range (tests, debug). */
u64 tyrc_kva_range_free_bytes(struct tyrc_kva_range *range);

/** tyrc_kva_range_holes() - number of free intervals in @range (tests). */
u32 tyrc_kva_range_holes(struct tyrc_kva_range *range);

/** enum tyrc_kbo_flags - options of tyrc_kbo_create(). */
enum tyrc_kbo_flags {
	/** @TYRC_KBO_VMAP: give the object a host view (tyrc_kbo_vaddr()). */
	TYRC_KBO_VMAP = BIT(0),
};

/**
 * tyrc_kbo_create() - allocate a kernel BO and map it.
 * @dev: the device (board RAM).
 * @vm: mmu-layer VM to map it into; not referenced: it must outlive the BO.
 * @range: where its VA comes from; not referenced, must outlive the BO.
 * @size: bytes, rounded up to 4 KiB, non-zero.
 * @prot: TYRC_PROT_* of the mapping (READ mandatory).
 * @flags: enum tyrc_kbo_flags.
 * @out: receives the object.
 *
 * Pages are zeroed. The VA is aligned to @size rounded up to a power of
 * two (at most 2 MiB), so rings and interface pages never straddle a
 * large boundary.
 *
 * Context: process; takes the range lock, then the mmu-layer locks.
 * Return: 0, -EINVAL, -ENOMEM (RAM, VA or host address space), or an
 * error of tyrc_mmu_vm_map(). Nothing is left behind on failure.
 */
int tyrc_kbo_create(struct tyrc_device *dev, struct tyrc_mmu_vm *vm, struct tyrc_kva_range *range,
		    u64 size, u32 prot, u32 flags, struct tyrc_kbo **out);

/**
 * tyrc_kbo_destroy() - unmap @bo, give back its VA and pages, free it.
 * NULL is ignored. Context: process.
 */
void tyrc_kbo_destroy(struct tyrc_kbo *bo);

/** tyrc_kbo_va() - GPU VA of @bo in its VM. */
u64 tyrc_kbo_va(const struct tyrc_kbo *bo);
/** tyrc_kbo_size() - size of @bo in bytes (4 KiB multiple). */
u64 tyrc_kbo_size(const struct tyrc_kbo *bo);
/** tyrc_kbo_vaddr() - host view of @bo, NULL without TYRC_KBO_VMAP. */
void *tyrc_kbo_vaddr(const struct tyrc_kbo *bo);
/** tyrc_kbo_page() - physical address of 4 KiB page @i of @bo (tests, debug). */
u64 tyrc_kbo_page(const struct tyrc_kbo *bo, u32 i);

#endif /* TYRC_KVA_H */
