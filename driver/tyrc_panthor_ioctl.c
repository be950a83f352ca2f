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

/* Size up to and including @member: the minimum a user struct must cover. */
#define TYRC_OFFSETOFEND(type, member) (offsetof(type, member) + sizeof(((type *)0)->member))

#define TYRC_GPU_INFO_MIN_SIZE TYRC_OFFSETOFEND(struct drm_panthor_gpu_info, tiler_present)

/*
 * panthor_set_uobj(): copy a kernel object to a user struct of @usr_size
 * bytes: too small → -EINVAL; the common part is copied, and a user struct
 * larger than the kernel's gets its tail zeroed.
 */
static int tyrc_uobj_set(u64 usr_ptr, u32 usr_size, u32 min_size, const void *kobj, u32 kern_size)
{
	if (usr_size < min_size)
		return -EINVAL;
	if (tyrc_copy_to_user(usr_ptr, kobj, tyrc_min(usr_size, kern_size)))
		return -EFAULT;
	if (usr_size > kern_size && tyrc_clear_user(usr_ptr + kern_size, usr_size - kern_size))
		return -EFAULT;
	return 0;
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
		default:
			return -EINVAL;
		}
	}

	switch (args->type) {
	case DRM_PANTHOR_DEV_QUERY_GPU_INFO:
		return tyrc_uobj_set(args->pointer, args->size, TYRC_GPU_INFO_MIN_SIZE,
				     &dev->gpu_info, sizeof(dev->gpu_info));
	default:
		return -EINVAL;
	}
}

#define PANTHOR_IOCTL(n, func) \
	[DRM_PANTHOR_##n] = TYRC_IOCTL_DEF(DRM_IOCTL_PANTHOR_##n, func, TYRC_DRM_RENDER_ALLOW)

const struct tyrc_ioctl_desc tyrc_panthor_ioctls[] = {
	PANTHOR_IOCTL(DEV_QUERY, tyrc_ioctl_dev_query),
	PANTHOR_IOCTL(VM_CREATE, NULL),
	PANTHOR_IOCTL(VM_DESTROY, NULL),
	PANTHOR_IOCTL(VM_BIND, NULL),
	PANTHOR_IOCTL(VM_GET_STATE, NULL),
	PANTHOR_IOCTL(BO_CREATE, NULL),
	PANTHOR_IOCTL(BO_MMAP_OFFSET, NULL),
	PANTHOR_IOCTL(GROUP_CREATE, NULL),
	PANTHOR_IOCTL(GROUP_DESTROY, NULL),
	PANTHOR_IOCTL(GROUP_SUBMIT, NULL),
	PANTHOR_IOCTL(GROUP_GET_STATE, NULL),
	PANTHOR_IOCTL(TILER_HEAP_CREATE, NULL),
	PANTHOR_IOCTL(TILER_HEAP_DESTROY, NULL),
	PANTHOR_IOCTL(BO_SET_LABEL, NULL),
	PANTHOR_IOCTL(SET_USER_MMIO_OFFSET, NULL),
	PANTHOR_IOCTL(BO_SYNC, NULL),
	PANTHOR_IOCTL(BO_QUERY_INFO, NULL),
};

const unsigned int tyrc_panthor_num_ioctls = ARRAY_SIZE(tyrc_panthor_ioctls);
