// SPDX-License-Identifier: MIT
/* DRM core: files, master/auth, ioctl dispatch and the core ioctls. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "tyrc_device.h"
#include "tyrc_drm.h"
#include "tyrc_group.h"
#include "tyrc_vm.h"
#include "tyrc_gem.h"
#include "tyrc_sync_uapi.h"
#include "tyrc_syncobj.h"
#include "tyrc_job_regs.h"

/* Versions of the DRM interface itself (DRM_IOCTL_SET_VERSION). */
#define TYRC_DRM_IF_MAJOR 1
#define TYRC_DRM_IF_MINOR 4
/* What GET_CLIENT reports for uid (the kernel's overflowuid). */
#define TYRC_OVERFLOWUID 65534
/* Largest ioctl struct: the size field of an ioctl number is 14 bits. */
#define TYRC_IOCTL_MAX_SIZE (_IOC_SIZEMASK + 1)

static int tyrc_drm_version(struct tyrc_file *file, void *data);
static int tyrc_drm_getunique(struct tyrc_file *file, void *data);
static int tyrc_drm_getmagic(struct tyrc_file *file, void *data);
static int tyrc_drm_getclient(struct tyrc_file *file, void *data);
static int tyrc_drm_getstats(struct tyrc_file *file, void *data);
static int tyrc_drm_getcap(struct tyrc_file *file, void *data);
static int tyrc_drm_setclientcap(struct tyrc_file *file, void *data);
static int tyrc_drm_setversion(struct tyrc_file *file, void *data);
static int tyrc_drm_authmagic(struct tyrc_file *file, void *data);
static int tyrc_drm_setmaster(struct tyrc_file *file, void *data);
static int tyrc_drm_dropmaster(struct tyrc_file *file, void *data);
static int tyrc_drm_gem_close(struct tyrc_file *file, void *data);
static int tyrc_drm_no_modeset(struct tyrc_file *file, void *data);

#define CORE_IOCTL(ioctl, func, flags) [_IOC_NR(ioctl)] = TYRC_IOCTL_DEF(ioctl, func, flags)
/* KMS ioctls: a render-only driver answers EOPNOTSUPP, as drm_mode_* do without DRIVER_MODESET. */
#define KMS_IOCTL(ioctl) CORE_IOCTL(ioctl, tyrc_drm_no_modeset, 0)

static const struct tyrc_ioctl_desc tyrc_drm_core_ioctls[] = {
	CORE_IOCTL(DRM_IOCTL_VERSION, tyrc_drm_version, TYRC_DRM_RENDER_ALLOW),
	CORE_IOCTL(DRM_IOCTL_GET_UNIQUE, tyrc_drm_getunique, 0),
	CORE_IOCTL(DRM_IOCTL_GET_MAGIC, tyrc_drm_getmagic, 0),
	CORE_IOCTL(DRM_IOCTL_GET_CLIENT, tyrc_drm_getclient, 0),
	CORE_IOCTL(DRM_IOCTL_GET_STATS, tyrc_drm_getstats, 0),
	CORE_IOCTL(DRM_IOCTL_GET_CAP, tyrc_drm_getcap, TYRC_DRM_RENDER_ALLOW),
	CORE_IOCTL(DRM_IOCTL_SET_CLIENT_CAP, tyrc_drm_setclientcap, 0),
	CORE_IOCTL(DRM_IOCTL_SET_VERSION, tyrc_drm_setversion, TYRC_DRM_MASTER),
	CORE_IOCTL(DRM_IOCTL_AUTH_MAGIC, tyrc_drm_authmagic, TYRC_DRM_AUTH | TYRC_DRM_MASTER),
	CORE_IOCTL(DRM_IOCTL_SET_MASTER, tyrc_drm_setmaster, 0),
	CORE_IOCTL(DRM_IOCTL_DROP_MASTER, tyrc_drm_dropmaster, 0),
	CORE_IOCTL(DRM_IOCTL_GEM_CLOSE, tyrc_drm_gem_close, TYRC_DRM_RENDER_ALLOW),
	KMS_IOCTL(DRM_IOCTL_MODE_GETRESOURCES),
	KMS_IOCTL(DRM_IOCTL_MODE_GETCRTC),
	KMS_IOCTL(DRM_IOCTL_MODE_SETCRTC),
	KMS_IOCTL(DRM_IOCTL_MODE_CURSOR),
	KMS_IOCTL(DRM_IOCTL_MODE_GETGAMMA),
	KMS_IOCTL(DRM_IOCTL_MODE_SETGAMMA),
	KMS_IOCTL(DRM_IOCTL_MODE_GETENCODER),
	KMS_IOCTL(DRM_IOCTL_MODE_GETCONNECTOR),
	KMS_IOCTL(DRM_IOCTL_MODE_GETPROPERTY),
	KMS_IOCTL(DRM_IOCTL_MODE_SETPROPERTY),
	KMS_IOCTL(DRM_IOCTL_MODE_GETPROPBLOB),
	KMS_IOCTL(DRM_IOCTL_MODE_GETFB),
	KMS_IOCTL(DRM_IOCTL_MODE_ADDFB),
	KMS_IOCTL(DRM_IOCTL_MODE_RMFB),
	KMS_IOCTL(DRM_IOCTL_MODE_PAGE_FLIP),
	KMS_IOCTL(DRM_IOCTL_MODE_DIRTYFB),
	KMS_IOCTL(DRM_IOCTL_MODE_CREATE_DUMB),
	KMS_IOCTL(DRM_IOCTL_MODE_MAP_DUMB),
	KMS_IOCTL(DRM_IOCTL_MODE_DESTROY_DUMB),
	KMS_IOCTL(DRM_IOCTL_MODE_GETPLANERESOURCES),
	KMS_IOCTL(DRM_IOCTL_MODE_GETPLANE),
	KMS_IOCTL(DRM_IOCTL_MODE_SETPLANE),
	KMS_IOCTL(DRM_IOCTL_MODE_ADDFB2),
	KMS_IOCTL(DRM_IOCTL_MODE_OBJ_GETPROPERTIES),
	KMS_IOCTL(DRM_IOCTL_MODE_OBJ_SETPROPERTY),
	KMS_IOCTL(DRM_IOCTL_MODE_CURSOR2),
	KMS_IOCTL(DRM_IOCTL_MODE_ATOMIC),
	KMS_IOCTL(DRM_IOCTL_MODE_CREATEPROPBLOB),
	KMS_IOCTL(DRM_IOCTL_MODE_DESTROYPROPBLOB),
	CORE_IOCTL(DRM_IOCTL_SYNCOBJ_CREATE, tyrc_syncobj_create_ioctl, TYRC_DRM_RENDER_ALLOW),
	CORE_IOCTL(DRM_IOCTL_SYNCOBJ_DESTROY, tyrc_syncobj_destroy_ioctl, TYRC_DRM_RENDER_ALLOW),
	CORE_IOCTL(TYRC_DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, tyrc_syncobj_handle_to_fd_ioctl,
		   TYRC_DRM_RENDER_ALLOW),
	CORE_IOCTL(TYRC_DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE, tyrc_syncobj_fd_to_handle_ioctl,
		   TYRC_DRM_RENDER_ALLOW),
	CORE_IOCTL(TYRC_DRM_IOCTL_SYNCOBJ_WAIT, tyrc_syncobj_wait_ioctl, TYRC_DRM_RENDER_ALLOW),
	CORE_IOCTL(DRM_IOCTL_SYNCOBJ_RESET, tyrc_syncobj_reset_ioctl, TYRC_DRM_RENDER_ALLOW),
	CORE_IOCTL(DRM_IOCTL_SYNCOBJ_SIGNAL, tyrc_syncobj_signal_ioctl, TYRC_DRM_RENDER_ALLOW),
	CORE_IOCTL(TYRC_DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, tyrc_syncobj_timeline_wait_ioctl,
		   TYRC_DRM_RENDER_ALLOW),
	CORE_IOCTL(DRM_IOCTL_SYNCOBJ_QUERY, tyrc_syncobj_query_ioctl, TYRC_DRM_RENDER_ALLOW),
	CORE_IOCTL(DRM_IOCTL_SYNCOBJ_TRANSFER, tyrc_syncobj_transfer_ioctl, TYRC_DRM_RENDER_ALLOW),
	CORE_IOCTL(DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL, tyrc_syncobj_timeline_signal_ioctl,
		   TYRC_DRM_RENDER_ALLOW),
	CORE_IOCTL(DRM_IOCTL_SYNCOBJ_EVENTFD, tyrc_syncobj_eventfd_ioctl, TYRC_DRM_RENDER_ALLOW),
};

static bool tyrc_drm_is_unplugged(struct tyrc_device *dev)
{
	bool unplugged;

	tyrc_mutex_lock(&dev->drm.files_lock);
	unplugged = dev->drm.unplugged;
	tyrc_mutex_unlock(&dev->drm.files_lock);
	return unplugged;
}

int tyrc_drm_init(struct tyrc_device *dev)
{
	tyrc_mutex_init(&dev->drm.files_lock);
	tyrc_list_init(&dev->drm.files);
	tyrc_waitqueue_init(&dev->drm.files_wq);
	tyrc_mutex_init(&dev->drm.master_lock);
	tyrc_xa_init(&dev->drm.magics);
	dev->drm.next_client_id = 1;
	return tyrc_gem_init(dev);
}

void tyrc_drm_unplug(struct tyrc_device *dev)
{
	tyrc_mutex_lock(&dev->drm.files_lock);
	dev->drm.unplugged = true;
	tyrc_mutex_unlock(&dev->drm.files_lock);
}

void tyrc_drm_fini(struct tyrc_device *dev)
{
	tyrc_gem_fini(dev);
	tyrc_xa_destroy(&dev->drm.magics);
	tyrc_mutex_destroy(&dev->drm.master_lock);
	tyrc_waitqueue_destroy(&dev->drm.files_wq);
	tyrc_mutex_destroy(&dev->drm.files_lock);
}

/* Make @file the master; master_lock held. */
static void tyrc_drm_set_master_locked(struct tyrc_device *dev, struct tyrc_file *file)
{
	tyrc_lockdep_assert_held(&dev->drm.master_lock);
	dev->drm.master = file;
	file->is_master = true;
	file->was_master = true;
	file->authenticated = true;
}

static void tyrc_drm_drop_master_locked(struct tyrc_device *dev, struct tyrc_file *file)
{
	tyrc_lockdep_assert_held(&dev->drm.master_lock);
	if (dev->drm.master == file)
		dev->drm.master = NULL;
	file->is_master = false;
}

int tyrc_drm_open(struct tyrc_device *dev, enum tyrc_minor_type type,
		  const struct tyrc_client *client, struct tyrc_file **out)
{
	struct tyrc_file *file;

	if (type != TYRC_MINOR_PRIMARY && type != TYRC_MINOR_RENDER)
		return -EINVAL;

	file = calloc(1, sizeof(*file));
	if (!file)
		return -ENOMEM;
	file->dev = dev;
	file->type = type;
	file->client = *client;
	file->client.comm[sizeof(file->client.comm) - 1] = '\0';
	/* For compatibility root is always authenticated (drm_file_alloc). */
	file->authenticated = tyrc_file_capable(file);
	tyrc_xa_init(&file->gem_handles);
	tyrc_syncobj_open(file);
	file->user_mmio_offset = DRM_PANTHOR_USER_MMIO_OFFSET;

	if (tyrc_vm_pool_create(file) || tyrc_group_pool_create(file)) {
		tyrc_vm_pool_destroy(file);
		tyrc_xa_destroy(&file->syncobj_handles);
		tyrc_xa_destroy(&file->gem_handles);
		free(file);
		return -ENOMEM;
	}

	tyrc_mutex_lock(&dev->drm.files_lock);
	if (dev->drm.unplugged) {
		tyrc_mutex_unlock(&dev->drm.files_lock);
		tyrc_group_pool_destroy(file);
		tyrc_vm_pool_destroy(file);
		tyrc_xa_destroy(&file->syncobj_handles);
		tyrc_xa_destroy(&file->gem_handles);
		free(file);
		return -ENODEV;
	}
	file->client_id = dev->drm.next_client_id++;
	tyrc_list_add_tail(&file->link, &dev->drm.files);
	dev->drm.open_count++;

	/* The first opener of a primary node becomes master (drm_master_open). */
	if (type == TYRC_MINOR_PRIMARY) {
		tyrc_mutex_lock(&dev->drm.master_lock);
		if (!dev->drm.master)
			tyrc_drm_set_master_locked(dev, file);
		tyrc_mutex_unlock(&dev->drm.master_lock);
	}
	tyrc_mutex_unlock(&dev->drm.files_lock);

	*out = file;
	return 0;
}

void tyrc_drm_release(struct tyrc_file *file)
{
	struct tyrc_device *dev = file->dev;

	tyrc_mutex_lock(&dev->drm.files_lock);
	tyrc_mutex_lock(&dev->drm.master_lock);
	if (file->is_master)
		tyrc_drm_drop_master_locked(dev, file);
	if (file->magic)
		tyrc_xa_erase(&dev->drm.magics, file->magic);
	tyrc_mutex_unlock(&dev->drm.master_lock);
	tyrc_list_del_init(&file->link);
	dev->drm.open_count--;
	tyrc_mutex_unlock(&dev->drm.files_lock);
	tyrc_wake_up_all(&dev->drm.files_wq);

	/* drm_gem_release(): every handle drops its reference. */
	/* drm_syncobj_release(): every handle drops its reference. */
	tyrc_syncobj_release(file);
	tyrc_gem_file_release(file);
	/*
	 * panthor_postclose(): every group is destroyed (dropping its VM
	 * reference), then every VM, its mappings released.
	 */
	tyrc_group_pool_destroy(file);
	tyrc_vm_pool_destroy(file);
	tyrc_xa_destroy(&file->gem_handles);
	free(file);
}

unsigned int tyrc_drm_clients(struct tyrc_device *dev, struct tyrc_drm_client_stat *out,
			      unsigned int max)
{
	struct tyrc_file *file;
	unsigned int n = 0;

	tyrc_mutex_lock(&dev->drm.files_lock);
	tyrc_mutex_lock(&dev->drm.master_lock);
	tyrc_list_for_each_entry(file, &dev->drm.files, link) {
		if (n < max) {
			out[n].client = file->client;
			out[n].type = file->type;
			out[n].client_id = file->client_id;
			out[n].master = file->is_master;
		}
		n++;
	}
	tyrc_mutex_unlock(&dev->drm.master_lock);
	tyrc_mutex_unlock(&dev->drm.files_lock);
	return n;
}

/* drm_ioctl_permit(): Return: 0 or -EACCES. */
static int tyrc_drm_ioctl_permit(u32 flags, struct tyrc_file *file)
{
	struct tyrc_device *dev = file->dev;
	bool authenticated, is_master;

	tyrc_mutex_lock(&dev->drm.master_lock);
	authenticated = file->authenticated;
	is_master = file->is_master;
	tyrc_mutex_unlock(&dev->drm.master_lock);

	if ((flags & TYRC_DRM_ROOT_ONLY) && !tyrc_file_capable(file))
		return -EACCES;
	if ((flags & TYRC_DRM_AUTH) && !tyrc_file_is_render(file) && !authenticated)
		return -EACCES;
	if ((flags & TYRC_DRM_MASTER) && !is_master)
		return -EACCES;
	if (!(flags & TYRC_DRM_RENDER_ALLOW) && tyrc_file_is_render(file))
		return -EACCES;
	return 0;
}

static const struct tyrc_ioctl_desc *tyrc_drm_ioctl_lookup(unsigned int nr)
{
	if (nr >= DRM_COMMAND_BASE && nr < DRM_COMMAND_END) {
		unsigned int index = nr - DRM_COMMAND_BASE;

		return index < tyrc_panthor_num_ioctls ? &tyrc_panthor_ioctls[index] : NULL;
	}
	return nr < ARRAY_SIZE(tyrc_drm_core_ioctls) ? &tyrc_drm_core_ioctls[nr] : NULL;
}

long tyrc_drm_ioctl(struct tyrc_file *file, unsigned int cmd, u64 arg)
{
	u8 stack_kdata[128] __attribute__((aligned(8)));
	const struct tyrc_ioctl_desc *desc;
	unsigned int in_size, out_size, drv_size, ksize;
	u8 *kdata = stack_kdata;
	int ret;

	if (tyrc_drm_is_unplugged(file->dev))
		return -ENODEV;
	if (_IOC_TYPE(cmd) != DRM_IOCTL_BASE)
		return -ENOTTY;

	desc = tyrc_drm_ioctl_lookup(_IOC_NR(cmd));
	if (!desc || !desc->func)
		return -EINVAL;

	drv_size = _IOC_SIZE(desc->cmd);
	in_size = out_size = _IOC_SIZE(cmd);
	if (!(cmd & desc->cmd & IOC_IN))
		in_size = 0;
	if (!(cmd & desc->cmd & IOC_OUT))
		out_size = 0;
	ksize = tyrc_max(tyrc_max(in_size, out_size), drv_size);

	ret = tyrc_drm_ioctl_permit(desc->flags, file);
	if (ret)
		return ret;

	if (ksize > sizeof(stack_kdata)) {
		TYRC_BUG_ON(ksize > TYRC_IOCTL_MAX_SIZE);
		kdata = malloc(ksize);
		if (!kdata)
			return -ENOMEM;
	}
	if (tyrc_copy_from_user(kdata, arg, in_size)) {
		ret = -EFAULT;
		goto out;
	}
	if (ksize > in_size)
		memset(kdata + in_size, 0, ksize - in_size);

	ret = desc->func(file, kdata);

	/* Copied back even on failure: userspace reads e.g. VM_BIND's ops.count. */
	if (tyrc_copy_to_user(arg, kdata, out_size))
		ret = -EFAULT;
	if (ret)
		tyrc_dbg("pid=%d, ret=%d, %s", file->client.pid, ret, desc->name);
out:
	if (kdata != stack_kdata)
		free(kdata);
	return ret;
}

/* drm_copy_field(): copy at most *@buf_len bytes (no NUL), report the full length. */
static int tyrc_drm_copy_field(u64 buf, __kernel_size_t *buf_len, const char *value)
{
	size_t len = strlen(value);
	size_t copy = tyrc_min(len, (size_t)*buf_len);

	*buf_len = len;
	if (copy && buf && tyrc_copy_to_user(buf, value, copy))
		return -EFAULT;
	return 0;
}

static int tyrc_drm_version(struct tyrc_file *file, void *data)
{
	struct drm_version *v = data;
	int ret;

	v->version_major = TYRC_DRIVER_MAJOR;
	v->version_minor = TYRC_DRIVER_MINOR;
	v->version_patchlevel = TYRC_DRIVER_PATCHLEVEL;
	ret = tyrc_drm_copy_field((u64)(uintptr_t)v->name, &v->name_len, TYRC_DRIVER_NAME);
	if (!ret)
		ret = tyrc_drm_copy_field((u64)(uintptr_t)v->date, &v->date_len, TYRC_DRIVER_DATE);
	if (!ret)
		ret = tyrc_drm_copy_field((u64)(uintptr_t)v->desc, &v->desc_len, TYRC_DRIVER_DESC);
	return ret;
}

static int tyrc_drm_getunique(struct tyrc_file *file, void *data)
{
	struct drm_unique *u = data;
	size_t len = strlen(TYRC_DEVICE_UNIQUE);

	if (u->unique_len >= len &&
	    tyrc_copy_to_user((u64)(uintptr_t)u->unique, TYRC_DEVICE_UNIQUE, len))
		return -EFAULT;
	u->unique_len = len;
	return 0;
}

static int tyrc_drm_getmagic(struct tyrc_file *file, void *data)
{
	struct tyrc_device *dev = file->dev;
	struct drm_auth *auth = data;
	int ret = 0;

	tyrc_mutex_lock(&dev->drm.master_lock);
	if (!file->magic) {
		u32 magic;

		ret = tyrc_xa_alloc(&dev->drm.magics, &magic, file, 1, INT32_MAX);
		if (!ret)
			file->magic = magic;
	}
	auth->magic = file->magic;
	tyrc_mutex_unlock(&dev->drm.master_lock);
	return ret;
}

static int tyrc_drm_authmagic(struct tyrc_file *file, void *data)
{
	struct tyrc_device *dev = file->dev;
	struct drm_auth *auth = data;
	struct tyrc_file *target;

	tyrc_mutex_lock(&dev->drm.master_lock);
	target = auth->magic ? tyrc_xa_load(&dev->drm.magics, auth->magic) : NULL;
	if (target) {
		target->authenticated = true;
		tyrc_xa_erase(&dev->drm.magics, auth->magic);
		target->magic = 0;
	}
	tyrc_mutex_unlock(&dev->drm.master_lock);
	return target ? 0 : -EINVAL;
}

/* Hollowed-out in Linux too: only index 0 (the caller) is answered. */
static int tyrc_drm_getclient(struct tyrc_file *file, void *data)
{
	struct drm_client *client = data;
	struct tyrc_device *dev = file->dev;

	if (client->idx != 0)
		return -EINVAL;
	tyrc_mutex_lock(&dev->drm.master_lock);
	client->auth = file->authenticated;
	tyrc_mutex_unlock(&dev->drm.master_lock);
	client->pid = file->client.pid;
	client->uid = TYRC_OVERFLOWUID;
	client->magic = 0;
	client->iocs = 0;
	return 0;
}

static int tyrc_drm_getstats(struct tyrc_file *file, void *data)
{
	memset(data, 0, sizeof(struct drm_stats));
	return 0;
}

static int tyrc_drm_getcap(struct tyrc_file *file, void *data)
{
	struct drm_get_cap *req = data;

	req->value = 0;
	/* Only these caps make sense for a render-only driver. */
	switch (req->capability) {
	case DRM_CAP_TIMESTAMP_MONOTONIC:
		req->value = 1;
		return 0;
	case DRM_CAP_PRIME:
		/* PRIME import/export land with GEM objects. */
		req->value = 0;
		return 0;
	case DRM_CAP_SYNCOBJ:
	case DRM_CAP_SYNCOBJ_TIMELINE:
		req->value = 1;
		return 0;
	}
	/* Other caps only work with KMS drivers. */
	return -EOPNOTSUPP;
}

static int tyrc_drm_setclientcap(struct tyrc_file *file, void *data)
{
	/* No render-only settable capabilities; the rest need KMS. */
	return -EOPNOTSUPP;
}

static int tyrc_drm_setversion(struct tyrc_file *file, void *data)
{
	struct drm_set_version *sv = data;
	int ret = 0;

	if (sv->drm_di_major != -1 &&
	    (sv->drm_di_major != TYRC_DRM_IF_MAJOR || sv->drm_di_minor < 0 ||
	     sv->drm_di_minor > TYRC_DRM_IF_MINOR))
		ret = -EINVAL;
	else if (sv->drm_dd_major != -1 &&
		 (sv->drm_dd_major != TYRC_DRIVER_MAJOR || sv->drm_dd_minor < 0 ||
		  sv->drm_dd_minor > TYRC_DRIVER_MINOR))
		ret = -EINVAL;

	sv->drm_di_major = TYRC_DRM_IF_MAJOR;
	sv->drm_di_minor = TYRC_DRM_IF_MINOR;
	sv->drm_dd_major = TYRC_DRIVER_MAJOR;
	sv->drm_dd_minor = TYRC_DRIVER_MINOR;
	return ret;
}

/*
 * drm_master_check_perm(): a former master may take the role back, anyone
 * else needs CAP_SYS_ADMIN. (Linux also checks the caller is the opener's
 * process; the host does not pass the caller's pid yet, so this compares
 * only the opener's credentials.)
 */
static int tyrc_drm_master_check_perm(struct tyrc_file *file)
{
	if (file->was_master)
		return 0;
	return tyrc_file_capable(file) ? 0 : -EACCES;
}

static int tyrc_drm_setmaster(struct tyrc_file *file, void *data)
{
	struct tyrc_device *dev = file->dev;
	int ret;

	tyrc_mutex_lock(&dev->drm.master_lock);
	ret = tyrc_drm_master_check_perm(file);
	if (!ret && !file->is_master) {
		if (dev->drm.master)
			ret = -EBUSY;
		else
			tyrc_drm_set_master_locked(dev, file);
	}
	tyrc_mutex_unlock(&dev->drm.master_lock);
	return ret;
}

static int tyrc_drm_dropmaster(struct tyrc_file *file, void *data)
{
	struct tyrc_device *dev = file->dev;
	int ret;

	tyrc_mutex_lock(&dev->drm.master_lock);
	ret = tyrc_drm_master_check_perm(file);
	if (!ret && !file->is_master)
		ret = -EINVAL;
	if (!ret)
		tyrc_drm_drop_master_locked(dev, file);
	tyrc_mutex_unlock(&dev->drm.master_lock);
	return ret;
}

static int tyrc_drm_gem_close(struct tyrc_file *file, void *data)
{
	struct drm_gem_close *args = data;

	return tyrc_gem_handle_delete(file, args->handle);
}

/*
 * panthor_device_mmap_io(): the user MMIO space, @vma->offset already
 * rebased on DRM_PANTHOR_USER_MMIO_OFFSET. Only the LATEST_FLUSH_ID page,
 * shared, one page, never writable or executable.
 */
static int tyrc_drm_mmap_io(struct tyrc_file *file, struct tyrc_vm_area *vma)
{
	struct tyrc_device *dev = file->dev;

	if (!(vma->flags & MAP_SHARED))
		return -EINVAL;
	if (vma->offset != DRM_PANTHOR_USER_FLUSH_ID_MMIO_OFFSET)
		return -EINVAL;
	if (vma->len != TYRC_PAGE_SIZE || (vma->prot & (PROT_WRITE | PROT_EXEC)))
		return -EINVAL;
	vma->ranges = calloc(1, sizeof(*vma->ranges));
	if (!vma->ranges)
		return -ENOMEM;
	vma->ranges[0].phys = dev->platform.mmio_phys + CSF_GPU_LATEST_FLUSH_ID;
	vma->ranges[0].len = CSF_GPU_LATEST_FLUSH_ID_PAGE_SIZE;
	vma->nr_ranges = 1;
	/* vm_flags_clear(VM_MAYWRITE): mprotect() cannot make it writable. */
	vma->prot_mask = PROT_READ;
	vma->private = NULL;
	return 0;
}

int tyrc_drm_mmap(struct tyrc_file *file, struct tyrc_vm_area *vma)
{
	u64 mmio = READ_ONCE(file->user_mmio_offset);

	vma->ranges = NULL;
	vma->nr_ranges = 0;
	vma->private = NULL;
	if (tyrc_drm_is_unplugged(file->dev))
		return -ENODEV;
	if (!vma->len || (vma->len | vma->offset) & (TYRC_PAGE_SIZE - 1))
		return -EINVAL;
	/* panthor_mmap(): at or above the file's MMIO offset is MMIO, rebased. */
	if (vma->offset >= mmio) {
		vma->offset = vma->offset - mmio + DRM_PANTHOR_USER_MMIO_OFFSET;
		return tyrc_drm_mmap_io(file, vma);
	}
	if (vma->len > mmio - vma->offset)
		return -EINVAL;
	return tyrc_gem_mmap(file, vma);
}

void tyrc_drm_vma_close(struct tyrc_vm_area *vma)
{
	tyrc_gem_vma_close(vma);
	free(vma->ranges);
	vma->ranges = NULL;
	vma->nr_ranges = 0;
}

static int tyrc_drm_no_modeset(struct tyrc_file *file, void *data)
{
	return -EOPNOTSUPP;
}

u32 tyrc_device_profiling_get(struct tyrc_device *dev)
{
	return READ_ONCE(dev->profiling);
}

int tyrc_device_profiling_set(struct tyrc_device *dev, u32 mask)
{
	if (mask & ~TYRC_PROFILING_ALL)
		return -EINVAL;
	WRITE_ONCE(dev->profiling, mask);
	return 0;
}

/**
 * struct tyrc_drm_printer - drm_printer over a caller's buffer.
 * @buf: @size bytes, always NUL-terminated once anything is printed.
 * @len: bytes printed so far; past @size - 1 once @overflow is set.
 * @overflow: something did not fit (sticky).
 */
struct tyrc_drm_printer {
	char *buf;
	size_t size;
	size_t len;
	bool overflow;
};

static void tyrc_drm_printf(struct tyrc_drm_printer *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void tyrc_drm_printf(struct tyrc_drm_printer *p, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (p->overflow)
		return;
	va_start(ap, fmt);
	n = vsnprintf(p->buf + p->len, p->size - p->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= p->size - p->len) {
		p->overflow = true;
		p->buf[p->len] = '\0';
		return;
	}
	p->len += (size_t)n;
}

/*
 * drm_fdinfo_print_size(): "<prefix>-<stat>-<region>:\t<N>[ KiB| MiB]",
 * the largest unit that divides @sz exactly (bytes for 0), so parsers get
 * exact values.
 */
static void tyrc_drm_print_size(struct tyrc_drm_printer *p, const char *prefix, const char *stat,
				const char *region, u64 sz)
{
	static const char *const units[] = { "", " KiB", " MiB" };
	unsigned int u;

	for (u = 0; u < ARRAY_SIZE(units) - 1; u++) {
		if (!sz || sz % 1024)
			break;
		sz /= 1024;
	}
	tyrc_drm_printf(p, "%s-%s-%s:\t%llu%s\n", prefix, stat, region, (unsigned long long)sz,
			units[u]);
}

/*
 * panthor_gpu_show_fdinfo(): the usage counters only for the profiling
 * kinds enabled now (the timestamp one only with an arch timer to convert
 * its ticks), then the clock. Counters are read atomically, the scheduler
 * adds to them as jobs complete.
 */
static void tyrc_drm_show_gpu_fdinfo(struct tyrc_drm_printer *p, struct tyrc_file *file)
{
	struct tyrc_device *dev = file->dev;
	u32 mask = tyrc_device_profiling_get(dev);

	if ((mask & TYRC_PROFILING_TIMESTAMP) && dev->platform.timestamp_frequency_hz)
		tyrc_drm_printf(p, "drm-engine-panthor:\t%llu ns\n",
				(unsigned long long)READ_ONCE(file->stats.engine_ns));
	if (mask & TYRC_PROFILING_CYCLES)
		tyrc_drm_printf(p, "drm-cycles-panthor:\t%llu\n",
				(unsigned long long)READ_ONCE(file->stats.cycles));
	tyrc_drm_printf(p, "drm-maxfreq-panthor:\t%llu Hz\n",
			(unsigned long long)dev->platform.gpu_clock_hz);
	tyrc_drm_printf(p, "drm-curfreq-panthor:\t%llu Hz\n",
			(unsigned long long)dev->platform.gpu_clock_hz);
}

/*
 * drm_show_memory_stats() over the file's handles: total and shared
 * always; resident once a handle reports it (our BOs always have their
 * pages); active only for BOs with unsignalled fences, which Linux finds in
 * each BO's reservation object. Our BOs carry none, so drm-active-memory is
 * never printed, as Linux prints it for a client whose BOs are all idle.
 */
static void tyrc_drm_show_memory_stats(struct tyrc_drm_printer *p, struct tyrc_file *file)
{
	struct tyrc_gem_file_stats st;

	tyrc_gem_file_stats(file, &st);
	tyrc_drm_print_size(p, "drm", "total", "memory", st.private + st.shared);
	tyrc_drm_print_size(p, "drm", "shared", "memory", st.shared);
	if (st.nr_objects)
		tyrc_drm_print_size(p, "drm", "resident", "memory", st.resident);
}

int tyrc_drm_show_fdinfo(struct tyrc_file *file, char *buf, size_t size)
{
	struct tyrc_drm_printer p = { .buf = buf, .size = size };

	if (!size)
		return -ENOSPC;
	buf[0] = '\0';
	/* drm_dev_enter() failing: an unplugged device prints nothing. */
	if (tyrc_drm_is_unplugged(file->dev))
		return 0;
	tyrc_drm_printf(&p, "drm-driver:\t%s\n", TYRC_DRIVER_NAME);
	tyrc_drm_printf(&p, "drm-client-id:\t%llu\n", (unsigned long long)file->client_id);
	/* No drm-client-name: DRM_IOCTL_SET_CLIENT_NAME has no handler here, so none is ever set. */
	tyrc_drm_show_gpu_fdinfo(&p, file);
	/*
	 * panthor_show_internal_memory_stats(): the groups' kernel objects;
	 * "active" counts the groups bound to a CSG slot.
	 */
	tyrc_drm_print_size(&p, TYRC_DRIVER_NAME, "resident", "memory",
			    tyrc_group_pool_kernel_bytes(file, false));
	tyrc_drm_print_size(&p, TYRC_DRIVER_NAME, "active", "memory",
			    tyrc_group_pool_kernel_bytes(file, true));
	tyrc_drm_show_memory_stats(&p, file);
	return p.overflow ? -ENOSPC : (int)p.len;
}
