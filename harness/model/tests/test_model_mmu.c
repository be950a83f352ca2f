// SPDX-License-Identifier: MIT
/*
 * AS commands and the TLB: UPDATE latching, command latency and AS_ACTIVE,
 * commands ignored while one runs, LOCKADDR decoding and stalled accesses,
 * stale translations until a correct invalidation (both panthor sequences,
 * and the ones that must not invalidate), block entries, FIFO eviction,
 * reset, and remapping under concurrent GPU accesses.
 *
 * "Not yet" checks on timed commands are guarded by the clock (see
 * test_model_timing.c): they are asserted only when the test can prove the
 * command's latency had not elapsed.
 */
#include <pthread.h>

#include "mmu_test.h"

#define LAT (2 * NSEC_PER_MSEC)

/* A model whose AS commands take LAT and everything else is instant. */
static int setup_timed(void **state)
{
	struct model_fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	tyrc_model_config_init_g610(&f->cfg);
	f->cfg.soft_reset_ns = f->cfg.hard_reset_ns = 0;
	f->cfg.l2_power_ns = f->cfg.core_power_ns = f->cfg.cache_flush_ns = 0;
	f->cfg.as_command_ns = LAT;
	if (tyrc_ram_create(TEST_RAM_BASE, TEST_RAM_SIZE, &f->ram))
		goto err_free;
	if (tyrc_model_create(&f->cfg, f->ram, &f->model))
		goto err_ram;
	f->io = tyrc_model_iomem(f->model);
	*state = f;
	return 0;

err_ram:
	tyrc_ram_destroy(f->ram);
err_free:
	free(f);
	return -1;
}

/* A fresh level-0 table with @va mapped to @pa (default attributes). */
static u64 root_with(struct model_fixture *f, u64 va, u64 pa)
{
	u64 root = pt_new_table(f);

	pt_map_page(f, root, va, PTE_PAGE(pa));
	return root;
}

/* Point the L3 entry of @va (which must exist) at @pte, without any invalidation. */
static void remap(struct model_fixture *f, u64 root, u64 va, u64 pte)
{
	pt_set(f, pt_table_for(f, root, va, 3), pt_index(va, 3), pte);
}

static void test_update_latches_config(void **state)
{
	struct model_fixture *f = *state;
	u64 va = 0x100000, va2 = 0x200000;
	u64 root_a = root_with(f, va, data_page(f, 0xa));
	u64 root_b = root_with(f, va, data_page(f, 0xb));
	u32 v;

	pt_map_page(f, root_a, va2, PTE_PAGE(data_page(f, 0xa2)));
	pt_map_page(f, root_b, va2, PTE_PAGE(data_page(f, 0xb2)));

	/* Registers alone do nothing: the AS still has its reset configuration. */
	wr64(f, MMU_AS(TEST_AS) + AS_TRANSTAB, root_a);
	wr64(f, MMU_AS(TEST_AS) + AS_MEMATTR, TEST_MEMATTR);
	wr64(f, MMU_AS(TEST_AS) + AS_TRANSCFG, TEST_TRANSCFG);
	assert_int_equal(gpu_rd32(f, TEST_AS, va, &v), -EFAULT);
	expect_fault(f, TEST_AS, EXC_TRANSLATION(0), ACCESS_READ, va);
	as_cmd(f, TEST_AS, AS_COMMAND_UPDATE);
	expect_read(f, TEST_AS, va, 0xa);

	/* A new TRANSTAB reads back but walks (va2 is not cached) use the live one. */
	wr64(f, MMU_AS(TEST_AS) + AS_TRANSTAB, root_b);
	assert_int_equal(rd64(f, MMU_AS(TEST_AS) + AS_TRANSTAB), root_b);
	expect_read(f, TEST_AS, va2, 0xa2);
	as_cmd(f, TEST_AS, AS_COMMAND_UPDATE);
	expect_read(f, TEST_AS, va, 0xb);
	expect_read(f, TEST_AS, va2, 0xb2);

	/* Disabling the AS takes an UPDATE too. */
	wr64(f, MMU_AS(TEST_AS) + AS_TRANSTAB, 0);
	wr64(f, MMU_AS(TEST_AS) + AS_MEMATTR, 0);
	wr64(f, MMU_AS(TEST_AS) + AS_TRANSCFG, tyrc_mmu_transcfg_unmapped());
	expect_read(f, TEST_AS, va, 0xb);
	as_cmd(f, TEST_AS, AS_COMMAND_UPDATE);
	assert_int_equal(gpu_rd32(f, TEST_AS, va, &v), -EFAULT);
	expect_fault(f, TEST_AS, EXC_TRANSLATION(0), ACCESS_READ, va);
	assert_int_equal(rd64(f, MMU_AS(TEST_AS) + AS_TRANSCFG), 1);
}

static void test_commands_take_time(void **state)
{
	struct model_fixture *f = *state;
	u64 va = 0x100000, va2 = 0x300000;
	u64 root_a = root_with(f, va, data_page(f, 0xa));
	u64 root_b = root_with(f, va2, data_page(f, 0xb));
	u64 t0, t1, done;
	u32 status, v;
	int in_lock;

	pt_map_page(f, root_a, va2, PTE_PAGE(data_page(f, 0xa2)));
	as_enable(f, TEST_AS, root_a, TEST_TRANSCFG);
	expect_read(f, TEST_AS, va, 0xa);

	/* LOCK: AS_ACTIVE for LAT; the region is locked from the write on. */
	wr64(f, MMU_AS(TEST_AS) + AS_LOCKADDR, tyrc_mmu_lockaddr(va, SZ_4K));
	t0 = tyrc_ktime_get_ns();
	wr(f, MMU_AS(TEST_AS) + AS_COMMAND, AS_COMMAND_LOCK);
	status = rd(f, MMU_AS(TEST_AS) + AS_STATUS);
	in_lock = gpu_rd32(f, TEST_AS, va, &v);
	/* Written while LOCK runs: ignored. */
	wr(f, MMU_AS(TEST_AS) + AS_COMMAND, AS_COMMAND_UNLOCK);
	t1 = tyrc_ktime_get_ns();
	assert_int_equal(in_lock, -EAGAIN);
	if (t1 < t0 + LAT)
		assert_int_equal(status, AS_STATUS_AS_ACTIVE);
	else
		print_message("# slow host: skipped the AS_ACTIVE check\n");
	done = poll32(f, MMU_AS(TEST_AS) + AS_STATUS, AS_STATUS_AS_ACTIVE, 0);
	assert_true(done >= t0 + LAT);
	if (t1 < t0 + LAT)
		assert_int_equal(gpu_rd32(f, TEST_AS, va, &v), -EAGAIN);
	as_cmd(f, TEST_AS, AS_COMMAND_UNLOCK);
	expect_read(f, TEST_AS, va, 0xa);

	/* UPDATE: until it completes, walks (va2 is not cached) use the old tables. */
	wr64(f, MMU_AS(TEST_AS) + AS_TRANSTAB, root_b);
	t0 = tyrc_ktime_get_ns();
	wr(f, MMU_AS(TEST_AS) + AS_COMMAND, AS_COMMAND_UPDATE);
	in_lock = gpu_rd32(f, TEST_AS, va2, &v);
	t1 = tyrc_ktime_get_ns();
	if (t1 < t0 + LAT) {
		assert_int_equal(in_lock, 0);
		assert_int_equal(v, 0xa2);
	}
	done = poll32(f, MMU_AS(TEST_AS) + AS_STATUS, AS_STATUS_AS_ACTIVE, 0);
	assert_true(done >= t0 + LAT);
	expect_read(f, TEST_AS, va2, 0xb);
	/* The TLB went with the old configuration: va is not mapped in root_b. */
	assert_int_equal(gpu_rd32(f, TEST_AS, va, &v), -EFAULT);
	expect_fault(f, TEST_AS, EXC_TRANSLATION(2), ACCESS_READ, va);

	/* NOP and unknown commands do not start anything. */
	wr(f, MMU_AS(TEST_AS) + AS_COMMAND, AS_COMMAND_NOP);
	assert_int_equal(rd(f, MMU_AS(TEST_AS) + AS_STATUS), 0);
	wr(f, MMU_AS(TEST_AS) + AS_COMMAND, 0x1234);
	assert_int_equal(rd(f, MMU_AS(TEST_AS) + AS_STATUS), 0);
}

/* Once the latency has passed the GPU sees the command's effect, with no register read. */
static void test_update_visible_after_latency(void **state)
{
	struct model_fixture *f = *state;
	u64 va = 0x100000;
	u64 root = root_with(f, va, data_page(f, 0xd0e));
	u64 t1;

	wr64(f, MMU_AS(TEST_AS) + AS_TRANSTAB, root);
	wr64(f, MMU_AS(TEST_AS) + AS_MEMATTR, TEST_MEMATTR);
	wr64(f, MMU_AS(TEST_AS) + AS_TRANSCFG, TEST_TRANSCFG);
	wr(f, MMU_AS(TEST_AS) + AS_COMMAND, AS_COMMAND_UPDATE);
	t1 = tyrc_ktime_get_ns();
	wait_until_ns(t1 + LAT);
	expect_read(f, TEST_AS, va, 0xd0e);
}

/* LOCKADDR decoding (§8.3), checked through stalled accesses in IDENTITY mode. */
static void test_lock_regions(void **state)
{
	struct model_fixture *f = *state;
	const u64 base = TEST_RAM_BASE + 0x1000000;
	u32 v = 0;
	const struct {
		u64 lockaddr;
		u64 first, last;
	} cases[] = {
		/* 4 KiB at base: the minimum 32 KiB region. */
		{ tyrc_mmu_lockaddr(base, SZ_4K), base, base + 0x7fff },
		/* Width 0 at an unaligned address: still 32 KiB, aligned down. */
		{ base + 0x34540, base + 0x30000, base + 0x37fff },
		/* 2 MiB */
		{ tyrc_mmu_lockaddr(base + 0x200000, SZ_2M), base + 0x200000, base + 0x3fffff },
		/* The whole VA. */
		{ 0x3f, 0, ~0ULL },
	};

	assert_int_equal(tyrc_mmu_lockaddr(0x1000000, SZ_4K), 0x100000eULL);
	assert_int_equal(tyrc_mmu_lockaddr(0x200000, SZ_2M), 0x200014ULL);
	as_enable(f, TEST_AS, 0, AS_TRANSCFG_ADRMODE_IDENTITY);
	for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
		u64 first = cases[i].first, last = cases[i].last;

		wr64(f, MMU_AS(TEST_AS) + AS_LOCKADDR, cases[i].lockaddr);
		as_cmd(f, TEST_AS, AS_COMMAND_LOCK);
		assert_int_equal(gpu_rd32(f, TEST_AS, first, &v), -EAGAIN);
		assert_int_equal(gpu_rd32(f, TEST_AS, tyrc_max(first, last - 3), &v), -EAGAIN);
		if (first != 0) {
			assert_int_equal(gpu_rd32(f, TEST_AS, first - 4, &v), 0);
			assert_int_equal(gpu_rd32(f, TEST_AS, last + 1, &v), 0);
			/* A range reaching into the region stalls as a whole: nothing is written. */
			*(u32 *)ram_ptr(f, first - 4) = 0x5a5a;
			v = 0x1111;
			assert_int_equal(tyrc_model_gpu_write(f->model, TEST_AS, first - 2, &v, 4),
					 -EAGAIN);
			assert_int_equal(*(u32 *)ram_ptr(f, first - 4), 0x5a5a);
		}
		expect_no_fault(f);
		as_cmd(f, TEST_AS, AS_COMMAND_UNLOCK);
		assert_int_equal(gpu_rd32(f, TEST_AS, first == 0 ? base : first, &v), 0);
	}

	/* A second LOCK replaces the region. */
	wr64(f, MMU_AS(TEST_AS) + AS_LOCKADDR, tyrc_mmu_lockaddr(base, SZ_4K));
	as_cmd(f, TEST_AS, AS_COMMAND_LOCK);
	wr64(f, MMU_AS(TEST_AS) + AS_LOCKADDR, tyrc_mmu_lockaddr(base + SZ_2M, SZ_4K));
	as_cmd(f, TEST_AS, AS_COMMAND_LOCK);
	assert_int_equal(gpu_rd32(f, TEST_AS, base, &v), 0);
	assert_int_equal(gpu_rd32(f, TEST_AS, base + SZ_2M, &v), -EAGAIN);
	/* FLUSH_MEM unlocks. */
	as_cmd(f, TEST_AS, AS_COMMAND_FLUSH_MEM);
	assert_int_equal(gpu_rd32(f, TEST_AS, base + SZ_2M, &v), 0);
	/* Other address spaces are not affected by a lock. */
	as_enable(f, 2, 0, AS_TRANSCFG_ADRMODE_IDENTITY);
	wr64(f, MMU_AS(TEST_AS) + AS_LOCKADDR, 0x3f);
	as_cmd(f, TEST_AS, AS_COMMAND_LOCK);
	assert_int_equal(gpu_rd32(f, 2, base, &v), 0);
	as_cmd(f, TEST_AS, AS_COMMAND_UNLOCK);
}

enum invalidation {
	INV_LOCK_FLUSH_MEM,
	INV_LOCK_FLUSH_PT,
	INV_LOCK_FLUSH_CACHES_UNLOCK,
	INV_UPDATE,
	INV_COUNT,
};

static const char *const inv_names[INV_COUNT] = {
	[INV_LOCK_FLUSH_MEM] = "LOCK + FLUSH_MEM",
	[INV_LOCK_FLUSH_PT] = "LOCK + FLUSH_PT",
	[INV_LOCK_FLUSH_CACHES_UNLOCK] = "LOCK + GPU_CMD FLUSH_CACHES + UNLOCK",
	[INV_UPDATE] = "UPDATE",
};

static void invalidate(struct model_fixture *f, enum invalidation how, u64 va)
{
	switch (how) {
	case INV_LOCK_FLUSH_MEM:
		as_flush_lock_flush(f, TEST_AS, va, SZ_4K, AS_COMMAND_FLUSH_MEM);
		break;
	case INV_LOCK_FLUSH_PT:
		as_flush_lock_flush(f, TEST_AS, va, SZ_4K, AS_COMMAND_FLUSH_PT);
		break;
	case INV_LOCK_FLUSH_CACHES_UNLOCK:
		as_flush_lock_caches_unlock(f, TEST_AS, va, SZ_4K);
		break;
	default:
		as_cmd(f, TEST_AS, AS_COMMAND_UPDATE);
		break;
	}
}

/* What must not drop a cached translation. */
static void not_invalidations(struct model_fixture *f, u64 va)
{
	/* A cache flush alone. */
	wr(f, GPU_CMD,
	   tyrc_gpu_cmd_flush_caches(GPU_CACHE_OP_CLEAN_INVALIDATE, GPU_CACHE_OP_CLEAN_INVALIDATE,
				     GPU_CACHE_OP_NONE));
	poll32(f, GPU_INT_RAWSTAT, GPU_IRQ_CLEAN_CACHES_COMPLETED, GPU_IRQ_CLEAN_CACHES_COMPLETED);
	wr(f, GPU_INT_CLEAR, GPU_IRQ_CLEAN_CACHES_COMPLETED);
	/* UNLOCK and FLUSH_* without a LOCK, with LOCKADDR covering the page. */
	wr64(f, MMU_AS(TEST_AS) + AS_LOCKADDR, tyrc_mmu_lockaddr(va, SZ_4K));
	as_cmd(f, TEST_AS, AS_COMMAND_UNLOCK);
	as_cmd(f, TEST_AS, AS_COMMAND_FLUSH_MEM);
	as_cmd(f, TEST_AS, AS_COMMAND_FLUSH_PT);
	/* A LOCK + FLUSH_MEM of a region next to it. */
	as_flush_lock_flush(f, TEST_AS, va + 0x8000, SZ_4K, AS_COMMAND_FLUSH_MEM);
	/* An UPDATE of another address space. */
	as_cmd(f, TEST_AS + 1, AS_COMMAND_UPDATE);
}

/*
 * The point of the TLB: a PTE rewritten without invalidation keeps
 * translating to the old page, for reads and writes, until one of the
 * invalidation sequences runs.
 */
static void test_tlb_stale_until_invalidated(void **state)
{
	struct model_fixture *f = *state;
	u64 root = pt_new_table(f);

	as_enable(f, TEST_AS, root, TEST_TRANSCFG);
	for (unsigned int how = 0; how < INV_COUNT; how++) {
		u64 va = 0x10000000 + how * 0x100000;
		u64 a = data_page(f, 0xaaa0 + how), b = data_page(f, 0xbbb0 + how);
		u32 w = 0x57a1e;

		print_message("# %s\n", inv_names[how]);
		pt_map_page(f, root, va, PTE_PAGE(a));
		expect_read(f, TEST_AS, va, 0xaaa0 + how);
		remap(f, root, va, PTE_PAGE(b));
		expect_read(f, TEST_AS, va, 0xaaa0 + how);
		/* Writes go through the stale translation too. */
		assert_int_equal(tyrc_model_gpu_write(f->model, TEST_AS, va + 4, &w, 4), 0);
		assert_int_equal(*((u32 *)ram_ptr(f, a) + 1), 0x57a1e);
		assert_int_equal(*((u32 *)ram_ptr(f, b) + 1), 0);
		not_invalidations(f, va);
		expect_read(f, TEST_AS, va, 0xaaa0 + how);

		invalidate(f, how, va);
		expect_read(f, TEST_AS, va, 0xbbb0 + how);
		expect_no_fault(f);
	}
}

/*
 * panthor's map/unmap: LOCK the range, update the tables while locked
 * (GPU accesses to the range stall meanwhile), then flush and unlock, in the
 * current and the older style.
 */
static void test_update_while_locked(void **state)
{
	struct model_fixture *f = *state;
	u64 root = pt_new_table(f), va = 0x20000000;
	u64 a = data_page(f, 0xa), b = data_page(f, 0xb), c = data_page(f, 0xc);
	u32 v;

	as_enable(f, TEST_AS, root, TEST_TRANSCFG);
	pt_map_page(f, root, va, PTE_PAGE(a));
	expect_read(f, TEST_AS, va, 0xa);

	wr64(f, MMU_AS(TEST_AS) + AS_LOCKADDR, tyrc_mmu_lockaddr(va, SZ_4K));
	as_cmd(f, TEST_AS, AS_COMMAND_LOCK);
	assert_int_equal(gpu_rd32(f, TEST_AS, va, &v), -EAGAIN);
	remap(f, root, va, PTE_PAGE(b));
	assert_int_equal(gpu_rd32(f, TEST_AS, va, &v), -EAGAIN);
	wr(f, GPU_CMD,
	   tyrc_gpu_cmd_flush_caches(GPU_CACHE_OP_CLEAN_INVALIDATE, GPU_CACHE_OP_NONE,
				     GPU_CACHE_OP_NONE));
	poll32(f, GPU_INT_RAWSTAT, GPU_IRQ_CLEAN_CACHES_COMPLETED, GPU_IRQ_CLEAN_CACHES_COMPLETED);
	wr(f, GPU_INT_CLEAR, GPU_IRQ_CLEAN_CACHES_COMPLETED);
	/* A cache flush does not release the lock. */
	assert_int_equal(gpu_rd32(f, TEST_AS, va, &v), -EAGAIN);
	as_cmd(f, TEST_AS, AS_COMMAND_UNLOCK);
	expect_read(f, TEST_AS, va, 0xb);

	wr64(f, MMU_AS(TEST_AS) + AS_LOCKADDR, tyrc_mmu_lockaddr(va, SZ_4K));
	as_cmd(f, TEST_AS, AS_COMMAND_LOCK);
	remap(f, root, va, PTE_PAGE(c));
	as_cmd(f, TEST_AS, AS_COMMAND_FLUSH_PT);
	expect_read(f, TEST_AS, va, 0xc);
	expect_no_fault(f);
}

/* An unmapped page keeps translating until invalidated, then faults. */
static void test_tlb_stale_unmap(void **state)
{
	struct model_fixture *f = *state;
	u64 va = 0x30000000;
	u64 root = root_with(f, va, data_page(f, 0x0d));
	u32 v;

	as_enable(f, TEST_AS, root, TEST_TRANSCFG);
	expect_read(f, TEST_AS, va, 0x0d);
	remap(f, root, va, 0);
	expect_read(f, TEST_AS, va, 0x0d);
	as_flush_lock_caches_unlock(f, TEST_AS, va, SZ_4K);
	assert_int_equal(gpu_rd32(f, TEST_AS, va, &v), -EFAULT);
	expect_fault(f, TEST_AS, EXC_TRANSLATION(3), ACCESS_READ, va);
}

/* Permissions are cached with the translation. */
static void test_tlb_stale_permissions(void **state)
{
	struct model_fixture *f = *state;
	u64 va = 0x31000000, page = data_page(f, 0);
	u64 root = root_with(f, va, page);
	u32 w = 1;

	as_enable(f, TEST_AS, root, TEST_TRANSCFG);
	assert_int_equal(tyrc_model_gpu_write(f->model, TEST_AS, va, &w, 4), 0);
	remap(f, root, va, PTE_PAGE(page) | PTE_AP_RDONLY);
	w = 2;
	assert_int_equal(tyrc_model_gpu_write(f->model, TEST_AS, va, &w, 4), 0);
	assert_int_equal(*(u32 *)ram_ptr(f, page), 2);
	as_flush_lock_flush(f, TEST_AS, va, SZ_4K, AS_COMMAND_FLUSH_MEM);
	assert_int_equal(tyrc_model_gpu_write(f->model, TEST_AS, va, &w, 4), -EFAULT);
	expect_fault(f, TEST_AS, EXC_PERMISSION(3), ACCESS_WRITE, va);
}

/* A block's TLB entry covers the whole block: invalidating part of it drops it all. */
static void test_tlb_block_entry(void **state)
{
	struct model_fixture *f = *state;
	u64 root = pt_new_table(f), va = 0x40000000, l2;
	u64 a = ram_alloc(f, 9), b = ram_alloc(f, 9);

	*(u32 *)ram_ptr(f, a + 0x100000) = 0xa;
	*(u32 *)ram_ptr(f, b + 0x100000) = 0xb;
	l2 = pt_set_leaf(f, root, va, 2, PTE_BLOCK(a));
	as_enable(f, TEST_AS, root, TEST_TRANSCFG);
	expect_read(f, TEST_AS, va + 0x100000, 0xa);
	pt_set(f, l2, pt_index(va, 2), PTE_BLOCK(b));
	expect_read(f, TEST_AS, va + 0x100000, 0xa);
	/* A 32 KiB region at the end of the block, far from the address read. */
	as_flush_lock_flush(f, TEST_AS, va + SZ_2M - SZ_4K, SZ_4K, AS_COMMAND_FLUSH_MEM);
	expect_read(f, TEST_AS, va + 0x100000, 0xb);
}

/*
 * The TLB holds MODEL_TLB_ENTRIES (64) translations and evicts the oldest:
 * a stale entry survives 63 other fills and goes with the 64th.
 */
static void test_tlb_fifo_eviction(void **state)
{
	struct model_fixture *f = *state;
	u64 va = 0x50000000, other = 0x60000000, shared = data_page(f, 0x0);
	u64 root = root_with(f, va, data_page(f, 0xa));
	u32 v;

	for (unsigned int i = 0; i < 64; i++)
		pt_map_page(f, root, other + i * SZ_4K, PTE_PAGE(shared));
	as_enable(f, TEST_AS, root, TEST_TRANSCFG);
	expect_read(f, TEST_AS, va, 0xa);
	remap(f, root, va, PTE_PAGE(data_page(f, 0xb)));
	for (unsigned int i = 0; i < 63; i++)
		assert_int_equal(gpu_rd32(f, TEST_AS, other + i * SZ_4K, &v), 0);
	expect_read(f, TEST_AS, va, 0xa); /* 64 entries: still there (a hit fills nothing) */
	assert_int_equal(gpu_rd32(f, TEST_AS, other + 63 * SZ_4K, &v), 0);
	expect_read(f, TEST_AS, va, 0xb); /* evicted "by luck" */
}

/* A GPU reset abandons running commands and clears AS state, locks and faults. */
static void test_reset_clears_mmu_state(void **state)
{
	struct model_fixture *f = *state;
	u64 va = 0x70000000;
	u64 root = root_with(f, va, data_page(f, 0x7e));
	u32 v;

	as_enable(f, TEST_AS, root, TEST_TRANSCFG);
	expect_read(f, TEST_AS, va, 0x7e);
	assert_int_equal(gpu_rd32(f, TEST_AS, va + SZ_4K, &v), -EFAULT);
	wr64(f, MMU_AS(TEST_AS) + AS_LOCKADDR, tyrc_mmu_lockaddr(va, SZ_4K));
	wr(f, MMU_AS(TEST_AS) + AS_COMMAND, AS_COMMAND_LOCK);
	assert_int_equal(rd(f, MMU_AS(TEST_AS) + AS_STATUS), AS_STATUS_AS_ACTIVE);

	wr(f, GPU_CMD, tyrc_gpu_cmd_soft_reset());
	poll32(f, GPU_INT_RAWSTAT, GPU_IRQ_RESET_COMPLETED, GPU_IRQ_RESET_COMPLETED);
	assert_int_equal(rd(f, MMU_AS(TEST_AS) + AS_STATUS), 0);
	assert_int_equal(rd64(f, MMU_AS(TEST_AS) + AS_TRANSTAB), 0);
	assert_int_equal(rd64(f, MMU_AS(TEST_AS) + AS_TRANSCFG), 0);
	assert_int_equal(rd64(f, MMU_AS(TEST_AS) + AS_LOCKADDR), 0);
	assert_int_equal(rd(f, MMU_AS(TEST_AS) + AS_FAULTSTATUS), 0);
	assert_int_equal(rd64(f, MMU_AS(TEST_AS) + AS_FAULTADDRESS), 0);
	assert_int_equal(rd(f, MMU_INT_RAWSTAT), 0);
	/* The live configuration is gone: faults, no stall. */
	assert_int_equal(gpu_rd32(f, TEST_AS, va, &v), -EFAULT);
	expect_fault(f, TEST_AS, EXC_TRANSLATION(0), ACCESS_READ, va);
	/* Re-enabled, the formerly locked page is reachable. */
	as_enable(f, TEST_AS, root, TEST_TRANSCFG);
	expect_read(f, TEST_AS, va, 0x7e);
}

#define REMAPS 200

struct remap_stress {
	struct model_fixture *f;
	u64 va;
	int stop;
	int errors;
	int reads;
};

/* The "GPU": read the page over and over; it must always be one of the two. */
static void *gpu_reader(void *arg)
{
	struct remap_stress *s = arg;

	while (!__atomic_load_n(&s->stop, __ATOMIC_ACQUIRE)) {
		u32 v = 0;
		int ret = gpu_rd32(s->f, TEST_AS, s->va, &v);

		if (ret == -EAGAIN)
			continue;
		if (ret || (v != 0xa && v != 0xb))
			__atomic_add_fetch(&s->errors, 1, __ATOMIC_RELAXED);
		__atomic_add_fetch(&s->reads, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

/* The "driver" remaps a page with the LOCK sequences while the GPU reads it. */
static void test_remap_under_gpu_reads(void **state)
{
	struct model_fixture *f = *state;
	struct remap_stress s = { .f = f, .va = 0x80000000 };
	u64 a = data_page(f, 0xa), b = data_page(f, 0xb);
	u64 root = root_with(f, s.va, a);
	pthread_t t;

	as_enable(f, TEST_AS, root, TEST_TRANSCFG);
	assert_int_equal(pthread_create(&t, NULL, gpu_reader, &s), 0);
	for (unsigned int i = 0; i < REMAPS; i++) {
		u64 pa = i & 1 ? a : b;

		wr64(f, MMU_AS(TEST_AS) + AS_LOCKADDR, tyrc_mmu_lockaddr(s.va, SZ_4K));
		as_cmd(f, TEST_AS, AS_COMMAND_LOCK);
		remap(f, root, s.va, PTE_PAGE(pa));
		if (i % 3)
			as_cmd(f, TEST_AS, AS_COMMAND_FLUSH_MEM);
		else
			as_cmd(f, TEST_AS, AS_COMMAND_UNLOCK);
		/* The GPU now sees the new page. */
		expect_read(f, TEST_AS, s.va, i & 1 ? 0xa : 0xb);
	}
	__atomic_store_n(&s.stop, 1, __ATOMIC_RELEASE);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(s.errors, 0);
	expect_no_fault(f);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, fixture_setup_instant, fixture_teardown)
#define TT(fn) cmocka_unit_test_setup_teardown(fn, setup_timed, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(test_update_latches_config),
		TT(test_commands_take_time),
		TT(test_update_visible_after_latency),
		T(test_lock_regions),
		T(test_tlb_stale_until_invalidated),
		T(test_update_while_locked),
		T(test_tlb_stale_unmap),
		T(test_tlb_stale_permissions),
		T(test_tlb_block_entry),
		T(test_tlb_fifo_eviction),
		TT(test_reset_clears_mmu_state),
		T(test_remap_under_gpu_reads),
	};
#undef T
#undef TT

	return cmocka_run_group_tests(tests, NULL, NULL);
}
