/* SPDX-License-Identifier: MIT */
/*
 * Internal header of the firmware's CSG/CS emulation: the per-slot state
 * model_csg.c runs and model_csg_suspend.c saves into and restores from a
 * group's suspend buffer. Nothing here is API outside the model; every
 * field is guarded by the model lock.
 */
#ifndef MODEL_CSG_H
#define MODEL_CSG_H

#include "model_cs.h"

/* CSG slots and CSs per slot the emulation serves (the G610's 8 x 8). */
#define MODEL_CSG_MAX 8u
#define MODEL_CS_MAX 8u

/**
 * enum model_fw_oom - where a CS stands in the TILER_OOM protocol.
 * @MODEL_FW_OOM_NONE: no request pending (a %MODEL_CS_BLOCKED_OOM CS in this
 *	state has its event raised at its next run).
 * @MODEL_FW_OOM_RAISED: TILER_OOM signalled; waiting for the host to
 *	acknowledge it and ring the CS doorbell.
 * @MODEL_FW_OOM_ANSWERED: acknowledged; &model_fw_cs.oom_start/oom_end hold
 *	the host's heap_start/heap_end, applied when the CS runs next.
 * @MODEL_FW_OOM_WAITING: the host had no memory and no exception handler
 *	is registered: the CS waits for a FINISH_FRAGMENT to free chunks.
 */
enum model_fw_oom {
	MODEL_FW_OOM_NONE = 0,
	MODEL_FW_OOM_RAISED,
	MODEL_FW_OOM_ANSWERED,
	MODEL_FW_OOM_WAITING,
};

/** struct model_fw_cs - the firmware's view of one CS slot of a CSG. */
struct model_fw_cs {
	/** @started: the CS runs (STATE START served, or restored by RESUME). */
	bool started;
	/** @reported: the FATAL/FAULT of the current stop was signalled. */
	bool reported;
	/** @resumed: restored by RESUME; the next START re-latches the CS input only. */
	bool resumed;
	/** @idle_sync_wait: CS_REQ IDLE_SYNC_WAIT: a SYNC_WAIT-blocked CS counts as idle. */
	bool idle_sync_wait;
	/** @wake: run at @wake_at (doorbell, quantum, retry). */
	bool wake;
	/** @wake_at: when @wake is due. */
	u64 wake_at;
	/** @doorbell: the queue doorbell id of CS input config. */
	u32 doorbell;
	/** @ring_base: ringbuf_base (group AS VA). */
	u64 ring_base;
	/** @ring_size: ringbuf_size (a power of two). */
	u32 ring_size;
	/** @in_va: MCU VA of the queue input page. */
	u32 in_va;
	/** @out_va: MCU VA of the queue output page. */
	u32 out_va;
	/** @insert: the queue input insert as last read. */
	u64 insert;
	/** @extract: consumed up to here (the output extract). */
	u64 extract;
	/** @seg_off: ring offset of the running segment. */
	u64 seg_off;
	/** @seg_va: VA of the running segment. */
	u64 seg_va;
	/** @seg_active: a segment is being executed. */
	bool seg_active;
	/** @written_extract: the output extract last written (~0: write it again). */
	u64 written_extract;
	/** @poll_at: next SYNC_WAIT re-evaluation while blocked (sync_wait_poll_ns). */
	u64 poll_at;
	/** @progress_executed: &model_cs.executed when progress was last seen. */
	u64 progress_executed;
	/** @progress_since: start of the current period without progress. */
	u64 progress_since;
	/** @progress_counting: the progress timer ran at the last check. */
	bool progress_counting;
	/** @progress_reported: PROGRESS_TIMER_EVENT raised for this period. */
	bool progress_reported;
	/** @oom: the TILER_OOM protocol state. */
	enum model_fw_oom oom;
	/** @oom_start: CS input heap_start of the host's answer. */
	u64 oom_start;
	/** @oom_end: CS input heap_end of the host's answer. */
	u64 oom_end;
	/** @cs: the interpreter. */
	struct model_cs cs;
};

/** struct model_fw_csg - the firmware's view of one CSG slot. */
struct model_fw_csg {
	/** @bound: a group is STARTed or RESUMEd on the slot. */
	bool bound;
	/** @idle_reported: the IDLE event of the current idle period was raised. */
	bool idle_reported;
	/** @as: CSG input config: the group's address space. */
	u32 as;
	/** @suspend_buf: CSG input suspend_buf (MCU VA), latched at START/RESUME. */
	u64 suspend_buf;
	/** @allow_compute: CSG input allow_compute. */
	u64 allow_compute;
	/** @allow_fragment: CSG input allow_fragment. */
	u64 allow_fragment;
	/** @allow_other: CSG input allow_other. */
	u32 allow_other;
	/** @endpoint_req: CSG input endpoint_req as last applied. */
	u32 endpoint_req;
	/** @cs: the CS slots. */
	struct model_fw_cs cs[MODEL_CS_MAX];
};

/** struct model_csgs - the firmware's view of the CSG slots (model lock). */
struct model_csgs {
	struct model_fw_csg csg[MODEL_CSG_MAX];
};

/* Bytes of one CS record in a suspend buffer (model_csg_suspend.c). */
#define MODEL_CSG_SUSPEND_CS_SIZE 0x1000u
/* The suspend_size the firmware publishes: one record per CS. */
#define MODEL_CSG_SUSPEND_SIZE (MODEL_CS_MAX * MODEL_CSG_SUSPEND_CS_SIZE)

/* model_csg_suspend.c */
void model_csg_save_locked(struct tyrc_model *m, struct model_fw_csg *g, u32 streams, u64 now,
			   int *err);
void model_csg_restore_locked(struct tyrc_model *m, struct model_fw_csg *g, u32 streams, u64 now,
			      int *err);

#endif /* MODEL_CSG_H */
