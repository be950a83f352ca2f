// SPDX-License-Identifier: MIT
/*
 * GPU page tables against board RAM, without a GPU: descriptor encodings,
 * 2 MiB blocks and their split, runs across every table boundary, the
 * 48-bit limits, -EEXIST, all-or-nothing rollback on -ENOMEM, holes, table
 * freeing and leaks, and a randomised comparison with a flat reference.
 *
 * Every translation is checked with a walker of our own that reads the
 * descriptors from RAM, the way the GPU does, not through the page table's
 * CPU-side shadow.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tyrc_pgtable.h"

#define RAM_BASE 0x180000000ULL
#define RAM_SIZE (16ULL << 20)
#define PA_BITS 40

struct fixture {
	struct tyrc_ram *ram;
	struct tyrc_pgtable *pt;
	struct tyrc_pgtable_gather g;
	u64 free_before_create;
	u64 free_after_create;
};

static int setup(void **state)
{
	struct fixture *f = test_calloc(1, sizeof(*f));

	assert_int_equal(tyrc_ram_create(RAM_BASE, RAM_SIZE, &f->ram), 0);
	f->free_before_create = tyrc_ram_free_page_count(f->ram);
	assert_int_equal(tyrc_pgtable_create(f->ram, 48, PA_BITS, &f->pt), 0);
	f->free_after_create = tyrc_ram_free_page_count(f->ram);
	assert_int_equal(f->free_after_create, f->free_before_create - 1);
	tyrc_pgtable_gather_init(&f->g);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	tyrc_pgtable_gather_finish(f->pt, &f->g);
	tyrc_pgtable_destroy(f->pt);
	/* Every table went back to RAM. */
	assert_int_equal(tyrc_ram_free_page_count(f->ram), f->free_before_create);
	tyrc_ram_destroy(f->ram);
	test_free(f);
	return 0;
}

/* Walk the tables in RAM like the GPU: Return: 0 with the leaf, or -ENOENT. */
static int hw_walk(struct fixture *f, u64 va, u64 *pte, u32 *level)
{
	u64 table = tyrc_pgtable_root(f->pt);

	for (u32 l = 0; l < 4; l++) {
		const u64 *desc = tyrc_ram_phys_to_virt(f->ram, table);
		u64 d;

		assert_non_null(desc);
		d = __atomic_load_n(&desc[(va >> (39 - 9 * l)) & 511], __ATOMIC_ACQUIRE);
		if ((d & 3) == 0 || (d & 3) == 2)
			return -ENOENT;
		if (l == 3 || (d & 3) == 1) {
			/* Blocks only at levels 1 and 2. */
			assert_true(l == 3 || l == 1 || l == 2);
			*pte = d;
			*level = l;
			return 0;
		}
		table = d & TYRC_PTE_OA;
	}
	return -ENOENT;
}

static u64 hw_phys(struct fixture *f, u64 va)
{
	u64 pte, mask;
	u32 level;

	if (hw_walk(f, va, &pte, &level))
		return 0;
	mask = (1ULL << (39 - 9 * level)) - 1;
	return (pte & TYRC_PTE_OA & ~mask) | (va & mask);
}

static u64 hw_pte(struct fixture *f, u64 va, u32 want_level)
{
	u64 pte = 0;
	u32 level = 99;

	assert_int_equal(hw_walk(f, va, &pte, &level), 0);
	assert_int_equal(level, want_level);
	return pte;
}

static void assert_unmapped(struct fixture *f, u64 va)
{
	u64 pte;
	u32 level;

	assert_int_equal(hw_walk(f, va, &pte, &level), -ENOENT);
	assert_int_equal(tyrc_pgtable_iova_to_phys(f->pt, va), 0);
}

static void assert_maps(struct fixture *f, u64 va, u64 pa)
{
	assert_int_equal(hw_phys(f, va), pa);
	assert_int_equal(tyrc_pgtable_iova_to_phys(f->pt, va), pa);
}

static int map(struct fixture *f, u64 va, u64 pa, u64 size, u32 prot)
{
	return tyrc_pgtable_map(f->pt, va, pa, size, prot, &f->g);
}

static int unmap(struct fixture *f, u64 va, u64 size)
{
	return tyrc_pgtable_unmap(f->pt, va, size, &f->g);
}

/* Drop everything and check that only the root is left. */
static void unmap_all_and_check_empty(struct fixture *f)
{
	assert_int_equal(unmap(f, 0, 1ULL << 48), 0);
	tyrc_pgtable_gather_finish(f->pt, &f->g);
	assert_int_equal(tyrc_pgtable_table_count(f->pt), 1);
	assert_int_equal(tyrc_ram_free_page_count(f->ram), f->free_after_create);
}

static void test_create_args(void **state)
{
	struct tyrc_ram *ram;
	struct tyrc_pgtable *pt;

	assert_int_equal(tyrc_ram_create(RAM_BASE, SZ_2M, &ram), 0);
	assert_int_equal(tyrc_pgtable_create(ram, 39, 40, &pt), -EINVAL);
	assert_int_equal(tyrc_pgtable_create(ram, 48, 31, &pt), -EINVAL);
	assert_int_equal(tyrc_pgtable_create(ram, 48, 49, &pt), -EINVAL);
	assert_int_equal(tyrc_pgtable_create(ram, 48, 40, &pt), 0);
	assert_true(tyrc_ram_contains(ram, tyrc_pgtable_root(pt), SZ_4K));
	assert_int_equal(tyrc_pgtable_table_count(pt), 1);
	tyrc_pgtable_destroy(pt);
	tyrc_pgtable_destroy(NULL);
	assert_int_equal(tyrc_ram_free_page_count(ram), SZ_2M / SZ_4K);
	tyrc_ram_destroy(ram);
}

static void test_encodings(void **state)
{
	struct fixture *f = *state;
	u64 l0, l1, l2;
	const u64 *desc;

	/* mali-g610-hw.md §9 examples. */
	assert_int_equal(map(f, 0x1000, 0x12345000, SZ_4K, TYRC_PROT_DEFAULT), 0);
	assert_int_equal(hw_pte(f, 0x1000, 3), 0x0000000012345F47ULL);
	assert_int_equal(map(f, 0x2000, 0x12345000, SZ_4K, TYRC_PROT_READ | TYRC_PROT_NOEXEC), 0);
	assert_int_equal(hw_pte(f, 0x2000, 3), 0x0060000012345EC3ULL);
	assert_int_equal(map(f, 0x40000000, 0x40000000, SZ_2M, TYRC_PROT_DEFAULT), 0);
	assert_int_equal(hw_pte(f, 0x40000000, 2), 0x0000000040000F45ULL);
	/* Write-only is not a thing: READ is mandatory; unknown bits rejected. */
	assert_int_equal(map(f, 0x3000, 0x1000, SZ_4K, TYRC_PROT_WRITE), -EINVAL);
	assert_int_equal(map(f, 0x3000, 0x1000, SZ_4K, TYRC_PROT_READ | BIT(7)), -EINVAL);
	/* Read-only cached, read/write uncached no-exec. */
	assert_int_equal(map(f, 0x3000, 0x5000, SZ_4K, TYRC_PROT_READ | TYRC_PROT_CACHE), 0);
	assert_int_equal(hw_pte(f, 0x3000, 3), 0x5FC7);
	assert_int_equal(
		map(f, 0x4000, 0x5000, SZ_4K, TYRC_PROT_READ | TYRC_PROT_WRITE | TYRC_PROT_NOEXEC),
		0);
	assert_int_equal(hw_pte(f, 0x4000, 3), 0x0060000000005E43ULL);

	/* Table descriptors: type 3 and the next table's address only. */
	desc = tyrc_ram_phys_to_virt(f->ram, tyrc_pgtable_root(f->pt));
	l0 = desc[0];
	assert_int_equal(l0 & ~TYRC_PTE_OA, 3);
	desc = tyrc_ram_phys_to_virt(f->ram, l0 & TYRC_PTE_OA);
	l1 = desc[0];
	assert_int_equal(l1 & ~TYRC_PTE_OA, 3);
	/* 0x40000000 is in the second 1 GiB: L1 entry 1, a block in its L2 table. */
	assert_int_equal(desc[1] & ~TYRC_PTE_OA, 3);
	desc = tyrc_ram_phys_to_virt(f->ram, l1 & TYRC_PTE_OA);
	l2 = desc[0];
	assert_int_equal(l2 & ~TYRC_PTE_OA, 3);
	/* Root, L1, two L2 tables, one L3 table. */
	assert_int_equal(tyrc_pgtable_table_count(f->pt), 5);

	assert_int_equal(tyrc_pgtable_lookup(f->pt, 0x2000, &l0, NULL), 0);
	assert_int_equal(l0, 0x0060000012345EC3ULL);
	assert_int_equal(tyrc_pgtable_lookup(f->pt, 0x5000, NULL, NULL), -ENOENT);
	assert_int_equal(tyrc_pgtable_lookup(f->pt, 1ULL << 48, NULL, NULL), -ENOENT);
	assert_int_equal(tyrc_pgtable_iova_to_phys(f->pt, 0x40123456), 0x40123456);
	assert_int_equal(tyrc_pgtable_iova_to_phys(f->pt, 0x2abc), 0x12345abc);
	unmap_all_and_check_empty(f);
}

static void test_block_vs_page_choice(void **state)
{
	struct fixture *f = *state;

	/* VA and PA congruent mod 2 MiB: pages up to the boundary, blocks, pages after. */
	assert_int_equal(map(f, 0x1FF000, 0x801FF000, 0x402000, TYRC_PROT_DEFAULT), 0);
	hw_pte(f, 0x1FF000, 3);
	hw_pte(f, 0x200000, 2);
	hw_pte(f, 0x400000, 2);
	hw_pte(f, 0x600000, 3);
	assert_maps(f, 0x1FF000, 0x801FF000);
	assert_maps(f, 0x3FFFFC, 0x803FFFFC);
	assert_maps(f, 0x600FFC, 0x80600FFC);
	assert_unmapped(f, 0x1FE000);
	assert_unmapped(f, 0x601000);
	unmap_all_and_check_empty(f);

	/* PA not 2 MiB aligned where the VA is: 4 KiB pages throughout. */
	assert_int_equal(map(f, 0x200000, 0x80001000, 2 * SZ_2M, TYRC_PROT_DEFAULT), 0);
	for (u64 off = 0; off < 2 * SZ_2M; off += SZ_4K) {
		hw_pte(f, 0x200000 + off, 3);
		assert_maps(f, 0x200000 + off, 0x80001000 + off);
	}
	unmap_all_and_check_empty(f);

	/* Exactly 2 MiB, aligned both sides: one block, no L3 table. */
	assert_int_equal(map(f, 0x600000, 0x80200000, SZ_2M, TYRC_PROT_DEFAULT), 0);
	hw_pte(f, 0x600000, 2);
	assert_int_equal(tyrc_pgtable_table_count(f->pt), 3);
	unmap_all_and_check_empty(f);
}

static void check_split_block(struct fixture *f, u64 va, u64 pa, u64 hole, u64 hole_size)
{
	u64 block_pte = 0x0000000000000F45ULL | pa;
	u64 want_attrs = block_pte & ~(TYRC_PTE_OA | TYRC_PTE_TYPE);

	for (u64 off = 0; off < SZ_2M; off += SZ_4K) {
		if (va + off >= hole && va + off < hole + hole_size) {
			assert_unmapped(f, va + off);
			continue;
		}
		u64 pte = hw_pte(f, va + off, 3);

		/* Same attributes, page type, the right page of the old block. */
		assert_int_equal(pte & ~(TYRC_PTE_OA | TYRC_PTE_TYPE), want_attrs);
		assert_int_equal(pte & TYRC_PTE_TYPE, TYRC_PTE_TYPE_PAGE);
		assert_int_equal(pte & TYRC_PTE_OA, pa + off);
	}
}

static void test_block_split(void **state)
{
	struct fixture *f = *state;
	u64 tables;

	assert_int_equal(map(f, 0x200000, 0x40000000, SZ_2M, TYRC_PROT_DEFAULT), 0);
	tables = tyrc_pgtable_table_count(f->pt);
	tyrc_pgtable_gather_finish(f->pt, &f->g);

	/* One page out of the middle of the block: 511 pages stay. */
	assert_int_equal(unmap(f, 0x201000, SZ_4K), 0);
	assert_int_equal(tyrc_pgtable_table_count(f->pt), tables + 1);
	check_split_block(f, 0x200000, 0x40000000, 0x201000, SZ_4K);
	/* The caller must invalidate the whole old block. */
	assert_true(f->g.start <= 0x200000 && f->g.end >= 0x400000);
	tyrc_pgtable_gather_finish(f->pt, &f->g);

	/* Unmapping the rest frees the L3 table (and then everything). */
	assert_int_equal(unmap(f, 0x200000, SZ_4K), 0);
	assert_int_equal(unmap(f, 0x202000, SZ_2M - 2 * SZ_4K), 0);
	assert_int_equal(tyrc_pgtable_table_count(f->pt), 1);
	tyrc_pgtable_gather_finish(f->pt, &f->g);
	assert_int_equal(tyrc_ram_free_page_count(f->ram), f->free_after_create);

	/* A range straddling two blocks splits both. */
	assert_int_equal(map(f, 0x400000, 0x40400000, 2 * SZ_2M, TYRC_PROT_DEFAULT), 0);
	hw_pte(f, 0x400000, 2);
	hw_pte(f, 0x600000, 2);
	assert_int_equal(unmap(f, 0x5FE000, 0x4000), 0);
	check_split_block(f, 0x400000, 0x40400000, 0x5FE000, 0x4000);
	check_split_block(f, 0x600000, 0x40600000, 0x5FE000, 0x4000);
	/* A range covering a whole block removes it without a split. */
	tables = tyrc_pgtable_table_count(f->pt);
	assert_int_equal(map(f, 0x800000, 0x40800000, SZ_2M, TYRC_PROT_DEFAULT), 0);
	assert_int_equal(unmap(f, 0x800000, SZ_2M), 0);
	assert_int_equal(tyrc_pgtable_table_count(f->pt), tables);
	unmap_all_and_check_empty(f);
}

static void test_table_boundaries(void **state)
{
	struct fixture *f = *state;
	/* L3 (2 MiB), L2 (1 GiB), L1 (512 GiB) boundaries. */
	const u64 runs[] = { 0x1FF000, 0x3FFFF000, 0x7FFFFFF000ULL, 0xFF7FFFFFF000ULL };

	for (unsigned int i = 0; i < ARRAY_SIZE(runs); i++) {
		u64 va = runs[i], pa = 0x90000000 + i * 0x100000;

		assert_int_equal(map(f, va, pa, 2 * SZ_4K, TYRC_PROT_DEFAULT), 0);
		assert_maps(f, va, pa);
		assert_maps(f, va + SZ_4K, pa + SZ_4K);
		assert_unmapped(f, va - SZ_4K);
		assert_unmapped(f, va + 2 * SZ_4K);
		/* The caller has to invalidate the range it asked for. */
		assert_true(f->g.start <= va && f->g.end >= va + 2 * SZ_4K);
	}
	/* 512 GiB boundary: two L1 tables, two L2, two L3 (x2 runs) + root + ... */
	unmap_all_and_check_empty(f);

	/* A larger run across the 1 GiB boundary mixes pages and blocks. */
	assert_int_equal(map(f, 0x3FE00000 - SZ_4K, 0x7FE00000 - SZ_4K, 4 * SZ_2M + 2 * SZ_4K,
			     TYRC_PROT_DEFAULT),
			 0);
	hw_pte(f, 0x3FE00000 - SZ_4K, 3);
	hw_pte(f, 0x3FE00000, 2);
	hw_pte(f, 0x40000000, 2);
	hw_pte(f, 0x40400000, 2);
	hw_pte(f, 0x40600000, 3);
	assert_maps(f, 0x40000000, 0x80000000);
	assert_unmapped(f, 0x40601000);
	/* Unmapping across the boundary from the middle of two blocks. */
	assert_int_equal(unmap(f, 0x3FF00000, SZ_2M), 0);
	assert_maps(f, 0x3FEFF000, 0x7FEFF000);
	assert_unmapped(f, 0x3FF00000);
	assert_unmapped(f, 0x400FF000);
	assert_maps(f, 0x40100000, 0x80100000);
	unmap_all_and_check_empty(f);
}

static void test_va_limits(void **state)
{
	struct fixture *f = *state;
	const u64 last = 0xFFFFFFFFF000ULL;

	assert_int_equal(map(f, last, 0x1000, SZ_4K, TYRC_PROT_DEFAULT), 0);
	assert_maps(f, last, 0x1000);
	assert_int_equal(map(f, last - SZ_4K, 0x2000, 2 * SZ_4K, TYRC_PROT_DEFAULT), -EEXIST);
	assert_int_equal(map(f, last, 0x1000, 2 * SZ_4K, TYRC_PROT_DEFAULT), -EINVAL);
	assert_int_equal(map(f, 1ULL << 48, 0x1000, SZ_4K, TYRC_PROT_DEFAULT), -EINVAL);
	assert_int_equal(map(f, ~0ULL - 0xFFF, 0x1000, 0x2000, TYRC_PROT_DEFAULT), -EINVAL);
	assert_int_equal(map(f, 0x1000, 0x1000, ~0ULL - 0xFFF, TYRC_PROT_DEFAULT), -EINVAL);
	/* Misaligned or empty. */
	assert_int_equal(map(f, 0x1800, 0x1000, SZ_4K, TYRC_PROT_DEFAULT), -EINVAL);
	assert_int_equal(map(f, 0x1000, 0x1800, SZ_4K, TYRC_PROT_DEFAULT), -EINVAL);
	assert_int_equal(map(f, 0x1000, 0x1000, 0x800, TYRC_PROT_DEFAULT), -EINVAL);
	assert_int_equal(map(f, 0x1000, 0x1000, 0, TYRC_PROT_DEFAULT), -EINVAL);
	/* Output address limit: 40 bits. */
	assert_int_equal(map(f, 0x1000, (1ULL << PA_BITS) - SZ_4K, SZ_4K, TYRC_PROT_DEFAULT), 0);
	assert_int_equal(map(f, 0x2000, (1ULL << PA_BITS) - SZ_4K, 2 * SZ_4K, TYRC_PROT_DEFAULT),
			 -EINVAL);
	assert_int_equal(map(f, 0x2000, ~0ULL - 0xFFF, 2 * SZ_4K, TYRC_PROT_DEFAULT), -EINVAL);
	/* Unmap has the same checks. */
	assert_int_equal(unmap(f, last, 2 * SZ_4K), -EINVAL);
	assert_int_equal(unmap(f, 0x1800, SZ_4K), -EINVAL);
	assert_int_equal(unmap(f, 0x1000, 0), -EINVAL);
	assert_int_equal(unmap(f, last, SZ_4K), 0);
	assert_unmapped(f, last);
	unmap_all_and_check_empty(f);
}

static void test_eexist_rolls_back(void **state)
{
	struct fixture *f = *state;
	u64 tables;

	assert_int_equal(map(f, 0x8000, 0x1000, SZ_4K, TYRC_PROT_DEFAULT), 0);
	tables = tyrc_pgtable_table_count(f->pt);
	/* The conflict is in the middle: the first pages must not stay mapped. */
	assert_int_equal(map(f, 0x0, 0x100000, 0x10000, TYRC_PROT_DEFAULT), -EEXIST);
	for (u64 va = 0; va < 0x10000; va += SZ_4K) {
		if (va == 0x8000)
			assert_maps(f, va, 0x1000);
		else
			assert_unmapped(f, va);
	}
	assert_int_equal(tyrc_pgtable_table_count(f->pt), tables);

	/* A block over a page, a page inside a block. */
	assert_int_equal(map(f, 0x0, 0x200000, SZ_2M, TYRC_PROT_DEFAULT), -EEXIST);
	assert_int_equal(map(f, 0x400000, 0x400000, SZ_2M, TYRC_PROT_DEFAULT), 0);
	assert_int_equal(map(f, 0x401000, 0x1000, SZ_4K, TYRC_PROT_DEFAULT), -EEXIST);
	assert_int_equal(map(f, 0x3FF000, 0x1000, 2 * SZ_4K, TYRC_PROT_DEFAULT), -EEXIST);
	assert_unmapped(f, 0x3FF000);
	assert_maps(f, 0x400000, 0x400000);
	/* A run whose tables had to be created is undone, new tables included. */
	assert_int_equal(map(f, 0x40001000, 0x1000, SZ_4K, TYRC_PROT_DEFAULT), 0);
	tables = tyrc_pgtable_table_count(f->pt);
	assert_int_equal(map(f, 0x3FFFF000, 0x2000, 3 * SZ_4K, TYRC_PROT_DEFAULT), -EEXIST);
	assert_unmapped(f, 0x3FFFF000);
	assert_unmapped(f, 0x40000000);
	assert_maps(f, 0x40001000, 0x1000);
	tyrc_pgtable_gather_finish(f->pt, &f->g);
	assert_int_equal(tyrc_pgtable_table_count(f->pt), tables);
	unmap_all_and_check_empty(f);
}

/* Leave exactly @left free pages in RAM; returns the hoard to give back. */
static u64 *hog_ram(struct fixture *f, u64 left, u64 *count)
{
	u64 n = tyrc_ram_free_page_count(f->ram) - left;
	u64 *pages = test_malloc(n * sizeof(*pages));

	for (u64 i = 0; i < n; i++)
		assert_int_equal(tyrc_ram_alloc_pages(f->ram, 0, TYRC_GFP_KERNEL, &pages[i]), 0);
	assert_int_equal(tyrc_ram_free_page_count(f->ram), left);
	*count = n;
	return pages;
}

static void unhog_ram(struct fixture *f, u64 *pages, u64 count)
{
	for (u64 i = 0; i < count; i++)
		tyrc_ram_free_pages(f->ram, pages[i], 0);
	test_free(pages);
}

static void test_enomem_rolls_back(void **state)
{
	struct fixture *f = *state;
	u64 *hoard, count;

	/* Needs L1, L2, L3 for the first 1 GiB, then L2 and L3 for the second: 5. */
	assert_int_equal(map(f, 0x8000, 0x8000, SZ_4K, TYRC_PROT_DEFAULT), 0);
	assert_int_equal(tyrc_pgtable_table_count(f->pt), 4);
	tyrc_pgtable_gather_finish(f->pt, &f->g);
	hoard = hog_ram(f, 1, &count);
	/* The first part fits (existing tables, then a new L3), the second does not. */
	assert_int_equal(map(f, 0x3FFF0000, 0x100000, 0x20000, TYRC_PROT_DEFAULT), -ENOMEM);
	for (u64 va = 0x3FFF0000; va < 0x40010000; va += SZ_4K)
		assert_unmapped(f, va);
	assert_maps(f, 0x8000, 0x8000);
	/* The tables made for the failed map are unlinked, freed after the flush. */
	assert_true(f->g.start <= 0x3FFF0000 && f->g.end >= 0x40010000);
	tyrc_pgtable_gather_finish(f->pt, &f->g);
	assert_int_equal(tyrc_pgtable_table_count(f->pt), 4);
	assert_int_equal(tyrc_ram_free_page_count(f->ram), 1);

	/* Splitting a block needs a table: without one, nothing is unmapped. */
	unhog_ram(f, hoard, count);
	assert_int_equal(map(f, 0x200000, 0x200000, SZ_2M, TYRC_PROT_DEFAULT), 0);
	tyrc_pgtable_gather_finish(f->pt, &f->g);
	hoard = hog_ram(f, 0, &count);
	assert_int_equal(unmap(f, 0x100000, 0x101000), -ENOMEM);
	for (u64 off = 0; off < SZ_2M; off += SZ_4K)
		assert_maps(f, 0x200000 + off, 0x200000 + off);
	hw_pte(f, 0x200000, 2);
	assert_maps(f, 0x8000, 0x8000);
	/* Whole blocks need no table. */
	assert_int_equal(unmap(f, 0x200000, SZ_2M), 0);
	assert_unmapped(f, 0x200000);
	/* Nor does a map with every table in place. */
	assert_int_equal(map(f, 0x9000, 0x9000, 0x10000, TYRC_PROT_DEFAULT), 0);
	/* A new table is needed here. */
	assert_int_equal(map(f, 0x40000000, 0x9000, SZ_4K, TYRC_PROT_DEFAULT), -ENOMEM);
	assert_unmapped(f, 0x40000000);
	unhog_ram(f, hoard, count);
	unmap_all_and_check_empty(f);
}

static void test_unmap_holes(void **state)
{
	struct fixture *f = *state;

	/* Nothing mapped at all. */
	assert_int_equal(unmap(f, 0x0, 1ULL << 40), 0);
	assert_int_equal(tyrc_pgtable_table_count(f->pt), 1);
	/* Sparse: pages and a block with gaps between them. */
	assert_int_equal(map(f, 0x1000, 0x1000, SZ_4K, TYRC_PROT_DEFAULT), 0);
	assert_int_equal(map(f, 0x5000, 0x5000, 2 * SZ_4K, TYRC_PROT_DEFAULT), 0);
	assert_int_equal(map(f, 0x400000, 0x400000, SZ_2M, TYRC_PROT_DEFAULT), 0);
	assert_int_equal(map(f, 0x80000000000ULL, 0x1000, SZ_4K, TYRC_PROT_DEFAULT), 0);
	assert_int_equal(unmap(f, 0x0, 0x800000), 0);
	assert_unmapped(f, 0x1000);
	assert_unmapped(f, 0x6000);
	assert_unmapped(f, 0x400000);
	assert_maps(f, 0x80000000000ULL, 0x1000);
	/* Tables emptied by the unmap are gone: root, L1, L2, L3 of the far page. */
	assert_int_equal(tyrc_pgtable_table_count(f->pt), 4);
	/* Their whole span must be invalidated. */
	assert_true(f->g.start == 0 && f->g.end >= 0x8000000000ULL);
	unmap_all_and_check_empty(f);
}

/* Randomised map/unmap over 64 MiB against a flat array of expected PAs. */
static void test_random_against_reference(void **state)
{
	struct fixture *f = *state;
	const u64 span = 64ULL << 20, npages = span / SZ_4K;
	const u64 base = 0x7FFE000000ULL; /* straddles the 512 GiB boundary */
	u64 *ref = test_calloc(npages, sizeof(*ref));
	u64 seed = 0x9e3779b97f4a7c15ULL;

	for (int iter = 0; iter < 3000; iter++) {
		u64 r, first, n, pa;
		bool blocks;
		int ret;

		seed ^= seed << 13;
		seed ^= seed >> 7;
		seed ^= seed << 17;
		r = seed;
		blocks = r & 1;
		first = (r >> 8) % npages;
		n = 1 + (r >> 32) % (blocks ? 2048 : 64);
		if (blocks)
			first &= ~511ULL;
		if (first + n > npages)
			n = npages - first;
		pa = 0x100000000ULL + ((r >> 20) % 4096) * (blocks ? SZ_2M : SZ_4K);
		if ((r >> 1) & 1) {
			bool busy = false;

			for (u64 i = 0; i < n; i++)
				busy |= ref[first + i] != 0;
			ret = map(f, base + first * SZ_4K, pa, n * SZ_4K, TYRC_PROT_DEFAULT);
			assert_int_equal(ret, busy ? -EEXIST : 0);
			if (!busy) {
				for (u64 i = 0; i < n; i++)
					ref[first + i] = pa + i * SZ_4K;
			}
		} else {
			assert_int_equal(unmap(f, base + first * SZ_4K, n * SZ_4K), 0);
			memset(&ref[first], 0, n * sizeof(*ref));
		}
		if (iter % 100 == 0 || iter == 2999) {
			for (u64 i = 0; i < npages; i++)
				assert_int_equal(hw_phys(f, base + i * SZ_4K), ref[i]);
		}
		tyrc_pgtable_gather_finish(f->pt, &f->g);
	}
	test_free(ref);
	unmap_all_and_check_empty(f);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_args),
		T(test_encodings),
		T(test_block_vs_page_choice),
		T(test_block_split),
		T(test_table_boundaries),
		T(test_va_limits),
		T(test_eexist_rolls_back),
		T(test_enomem_rolls_back),
		T(test_unmap_holes),
		T(test_random_against_reference),
	};
#undef T

	return cmocka_run_group_tests_name("pgtable", tests, NULL, NULL);
}
