/* SPDX-License-Identifier: MIT */
/*
 * DOC: Model internals
 *
 * State shared by the files of the GPU model; nothing here is API.
 *
 * One lock, &tyrc_model.lock, guards the whole register file: every MMIO
 * access, every timed event, every interrupt-line update and every GPU
 * memory access (translation, TLB) runs under it. The board RAM itself is
 * not guarded by it: the CPU writes page tables and buffers concurrently,
 * as on hardware, and the walker reads descriptors with atomic loads.
 * Lock order: tyrc_model.lock, then the kernel's timer-base and irq-line
 * locks (tyrc_timer_start() and tyrc_irq_line_set() are called with it held;
 * neither blocks on a handler or a timer callback). tyrc_timer_cancel()
 * waits for the callback, which takes the model lock, so it is only called
 * without the model lock held (from tyrc_model_destroy()).
 *
 * Timed events (reset, cache flush, power transitions, AS commands) are
 * deadlines stored in the state. They complete when the clock passes them:
 * at the start of any MMIO access or GPU memory access (so neither sees a
 * stale state) or from the single event timer, which is armed for the
 * earliest pending deadline so that interrupts are raised on time.
 * Cancelling an event is removing its deadline; a GPU reset also disarms
 * the timer (tyrc_timer_try_cancel(), which does not wait and so is safe
 * under the model lock) before arming it for the reset's own deadline. A
 * timer that fires with nothing due does nothing.
 *
 * Naming: internal functions are model_<block>_<verb>; those that need the
 * model lock end in _locked and assert it.
 */
#ifndef MODEL_PRIV_H
#define MODEL_PRIV_H

#include "tyrc_model.h"
#include "tyrc_gpu_regs.h"
#include "tyrc_job_regs.h"
#include "tyrc_mmu_regs.h"
#include "tyrc_fw_iface.h"

/* "No pending deadline" marker. */
#define MODEL_NO_DEADLINE (~0ULL)

/**
 * struct model_irq_block - one RAWSTAT/CLEAR/MASK/STAT interrupt block and
 * the line it drives. All fields but @name and @line are guarded by the
 * model lock.
 */
struct model_irq_block {
	/** @name: block name for logs ("gpu", "job", "mmu"). */
	const char *name;
	/** @line: the interrupt line, owned by the block. */
	struct tyrc_irq_line *line;
	/** @rawstat: latched events, independent of @mask. */
	u32 rawstat;
	/** @mask: enabled events; STAT = @rawstat & @mask. */
	u32 mask;
	/** @asserted: the level last driven on @line. */
	bool asserted;
};

/** enum model_pwr_domain_id - the power domains, in register order. */
enum model_pwr_domain_id {
	MODEL_PWR_SHADER = 0,
	MODEL_PWR_TILER,
	MODEL_PWR_L2,
	MODEL_PWR_DOMAIN_COUNT,
};

/**
 * struct model_pwr_domain - PRESENT/READY/PWRTRANS state of one domain.
 * Fields after @latency_ns are guarded by the model lock.
 */
struct model_pwr_domain {
	/** @name: domain name for logs. */
	const char *name;
	/** @present: PRESENT bits (from the config); only these ever change. */
	u64 present;
	/** @latency_ns: duration of one transition of a bit. */
	u64 latency_ns;
	/** @ready: READY bits: powered and usable. */
	u64 ready;
	/** @trans: PWRTRANS bits: a transition is pending. */
	u64 trans;
	/** @trans_on: the subset of @trans powering up (the rest power down). */
	u64 trans_on;
	/** @deadline: completion time of the pending transition of each bit. */
	u64 deadline[64];
};

/**
 * struct model_gpu - GPU_CONTROL and MCU state that is not identity.
 * Guarded by the model lock.
 */
struct model_gpu {
	/** @reset_pending: a soft or hard reset runs until @reset_deadline. */
	bool reset_pending;
	/** @reset_deadline: when the pending reset completes. */
	u64 reset_deadline;
	/** @flush_pending: a cache flush runs until @flush_deadline. */
	bool flush_pending;
	/** @flush_deadline: when the pending cache flush completes. */
	u64 flush_deadline;
	/** @flush_count: completed cache flushes since the last reset. */
	u64 flush_count;
	/** @fault_status: GPU_FAULT_STATUS. */
	u32 fault_status;
	/** @fault_addr: GPU_FAULT_ADDR. */
	u64 fault_addr;
	/** @l2_config: GPU_L2_CONFIG. */
	u32 l2_config;
	/** @pwr_override: GPU_PWR_OVERRIDE0/1. */
	u32 pwr_override[2];
	/** @timestamp_offset: GPU_TIMESTAMP_OFFSET. */
	u64 timestamp_offset;
	/** @coherency_protocol: GPU_COHERENCY_PROTOCOL. */
	u32 coherency_protocol;
	/** @cycles: GPU cycles counted up to @cycles_since. */
	u64 cycles;
	/** @cycles_since: when @cycles was last brought up to date. */
	u64 cycles_since;
	/** @cycles_running: the GPU clock runs (an L2 is powered). */
	bool cycles_running;
};

/**
 * enum model_mcu_state - what the emulated MCU is doing (model_mcu.c).
 * @MODEL_MCU_OFF: disabled (MCU_STATUS DISABLED), nothing runs.
 * @MODEL_MCU_BOOTING: MCU_CONTROL enabled it; boots at &model_mcu.boot_deadline.
 * @MODEL_MCU_RUNNING: booted (MCU_STATUS ENABLED): serves doorbells.
 * @MODEL_MCU_HALTED: halted on GLB_REQ.HALT (MCU_STATUS HALT).
 * @MODEL_MCU_FATAL: refused to boot or faulted (MCU_STATUS FATAL).
 */
enum model_mcu_state {
	MODEL_MCU_OFF = 0,
	MODEL_MCU_BOOTING,
	MODEL_MCU_RUNNING,
	MODEL_MCU_HALTED,
	MODEL_MCU_FATAL,
};

/**
 * struct model_mcu - the MCU control registers and the emulated firmware's
 * state. Guarded by the model lock. Everything, @unresponsive included, returns to
 * its reset value at a GPU reset.
 */
struct model_mcu {
	/** @control: MCU_CONTROL as last written. */
	u32 control;
	/** @status: MCU_STATUS. */
	u32 status;
	/** @state: what the MCU does. */
	enum model_mcu_state state;
	/** @boot_deadline: when the boot completes (MODEL_MCU_BOOTING only). */
	u64 boot_deadline;
	/** @arm_image: booted Arm's image "in the emulated way" (its own table layout). */
	bool arm_image;
	/** @glb_input: MCU VA of the GLB input block (valid once booted). */
	u32 glb_input;
	/** @glb_output: MCU VA of the GLB output block (valid once booted). */
	u32 glb_output;
	/** @group_num: CSG interfaces the tables publish. */
	u32 group_num;
	/** @glb_pending: doorbell 0 rang; the GLB input is served at @glb_deadline. */
	bool glb_pending;
	/** @glb_deadline: when the pending GLB requests are served. */
	u64 glb_deadline;
	/** @halt_req: GLB_REQ.HALT as last seen (HALT acts on its 0->1 edge). */
	bool halt_req;
	/** @idle_en: GLB_REQ.IDLE_EN as last applied. */
	bool idle_en;
	/** @idle_armed: the GLB IDLE event fires at @idle_deadline. */
	bool idle_armed;
	/** @idle_deadline: when the idle timer elapses. */
	u64 idle_deadline;
	/** @progress_timer: GLB progress_timer latched by CFG_PROGRESS_TIMER. */
	u32 progress_timer;
	/** @poweroff_timer: GLB poweroff_timer latched by CFG_POWEROFF_TIMER. */
	u32 poweroff_timer;
	/** @core_en_mask: shader cores enabled by CFG_ALLOC_EN. */
	u64 core_en_mask;
	/**
	 * @unresponsive: test hook (tyrc_model_mcu_set_unresponsive()): the
	 * firmware ignores doorbells, runs no CS and raises no event. Cleared
	 * by a GPU reset, as everything here.
	 */
	bool unresponsive;
};

/**
 * enum model_access - kind of a GPU memory access, encoded as in
 * AS_FAULTSTATUS[9:8].
 */
enum model_access {
	MODEL_ACCESS_ATOMIC = AS_FAULT_ACCESS_ATOMIC,
	MODEL_ACCESS_EXECUTE = AS_FAULT_ACCESS_EXECUTE,
	MODEL_ACCESS_READ = AS_FAULT_ACCESS_READ,
	MODEL_ACCESS_WRITE = AS_FAULT_ACCESS_WRITE,
};

/*
 * Exception codes the MMU reports (AS_FAULTSTATUS[7:0], mali-g610-hw.md
 * §10): 0xC0 | class << 3 | level for the MMU classes.
 */
#define MODEL_EXC_MMU(class, low) (0xc0u | (u32)FIELD_PREP(MMU_EXCEPTION_CLASS, class) | (low))
#define MODEL_EXC_GPU_BUS_FAULT 0x80u
#define MODEL_EXC_TRANSLATION(level) MODEL_EXC_MMU(MMU_EXCEPTION_CLASS_TRANSLATION, level)
#define MODEL_EXC_PERMISSION(level) MODEL_EXC_MMU(MMU_EXCEPTION_CLASS_PERMISSION, level)
#define MODEL_EXC_TT_BUS(level) MODEL_EXC_MMU(MMU_EXCEPTION_CLASS_TT_BUS, level)
#define MODEL_EXC_ACCESS_FLAG(level) MODEL_EXC_MMU(MMU_EXCEPTION_CLASS_ACCESS_FLAG, level)
#define MODEL_EXC_ADDR_SIZE_IN MODEL_EXC_MMU(MMU_EXCEPTION_CLASS_ADDR_SIZE, 0)
#define MODEL_EXC_ADDR_SIZE_OUT(level) MODEL_EXC_MMU(MMU_EXCEPTION_CLASS_ADDR_SIZE, 4 + (level))
#define MODEL_EXC_MEM_ATTR(level) MODEL_EXC_MMU(MMU_EXCEPTION_CLASS_MEM_ATTR, level)

/* Permission flags of a translation. */
#define MODEL_XLAT_RO BIT(0) /* writes (and atomics) fault */
#define MODEL_XLAT_XN BIT(1) /* instruction fetches fault */

/**
 * struct model_xlat - one translation: a page or block of 2^@shift bytes.
 * What a successful walk returns and what a TLB entry holds.
 */
struct model_xlat {
	/** @va: first VA of the page or block (aligned to 2^@shift). */
	u64 va;
	/** @pa: the physical address @va maps to. */
	u64 pa;
	/** @shift: log2 of the size: 12 (page), 21 (2 MiB) or 30 (1 GiB block). */
	u8 shift;
	/** @level: table level of the leaf descriptor (for fault codes). */
	u8 level;
	/** @flags: MODEL_XLAT_* permission restrictions. */
	u8 flags;
};

/* Translations a TLB holds per address space. */
#define MODEL_TLB_ENTRIES 64u

/** struct model_tlb - one address space's TLB (model_tlb.c). Guarded by the model lock. */
struct model_tlb {
	/** @entry: the cached translations; only those with @seq != 0 are valid. */
	struct model_xlat entry[MODEL_TLB_ENTRIES];
	/** @seq: fill order of each entry (0 = invalid); the smallest is evicted first. */
	u64 seq[MODEL_TLB_ENTRIES];
	/** @next_seq: the sequence number of the next fill. */
	u64 next_seq;
};

/** struct model_as_cfg - the translation configuration of an address space. */
struct model_as_cfg {
	/** @transtab: AS_TRANSTAB: physical address of the top-level table. */
	u64 transtab;
	/** @memattr: AS_MEMATTR: attribute byte per PTE AttrIndx. */
	u64 memattr;
	/** @transcfg: AS_TRANSCFG: address mode, input size, walk attributes. */
	u64 transcfg;
};

/**
 * struct model_as - one address space: registers, live configuration, lock
 * region, the command in progress and the TLB. Guarded by the model lock.
 */
struct model_as {
	/** @regs: AS_TRANSTAB, AS_MEMATTR and AS_TRANSCFG as written. */
	struct model_as_cfg regs;
	/** @live: the configuration translations use, latched from @regs by UPDATE. */
	struct model_as_cfg live;
	/** @lockaddr: AS_LOCKADDR as written. */
	u64 lockaddr;
	/** @faultaddress: AS_FAULTADDRESS: VA of the recorded fault. */
	u64 faultaddress;
	/** @faultextra: AS_FAULTEXTRA (always 0). */
	u64 faultextra;
	/** @faultstatus: AS_FAULTSTATUS of the recorded fault. */
	u32 faultstatus;
	/**
	 * @last_exception: exception code of the latest failed translation,
	 * whether it was recorded or dropped (a fault was pending); what the
	 * CS interpreter reports for the access that failed.
	 */
	u32 last_exception;
	/** @cmd_pending: a command runs (AS_STATUS.AS_ACTIVE) until @cmd_deadline. */
	bool cmd_pending;
	/** @cmd: the AS_COMMAND value of the running command. */
	u32 cmd;
	/** @cmd_deadline: when the running command completes. */
	u64 cmd_deadline;
	/** @cmd_cfg: the configuration an UPDATE latches (@regs when it was issued). */
	struct model_as_cfg cmd_cfg;
	/** @locked: accesses to [@lock_first, @lock_last] stall. */
	bool locked;
	/** @lock_first: first VA of the lock region. */
	u64 lock_first;
	/** @lock_last: last VA of the lock region (inclusive). */
	u64 lock_last;
	/** @tlb: translations cached from walks of @live. */
	struct model_tlb tlb;
};

/**
 * struct tyrc_model - one modelled GPU.
 *
 * @cfg, @ram, @iomem, @trace, @desc and @desc_words are set at creation
 * and read-only afterwards; @lock guards everything else.
 */
struct tyrc_model {
	/** @cfg: the configuration the model was built from. */
	struct tyrc_model_config cfg;
	/** @ram: the board's RAM the GPU reaches through its MMU (not owned). */
	struct tyrc_ram *ram;
	/** @iomem: the MMIO window handed to the driver. */
	struct tyrc_iomem iomem;
	/** @trace: log every MMIO access. */
	bool trace;
	/** @desc: register descriptor per 32-bit word, NULL where unmapped. */
	const struct tyrc_reg_desc **desc;
	/** @desc_words: number of entries of @desc. */
	u32 desc_words;
	/**
	 * @lock: guards @irq, @gpu, @mcu, @latest_flush_id, @pwr, @as,
	 * @timer_armed, @timer_expires and @dying.
	 */
	struct tyrc_mutex lock;
	/** @irq: the three interrupt blocks, indexed by enum tyrc_model_irq. */
	struct model_irq_block irq[TYRC_MODEL_IRQ_COUNT];
	/** @gpu: GPU_CONTROL state. */
	struct model_gpu gpu;
	/** @mcu: MCU control registers and the emulated firmware. */
	struct model_mcu mcu;
	/**
	 * @latest_flush_id: CSF_GPU_LATEST_FLUSH_ID, counts completed cache
	 * flushes (CSF_LATEST_FLUSH_ID_VALUE bits); not reset by a GPU reset.
	 */
	u32 latest_flush_id;
	/**
	 * @flush_id_page: the LATEST_FLUSH_ID register page as shared memory
	 * (first word = @latest_flush_id, stored atomically on every change);
	 * @flush_id_fd: its memfd, sealed so that no one else can map it
	 * writable. See tyrc_model_flush_id_page_fd().
	 */
	u32 *flush_id_page;
	int flush_id_fd;
	/** @pwr: power domains. */
	struct model_pwr_domain pwr[MODEL_PWR_DOMAIN_COUNT];
	/** @as: address spaces. */
	struct model_as as[MMU_AS_COUNT];
	/** @timer: the event timer, armed for the earliest pending deadline. */
	struct tyrc_timer timer;
	/** @timer_armed: @timer was started for @timer_expires and has not run yet. */
	bool timer_armed;
	/** @timer_expires: the deadline @timer was last started for. */
	u64 timer_expires;
	/** @dying: destruction started; the timer must not be re-armed. */
	bool dying;
	/** @csgs: the firmware's CSG/CS state (model_csg.c), under @lock. */
	struct model_csgs *csgs;
};

/*
 * Block handlers. @reg is the register's (LO) offset from the descriptor
 * table, @hi selects the HI word of a 64-bit register. Access rules (RO, WO,
 * unmapped) were already enforced by the MMIO layer in model.c.
 */

/* model.c */
void model_reset_state_locked(struct tyrc_model *m, u64 now);
void model_run_events_locked(struct tyrc_model *m, u64 now);
void model_timer_cancel_locked(struct tyrc_model *m);

/* model_irq.c */
int model_irq_block_init(struct model_irq_block *blk, const char *name);
void model_irq_block_fini(struct model_irq_block *blk);
void model_irq_block_reset_locked(struct tyrc_model *m, struct model_irq_block *blk,
				  bool keep_mask);
void model_irq_block_raise_locked(struct tyrc_model *m, struct model_irq_block *blk, u32 bits);
u32 model_irq_block_read_locked(struct tyrc_model *m, struct model_irq_block *blk, u32 reg);
void model_irq_block_write_locked(struct tyrc_model *m, struct model_irq_block *blk, u32 reg,
				  u32 value);

/* model_gpu.c */
void model_gpu_reset_locked(struct tyrc_model *m, u64 now);
u32 model_gpu_read_locked(struct tyrc_model *m, u32 reg, bool hi, u64 now);
void model_gpu_write_locked(struct tyrc_model *m, u32 reg, bool hi, u32 value, u64 now);
void model_gpu_run_events_locked(struct tyrc_model *m, u64 now);
u64 model_gpu_next_deadline_locked(struct tyrc_model *m);
void model_gpu_clock_set_locked(struct tyrc_model *m, bool running, u64 at);
u64 model_gpu_cycles_locked(struct tyrc_model *m, u64 now);
u64 model_gpu_timestamp(struct tyrc_model *m, u64 now);

/* model_mcu.c */
void model_mcu_reset_locked(struct tyrc_model *m);
void model_mcu_abort_locked(struct tyrc_model *m);
void model_mcu_control_write_locked(struct tyrc_model *m, u32 value, u64 now);
void model_mcu_doorbell_locked(struct tyrc_model *m, unsigned int id, u64 now);
void model_mcu_run_events_locked(struct tyrc_model *m, u64 now);
u64 model_mcu_next_deadline_locked(struct tyrc_model *m);
void model_mcu_set_status_locked(struct tyrc_model *m, u32 status);
void model_mcu_fatal_locked(struct tyrc_model *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
u32 model_mcu_rd32_locked(struct tyrc_model *m, u32 va, int *err);
void model_mcu_wr32_locked(struct tyrc_model *m, u32 va, u32 value, int *err);

/* model_csg.c */
struct model_csgs *model_csgs_alloc(void);
void model_csg_stop_locked(struct tyrc_model *m);
void model_csg_glb_doorbells_locked(struct tyrc_model *m, u32 bells, u64 now, int *err);
void model_csg_queue_doorbell_locked(struct tyrc_model *m, unsigned int id, u64 now);
void model_csg_run_events_locked(struct tyrc_model *m, u64 now);
u64 model_csg_next_deadline_locked(struct tyrc_model *m);

/* model_glb.c */
int model_glb_boot_locked(struct tyrc_model *m);
void model_glb_stop_locked(struct tyrc_model *m);
u64 model_glb_progress_timeout_ns(struct tyrc_model *m);
void model_glb_doorbell_locked(struct tyrc_model *m, u64 now);
void model_glb_run_events_locked(struct tyrc_model *m, u64 now);
u64 model_glb_next_deadline_locked(struct tyrc_model *m);

/* model_pwr.c */
void model_pwr_init(struct tyrc_model *m);
void model_pwr_reset_locked(struct tyrc_model *m);
void model_pwr_abort_locked(struct tyrc_model *m);
bool model_pwr_read_locked(struct tyrc_model *m, u32 reg, bool hi, u32 *value);
bool model_pwr_write_locked(struct tyrc_model *m, u32 reg, bool hi, u32 value, u64 now);
void model_pwr_run_events_locked(struct tyrc_model *m, u64 now);
u64 model_pwr_next_deadline_locked(struct tyrc_model *m);
bool model_pwr_busy_locked(struct tyrc_model *m);

/* model_mmu.c */
void model_mmu_reset_locked(struct tyrc_model *m);
void model_mmu_abort_locked(struct tyrc_model *m);
u32 model_mmu_read_locked(struct tyrc_model *m, u32 reg, bool hi);
void model_mmu_write_locked(struct tyrc_model *m, u32 reg, bool hi, u32 value, u64 now);
void model_mmu_run_events_locked(struct tyrc_model *m, u64 now);
u64 model_mmu_next_deadline_locked(struct tyrc_model *m);
bool model_mmu_stalls_locked(struct tyrc_model *m, unsigned int as, u64 first, u64 last);
void model_mmu_fault_locked(struct tyrc_model *m, unsigned int as, u32 exception,
			    enum model_access type, u64 va);

/* model_tlb.c */
void model_tlb_flush(struct model_tlb *tlb);
void model_tlb_flush_range(struct model_tlb *tlb, u64 first, u64 last);
const struct model_xlat *model_tlb_lookup(struct model_tlb *tlb, u64 va);
void model_tlb_fill(struct model_tlb *tlb, const struct model_xlat *xlat);

/* model_pgtable.c */
u32 model_pgtable_walk(struct tyrc_model *m, const struct model_as_cfg *cfg, u64 va,
		       struct model_xlat *out);
bool model_pgtable_uses_tlb(const struct model_as_cfg *cfg);

/* model_mem.c */
int model_mmu_translate_locked(struct tyrc_model *m, unsigned int as, u64 va,
			       enum model_access type, u64 *pa);
int model_mmu_access_locked(struct tyrc_model *m, unsigned int as, u64 va, void *buf, size_t len,
			    enum model_access type);

/* Delay before the MCU retries an access that stalled on AS 0's locked region. */
#define MODEL_MCU_RETRY_NS 1000ULL

/* Convert a duration in ns to ticks of a @hz clock, without overflow. */
static inline u64 model_ns_to_ticks(u64 ns, u64 hz)
{
	return (u64)(((unsigned __int128)ns * hz) / NSEC_PER_SEC);
}

/* Replace the LO or HI word of a 64-bit register. */
static inline void model_set_word(u64 *reg, bool hi, u32 value)
{
	if (hi)
		*reg = (*reg & 0xffffffffULL) | ((u64)value << 32);
	else
		*reg = (*reg & ~0xffffffffULL) | value;
}

static inline u32 model_get_word(u64 reg, bool hi)
{
	return hi ? (u32)(reg >> 32) : (u32)reg;
}

#endif /* MODEL_PRIV_H */
