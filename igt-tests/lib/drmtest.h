/* SPDX-License-Identifier: MIT */
/*
 * drmtest.h - opening DRM devices, as IGT's lib/drmtest.h.
 */

#ifndef DRMTEST_H
#define DRMTEST_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xf86drm.h>

#include "igt_core.h"

/* Driver bits: one per entry of the modules[] table in drmtest.c. */
#define DRIVER_INTEL (1 << 0)
#define DRIVER_VC4 (1 << 1)
#define DRIVER_VGEM (1 << 2)
#define DRIVER_AMDGPU (1 << 3)
#define DRIVER_V3D (1 << 4)
#define DRIVER_PANFROST (1 << 5)
#define DRIVER_MSM (1 << 6)
#define DRIVER_XE (1 << 7)
#define DRIVER_VMWGFX (1 << 8)
#define DRIVER_VKMS (1 << 9)
#define DRIVER_VIRTIO (1 << 10)
#define DRIVER_PANTHOR (1 << 11)

/* Virtual drivers are left out so a real GPU is preferred. */
#define DRIVER_ANY ~(DRIVER_VGEM | DRIVER_VKMS | DRIVER_VIRTIO)

#define ARRAY_SIZE(arr) (sizeof(arr) / sizeof(arr[0]))
#define ALIGN(v, a) ALIGN_MASK(v, (typeof(v))(a)-1)
#define ALIGN_MASK(v, mask) (((v) + (mask)) & ~(mask))
#define ALIGN_DOWN(x, a) ALIGN((x) - ((a)-1), (a))
#define IS_ALIGNED(v, a) (((v) & ((typeof(v))(a)-1)) == 0)

/**
 * __get_drm_device_name - driver name of a DRM fd (DRM_IOCTL_VERSION)
 * @fd: DRM file descriptor
 * @name: buffer for the name; NUL-terminated by the caller's zeroing
 * @name_size: bytes the kernel may write to @name
 *
 * Return: 0 on success, -1 if the ioctl failed.
 */
int __get_drm_device_name(int fd, char *name, int name_size);

void __set_forced_driver(const char *name);
unsigned int drm_get_chipset(int fd);

/**
 * __drm_open_device - open one node and check its driver
 * @name: device node path
 * @chipset: DRIVER_* bits the driver must match
 *
 * Return: an fd, or -1 if the node cannot be opened or has another driver.
 */
int __drm_open_device(const char *name, unsigned int chipset);

/**
 * __drm_open_driver_another - open the first matching primary node not yet opened
 * @idx: index of this device among the devices the test opens (0 first)
 * @chipset: DRIVER_* bits
 *
 * Probes /dev/dri/card0 .. card15, skipping nodes that cannot be stat()ed
 * and nodes already opened as index 0 .. @idx - 1.
 *
 * Return: an fd, or -1.
 */
int __drm_open_driver_another(int idx, int chipset);

/**
 * drm_open_driver_another - __drm_open_driver_another() or skip
 * @idx: device index
 * @chipset: DRIVER_* bits
 *
 * Return: an fd; skips the (sub)test when there is none.
 */
int drm_open_driver_another(int idx, int chipset);

/**
 * __drm_open_driver - open the first primary node of @chipset
 * @chipset: DRIVER_* bits
 *
 * Return: an fd, or -1.
 */
int __drm_open_driver(int chipset);

/**
 * drm_open_driver - open the first primary node of @chipset or skip
 * @chipset: DRIVER_* bits
 *
 * Skips with "No known gpu found for chipset flags 0x<n> (<driver>)".
 *
 * Return: an fd.
 */
int drm_open_driver(int chipset);

/**
 * drm_open_driver_master - drm_open_driver() and become DRM master, or skip
 * @chipset: DRIVER_* bits
 *
 * Return: an fd.
 */
int drm_open_driver_master(int chipset);

/**
 * __drm_open_driver_render - open the first render node of @chipset
 * @chipset: DRIVER_* bits
 *
 * Return: an fd, or -1.
 */
int __drm_open_driver_render(int chipset);

/**
 * drm_open_driver_render - open a render node, falling back to drm_open_driver()
 * @chipset: DRIVER_* bits
 *
 * Return: an fd; skips when there is no device at all.
 */
int drm_open_driver_render(int chipset);

/**
 * drm_reopen_driver - open the same device again as a new DRM file
 * @fd: an open DRM fd
 *
 * Opens /proc/self/fd/@fd, which gives an independent DRM file (own
 * handles, VMs, groups). Asserts on failure.
 *
 * Return: the new fd.
 */
int drm_reopen_driver(int fd);

/**
 * __drm_close_driver - close a DRM fd if it really is one
 * @fd: fd to close
 *
 * Return: close()'s result, or -1 if @fd does not point at /dev/dri/.
 */
int __drm_close_driver(int fd);

/**
 * drm_close_driver - like __drm_close_driver() but warns on a non-DRM fd
 * @fd: fd to close
 *
 * Return: 0 on success, -1 on error.
 */
int drm_close_driver(int fd);

/* Defined in ioctl_wrappers.c; repeated here for do_ioctl() users. */
extern int (*igt_ioctl)(int fd, unsigned long request, void *arg);

/**
 * do_or_die - assert that an expression evaluates to 0
 * @x: expression
 */
#define do_or_die(x) igt_assert((x) == 0)

/**
 * do_ioctl - assert that an ioctl succeeds
 * @fd: DRM fd
 * @ioc: request
 * @ioc_data: argument
 */
#define do_ioctl(fd, ioc, ioc_data)                                   \
	do {                                                          \
		igt_assert_eq(igt_ioctl((fd), (ioc), (ioc_data)), 0); \
		errno = 0;                                            \
	} while (0)

/**
 * do_ioctl_err - assert that an ioctl fails with -1 and errno == @err
 * @fd: DRM fd
 * @ioc: request
 * @ioc_data: argument
 * @err: expected errno
 */
#define do_ioctl_err(fd, ioc, ioc_data, err)                           \
	do {                                                           \
		igt_assert_eq(igt_ioctl((fd), (ioc), (ioc_data)), -1); \
		igt_assert_eq(errno, err);                             \
		errno = 0;                                             \
	} while (0)

#endif /* DRMTEST_H */
