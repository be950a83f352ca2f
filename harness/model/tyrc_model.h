/* SPDX-License-Identifier: MIT */
/*
 * DOC: GPU model
 *
 * A functional model of an RK3588 Mali-G610 MP4. It is reachable only the
 * way silicon is: a 2 MiB MMIO window (struct tyrc_iomem), three
 * level-triggered interrupt lines (gpu, job, mmu) and physical memory.
 * Everything that takes time on hardware (soft reset, power transitions)
 * takes the configured time here, so a driver that does not wait observes
 * "not ready". The configuration is plain data, checked by
 * tyrc_model_config_is_valid() before a model is built.
 */
#ifndef TYRC_MODEL_H
#define TYRC_MODEL_H

#include <tyrc/kernel.h>

/** struct tyrc_model_config - identity and timing of the modelled GPU. */
struct tyrc_model_config {
	/* Identity registers (mali-g610-hw.md §4). */
	u32 gpu_id;
	u32 gpu_rev;
	u32 csf_id;
	u32 l2_features;
	u32 core_features;
	u32 tiler_features;
	u32 mem_features;
	u32 mmu_features;
	u32 as_present;
	u32 thread_features;
	u32 thread_max_threads;
	u32 thread_max_workgroup_size;
	u32 thread_max_barrier_size;
	u32 texture_features[4];
	u32 coherency_features;
	u64 gpu_features;
	u64 shader_present;
	u64 tiler_present;
	u64 l2_present;
	/** @timestamp_frequency_hz: rate of GPU_TIMESTAMP (arch timer). */
	u64 timestamp_frequency_hz;
	/** @gpu_frequency_hz: rate of GPU_CYCLE_COUNT. */
	u64 gpu_frequency_hz;
	/* Latencies in ns; 0 = instant. */
	u64 soft_reset_ns;
	u64 hard_reset_ns;
	u64 l2_power_ns;
	u64 core_power_ns;
	u64 cache_flush_ns;
};

/** tyrc_model_config_init_g610() - fill @cfg with the RK3588 Mali-G610 MP4 values. */
void tyrc_model_config_init_g610(struct tyrc_model_config *cfg);
/** tyrc_model_config_is_valid() - Return: true if a model can be built from @cfg. */
bool tyrc_model_config_is_valid(const struct tyrc_model_config *cfg);

enum tyrc_model_irq {
	TYRC_MODEL_IRQ_JOB = 0,
	TYRC_MODEL_IRQ_MMU,
	TYRC_MODEL_IRQ_GPU,
	TYRC_MODEL_IRQ_COUNT,
};

struct tyrc_model;

/** tyrc_model_create() - power-on a model (registers at reset values). Return: 0, -EINVAL, -ENOMEM. */
int tyrc_model_create(const struct tyrc_model_config *cfg, struct tyrc_model **out);
/** tyrc_model_destroy() - stop all model activity and free it; no driver may still use it. */
void tyrc_model_destroy(struct tyrc_model *model);
/** tyrc_model_iomem() - the MMIO window (valid until destroy). */
struct tyrc_iomem *tyrc_model_iomem(struct tyrc_model *model);
/** tyrc_model_irq_line() - one of the three interrupt lines. */
struct tyrc_irq_line *tyrc_model_irq_line(struct tyrc_model *model, enum tyrc_model_irq which);

#endif /* TYRC_MODEL_H */
