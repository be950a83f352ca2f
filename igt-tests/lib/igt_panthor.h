/* SPDX-License-Identifier: MIT */
/*
 * igt_panthor.h - panthor helpers with upstream IGT's names and signatures
 * (lib/igt_panthor.h): device query, VMs, BOs, groups and submission, core
 * masks, and the CS instruction encoders tests use to hand-write streams.
 *
 * Every ioctl helper takes the errno it expects, 0 for success, and
 * asserts on a mismatch (do_ioctl() / do_ioctl_err()).
 *
 * Additions that upstream does not have (yet) are marked "tyrc:" below:
 * a multi-queue group constructor, an asynchronous single-op VM_BIND,
 * GROUP_GET_STATE, and the encoders for ADD_IMMEDIATE, LOAD_MULTIPLE,
 * BRANCH, CALL, JUMP, the SYNC_* family, ERROR_BARRIER and an undefined
 * opcode.
 *
 * The cs_* encoders are thin wrappers over tyrc_cs_isa.h, the one
 * definition of the instruction set: an argument that does not fit its
 * field (a register past r95, an odd register pair, a wait mask past the 8
 * v10 scoreboards) yields TYRC_CS_BAD_WORD, an invalid instruction, rather
 * than a silently truncated one.
 */
#ifndef IGT_PANTHOR_H
#define IGT_PANTHOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "panthor_drm.h"
#include "tyrc_cs_isa.h"

/**
 * struct panthor_bo - a BO as the helpers track it (upstream layout).
 * @handle: GEM handle.
 * @offset: mmap offset, 0 until looked up.
 * @size: size in bytes, as rounded up by the kernel.
 * @map: CPU mapping, NULL if not mapped.
 */
struct panthor_bo {
	int handle;
	uint64_t offset;
	uint64_t size;
	void *map;
};

/**
 * igt_panthor_skip_on_big_endian() - skip on big-endian CPUs (panthor's
 * userspace does not support them).
 */
void igt_panthor_skip_on_big_endian(void);

/**
 * igt_panthor_query() - DRM_IOCTL_PANTHOR_DEV_QUERY of @type into @data.
 * @err: expected errno, 0 for success; asserts on a mismatch.
 */
void igt_panthor_query(int fd, int32_t type, void *data, size_t size, int err);

/**
 * igt_panthor_vm_create_userva_range() - VM_CREATE with the default user VA
 * range; stores the id in @vm_id and, if @uva_range is not NULL, the start
 * of the kernel VA range the kernel wrote back.
 */
void igt_panthor_vm_create_userva_range(int fd, uint32_t *vm_id, int err, uint64_t *uva_range);

/** igt_panthor_vm_destroy() - VM_DESTROY of @vm_id. */
void igt_panthor_vm_destroy(int fd, uint32_t vm_id, int err);

/**
 * igt_panthor_vm_bind_offset() - synchronous VM_BIND of one op: @flags
 * (type and MAP flags) for [@va, @va + @size) from @offset in @bo_handle.
 */
void igt_panthor_vm_bind_offset(int fd, uint32_t vm_id, uint32_t bo_handle, uint64_t va,
				uint64_t size, uint64_t offset, uint32_t flags, int err);

/**
 * igt_panthor_vm_bind_async() - tyrc: asynchronous (DRM_PANTHOR_VM_BIND_ASYNC)
 * VM_BIND of one op that waits on / signals the @sync_count sync ops @syncs.
 */
void igt_panthor_vm_bind_async(int fd, uint32_t vm_id, uint32_t bo_handle, uint64_t va,
			       uint64_t size, uint32_t flags, struct drm_panthor_sync_op *syncs,
			       uint32_t sync_count, int err);

/** igt_panthor_bo_create() - BO_CREATE of @size bytes into @bo (not mapped). */
void igt_panthor_bo_create(int fd, struct panthor_bo *bo, uint64_t size, uint32_t flags, int err);

/** igt_panthor_bo_mmap_offset() - BO_MMAP_OFFSET. Return: the fake offset. */
uint64_t igt_panthor_bo_mmap_offset(int fd, uint32_t handle, int err);

/** igt_panthor_free_bo() - munmap @bo if mapped, then GEM_CLOSE it. */
void igt_panthor_free_bo(int fd, struct panthor_bo *bo);

/** igt_panthor_bo_create_mapped() - create @bo and map it read/write, shared. */
void igt_panthor_bo_create_mapped(int fd, struct panthor_bo *bo, uint64_t size, uint32_t flags,
				  int err);

/**
 * igt_panthor_mmap_bo() - shared mapping of @size bytes at mmap @offset.
 * Return: the mapping, or NULL if mmap failed.
 */
void *igt_panthor_mmap_bo(int fd, uint32_t handle, uint64_t size, unsigned int prot,
			  uint64_t offset);

/** igt_panthor_group_create() - GROUP_CREATE with the caller's request. */
void igt_panthor_group_create(int fd, struct drm_panthor_group_create *group_create, int err);

/** igt_panthor_group_destroy() - GROUP_DESTROY of @group_handle. */
void igt_panthor_group_destroy(int fd, uint32_t group_handle, int err);

/** igt_panthor_group_submit() - GROUP_SUBMIT with the caller's request. */
void igt_panthor_group_submit(int fd, struct drm_panthor_group_submit *group_submit, int err);

/**
 * igt_panthor_group_create_simple() - a MEDIUM group on @vm_id with one 4 KiB
 * queue and the first shader and tiler core. Return: the group handle.
 */
uint32_t igt_panthor_group_create_simple(int fd, uint32_t vm_id, int err);

/**
 * igt_panthor_group_create_queues() - tyrc: as igt_panthor_group_create_simple()
 * with @queue_count queues of @ringbuf_size bytes each, queue priority 0.
 * Return: the group handle.
 */
uint32_t igt_panthor_group_create_queues(int fd, uint32_t vm_id, uint32_t queue_count,
					 uint32_t ringbuf_size, int err);

/**
 * igt_panthor_group_submit_simple() - one job on @queue_index of
 * @group_handle running @stream_size bytes at @stream_addr, signalling the
 * binary syncobj @syncobj_handle.
 */
void igt_panthor_group_submit_simple(int fd, uint32_t group_handle, uint32_t queue_index,
				     uint64_t stream_addr, uint32_t stream_size,
				     uint32_t syncobj_handle, int err);

/**
 * igt_panthor_group_get_state() - tyrc: GROUP_GET_STATE of @group_handle into
 * @state (state flags and fatal_queues).
 */
void igt_panthor_group_get_state(int fd, uint32_t group_handle,
				 struct drm_panthor_group_get_state *state, int err);

/**
 * igt_panthor_group_create_priority() - tyrc: as igt_panthor_group_create_queues()
 * with group priority @priority (PANTHOR_GROUP_PRIORITY_*).
 * Return: the group handle.
 */
uint32_t igt_panthor_group_create_priority(int fd, uint32_t vm_id, uint8_t priority,
					   uint32_t queue_count, uint32_t ringbuf_size, int err);

/**
 * igt_panthor_group_priority_allowed() - tyrc: whether this file may create
 * groups of @priority (DEV_QUERY GROUP_PRIORITIES_INFO allowed_mask).
 */
bool igt_panthor_group_priority_allowed(int fd, uint8_t priority);

/**
 * igt_panthor_vm_get_state() - tyrc: VM_GET_STATE of @vm_id.
 * Return: DRM_PANTHOR_VM_STATE_* (undefined when @err is not 0).
 */
uint32_t igt_panthor_vm_get_state(int fd, uint32_t vm_id, int err);

/**
 * igt_panthor_tiler_heap_create() - tyrc: TILER_HEAP_CREATE with the caller's
 * request; the handle and GPU addresses are written back into @heap.
 */
void igt_panthor_tiler_heap_create(int fd, struct drm_panthor_tiler_heap_create *heap, int err);

/** igt_panthor_tiler_heap_destroy() - tyrc: TILER_HEAP_DESTROY of @handle. */
void igt_panthor_tiler_heap_destroy(int fd, uint32_t handle, int err);

/**
 * igt_panthor_syncobj_fence_status() - tyrc: the status of the fence binary
 * syncobj @handle holds, read through an exported sync_file
 * (SYNC_IOC_FILE_INFO). Return: 1 signalled, 0 pending, a negative errno
 * when signalled with that error.
 */
int igt_panthor_syncobj_fence_status(int fd, uint32_t handle);

/**
 * igt_panthor_gpu_cycle_count() - tyrc: GPU_CYCLE_COUNT through DEV_QUERY
 * TIMESTAMP_INFO (1.8 flags). The GPU clock is gated with the L2 power
 * domain, so the count stands still while the GPU is powered down.
 */
uint64_t igt_panthor_gpu_cycle_count(int fd);

/*
 * tyrc: the device host's configuration. The host reads these variables
 * from its environment when it starts (`tyrc run` starts it with the
 * caller's), so a test run under the same environment knows what the
 * host was given; unset or invalid values mean the host's defaults.
 */
/** igt_panthor_host_job_timeout_ms() - $TYRC_JOB_TIMEOUT_MS, default 5000 (panthor's). */
uint32_t igt_panthor_host_job_timeout_ms(void);
/** igt_panthor_host_autosuspend_ms() - $TYRC_AUTOSUSPEND_MS, default 50; 0 = never. */
uint32_t igt_panthor_host_autosuspend_ms(void);
/** igt_panthor_host_allow_high_priority() - $TYRC_ALLOW_HIGH_PRIORITY is non-zero. */
bool igt_panthor_host_allow_high_priority(void);

/**
 * igt_panthor_get_first_core() - mask with only the lowest bit of
 * @cores_present set. Return: that mask, 0 if @cores_present is 0.
 */
uint64_t igt_panthor_get_first_core(uint64_t cores_present);

static inline void igt_panthor_vm_create(int fd, uint32_t *vm_id, int err)
{
	igt_panthor_vm_create_userva_range(fd, vm_id, err, NULL);
}

static inline void igt_panthor_vm_bind(int fd, uint32_t vm_id, uint32_t bo_handle, uint64_t va,
				       uint64_t size, uint32_t flags, int err)
{
	igt_panthor_vm_bind_offset(fd, vm_id, bo_handle, va, size, 0, flags, err);
}

enum cs_opcode {
	CS_OPCODE_NOP = TYRC_CS_OP_NOP,
	CS_OPCODE_MOVE48 = TYRC_CS_OP_MOVE48,
	CS_OPCODE_MOVE32 = TYRC_CS_OP_MOVE32,
	CS_OPCODE_WAIT = TYRC_CS_OP_WAIT,
	CS_OPCODE_ADD_IMM32 = TYRC_CS_OP_ADD_IMMEDIATE32,
	CS_OPCODE_ADD_IMM64 = TYRC_CS_OP_ADD_IMMEDIATE64,
	CS_OPCODE_LDM = TYRC_CS_OP_LOAD_MULTIPLE,
	CS_OPCODE_STM = TYRC_CS_OP_STORE_MULTIPLE,
	CS_OPCODE_BRANCH = TYRC_CS_OP_BRANCH,
	CS_OPCODE_CALL = TYRC_CS_OP_CALL,
	CS_OPCODE_JUMP = TYRC_CS_OP_JUMP,
	CS_OPCODE_FLUSH_CACHE = TYRC_CS_OP_FLUSH_CACHE2,
	CS_OPCODE_SYNC_ADD32 = TYRC_CS_OP_SYNC_ADD32,
	CS_OPCODE_SYNC_SET32 = TYRC_CS_OP_SYNC_SET32,
	CS_OPCODE_SYNC_WAIT32 = TYRC_CS_OP_SYNC_WAIT32,
	CS_OPCODE_ERROR_BARRIER = TYRC_CS_OP_ERROR_BARRIER,
	CS_OPCODE_SYNC_ADD64 = TYRC_CS_OP_SYNC_ADD64,
	CS_OPCODE_SYNC_SET64 = TYRC_CS_OP_SYNC_SET64,
	CS_OPCODE_SYNC_WAIT64 = TYRC_CS_OP_SYNC_WAIT64,
	/* Not an instruction on any arch: executing it is a CS fatal error. */
	CS_OPCODE_INVALID = 0xff,
};

enum cs_flush_mode {
	CS_FLUSH_MODE_NONE = TYRC_CS_FLUSH_NONE,
	CS_FLUSH_MODE_CLEAN = TYRC_CS_FLUSH_CLEAN,
	CS_FLUSH_MODE_INVALIDATE = TYRC_CS_FLUSH_INVALIDATE,
	CS_FLUSH_MODE_CLEAN_AND_INVALIDATE = TYRC_CS_FLUSH_CLEAN_INVALIDATE,
};

/* tyrc: BRANCH conditions, comparing the signed 32-bit register with 0. */
enum cs_branch_cond {
	CS_BRANCH_COND_LEQUAL = TYRC_CS_BRANCH_LEQUAL,
	CS_BRANCH_COND_GREATER = TYRC_CS_BRANCH_GREATER,
	CS_BRANCH_COND_EQUAL = TYRC_CS_BRANCH_EQUAL,
	CS_BRANCH_COND_NEQUAL = TYRC_CS_BRANCH_NEQUAL,
	CS_BRANCH_COND_LESS = TYRC_CS_BRANCH_LESS,
	CS_BRANCH_COND_GEQUAL = TYRC_CS_BRANCH_GEQUAL,
	CS_BRANCH_COND_ALWAYS = TYRC_CS_BRANCH_ALWAYS,
};

/* tyrc: SYNC_WAIT conditions (unsigned): LE waits for *addr <= data, GT for *addr > data. */
enum cs_sync_cond {
	CS_SYNC_COND_LE = TYRC_CS_SYNC_WAIT_LE,
	CS_SYNC_COND_GT = TYRC_CS_SYNC_WAIT_GT,
};

/* tyrc: SYNC_ADD/SET scope; SYSTEM is visible to the host and raises SYNC_UPDATE. */
enum cs_sync_scope {
	CS_SYNC_SCOPE_SYSTEM = TYRC_CS_SYNC_SCOPE_SYSTEM,
	CS_SYNC_SCOPE_CSG = TYRC_CS_SYNC_SCOPE_CSG,
};

static inline uint64_t cs_nop(void)
{
	return tyrc_cs_nop();
}

/* MOVE48: d[@dst] := zero-extended low 48 bits of @imm (as upstream). */
static inline uint64_t cs_mov48(uint8_t dst, uint64_t imm)
{
	return tyrc_cs_move48(dst, imm & 0xFFFFFFFFFFFFull);
}

static inline uint64_t cs_mov32(uint8_t dst, uint32_t imm)
{
	return tyrc_cs_move32(dst, imm);
}

static inline uint64_t cs_wait(uint16_t wait_mask, bool progress_inc)
{
	return tyrc_cs_wait(wait_mask, progress_inc);
}

/* STORE_MULTIPLE of r[@src + i] for each bit i of @mask to d[@address]. */
static inline uint64_t cs_stm(uint8_t address, uint8_t src, uint16_t mask, int16_t offset)
{
	return tyrc_cs_store_multiple(src, address, mask, offset);
}

static inline uint64_t cs_stm32(uint8_t address, uint8_t src, int16_t offset)
{
	return cs_stm(address, src, 0x1, offset);
}

static inline uint64_t cs_stm64(uint8_t address, uint8_t src, int16_t offset)
{
	return cs_stm(address, src, 0x3, offset);
}

static inline uint64_t cs_flush(enum cs_flush_mode l2_mode, enum cs_flush_mode lsc_mode,
				enum cs_flush_mode other_mode, uint16_t wait_mask, uint8_t flush_id,
				uint8_t signal_slot)
{
	return tyrc_cs_flush_cache2(
		(enum tyrc_cs_flush_mode)l2_mode, (enum tyrc_cs_flush_mode)lsc_mode,
		(enum tyrc_cs_flush_mode)other_mode, wait_mask, flush_id, signal_slot);
}

/*
 * tyrc: LOAD_MULTIPLE of r[@dst + i] for each bit i of @mask from d[@address]
 * + @offset; asynchronous on the "other" scoreboard slot (0 by default), so
 * WAIT on it before using the registers.
 */
static inline uint64_t cs_ldm(uint8_t address, uint8_t dst, uint16_t mask, int16_t offset)
{
	return tyrc_cs_load_multiple(dst, address, mask, offset);
}

static inline uint64_t cs_ldm32(uint8_t address, uint8_t dst, int16_t offset)
{
	return cs_ldm(address, dst, 0x1, offset);
}

/* tyrc: ADD_IMMEDIATE32: r[@dst] := r[@src] + @imm. */
static inline uint64_t cs_add32(uint8_t dst, uint8_t src, int32_t imm)
{
	return tyrc_cs_add_imm32(dst, src, imm);
}

/* tyrc: ADD_IMMEDIATE64: d[@dst] := d[@src] + sign-extended @imm. */
static inline uint64_t cs_add64(uint8_t dst, uint8_t src, int32_t imm)
{
	return tyrc_cs_add_imm64(dst, src, imm);
}

/*
 * tyrc: BRANCH: if r[@value] @cond 0, continue @offset instructions after the
 * next one (negative offsets branch backwards).
 */
static inline uint64_t cs_branch(int16_t offset, enum cs_branch_cond cond, uint8_t value)
{
	return tyrc_cs_branch((enum tyrc_cs_branch_cond)cond, value, offset);
}

/* tyrc: CALL the r[@length] bytes at d[@address]; execution returns after it. */
static inline uint64_t cs_call(uint8_t address, uint8_t length)
{
	return tyrc_cs_call(address, length);
}

/* tyrc: JUMP: the current buffer continues as the r[@length] bytes at d[@address]. */
static inline uint64_t cs_jump(uint8_t address, uint8_t length)
{
	return tyrc_cs_jump(address, length);
}

/*
 * tyrc: SYNC_{ADD,SET}{32,64} of r[@data] / d[@data] to the sync object at
 * d[@address] ({u32 value; u32 status} or {u64 value; u32 status; u32 pad});
 * @propagate_error copies the CS error state into its status word. With a
 * non-zero @wait_mask the update is deferred, tracked by @signal_slot.
 */
static inline uint64_t cs_sync_add32(enum cs_sync_scope scope, bool propagate_error,
				     uint8_t address, uint8_t data, uint16_t wait_mask,
				     uint8_t signal_slot)
{
	return tyrc_cs_sync_add32((enum tyrc_cs_sync_scope)scope, propagate_error, address, data,
				  wait_mask, signal_slot);
}

static inline uint64_t cs_sync_set32(enum cs_sync_scope scope, bool propagate_error,
				     uint8_t address, uint8_t data, uint16_t wait_mask,
				     uint8_t signal_slot)
{
	return tyrc_cs_pack_sync_set32(&(struct tyrc_cs_sync_set32){
		.scope = (enum tyrc_cs_sync_scope)scope,
		.error_propagate = propagate_error,
		.address = address,
		.data = data,
		.wait_mask = wait_mask,
		.signal_slot = signal_slot,
	});
}

static inline uint64_t cs_sync_add64(enum cs_sync_scope scope, bool propagate_error,
				     uint8_t address, uint8_t data, uint16_t wait_mask,
				     uint8_t signal_slot)
{
	return tyrc_cs_sync_add64((enum tyrc_cs_sync_scope)scope, propagate_error, address, data,
				  wait_mask, signal_slot);
}

static inline uint64_t cs_sync_set64(enum cs_sync_scope scope, bool propagate_error,
				     uint8_t address, uint8_t data, uint16_t wait_mask,
				     uint8_t signal_slot)
{
	return tyrc_cs_pack_sync_set64(&(struct tyrc_cs_sync_set64){
		.scope = (enum tyrc_cs_sync_scope)scope,
		.error_propagate = propagate_error,
		.address = address,
		.data = data,
		.wait_mask = wait_mask,
		.signal_slot = signal_slot,
	});
}

/*
 * tyrc: SYNC_WAIT{32,64}: block until the value at d[@address] @cond
 * r[@data] / d[@data] holds (unsigned). @reject_error: an error status on
 * the sync object is rejected rather than inherited.
 */
static inline uint64_t cs_sync_wait32(enum cs_sync_cond cond, bool reject_error, uint8_t address,
				      uint8_t data)
{
	return tyrc_cs_sync_wait32((enum tyrc_cs_sync_cond)cond, reject_error, address, data);
}

static inline uint64_t cs_sync_wait64(enum cs_sync_cond cond, bool reject_error, uint8_t address,
				      uint8_t data)
{
	return tyrc_cs_pack_sync_wait64(&(struct tyrc_cs_sync_wait64){
		.condition = (enum tyrc_cs_sync_cond)cond,
		.error_reject = reject_error,
		.address = address,
		.data = data,
	});
}

/* tyrc: ERROR_BARRIER: clears the CS error state. */
static inline uint64_t cs_error_barrier(void)
{
	return tyrc_cs_error_barrier();
}

/*
 * tyrc: SET_SB_ENTRY: RUN_* instructions are tracked by scoreboard slot
 * @endpoint, LOAD/STORE_MULTIPLE by @other.
 */
static inline uint64_t cs_set_sb_entry(uint8_t endpoint, uint8_t other)
{
	return tyrc_cs_pack_set_sb_entry(&(struct tyrc_cs_set_sb_entry){
		.endpoint_entry = endpoint,
		.other_entry = other,
	});
}

/*
 * tyrc: RUN_COMPUTE of the r37 x r38 x r39 workgroups the staging
 * registers describe (asynchronous, on the SET_SB_ENTRY endpoint slot).
 */
static inline uint64_t cs_run_compute(uint16_t task_increment, uint8_t task_axis)
{
	return tyrc_cs_pack_run_compute(&(struct tyrc_cs_run_compute){
		.task_increment = task_increment,
		.task_axis = task_axis,
	});
}

/* tyrc: RUN_IDVS of r33 indices x r34 instances (asynchronous, endpoint slot). */
static inline uint64_t cs_run_idvs(uint32_t flags_override, bool malloc_enable)
{
	return tyrc_cs_pack_run_idvs(&(struct tyrc_cs_run_idvs){
		.flags_override = flags_override,
		.malloc_enable = malloc_enable,
	});
}

/* tyrc: RUN_TILING (asynchronous, endpoint slot). */
static inline uint64_t cs_run_tiling(uint32_t flags_override)
{
	return tyrc_cs_pack_run_tiling(&(struct tyrc_cs_run_tiling){
		.flags_override = flags_override,
	});
}

/* tyrc: FINISH_TILING. */
static inline uint64_t cs_finish_tiling(void)
{
	return tyrc_cs_pack_finish_tiling(&(struct tyrc_cs_finish_tiling){});
}

/* tyrc: HEAP_SET: the tiler heap context is at d[@address]. */
static inline uint64_t cs_heap_set(uint8_t address)
{
	return tyrc_cs_pack_heap_set(&(struct tyrc_cs_heap_set){ .address = address });
}

/*
 * tyrc: HEAP_OPERATION @operation (TYRC_CS_HEAP_VT_START, _VT_END,
 * _FRAG_END) once the slots of @wait_mask drained.
 */
static inline uint64_t cs_heap_operation(uint8_t operation, uint16_t wait_mask)
{
	return tyrc_cs_pack_heap_operation(&(struct tyrc_cs_heap_operation){
		.operation = operation,
		.wait_mask = wait_mask,
	});
}

/*
 * tyrc: FINISH_FRAGMENT once the slots of @wait_mask drained: the render
 * pass's fragments are done (its tiler heap chunks may be reused);
 * @increment_completed bumps the fragment-completed heap counter.
 */
static inline uint64_t cs_finish_fragment(bool increment_completed, uint16_t wait_mask,
					  uint8_t last_chunk, uint8_t first_chunk)
{
	return tyrc_cs_pack_finish_fragment(&(struct tyrc_cs_finish_fragment){
		.increment_fragment_completed = increment_completed,
		.wait_mask = wait_mask,
		.last_heap_chunk = last_chunk,
		.first_heap_chunk = first_chunk,
	});
}

/*
 * tyrc: SET_EXCEPTION_HANDLER: the r[@length] bytes at d[@address] run
 * when the tiler heap cannot grow (exception type 2, the only one).
 */
static inline uint64_t cs_set_tiler_oom_handler(uint8_t address, uint8_t length)
{
	return tyrc_cs_pack_set_exception_handler(&(struct tyrc_cs_set_exception_handler){
		.exception_type = 2,
		.length = length,
		.address = address,
	});
}

/* tyrc: a word with an undefined opcode (0xff) and no operands. */
static inline uint64_t cs_invalid(void)
{
	return (uint64_t)CS_OPCODE_INVALID << 56;
}

#endif /* IGT_PANTHOR_H */
