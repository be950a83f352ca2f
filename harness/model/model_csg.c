// SPDX-License-Identifier: MIT
/*
 * DOC: CSG and CS interfaces
 *
 * What the booted MCU does with the CSG and CS interfaces (csf-firmware.md
 * §5-§8, §10-§12). The block addresses come from the control blocks the
 * MCU published (GLB group_stride, CSG input_va/output_va/stream_stride, CS
 * input_va/output_va), so our image and Arm's are served alike. All
 * accesses go through AS 0 with the accessors of model_mcu.c.
 *
 * CSG doorbells. The GLB response (model_glb.c, mcu_response_ns after
 * doorbell 0) acknowledges every CSG bit toggled in GLB doorbell_req
 * (doorbell_ack := doorbell_req), then serves those CSGs: a request the
 * host makes once it sees one of the acks below toggles a new doorbell
 * rather than one acknowledged with the old ones. Serving CSG i:
 *
 * - STATE (a value field): START and RESUME bind the group — config (the AS
 *   number), suspend_buf, allow_compute/fragment/other and endpoint_req are
 *   latched — and clear its IDLE report. START begins with every CS
 *   stopped (each starts fresh when the host starts it); RESUME restores
 *   the CSs saved in the suspend buffer (model_csg_suspend.c), running on
 *   the new AS. SUSPEND saves every CS's complete state there (in-flight
 *   work keeps its remaining time), then stops them; TERMINATE stops every
 *   CS and drops in-flight work. The value is copied to ack.
 * - ENDPOINT_CONFIG (toggle): endpoint_req is latched into the output
 *   status_endpoint_req and status_endpoint_current (every request granted).
 * - STATUS_UPDATE (toggle): every started CS's output status fields are
 *   written from the interpreter (csf-firmware.md §6, §10):
 *   status_cmd_ptr (the next instruction, in a called buffer too);
 *   status_blocked_reason UNBLOCKED, SB_WAIT or SYNC_WAIT; status_wait =
 *   the scoreboard mask waited on and its source (WAIT for a WAIT
 *   instruction, NONE for an asynchronous instruction's wait mask or a
 *   full in-flight table) for SB_WAIT, or SYNC | SYNC_64B (64-bit) | the
 *   condition (LE/GT) for SYNC_WAIT; status_wait_sync_ptr/value/value_hi
 *   (0 unless in SYNC_WAIT); status_scoreboards (slots with work in
 *   flight); status_req_resource (the REQ_RESOURCE mask, granted at once);
 *   and the CSG output status_state IS_IDLE bit (below).
 * - the CSs whose bit toggled in the CSG doorbell_req are served (below),
 *   then doorbell_ack := doorbell_req;
 * - JOB_INT bit i is raised if an ack bit that changed is in ack_irq_mask.
 *
 * CS doorbells. Serving CS j: STATE START (on a stopped CS) latches config
 * (its doorbell id), ringbuf_base/size, ringbuf_input/output (MCU VAs of
 * the queue pages), initialises the interpreter on the group's AS and takes
 * the queue input page's extract as the firmware's own; on a CS a RESUME
 * restored it latches the same inputs but keeps the interpreter and the
 * saved extract. STOP stops it. The level bits of CS_REQ_MASK are copied
 * into ack. A served CS is woken: its queue input `insert` is read again.
 *
 * Queues. A queue doorbell (1..15) wakes, mcu_response_ns later, every
 * started CS whose config names it. Execution is driven by the model's timed
 * events only: a CS runs when woken, when one of its asynchronous operations
 * completes (model_cs_next_deadline()), MODEL_CSG_QUANTUM_NS after it
 * used up its MODEL_CSG_BUDGET instructions, when its progress timer
 * expires, or, while it is blocked in a SYNC_WAIT, every sync_wait_poll_ns
 * (below). The ring from extract to
 * insert runs in segments that end at the ring's wrap point; each segment
 * is an outermost buffer of model_cs_start(). The queue output page
 * `extract` follows the retired instructions at the outermost level and
 * `active` is 1 while the CS has work. Ring instructions are fetched as data
 * reads, as the interpreter fetches: rings may be mapped no-exec.
 *
 * Events. A system-scope SYNC_ADD/SET toggles the CSG SYNC_UPDATE event of
 * its group and raises JOB_INT bit i (if ack_irq_mask has it); any
 * SYNC_UPDATE makes every SYNC_WAIT-blocked CS of every group re-evaluate
 * its condition, as does a wake.
 *
 * SYNC_WAIT polling. The host (or a client, through a CPU mapping) may
 * satisfy a wait with a plain store to the sync object, which the model
 * never sees. So a CS blocked in SYNC_WAIT also re-evaluates its condition
 * sync_wait_poll_ns after it blocked, and every sync_wait_poll_ns after
 * that while it stays blocked (its poll_at is part of
 * model_csg_next_deadline_locked(), so the event timer fires for it). Only
 * blocked CSs poll, and each at most once per period whatever else wakes
 * it, so a model with no blocked CS never wakes for polling and one with
 * blocked CSs wakes at the poll rate, not continuously. A poll that finds
 * the condition true resumes the CS exactly as a wake would.
 * sync_wait_poll_ns = 0 turns polling off.
 *
 * Idleness. A CS is idle when it is stopped, stopped on a FATAL/FAULT, or
 * has consumed its ring with nothing in flight; a CS blocked in SYNC_WAIT
 * is idle only if the host set CS_REQ IDLE_SYNC_WAIT (latched at every CS
 * serve) and it has nothing in flight, otherwise it keeps its group busy.
 * status_state IS_IDLE is set when every CS of the group is idle. When a
 * group becomes idle after running, the CSG IDLE event is toggled once
 * (JOB_INT bit i); running again (new work, or a SYNC_WAIT that ends)
 * re-arms it.
 *
 * Progress timer. The timeout is GLB progress_timer as latched by
 * CFG_PROGRESS_TIMER (units of 1024 GPU cycles at gpu_frequency_hz,
 * model_glb_progress_timeout_ns(); 0 = none). A started CS that has work
 * and is not blocked in SYNC_WAIT (a wait for others, not for the GPU: it
 * can last forever without a hang) must retire an instruction within that
 * time; waiting on a scoreboard, a full in-flight table, a locked region or
 * a RUN_* whose cost-model duration exceeds the timeout does not count as
 * progress. When the timer expires the CSG PROGRESS_TIMER_EVENT (bit 31) is
 * toggled once and JOB_INT bit i raised if ack_irq_mask has it; the CS
 * itself goes on (the host decides: panthor treats it as a hang). The next
 * retired instruction, or work arriving on a CS that had none, starts a
 * new period.
 *
 * Tiler OOM (csf-firmware.md §12; the heap model is model_cs.c's). A CS
 * whose RUN_IDVS/RUN_TILING finds its heap context without a free chunk
 * stops in front of it and, at the end of that run, the firmware writes
 * the CS output heap_address (the heap context VA), heap_vt_start,
 * heap_vt_end and heap_frag_end (the CS's counters), toggles TILER_OOM in
 * the CS ack and bit j of the CSG cs_irq_req, and raises JOB_INT bit i (as
 * for a FATAL). The CS waits; status_blocked_reason says UNBLOCKED (it
 * waits for the host, not on an instruction), and the wait does not count
 * against the progress timer. When the host has acknowledged TILER_OOM
 * (copied the ack bit into req) and a CS doorbell serve sees it, CS input
 * heap_start/heap_end are latched and applied at the CS's next run:
 * - non-zero: the chunks heap_start .. heap_end (links, chained through
 *   their headers; heap_end 0 = heap_start alone) go to the head of the
 *   heap's free list and the RUN_* is executed again;
 * - 0 ("no memory"): if the stream registered a tiler OOM exception
 *   handler (SET_EXCEPTION_HANDLER type 2) it is called, returning to the
 *   RUN_*, which then tries again (and may raise a new TILER_OOM);
 *   otherwise the CS waits for chunks: any FINISH_FRAGMENT that returns
 *   chunks (on any CS) makes it try again, and that wait counts against
 *   the progress timer, which ends a heap nobody frees.
 * SUSPEND saves where a CS stands in this; a TILER_OOM raised but not yet
 * answered is raised again on the slot it resumes on.
 *
 * Faults. A CS FATAL (or FAULT) fills the CS output
 * fatal (fault) = exception type (the data field is 0) and fatal_info
 * (fault_info), toggles the CS_REQ event bit in the CS ack, toggles bit j of
 * the CSG output cs_irq_req and raises JOB_INT bit i; the CS stays stopped
 * until the host stops and restarts it.
 *
 * An access that stalls on a locked region (AS 0's for the MCU, the group's
 * AS for a CS fetch or data access) retries MODEL_MCU_RETRY_NS later; any
 * other failing MCU access makes the MCU FATAL.
 */
#include <stdlib.h>
#include <string.h>

#include "model_csg.h"
#include "tyrc_fw_format.h"

/* Instructions a CS executes per run before yielding to the event loop. */
#define MODEL_CSG_BUDGET 1024u
/* Delay before a CS that used up its budget runs again. */
#define MODEL_CSG_QUANTUM_NS 1000ULL

/* Queue pages (csf-firmware.md §6), from ringbuf_input / ringbuf_output. */
#define QUEUE_IN_INSERT 0x0u
#define QUEUE_IN_EXTRACT 0x8u
#define QUEUE_OUT_EXTRACT 0x0u
#define QUEUE_OUT_ACTIVE 0x8u

struct model_csgs *model_csgs_alloc(void)
{
	return calloc(1, sizeof(struct model_csgs));
}

/** model_csg_stop_locked() - forget every bound group (MCU stop, halt or reset). */
void model_csg_stop_locked(struct tyrc_model *m)
{
	if (m->csgs)
		memset(m->csgs, 0, sizeof(*m->csgs));
}

/* ---- Interface addresses, from the published control blocks ---- */

#define SHARED CSF_MCU_SHARED_REGION_START

static u32 csg_ctrl_va(struct tyrc_model *m, unsigned int i, int *err)
{
	u32 stride = model_mcu_rd32_locked(
		m, SHARED + (u32)offsetof(struct csf_glb_control, group_stride), err);

	return SHARED + CSF_CSG_CONTROL_OFFSET + i * stride;
}

static u32 csg_block_va(struct tyrc_model *m, unsigned int i, bool out, int *err)
{
	u32 ctrl = csg_ctrl_va(m, i, err);

	return model_mcu_rd32_locked(m,
				     ctrl + (out ? offsetof(struct csf_csg_control, output_va) :
						   offsetof(struct csf_csg_control, input_va)),
				     err);
}

static u32 cs_block_va(struct tyrc_model *m, unsigned int i, unsigned int j, bool out, int *err)
{
	u32 ctrl = csg_ctrl_va(m, i, err);
	u32 stride = model_mcu_rd32_locked(
		m, ctrl + (u32)offsetof(struct csf_csg_control, stream_stride), err);
	u32 cs = ctrl + CSF_CS_CONTROL_OFFSET + j * stride;

	return model_mcu_rd32_locked(m,
				     cs + (out ? offsetof(struct csf_cs_control, output_va) :
						 offsetof(struct csf_cs_control, input_va)),
				     err);
}

static u32 group_count(struct tyrc_model *m, int *err)
{
	u32 n = model_mcu_rd32_locked(m, SHARED + (u32)offsetof(struct csf_glb_control, group_num),
				      err);

	return tyrc_min(n, MODEL_CSG_MAX);
}

static u32 stream_count(struct tyrc_model *m, unsigned int i, int *err)
{
	u32 n = model_mcu_rd32_locked(
		m, csg_ctrl_va(m, i, err) + (u32)offsetof(struct csf_csg_control, stream_num), err);

	return tyrc_min(n, MODEL_CS_MAX);
}

#define CSG_IN(base, f) ((base) + (u32)offsetof(struct csf_csg_input, f))
#define CSG_OUT(base, f) ((base) + (u32)offsetof(struct csf_csg_output, f))
#define CS_IN(base, f) ((base) + (u32)offsetof(struct csf_cs_input, f))
#define CS_OUT(base, f) ((base) + (u32)offsetof(struct csf_cs_output, f))

static u64 rd64(struct tyrc_model *m, u32 va, int *err)
{
	u64 lo = model_mcu_rd32_locked(m, va, err);

	return lo | (u64)model_mcu_rd32_locked(m, va + 4, err) << 32;
}

static void wr64(struct tyrc_model *m, u32 va, u64 v, int *err)
{
	model_mcu_wr32_locked(m, va, (u32)v, err);
	model_mcu_wr32_locked(m, va + 4, (u32)(v >> 32), err);
}

static void raise_csg_irq(struct tyrc_model *m, unsigned int i)
{
	model_irq_block_raise_locked(m, &m->irq[TYRC_MODEL_IRQ_JOB], BIT(i));
}

/* Toggle CSG event @evt of slot @i, raising JOB_INT bit i if unmasked. */
static void csg_event(struct tyrc_model *m, unsigned int i, u32 evt, int *err)
{
	u32 in = csg_block_va(m, i, false, err), out = csg_block_va(m, i, true, err);
	u32 ack = model_mcu_rd32_locked(m, CSG_OUT(out, ack), err);
	u32 mask = model_mcu_rd32_locked(m, CSG_IN(in, ack_irq_mask), err);

	model_mcu_wr32_locked(m, CSG_OUT(out, ack), ack ^ evt, err);
	if (!*err && (mask & evt))
		raise_csg_irq(m, i);
}

static void access_failed(struct tyrc_model *m, struct model_fw_cs *c, int err, u64 now)
{
	if (err == -EAGAIN && c) {
		c->wake = true;
		c->wake_at = now + MODEL_MCU_RETRY_NS;
		return;
	}
	if (err != -EAGAIN)
		model_mcu_fatal_locked(m, "CSG interface unreachable through AS 0 (%d)", err);
}

/* ---- CS status ---- */

static bool cs_has_work(const struct model_fw_cs *c)
{
	if (!c->started)
		return false;
	if (c->cs.status == MODEL_CS_FATAL || c->cs.status == MODEL_CS_FAULT)
		return false;
	return c->extract < c->insert || c->seg_active || model_cs_scoreboards(&c->cs);
}

static void cs_write_status(struct tyrc_model *m, unsigned int i, unsigned int j, int *err)
{
	struct model_fw_cs *c = &m->csgs->csg[i].cs[j];
	u32 out = cs_block_va(m, i, j, true, err);
	u32 reason = CS_BLOCKED_UNBLOCKED, wait = 0;
	const struct model_cs_sync_wait *sw = &c->cs.sync_wait;

	if (c->cs.status == MODEL_CS_BLOCKED_SB) {
		reason = CS_BLOCKED_SB_WAIT;
		wait = (c->cs.sb_wait_mask & CS_STATUS_WAIT_SB_MASK) |
		       FIELD_PREP(CS_STATUS_WAIT_SB_SOURCE, c->cs.sb_wait_source);
	} else if (c->cs.status == MODEL_CS_BLOCKED_SYNC) {
		reason = CS_BLOCKED_SYNC_WAIT;
		wait = FIELD_PREP(CS_STATUS_WAIT_SYNC_COND, sw->cond) |
		       (sw->is64 ? CS_STATUS_WAIT_SYNC_64B : 0) | CS_STATUS_WAIT_SYNC;
	}
	wr64(m, CS_OUT(out, status_cmd_ptr), c->cs.pc, err);
	model_mcu_wr32_locked(m, CS_OUT(out, status_wait), wait, err);
	model_mcu_wr32_locked(m, CS_OUT(out, status_blocked_reason), reason, err);
	model_mcu_wr32_locked(m, CS_OUT(out, status_req_resource), c->cs.resources, err);
	model_mcu_wr32_locked(m, CS_OUT(out, status_scoreboards), model_cs_scoreboards(&c->cs),
			      err);
	wr64(m, CS_OUT(out, status_wait_sync_ptr), reason == CS_BLOCKED_SYNC_WAIT ? sw->address : 0,
	     err);
	model_mcu_wr32_locked(m, CS_OUT(out, status_wait_sync_value),
			      reason == CS_BLOCKED_SYNC_WAIT ? (u32)sw->value : 0, err);
	model_mcu_wr32_locked(m, CS_OUT(out, status_wait_sync_value_hi),
			      reason == CS_BLOCKED_SYNC_WAIT ? (u32)(sw->value >> 32) : 0, err);
}

/*
 * A CS counts as idle when it has no work, or when it is blocked in a
 * SYNC_WAIT with nothing in flight and the host set CS_REQ IDLE_SYNC_WAIT.
 */
static bool cs_is_idle(const struct model_fw_cs *c)
{
	if (c->started && c->cs.status == MODEL_CS_BLOCKED_SYNC)
		return c->idle_sync_wait && !model_cs_scoreboards(&c->cs);
	return !cs_has_work(c);
}

static bool csg_is_idle(struct model_fw_csg *g)
{
	for (unsigned int j = 0; j < MODEL_CS_MAX; j++)
		if (!cs_is_idle(&g->cs[j]))
			return false;
	return true;
}

/* ---- CS interface ---- */

static void cs_serve(struct tyrc_model *m, unsigned int i, unsigned int j, u64 now, int *err)
{
	struct model_fw_csg *g = &m->csgs->csg[i];
	struct model_fw_cs *c = &g->cs[j];
	u32 in = cs_block_va(m, i, j, false, err), out = cs_block_va(m, i, j, true, err);
	u32 req = model_mcu_rd32_locked(m, CS_IN(in, req), err);
	u32 ack = model_mcu_rd32_locked(m, CS_OUT(out, ack), err);
	u32 mask = model_mcu_rd32_locked(m, CS_IN(in, ack_irq_mask), err);
	u32 new_ack;

	if (*err)
		return;
	if ((req & CS_STATE_MASK) == CS_STATE_START && (!c->started || c->resumed) && g->bound) {
		u32 config = model_mcu_rd32_locked(m, CS_IN(in, config), err);
		u64 ring_base = rd64(m, CS_IN(in, ringbuf_base), err);
		u32 ring_size = model_mcu_rd32_locked(m, CS_IN(in, ringbuf_size), err);
		u32 in_va = (u32)rd64(m, CS_IN(in, ringbuf_input), err);
		u32 out_va = (u32)rd64(m, CS_IN(in, ringbuf_output), err);
		u64 extract = c->resumed ? c->extract : rd64(m, in_va + QUEUE_IN_EXTRACT, err);

		if (*err)
			return;
		if (!c->resumed) {
			/* A fresh CS: the interpreter starts at the queue's extract. */
			*c = (struct model_fw_cs){ .extract = extract, .insert = extract };
			model_cs_init(&c->cs, g->as);
		}
		/* A restored CS keeps its state; only its slot's inputs are new. */
		c->doorbell = FIELD_GET(CS_CONFIG_DOORBELL, config);
		c->ring_base = ring_base;
		c->ring_size = ring_size;
		c->in_va = in_va;
		c->out_va = out_va;
		c->written_extract = ~0ULL;
		c->resumed = false;
		c->started = true;
		g->idle_reported = false;
	} else if ((req & CS_STATE_MASK) == CS_STATE_STOP && c->started) {
		*c = (struct model_fw_cs){ 0 };
	}
	if (c->started)
		c->idle_sync_wait = req & CS_IDLE_SYNC_WAIT;
	/* The host acknowledged a TILER_OOM: its answer is in heap_start/heap_end. */
	if (c->started && c->oom == MODEL_FW_OOM_RAISED && !((req ^ ack) & CS_TILER_OOM)) {
		c->oom_start = rd64(m, CS_IN(in, heap_start), err);
		c->oom_end = rd64(m, CS_IN(in, heap_end), err);
		if (*err)
			return;
		c->oom = MODEL_FW_OOM_ANSWERED;
	}
	new_ack = (ack & ~CS_REQ_MASK) | (req & CS_REQ_MASK);
	if (new_ack != ack) {
		model_mcu_wr32_locked(m, CS_OUT(out, ack), new_ack, err);
		if (!*err && ((new_ack ^ ack) & mask))
			raise_csg_irq(m, i);
	}
	if (c->started) {
		c->wake = true;
		c->wake_at = now;
	}
}

/* Signal the FATAL/FAULT a CS stopped on. */
static void cs_report(struct tyrc_model *m, unsigned int i, unsigned int j, int *err)
{
	struct model_fw_cs *c = &m->csgs->csg[i].cs[j];
	bool fatal = c->cs.status == MODEL_CS_FATAL;
	u32 evt = fatal ? CS_FATAL : CS_FAULT;
	u32 out = cs_block_va(m, i, j, true, err);
	u32 gout = csg_block_va(m, i, true, err);
	u32 ack, irq_req;

	model_mcu_wr32_locked(m, fatal ? CS_OUT(out, fatal) : CS_OUT(out, fault),
			      c->cs.exception_type & 0xff, err);
	wr64(m, fatal ? CS_OUT(out, fatal_info) : CS_OUT(out, fault_info), c->cs.exception_info,
	     err);
	cs_write_status(m, i, j, err);
	ack = model_mcu_rd32_locked(m, CS_OUT(out, ack), err);
	model_mcu_wr32_locked(m, CS_OUT(out, ack), ack ^ evt, err);
	irq_req = model_mcu_rd32_locked(m, CSG_OUT(gout, cs_irq_req), err);
	model_mcu_wr32_locked(m, CSG_OUT(gout, cs_irq_req), irq_req ^ BIT(j), err);
	if (!*err) {
		c->reported = true;
		raise_csg_irq(m, i);
		tyrc_dbg("model: MCU: CS %u.%u %s 0x%x at 0x%llx", i, j, fatal ? "FATAL" : "FAULT",
			 c->cs.exception_type, (unsigned long long)c->cs.exception_pc);
	}
}

/*
 * Signal the TILER_OOM of a CS whose RUN_IDVS/RUN_TILING found no chunk:
 * the heap context and its counters in the CS output, the event toggled in
 * the CS ack, bit j of the CSG cs_irq_req and JOB_INT bit i.
 */
static void cs_report_oom(struct tyrc_model *m, unsigned int i, unsigned int j, int *err)
{
	struct model_fw_cs *c = &m->csgs->csg[i].cs[j];
	u32 out = cs_block_va(m, i, j, true, err);
	u32 gout = csg_block_va(m, i, true, err);
	u32 ack, irq_req;

	wr64(m, CS_OUT(out, heap_address), c->cs.heap_ctx, err);
	model_mcu_wr32_locked(m, CS_OUT(out, heap_vt_start), c->cs.heap_vt_start, err);
	model_mcu_wr32_locked(m, CS_OUT(out, heap_vt_end), c->cs.heap_vt_end, err);
	model_mcu_wr32_locked(m, CS_OUT(out, heap_frag_end), c->cs.heap_frag_end, err);
	ack = model_mcu_rd32_locked(m, CS_OUT(out, ack), err);
	model_mcu_wr32_locked(m, CS_OUT(out, ack), ack ^ CS_TILER_OOM, err);
	irq_req = model_mcu_rd32_locked(m, CSG_OUT(gout, cs_irq_req), err);
	model_mcu_wr32_locked(m, CSG_OUT(gout, cs_irq_req), irq_req ^ BIT(j), err);
	if (*err)
		return;
	c->oom = MODEL_FW_OOM_RAISED;
	raise_csg_irq(m, i);
	tyrc_dbg("model: MCU: CS %u.%u TILER_OOM on heap 0x%llx at 0x%llx", i, j,
		 (unsigned long long)c->cs.heap_ctx, (unsigned long long)c->cs.pc);
}

/*
 * Apply the host's answer to a TILER_OOM (see the DOC). Return: false if
 * an access stalled (the CS retries later).
 */
static bool cs_apply_oom_answer(struct tyrc_model *m, struct model_fw_cs *c)
{
	if (c->oom != MODEL_FW_OOM_ANSWERED || c->cs.status != MODEL_CS_BLOCKED_OOM)
		return true;
	if (c->oom_start) {
		if (model_cs_heap_grow_locked(m, &c->cs, c->oom_start, c->oom_end) == -EAGAIN)
			return false;
		c->oom = MODEL_FW_OOM_NONE;
	} else if (model_cs_heap_oom_handler(&c->cs)) {
		c->oom = MODEL_FW_OOM_NONE;
	} else {
		c->oom = MODEL_FW_OOM_WAITING;
	}
	return true;
}

/* ---- Ring execution ---- */

/* Run CS j of group i at @now; returns MODEL_CS_EV_* of what ran. */
static u32 cs_run(struct tyrc_model *m, unsigned int i, unsigned int j, u64 now, int *err)
{
	struct model_fw_cs *c = &m->csgs->csg[i].cs[j];
	struct model_cs *cs = &c->cs;
	struct model_cs_result res;
	u32 events = 0, budget = MODEL_CSG_BUDGET;

	if (c->wake && c->wake_at <= now) {
		c->wake = false;
		c->insert = rd64(m, c->in_va + QUEUE_IN_INSERT, err);
		if (*err)
			return 0;
		if (c->insert > c->extract)
			m->csgs->csg[i].idle_reported = false;
		model_cs_recheck_locked(m, cs, now);
	}
	if (cs->status == MODEL_CS_BLOCKED_SYNC && m->cfg.sync_wait_poll_ns && c->poll_at <= now)
		model_cs_recheck_locked(m, cs, now);
	if (!cs_apply_oom_answer(m, c)) {
		c->wake = true;
		c->wake_at = now + MODEL_MCU_RETRY_NS;
	}
	for (;;) {
		if (cs->status == MODEL_CS_FATAL || cs->status == MODEL_CS_FAULT)
			break;
		if (cs->status == MODEL_CS_IDLE || cs->status == MODEL_CS_FINISHED) {
			if (c->seg_active) {
				c->extract = c->seg_off + (cs->end - c->seg_va);
				c->seg_active = false;
			}
			if (c->extract < c->insert && c->ring_size &&
			    !(c->ring_size & (c->ring_size - 1))) {
				u64 off = c->extract & (c->ring_size - 1);
				u64 len = tyrc_min(c->insert - c->extract, c->ring_size - off);

				c->seg_off = c->extract;
				c->seg_va = c->ring_base + off;
				if (model_cs_start(cs, c->seg_va, (u32)len)) {
					cs->status = MODEL_CS_FATAL;
					cs->exception_type = MODEL_CS_EXC_INSTR_INVALID_PC;
					cs->exception_pc = c->seg_va;
					break;
				}
				c->seg_active = true;
			}
		}
		if (cs->status == MODEL_CS_BLOCKED_SYNC || cs->status == MODEL_CS_BLOCKED_OOM)
			break;
		model_cs_step_locked(m, cs, now, budget, &res);
		events |= res.events;
		budget -= tyrc_min(budget, res.executed);
		/*
		 * The segment ends at seg_off + its length; @extract may
		 * already be past seg_off (progress of an earlier run).
		 */
		if (cs->status != MODEL_CS_FINISHED ||
		    c->seg_off + (cs->end - c->seg_va) >= c->insert || !budget)
			break;
	}
	if (cs->status == MODEL_CS_FINISHED && c->seg_active) {
		c->extract = c->seg_off + (cs->end - c->seg_va);
		c->seg_active = false;
	} else if (c->seg_active && !cs->depth) {
		u64 pc = (cs->status == MODEL_CS_FATAL || cs->status == MODEL_CS_FAULT) ?
				 cs->exception_pc :
				 cs->pc;

		if (pc >= c->seg_va && pc <= cs->end)
			c->extract = c->seg_off + (pc - c->seg_va);
	}
	if (!budget && (cs->status == MODEL_CS_RUNNING || c->extract < c->insert)) {
		c->wake = true;
		c->wake_at = now + MODEL_CSG_QUANTUM_NS;
	}
	/*
	 * Running with nothing to wait for means an access hit AS's locked
	 * region (the instruction is retried): try again later, as the MCU's
	 * own accesses do.
	 */
	if (cs->status == MODEL_CS_RUNNING && !c->wake &&
	    model_cs_next_deadline(cs) == MODEL_NO_DEADLINE) {
		c->wake = true;
		c->wake_at = now + MODEL_MCU_RETRY_NS;
	}
	/* A poll that is due (or stale, from an earlier block) starts a new period. */
	if (cs->status == MODEL_CS_BLOCKED_SYNC && c->poll_at <= now)
		c->poll_at = now + m->cfg.sync_wait_poll_ns;
	if (c->extract != c->written_extract) {
		wr64(m, c->out_va + QUEUE_OUT_EXTRACT, c->extract, err);
		c->written_extract = c->extract;
	}
	model_mcu_wr32_locked(m, c->out_va + QUEUE_OUT_ACTIVE, cs_has_work(c), err);
	if ((cs->status == MODEL_CS_FATAL || cs->status == MODEL_CS_FAULT) && !c->reported)
		cs_report(m, i, j, err);
	if (cs->status == MODEL_CS_BLOCKED_OOM && c->oom == MODEL_FW_OOM_NONE)
		cs_report_oom(m, i, j, err);
	return events;
}

/* ---- Progress timer ---- */

/*
 * Whether CS @c is expected to make progress: it has work and waits for
 * nothing outside the GPU (a SYNC_WAIT waits for others).
 */
static bool cs_progress_counts(const struct model_fw_cs *c)
{
	if (c->cs.status == MODEL_CS_BLOCKED_OOM)
		return c->oom == MODEL_FW_OOM_WAITING;
	return cs_has_work(c) && c->cs.status != MODEL_CS_BLOCKED_SYNC;
}

/* When the progress timer of @c expires, or MODEL_NO_DEADLINE. */
static u64 cs_progress_deadline(struct tyrc_model *m, const struct model_fw_cs *c)
{
	u64 timeout = model_glb_progress_timeout_ns(m);

	if (!timeout || !c->progress_counting || c->progress_reported)
		return MODEL_NO_DEADLINE;
	return c->progress_since + timeout;
}

/*
 * After CS j of group i ran at @now: an instruction retired (or the timer
 * was not running) starts a new period; a period that reached the timeout
 * raises the CSG PROGRESS_TIMER_EVENT, once.
 */
static void cs_progress_check(struct tyrc_model *m, unsigned int i, unsigned int j, u64 now,
			      int *err)
{
	struct model_fw_cs *c = &m->csgs->csg[i].cs[j];
	bool counting = cs_progress_counts(c);

	if (c->cs.executed != c->progress_executed || (counting && !c->progress_counting)) {
		c->progress_executed = c->cs.executed;
		c->progress_since = now;
		c->progress_reported = false;
	}
	c->progress_counting = counting;
	if (cs_progress_deadline(m, c) > now)
		return;
	csg_event(m, i, CSG_PROGRESS_TIMER_EVENT, err);
	if (*err)
		return;
	c->progress_reported = true;
	tyrc_dbg("model: MCU: CS %u.%u made no progress for %llu ns at 0x%llx", i, j,
		 (unsigned long long)(now - c->progress_since), (unsigned long long)c->cs.pc);
}

/* When CS @c must run next: a wake, an async completion, a SYNC_WAIT poll or its progress timer. */
static u64 cs_deadline(struct tyrc_model *m, const struct model_fw_cs *c)
{
	u64 next = MODEL_NO_DEADLINE;

	if (!c->started)
		return next;
	if (c->wake)
		next = c->wake_at;
	if (c->cs.status == MODEL_CS_BLOCKED_SYNC && m->cfg.sync_wait_poll_ns)
		next = tyrc_min(next, c->poll_at);
	next = tyrc_min(next, cs_progress_deadline(m, c));
	return tyrc_min(next, model_cs_next_deadline(&c->cs));
}

/* ---- CSG interface ---- */

static void csg_serve(struct tyrc_model *m, unsigned int i, u64 now, int *err)
{
	struct model_fw_csg *g = &m->csgs->csg[i];
	u32 in = csg_block_va(m, i, false, err), out = csg_block_va(m, i, true, err);
	u32 req = model_mcu_rd32_locked(m, CSG_IN(in, req), err);
	u32 ack = model_mcu_rd32_locked(m, CSG_OUT(out, ack), err);
	u32 mask = model_mcu_rd32_locked(m, CSG_IN(in, ack_irq_mask), err);
	u32 db_req = model_mcu_rd32_locked(m, CSG_IN(in, doorbell_req), err);
	u32 db_ack = model_mcu_rd32_locked(m, CSG_OUT(out, doorbell_ack), err);
	u32 state = req & CSG_STATE_MASK, toggles, new_ack;
	u32 streams = stream_count(m, i, err);

	if (*err)
		return;
	if (state != (ack & CSG_STATE_MASK)) {
		if (state == CSG_STATE_START || state == CSG_STATE_RESUME) {
			g->as = model_mcu_rd32_locked(m, CSG_IN(in, config), err) & 0xf;
			g->suspend_buf = rd64(m, CSG_IN(in, suspend_buf), err);
			g->allow_compute = rd64(m, CSG_IN(in, allow_compute), err);
			g->allow_fragment = rd64(m, CSG_IN(in, allow_fragment), err);
			g->allow_other = model_mcu_rd32_locked(m, CSG_IN(in, allow_other), err);
			g->endpoint_req = model_mcu_rd32_locked(m, CSG_IN(in, endpoint_req), err);
			if (*err)
				return;
			if (state == CSG_STATE_RESUME)
				model_csg_restore_locked(m, g, streams, now, err);
			else
				for (unsigned int j = 0; j < MODEL_CS_MAX; j++)
					g->cs[j] = (struct model_fw_cs){ 0 };
			g->bound = true;
			g->idle_reported = false;
		} else {
			if (state == CSG_STATE_SUSPEND && g->bound)
				model_csg_save_locked(m, g, streams, now, err);
			if (*err)
				return;
			memset(g, 0, sizeof(*g));
		}
	}
	toggles = csf_req_pending(req, ack, CSG_ENDPOINT_CONFIG | CSG_STATUS_UPDATE);
	if (toggles & CSG_ENDPOINT_CONFIG) {
		g->endpoint_req = model_mcu_rd32_locked(m, CSG_IN(in, endpoint_req), err);
		model_mcu_wr32_locked(m, CSG_OUT(out, status_endpoint_req), g->endpoint_req, err);
		model_mcu_wr32_locked(m, CSG_OUT(out, status_endpoint_current), g->endpoint_req,
				      err);
	}
	/*
	 * Acknowledged after the CSs were served: a serve cut short by an MCU
	 * access that stalls is retried whole, its CS doorbells included.
	 */
	if (db_req != db_ack && g->bound) {
		for (unsigned int j = 0; j < streams; j++)
			if ((db_req ^ db_ack) & BIT(j))
				cs_serve(m, i, j, now, err);
	}
	if (db_req != db_ack)
		model_mcu_wr32_locked(m, CSG_OUT(out, doorbell_ack), db_req, err);
	if (toggles & CSG_STATUS_UPDATE) {
		for (unsigned int j = 0; j < streams; j++)
			if (g->cs[j].started)
				cs_write_status(m, i, j, err);
		model_mcu_wr32_locked(m, CSG_OUT(out, status_state),
				      g->bound && csg_is_idle(g) ? CSG_STATUS_STATE_IS_IDLE : 0,
				      err);
	}
	/* The CS serves may have changed ack (nothing else writes it here). */
	ack = model_mcu_rd32_locked(m, CSG_OUT(out, ack), err);
	new_ack = (ack & ~(CSG_STATE_MASK | toggles)) | (req & (CSG_STATE_MASK | toggles));
	if (new_ack != ack)
		model_mcu_wr32_locked(m, CSG_OUT(out, ack), new_ack, err);
	if (!*err && ((new_ack ^ ack) & mask))
		raise_csg_irq(m, i);
}

/**
 * model_csg_glb_doorbells_locked() - serve the CSGs whose bits are set in
 * @bells (GLB doorbell_req XOR doorbell_ack), from the GLB response.
 */
void model_csg_glb_doorbells_locked(struct tyrc_model *m, u32 bells, u64 now, int *err)
{
	u32 n = group_count(m, err);

	tyrc_lockdep_assert_held(&m->lock);
	for (unsigned int i = 0; i < n && !*err; i++)
		if (bells & BIT(i))
			csg_serve(m, i, now, err);
}

/** model_csg_queue_doorbell_locked() - queue doorbell @id rang at @now. */
void model_csg_queue_doorbell_locked(struct tyrc_model *m, unsigned int id, u64 now)
{
	bool any = false;

	tyrc_lockdep_assert_held(&m->lock);
	if (m->mcu.unresponsive)
		return;
	for (unsigned int i = 0; i < MODEL_CSG_MAX; i++) {
		struct model_fw_csg *g = &m->csgs->csg[i];

		for (unsigned int j = 0; j < MODEL_CS_MAX && g->bound; j++) {
			struct model_fw_cs *c = &g->cs[j];

			if (!c->started || c->doorbell != id)
				continue;
			if (!c->wake || c->wake_at > now + m->cfg.mcu_response_ns) {
				c->wake = true;
				c->wake_at = now + m->cfg.mcu_response_ns;
			}
			any = true;
		}
	}
	if (!any)
		tyrc_dbg("model: doorbell %u rung: no started queue is bound to it", id);
}

/* Every SYNC_WAIT-blocked CS re-evaluates its condition. */
static void csg_recheck_all(struct tyrc_model *m, u64 now)
{
	for (unsigned int i = 0; i < MODEL_CSG_MAX; i++)
		for (unsigned int j = 0; j < MODEL_CS_MAX; j++) {
			struct model_fw_cs *c = &m->csgs->csg[i].cs[j];

			if (c->started && c->cs.status == MODEL_CS_BLOCKED_SYNC &&
			    model_cs_recheck_locked(m, &c->cs, now)) {
				c->wake = true;
				c->wake_at = now;
			}
		}
}

/* Chunks were freed: every CS waiting for them tries its RUN_* again. */
static void csg_retry_oom_all(struct tyrc_model *m, u64 now)
{
	for (unsigned int i = 0; i < MODEL_CSG_MAX; i++)
		for (unsigned int j = 0; j < MODEL_CS_MAX; j++) {
			struct model_fw_cs *c = &m->csgs->csg[i].cs[j];

			if (!c->started || c->oom != MODEL_FW_OOM_WAITING)
				continue;
			model_cs_heap_retry(&c->cs);
			c->oom = MODEL_FW_OOM_NONE;
			c->wake = true;
			c->wake_at = now;
		}
}

/** model_csg_run_events_locked() - run the CSs due by @now and signal their events. */
void model_csg_run_events_locked(struct tyrc_model *m, u64 now)
{
	tyrc_lockdep_assert_held(&m->lock);
	if (m->mcu.unresponsive)
		return;
	for (unsigned int round = 0; round < 4; round++) {
		bool sync = false, freed = false, ran = false;

		for (unsigned int i = 0; i < MODEL_CSG_MAX; i++) {
			struct model_fw_csg *g = &m->csgs->csg[i];
			bool any = false;
			int err = 0;

			if (!g->bound)
				continue;
			for (unsigned int j = 0; j < MODEL_CS_MAX; j++) {
				struct model_fw_cs *c = &g->cs[j];
				u32 ev;

				if (!c->started || cs_deadline(m, c) > now)
					continue;
				err = 0;
				ev = cs_run(m, i, j, now, &err);
				cs_progress_check(m, i, j, now, &err);
				if (err) {
					access_failed(m, c, err, now);
					if (m->mcu.state != MODEL_MCU_RUNNING)
						return;
					continue;
				}
				any = ran = true;
				freed |= ev & MODEL_CS_EV_HEAP_FREED;
				if (ev & MODEL_CS_EV_SYNC_SYSTEM) {
					csg_event(m, i, CSG_SYNC_UPDATE, &err);
					sync = true;
				}
			}
			if (any && !csg_is_idle(g)) {
				/* Busy again (e.g. a SYNC_WAIT ended): the next idle period is reported. */
				g->idle_reported = false;
			} else if (any && !g->idle_reported) {
				csg_event(m, i, CSG_IDLE, &err);
				g->idle_reported = !err;
			}
			if (err) {
				access_failed(m, NULL, err, now);
				if (m->mcu.state != MODEL_MCU_RUNNING)
					return;
			}
		}
		if (!(sync || freed) || !ran)
			break;
		if (freed)
			csg_retry_oom_all(m, now);
		if (sync)
			csg_recheck_all(m, now);
	}
}

/**
 * model_csg_next_deadline_locked() - earliest CS event (wake, async
 * completion, SYNC_WAIT poll of a blocked CS), or MODEL_NO_DEADLINE.
 */
u64 model_csg_next_deadline_locked(struct tyrc_model *m)
{
	u64 next = MODEL_NO_DEADLINE;

	if (m->mcu.unresponsive || !m->csgs)
		return next;
	for (unsigned int i = 0; i < MODEL_CSG_MAX; i++)
		for (unsigned int j = 0; j < MODEL_CS_MAX && m->csgs->csg[i].bound; j++)
			next = tyrc_min(next, cs_deadline(m, &m->csgs->csg[i].cs[j]));
	return next;
}
