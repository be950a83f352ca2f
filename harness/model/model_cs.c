// SPDX-License-Identifier: MIT
/*
 * DOC: Command-stream interpreter
 *
 * Executes v10 command streams (cs-isa-v10.md) for one CS: instructions are
 * fetched through the CS's address space as data reads (XN governs shader
 * instruction fetches, not command streams: panthor maps rings no-exec), decoded with
 * tyrc_cs_decode() and executed until the stream ends, blocks, faults or the
 * per-call instruction budget is spent (so that an endless loop cannot hang
 * the model thread). The caller passes the time; every latency is a
 * deadline against it, so tests drive a virtual clock and the firmware
 * emulation passes the model's clock and arms its timer for
 * model_cs_next_deadline().
 *
 * Choices where the sheet leaves the behaviour open:
 *
 * - Asynchronous operations issue in order. One whose wait_mask names busy
 *   slots stalls the stream (%MODEL_CS_BLOCKED_SB) until they drain, then
 *   issues; hardware would defer the operation and run on, which only
 *   differs in concurrency. SYNC_*, STORE_STATE, TRACE_POINT,
 *   HEAP_OPERATION and FINISH_FRAGMENT take effect as soon as their wait
 *   mask is clear and hold no slot afterwards.
 * - LOAD_MULTIPLE reads memory at issue and writes the registers when its
 *   slot is released (MODEL_CS_MEM_NS later), so a stream that skips the
 *   WAIT sees stale registers. STORE_MULTIPLE writes memory at issue and
 *   releases its slot MODEL_CS_MEM_NS later. Masks with holes use the
 *   sheet's layout: register base + i <-> word address + 4 * i.
 * - In-flight operations complete in deadline order, equal deadlines in
 *   issue order, however many fall due in one step: two loads into one
 *   register leave the newer load's word.
 * - FLUSH_CACHE2 holds its slot for the configured cache_flush_ns. With a
 *   non-zero r[latest_flush_id] that differs from the model's
 *   LATEST_FLUSH_ID (a flush completed since the ID was sampled), it is
 *   skipped and holds no slot. The model has no caches, so a CS flush does
 *   not advance LATEST_FLUSH_ID.
 * - RUN_* complete after the cost model of model_cs.h on the endpoint slot;
 *   FINISH_TILING holds no slot.
 * - Fields outside their enumeration (BRANCH condition 7, SYNC_WAIT
 *   condition > 1, sync scope 1 or 3, HEAP_OPERATION 2, an exception type
 *   other than 2, a slot or wait-mask bit >= 8) are invalid encodings: CS
 *   FATAL INSTR_INVALID_ENC (0x51), like undefined opcodes, reserved bits
 *   and bad registers. exception_pc is the instruction's VA and
 *   exception_info the word.
 * - CALL/JUMP to a target or with a length that is not a multiple of 8:
 *   FATAL INSTR_INVALID_PC (0x50). A ninth frame: FATAL
 *   CS_CALL_STACK_OVERFLOW (0x4A). A zero length CALL does nothing; JUMP
 *   is allowed at depth 0 (it replaces the outermost buffer).
 * - An MMU fault while fetching is a CS FATAL, while loading or storing
 *   data a CS FAULT; both stop the stream. The exception type is the MMU's
 *   code (0xC0 | class << 3 | level, or GPU_BUS_FAULT 0x80), the same one
 *   the MMU records in AS_FAULTSTATUS (unless a fault was already pending
 *   there); exception_info is the faulting VA. A sync object that is not
 *   naturally aligned is a CS FAULT CS_BUS_FAULT (0x48).
 * - An access to a locked region (model_mmu_access_locked() -EAGAIN)
 *   leaves the instruction to be retried on the next step.
 * - SYNC_WAIT blocks until model_cs_recheck_locked() finds the condition
 *   true; the step function does not poll memory. error_reject is not
 *   modelled (sync object status words are not inspected).
 * - PROGRESS_LOAD copies the progress counter to d[dst], PROGRESS_STORE
 *   sets it from d[source], PROGRESS_WAIT and PROT_REGION do nothing.
 * - STORE_STATE stores GPU_TIMESTAMP or GPU_CYCLE_COUNT at @now, 0 for
 *   the disjoint count, the CS error state for ERROR_STATUS.
 *   ERROR_BARRIER clears the error state.
 *
 * Tiler heap. A deterministic model of chunk consumption, the firmware's
 * side of csf-firmware.md §12 and panthor-uapi.md §8. panthor's heap
 * context is 32 opaque bytes, zeroed at creation, that the firmware owns;
 * the model uses two of its fields (the rest stays 0):
 *
 *   +0x00 u64 free: link of the first free chunk (0: none)
 *   +0x08 u64 used: link of the chunk tiling took last (0: none)
 *
 * A link is panthor's encoding, (chunk VA & ~0xfff) | (chunk size >> 12);
 * chunks are chained through the first u64 of their 64-byte header ({u64
 * next; ...}), a link or 0, on both lists. Userspace that wants the heap's
 * initial chunks used stores the link of first_heap_chunk_gpu_va into
 * `free` (their headers already chain them); a context left zeroed starts
 * empty, and the first tiling work asks the host for memory.
 *
 * - With a heap context set (HEAP_SET of a non-zero address), each
 *   RUN_IDVS and RUN_TILING takes one chunk, whatever its size, from the
 *   head of `free` and pushes it on `used` as it issues. With `free`
 *   empty the CS stops in front of the instruction, %MODEL_CS_BLOCKED_OOM,
 *   until the firmware resolves it: new chunks (model_cs_heap_grow_locked()),
 *   the exception handler (model_cs_heap_oom_handler()), or chunks another
 *   CS freed (model_cs_heap_retry()). Without a heap context no chunk is
 *   accounted.
 * - FINISH_FRAGMENT, once its wait mask is clear, returns every chunk on
 *   `used` to `free` (at most MODEL_CS_HEAP_MAX_CHUNKS per instruction):
 *   the render pass whose fragments finished used what tiling took before
 *   it. The model keeps one render pass in flight per heap;
 *   first/last_heap_chunk are not interpreted.
 * - The heap counters (HEAP_OPERATION, FINISH_FRAGMENT's
 *   increment_fragment_completed) are per CS; the firmware reports them
 *   with an OOM.
 * - Faults on the context or a chunk header are CS FAULTs, as any data
 *   access; a stalled access retries the instruction, and every step
 *   leaves both lists whole.
 */
#include <string.h>

#include "model_cs.h"

/* What executing one instruction did to the program counter. */
enum model_cs_flow {
	MODEL_CS_NEXT, /* continue at pc + 8 */
	MODEL_CS_MOVED, /* pc was set by the instruction */
	MODEL_CS_STAY, /* not executed: blocked, stalled or stopped */
};

static u64 model_cs_d(const struct model_cs *cs, u64 reg)
{
	return cs->regs[reg] | (u64)cs->regs[reg + 1] << 32;
}

static void model_cs_set_d(struct model_cs *cs, u64 reg, u64 v)
{
	cs->regs[reg] = (u32)v;
	cs->regs[reg + 1] = (u32)(v >> 32);
}

/**
 * model_cs_init() - reset @cs to an idle CS running in address space @as.
 */
void model_cs_init(struct model_cs *cs, unsigned int as)
{
	*cs = (struct model_cs){ .as = as };
}

/**
 * model_cs_start() - start executing the @size bytes at @va as the
 * outermost buffer. Registers, scoreboards and in-flight operations are
 * kept (they persist across jobs); the call stack is emptied.
 * Return: 0, or -EINVAL for a misaligned @va or @size or a wrapping range.
 */
int model_cs_start(struct model_cs *cs, u64 va, u32 size)
{
	u64 end;

	if ((va | size) & 7 || check_add_overflow(va, (u64)size, &end))
		return -EINVAL;
	cs->pc = va;
	cs->end = end;
	cs->depth = 0;
	cs->exception_type = 0;
	cs->exception_pc = 0;
	cs->exception_info = 0;
	cs->status = MODEL_CS_RUNNING;
	return 0;
}

/** model_cs_scoreboards() - mask of the slots with operations in flight. */
u32 model_cs_scoreboards(const struct model_cs *cs)
{
	u32 mask = 0;

	for (unsigned int i = 0; i < TYRC_CS_NUM_SB_SLOTS; i++)
		if (cs->sb[i])
			mask |= BIT(i);
	return mask;
}

/** model_cs_next_deadline() - earliest completion in flight, or MODEL_NO_DEADLINE. */
u64 model_cs_next_deadline(const struct model_cs *cs)
{
	u64 next = MODEL_NO_DEADLINE;

	for (unsigned int i = 0; i < MODEL_CS_MAX_ASYNC; i++)
		if (cs->async[i].kind != MODEL_CS_ASYNC_NONE)
			next = tyrc_min(next, cs->async[i].deadline);
	return next;
}

/* The due operation that completed first (earliest deadline, then issue order), or NULL. */
static struct model_cs_async *model_cs_first_due(struct model_cs *cs, u64 now)
{
	struct model_cs_async *first = NULL;

	for (unsigned int i = 0; i < MODEL_CS_MAX_ASYNC; i++) {
		struct model_cs_async *a = &cs->async[i];

		if (a->kind == MODEL_CS_ASYNC_NONE || a->deadline > now)
			continue;
		if (!first || a->deadline < first->deadline ||
		    (a->deadline == first->deadline && a->seq < first->seq))
			first = a;
	}
	return first;
}

/*
 * Complete the operations whose deadline has passed, in the order they
 * completed: entries are reused out of issue order, so walking the array
 * would let an older LOAD_MULTIPLE overwrite the registers of a newer one
 * that completed in the same step.
 */
static void model_cs_retire(struct model_cs *cs, u64 now)
{
	struct model_cs_async *a;

	while ((a = model_cs_first_due(cs, now))) {
		if (a->kind == MODEL_CS_ASYNC_LOAD) {
			for (unsigned int b = 0; b < 16; b++)
				if (a->mask & BIT(b) && a->base + b < TYRC_CS_NUM_REGS)
					cs->regs[a->base + b] = a->data[b];
		}
		cs->sb[a->slot]--;
		a->kind = MODEL_CS_ASYNC_NONE;
	}
}

/* A free in-flight entry, or NULL when all are in use. */
static struct model_cs_async *model_cs_async_slot(struct model_cs *cs)
{
	for (unsigned int i = 0; i < MODEL_CS_MAX_ASYNC; i++)
		if (cs->async[i].kind == MODEL_CS_ASYNC_NONE)
			return &cs->async[i];
	return NULL;
}

static void model_cs_stop(struct model_cs *cs, enum model_cs_status status, u32 exception, u64 info)
{
	cs->status = status;
	cs->exception_type = exception;
	cs->exception_pc = cs->pc;
	cs->exception_info = info;
}

/*
 * Block on @mask unless its slots are idle by @now.
 * Return: true if the caller may go on.
 */
static bool model_cs_sb_ready(struct model_cs *cs, u32 mask, u64 now)
{
	if (model_cs_scoreboards(cs) & mask)
		model_cs_retire(cs, now);
	if (!(model_cs_scoreboards(cs) & mask))
		return true;
	cs->sb_wait_mask = mask;
	cs->sb_wait_source = CS_STATUS_WAIT_SB_SOURCE_NONE;
	cs->status = MODEL_CS_BLOCKED_SB;
	return false;
}

/*
 * Start an operation holding @slot for @duration ns. When every entry is
 * in use the stream stalls until the earliest completes.
 * Return: the entry (kind set to @kind) or NULL if the CS blocked.
 */
static struct model_cs_async *model_cs_issue(struct model_cs *cs, enum model_cs_async_kind kind,
					     u32 slot, u64 now, u64 duration)
{
	struct model_cs_async *a = model_cs_async_slot(cs);

	if (!a) {
		cs->sb_wait_mask = 0;
		cs->sb_wait_source = CS_STATUS_WAIT_SB_SOURCE_NONE;
		cs->status = MODEL_CS_BLOCKED_SB;
		return NULL;
	}
	*a = (struct model_cs_async){
		.kind = kind, .slot = (u8)slot, .deadline = now + duration, .seq = cs->async_seq++
	};
	cs->sb[slot]++;
	return a;
}

/*
 * A data access through the CS's AS. Return: true on success; false if the
 * CS stalled (locked region, retried later) or stopped on a fault.
 */
static bool model_cs_mem(struct tyrc_model *m, struct model_cs *cs, u64 va, void *buf, size_t len,
			 enum model_access type)
{
	int ret = model_mmu_access_locked(m, cs->as, va, buf, len, type);

	if (!ret)
		return true;
	if (ret != -EAGAIN)
		model_cs_stop(
			cs, MODEL_CS_FAULT,
			ret == -EFAULT ? m->as[cs->as].last_exception : MODEL_CS_EXC_BUS_FAULT, va);
	return false;
}

/*
 * The host pointer of a naturally aligned 4- or 8-byte sync object, translated
 * for @type (ATOMIC for updates, READ for waits). Sync objects are shared
 * with the CPU and other queues, so they are only accessed atomically.
 * Return: the pointer, or NULL if the CS stalled or stopped.
 */
static void *model_cs_sync_ptr(struct tyrc_model *m, struct model_cs *cs, u64 va, bool is64,
			       enum model_access type)
{
	u64 pa;
	int ret;

	if (va & (is64 ? 7 : 3)) {
		model_cs_stop(cs, MODEL_CS_FAULT, MODEL_CS_EXC_BUS_FAULT, va);
		return NULL;
	}
	ret = model_mmu_translate_locked(m, cs->as, va, type, &pa);
	if (ret) {
		if (ret != -EAGAIN)
			model_cs_stop(cs, MODEL_CS_FAULT,
				      ret == -EFAULT ? m->as[cs->as].last_exception :
						       MODEL_CS_EXC_BUS_FAULT,
				      va);
		return NULL;
	}
	return tyrc_ram_phys_to_virt(m->ram, pa);
}

/* Atomic add or store of @data to the sync object at @va. */
static bool model_cs_sync_rmw(struct tyrc_model *m, struct model_cs *cs, u64 va, bool is64,
			      bool add, u64 data)
{
	void *p = model_cs_sync_ptr(m, cs, va, is64, MODEL_ACCESS_ATOMIC);

	if (!p)
		return false;
	if (is64 && add)
		__atomic_fetch_add((u64 *)p, data, __ATOMIC_SEQ_CST);
	else if (is64)
		__atomic_store_n((u64 *)p, data, __ATOMIC_SEQ_CST);
	else if (add)
		__atomic_fetch_add((u32 *)p, (u32)data, __ATOMIC_SEQ_CST);
	else
		__atomic_store_n((u32 *)p, (u32)data, __ATOMIC_SEQ_CST);
	return true;
}

/* ---- Tiler heap (see the DOC) ---- */

/* Read (@write false) or write the u64 at @va. Return: false if the CS stalled or stopped. */
static bool model_cs_heap_u64(struct tyrc_model *m, struct model_cs *cs, u64 va, u64 *v, bool write)
{
	return model_cs_mem(m, cs, va, v, 8, write ? MODEL_ACCESS_WRITE : MODEL_ACCESS_READ);
}

/*
 * Move the first free chunk of the heap context to its used list.
 * Return: 1 taken, 0 no free chunk, -1 the CS stalled or stopped.
 */
static int model_cs_heap_take(struct tyrc_model *m, struct model_cs *cs)
{
	u64 ctx = cs->heap_ctx, link, next, used;

	if (!model_cs_heap_u64(m, cs, ctx + MODEL_CS_HEAP_CTX_FREE, &link, false))
		return -1;
	if (!link)
		return 0;
	if (!model_cs_heap_u64(m, cs, ctx + MODEL_CS_HEAP_CTX_USED, &used, false) ||
	    !model_cs_heap_u64(m, cs, MODEL_CS_HEAP_LINK_VA(link) + MODEL_CS_HEAP_CHUNK_NEXT, &next,
			       false) ||
	    !model_cs_heap_u64(m, cs, ctx + MODEL_CS_HEAP_CTX_FREE, &next, true) ||
	    !model_cs_heap_u64(m, cs, MODEL_CS_HEAP_LINK_VA(link) + MODEL_CS_HEAP_CHUNK_NEXT, &used,
			       true) ||
	    !model_cs_heap_u64(m, cs, ctx + MODEL_CS_HEAP_CTX_USED, &link, true))
		return -1;
	return 1;
}

/*
 * FINISH_FRAGMENT: return the used chunks to the free list, one at a time
 * (each step leaves both lists whole, so a stalled access resumes).
 * Return: false if the CS stalled or stopped.
 */
static bool model_cs_heap_release(struct tyrc_model *m, struct model_cs *cs,
				  struct model_cs_result *res)
{
	u64 ctx = cs->heap_ctx;

	for (unsigned int n = 0; n < MODEL_CS_HEAP_MAX_CHUNKS; n++) {
		u64 link, next, free;

		if (!model_cs_heap_u64(m, cs, ctx + MODEL_CS_HEAP_CTX_USED, &link, false))
			return false;
		if (!link)
			break;
		if (!model_cs_heap_u64(m, cs,
				       MODEL_CS_HEAP_LINK_VA(link) + MODEL_CS_HEAP_CHUNK_NEXT,
				       &next, false) ||
		    !model_cs_heap_u64(m, cs, ctx + MODEL_CS_HEAP_CTX_FREE, &free, false) ||
		    !model_cs_heap_u64(m, cs,
				       MODEL_CS_HEAP_LINK_VA(link) + MODEL_CS_HEAP_CHUNK_NEXT,
				       &free, true) ||
		    !model_cs_heap_u64(m, cs, ctx + MODEL_CS_HEAP_CTX_FREE, &link, true) ||
		    !model_cs_heap_u64(m, cs, ctx + MODEL_CS_HEAP_CTX_USED, &next, true))
			return false;
		res->events |= MODEL_CS_EV_HEAP_FREED;
	}
	return true;
}

/**
 * model_cs_heap_grow_locked() - the host answered a tiler OOM with chunks:
 * put the chain @start .. @end (links; @end 0 means @start alone) at the
 * head of the heap context's free list. @end's own next link is replaced
 * (panthor chains a new chunk to the heap's previous head, which tiling
 * may be using).
 * @m: the model. @cs: a %MODEL_CS_BLOCKED_OOM CS. @start: first link (non-zero).
 * @end: last link.
 *
 * Context: model lock held.
 * Return: 0 (the CS is %MODEL_CS_RUNNING and retries its RUN_*), -EAGAIN
 * (an access stalled: call again later) or -EFAULT (the CS stopped on a
 * FAULT: an unmapped chunk or heap context, or @end not reachable from
 * @start within MODEL_CS_HEAP_MAX_CHUNKS links: CS_BUS_FAULT).
 */
int model_cs_heap_grow_locked(struct tyrc_model *m, struct model_cs *cs, u64 start, u64 end)
{
	u64 last = start, free;
	unsigned int n;

	tyrc_lockdep_assert_held(&m->lock);
	if (!end)
		end = start;
	for (n = 0; n < MODEL_CS_HEAP_MAX_CHUNKS; n++) {
		u64 next;

		if (MODEL_CS_HEAP_LINK_VA(last) == MODEL_CS_HEAP_LINK_VA(end))
			break;
		if (!model_cs_heap_u64(m, cs,
				       MODEL_CS_HEAP_LINK_VA(last) + MODEL_CS_HEAP_CHUNK_NEXT,
				       &next, false))
			goto failed;
		if (!next) {
			n = MODEL_CS_HEAP_MAX_CHUNKS;
			break;
		}
		last = next;
	}
	if (n == MODEL_CS_HEAP_MAX_CHUNKS) {
		model_cs_stop(cs, MODEL_CS_FAULT, MODEL_CS_EXC_BUS_FAULT, end);
		return -EFAULT;
	}
	if (!model_cs_heap_u64(m, cs, cs->heap_ctx + MODEL_CS_HEAP_CTX_FREE, &free, false) ||
	    !model_cs_heap_u64(m, cs, MODEL_CS_HEAP_LINK_VA(end) + MODEL_CS_HEAP_CHUNK_NEXT, &free,
			       true) ||
	    !model_cs_heap_u64(m, cs, cs->heap_ctx + MODEL_CS_HEAP_CTX_FREE, &start, true))
		goto failed;
	cs->status = MODEL_CS_RUNNING;
	return 0;

failed:
	return cs->status == MODEL_CS_FAULT ? -EFAULT : -EAGAIN;
}

/**
 * model_cs_heap_oom_handler() - the host had no memory: call the tiler OOM
 * exception handler (SET_EXCEPTION_HANDLER type 2) if one is registered.
 * It runs as a CALL from the RUN_* that found no chunk, so that RUN_* runs
 * again when the handler returns (having freed chunks, e.g. by running a
 * fragment pass and its FINISH_FRAGMENT).
 * @cs: a %MODEL_CS_BLOCKED_OOM CS.
 *
 * Return: false if no handler is registered (@cs unchanged); true if the
 * handler was entered (%MODEL_CS_RUNNING) or could not be (FATAL:
 * INSTR_INVALID_PC for a misaligned handler, CS_CALL_STACK_OVERFLOW for a
 * ninth frame).
 */
bool model_cs_heap_oom_handler(struct model_cs *cs)
{
	u64 end;

	if (cs->exc_handler_type != MODEL_CS_EXC_HANDLER_TILER_OOM || !cs->exc_handler_len)
		return false;
	if ((cs->exc_handler_addr | cs->exc_handler_len) & 7 ||
	    check_add_overflow(cs->exc_handler_addr, (u64)cs->exc_handler_len, &end)) {
		model_cs_stop(cs, MODEL_CS_FATAL, MODEL_CS_EXC_INSTR_INVALID_PC,
			      cs->exc_handler_addr);
		return true;
	}
	if (cs->depth >= MODEL_CS_STACK_DEPTH - 1) {
		model_cs_stop(cs, MODEL_CS_FATAL, MODEL_CS_EXC_CALL_STACK_OVERFLOW, 0);
		return true;
	}
	cs->stack[cs->depth++] = (struct model_cs_frame){ .ret = cs->pc, .end = cs->end };
	cs->pc = cs->exc_handler_addr;
	cs->end = end;
	cs->status = MODEL_CS_RUNNING;
	return true;
}

/** model_cs_heap_retry() - a %MODEL_CS_BLOCKED_OOM CS tries its RUN_* again at its next step. */
void model_cs_heap_retry(struct model_cs *cs)
{
	if (cs->status == MODEL_CS_BLOCKED_OOM)
		cs->status = MODEL_CS_RUNNING;
}

/* Work of a RUN_* instruction per the cost model of model_cs.h, in ns. */
static u64 model_cs_run_cost(struct tyrc_model *m, struct model_cs *cs, u32 opcode)
{
	u64 cores = tyrc_max((u64)__builtin_popcountll(m->cfg.shader_present), 1ULL);
	unsigned __int128 work;

	switch (opcode) {
	case TYRC_CS_OP_RUN_COMPUTE:
		work = (unsigned __int128)cs->regs[37] * cs->regs[38] * cs->regs[39] *
		       MODEL_CS_WORKGROUP_NS;
		break;
	case TYRC_CS_OP_RUN_IDVS:
		work = (unsigned __int128)cs->regs[33] * tyrc_max(cs->regs[34], 1u) *
		       MODEL_CS_VERTEX_NS;
		break;
	case TYRC_CS_OP_RUN_FRAGMENT: {
		u32 x0 = cs->regs[42] & 0xffff, y0 = cs->regs[42] >> 16;
		u32 x1 = cs->regs[43] & 0xffff, y1 = cs->regs[43] >> 16;

		if (x1 < x0 || y1 < y0)
			return 0;
		work = (unsigned __int128)((x1 - x0) / 16 + 1) * ((y1 - y0) / 16 + 1) *
		       MODEL_CS_TILE_NS;
		break;
	}
	default:
		return MODEL_CS_RUN_FIXED_NS;
	}
	work = (work + cores - 1) / cores;
	/* Keep deadlines far from overflowing. */
	return work > TYRC_MODEL_MAX_LATENCY_NS * 1000 ? TYRC_MODEL_MAX_LATENCY_NS * 1000 :
							 (u64)work;
}

static bool model_cs_branch_taken(u32 cond, s32 v)
{
	switch (cond) {
	case TYRC_CS_BRANCH_LEQUAL:
		return v <= 0;
	case TYRC_CS_BRANCH_GREATER:
		return v > 0;
	case TYRC_CS_BRANCH_EQUAL:
		return v == 0;
	case TYRC_CS_BRANCH_NEQUAL:
		return v != 0;
	case TYRC_CS_BRANCH_LESS:
		return v < 0;
	case TYRC_CS_BRANCH_GEQUAL:
		return v >= 0;
	default:
		return true;
	}
}

/*
 * Operand checks tyrc_cs_decode() cannot make (enumerations, slot numbers).
 * Return: true if @in is executable.
 */
static bool model_cs_operands_valid(const struct tyrc_cs_instr *in)
{
	const u64 slots = BIT(TYRC_CS_NUM_SB_SLOTS) - 1;

	switch (in->opcode) {
	case TYRC_CS_OP_BRANCH:
		return in->branch.condition <= TYRC_CS_BRANCH_ALWAYS;
	case TYRC_CS_OP_SET_SB_ENTRY:
		return in->set_sb_entry.endpoint_entry < TYRC_CS_NUM_SB_SLOTS &&
		       in->set_sb_entry.other_entry < TYRC_CS_NUM_SB_SLOTS;
	case TYRC_CS_OP_SET_EXCEPTION_HANDLER:
		return in->set_exception_handler.exception_type == 2;
	case TYRC_CS_OP_FLUSH_CACHE2:
		return !(in->flush_cache2.wait_mask & ~slots) &&
		       in->flush_cache2.signal_slot < TYRC_CS_NUM_SB_SLOTS &&
		       in->flush_cache2.l2_mode <= 3 && in->flush_cache2.lsc_mode <= 3 &&
		       in->flush_cache2.other_mode <= 3;
	case TYRC_CS_OP_SYNC_ADD32:
	case TYRC_CS_OP_SYNC_SET32:
	case TYRC_CS_OP_SYNC_ADD64:
	case TYRC_CS_OP_SYNC_SET64:
		/* The four sync-update structs share one layout. */
		return !(in->sync_add32.wait_mask & ~slots) &&
		       in->sync_add32.signal_slot < TYRC_CS_NUM_SB_SLOTS &&
		       (in->sync_add32.scope == TYRC_CS_SYNC_SCOPE_SYSTEM ||
			in->sync_add32.scope == TYRC_CS_SYNC_SCOPE_CSG);
	case TYRC_CS_OP_SYNC_WAIT32:
	case TYRC_CS_OP_SYNC_WAIT64:
		return in->sync_wait32.condition <= TYRC_CS_SYNC_WAIT_GT;
	case TYRC_CS_OP_STORE_STATE:
		return !(in->store_state.wait_mask & ~slots) &&
		       in->store_state.signal_slot < TYRC_CS_NUM_SB_SLOTS;
	case TYRC_CS_OP_HEAP_OPERATION:
		return !(in->heap_operation.wait_mask & ~slots) &&
		       in->heap_operation.signal_slot < TYRC_CS_NUM_SB_SLOTS &&
		       in->heap_operation.operation != 2;
	case TYRC_CS_OP_TRACE_POINT:
		return !(in->trace_point.wait_mask & ~slots) &&
		       in->trace_point.signal_slot < TYRC_CS_NUM_SB_SLOTS;
	case TYRC_CS_OP_FINISH_FRAGMENT:
		return !(in->finish_fragment.wait_mask & ~slots) &&
		       in->finish_fragment.signal_slot < TYRC_CS_NUM_SB_SLOTS;
	default:
		return true;
	}
}

/* CALL (@push) or JUMP to d[@address] for r[@length] bytes. */
static enum model_cs_flow model_cs_call(struct model_cs *cs, u64 address, u64 length, bool push)
{
	u64 target = model_cs_d(cs, address), len = cs->regs[length], end;

	if ((target | len) & 7 || check_add_overflow(target, len, &end)) {
		model_cs_stop(cs, MODEL_CS_FATAL, MODEL_CS_EXC_INSTR_INVALID_PC, target);
		return MODEL_CS_STAY;
	}
	if (push) {
		if (!len)
			return MODEL_CS_NEXT;
		if (cs->depth >= MODEL_CS_STACK_DEPTH - 1) {
			model_cs_stop(cs, MODEL_CS_FATAL, MODEL_CS_EXC_CALL_STACK_OVERFLOW, 0);
			return MODEL_CS_STAY;
		}
		cs->stack[cs->depth++] =
			(struct model_cs_frame){ .ret = cs->pc + 8, .end = cs->end };
	}
	cs->pc = target;
	cs->end = end;
	return MODEL_CS_MOVED;
}

static void model_cs_sync_wait_set(struct model_cs *cs, const struct tyrc_cs_instr *in)
{
	bool is64 = in->opcode == TYRC_CS_OP_SYNC_WAIT64;
	const struct tyrc_cs_sync_wait32 *w = &in->sync_wait32;

	cs->sync_wait = (struct model_cs_sync_wait){
		.address = model_cs_d(cs, w->address),
		.value = is64 ? model_cs_d(cs, w->data) : cs->regs[w->data],
		.is64 = is64,
		.cond = (u32)w->condition,
	};
}

/*
 * Evaluate &model_cs.sync_wait. Return: 1 if it holds, 0 if not, -1 if the
 * CS stalled or stopped on the read.
 */
static int model_cs_sync_wait_eval(struct tyrc_model *m, struct model_cs *cs)
{
	const struct model_cs_sync_wait *w = &cs->sync_wait;
	void *p = model_cs_sync_ptr(m, cs, w->address, w->is64, MODEL_ACCESS_READ);
	u64 v;

	if (!p)
		return -1;
	v = w->is64 ? __atomic_load_n((u64 *)p, __ATOMIC_ACQUIRE) :
		      __atomic_load_n((u32 *)p, __ATOMIC_ACQUIRE);
	return w->cond == TYRC_CS_SYNC_WAIT_LE ? v <= w->value : v > w->value;
}

/* SYNC_ADD/SET 32/64 once its wait mask is clear. */
static enum model_cs_flow model_cs_sync_update(struct tyrc_model *m, struct model_cs *cs,
					       const struct tyrc_cs_instr *in, u64 now,
					       struct model_cs_result *res)
{
	const struct tyrc_cs_sync_add32 *s = &in->sync_add32;
	bool is64 = in->opcode == TYRC_CS_OP_SYNC_ADD64 || in->opcode == TYRC_CS_OP_SYNC_SET64;
	bool add = in->opcode == TYRC_CS_OP_SYNC_ADD32 || in->opcode == TYRC_CS_OP_SYNC_ADD64;
	u64 va = model_cs_d(cs, s->address);
	u32 status = cs->error_state ? 1 : 0;

	if (!model_cs_sb_ready(cs, (u32)s->wait_mask, now))
		return MODEL_CS_STAY;
	if (s->error_propagate &&
	    !model_cs_mem(m, cs, va + (is64 ? 8 : 4), &status, 4, MODEL_ACCESS_WRITE))
		return MODEL_CS_STAY;
	if (!model_cs_sync_rmw(m, cs, va, is64, add,
			       is64 ? model_cs_d(cs, s->data) : cs->regs[s->data]))
		return MODEL_CS_STAY;
	res->events |= s->scope == TYRC_CS_SYNC_SCOPE_SYSTEM ? MODEL_CS_EV_SYNC_SYSTEM :
							       MODEL_CS_EV_SYNC_CSG;
	return MODEL_CS_NEXT;
}

static enum model_cs_flow model_cs_load_store(struct tyrc_model *m, struct model_cs *cs,
					      const struct tyrc_cs_instr *in, u64 now)
{
	const struct tyrc_cs_load_multiple *l = &in->load_multiple;
	bool load = in->opcode == TYRC_CS_OP_LOAD_MULTIPLE;
	u64 va = model_cs_d(cs, l->address) + (u64)l->offset;
	struct model_cs_async *a;
	u32 words[16] = { 0 };
	unsigned int n = 0;

	/* Registers past r95 are an invalid encoding, not a partial access. */
	for (unsigned int b = 0; b < 16; b++)
		if (l->mask & BIT(b)) {
			if (l->base + b >= TYRC_CS_NUM_REGS) {
				model_cs_stop(cs, MODEL_CS_FATAL, MODEL_CS_EXC_INSTR_INVALID_ENC,
					      tyrc_cs_encode(in));
				return MODEL_CS_STAY;
			}
			n = b + 1;
			words[b] = cs->regs[l->base + b];
		}
	if (!model_cs_async_slot(cs)) {
		cs->sb_wait_mask = 0;
		cs->sb_wait_source = CS_STATUS_WAIT_SB_SOURCE_NONE;
		cs->status = MODEL_CS_BLOCKED_SB;
		return MODEL_CS_STAY;
	}
	if (load) {
		u32 buf[16];

		if (!model_cs_mem(m, cs, va, buf, n * 4, MODEL_ACCESS_READ))
			return MODEL_CS_STAY;
		for (unsigned int b = 0; b < n; b++)
			if (l->mask & BIT(b))
				words[b] = buf[b];
	} else {
		/* Holes in the mask keep the memory words they skip. */
		for (unsigned int b = 0; b < n; b++)
			if ((l->mask & BIT(b)) &&
			    !model_cs_mem(m, cs, va + 4 * b, &words[b], 4, MODEL_ACCESS_WRITE))
				return MODEL_CS_STAY;
	}
	a = model_cs_issue(cs, load ? MODEL_CS_ASYNC_LOAD : MODEL_CS_ASYNC_OTHER, cs->sb_other, now,
			   MODEL_CS_MEM_NS);
	a->base = (u8)l->base;
	a->mask = (u16)l->mask;
	memcpy(a->data, words, sizeof(words));
	return MODEL_CS_NEXT;
}

static enum model_cs_flow model_cs_flush(struct tyrc_model *m, struct model_cs *cs,
					 const struct tyrc_cs_flush_cache2 *f, u64 now)
{
	u32 id = cs->regs[f->latest_flush_id];

	if (!model_cs_sb_ready(cs, (u32)f->wait_mask, now))
		return MODEL_CS_STAY;
	if (id && id != m->latest_flush_id) {
		cs->flushes_skipped++;
		return MODEL_CS_NEXT;
	}
	if (!model_cs_issue(cs, MODEL_CS_ASYNC_OTHER, (u32)f->signal_slot, now,
			    m->cfg.cache_flush_ns))
		return MODEL_CS_STAY;
	cs->flushes++;
	return MODEL_CS_NEXT;
}

static enum model_cs_flow model_cs_store_state(struct tyrc_model *m, struct model_cs *cs,
					       const struct tyrc_cs_store_state *s, u64 now)
{
	u64 v = 0;

	if (!model_cs_sb_ready(cs, (u32)s->wait_mask, now))
		return MODEL_CS_STAY;
	switch (s->state) {
	case TYRC_CS_STATE_TIMESTAMP:
		v = model_gpu_timestamp(m, now);
		break;
	case TYRC_CS_STATE_CYCLE_COUNT:
		v = model_gpu_cycles_locked(m, now);
		break;
	case TYRC_CS_STATE_ERROR_STATUS:
		v = cs->error_state;
		break;
	default:
		break;
	}
	if (!model_cs_mem(m, cs, model_cs_d(cs, s->address) + (u64)s->offset, &v, 8,
			  MODEL_ACCESS_WRITE))
		return MODEL_CS_STAY;
	return MODEL_CS_NEXT;
}

static enum model_cs_flow model_cs_run(struct tyrc_model *m, struct model_cs *cs,
				       const struct tyrc_cs_instr *in, u64 now)
{
	u64 progress;

	switch (in->opcode) {
	case TYRC_CS_OP_RUN_COMPUTE:
		progress = in->run_compute.progress_increment;
		break;
	case TYRC_CS_OP_RUN_TILING:
		progress = in->run_tiling.progress_increment;
		break;
	case TYRC_CS_OP_RUN_IDVS:
		progress = in->run_idvs.progress_increment;
		break;
	case TYRC_CS_OP_RUN_FRAGMENT:
		progress = in->run_fragment.progress_increment;
		break;
	case TYRC_CS_OP_RUN_FULLSCREEN:
		progress = in->run_fullscreen.progress_increment;
		break;
	default:
		progress = in->run_compute_indirect.progress_increment;
		break;
	}
	if ((in->opcode == TYRC_CS_OP_RUN_IDVS || in->opcode == TYRC_CS_OP_RUN_TILING) &&
	    cs->heap_ctx) {
		int took;

		/* Take the chunk only once the operation can issue. */
		if (!model_cs_async_slot(cs)) {
			cs->sb_wait_mask = 0;
			cs->sb_wait_source = CS_STATUS_WAIT_SB_SOURCE_NONE;
			cs->status = MODEL_CS_BLOCKED_SB;
			return MODEL_CS_STAY;
		}
		took = model_cs_heap_take(m, cs);
		if (took < 0)
			return MODEL_CS_STAY;
		if (!took) {
			cs->status = MODEL_CS_BLOCKED_OOM;
			return MODEL_CS_STAY;
		}
	}
	if (!model_cs_issue(cs, MODEL_CS_ASYNC_OTHER, cs->sb_endpoint, now,
			    model_cs_run_cost(m, cs, in->opcode)))
		return MODEL_CS_STAY;
	cs->progress += progress;
	return MODEL_CS_NEXT;
}

static enum model_cs_flow model_cs_exec(struct tyrc_model *m, struct model_cs *cs,
					const struct tyrc_cs_instr *in, u64 now,
					struct model_cs_result *res)
{
	int ok;

	switch (in->opcode) {
	case TYRC_CS_OP_NOP:
	case TYRC_CS_OP_PROT_REGION:
	case TYRC_CS_OP_PROGRESS_WAIT:
		return MODEL_CS_NEXT;
	case TYRC_CS_OP_MOVE48:
		model_cs_set_d(cs, in->move48.dst, in->move48.imm);
		return MODEL_CS_NEXT;
	case TYRC_CS_OP_MOVE32:
		cs->regs[in->move32.dst] = (u32)in->move32.imm;
		return MODEL_CS_NEXT;
	case TYRC_CS_OP_WAIT:
		if (!model_cs_sb_ready(cs, (u32)in->wait.wait_mask, now)) {
			cs->sb_wait_source = CS_STATUS_WAIT_SB_SOURCE_WAIT;
			return MODEL_CS_STAY;
		}
		cs->progress += in->wait.progress_increment;
		return MODEL_CS_NEXT;
	case TYRC_CS_OP_RUN_COMPUTE:
	case TYRC_CS_OP_RUN_TILING:
	case TYRC_CS_OP_RUN_IDVS:
	case TYRC_CS_OP_RUN_FRAGMENT:
	case TYRC_CS_OP_RUN_FULLSCREEN:
	case TYRC_CS_OP_RUN_COMPUTE_INDIRECT:
		return model_cs_run(m, cs, in, now);
	case TYRC_CS_OP_FINISH_TILING:
		cs->progress += in->finish_tiling.progress_increment;
		return MODEL_CS_NEXT;
	case TYRC_CS_OP_FINISH_FRAGMENT:
		if (!model_cs_sb_ready(cs, (u32)in->finish_fragment.wait_mask, now))
			return MODEL_CS_STAY;
		if (cs->heap_ctx && !model_cs_heap_release(m, cs, res))
			return MODEL_CS_STAY;
		cs->heap_frag_end += (u32)in->finish_fragment.increment_fragment_completed;
		return MODEL_CS_NEXT;
	case TYRC_CS_OP_ADD_IMMEDIATE32:
		cs->regs[in->add_immediate32.dst] =
			cs->regs[in->add_immediate32.src] + (u32)in->add_immediate32.imm;
		return MODEL_CS_NEXT;
	case TYRC_CS_OP_ADD_IMMEDIATE64:
		model_cs_set_d(cs, in->add_immediate64.dst,
			       model_cs_d(cs, in->add_immediate64.src) +
				       (u64)in->add_immediate64.imm);
		return MODEL_CS_NEXT;
	case TYRC_CS_OP_COMPARE_SELECT32:
		cs->regs[in->compare_select32.dst] = tyrc_min(cs->regs[in->compare_select32.src0],
							      cs->regs[in->compare_select32.src1]);
		return MODEL_CS_NEXT;
	case TYRC_CS_OP_LOAD_MULTIPLE:
	case TYRC_CS_OP_STORE_MULTIPLE:
		return model_cs_load_store(m, cs, in, now);
	case TYRC_CS_OP_BRANCH:
		if (!model_cs_branch_taken((u32)in->branch.condition,
					   (s32)cs->regs[in->branch.value]))
			return MODEL_CS_NEXT;
		cs->pc += 8 + (u64)(in->branch.offset * 8);
		return MODEL_CS_MOVED;
	case TYRC_CS_OP_SET_SB_ENTRY:
		cs->sb_endpoint = (u8)in->set_sb_entry.endpoint_entry;
		cs->sb_other = (u8)in->set_sb_entry.other_entry;
		return MODEL_CS_NEXT;
	case TYRC_CS_OP_SET_EXCEPTION_HANDLER:
		cs->exc_handler_type = (u32)in->set_exception_handler.exception_type;
		cs->exc_handler_addr = model_cs_d(cs, in->set_exception_handler.address);
		cs->exc_handler_len = cs->regs[in->set_exception_handler.length];
		return MODEL_CS_NEXT;
	case TYRC_CS_OP_CALL:
		return model_cs_call(cs, in->call.address, in->call.length, true);
	case TYRC_CS_OP_JUMP:
		return model_cs_call(cs, in->jump.address, in->jump.length, false);
	case TYRC_CS_OP_REQ_RESOURCE:
		cs->resources = (u32)(in->req_resource.compute | in->req_resource.fragment << 1 |
				      in->req_resource.tiler << 2 | in->req_resource.idvs << 3);
		return MODEL_CS_NEXT;
	case TYRC_CS_OP_FLUSH_CACHE2:
		return model_cs_flush(m, cs, &in->flush_cache2, now);
	case TYRC_CS_OP_SYNC_ADD32:
	case TYRC_CS_OP_SYNC_SET32:
	case TYRC_CS_OP_SYNC_ADD64:
	case TYRC_CS_OP_SYNC_SET64:
		return model_cs_sync_update(m, cs, in, now, res);
	case TYRC_CS_OP_SYNC_WAIT32:
	case TYRC_CS_OP_SYNC_WAIT64:
		model_cs_sync_wait_set(cs, in);
		ok = model_cs_sync_wait_eval(m, cs);
		if (ok < 0)
			return MODEL_CS_STAY;
		if (!ok) {
			cs->status = MODEL_CS_BLOCKED_SYNC;
			return MODEL_CS_STAY;
		}
		return MODEL_CS_NEXT;
	case TYRC_CS_OP_STORE_STATE:
		return model_cs_store_state(m, cs, &in->store_state, now);
	case TYRC_CS_OP_PROGRESS_STORE:
		cs->progress = model_cs_d(cs, in->progress_store.source);
		return MODEL_CS_NEXT;
	case TYRC_CS_OP_PROGRESS_LOAD:
		model_cs_set_d(cs, in->progress_load.dst, cs->progress);
		return MODEL_CS_NEXT;
	case TYRC_CS_OP_ERROR_BARRIER:
		cs->error_state = 0;
		return MODEL_CS_NEXT;
	case TYRC_CS_OP_HEAP_SET:
		cs->heap_ctx = model_cs_d(cs, in->heap_set.address);
		return MODEL_CS_NEXT;
	case TYRC_CS_OP_HEAP_OPERATION:
		if (!model_cs_sb_ready(cs, (u32)in->heap_operation.wait_mask, now))
			return MODEL_CS_STAY;
		if (in->heap_operation.operation == TYRC_CS_HEAP_VT_START)
			cs->heap_vt_start++;
		else if (in->heap_operation.operation == TYRC_CS_HEAP_VT_END)
			cs->heap_vt_end++;
		else
			cs->heap_frag_end++;
		return MODEL_CS_NEXT;
	case TYRC_CS_OP_TRACE_POINT:
		if (!model_cs_sb_ready(cs, (u32)in->trace_point.wait_mask, now))
			return MODEL_CS_STAY;
		cs->trace_points++;
		return MODEL_CS_NEXT;
	default:
		/* Unreachable: tyrc_cs_decode() rejects every other opcode. */
		model_cs_stop(cs, MODEL_CS_FATAL, MODEL_CS_EXC_INSTR_INVALID_ENC, 0);
		return MODEL_CS_STAY;
	}
}

/**
 * model_cs_step_locked() - complete what is due, then execute instructions.
 * @m: the model (memory accesses, counters, configuration).
 * @cs: the CS.
 * @now: the current time in ns (the clock deadlines are measured against).
 * @budget: at most this many instructions are executed.
 * @res: what was done (zeroed first).
 *
 * Runs while @cs is %MODEL_CS_RUNNING (a %MODEL_CS_BLOCKED_SB CS resumes
 * when its slots have drained by @now); a %MODEL_CS_BLOCKED_SYNC CS needs
 * model_cs_recheck_locked(). Returning to a caller at the end of a called
 * buffer is not an instruction and costs no budget.
 *
 * Context: model lock held.
 */
void model_cs_step_locked(struct tyrc_model *m, struct model_cs *cs, u64 now, u32 budget,
			  struct model_cs_result *res)
{
	tyrc_lockdep_assert_held(&m->lock);
	*res = (struct model_cs_result){ 0 };
	model_cs_retire(cs, now);
	if (cs->status == MODEL_CS_BLOCKED_SB) {
		if (model_cs_scoreboards(cs) & cs->sb_wait_mask ||
		    (!cs->sb_wait_mask && !model_cs_async_slot(cs)))
			return;
		cs->sb_wait_mask = 0;
		cs->status = MODEL_CS_RUNNING;
	}
	while (cs->status == MODEL_CS_RUNNING) {
		struct tyrc_cs_instr in;
		enum model_cs_flow flow;
		u64 word = 0;
		int ret;

		if (cs->pc >= cs->end) {
			if (!cs->depth) {
				cs->status = MODEL_CS_FINISHED;
				break;
			}
			cs->depth--;
			cs->pc = cs->stack[cs->depth].ret;
			cs->end = cs->stack[cs->depth].end;
			continue;
		}
		if (res->executed >= budget)
			break;
		ret = model_mmu_access_locked(m, cs->as, cs->pc, &word, sizeof(word),
					      MODEL_ACCESS_READ);
		if (ret == -EAGAIN)
			break;
		if (ret) {
			model_cs_stop(cs, MODEL_CS_FATAL,
				      ret == -EFAULT ? m->as[cs->as].last_exception :
						       MODEL_CS_EXC_BUS_FAULT,
				      cs->pc);
			break;
		}
		if (tyrc_cs_decode(word, &in) || !model_cs_operands_valid(&in)) {
			model_cs_stop(cs, MODEL_CS_FATAL, MODEL_CS_EXC_INSTR_INVALID_ENC, word);
			break;
		}
		flow = model_cs_exec(m, cs, &in, now, res);
		if (flow == MODEL_CS_STAY)
			break;
		if (flow == MODEL_CS_NEXT)
			cs->pc += 8;
		res->executed++;
		cs->executed++;
	}
}

/**
 * model_cs_recheck_locked() - re-evaluate the SYNC_WAIT a CS blocks in
 * (after a sync update, or when the caller polls).
 * @m: the model. @cs: the CS. @now: the current time (unused by the check
 * itself; kept for symmetry with the step function).
 *
 * Context: model lock held.
 * Return: true if @cs was blocked and is now %MODEL_CS_RUNNING past the
 * SYNC_WAIT (or stopped on a fault reading the sync object).
 */
bool model_cs_recheck_locked(struct tyrc_model *m, struct model_cs *cs, u64 now)
{
	int ok;

	(void)now;
	tyrc_lockdep_assert_held(&m->lock);
	if (cs->status != MODEL_CS_BLOCKED_SYNC)
		return false;
	cs->status = MODEL_CS_RUNNING;
	ok = model_cs_sync_wait_eval(m, cs);
	if (ok > 0) {
		cs->pc += 8;
		cs->executed++;
		return true;
	}
	if (ok == 0 || cs->status == MODEL_CS_RUNNING)
		cs->status = MODEL_CS_BLOCKED_SYNC;
	return cs->status != MODEL_CS_BLOCKED_SYNC;
}
