/* SPDX-License-Identifier: MIT */
/*
 * Internal header of the command-stream interpreter (model_cs.c): one
 * struct model_cs per command stream, advanced by model_cs_step_locked().
 * Nothing here is API outside the model.
 */
#ifndef MODEL_CS_H
#define MODEL_CS_H

#include "model_priv.h"
#include "tyrc_cs_isa.h"

/* Frames of the call stack, the active one included (cs-isa-v10.md §1). */
#define MODEL_CS_STACK_DEPTH 8u
/* Asynchronous operations one CS may have in flight; more stall the stream. */
#define MODEL_CS_MAX_ASYNC 32u

/*
 * Cost model of the RUN_* instructions (shaders are not executed): the
 * work is spread over the present shader cores (4 on a G610 MP4).
 * RUN_COMPUTE: r37 * r38 * r39 workgroups * MODEL_CS_WORKGROUP_NS / cores.
 * RUN_IDVS: r33 (index count) * max(r34, 1) (instances) * MODEL_CS_VERTEX_NS / cores.
 * RUN_FRAGMENT: 16x16 tiles of the bounding box (r42 = min, r43 = max, x in
 * bits [15:0], y in [31:16], inclusive) * MODEL_CS_TILE_NS / cores.
 * RUN_TILING, RUN_FULLSCREEN, RUN_COMPUTE_INDIRECT: MODEL_CS_RUN_FIXED_NS.
 * Durations are rounded up to whole ns.
 */
#define MODEL_CS_WORKGROUP_NS 1000ULL
#define MODEL_CS_VERTEX_NS 10ULL
#define MODEL_CS_TILE_NS 2000ULL
#define MODEL_CS_RUN_FIXED_NS 10000ULL
/* LOAD_MULTIPLE / STORE_MULTIPLE: time from issue to the scoreboard release. */
#define MODEL_CS_MEM_NS 100ULL

/**
 * enum model_cs_status - what a CS is doing.
 * @MODEL_CS_IDLE: never started.
 * @MODEL_CS_RUNNING: has instructions to execute.
 * @MODEL_CS_BLOCKED_SB: waits for scoreboard slots (&model_cs.sb_wait_mask)
 *	to drain; resolved by time in model_cs_step_locked().
 * @MODEL_CS_BLOCKED_SYNC: waits in a SYNC_WAIT (&model_cs.sync_wait);
 *	resolved by model_cs_recheck_locked().
 * @MODEL_CS_FINISHED: reached the end of the outermost buffer (async
 *	operations may still be in flight).
 * @MODEL_CS_FAULT: stopped on a CS fault (&model_cs.exception_type).
 * @MODEL_CS_FATAL: stopped on a CS fatal error.
 * @MODEL_CS_BLOCKED_OOM: a RUN_IDVS/RUN_TILING found its heap without a
 *	free chunk (model_cs_heap_take()); the firmware resolves it
 *	(model_cs_heap_grow_locked(), model_cs_heap_oom_handler(),
 *	model_cs_heap_retry()).
 */
enum model_cs_status {
	MODEL_CS_IDLE = 0,
	MODEL_CS_RUNNING,
	MODEL_CS_BLOCKED_SB,
	MODEL_CS_BLOCKED_SYNC,
	MODEL_CS_FINISHED,
	MODEL_CS_FAULT,
	MODEL_CS_FATAL,
	MODEL_CS_BLOCKED_OOM,
};

/* Exception codes the interpreter raises (mali-g610-hw.md §10). */
#define MODEL_CS_EXC_BUS_FAULT 0x48u
#define MODEL_CS_EXC_CALL_STACK_OVERFLOW 0x4au
#define MODEL_CS_EXC_INSTR_INVALID_PC 0x50u
#define MODEL_CS_EXC_INSTR_INVALID_ENC 0x51u

/* Events of one step, for the firmware emulation (struct model_cs_result). */
#define MODEL_CS_EV_SYNC_SYSTEM BIT(0) /* a system-scope SYNC_ADD/SET ran */
#define MODEL_CS_EV_SYNC_CSG BIT(1) /* a CSG-scope SYNC_ADD/SET ran */
#define MODEL_CS_EV_HEAP_FREED BIT(2) /* a FINISH_FRAGMENT returned heap chunks */

/*
 * Tiler heap model (model_cs.c DOC): fields of the heap context the
 * firmware owns (panthor allocates 32 zeroed bytes), and of a chunk header.
 */
#define MODEL_CS_HEAP_CTX_FREE 0x0u /* u64: link of the first free chunk, 0 = none */
#define MODEL_CS_HEAP_CTX_USED 0x8u /* u64: link of the last chunk tiling took, 0 = none */
#define MODEL_CS_HEAP_CHUNK_NEXT 0x0u /* u64 in a chunk's 64-byte header: the next link */
/* A chunk link is (VA & ~0xfff) | (chunk size >> 12), as panthor encodes it. */
#define MODEL_CS_HEAP_LINK_VA(link) ((link) & ~0xfffULL)
/* Chunks one FINISH_FRAGMENT returns, or one heap_start..heap_end range holds, at most. */
#define MODEL_CS_HEAP_MAX_CHUNKS 1024u
/* SET_EXCEPTION_HANDLER type of the tiler out-of-memory handler. */
#define MODEL_CS_EXC_HANDLER_TILER_OOM 2u

/** enum model_cs_async_kind - what an in-flight operation does on completion. */
enum model_cs_async_kind {
	MODEL_CS_ASYNC_NONE = 0,
	MODEL_CS_ASYNC_LOAD,
	MODEL_CS_ASYNC_OTHER,
};

/** struct model_cs_async - one in-flight asynchronous operation. */
struct model_cs_async {
	/** @kind: %MODEL_CS_ASYNC_NONE for a free entry. */
	enum model_cs_async_kind kind;
	/** @slot: scoreboard slot it holds until @deadline. */
	u8 slot;
	/** @base: LOAD: first destination register. */
	u8 base;
	/** @mask: LOAD: registers written (bit i = base + i). */
	u16 mask;
	/** @deadline: completion time (ns, the caller's clock). */
	u64 deadline;
	/** @seq: issue order (&model_cs.async_seq), breaks ties between equal deadlines. */
	u64 seq;
	/** @data: LOAD: the words read at issue, indexed by mask bit. */
	u32 data[16];
};

/** struct model_cs_frame - a suspended caller on the call stack. */
struct model_cs_frame {
	/** @ret: the instruction after the CALL. */
	u64 ret;
	/** @end: the caller's end address. */
	u64 end;
};

/** struct model_cs_sync_wait - the condition a %MODEL_CS_BLOCKED_SYNC CS waits for. */
struct model_cs_sync_wait {
	/** @address: the sync object's VA. */
	u64 address;
	/** @value: the operand (r[data] or d[data]). */
	u64 value;
	/** @is64: 64-bit object. */
	bool is64;
	/** @cond: enum tyrc_cs_sync_cond. */
	u32 cond;
};

/**
 * struct model_cs - one command stream's execution context. Not locked by
 * itself: its owner (the firmware emulation, or a test) serialises access
 * and holds the model lock around every model_cs_*_locked() call.
 */
struct model_cs {
	/** @regs: the work registers; dN = regs[N] | regs[N + 1] << 32. */
	u32 regs[TYRC_CS_NUM_REGS];
	/** @sb: in-flight operations per scoreboard slot. */
	u32 sb[TYRC_CS_NUM_SB_SLOTS];
	/** @sb_endpoint: slot of RUN_* (SET_SB_ENTRY). */
	u8 sb_endpoint;
	/** @sb_other: slot of LOAD/STORE_MULTIPLE (SET_SB_ENTRY). */
	u8 sb_other;
	/** @as: the address space instructions and data are accessed through. */
	unsigned int as;
	/** @status: see enum model_cs_status. */
	enum model_cs_status status;
	/** @pc: VA of the next instruction. */
	u64 pc;
	/** @end: end of the current buffer (exclusive). */
	u64 end;
	/** @depth: frames on @stack (the active frame is not counted). */
	u32 depth;
	/** @stack: the callers, @stack[@depth - 1] innermost. */
	struct model_cs_frame stack[MODEL_CS_STACK_DEPTH - 1];
	/** @sb_wait_mask: slots a %MODEL_CS_BLOCKED_SB CS waits on (status_wait). */
	u32 sb_wait_mask;
	/**
	 * @sb_wait_source: what made a %MODEL_CS_BLOCKED_SB CS wait, as
	 * status_wait reports it: CS_STATUS_WAIT_SB_SOURCE_WAIT for a WAIT
	 * instruction, CS_STATUS_WAIT_SB_SOURCE_NONE for the wait mask of an
	 * asynchronous instruction or a full table of in-flight operations.
	 */
	u32 sb_wait_source;
	/** @sync_wait: valid in %MODEL_CS_BLOCKED_SYNC. */
	struct model_cs_sync_wait sync_wait;
	/** @exception_type: FAULT/FATAL exception code. */
	u32 exception_type;
	/** @exception_pc: VA of the instruction that raised the exception. */
	u64 exception_pc;
	/**
	 * @exception_info: the faulting VA for an MMU or bus fault, the
	 * instruction word for an invalid encoding, else 0.
	 */
	u64 exception_info;
	/** @error_state: CS error state that error_propagate copies (0 = none). */
	u32 error_state;
	/** @progress: progress counter (progress_increment, PROGRESS_LOAD/STORE). */
	u64 progress;
	/** @resources: endpoints last requested by REQ_RESOURCE (granted at once). */
	u32 resources;
	/** @heap_ctx: tiler heap context set by HEAP_SET. */
	u64 heap_ctx;
	/** @heap_vt_start: HEAP_OPERATION vertex/tiler started count. */
	u32 heap_vt_start;
	/** @heap_vt_end: HEAP_OPERATION vertex/tiler completed count. */
	u32 heap_vt_end;
	/** @heap_frag_end: fragment completed count (HEAP_OPERATION, FINISH_FRAGMENT). */
	u32 heap_frag_end;
	/** @exc_handler_type: SET_EXCEPTION_HANDLER type (0 = none registered). */
	u32 exc_handler_type;
	/** @exc_handler_addr: the handler stream's VA. */
	u64 exc_handler_addr;
	/** @exc_handler_len: the handler stream's length in bytes. */
	u32 exc_handler_len;
	/** @trace_points: TRACE_POINT instructions executed. */
	u64 trace_points;
	/** @flushes: FLUSH_CACHE2 instructions that flushed. */
	u64 flushes;
	/** @flushes_skipped: FLUSH_CACHE2 skipped thanks to their flush ID. */
	u64 flushes_skipped;
	/** @executed: instructions executed since model_cs_init(). */
	u64 executed;
	/** @async_seq: issue number of the next asynchronous operation. */
	u64 async_seq;
	/** @async: in-flight operations, in no particular order (see @seq). */
	struct model_cs_async async[MODEL_CS_MAX_ASYNC];
};

/**
 * struct model_cs_result - what one model_cs_step_locked() call did.
 * @executed: instructions executed.
 * @events: MODEL_CS_EV_* bits.
 */
struct model_cs_result {
	u32 executed;
	u32 events;
};

void model_cs_init(struct model_cs *cs, unsigned int as);
int model_cs_start(struct model_cs *cs, u64 va, u32 size);
void model_cs_step_locked(struct tyrc_model *m, struct model_cs *cs, u64 now, u32 budget,
			  struct model_cs_result *res);
bool model_cs_recheck_locked(struct tyrc_model *m, struct model_cs *cs, u64 now);
u64 model_cs_next_deadline(const struct model_cs *cs);
u32 model_cs_scoreboards(const struct model_cs *cs);
int model_cs_heap_grow_locked(struct tyrc_model *m, struct model_cs *cs, u64 start, u64 end);
bool model_cs_heap_oom_handler(struct model_cs *cs);
void model_cs_heap_retry(struct model_cs *cs);

#endif /* MODEL_CS_H */
