// SPDX-License-Identifier: MIT
/*
 * DOC: Sync object core
 *
 * A syncobj holds a fence pointer under @lock. Host waits that may start
 * before a fence exists (WAIT_FOR_SUBMIT, WAIT_AVAILABLE) and eventfd
 * registrations queue an entry on the syncobj; every fence change re-checks
 * the queued entries, still under @lock, and hands each the fence it was
 * waiting for. A wait ioctl sleeps on a wait queue of its own, woken by
 * those hand-overs and by fence callbacks, in slices so that it notices a
 * client that went away.
 *
 * Validation order and errnos follow drivers/gpu/drm/drm_syncobj.c.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tyrc_device.h"
#include "tyrc_sync_file.h"
#include "tyrc_sync_uapi.h"
#include "tyrc_syncobj.h"

/* How long a kernel-side lookup waits for a fence to be submitted (drm_syncobj.c). */
#define TYRC_SYNCOBJ_WAIT_FOR_SUBMIT_TIMEOUT_NS (5ULL * NSEC_PER_SEC)
/* A sleeping wait checks this often whether its client is still there. */
#define TYRC_SYNCOBJ_WAIT_SLICE_NS (50ULL * NSEC_PER_MSEC)

/** struct tyrc_syncobj - see DOC. */
struct tyrc_syncobj {
	/** @refcount: handles, syncobj fds, in-flight users. */
	struct tyrc_kref refcount;
	/** @lock: guards @fence, @cb_list and @ev_fd_list. */
	struct tyrc_mutex lock;
	/** @fence: the current fence or timeline point, or NULL (holds a reference). */
	struct tyrc_dma_fence *fence;
	/** @cb_list: wait entries waiting for a fence to appear (@lock). */
	struct tyrc_list_head cb_list;
	/** @ev_fd_list: eventfd entries waiting for their point to appear (@lock). */
	struct tyrc_list_head ev_fd_list;
};

/** struct syncobj_wait_entry - one syncobj of a wait. */
struct syncobj_wait_entry {
	/** @node: in &tyrc_syncobj.cb_list while waiting for a fence; self-linked otherwise. */
	struct tyrc_list_head node;
	/** @wq: the waiter's wait queue. */
	struct tyrc_waitqueue *wq;
	/** @fence: the fence found (atomic: set by the waker under the syncobj lock). */
	struct tyrc_dma_fence *fence;
	/** @fence_cb: wakes @wq when @fence signals. */
	struct tyrc_dma_fence_cb fence_cb;
	/** @cb_added: @fence_cb is queued on @fence (or ran). */
	bool cb_added;
	/** @point: timeline point, 0 for binary. */
	u64 point;
};

/** struct syncobj_eventfd_entry - a SYNCOBJ_EVENTFD registration. */
struct syncobj_eventfd_entry {
	/** @node: in &tyrc_syncobj.ev_fd_list while the point is missing. */
	struct tyrc_list_head node;
	/** @fence: the point's fence once found (its callback owns the entry then). */
	struct tyrc_dma_fence *fence;
	struct tyrc_dma_fence_cb fence_cb;
	/** @ev_fd: host-owned eventfd descriptor. */
	int ev_fd;
	u64 point;
	u32 flags;
};

static void syncobj_wait_syncobj_func(struct tyrc_syncobj *syncobj,
				      struct syncobj_wait_entry *wait);
static void syncobj_eventfd_entry_func(struct tyrc_syncobj *syncobj,
				       struct syncobj_eventfd_entry *entry);

struct tyrc_syncobj *tyrc_syncobj_get(struct tyrc_syncobj *syncobj)
{
	tyrc_kref_get(&syncobj->refcount);
	return syncobj;
}

static void syncobj_eventfd_entry_free(struct syncobj_eventfd_entry *entry)
{
	close(entry->ev_fd);
	tyrc_dma_fence_put(entry->fence);
	free(entry);
}

static void syncobj_free(struct tyrc_kref *kref)
{
	struct tyrc_syncobj *syncobj = container_of(kref, struct tyrc_syncobj, refcount);
	struct syncobj_eventfd_entry *entry, *tmp;

	tyrc_syncobj_replace_fence(syncobj, NULL);
	tyrc_list_for_each_entry_safe(entry, tmp, &syncobj->ev_fd_list, node) {
		tyrc_list_del_init(&entry->node);
		syncobj_eventfd_entry_free(entry);
	}
	tyrc_mutex_destroy(&syncobj->lock);
	free(syncobj);
}

void tyrc_syncobj_put(struct tyrc_syncobj *syncobj)
{
	if (syncobj)
		tyrc_kref_put(&syncobj->refcount, syncobj_free);
}

struct tyrc_dma_fence *tyrc_syncobj_fence_get(struct tyrc_syncobj *syncobj)
{
	struct tyrc_dma_fence *fence;

	tyrc_mutex_lock(&syncobj->lock);
	fence = tyrc_dma_fence_get(syncobj->fence);
	tyrc_mutex_unlock(&syncobj->lock);
	return fence;
}

/* Every queued entry looks for its fence again; @syncobj->lock held. */
static void syncobj_fence_changed_locked(struct tyrc_syncobj *syncobj)
{
	struct syncobj_wait_entry *cur, *tmp;
	struct syncobj_eventfd_entry *ev, *evtmp;

	tyrc_list_for_each_entry_safe(cur, tmp, &syncobj->cb_list, node)
		syncobj_wait_syncobj_func(syncobj, cur);
	tyrc_list_for_each_entry_safe(ev, evtmp, &syncobj->ev_fd_list, node)
		syncobj_eventfd_entry_func(syncobj, ev);
}

void tyrc_syncobj_add_point(struct tyrc_syncobj *syncobj, struct tyrc_dma_fence_chain *chain,
			    struct tyrc_dma_fence *fence, u64 point)
{
	struct tyrc_dma_fence *prev, *iter;

	tyrc_dma_fence_get(fence);
	tyrc_mutex_lock(&syncobj->lock);
	prev = tyrc_dma_fence_get(syncobj->fence);
	if (prev && prev->seqno >= point)
		tyrc_dbg("syncobj: point %llu added out of order", (unsigned long long)point);
	tyrc_dma_fence_chain_init(chain, prev, fence, point);
	syncobj->fence = &chain->base;
	syncobj_fence_changed_locked(syncobj);
	tyrc_mutex_unlock(&syncobj->lock);

	/* Walk the chain once to collect signalled points. */
	tyrc_dma_fence_chain_for_each(iter, prev);
	/* The chain took the reference from the get above; this is the syncobj's old one. */
	tyrc_dma_fence_put(prev);
}

void tyrc_syncobj_replace_fence(struct tyrc_syncobj *syncobj, struct tyrc_dma_fence *fence)
{
	struct tyrc_dma_fence *old;

	tyrc_dma_fence_get(fence);
	tyrc_mutex_lock(&syncobj->lock);
	old = syncobj->fence;
	syncobj->fence = fence;
	if (fence != old)
		syncobj_fence_changed_locked(syncobj);
	tyrc_mutex_unlock(&syncobj->lock);
	tyrc_dma_fence_put(old);
}

/* Set a signalled stub fence (drm_syncobj_assign_null_handle). */
static int syncobj_assign_null_handle(struct tyrc_syncobj *syncobj)
{
	struct tyrc_dma_fence *fence = tyrc_dma_fence_allocate_private_stub(tyrc_ktime_get_ns());

	if (!fence)
		return -ENOMEM;
	tyrc_syncobj_replace_fence(syncobj, fence);
	tyrc_dma_fence_put(fence);
	return 0;
}

/*
 * The fence completing @point of @syncobj's current fence, or NULL with
 * -EINVAL if there is none yet. A collected (signalled) point gives the
 * stub. @syncobj->lock held or not.
 */
static int syncobj_point_fence(struct tyrc_dma_fence *head, u64 point, struct tyrc_dma_fence **out)
{
	struct tyrc_dma_fence *fence = tyrc_dma_fence_get(head);

	*out = NULL;
	if (!fence)
		return -EINVAL;
	if (tyrc_dma_fence_chain_find_seqno(&fence, point)) {
		tyrc_dma_fence_put(fence);
		return -EINVAL;
	}
	*out = fence ? fence : tyrc_dma_fence_get_stub();
	return 0;
}

static int syncobj_create(u32 flags, struct tyrc_syncobj **out)
{
	struct tyrc_syncobj *syncobj = calloc(1, sizeof(*syncobj));
	int ret;

	if (!syncobj)
		return -ENOMEM;
	tyrc_kref_init(&syncobj->refcount);
	tyrc_mutex_init(&syncobj->lock);
	tyrc_list_init(&syncobj->cb_list);
	tyrc_list_init(&syncobj->ev_fd_list);
	if (flags & DRM_SYNCOBJ_CREATE_SIGNALED) {
		ret = syncobj_assign_null_handle(syncobj);
		if (ret) {
			tyrc_syncobj_put(syncobj);
			return ret;
		}
	}
	*out = syncobj;
	return 0;
}

/* A new handle of @file for @syncobj, with a reference of its own. */
static int syncobj_get_handle(struct tyrc_file *file, struct tyrc_syncobj *syncobj, u32 *handle)
{
	int ret = tyrc_xa_alloc(&file->syncobj_handles, handle, tyrc_syncobj_get(syncobj), 1,
				INT32_MAX);

	if (ret) {
		tyrc_syncobj_put(syncobj);
		return ret == -EBUSY ? -ENOSPC : ret;
	}
	return 0;
}

struct tyrc_syncobj *tyrc_syncobj_find(struct tyrc_file *file, u32 handle)
{
	struct tyrc_syncobj *syncobj;

	tyrc_xa_lock(&file->syncobj_handles);
	syncobj = tyrc_xa_load_locked(&file->syncobj_handles, handle);
	if (syncobj)
		tyrc_syncobj_get(syncobj);
	tyrc_xa_unlock(&file->syncobj_handles);
	return syncobj;
}

void tyrc_syncobj_open(struct tyrc_file *file)
{
	tyrc_xa_init(&file->syncobj_handles);
}

void tyrc_syncobj_release(struct tyrc_file *file)
{
	struct tyrc_syncobj *syncobj;
	u32 id = 0;

	while ((syncobj = tyrc_xa_find(&file->syncobj_handles, &id))) {
		tyrc_xa_erase(&file->syncobj_handles, id);
		tyrc_syncobj_put(syncobj);
	}
	tyrc_xa_destroy(&file->syncobj_handles);
}

/* ---------------------------------------------------------------------------
 * Waiting for a fence to appear, and for fences to signal.
 */

static void syncobj_wait_fence_func(struct tyrc_dma_fence *fence, struct tyrc_dma_fence_cb *cb)
{
	struct syncobj_wait_entry *wait = container_of(cb, struct syncobj_wait_entry, fence_cb);

	tyrc_wake_up_all(wait->wq);
}

/* Called under @syncobj->lock when its fence changed. */
static void syncobj_wait_syncobj_func(struct tyrc_syncobj *syncobj, struct syncobj_wait_entry *wait)
{
	struct tyrc_dma_fence *fence;

	if (syncobj_point_fence(syncobj->fence, wait->point, &fence))
		return;
	__atomic_store_n(&wait->fence, fence, __ATOMIC_RELEASE);
	tyrc_list_del_init(&wait->node);
	tyrc_wake_up_all(wait->wq);
}

static void syncobj_fence_add_wait(struct tyrc_syncobj *syncobj, struct syncobj_wait_entry *wait)
{
	struct tyrc_dma_fence *fence;

	if (wait->fence)
		return;
	tyrc_mutex_lock(&syncobj->lock);
	if (syncobj_point_fence(syncobj->fence, wait->point, &fence))
		tyrc_list_add_tail(&wait->node, &syncobj->cb_list);
	else
		__atomic_store_n(&wait->fence, fence, __ATOMIC_RELEASE);
	tyrc_mutex_unlock(&syncobj->lock);
}

static void syncobj_remove_wait(struct tyrc_syncobj *syncobj, struct syncobj_wait_entry *wait)
{
	tyrc_mutex_lock(&syncobj->lock);
	tyrc_list_del_init(&wait->node);
	tyrc_mutex_unlock(&syncobj->lock);
}

/* Sleep on @wq until woken, the deadline, or the next check of the client. */
static int syncobj_sleep(struct tyrc_waitqueue *wq, u64 seq, u64 deadline)
{
	u64 now = tyrc_ktime_get_ns();
	u64 until = deadline;

	if (now >= deadline)
		return -ETIME;
	if (deadline - now > TYRC_SYNCOBJ_WAIT_SLICE_NS)
		until = now + TYRC_SYNCOBJ_WAIT_SLICE_NS;
	tyrc_waitqueue_sleep(wq, seq, until);
	if (tyrc_user_aborted())
		return -EINTR;
	return 0;
}

int tyrc_syncobj_find_fence(struct tyrc_file *file, u32 handle, u64 point, u64 flags,
			    struct tyrc_dma_fence **fence)
{
	struct tyrc_syncobj *syncobj = tyrc_syncobj_find(file, handle);
	struct tyrc_dma_fence *head;
	struct tyrc_waitqueue wq;
	struct syncobj_wait_entry wait;
	u64 deadline;
	int ret;

	*fence = NULL;
	if (!syncobj)
		return -ENOENT;
	head = tyrc_syncobj_fence_get(syncobj);
	ret = syncobj_point_fence(head, point, fence);
	tyrc_dma_fence_put(head);
	if (!ret || !(flags & DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT))
		goto out;

	tyrc_waitqueue_init(&wq);
	memset(&wait, 0, sizeof(wait));
	tyrc_list_init(&wait.node);
	wait.wq = &wq;
	wait.point = point;
	syncobj_fence_add_wait(syncobj, &wait);
	deadline = tyrc_wait_deadline(TYRC_SYNCOBJ_WAIT_FOR_SUBMIT_TIMEOUT_NS);
	for (;;) {
		u64 seq = tyrc_waitqueue_seq(&wq);

		if (__atomic_load_n(&wait.fence, __ATOMIC_ACQUIRE)) {
			ret = 0;
			break;
		}
		ret = syncobj_sleep(&wq, seq, deadline);
		if (ret)
			break;
	}
	syncobj_remove_wait(syncobj, &wait);
	*fence = wait.fence;
	if (*fence)
		ret = 0;
	tyrc_waitqueue_destroy(&wq);
out:
	tyrc_syncobj_put(syncobj);
	return ret;
}

/*
 * drm_timeout_abs_to_jiffies() without jiffies: the absolute deadline of a
 * wait; 0 (and any time already past) polls.
 */
static u64 syncobj_abs_deadline(s64 timeout_nsec)
{
	return timeout_nsec <= 0 ? 0 : (u64)timeout_nsec;
}

/*
 * drm_syncobj_array_wait_timeout(). Return: 0 with *@idx set (without
 * WAIT_ALL: a signalled entry), -ETIME, -EINVAL (a fence is missing and
 * the flags do not allow waiting for it), -EINTR (client gone), -EFAULT,
 * -ENOMEM.
 */
static int syncobj_array_wait_timeout(struct tyrc_syncobj **syncobjs, u64 user_points, u32 count,
				      u32 flags, u64 deadline, u32 *idx)
{
	struct syncobj_wait_entry *entries;
	struct tyrc_waitqueue wq;
	u32 signaled_count, i;
	u64 *points;
	int ret = 0;

	points = calloc(count, sizeof(*points));
	if (!points)
		return -ENOMEM;
	if (user_points && tyrc_copy_from_user(points, user_points, sizeof(*points) * count)) {
		free(points);
		return -EFAULT;
	}
	entries = calloc(count, sizeof(*entries));
	if (!entries) {
		free(points);
		return -ENOMEM;
	}
	tyrc_waitqueue_init(&wq);
	for (i = 0; i < count; i++) {
		tyrc_list_init(&entries[i].node);
		entries[i].wq = &wq;
		entries[i].point = points[i];
	}

	/* Look every fence up first so that -EINVAL can only come from here. */
	signaled_count = 0;
	for (i = 0; i < count; i++) {
		struct tyrc_dma_fence *head = tyrc_syncobj_fence_get(syncobjs[i]);
		struct tyrc_dma_fence *fence;

		ret = syncobj_point_fence(head, points[i], &fence);
		tyrc_dma_fence_put(head);
		if (ret) {
			if (flags & (DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT |
				     DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE)) {
				ret = 0;
				continue;
			}
			goto cleanup;
		}
		entries[i].fence = fence;
		if ((flags & DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE) ||
		    tyrc_dma_fence_is_signaled(fence)) {
			if (signaled_count == 0 && idx)
				*idx = i;
			signaled_count++;
		}
	}
	if (signaled_count == count ||
	    (signaled_count > 0 && !(flags & DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL)))
		goto cleanup;

	if (flags &
	    (DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT | DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE)) {
		for (i = 0; i < count; i++)
			syncobj_fence_add_wait(syncobjs[i], &entries[i]);
	}

	for (;;) {
		u64 seq = tyrc_waitqueue_seq(&wq);

		signaled_count = 0;
		for (i = 0; i < count; i++) {
			struct tyrc_dma_fence *fence =
				__atomic_load_n(&entries[i].fence, __ATOMIC_ACQUIRE);

			if (!fence)
				continue;
			if ((flags & DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE) ||
			    tyrc_dma_fence_is_signaled(fence) ||
			    (!entries[i].cb_added &&
			     (entries[i].cb_added = true,
			      tyrc_dma_fence_add_callback(fence, &entries[i].fence_cb,
							  syncobj_wait_fence_func)))) {
				if (flags & DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL) {
					signaled_count++;
				} else {
					if (idx)
						*idx = i;
					goto done;
				}
			}
		}
		if (signaled_count == count)
			goto done;
		ret = syncobj_sleep(&wq, seq, deadline);
		if (ret)
			goto done;
	}

done:
cleanup:
	for (i = 0; i < count; i++) {
		syncobj_remove_wait(syncobjs[i], &entries[i]);
		if (entries[i].cb_added)
			tyrc_dma_fence_remove_callback(entries[i].fence, &entries[i].fence_cb);
		tyrc_dma_fence_put(entries[i].fence);
	}
	tyrc_waitqueue_destroy(&wq);
	free(entries);
	free(points);
	return ret;
}

/* drm_syncobj_array_find(): Return: 0, -ENOENT, -EFAULT, -ENOMEM. */
static int syncobj_array_find(struct tyrc_file *file, u64 user_handles, u32 count,
			      struct tyrc_syncobj ***out)
{
	struct tyrc_syncobj **syncobjs;
	u32 *handles, i;
	int ret;

	handles = calloc(count, sizeof(*handles));
	if (!handles)
		return -ENOMEM;
	if (tyrc_copy_from_user(handles, user_handles, sizeof(*handles) * count)) {
		ret = -EFAULT;
		goto err_free_handles;
	}
	syncobjs = calloc(count, sizeof(*syncobjs));
	if (!syncobjs) {
		ret = -ENOMEM;
		goto err_free_handles;
	}
	for (i = 0; i < count; i++) {
		syncobjs[i] = tyrc_syncobj_find(file, handles[i]);
		if (!syncobjs[i]) {
			ret = -ENOENT;
			goto err_put_syncobjs;
		}
	}
	free(handles);
	*out = syncobjs;
	return 0;

err_put_syncobjs:
	while (i-- > 0)
		tyrc_syncobj_put(syncobjs[i]);
	free(syncobjs);
err_free_handles:
	free(handles);
	return ret;
}

static void syncobj_array_free(struct tyrc_syncobj **syncobjs, u32 count)
{
	u32 i;

	for (i = 0; i < count; i++)
		tyrc_syncobj_put(syncobjs[i]);
	free(syncobjs);
}

int tyrc_syncobj_wait_ioctl(struct tyrc_file *file, void *data)
{
	struct tyrc_drm_syncobj_wait *args = data;
	struct tyrc_syncobj **syncobjs;
	u32 first = ~0u;
	int ret;

	if (args->flags &
	    ~(DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL | DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT |
	      DRM_SYNCOBJ_WAIT_FLAGS_WAIT_DEADLINE))
		return -EINVAL;
	if (args->count_handles == 0)
		return -EINVAL;
	ret = syncobj_array_find(file, args->handles, args->count_handles, &syncobjs);
	if (ret)
		return ret;
	/* The deadline is a hint for fence signallers; ours run at their own pace. */
	ret = syncobj_array_wait_timeout(syncobjs, 0, args->count_handles, args->flags,
					 syncobj_abs_deadline(args->timeout_nsec), &first);
	if (!ret)
		args->first_signaled = first;
	syncobj_array_free(syncobjs, args->count_handles);
	return ret;
}

int tyrc_syncobj_timeline_wait_ioctl(struct tyrc_file *file, void *data)
{
	struct tyrc_drm_syncobj_timeline_wait *args = data;
	struct tyrc_syncobj **syncobjs;
	u32 first = ~0u;
	int ret;

	if (args->flags &
	    ~(DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL | DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT |
	      DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE | DRM_SYNCOBJ_WAIT_FLAGS_WAIT_DEADLINE))
		return -EINVAL;
	if (args->count_handles == 0)
		return -EINVAL;
	ret = syncobj_array_find(file, args->handles, args->count_handles, &syncobjs);
	if (ret)
		return ret;
	ret = syncobj_array_wait_timeout(syncobjs, args->points, args->count_handles, args->flags,
					 syncobj_abs_deadline(args->timeout_nsec), &first);
	if (!ret)
		args->first_signaled = first;
	syncobj_array_free(syncobjs, args->count_handles);
	return ret;
}

/* ---------------------------------------------------------------------------
 * Handles, fds and sync_files.
 */

int tyrc_syncobj_create_ioctl(struct tyrc_file *file, void *data)
{
	struct drm_syncobj_create *args = data;
	struct tyrc_syncobj *syncobj;
	int ret;

	if (args->flags & ~DRM_SYNCOBJ_CREATE_SIGNALED)
		return -EINVAL;
	ret = syncobj_create(args->flags, &syncobj);
	if (ret)
		return ret;
	ret = syncobj_get_handle(file, syncobj, &args->handle);
	tyrc_syncobj_put(syncobj);
	return ret;
}

int tyrc_syncobj_destroy_ioctl(struct tyrc_file *file, void *data)
{
	struct drm_syncobj_destroy *args = data;
	struct tyrc_syncobj *syncobj;

	if (args->pad)
		return -EINVAL;
	syncobj = tyrc_xa_erase(&file->syncobj_handles, args->handle);
	if (!syncobj)
		return -EINVAL;
	tyrc_syncobj_put(syncobj);
	return 0;
}

static void syncobj_file_release(struct tyrc_anon_file *afile)
{
	tyrc_syncobj_put(afile->private_data);
}

/* A syncobj fd: no ioctls, only a reference to share. */
static const struct tyrc_anon_file_ops syncobj_file_ops = {
	.name = "syncobj",
	.release = syncobj_file_release,
};

static int syncobj_handle_to_fd(struct tyrc_file *file, u32 handle, s32 *p_fd)
{
	struct tyrc_syncobj *syncobj = tyrc_syncobj_find(file, handle);
	struct tyrc_anon_file *afile;
	int fd;

	if (!syncobj)
		return -EINVAL;
	afile = tyrc_anon_file_create(&syncobj_file_ops, syncobj);
	if (!afile) {
		tyrc_syncobj_put(syncobj);
		return -ENOMEM;
	}
	/* The file owns the lookup's reference from here on. */
	fd = tyrc_fd_install(afile, TYRC_FD_CLOEXEC);
	tyrc_anon_file_put(afile);
	if (fd < 0)
		return fd;
	*p_fd = fd;
	return 0;
}

static int syncobj_fd_to_handle(struct tyrc_file *file, int fd, u32 *handle)
{
	struct tyrc_anon_file *afile;
	int raw_fd, ret;

	if (tyrc_fget(fd, &afile, &raw_fd))
		return -EINVAL;
	if (raw_fd >= 0)
		close(raw_fd);
	if (!afile || afile->ops != &syncobj_file_ops) {
		tyrc_anon_file_put(afile);
		return -EINVAL;
	}
	ret = syncobj_get_handle(file, tyrc_syncobj_get(afile->private_data), handle);
	tyrc_syncobj_put(afile->private_data);
	tyrc_anon_file_put(afile);
	return ret;
}

static int syncobj_import_sync_file_fence(struct tyrc_file *file, int fd, u32 handle, u64 point)
{
	struct tyrc_dma_fence *fence = tyrc_sync_file_get_fence(fd);
	struct tyrc_syncobj *syncobj;
	int ret = 0;

	if (!fence)
		return -EINVAL;
	syncobj = tyrc_syncobj_find(file, handle);
	if (!syncobj) {
		tyrc_dma_fence_put(fence);
		return -ENOENT;
	}
	if (point) {
		struct tyrc_dma_fence_chain *chain = tyrc_dma_fence_chain_alloc();

		if (!chain)
			ret = -ENOMEM;
		else
			tyrc_syncobj_add_point(syncobj, chain, fence, point);
	} else {
		tyrc_syncobj_replace_fence(syncobj, fence);
	}
	tyrc_dma_fence_put(fence);
	tyrc_syncobj_put(syncobj);
	return ret;
}

static int syncobj_export_sync_file(struct tyrc_file *file, u32 handle, u64 point, s32 *p_fd)
{
	struct tyrc_dma_fence *fence;
	int fd, ret;

	ret = tyrc_syncobj_find_fence(file, handle, point, 0, &fence);
	if (ret)
		return ret;
	fd = tyrc_sync_file_install(fence, NULL);
	tyrc_dma_fence_put(fence);
	if (fd < 0)
		return fd;
	*p_fd = fd;
	return 0;
}

int tyrc_syncobj_handle_to_fd_ioctl(struct tyrc_file *file, void *data)
{
	struct tyrc_drm_syncobj_handle *args = data;
	u64 point = 0;

	if (args->pad)
		return -EINVAL;
	if (args->flags & ~(DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE |
			    DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_TIMELINE))
		return -EINVAL;
	if (args->flags & DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_TIMELINE)
		point = args->point;
	if (args->flags & DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE)
		return syncobj_export_sync_file(file, args->handle, point, &args->fd);
	if (args->point)
		return -EINVAL;
	return syncobj_handle_to_fd(file, args->handle, &args->fd);
}

int tyrc_syncobj_fd_to_handle_ioctl(struct tyrc_file *file, void *data)
{
	struct tyrc_drm_syncobj_handle *args = data;
	u64 point = 0;

	if (args->pad)
		return -EINVAL;
	if (args->flags & ~(DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_IMPORT_SYNC_FILE |
			    DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_TIMELINE))
		return -EINVAL;
	if (args->flags & DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_TIMELINE)
		point = args->point;
	if (args->flags & DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_IMPORT_SYNC_FILE)
		return syncobj_import_sync_file_fence(file, args->fd, args->handle, point);
	if (args->point)
		return -EINVAL;
	return syncobj_fd_to_handle(file, args->fd, &args->handle);
}

/* ---------------------------------------------------------------------------
 * Transfer, reset, signal, query.
 */

/*
 * A fence that can go into a chain node for @fence (a node cannot contain a
 * chain): @fence itself, a stub for a signalled point, or an array holding
 * the pending point (dma_fence_unwrap_merge's role). Return: a reference, or
 * NULL on ENOMEM.
 */
static struct tyrc_dma_fence *syncobj_unwrap_point(struct tyrc_dma_fence *fence)
{
	struct tyrc_dma_fence_array *array;
	struct tyrc_dma_fence **fences;

	if (!tyrc_dma_fence_is_chain(fence))
		return tyrc_dma_fence_get(fence);
	if (tyrc_dma_fence_is_signaled(fence))
		return tyrc_dma_fence_get_stub();
	fences = malloc(sizeof(*fences));
	if (!fences)
		return NULL;
	fences[0] = tyrc_dma_fence_get(fence);
	array = tyrc_dma_fence_array_create(1, fences, tyrc_dma_fence_context_alloc(1), 1, false);
	if (!array) {
		tyrc_dma_fence_put(fences[0]);
		free(fences);
		return NULL;
	}
	return &array->base;
}

int tyrc_syncobj_transfer_ioctl(struct tyrc_file *file, void *data)
{
	struct drm_syncobj_transfer *args = data;
	struct tyrc_syncobj *dst;
	struct tyrc_dma_fence *fence;
	int ret;

	if (args->pad)
		return -EINVAL;
	dst = tyrc_syncobj_find(file, args->dst_handle);
	if (!dst)
		return -ENOENT;
	ret = tyrc_syncobj_find_fence(file, args->src_handle, args->src_point, args->flags, &fence);
	if (ret)
		goto out;
	if (args->dst_point) {
		struct tyrc_dma_fence_chain *chain = tyrc_dma_fence_chain_alloc();
		struct tyrc_dma_fence *own = syncobj_unwrap_point(fence);

		if (!chain || !own) {
			tyrc_dma_fence_chain_free(chain);
			ret = -ENOMEM;
		} else {
			tyrc_syncobj_add_point(dst, chain, own, args->dst_point);
		}
		tyrc_dma_fence_put(own);
	} else {
		tyrc_syncobj_replace_fence(dst, fence);
	}
	tyrc_dma_fence_put(fence);
out:
	tyrc_syncobj_put(dst);
	return ret;
}

int tyrc_syncobj_reset_ioctl(struct tyrc_file *file, void *data)
{
	struct drm_syncobj_array *args = data;
	struct tyrc_syncobj **syncobjs;
	u32 i;
	int ret;

	if (args->pad)
		return -EINVAL;
	if (args->count_handles == 0)
		return -EINVAL;
	ret = syncobj_array_find(file, args->handles, args->count_handles, &syncobjs);
	if (ret)
		return ret;
	for (i = 0; i < args->count_handles; i++)
		tyrc_syncobj_replace_fence(syncobjs[i], NULL);
	syncobj_array_free(syncobjs, args->count_handles);
	return 0;
}

int tyrc_syncobj_signal_ioctl(struct tyrc_file *file, void *data)
{
	struct drm_syncobj_array *args = data;
	struct tyrc_syncobj **syncobjs;
	u32 i;
	int ret;

	if (args->pad)
		return -EINVAL;
	if (args->count_handles == 0)
		return -EINVAL;
	ret = syncobj_array_find(file, args->handles, args->count_handles, &syncobjs);
	if (ret)
		return ret;
	for (i = 0; i < args->count_handles; i++) {
		ret = syncobj_assign_null_handle(syncobjs[i]);
		if (ret)
			break;
	}
	syncobj_array_free(syncobjs, args->count_handles);
	return ret;
}

int tyrc_syncobj_timeline_signal_ioctl(struct tyrc_file *file, void *data)
{
	struct drm_syncobj_timeline_array *args = data;
	struct tyrc_dma_fence_chain **chains = NULL;
	struct tyrc_syncobj **syncobjs;
	u64 *points;
	u32 i;
	int ret;

	if (args->flags != 0)
		return -EINVAL;
	if (args->count_handles == 0)
		return -EINVAL;
	ret = syncobj_array_find(file, args->handles, args->count_handles, &syncobjs);
	if (ret)
		return ret;
	points = calloc(args->count_handles, sizeof(*points));
	if (!points) {
		ret = -ENOMEM;
		goto out;
	}
	if (args->points &&
	    tyrc_copy_from_user(points, args->points, sizeof(*points) * args->count_handles)) {
		ret = -EFAULT;
		goto out;
	}
	chains = calloc(args->count_handles, sizeof(*chains));
	if (!chains) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < args->count_handles; i++) {
		chains[i] = tyrc_dma_fence_chain_alloc();
		if (!chains[i]) {
			while (i-- > 0)
				tyrc_dma_fence_chain_free(chains[i]);
			ret = -ENOMEM;
			goto out;
		}
	}
	for (i = 0; i < args->count_handles; i++) {
		struct tyrc_dma_fence *fence = tyrc_dma_fence_get_stub();

		tyrc_syncobj_add_point(syncobjs[i], chains[i], fence, points[i]);
		tyrc_dma_fence_put(fence);
	}
out:
	free(chains);
	free(points);
	syncobj_array_free(syncobjs, args->count_handles);
	return ret;
}

/* The last signalled point of a timeline whose last point is the chain @fence. */
static u64 syncobj_last_signaled_point(struct tyrc_dma_fence *fence)
{
	struct tyrc_dma_fence *iter, *last_signaled = tyrc_dma_fence_get(fence);
	u64 point;

	tyrc_dma_fence_chain_for_each(iter, fence)
	{
		if (iter->context != fence->context) {
			/* Most likely a timeline with points out of order. */
			tyrc_dma_fence_put(iter);
			break;
		}
		tyrc_dma_fence_put(last_signaled);
		last_signaled = tyrc_dma_fence_get(iter);
	}
	if (tyrc_dma_fence_is_signaled(last_signaled))
		point = last_signaled->seqno;
	else
		point = tyrc_to_dma_fence_chain(last_signaled)->prev_seqno;
	tyrc_dma_fence_put(last_signaled);
	return point;
}

int tyrc_syncobj_query_ioctl(struct tyrc_file *file, void *data)
{
	struct drm_syncobj_timeline_array *args = data;
	struct tyrc_syncobj **syncobjs;
	u32 i;
	int ret;

	if (args->flags & ~DRM_SYNCOBJ_QUERY_FLAGS_LAST_SUBMITTED)
		return -EINVAL;
	if (args->count_handles == 0)
		return -EINVAL;
	ret = syncobj_array_find(file, args->handles, args->count_handles, &syncobjs);
	if (ret)
		return ret;
	for (i = 0; i < args->count_handles; i++) {
		struct tyrc_dma_fence *fence = tyrc_syncobj_fence_get(syncobjs[i]);
		u64 point = 0;

		if (tyrc_to_dma_fence_chain(fence)) {
			if (args->flags & DRM_SYNCOBJ_QUERY_FLAGS_LAST_SUBMITTED)
				point = fence->seqno;
			else
				point = syncobj_last_signaled_point(fence);
		}
		tyrc_dma_fence_put(fence);
		if (tyrc_copy_to_user(args->points + i * sizeof(u64), &point, sizeof(point))) {
			ret = -EFAULT;
			break;
		}
	}
	syncobj_array_free(syncobjs, args->count_handles);
	return ret;
}

/* ---------------------------------------------------------------------------
 * Eventfd notification.
 */

static void syncobj_eventfd_entry_fence_func(struct tyrc_dma_fence *fence,
					     struct tyrc_dma_fence_cb *cb)
{
	struct syncobj_eventfd_entry *entry =
		container_of(cb, struct syncobj_eventfd_entry, fence_cb);

	tyrc_eventfd_signal(entry->ev_fd);
	syncobj_eventfd_entry_free(entry);
}

/* Under @syncobj->lock: the point appeared? Then the entry leaves the list. */
static void syncobj_eventfd_entry_func(struct tyrc_syncobj *syncobj,
				       struct syncobj_eventfd_entry *entry)
{
	struct tyrc_dma_fence *fence;

	if (syncobj_point_fence(syncobj->fence, entry->point, &fence))
		return;
	tyrc_list_del_init(&entry->node);
	if (entry->flags & DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE) {
		tyrc_dma_fence_put(fence);
		tyrc_eventfd_signal(entry->ev_fd);
		syncobj_eventfd_entry_free(entry);
		return;
	}
	entry->fence = fence;
	if (tyrc_dma_fence_add_callback(fence, &entry->fence_cb,
					syncobj_eventfd_entry_fence_func)) {
		tyrc_eventfd_signal(entry->ev_fd);
		syncobj_eventfd_entry_free(entry);
	}
}

int tyrc_syncobj_eventfd_ioctl(struct tyrc_file *file, void *data)
{
	struct drm_syncobj_eventfd *args = data;
	struct syncobj_eventfd_entry *entry;
	struct tyrc_syncobj *syncobj;
	struct tyrc_anon_file *afile;
	int raw_fd, ret;

	if (args->flags & ~DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE)
		return -EINVAL;
	if (args->pad)
		return -EINVAL;
	syncobj = tyrc_syncobj_find(file, args->handle);
	if (!syncobj)
		return -ENOENT;
	/* eventfd_ctx_fdget(): -EBADF for no file, -EINVAL for another kind. */
	ret = tyrc_fget(args->fd, &afile, &raw_fd);
	if (!ret && afile) {
		tyrc_anon_file_put(afile);
		ret = -EINVAL;
	} else if (!ret && tyrc_eventfd_check(raw_fd)) {
		close(raw_fd);
		ret = -EINVAL;
	}
	if (ret)
		goto out;
	entry = calloc(1, sizeof(*entry));
	if (!entry) {
		close(raw_fd);
		ret = -ENOMEM;
		goto out;
	}
	tyrc_list_init(&entry->node);
	entry->ev_fd = raw_fd;
	entry->point = args->point;
	entry->flags = args->flags;

	tyrc_mutex_lock(&syncobj->lock);
	tyrc_list_add_tail(&entry->node, &syncobj->ev_fd_list);
	syncobj_eventfd_entry_func(syncobj, entry);
	tyrc_mutex_unlock(&syncobj->lock);
out:
	tyrc_syncobj_put(syncobj);
	return ret;
}
