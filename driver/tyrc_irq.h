/* SPDX-License-Identifier: MIT */
/*
 * DOC: Interrupt blocks
 *
 * The GPU, JOB and MMU blocks share one interrupt register layout
 * (RAWSTAT/CLEAR/MASK/STAT at +0/+4/+8/+0xc) and one handling pattern,
 * panthor's: the hard handler claims the interrupt when STAT != 0 and
 * masks the block; the threaded handler loops on RAWSTAT & mask, clearing
 * and dispatching each batch, then restores MASK. A suspended block
 * ignores its line. Plain functions taking the block, not generated code.
 */
#ifndef TYRC_IRQ_BLOCK_H
#define TYRC_IRQ_BLOCK_H

#include <tyrc/kernel.h>

struct tyrc_device;

/** struct tyrc_irq - one interrupt block of the GPU. */
struct tyrc_irq {
	struct tyrc_device *dev;
	struct tyrc_irq_line *line;
	/** @int_base: offset of the block's RAWSTAT register. */
	u32 int_base;
	/** @mask: sources the driver wants, restored after each threaded run (@lock). */
	u32 mask;
	/** @suspended: the block is masked for suspend/reset (@lock). */
	bool suspended;
	/** @lock: protects @mask and @suspended against the threaded handler. */
	struct tyrc_mutex lock;
	/** @handler: processes one batch of (already cleared) status bits. */
	void (*handler)(struct tyrc_device *dev, u32 status);
	bool requested;
};

/**
 * tyrc_irq_request() - clear and unmask @mask in the block, attach to @line.
 * Return: 0 or a negative errno from the IRQ core.
 */
int tyrc_irq_request(struct tyrc_device *dev, struct tyrc_irq *irq, struct tyrc_irq_line *line,
		     u32 int_base, u32 mask, void (*handler)(struct tyrc_device *, u32));
/** tyrc_irq_release() - mask the block and detach (copes with a failed request). */
void tyrc_irq_release(struct tyrc_irq *irq);
/** tyrc_irq_suspend() - mask the block and wait for running handlers. */
void tyrc_irq_suspend(struct tyrc_irq *irq);
/** tyrc_irq_resume() - clear then unmask @mask, as panthor does on resume. */
void tyrc_irq_resume(struct tyrc_irq *irq, u32 mask);
/**
 * tyrc_irq_mask_sources() - stop handling @bits: they leave @irq->mask, and
 * the block's MASK follows when the threaded handler restores it. Meant for
 * the block's own handler (the MMU masks a faulting AS until it is enabled
 * again); the bits are no longer passed to the handler from the next batch.
 */
void tyrc_irq_mask_sources(struct tyrc_irq *irq, u32 bits);
/** tyrc_irq_unmask_sources() - clear @bits, add them to @irq->mask and write MASK (unless suspended). */
void tyrc_irq_unmask_sources(struct tyrc_irq *irq, u32 bits);

#endif /* TYRC_IRQ_BLOCK_H */
