// SPDX-License-Identifier: MIT
/*
 * DOC: MMU address spaces
 *
 * The per-AS registers and commands (mali-g610-hw.md §8). The register file
 * exists for all MMU_AS_COUNT address spaces; those outside AS_PRESENT
 * behave the same but the GPU never accesses memory through them. The
 * MMU_INT block itself lives in model_irq.c; translation in model_mem.c,
 * model_pgtable.c and model_tlb.c.
 *
 * Registers. TRANSTAB, MEMATTR, TRANSCFG and LOCKADDR keep what is written.
 * Translations use the *live* TRANSTAB/MEMATTR/TRANSCFG, which only an
 * UPDATE command changes; writing the registers alone has no effect on
 * translation. FAULTSTATUS, FAULTADDRESS and FAULTEXTRA (always 0) describe
 * the recorded fault. Everything is 0 after a reset, which makes TRANSCFG's
 * ADRMODE 0: every access faults until the AS is configured.
 *
 * Commands. Writing AS_COMMAND with UPDATE, LOCK, UNLOCK, FLUSH_PT or
 * FLUSH_MEM starts the command; AS_STATUS.AS_ACTIVE reads 1 until it
 * completes as_command_ns later (0: inside the write). A command written
 * while one is running is ignored with a debug log, as are NOP and unknown
 * values; a driver must poll AS_ACTIVE before each command, as panthor
 * does. A command's operands are sampled when it is written (the registers
 * may be rewritten while it runs); its effect is visible when it completes:
 *
 * - UPDATE latches TRANSTAB/MEMATTR/TRANSCFG into the live configuration
 *   and invalidates the whole TLB. The lock region is not affected.
 * - LOCK locks the LOCKADDR region at once (accesses to it stall, see
 *   model_mem.c) and, at completion, invalidates the TLB entries that
 *   overlap it. A LOCK while a region is locked replaces the region. The
 *   region is the naturally aligned 2^(LOCKADDR[5:0] + 1) bytes containing
 *   LOCKADDR, at least 32 KiB (§8.3); width 63 is the whole VA space.
 * - UNLOCK unlocks at completion. The TLB entries of the region were
 *   already dropped by the LOCK and none can be refilled while it is
 *   locked, so panthor's LOCK, page-table update, GPU_CMD FLUSH_CACHES,
 *   UNLOCK sequence yields the new translations. (GPU_CMD FLUSH_CACHES
 *   neither releases the lock nor touches the TLB.)
 * - FLUSH_PT and FLUSH_MEM invalidate the TLB entries overlapping the
 *   locked region and unlock it, at completion (the older LOCK, FLUSH_*
 *   sequence). With no region locked they do nothing (debug log). The two
 *   are the same here: the model has no caches to write back.
 *
 * Faults. The first fault of an AS sets FAULTSTATUS (exception type in
 * [7:0], access type in [9:8], source id 0), FAULTADDRESS (the VA) and
 * MMU_INT RAWSTAT bit AS (the page-fault bit, the one panthor unmasks; the
 * bits [31:16] are never raised, bus faults included). While that bit is
 * set, later faults on the AS are dropped (debug log) and the registers
 * keep describing the first one, as on hardware; writing MMU_INT_CLEAR re-
 * arms the recording. A fault does not disable the AS: the agent that
 * faulted gets -EFAULT and stops, the driver decides the rest.
 *
 * Reset. A GPU reset abandons the running commands when it starts
 * (model_mmu_abort_locked()) and, when it completes, returns every AS to
 * its reset state: registers and live configuration 0, no lock, empty TLB.
 */
#include "model_priv.h"

/** model_mmu_reset_locked() - every AS to its reset state (also drops TLBs and locks). */
void model_mmu_reset_locked(struct tyrc_model *m)
{
	tyrc_lockdep_assert_held(&m->lock);
	for (unsigned int i = 0; i < MMU_AS_COUNT; i++)
		m->as[i] = (struct model_as){ 0 };
}

/** model_mmu_abort_locked() - abandon the running AS commands (GPU reset start). */
void model_mmu_abort_locked(struct tyrc_model *m)
{
	tyrc_lockdep_assert_held(&m->lock);
	for (unsigned int i = 0; i < MMU_AS_COUNT; i++)
		m->as[i].cmd_pending = false;
}

/*
 * model_mmu_lock_region() - decode LOCKADDR into the inclusive range
 * [*@first, *@last]: the naturally aligned 2^(width + 1) bytes containing it.
 */
static void model_mmu_lock_region(u64 lockaddr, u64 *first, u64 *last)
{
	unsigned int log2 = (unsigned int)FIELD_GET(AS_LOCKADDR_WIDTH, lockaddr) + 1;
	u64 mask;

	log2 = tyrc_max(log2, AS_LOCK_REGION_MIN_SIZE_LOG2);
	mask = log2 >= 64 ? ~0ULL : (1ULL << log2) - 1;
	*first = lockaddr & ~mask;
	*last = *first | mask;
}

/**
 * model_mmu_stalls_locked() - whether [@first, @last] overlaps the lock
 * region of AS @as.
 */
bool model_mmu_stalls_locked(struct tyrc_model *m, unsigned int as, u64 first, u64 last)
{
	const struct model_as *a = &m->as[as];

	tyrc_lockdep_assert_held(&m->lock);
	return a->locked && first <= a->lock_last && last >= a->lock_first;
}

/**
 * model_mmu_fault_locked() - record an MMU fault on AS @as and raise its
 * MMU_INT bit, unless a fault is already pending there (then it is dropped).
 * @exception: MODEL_EXC_* code.
 * @type: the access that faulted.
 * @va: the faulting address.
 */
void model_mmu_fault_locked(struct tyrc_model *m, unsigned int as, u32 exception,
			    enum model_access type, u64 va)
{
	struct model_irq_block *irq = &m->irq[TYRC_MODEL_IRQ_MMU];
	struct model_as *a = &m->as[as];

	tyrc_lockdep_assert_held(&m->lock);
	if (irq->rawstat & MMU_INT_AS_FAULT(as)) {
		tyrc_dbg("model: AS%u %s at 0x%llx dropped: a fault is pending", as,
			 tyrc_exception_name(exception), (unsigned long long)va);
		return;
	}
	a->faultstatus = (u32)(FIELD_PREP(AS_FAULTSTATUS_EXCEPTION_TYPE, exception) |
			       FIELD_PREP(AS_FAULTSTATUS_ACCESS_TYPE, type));
	a->faultaddress = va;
	a->faultextra = 0;
	tyrc_dbg("model: AS%u %s (0x%x, access %u) at 0x%llx", as, tyrc_exception_name(exception),
		 exception, type, (unsigned long long)va);
	model_irq_block_raise_locked(m, irq, MMU_INT_AS_FAULT(as));
}

/* Start command @cmd on @a; effects that are immediate happen here. */
static void model_mmu_command_locked(struct tyrc_model *m, unsigned int idx, u32 cmd, u64 now)
{
	struct model_as *a = &m->as[idx];

	if (cmd == AS_COMMAND_NOP)
		return;
	if (cmd > AS_COMMAND_FLUSH_MEM) {
		tyrc_dbg("model: AS%u unknown AS_COMMAND 0x%x ignored", idx, cmd);
		return;
	}
	if (a->cmd_pending) {
		tyrc_dbg("model: AS%u AS_COMMAND %u ignored: command %u still active", idx, cmd,
			 a->cmd);
		return;
	}
	a->cmd_pending = true;
	a->cmd = cmd;
	a->cmd_deadline = now + m->cfg.as_command_ns;
	switch (cmd) {
	case AS_COMMAND_UPDATE:
		a->cmd_cfg = a->regs;
		break;
	case AS_COMMAND_LOCK:
		a->locked = true;
		model_mmu_lock_region(a->lockaddr, &a->lock_first, &a->lock_last);
		break;
	default:
		break;
	}
}

/* Complete the running command of @a. */
static void model_mmu_command_done_locked(struct tyrc_model *m, unsigned int idx)
{
	struct model_as *a = &m->as[idx];

	a->cmd_pending = false;
	switch (a->cmd) {
	case AS_COMMAND_UPDATE:
		a->live = a->cmd_cfg;
		model_tlb_flush(&a->tlb);
		break;
	case AS_COMMAND_LOCK:
		model_tlb_flush_range(&a->tlb, a->lock_first, a->lock_last);
		break;
	case AS_COMMAND_UNLOCK:
		a->locked = false;
		break;
	case AS_COMMAND_FLUSH_PT:
	case AS_COMMAND_FLUSH_MEM:
		if (!a->locked) {
			tyrc_dbg("model: AS%u FLUSH without a locked region: nothing flushed", idx);
			break;
		}
		model_tlb_flush_range(&a->tlb, a->lock_first, a->lock_last);
		a->locked = false;
		break;
	default:
		break;
	}
}

/** model_mmu_run_events_locked() - complete the AS commands due by @now. */
void model_mmu_run_events_locked(struct tyrc_model *m, u64 now)
{
	tyrc_lockdep_assert_held(&m->lock);
	for (unsigned int i = 0; i < MMU_AS_COUNT; i++)
		if (m->as[i].cmd_pending && m->as[i].cmd_deadline <= now)
			model_mmu_command_done_locked(m, i);
}

/** model_mmu_next_deadline_locked() - earliest running AS command, or MODEL_NO_DEADLINE. */
u64 model_mmu_next_deadline_locked(struct tyrc_model *m)
{
	u64 next = MODEL_NO_DEADLINE;

	for (unsigned int i = 0; i < MMU_AS_COUNT; i++)
		if (m->as[i].cmd_pending)
			next = tyrc_min(next, m->as[i].cmd_deadline);
	return next;
}

static unsigned int model_mmu_as_index(u32 reg, u32 *as_reg)
{
	*as_reg = (reg - MMU_AS_BASE) % MMU_AS_STRIDE;
	return (reg - MMU_AS_BASE) / MMU_AS_STRIDE;
}

/** model_mmu_read_locked() - read a per-AS register. */
u32 model_mmu_read_locked(struct tyrc_model *m, u32 reg, bool hi)
{
	const struct model_as *as;
	unsigned int idx;
	u32 as_reg;

	tyrc_lockdep_assert_held(&m->lock);
	idx = model_mmu_as_index(reg, &as_reg);
	if (idx >= MMU_AS_COUNT)
		return 0;
	as = &m->as[idx];
	switch (as_reg) {
	case AS_TRANSTAB:
		return model_get_word(as->regs.transtab, hi);
	case AS_MEMATTR:
		return model_get_word(as->regs.memattr, hi);
	case AS_LOCKADDR:
		return model_get_word(as->lockaddr, hi);
	case AS_FAULTSTATUS:
		return as->faultstatus;
	case AS_FAULTADDRESS:
		return model_get_word(as->faultaddress, hi);
	case AS_STATUS:
		return as->cmd_pending ? AS_STATUS_AS_ACTIVE : 0;
	case AS_TRANSCFG:
		return model_get_word(as->regs.transcfg, hi);
	case AS_FAULTEXTRA:
		return model_get_word(as->faultextra, hi);
	default:
		return 0;
	}
}

/** model_mmu_write_locked() - write a per-AS register at @now. */
void model_mmu_write_locked(struct tyrc_model *m, u32 reg, bool hi, u32 value, u64 now)
{
	struct model_as *as;
	unsigned int idx;
	u32 as_reg;

	tyrc_lockdep_assert_held(&m->lock);
	idx = model_mmu_as_index(reg, &as_reg);
	if (idx >= MMU_AS_COUNT)
		return;
	as = &m->as[idx];
	switch (as_reg) {
	case AS_TRANSTAB:
		model_set_word(&as->regs.transtab, hi, value);
		break;
	case AS_MEMATTR:
		model_set_word(&as->regs.memattr, hi, value);
		break;
	case AS_LOCKADDR:
		model_set_word(&as->lockaddr, hi, value);
		break;
	case AS_TRANSCFG:
		model_set_word(&as->regs.transcfg, hi, value);
		break;
	case AS_COMMAND:
		model_mmu_command_locked(m, idx, value, now);
		break;
	default:
		break;
	}
}
