/* SPDX-License-Identifier: MIT */
/*
 * DOC: vm layer
 *
 * A struct tyrc_vm is one GPU address space as userspace sees it
 * (panthor_vm): the mappings of buffer objects (tyrc_gpuvm.h, drm_gpuvm
 * split/merge rules) mirrored into the page tables of an mmu-layer VM
 * (tyrc_mmu.h). Every update computes its step list first, then changes
 * the page tables (unmapping the parts that go away, mapping the new
 * range in physically contiguous runs so 2 MiB blocks are used where VA,
 * PA and size allow), then commits the list. A page-table failure undoes
 * the page-table steps already done and leaves the mappings unchanged; if
 * even that fails the VM is marked unusable (VM_GET_STATE).
 *
 * The top of the VA space, [kernel_va_start, full VA), is reserved for the
 * driver's own objects: user binds must stay below it; tyrc_vm_map() and
 * tyrc_vm_unmap() (driver-internal) may use any address.
 *
 * Objects: a mapping holds a reference on the object it maps, taken and
 * dropped through the VM's struct tyrc_vm_bo_ops (GEM objects for VMs made
 * by VM_CREATE). A remap splits one mapping into two, each holding its own
 * reference.
 *
 * Per-file pool: ids 1..TYRC_MAX_VMS_PER_FILE (panthor_vm_pool); the pool
 * holds one reference per VM, lookups return a new one.
 *
 * Asynchronous VM_BIND: each VM owns a bind queue (tyrc_vm_bind.h),
 * cancelled when the VM is destroyed. Tiler heaps: each VM owns at most one
 * heap pool (tyrc_heap.h), destroyed with the VM.
 *
 * Locking: @op_lock serialises a VM's updates and guards its mapping tree,
 * @unusable, @destroyed and the heap pool pointer. Lock order: vm op_lock →
 * mmu-layer locks (taken inside tyrc_mmu_vm_map/unmap). Object references
 * are dropped after op_lock is released.
 */
#ifndef TYRC_VM_H
#define TYRC_VM_H

#include <tyrc/types.h>

struct tyrc_device;
struct tyrc_file;
struct tyrc_heap_pool;
struct tyrc_kva_range;
struct tyrc_mmu_vm;
struct tyrc_vm;
struct tyrc_vm_bind_queue;

/* Only 32 VMs per open file (PANTHOR_MAX_VMS_PER_FILE). */
#define TYRC_MAX_VMS_PER_FILE 32u
/* The kernel keeps at least this much VA at the top of every VM. */
#define TYRC_VM_MIN_KERNEL_VA_SIZE (256ULL << 20)

/**
 * struct tyrc_vm_bo_ops - what a VM needs from the objects it maps.
 * Every callback is mandatory and may be called with the VM's op_lock held
 * (@put never is).
 */
struct tyrc_vm_bo_ops {
	/** @get: take a reference on @bo. */
	void (*get)(void *bo);
	/** @put: drop a reference on @bo. */
	void (*put)(void *bo);
	/** @size: size of @bo in bytes. */
	u64 (*size)(const void *bo);
	/**
	 * @phys: physical address of byte @offset of @bo and the number of
	 * physically contiguous bytes from there. Return: 0 or -EINVAL.
	 */
	int (*phys)(const void *bo, u64 offset, u64 *phys, u64 *contig);
};

/**
 * tyrc_vm_create() - an empty VM over the GPU's full VA space.
 * @dev: device with an initialised mmu layer.
 * @kernel_va_start: start of the range reserved for the driver (the top of
 *                   the VA space up to 2^VA_BITS).
 * @bo_ops: how to reference and resolve mapped objects.
 * @out: receives the VM (one reference).
 * Context: process. Return: 0, -EINVAL, -ENOMEM, -ENODEV.
 */
int tyrc_vm_create(struct tyrc_device *dev, u64 kernel_va_start,
		   const struct tyrc_vm_bo_ops *bo_ops, struct tyrc_vm **out);

/** tyrc_vm_get() - take a reference (NULL-tolerant). Return: @vm. */
struct tyrc_vm *tyrc_vm_get(struct tyrc_vm *vm);
/** tyrc_vm_put() - drop a reference (NULL-tolerant); the last one frees the VM. */
void tyrc_vm_put(struct tyrc_vm *vm);

/**
 * tyrc_vm_destroy() - VM_DESTROY semantics: mark @vm destroyed (new maps
 * fail with -EINVAL), unmap everything, drop the caller's reference.
 * Jobs still using the VM fault. NULL is ignored.
 */
void tyrc_vm_destroy(struct tyrc_vm *vm);

/**
 * tyrc_vm_map() - map [@va, @va + @size) to @bo at @bo_offset, replacing
 * whatever is mapped there (drm_gpuvm split rules).
 * @flags: DRM_PANTHOR_VM_BIND_OP_MAP_READONLY / _NOEXEC / _UNCACHED.
 *
 * The range must lie in the VM (kernel range included), @va, @size and
 * @bo_offset 4 KiB aligned, [@bo_offset, @bo_offset + @size) inside @bo.
 * The new mapping takes a reference on @bo. Context: process; takes op_lock.
 * Return: 0; -EINVAL (arguments, destroyed or unusable VM); -ENOMEM,
 * -ETIMEDOUT from the page tables (the mappings are unchanged).
 */
int tyrc_vm_map(struct tyrc_vm *vm, void *bo, u64 bo_offset, u64 va, u64 size, u32 flags);

/**
 * tyrc_vm_unmap() - unmap [@va, @va + @size): mappings inside go away,
 * mappings crossing its ends are trimmed or split. Holes are fine.
 * Return: 0; -EINVAL (alignment, range); -ENOMEM, -ETIMEDOUT (unchanged).
 */
int tyrc_vm_unmap(struct tyrc_vm *vm, u64 va, u64 size);

/**
 * tyrc_vm_is_unusable() - a failed update left the page tables
 * inconsistent, or an asynchronous bind failed at execution time.
 */
bool tyrc_vm_is_unusable(struct tyrc_vm *vm);

/**
 * tyrc_vm_mark_unusable() - an asynchronous bind failed at execution time:
 * new MAPs are rejected from now on (UNMAP still works). Takes op_lock.
 */
void tyrc_vm_mark_unusable(struct tyrc_vm *vm);

/** tyrc_vm_bind_queue_of() - the VM's asynchronous VM_BIND queue (tyrc_vm_bind.h). */
struct tyrc_vm_bind_queue *tyrc_vm_bind_queue_of(struct tyrc_vm *vm);

/**
 * tyrc_vm_fail_next_updates() - fault injection for tests (not reachable
 * from the uAPI): the next @count updates that change the page tables
 * (map, unmap, whether synchronous or from the bind queue) fail with
 * -ENOMEM before touching anything. 0 disarms. Takes op_lock.
 */
void tyrc_vm_fail_next_updates(struct tyrc_vm *vm, u32 count);

/** tyrc_vm_kernel_va() - the range reserved for the driver: [*@start, *@start + *@size). */
void tyrc_vm_kernel_va(struct tyrc_vm *vm, u64 *start, u64 *size);

/**
 * tyrc_vm_kva() - allocator of the kernel range, for kernel BOs
 * (tyrc_kva.h). Kernel BOs are not mappings of the VM: VM_DESTROY leaves
 * them mapped; their owner must hold a VM reference and free them first.
 */
struct tyrc_kva_range *tyrc_vm_kva(struct tyrc_vm *vm);

/** tyrc_vm_mmu() - the mmu-layer VM (activation by the scheduler, tests). */
struct tyrc_mmu_vm *tyrc_vm_mmu(struct tyrc_vm *vm);

/**
 * tyrc_vm_get_heap_pool() - the VM's tiler heap pool (tyrc_heap.h)
 * (panthor_vm_get_heap_pool()). The VM owns one pool, made on first use and
 * destroyed by tyrc_vm_destroy() (or the last tyrc_vm_put()).
 * @vm: the VM.
 * @create: make the pool if the VM has none yet (TILER_HEAP_CREATE).
 * @out: receives a new pool reference (tyrc_heap_pool_put()).
 *
 * Context: process; takes op_lock, and under it, when creating, the kva
 * and mmu-layer locks (the pool's context BO). Return: 0; -EINVAL to create
 * on a destroyed VM; -ENOENT if there is none and !@create; -ENOMEM.
 */
int tyrc_vm_get_heap_pool(struct tyrc_vm *vm, bool create, struct tyrc_heap_pool **out);

/** tyrc_vm_mapping_count() - number of mappings (tests, debug). Takes op_lock. */
u32 tyrc_vm_mapping_count(struct tyrc_vm *vm);

/**
 * tyrc_vm_check_pgtables() - debug check: every page of every mapping
 * translates to its object's page, and the pages around each mapping that
 * no mapping covers translate to nothing (walking the page tables).
 * Return: 0, or -EIO after logging the first mismatch. Takes op_lock.
 */
int tyrc_vm_check_pgtables(struct tyrc_vm *vm);

/** tyrc_vm_pool_create() - the file's VM id space (open). Return: 0 or -ENOMEM. */
int tyrc_vm_pool_create(struct tyrc_file *file);
/** tyrc_vm_pool_destroy() - destroy every VM of the file (release). NULL-safe. */
void tyrc_vm_pool_destroy(struct tyrc_file *file);

/**
 * tyrc_vm_lookup() - the VM @id names in @file (BO_CREATE exclusive_vm_id,
 * VM_BIND, GROUP_CREATE). Return: a new reference, or NULL.
 */
struct tyrc_vm *tyrc_vm_lookup(struct tyrc_file *file, u32 id);

/* ioctl handlers (tyrc_vm_ioctl.c), for the driver ioctl table. */
int tyrc_ioctl_vm_create(struct tyrc_file *file, void *data);
int tyrc_ioctl_vm_destroy(struct tyrc_file *file, void *data);
int tyrc_ioctl_vm_bind(struct tyrc_file *file, void *data);
int tyrc_ioctl_vm_get_state(struct tyrc_file *file, void *data);

#endif /* TYRC_VM_H */
