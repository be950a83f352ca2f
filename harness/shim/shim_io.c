// SPDX-License-Identifier: MIT
/*
 * DOC: Shim device I/O
 *
 * ioctl() and mmap() on DRM descriptors go to the host; on anything else
 * they are the real calls (anonymous mappings never even look at the
 * descriptor). Errors come back as -1 with errno, as from a kernel.
 */
#include <errno.h>
#include <stdarg.h>
#include <sys/mman.h>

#include "shim_priv.h"

SHIM_EXPORT int ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	void *arg;
	long ret;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	shim_init();
	if (shim_fd_minor(fd) < 0)
		return shim_real.ioctl(fd, request, arg);
	ret = shim_drm_ioctl(fd, request, arg);
	if (ret < 0) {
		errno = (int)-ret;
		return -1;
	}
	return (int)ret;
}

static void *mmap_common(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	void *p;
	int err;

	shim_init();
	if ((flags & MAP_ANONYMOUS) || fd < 0 || shim_fd_minor(fd) < 0)
		return shim_real.mmap(addr, len, prot, flags, fd, off);
	p = shim_drm_mmap(addr, len, prot, flags, fd, off, &err);
	if (p == MAP_FAILED)
		errno = -err;
	return p;
}

SHIM_EXPORT void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	return mmap_common(addr, len, prot, flags, fd, off);
}

SHIM_EXPORT void *mmap64(void *addr, size_t len, int prot, int flags, int fd, off64_t off)
{
	return mmap_common(addr, len, prot, flags, fd, off);
}
