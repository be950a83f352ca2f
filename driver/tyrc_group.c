// SPDX-License-Identifier: MIT
/*
 * Group objects and the GROUP_CREATE / GROUP_DESTROY / GROUP_GET_STATE
 * ioctls (panthor_group_create() and friends), without scheduling. See
 * tyrc_group.h.
 */
#include <stdlib.h>
#include <string.h>

#include <tyrc/kernel.h>
#include "panthor_drm.h"
#include "tyrc_device.h"
#include "tyrc_drm.h"
#include "tyrc_fw.h"
#include "tyrc_group.h"
#include "tyrc_kva.h"
#include "tyrc_mmu.h"
#include "tyrc_pgtable.h"
#include "tyrc_ring.h"
#include "tyrc_sched.h"
#include "tyrc_uobj.h"
#include "tyrc_vm.h"

/* Ring buffer sizes the uAPI accepts. */
#define TYRC_RINGBUF_MIN_SIZE 0x1000u
#define TYRC_RINGBUF_MAX_SIZE 0x10000u
/* Highest queue priority. */
#define TYRC_QUEUE_MAX_PRIORITY 15u

/* Driver-owned objects: uncached, never executed (panthor's kernel BO flags). */
#define TYRC_GROUP_PROT_UNCACHED (TYRC_PROT_READ | TYRC_PROT_WRITE | TYRC_PROT_NOEXEC)
/* Suspend buffers: cached, never executed. */
#define TYRC_GROUP_PROT_SUSPEND (TYRC_GROUP_PROT_UNCACHED | TYRC_PROT_CACHE)

/** struct tyrc_group_queue - one queue's objects. */
struct tyrc_group_queue {
	/** @ringbuf: the ring buffer in the group VM's kernel range (owned). */
	struct tyrc_kbo *ringbuf;
	/** @iface: input + output pages in the MCU VM (owned). */
	struct tyrc_kbo *iface;
	/** @profile: profiling slots in the group VM (owned). */
	struct tyrc_kbo *profile;
};

/** struct tyrc_group - a scheduling group (see tyrc_group.h). */
struct tyrc_group {
	/** @refcount: the pool's reference and lookups. */
	struct tyrc_kref refcount;
	/** @dev: the device (not referenced; outlives every group). */
	struct tyrc_device *dev;
	/** @file: the creator (not referenced: its release destroys the group). */
	struct tyrc_file *file;
	/** @vm: the group's VM (holds a reference). */
	struct tyrc_vm *vm;
	/** @params: what GROUP_CREATE asked for. */
	struct tyrc_group_params params;
	/** @queue_count: entries of @queues in use. */
	u32 queue_count;
	struct tyrc_group_queue queues[TYRC_GROUP_MAX_QUEUES];
	/** @syncobjs: one sync object per queue, group VM (owned). */
	struct tyrc_kbo *syncobjs;
	/** @suspend_buf: CSG suspend buffer, MCU VM (owned; NULL if size 0). */
	struct tyrc_kbo *suspend_buf;
	/** @protm_suspend_buf: protected-mode suspend buffer, MCU VM (owned; NULL if size 0). */
	struct tyrc_kbo *protm_suspend_buf;
	/** @sched: scheduling state (owned; NULL until the objects exist). */
	struct tyrc_sched_group *sched;
};

/** struct tyrc_group_pool - a file's groups (panthor_group_pool). */
struct tyrc_group_pool {
	/** @xa: handle (1..TYRC_MAX_GROUPS_PER_FILE) → group; each entry holds a reference. */
	struct tyrc_xa xa;
};

static void tyrc_group_release(struct tyrc_kref *kref)
{
	struct tyrc_group *group = container_of(kref, struct tyrc_group, refcount);

	tyrc_sched_group_free(group->sched);
	for (u32 i = 0; i < group->queue_count; i++) {
		tyrc_kbo_destroy(group->queues[i].ringbuf);
		tyrc_kbo_destroy(group->queues[i].iface);
		tyrc_kbo_destroy(group->queues[i].profile);
	}
	tyrc_kbo_destroy(group->syncobjs);
	tyrc_kbo_destroy(group->suspend_buf);
	tyrc_kbo_destroy(group->protm_suspend_buf);
	/* Kernel BOs first: they live in the VM's page tables and range. */
	tyrc_vm_put(group->vm);
	free(group);
}

struct tyrc_group *tyrc_group_get(struct tyrc_group *group)
{
	if (group)
		tyrc_kref_get(&group->refcount);
	return group;
}

void tyrc_group_put(struct tyrc_group *group)
{
	if (group)
		tyrc_kref_put(&group->refcount, tyrc_group_release);
}

struct tyrc_device *tyrc_group_device(struct tyrc_group *group)
{
	return group->dev;
}

const struct tyrc_group_params *tyrc_group_params(struct tyrc_group *group)
{
	return &group->params;
}

struct tyrc_sched_group *tyrc_group_sched(struct tyrc_group *group)
{
	return group->sched;
}

struct tyrc_vm *tyrc_group_vm(struct tyrc_group *group)
{
	return group->vm;
}

u32 tyrc_group_queue_count(struct tyrc_group *group)
{
	return group->queue_count;
}

struct tyrc_kbo *tyrc_group_ringbuf(struct tyrc_group *group, u32 i)
{
	return i < group->queue_count ? group->queues[i].ringbuf : NULL;
}

struct tyrc_kbo *tyrc_group_profile_slots(struct tyrc_group *group, u32 i)
{
	return i < group->queue_count ? group->queues[i].profile : NULL;
}

struct tyrc_file *tyrc_group_file(struct tyrc_group *group)
{
	return group->file;
}

struct tyrc_kbo *tyrc_group_queue_iface(struct tyrc_group *group, u32 i)
{
	return i < group->queue_count ? group->queues[i].iface : NULL;
}

struct tyrc_kbo *tyrc_group_syncobjs(struct tyrc_group *group)
{
	return group->syncobjs;
}

struct tyrc_kbo *tyrc_group_suspend_buf(struct tyrc_group *group)
{
	return group->suspend_buf;
}

struct tyrc_kbo *tyrc_group_protm_suspend_buf(struct tyrc_group *group)
{
	return group->protm_suspend_buf;
}

int tyrc_group_pool_create(struct tyrc_file *file)
{
	struct tyrc_group_pool *pool = calloc(1, sizeof(*pool));

	if (!pool)
		return -ENOMEM;
	tyrc_xa_init(&pool->xa);
	file->groups = pool;
	return 0;
}

void tyrc_group_pool_destroy(struct tyrc_file *file)
{
	struct tyrc_group_pool *pool = file->groups;
	struct tyrc_group *group;
	u32 handle;

	if (!pool)
		return;
	tyrc_xa_for_each(&pool->xa, handle, group) {
		tyrc_xa_erase(&pool->xa, handle);
		tyrc_sched_group_destroy(group->sched);
		tyrc_group_put(group);
	}
	tyrc_xa_destroy(&pool->xa);
	free(pool);
	file->groups = NULL;
}

static u64 tyrc_group_kernel_bytes(const struct tyrc_group *group)
{
	u64 bytes = 0;

	for (u32 i = 0; i < group->queue_count; i++)
		bytes += tyrc_kbo_size(group->queues[i].ringbuf) +
			 tyrc_kbo_size(group->queues[i].iface);
	bytes += tyrc_kbo_size(group->syncobjs);
	if (group->suspend_buf)
		bytes += tyrc_kbo_size(group->suspend_buf);
	if (group->protm_suspend_buf)
		bytes += tyrc_kbo_size(group->protm_suspend_buf);
	return bytes;
}

u64 tyrc_group_pool_kernel_bytes(struct tyrc_file *file, bool resident_only)
{
	u64 bytes = 0;

	for (u32 handle = 0; tyrc_xa_find(&file->groups->xa, &handle); handle++) {
		/* A reference of our own: GROUP_DESTROY may race with us. */
		struct tyrc_group *group = tyrc_group_lookup(file, handle);

		if (group && (!resident_only || tyrc_sched_group_resident(group->sched)))
			bytes += tyrc_group_kernel_bytes(group);
		tyrc_group_put(group);
	}
	return bytes;
}

struct tyrc_group *tyrc_group_lookup(struct tyrc_file *file, u32 handle)
{
	struct tyrc_group *group;

	tyrc_xa_lock(&file->groups->xa);
	group = tyrc_group_get(tyrc_xa_load_locked(&file->groups->xa, handle));
	tyrc_xa_unlock(&file->groups->xa);
	return group;
}

/* Core masks: subsets of the present cores, with at least max_*_cores bits. */
static int tyrc_group_check_cores(struct tyrc_device *dev,
				  const struct drm_panthor_group_create *args)
{
	const struct drm_panthor_gpu_info *info = &dev->gpu_info;

	if ((args->compute_core_mask & ~info->shader_present) ||
	    (args->fragment_core_mask & ~info->shader_present) ||
	    (args->tiler_core_mask & ~info->tiler_present))
		return -EINVAL;
	if (__builtin_popcountll(args->compute_core_mask) < args->max_compute_cores ||
	    __builtin_popcountll(args->fragment_core_mask) < args->max_fragment_cores ||
	    __builtin_popcountll(args->tiler_core_mask) < args->max_tiler_cores)
		return -EINVAL;
	return 0;
}

/* group_create_queue()'s argument checks. */
static int tyrc_group_check_queue(const struct drm_panthor_queue_create *q)
{
	if (q->pad[0] || q->pad[1] || q->pad[2])
		return -EINVAL;
	if (q->ringbuf_size < TYRC_RINGBUF_MIN_SIZE || q->ringbuf_size > TYRC_RINGBUF_MAX_SIZE ||
	    !is_power_of_2(q->ringbuf_size))
		return -EINVAL;
	if (q->priority > TYRC_QUEUE_MAX_PRIORITY)
		return -EINVAL;
	return 0;
}

/* Allocate every kernel BO of @group: MCU-VM buffers, sync objects, then per queue. */
static int tyrc_group_alloc_objects(struct tyrc_group *group,
				    const struct drm_panthor_queue_create *queues, u32 count)
{
	struct tyrc_device *dev = group->dev;
	struct tyrc_mmu_vm *mcu = tyrc_fw_mcu_vm(dev), *gpu = tyrc_vm_mmu(group->vm);
	struct tyrc_kva_range *fw_kva = tyrc_fw_kva(dev), *vm_kva = tyrc_vm_kva(group->vm);
	struct tyrc_fw_info fi;
	int ret;

	tyrc_fw_get_info(dev, &fi);
	if (fi.suspend_size) {
		ret = tyrc_kbo_create(dev, mcu, fw_kva, fi.suspend_size, TYRC_GROUP_PROT_SUSPEND, 0,
				      &group->suspend_buf);
		if (ret)
			return ret;
	}
	if (fi.protm_suspend_size) {
		ret = tyrc_kbo_create(dev, mcu, fw_kva, fi.protm_suspend_size,
				      TYRC_GROUP_PROT_SUSPEND, 0, &group->protm_suspend_buf);
		if (ret)
			return ret;
	}
	ret = tyrc_kbo_create(dev, gpu, vm_kva, (u64)count * TYRC_GROUP_SYNCOBJ_SIZE,
			      TYRC_GROUP_PROT_UNCACHED, TYRC_KBO_VMAP, &group->syncobjs);
	if (ret)
		return ret;
	for (u32 i = 0; i < count; i++) {
		struct tyrc_group_queue *q = &group->queues[i];

		group->params.queue_priority[i] = queues[i].priority;
		group->queue_count = i + 1;
		ret = tyrc_kbo_create(dev, gpu, vm_kva, queues[i].ringbuf_size,
				      TYRC_GROUP_PROT_UNCACHED, TYRC_KBO_VMAP, &q->ringbuf);
		if (ret)
			return ret;
		ret = tyrc_kbo_create(dev, mcu, fw_kva, TYRC_GROUP_QUEUE_IFACE_SIZE,
				      TYRC_GROUP_PROT_UNCACHED, TYRC_KBO_VMAP, &q->iface);
		if (ret)
			return ret;
		ret = tyrc_kbo_create(dev, gpu, vm_kva,
				      (u64)queues[i].ringbuf_size / TYRC_GROUP_PROFILE_RING_BYTES *
					      sizeof(struct tyrc_ring_profile_slot),
				      TYRC_GROUP_PROT_UNCACHED, TYRC_KBO_VMAP, &q->profile);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * panthor_group_create(): the checks after the ioctl's own (count, array,
 * priority), in panthor's order, then the objects, then a handle.
 */
static int tyrc_group_create(struct tyrc_file *file, struct drm_panthor_group_create *args,
			     const struct drm_panthor_queue_create *queues)
{
	struct tyrc_device *dev = file->dev;
	struct tyrc_group *group;
	struct tyrc_fw_info fi;
	struct tyrc_vm *vm;
	u32 handle;
	int ret;

	if (args->pad)
		return -EINVAL;
	ret = tyrc_group_check_cores(dev, args);
	if (ret)
		return ret;
	vm = tyrc_vm_lookup(file, args->vm_id);
	if (!vm)
		return -EINVAL;
	for (u32 i = 0; i < args->queues.count; i++) {
		ret = tyrc_group_check_queue(&queues[i]);
		if (ret)
			goto err_put_vm;
	}
	/*
	 * Our choice (panthor 6.18 does not check it): a group cannot have
	 * more queues than a CSG slot has CSs, or it could never be resident.
	 */
	tyrc_fw_get_info(dev, &fi);
	if (args->queues.count > fi.stream_num) {
		ret = -EINVAL;
		goto err_put_vm;
	}

	group = calloc(1, sizeof(*group));
	if (!group) {
		ret = -ENOMEM;
		goto err_put_vm;
	}
	tyrc_kref_init(&group->refcount);
	group->dev = dev;
	group->file = file;
	group->vm = vm;
	group->params.priority = args->priority;
	group->params.max_compute_cores = args->max_compute_cores;
	group->params.max_fragment_cores = args->max_fragment_cores;
	group->params.max_tiler_cores = args->max_tiler_cores;
	group->params.compute_core_mask = args->compute_core_mask;
	group->params.fragment_core_mask = args->fragment_core_mask;
	group->params.tiler_core_mask = args->tiler_core_mask;

	ret = tyrc_group_alloc_objects(group, queues, args->queues.count);
	if (ret)
		goto err_put_group;
	ret = tyrc_sched_group_create(group, &group->sched);
	if (ret)
		goto err_put_group;
	/* A full pool answers -EBUSY, as xa_alloc() does for panthor. */
	ret = tyrc_xa_alloc(&file->groups->xa, &handle, group, 1, TYRC_MAX_GROUPS_PER_FILE);
	if (ret) {
		tyrc_sched_group_destroy(group->sched);
		goto err_put_group;
	}
	args->group_handle = handle;
	return 0;

err_put_group:
	/* The group owns the VM reference now. */
	tyrc_group_put(group);
	return ret;
err_put_vm:
	tyrc_vm_put(vm);
	return ret;
}

int tyrc_ioctl_group_create(struct tyrc_file *file, void *data)
{
	struct drm_panthor_group_create *args = data;
	struct drm_panthor_queue_create *queues = NULL;
	int ret;

	if (!args->queues.count || args->queues.count > TYRC_GROUP_MAX_QUEUES)
		return -EINVAL;
	ret = tyrc_uobj_get_array((void **)&queues, sizeof(*queues),
				  TYRC_OFFSETOFEND(struct drm_panthor_queue_create, ringbuf_size),
				  args->queues.stride, args->queues.count, args->queues.array);
	if (ret)
		return ret;
	if (args->priority > PANTHOR_GROUP_PRIORITY_REALTIME)
		ret = -EINVAL;
	else if (!tyrc_priority_permit(file, args->priority))
		ret = -EACCES;
	else
		ret = tyrc_group_create(file, args, queues);
	free(queues);
	return ret;
}

int tyrc_ioctl_group_destroy(struct tyrc_file *file, void *data)
{
	struct drm_panthor_group_destroy *args = data;
	struct tyrc_group *group;

	if (args->pad)
		return -EINVAL;
	group = tyrc_xa_erase(&file->groups->xa, args->group_handle);
	if (!group)
		return -EINVAL;
	tyrc_sched_group_destroy(group->sched);
	tyrc_group_put(group);
	return 0;
}

int tyrc_ioctl_group_get_state(struct tyrc_file *file, void *data)
{
	struct drm_panthor_group_get_state *args = data;
	struct tyrc_group *group;

	if (args->pad)
		return -EINVAL;
	group = tyrc_group_lookup(file, args->group_handle);
	if (!group)
		return -EINVAL;
	memset(args, 0, sizeof(*args));
	tyrc_sched_group_get_state(group->sched, &args->state, &args->fatal_queues);
	tyrc_group_put(group);
	return 0;
}
