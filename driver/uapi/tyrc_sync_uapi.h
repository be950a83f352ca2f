/* SPDX-License-Identifier: MIT */
/*
 * DOC: Sync object uAPI additions
 *
 * The DRM syncobj uAPI of current Linux (include/uapi/drm/drm.h, 6.6+) where
 * the installed libdrm drm.h predates it: the timeline point of
 * HANDLE_TO_FD / FD_TO_HANDLE, the wait deadline, and SYNCOBJ_EVENTFD. The
 * structs here are the full (kernel-size) layouts; older, shorter structs
 * keep working because the DRM core zero-extends them. Also the sync_file
 * uAPI (include/uapi/linux/sync_file.h).
 */
#ifndef TYRC_SYNC_UAPI_H
#define TYRC_SYNC_UAPI_H

#include <linux/sync_file.h>
#include "drm.h"

#ifndef DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_TIMELINE
#define DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_TIMELINE (1 << 1)
#endif
#ifndef DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_TIMELINE
#define DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_TIMELINE (1 << 1)
#endif
#ifndef DRM_SYNCOBJ_WAIT_FLAGS_WAIT_DEADLINE
#define DRM_SYNCOBJ_WAIT_FLAGS_WAIT_DEADLINE (1 << 3)
#endif

/** struct tyrc_drm_syncobj_handle - drm_syncobj_handle with @point (24 bytes). */
struct tyrc_drm_syncobj_handle {
	__u32 handle;
	__u32 flags;
	__s32 fd;
	__u32 pad;
	/** @point: timeline point, with the TIMELINE flag only (else must be 0). */
	__u64 point;
};

/** struct tyrc_drm_syncobj_wait - drm_syncobj_wait with @deadline_nsec (40 bytes). */
struct tyrc_drm_syncobj_wait {
	__u64 handles;
	/** @timeout_nsec: absolute CLOCK_MONOTONIC time; 0 polls. */
	__s64 timeout_nsec;
	__u32 count_handles;
	__u32 flags;
	/** @first_signaled: out; only valid without WAIT_ALL. */
	__u32 first_signaled;
	__u32 pad;
	/** @deadline_nsec: with WAIT_DEADLINE, a hint of when the fences are needed. */
	__u64 deadline_nsec;
};

/** struct tyrc_drm_syncobj_timeline_wait - drm_syncobj_timeline_wait with @deadline_nsec (48 bytes). */
struct tyrc_drm_syncobj_timeline_wait {
	__u64 handles;
	__u64 points;
	__s64 timeout_nsec;
	__u32 count_handles;
	__u32 flags;
	__u32 first_signaled;
	__u32 pad;
	__u64 deadline_nsec;
};

#ifndef DRM_IOCTL_SYNCOBJ_EVENTFD
/** struct drm_syncobj_eventfd - signal an eventfd when a point signals or appears. */
struct drm_syncobj_eventfd {
	__u32 handle;
	/** @flags: 0 or DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE. */
	__u32 flags;
	__u64 point;
	__s32 fd;
	__u32 pad;
};
#define DRM_IOCTL_SYNCOBJ_EVENTFD DRM_IOWR(0xCF, struct drm_syncobj_eventfd)
#endif

#define TYRC_DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD DRM_IOWR(0xC1, struct tyrc_drm_syncobj_handle)
#define TYRC_DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE DRM_IOWR(0xC2, struct tyrc_drm_syncobj_handle)
#define TYRC_DRM_IOCTL_SYNCOBJ_WAIT DRM_IOWR(0xC3, struct tyrc_drm_syncobj_wait)
#define TYRC_DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT DRM_IOWR(0xCA, struct tyrc_drm_syncobj_timeline_wait)

#endif /* TYRC_SYNC_UAPI_H */
