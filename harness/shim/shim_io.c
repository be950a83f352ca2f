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
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

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
	/* DRM files, and the sync_file ioctls ('>') of sync_files the host made. */
	if (shim_fd_minor(fd) < 0 && (_IOC_TYPE(request) != '>' || !shim_fd_is_sync_file(fd)))
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
	if ((flags & MAP_ANONYMOUS) || fd < 0 || shim_fd_minor(fd) < 0) {
		p = shim_real.mmap(addr, len, prot, flags, fd, off);
		/* MAP_FIXED replaced whatever was there, DRM mappings included. */
		if (p != MAP_FAILED && (flags & MAP_FIXED))
			shim_map_forget(p, len);
		return p;
	}
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

/*
 * Not shim_init(): munmap() can run inside the sanitizer's or libc's own
 * start-up. Before the real function is known no DRM mapping can exist.
 */
SHIM_EXPORT int munmap(void *addr, size_t len)
{
	int (*real)(void *, size_t) = __atomic_load_n(&shim_real.munmap, __ATOMIC_ACQUIRE);
	int ret;

	if (!real)
		return (int)syscall(SYS_munmap, addr, len);
	ret = real(addr, len);
	if (!ret)
		shim_map_forget(addr, len);
	return ret;
}
