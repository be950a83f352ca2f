/* SPDX-License-Identifier: MIT */
/*
 * ioctl_wrappers.h - DRM core ioctl wrappers, as IGT's lib/ioctl_wrappers.h.
 */

#ifndef IOCTL_WRAPPERS_H
#define IOCTL_WRAPPERS_H

#include <stdint.h>

#include <xf86drm.h>

/**
 * igt_ioctl - ioctl entry point of all wrappers
 *
 * Defaults to libdrm's drmIoctl(), which restarts on EINTR/EAGAIN and
 * returns -1 with errno set on failure. Tests may point it elsewhere.
 */
extern int (*igt_ioctl)(int fd, unsigned long request, void *arg);

/**
 * __gem_close - DRM_IOCTL_GEM_CLOSE
 * @fd: DRM fd
 * @handle: GEM handle
 *
 * Return: 0 or -errno.
 */
int __gem_close(int fd, uint32_t handle);

/**
 * gem_close - DRM_IOCTL_GEM_CLOSE, asserting success
 * @fd: DRM fd
 * @handle: GEM handle
 */
void gem_close(int fd, uint32_t handle);

/**
 * prime_handle_to_fd - export a GEM handle as a dma-buf (DRM_CLOEXEC), asserting success
 * @fd: DRM fd
 * @handle: GEM handle
 *
 * Return: the dma-buf fd.
 */
int prime_handle_to_fd(int fd, uint32_t handle);

/**
 * prime_handle_to_fd_for_mmap - export with DRM_CLOEXEC | DRM_RDWR
 * @fd: DRM fd
 * @handle: GEM handle
 *
 * Return: the dma-buf fd, or -1 if the kernel rejects DRM_RDWR (EINVAL).
 */
int prime_handle_to_fd_for_mmap(int fd, uint32_t handle);

/**
 * prime_fd_to_handle - import a dma-buf, asserting success
 * @fd: DRM fd
 * @dma_buf_fd: dma-buf fd
 *
 * Return: the GEM handle.
 */
uint32_t prime_fd_to_handle(int fd, int dma_buf_fd);

#endif /* IOCTL_WRAPPERS_H */
