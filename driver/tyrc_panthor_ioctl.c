// SPDX-License-Identifier: MIT
/*
 * panthor's driver ioctls (panthor_drv.c). Every entry is RENDER_ALLOW and
 * needs no authentication. Ioctls whose layer does not exist yet have no
 * handler, which the DRM core answers with -EINVAL.
 */
#include <stddef.h>
#include <string.h>

#include "tyrc_device.h"
#include "tyrc_drm.h"
#include "tyrc_fw.h"
#include "tyrc_gem.h"
#include "tyrc_gpu_regs.h"
#include "tyrc_group.h"
#include "tyrc_heap.h"
#include "tyrc_sched.h"
#include "tyrc_uobj.h"
#include "tyrc_vm.h"

#define TYRC_GPU_INFO_MIN_SIZE TYRC_OFFSETOFEND(struct drm_panthor_gpu_info, tiler_present)
#define TYRC_CSIF_INFO_MIN_SIZE TYRC_OFFSETOFEND(struct drm_panthor_csif_info, pad)
#define TYRC_TIMESTAMP_INFO_MIN_SIZE \
	TYRC_OFFSETOFEND(struct drm_panthor_timestamp_info, current_timestamp)
#define TYRC_PRIORITIES_INFO_MIN_SIZE \
	TYRC_OFFSETOFEND(struct drm_panthor_group_priorities_info, pad)
#define TYRC_MMU_INFO_MIN_SIZE TYRC_OFFSETOFEND(struct drm_panthor_mmu_info, page_size_bitmap)

/* GPU page sizes: 4 KiB pages and 2 MiB blocks. */
#define TYRC_GPU_PAGE_SIZES (SZ_4K | SZ_2M)

#define TYRC_TIMESTAMP_VALID_FLAGS                                                  \
	(DRM_PANTHOR_TIMESTAMP_GPU | DRM_PANTHOR_TIMESTAMP_CPU_TYPE_MASK |          \
	 DRM_PANTHOR_TIMESTAMP_GPU_OFFSET | DRM_PANTHOR_TIMESTAMP_GPU_CYCLE_COUNT | \
	 DRM_PANTHOR_TIMESTAMP_FREQ | DRM_PANTHOR_TIMESTAMP_DURATION)

/*
 * HIGH and REALTIME need CAP_SYS_NICE or DRM master (group_priority_permit()).
 * The host maps CAP_SYS_NICE to the opener being root, or grants it to
 * everyone when started with allow_high_priority.
 */
bool tyrc_priority_permit(struct tyrc_file *file, u8 priority)
{
	bool master;

	if (priority < PANTHOR_GROUP_PRIORITY_HIGH || tyrc_file_capable(file) ||
	    file->dev->cfg.allow_high_priority)
		return true;
	tyrc_mutex_lock(&file->dev->drm.master_lock);
	master = file->is_master;
	tyrc_mutex_unlock(&file->dev->drm.master_lock);
	return master;
}

static int tyrc_query_priorities(struct tyrc_file *file, struct drm_panthor_dev_query *args)
{
	struct drm_panthor_group_priorities_info info = {};

	for (u8 prio = PANTHOR_GROUP_PRIORITY_LOW; prio <= PANTHOR_GROUP_PRIORITY_REALTIME; prio++)
		if (tyrc_priority_permit(file, prio))
			info.allowed_mask |= BIT(prio);
	return tyrc_uobj_set(args->pointer, args->size, TYRC_PRIORITIES_INFO_MIN_SIZE, &info,
			     sizeof(info));
}

/*
 * TIMESTAMP_INFO (1.8 semantics): the user struct carries the flags; 0 means
 * the pre-1.8 set. Unrequested fields read 0. The GPU registers are read
 * back to back with the CPU clock so the samples are as close as we can
 * make them; DURATION reports how long that took.
 */
static int tyrc_query_timestamp(struct tyrc_file *file, struct drm_panthor_dev_query *args)
{
	struct tyrc_device *dev = file->dev;
	struct drm_panthor_timestamp_info info;
	u64 start = 0, cpu_ns = 0;
	u32 flags;
	int ret;

	ret = tyrc_uobj_get(&info, sizeof(info), args->pointer, args->size,
			    TYRC_TIMESTAMP_INFO_MIN_SIZE);
	if (ret)
		return ret;

	flags = info.flags ? info.flags :
			     DRM_PANTHOR_TIMESTAMP_GPU | DRM_PANTHOR_TIMESTAMP_GPU_OFFSET |
				     DRM_PANTHOR_TIMESTAMP_FREQ;
	if (flags & ~TYRC_TIMESTAMP_VALID_FLAGS)
		return -EINVAL;
	switch (flags & DRM_PANTHOR_TIMESTAMP_CPU_TYPE_MASK) {
	case DRM_PANTHOR_TIMESTAMP_CPU_NONE:
	case DRM_PANTHOR_TIMESTAMP_CPU_MONOTONIC:
	case DRM_PANTHOR_TIMESTAMP_CPU_MONOTONIC_RAW:
		break;
	default:
		return -EINVAL;
	}

	info.timestamp_frequency =
		(flags & DRM_PANTHOR_TIMESTAMP_FREQ) ? dev->platform.timestamp_frequency_hz : 0;
	info.timestamp_offset = (flags & DRM_PANTHOR_TIMESTAMP_GPU_OFFSET) ?
					tyrc_ioread64(dev->iomem, GPU_TIMESTAMP_OFFSET) :
					0;

	if (flags & DRM_PANTHOR_TIMESTAMP_DURATION)
		start = tyrc_ktime_get_raw_ns();
	info.current_timestamp = (flags & DRM_PANTHOR_TIMESTAMP_GPU) ?
					 tyrc_ioread64_counter(dev->iomem, GPU_TIMESTAMP) :
					 0;
	switch (flags & DRM_PANTHOR_TIMESTAMP_CPU_TYPE_MASK) {
	case DRM_PANTHOR_TIMESTAMP_CPU_MONOTONIC:
		cpu_ns = tyrc_ktime_get_ns();
		break;
	case DRM_PANTHOR_TIMESTAMP_CPU_MONOTONIC_RAW:
		cpu_ns = tyrc_ktime_get_raw_ns();
		break;
	}
	info.cycle_count = (flags & DRM_PANTHOR_TIMESTAMP_GPU_CYCLE_COUNT) ?
				   tyrc_ioread64_counter(dev->iomem, GPU_CYCLE_COUNT) :
				   0;
	info.duration_nsec = (flags & DRM_PANTHOR_TIMESTAMP_DURATION) ?
				     (u32)(tyrc_ktime_get_raw_ns() - start) :
				     0;
	info.cpu_timestamp_sec = cpu_ns / NSEC_PER_SEC;
	info.cpu_timestamp_nsec = cpu_ns % NSEC_PER_SEC;

	return tyrc_uobj_set(args->pointer, args->size, TYRC_TIMESTAMP_INFO_MIN_SIZE, &info,
			     sizeof(info));
}

static int tyrc_ioctl_dev_query(struct tyrc_file *file, void *data)
{
	struct drm_panthor_dev_query *args = data;
	struct tyrc_device *dev = file->dev;

	if (!args->pointer) {
		switch (args->type) {
		case DRM_PANTHOR_DEV_QUERY_GPU_INFO:
			args->size = sizeof(dev->gpu_info);
			return 0;
		case DRM_PANTHOR_DEV_QUERY_CSIF_INFO:
			args->size = sizeof(struct drm_panthor_csif_info);
			return 0;
		case DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO:
			args->size = sizeof(struct drm_panthor_timestamp_info);
			return 0;
		case DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO:
			args->size = sizeof(struct drm_panthor_group_priorities_info);
			return 0;
		case DRM_PANTHOR_DEV_QUERY_MMU_INFO:
			args->size = sizeof(struct drm_panthor_mmu_info);
			return 0;
		default:
			return -EINVAL;
		}
	}

	switch (args->type) {
	case DRM_PANTHOR_DEV_QUERY_GPU_INFO:
		return tyrc_uobj_set(args->pointer, args->size, TYRC_GPU_INFO_MIN_SIZE,
				     &dev->gpu_info, sizeof(dev->gpu_info));
	case DRM_PANTHOR_DEV_QUERY_CSIF_INFO: {
		struct drm_panthor_csif_info info;

		tyrc_fw_csif_info(dev, &info);
		return tyrc_uobj_set(args->pointer, args->size, TYRC_CSIF_INFO_MIN_SIZE, &info,
				     sizeof(info));
	}
	case DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO:
		return tyrc_query_timestamp(file, args);
	case DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO:
		return tyrc_query_priorities(file, args);
	case DRM_PANTHOR_DEV_QUERY_MMU_INFO: {
		struct drm_panthor_mmu_info info = { .page_size_bitmap = TYRC_GPU_PAGE_SIZES };

		return tyrc_uobj_set(args->pointer, args->size, TYRC_MMU_INFO_MIN_SIZE, &info,
				     sizeof(info));
	}
	default:
		return -EINVAL;
	}
}

#define TYRC_BO_FLAGS (DRM_PANTHOR_BO_NO_MMAP | DRM_PANTHOR_BO_WB_MMAP)
#define TYRC_BO_SYNC_OP_MIN_SIZE TYRC_OFFSETOFEND(struct drm_panthor_bo_sync_op, size)

static int tyrc_ioctl_bo_create(struct tyrc_file *file, void *data)
{
	struct drm_panthor_bo_create *args = data;
	struct tyrc_vm *exclusive_vm = NULL;
	struct tyrc_gem_object *bo;
	int ret;

	if (!args->size || args->pad || (args->flags & ~TYRC_BO_FLAGS))
		return -EINVAL;
	if ((args->flags & DRM_PANTHOR_BO_NO_MMAP) && (args->flags & DRM_PANTHOR_BO_WB_MMAP))
		return -EINVAL;
	if (args->exclusive_vm_id) {
		exclusive_vm = tyrc_vm_lookup(file, args->exclusive_vm_id);
		if (!exclusive_vm)
			return -EINVAL;
	}

	ret = tyrc_gem_create(file->dev, args->size, args->flags, file, &bo);
	if (!ret && exclusive_vm)
		tyrc_gem_set_exclusive_vm(bo, exclusive_vm);
	tyrc_vm_put(exclusive_vm);
	if (ret)
		return ret;
	ret = tyrc_gem_handle_create(file, bo, &args->handle);
	if (!ret)
		args->size = tyrc_gem_size(bo);
	/* The handle holds the BO now (or nothing does). */
	tyrc_gem_put(bo);
	return ret;
}

static int tyrc_ioctl_bo_mmap_offset(struct tyrc_file *file, void *data)
{
	struct drm_panthor_bo_mmap_offset *args = data;
	struct tyrc_gem_object *bo;
	u64 offset;
	int ret;

	if (args->pad)
		return -EINVAL;
	bo = tyrc_gem_lookup(file, args->handle);
	if (!bo)
		return -ENOENT;
	if (tyrc_gem_flags(bo) & DRM_PANTHOR_BO_NO_MMAP)
		ret = -EPERM;
	else
		ret = tyrc_gem_mmap_offset(bo, &offset);
	if (!ret)
		args->offset = offset;
	tyrc_gem_put(bo);
	return ret;
}

static int tyrc_ioctl_bo_set_label(struct tyrc_file *file, void *data)
{
	struct drm_panthor_bo_set_label *args = data;
	struct tyrc_gem_object *bo;
	char *label = NULL;
	int ret = 0;

	if (args->pad)
		return -EINVAL;
	bo = tyrc_gem_lookup(file, args->handle);
	if (!bo)
		return -ENOENT;
	/* A NULL pointer clears the label; "" is a label of its own. */
	if (args->label)
		ret = tyrc_strndup_from_user(&label, args->label, TYRC_GEM_LABEL_MAX_LEN);
	if (!ret)
		tyrc_gem_set_label(bo, label);
	tyrc_gem_put(bo);
	return ret;
}

static int tyrc_ioctl_set_user_mmio_offset(struct tyrc_file *file, void *data)
{
	struct drm_panthor_set_user_mmio_offset *args = data;

	if (args->offset != DRM_PANTHOR_USER_MMIO_OFFSET_32BIT &&
	    args->offset != DRM_PANTHOR_USER_MMIO_OFFSET_64BIT)
		return -EINVAL;
	WRITE_ONCE(file->user_mmio_offset, args->offset);
	return 0;
}

/* One element of a drm_panthor_obj_array of sync ops (extensible-struct rule). */
static int tyrc_bo_sync_op_get(struct drm_panthor_bo_sync_op *op,
			       const struct drm_panthor_obj_array *ops, u32 i)
{
	return tyrc_uobj_get(op, sizeof(*op), ops->array + (u64)i * ops->stride, ops->stride,
			     TYRC_BO_SYNC_OP_MIN_SIZE);
}

static int tyrc_bo_sync_one(struct tyrc_file *file, const struct drm_panthor_bo_sync_op *op)
{
	struct tyrc_gem_object *bo;
	u64 end;
	int ret = 0;

	bo = tyrc_gem_lookup(file, op->handle);
	if (!bo)
		return -ENOENT;
	if (op->type != DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH &&
	    op->type != DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH_AND_INVALIDATE)
		ret = -EINVAL;
	else if (check_add_overflow(op->offset, op->size, &end) || end > tyrc_gem_size(bo))
		ret = -EINVAL;
	/*
	 * Board RAM is one memfd that CPU and model share coherently: the
	 * cache maintenance itself is a no-op once the range is checked.
	 */
	tyrc_gem_put(bo);
	return ret;
}

static int tyrc_ioctl_bo_sync(struct tyrc_file *file, void *data)
{
	struct drm_panthor_bo_sync *args = data;
	struct drm_panthor_bo_sync_op op;
	int ret;

	if (!args->ops.count)
		return 0;
	if (args->ops.stride < TYRC_BO_SYNC_OP_MIN_SIZE)
		return -EINVAL;
	/* PANTHOR_UOBJ_GET_ARRAY copies every element before any op runs. */
	for (u32 i = 0; i < args->ops.count; i++) {
		ret = tyrc_bo_sync_op_get(&op, &args->ops, i);
		if (ret)
			return ret;
	}
	for (u32 i = 0; i < args->ops.count; i++) {
		ret = tyrc_bo_sync_op_get(&op, &args->ops, i);
		if (!ret)
			ret = tyrc_bo_sync_one(file, &op);
		if (ret)
			return ret;
	}
	return 0;
}

static int tyrc_ioctl_bo_query_info(struct tyrc_file *file, void *data)
{
	struct drm_panthor_bo_query_info *args = data;
	struct tyrc_gem_object *bo;

	bo = tyrc_gem_lookup(file, args->handle);
	if (!bo)
		return -ENOENT;
	/* Nothing is imported from another driver (no PRIME import yet). */
	args->extra_flags = 0;
	args->create_flags = tyrc_gem_flags(bo);
	args->pad = 0;
	tyrc_gem_put(bo);
	return 0;
}

#define PANTHOR_IOCTL(n, func) \
	[DRM_PANTHOR_##n] = TYRC_IOCTL_DEF(DRM_IOCTL_PANTHOR_##n, func, TYRC_DRM_RENDER_ALLOW)

const struct tyrc_ioctl_desc tyrc_panthor_ioctls[] = {
	PANTHOR_IOCTL(DEV_QUERY, tyrc_ioctl_dev_query),
	PANTHOR_IOCTL(VM_CREATE, tyrc_ioctl_vm_create),
	PANTHOR_IOCTL(VM_DESTROY, tyrc_ioctl_vm_destroy),
	PANTHOR_IOCTL(VM_BIND, tyrc_ioctl_vm_bind),
	PANTHOR_IOCTL(VM_GET_STATE, tyrc_ioctl_vm_get_state),
	PANTHOR_IOCTL(BO_CREATE, tyrc_ioctl_bo_create),
	PANTHOR_IOCTL(BO_MMAP_OFFSET, tyrc_ioctl_bo_mmap_offset),
	PANTHOR_IOCTL(GROUP_CREATE, tyrc_ioctl_group_create),
	PANTHOR_IOCTL(GROUP_DESTROY, tyrc_ioctl_group_destroy),
	/* Groups exist but do not run yet: no scheduler, so no submission. */
	PANTHOR_IOCTL(GROUP_SUBMIT, tyrc_ioctl_group_submit),
	PANTHOR_IOCTL(GROUP_GET_STATE, tyrc_ioctl_group_get_state),
	PANTHOR_IOCTL(TILER_HEAP_CREATE, tyrc_ioctl_tiler_heap_create),
	PANTHOR_IOCTL(TILER_HEAP_DESTROY, tyrc_ioctl_tiler_heap_destroy),
	PANTHOR_IOCTL(BO_SET_LABEL, tyrc_ioctl_bo_set_label),
	PANTHOR_IOCTL(SET_USER_MMIO_OFFSET, tyrc_ioctl_set_user_mmio_offset),
	PANTHOR_IOCTL(BO_SYNC, tyrc_ioctl_bo_sync),
	PANTHOR_IOCTL(BO_QUERY_INFO, tyrc_ioctl_bo_query_info),
};

const unsigned int tyrc_panthor_num_ioctls = ARRAY_SIZE(tyrc_panthor_ioctls);
