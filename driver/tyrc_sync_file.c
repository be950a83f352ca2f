// SPDX-License-Identifier: MIT
/*
 * DOC: sync_file
 *
 * drivers/dma-buf/sync_file.c on an anon file: the file holds one fence
 * (for a merge, an array of the merged fences, one per context); a callback
 * on it makes the file readable, so the client polls its descriptor
 * natively. Errnos follow Linux: MERGE with flags or pad → EINVAL, fd2 not a
 * sync_file → ENOENT; FILE_INFO with flags or pad, or too small an array →
 * EINVAL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tyrc_sync_file.h"
#include "tyrc_sync_uapi.h"

/** struct tyrc_sync_file - the private data of a sync_file's anon file. */
struct tyrc_sync_file {
	struct tyrc_anon_file *file;
	/** @user_name: name given at merge, "" if none. */
	char user_name[32];
	/** @fence: the fence (holds a reference), immutable. */
	struct tyrc_dma_fence *fence;
	/** @cb: makes @file readable when @fence signals. */
	struct tyrc_dma_fence_cb cb;
};

static long sync_file_ioctl(struct tyrc_anon_file *file, unsigned int cmd, u64 arg);

static void sync_file_release(struct tyrc_anon_file *file)
{
	struct tyrc_sync_file *sf = file->private_data;

	tyrc_dma_fence_remove_callback(sf->fence, &sf->cb);
	tyrc_dma_fence_put(sf->fence);
	free(sf);
}

static const struct tyrc_anon_file_ops sync_file_ops = {
	.name = "sync_file",
	.release = sync_file_release,
	.ioctl = sync_file_ioctl,
};

static void sync_file_fence_func(struct tyrc_dma_fence *fence, struct tyrc_dma_fence_cb *cb)
{
	struct tyrc_sync_file *sf = container_of(cb, struct tyrc_sync_file, cb);

	tyrc_anon_file_set_readable(sf->file);
}

/* sync_file_create(): takes a reference to @fence. Return: NULL on ENOMEM. */
static struct tyrc_sync_file *sync_file_create(struct tyrc_dma_fence *fence, const char *name)
{
	struct tyrc_sync_file *sf = calloc(1, sizeof(*sf));

	if (!sf)
		return NULL;
	sf->file = tyrc_anon_file_create(&sync_file_ops, sf);
	if (!sf->file) {
		free(sf);
		return NULL;
	}
	if (name)
		snprintf(sf->user_name, sizeof(sf->user_name), "%s", name);
	sf->fence = tyrc_dma_fence_get(fence);
	if (tyrc_dma_fence_add_callback(fence, &sf->cb, sync_file_fence_func))
		tyrc_anon_file_set_readable(sf->file);
	return sf;
}

int tyrc_sync_file_install(struct tyrc_dma_fence *fence, const char *name)
{
	struct tyrc_sync_file *sf = sync_file_create(fence, name);
	int fd;

	if (!sf)
		return -ENOMEM;
	fd = tyrc_fd_install(sf->file, TYRC_FD_CLOEXEC);
	tyrc_anon_file_put(sf->file);
	return fd;
}

/* The sync_file behind the client's @fd, with a reference on its file, or NULL. */
static struct tyrc_sync_file *sync_file_fdget(int fd)
{
	struct tyrc_anon_file *file;
	int raw_fd;

	if (tyrc_fget(fd, &file, &raw_fd))
		return NULL;
	if (raw_fd >= 0)
		close(raw_fd);
	if (!file || file->ops != &sync_file_ops) {
		tyrc_anon_file_put(file);
		return NULL;
	}
	return file->private_data;
}

struct tyrc_dma_fence *tyrc_sync_file_get_fence(int fd)
{
	struct tyrc_sync_file *sf = sync_file_fdget(fd);
	struct tyrc_dma_fence *fence;

	if (!sf)
		return NULL;
	fence = tyrc_dma_fence_get(sf->fence);
	tyrc_anon_file_put(sf->file);
	return fence;
}

/* The fences of @fence: an array's members, else @fence alone. */
static struct tyrc_dma_fence **sync_file_get_fences(struct tyrc_dma_fence *fence, unsigned int *num)
{
	struct tyrc_dma_fence_array *array = tyrc_to_dma_fence_array(fence);

	if (array) {
		*num = array->num_fences;
		return array->fences;
	}
	*num = 1;
	return NULL;
}

static struct tyrc_dma_fence *sync_file_fence_at(struct tyrc_dma_fence *fence, unsigned int i)
{
	struct tyrc_dma_fence_array *array = tyrc_to_dma_fence_array(fence);

	return array ? array->fences[i] : fence;
}

/* Add @f to @fences[*@n] unless a later fence of its context is there (unwrap_merge). */
static void merge_add(struct tyrc_dma_fence **fences, unsigned int *n, struct tyrc_dma_fence *f)
{
	unsigned int i;

	if (tyrc_dma_fence_is_signaled(f))
		return;
	for (i = 0; i < *n; i++) {
		if (fences[i]->context != f->context)
			continue;
		if (tyrc_dma_fence_is_later(f, fences[i])) {
			tyrc_dma_fence_put(fences[i]);
			fences[i] = tyrc_dma_fence_get(f);
		}
		return;
	}
	fences[(*n)++] = tyrc_dma_fence_get(f);
}

/* One fence for @a and @b: the pending fences of both, one per context. */
static struct tyrc_dma_fence *sync_file_merge_fences(struct tyrc_dma_fence *a,
						     struct tyrc_dma_fence *b)
{
	struct tyrc_dma_fence_array *array;
	struct tyrc_dma_fence **fences;
	unsigned int na, nb, i, n = 0;

	sync_file_get_fences(a, &na);
	sync_file_get_fences(b, &nb);
	fences = calloc(na + nb, sizeof(*fences));
	if (!fences)
		return NULL;
	for (i = 0; i < na; i++)
		merge_add(fences, &n, sync_file_fence_at(a, i));
	for (i = 0; i < nb; i++)
		merge_add(fences, &n, sync_file_fence_at(b, i));
	if (n == 0) {
		free(fences);
		return tyrc_dma_fence_get_stub();
	}
	if (n == 1) {
		struct tyrc_dma_fence *one = fences[0];

		free(fences);
		return one;
	}
	array = tyrc_dma_fence_array_create(n, fences, tyrc_dma_fence_context_alloc(1), 1, false);
	if (!array) {
		for (i = 0; i < n; i++)
			tyrc_dma_fence_put(fences[i]);
		free(fences);
		return NULL;
	}
	return &array->base;
}

static long sync_file_ioctl_merge(struct tyrc_sync_file *sf, u64 arg)
{
	struct sync_merge_data data;
	struct tyrc_sync_file *sf2;
	struct tyrc_dma_fence *fence;
	int fd;

	if (tyrc_copy_from_user(&data, arg, sizeof(data)))
		return -EFAULT;
	if (data.flags || data.pad)
		return -EINVAL;
	sf2 = sync_file_fdget(data.fd2);
	if (!sf2)
		return -ENOENT;
	data.name[sizeof(data.name) - 1] = '\0';
	fence = sync_file_merge_fences(sf->fence, sf2->fence);
	tyrc_anon_file_put(sf2->file);
	if (!fence)
		return -ENOMEM;
	fd = tyrc_sync_file_install(fence, data.name);
	tyrc_dma_fence_put(fence);
	if (fd < 0)
		return fd;
	data.fence = fd;
	if (tyrc_copy_to_user(arg, &data, sizeof(data))) {
		/* The descriptor stays installed; Linux would not have installed it yet. */
		return -EFAULT;
	}
	return 0;
}

static void sync_fill_fence_info(struct tyrc_dma_fence *fence, struct sync_fence_info *info)
{
	int status = tyrc_dma_fence_get_status(fence);

	memset(info, 0, sizeof(*info));
	snprintf(info->obj_name, sizeof(info->obj_name), "%s", tyrc_dma_fence_timeline_name(fence));
	snprintf(info->driver_name, sizeof(info->driver_name), "%s",
		 tyrc_dma_fence_driver_name(fence));
	info->status = status;
	info->timestamp_ns = status ? tyrc_dma_fence_timestamp(fence) : 0;
}

static long sync_file_ioctl_fence_info(struct tyrc_sync_file *sf, u64 arg)
{
	struct sync_file_info info;
	struct sync_fence_info *fence_info;
	unsigned int num_fences, i;

	if (tyrc_copy_from_user(&info, arg, sizeof(info)))
		return -EFAULT;
	if (info.flags || info.pad)
		return -EINVAL;
	sync_file_get_fences(sf->fence, &num_fences);
	if (sf->user_name[0])
		snprintf(info.name, sizeof(info.name), "%s", sf->user_name);
	else
		snprintf(info.name, sizeof(info.name), "%s-%s%llu-%llu",
			 tyrc_dma_fence_driver_name(sf->fence),
			 tyrc_dma_fence_timeline_name(sf->fence),
			 (unsigned long long)sf->fence->context,
			 (unsigned long long)sf->fence->seqno);
	info.status = tyrc_dma_fence_get_status(sf->fence);
	if (info.num_fences) {
		if (info.num_fences < num_fences)
			return -EINVAL;
		fence_info = calloc(num_fences, sizeof(*fence_info));
		if (!fence_info)
			return -ENOMEM;
		for (i = 0; i < num_fences; i++)
			sync_fill_fence_info(sync_file_fence_at(sf->fence, i), &fence_info[i]);
		i = tyrc_copy_to_user(info.sync_fence_info, fence_info,
				      num_fences * sizeof(*fence_info));
		free(fence_info);
		if (i)
			return -EFAULT;
	}
	info.num_fences = num_fences;
	if (tyrc_copy_to_user(arg, &info, sizeof(info)))
		return -EFAULT;
	return 0;
}

static long sync_file_ioctl(struct tyrc_anon_file *file, unsigned int cmd, u64 arg)
{
	struct tyrc_sync_file *sf = file->private_data;

	switch (cmd) {
	case SYNC_IOC_MERGE:
		return sync_file_ioctl_merge(sf, arg);
	case SYNC_IOC_FILE_INFO:
		return sync_file_ioctl_fence_info(sf, arg);
	default:
		return -ENOTTY;
	}
}
