// SPDX-License-Identifier: MIT
/*
 * igt_panthor.c - panthor helpers with upstream IGT's names; see
 * igt_panthor.h.
 */
#include "igt_panthor.h"

#include "drmtest.h"
#include "ioctl_wrappers.h"

void igt_panthor_query(int fd, int32_t type, void *data, size_t size, int err)
{
	struct drm_panthor_dev_query query = {
		.type = (uint32_t)type,
		.size = (uint32_t)size,
		.pointer = (uintptr_t)data,
	};

	if (err)
		do_ioctl_err(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &query, err);
	else
		do_ioctl(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &query);
}

uint64_t igt_panthor_get_first_core(uint64_t cores_present)
{
	if (!cores_present)
		return 0;
	return cores_present & -cores_present;
}
