// SPDX-License-Identifier: MIT
/*
 * Table walks and MMU faults: 4 KiB pages, 2 MiB and 1 GiB blocks, the
 * limits of the 48-bit VA, a smaller input size, translation faults at each
 * level, permission, access-flag, address-size, bus and memory-attribute
 * faults, the fault registers and the MMU interrupt, address modes, and the
 * access hooks' argument checks. Page tables are written by hand in the
 * board RAM with panthor's descriptor encodings; AS commands are instant.
 */
#include "mmu_test.h"

static u64 setup_root(struct model_fixture *f)
{
	u64 root = pt_new_table(f);

	as_enable(f, TEST_AS, root, TEST_TRANSCFG);
	return root;
}

static void test_walk_4k_pages(void **state)
{
	struct model_fixture *f = *state;
	u64 root = setup_root(f);
	u64 va = 0x1000000, a = data_page(f, 0), b = data_page(f, 0);
	u8 buf[64], out[64];

	/* Two VA-contiguous pages on non-contiguous physical pages. */
	pt_map_page(f, root, va, PTE_PAGE(a));
	pt_map_page(f, root, va + SZ_4K, PTE_PAGE(b));
	assert_int_not_equal(b, a + SZ_4K);
	for (unsigned int i = 0; i < sizeof(buf); i++)
		buf[i] = (u8)(0x40 + i);

	/* A write straddling the page boundary lands in both physical pages. */
	assert_int_equal(tyrc_model_gpu_write(f->model, TEST_AS, va + SZ_4K - 32, buf, sizeof(buf)),
			 0);
	assert_memory_equal((u8 *)ram_ptr(f, a) + SZ_4K - 32, buf, 32);
	assert_memory_equal(ram_ptr(f, b), buf + 32, 32);
	memset(out, 0, sizeof(out));
	assert_int_equal(tyrc_model_gpu_read(f->model, TEST_AS, va + SZ_4K - 32, out, sizeof(out)),
			 0);
	assert_memory_equal(out, buf, sizeof(out));
	/* Default pages are executable. */
	assert_int_equal(tyrc_model_gpu_exec_read(f->model, TEST_AS, va + SZ_4K, out, 4), 0);
	assert_memory_equal(out, buf + 32, 4);
	expect_no_fault(f);
}

static void test_walk_2m_block(void **state)
{
	struct model_fixture *f = *state;
	u64 root = setup_root(f);
	u64 va = 0x40000000, block = ram_alloc(f, 9);
	u32 *p = ram_ptr(f, block + 0x12344);

	*p = 0xb10cb10c;
	pt_set_leaf(f, root, va, 2, PTE_BLOCK(block));
	expect_read(f, TEST_AS, va + 0x12344, 0xb10cb10c);
	/* The last word of the block. */
	*(u32 *)ram_ptr(f, block + SZ_2M - 4) = 0x1a57;
	expect_read(f, TEST_AS, va + SZ_2M - 4, 0x1a57);
	/* The next 2 MiB is not mapped. */
	assert_int_equal(tyrc_model_gpu_read(f->model, TEST_AS, va + SZ_2M, p, 4), -EFAULT);
	expect_fault(f, TEST_AS, EXC_TRANSLATION(2), ACCESS_READ, va + SZ_2M);
}

static void test_walk_1g_block(void **state)
{
	struct model_fixture *f = *state;
	u64 root = setup_root(f);
	u64 va = 0x8000000000ULL; /* 512 GiB: L0 index 1 */
	u64 block = ram_alloc(f, 9);
	/* The RAM base (2 GiB) is 1 GiB aligned: one L1 block covers all of it. */
	u64 off = block - TEST_RAM_BASE + 0x77770;

	*(u32 *)ram_ptr(f, block + 0x77770) = 0x61661;
	pt_set_leaf(f, root, va, 1, PTE_BLOCK(TEST_RAM_BASE));
	expect_read(f, TEST_AS, va + off, 0x61661);
	expect_no_fault(f);
}

/* A block descriptor's address bits below the block size are ignored. */
static void test_block_low_bits_ignored(void **state)
{
	struct model_fixture *f = *state;
	u64 root = setup_root(f);
	u64 block = ram_alloc(f, 9);

	*(u32 *)ram_ptr(f, block + 0x1000) = 0x10b175;
	pt_set_leaf(f, root, 0x200000, 2, PTE_BLOCK(block | 0x1ff000));
	expect_read(f, TEST_AS, 0x201000, 0x10b175);
}

static void test_va_limits_48bit(void **state)
{
	struct model_fixture *f = *state;
	u64 root = setup_root(f);
	u64 top = (1ULL << 48) - SZ_4K, page = data_page(f, 0);
	u8 last = 0;

	((u8 *)ram_ptr(f, page))[SZ_4K - 1] = 0x7e;
	pt_map_page(f, root, top, PTE_PAGE(page));
	assert_int_equal(tyrc_model_gpu_read(f->model, TEST_AS, (1ULL << 48) - 1, &last, 1), 0);
	assert_int_equal(last, 0x7e);
	expect_no_fault(f);

	/* Beyond the 48-bit input size: ADDR_SIZE_FAULT_IN. */
	assert_int_equal(tyrc_model_gpu_read(f->model, TEST_AS, 1ULL << 48, &last, 1), -EFAULT);
	expect_fault(f, TEST_AS, EXC_ADDR_SIZE_IN, ACCESS_READ, 1ULL << 48);
	assert_int_equal(tyrc_model_gpu_write(f->model, TEST_AS, ~0ULL, &last, 1), -EFAULT);
	expect_fault(f, TEST_AS, EXC_ADDR_SIZE_IN, ACCESS_WRITE, ~0ULL);
	/* An access running off the top faults on the first page beyond. */
	{
		u8 two[2] = { 0 };

		assert_int_equal(tyrc_model_gpu_read(f->model, TEST_AS, (1ULL << 48) - 1, two, 2),
				 -EFAULT);
		assert_int_equal(two[0], 0x7e);
		expect_fault(f, TEST_AS, EXC_ADDR_SIZE_IN, ACCESS_READ, 1ULL << 48);
	}
}

/* INA_BITS for a 39-bit VA: the walk starts at level 1 with TRANSTAB an L1 table. */
static void test_va_39bit_starts_at_level1(void **state)
{
	struct model_fixture *f = *state;
	u64 l1 = pt_new_table(f), l2 = pt_new_table(f), l3 = pt_new_table(f);
	u64 va = (1ULL << 39) - SZ_4K, page = data_page(f, 0x39);
	u32 v;

	pt_set(f, l1, pt_index(va, 1), PTE_TABLE(l2));
	pt_set(f, l2, pt_index(va, 2), PTE_TABLE(l3));
	pt_set(f, l3, pt_index(va, 3), PTE_PAGE(page));
	as_enable(f, TEST_AS, l1, tyrc_mmu_transcfg_aarch64_4k(39, false));
	expect_read(f, TEST_AS, va, 0x39);
	assert_int_equal(gpu_rd32(f, TEST_AS, 1ULL << 39, &v), -EFAULT);
	expect_fault(f, TEST_AS, EXC_ADDR_SIZE_IN, ACCESS_READ, 1ULL << 39);
	/* An empty L1 slot is a level-1 translation fault. */
	assert_int_equal(gpu_rd32(f, TEST_AS, 0, &v), -EFAULT);
	expect_fault(f, TEST_AS, EXC_TRANSLATION(1), ACCESS_READ, 0);
}

static void test_translation_fault_per_level(void **state)
{
	struct model_fixture *f = *state;
	u64 root = setup_root(f);
	u64 va = 0x123456789000ULL;
	u32 v;

	for (unsigned int level = 0; level <= 3; level++) {
		if (level)
			pt_table_for(f, root, va, level);
		assert_int_equal(gpu_rd32(f, TEST_AS, va + 0x10, &v), -EFAULT);
		expect_fault(f, TEST_AS, EXC_TRANSLATION(level), ACCESS_READ, va + 0x10);
	}
	/* Invalid type 2 at level 3, reserved type 1 at levels 3 and 0. */
	pt_set(f, pt_table_for(f, root, va, 3), pt_index(va, 3), 0xf46 | data_page(f, 0));
	assert_int_equal(gpu_rd32(f, TEST_AS, va, &v), -EFAULT);
	expect_fault(f, TEST_AS, EXC_TRANSLATION(3), ACCESS_READ, va);
	pt_set(f, pt_table_for(f, root, va, 3), pt_index(va, 3), 0xf45 | data_page(f, 0));
	assert_int_equal(gpu_rd32(f, TEST_AS, va, &v), -EFAULT);
	expect_fault(f, TEST_AS, EXC_TRANSLATION(3), ACCESS_READ, va);
	pt_set(f, root, pt_index(0x1000, 0), PTE_BLOCK(TEST_RAM_BASE));
	assert_int_equal(tyrc_model_gpu_write(f->model, TEST_AS, 0x1000, &v, 4), -EFAULT);
	expect_fault(f, TEST_AS, EXC_TRANSLATION(0), ACCESS_WRITE, 0x1000);
}

static void test_permission_faults(void **state)
{
	struct model_fixture *f = *state;
	u64 root = setup_root(f);
	u64 ro = 0x100000, nx = 0x200000, block_va = 0x40000000;
	u32 v = 0xdead;

	pt_map_page(f, root, ro, PTE_PAGE(data_page(f, 0x50)) | PTE_AP_RDONLY);
	pt_map_page(f, root, nx, PTE_PAGE(data_page(f, 0x60)) | PTE_UXN);
	pt_map_page(f, root, nx + SZ_4K, PTE_PAGE(data_page(f, 0x61)) | PTE_PXN);
	pt_map_page(f, root, nx + 2 * SZ_4K, PTE_PAGE_RO_NX_NC(data_page(f, 0x62)));

	/* Read-only: reads and fetches work, writes fault at level 3. */
	expect_read(f, TEST_AS, ro, 0x50);
	assert_int_equal(tyrc_model_gpu_exec_read(f->model, TEST_AS, ro, &v, 4), 0);
	assert_int_equal(tyrc_model_gpu_write(f->model, TEST_AS, ro + 8, &v, 4), -EFAULT);
	expect_fault(f, TEST_AS, EXC_PERMISSION(3), ACCESS_WRITE, ro + 8);

	/* UXN or PXN: reads and writes work, instruction fetches fault. */
	for (unsigned int i = 0; i < 3; i++) {
		u64 va = nx + i * SZ_4K;

		expect_read(f, TEST_AS, va, 0x60 + i);
		assert_int_equal(tyrc_model_gpu_exec_read(f->model, TEST_AS, va + 4, &v, 4),
				 -EFAULT);
		expect_fault(f, TEST_AS, EXC_PERMISSION(3), ACCESS_EXECUTE, va + 4);
	}
	assert_int_equal(tyrc_model_gpu_write(f->model, TEST_AS, nx, &v, 4), 0);
	assert_int_equal(tyrc_model_gpu_write(f->model, TEST_AS, nx + 2 * SZ_4K, &v, 4), -EFAULT);
	expect_fault(f, TEST_AS, EXC_PERMISSION(3), ACCESS_WRITE, nx + 2 * SZ_4K);

	/* A read-only 2 MiB block faults at level 2. */
	pt_set_leaf(f, root, block_va, 2, PTE_BLOCK(ram_alloc(f, 9)) | PTE_AP_RDONLY);
	assert_int_equal(tyrc_model_gpu_write(f->model, TEST_AS, block_va + 0x1234, &v, 4),
			 -EFAULT);
	expect_fault(f, TEST_AS, EXC_PERMISSION(2), ACCESS_WRITE, block_va + 0x1234);
}

/* APTable[1] / UXNTable restrict everything below, unless DISABLE_HIER_AP. */
static void test_hierarchical_permissions(void **state)
{
	struct model_fixture *f = *state;
	u64 root = setup_root(f);
	u64 va = 0x3000000, l2;
	u32 v = 1;

	pt_map_page(f, root, va, PTE_PAGE(data_page(f, 0x4a)));
	l2 = pt_table_for(f, root, va, 2);
	pt_set(f, l2, pt_index(va, 2), pt_get(f, l2, pt_index(va, 2)) | PTE_TABLE_AP_RDONLY);
	expect_read(f, TEST_AS, va, 0x4a);
	assert_int_equal(tyrc_model_gpu_write(f->model, TEST_AS, va, &v, 4), -EFAULT);
	expect_fault(f, TEST_AS, EXC_PERMISSION(3), ACCESS_WRITE, va);

	pt_set(f, l2, pt_index(va, 2), pt_get(f, l2, pt_index(va, 2)) ^ PTE_TABLE_AP_RDONLY);
	pt_set(f, l2, pt_index(va, 2), pt_get(f, l2, pt_index(va, 2)) | PTE_TABLE_UXN);
	as_cmd(f, TEST_AS, AS_COMMAND_UPDATE); /* drop the cached translation */
	assert_int_equal(tyrc_model_gpu_write(f->model, TEST_AS, va, &v, 4), 0);
	assert_int_equal(tyrc_model_gpu_exec_read(f->model, TEST_AS, va, &v, 4), -EFAULT);
	expect_fault(f, TEST_AS, EXC_PERMISSION(3), ACCESS_EXECUTE, va);

	as_enable(f, TEST_AS, root, TEST_TRANSCFG | AS_TRANSCFG_DISABLE_HIER_AP);
	assert_int_equal(tyrc_model_gpu_exec_read(f->model, TEST_AS, va, &v, 4), 0);
	expect_no_fault(f);
}

static void test_access_flag_fault(void **state)
{
	struct model_fixture *f = *state;
	u64 root = setup_root(f);
	u64 va = 0x5000, block_va = 0x600000;
	u32 v;

	pt_map_page(f, root, va, PTE_PAGE(data_page(f, 0xaf)) & ~PTE_AF);
	pt_set_leaf(f, root, block_va, 2, PTE_BLOCK(ram_alloc(f, 9)) & ~PTE_AF);
	assert_int_equal(gpu_rd32(f, TEST_AS, va, &v), -EFAULT);
	expect_fault(f, TEST_AS, EXC_ACCESS_FLAG(3), ACCESS_READ, va);
	assert_int_equal(gpu_rd32(f, TEST_AS, block_va, &v), -EFAULT);
	expect_fault(f, TEST_AS, EXC_ACCESS_FLAG(2), ACCESS_READ, block_va);

	/* TRANSCFG.DISABLE_AF_FAULT, latched by UPDATE. */
	as_enable(f, TEST_AS, root, TEST_TRANSCFG | AS_TRANSCFG_DISABLE_AF_FAULT);
	expect_read(f, TEST_AS, va, 0xaf);
	assert_int_equal(gpu_rd32(f, TEST_AS, block_va, &v), 0);
	expect_no_fault(f);
}

/* Software bits [58:55] (Linux's "synced" marker at 55) are ignored, in leaves and tables. */
static void test_software_bits_ignored(void **state)
{
	struct model_fixture *f = *state;
	u64 root = setup_root(f);
	u64 va = 0x7000000, l1;

	pt_map_page(f, root, va, PTE_PAGE(data_page(f, 0x55)) | PTE_SW_BITS);
	l1 = pt_table_for(f, root, va, 1);
	pt_set(f, l1, pt_index(va, 1), pt_get(f, l1, pt_index(va, 1)) | BIT_ULL(55));
	expect_read(f, TEST_AS, va, 0x55);
	expect_no_fault(f);
}

static void test_output_address_faults(void **state)
{
	struct model_fixture *f = *state;
	u64 root = setup_root(f);
	u64 va = 0x9000000, l3;
	u32 v = 0;

	/* A leaf beyond the 40 PA bits: ADDR_SIZE_FAULT_OUT at its level. */
	l3 = pt_table_for(f, root, va, 3);
	pt_set(f, l3, pt_index(va, 3), PTE_PAGE(1ULL << 40));
	assert_int_equal(gpu_rd32(f, TEST_AS, va, &v), -EFAULT);
	expect_fault(f, TEST_AS, EXC_ADDR_SIZE_OUT(3), ACCESS_READ, va);

	/* Inside the PA size but not RAM: a bus fault on the data access. */
	pt_set(f, l3, pt_index(va, 3), PTE_PAGE(0x40000000ULL));
	assert_int_equal(tyrc_model_gpu_write(f->model, TEST_AS, va + 4, &v, 4), -EFAULT);
	expect_fault(f, TEST_AS, EXC_GPU_BUS_FAULT, ACCESS_WRITE, va + 4);
	pt_set(f, l3, pt_index(va, 3), PTE_PAGE(TEST_RAM_BASE + TEST_RAM_SIZE));
	as_cmd(f, TEST_AS, AS_COMMAND_UPDATE);
	assert_int_equal(gpu_rd32(f, TEST_AS, va, &v), -EFAULT);
	expect_fault(f, TEST_AS, EXC_GPU_BUS_FAULT, ACCESS_READ, va);

	/* A table outside RAM: translation-table bus fault at the level read there. */
	pt_set(f, root, pt_index(0x8000000000ULL, 0), PTE_TABLE(0x10000000ULL));
	assert_int_equal(gpu_rd32(f, TEST_AS, 0x8000000000ULL, &v), -EFAULT);
	expect_fault(f, TEST_AS, EXC_TT_BUS(1), ACCESS_READ, 0x8000000000ULL);
	/* A table address beyond the PA size: address-size fault of the table descriptor. */
	pt_set(f, root, pt_index(0x8000000000ULL, 0), PTE_TABLE(1ULL << 41));
	as_cmd(f, TEST_AS, AS_COMMAND_UPDATE);
	assert_int_equal(gpu_rd32(f, TEST_AS, 0x8000000000ULL, &v), -EFAULT);
	expect_fault(f, TEST_AS, EXC_ADDR_SIZE_OUT(0), ACCESS_READ, 0x8000000000ULL);

	/* TRANSTAB outside RAM, then beyond the PA size. */
	as_enable(f, TEST_AS, 0x1000, TEST_TRANSCFG);
	assert_int_equal(gpu_rd32(f, TEST_AS, va, &v), -EFAULT);
	expect_fault(f, TEST_AS, EXC_TT_BUS(0), ACCESS_READ, va);
	as_enable(f, TEST_AS, 1ULL << 44, TEST_TRANSCFG);
	assert_int_equal(gpu_rd32(f, TEST_AS, va, &v), -EFAULT);
	expect_fault(f, TEST_AS, EXC_ADDR_SIZE_OUT(0), ACCESS_READ, va);
}

/* A MEMATTR byte of type 3 ("fault") selected by AttrIndx: MEM_ATTR_FAULT. */
static void test_memattr_fault(void **state)
{
	struct model_fixture *f = *state;
	u64 root = setup_root(f);
	u64 va = 0xa000;
	u32 v;

	pt_map_page(f, root, va,
		    (PTE_PAGE(data_page(f, 0x3a)) & ~PTE_ATTRINDX_MASK) | PTE_ATTRINDX(5));
	expect_read(f, TEST_AS, va, 0x3a);
	wr64(f, MMU_AS(TEST_AS) + AS_MEMATTR, TEST_MEMATTR | (0xc0ULL << 40));
	as_cmd(f, TEST_AS, AS_COMMAND_UPDATE);
	assert_int_equal(gpu_rd32(f, TEST_AS, va, &v), -EFAULT);
	expect_fault(f, TEST_AS, EXC_MEM_ATTR(3), ACCESS_READ, va);
}

/*
 * The fault registers and the IRQ: the first fault is kept until
 * MMU_INT_CLEAR, later ones are dropped; faults of other AS are independent.
 */
static void test_fault_registers_and_irq(void **state)
{
	struct model_fixture *f = *state;
	u64 root = setup_root(f);
	u32 v;

	as_enable(f, 3, root, TEST_TRANSCFG);
	wr(f, MMU_INT_MASK, 0xffff);
	assert_false(tyrc_model_irq_asserted(f->model, TYRC_MODEL_IRQ_MMU));
	assert_int_equal(gpu_rd32(f, TEST_AS, 0x1000, &v), -EFAULT);
	assert_true(tyrc_model_irq_asserted(f->model, TYRC_MODEL_IRQ_MMU));
	assert_int_equal(rd(f, MMU_INT_STAT), MMU_INT_AS_FAULT(TEST_AS));

	/* A second fault (another address, another access) does not overwrite the first. */
	assert_int_equal(tyrc_model_gpu_write(f->model, TEST_AS, 0x2000, &v, 4), -EFAULT);
	/* AS 3 has its own registers and bit. */
	assert_int_equal(tyrc_model_gpu_exec_read(f->model, 3, 0x3000, &v, 4), -EFAULT);
	assert_int_equal(rd(f, MMU_INT_RAWSTAT), MMU_INT_AS_FAULT(TEST_AS) | MMU_INT_AS_FAULT(3));
	assert_int_equal(rd(f, MMU_AS(3) + AS_FAULTSTATUS),
			 EXC_TRANSLATION(0) | ACCESS_EXECUTE << 8);
	assert_int_equal(rd64(f, MMU_AS(3) + AS_FAULTADDRESS), 0x3000);
	wr(f, MMU_INT_CLEAR, MMU_INT_AS_FAULT(3));
	expect_fault(f, TEST_AS, EXC_TRANSLATION(0), ACCESS_READ, 0x1000);
	assert_false(tyrc_model_irq_asserted(f->model, TYRC_MODEL_IRQ_MMU));

	/* After CLEAR the next fault is recorded; masked faults still latch RAWSTAT. */
	wr(f, MMU_INT_MASK, 0xffff & ~MMU_INT_AS_FAULT(TEST_AS));
	assert_int_equal(tyrc_model_gpu_write(f->model, TEST_AS, 0x2000, &v, 4), -EFAULT);
	assert_false(tyrc_model_irq_asserted(f->model, TYRC_MODEL_IRQ_MMU));
	assert_int_equal(rd(f, MMU_INT_STAT), 0);
	expect_fault(f, TEST_AS, EXC_TRANSLATION(0), ACCESS_WRITE, 0x2000);
	/* The bus-fault half of MMU_INT is never raised. */
	assert_int_equal(rd(f, MMU_INT_RAWSTAT) & GENMASK(31, 16), 0);
}

static void test_address_modes(void **state)
{
	struct model_fixture *f = *state;
	u64 page = data_page(f, 0x1d);
	u32 v;

	/* Reset value (ADRMODE 0) and UNMAPPED: every access faults at level 0. */
	assert_int_equal(gpu_rd32(f, TEST_AS, page, &v), -EFAULT);
	expect_fault(f, TEST_AS, EXC_TRANSLATION(0), ACCESS_READ, page);
	as_enable(f, TEST_AS, 0, tyrc_mmu_transcfg_unmapped());
	assert_int_equal(gpu_rd32(f, TEST_AS, page, &v), -EFAULT);
	expect_fault(f, TEST_AS, EXC_TRANSLATION(0), ACCESS_READ, page);
	/* AARCH64_64K is not supported: faults too. */
	as_enable(f, TEST_AS, pt_new_table(f), AS_TRANSCFG_ADRMODE_AARCH64_64K | (7 << 6));
	assert_int_equal(gpu_rd32(f, TEST_AS, page, &v), -EFAULT);
	expect_fault(f, TEST_AS, EXC_TRANSLATION(0), ACCESS_READ, page);

	/* IDENTITY: VA = PA, every permission; outside RAM a bus fault, beyond PA bits a size fault. */
	as_enable(f, TEST_AS, 0, AS_TRANSCFG_ADRMODE_IDENTITY);
	expect_read(f, TEST_AS, page, 0x1d);
	assert_int_equal(tyrc_model_gpu_exec_read(f->model, TEST_AS, page, &v, 4), 0);
	assert_int_equal(tyrc_model_gpu_write(f->model, TEST_AS, page + 4, &v, 4), 0);
	assert_int_equal(*((u32 *)ram_ptr(f, page) + 1), 0x1d);
	assert_int_equal(gpu_rd32(f, TEST_AS, 0x1000, &v), -EFAULT);
	expect_fault(f, TEST_AS, EXC_GPU_BUS_FAULT, ACCESS_READ, 0x1000);
	assert_int_equal(gpu_rd32(f, TEST_AS, 1ULL << 40, &v), -EFAULT);
	expect_fault(f, TEST_AS, EXC_ADDR_SIZE_OUT(0), ACCESS_READ, 1ULL << 40);
}

/* A fault in the middle of an access: earlier pages were transferred. */
static void test_partial_transfer(void **state)
{
	struct model_fixture *f = *state;
	u64 root = setup_root(f);
	u64 va = 0xb0000, page = data_page(f, 0);
	u8 buf[SZ_4K + 16];

	memset(buf, 0x5c, sizeof(buf));
	pt_map_page(f, root, va, PTE_PAGE(page));
	assert_int_equal(tyrc_model_gpu_write(f->model, TEST_AS, va + 16, buf, SZ_4K), -EFAULT);
	expect_fault(f, TEST_AS, EXC_TRANSLATION(3), ACCESS_WRITE, va + SZ_4K);
	assert_int_equal(((u8 *)ram_ptr(f, page))[SZ_4K - 1], 0x5c);
	assert_int_equal(((u8 *)ram_ptr(f, page))[15], 0);
}

static void test_hook_args(void **state)
{
	struct model_fixture *f = *state;
	u32 v = 0;

	setup_root(f);
	assert_int_equal(gpu_rd32(f, MMU_AS_COUNT, 0, &v), -EINVAL);
	assert_int_equal(tyrc_model_gpu_read(f->model, TEST_AS, 0x1000, NULL, 4), -EINVAL);
	assert_int_equal(tyrc_model_gpu_read(NULL, TEST_AS, 0x1000, &v, 4), -EINVAL);
	assert_int_equal(tyrc_model_gpu_read(f->model, TEST_AS, ~0ULL - 1, &v, 4), -EINVAL);
	/* Zero bytes: nothing to translate, no fault. */
	assert_int_equal(tyrc_model_gpu_read(f->model, TEST_AS, 0x1000, NULL, 0), 0);
	expect_no_fault(f);
}

/* An address space outside AS_PRESENT does not exist for the GPU. */
static void test_as_not_present(void **state)
{
	struct model_fixture f = { 0 };
	u32 v;

	tyrc_model_config_init_g610(&f.cfg);
	f.cfg.as_command_ns = 0;
	f.cfg.as_present = 0x3;
	fixture_create(&f);
	as_enable(&f, 2, pt_new_table(&f), TEST_TRANSCFG);
	assert_int_equal(gpu_rd32(&f, 2, 0x1000, &v), -EINVAL);
	assert_int_equal(gpu_rd32(&f, 1, 0x1000, &v), -EFAULT);
	expect_fault(&f, 1, EXC_TRANSLATION(0), ACCESS_READ, 0x1000);
	fixture_destroy(&f);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, fixture_setup_instant, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(test_walk_4k_pages),
		T(test_walk_2m_block),
		T(test_walk_1g_block),
		T(test_block_low_bits_ignored),
		T(test_va_limits_48bit),
		T(test_va_39bit_starts_at_level1),
		T(test_translation_fault_per_level),
		T(test_permission_faults),
		T(test_hierarchical_permissions),
		T(test_access_flag_fault),
		T(test_software_bits_ignored),
		T(test_output_address_faults),
		T(test_memattr_fault),
		T(test_fault_registers_and_irq),
		T(test_address_modes),
		T(test_partial_transfer),
		T(test_hook_args),
		cmocka_unit_test(test_as_not_present),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
