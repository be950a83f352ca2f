// SPDX-License-Identifier: MIT
/*
 * Asynchronous VM_BIND through the driver's own API (driver + model linked
 * in, no host or shim), for what a client cannot arrange through the uAPI
 * alone: a fence the test signals from the CPU (a bind waiting on it must
 * not run before, nor may a later bind on the same queue), an
 * execution-time failure from the vm layer's fault-injection knob (fence
 * error, VM unusable, MAP rejected, UNMAP still working), and VM_DESTROY or
 * file release with jobs blocked on an unsignalled fence (their fences
 * signal with -ECANCELED, nothing hangs).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "igt.h"
#include "panthor_drm.h"
#include "tyrc_drv.h"
#include "tyrc_model.h"
#include "tyrc_testdev.h"
#include "tyrc_syncobj.h"
#include "tyrc_vm.h"

IGT_TEST_DESCRIPTION("Asynchronous VM_BIND: ordering, execution failures and teardown.");

#define VA1 0x10000000ull
#define VA2 0x20000000ull
#define VA3 0x30000000ull
#define BO_SIZE 0x10000ull
#define WAIT_NS 5000000000ull
/* How long a fence that must stay pending is watched (a negative check only). */
#define NOT_YET_NS 20000000ull

#define SIGNAL ((uint32_t)DRM_PANTHOR_SYNC_OP_SIGNAL)
#define BINARY DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ
#define TIMELINE DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ
#define MAP DRM_PANTHOR_VM_BIND_OP_TYPE_MAP
#define UNMAP DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP
#define SYNC_ONLY DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY

static u32 vm_create(struct tyrc_file *file)
{
	struct drm_panthor_vm_create c = { 0 };

	igt_assert_eq(tyrc_testdev_file_ioctl(file, DRM_IOCTL_PANTHOR_VM_CREATE, &c), 0);
	return c.id;
}

static u32 vm_state(struct tyrc_file *file, u32 id)
{
	struct drm_panthor_vm_get_state s = { .vm_id = id };

	igt_assert_eq(tyrc_testdev_file_ioctl(file, DRM_IOCTL_PANTHOR_VM_GET_STATE, &s), 0);
	return s.state;
}

static u32 bo_create(struct tyrc_file *file)
{
	struct drm_panthor_bo_create c = { .size = BO_SIZE };

	igt_assert_eq(tyrc_testdev_file_ioctl(file, DRM_IOCTL_PANTHOR_BO_CREATE, &c), 0);
	return c.handle;
}

static u32 syncobj_new(struct tyrc_file *file)
{
	struct drm_syncobj_create c = { 0 };

	igt_assert_eq(tyrc_testdev_file_ioctl(file, DRM_IOCTL_SYNCOBJ_CREATE, &c), 0);
	return c.handle;
}

static struct drm_panthor_sync_op sync_op(u32 flags, u32 handle, u64 point)
{
	return (struct drm_panthor_sync_op){ .flags = flags,
					     .handle = handle,
					     .timeline_value = point };
}

/* One op; asynchronous when @syncs is given (possibly with @nsyncs 0). */
static int bind(struct tyrc_file *file, u32 vm, u32 flags, u32 bo, u64 va, u64 size,
		struct drm_panthor_sync_op *syncs, u32 nsyncs, bool async)
{
	struct drm_panthor_vm_bind_op op = {
		.flags = flags,
		.bo_handle = bo,
		.va = va,
		.size = size,
		.syncs = DRM_PANTHOR_OBJ_ARRAY(nsyncs, syncs),
	};
	struct drm_panthor_vm_bind b = {
		.vm_id = vm,
		.flags = async ? DRM_PANTHOR_VM_BIND_ASYNC : 0,
		.ops = DRM_PANTHOR_OBJ_ARRAY(1, &op),
	};

	return tyrc_testdev_file_ioctl(file, DRM_IOCTL_PANTHOR_VM_BIND, &b);
}

/* A fence only the test signals, installed as the fence of a new binary syncobj. */
static const char *cpu_fence_name(struct tyrc_dma_fence *fence)
{
	return "tyrc_vm_bind-test";
}

static const struct tyrc_dma_fence_ops cpu_fence_ops = {
	.get_driver_name = cpu_fence_name,
	.get_timeline_name = cpu_fence_name,
};

static struct tyrc_dma_fence *cpu_fence_syncobj(struct tyrc_file *file, u32 *handle)
{
	struct tyrc_dma_fence *fence = calloc(1, sizeof(*fence));
	struct tyrc_syncobj *syncobj;

	igt_assert(fence);
	tyrc_dma_fence_init(fence, &cpu_fence_ops, NULL, tyrc_dma_fence_context_alloc(1), 1);
	*handle = syncobj_new(file);
	syncobj = tyrc_syncobj_find(file, *handle);
	igt_assert(syncobj);
	tyrc_syncobj_replace_fence(syncobj, fence);
	tyrc_syncobj_put(syncobj);
	return fence;
}

static struct tyrc_dma_fence *syncobj_fence(struct tyrc_file *file, u32 handle, u64 point)
{
	struct tyrc_dma_fence *fence;

	igt_assert_eq(tyrc_syncobj_find_fence(file, handle, point, 0, &fence), 0);
	return fence;
}

/* The status of the fence at (@handle, @point) once signalled (bounded wait). */
static int fence_result(struct tyrc_file *file, u32 handle, u64 point)
{
	struct tyrc_dma_fence *fence = syncobj_fence(file, handle, point);
	int status;

	igt_assert(tyrc_dma_fence_wait_timeout(fence, WAIT_NS) > 0);
	status = tyrc_dma_fence_get_status(fence);
	tyrc_dma_fence_put(fence);
	return status;
}

static void assert_pending(struct tyrc_file *file, u32 handle, u64 point)
{
	struct tyrc_dma_fence *fence = syncobj_fence(file, handle, point);

	igt_assert_eq(tyrc_dma_fence_wait_timeout(fence, NOT_YET_NS), 0);
	tyrc_dma_fence_put(fence);
}

static u32 mapping_count(struct tyrc_file *file, u32 id)
{
	struct tyrc_vm *vm = tyrc_vm_lookup(file, id);
	u32 count;

	igt_assert(vm);
	igt_assert_eq(tyrc_vm_check_pgtables(vm), 0);
	count = tyrc_vm_mapping_count(vm);
	tyrc_vm_put(vm);
	return count;
}

/*
 * Two bind jobs on @file's new VM, blocked on a CPU fence (returned): a MAP
 * signalling a binary syncobj (its fence in @f1) and a SYNC_ONLY signalling
 * timeline point 1 (the point's fence in @f2).
 */
static struct tyrc_dma_fence *blocked_jobs(struct tyrc_file *file, struct tyrc_dma_fence **f1,
					   struct tyrc_dma_fence **f2, u32 *vm)
{
	struct drm_panthor_sync_op s[2];
	struct tyrc_dma_fence *cpu;
	u32 wait, bo, sig, tl;

	*vm = vm_create(file);
	bo = bo_create(file);
	sig = syncobj_new(file);
	tl = syncobj_new(file);
	cpu = cpu_fence_syncobj(file, &wait);
	s[0] = sync_op(BINARY, wait, 0);
	s[1] = sync_op(SIGNAL | BINARY, sig, 0);
	igt_assert_eq(bind(file, *vm, MAP, bo, VA1, BO_SIZE, s, 2, true), 0);
	s[0] = sync_op(SIGNAL | TIMELINE, tl, 1);
	igt_assert_eq(bind(file, *vm, SYNC_ONLY, 0, 0, 0, s, 1, true), 0);
	assert_pending(file, sig, 0);
	assert_pending(file, tl, 1);
	*f1 = syncobj_fence(file, sig, 0);
	*f2 = syncobj_fence(file, tl, 1);
	return cpu;
}

/* @f1 and @f2 from blocked_jobs() signal with -ECANCELED; drops them. */
static void assert_cancelled(struct tyrc_dma_fence *f1, struct tyrc_dma_fence *f2)
{
	igt_assert(tyrc_dma_fence_wait_timeout(f1, WAIT_NS) > 0);
	igt_assert(tyrc_dma_fence_wait_timeout(f2, WAIT_NS) > 0);
	igt_assert_eq(tyrc_dma_fence_get_status(f1), -ECANCELED);
	igt_assert_eq(tyrc_dma_fence_get_status(tyrc_dma_fence_chain_contained(f2)), -ECANCELED);
	tyrc_dma_fence_put(f1);
	tyrc_dma_fence_put(f2);
}

igt_main
{
	struct tyrc_testdev g;

	igt_fixture {
		tyrc_testdev_init_client(&g, "tyrc_vm_bind");
	}

	igt_describe("A bind waiting on a fence the CPU signals later runs only after it,"
		     " and so does a later bind of the same queue that waits on nothing.");
	igt_subtest("async-waits-for-cpu-fence") {
		u32 vm = vm_create(g.file), bo = bo_create(g.file);
		u32 wait, s1 = syncobj_new(g.file), s2 = syncobj_new(g.file);
		struct tyrc_dma_fence *cpu = cpu_fence_syncobj(g.file, &wait);
		struct drm_panthor_sync_op s[2];

		igt_assert_eq(bind(g.file, vm, MAP, bo, VA1, BO_SIZE, NULL, 0, false), 0);
		s[0] = sync_op(BINARY, wait, 0);
		s[1] = sync_op(SIGNAL | BINARY, s1, 0);
		igt_assert_eq(bind(g.file, vm, UNMAP, 0, VA1, BO_SIZE, s, 2, true), 0);
		s[0] = sync_op(SIGNAL | BINARY, s2, 0);
		igt_assert_eq(bind(g.file, vm, MAP, bo, VA2, BO_SIZE, s, 1, true), 0);

		assert_pending(g.file, s1, 0);
		assert_pending(g.file, s2, 0);
		igt_assert_eq(mapping_count(g.file, vm), 1);
		igt_assert(!tyrc_dma_fence_is_signaled(cpu));

		tyrc_dma_fence_signal(cpu);
		igt_assert_eq(fence_result(g.file, s2, 0), 1);
		igt_assert_eq(fence_result(g.file, s1, 0), 1);
		/* VA1 unmapped, VA2 mapped. */
		igt_assert_eq(mapping_count(g.file, vm), 1);
		igt_assert_eq(bind(g.file, vm, UNMAP, 0, VA2, BO_SIZE, NULL, 0, false), 0);
		igt_assert_eq(mapping_count(g.file, vm), 0);
		tyrc_dma_fence_put(cpu);
	}

	igt_describe("A bind failing at execution time (fault injection) signals its fence"
		     " with the error and leaves the VM unusable: MAPs are rejected, UNMAP"
		     " still works.");
	igt_subtest("async-execution-failure") {
		u32 vm = vm_create(g.file), bo = bo_create(g.file);
		u32 s1 = syncobj_new(g.file), tl = syncobj_new(g.file);
		struct drm_panthor_sync_op s[2];
		struct tyrc_vm *v;

		igt_assert_eq(bind(g.file, vm, MAP, bo, VA1, BO_SIZE, NULL, 0, false), 0);
		v = tyrc_vm_lookup(g.file, vm);
		igt_assert(v);
		tyrc_vm_fail_next_updates(v, 1);
		tyrc_vm_put(v);

		/* One ioctl: the VM may be unusable by the time a second one comes. */
		s[0] = sync_op(SIGNAL | BINARY, s1, 0);
		s[1] = sync_op(SIGNAL | TIMELINE, tl, 1);
		{
			struct drm_panthor_vm_bind_op ops[] = {
				{ .flags = MAP,
				  .bo_handle = bo,
				  .va = VA2,
				  .size = BO_SIZE,
				  .syncs = DRM_PANTHOR_OBJ_ARRAY(1, &s[0]) },
				{ .flags = SYNC_ONLY, .syncs = DRM_PANTHOR_OBJ_ARRAY(1, &s[1]) },
			};
			struct drm_panthor_vm_bind b = {
				.vm_id = vm,
				.flags = DRM_PANTHOR_VM_BIND_ASYNC,
				.ops = DRM_PANTHOR_OBJ_ARRAY(2, ops),
			};

			igt_assert_eq(
				tyrc_testdev_file_ioctl(g.file, DRM_IOCTL_PANTHOR_VM_BIND, &b), 0);
		}
		igt_assert_eq(fence_result(g.file, s1, 0), -ENOMEM);
		igt_assert_eq(fence_result(g.file, tl, 1), 1);
		igt_assert_eq(vm_state(g.file, vm), DRM_PANTHOR_VM_STATE_UNUSABLE);

		igt_assert_eq(bind(g.file, vm, MAP, bo, VA3, BO_SIZE, NULL, 0, false), -EINVAL);
		s[0] = sync_op(SIGNAL | TIMELINE, tl, 2);
		igt_assert_eq(bind(g.file, vm, UNMAP, 0, VA1, BO_SIZE, s, 1, true), -EINVAL);
		igt_assert_eq(mapping_count(g.file, vm), 1);
		igt_assert_eq(bind(g.file, vm, UNMAP, 0, VA1, BO_SIZE, NULL, 0, false), 0);
		igt_assert_eq(mapping_count(g.file, vm), 0);
		igt_assert_eq(vm_state(g.file, vm), DRM_PANTHOR_VM_STATE_UNUSABLE);
	}

	igt_describe("VM_DESTROY with jobs blocked on an unsignalled fence: their fences"
		     " signal with -ECANCELED.");
	igt_subtest("destroy-vm-with-pending-jobs") {
		struct tyrc_dma_fence *cpu, *f1, *f2;
		struct drm_panthor_vm_destroy d = { 0 };

		cpu = blocked_jobs(g.file, &f1, &f2, &d.id);
		igt_assert_eq(tyrc_testdev_file_ioctl(g.file, DRM_IOCTL_PANTHOR_VM_DESTROY, &d), 0);
		assert_cancelled(f1, f2);
		tyrc_dma_fence_signal(cpu);
		tyrc_dma_fence_put(cpu);
	}

	igt_describe("Closing the file with jobs blocked on an unsignalled fence: their"
		     " fences signal with -ECANCELED.");
	igt_subtest("close-file-with-pending-jobs") {
		struct tyrc_file *file = tyrc_testdev_open(&g, TYRC_MINOR_RENDER, 0);
		struct tyrc_dma_fence *cpu, *f1, *f2;
		u32 vm;

		cpu = blocked_jobs(file, &f1, &f2, &vm);
		tyrc_drm_release(file);
		assert_cancelled(f1, f2);
		tyrc_dma_fence_signal(cpu);
		tyrc_dma_fence_put(cpu);
	}

	igt_fixture {
		tyrc_testdev_fini(&g);
	}
}
