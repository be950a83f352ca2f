// SPDX-License-Identifier: MIT
/*
 * The vm layer: buffer-object mappings of a GPU address space, kept in a
 * gpuvm range tree and mirrored into the mmu layer's page tables (see
 * tyrc_vm.h for the rules).
 */
#include <stdlib.h>

#include <tyrc/kernel.h>
#include "panthor_drm.h"
#include "tyrc_device.h"
#include "tyrc_gpu_regs.h"
#include "tyrc_gpuvm.h"
#include "tyrc_heap.h"
#include "tyrc_kva.h"
#include "tyrc_mmu.h"
#include "tyrc_vm.h"
#include "tyrc_vm_bind.h"

#define TYRC_VM_MAP_FLAGS                                                          \
	(DRM_PANTHOR_VM_BIND_OP_MAP_READONLY | DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC | \
	 DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED)

/** struct tyrc_vm - one GPU address space (panthor_vm). */
struct tyrc_vm {
	/** @refcount: the creator's/pool's reference, lookups, users (scheduler). */
	struct tyrc_kref refcount;
	/** @dev: the device (not referenced; outlives every VM). */
	struct tyrc_device *dev;
	/** @mmu: the page tables and AS binding (owned). */
	struct tyrc_mmu_vm *mmu;
	/** @bo_ops: how mapped objects are referenced and resolved. */
	const struct tyrc_vm_bo_ops *bo_ops;
	/** @kernel_va_start: start of the driver's range, up to @va_size. */
	u64 kernel_va_start;
	/** @va_size: full VA size, 2^VA_BITS. */
	u64 va_size;
	/**
	 * @op_lock: serialises updates; protects @gpuvm, @unusable,
	 * @destroyed and @heaps.
	 */
	struct tyrc_mutex op_lock;
	/** @gpuvm: the mappings; each gpuva's obj holds a reference (op_lock). */
	struct tyrc_gpuvm gpuvm;
	/**
	 * @unusable: an update failed half-way, or an asynchronous bind
	 * failed at execution time (op_lock; read lock-free too).
	 */
	bool unusable;
	/** @destroyed: VM_DESTROY ran; no new mapping (op_lock). */
	bool destroyed;
	/**
	 * @fail_updates: fault injection: the next @fail_updates page-table
	 * updates fail with -ENOMEM before touching anything (op_lock).
	 */
	u32 fail_updates;
	/** @bind_queue: the asynchronous VM_BIND queue (owned). */
	struct tyrc_vm_bind_queue *bind_queue;
	/**
	 * @kva: allocator of [@kernel_va_start, @va_size) for kernel BOs
	 * (owned; its own lock).
	 */
	struct tyrc_kva_range *kva;
	/**
	 * @heaps: the tiler heap pool (tyrc_heap.h), created by the first
	 * TILER_HEAP_CREATE, destroyed with the VM; holds a pool reference
	 * (op_lock).
	 */
	struct tyrc_heap_pool *heaps;
};

static u32 tyrc_vm_flags_to_prot(u32 flags)
{
	u32 prot = TYRC_PROT_READ;

	if (!(flags & DRM_PANTHOR_VM_BIND_OP_MAP_READONLY))
		prot |= TYRC_PROT_WRITE;
	if (flags & DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC)
		prot |= TYRC_PROT_NOEXEC;
	if (!(flags & DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED))
		prot |= TYRC_PROT_CACHE;
	return prot;
}

int tyrc_vm_create(struct tyrc_device *dev, u64 kernel_va_start,
		   const struct tyrc_vm_bo_ops *bo_ops, struct tyrc_vm **out)
{
	u32 va_bits = FIELD_GET(GPU_MMU_FEATURES_VA_BITS, dev->gpu_info.mmu_features);
	struct tyrc_vm *vm;
	int ret;

	if (va_bits > 48)
		va_bits = 48;
	if (!bo_ops || kernel_va_start >= (1ULL << va_bits) || !IS_ALIGNED(kernel_va_start, SZ_4K))
		return -EINVAL;

	vm = calloc(1, sizeof(*vm));
	if (!vm)
		return -ENOMEM;
	vm->dev = dev;
	vm->bo_ops = bo_ops;
	vm->va_size = 1ULL << va_bits;
	vm->kernel_va_start = kernel_va_start;
	ret = tyrc_mmu_vm_create(dev, vm->va_size, false, &vm->mmu);
	if (ret)
		goto err_free;
	ret = tyrc_kva_range_create(kernel_va_start, vm->va_size - kernel_va_start, &vm->kva);
	if (ret)
		goto err_destroy_mmu;
	ret = tyrc_vm_bind_queue_create(vm, &vm->bind_queue);
	if (ret)
		goto err_destroy_kva;
	tyrc_kref_init(&vm->refcount);
	tyrc_mutex_init(&vm->op_lock);
	tyrc_gpuvm_init(&vm->gpuvm, 0, vm->va_size);
	*out = vm;
	return 0;

err_destroy_kva:
	tyrc_kva_range_destroy(vm->kva);
err_destroy_mmu:
	tyrc_mmu_vm_destroy(vm->mmu);
err_free:
	free(vm);
	return ret;
}

struct tyrc_vm *tyrc_vm_get(struct tyrc_vm *vm)
{
	if (vm)
		tyrc_kref_get(&vm->refcount);
	return vm;
}

static void tyrc_vm_unmap_all(struct tyrc_vm *vm);

static void tyrc_vm_release(struct tyrc_kref *kref)
{
	struct tyrc_vm *vm = container_of(kref, struct tyrc_vm, refcount);

	/* Queued jobs do not reference the VM: stop them before it goes. */
	tyrc_vm_bind_queue_destroy(vm->bind_queue);
	/* Heaps of a VM never destroyed through VM_DESTROY: kernel BOs, before the range. */
	tyrc_heap_pool_destroy(vm->heaps);
	tyrc_vm_unmap_all(vm);
	tyrc_gpuvm_fini(&vm->gpuvm);
	tyrc_kva_range_destroy(vm->kva);
	tyrc_mmu_vm_destroy(vm->mmu);
	tyrc_mutex_destroy(&vm->op_lock);
	free(vm);
}

void tyrc_vm_put(struct tyrc_vm *vm)
{
	if (vm)
		tyrc_kref_put(&vm->refcount, tyrc_vm_release);
}

/*
 * Map [@va, @va + @size) to @bo from @offset, one tyrc_mmu_vm_map() per
 * physically contiguous run. On failure whatever this call mapped is
 * unmapped again.
 */
static int tyrc_vm_map_pages(struct tyrc_vm *vm, void *bo, u64 offset, u64 va, u64 size, u32 prot)
{
	u64 done = 0;
	int ret = 0;

	while (done < size) {
		u64 pa, contig, run_pa = 0, run = 0;

		/* Grow the run while the next block follows physically. */
		while (done + run < size) {
			ret = vm->bo_ops->phys(bo, offset + done + run, &pa, &contig);
			if (ret)
				goto err_unmap;
			if (!run)
				run_pa = pa;
			else if (pa != run_pa + run)
				break;
			run += tyrc_min(contig, size - done - run);
		}
		ret = tyrc_mmu_vm_map(vm->mmu, va + done, run_pa, run, prot);
		if (ret == -ETIMEDOUT)
			done += run; /* in place, only the flush failed: undo it too */
		if (ret)
			goto err_unmap;
		done += run;
	}
	return 0;

err_unmap:
	if (done)
		TYRC_WARN_ON(tyrc_mmu_vm_unmap(vm->mmu, va, done) == -ENOMEM);
	return ret;
}

/* Put back the page-table part of an UNMAP/REMAP step (rollback). */
static int tyrc_vm_restore_op(struct tyrc_vm *vm, const struct tyrc_gpuva_op *op)
{
	const struct tyrc_gpuva *old = op->va;
	u64 start, range;

	tyrc_gpuva_op_unmap_range(op, &start, &range);
	return tyrc_vm_map_pages(vm, old->obj, old->offset + (start - old->va), start, range,
				 tyrc_vm_flags_to_prot(old->flags));
}

/*
 * Run @ops on the page tables and commit them. A failure undoes the steps
 * done so far; if the undo fails too, the VM becomes unusable. Called with
 * op_lock held; the references of removed mappings are dropped by the
 * caller after unlocking (tyrc_vm_ops_release()).
 */
static int tyrc_vm_exec_ops_locked(struct tyrc_vm *vm, struct tyrc_gpuva_ops *ops, void *bo)
{
	u32 i;
	int ret = 0;

	tyrc_lockdep_assert_held(&vm->op_lock);
	if (vm->fail_updates && ops->count) {
		vm->fail_updates--;
		return -ENOMEM;
	}
	for (i = 0; i < ops->count; i++) {
		struct tyrc_gpuva_op *op = &ops->ops[i];
		u64 start, range;

		if (op->type == TYRC_GPUVA_OP_MAP) {
			ret = tyrc_vm_map_pages(vm, bo, op->va->offset, op->va->va, op->va->range,
						tyrc_vm_flags_to_prot(op->va->flags));
		} else {
			tyrc_gpuva_op_unmap_range(op, &start, &range);
			ret = tyrc_mmu_vm_unmap(vm->mmu, start, range);
			/* A timed-out flush still unmapped: restore this step too. */
			if (ret == -ETIMEDOUT)
				i++;
		}
		if (ret)
			break;
	}
	if (ret) {
		while (i-- > 0) {
			if (ops->ops[i].type == TYRC_GPUVA_OP_MAP)
				continue;
			if (tyrc_vm_restore_op(vm, &ops->ops[i])) {
				tyrc_err("vm: rollback failed, the VM is unusable");
				WRITE_ONCE(vm->unusable, true);
			}
		}
		return ret;
	}

	/* References first, so no object drops to zero while still mapped. */
	for (i = 0; i < ops->count; i++) {
		struct tyrc_gpuva_op *op = &ops->ops[i];

		if (op->type == TYRC_GPUVA_OP_MAP)
			vm->bo_ops->get(bo);
		if (op->prev)
			vm->bo_ops->get(op->prev->obj);
		if (op->next)
			vm->bo_ops->get(op->next->obj);
	}
	tyrc_gpuvm_ops_commit(&vm->gpuvm, ops);
	return 0;
}

/* Drop the references of the mappings a committed list removed, then the list. */
static void tyrc_vm_ops_release(struct tyrc_vm *vm, struct tyrc_gpuva_ops *ops)
{
	if (ops->committed)
		for (u32 i = 0; i < ops->count; i++)
			if (ops->ops[i].type != TYRC_GPUVA_OP_MAP)
				vm->bo_ops->put(ops->ops[i].va->obj);
	tyrc_gpuva_ops_free(ops);
}

int tyrc_vm_map(struct tyrc_vm *vm, void *bo, u64 bo_offset, u64 va, u64 size, u32 flags)
{
	struct tyrc_gpuva_ops ops;
	u64 bo_size;
	int ret;

	if (!bo || (flags & ~TYRC_VM_MAP_FLAGS) || !IS_ALIGNED(va | size | bo_offset, SZ_4K))
		return -EINVAL;
	bo_size = vm->bo_ops->size(bo);
	if (size > bo_size || bo_offset > bo_size - size)
		return -EINVAL;

	tyrc_mutex_lock(&vm->op_lock);
	if (vm->destroyed || vm->unusable) {
		tyrc_mutex_unlock(&vm->op_lock);
		return -EINVAL;
	}
	ret = tyrc_gpuvm_sm_map(&vm->gpuvm, va, size, bo, bo_offset, flags, &ops);
	if (!ret)
		ret = tyrc_vm_exec_ops_locked(vm, &ops, bo);
	tyrc_mutex_unlock(&vm->op_lock);
	tyrc_vm_ops_release(vm, &ops);
	return ret;
}

int tyrc_vm_unmap(struct tyrc_vm *vm, u64 va, u64 size)
{
	struct tyrc_gpuva_ops ops;
	int ret;

	if (!IS_ALIGNED(va | size, SZ_4K))
		return -EINVAL;
	tyrc_mutex_lock(&vm->op_lock);
	ret = tyrc_gpuvm_sm_unmap(&vm->gpuvm, va, size, &ops);
	if (!ret)
		ret = tyrc_vm_exec_ops_locked(vm, &ops, NULL);
	tyrc_mutex_unlock(&vm->op_lock);
	tyrc_vm_ops_release(vm, &ops);
	return ret;
}

/*
 * Clear the page tables of every mapping in the tree: one sweep below the
 * kernel range, then each mapping the driver made inside it. Kernel BOs
 * (tyrc_kva.h: a group's ring buffers) are not in the tree and stay mapped
 * until their owner frees them. Tables whose mappings all go away are
 * freed, never split: no -ENOMEM.
 */
static void tyrc_vm_clear_tables_locked(struct tyrc_vm *vm)
{
	if (vm->kernel_va_start)
		TYRC_WARN_ON(tyrc_mmu_vm_unmap(vm->mmu, 0, vm->kernel_va_start) == -ENOMEM);
	for (u32 i = 0; i < tyrc_gpuvm_count(&vm->gpuvm); i++) {
		const struct tyrc_gpuva *va = tyrc_gpuvm_nth(&vm->gpuvm, i);
		u64 start = tyrc_max(va->va, vm->kernel_va_start), end = va->va + va->range;

		if (end > start)
			TYRC_WARN_ON(tyrc_mmu_vm_unmap(vm->mmu, start, end - start) == -ENOMEM);
	}
}

/* Remove every mapping, whatever the page tables say (destroy, release). */
static void tyrc_vm_unmap_all(struct tyrc_vm *vm)
{
	struct tyrc_gpuva_ops ops;
	int ret;

	tyrc_mutex_lock(&vm->op_lock);
	ret = tyrc_gpuvm_sm_unmap(&vm->gpuvm, 0, vm->va_size, &ops);
	if (!ret) {
		if (ops.count)
			tyrc_vm_clear_tables_locked(vm);
		tyrc_gpuvm_ops_commit(&vm->gpuvm, &ops);
	}
	tyrc_mutex_unlock(&vm->op_lock);
	if (ret) {
		/* No memory for the step list: release the mappings one by one. */
		tyrc_mutex_lock(&vm->op_lock);
		tyrc_vm_clear_tables_locked(vm);
		while (tyrc_gpuvm_count(&vm->gpuvm)) {
			struct tyrc_gpuva *va = tyrc_gpuvm_nth(&vm->gpuvm, vm->gpuvm.count - 1);

			vm->gpuvm.count--;
			vm->bo_ops->put(va->obj);
			free(va);
		}
		tyrc_mutex_unlock(&vm->op_lock);
		return;
	}
	tyrc_vm_ops_release(vm, &ops);
}

void tyrc_vm_destroy(struct tyrc_vm *vm)
{
	struct tyrc_heap_pool *heaps;

	if (!vm)
		return;
	/* Once destroyed, no new heap pool can appear (tyrc_vm_get_heap_pool()). */
	tyrc_mutex_lock(&vm->op_lock);
	vm->destroyed = true;
	heaps = vm->heaps;
	vm->heaps = NULL;
	tyrc_mutex_unlock(&vm->op_lock);
	tyrc_vm_bind_queue_cancel(vm->bind_queue);
	/* The heaps go with the VM (panthor_vm_destroy()); jobs still using them fault. */
	tyrc_heap_pool_destroy(heaps);
	tyrc_vm_unmap_all(vm);
	tyrc_vm_put(vm);
}

void tyrc_vm_mark_unusable(struct tyrc_vm *vm)
{
	tyrc_mutex_lock(&vm->op_lock);
	WRITE_ONCE(vm->unusable, true);
	tyrc_mutex_unlock(&vm->op_lock);
}

struct tyrc_vm_bind_queue *tyrc_vm_bind_queue_of(struct tyrc_vm *vm)
{
	return vm->bind_queue;
}

void tyrc_vm_fail_next_updates(struct tyrc_vm *vm, u32 count)
{
	tyrc_mutex_lock(&vm->op_lock);
	vm->fail_updates = count;
	tyrc_mutex_unlock(&vm->op_lock);
}

bool tyrc_vm_is_unusable(struct tyrc_vm *vm)
{
	return READ_ONCE(vm->unusable);
}

void tyrc_vm_kernel_va(struct tyrc_vm *vm, u64 *start, u64 *size)
{
	*start = vm->kernel_va_start;
	*size = vm->va_size - vm->kernel_va_start;
}

struct tyrc_kva_range *tyrc_vm_kva(struct tyrc_vm *vm)
{
	return vm->kva;
}

struct tyrc_mmu_vm *tyrc_vm_mmu(struct tyrc_vm *vm)
{
	return vm->mmu;
}

int tyrc_vm_get_heap_pool(struct tyrc_vm *vm, bool create, struct tyrc_heap_pool **out)
{
	int ret = 0;

	tyrc_mutex_lock(&vm->op_lock);
	if (!vm->heaps && create)
		ret = vm->destroyed ? -EINVAL : tyrc_heap_pool_create(vm->dev, vm, &vm->heaps);
	else if (!vm->heaps)
		ret = -ENOENT;
	if (!ret)
		*out = tyrc_heap_pool_get(vm->heaps);
	tyrc_mutex_unlock(&vm->op_lock);
	return ret;
}

u32 tyrc_vm_mapping_count(struct tyrc_vm *vm)
{
	u32 count;

	tyrc_mutex_lock(&vm->op_lock);
	count = tyrc_gpuvm_count(&vm->gpuvm);
	tyrc_mutex_unlock(&vm->op_lock);
	return count;
}

static int tyrc_vm_check_unmapped(struct tyrc_vm *vm, u64 va)
{
	u64 pa;

	if (va >= vm->va_size || tyrc_gpuvm_lookup(&vm->gpuvm, va))
		return 0;
	pa = tyrc_mmu_vm_iova_to_phys(vm->mmu, va);
	if (pa) {
		tyrc_err("vm: 0x%llx has no mapping but translates to 0x%llx",
			 (unsigned long long)va, (unsigned long long)pa);
		return -EIO;
	}
	return 0;
}

int tyrc_vm_check_pgtables(struct tyrc_vm *vm)
{
	int ret = 0;

	tyrc_mutex_lock(&vm->op_lock);
	for (u32 i = 0; i < tyrc_gpuvm_count(&vm->gpuvm) && !ret; i++) {
		const struct tyrc_gpuva *va = tyrc_gpuvm_nth(&vm->gpuvm, i);

		for (u64 off = 0; off < va->range && !ret; off += SZ_4K) {
			u64 want, contig, got = tyrc_mmu_vm_iova_to_phys(vm->mmu, va->va + off);

			ret = vm->bo_ops->phys(va->obj, va->offset + off, &want, &contig);
			if (!ret && got != want) {
				tyrc_err(
					"vm: 0x%llx translates to 0x%llx, its object page is 0x%llx",
					(unsigned long long)(va->va + off), (unsigned long long)got,
					(unsigned long long)want);
				ret = -EIO;
			}
		}
		if (!ret && va->va)
			ret = tyrc_vm_check_unmapped(vm, va->va - SZ_4K);
		if (!ret)
			ret = tyrc_vm_check_unmapped(vm, va->va + va->range);
	}
	tyrc_mutex_unlock(&vm->op_lock);
	return ret;
}
