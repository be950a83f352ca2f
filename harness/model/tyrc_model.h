/* SPDX-License-Identifier: MIT */
/*
 * DOC: GPU model
 *
 * A functional model of an RK3588 Mali-G610 MP4. It is reachable only the
 * way silicon is: a 2 MiB MMIO window (struct tyrc_iomem), three
 * level-triggered interrupt lines (gpu, job, mmu) and physical memory: the
 * board's RAM (struct tyrc_ram), which the GPU reaches through its MMU —
 * eight address spaces with AArch64 page-table walks, a TLB per address
 * space that keeps stale translations until the driver invalidates them,
 * and MMU faults.
 * Everything that takes time on hardware (soft reset, power transitions)
 * takes the configured time here, so a driver that does not wait observes
 * "not ready". The configuration is plain data, checked by
 * tyrc_model_config_is_valid() before a model is built.
 *
 * Register semantics follow mali-g610-hw.md; the modelling choices where the
 * hardware documentation is silent (reset, power dependencies, coherency,
 * counters, MMU commands, faults, TLB) are described in the DOC: blocks of
 * model_gpu.c, model_pwr.c, model_mmu.c, model_pgtable.c, model_tlb.c and
 * model_mem.c. The CSF firmware (MCU) is emulated: model_mcu.c (boot,
 * interface tables, doorbells), model_glb.c (the global interface),
 * model_csg.c (the CSG/CS interfaces: queues, events, status, progress
 * timer, tiler OOM), model_csg_suspend.c (the CSG suspend buffer) and
 * model_cs.c (the command-stream interpreter and the tiler heap model).
 */
#ifndef TYRC_MODEL_H
#define TYRC_MODEL_H

#include <tyrc/kernel.h>

/**
 * struct tyrc_model_config - identity and timing of the modelled GPU.
 *
 * The identity fields are returned verbatim by the read-only registers of
 * the same name (mali-g610-hw.md §2, §4).
 */
struct tyrc_model_config {
	/** @gpu_id: GPU_ID; must be non-zero with arch_major >= 10 (CSF). */
	u32 gpu_id;
	/** @gpu_rev: GPU_REVID. */
	u32 gpu_rev;
	/** @csf_id: GPU_CSF_ID; must be non-zero. */
	u32 csf_id;
	/** @l2_features: GPU_L2_FEATURES. */
	u32 l2_features;
	/** @core_features: GPU_CORE_FEATURES. */
	u32 core_features;
	/** @tiler_features: GPU_TILER_FEATURES. */
	u32 tiler_features;
	/** @mem_features: GPU_MEM_FEATURES. */
	u32 mem_features;
	/** @mmu_features: GPU_MMU_FEATURES; VA bits 32..64, PA bits 32..52. */
	u32 mmu_features;
	/** @as_present: GPU_AS_PRESENT; non-zero, only bits below MMU_AS_COUNT. */
	u32 as_present;
	/** @thread_features: GPU_THREAD_FEATURES. */
	u32 thread_features;
	/** @thread_max_threads: GPU_THREAD_MAX_THREADS. */
	u32 thread_max_threads;
	/** @thread_max_workgroup_size: GPU_THREAD_MAX_WORKGROUP_SIZE. */
	u32 thread_max_workgroup_size;
	/** @thread_max_barrier_size: GPU_THREAD_MAX_BARRIER_SIZE. */
	u32 thread_max_barrier_size;
	/** @texture_features: GPU_TEXTURE_FEATURES0..3. */
	u32 texture_features[4];
	/**
	 * @coherency_features: GPU_COHERENCY_FEATURES, bit n = protocol n
	 * (GPU_COHERENCY_ACE_LITE, GPU_COHERENCY_ACE) supported. Only bits
	 * below GPU_COHERENCY_NONE are allowed.
	 */
	u32 coherency_features;
	/** @gpu_features: GPU_FEATURES (64-bit). */
	u64 gpu_features;
	/** @shader_present: GPU_SHADER_PRESENT; must be non-zero. */
	u64 shader_present;
	/** @tiler_present: GPU_TILER_PRESENT; must be non-zero. */
	u64 tiler_present;
	/** @l2_present: GPU_L2_PRESENT; must be non-zero. */
	u64 l2_present;
	/** @timestamp_frequency_hz: rate of GPU_TIMESTAMP (arch timer); non-zero. */
	u64 timestamp_frequency_hz;
	/** @gpu_frequency_hz: rate of GPU_CYCLE_COUNT; non-zero. */
	u64 gpu_frequency_hz;
	/*
	 * Latencies in ns; 0 = instant (completes inside the register write
	 * that started it). Each must be at most TYRC_MODEL_MAX_LATENCY_NS.
	 */
	/** @soft_reset_ns: GPU_CMD soft reset to RESET_COMPLETED. */
	u64 soft_reset_ns;
	/** @hard_reset_ns: GPU_CMD hard reset to RESET_COMPLETED. */
	u64 hard_reset_ns;
	/** @l2_power_ns: one L2 power-on or power-off transition. */
	u64 l2_power_ns;
	/** @core_power_ns: one shader or tiler power-on or power-off transition. */
	u64 core_power_ns;
	/** @cache_flush_ns: GPU_CMD FLUSH_CACHES to CLEAN_CACHES_COMPLETED. */
	u64 cache_flush_ns;
	/** @as_command_ns: one AS_COMMAND (UPDATE, LOCK, ...), AS_ACTIVE meanwhile. */
	u64 as_command_ns;
	/**
	 * @mcu_boot_ns: MCU_CONTROL = ENABLE/AUTO to the end of the firmware's
	 * boot (MCU_STATUS ENABLED and JOB_INT GLOBAL_IF, or FATAL).
	 */
	u64 mcu_boot_ns;
	/**
	 * @mcu_response_ns: a doorbell ring to the firmware's answer (GLB
	 * requests acknowledged, their interrupt raised).
	 */
	u64 mcu_response_ns;
	/**
	 * @sync_wait_poll_ns: how often the firmware re-reads the sync object
	 * of a CS blocked in SYNC_WAIT. A CPU store to a mapped buffer is
	 * invisible to the GPU (no doorbell, no event), so without polling a
	 * wait satisfied that way would never end; only blocked CSs poll, so
	 * an idle model does not wake for it. 0 disables polling: a blocked
	 * CS then re-evaluates only on a queue doorbell or a SYNC_UPDATE.
	 */
	u64 sync_wait_poll_ns;
	/**
	 * @trace_mmio: log every MMIO access, with register names, at debug
	 * level. Also enabled by a non-empty, non-"0" TYRC_MODEL_TRACE
	 * environment variable at tyrc_model_create() time.
	 */
	bool trace_mmio;
};

/* Upper bound of every configured latency (keeps deadlines far from overflow). */
#define TYRC_MODEL_MAX_LATENCY_NS (10ULL * NSEC_PER_SEC)

/**
 * tyrc_model_config_init_g610() - fill @cfg with the RK3588 Mali-G610 MP4 values.
 * @cfg: configuration to overwrite entirely.
 *
 * Identity from mali-g610-hw.md §4; timings are small realistic values
 * (reset 100 µs, L2 power 20 µs, core power 10 µs, cache flush 5 µs,
 * AS command 2 µs, MCU boot 200 µs, MCU response 20 µs, SYNC_WAIT poll
 * 100 µs, 24 MHz timestamp, 1 GHz GPU clock). Tracing is off.
 */
void tyrc_model_config_init_g610(struct tyrc_model_config *cfg);

/**
 * tyrc_model_config_is_valid() - check that a model can be built from @cfg.
 * @cfg: configuration to check (may be NULL).
 *
 * The reason for a rejection is logged at debug level.
 * Return: true if tyrc_model_create() would accept @cfg.
 */
bool tyrc_model_config_is_valid(const struct tyrc_model_config *cfg);

/** enum tyrc_model_irq - the three interrupt lines, in panthor's DT order. */
enum tyrc_model_irq {
	TYRC_MODEL_IRQ_JOB = 0,
	TYRC_MODEL_IRQ_MMU,
	TYRC_MODEL_IRQ_GPU,
	TYRC_MODEL_IRQ_COUNT,
};

struct tyrc_model;

/**
 * tyrc_model_create() - power-on a model (registers at reset values).
 * @cfg: configuration, copied; checked with tyrc_model_config_is_valid().
 * @ram: the board's RAM, which the GPU accesses by physical address; it
 *	belongs to the board (not owned by the model) and must outlive it.
 * @out: receives the model.
 *
 * Context: process; starts no thread of its own (timed events run on the
 * kernel timer thread).
 * Return: 0, -EINVAL for an invalid @cfg or a NULL @ram, -ENOMEM.
 */
int tyrc_model_create(const struct tyrc_model_config *cfg, struct tyrc_ram *ram,
		      struct tyrc_model **out);

/**
 * tyrc_model_destroy() - stop all model activity and free it.
 * @model: model to destroy (NULL is ignored).
 *
 * Cancels pending timed events and waits for a running one. No driver may
 * still use the MMIO window, and every handler attached to the interrupt
 * lines must have been freed with tyrc_free_irq().
 */
void tyrc_model_destroy(struct tyrc_model *model);

/**
 * tyrc_model_iomem() - the MMIO window.
 * @model: the model.
 *
 * Accessors may be called from any thread, concurrently.
 * Return: the window, valid until tyrc_model_destroy().
 */
struct tyrc_iomem *tyrc_model_iomem(struct tyrc_model *model);

/**
 * tyrc_model_irq_line() - one of the three interrupt lines.
 * @model: the model.
 * @which: which line.
 * Return: the line (owned by the model), or NULL for an invalid @which.
 */
struct tyrc_irq_line *tyrc_model_irq_line(struct tyrc_model *model, enum tyrc_model_irq which);

/**
 * tyrc_model_irq_asserted() - the level the model currently drives on a line.
 * @model: the model.
 * @which: which line.
 *
 * Test and debug hook: true while the block's RAWSTAT & MASK is non-zero.
 * Return: the level (false for an invalid @which).
 */
bool tyrc_model_irq_asserted(struct tyrc_model *model, enum tyrc_model_irq which);

/**
 * tyrc_model_flush_id_page_fd() - the LATEST_FLUSH_ID register page
 * (GPU register offset CSF_GPU_LATEST_FLUSH_ID, one page) as memory, for
 * user mappings of it: a memfd whose offset 0 holds the register, kept up
 * to date by the model. It is sealed against writable mappings and
 * resizing. The model owns the descriptor (valid until tyrc_model_destroy()).
 * Return: the descriptor.
 */
int tyrc_model_flush_id_page_fd(struct tyrc_model *model);

/**
 * tyrc_model_gpu_read() - the GPU reads memory: @len bytes at @va in address
 * space @as into @buf.
 * @model: the model.
 * @as: address space (must be in AS_PRESENT).
 * @va: GPU virtual address.
 * @buf: destination.
 * @len: number of bytes (0 does nothing).
 *
 * Test and debug hook: plays "the GPU accessed this address" the way the
 * command-stream interpreter and the MCU do, through the AS's live
 * configuration, its TLB and a table walk on a miss. The driver never calls
 * it (it reaches the GPU only through MMIO and IRQ lines). Timed events due
 * (e.g. an AS command whose latency passed) complete first.
 *
 * Context: any thread; takes the model lock.
 * Return: 0; -EFAULT after an MMU fault, which is recorded as the GPU would
 * (AS_FAULTSTATUS/AS_FAULTADDRESS, MMU_INT bit @as; bytes of pages before
 * the faulting one were transferred); -EAGAIN if the range touches the AS's
 * locked region (a GPU would stall: nothing transferred, no fault);
 * -EINVAL for an AS outside AS_PRESENT or a range wrapping past 2^64.
 */
int tyrc_model_gpu_read(struct tyrc_model *model, unsigned int as, u64 va, void *buf, size_t len);

/**
 * tyrc_model_gpu_write() - the GPU writes @len bytes from @buf at @va in @as.
 * @model: the model.
 * @as: address space.
 * @va: GPU virtual address.
 * @buf: source.
 * @len: number of bytes.
 *
 * Test and debug hook, as tyrc_model_gpu_read(); a write through a
 * read-only mapping is a permission fault.
 * Return: as tyrc_model_gpu_read().
 */
int tyrc_model_gpu_write(struct tyrc_model *model, unsigned int as, u64 va, const void *buf,
			 size_t len);

/**
 * tyrc_model_gpu_exec_read() - the GPU fetches instructions: a read of @len
 * bytes at @va in @as that faults on non-executable mappings.
 * @model: the model.
 * @as: address space.
 * @va: GPU virtual address.
 * @buf: destination.
 * @len: number of bytes.
 *
 * Test and debug hook, as tyrc_model_gpu_read().
 * Return: as tyrc_model_gpu_read().
 */
int tyrc_model_gpu_exec_read(struct tyrc_model *model, unsigned int as, u64 va, void *buf,
			     size_t len);

/**
 * tyrc_model_mcu_set_unresponsive() - make the emulated firmware hang, or
 * recover.
 * @model: the model.
 * @unresponsive: true: the firmware stops answering; false: it answers again.
 *
 * Test hook (the driver never calls it), for watchdog and scheduler timeout
 * tests: while set, the MCU ignores every doorbell ring, GLB and queue (a
 * response already scheduled is dropped), runs no command stream and raises
 * no GLB, CSG or CS event, so requests such as PING, CSG STATE changes or
 * STATUS_UPDATE are never acknowledged and queued work does not progress.
 * MCU_CONTROL, boot and MCU_STATUS keep working. Clearing it does not replay
 * the rings it missed: the firmware serves the GLB input (and through it
 * the CSG requests) again at the next doorbell 0 ring; CSs that were
 * started resume their pending work then too. A GPU reset ends the hang
 * (the MCU comes back from reset working).
 *
 * Context: any thread; takes the model lock.
 */
void tyrc_model_mcu_set_unresponsive(struct tyrc_model *model, bool unresponsive);

#endif /* TYRC_MODEL_H */
