// SPDX-License-Identifier: MIT
/*
 * The VM ioctls (panthor_drv.c / panthor_mmu.c): the per-file VM pool,
 * VM_CREATE, VM_DESTROY, VM_GET_STATE and VM_BIND, with panthor's
 * argument rules and errnos (panthor-uapi.md §5). Synchronous binds run
 * here; asynchronous ones go to the VM's bind queue (tyrc_vm_bind.c).
 */
#include <stdlib.h>

#include <tyrc/kernel.h>
#include "panthor_drm.h"
#include "tyrc_device.h"
#include "tyrc_gem.h"
#include "tyrc_gpu_regs.h"
#include "tyrc_uobj.h"
#include "tyrc_vm.h"
#include "tyrc_vm_bind.h"

#define TYRC_VM_BIND_OP_MIN_SIZE TYRC_OFFSETOFEND(struct drm_panthor_vm_bind_op, syncs)

#define TYRC_VM_BIND_OP_MAP_FLAGS                                                  \
	(DRM_PANTHOR_VM_BIND_OP_MAP_READONLY | DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC | \
	 DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED | DRM_PANTHOR_VM_BIND_OP_TYPE_MASK)

/** struct tyrc_vm_pool - a file's VMs (panthor_vm_pool). */
struct tyrc_vm_pool {
	/** @xa: id (1..TYRC_MAX_VMS_PER_FILE) → VM; each entry holds a reference. */
	struct tyrc_xa xa;
};

/* GEM objects as the VM maps them. */
static void tyrc_vm_gem_get(void *bo)
{
	tyrc_gem_get(bo);
}

static void tyrc_vm_gem_put(void *bo)
{
	tyrc_gem_put(bo);
}

static u64 tyrc_vm_gem_size(const void *bo)
{
	return tyrc_gem_size(bo);
}

static int tyrc_vm_gem_phys(const void *bo, u64 offset, u64 *phys, u64 *contig)
{
	return tyrc_gem_phys(bo, offset, phys, contig);
}

static const struct tyrc_vm_bo_ops tyrc_vm_gem_ops = {
	.get = tyrc_vm_gem_get,
	.put = tyrc_vm_gem_put,
	.size = tyrc_vm_gem_size,
	.phys = tyrc_vm_gem_phys,
};

int tyrc_vm_pool_create(struct tyrc_file *file)
{
	struct tyrc_vm_pool *pool = calloc(1, sizeof(*pool));

	if (!pool)
		return -ENOMEM;
	tyrc_xa_init(&pool->xa);
	file->vms = pool;
	return 0;
}

void tyrc_vm_pool_destroy(struct tyrc_file *file)
{
	struct tyrc_vm_pool *pool = file->vms;
	struct tyrc_vm *vm;
	u32 id;

	if (!pool)
		return;
	tyrc_xa_for_each(&pool->xa, id, vm) {
		tyrc_xa_erase(&pool->xa, id);
		tyrc_vm_destroy(vm);
	}
	tyrc_xa_destroy(&pool->xa);
	free(pool);
	file->vms = NULL;
}

struct tyrc_vm *tyrc_vm_lookup(struct tyrc_file *file, u32 id)
{
	struct tyrc_vm *vm;

	if (!file->vms)
		return NULL;
	tyrc_xa_lock(&file->vms->xa);
	vm = tyrc_vm_get(tyrc_xa_load_locked(&file->vms->xa, id));
	tyrc_xa_unlock(&file->vms->xa);
	return vm;
}

static u64 tyrc_rounddown_pow_of_two(u64 x)
{
	return 1ULL << (63 - __builtin_clzll(x));
}

/*
 * panthor_vm_create_get_user_va_range(): the process's address-space size
 * when smaller than the GPU's (our clients are 47-bit x86-64 or 48-bit
 * arm64 processes: 2^47 here; both give the same kernel VA start on a
 * 48-bit GPU), else half of a VA space above 4 GiB, else all but the
 * kernel minimum.
 */
#define TYRC_VM_TASK_SIZE (1ULL << 47)

static u64 tyrc_vm_default_user_va(u64 full)
{
	if (TYRC_VM_TASK_SIZE < full)
		return TYRC_VM_TASK_SIZE;
	return full > (4ULL << 30) ? full / 2 : full - TYRC_VM_MIN_KERNEL_VA_SIZE;
}

int tyrc_ioctl_vm_create(struct tyrc_file *file, void *data)
{
	struct drm_panthor_vm_create *args = data;
	struct tyrc_device *dev = file->dev;
	u32 va_bits = FIELD_GET(GPU_MMU_FEATURES_VA_BITS, dev->gpu_info.mmu_features);
	u64 full = 1ULL << tyrc_min(va_bits, 48u);
	u64 user, kernel_size;
	struct tyrc_vm *vm;
	u32 id;
	int ret;

	if (args->flags)
		return -EINVAL;
	if (full < TYRC_VM_MIN_KERNEL_VA_SIZE)
		return -EINVAL;
	if (args->user_va_range > full - TYRC_VM_MIN_KERNEL_VA_SIZE)
		return -EINVAL;
	user = args->user_va_range ? args->user_va_range : tyrc_vm_default_user_va(full);
	user = tyrc_min(user, full - TYRC_VM_MIN_KERNEL_VA_SIZE);

	/* A power-of-two kernel range at the top, for a clear split. */
	kernel_size = tyrc_rounddown_pow_of_two(full - user);
	ret = tyrc_vm_create(dev, full - kernel_size, &tyrc_vm_gem_ops, &vm);
	if (ret)
		return ret;
	/* xa_alloc(): -EBUSY once the file has TYRC_MAX_VMS_PER_FILE VMs. */
	ret = tyrc_xa_alloc(&file->vms->xa, &id, vm, 1, TYRC_MAX_VMS_PER_FILE);
	if (ret) {
		tyrc_vm_put(vm);
		return ret;
	}
	args->id = id;
	args->user_va_range = full - kernel_size;
	return 0;
}

int tyrc_ioctl_vm_destroy(struct tyrc_file *file, void *data)
{
	struct drm_panthor_vm_destroy *args = data;
	struct tyrc_vm *vm;

	if (args->pad)
		return -EINVAL;
	vm = tyrc_xa_erase(&file->vms->xa, args->id);
	if (!vm)
		return -EINVAL;
	tyrc_vm_destroy(vm);
	return 0;
}

int tyrc_ioctl_vm_get_state(struct tyrc_file *file, void *data)
{
	struct drm_panthor_vm_get_state *args = data;
	struct tyrc_vm *vm = tyrc_vm_lookup(file, args->vm_id);

	if (!vm)
		return -EINVAL;
	args->state = tyrc_vm_is_unusable(vm) ? DRM_PANTHOR_VM_STATE_UNUSABLE :
						DRM_PANTHOR_VM_STATE_USABLE;
	tyrc_vm_put(vm);
	return 0;
}

/* A user bind stays in [0, kernel VA start) and does not wrap. */
static bool tyrc_vm_user_range_valid(struct tyrc_vm *vm, u64 va, u64 size)
{
	u64 kstart, ksize, end;

	tyrc_vm_kernel_va(vm, &kstart, &ksize);
	return !check_add_overflow(va, size, &end) && end <= kstart;
}

int tyrc_vm_bind_op_check(struct tyrc_file *file, struct tyrc_vm *vm,
			  const struct drm_panthor_vm_bind_op *op, bool async, void **out_bo)
{
	struct tyrc_gem_object *bo;
	u64 bo_size;

	*out_bo = NULL;
	switch (op->flags & DRM_PANTHOR_VM_BIND_OP_TYPE_MASK) {
	case DRM_PANTHOR_VM_BIND_OP_TYPE_MAP:
	case DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP:
		break;
	case DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY:
		/* Only meaningful with ASYNC, no mapping change, needs syncs. */
		if (!async || (op->flags & ~DRM_PANTHOR_VM_BIND_OP_TYPE_MASK))
			return -EINVAL;
		if (op->bo_handle || op->bo_offset || op->va || op->size || !op->syncs.count)
			return -EINVAL;
		return 0;
	default:
		return -EINVAL;
	}
	/* An empty operation succeeds without further checks. */
	if (!op->size)
		return 0;
	if (!IS_ALIGNED(op->va | op->size, SZ_4K))
		return -EINVAL;
	if ((op->flags & DRM_PANTHOR_VM_BIND_OP_TYPE_MASK) == DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP) {
		if (op->flags & ~DRM_PANTHOR_VM_BIND_OP_TYPE_MASK)
			return -EINVAL;
		if (op->bo_handle || op->bo_offset)
			return -EINVAL;
		return tyrc_vm_user_range_valid(vm, op->va, op->size) ? 0 : -EINVAL;
	}

	/* panthor_vm_prepare_map_op_ctx(): an unknown handle is -EINVAL. */
	bo = tyrc_gem_lookup(file, op->bo_handle);
	if (!bo)
		return -EINVAL;
	if (op->flags & ~TYRC_VM_BIND_OP_MAP_FLAGS)
		goto err_put;
	/* A BO created exclusive to a VM maps only there. */
	if (tyrc_gem_exclusive_vm(bo) && tyrc_gem_exclusive_vm(bo) != vm)
		goto err_put;
	bo_size = tyrc_gem_size(bo);
	if (op->size > bo_size || op->bo_offset > bo_size - op->size)
		goto err_put;
	if (!IS_ALIGNED(op->bo_offset, SZ_4K) || !tyrc_vm_user_range_valid(vm, op->va, op->size))
		goto err_put;
	*out_bo = bo;
	return 0;

err_put:
	tyrc_gem_put(bo);
	return -EINVAL;
}

/* panthor_vm_bind_exec_sync_op(). */
static int tyrc_vm_bind_sync_op(struct tyrc_file *file, struct tyrc_vm *vm,
				const struct drm_panthor_vm_bind_op *op)
{
	void *bo;
	int ret;

	/* No sync objects on synchronous operations. */
	if (op->syncs.count)
		return -EINVAL;
	/* An empty operation succeeds without further checks. */
	if (!op->size)
		return 0;
	ret = tyrc_vm_bind_op_check(file, vm, op, false, &bo);
	if (ret)
		return ret;
	if (bo) {
		ret = tyrc_vm_map(vm, bo, op->bo_offset, op->va, op->size,
				  op->flags & ~DRM_PANTHOR_VM_BIND_OP_TYPE_MASK);
		tyrc_gem_put(bo);
		return ret;
	}
	return tyrc_vm_unmap(vm, op->va, op->size);
}

int tyrc_ioctl_vm_bind(struct tyrc_file *file, void *data)
{
	struct drm_panthor_vm_bind *args = data;
	struct drm_panthor_vm_bind_op *ops;
	struct tyrc_vm *vm;
	int ret;

	if (args->flags & ~DRM_PANTHOR_VM_BIND_ASYNC)
		return -EINVAL;

	vm = tyrc_vm_lookup(file, args->vm_id);
	if (!vm)
		return -EINVAL;
	ret = tyrc_uobj_get_array((void **)&ops, sizeof(*ops), TYRC_VM_BIND_OP_MIN_SIZE,
				  args->ops.stride, args->ops.count, args->ops.array);
	if (ret)
		goto out_put_vm;

	if (args->flags & DRM_PANTHOR_VM_BIND_ASYNC) {
		ret = tyrc_vm_bind_async(file, vm, ops, args->ops.count);
		free(ops);
		goto out_put_vm;
	}
	for (u32 i = 0; i < args->ops.count; i++) {
		ret = tyrc_vm_bind_sync_op(file, vm, &ops[i]);
		if (ret) {
			/* The DRM core copies this back: userspace learns which op failed. */
			args->ops.count = i;
			break;
		}
	}
	free(ops);
out_put_vm:
	tyrc_vm_put(vm);
	return ret;
}
