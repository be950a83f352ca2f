// SPDX-License-Identifier: MIT
/*
 * VM_CREATE, VM_DESTROY, VM_GET_STATE and VM_BIND: upstream
 * IGT's panthor_vm cases (create/destroy, binds and unbinds of 4 KiB and
 * 2 MiB-block BOs, partial, superset, subset and repeated unmaps of huge
 * mappings, the kernel VA range) and every argument rule of the uAPI with
 * its errno (panthor-uapi.md §1, §5); asynchronous VM_BIND with binary and
 * timeline syncobjs: signalling, chains, the batch rule, SYNC_ONLY and
 * every sync-op validation errno (§3). Execution-time failures and
 * teardown with pending jobs are in tyrc_vm_bind (driver-internal).
 */
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "igt.h"
#include "igt_syncobj.h"
#include "panthor_drm.h"

IGT_TEST_DESCRIPTION("GPU VMs: create, destroy, state, synchronous and asynchronous VM_BIND.");

#define SZ_4K 0x1000ull
#define SZ_8K 0x2000ull
#define SZ_64K 0x10000ull
#define SZ_1M 0x100000ull
#define SZ_2M 0x200000ull
#define SZ_4M 0x400000ull
#define SZ_8M 0x800000ull
#define FULL_VA (1ull << 48) /* Mali-G610: 48 VA bits */
#define DEFAULT_KERNEL_VA_START 0x800000000000ull
#define MIN_KERNEL_VA (256ull << 20)
#define MAX_VMS_PER_FILE 32
#define BIND_OP_MIN_SIZE 48 /* through syncs */

#define MAP DRM_PANTHOR_VM_BIND_OP_TYPE_MAP
#define UNMAP DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP
#define SYNC_ONLY DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY

static int ioctl_err(int fd, unsigned long req, void *arg)
{
	return igt_ioctl(fd, req, arg) ? errno : 0;
}

static uint32_t vm_create_va(int fd, uint64_t *user_va_range, int err)
{
	struct drm_panthor_vm_create c = { .user_va_range = user_va_range ? *user_va_range : 0 };

	igt_assert_eq(ioctl_err(fd, DRM_IOCTL_PANTHOR_VM_CREATE, &c), err);
	if (!err) {
		igt_assert(c.id >= 1 && c.id <= MAX_VMS_PER_FILE);
		if (user_va_range)
			*user_va_range = c.user_va_range;
	}
	return c.id;
}

static uint32_t vm_create(int fd)
{
	return vm_create_va(fd, NULL, 0);
}

static void vm_destroy(int fd, uint32_t id, int err)
{
	struct drm_panthor_vm_destroy d = { .id = id };

	igt_assert_eq(ioctl_err(fd, DRM_IOCTL_PANTHOR_VM_DESTROY, &d), err);
}

static int vm_bind_ops(int fd, uint32_t vm, uint32_t flags, struct drm_panthor_vm_bind_op *ops,
		       uint32_t count, uint32_t *count_out)
{
	struct drm_panthor_vm_bind b = {
		.vm_id = vm,
		.flags = flags,
		.ops = DRM_PANTHOR_OBJ_ARRAY(count, ops),
	};
	int ret = ioctl_err(fd, DRM_IOCTL_PANTHOR_VM_BIND, &b);

	if (count_out)
		*count_out = b.ops.count;
	return ret;
}

static void vm_bind_offset(int fd, uint32_t vm, uint32_t bo, uint64_t bo_offset, uint64_t va,
			   uint64_t size, uint32_t flags, int err)
{
	struct drm_panthor_vm_bind_op op = {
		.flags = flags,
		.bo_handle = bo,
		.bo_offset = bo_offset,
		.va = va,
		.size = size,
	};

	igt_assert_eq(vm_bind_ops(fd, vm, 0, &op, 1, NULL), err);
}

static void vm_bind(int fd, uint32_t vm, uint32_t bo, uint64_t va, uint64_t size, uint32_t flags,
		    int err)
{
	vm_bind_offset(fd, vm, bo, 0, va, size, flags, err);
}

/* A BO of @size bytes; the subtests that need one skip while BO_CREATE is unavailable. */
static uint32_t bo_create(int fd, uint64_t size)
{
	struct drm_panthor_bo_create c = { .size = size };

	igt_require_f(ioctl_err(fd, DRM_IOCTL_PANTHOR_BO_CREATE, &c) == 0, "BO_CREATE\n");
	igt_assert(c.handle);
	return c.handle;
}

static uint32_t vm_state(int fd, uint32_t id, int err)
{
	struct drm_panthor_vm_get_state s = { .vm_id = id, .state = 0xdead };

	igt_assert_eq(ioctl_err(fd, DRM_IOCTL_PANTHOR_VM_GET_STATE, &s), err);
	return s.state;
}

/* Upstream's huge-page family: map a BO at 2 MiB, then unmap [@uva, @uva + @usize). */
static void map_then_unmap(int fd, uint64_t bo_size, uint64_t bo_offset, uint64_t map_size,
			   uint64_t uva, uint64_t usize)
{
	uint32_t vm = vm_create(fd);
	uint32_t bo = bo_create(fd, bo_size);

	vm_bind_offset(fd, vm, bo, bo_offset, SZ_2M, map_size, MAP, 0);
	vm_bind(fd, vm, 0, uva, usize, UNMAP, 0);
	vm_destroy(fd, vm, 0);
	gem_close(fd, bo);
}

#define SIGNAL ((uint32_t)DRM_PANTHOR_SYNC_OP_SIGNAL)
#define BINARY DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ
#define TIMELINE DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ
#define WAIT_NS 5000000000ll

static struct drm_panthor_sync_op sync_op(uint32_t flags, uint32_t handle, uint64_t point)
{
	return (struct drm_panthor_sync_op){ .flags = flags,
					     .handle = handle,
					     .timeline_value = point };
}

/* One asynchronous op with @nsyncs sync ops. */
static int bind_async(int fd, uint32_t vm, uint32_t flags, uint32_t bo, uint64_t va, uint64_t size,
		      struct drm_panthor_sync_op *syncs, uint32_t nsyncs)
{
	struct drm_panthor_vm_bind_op op = {
		.flags = flags,
		.bo_handle = bo,
		.va = va,
		.size = size,
		.syncs = DRM_PANTHOR_OBJ_ARRAY(nsyncs, syncs),
	};

	return vm_bind_ops(fd, vm, DRM_PANTHOR_VM_BIND_ASYNC, &op, 1, NULL);
}

/* Wait (bounded) for a binary syncobj. */
static void wait_binary(int fd, uint32_t handle)
{
	igt_assert(syncobj_wait(fd, &handle, 1, syncobj_gettime_ns() + WAIT_NS, 0, NULL));
}

/* Wait (bounded) for a timeline point. */
static void wait_point(int fd, uint32_t handle, uint64_t point)
{
	igt_assert(syncobj_timeline_wait(fd, &handle, &point, 1, syncobj_gettime_ns() + WAIT_NS, 0,
					 NULL));
}

int igt_main()
{
	int fd = -1;

	igt_fixture() {
		fd = drm_open_driver(DRIVER_PANTHOR);
	}

	igt_describe("Create and destroy a VM.");
	igt_subtest("vm_create_destroy") {
		uint32_t vm = vm_create(fd);

		igt_assert_neq(vm, 0);
		vm_destroy(fd, vm, 0);
	}

	igt_describe("Destroying an unknown VM id fails with EINVAL.");
	igt_subtest("vm_destroy_invalid") {
		vm_destroy(fd, 0xdeadbeef, EINVAL);
		vm_destroy(fd, 0, EINVAL);
	}

	igt_describe("Map a 4 KiB BO synchronously.");
	igt_subtest("vm_bind") {
		uint32_t vm = vm_create(fd);
		uint32_t bo = bo_create(fd, SZ_4K);

		vm_bind(fd, vm, bo, 0x1000, 0x1000, MAP, 0);
		vm_destroy(fd, vm, 0);
		gem_close(fd, bo);
	}

	igt_describe("Unmap a previously bound range.");
	igt_subtest("vm_unbind") {
		uint32_t vm = vm_create(fd);
		uint32_t bo = bo_create(fd, SZ_4K);

		vm_bind(fd, vm, bo, 0x1000, 0x1000, MAP, 0);
		vm_bind(fd, vm, 0, 0x1000, 0x1000, UNMAP, 0);
		vm_destroy(fd, vm, 0);
		gem_close(fd, bo);
	}

	igt_describe("An UNMAP naming a BO handle fails with EINVAL.");
	igt_subtest("vm_unbind_invalid_address") {
		uint32_t vm = vm_create(fd);
		uint32_t bo = bo_create(fd, SZ_4K);

		vm_bind(fd, vm, bo, 0x1000, 0x1000, UNMAP, EINVAL);
		vm_destroy(fd, vm, 0);
		gem_close(fd, bo);
	}

	igt_describe("Unmap exactly an existing 2 MiB block mapping.");
	igt_subtest("vm_unbind_identical_hugepage_single")
		map_then_unmap(fd, SZ_2M, 0, SZ_2M, SZ_2M, SZ_2M);

	igt_describe("Unmap exactly an existing mapping of a 4 MiB BO.");
	igt_subtest("vm_unbind_identical_hugepage_single_partial")
		map_then_unmap(fd, SZ_4M, 0, SZ_4M, SZ_2M, SZ_4M);

	igt_describe("Unmap exactly an existing 6 MiB mapping (three blocks).");
	igt_subtest("vm_unbind_identical_hugepage_multiple")
		map_then_unmap(fd, 6 * SZ_1M, 0, 6 * SZ_1M, SZ_2M, 6 * SZ_1M);

	igt_describe("Map part of a BO at an offset, unmap a superset of it.");
	igt_subtest("vm_unbind_identical_hugepage_offset")
		map_then_unmap(fd, 6 * SZ_1M, SZ_4M, SZ_2M, SZ_2M, 6 * SZ_1M);

	igt_describe("Unmap the first 8 KiB of a huge mapping (block split).");
	igt_subtest("vm_unbind_hugepage_leftaligned")
		map_then_unmap(fd, SZ_4M, 0, SZ_4M, SZ_2M, SZ_8K);

	igt_describe("Unmap the last 8 KiB of a huge mapping (block split).");
	igt_subtest("vm_unbind_hugepage_rightaligned")
		map_then_unmap(fd, SZ_4M, 0, SZ_4M, SZ_2M + SZ_4M - SZ_8K, SZ_8K);

	igt_describe("Unmap a superset of a 2 MiB mapping.");
	igt_subtest("vm_unbind_hugepage_superset")
		map_then_unmap(fd, SZ_2M, 0, SZ_2M, SZ_1M, 5 * SZ_1M);

	igt_describe("Unmap two subsets of a huge mapping, in each of its blocks.");
	igt_subtest("vm_unbind_hugepage_subset") {
		uint32_t vm = vm_create(fd);
		uint32_t bo = bo_create(fd, SZ_4M);

		vm_bind(fd, vm, bo, SZ_2M, SZ_4M, MAP, 0);
		vm_bind(fd, vm, 0, SZ_2M + SZ_1M, SZ_8K, UNMAP, 0);
		vm_bind(fd, vm, 0, SZ_2M + SZ_2M + SZ_4K, SZ_8K, UNMAP, 0);
		vm_destroy(fd, vm, 0);
		gem_close(fd, bo);
	}

	igt_describe("Successive, overlapping and repeated unmaps over the remnants of a"
		     " 6 MiB mapping.");
	igt_subtest("vm_unbind_hugepage_successive") {
		static const uint64_t unmaps[][2] = {
			{ 0x3fc000, 0x208000 }, { 0x3fc000, 0x208000 }, { 0x200000, 0x4000 },
			{ 0x401000, 0x4000 },	{ 0x4fb000, 0xa000 },	{ 0x3fb000, 0xa000 },
			{ 0x3fc000, 0x4000 },	{ 0x200000, 0x1000 },
		};
		uint32_t vm = vm_create(fd);
		uint32_t bo = bo_create(fd, 6 * SZ_1M);

		vm_bind(fd, vm, bo, SZ_2M, 6 * SZ_1M, MAP, 0);
		for (unsigned int i = 0; i < ARRAY_SIZE(unmaps); i++)
			vm_bind(fd, vm, 0, unmaps[i][0], unmaps[i][1], UNMAP, 0);
		vm_destroy(fd, vm, 0);
		gem_close(fd, bo);
	}

	igt_describe("A MAP in the VM's kernel VA range fails with EINVAL.");
	igt_subtest("vm_bind_intersect_kbo_range") {
		uint64_t uva = 0;
		uint32_t vm = vm_create_va(fd, &uva, 0);
		uint32_t bo = bo_create(fd, SZ_2M);

		vm_bind(fd, vm, bo, ALIGN(uva, SZ_2M), SZ_2M, MAP, EINVAL);
		vm_destroy(fd, vm, 0);
		gem_close(fd, bo);
	}

	igt_describe("VM_CREATE flags are must-be-zero.");
	igt_subtest("vm_create_flags_mbz") {
		struct drm_panthor_vm_create c = { .flags = 1 };

		igt_assert_eq(ioctl_err(fd, DRM_IOCTL_PANTHOR_VM_CREATE, &c), EINVAL);
	}

	igt_describe("user_va_range: 0 picks the default, the written-back value is the"
		     " kernel VA start (top power-of-two range), at most full - 256 MiB.");
	igt_subtest("vm_create_user_va_range") {
		uint64_t va = 0;

		vm_destroy(fd, vm_create_va(fd, &va, 0), 0);
		igt_assert_eq_u64(va, DEFAULT_KERNEL_VA_START);
		va = 1ull << 32;
		vm_destroy(fd, vm_create_va(fd, &va, 0), 0);
		igt_assert_eq_u64(va, FULL_VA / 2);
		va = FULL_VA / 2 + SZ_4K;
		vm_destroy(fd, vm_create_va(fd, &va, 0), 0);
		igt_assert_eq_u64(va, FULL_VA - FULL_VA / 4);
		va = FULL_VA - MIN_KERNEL_VA;
		vm_destroy(fd, vm_create_va(fd, &va, 0), 0);
		igt_assert_eq_u64(va, FULL_VA - MIN_KERNEL_VA);
		va = FULL_VA - MIN_KERNEL_VA + SZ_4K;
		vm_create_va(fd, &va, EINVAL);
		va = FULL_VA;
		vm_create_va(fd, &va, EINVAL);
		va = ~0ull;
		vm_create_va(fd, &va, EINVAL);
	}

	igt_describe("A file holds at most 32 VMs (ids 1..32); the 33rd fails with EBUSY;"
		     " a freed id is reused; another file has its own pool.");
	igt_subtest("vm_create_max_per_file") {
		uint32_t ids[MAX_VMS_PER_FILE], seen = 0, id;
		int fd2;

		for (int i = 0; i < MAX_VMS_PER_FILE; i++) {
			ids[i] = vm_create(fd);
			igt_assert(!(seen & (1u << (ids[i] - 1))));
			seen |= 1u << (ids[i] - 1);
		}
		vm_create_va(fd, NULL, EBUSY);
		fd2 = drm_reopen_driver(fd);
		vm_destroy(fd2, vm_create(fd2), 0);
		close(fd2);
		vm_destroy(fd, ids[7], 0);
		id = vm_create(fd);
		igt_assert_eq_u32(id, ids[7]);
		ids[7] = id;
		for (int i = 0; i < MAX_VMS_PER_FILE; i++)
			vm_destroy(fd, ids[i], 0);
	}

	igt_describe("VM_DESTROY: non-zero pad or an already destroyed VM fail with EINVAL.");
	igt_subtest("vm_destroy_pad_and_twice") {
		uint32_t vm = vm_create(fd);
		struct drm_panthor_vm_destroy d = { .id = vm, .pad = 1 };

		igt_assert_eq(ioctl_err(fd, DRM_IOCTL_PANTHOR_VM_DESTROY, &d), EINVAL);
		vm_destroy(fd, vm, 0);
		vm_destroy(fd, vm, EINVAL);
	}

	igt_describe("Destroying a VM with live mappings succeeds and releases them.");
	igt_subtest("vm_destroy_with_mappings") {
		uint32_t vm = vm_create(fd);
		uint32_t bo = bo_create(fd, SZ_4M);

		vm_bind(fd, vm, bo, SZ_2M, SZ_4M, MAP, 0);
		vm_bind(fd, vm, bo, SZ_8M, SZ_64K, MAP, 0);
		vm_bind(fd, vm, 0, SZ_2M + SZ_1M, SZ_4K, UNMAP, 0);
		vm_destroy(fd, vm, 0);
		gem_close(fd, bo);
	}

	igt_describe("VM_GET_STATE: a new VM is usable; unknown or destroyed ids fail with"
		     " EINVAL.");
	igt_subtest("vm_get_state") {
		uint32_t vm = vm_create(fd);

		igt_assert_eq_u32(vm_state(fd, vm, 0), DRM_PANTHOR_VM_STATE_USABLE);
		vm_state(fd, 0, EINVAL);
		vm_state(fd, 1000, EINVAL);
		vm_destroy(fd, vm, 0);
		vm_state(fd, vm, EINVAL);
	}

	igt_describe("VM_BIND on an unknown VM or with unknown flags fails with EINVAL;"
		     " ASYNC is accepted.");
	igt_subtest("vm_bind_bad_vm_and_flags") {
		uint32_t vm = vm_create(fd);
		struct drm_panthor_vm_bind_op op = { .flags = UNMAP, .va = SZ_4K, .size = SZ_4K };

		igt_assert_eq(vm_bind_ops(fd, vm + 1, 0, &op, 1, NULL), EINVAL);
		igt_assert_eq(vm_bind_ops(fd, vm, 1u << 1, &op, 1, NULL), EINVAL);
		igt_assert_eq(vm_bind_ops(fd, vm, DRM_PANTHOR_VM_BIND_ASYNC, &op, 1, NULL), 0);
		igt_assert_eq(vm_bind_ops(fd, vm, 0, &op, 1, NULL), 0);
		igt_assert_eq(vm_bind_ops(fd, vm, 0, NULL, 0, NULL), 0);
		vm_destroy(fd, vm, 0);
	}

	igt_describe("ops obj_array: count 0 reads nothing, a stride below 48 fails with"
		     " EINVAL, a longer element needs a zero tail (E2BIG), a shorter"
		     " one is zero-extended, a bad pointer is EFAULT.");
	igt_subtest("vm_bind_obj_array") {
		uint32_t vm = vm_create(fd);
		uint64_t buf[16] = {};
		struct drm_panthor_vm_bind_op *op = (void *)buf;
		struct drm_panthor_vm_bind b = { .vm_id = vm };
		void *bad = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		igt_assert(bad != MAP_FAILED);
		op->flags = UNMAP;
		op->va = SZ_4K;
		op->size = SZ_4K;

		b.ops = (struct drm_panthor_obj_array){ .stride = 8, .count = 0, .array = 0 };
		igt_assert_eq(ioctl_err(fd, DRM_IOCTL_PANTHOR_VM_BIND, &b), 0);
		b.ops = (struct drm_panthor_obj_array){ .stride = BIND_OP_MIN_SIZE - 8,
							.count = 1,
							.array = (uintptr_t)buf };
		igt_assert_eq(ioctl_err(fd, DRM_IOCTL_PANTHOR_VM_BIND, &b), EINVAL);
		b.ops.stride = 64;
		igt_assert_eq(ioctl_err(fd, DRM_IOCTL_PANTHOR_VM_BIND, &b), 0);
		buf[7] = 1; /* in the tail beyond the kernel's 48 bytes */
		igt_assert_eq(ioctl_err(fd, DRM_IOCTL_PANTHOR_VM_BIND, &b), E2BIG);
		buf[7] = 0;
		b.ops.array = (uintptr_t)bad;
		igt_assert_eq(ioctl_err(fd, DRM_IOCTL_PANTHOR_VM_BIND, &b), EFAULT);
		b.ops.stride = sizeof(*op);
		igt_assert_eq(ioctl_err(fd, DRM_IOCTL_PANTHOR_VM_BIND, &b), EFAULT);
		munmap(bad, 4096);
		vm_destroy(fd, vm, 0);
	}

	igt_describe("Ops run in order; on the first failure ops.count is the failing"
		     " op's index and the earlier ops stay applied.");
	igt_subtest("vm_bind_failing_op_index") {
		uint32_t vm = vm_create(fd);
		uint32_t bo = bo_create(fd, SZ_64K);
		struct drm_panthor_vm_bind_op ops[4] = {
			{ .flags = MAP, .bo_handle = bo, .va = SZ_1M, .size = SZ_64K },
			{ .flags = MAP, .bo_handle = bo, .va = SZ_2M, .size = SZ_64K },
			{ .flags = MAP, .bo_handle = bo, .va = SZ_4M, .size = 2 * SZ_64K },
			{ .flags = MAP, .bo_handle = bo, .va = SZ_8M, .size = SZ_64K },
		};
		uint32_t count;

		igt_assert_eq(vm_bind_ops(fd, vm, 0, ops, 4, &count), EINVAL);
		igt_assert_eq_u32(count, 2);
		/* The first two are mapped: mapping over them again is a remap, fine. */
		igt_assert_eq(vm_bind_ops(fd, vm, 0, ops, 2, &count), 0);
		igt_assert_eq_u32(count, 2);
		ops[0].bo_handle = 0xdead;
		igt_assert_eq(vm_bind_ops(fd, vm, 0, ops, 4, &count), EINVAL);
		igt_assert_eq_u32(count, 0);
		vm_destroy(fd, vm, 0);
		gem_close(fd, bo);
	}

	igt_describe("MAP: unknown flag bits, an unknown BO handle (EINVAL, not ENOENT),"
		     " a range beyond the BO and an unaligned BO offset fail with EINVAL;"
		     " READONLY, NOEXEC and UNCACHED are accepted.");
	igt_subtest("vm_bind_map_args") {
		uint32_t vm = vm_create(fd);
		uint32_t bo = bo_create(fd, SZ_64K);

		vm_bind(fd, vm, bo, SZ_1M, SZ_4K, MAP | (1u << 3), EINVAL);
		vm_bind(fd, vm, bo, SZ_1M, SZ_4K, MAP | (1u << 27), EINVAL);
		vm_bind(fd, vm, bo + 100, SZ_1M, SZ_4K, MAP, EINVAL);
		vm_bind(fd, vm, 0, SZ_1M, SZ_4K, MAP, EINVAL);
		vm_bind(fd, vm, bo, SZ_1M, SZ_64K + SZ_4K, MAP, EINVAL);
		vm_bind_offset(fd, vm, bo, SZ_4K, SZ_1M, SZ_64K, MAP, EINVAL);
		vm_bind_offset(fd, vm, bo, SZ_64K, SZ_1M, SZ_4K, MAP, EINVAL);
		vm_bind_offset(fd, vm, bo, ~0ull - SZ_4K + 1, SZ_1M, SZ_4K, MAP, EINVAL);
		vm_bind_offset(fd, vm, bo, 0x800, SZ_1M, SZ_4K, MAP, EINVAL);
		vm_bind(fd, vm, bo, SZ_1M, SZ_64K,
			MAP | DRM_PANTHOR_VM_BIND_OP_MAP_READONLY |
				DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC |
				DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED,
			0);
		vm_bind_offset(fd, vm, bo, SZ_64K - SZ_4K, SZ_1M, SZ_4K, MAP, 0);
		vm_destroy(fd, vm, 0);
		gem_close(fd, bo);
	}

	igt_describe("va and size must be 4 KiB aligned; ranges that wrap or reach the"
		     " kernel VA range fail with EINVAL; the last user page is fine.");
	igt_subtest("vm_bind_ranges") {
		uint64_t kstart = 0;
		uint32_t vm = vm_create_va(fd, &kstart, 0);
		uint32_t bo = bo_create(fd, SZ_64K);

		vm_bind(fd, vm, bo, SZ_1M + 0x800, SZ_4K, MAP, EINVAL);
		vm_bind(fd, vm, bo, SZ_1M, 0x800, MAP, EINVAL);
		vm_bind(fd, vm, 0, SZ_1M + 0x10, SZ_4K, UNMAP, EINVAL);
		vm_bind(fd, vm, bo, ~0ull - SZ_4K + 1, SZ_8K, MAP, EINVAL);
		vm_bind(fd, vm, 0, ~0ull - SZ_4K + 1, SZ_8K, UNMAP, EINVAL);
		vm_bind(fd, vm, bo, kstart - SZ_4K, SZ_8K, MAP, EINVAL);
		vm_bind(fd, vm, bo, kstart, SZ_4K, MAP, EINVAL);
		vm_bind(fd, vm, bo, FULL_VA, SZ_4K, MAP, EINVAL);
		vm_bind(fd, vm, 0, kstart, SZ_4K, UNMAP, EINVAL);
		vm_bind(fd, vm, bo, kstart - SZ_64K, SZ_64K, MAP, 0);
		vm_bind(fd, vm, 0, 0, kstart, UNMAP, 0);
		vm_destroy(fd, vm, 0);
		gem_close(fd, bo);
	}

	igt_describe("UNMAP: flags besides the type, a BO handle or a BO offset fail with"
		     " EINVAL; holes and supersets succeed.");
	igt_subtest("vm_bind_unmap_args") {
		uint32_t vm = vm_create(fd);

		vm_bind(fd, vm, 0, SZ_1M, SZ_4K, UNMAP | DRM_PANTHOR_VM_BIND_OP_MAP_READONLY,
			EINVAL);
		vm_bind(fd, vm, 1, SZ_1M, SZ_4K, UNMAP, EINVAL);
		vm_bind_offset(fd, vm, 0, SZ_4K, SZ_1M, SZ_4K, UNMAP, EINVAL);
		vm_bind(fd, vm, 0, SZ_1M, SZ_4K, UNMAP, 0);
		vm_bind(fd, vm, 0, 0, 1ull << 40, UNMAP, 0);
		vm_destroy(fd, vm, 0);
	}

	igt_describe("Types 3..15 fail with EINVAL; SYNC_ONLY needs syncs, which a"
		     " synchronous bind refuses (EINVAL); any op with syncs fails with"
		     " EINVAL; a size-0 op succeeds without further checks.");
	igt_subtest("vm_bind_types_and_syncs") {
		uint32_t vm = vm_create(fd);
		struct drm_panthor_sync_op sync = { .handle = 1 };
		struct drm_panthor_vm_bind_op op = { .va = SZ_1M, .size = SZ_4K };

		for (uint32_t type = 3; type < 16; type++) {
			op.flags = type << 28;
			igt_assert_eq(vm_bind_ops(fd, vm, 0, &op, 1, NULL), EINVAL);
		}
		op.flags = SYNC_ONLY;
		igt_assert_eq(vm_bind_ops(fd, vm, 0, &op, 1, NULL), EINVAL);
		op.va = 0;
		op.size = 0;
		igt_assert_eq(vm_bind_ops(fd, vm, 0, &op, 1, NULL), 0);
		op.syncs = (struct drm_panthor_obj_array)DRM_PANTHOR_OBJ_ARRAY(1, &sync);
		igt_assert_eq(vm_bind_ops(fd, vm, 0, &op, 1, NULL), EINVAL);
		op.flags = UNMAP;
		op.va = SZ_1M;
		op.size = SZ_4K;
		igt_assert_eq(vm_bind_ops(fd, vm, 0, &op, 1, NULL), EINVAL);
		/* Size 0: nothing else is looked at. */
		op = (struct drm_panthor_vm_bind_op){ .flags = 0xfu << 28 | 0xff,
						      .bo_handle = 0xdead,
						      .bo_offset = 0x123,
						      .va = 0x7 };
		igt_assert_eq(vm_bind_ops(fd, vm, 0, &op, 1, NULL), 0);
		vm_destroy(fd, vm, 0);
	}

	igt_describe("MAPs over existing mappings split them (remap) and succeed, with"
		     " 2 MiB blocks and scattered pages alike.");
	igt_subtest("vm_bind_remap") {
		uint32_t vm = vm_create(fd);
		uint32_t big = bo_create(fd, SZ_8M);
		uint32_t small = bo_create(fd, SZ_64K);

		vm_bind(fd, vm, big, SZ_4M, 3 * SZ_2M, MAP, 0);
		vm_bind(fd, vm, small, SZ_4M + SZ_2M + SZ_4K, SZ_64K, MAP, 0);
		vm_bind_offset(fd, vm, big, SZ_2M, SZ_4M + 5 * SZ_1M, SZ_4M, MAP, 0);
		vm_bind(fd, vm, small, SZ_4M - SZ_4K, SZ_8K, MAP, 0);
		vm_bind(fd, vm, 0, SZ_4M, SZ_8M, UNMAP, 0);
		vm_destroy(fd, vm, 0);
		gem_close(fd, big);
		gem_close(fd, small);
	}

	igt_describe("A BO created exclusive to a VM maps in that VM only; the VM must exist.");
	igt_subtest("exclusive-vm-bo") {
		uint32_t vm = vm_create(fd), other = vm_create(fd);
		struct drm_panthor_bo_create c = { .size = SZ_4K, .exclusive_vm_id = vm };
		struct drm_panthor_bo_create bad = { .size = SZ_4K,
						     .exclusive_vm_id = other + 100 };

		igt_assert_eq(ioctl_err(fd, DRM_IOCTL_PANTHOR_BO_CREATE, &bad), EINVAL);
		igt_assert_eq(ioctl_err(fd, DRM_IOCTL_PANTHOR_BO_CREATE, &c), 0);
		vm_bind(fd, other, c.handle, 0x100000, SZ_4K, 0, EINVAL);
		vm_bind(fd, vm, c.handle, 0x100000, SZ_4K, 0, 0);
		/* The BO keeps working after its VM goes away, it just maps nowhere. */
		vm_destroy(fd, vm, 0);
		vm_bind(fd, other, c.handle, 0x100000, SZ_4K, 0, EINVAL);
		vm_destroy(fd, other, 0);
		gem_close(fd, c.handle);
	}

	igt_describe("Asynchronous MAP and UNMAP signal a binary syncobj and timeline points.");
	igt_subtest("vm_bind_async_map_unmap") {
		uint32_t vm = vm_create(fd);
		uint32_t bo = bo_create(fd, SZ_2M);
		uint32_t bin = syncobj_create(fd, 0), tl = syncobj_create(fd, 0);
		struct drm_panthor_sync_op syncs[] = {
			sync_op(SIGNAL | BINARY, bin, 0),
			sync_op(SIGNAL | TIMELINE, tl, 1),
		};
		uint64_t point = 0;

		igt_assert_eq(bind_async(fd, vm, MAP, bo, SZ_2M, SZ_2M, syncs, 2), 0);
		wait_binary(fd, bin);
		wait_point(fd, tl, 1);
		syncs[1].timeline_value = 2;
		igt_assert_eq(bind_async(fd, vm, UNMAP, 0, SZ_2M, SZ_2M, &syncs[1], 1), 0);
		wait_point(fd, tl, 2);
		syncobj_timeline_query(fd, &tl, &point, 1);
		igt_assert_eq_u64(point, 2);
		igt_assert_eq(vm_state(fd, vm, 0), DRM_PANTHOR_VM_STATE_USABLE);
		syncobj_destroy(fd, bin);
		syncobj_destroy(fd, tl);
		vm_destroy(fd, vm, 0);
		gem_close(fd, bo);
	}

	igt_describe("A chain of asynchronous binds, each waiting on the previous one's"
		     " timeline point and signalling the next.");
	igt_subtest("vm_bind_async_chain") {
		uint32_t vm = vm_create(fd);
		uint32_t bo = bo_create(fd, SZ_64K);
		uint32_t tl = syncobj_create(fd, 0);
		uint64_t point = 0;

		for (uint64_t i = 0; i < 16; i++) {
			struct drm_panthor_sync_op syncs[] = {
				sync_op(SIGNAL | TIMELINE, tl, i + 1),
				sync_op(TIMELINE, tl, i),
			};

			igt_assert_eq(bind_async(fd, vm, i % 2 ? UNMAP : MAP, i % 2 ? 0 : bo, SZ_1M,
						 SZ_64K, syncs, i ? 2 : 1),
				      0);
		}
		wait_point(fd, tl, 16);
		syncobj_timeline_query(fd, &tl, &point, 1);
		igt_assert_eq_u64(point, 16);
		igt_assert_eq(vm_state(fd, vm, 0), DRM_PANTHOR_VM_STATE_USABLE);
		syncobj_destroy(fd, tl);
		vm_destroy(fd, vm, 0);
		gem_close(fd, bo);
	}

	igt_describe("Batch rule: a WAIT on a point an earlier op of the same ioctl signals"
		     " depends on that op; one a later op signals does not exist yet (EINVAL).");
	igt_subtest("vm_bind_async_batch") {
		uint32_t vm = vm_create(fd);
		uint32_t bo = bo_create(fd, SZ_64K);
		uint32_t tl = syncobj_create(fd, 0), bin = syncobj_create(fd, 0);
		struct drm_panthor_sync_op s0[] = { sync_op(SIGNAL | TIMELINE, tl, 5) };
		struct drm_panthor_sync_op s1[] = {
			sync_op(TIMELINE, tl, 5),
			sync_op(SIGNAL | BINARY, bin, 0),
		};
		struct drm_panthor_vm_bind_op ops[] = {
			{ .flags = MAP,
			  .bo_handle = bo,
			  .va = SZ_1M,
			  .size = SZ_64K,
			  .syncs = DRM_PANTHOR_OBJ_ARRAY(1, s0) },
			{ .flags = UNMAP,
			  .va = SZ_1M,
			  .size = SZ_64K,
			  .syncs = DRM_PANTHOR_OBJ_ARRAY(2, s1) },
		};
		struct drm_panthor_vm_bind_op swapped[] = { ops[1], ops[0] };
		uint64_t point = 0;

		/* Later op signals what the first one waits for: no fence at submit time. */
		igt_assert_eq(vm_bind_ops(fd, vm, DRM_PANTHOR_VM_BIND_ASYNC, swapped, 2, NULL),
			      EINVAL);
		syncobj_timeline_query(fd, &tl, &point, 1);
		igt_assert_eq_u64(point, 0);
		igt_assert_eq(syncobj_wait_err(fd, &bin, 1, 0, 0), -EINVAL);

		igt_assert_eq(vm_bind_ops(fd, vm, DRM_PANTHOR_VM_BIND_ASYNC, ops, 2, NULL), 0);
		wait_binary(fd, bin);
		wait_point(fd, tl, 5);
		syncobj_destroy(fd, tl);
		syncobj_destroy(fd, bin);
		vm_destroy(fd, vm, 0);
		gem_close(fd, bo);
	}

	igt_describe("SYNC_ONLY: no mapping change, a fence ordered in the bind queue; it"
		     " needs syncs and no flags, BO, VA or size.");
	igt_subtest("vm_bind_async_sync_only") {
		uint32_t vm = vm_create(fd);
		uint32_t tl = syncobj_create(fd, 0);
		struct drm_panthor_sync_op s1 = sync_op(SIGNAL | TIMELINE, tl, 1);
		struct drm_panthor_sync_op s2[] = {
			sync_op(TIMELINE, tl, 1),
			sync_op(SIGNAL | TIMELINE, tl, 2),
		};
		struct drm_panthor_vm_bind_op op = { .flags = SYNC_ONLY,
						     .syncs = DRM_PANTHOR_OBJ_ARRAY(1, &s1) };

		igt_assert_eq(bind_async(fd, vm, SYNC_ONLY, 0, 0, 0, NULL, 0), EINVAL);
		igt_assert_eq(bind_async(fd, vm, SYNC_ONLY | 1, 0, 0, 0, &s1, 1), EINVAL);
		igt_assert_eq(bind_async(fd, vm, SYNC_ONLY, 1, 0, 0, &s1, 1), EINVAL);
		igt_assert_eq(bind_async(fd, vm, SYNC_ONLY, 0, SZ_1M, 0, &s1, 1), EINVAL);
		igt_assert_eq(bind_async(fd, vm, SYNC_ONLY, 0, 0, SZ_4K, &s1, 1), EINVAL);
		op.bo_offset = SZ_4K;
		igt_assert_eq(vm_bind_ops(fd, vm, DRM_PANTHOR_VM_BIND_ASYNC, &op, 1, NULL), EINVAL);
		op.bo_offset = 0;
		igt_assert_eq(vm_bind_ops(fd, vm, DRM_PANTHOR_VM_BIND_ASYNC, &op, 1, NULL), 0);
		igt_assert_eq(bind_async(fd, vm, SYNC_ONLY, 0, 0, 0, s2, 2), 0);
		wait_point(fd, tl, 2);
		syncobj_destroy(fd, tl);
		vm_destroy(fd, vm, 0);
	}

	igt_describe("Asynchronous argument and sync-op errors are reported at ioctl time:"
		     " unknown sync flags, handle types, binary points, missing SIGNAL"
		     " (EINVAL) and WAIT (ENOENT) handles, WAITs with no fence yet, the"
		     " syncs array stride rules; a failed ioctl publishes nothing.");
	igt_subtest("vm_bind_async_sync_errors") {
		uint32_t vm = vm_create(fd);
		uint32_t bo = bo_create(fd, SZ_64K);
		uint32_t bin = syncobj_create(fd, 0), tl = syncobj_create(fd, 0);
		uint32_t done = syncobj_create(fd, 0);
		struct drm_panthor_sync_op s[2];
		struct {
			struct drm_panthor_sync_op op;
			uint64_t tail;
		} big[1];
		uint64_t point = 0;

		s[0] = sync_op(SIGNAL | BINARY | 1u << 8, bin, 0);
		igt_assert_eq(bind_async(fd, vm, UNMAP, 0, SZ_1M, SZ_4K, s, 1), EINVAL);
		s[0] = sync_op(SIGNAL | 2, bin, 0);
		igt_assert_eq(bind_async(fd, vm, UNMAP, 0, SZ_1M, SZ_4K, s, 1), EINVAL);
		s[0] = sync_op(SIGNAL | BINARY, bin, 1);
		igt_assert_eq(bind_async(fd, vm, UNMAP, 0, SZ_1M, SZ_4K, s, 1), EINVAL);
		s[0] = sync_op(SIGNAL | BINARY, 0xdead, 0);
		igt_assert_eq(bind_async(fd, vm, UNMAP, 0, SZ_1M, SZ_4K, s, 1), EINVAL);
		s[0] = sync_op(SIGNAL | BINARY, done, 0);
		s[1] = sync_op(BINARY, 0xdead, 0);
		igt_assert_eq(bind_async(fd, vm, UNMAP, 0, SZ_1M, SZ_4K, s, 2), ENOENT);
		/* No wait-before-signal: a syncobj or point without a fence. */
		s[1] = sync_op(BINARY, bin, 0);
		igt_assert_eq(bind_async(fd, vm, UNMAP, 0, SZ_1M, SZ_4K, s, 2), EINVAL);
		s[1] = sync_op(TIMELINE, tl, 3);
		igt_assert_eq(bind_async(fd, vm, UNMAP, 0, SZ_1M, SZ_4K, s, 2), EINVAL);
		/* Argument errors are synchronous too. */
		igt_assert_eq(bind_async(fd, vm, MAP, bo, SZ_1M + 1, SZ_4K, s, 1), EINVAL);
		igt_assert_eq(bind_async(fd, vm, MAP, 0xdead, SZ_1M, SZ_4K, s, 1), EINVAL);
		igt_assert_eq(bind_async(fd, vm, 3u << 28, 0, SZ_1M, SZ_4K, s, 1), EINVAL);
		/* Nothing was published by the failed ioctls. */
		igt_assert_eq(syncobj_wait_err(fd, &done, 1, 0, 0), -EINVAL);

		/* The nested syncs array follows the obj_array rules. */
		memset(big, 0, sizeof(big));
		big[0].op = sync_op(SIGNAL | BINARY, done, 0);
		{
			struct drm_panthor_vm_bind_op op = { .flags = UNMAP,
							     .va = SZ_1M,
							     .size = SZ_4K };

			op.syncs = (struct drm_panthor_obj_array){ .stride = 8,
								   .count = 1,
								   .array = (uintptr_t)big };
			igt_assert_eq(vm_bind_ops(fd, vm, DRM_PANTHOR_VM_BIND_ASYNC, &op, 1, NULL),
				      EINVAL);
			op.syncs.stride = sizeof(big[0]);
			big[0].tail = 1;
			igt_assert_eq(vm_bind_ops(fd, vm, DRM_PANTHOR_VM_BIND_ASYNC, &op, 1, NULL),
				      E2BIG);
			op.syncs.array = 8;
			igt_assert_eq(vm_bind_ops(fd, vm, DRM_PANTHOR_VM_BIND_ASYNC, &op, 1, NULL),
				      EFAULT);
			igt_assert_eq(syncobj_wait_err(fd, &done, 1, 0, 0), -EINVAL);
			op.syncs.array = (uintptr_t)big;
			big[0].tail = 0;
			igt_assert_eq(vm_bind_ops(fd, vm, DRM_PANTHOR_VM_BIND_ASYNC, &op, 1, NULL),
				      0);
		}
		wait_binary(fd, done);
		/* A WAIT on a signalled binary syncobj or a reached point is fine. */
		syncobj_timeline_signal(fd, &tl, (uint64_t[]){ 3 }, 1);
		s[0] = sync_op(TIMELINE, tl, 3);
		s[1] = sync_op(SIGNAL | TIMELINE, tl, 4);
		igt_assert_eq(bind_async(fd, vm, UNMAP, 0, SZ_1M, SZ_4K, s, 2), 0);
		wait_point(fd, tl, 4);
		syncobj_timeline_query(fd, &tl, &point, 1);
		igt_assert_eq_u64(point, 4);
		syncobj_destroy(fd, bin);
		syncobj_destroy(fd, tl);
		syncobj_destroy(fd, done);
		vm_destroy(fd, vm, 0);
		gem_close(fd, bo);
	}

	igt_fixture() {
		drm_close_driver(fd);
	}
}
