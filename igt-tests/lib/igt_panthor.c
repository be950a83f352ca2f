// SPDX-License-Identifier: MIT
/*
 * igt_panthor.c - panthor helpers with upstream IGT's names; see
 * igt_panthor.h.
 */
#include "igt_panthor.h"

#include <errno.h>
#include <linux/sync_file.h>
#include <stdlib.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "drmtest.h"
#include "igt_core.h"
#include "igt_syncobj.h"
#include "ioctl_wrappers.h"

/* do_ioctl() for @err 0, else do_ioctl_err() expecting @err. */
#define panthor_ioctl(fd, req, arg, err)                 \
	do {                                             \
		if (err)                                 \
			do_ioctl_err(fd, req, arg, err); \
		else                                     \
			do_ioctl(fd, req, arg);          \
	} while (0)

void igt_panthor_skip_on_big_endian(void)
{
	igt_skip_on_f(__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__,
		      "Panthor is unsupported on big-endian arch\n");
}

void igt_panthor_query(int fd, int32_t type, void *data, size_t size, int err)
{
	struct drm_panthor_dev_query query = {
		.type = (uint32_t)type,
		.size = (uint32_t)size,
		.pointer = (uintptr_t)data,
	};

	panthor_ioctl(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &query, err);
}

void igt_panthor_vm_create_userva_range(int fd, uint32_t *vm_id, int err, uint64_t *uva_range)
{
	struct drm_panthor_vm_create vm_create = {};

	panthor_ioctl(fd, DRM_IOCTL_PANTHOR_VM_CREATE, &vm_create, err);
	if (err)
		return;
	*vm_id = vm_create.id;
	if (uva_range)
		*uva_range = vm_create.user_va_range;
}

void igt_panthor_vm_destroy(int fd, uint32_t vm_id, int err)
{
	struct drm_panthor_vm_destroy vm_destroy = { .id = vm_id };

	panthor_ioctl(fd, DRM_IOCTL_PANTHOR_VM_DESTROY, &vm_destroy, err);
}

void igt_panthor_vm_bind_offset(int fd, uint32_t vm_id, uint32_t bo_handle, uint64_t va,
				uint64_t size, uint64_t offset, uint32_t flags, int err)
{
	struct drm_panthor_vm_bind_op bind_op = {
		.flags = flags,
		.bo_handle = bo_handle,
		.bo_offset = offset,
		.va = va,
		.size = size,
	};
	struct drm_panthor_vm_bind vm_bind = {
		.vm_id = vm_id,
		.ops = DRM_PANTHOR_OBJ_ARRAY(1, &bind_op),
	};

	panthor_ioctl(fd, DRM_IOCTL_PANTHOR_VM_BIND, &vm_bind, err);
}

void igt_panthor_vm_bind_async(int fd, uint32_t vm_id, uint32_t bo_handle, uint64_t va,
			       uint64_t size, uint32_t flags, struct drm_panthor_sync_op *syncs,
			       uint32_t sync_count, int err)
{
	struct drm_panthor_vm_bind_op bind_op = {
		.flags = flags,
		.bo_handle = bo_handle,
		.va = va,
		.size = size,
		.syncs = DRM_PANTHOR_OBJ_ARRAY(sync_count, syncs),
	};
	struct drm_panthor_vm_bind vm_bind = {
		.vm_id = vm_id,
		.flags = DRM_PANTHOR_VM_BIND_ASYNC,
		.ops = DRM_PANTHOR_OBJ_ARRAY(1, &bind_op),
	};

	panthor_ioctl(fd, DRM_IOCTL_PANTHOR_VM_BIND, &vm_bind, err);
}

void igt_panthor_bo_create(int fd, struct panthor_bo *bo, uint64_t size, uint32_t flags, int err)
{
	struct drm_panthor_bo_create bo_create = {
		.size = size,
		.flags = flags,
	};

	panthor_ioctl(fd, DRM_IOCTL_PANTHOR_BO_CREATE, &bo_create, err);
	bo->handle = (int)bo_create.handle;
	bo->size = bo_create.size;
	bo->offset = 0;
	bo->map = NULL;
}

uint64_t igt_panthor_bo_mmap_offset(int fd, uint32_t handle, int err)
{
	struct drm_panthor_bo_mmap_offset bo_mmap_offset = { .handle = handle };

	panthor_ioctl(fd, DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &bo_mmap_offset, err);
	return bo_mmap_offset.offset;
}

void *igt_panthor_mmap_bo(int fd, uint32_t handle, uint64_t size, unsigned int prot,
			  uint64_t offset)
{
	void *ptr = mmap(NULL, size, (int)prot, MAP_SHARED, fd, (off_t)offset);

	(void)handle;
	return ptr == MAP_FAILED ? NULL : ptr;
}

void igt_panthor_bo_create_mapped(int fd, struct panthor_bo *bo, uint64_t size, uint32_t flags,
				  int err)
{
	igt_panthor_bo_create(fd, bo, size, flags, err);
	if (err)
		return;
	bo->offset = igt_panthor_bo_mmap_offset(fd, bo->handle, 0);
	bo->map = igt_panthor_mmap_bo(fd, bo->handle, bo->size, PROT_READ | PROT_WRITE, bo->offset);
	igt_assert_f(bo->map, "mmap of BO %d failed: %m\n", bo->handle);
}

void igt_panthor_free_bo(int fd, struct panthor_bo *bo)
{
	if (!bo)
		return;
	if (bo->map)
		munmap(bo->map, bo->size);
	bo->map = NULL;
	gem_close(fd, bo->handle);
}

void igt_panthor_group_create(int fd, struct drm_panthor_group_create *group_create, int err)
{
	panthor_ioctl(fd, DRM_IOCTL_PANTHOR_GROUP_CREATE, group_create, err);
}

void igt_panthor_group_destroy(int fd, uint32_t group_handle, int err)
{
	struct drm_panthor_group_destroy group_destroy = { .group_handle = group_handle };

	panthor_ioctl(fd, DRM_IOCTL_PANTHOR_GROUP_DESTROY, &group_destroy, err);
}

void igt_panthor_group_submit(int fd, struct drm_panthor_group_submit *group_submit, int err)
{
	panthor_ioctl(fd, DRM_IOCTL_PANTHOR_GROUP_SUBMIT, group_submit, err);
}

uint32_t igt_panthor_group_create_priority(int fd, uint32_t vm_id, uint8_t priority,
					   uint32_t queue_count, uint32_t ringbuf_size, int err)
{
	struct drm_panthor_gpu_info gpu_info = {};
	struct drm_panthor_queue_create queues[32] = {};
	struct drm_panthor_group_create group_create = {};

	igt_assert(queue_count <= ARRAY_SIZE(queues));
	igt_panthor_query(fd, DRM_PANTHOR_DEV_QUERY_GPU_INFO, &gpu_info, sizeof(gpu_info), 0);
	for (uint32_t i = 0; i < queue_count; i++)
		queues[i].ringbuf_size = ringbuf_size;

	group_create.queues =
		(struct drm_panthor_obj_array)DRM_PANTHOR_OBJ_ARRAY(queue_count, queues);
	group_create.max_compute_cores = 1;
	group_create.max_fragment_cores = 1;
	group_create.max_tiler_cores = 1;
	group_create.priority = priority;
	group_create.compute_core_mask = igt_panthor_get_first_core(gpu_info.shader_present);
	group_create.fragment_core_mask = igt_panthor_get_first_core(gpu_info.shader_present);
	group_create.tiler_core_mask = igt_panthor_get_first_core(gpu_info.tiler_present);
	group_create.vm_id = vm_id;

	igt_panthor_group_create(fd, &group_create, err);
	return group_create.group_handle;
}

uint32_t igt_panthor_group_create_queues(int fd, uint32_t vm_id, uint32_t queue_count,
					 uint32_t ringbuf_size, int err)
{
	return igt_panthor_group_create_priority(fd, vm_id, PANTHOR_GROUP_PRIORITY_MEDIUM,
						 queue_count, ringbuf_size, err);
}

bool igt_panthor_group_priority_allowed(int fd, uint8_t priority)
{
	struct drm_panthor_group_priorities_info info = {};

	igt_panthor_query(fd, DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO, &info, sizeof(info), 0);
	return priority < 8 && (info.allowed_mask & (1u << priority));
}

uint32_t igt_panthor_vm_get_state(int fd, uint32_t vm_id, int err)
{
	struct drm_panthor_vm_get_state st = { .vm_id = vm_id };

	panthor_ioctl(fd, DRM_IOCTL_PANTHOR_VM_GET_STATE, &st, err);
	return st.state;
}

void igt_panthor_tiler_heap_create(int fd, struct drm_panthor_tiler_heap_create *heap, int err)
{
	panthor_ioctl(fd, DRM_IOCTL_PANTHOR_TILER_HEAP_CREATE, heap, err);
}

void igt_panthor_tiler_heap_destroy(int fd, uint32_t handle, int err)
{
	struct drm_panthor_tiler_heap_destroy d = { .handle = handle };

	panthor_ioctl(fd, DRM_IOCTL_PANTHOR_TILER_HEAP_DESTROY, &d, err);
}

int igt_panthor_syncobj_fence_status(int fd, uint32_t handle)
{
	int sf = syncobj_handle_to_fd(fd, handle, DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE);
	struct sync_file_info info = {};

	igt_assert_fd(sf);
	do_ioctl(sf, SYNC_IOC_FILE_INFO, &info);
	close(sf);
	return info.status;
}

uint64_t igt_panthor_gpu_cycle_count(int fd)
{
	struct drm_panthor_timestamp_info ts = { .flags = DRM_PANTHOR_TIMESTAMP_GPU_CYCLE_COUNT };

	igt_panthor_query(fd, DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO, &ts, sizeof(ts), 0);
	return ts.cycle_count;
}

/* $@name as the host parses it: an integer in [@min, UINT32_MAX], else @def. */
static uint32_t host_env_u32(const char *name, uint32_t min, uint32_t def)
{
	const char *env = getenv(name);
	unsigned long v;
	char *end;

	if (!env || !*env)
		return def;
	errno = 0;
	v = strtoul(env, &end, 10);
	if (*end || errno || v < min || v > UINT32_MAX)
		return def;
	return (uint32_t)v;
}

uint32_t igt_panthor_host_job_timeout_ms(void)
{
	return host_env_u32("TYRC_JOB_TIMEOUT_MS", 1, 5000);
}

uint32_t igt_panthor_host_autosuspend_ms(void)
{
	return host_env_u32("TYRC_AUTOSUSPEND_MS", 0, 50);
}

bool igt_panthor_host_allow_high_priority(void)
{
	return host_env_u32("TYRC_ALLOW_HIGH_PRIORITY", 0, 0) != 0;
}

uint32_t igt_panthor_group_create_simple(int fd, uint32_t vm_id, int err)
{
	return igt_panthor_group_create_queues(fd, vm_id, 1, 4096, err);
}

void igt_panthor_group_submit_simple(int fd, uint32_t group_handle, uint32_t queue_index,
				     uint64_t stream_addr, uint32_t stream_size,
				     uint32_t syncobj_handle, int err)
{
	struct drm_panthor_sync_op sync_op = {
		.flags = DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ | DRM_PANTHOR_SYNC_OP_SIGNAL,
		.handle = syncobj_handle,
	};
	struct drm_panthor_queue_submit queue_submit = {
		.queue_index = queue_index,
		.stream_size = stream_size,
		.stream_addr = stream_addr,
		.latest_flush = 0,
		.syncs = DRM_PANTHOR_OBJ_ARRAY(1, &sync_op),
	};
	struct drm_panthor_group_submit group_submit = {
		.group_handle = group_handle,
		.queue_submits = DRM_PANTHOR_OBJ_ARRAY(1, &queue_submit),
	};

	igt_panthor_group_submit(fd, &group_submit, err);
}

void igt_panthor_group_get_state(int fd, uint32_t group_handle,
				 struct drm_panthor_group_get_state *state, int err)
{
	*state = (struct drm_panthor_group_get_state){ .group_handle = group_handle };
	panthor_ioctl(fd, DRM_IOCTL_PANTHOR_GROUP_GET_STATE, state, err);
}

uint64_t igt_panthor_get_first_core(uint64_t cores_present)
{
	if (!cores_present)
		return 0;
	return cores_present & -cores_present;
}
