// SPDX-License-Identifier: MIT
/* AArch64 stage-1 page tables in board RAM (see the DOC block in tyrc_pgtable.h). */
#include <stdlib.h>

#include "tyrc_pgtable.h"

/**
 * struct tyrc_pgtable_node - CPU-side shadow of one 4 KiB table.
 */
struct tyrc_pgtable_node {
	/** @phys: physical address of the table page. */
	u64 phys;
	/** @desc: the 512 descriptors, through the RAM's linear map. */
	u64 *desc;
	/** @level: 0 (root) .. 3. */
	u32 level;
	/** @live: valid descriptors in @desc. */
	u32 live;
	/** @next: levels 0-2: the table each table descriptor links, else NULL. */
	struct tyrc_pgtable_node **next;
	/** @free_link: next table in a gather's freed list. */
	struct tyrc_pgtable_node *free_link;
};

/** struct tyrc_pgtable - one translation table tree. */
struct tyrc_pgtable {
	/** @ram: where the tables live (not owned). */
	struct tyrc_ram *ram;
	/** @root: the level-0 table. */
	struct tyrc_pgtable_node *root;
	/** @va_limit: end of the input address space (2^va_bits). */
	u64 va_limit;
	/** @pa_limit: end of the output address space (2^pa_bits). */
	u64 pa_limit;
	/** @tables: tables linked in the tree, root included. */
	u64 tables;
};

static u32 pt_shift(u32 level)
{
	return 12 + 9 * (TYRC_PGTABLE_LEVELS - 1 - level);
}

static u64 pt_entry_size(u32 level)
{
	return 1ULL << pt_shift(level);
}

static u32 pt_index(u64 va, u32 level)
{
	return (u32)(va >> pt_shift(level)) & (TYRC_PGTABLE_ENTRIES - 1);
}

static bool pt_is_table(u64 d, u32 level)
{
	return level < TYRC_PGTABLE_LEVELS - 1 && (d & TYRC_PTE_TYPE) == TYRC_PTE_TYPE_TABLE;
}

static bool pt_is_leaf(u64 d, u32 level)
{
	if (level == TYRC_PGTABLE_LEVELS - 1)
		return (d & TYRC_PTE_TYPE) == TYRC_PTE_TYPE_PAGE;
	/* Blocks exist at levels 1 (1 GiB) and 2 (2 MiB). */
	return level > 0 && (d & TYRC_PTE_TYPE) == TYRC_PTE_TYPE_BLOCK;
}

static u64 pt_leaf_type(u32 level)
{
	return level == TYRC_PGTABLE_LEVELS - 1 ? TYRC_PTE_TYPE_PAGE : TYRC_PTE_TYPE_BLOCK;
}

static u64 pt_read(const struct tyrc_pgtable_node *t, u32 idx)
{
	return __atomic_load_n(&t->desc[idx], __ATOMIC_RELAXED);
}

/* Publish a descriptor: everything written before it is visible first. */
static void pt_write(struct tyrc_pgtable_node *t, u32 idx, u64 d)
{
	u64 old = pt_read(t, idx);
	bool was = pt_is_table(old, t->level) || pt_is_leaf(old, t->level);
	bool is = pt_is_table(d, t->level) || pt_is_leaf(d, t->level);

	__atomic_store_n(&t->desc[idx], d, __ATOMIC_RELEASE);
	t->live += (u32)is - (u32)was;
}

static u64 pt_prot_to_attrs(u32 prot)
{
	u64 attrs = TYRC_PTE_NG | TYRC_PTE_AF | TYRC_PTE_AP_UNPRIV;

	if (!(prot & TYRC_PROT_WRITE))
		attrs |= TYRC_PTE_AP_RDONLY;
	if (prot & TYRC_PROT_CACHE)
		attrs |= FIELD_PREP(TYRC_PTE_ATTRINDX, TYRC_PTE_ATTR_IDX_CACHE) |
			 FIELD_PREP(TYRC_PTE_SH, TYRC_PTE_SH_IS);
	else
		attrs |= FIELD_PREP(TYRC_PTE_ATTRINDX, TYRC_PTE_ATTR_IDX_NC) |
			 FIELD_PREP(TYRC_PTE_SH, TYRC_PTE_SH_OS);
	if (prot & TYRC_PROT_NOEXEC)
		attrs |= TYRC_PTE_XN;
	return attrs;
}

static int pt_node_alloc(struct tyrc_pgtable *pt, u32 level, struct tyrc_pgtable_node **out)
{
	struct tyrc_pgtable_node *t = calloc(1, sizeof(*t));
	int ret;

	if (!t)
		return -ENOMEM;
	if (level < TYRC_PGTABLE_LEVELS - 1) {
		t->next = calloc(TYRC_PGTABLE_ENTRIES, sizeof(*t->next));
		if (!t->next) {
			free(t);
			return -ENOMEM;
		}
	}
	ret = tyrc_ram_alloc_pages(pt->ram, 0, TYRC_GFP_ZERO, &t->phys);
	if (ret) {
		free(t->next);
		free(t);
		return ret;
	}
	t->desc = tyrc_ram_phys_to_virt(pt->ram, t->phys);
	t->level = level;
	pt->tables++;
	*out = t;
	return 0;
}

static void pt_node_free(struct tyrc_pgtable *pt, struct tyrc_pgtable_node *t)
{
	tyrc_ram_free_pages(pt->ram, t->phys, 0);
	free(t->next);
	free(t);
}

/* Free @t and everything below it (teardown only). */
static void pt_free_tree(struct tyrc_pgtable *pt, struct tyrc_pgtable_node *t)
{
	if (t->next) {
		for (u32 i = 0; i < TYRC_PGTABLE_ENTRIES; i++) {
			if (t->next[i])
				pt_free_tree(pt, t->next[i]);
		}
	}
	pt_node_free(pt, t);
	pt->tables--;
}

static void pt_gather_range(struct tyrc_pgtable_gather *g, u64 start, u64 end)
{
	if (g->start == g->end) {
		g->start = start;
		g->end = end;
		return;
	}
	g->start = tyrc_min(g->start, start);
	g->end = tyrc_max(g->end, end);
}

/* Unlink the table below @t[@idx] (no longer valid) and hand it to @g. */
static void pt_unlink(struct tyrc_pgtable *pt, struct tyrc_pgtable_node *t, u32 idx, u64 va,
		      struct tyrc_pgtable_gather *g)
{
	struct tyrc_pgtable_node *child = t->next[idx];
	u64 esz = pt_entry_size(t->level);

	pt_write(t, idx, 0);
	t->next[idx] = NULL;
	pt->tables--;
	child->free_link = g->freed;
	g->freed = child;
	/* The GPU may hold walk-cache entries anywhere under the old table. */
	pt_gather_range(g, va & ~(esz - 1), (va & ~(esz - 1)) + esz);
}

/*
 * Map [va, va + size), all inside @t's span, adding the bytes done to @done
 * (always a prefix of the range).
 */
static int pt_map_range(struct tyrc_pgtable *pt, struct tyrc_pgtable_node *t, u64 va, u64 pa,
			u64 size, u64 attrs, u64 *done, struct tyrc_pgtable_gather *g)
{
	u32 level = t->level;
	u64 esz = pt_entry_size(level);
	int ret;

	while (size) {
		u32 idx = pt_index(va, level);
		u64 chunk = tyrc_min(size, esz - (va & (esz - 1)));
		u64 d = pt_read(t, idx);
		struct tyrc_pgtable_node *child;

		if (level == TYRC_PGTABLE_LEVELS - 1 ||
		    (esz == TYRC_PGTABLE_BLOCK_SIZE && chunk == esz && IS_ALIGNED(pa, esz))) {
			if (pt_is_leaf(d, level) || pt_is_table(d, level))
				return -EEXIST;
			pt_write(t, idx, pa | attrs | pt_leaf_type(level));
			*done += chunk;
		} else {
			if (pt_is_leaf(d, level))
				return -EEXIST;
			child = t->next[idx];
			if (!child) {
				ret = pt_node_alloc(pt, level + 1, &child);
				if (ret)
					return ret;
				t->next[idx] = child;
				pt_write(t, idx, child->phys | TYRC_PTE_TYPE_TABLE);
			}
			ret = pt_map_range(pt, child, va, pa, chunk, attrs, done, g);
			if (ret) {
				if (!child->live)
					pt_unlink(pt, t, idx, va, g);
				return ret;
			}
		}
		va += chunk;
		pa += chunk;
		size -= chunk;
	}
	return 0;
}

/*
 * Clear every translation in [va, va + size) inside @t's span. Leaves are
 * either wholly inside the range (pt_split_at() made sure) or outside it.
 */
static void pt_unmap_range(struct tyrc_pgtable *pt, struct tyrc_pgtable_node *t, u64 va, u64 size,
			   struct tyrc_pgtable_gather *g)
{
	u32 level = t->level;
	u64 esz = pt_entry_size(level);

	while (size) {
		u32 idx = pt_index(va, level);
		u64 chunk = tyrc_min(size, esz - (va & (esz - 1)));
		u64 d = pt_read(t, idx);

		if (pt_is_leaf(d, level)) {
			TYRC_BUG_ON(chunk != esz);
			pt_write(t, idx, 0);
		} else if (pt_is_table(d, level)) {
			struct tyrc_pgtable_node *child = t->next[idx];

			pt_unmap_range(pt, child, va, chunk, g);
			if (!child->live)
				pt_unlink(pt, t, idx, va, g);
		}
		va += chunk;
		size -= chunk;
	}
}

/*
 * Make @addr a boundary between leaves: split every block that straddles
 * it into a table of the next level with the same translations and
 * attributes. The new table is complete before it replaces the block.
 */
static int pt_split_at(struct tyrc_pgtable *pt, u64 addr, struct tyrc_pgtable_gather *g)
{
	struct tyrc_pgtable_node *t = pt->root;

	if (addr >= pt->va_limit)
		return 0;
	for (;;) {
		u32 level = t->level;
		u32 idx = pt_index(addr, level);
		u64 esz = pt_entry_size(level);
		u64 d = pt_read(t, idx);
		struct tyrc_pgtable_node *child;
		u64 base, attrs, sub;
		int ret;

		if (pt_is_table(d, level)) {
			t = t->next[idx];
			continue;
		}
		if (!pt_is_leaf(d, level) || IS_ALIGNED(addr, esz))
			return 0;

		/* A block straddles @addr. */
		ret = pt_node_alloc(pt, level + 1, &child);
		if (ret)
			return ret;
		base = d & TYRC_PTE_OA & ~(esz - 1);
		attrs = d & ~(TYRC_PTE_OA | TYRC_PTE_TYPE);
		sub = pt_entry_size(level + 1);
		for (u32 i = 0; i < TYRC_PGTABLE_ENTRIES; i++)
			pt_write(child, i, (base + i * sub) | attrs | pt_leaf_type(level + 1));
		t->next[idx] = child;
		pt_write(t, idx, child->phys | TYRC_PTE_TYPE_TABLE);
		pt_gather_range(g, addr & ~(esz - 1), (addr & ~(esz - 1)) + esz);
		t = child;
	}
}

/* Common argument checks: 4 KiB aligned, non-empty, inside the VA space. */
static int pt_check_range(const struct tyrc_pgtable *pt, u64 va, u64 size)
{
	u64 end;

	if (!size || !IS_ALIGNED(va | size, SZ_4K))
		return -EINVAL;
	if (check_add_overflow(va, size, &end) || end > pt->va_limit)
		return -EINVAL;
	return 0;
}

int tyrc_pgtable_map(struct tyrc_pgtable *pt, u64 va, u64 pa, u64 size, u32 prot,
		     struct tyrc_pgtable_gather *g)
{
	u64 pa_end, done = 0;
	int ret;

	ret = pt_check_range(pt, va, size);
	if (ret)
		return ret;
	if ((prot & ~TYRC_PROT_ALL) || !(prot & TYRC_PROT_READ))
		return -EINVAL;
	if (!IS_ALIGNED(pa, SZ_4K) || check_add_overflow(pa, size, &pa_end) ||
	    pa_end > pt->pa_limit)
		return -EINVAL;

	ret = pt_map_range(pt, pt->root, va, pa, size, pt_prot_to_attrs(prot), &done, g);
	if (ret && done)
		pt_unmap_range(pt, pt->root, va, done, g);
	pt_gather_range(g, va, va + size);
	return ret;
}

int tyrc_pgtable_unmap(struct tyrc_pgtable *pt, u64 va, u64 size, struct tyrc_pgtable_gather *g)
{
	int ret;

	ret = pt_check_range(pt, va, size);
	if (ret)
		return ret;
	ret = pt_split_at(pt, va, g);
	if (!ret)
		ret = pt_split_at(pt, va + size, g);
	if (ret)
		return ret;
	pt_unmap_range(pt, pt->root, va, size, g);
	pt_gather_range(g, va, va + size);
	return 0;
}

int tyrc_pgtable_lookup(const struct tyrc_pgtable *pt, u64 va, u64 *pte, u32 *level)
{
	const struct tyrc_pgtable_node *t = pt->root;

	if (va >= pt->va_limit)
		return -ENOENT;
	for (;;) {
		u64 d = pt_read(t, pt_index(va, t->level));

		if (pt_is_table(d, t->level)) {
			t = t->next[pt_index(va, t->level)];
			continue;
		}
		if (!pt_is_leaf(d, t->level))
			return -ENOENT;
		if (pte)
			*pte = d;
		if (level)
			*level = t->level;
		return 0;
	}
}

u64 tyrc_pgtable_iova_to_phys(const struct tyrc_pgtable *pt, u64 va)
{
	u64 d;
	u32 level;

	if (tyrc_pgtable_lookup(pt, va, &d, &level))
		return 0;
	return (d & TYRC_PTE_OA & ~(pt_entry_size(level) - 1)) | (va & (pt_entry_size(level) - 1));
}

void tyrc_pgtable_gather_init(struct tyrc_pgtable_gather *g)
{
	*g = (struct tyrc_pgtable_gather){ 0 };
}

void tyrc_pgtable_gather_finish(struct tyrc_pgtable *pt, struct tyrc_pgtable_gather *g)
{
	while (g->freed) {
		struct tyrc_pgtable_node *t = g->freed;

		g->freed = t->free_link;
		/* Only empty tables are unlinked, so there is nothing below. */
		TYRC_BUG_ON(t->live);
		pt_node_free(pt, t);
	}
	tyrc_pgtable_gather_init(g);
}

int tyrc_pgtable_create(struct tyrc_ram *ram, u32 va_bits, u32 pa_bits, struct tyrc_pgtable **out)
{
	struct tyrc_pgtable *pt;
	int ret;

	if (va_bits != TYRC_PGTABLE_VA_BITS || pa_bits < 32 || pa_bits > 48)
		return -EINVAL;
	pt = calloc(1, sizeof(*pt));
	if (!pt)
		return -ENOMEM;
	pt->ram = ram;
	pt->va_limit = 1ULL << va_bits;
	pt->pa_limit = 1ULL << pa_bits;
	ret = pt_node_alloc(pt, 0, &pt->root);
	if (ret) {
		free(pt);
		return ret;
	}
	*out = pt;
	return 0;
}

void tyrc_pgtable_destroy(struct tyrc_pgtable *pt)
{
	if (!pt)
		return;
	pt_free_tree(pt, pt->root);
	TYRC_WARN_ON(pt->tables);
	free(pt);
}

u64 tyrc_pgtable_root(const struct tyrc_pgtable *pt)
{
	return pt->root->phys;
}

u64 tyrc_pgtable_table_count(const struct tyrc_pgtable *pt)
{
	return pt->tables;
}
