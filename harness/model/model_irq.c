// SPDX-License-Identifier: MIT
/*
 * DOC: Interrupt blocks
 *
 * The GPU_INT, JOB_INT and MMU_INT blocks share one layout and one
 * behaviour (mali-g610-hw.md §6), implemented once here:
 *
 * - RAWSTAT latches events whatever MASK says. Writing RAWSTAT ORs the
 *   written bits in (as on Mali, where kbase uses it to raise test
 *   interrupts); it never clears bits.
 * - CLEAR is write-1-to-clear on RAWSTAT; it reads 0 (write-only).
 * - MASK is plain read/write.
 * - STAT = RAWSTAT & MASK (read-only).
 * - The block's line is asserted exactly while STAT != 0 and is recomputed
 *   after every change. When new bits appear in STAT while the line is
 *   already asserted the line is set again, so a delivery that had decided
 *   "not mine" re-examines the block (a level line stays high; this is only
 *   a hint to the delivery thread).
 */
#include "model_priv.h"

/* Register index within a block, relative to its RAWSTAT. */
enum model_irq_reg {
	MODEL_IRQ_RAWSTAT = 0,
	MODEL_IRQ_CLEAR = GPU_INT_CLEAR - GPU_INT_RAWSTAT,
	MODEL_IRQ_MASK = GPU_INT_MASK - GPU_INT_RAWSTAT,
	MODEL_IRQ_STAT = GPU_INT_STAT - GPU_INT_RAWSTAT,
};

_Static_assert(JOB_INT_CLEAR - JOB_INT_RAWSTAT == MODEL_IRQ_CLEAR, "JOB_INT layout");
_Static_assert(JOB_INT_MASK - JOB_INT_RAWSTAT == MODEL_IRQ_MASK, "JOB_INT layout");
_Static_assert(JOB_INT_STAT - JOB_INT_RAWSTAT == MODEL_IRQ_STAT, "JOB_INT layout");
_Static_assert(MMU_INT_CLEAR - MMU_INT_RAWSTAT == MODEL_IRQ_CLEAR, "MMU_INT layout");
_Static_assert(MMU_INT_MASK - MMU_INT_RAWSTAT == MODEL_IRQ_MASK, "MMU_INT layout");
_Static_assert(MMU_INT_STAT - MMU_INT_RAWSTAT == MODEL_IRQ_STAT, "MMU_INT layout");

int model_irq_block_init(struct model_irq_block *blk, const char *name)
{
	*blk = (struct model_irq_block){ .name = name };
	blk->line = tyrc_irq_line_create(name);
	return blk->line ? 0 : -ENOMEM;
}

void model_irq_block_fini(struct model_irq_block *blk)
{
	if (blk->line)
		tyrc_irq_line_destroy(blk->line);
	blk->line = NULL;
}

/* Drive the line from the new STAT; @old_stat is STAT before the change. */
static void model_irq_block_update_locked(struct tyrc_model *m, struct model_irq_block *blk,
					  u32 old_stat)
{
	u32 stat = blk->rawstat & blk->mask;
	bool level = stat != 0;

	tyrc_lockdep_assert_held(&m->lock);
	if (level == blk->asserted && !(stat & ~old_stat))
		return;
	blk->asserted = level;
	if (m->trace)
		tyrc_dbg("model: irq %s %s (stat 0x%08x)", blk->name,
			 level ? "asserted" : "deasserted", stat);
	tyrc_irq_line_set(blk->line, level);
}

/**
 * model_irq_block_reset_locked() - return a block to its reset state.
 * @m: the model.
 * @blk: the block.
 * @keep_mask: keep MASK (GPU_INT across a GPU reset, see model_gpu.c).
 */
void model_irq_block_reset_locked(struct tyrc_model *m, struct model_irq_block *blk, bool keep_mask)
{
	u32 old_stat = blk->rawstat & blk->mask;

	blk->rawstat = 0;
	if (!keep_mask)
		blk->mask = 0;
	model_irq_block_update_locked(m, blk, old_stat);
}

/** model_irq_block_raise_locked() - latch events @bits into RAWSTAT. */
void model_irq_block_raise_locked(struct tyrc_model *m, struct model_irq_block *blk, u32 bits)
{
	u32 old_stat = blk->rawstat & blk->mask;

	blk->rawstat |= bits;
	model_irq_block_update_locked(m, blk, old_stat);
}

/** model_irq_block_read_locked() - read register @reg (offset from RAWSTAT). */
u32 model_irq_block_read_locked(struct tyrc_model *m, struct model_irq_block *blk, u32 reg)
{
	tyrc_lockdep_assert_held(&m->lock);
	switch (reg) {
	case MODEL_IRQ_RAWSTAT:
		return blk->rawstat;
	case MODEL_IRQ_MASK:
		return blk->mask;
	case MODEL_IRQ_STAT:
		return blk->rawstat & blk->mask;
	default:
		/* CLEAR is write-only; the MMIO layer already filtered it. */
		return 0;
	}
}

/** model_irq_block_write_locked() - write register @reg (offset from RAWSTAT). */
void model_irq_block_write_locked(struct tyrc_model *m, struct model_irq_block *blk, u32 reg,
				  u32 value)
{
	u32 old_stat = blk->rawstat & blk->mask;

	tyrc_lockdep_assert_held(&m->lock);
	switch (reg) {
	case MODEL_IRQ_RAWSTAT:
		blk->rawstat |= value;
		break;
	case MODEL_IRQ_CLEAR:
		blk->rawstat &= ~value;
		break;
	case MODEL_IRQ_MASK:
		blk->mask = value;
		break;
	default:
		/* STAT is read-only; the MMIO layer already filtered it. */
		return;
	}
	model_irq_block_update_locked(m, blk, old_stat);
}
