// SPDX-License-Identifier: MIT
#include "tyrc_irq.h"
#include "tyrc_device.h"
#include "tyrc_gpu_regs.h"
#include "tyrc_job_regs.h"
#include "tyrc_mmu_regs.h"

/* The shared block layout, relative to each block's RAWSTAT. */
#define IRQ_RAWSTAT 0x0
#define IRQ_CLEAR (GPU_INT_CLEAR - GPU_INT_RAWSTAT)
#define IRQ_MASK (GPU_INT_MASK - GPU_INT_RAWSTAT)
#define IRQ_STAT (GPU_INT_STAT - GPU_INT_RAWSTAT)
_Static_assert(JOB_INT_STAT - JOB_INT_RAWSTAT == IRQ_STAT &&
		       JOB_INT_MASK - JOB_INT_RAWSTAT == IRQ_MASK &&
		       JOB_INT_CLEAR - JOB_INT_RAWSTAT == IRQ_CLEAR,
	       "JOB_INT layout");
_Static_assert(MMU_INT_STAT - MMU_INT_RAWSTAT == IRQ_STAT &&
		       MMU_INT_MASK - MMU_INT_RAWSTAT == IRQ_MASK &&
		       MMU_INT_CLEAR - MMU_INT_RAWSTAT == IRQ_CLEAR,
	       "MMU_INT layout");

static enum tyrc_irqreturn tyrc_irq_raw_handler(void *data)
{
	struct tyrc_irq *irq = data;
	struct tyrc_iomem *io = irq->dev->iomem;
	bool suspended;

	tyrc_mutex_lock(&irq->lock);
	suspended = irq->suspended;
	tyrc_mutex_unlock(&irq->lock);
	if (suspended || !tyrc_ioread32(io, irq->int_base + IRQ_STAT))
		return TYRC_IRQ_NONE;

	/* Mask the block so the level drops while the thread runs. */
	tyrc_iowrite32(io, irq->int_base + IRQ_MASK, 0);
	return TYRC_IRQ_WAKE_THREAD;
}

static enum tyrc_irqreturn tyrc_irq_threaded_handler(void *data)
{
	struct tyrc_irq *irq = data;
	struct tyrc_iomem *io = irq->dev->iomem;
	enum tyrc_irqreturn ret = TYRC_IRQ_NONE;

	for (;;) {
		u32 mask, status;

		tyrc_mutex_lock(&irq->lock);
		mask = irq->suspended ? 0 : irq->mask;
		tyrc_mutex_unlock(&irq->lock);

		status = tyrc_ioread32(io, irq->int_base + IRQ_RAWSTAT) & mask;
		if (!status)
			break;
		tyrc_iowrite32(io, irq->int_base + IRQ_CLEAR, status);
		irq->handler(irq->dev, status);
		ret = TYRC_IRQ_HANDLED;
	}

	tyrc_mutex_lock(&irq->lock);
	if (!irq->suspended)
		tyrc_iowrite32(io, irq->int_base + IRQ_MASK, irq->mask);
	tyrc_mutex_unlock(&irq->lock);
	return ret;
}

int tyrc_irq_request(struct tyrc_device *dev, struct tyrc_irq *irq, struct tyrc_irq_line *line,
		     u32 int_base, u32 mask, void (*handler)(struct tyrc_device *, u32))
{
	int ret;

	irq->dev = dev;
	irq->line = line;
	irq->int_base = int_base;
	irq->mask = mask;
	irq->suspended = false;
	irq->handler = handler;
	tyrc_mutex_init(&irq->lock);

	tyrc_iowrite32(dev->iomem, int_base + IRQ_CLEAR, mask);
	tyrc_iowrite32(dev->iomem, int_base + IRQ_MASK, mask);

	ret = tyrc_request_threaded_irq(line, tyrc_irq_raw_handler, tyrc_irq_threaded_handler, irq);
	if (ret) {
		tyrc_iowrite32(dev->iomem, int_base + IRQ_MASK, 0);
		tyrc_mutex_destroy(&irq->lock);
		return ret;
	}
	irq->requested = true;
	return 0;
}

void tyrc_irq_release(struct tyrc_irq *irq)
{
	if (!irq->requested)
		return;
	tyrc_irq_suspend(irq);
	tyrc_free_irq(irq->line);
	irq->requested = false;
	tyrc_mutex_destroy(&irq->lock);
}

void tyrc_irq_suspend(struct tyrc_irq *irq)
{
	tyrc_mutex_lock(&irq->lock);
	irq->suspended = true;
	tyrc_iowrite32(irq->dev->iomem, irq->int_base + IRQ_MASK, 0);
	tyrc_mutex_unlock(&irq->lock);
	tyrc_synchronize_irq(irq->line);
}

void tyrc_irq_resume(struct tyrc_irq *irq, u32 mask)
{
	tyrc_mutex_lock(&irq->lock);
	irq->suspended = false;
	irq->mask = mask;
	tyrc_iowrite32(irq->dev->iomem, irq->int_base + IRQ_CLEAR, mask);
	tyrc_iowrite32(irq->dev->iomem, irq->int_base + IRQ_MASK, mask);
	tyrc_mutex_unlock(&irq->lock);
}

void tyrc_irq_mask_sources(struct tyrc_irq *irq, u32 bits)
{
	tyrc_mutex_lock(&irq->lock);
	irq->mask &= ~bits;
	tyrc_mutex_unlock(&irq->lock);
}

void tyrc_irq_unmask_sources(struct tyrc_irq *irq, u32 bits)
{
	tyrc_mutex_lock(&irq->lock);
	irq->mask |= bits;
	tyrc_iowrite32(irq->dev->iomem, irq->int_base + IRQ_CLEAR, bits);
	if (!irq->suspended)
		tyrc_iowrite32(irq->dev->iomem, irq->int_base + IRQ_MASK, irq->mask);
	tyrc_mutex_unlock(&irq->lock);
}
