// SPDX-License-Identifier: MIT
/*
 * DOC: Global interface
 *
 * What the booted MCU does with the GLB interface (csf-firmware.md §4, §7),
 * through AS 0 with the accessors of model_mcu.c.
 *
 * Doorbell 0. A ring schedules a response mcu_response_ns later (0: inside
 * the doorbell write); rings before the response share it. The response
 * reads the GLB input as it is then — req, ack_irq_mask, doorbell_req and
 * the timer and core-mask fields — and the GLB output ack and doorbell_ack,
 * and:
 *
 * - performs every request whose req bit differs from its ack bit, then
 *   makes the ack bit equal: CFG_PROGRESS_TIMER (latches progress_timer,
 *   which the CSG emulation's progress timer uses, model_csg.c),
 *   CFG_POWEROFF_TIMER (latched; the model has no power management to
 *   use it), CFG_ALLOC_EN
 *   (latches core_en_mask; a mask naming cores outside SHADER_PRESENT is
 *   logged and latched anyway), PING, COUNTER_EN, FWCFG_UPDATE, PERFCNT_EN,
 *   PERFCNT_SAMPLE and PROTM_ENTER (acknowledged only: no performance
 *   counters, no protected mode — so no PROTM_EXIT either);
 * - copies the level bit IDLE_EN into ack; IDLE_EN going from clear to set
 *   (as the MCU last saw it; clear at boot) arms the idle timer, clearing it
 *   disarms the timer;
 * - acknowledges the CSG doorbells (doorbell_ack := doorbell_req), then
 *   serves the CSG interfaces whose bit toggled (model_csg.c); a serve
 *   that fails on an MCU access puts the old doorbell_ack back for the
 *   retry;
 * - on a 0->1 edge of the level bit HALT (relative to the value seen at
 *   boot or at the previous response) halts after the above: GLB output
 *   halt_status = 0, MCU_STATUS = HALT; HALT itself is never acknowledged
 *   in ack (interface 1.1 has no GLB STATE field) and a halted MCU ignores
 *   doorbells until MCU_CONTROL boots it again;
 * - raises JOB_INT GLOBAL_IF if any ack bit it changed is set in
 *   ack_irq_mask (doorbell_ack changes raise nothing).
 *
 * Idle timer. GLB input idle_timer counts units of 1024 ticks of the
 * timestamp clock, or of the GPU clock with GLB_TIMER_SOURCE_GPU_COUNTER
 * (bit 31); it is read when IDLE_EN is applied. When it elapses with IDLE_EN
 * still applied and nothing running — always so until the MCU runs groups —
 * the MCU toggles the IDLE event bit (26) in ack and raises GLOBAL_IF if
 * ack_irq_mask has IDLE. It fires once per idle period: only IDLE_EN being
 * set again (or a reboot) re-arms it, so an idle GPU does not interrupt the
 * host every idle_timer.
 *
 * An access that stalls on AS 0's locked region delays the response by
 * MODEL_MCU_RETRY_NS; an MMU fault on AS 0 (recorded as such) makes the MCU
 * FATAL: its interface memory is gone. While the test hook
 * tyrc_model_mcu_set_unresponsive() is set, rings are ignored and nothing
 * here runs.
 */
#include "model_priv.h"

/* Request bits acknowledged by toggling (level bits HALT and IDLE_EN excluded). */
#define GLB_TOGGLE_REQS (GLB_REQ_MASK & ~(GLB_HALT | GLB_IDLE_EN))

#define GLB_IN(m, field) ((m)->mcu.glb_input + (u32)offsetof(struct csf_glb_input, field))
#define GLB_OUT(m, field) ((m)->mcu.glb_output + (u32)offsetof(struct csf_glb_output, field))

/* Duration of a GLB timer field (progress, poweroff, idle) in ns. */
static u64 model_glb_timer_ns(struct tyrc_model *m, u32 timer)
{
	u64 ticks = (u64)FIELD_GET(GLB_TIMER_VAL, timer) * 1024;
	u64 hz = (timer & GLB_TIMER_SOURCE_GPU_COUNTER) ? m->cfg.gpu_frequency_hz :
							  m->cfg.timestamp_frequency_hz;

	return (u64)(((unsigned __int128)ticks * NSEC_PER_SEC) / hz);
}

/**
 * model_glb_progress_timeout_ns() - the progress timeout latched by
 * CFG_PROGRESS_TIMER, in ns: GLB input progress_timer counts units of 1024
 * GPU clock cycles (all 32 bits: panthor writes 5 * 500 * 1024 * 1024 >> 10
 * with no source bit), at the configured GPU frequency.
 * Return: the timeout, or 0 (no timeout) if none is latched.
 *
 * Context: model lock held.
 */
u64 model_glb_progress_timeout_ns(struct tyrc_model *m)
{
	u64 cycles = (u64)m->mcu.progress_timer * 1024;

	tyrc_lockdep_assert_held(&m->lock);
	return (u64)(((unsigned __int128)cycles * NSEC_PER_SEC) / m->cfg.gpu_frequency_hz);
}

/** model_glb_stop_locked() - cancel the pending response and the idle timer. */
void model_glb_stop_locked(struct tyrc_model *m)
{
	tyrc_lockdep_assert_held(&m->lock);
	m->mcu.glb_pending = false;
	m->mcu.idle_armed = false;
}

/**
 * model_glb_boot_locked() - the MCU boots: fresh GLB state, halt_status 0,
 * HALT sampled (a HALT already set is not an edge).
 *
 * Context: model lock held; &model_mcu.glb_input/glb_output are set.
 * Return: 0 or the access error (-EAGAIN, -EFAULT).
 */
int model_glb_boot_locked(struct tyrc_model *m)
{
	struct model_mcu *mcu = &m->mcu;
	int err = 0;
	u32 req;

	tyrc_lockdep_assert_held(&m->lock);
	req = model_mcu_rd32_locked(m, GLB_IN(m, req), &err);
	model_mcu_wr32_locked(m, GLB_OUT(m, halt_status), CSF_HALT_STATUS_OK, &err);
	if (err)
		return err;
	model_glb_stop_locked(m);
	mcu->halt_req = req & GLB_HALT;
	mcu->idle_en = false;
	mcu->progress_timer = 0;
	mcu->poweroff_timer = 0;
	mcu->core_en_mask = 0;
	return 0;
}

/** model_glb_doorbell_locked() - doorbell 0 rang at @now (MCU running). */
void model_glb_doorbell_locked(struct tyrc_model *m, u64 now)
{
	struct model_mcu *mcu = &m->mcu;

	tyrc_lockdep_assert_held(&m->lock);
	if (mcu->unresponsive) {
		tyrc_dbg("model: doorbell 0 rung, the MCU is unresponsive (test hook)");
		return;
	}
	if (mcu->glb_pending)
		return;
	mcu->glb_pending = true;
	mcu->glb_deadline = now + m->cfg.mcu_response_ns;
}

/* An access failed: on a stall, retry at *@deadline; otherwise the MCU dies. */
static void model_glb_access_failed_locked(struct tyrc_model *m, int err, u64 *deadline, u64 now)
{
	if (err == -EAGAIN) {
		*deadline = now + MODEL_MCU_RETRY_NS;
		return;
	}
	model_mcu_fatal_locked(m, "GLB interface unreachable through AS 0 (%d)", err);
}

/* Apply the requests in @reqs (req and ack differ there). */
static void model_glb_apply_locked(struct tyrc_model *m, u32 reqs, int *err)
{
	struct model_mcu *mcu = &m->mcu;

	if (reqs & GLB_CFG_PROGRESS_TIMER)
		mcu->progress_timer = model_mcu_rd32_locked(m, GLB_IN(m, progress_timer), err);
	if (reqs & GLB_CFG_POWEROFF_TIMER)
		mcu->poweroff_timer = model_mcu_rd32_locked(m, GLB_IN(m, poweroff_timer), err);
	if (reqs & GLB_CFG_ALLOC_EN) {
		u64 lo = model_mcu_rd32_locked(m, GLB_IN(m, core_en_mask), err);
		u64 hi = model_mcu_rd32_locked(m, GLB_IN(m, core_en_mask) + 4, err);

		mcu->core_en_mask = hi << 32 | lo;
		if (!*err && (mcu->core_en_mask & ~m->cfg.shader_present))
			tyrc_info("model: MCU: core_en_mask 0x%llx names cores outside "
				  "SHADER_PRESENT 0x%llx",
				  (unsigned long long)mcu->core_en_mask,
				  (unsigned long long)m->cfg.shader_present);
	}
}

/* Enable or disable the idle timer as IDLE_EN (@idle_en) says, at @now. */
static void model_glb_idle_en_locked(struct tyrc_model *m, bool idle_en, u64 now, int *err)
{
	struct model_mcu *mcu = &m->mcu;

	if (idle_en && !mcu->idle_en) {
		u32 timer = model_mcu_rd32_locked(m, GLB_IN(m, idle_timer), err);

		mcu->idle_armed = true;
		mcu->idle_deadline = now + model_glb_timer_ns(m, timer);
	} else if (!idle_en) {
		mcu->idle_armed = false;
	}
	mcu->idle_en = idle_en;
}

/* The response to doorbell 0 (see the DOC). */
static void model_glb_serve_locked(struct tyrc_model *m, u64 now)
{
	struct model_mcu *mcu = &m->mcu;
	u32 req, irq_mask, db_req, ack, db_ack, reqs, new_ack;
	bool halt;
	int err = 0;

	req = model_mcu_rd32_locked(m, GLB_IN(m, req), &err);
	irq_mask = model_mcu_rd32_locked(m, GLB_IN(m, ack_irq_mask), &err);
	db_req = model_mcu_rd32_locked(m, GLB_IN(m, doorbell_req), &err);
	ack = model_mcu_rd32_locked(m, GLB_OUT(m, ack), &err);
	db_ack = model_mcu_rd32_locked(m, GLB_OUT(m, doorbell_ack), &err);
	reqs = csf_req_pending(req, ack, GLB_TOGGLE_REQS);
	model_glb_apply_locked(m, reqs, &err);
	if (err)
		goto fail;

	new_ack = (ack & ~reqs) | (req & reqs);
	new_ack = (new_ack & ~GLB_IDLE_EN) | (req & GLB_IDLE_EN);
	model_glb_idle_en_locked(m, req & GLB_IDLE_EN, now, &err);
	if (new_ack != ack)
		model_mcu_wr32_locked(m, GLB_OUT(m, ack), new_ack, &err);
	if (db_req != db_ack) {
		/*
		 * Acknowledge before serving, so a CSG request the host makes
		 * once it sees a CSG ack of ours rings a doorbell we serve
		 * again, instead of one we acknowledge with the old ones.
		 */
		model_mcu_wr32_locked(m, GLB_OUT(m, doorbell_ack), db_req, &err);
		model_csg_glb_doorbells_locked(m, db_req ^ db_ack, now, &err);
		if (err) {
			int err2 = 0;

			/* Not served: pending again for the retry. */
			model_mcu_wr32_locked(m, GLB_OUT(m, doorbell_ack), db_ack, &err2);
		}
		tyrc_dbg("model: MCU: CSG doorbells 0x%x acknowledged", db_req ^ db_ack);
	}
	halt = (req & GLB_HALT) && !mcu->halt_req;
	if (halt)
		model_mcu_wr32_locked(m, GLB_OUT(m, halt_status), CSF_HALT_STATUS_OK, &err);
	if (err)
		goto fail;

	mcu->glb_pending = false;
	mcu->halt_req = req & GLB_HALT;
	if ((new_ack ^ ack) & irq_mask)
		model_irq_block_raise_locked(m, &m->irq[TYRC_MODEL_IRQ_JOB], JOB_INT_GLOBAL_IF);
	if (halt) {
		model_glb_stop_locked(m);
		mcu->state = MODEL_MCU_HALTED;
		model_mcu_set_status_locked(m, MCU_STATUS_HALT);
		tyrc_dbg("model: MCU halted on GLB_REQ.HALT");
	}
	return;

fail:
	model_glb_access_failed_locked(m, err, &mcu->glb_deadline, now);
}

/* The idle timer elapsed: signal the GLB IDLE event. */
static void model_glb_idle_event_locked(struct tyrc_model *m, u64 now)
{
	struct model_mcu *mcu = &m->mcu;
	u32 ack, irq_mask;
	int err = 0;

	irq_mask = model_mcu_rd32_locked(m, GLB_IN(m, ack_irq_mask), &err);
	ack = model_mcu_rd32_locked(m, GLB_OUT(m, ack), &err);
	model_mcu_wr32_locked(m, GLB_OUT(m, ack), ack ^ GLB_IDLE, &err);
	if (err) {
		model_glb_access_failed_locked(m, err, &mcu->idle_deadline, now);
		return;
	}
	mcu->idle_armed = false;
	if (irq_mask & GLB_IDLE)
		model_irq_block_raise_locked(m, &m->irq[TYRC_MODEL_IRQ_JOB], JOB_INT_GLOBAL_IF);
}

/** model_glb_run_events_locked() - serve doorbell 0 and the idle timer if due by @now. */
void model_glb_run_events_locked(struct tyrc_model *m, u64 now)
{
	struct model_mcu *mcu = &m->mcu;

	tyrc_lockdep_assert_held(&m->lock);
	if (mcu->unresponsive)
		return;
	if (mcu->glb_pending && mcu->glb_deadline <= now)
		model_glb_serve_locked(m, now);
	if (mcu->state == MODEL_MCU_RUNNING)
		model_csg_run_events_locked(m, now);
	/* Nothing runs on the GPU yet, so an armed idle timer always completes. */
	if (mcu->state == MODEL_MCU_RUNNING && mcu->idle_armed && mcu->idle_deadline <= now)
		model_glb_idle_event_locked(m, now);
}

/** model_glb_next_deadline_locked() - earliest GLB event, or MODEL_NO_DEADLINE. */
u64 model_glb_next_deadline_locked(struct tyrc_model *m)
{
	struct model_mcu *mcu = &m->mcu;
	u64 next = MODEL_NO_DEADLINE;

	if (mcu->unresponsive)
		return next;
	if (mcu->glb_pending)
		next = mcu->glb_deadline;
	if (mcu->idle_armed)
		next = tyrc_min(next, mcu->idle_deadline);
	return tyrc_min(next, model_csg_next_deadline_locked(m));
}
