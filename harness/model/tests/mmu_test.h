/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the MMU tests: page tables built by hand in the
 * fixture's RAM with the exact descriptor encodings of mali-g610-hw.md §9,
 * address-space setup through the registers (the way panthor does it), and
 * AS commands that wait for AS_ACTIVE to clear.
 */
#ifndef MMU_TEST_H
#define MMU_TEST_H

#include "model_test.h"

/* Leaf and table descriptors as panthor produces them (§9, [computed] examples). */
#define PTE_PAGE(pa) ((u64)(pa) | 0xf47ULL) /* RW, cached, exec */
#define PTE_PAGE_RO_NX_NC(pa) ((u64)(pa) | 0x0060000000000ec3ULL) /* RO, no-exec, uncached */
#define PTE_BLOCK(pa) ((u64)(pa) | 0xf45ULL) /* L1/L2 block */
#define PTE_TABLE(pa) ((u64)(pa) | 3ULL)
#define PTE_AP_RDONLY BIT_ULL(7)
#define PTE_AF BIT_ULL(10)
#define PTE_ATTRINDX(i) ((u64)(i) << 2)
#define PTE_ATTRINDX_MASK GENMASK_ULL(4, 2)
#define PTE_UXN BIT_ULL(54)
#define PTE_PXN BIT_ULL(53)
#define PTE_SW_BITS GENMASK_ULL(58, 55)
#define PTE_TABLE_AP_RDONLY BIT_ULL(62)
#define PTE_TABLE_UXN BIT_ULL(60)

/* panthor's live AS on a non-coherent SoC (§8.2). */
#define TEST_TRANSCFG 0x420001c6ULL
#define TEST_MEMATTR 0x4c4c4c4c8c4c8f4cULL

/* AS used by most tests (AS 0 is the MCU's; any present AS works the same). */
#define TEST_AS 1u

/* Exception codes checked by the tests (§10). */
#define EXC_TRANSLATION(l) (0xc0u + (l))
#define EXC_PERMISSION(l) (0xc8u + (l))
#define EXC_TT_BUS(l) (0xd0u + (l))
#define EXC_ACCESS_FLAG(l) (0xd8u + (l))
#define EXC_ADDR_SIZE_IN 0xe0u
#define EXC_ADDR_SIZE_OUT(l) (0xe4u + (l))
#define EXC_MEM_ATTR(l) (0xe8u + (l))
#define EXC_GPU_BUS_FAULT 0x80u

#define ACCESS_EXECUTE 1u
#define ACCESS_READ 2u
#define ACCESS_WRITE 3u

static inline u64 ram_alloc(struct model_fixture *f, unsigned int order)
{
	u64 pa = 0;

	assert_int_equal(tyrc_ram_alloc_pages(f->ram, order, TYRC_GFP_ZERO, &pa), 0);
	return pa;
}

static inline void *ram_ptr(struct model_fixture *f, u64 pa)
{
	void *p = tyrc_ram_phys_to_virt(f->ram, pa);

	assert_non_null(p);
	return p;
}

/* A zeroed page for a table or for data. */
static inline u64 pt_new_table(struct model_fixture *f)
{
	return ram_alloc(f, 0);
}

/* Entry @idx of the table at @table; written with atomic stores, as a CPU publishing PTEs. */
static inline u64 *pt_entry(struct model_fixture *f, u64 table, unsigned int idx)
{
	return (u64 *)ram_ptr(f, table) + idx;
}

static inline void pt_set(struct model_fixture *f, u64 table, unsigned int idx, u64 desc)
{
	__atomic_store_n(pt_entry(f, table, idx), desc, __ATOMIC_RELEASE);
}

static inline u64 pt_get(struct model_fixture *f, u64 table, unsigned int idx)
{
	return __atomic_load_n(pt_entry(f, table, idx), __ATOMIC_ACQUIRE);
}

static inline unsigned int pt_index(u64 va, unsigned int level)
{
	return (unsigned int)((va >> (12 + 9 * (3 - level))) & 0x1ff);
}

/*
 * The table at @level (>= 1) on the way to @va from the level-0 table @root,
 * creating missing tables. Return: its physical address.
 */
static inline u64 pt_table_for(struct model_fixture *f, u64 root, u64 va, unsigned int level)
{
	u64 table = root;

	for (unsigned int l = 0; l < level; l++) {
		u64 desc = pt_get(f, table, pt_index(va, l));

		if ((desc & 3) != 3) {
			desc = PTE_TABLE(pt_new_table(f));
			pt_set(f, table, pt_index(va, l), desc);
		}
		table = desc & GENMASK_ULL(47, 12);
	}
	return table;
}

/* Set the descriptor of @va at @level (a leaf or anything else). Return: its table. */
static inline u64 pt_set_leaf(struct model_fixture *f, u64 root, u64 va, unsigned int level,
			      u64 desc)
{
	u64 table = pt_table_for(f, root, va, level);

	pt_set(f, table, pt_index(va, level), desc);
	return table;
}

static inline void pt_map_page(struct model_fixture *f, u64 root, u64 va, u64 pte)
{
	pt_set_leaf(f, root, va, 3, pte);
}

/* Wait for AS_ACTIVE to clear (bounded), like panthor before and after every command. */
static inline void as_wait(struct model_fixture *f, unsigned int as)
{
	poll32(f, MMU_AS(as) + AS_STATUS, AS_STATUS_AS_ACTIVE, 0);
}

static inline void as_cmd(struct model_fixture *f, unsigned int as, u32 cmd)
{
	as_wait(f, as);
	wr(f, MMU_AS(as) + AS_COMMAND, cmd);
	as_wait(f, as);
}

/* Program and UPDATE an address space (panthor's AS enable, without the flush). */
static inline void as_enable(struct model_fixture *f, unsigned int as, u64 root, u64 transcfg)
{
	wr64(f, MMU_AS(as) + AS_TRANSTAB, root);
	wr64(f, MMU_AS(as) + AS_MEMATTR, TEST_MEMATTR);
	wr64(f, MMU_AS(as) + AS_TRANSCFG, transcfg);
	as_cmd(f, as, AS_COMMAND_UPDATE);
}

/* panthor's current range flush: LOCK, GPU_CMD FLUSH_CACHES, UNLOCK. */
static inline void as_flush_lock_caches_unlock(struct model_fixture *f, unsigned int as, u64 va,
					       u64 size)
{
	wr64(f, MMU_AS(as) + AS_LOCKADDR, tyrc_mmu_lockaddr(va, size));
	as_cmd(f, as, AS_COMMAND_LOCK);
	wr(f, GPU_INT_CLEAR, GPU_IRQ_CLEAN_CACHES_COMPLETED);
	wr(f, GPU_CMD,
	   tyrc_gpu_cmd_flush_caches(GPU_CACHE_OP_CLEAN_INVALIDATE, GPU_CACHE_OP_NONE,
				     GPU_CACHE_OP_NONE));
	poll32(f, GPU_INT_RAWSTAT, GPU_IRQ_CLEAN_CACHES_COMPLETED, GPU_IRQ_CLEAN_CACHES_COMPLETED);
	wr(f, GPU_INT_CLEAR, GPU_IRQ_CLEAN_CACHES_COMPLETED);
	as_cmd(f, as, AS_COMMAND_UNLOCK);
}

/* The older sequence: LOCK, then AS_COMMAND @flush (FLUSH_PT or FLUSH_MEM). */
static inline void as_flush_lock_flush(struct model_fixture *f, unsigned int as, u64 va, u64 size,
				       u32 flush)
{
	wr64(f, MMU_AS(as) + AS_LOCKADDR, tyrc_mmu_lockaddr(va, size));
	as_cmd(f, as, AS_COMMAND_LOCK);
	as_cmd(f, as, flush);
}

/* Expect the recorded fault of @as, then acknowledge it (MMU_INT_CLEAR). */
static inline void expect_fault(struct model_fixture *f, unsigned int as, u32 exception, u32 access,
				u64 va)
{
	u32 status = rd(f, MMU_AS(as) + AS_FAULTSTATUS);

	assert_true(rd(f, MMU_INT_RAWSTAT) & MMU_INT_AS_FAULT(as));
	if (FIELD_GET(AS_FAULTSTATUS_EXCEPTION_TYPE, status) != exception)
		fail_msg("exception 0x%x (%s), expected 0x%x (%s)",
			 (u32)FIELD_GET(AS_FAULTSTATUS_EXCEPTION_TYPE, status),
			 tyrc_exception_name((u32)FIELD_GET(AS_FAULTSTATUS_EXCEPTION_TYPE, status)),
			 exception, tyrc_exception_name(exception));
	assert_int_equal(FIELD_GET(AS_FAULTSTATUS_ACCESS_TYPE, status), access);
	assert_int_equal(status & ~(AS_FAULTSTATUS_EXCEPTION_TYPE | AS_FAULTSTATUS_ACCESS_TYPE), 0);
	assert_int_equal(rd64(f, MMU_AS(as) + AS_FAULTADDRESS), va);
	assert_int_equal(rd64(f, MMU_AS(as) + AS_FAULTEXTRA), 0);
	wr(f, MMU_INT_CLEAR, MMU_INT_AS_FAULT(as));
	assert_int_equal(rd(f, MMU_INT_RAWSTAT), 0);
}

static inline void expect_no_fault(struct model_fixture *f)
{
	assert_int_equal(rd(f, MMU_INT_RAWSTAT), 0);
}

/* GPU read of a u32 at @va in @as. Return: the tyrc_model_gpu_read() result. */
static inline int gpu_rd32(struct model_fixture *f, unsigned int as, u64 va, u32 *v)
{
	return tyrc_model_gpu_read(f->model, as, va, v, sizeof(*v));
}

/* A data page whose first word is @tag. */
static inline u64 data_page(struct model_fixture *f, u32 tag)
{
	u64 pa = ram_alloc(f, 0);

	*(u32 *)ram_ptr(f, pa) = tag;
	return pa;
}

/* Read the u32 at @va through the GPU and require success with value @expect. */
static inline void expect_read(struct model_fixture *f, unsigned int as, u64 va, u32 expect)
{
	u32 v = 0;

	assert_int_equal(gpu_rd32(f, as, va, &v), 0);
	assert_int_equal(v, expect);
}

#endif /* MMU_TEST_H */
