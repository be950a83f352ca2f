// SPDX-License-Identifier: MIT
/*
 * DOC: MMU address spaces
 *
 * The per-AS registers (mali-g610-hw.md §8.1) as plain storage: TRANSTAB,
 * MEMATTR, LOCKADDR and TRANSCFG keep what is written, the fault registers
 * read 0 and AS_STATUS reads 0 (no command ever in progress). AS_COMMAND is
 * accepted and completes instantly; address translation, UPDATE/LOCK/FLUSH
 * semantics and faults come with the MMU emulation. Address spaces outside
 * AS_PRESENT behave the same (the register file exists for all
 * MMU_AS_COUNT). The MMU_INT block itself lives in model_irq.c.
 */
#include "model_priv.h"

/** model_mmu_reset_locked() - every AS register to 0. */
void model_mmu_reset_locked(struct tyrc_model *m)
{
	tyrc_lockdep_assert_held(&m->lock);
	for (unsigned int i = 0; i < MMU_AS_COUNT; i++)
		m->as[i] = (struct model_as){ 0 };
}

static struct model_as *model_mmu_as(struct tyrc_model *m, u32 reg, u32 *as_reg)
{
	u32 idx = (reg - MMU_AS_BASE) / MMU_AS_STRIDE;

	*as_reg = (reg - MMU_AS_BASE) % MMU_AS_STRIDE;
	return idx < MMU_AS_COUNT ? &m->as[idx] : NULL;
}

/** model_mmu_read_locked() - read a per-AS register. */
u32 model_mmu_read_locked(struct tyrc_model *m, u32 reg, bool hi)
{
	struct model_as *as;
	u32 as_reg;

	tyrc_lockdep_assert_held(&m->lock);
	as = model_mmu_as(m, reg, &as_reg);
	if (!as)
		return 0;
	switch (as_reg) {
	case AS_TRANSTAB:
		return model_get_word(as->transtab, hi);
	case AS_MEMATTR:
		return model_get_word(as->memattr, hi);
	case AS_LOCKADDR:
		return model_get_word(as->lockaddr, hi);
	case AS_FAULTSTATUS:
		return as->faultstatus;
	case AS_FAULTADDRESS:
		return model_get_word(as->faultaddress, hi);
	case AS_STATUS:
		return as->status;
	case AS_TRANSCFG:
		return model_get_word(as->transcfg, hi);
	case AS_FAULTEXTRA:
		return model_get_word(as->faultextra, hi);
	default:
		return 0;
	}
}

/** model_mmu_write_locked() - write a per-AS register. */
void model_mmu_write_locked(struct tyrc_model *m, u32 reg, bool hi, u32 value)
{
	struct model_as *as;
	u32 as_reg;

	tyrc_lockdep_assert_held(&m->lock);
	as = model_mmu_as(m, reg, &as_reg);
	if (!as)
		return;
	switch (as_reg) {
	case AS_TRANSTAB:
		model_set_word(&as->transtab, hi, value);
		break;
	case AS_MEMATTR:
		model_set_word(&as->memattr, hi, value);
		break;
	case AS_LOCKADDR:
		model_set_word(&as->lockaddr, hi, value);
		break;
	case AS_TRANSCFG:
		model_set_word(&as->transcfg, hi, value);
		break;
	case AS_COMMAND:
		if (value > AS_COMMAND_FLUSH_MEM)
			tyrc_dbg("model: AS%u unknown AS_COMMAND 0x%x ignored",
				 (reg - MMU_AS_BASE) / MMU_AS_STRIDE, value);
		break;
	default:
		break;
	}
}
