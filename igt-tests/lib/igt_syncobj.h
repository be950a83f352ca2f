/* SPDX-License-Identifier: MIT */
/*
 * DOC: igt_syncobj
 *
 * Upstream IGT's syncobj helpers (lib/igt_syncobj.h): each plain helper
 * asserts success; each __ variant returns 0 or -errno. The structs with
 * the timeline point and the wait deadline come from tyrc_sync_uapi.h.
 */
#ifndef IGT_SYNCOBJ_H
#define IGT_SYNCOBJ_H

#include <stdbool.h>
#include <stdint.h>

#include "tyrc_sync_uapi.h"

uint32_t syncobj_create(int fd, uint32_t flags);
int __syncobj_destroy(int fd, uint32_t handle);
void syncobj_destroy(int fd, uint32_t handle);
int __syncobj_handle_to_fd(int fd, struct drm_syncobj_handle *args);
int __syncobj_fd_to_handle(int fd, struct drm_syncobj_handle *args);
int syncobj_handle_to_fd(int fd, uint32_t handle, uint32_t flags);
uint32_t syncobj_fd_to_handle(int fd, int syncobj_fd, uint32_t flags);
void syncobj_import_sync_file(int fd, uint32_t handle, int sync_file);
int __syncobj_wait(int fd, struct drm_syncobj_wait *args);
int syncobj_wait_err(int fd, uint32_t *handles, uint32_t count, uint64_t abs_timeout_nsec,
		     uint32_t flags);
bool syncobj_wait(int fd, uint32_t *handles, uint32_t count, uint64_t abs_timeout_nsec,
		  uint32_t flags, uint32_t *first_signaled);
int __syncobj_timeline_wait_ioctl(int fd, struct drm_syncobj_timeline_wait *args);
int syncobj_timeline_wait_err(int fd, uint32_t *handles, uint64_t *points, unsigned num_handles,
			      int64_t timeout_nsec, unsigned flags);
bool syncobj_timeline_wait(int fd, uint32_t *handles, uint64_t *points, unsigned num_handles,
			   int64_t timeout_nsec, unsigned flags, uint32_t *first_signaled);
int __syncobj_reset(int fd, uint32_t *handles, uint32_t count);
void syncobj_reset(int fd, uint32_t *handles, uint32_t count);
int __syncobj_signal(int fd, uint32_t *handles, uint32_t count);
void syncobj_signal(int fd, uint32_t *handles, uint32_t count);
int __syncobj_timeline_signal(int fd, uint32_t *handles, uint64_t *points, uint32_t count);
void syncobj_timeline_signal(int fd, uint32_t *handles, uint64_t *points, uint32_t count);
int __syncobj_timeline_query(int fd, uint32_t *handles, uint64_t *points, uint32_t count,
			     uint32_t flags);
void syncobj_timeline_query(int fd, uint32_t *handles, uint64_t *points, uint32_t count);
int __syncobj_transfer(int fd, uint32_t handle_dst, uint64_t point_dst, uint32_t handle_src,
		       uint64_t point_src, uint32_t flags);
void syncobj_transfer(int fd, uint32_t handle_dst, uint64_t point_dst, uint32_t handle_src,
		      uint64_t point_src, uint32_t flags);
int __syncobj_eventfd(int fd, uint32_t handle, uint64_t point, uint32_t flags, int ev_fd);
void syncobj_eventfd(int fd, uint32_t handle, uint64_t point, uint32_t flags, int ev_fd);
/** syncobj_export_sync_file() - tyrc: HANDLE_TO_FD with EXPORT_SYNC_FILE (and a point). */
int syncobj_export_sync_file(int fd, uint32_t handle, uint64_t point);
/** gettime_ns() - CLOCK_MONOTONIC now, in ns. */
int64_t syncobj_gettime_ns(void);

#endif /* IGT_SYNCOBJ_H */
