/* SPDX-License-Identifier: MIT */
/*
 * DOC: pwr layer
 *
 * The GPU_CONTROL block as the driver uses it (panthor_gpu.c): identity,
 * the GPU interrupt, soft reset, cache flushes and L2 power. panthor powers
 * only the L2; the firmware powers shader cores and the tiler itself.
 */
#ifndef TYRC_PWR_H
#define TYRC_PWR_H

#include <tyrc/types.h>

struct tyrc_device;

/** tyrc_pwr_init() - identify the GPU, take its IRQ, soft-reset it and power the L2. */
int tyrc_pwr_init(struct tyrc_device *dev);
/** tyrc_pwr_fini() - power the L2 down and release the IRQ (copes with a partial init). */
void tyrc_pwr_fini(struct tyrc_device *dev);
/** tyrc_pwr_suspend() - L2 off, IRQ masked. */
void tyrc_pwr_suspend(struct tyrc_device *dev);
/** tyrc_pwr_resume() - IRQ unmasked, L2 on. Return: 0 or -ETIMEDOUT. */
int tyrc_pwr_resume(struct tyrc_device *dev);
/** tyrc_pwr_soft_reset() - reset the whole GPU and wait for RESET_COMPLETED. */
int tyrc_pwr_soft_reset(struct tyrc_device *dev);
/** tyrc_pwr_l2_power_on() - set COHERENCY_PROTOCOL, then power the L2 and wait until ready. */
int tyrc_pwr_l2_power_on(struct tyrc_device *dev);
/** tyrc_pwr_l2_power_off() - power the L2 down and wait for the transition. */
int tyrc_pwr_l2_power_off(struct tyrc_device *dev);
/** tyrc_pwr_flush_caches() - issue FLUSH_CACHES (GPU_CACHE_OP_* per cache) and wait. */
int tyrc_pwr_flush_caches(struct tyrc_device *dev, u32 l2, u32 lsc, u32 other);
/** tyrc_pwr_l2_power_on_count() - how many times the L2 was powered (info/debug). */
u32 tyrc_pwr_l2_power_on_count(struct tyrc_device *dev);

#endif /* TYRC_PWR_H */
