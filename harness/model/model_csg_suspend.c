// SPDX-License-Identifier: MIT
/*
 * DOC: CSG suspend buffer
 *
 * What the firmware writes into a group's suspend buffer on CSG SUSPEND and
 * reads back on RESUME (csf-firmware.md §10), so that a resumed stream goes
 * on exactly where it stopped, on whatever slot and address space the host
 * resumes it. The buffer is the MCU VA latched from CSG input suspend_buf
 * at START/RESUME and is accessed through AS 0 with the MCU accessors, one
 * 32-bit word at a time: the state really lives in that memory, and a host
 * that frees or unmaps it loses it (an MMU fault on AS 0 makes the MCU
 * FATAL, as any other interface access does).
 *
 * The firmware publishes suspend_size = MODEL_CSG_SUSPEND_SIZE (32 KiB): one
 * MODEL_CSG_SUSPEND_CS_SIZE (4 KiB) record per CS, CS j at offset j x
 * 0x1000. A record is struct model_suspend_cs, little-endian (offsets in
 * hex):
 *
 *   000 magic 0x31534354 ("TCS1")     004 flags (below)
 *   008 interpreter status            00c queue doorbell id
 *   010 ringbuf_base    018 ringbuf_size   01c queue input page (MCU VA)
 *   020 queue output page (MCU VA)    024 call depth
 *   028 insert          030 extract (the firmware's view of the queue)
 *   038 segment ring offset           040 segment VA
 *   048 pc              050 end of the current buffer
 *   058 call stack: 7 x {u64 return address, u64 caller's end}
 *   0c8 scoreboard counters, 8 x u32
 *   0e8 SET_SB_ENTRY endpoint slot    0ec SET_SB_ENTRY other slot
 *   0f0 scoreboard wait mask          0f4 SYNC_WAIT condition (0 LE, 1 GT)
 *   0f8 SYNC_WAIT address             100 SYNC_WAIT operand
 *   108 exception type  10c error state
 *   110 exception pc    118 exception info
 *   120 progress counter              128 heap context (HEAP_SET)
 *   130 heap vt_start   134 heap vt_end    138 heap frag_end
 *   13c REQ_RESOURCE mask             140 exception handler type
 *   144 exception handler length      148 exception handler address
 *   150 TRACE_POINTs    158 flushes    160 flushes skipped
 *   168 instructions executed         170 next asynchronous issue number
 *   178 scoreboard wait source (status_wait [19:16])
 *   17c TILER_OOM state (enum model_fw_oom)
 *   180 TILER_OOM answer heap_start   188 TILER_OOM answer heap_end
 *   190 work registers, 96 x u32
 *   310 asynchronous operations in flight, 32 x 0x60:
 *       {u32 kind (0 free, 1 LOAD, 2 other), u32 scoreboard slot,
 *        u32 LOAD base register, u32 LOAD register mask,
 *        u64 ns left until completion, u64 issue number, u32 LOAD data[16]}
 *   f10 end
 *
 * flags: bit 0 SAVED (the CS was started; without it the record holds
 * nothing and the CS stays stopped after RESUME), bit 1 the FATAL/FAULT the
 * CS stopped on was already signalled, bit 2 a ring segment is active,
 * bit 3 the SYNC_WAIT is 64-bit, bit 4 CS_REQ IDLE_SYNC_WAIT was set.
 *
 * Saving. Every CS of the group is saved, whatever it does: running,
 * blocked on a scoreboard or in a SYNC_WAIT, finished, or stopped on a
 * FATAL/FAULT (which RESUME keeps: the CS stays stopped until the host
 * stops and restarts it). Asynchronous operations are not hurried: each is
 * saved with the time it still needs (0 if already due), and completes that
 * long after RESUME, so a suspended group's work is paused, not dropped.
 * A CS of a group with no suspend buffer (suspend_buf 0) loses its state.
 *
 * Restoring. RESUME reads every record: a SAVED one restores the CS on the
 * new slot's address space (CSG input config), started and woken, with its
 * queue output extract written again; its SYNC_WAIT is re-evaluated at the
 * first run. The next CS START of a restored CS only re-latches CS input
 * (config, ring and queue page addresses: the slot, hence the doorbell,
 * may differ); the saved extract, not the queue input page's, is where the
 * stream goes on. A record that is not SAVED, has a bad magic, or holds an
 * impossible state (status, depth, slots, registers out of range) restores
 * nothing: that CS starts fresh when the host starts it, as after START.
 */
#include <stdlib.h>
#include <string.h>

#include "model_csg.h"

#define MODEL_SUSPEND_MAGIC 0x31534354u

#define MODEL_SUSPEND_SAVED BIT(0)
#define MODEL_SUSPEND_REPORTED BIT(1)
#define MODEL_SUSPEND_SEG_ACTIVE BIT(2)
#define MODEL_SUSPEND_SYNC64 BIT(3)
#define MODEL_SUSPEND_IDLE_SYNC_WAIT BIT(4)

/** struct model_suspend_async - one in-flight operation in a record (see the DOC). */
struct model_suspend_async {
	u32 kind;
	u32 slot;
	u32 base;
	u32 mask;
	u64 remaining_ns;
	u64 seq;
	u32 data[16];
};

/** struct model_suspend_cs - one CS record of a suspend buffer (see the DOC). */
struct model_suspend_cs {
	u32 magic;
	u32 flags;
	u32 status;
	u32 doorbell;
	u64 ring_base;
	u32 ring_size;
	u32 in_va;
	u32 out_va;
	u32 depth;
	u64 insert;
	u64 extract;
	u64 seg_off;
	u64 seg_va;
	u64 pc;
	u64 end;
	u64 stack[MODEL_CS_STACK_DEPTH - 1][2];
	u32 sb[TYRC_CS_NUM_SB_SLOTS];
	u32 sb_endpoint;
	u32 sb_other;
	u32 sb_wait_mask;
	u32 sync_cond;
	u64 sync_address;
	u64 sync_value;
	u32 exception_type;
	u32 error_state;
	u64 exception_pc;
	u64 exception_info;
	u64 progress;
	u64 heap_ctx;
	u32 heap_vt_start;
	u32 heap_vt_end;
	u32 heap_frag_end;
	u32 resources;
	u32 exc_handler_type;
	u32 exc_handler_len;
	u64 exc_handler_addr;
	u64 trace_points;
	u64 flushes;
	u64 flushes_skipped;
	u64 executed;
	u64 async_seq;
	u32 sb_wait_source;
	u32 oom;
	u64 oom_start;
	u64 oom_end;
	u32 regs[TYRC_CS_NUM_REGS];
	struct model_suspend_async async[MODEL_CS_MAX_ASYNC];
};

static_assert(sizeof(struct model_suspend_async) == 0x60, "suspend async layout");
static_assert(offsetof(struct model_suspend_cs, stack) == 0x58, "suspend record layout");
static_assert(offsetof(struct model_suspend_cs, sb) == 0xc8, "suspend record layout");
static_assert(offsetof(struct model_suspend_cs, sync_address) == 0xf8, "suspend record layout");
static_assert(offsetof(struct model_suspend_cs, exception_type) == 0x108, "suspend record layout");
static_assert(offsetof(struct model_suspend_cs, heap_ctx) == 0x128, "suspend record layout");
static_assert(offsetof(struct model_suspend_cs, exc_handler_addr) == 0x148,
	      "suspend record layout");
static_assert(offsetof(struct model_suspend_cs, async_seq) == 0x170, "suspend record layout");
static_assert(offsetof(struct model_suspend_cs, oom_start) == 0x180, "suspend record layout");
static_assert(offsetof(struct model_suspend_cs, regs) == 0x190, "suspend record layout");
static_assert(offsetof(struct model_suspend_cs, async) == 0x310, "suspend record layout");
static_assert(sizeof(struct model_suspend_cs) == 0xf10, "suspend record size");
static_assert(sizeof(struct model_suspend_cs) <= MODEL_CSG_SUSPEND_CS_SIZE,
	      "a CS record fits its slot of the suspend buffer");
static_assert(TYRC_CS_NUM_REGS == 96 && TYRC_CS_NUM_SB_SLOTS == 8 && MODEL_CS_MAX_ASYNC == 32,
	      "the record layout documented above");

/* Fill @r from CS slot @c at @now. */
static void model_suspend_pack(const struct model_fw_cs *c, u64 now, struct model_suspend_cs *r)
{
	const struct model_cs *cs = &c->cs;

	*r = (struct model_suspend_cs){
		.magic = MODEL_SUSPEND_MAGIC,
		.flags = MODEL_SUSPEND_SAVED | (c->reported ? MODEL_SUSPEND_REPORTED : 0) |
			 (c->seg_active ? MODEL_SUSPEND_SEG_ACTIVE : 0) |
			 (cs->sync_wait.is64 ? MODEL_SUSPEND_SYNC64 : 0) |
			 (c->idle_sync_wait ? MODEL_SUSPEND_IDLE_SYNC_WAIT : 0),
		.status = cs->status,
		.doorbell = c->doorbell,
		.ring_base = c->ring_base,
		.ring_size = c->ring_size,
		.in_va = c->in_va,
		.out_va = c->out_va,
		.depth = cs->depth,
		.insert = c->insert,
		.extract = c->extract,
		.seg_off = c->seg_off,
		.seg_va = c->seg_va,
		.pc = cs->pc,
		.end = cs->end,
		.sb_endpoint = cs->sb_endpoint,
		.sb_other = cs->sb_other,
		.sb_wait_mask = cs->sb_wait_mask,
		.sb_wait_source = cs->sb_wait_source,
		.oom = c->oom,
		.oom_start = c->oom_start,
		.oom_end = c->oom_end,
		.sync_cond = cs->sync_wait.cond,
		.sync_address = cs->sync_wait.address,
		.sync_value = cs->sync_wait.value,
		.exception_type = cs->exception_type,
		.error_state = cs->error_state,
		.exception_pc = cs->exception_pc,
		.exception_info = cs->exception_info,
		.progress = cs->progress,
		.heap_ctx = cs->heap_ctx,
		.heap_vt_start = cs->heap_vt_start,
		.heap_vt_end = cs->heap_vt_end,
		.heap_frag_end = cs->heap_frag_end,
		.resources = cs->resources,
		.exc_handler_type = cs->exc_handler_type,
		.exc_handler_len = cs->exc_handler_len,
		.exc_handler_addr = cs->exc_handler_addr,
		.trace_points = cs->trace_points,
		.flushes = cs->flushes,
		.flushes_skipped = cs->flushes_skipped,
		.executed = cs->executed,
		.async_seq = cs->async_seq,
	};
	for (unsigned int k = 0; k < MODEL_CS_STACK_DEPTH - 1; k++) {
		r->stack[k][0] = cs->stack[k].ret;
		r->stack[k][1] = cs->stack[k].end;
	}
	memcpy(r->sb, cs->sb, sizeof(r->sb));
	memcpy(r->regs, cs->regs, sizeof(r->regs));
	for (unsigned int k = 0; k < MODEL_CS_MAX_ASYNC; k++) {
		const struct model_cs_async *a = &cs->async[k];
		struct model_suspend_async *s = &r->async[k];

		if (a->kind == MODEL_CS_ASYNC_NONE)
			continue;
		s->kind = a->kind;
		s->slot = a->slot;
		s->base = a->base;
		s->mask = a->mask;
		s->remaining_ns = a->deadline > now ? a->deadline - now : 0;
		s->seq = a->seq;
		memcpy(s->data, a->data, sizeof(s->data));
	}
}

/* Whether @r holds a state the interpreter can run. */
static bool model_suspend_valid(const struct model_suspend_cs *r)
{
	if (r->status > MODEL_CS_BLOCKED_OOM || r->oom > MODEL_FW_OOM_WAITING ||
	    r->depth > MODEL_CS_STACK_DEPTH - 1 || r->sb_endpoint >= TYRC_CS_NUM_SB_SLOTS ||
	    r->sb_other >= TYRC_CS_NUM_SB_SLOTS || r->sync_cond > TYRC_CS_SYNC_WAIT_GT)
		return false;
	for (unsigned int k = 0; k < MODEL_CS_MAX_ASYNC; k++) {
		const struct model_suspend_async *s = &r->async[k];

		if (s->kind == MODEL_CS_ASYNC_NONE)
			continue;
		if (s->kind > MODEL_CS_ASYNC_OTHER || s->slot >= TYRC_CS_NUM_SB_SLOTS ||
		    s->mask > 0xffff || s->base >= TYRC_CS_NUM_REGS ||
		    s->remaining_ns > TYRC_MODEL_MAX_LATENCY_NS * 1000)
			return false;
	}
	return true;
}

/* Restore CS slot @c on address space @as from @r at @now. */
static void model_suspend_unpack(struct model_fw_cs *c, unsigned int as,
				 const struct model_suspend_cs *r, u64 now)
{
	struct model_cs *cs = &c->cs;

	*c = (struct model_fw_cs){
		.started = true,
		.resumed = true,
		.reported = r->flags & MODEL_SUSPEND_REPORTED,
		.idle_sync_wait = r->flags & MODEL_SUSPEND_IDLE_SYNC_WAIT,
		.wake = true,
		.wake_at = now,
		.doorbell = r->doorbell,
		.ring_base = r->ring_base,
		.ring_size = r->ring_size,
		.in_va = r->in_va,
		.out_va = r->out_va,
		.insert = r->insert,
		.extract = r->extract,
		.seg_off = r->seg_off,
		.seg_va = r->seg_va,
		.seg_active = r->flags & MODEL_SUSPEND_SEG_ACTIVE,
		.written_extract = ~0ULL,
		.poll_at = now,
		/* An OOM the host had not answered is raised again on the new slot. */
		.oom = r->oom == MODEL_FW_OOM_RAISED ? MODEL_FW_OOM_NONE :
						       (enum model_fw_oom)r->oom,
		.oom_start = r->oom_start,
		.oom_end = r->oom_end,
	};
	model_cs_init(cs, as);
	cs->status = (enum model_cs_status)r->status;
	cs->pc = r->pc;
	cs->end = r->end;
	cs->depth = r->depth;
	for (unsigned int k = 0; k < MODEL_CS_STACK_DEPTH - 1; k++)
		cs->stack[k] =
			(struct model_cs_frame){ .ret = r->stack[k][0], .end = r->stack[k][1] };
	memcpy(cs->regs, r->regs, sizeof(cs->regs));
	cs->sb_endpoint = (u8)r->sb_endpoint;
	cs->sb_other = (u8)r->sb_other;
	cs->sb_wait_mask = r->sb_wait_mask;
	cs->sb_wait_source = r->sb_wait_source & 0xf;
	cs->sync_wait = (struct model_cs_sync_wait){
		.address = r->sync_address,
		.value = r->sync_value,
		.is64 = r->flags & MODEL_SUSPEND_SYNC64,
		.cond = r->sync_cond,
	};
	cs->exception_type = r->exception_type;
	cs->error_state = r->error_state;
	cs->exception_pc = r->exception_pc;
	cs->exception_info = r->exception_info;
	cs->progress = r->progress;
	cs->heap_ctx = r->heap_ctx;
	cs->heap_vt_start = r->heap_vt_start;
	cs->heap_vt_end = r->heap_vt_end;
	cs->heap_frag_end = r->heap_frag_end;
	cs->resources = r->resources;
	cs->exc_handler_type = r->exc_handler_type;
	cs->exc_handler_len = r->exc_handler_len;
	cs->exc_handler_addr = r->exc_handler_addr;
	cs->trace_points = r->trace_points;
	cs->flushes = r->flushes;
	cs->flushes_skipped = r->flushes_skipped;
	cs->executed = r->executed;
	cs->async_seq = r->async_seq;
	/* The scoreboard counters follow from the operations in flight. */
	for (unsigned int k = 0; k < MODEL_CS_MAX_ASYNC; k++) {
		const struct model_suspend_async *s = &r->async[k];
		struct model_cs_async *a = &cs->async[k];

		if (s->kind == MODEL_CS_ASYNC_NONE)
			continue;
		*a = (struct model_cs_async){
			.kind = (enum model_cs_async_kind)s->kind,
			.slot = (u8)s->slot,
			.base = (u8)s->base,
			.mask = (u16)s->mask,
			.deadline = now + s->remaining_ns,
			.seq = s->seq,
		};
		memcpy(a->data, s->data, sizeof(a->data));
		cs->sb[a->slot]++;
	}
}

/* Write the @len bytes of @buf (a multiple of 4) at MCU VA @va. */
static void model_suspend_write(struct tyrc_model *m, u32 va, const void *buf, u32 len, int *err)
{
	const u8 *p = buf;

	for (u32 off = 0; off < len && !*err; off += 4) {
		u32 w;

		memcpy(&w, p + off, 4);
		model_mcu_wr32_locked(m, va + off, w, err);
	}
}

static void model_suspend_read(struct tyrc_model *m, u32 va, void *buf, u32 len, int *err)
{
	u8 *p = buf;

	for (u32 off = 0; off < len && !*err; off += 4) {
		u32 w = model_mcu_rd32_locked(m, va + off, err);

		memcpy(p + off, &w, 4);
	}
}

/* MCU VA of CS @j's record, or 0 if @g has no usable suspend buffer. */
static u32 model_suspend_record_va(const struct model_fw_csg *g, unsigned int j)
{
	if (!g->suspend_buf || g->suspend_buf + MODEL_CSG_SUSPEND_SIZE > 1ULL << 32 ||
	    (g->suspend_buf & 3))
		return 0;
	return (u32)g->suspend_buf + j * MODEL_CSG_SUSPEND_CS_SIZE;
}

/**
 * model_csg_save_locked() - CSG SUSPEND: write the state of the first
 * @streams CSs of @g into its suspend buffer (see the DOC).
 * @m: the model. @g: the bound group. @streams: CSs of the slot.
 * @now: the time of the suspend (in-flight work keeps what it has left).
 * @err: sticky MCU access error; on one the caller keeps @g as it is (the
 *	response is retried or the MCU dies).
 *
 * Context: model lock held.
 */
void model_csg_save_locked(struct tyrc_model *m, struct model_fw_csg *g, u32 streams, u64 now,
			   int *err)
{
	struct model_suspend_cs *r;

	tyrc_lockdep_assert_held(&m->lock);
	if (!model_suspend_record_va(g, 0)) {
		tyrc_dbg("model: MCU: CSG suspended without a usable suspend buffer (0x%llx): "
			 "its CS state is lost",
			 (unsigned long long)g->suspend_buf);
		return;
	}
	r = malloc(sizeof(*r));
	if (!r) {
		tyrc_warn("model: MCU: no memory to save a suspended CSG; its CS state is lost");
		return;
	}
	for (unsigned int j = 0; j < streams && !*err; j++) {
		u32 va = model_suspend_record_va(g, j);

		if (!g->cs[j].started) {
			u32 empty[2] = { MODEL_SUSPEND_MAGIC, 0 };

			model_suspend_write(m, va, empty, sizeof(empty), err);
			continue;
		}
		model_suspend_pack(&g->cs[j], now, r);
		model_suspend_write(m, va, r, sizeof(*r), err);
	}
	free(r);
}

/**
 * model_csg_restore_locked() - CSG RESUME: restore the first @streams CSs
 * of @g from its suspend buffer (latched in @g->suspend_buf) on @g->as.
 * @m: the model. @g: the group, just bound. @streams: CSs of the slot.
 * @now: the time of the resume. @err: sticky MCU access error.
 *
 * Context: model lock held.
 */
void model_csg_restore_locked(struct tyrc_model *m, struct model_fw_csg *g, u32 streams, u64 now,
			      int *err)
{
	struct model_suspend_cs *r;

	tyrc_lockdep_assert_held(&m->lock);
	for (unsigned int j = 0; j < MODEL_CS_MAX; j++)
		g->cs[j] = (struct model_fw_cs){ 0 };
	if (!model_suspend_record_va(g, 0))
		return;
	r = malloc(sizeof(*r));
	if (!r) {
		tyrc_warn("model: MCU: no memory to restore a resumed CSG; its CSs start fresh");
		return;
	}
	for (unsigned int j = 0; j < streams && !*err; j++) {
		u32 va = model_suspend_record_va(g, j);

		model_suspend_read(m, va, r, 8, err);
		if (*err || r->magic != MODEL_SUSPEND_MAGIC || !(r->flags & MODEL_SUSPEND_SAVED))
			continue;
		model_suspend_read(m, va, r, sizeof(*r), err);
		if (*err)
			break;
		if (!model_suspend_valid(r)) {
			tyrc_info("model: MCU: CS %u's suspend record at 0x%08x is corrupt; "
				  "it starts fresh",
				  j, va);
			continue;
		}
		model_suspend_unpack(&g->cs[j], g->as, r, now);
	}
	free(r);
}
