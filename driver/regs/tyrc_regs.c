// SPDX-License-Identifier: MIT
/* The descriptor table generated from the per-block register lists. */
#include "tyrc_gpu_regs.h"
#include "tyrc_job_regs.h"
#include "tyrc_mmu_regs.h"

#define GPU_DESC(n, off, acc, w) { #n, GPU_CONTROL_BASE + (off), TYRC_REG_##acc, w },
#define JOB_DESC(n, off, acc, w) { #n, JOB_CONTROL_BASE + (off), TYRC_REG_##acc, w },
#define MMU_DESC(n, off, acc, w) { #n, MMU_BASE + (off), TYRC_REG_##acc, w },
#define CSF_USER_DESC(n, off, acc, w) { #n, (off), TYRC_REG_##acc, w },
#define DOORBELL(i) { "CSF_DOORBELL" #i, CSF_DOORBELL(i), TYRC_REG_WO, 32 },

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

/* One AS_BLOCK() per address space and one DOORBELL() per doorbell below. */
_Static_assert(MMU_AS_COUNT == 8, "AS_BLOCK list must match MMU_AS_COUNT");
_Static_assert(CSF_DOORBELL_COUNT == 16, "DOORBELL list must match CSF_DOORBELL_COUNT");

static const struct tyrc_reg_desc tyrc_reg_table[] = {
	TYRC_GPU_CONTROL_REGS(GPU_DESC) TYRC_JOB_CONTROL_REGS(JOB_DESC) TYRC_MMU_REGS(MMU_DESC)
		AS_BLOCK(0) AS_BLOCK(1) AS_BLOCK(2) AS_BLOCK(3) AS_BLOCK(4) AS_BLOCK(5) AS_BLOCK(6)
			AS_BLOCK(7) TYRC_CSF_USER_REGS(CSF_USER_DESC) DOORBELL(0) DOORBELL(1)
				DOORBELL(2) DOORBELL(3) DOORBELL(4) DOORBELL(5) DOORBELL(6)
					DOORBELL(7) DOORBELL(8) DOORBELL(9) DOORBELL(10)
						DOORBELL(11) DOORBELL(12) DOORBELL(13) DOORBELL(14)
							DOORBELL(15)
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

#define EXCEPTION(code, name) [code] = #name

/* mali-g610-hw.md §10; the MMU codes carry the table level in their name. */
static const char *const tyrc_exception_names[256] = {
	EXCEPTION(0x00, OK),
	EXCEPTION(0x04, TERMINATED),
	EXCEPTION(0x05, KABOOM),
	EXCEPTION(0x06, EUREKA),
	EXCEPTION(0x08, ACTIVE),
	EXCEPTION(0x0f, CS_RES_TERM),
	EXCEPTION(0x40, CS_CONFIG_FAULT),
	EXCEPTION(0x41, CS_UNRECOVERABLE),
	EXCEPTION(0x44, CS_ENDPOINT_FAULT),
	EXCEPTION(0x48, CS_BUS_FAULT),
	EXCEPTION(0x49, CS_INSTR_INVALID),
	EXCEPTION(0x4a, CS_CALL_STACK_OVERFLOW),
	EXCEPTION(0x4b, CS_INHERIT_FAULT),
	EXCEPTION(0x50, INSTR_INVALID_PC),
	EXCEPTION(0x51, INSTR_INVALID_ENC),
	EXCEPTION(0x55, INSTR_BARRIER_FAULT),
	EXCEPTION(0x58, DATA_INVALID_FAULT),
	EXCEPTION(0x59, TILE_RANGE_FAULT),
	EXCEPTION(0x5a, ADDR_RANGE_FAULT),
	EXCEPTION(0x5b, IMPRECISE_FAULT),
	EXCEPTION(0x60, OOM),
	EXCEPTION(0x68, CSF_FW_INTERNAL_ERROR),
	EXCEPTION(0x69, CSF_RES_EVICTION_TIMEOUT),
	EXCEPTION(0x80, GPU_BUS_FAULT),
	EXCEPTION(0x88, GPU_SHAREABILITY_FAULT),
	EXCEPTION(0x89, SYS_SHAREABILITY_FAULT),
	EXCEPTION(0x8a, GPU_CACHEABILITY_FAULT),
	EXCEPTION(0xc0, TRANSLATION_FAULT_0),
	EXCEPTION(0xc1, TRANSLATION_FAULT_1),
	EXCEPTION(0xc2, TRANSLATION_FAULT_2),
	EXCEPTION(0xc3, TRANSLATION_FAULT_3),
	EXCEPTION(0xc4, TRANSLATION_FAULT_4),
	EXCEPTION(0xc8, PERM_FAULT_0),
	EXCEPTION(0xc9, PERM_FAULT_1),
	EXCEPTION(0xca, PERM_FAULT_2),
	EXCEPTION(0xcb, PERM_FAULT_3),
	EXCEPTION(0xd9, ACCESS_FLAG_1),
	EXCEPTION(0xda, ACCESS_FLAG_2),
	EXCEPTION(0xdb, ACCESS_FLAG_3),
	EXCEPTION(0xe0, ADDR_SIZE_FAULT_IN),
	EXCEPTION(0xe4, ADDR_SIZE_FAULT_OUT_0),
	EXCEPTION(0xe5, ADDR_SIZE_FAULT_OUT_1),
	EXCEPTION(0xe6, ADDR_SIZE_FAULT_OUT_2),
	EXCEPTION(0xe7, ADDR_SIZE_FAULT_OUT_3),
	EXCEPTION(0xe8, MEM_ATTR_FAULT_0),
	EXCEPTION(0xe9, MEM_ATTR_FAULT_1),
	EXCEPTION(0xea, MEM_ATTR_FAULT_2),
	EXCEPTION(0xeb, MEM_ATTR_FAULT_3),
};

const char *tyrc_exception_name(u32 code)
{
	if (code >= ARRAY_SIZE(tyrc_exception_names) || !tyrc_exception_names[code])
		return "UNKNOWN";
	return tyrc_exception_names[code];
}
