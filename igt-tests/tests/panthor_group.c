// SPDX-License-Identifier: MIT
/*
 * GROUP_CREATE, GROUP_DESTROY and GROUP_GET_STATE: upstream IGT's
 * panthor_group create/destroy case (without its submission part: groups
 * do not run yet) and every argument rule of the uAPI with its errno, in
 * panthor's order (panthor-uapi.md §7): queue count, queue array copy,
 * priority, pad, core masks, VM, per-queue fields; 128 handles per file,
 * handles per file, VM_DESTROY while a group holds the VM. Privilege checks
 * (EACCES) and the kernel objects behind a group are checked in tyrc_group
 * (driver-internal).
 */
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "igt.h"
#include "panthor_drm.h"

IGT_TEST_DESCRIPTION("Scheduling groups: create, destroy, state and argument checks.");

#define SZ_4K 0x1000u
#define SZ_64K 0x10000u
#define MAX_GROUPS 128
#define MAX_QUEUES 32
#define CS_SLOTS 8 /* CSs per CSG of the G610 firmware */
#define QUEUE_MIN_SIZE 8 /* through ringbuf_size */

static int ioctl_err(int fd, unsigned long req, void *arg)
{
	return igt_ioctl(fd, req, arg) ? errno : 0;
}

static struct drm_panthor_gpu_info gpu_info(int fd)
{
	struct drm_panthor_gpu_info info = {};
	struct drm_panthor_dev_query q = {
		.type = DRM_PANTHOR_DEV_QUERY_GPU_INFO,
		.size = sizeof(info),
		.pointer = (uintptr_t)&info,
	};

	do_ioctl(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q);
	return info;
}

static uint32_t vm_create(int fd)
{
	struct drm_panthor_vm_create c = {};

	do_ioctl(fd, DRM_IOCTL_PANTHOR_VM_CREATE, &c);
	return c.id;
}

static void vm_destroy(int fd, uint32_t id)
{
	struct drm_panthor_vm_destroy d = { .id = id };

	do_ioctl(fd, DRM_IOCTL_PANTHOR_VM_DESTROY, &d);
}

/* A valid request: one queue of 4 KiB, MEDIUM, first shader and tiler core (upstream). */
static struct drm_panthor_group_create group_args(int fd, uint32_t vm,
						  struct drm_panthor_queue_create *q)
{
	struct drm_panthor_gpu_info info = gpu_info(fd);

	*q = (struct drm_panthor_queue_create){ .priority = 0, .ringbuf_size = SZ_4K };
	return (struct drm_panthor_group_create){
		.queues = DRM_PANTHOR_OBJ_ARRAY(1, q),
		.max_compute_cores = 1,
		.max_fragment_cores = 1,
		.max_tiler_cores = 1,
		.priority = PANTHOR_GROUP_PRIORITY_MEDIUM,
		.compute_core_mask = info.shader_present & -info.shader_present,
		.fragment_core_mask = info.shader_present & -info.shader_present,
		.tiler_core_mask = info.tiler_present & -info.tiler_present,
		.vm_id = vm,
	};
}

/* GROUP_CREATE with @c; returns the handle (checked in range) on success. */
static uint32_t group_create(int fd, struct drm_panthor_group_create *c, int err)
{
	igt_assert_eq(ioctl_err(fd, DRM_IOCTL_PANTHOR_GROUP_CREATE, c), err);
	if (!err)
		igt_assert(c->group_handle >= 1 && c->group_handle <= MAX_GROUPS);
	return c->group_handle;
}

static void group_destroy(int fd, uint32_t handle, int err)
{
	struct drm_panthor_group_destroy d = { .group_handle = handle };

	igt_assert_eq(ioctl_err(fd, DRM_IOCTL_PANTHOR_GROUP_DESTROY, &d), err);
}

static struct drm_panthor_group_get_state get_state(int fd, uint32_t handle, int err)
{
	struct drm_panthor_group_get_state s = { .group_handle = handle };

	igt_assert_eq(ioctl_err(fd, DRM_IOCTL_PANTHOR_GROUP_GET_STATE, &s), err);
	return s;
}

/* Expect @err from a request built from the valid one and changed by @tweak. */
#define expect_create(fd, vm, err, tweak)                                   \
	do {                                                                \
		struct drm_panthor_queue_create q;                          \
		struct drm_panthor_group_create c = group_args(fd, vm, &q); \
		tweak;                                                      \
		group_create(fd, &c, err);                                  \
		if (!(err))                                                 \
			group_destroy(fd, c.group_handle, 0);               \
	} while (0)

int igt_main()
{
	struct drm_panthor_gpu_info info;
	int fd = -1;
	uint32_t vm = 0;

	igt_fixture() {
		fd = drm_open_driver(DRIVER_PANTHOR);
		info = gpu_info(fd);
		vm = vm_create(fd);
	}

	igt_describe("Create a group with one 4 KiB queue on a fresh VM, then destroy it "
		     "(upstream group_create without the submission).");
	igt_subtest("group_create") {
		struct drm_panthor_queue_create q;
		uint32_t fresh = vm_create(fd);
		struct drm_panthor_group_create c = group_args(fd, fresh, &q);

		group_destroy(fd, group_create(fd, &c, 0), 0);
		vm_destroy(fd, fresh);
	}

	igt_describe("queues.count must be 1..32 (EINVAL) and, our choice, at most the "
		     "firmware's CSs per group (8).");
	igt_subtest("group-create-queue-count") {
		struct drm_panthor_queue_create qs[MAX_QUEUES + 1];

		for (int i = 0; i <= MAX_QUEUES; i++)
			qs[i] = (struct drm_panthor_queue_create){ .ringbuf_size = SZ_4K };
		expect_create(fd, vm, EINVAL, c.queues.count = 0);
		/* Count 0 is refused before the array is looked at. */
		expect_create(fd, vm, EINVAL, (c.queues.count = 0, c.queues.array = 16));
		expect_create(fd, vm, EINVAL,
			      c.queues = (struct drm_panthor_obj_array)DRM_PANTHOR_OBJ_ARRAY(
				      MAX_QUEUES + 1, qs));
		expect_create(fd, vm, EINVAL,
			      c.queues = (struct drm_panthor_obj_array)DRM_PANTHOR_OBJ_ARRAY(
				      CS_SLOTS + 1, qs));
		expect_create(fd, vm, EINVAL,
			      c.queues = (struct drm_panthor_obj_array)DRM_PANTHOR_OBJ_ARRAY(
				      MAX_QUEUES, qs));
		expect_create(fd, vm, 0,
			      c.queues = (struct drm_panthor_obj_array)DRM_PANTHOR_OBJ_ARRAY(
				      CS_SLOTS, qs));
	}

	igt_describe("The queue array follows the obj_array rules: short stride EINVAL, "
		     "non-zero tail E2BIG, zero tail accepted, bad pointer EFAULT.");
	igt_subtest("group-create-queue-array") {
		struct {
			struct drm_panthor_queue_create q;
			uint64_t tail;
		} big = { .q = { .ringbuf_size = SZ_4K } };

		expect_create(fd, vm, EINVAL, c.queues.stride = QUEUE_MIN_SIZE - 1);
		expect_create(fd, vm, EINVAL, c.queues.stride = 0);
		expect_create(fd, vm, 0,
			      (c.queues.stride = sizeof(big), c.queues.array = (uintptr_t)&big));
		big.tail = 1;
		expect_create(fd, vm, E2BIG,
			      (c.queues.stride = sizeof(big), c.queues.array = (uintptr_t)&big));
		expect_create(fd, vm, EFAULT, c.queues.array = 16);
		/* The array is copied before the group priority is checked. */
		expect_create(fd, vm, EFAULT, (c.queues.array = 16, c.priority = 4));
	}

	igt_describe("Group priority above REALTIME is EINVAL, before pad and masks.");
	igt_subtest("group-create-priority") {
		expect_create(fd, vm, EINVAL, c.priority = PANTHOR_GROUP_PRIORITY_REALTIME + 1);
		expect_create(fd, vm, EINVAL, c.priority = 0xff);
		expect_create(fd, vm, 0, c.priority = PANTHOR_GROUP_PRIORITY_LOW);
	}

	igt_describe("Root may create HIGH and REALTIME groups.");
	igt_subtest("group-create-priority-privileged") {
		igt_require_f(getuid() == 0, "needs root (CAP_SYS_NICE)\n");
		expect_create(fd, vm, 0, c.priority = PANTHOR_GROUP_PRIORITY_HIGH);
		expect_create(fd, vm, 0, c.priority = PANTHOR_GROUP_PRIORITY_REALTIME);
	}

	igt_describe("A non-zero pad is EINVAL.");
	igt_subtest("group-create-pad") {
		expect_create(fd, vm, EINVAL, c.pad = 1);
		expect_create(fd, vm, EINVAL, (c.pad = 1, c.vm_id = 0));
	}

	igt_describe("Core masks must be subsets of SHADER_PRESENT / TILER_PRESENT and have "
		     "at least max_*_cores bits (EINVAL).");
	igt_subtest("group-create-core-masks") {
		uint64_t no_shader = ~info.shader_present & -~info.shader_present;
		uint64_t no_tiler = ~info.tiler_present & -~info.tiler_present;

		expect_create(fd, vm, EINVAL, c.compute_core_mask |= no_shader);
		expect_create(fd, vm, EINVAL, c.fragment_core_mask |= no_shader);
		expect_create(fd, vm, EINVAL, c.tiler_core_mask |= no_tiler);
		expect_create(fd, vm, EINVAL, c.tiler_core_mask = info.shader_present);
		expect_create(fd, vm, EINVAL, c.max_compute_cores = 2);
		expect_create(fd, vm, EINVAL, c.max_fragment_cores = 2);
		expect_create(fd, vm, EINVAL, c.max_tiler_cores = 2);
		expect_create(fd, vm, 0,
			      (c.compute_core_mask = c.fragment_core_mask = info.shader_present,
			       c.max_compute_cores = c.max_fragment_cores =
				       __builtin_popcountll(info.shader_present)));
		/* Masks come before the VM. */
		expect_create(fd, vm, EINVAL, (c.max_tiler_cores = 2, c.vm_id = 0));
	}

	igt_describe("An unknown or destroyed VM is EINVAL.");
	igt_subtest("group-create-invalid-vm") {
		uint32_t gone = vm_create(fd);

		vm_destroy(fd, gone);
		expect_create(fd, vm, EINVAL, c.vm_id = 0);
		expect_create(fd, vm, EINVAL, c.vm_id = 0xdeadbeef);
		expect_create(fd, vm, EINVAL, c.vm_id = gone);
	}

	igt_describe("Per queue: pad, ring size (power of two in 4..64 KiB) and priority "
		     "(0..15) are checked (EINVAL).");
	igt_subtest("group-create-invalid-queue") {
		struct drm_panthor_queue_create qs[2] = {
			{ .ringbuf_size = SZ_4K },
			{ .ringbuf_size = SZ_4K },
		};
		static const uint32_t bad_sizes[] = { 0,	 8,	     2048,	 SZ_4K + 1,
						      3 * SZ_4K, 2 * SZ_64K, 0x80000000u };

		expect_create(fd, vm, EINVAL, q.pad[0] = 1);
		expect_create(fd, vm, EINVAL, q.pad[2] = 0x80);
		for (unsigned int i = 0; i < ARRAY_SIZE(bad_sizes); i++)
			expect_create(fd, vm, EINVAL, q.ringbuf_size = bad_sizes[i]);
		expect_create(fd, vm, EINVAL, q.priority = 16);
		expect_create(fd, vm, EINVAL, q.priority = 0xff);
		expect_create(fd, vm, 0, q.priority = 15);
		expect_create(fd, vm, 0, q.ringbuf_size = SZ_64K);
		expect_create(fd, vm, 0, q.ringbuf_size = 8 * SZ_4K);
		/* The VM is looked up before the queues are checked. */
		expect_create(fd, vm, EINVAL, (q.ringbuf_size = 0, c.vm_id = 0));
		/* A bad second queue fails the whole group. */
		qs[1].ringbuf_size = 0;
		expect_create(fd, vm, EINVAL,
			      c.queues =
				      (struct drm_panthor_obj_array)DRM_PANTHOR_OBJ_ARRAY(2, qs));
		qs[1].ringbuf_size = SZ_64K;
		expect_create(fd, vm, 0,
			      c.queues =
				      (struct drm_panthor_obj_array)DRM_PANTHOR_OBJ_ARRAY(2, qs));
	}

	igt_describe("128 groups per file (handles 1..128); the 129th is EBUSY; a freed "
		     "handle is reused.");
	igt_subtest("group-create-max") {
		uint32_t handles[MAX_GROUPS];
		struct drm_panthor_queue_create q;
		struct drm_panthor_group_create c;

		for (int i = 0; i < MAX_GROUPS; i++) {
			c = group_args(fd, vm, &q);
			handles[i] = group_create(fd, &c, 0);
			igt_assert_eq_u32(handles[i], i + 1);
		}
		c = group_args(fd, vm, &q);
		group_create(fd, &c, EBUSY);
		group_destroy(fd, handles[41], 0);
		c = group_args(fd, vm, &q);
		igt_assert_eq_u32(group_create(fd, &c, 0), handles[41]);
		for (int i = 0; i < MAX_GROUPS; i++)
			group_destroy(fd, handles[i], 0);
	}

	igt_describe("GROUP_DESTROY: pad or unknown handle is EINVAL; destroying twice is "
		     "EINVAL.");
	igt_subtest("group-destroy-invalid") {
		struct drm_panthor_queue_create q;
		struct drm_panthor_group_create c = group_args(fd, vm, &q);
		uint32_t g = group_create(fd, &c, 0);
		struct drm_panthor_group_destroy d = { .group_handle = g, .pad = 1 };

		igt_assert_eq(ioctl_err(fd, DRM_IOCTL_PANTHOR_GROUP_DESTROY, &d), EINVAL);
		group_destroy(fd, 0, EINVAL);
		group_destroy(fd, MAX_GROUPS + 1, EINVAL);
		group_destroy(fd, 0xdeadbeef, EINVAL);
		group_destroy(fd, g, 0);
		group_destroy(fd, g, EINVAL);
	}

	igt_describe("GROUP_GET_STATE of a fresh group: the whole struct zeroed (handle "
		     "included), no error flags; pad or unknown handle is EINVAL.");
	igt_subtest("group-get-state") {
		struct drm_panthor_queue_create q;
		struct drm_panthor_group_create c = group_args(fd, vm, &q);
		uint32_t g = group_create(fd, &c, 0);
		struct drm_panthor_group_get_state s = { .group_handle = g, .pad = 1 };
		static const struct drm_panthor_group_get_state zero;

		igt_assert_eq(ioctl_err(fd, DRM_IOCTL_PANTHOR_GROUP_GET_STATE, &s), EINVAL);
		igt_assert_eq_u32(s.group_handle, g);
		s = get_state(fd, g, 0);
		igt_assert(!memcmp(&s, &zero, sizeof(s)));
		get_state(fd, 0, EINVAL);
		get_state(fd, g + 1, EINVAL);
		group_destroy(fd, g, 0);
		get_state(fd, g, EINVAL);
	}

	igt_describe("Group handles belong to their file: another file has its own 1..128.");
	igt_subtest("group-handles-per-file") {
		int fd2 = drm_open_driver(DRIVER_PANTHOR);
		uint32_t vm2 = vm_create(fd2);
		struct drm_panthor_queue_create q, q2;
		struct drm_panthor_group_create c = group_args(fd, vm, &q);
		struct drm_panthor_group_create c2 = group_args(fd2, vm2, &q2);
		uint32_t g = group_create(fd, &c, 0), g2;

		/* A VM id of the other file is unknown here. */
		c2.vm_id = vm2 + 7;
		group_create(fd2, &c2, EINVAL);
		c2.vm_id = vm2;
		g2 = group_create(fd2, &c2, 0);
		igt_assert_eq_u32(g, g2);
		group_destroy(fd2, g2, 0);
		get_state(fd, g, 0);
		get_state(fd2, g2, EINVAL);
		/* Closing a file with live groups releases them. */
		g2 = group_create(fd2, &c2, 0);
		close(fd2);
		group_destroy(fd, g, 0);
	}

	igt_describe("VM_DESTROY while a group holds the VM: the group lives on, its state "
		     "still reads, it can be destroyed; the VM id is gone.");
	igt_subtest("group-vm-destroy-while-held") {
		uint32_t held = vm_create(fd);
		struct drm_panthor_queue_create q;
		struct drm_panthor_group_create c = group_args(fd, held, &q);
		uint32_t g = group_create(fd, &c, 0);
		struct drm_panthor_vm_get_state vs = { .vm_id = held };

		vm_destroy(fd, held);
		igt_assert_eq(ioctl_err(fd, DRM_IOCTL_PANTHOR_VM_GET_STATE, &vs), EINVAL);
		get_state(fd, g, 0);
		c = group_args(fd, held, &q);
		group_create(fd, &c, EINVAL);
		group_destroy(fd, g, 0);
	}

	igt_fixture() {
		vm_destroy(fd, vm);
		drm_close_driver(fd);
	}
}
