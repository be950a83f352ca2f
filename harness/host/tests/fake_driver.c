// SPDX-License-Identifier: MIT
/*
 * A fake implementation of tyrc_drv.h for host and shim tests: a DRM core
 * (copy-in, zero-extend, copy-out even on failure) with DRM_IOCTL_VERSION
 * and the test ioctls of fake_drm.h (file identity, nested copies in both
 * directions, a blocking ioctl), fdinfo lines (driver, client id, and a
 * cycles line while profiling bit 0 is set) and the profiling mask. It
 * needs no model.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "tyrc_drv.h"
#include "fake_drm.h"

#define FAKE_MAX_IOCTL_SIZE 256

struct tyrc_device {
	/* lock - guards files, next_id, wake_count, blocked, unplugged. */
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct tyrc_file *files;
	u32 next_id;
	u64 wake_count;
	u32 blocked;
	bool unplugged;
	/* mappings - open vmas (atomic). */
	u32 mappings;
	/* profiling - the sysfs profiling mask (atomic). */
	u32 profiling;
};

struct tyrc_file {
	struct tyrc_device *dev;
	struct tyrc_client client;
	enum tyrc_minor_type type;
	u32 id;
	bool master;
	struct tyrc_file *next;
};

void tyrc_device_config_init(struct tyrc_device_config *cfg)
{
	cfg->reset_timeout_ms = 100;
	cfg->pwr_timeout_ms = 20;
}

int tyrc_device_probe(const struct tyrc_platform *pdev, const struct tyrc_device_config *cfg,
		      struct tyrc_device **out)
{
	struct tyrc_device *dev = calloc(1, sizeof(*dev));

	if (!dev)
		return -ENOMEM;
	pthread_mutex_init(&dev->lock, NULL);
	pthread_cond_init(&dev->wake, NULL);
	*out = dev;
	return 0;
}

void tyrc_device_remove(struct tyrc_device *dev)
{
	if (!dev)
		return;
	TYRC_BUG_ON(dev->files);
	pthread_cond_destroy(&dev->wake);
	pthread_mutex_destroy(&dev->lock);
	free(dev);
}

int tyrc_drm_open(struct tyrc_device *dev, enum tyrc_minor_type type,
		  const struct tyrc_client *client, struct tyrc_file **out)
{
	struct tyrc_file *file = calloc(1, sizeof(*file)), *f;

	if (!file)
		return -ENOMEM;
	file->dev = dev;
	file->client = *client;
	file->type = type;
	pthread_mutex_lock(&dev->lock);
	if (dev->unplugged) {
		pthread_mutex_unlock(&dev->lock);
		free(file);
		return -ENODEV;
	}
	file->id = ++dev->next_id;
	file->master = type == TYRC_MINOR_PRIMARY;
	for (f = dev->files; f; f = f->next)
		if (f->master)
			file->master = false;
	file->next = dev->files;
	dev->files = file;
	pthread_mutex_unlock(&dev->lock);
	*out = file;
	return 0;
}

void tyrc_drm_release(struct tyrc_file *file)
{
	struct tyrc_device *dev = file->dev;
	struct tyrc_file **pp;

	pthread_mutex_lock(&dev->lock);
	for (pp = &dev->files; *pp; pp = &(*pp)->next) {
		if (*pp == file) {
			*pp = file->next;
			break;
		}
	}
	pthread_mutex_unlock(&dev->lock);
	free(file);
}

static int copy_string(u64 uptr, __kernel_size_t *ulen, const char *s)
{
	size_t len = strlen(s);
	int ret = 0;

	if (*ulen && uptr)
		ret = tyrc_copy_to_user(uptr, s, tyrc_min((size_t)*ulen, len));
	*ulen = len;
	return ret;
}

static int fake_version(struct tyrc_file *file, void *data)
{
	struct drm_version *v = data;
	int ret;

	v->version_major = FAKE_DRIVER_MAJOR;
	v->version_minor = FAKE_DRIVER_MINOR;
	v->version_patchlevel = 0;
	ret = copy_string((u64)(uintptr_t)v->name, &v->name_len, FAKE_DRIVER_NAME);
	if (!ret)
		ret = copy_string((u64)(uintptr_t)v->date, &v->date_len, FAKE_DRIVER_DATE);
	if (!ret)
		ret = copy_string((u64)(uintptr_t)v->desc, &v->desc_len, FAKE_DRIVER_DESC);
	return ret;
}

static int fake_file_id(struct tyrc_file *file, void *data)
{
	struct fake_file_id *id = data;

	id->id = file->id;
	id->minor = file->type == TYRC_MINOR_RENDER ? 128 : 0;
	id->pid = file->client.pid;
	return 0;
}

static int fake_xform(struct tyrc_file *file, void *data)
{
	struct fake_xform *x = data;
	u8 *buf;
	u32 i;
	int ret;

	if (x->pad || x->len > FAKE_XFORM_MAX)
		return -EINVAL;
	buf = malloc(x->len ? x->len : 1);
	if (!buf)
		return -ENOMEM;
	ret = tyrc_copy_from_user(buf, x->src, x->len);
	if (!ret) {
		for (i = 0; i < x->len; i++)
			buf[i] ^= 0xa5;
		ret = tyrc_copy_to_user(x->dst, buf, x->len);
	}
	free(buf);
	return ret;
}

static int fake_block(struct tyrc_file *file, void *data)
{
	struct tyrc_device *dev = file->dev;
	struct fake_block *b = data;
	struct timespec deadline;
	u64 start, count;
	int ret = 0;

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += b->timeout_ms / 1000;
	deadline.tv_nsec += (long)(b->timeout_ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&dev->lock);
	start = dev->wake_count;
	dev->blocked++;
	while (dev->wake_count == start && !ret)
		ret = pthread_cond_timedwait(&dev->wake, &dev->lock, &deadline);
	dev->blocked--;
	count = dev->wake_count;
	pthread_mutex_unlock(&dev->lock);
	if (ret)
		return -ETIMEDOUT;
	b->woken = 1;
	return tyrc_copy_to_user(b->out, &count, sizeof(count));
}

static int fake_unblock(struct tyrc_file *file, void *data)
{
	struct tyrc_device *dev = file->dev;

	pthread_mutex_lock(&dev->lock);
	dev->wake_count++;
	pthread_cond_broadcast(&dev->wake);
	pthread_mutex_unlock(&dev->lock);
	return 0;
}

static int fake_mappings(struct tyrc_file *file, void *data)
{
	*(uint32_t *)data = __atomic_load_n(&file->dev->mappings, __ATOMIC_RELAXED);
	return 0;
}

static int fake_blocked(struct tyrc_file *file, void *data)
{
	struct tyrc_device *dev = file->dev;

	pthread_mutex_lock(&dev->lock);
	*(u32 *)data = dev->blocked;
	pthread_mutex_unlock(&dev->lock);
	return 0;
}

static const struct {
	unsigned int cmd;
	int (*fn)(struct tyrc_file *file, void *data);
} fake_ioctls[] = {
	{ DRM_IOCTL_VERSION, fake_version },	{ FAKE_IOCTL_FILE_ID, fake_file_id },
	{ FAKE_IOCTL_XFORM, fake_xform },	{ FAKE_IOCTL_BLOCK, fake_block },
	{ FAKE_IOCTL_UNBLOCK, fake_unblock },	{ FAKE_IOCTL_BLOCKED, fake_blocked },
	{ FAKE_IOCTL_MAPPINGS, fake_mappings },
};

int tyrc_drm_mmap(struct tyrc_file *file, struct tyrc_vm_area *vma)
{
	u32 pages = FAKE_MMAP_SCATTER_PAGES;

	vma->private = NULL;
	if (vma->offset == FAKE_MMAP_OFFSET && vma->len == FAKE_MMAP_SIZE) {
		vma->ranges = calloc(1, sizeof(*vma->ranges));
		if (!vma->ranges)
			return -ENOMEM;
		vma->ranges[0] = (struct tyrc_vm_area_range){ FAKE_PHYS_BASE, FAKE_MMAP_SIZE };
		vma->nr_ranges = 1;
	} else if (vma->offset == FAKE_MMAP_SCATTER_OFFSET && vma->len == pages * 4096ull) {
		vma->ranges = calloc(pages, sizeof(*vma->ranges));
		if (!vma->ranges)
			return -ENOMEM;
		for (u32 k = 0; k < pages; k++)
			vma->ranges[k] = (struct tyrc_vm_area_range){
				FAKE_PHYS_SCATTER + (pages - 1 - k) * 4096ull, 4096
			};
		vma->nr_ranges = pages;
	} else {
		return -EINVAL;
	}
	vma->prot_mask = PROT_READ | PROT_WRITE;
	vma->private = file->dev;
	__atomic_add_fetch(&file->dev->mappings, 1, __ATOMIC_RELAXED);
	return 0;
}

void tyrc_drm_vma_close(struct tyrc_vm_area *vma)
{
	struct tyrc_device *dev = vma->private;

	if (dev)
		__atomic_sub_fetch(&dev->mappings, 1, __ATOMIC_RELAXED);
	free(vma->ranges);
	vma->ranges = NULL;
	vma->private = NULL;
}

unsigned int tyrc_drm_gem_stats(struct tyrc_device *dev, struct tyrc_drm_gem_stat *out,
				unsigned int max)
{
	return 0;
}

long tyrc_drm_ioctl(struct tyrc_file *file, unsigned int cmd, u64 arg)
{
	u8 kdata[FAKE_MAX_IOCTL_SIZE] = { 0 };
	unsigned int i, size = _IOC_SIZE(cmd);
	int ret;

	if (_IOC_TYPE(cmd) != DRM_IOCTL_BASE)
		return -ENOTTY;
	for (i = 0; i < ARRAY_SIZE(fake_ioctls); i++)
		if (_IOC_NR(fake_ioctls[i].cmd) == _IOC_NR(cmd))
			break;
	if (i == ARRAY_SIZE(fake_ioctls))
		return -EINVAL;
	if (size > sizeof(kdata))
		return -EINVAL;
	if ((cmd & IOC_IN) && tyrc_copy_from_user(kdata, arg, size))
		return -EFAULT;
	ret = fake_ioctls[i].fn(file, kdata);
	if ((cmd & IOC_OUT) && tyrc_copy_to_user(arg, kdata, size))
		ret = -EFAULT;
	return ret;
}

unsigned int tyrc_drm_clients(struct tyrc_device *dev, struct tyrc_drm_client_stat *out,
			      unsigned int max)
{
	struct tyrc_file *f;
	unsigned int n = 0;

	pthread_mutex_lock(&dev->lock);
	for (f = dev->files; f; f = f->next, n++) {
		if (n >= max)
			continue;
		out[n] = (struct tyrc_drm_client_stat){
			.client = f->client,
			.type = f->type,
			.client_id = f->id,
			.master = f->master,
		};
	}
	pthread_mutex_unlock(&dev->lock);
	return n;
}

void tyrc_device_get_info(struct tyrc_device *dev, struct tyrc_device_info *info)
{
	*info = (struct tyrc_device_info){
		.gpu_id = 0xa8670005,
		.csf_id = 0x040a0412,
		.shader_present = 0x50005,
		.model_name = "fake Mali-G610",
		.l2_power_on_count = 1,
	};
}

int tyrc_drm_show_fdinfo(struct tyrc_file *file, char *buf, size_t size)
{
	u32 mask = __atomic_load_n(&file->dev->profiling, __ATOMIC_RELAXED);
	int n;

	n = snprintf(buf, size, "drm-driver:\t%s\ndrm-client-id:\t%u\n%s", FAKE_DRIVER_NAME,
		     file->id, (mask & TYRC_PROFILING_CYCLES) ? "drm-cycles-panthor:\t0\n" : "");
	return n < 0 || (size_t)n >= size ? -ENOSPC : n;
}

u32 tyrc_device_profiling_get(struct tyrc_device *dev)
{
	return __atomic_load_n(&dev->profiling, __ATOMIC_RELAXED);
}

int tyrc_device_profiling_set(struct tyrc_device *dev, u32 mask)
{
	if (mask & ~TYRC_PROFILING_ALL)
		return -EINVAL;
	__atomic_store_n(&dev->profiling, mask, __ATOMIC_RELAXED);
	return 0;
}
