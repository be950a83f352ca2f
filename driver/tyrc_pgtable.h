/* SPDX-License-Identifier: MIT */
/*
 * DOC: GPU page tables
 *
 * The AArch64 stage-1 translation tables the Mali MMU walks (Linux
 * io-pgtable ARM_64_LPAE_S1, mali-g610-hw.md §9): 4 KiB granule, 48-bit
 * input addresses, four levels of 512-entry tables in board RAM, the root
 * (level 0) being what AS_TRANSTAB points at. Mappings use 2 MiB level-2
 * blocks wherever the VA, the PA and the remaining size are 2 MiB aligned,
 * 4 KiB level-3 pages elsewhere.
 *
 * The GPU reads the tables while the CPU changes them, so every descriptor
 * is published with a release store, and a new table is filled before the
 * descriptor that links it. Unmapping part of a 2 MiB block first splits it
 * into a level-3 table that translates exactly as the block did; tables left
 * without any valid descriptor are unlinked (the root stays).
 *
 * Nothing here touches the GPU. Each map/unmap records in a struct
 * tyrc_pgtable_gather the VA range whose TLB entries the caller must
 * invalidate, and the unlinked tables, which the GPU may still be walking:
 * they go back to RAM only in tyrc_pgtable_gather_finish(), to be called
 * after the invalidation (Linux's iommu_iotlb_gather).
 *
 * A CPU-side shadow of each table (child pointers, live-entry count)
 * avoids reading descriptors back to find tables and to detect empty ones.
 *
 * Locking: none inside. The caller serialises every call on one page table
 * (the MMU VM's op_lock).
 */
#ifndef TYRC_PGTABLE_H
#define TYRC_PGTABLE_H

#include <tyrc/kernel.h>

struct tyrc_ram;
struct tyrc_pgtable;
struct tyrc_pgtable_node;

/* Page-table geometry: 4 KiB granule, 48-bit VA, levels 0..3. */
#define TYRC_PGTABLE_VA_BITS 48u
#define TYRC_PGTABLE_LEVELS 4u
#define TYRC_PGTABLE_ENTRIES 512u
#define TYRC_PGTABLE_BLOCK_SIZE SZ_2M

/* Descriptor bits (mali-g610-hw.md §9). */
#define TYRC_PTE_TYPE GENMASK_ULL(1, 0)
#define TYRC_PTE_TYPE_BLOCK 1ULL
#define TYRC_PTE_TYPE_TABLE 3ULL /* page at level 3 */
#define TYRC_PTE_TYPE_PAGE 3ULL
#define TYRC_PTE_ATTRINDX GENMASK_ULL(4, 2)
#define TYRC_PTE_NS BIT_ULL(5)
#define TYRC_PTE_AP_UNPRIV BIT_ULL(6)
#define TYRC_PTE_AP_RDONLY BIT_ULL(7)
#define TYRC_PTE_SH GENMASK_ULL(9, 8)
#define TYRC_PTE_SH_OS 2ULL
#define TYRC_PTE_SH_IS 3ULL
#define TYRC_PTE_AF BIT_ULL(10)
#define TYRC_PTE_NG BIT_ULL(11)
#define TYRC_PTE_OA GENMASK_ULL(47, 12)
#define TYRC_PTE_PXN BIT_ULL(53)
#define TYRC_PTE_UXN BIT_ULL(54)
#define TYRC_PTE_XN (TYRC_PTE_PXN | TYRC_PTE_UXN)

/* AttrIndx values: the MAIR below, io-pgtable's. */
#define TYRC_PTE_ATTR_IDX_NC 0u
#define TYRC_PTE_ATTR_IDX_CACHE 1u
#define TYRC_PTE_ATTR_IDX_DEV 2u
#define TYRC_PTE_ATTR_IDX_INC_OCACHE 3u
/* MAIR the AttrIndx values refer to: NC 0x44, WB RWA 0xff, device 0x04, inner-NC/outer-WB 0xf4. */
#define TYRC_PGTABLE_MAIR 0x00000000f404ff44ULL

/** enum tyrc_pgtable_prot - access rights and attributes of a mapping. */
enum tyrc_pgtable_prot {
	/** @TYRC_PROT_READ: readable; mandatory. */
	TYRC_PROT_READ = BIT(0),
	/** @TYRC_PROT_WRITE: writable (else AP[2] read-only). */
	TYRC_PROT_WRITE = BIT(1),
	/** @TYRC_PROT_CACHE: write-back cached, inner-shareable (else non-cacheable, outer). */
	TYRC_PROT_CACHE = BIT(2),
	/** @TYRC_PROT_NOEXEC: not executable (UXN | PXN). */
	TYRC_PROT_NOEXEC = BIT(3),
};

#define TYRC_PROT_ALL (TYRC_PROT_READ | TYRC_PROT_WRITE | TYRC_PROT_CACHE | TYRC_PROT_NOEXEC)
/* panthor's default user mapping: read/write, cached, executable. */
#define TYRC_PROT_DEFAULT (TYRC_PROT_READ | TYRC_PROT_WRITE | TYRC_PROT_CACHE)

/**
 * struct tyrc_pgtable_gather - what one or more updates left for the caller.
 *
 * Initialise with tyrc_pgtable_gather_init(), pass to any number of
 * tyrc_pgtable_map()/tyrc_pgtable_unmap() calls, invalidate [@start, @end)
 * on the GPU if that is not empty, then call tyrc_pgtable_gather_finish().
 */
struct tyrc_pgtable_gather {
	/** @start: first VA to invalidate. */
	u64 start;
	/** @end: end of the VA range to invalidate; @start == @end: nothing. */
	u64 end;
	/** @freed: unlinked tables, returned to RAM by tyrc_pgtable_gather_finish(). */
	struct tyrc_pgtable_node *freed;
};

/**
 * tyrc_pgtable_create() - allocate an empty page table (one root table).
 * @ram: RAM the tables live in (not owned; must outlive the page table).
 * @va_bits: input address bits; only TYRC_PGTABLE_VA_BITS (48) is supported.
 * @pa_bits: output address bits (MMU_FEATURES.PA_BITS, 40 on G610), 32..48.
 * @out: receives the page table.
 * Return: 0, -EINVAL for unsupported sizes, -ENOMEM.
 */
int tyrc_pgtable_create(struct tyrc_ram *ram, u32 va_bits, u32 pa_bits, struct tyrc_pgtable **out);

/**
 * tyrc_pgtable_destroy() - free every table. The GPU must no longer walk
 * them (AS disabled) and no gather may hold unfinished tables. NULL is ignored.
 */
void tyrc_pgtable_destroy(struct tyrc_pgtable *pt);

/** tyrc_pgtable_root() - physical address of the level-0 table (AS_TRANSTAB). */
u64 tyrc_pgtable_root(const struct tyrc_pgtable *pt);

/** tyrc_pgtable_gather_init() - an empty gather. */
void tyrc_pgtable_gather_init(struct tyrc_pgtable_gather *g);

/**
 * tyrc_pgtable_gather_finish() - return the gathered tables to RAM and empty
 * @g. Call only once the GPU can no longer walk them (after the TLB
 * invalidation of [@g->start, @g->end), or with the AS disabled).
 */
void tyrc_pgtable_gather_finish(struct tyrc_pgtable *pt, struct tyrc_pgtable_gather *g);

/**
 * tyrc_pgtable_map() - map [@va, @va + @size) to [@pa, @pa + @size).
 * @pt: page table.
 * @va: GPU virtual address, 4 KiB aligned.
 * @pa: physical address, 4 KiB aligned.
 * @size: bytes, non-zero, 4 KiB aligned.
 * @prot: TYRC_PROT_* (READ mandatory).
 * @g: collects the range to invalidate and tables to free.
 *
 * All or nothing: on failure every descriptor the call wrote is cleared
 * again and the tables it created are unlinked (into @g), so the page table
 * translates exactly as before.
 * Return: 0; -EINVAL for a misaligned, empty, overflowing or out-of-range
 * request or bad @prot; -EEXIST if part of the range is already mapped;
 * -ENOMEM if a table cannot be allocated.
 */
int tyrc_pgtable_map(struct tyrc_pgtable *pt, u64 va, u64 pa, u64 size, u32 prot,
		     struct tyrc_pgtable_gather *g);

/**
 * tyrc_pgtable_unmap() - remove every translation in [@va, @va + @size).
 *
 * Holes are allowed. A 2 MiB block only partly inside the range is split
 * first: the part outside stays mapped with identical attributes.
 * Return: 0; -EINVAL for a misaligned, empty, overflowing or out-of-range
 * request; -ENOMEM if a block to split cannot get its table (nothing is
 * unmapped then; blocks already split keep translating as before).
 */
int tyrc_pgtable_unmap(struct tyrc_pgtable *pt, u64 va, u64 size, struct tyrc_pgtable_gather *g);

/**
 * tyrc_pgtable_lookup() - the leaf descriptor translating @va.
 * @pte: receives the descriptor (may be NULL).
 * @level: receives its level, 2 for a block, 3 for a page (may be NULL).
 * Return: 0, or -ENOENT if @va is not mapped.
 */
int tyrc_pgtable_lookup(const struct tyrc_pgtable *pt, u64 va, u64 *pte, u32 *level);

/** tyrc_pgtable_iova_to_phys() - physical address @va translates to, 0 if unmapped. */
u64 tyrc_pgtable_iova_to_phys(const struct tyrc_pgtable *pt, u64 va);

/**
 * tyrc_pgtable_table_count() - tables linked in the tree, the root included
 * (unlinked ones waiting in a gather are not counted). For tests and debug.
 */
u64 tyrc_pgtable_table_count(const struct tyrc_pgtable *pt);

#endif /* TYRC_PGTABLE_H */
