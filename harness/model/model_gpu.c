// SPDX-License-Identifier: MIT
/*
 * DOC: GPU control
 *
 * The GPU_CONTROL block other than power (model_pwr.c) and the interrupt
 * registers (model_irq.c): identity, GPU_CMD, reset, time, coherency and
 * the MCU control registers. Choices where the hardware documentation is
 * silent:
 *
 * Identity. Every identity register returns its config field. For the G610
 * (tyrc_model_config_init_g610()) the values are those of mali-g610-hw.md §4
 * plus: GPU_REVID 0 (an RK3588 identity check on real hardware expects 0),
 * CORE_FEATURES 0 (the kbase NO_MALI model's value for this product), and
 * COHERENCY_FEATURES = BIT(GPU_COHERENCY_ACE_LITE): the G610 itself speaks
 * ACE-Lite, whether an SoC wires it coherently is the platform's business
 * (RK3588 does not, so the driver selects NONE). panthor only reads this
 * register when the platform is DMA-coherent, to check for ACE-Lite; a model
 * configured with 0 (the drm-shim dump) is also valid.
 *
 * COHERENCY_PROTOCOL resets to GPU_COHERENCY_NONE. A write sticks only if it
 * names GPU_COHERENCY_NONE or a protocol whose COHERENCY_FEATURES bit is
 * set; anything else is ignored (debug log) and the register keeps its value.
 *
 * GPU_CMD. SOFT_RESET / HARD_RESET and FLUSH_CACHES (any op combination);
 * NOP and unknown commands are ignored, unknown ones with a debug log. A
 * flush completes cache_flush_ns later with RAWSTAT CLEAN_CACHES_COMPLETED;
 * a flush issued while one is pending completes with it, or later if its own
 * latency ends later (one completion event for both). The model keeps no
 * caches, so a flush has no other effect.
 *
 * Reset. A reset command starts a reset lasting soft_reset_ns or
 * hard_reset_ns (hard and soft resets differ only in latency). At the
 * command the pending cache flush, power transitions and AS commands are
 * abandoned. While the reset runs, GPU_STATUS reads ACTIVE, further GPU_CMD
 * writes (resets included) and PWRON/PWROFF writes are ignored with a debug
 * log, and other registers keep working but are overwritten at completion.
 * At completion every register returns to its reset value: power domains
 * off, JOB_INT and MMU_INT MASK 0, all RAWSTATs 0, AS registers 0 (live
 * configuration, lock regions and TLBs too), COHERENCY_PROTOCOL NONE, MCU
 * disabled (its firmware stopped at the command), TIMESTAMP_OFFSET/L2_CONFIG/PWR_OVERRIDE 0, cycle counter 0 —
 * and then GPU_INT RAWSTAT.RESET_COMPLETED is set. GPU_INT_MASK survives the
 * reset: kbase unmasks only RESET_COMPLETED before a soft reset and reports
 * "Reset interrupt didn't reach CPU" if only RAWSTAT shows it, and panthor
 * waits for that interrupt without re-writing the mask, so silicon must
 * deliver it with the pre-reset mask.
 *
 * GPU_STATUS. ACTIVE while a reset or cache flush runs, PWR_ACTIVE while
 * any power transition is pending; no other bit is ever set yet.
 *
 * Time. TIMESTAMP is the host's CLOCK_MONOTONIC converted to
 * timestamp_frequency_hz ticks (a counter since boot, like the arch timer),
 * plus TIMESTAMP_OFFSET, computed at read time. CYCLE_COUNT counts
 * gpu_frequency_hz cycles while an L2 is powered (the GPU clock domain is
 * gated with it) and restarts from 0 at a GPU reset.
 *
 * MCU. MCU_CONTROL and MCU_STATUS are decoded here and served by the
 * firmware emulation in model_mcu.c (boot, halt, disable) and model_glb.c
 * (the global interface).
 *
 * LATEST_FLUSH_ID (CSF_GPU_LATEST_FLUSH_ID) counts completed FLUSH_CACHES
 * commands (one per completion event, so two flushes that complete together
 * count once), wrapping within CSF_LATEST_FLUSH_ID_VALUE. It starts at 0 when
 * the model is created and is not reset by a GPU reset: userspace compares
 * IDs sampled across a reset, and a counter going backwards could make a
 * flush look done when it is not.
 *
 * PWR_KEY and PWR_OVERRIDE0/1 are accepted and have no effect.
 */
#include "model_priv.h"

/** model_gpu_reset_locked() - GPU_CONTROL and MCU state to reset values. */
void model_gpu_reset_locked(struct tyrc_model *m, u64 now)
{
	tyrc_lockdep_assert_held(&m->lock);
	m->gpu = (struct model_gpu){
		.coherency_protocol = GPU_COHERENCY_NONE,
		.cycles_since = now,
	};
}

/**
 * model_gpu_clock_set_locked() - start or stop the GPU clock (cycle counter).
 * @running: whether the clock runs from @at on.
 * @at: the time of the change (not after now).
 */
void model_gpu_clock_set_locked(struct tyrc_model *m, bool running, u64 at)
{
	struct model_gpu *gpu = &m->gpu;

	tyrc_lockdep_assert_held(&m->lock);
	if (running == gpu->cycles_running)
		return;
	if (gpu->cycles_running && at > gpu->cycles_since)
		gpu->cycles += model_ns_to_ticks(at - gpu->cycles_since, m->cfg.gpu_frequency_hz);
	gpu->cycles_since = at;
	gpu->cycles_running = running;
}

/* GPU_CYCLE_COUNT at @now (also what the CS interpreter's STORE_STATE stores). */
u64 model_gpu_cycles_locked(struct tyrc_model *m, u64 now)
{
	struct model_gpu *gpu = &m->gpu;

	if (!gpu->cycles_running || now <= gpu->cycles_since)
		return gpu->cycles;
	return gpu->cycles + model_ns_to_ticks(now - gpu->cycles_since, m->cfg.gpu_frequency_hz);
}

/* GPU_TIMESTAMP at @now. */
u64 model_gpu_timestamp(struct tyrc_model *m, u64 now)
{
	return model_ns_to_ticks(now, m->cfg.timestamp_frequency_hz) + m->gpu.timestamp_offset;
}

static void model_gpu_coherency_write_locked(struct tyrc_model *m, u32 value)
{
	if (value == GPU_COHERENCY_NONE ||
	    (value < GPU_COHERENCY_NONE && (m->cfg.coherency_features & BIT(value)))) {
		m->gpu.coherency_protocol = value;
		return;
	}
	tyrc_dbg("model: COHERENCY_PROTOCOL %u not supported (features 0x%x), ignored", value,
		 m->cfg.coherency_features);
}

static void model_gpu_reset_start_locked(struct tyrc_model *m, bool hard, u64 now)
{
	struct model_gpu *gpu = &m->gpu;

	gpu->reset_pending = true;
	gpu->reset_deadline = now + (hard ? m->cfg.hard_reset_ns : m->cfg.soft_reset_ns);
	gpu->flush_pending = false;
	model_pwr_abort_locked(m);
	model_mmu_abort_locked(m);
	model_mcu_abort_locked(m);
	/* Nothing else is pending now; the caller re-arms for the reset deadline. */
	model_timer_cancel_locked(m);
}

static void model_gpu_flush_start_locked(struct tyrc_model *m, u64 now)
{
	struct model_gpu *gpu = &m->gpu;
	u64 deadline = now + m->cfg.cache_flush_ns;

	if (gpu->flush_pending)
		deadline = tyrc_max(deadline, gpu->flush_deadline);
	gpu->flush_pending = true;
	gpu->flush_deadline = deadline;
}

static void model_gpu_command_locked(struct tyrc_model *m, u32 cmd, u64 now)
{
	u32 type = FIELD_GET(GPU_CMD_TYPE, cmd);
	u32 payload = FIELD_GET(GPU_CMD_PAYLOAD, cmd);
	u32 flush_ops = GPU_CMD_FLUSH_L2 | GPU_CMD_FLUSH_LSC | GPU_CMD_FLUSH_OTHER;

	if (m->gpu.reset_pending) {
		tyrc_dbg("model: GPU_CMD 0x%x ignored during GPU reset", cmd);
		return;
	}
	switch (type) {
	case GPU_CMD_TYPE_NOP:
		if (!payload)
			return;
		break;
	case GPU_CMD_TYPE_RESET:
		if (payload == GPU_CMD_RESET_SOFT || payload == GPU_CMD_RESET_HARD) {
			model_gpu_reset_start_locked(m, payload == GPU_CMD_RESET_HARD, now);
			return;
		}
		break;
	case GPU_CMD_TYPE_FLUSH_CACHES:
		if (!(payload & ~flush_ops)) {
			model_gpu_flush_start_locked(m, now);
			return;
		}
		break;
	default:
		break;
	}
	tyrc_dbg("model: unknown GPU_CMD 0x%x ignored", cmd);
}

/** model_gpu_run_events_locked() - complete the reset and cache flush if due by @now. */
void model_gpu_run_events_locked(struct tyrc_model *m, u64 now)
{
	struct model_gpu *gpu = &m->gpu;

	tyrc_lockdep_assert_held(&m->lock);
	if (gpu->reset_pending) {
		if (gpu->reset_deadline > now)
			return;
		model_reset_state_locked(m, gpu->reset_deadline);
		model_irq_block_raise_locked(m, &m->irq[TYRC_MODEL_IRQ_GPU],
					     GPU_IRQ_RESET_COMPLETED);
		return;
	}
	if (gpu->flush_pending && gpu->flush_deadline <= now) {
		gpu->flush_pending = false;
		gpu->flush_count++;
		m->latest_flush_id = (m->latest_flush_id + 1) & CSF_LATEST_FLUSH_ID_VALUE;
		__atomic_store_n(m->flush_id_page, m->latest_flush_id, __ATOMIC_RELEASE);
		model_irq_block_raise_locked(m, &m->irq[TYRC_MODEL_IRQ_GPU],
					     GPU_IRQ_CLEAN_CACHES_COMPLETED);
	}
}

/** model_gpu_next_deadline_locked() - earliest pending reset/flush, or MODEL_NO_DEADLINE. */
u64 model_gpu_next_deadline_locked(struct tyrc_model *m)
{
	u64 next = MODEL_NO_DEADLINE;

	if (m->gpu.reset_pending)
		next = m->gpu.reset_deadline;
	if (m->gpu.flush_pending)
		next = tyrc_min(next, m->gpu.flush_deadline);
	return next;
}

static u32 model_gpu_status_locked(struct tyrc_model *m)
{
	u32 status = 0;

	if (m->gpu.reset_pending || m->gpu.flush_pending)
		status |= GPU_STATUS_ACTIVE;
	if (model_pwr_busy_locked(m))
		status |= GPU_STATUS_PWR_ACTIVE;
	return status;
}

/** model_gpu_read_locked() - read a GPU_CONTROL, MCU or LATEST_FLUSH_ID register. */
u32 model_gpu_read_locked(struct tyrc_model *m, u32 reg, bool hi, u64 now)
{
	const struct tyrc_model_config *cfg = &m->cfg;
	struct model_irq_block *irq = &m->irq[TYRC_MODEL_IRQ_GPU];
	u32 value;

	tyrc_lockdep_assert_held(&m->lock);
	if (model_pwr_read_locked(m, reg, hi, &value))
		return value;

	switch (reg) {
	case GPU_ID:
		return cfg->gpu_id;
	case GPU_L2_FEATURES:
		return cfg->l2_features;
	case GPU_CORE_FEATURES:
		return cfg->core_features;
	case GPU_TILER_FEATURES:
		return cfg->tiler_features;
	case GPU_MEM_FEATURES:
		return cfg->mem_features;
	case GPU_MMU_FEATURES:
		return cfg->mmu_features;
	case GPU_AS_PRESENT:
		return cfg->as_present;
	case GPU_CSF_ID:
		return cfg->csf_id;
	case GPU_INT_RAWSTAT:
	case GPU_INT_MASK:
	case GPU_INT_STAT:
		return model_irq_block_read_locked(m, irq, reg - GPU_INT_RAWSTAT);
	case GPU_STATUS:
		return model_gpu_status_locked(m);
	case GPU_FAULT_STATUS:
		return m->gpu.fault_status;
	case GPU_FAULT_ADDR:
		return model_get_word(m->gpu.fault_addr, hi);
	case GPU_L2_CONFIG:
		return m->gpu.l2_config;
	case GPU_PWR_OVERRIDE0:
		return m->gpu.pwr_override[0];
	case GPU_PWR_OVERRIDE1:
		return m->gpu.pwr_override[1];
	case GPU_FEATURES:
		return model_get_word(cfg->gpu_features, hi);
	case GPU_TIMESTAMP_OFFSET:
		return model_get_word(m->gpu.timestamp_offset, hi);
	case GPU_CYCLE_COUNT:
		return model_get_word(model_gpu_cycles_locked(m, now), hi);
	case GPU_TIMESTAMP:
		return model_get_word(model_gpu_timestamp(m, now), hi);
	case GPU_THREAD_MAX_THREADS:
		return cfg->thread_max_threads;
	case GPU_THREAD_MAX_WORKGROUP_SIZE:
		return cfg->thread_max_workgroup_size;
	case GPU_THREAD_MAX_BARRIER_SIZE:
		return cfg->thread_max_barrier_size;
	case GPU_THREAD_FEATURES:
		return cfg->thread_features;
	case GPU_TEXTURE_FEATURES0:
	case GPU_TEXTURE_FEATURES1:
	case GPU_TEXTURE_FEATURES2:
	case GPU_TEXTURE_FEATURES3:
		return cfg->texture_features[(reg - GPU_TEXTURE_FEATURES0) / 4];
	case GPU_REVID:
		return cfg->gpu_rev;
	case GPU_COHERENCY_FEATURES:
		return cfg->coherency_features;
	case GPU_COHERENCY_PROTOCOL:
		return m->gpu.coherency_protocol;
	case MCU_CONTROL:
		return m->mcu.control;
	case MCU_STATUS:
		return m->mcu.status;
	case CSF_GPU_LATEST_FLUSH_ID:
		return m->latest_flush_id;
	default:
		return 0;
	}
}

/** model_gpu_write_locked() - write a GPU_CONTROL or MCU register. */
void model_gpu_write_locked(struct tyrc_model *m, u32 reg, bool hi, u32 value, u64 now)
{
	tyrc_lockdep_assert_held(&m->lock);
	if (model_pwr_write_locked(m, reg, hi, value, now))
		return;

	switch (reg) {
	case GPU_INT_RAWSTAT:
	case GPU_INT_CLEAR:
	case GPU_INT_MASK:
		model_irq_block_write_locked(m, &m->irq[TYRC_MODEL_IRQ_GPU], reg - GPU_INT_RAWSTAT,
					     value);
		break;
	case GPU_CMD:
		model_gpu_command_locked(m, value, now);
		break;
	case GPU_L2_CONFIG:
		m->gpu.l2_config = value;
		break;
	case GPU_PWR_KEY:
		break;
	case GPU_PWR_OVERRIDE0:
		m->gpu.pwr_override[0] = value;
		break;
	case GPU_PWR_OVERRIDE1:
		m->gpu.pwr_override[1] = value;
		break;
	case GPU_TIMESTAMP_OFFSET:
		model_set_word(&m->gpu.timestamp_offset, hi, value);
		break;
	case GPU_COHERENCY_PROTOCOL:
		model_gpu_coherency_write_locked(m, value);
		break;
	case MCU_CONTROL:
		model_mcu_control_write_locked(m, value, now);
		break;
	default:
		tyrc_dbg("model: write to GPU register 0x%x has no effect", reg);
		break;
	}
}
