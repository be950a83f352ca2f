// SPDX-License-Identifier: MIT
/* The descriptor table generated from the per-block register lists. */
#include "tyrc_gpu_regs.h"
#include "tyrc_job_regs.h"
#include "tyrc_mmu_regs.h"

#define GPU_DESC(n, off, acc, w) { #n, GPU_CONTROL_BASE + (off), TYRC_REG_##acc, w },
#define JOB_DESC(n, off, acc, w) { #n, JOB_CONTROL_BASE + (off), TYRC_REG_##acc, w },
#define MMU_DESC(n, off, acc, w) { #n, MMU_BASE + (off), TYRC_REG_##acc, w },

#define AS_BLOCK(as_idx)                                                                           \
	{ "AS" #as_idx "_TRANSTAB", MMU_AS(as_idx) + AS_TRANSTAB, TYRC_REG_RW, 64 },               \
		{ "AS" #as_idx "_MEMATTR", MMU_AS(as_idx) + AS_MEMATTR, TYRC_REG_RW, 64 },         \
		{ "AS" #as_idx "_LOCKADDR", MMU_AS(as_idx) + AS_LOCKADDR, TYRC_REG_RW, 64 },       \
		{ "AS" #as_idx "_COMMAND", MMU_AS(as_idx) + AS_COMMAND, TYRC_REG_WO, 32 },         \
		{ "AS" #as_idx "_FAULTSTATUS", MMU_AS(as_idx) + AS_FAULTSTATUS, TYRC_REG_RO, 32 }, \
		{ "AS" #as_idx "_FAULTADDRESS", MMU_AS(as_idx) + AS_FAULTADDRESS, TYRC_REG_RO,     \
		  64 },                                                                            \
		{ "AS" #as_idx "_STATUS", MMU_AS(as_idx) + AS_STATUS, TYRC_REG_RO, 32 },           \
		{ "AS" #as_idx "_TRANSCFG", MMU_AS(as_idx) + AS_TRANSCFG, TYRC_REG_RW, 64 },       \
		{ "AS" #as_idx "_FAULTEXTRA", MMU_AS(as_idx) + AS_FAULTEXTRA, TYRC_REG_RO, 64 },

/* One AS_BLOCK() per address space below. */
_Static_assert(MMU_AS_COUNT == 8, "AS_BLOCK list must match MMU_AS_COUNT");

static const struct tyrc_reg_desc tyrc_reg_table[] = {
	TYRC_GPU_CONTROL_REGS(GPU_DESC) TYRC_JOB_CONTROL_REGS(JOB_DESC) TYRC_MMU_REGS(MMU_DESC)
		AS_BLOCK(0) AS_BLOCK(1) AS_BLOCK(2) AS_BLOCK(3) AS_BLOCK(4) AS_BLOCK(5) AS_BLOCK(6)
			AS_BLOCK(7)
};

const struct tyrc_reg_desc *tyrc_regs_lookup(u32 offset)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(tyrc_reg_table); i++) {
		const struct tyrc_reg_desc *d = &tyrc_reg_table[i];

		if (offset >= d->offset && offset < d->offset + d->width / 8)
			return d;
	}
	return NULL;
}

unsigned int tyrc_regs_count(void)
{
	return ARRAY_SIZE(tyrc_reg_table);
}

const struct tyrc_reg_desc *tyrc_regs_at(unsigned int i)
{
	return i < ARRAY_SIZE(tyrc_reg_table) ? &tyrc_reg_table[i] : NULL;
}
