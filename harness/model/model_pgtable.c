// SPDX-License-Identifier: MIT
/*
 * DOC: Page-table walker
 *
 * Translation of one VA through an address space's live configuration
 * (mali-g610-hw.md §8.2, §9), by TRANSCFG.ADRMODE:
 *
 * - AARCH64_4K: an AArch64 stage-1 walk with a 4 KiB granule, below.
 * - IDENTITY: VA = PA, every permission; only the PA-size check applies.
 * - UNMAPPED, and every other mode (AARCH64_64K included, which panthor
 *   never uses; 0, the reset value): every access faults with
 *   TRANSLATION_FAULT level 0.
 *
 * The walk. The input size is 55 - TRANSCFG.INA_BITS bits, capped by
 * MMU_FEATURES.VA_BITS and limited to 25..48 bits (the range a 4 KiB granule
 * covers with 1 to 4 levels; out-of-range fields are clamped). A VA with a
 * bit set at or above the input size faults with ADDR_SIZE_FAULT_IN (0xE0);
 * there is no upper (TTBR1) half. The walk starts at the level the input
 * size needs (level 0 for 40..48 bits) with the table at TRANSTAB (bits
 * [11:0] ignored) and reads one 8-byte descriptor per level at index
 * VA[47:39], [38:30], [29:21], [20:12]:
 *
 * - type bits [1:0] = 0 or 2: TRANSLATION_FAULT at that level;
 * - 3 at levels 0-2: table, next table at bits [47:12];
 * - 1 at levels 1-2: block (1 GiB / 2 MiB), output at bits [47:30] / [47:21];
 * - 3 at level 3: page, output at bits [47:12];
 * - 1 at level 0 or 3 (reserved): TRANSLATION_FAULT at that level.
 *
 * A table or output address with bits at or above MMU_FEATURES.PA_BITS
 * faults with ADDR_SIZE_FAULT_OUT at the level of the descriptor that holds
 * it (level of the first table for TRANSTAB itself). A descriptor that is
 * not in RAM (TRANSTAB or a table address inside the PA size but outside the
 * board's RAM) faults with the translation-table bus fault of that level,
 * 0xD0 + level (class 2 of §10). A leaf with AF (bit 10) clear faults with
 * ACCESS_FLAG at its level unless TRANSCFG.DISABLE_AF_FAULT; a leaf whose
 * AttrIndx selects a MEMATTR byte of type 3 ("fault") faults with
 * MEM_ATTR_FAULT at its level. Checks run in that order: address size, AF,
 * memory attribute.
 *
 * Permissions come from the leaf: AP[2] (bit 7) makes it read-only, UXN or
 * PXN (bits 54, 53) not executable. Unless TRANSCFG.DISABLE_HIER_AP, the
 * table descriptors on the way restrict them further: APTable[1] (bit 62)
 * read-only, UXNTable or PXNTable (bits 60, 59) not executable. With
 * TRANSCFG.WXN a writable leaf is not executable. Not modelled (ignored):
 * AP[1], NS, SH, nG, the contiguous hint, APTable[0], NSTable, the software
 * bits [58:55], OUTA_BITS, SL_CONCAT, XREADABLE, and the walk attributes
 * PTW_*; the MEMATTR bytes matter only for the "fault" type, since the model
 * has no caches. The permission checks themselves are made by the caller
 * (model_mem.c) on the translation, which may come from the TLB.
 *
 * Descriptors are read from RAM with relaxed 64-bit atomic loads: the CPU
 * may be writing page tables at the same time, as on hardware.
 */
#include "model_priv.h"

/* Descriptor fields (4 KiB granule). */
#define PTE_TYPE GENMASK_ULL(1, 0)
#define PTE_TYPE_BLOCK 1u
#define PTE_TYPE_TABLE_PAGE 3u
#define PTE_ATTR_INDX GENMASK_ULL(4, 2)
#define PTE_AP_RDONLY BIT_ULL(7)
#define PTE_AF BIT_ULL(10)
#define PTE_ADDR GENMASK_ULL(47, 12)
#define PTE_PXN BIT_ULL(53)
#define PTE_UXN BIT_ULL(54)
#define PTE_TABLE_PXN BIT_ULL(59)
#define PTE_TABLE_UXN BIT_ULL(60)
#define PTE_TABLE_AP_RDONLY BIT_ULL(62)

#define PGTABLE_VA_BITS_MIN 25u
#define PGTABLE_VA_BITS_MAX 48u

/* Input size in bits of a 4 KiB-granule walk with @cfg. */
static unsigned int model_pgtable_va_bits(struct tyrc_model *m, const struct model_as_cfg *cfg)
{
	unsigned int ina = FIELD_GET(AS_TRANSCFG_INA_BITS, cfg->transcfg);
	unsigned int bits = ina < AS_TRANSCFG_INA_BITS_MAX ? AS_TRANSCFG_INA_BITS_MAX - ina : 0;

	bits = tyrc_min(bits,
			(unsigned int)FIELD_GET(GPU_MMU_FEATURES_VA_BITS, m->cfg.mmu_features));
	bits = tyrc_min(bits, PGTABLE_VA_BITS_MAX);
	return tyrc_max(bits, PGTABLE_VA_BITS_MIN);
}

static bool model_pgtable_pa_ok(struct tyrc_model *m, u64 pa)
{
	unsigned int pa_bits = FIELD_GET(GPU_MMU_FEATURES_PA_BITS, m->cfg.mmu_features);

	return !(pa >> pa_bits);
}

/* Read the descriptor at @pa. Return: false if it is not in RAM. */
static bool model_pgtable_read(struct tyrc_model *m, u64 pa, u64 *desc)
{
	const u64 *p;

	if (!tyrc_ram_contains(m->ram, pa, sizeof(*desc)))
		return false;
	p = tyrc_ram_phys_to_virt(m->ram, pa);
	*desc = __atomic_load_n(p, __ATOMIC_RELAXED);
	return true;
}

/* Check and decode the leaf @desc at @level for @va. Return: 0 or an exception code. */
static u32 model_pgtable_leaf(struct tyrc_model *m, const struct model_as_cfg *cfg, u64 va,
			      u64 desc, unsigned int level, u8 table_flags, struct model_xlat *out)
{
	unsigned int shift = 12 + 9 * (3 - level);
	u64 pa = desc & PTE_ADDR & ~((1ULL << shift) - 1);
	unsigned int attr = (unsigned int)FIELD_GET(PTE_ATTR_INDX, desc);
	u8 flags = table_flags;

	if (!model_pgtable_pa_ok(m, pa))
		return MODEL_EXC_ADDR_SIZE_OUT(level);
	if (!(desc & PTE_AF) && !(cfg->transcfg & AS_TRANSCFG_DISABLE_AF_FAULT))
		return MODEL_EXC_ACCESS_FLAG(level);
	if (FIELD_GET(AS_MEMATTR_TYPE, cfg->memattr >> AS_MEMATTR_ATTR_SHIFT(attr)) ==
	    AS_MEMATTR_TYPE_FAULT)
		return MODEL_EXC_MEM_ATTR(level);
	if (desc & PTE_AP_RDONLY)
		flags |= MODEL_XLAT_RO;
	if (desc & (PTE_UXN | PTE_PXN))
		flags |= MODEL_XLAT_XN;
	if ((cfg->transcfg & AS_TRANSCFG_WXN) && !(flags & MODEL_XLAT_RO))
		flags |= MODEL_XLAT_XN;
	*out = (struct model_xlat){
		.va = va & ~((1ULL << shift) - 1),
		.pa = pa,
		.shift = (u8)shift,
		.level = (u8)level,
		.flags = flags,
	};
	return 0;
}

static u32 model_pgtable_walk_4k(struct tyrc_model *m, const struct model_as_cfg *cfg, u64 va,
				 struct model_xlat *out)
{
	unsigned int va_bits = model_pgtable_va_bits(m, cfg);
	unsigned int level = 4 - (va_bits - 12 + 8) / 9;
	bool hier = !(cfg->transcfg & AS_TRANSCFG_DISABLE_HIER_AP);
	u64 table = cfg->transtab & ~0xfffULL;
	u8 table_flags = 0;

	if (va >> va_bits)
		return MODEL_EXC_ADDR_SIZE_IN;
	if (!model_pgtable_pa_ok(m, table))
		return MODEL_EXC_ADDR_SIZE_OUT(level);
	for (;; level++) {
		unsigned int shift = 12 + 9 * (3 - level);
		u64 desc;

		if (!model_pgtable_read(m, table + ((va >> shift) & 0x1ff) * 8, &desc))
			return MODEL_EXC_TT_BUS(level);
		switch (FIELD_GET(PTE_TYPE, desc)) {
		case PTE_TYPE_TABLE_PAGE:
			if (level == 3)
				return model_pgtable_leaf(m, cfg, va, desc, level, table_flags,
							  out);
			table = desc & PTE_ADDR;
			if (!model_pgtable_pa_ok(m, table))
				return MODEL_EXC_ADDR_SIZE_OUT(level);
			if (hier && (desc & PTE_TABLE_AP_RDONLY))
				table_flags |= MODEL_XLAT_RO;
			if (hier && (desc & (PTE_TABLE_UXN | PTE_TABLE_PXN)))
				table_flags |= MODEL_XLAT_XN;
			break;
		case PTE_TYPE_BLOCK:
			if (level == 0 || level == 3)
				return MODEL_EXC_TRANSLATION(level);
			return model_pgtable_leaf(m, cfg, va, desc, level, table_flags, out);
		default:
			return MODEL_EXC_TRANSLATION(level);
		}
	}
}

/**
 * model_pgtable_uses_tlb() - whether translations with @cfg are table walks,
 * cached in the TLB (AARCH64_4K), rather than computed (other modes).
 */
bool model_pgtable_uses_tlb(const struct model_as_cfg *cfg)
{
	return FIELD_GET(AS_TRANSCFG_ADRMODE, cfg->transcfg) == AS_TRANSCFG_ADRMODE_AARCH64_4K;
}

/**
 * model_pgtable_walk() - translate @va with configuration @cfg.
 * @m: the model (RAM, MMU_FEATURES).
 * @cfg: the address space's live configuration.
 * @va: the address to translate.
 * @out: receives the translation of the page or block containing @va.
 *
 * Context: reads page tables in RAM; takes no lock (callers hold the model
 * lock for the AS state).
 * Return: 0, or the MMU exception code of the fault (the caller records it).
 */
u32 model_pgtable_walk(struct tyrc_model *m, const struct model_as_cfg *cfg, u64 va,
		       struct model_xlat *out)
{
	switch (FIELD_GET(AS_TRANSCFG_ADRMODE, cfg->transcfg)) {
	case AS_TRANSCFG_ADRMODE_AARCH64_4K:
		return model_pgtable_walk_4k(m, cfg, va, out);
	case AS_TRANSCFG_ADRMODE_IDENTITY:
		if (!model_pgtable_pa_ok(m, va))
			return MODEL_EXC_ADDR_SIZE_OUT(0);
		*out = (struct model_xlat){ .va = va & ~0xfffULL,
					    .pa = va & ~0xfffULL,
					    .shift = 12 };
		return 0;
	default:
		return MODEL_EXC_TRANSLATION(0);
	}
}
