// SPDX-License-Identifier: MIT
/*
 * MMU register constructors against mali-g610-hw.md: LOCKADDR (§8.3),
 * TRANSCFG and MEMATTR (§8.2, also as the mmu layer derives it from the page
 * tables' MAIR), the exception table and fault decoding (§10). Pure
 * computation, no GPU.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "tyrc_mmu.h"
#include "tyrc_mmu_regs.h"

static void test_lockaddr_table(void **state)
{
	/* The table in §8.3. */
	assert_int_equal(tyrc_mmu_lockaddr(0x1000000, SZ_4K), 0x100000E);
	assert_int_equal(tyrc_mmu_lockaddr(0x200000, SZ_2M), 0x200014);
	assert_int_equal(tyrc_mmu_lockaddr(0, ~0ULL), 0x3F);
}

static void test_lockaddr_regions(void **state)
{
	/* Minimum region: 32 KiB (width 14), whatever the size below it. */
	assert_int_equal(tyrc_mmu_lockaddr(0x0, 1), 0xE);
	/* Bits of start below width are cleared, bit 14 stays (ignored by the MMU). */
	assert_int_equal(tyrc_mmu_lockaddr(0x7000, SZ_4K), 0x400E);
	/* Crossing a 32 KiB boundary doubles the region. */
	assert_int_equal(tyrc_mmu_lockaddr(0x7000, 2 * SZ_4K), 0xF);
	/* A 2 MiB range at 0x201000 crosses 4 MiB: an 8 MiB region at 0. */
	assert_int_equal(tyrc_mmu_lockaddr(0x201000, SZ_2M), 0x16);
	assert_int_equal(tyrc_mmu_lockaddr(0x201000, SZ_2M - SZ_4K), 0x200014);
	/* 0x3FFFF000..0x40001000 straddles 1 GiB: region 2 GiB at 0. */
	assert_int_equal(tyrc_mmu_lockaddr(0x3FFFF000, 2 * SZ_4K), 0x1E);
	/* Last page of the 48-bit space. */
	assert_int_equal(tyrc_mmu_lockaddr(0xFFFFFFFFF000ULL, SZ_4K), 0xFFFFFFFFC00EULL);
	/* A range running off the end of the 64-bit space is clamped. */
	assert_int_equal(tyrc_mmu_lockaddr(0x1000, ~0ULL), 0x3F);
	/* Empty: the minimum region at start. */
	assert_int_equal(tyrc_mmu_lockaddr(0x10000, 0), 0x1000E);
	/* The encoded region always covers the range. */
	for (u64 start = 0; start < 0x400000; start += 0x3000) {
		for (u64 size = SZ_4K; size < 0x300000; size += 0x11000) {
			u64 v = tyrc_mmu_lockaddr(start, size);
			u32 width = FIELD_GET(AS_LOCKADDR_WIDTH, v);
			u64 region = 1ULL << (width + 1);
			u64 base = (v & ~AS_LOCKADDR_WIDTH) & ~(region - 1);

			assert_true(width >= 14);
			assert_true(base <= start && start + size <= base + region);
			/* Smallest: half the region would not do. */
			if (width > 14)
				assert_true(start / (region / 2) !=
					    (start + size - 1) / (region / 2));
		}
	}
}

static void test_transcfg(void **state)
{
	/* §8.2: AARCH64_4K | INA_BITS(7) | PTW_MEMATTR WB | PTW_RA. */
	assert_int_equal(tyrc_mmu_transcfg_aarch64_4k(48, false), 0x420001C6);
	assert_int_equal(tyrc_mmu_transcfg_aarch64_4k(48, true), 0x620001C6);
	assert_int_equal(tyrc_mmu_transcfg_unmapped(), 1);
}

static void test_memattr(void **state)
{
	u8 nc = tyrc_mmu_memattr_attr(AS_MEMATTR_TYPE_NC, AS_MEMATTR_SH_MIDGARD_INNER, false,
				      false);
	u8 wb_rwa =
		tyrc_mmu_memattr_attr(AS_MEMATTR_TYPE_WB, AS_MEMATTR_SH_MIDGARD_INNER, true, true);
	u8 wb = tyrc_mmu_memattr_attr(AS_MEMATTR_TYPE_WB, AS_MEMATTR_SH_MIDGARD_INNER, false,
				      false);
	/* MAIR idx0 NC, idx1 WB RWA, idx2 device (-> NC), idx3 inner-NC/outer-WB (-> WB), rest NC. */
	u8 bytes[AS_MEMATTR_ATTR_COUNT] = { nc, wb_rwa, nc, wb, nc, nc, nc, nc };
	u64 memattr = 0;

	assert_int_equal(nc, 0x4C);
	assert_int_equal(wb_rwa, 0x8F);
	assert_int_equal(wb, 0x8C);
	for (unsigned int i = 0; i < AS_MEMATTR_ATTR_COUNT; i++)
		memattr |= (u64)bytes[i] << AS_MEMATTR_ATTR_SHIFT(i);
	assert_int_equal(memattr, 0x4C4C4C4C8C4C8F4CULL);
	/* The mmu layer's conversion of the page tables' MAIR gives the same. */
	assert_int_equal(tyrc_mmu_memattr_from_mair(TYRC_PGTABLE_MAIR, false), memattr);
	/* Coherent: write-back entries become CPU-inner shareable. */
	assert_int_equal(tyrc_mmu_memattr_from_mair(TYRC_PGTABLE_MAIR, true),
			 0x4C4C4C4C9C4C9F4CULL);
	/* Write-through (0xaa) and device (0x04) attributes become non-cacheable. */
	assert_int_equal(tyrc_mmu_memattr_from_mair(0xaa04, false), 0x4C4C4C4C4C4C4C4CULL);
}

static void test_exception_names(void **state)
{
	assert_string_equal(tyrc_exception_name(0x00), "OK");
	assert_string_equal(tyrc_exception_name(0x41), "CS_UNRECOVERABLE");
	assert_string_equal(tyrc_exception_name(0xC1), "TRANSLATION_FAULT_1");
	assert_string_equal(tyrc_exception_name(0xC4), "TRANSLATION_FAULT_4");
	assert_string_equal(tyrc_exception_name(0xCB), "PERM_FAULT_3");
	assert_string_equal(tyrc_exception_name(0xDA), "ACCESS_FLAG_2");
	assert_string_equal(tyrc_exception_name(0xE0), "ADDR_SIZE_FAULT_IN");
	assert_string_equal(tyrc_exception_name(0xE7), "ADDR_SIZE_FAULT_OUT_3");
	assert_string_equal(tyrc_exception_name(0xEB), "MEM_ATTR_FAULT_3");
	assert_string_equal(tyrc_exception_name(0x01), "UNKNOWN");
	assert_string_equal(tyrc_exception_name(0x1234), "UNKNOWN");
}

static void test_fault_decode(void **state)
{
	u32 status = 0x00ab02c3; /* source 0xab, READ, slave fault, TRANSLATION_FAULT_3 */

	assert_int_equal(FIELD_GET(AS_FAULTSTATUS_EXCEPTION_TYPE, status), 0xC3);
	assert_int_equal(FIELD_GET(AS_FAULTSTATUS_ACCESS_TYPE, status), AS_FAULT_ACCESS_READ);
	assert_false(status & AS_FAULTSTATUS_DECODER_FAULT);
	assert_int_equal(FIELD_GET(AS_FAULTSTATUS_SOURCE_ID, status), 0xab);
	assert_true(MMU_EXCEPTION_IS_MMU(0xC3));
	assert_false(MMU_EXCEPTION_IS_MMU(0x88));
	assert_int_equal(tyrc_mmu_exception_level(0xC3), 3);
	assert_int_equal(tyrc_mmu_exception_level(0xC4), 4);
	assert_int_equal(tyrc_mmu_exception_level(0xC9), 1);
	assert_int_equal(tyrc_mmu_exception_level(0xE5), 1);
	assert_int_equal(FIELD_GET(MMU_EXCEPTION_CLASS, 0xCA), MMU_EXCEPTION_CLASS_PERMISSION);
	assert_int_equal(FIELD_GET(MMU_EXCEPTION_CLASS, 0xE9), MMU_EXCEPTION_CLASS_MEM_ATTR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lockaddr_table),	cmocka_unit_test(test_lockaddr_regions),
		cmocka_unit_test(test_transcfg),	cmocka_unit_test(test_memattr),
		cmocka_unit_test(test_exception_names), cmocka_unit_test(test_fault_decode),
	};

	return cmocka_run_group_tests_name("mmu_regs", tests, NULL, NULL);
}
