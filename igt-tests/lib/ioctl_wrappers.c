// SPDX-License-Identifier: MIT
/*
 * ioctl_wrappers.c - DRM core ioctl wrappers.
 */

#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include "igt_core.h"
#include "ioctl_wrappers.h"

int (*igt_ioctl)(int fd, unsigned long request, void *arg) = drmIoctl;

int __gem_close(int fd, uint32_t handle)
{
	struct drm_gem_close close_bo;
	int err = 0;

	memset(&close_bo, 0, sizeof(close_bo));
	close_bo.handle = handle;
	if (igt_ioctl(fd, DRM_IOCTL_GEM_CLOSE, &close_bo)) {
		err = -errno;
		errno = 0;
	}

	return err;
}

void gem_close(int fd, uint32_t handle)
{
	igt_assert_eq(__gem_close(fd, handle), 0);
}

int prime_handle_to_fd(int fd, uint32_t handle)
{
	struct drm_prime_handle args;

	memset(&args, 0, sizeof(args));
	args.handle = handle;
	args.flags = DRM_CLOEXEC;
	args.fd = -1;

	igt_assert_eq(igt_ioctl(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &args), 0);
	errno = 0;

	return args.fd;
}

int prime_handle_to_fd_for_mmap(int fd, uint32_t handle)
{
	struct drm_prime_handle args;

	memset(&args, 0, sizeof(args));
	args.handle = handle;
	args.flags = DRM_CLOEXEC | DRM_RDWR;
	args.fd = -1;

	if (igt_ioctl(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &args) != 0) {
		igt_assert_eq(errno, EINVAL);
		errno = 0;
		return -1;
	}

	return args.fd;
}

uint32_t prime_fd_to_handle(int fd, int dma_buf_fd)
{
	struct drm_prime_handle args;

	memset(&args, 0, sizeof(args));
	args.fd = dma_buf_fd;

	igt_assert_eq(igt_ioctl(fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &args), 0);
	errno = 0;

	return args.handle;
}
