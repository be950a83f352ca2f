/* SPDX-License-Identifier: MIT */
/*
 * DOC: System RAM and the page allocator
 *
 * The board's physical memory: one region [base, base + size) backed by a
 * memfd. The host maps it once (the kernel's linear map, reached with
 * tyrc_ram_phys_to_virt()); the GPU model reads and writes it by physical
 * address (DMA, table walks); user mappings of GPU buffers map ranges of the
 * same memfd (fd offset = phys - base), so CPU and GPU see the same pages.
 *
 * The page allocator hands out naturally aligned blocks of 2^order pages.
 * Order-0 pages come back in a scrambled order, so consecutive allocations
 * are not physically contiguous, as on a real system after some uptime: code
 * that silently assumes contiguity breaks in tests, not on a board.
 * Pages are not zeroed unless TYRC_GFP_ZERO is given (as __GFP_ZERO).
 * All functions are thread-safe.
 */
#ifndef TYRC_MM_H
#define TYRC_MM_H

#include "types.h"

#define TYRC_PAGE_SHIFT 12
#define TYRC_PAGE_SIZE (1UL << TYRC_PAGE_SHIFT)
/* Largest block the allocator hands out: 2 MiB (order 9), one GPU block mapping. */
#define TYRC_MAX_PAGE_ORDER 9

enum tyrc_gfp {
	TYRC_GFP_KERNEL = 0,
	TYRC_GFP_ZERO = BIT(0),
};

struct tyrc_ram;

/**
 * tyrc_ram_create() - create RAM of @size bytes at physical address @base.
 * Both must be 2 MiB aligned; @size at most 64 GiB (the memfd is sparse).
 * Return: 0 with *@out set, -EINVAL, -ENOMEM, or a negative errno from memfd.
 */
int tyrc_ram_create(u64 base, u64 size, struct tyrc_ram **out);
/** tyrc_ram_destroy() - unmap and free all RAM (allocations need not be freed first). */
void tyrc_ram_destroy(struct tyrc_ram *ram);

/**
 * tyrc_ram_alloc_pages() - allocate 2^@order contiguous, naturally aligned pages.
 * Return: 0 with *@phys set, -EINVAL for a bad order, -ENOMEM when none is free.
 */
int tyrc_ram_alloc_pages(struct tyrc_ram *ram, unsigned int order, enum tyrc_gfp gfp, u64 *phys);
/** tyrc_ram_free_pages() - free a block from tyrc_ram_alloc_pages() (same @order). */
void tyrc_ram_free_pages(struct tyrc_ram *ram, u64 phys, unsigned int order);
/** tyrc_ram_free_page_count() - number of free pages (leak checks in tests). */
u64 tyrc_ram_free_page_count(struct tyrc_ram *ram);

/** tyrc_ram_phys_to_virt() - host address of @phys, or NULL if @phys is not RAM. */
void *tyrc_ram_phys_to_virt(struct tyrc_ram *ram, u64 phys);
/** tyrc_ram_virt_to_phys() - physical address of a host pointer into RAM (bug if not RAM). */
u64 tyrc_ram_virt_to_phys(struct tyrc_ram *ram, const void *va);
/** tyrc_ram_contains() - true if [@phys, @phys + @len) lies entirely in RAM. */
bool tyrc_ram_contains(struct tyrc_ram *ram, u64 phys, u64 len);
/** tyrc_ram_base() / tyrc_ram_size() - the region. */
u64 tyrc_ram_base(struct tyrc_ram *ram);
u64 tyrc_ram_size(struct tyrc_ram *ram);
/** tyrc_ram_fd() - the backing memfd (offset = phys - base), for user mappings. */
int tyrc_ram_fd(struct tyrc_ram *ram);

/**
 * tyrc_ram_vmap() - map @count pages (physical addresses in @pages, any
 * order, need not be contiguous) at consecutive host addresses, as vmap()
 * does: the host then sees one contiguous buffer backed by those very pages.
 * Return: the address, or NULL (bad page or out of address space).
 */
void *tyrc_ram_vmap(struct tyrc_ram *ram, const u64 *pages, u32 count);
/** tyrc_ram_vunmap() - undo tyrc_ram_vmap() (@count as given to it; NULL is a no-op). */
void tyrc_ram_vunmap(void *addr, u32 count);

#endif /* TYRC_MM_H */
