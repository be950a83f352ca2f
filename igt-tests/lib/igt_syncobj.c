// SPDX-License-Identifier: MIT
/* Syncobj helpers with upstream IGT's names (see igt_syncobj.h). */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <xf86drm.h>

#include "igt.h"
#include "igt_syncobj.h"

static int syncobj_ioctl(int fd, unsigned long cmd, void *arg)
{
	return igt_ioctl(fd, cmd, arg) ? -errno : 0;
}

uint32_t syncobj_create(int fd, uint32_t flags)
{
	struct drm_syncobj_create create = { .flags = flags };

	igt_assert_eq(syncobj_ioctl(fd, DRM_IOCTL_SYNCOBJ_CREATE, &create), 0);
	igt_assert(create.handle > 0);
	return create.handle;
}

int __syncobj_destroy(int fd, uint32_t handle)
{
	struct drm_syncobj_destroy destroy = { .handle = handle };

	return syncobj_ioctl(fd, DRM_IOCTL_SYNCOBJ_DESTROY, &destroy);
}

void syncobj_destroy(int fd, uint32_t handle)
{
	igt_assert_eq(__syncobj_destroy(fd, handle), 0);
}

int __syncobj_handle_to_fd(int fd, struct drm_syncobj_handle *args)
{
	return syncobj_ioctl(fd, DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, args);
}

int __syncobj_fd_to_handle(int fd, struct drm_syncobj_handle *args)
{
	return syncobj_ioctl(fd, DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE, args);
}

int syncobj_handle_to_fd(int fd, uint32_t handle, uint32_t flags)
{
	struct drm_syncobj_handle args = { .handle = handle, .flags = flags };

	igt_assert_eq(__syncobj_handle_to_fd(fd, &args), 0);
	igt_assert(args.fd >= 0);
	return args.fd;
}

uint32_t syncobj_fd_to_handle(int fd, int syncobj_fd, uint32_t flags)
{
	struct drm_syncobj_handle args = { .fd = syncobj_fd, .flags = flags };

	igt_assert_eq(__syncobj_fd_to_handle(fd, &args), 0);
	igt_assert(args.handle > 0);
	return args.handle;
}

void syncobj_import_sync_file(int fd, uint32_t handle, int sync_file)
{
	struct drm_syncobj_handle args = {
		.handle = handle,
		.fd = sync_file,
		.flags = DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_IMPORT_SYNC_FILE,
	};

	igt_assert_eq(__syncobj_fd_to_handle(fd, &args), 0);
}

int syncobj_export_sync_file(int fd, uint32_t handle, uint64_t point)
{
	struct tyrc_drm_syncobj_handle args = {
		.handle = handle,
		.flags = DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE |
			 (point ? DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_TIMELINE : 0),
		.point = point,
	};

	igt_assert_eq(syncobj_ioctl(fd, TYRC_DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, &args), 0);
	igt_assert(args.fd >= 0);
	return args.fd;
}

int __syncobj_wait(int fd, struct drm_syncobj_wait *args)
{
	return syncobj_ioctl(fd, DRM_IOCTL_SYNCOBJ_WAIT, args);
}

int syncobj_wait_err(int fd, uint32_t *handles, uint32_t count, uint64_t abs_timeout_nsec,
		     uint32_t flags)
{
	struct drm_syncobj_wait wait = {
		.handles = (uintptr_t)handles,
		.timeout_nsec = (int64_t)abs_timeout_nsec,
		.count_handles = count,
		.flags = flags,
	};

	return __syncobj_wait(fd, &wait);
}

bool syncobj_wait(int fd, uint32_t *handles, uint32_t count, uint64_t abs_timeout_nsec,
		  uint32_t flags, uint32_t *first_signaled)
{
	struct drm_syncobj_wait wait = {
		.handles = (uintptr_t)handles,
		.timeout_nsec = (int64_t)abs_timeout_nsec,
		.count_handles = count,
		.flags = flags,
	};
	int ret = __syncobj_wait(fd, &wait);

	if (ret == -ETIME)
		return false;
	igt_assert_eq(ret, 0);
	if (first_signaled)
		*first_signaled = wait.first_signaled;
	return true;
}

int __syncobj_timeline_wait_ioctl(int fd, struct drm_syncobj_timeline_wait *args)
{
	return syncobj_ioctl(fd, DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, args);
}

int syncobj_timeline_wait_err(int fd, uint32_t *handles, uint64_t *points, unsigned num_handles,
			      int64_t timeout_nsec, unsigned flags)
{
	struct drm_syncobj_timeline_wait wait = {
		.handles = (uintptr_t)handles,
		.points = (uintptr_t)points,
		.timeout_nsec = timeout_nsec,
		.count_handles = num_handles,
		.flags = flags,
	};

	return __syncobj_timeline_wait_ioctl(fd, &wait);
}

bool syncobj_timeline_wait(int fd, uint32_t *handles, uint64_t *points, unsigned num_handles,
			   int64_t timeout_nsec, unsigned flags, uint32_t *first_signaled)
{
	struct drm_syncobj_timeline_wait wait = {
		.handles = (uintptr_t)handles,
		.points = (uintptr_t)points,
		.timeout_nsec = timeout_nsec,
		.count_handles = num_handles,
		.flags = flags,
	};
	int ret = __syncobj_timeline_wait_ioctl(fd, &wait);

	if (ret == -ETIME)
		return false;
	igt_assert_eq(ret, 0);
	if (first_signaled)
		*first_signaled = wait.first_signaled;
	return true;
}

static int syncobj_array(int fd, unsigned long cmd, uint32_t *handles, uint32_t count)
{
	struct drm_syncobj_array array = { .handles = (uintptr_t)handles, .count_handles = count };

	return syncobj_ioctl(fd, cmd, &array);
}

int __syncobj_reset(int fd, uint32_t *handles, uint32_t count)
{
	return syncobj_array(fd, DRM_IOCTL_SYNCOBJ_RESET, handles, count);
}

void syncobj_reset(int fd, uint32_t *handles, uint32_t count)
{
	igt_assert_eq(__syncobj_reset(fd, handles, count), 0);
}

int __syncobj_signal(int fd, uint32_t *handles, uint32_t count)
{
	return syncobj_array(fd, DRM_IOCTL_SYNCOBJ_SIGNAL, handles, count);
}

void syncobj_signal(int fd, uint32_t *handles, uint32_t count)
{
	igt_assert_eq(__syncobj_signal(fd, handles, count), 0);
}

int __syncobj_timeline_signal(int fd, uint32_t *handles, uint64_t *points, uint32_t count)
{
	struct drm_syncobj_timeline_array array = {
		.handles = (uintptr_t)handles,
		.points = (uintptr_t)points,
		.count_handles = count,
	};

	return syncobj_ioctl(fd, DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL, &array);
}

void syncobj_timeline_signal(int fd, uint32_t *handles, uint64_t *points, uint32_t count)
{
	igt_assert_eq(__syncobj_timeline_signal(fd, handles, points, count), 0);
}

int __syncobj_timeline_query(int fd, uint32_t *handles, uint64_t *points, uint32_t count,
			     uint32_t flags)
{
	struct drm_syncobj_timeline_array array = {
		.handles = (uintptr_t)handles,
		.points = (uintptr_t)points,
		.count_handles = count,
		.flags = flags,
	};

	return syncobj_ioctl(fd, DRM_IOCTL_SYNCOBJ_QUERY, &array);
}

void syncobj_timeline_query(int fd, uint32_t *handles, uint64_t *points, uint32_t count)
{
	igt_assert_eq(__syncobj_timeline_query(fd, handles, points, count, 0), 0);
}

int __syncobj_transfer(int fd, uint32_t handle_dst, uint64_t point_dst, uint32_t handle_src,
		       uint64_t point_src, uint32_t flags)
{
	struct drm_syncobj_transfer args = {
		.src_handle = handle_src,
		.dst_handle = handle_dst,
		.src_point = point_src,
		.dst_point = point_dst,
		.flags = flags,
	};

	return syncobj_ioctl(fd, DRM_IOCTL_SYNCOBJ_TRANSFER, &args);
}

void syncobj_transfer(int fd, uint32_t handle_dst, uint64_t point_dst, uint32_t handle_src,
		      uint64_t point_src, uint32_t flags)
{
	igt_assert_eq(__syncobj_transfer(fd, handle_dst, point_dst, handle_src, point_src, flags),
		      0);
}

int __syncobj_eventfd(int fd, uint32_t handle, uint64_t point, uint32_t flags, int ev_fd)
{
	struct drm_syncobj_eventfd args = {
		.handle = handle,
		.flags = flags,
		.point = point,
		.fd = ev_fd,
	};

	return syncobj_ioctl(fd, DRM_IOCTL_SYNCOBJ_EVENTFD, &args);
}

void syncobj_eventfd(int fd, uint32_t handle, uint64_t point, uint32_t flags, int ev_fd)
{
	igt_assert_eq(__syncobj_eventfd(fd, handle, point, flags, ev_fd), 0);
}

int64_t syncobj_gettime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}
