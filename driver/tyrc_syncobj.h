/* SPDX-License-Identifier: MIT */
/*
 * DOC: DRM sync objects
 *
 * drm_syncobj: a refcounted holder of a fence pointer — one fence (binary)
 * or the last point of a chain of tyrc_dma_fence_chain nodes (timeline) —
 * named by per-file handles and shareable as syncobj fds; the DRM core
 * ioctls that create, share, signal, reset, query, transfer and wait on
 * them; and the sync_file import/export of their fences.
 *
 * Lock order: file->syncobj_lock (the handle table's xarray lock) is never
 * held across a syncobj operation; syncobj->lock → fence locks.
 */
#ifndef TYRC_SYNCOBJ_H
#define TYRC_SYNCOBJ_H

#include <tyrc/kernel.h>

struct tyrc_file;
struct tyrc_syncobj;

/** tyrc_syncobj_open() - set up @file's handle table (drm_syncobj_open). */
void tyrc_syncobj_open(struct tyrc_file *file);
/** tyrc_syncobj_release() - drop every handle of @file (drm_syncobj_release). */
void tyrc_syncobj_release(struct tyrc_file *file);

/** tyrc_syncobj_find() - Return: a reference to the syncobj of @handle, or NULL. */
struct tyrc_syncobj *tyrc_syncobj_find(struct tyrc_file *file, u32 handle);
/** tyrc_syncobj_get() - take a reference. Return: @syncobj. */
struct tyrc_syncobj *tyrc_syncobj_get(struct tyrc_syncobj *syncobj);
/** tyrc_syncobj_put() - drop a reference; NULL-tolerant. */
void tyrc_syncobj_put(struct tyrc_syncobj *syncobj);
/** tyrc_syncobj_fence_get() - Return: a reference to the current fence, or NULL. */
struct tyrc_dma_fence *tyrc_syncobj_fence_get(struct tyrc_syncobj *syncobj);
/** tyrc_syncobj_replace_fence() - binary: make @fence (NULL: none) the syncobj's fence. */
void tyrc_syncobj_replace_fence(struct tyrc_syncobj *syncobj, struct tyrc_dma_fence *fence);
/**
 * tyrc_syncobj_add_point() - timeline: add @point carrying @fence.
 * @chain: from tyrc_dma_fence_chain_alloc(), consumed
 */
void tyrc_syncobj_add_point(struct tyrc_syncobj *syncobj, struct tyrc_dma_fence_chain *chain,
			    struct tyrc_dma_fence *fence, u64 point);
/**
 * tyrc_syncobj_find_fence() - the fence of @handle at @point.
 * @flags: DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT waits (at most 5 s) for it to appear
 * Return: 0 with *@fence a reference (a signalled stub if the point has
 * signalled and was collected); -ENOENT unknown handle; -EINVAL no fence;
 * -ETIME / -EINTR while waiting for one.
 */
int tyrc_syncobj_find_fence(struct tyrc_file *file, u32 handle, u64 point, u64 flags,
			    struct tyrc_dma_fence **fence);

/* Core ioctl handlers (tyrc_drm.c's table). */
int tyrc_syncobj_create_ioctl(struct tyrc_file *file, void *data);
int tyrc_syncobj_destroy_ioctl(struct tyrc_file *file, void *data);
int tyrc_syncobj_handle_to_fd_ioctl(struct tyrc_file *file, void *data);
int tyrc_syncobj_fd_to_handle_ioctl(struct tyrc_file *file, void *data);
int tyrc_syncobj_transfer_ioctl(struct tyrc_file *file, void *data);
int tyrc_syncobj_wait_ioctl(struct tyrc_file *file, void *data);
int tyrc_syncobj_timeline_wait_ioctl(struct tyrc_file *file, void *data);
int tyrc_syncobj_eventfd_ioctl(struct tyrc_file *file, void *data);
int tyrc_syncobj_reset_ioctl(struct tyrc_file *file, void *data);
int tyrc_syncobj_signal_ioctl(struct tyrc_file *file, void *data);
int tyrc_syncobj_timeline_signal_ioctl(struct tyrc_file *file, void *data);
int tyrc_syncobj_query_ioctl(struct tyrc_file *file, void *data);

#endif /* TYRC_SYNCOBJ_H */
