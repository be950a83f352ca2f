// SPDX-License-Identifier: MIT
/*
 * TILER_HEAP_CREATE and TILER_HEAP_DESTROY through the uAPI: handles
 * (vm_id << 16 | heap id), heap contexts one L2 line apart in one kernel
 * object, chunks in the VM's kernel range, 128 heaps per VM, every argument
 * rule with panthor's errno (panthor-uapi.md §8), and heaps going away with
 * their VM and their file. Chunk contents and growth are checked through
 * the GPU model in tyrc_heap (driver-internal).
 */
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "igt.h"
#include "panthor_drm.h"

IGT_TEST_DESCRIPTION("Tiler heaps: create, destroy, limits, placement and lifetime.");

#define SZ_4K 0x1000u
#define SZ_64K 0x10000u
#define SZ_128K 0x20000u
#define SZ_2M 0x200000u
#define SZ_8M 0x800000u
#define FULL_VA (1ull << 48) /* Mali-G610: 48 VA bits */
#define MAX_HEAPS_PER_VM 128u
#define HEAP_CTX_STRIDE 64u /* 32 bytes rounded up to G610's 64-byte L2 line */

static int ioctl_err(int fd, unsigned long req, void *arg)
{
	return igt_ioctl(fd, req, arg) ? errno : 0;
}

/* A VM; *@kernel_va receives the start of its kernel range if not NULL. */
static uint32_t vm_create(int fd, uint64_t *kernel_va)
{
	struct drm_panthor_vm_create c = {};

	igt_assert_eq(ioctl_err(fd, DRM_IOCTL_PANTHOR_VM_CREATE, &c), 0);
	if (kernel_va)
		*kernel_va = c.user_va_range;
	return c.id;
}

static void vm_destroy(int fd, uint32_t id)
{
	struct drm_panthor_vm_destroy d = { .id = id };

	igt_assert_eq(ioctl_err(fd, DRM_IOCTL_PANTHOR_VM_DESTROY, &d), 0);
}

/* TILER_HEAP_CREATE with the given arguments; the outputs land in *@c. */
static int heap_create_args(int fd, struct drm_panthor_tiler_heap_create *c, uint32_t vm,
			    uint32_t initial, uint32_t chunk_size, uint32_t max_chunks)
{
	*c = (struct drm_panthor_tiler_heap_create){
		.vm_id = vm,
		.initial_chunk_count = initial,
		.chunk_size = chunk_size,
		.max_chunks = max_chunks,
		.target_in_flight = 2,
	};
	return ioctl_err(fd, DRM_IOCTL_PANTHOR_TILER_HEAP_CREATE, c);
}

/*
 * The host releases a closed file once it sees the hang-up, a little after
 * close() returns: a heap that needs the memory of the previous round may
 * have to wait for it (ENOMEM for up to 5 s).
 */
static int heap_create_retry(int fd, struct drm_panthor_tiler_heap_create *c, uint32_t vm,
			     uint32_t chunks, uint32_t chunk_size)
{
	int err;

	for (int tries = 0; tries < 500; tries++) {
		err = heap_create_args(fd, c, vm, chunks, chunk_size, chunks);
		if (err != ENOMEM)
			break;
		usleep(10000);
	}
	return err;
}

/* A small valid heap (one 128 KiB chunk, at most 4); asserts success. */
static struct drm_panthor_tiler_heap_create heap_create(int fd, uint32_t vm)
{
	struct drm_panthor_tiler_heap_create c;

	igt_assert_eq(heap_create_args(fd, &c, vm, 1, SZ_128K, 4), 0);
	return c;
}

static int heap_destroy_pad(int fd, uint32_t handle, uint32_t pad)
{
	struct drm_panthor_tiler_heap_destroy d = { .handle = handle, .pad = pad };

	return ioctl_err(fd, DRM_IOCTL_PANTHOR_TILER_HEAP_DESTROY, &d);
}

static int heap_destroy(int fd, uint32_t handle)
{
	return heap_destroy_pad(fd, handle, 0);
}

/* @va, @size bytes long, lies in the kernel range [@kernel_va, FULL_VA). */
static void assert_in_kernel_range(uint64_t va, uint64_t size, uint64_t kernel_va)
{
	igt_assert(va >= kernel_va);
	igt_assert(va < FULL_VA && FULL_VA - va >= size);
}

int igt_main()
{
	int fd = -1;

	igt_fixture() {
		fd = drm_open_driver(DRIVER_PANTHOR);
	}

	igt_describe("Create a heap and destroy it; its handle is vm_id << 16 | heap id, ids "
		     "count from 0 per VM and a freed id is reused.");
	igt_subtest("heap-create-destroy") {
		uint32_t vm = vm_create(fd, NULL), vm2 = vm_create(fd, NULL);
		struct drm_panthor_tiler_heap_create a = heap_create(fd, vm);
		struct drm_panthor_tiler_heap_create b = heap_create(fd, vm);
		struct drm_panthor_tiler_heap_create c = heap_create(fd, vm2);

		igt_assert_eq_u32(a.handle, vm << 16);
		igt_assert_eq_u32(b.handle, vm << 16 | 1);
		igt_assert_eq_u32(c.handle, vm2 << 16);
		igt_assert_eq(heap_destroy(fd, a.handle), 0);
		a = heap_create(fd, vm);
		igt_assert_eq_u32(a.handle, vm << 16);
		igt_assert_eq(heap_destroy(fd, a.handle), 0);
		igt_assert_eq(heap_destroy(fd, b.handle), 0);
		igt_assert_eq(heap_destroy(fd, c.handle), 0);
		/* Gone: a second destroy names an unknown heap. */
		igt_assert_eq(heap_destroy(fd, a.handle), EINVAL);
		vm_destroy(fd, vm);
		vm_destroy(fd, vm2);
	}

	igt_describe("The contexts of a VM's heaps are one 64-byte L2 line apart in one "
		     "kernel object in the VM's kernel range; a reused id gets its context "
		     "back.");
	igt_subtest("heap-context-stride") {
		uint64_t kernel_va;
		uint32_t vm = vm_create(fd, &kernel_va);
		struct drm_panthor_tiler_heap_create h[5];

		for (uint32_t i = 0; i < 5; i++) {
			h[i] = heap_create(fd, vm);
			igt_assert_eq_u32(h[i].handle & 0xffff, i);
			igt_assert_eq_u64(h[i].tiler_heap_ctx_gpu_va,
					  h[0].tiler_heap_ctx_gpu_va + i * HEAP_CTX_STRIDE);
		}
		/* The object holds the contexts of all 128 possible heaps. */
		assert_in_kernel_range(h[0].tiler_heap_ctx_gpu_va,
				       MAX_HEAPS_PER_VM * HEAP_CTX_STRIDE, kernel_va);
		igt_assert_eq_u64(h[0].tiler_heap_ctx_gpu_va % SZ_4K, 0);
		igt_assert_eq(heap_destroy(fd, h[2].handle), 0);
		h[2] = heap_create(fd, vm);
		igt_assert_eq_u32(h[2].handle & 0xffff, 2);
		igt_assert_eq_u64(h[2].tiler_heap_ctx_gpu_va,
				  h[0].tiler_heap_ctx_gpu_va + 2 * HEAP_CTX_STRIDE);
		for (uint32_t i = 0; i < 5; i++)
			igt_assert_eq(heap_destroy(fd, h[i].handle), 0);
		vm_destroy(fd, vm);
	}

	igt_describe("first_heap_chunk_gpu_va is a plain, 4 KiB-aligned VA in the VM's kernel "
		     "range, outside the context object, different for every heap.");
	igt_subtest("heap-first-chunk") {
		uint64_t kernel_va;
		uint32_t vm = vm_create(fd, &kernel_va);
		struct drm_panthor_tiler_heap_create a, b, c;

		igt_assert_eq(heap_create_args(fd, &a, vm, 1, SZ_128K, 1), 0);
		igt_assert_eq(heap_create_args(fd, &b, vm, 4, SZ_2M, 8), 0);
		igt_assert_eq(heap_create_args(fd, &c, vm, 2, SZ_8M, 2), 0);
		assert_in_kernel_range(a.first_heap_chunk_gpu_va, SZ_128K, kernel_va);
		assert_in_kernel_range(b.first_heap_chunk_gpu_va, SZ_2M, kernel_va);
		assert_in_kernel_range(c.first_heap_chunk_gpu_va, SZ_8M, kernel_va);
		igt_assert_eq_u64(a.first_heap_chunk_gpu_va % SZ_4K, 0);
		igt_assert_eq_u64(b.first_heap_chunk_gpu_va % SZ_4K, 0);
		igt_assert_eq_u64(c.first_heap_chunk_gpu_va % SZ_4K, 0);
		igt_assert(a.first_heap_chunk_gpu_va != b.first_heap_chunk_gpu_va);
		igt_assert(b.first_heap_chunk_gpu_va != c.first_heap_chunk_gpu_va);
		/* Chunks are not in the context object. */
		igt_assert(a.first_heap_chunk_gpu_va >=
				   a.tiler_heap_ctx_gpu_va + MAX_HEAPS_PER_VM * HEAP_CTX_STRIDE ||
			   a.first_heap_chunk_gpu_va + SZ_128K <= a.tiler_heap_ctx_gpu_va);
		vm_destroy(fd, vm);
	}

	igt_describe("TILER_HEAP_CREATE argument rules: unknown or destroyed VM, no initial "
		     "chunk, more initial chunks than max_chunks, chunk_size unaligned or "
		     "outside [128 KiB, 8 MiB] all fail with EINVAL; the bounds themselves "
		     "are accepted.");
	igt_subtest("heap-create-invalid") {
		uint32_t vm = vm_create(fd, NULL), dead = vm_create(fd, NULL);
		struct drm_panthor_tiler_heap_create c;

		vm_destroy(fd, dead);
		igt_assert_eq(heap_create_args(fd, &c, 0, 1, SZ_128K, 1), EINVAL);
		igt_assert_eq(heap_create_args(fd, &c, 0xdead, 1, SZ_128K, 1), EINVAL);
		igt_assert_eq(heap_create_args(fd, &c, dead, 1, SZ_128K, 1), EINVAL);
		igt_assert_eq(heap_create_args(fd, &c, vm, 0, SZ_128K, 1), EINVAL);
		igt_assert_eq(heap_create_args(fd, &c, vm, 0, SZ_128K, 0), EINVAL);
		igt_assert_eq(heap_create_args(fd, &c, vm, 3, SZ_128K, 2), EINVAL);
		igt_assert_eq(heap_create_args(fd, &c, vm, 1, SZ_128K + 1, 1), EINVAL);
		igt_assert_eq(heap_create_args(fd, &c, vm, 1, SZ_128K + SZ_4K / 2, 1), EINVAL);
		igt_assert_eq(heap_create_args(fd, &c, vm, 1, SZ_128K - SZ_4K, 1), EINVAL);
		igt_assert_eq(heap_create_args(fd, &c, vm, 1, SZ_64K, 1), EINVAL);
		igt_assert_eq(heap_create_args(fd, &c, vm, 1, 0, 1), EINVAL);
		igt_assert_eq(heap_create_args(fd, &c, vm, 1, SZ_8M + SZ_4K, 1), EINVAL);
		igt_assert_eq(heap_create_args(fd, &c, vm, 1, 0xfffff000u, 1), EINVAL);
		/* The bounds and initial == max_chunks are fine; so is any target. */
		igt_assert_eq(heap_create_args(fd, &c, vm, 1, SZ_128K, 1), 0);
		igt_assert_eq(heap_destroy(fd, c.handle), 0);
		igt_assert_eq(heap_create_args(fd, &c, vm, 1, SZ_8M, 1), 0);
		igt_assert_eq(heap_destroy(fd, c.handle), 0);
		igt_assert_eq(heap_create_args(fd, &c, vm, 1, SZ_128K + SZ_4K, 0xffffffffu), 0);
		igt_assert_eq(heap_destroy(fd, c.handle), 0);
		c.target_in_flight = 0;
		igt_assert_eq(ioctl_err(fd, DRM_IOCTL_PANTHOR_TILER_HEAP_CREATE, &c), 0);
		igt_assert_eq(heap_destroy(fd, c.handle), 0);
		vm_destroy(fd, vm);
	}

	igt_describe("TILER_HEAP_DESTROY rules: non-zero pad and an unknown VM fail with "
		     "EINVAL, a VM that never had a heap pool with ENOENT, an unknown heap id "
		     "with EINVAL.");
	igt_subtest("heap-destroy-invalid") {
		uint32_t vm = vm_create(fd, NULL), fresh = vm_create(fd, NULL);
		struct drm_panthor_tiler_heap_create h = heap_create(fd, vm);

		igt_assert_eq(heap_destroy_pad(fd, h.handle, 1), EINVAL);
		igt_assert_eq(heap_destroy_pad(fd, h.handle, 0x80000000u), EINVAL);
		igt_assert_eq(heap_destroy(fd, 0), EINVAL);
		igt_assert_eq(heap_destroy(fd, 0xdead0000u), EINVAL);
		igt_assert_eq(heap_destroy(fd, fresh << 16), ENOENT);
		igt_assert_eq(heap_destroy(fd, fresh << 16 | 5), ENOENT);
		igt_assert_eq(heap_destroy(fd, h.handle + 1), EINVAL);
		igt_assert_eq(heap_destroy(fd, vm << 16 | (MAX_HEAPS_PER_VM - 1)), EINVAL);
		igt_assert_eq(heap_destroy(fd, vm << 16 | MAX_HEAPS_PER_VM), EINVAL);
		igt_assert_eq(heap_destroy(fd, vm << 16 | 0xffff), EINVAL);
		/* The failed calls left the heap alone. */
		igt_assert_eq(heap_destroy(fd, h.handle), 0);
		/* The pool outlives its last heap. */
		igt_assert_eq(heap_destroy(fd, h.handle), EINVAL);
		vm_destroy(fd, vm);
		vm_destroy(fd, fresh);
	}

	igt_describe("As in panthor, the VM's heap pool is made before the heap's arguments are "
		     "checked: after a failed TILER_HEAP_CREATE, destroying an unknown heap "
		     "of that VM is EINVAL, not ENOENT.");
	igt_subtest("heap-pool-created-by-failed-create") {
		uint32_t vm = vm_create(fd, NULL);
		struct drm_panthor_tiler_heap_create c;

		igt_assert_eq(heap_destroy(fd, vm << 16), ENOENT);
		igt_assert_eq(heap_create_args(fd, &c, vm, 0, SZ_128K, 1), EINVAL);
		igt_assert_eq(heap_destroy(fd, vm << 16), EINVAL);
		vm_destroy(fd, vm);
	}

	igt_describe("A VM holds 128 heaps (ids 0..127); the 129th fails with EBUSY (xa_alloc's "
		     "answer) until one is destroyed; another VM has its own 128.");
	igt_subtest("heap-max-per-vm") {
		uint32_t vm = vm_create(fd, NULL), vm2 = vm_create(fd, NULL);
		struct drm_panthor_tiler_heap_create c;

		for (uint32_t i = 0; i < MAX_HEAPS_PER_VM; i++) {
			c = heap_create(fd, vm);
			igt_assert_eq_u32(c.handle, vm << 16 | i);
		}
		igt_assert_eq(heap_create_args(fd, &c, vm, 1, SZ_128K, 1), EBUSY);
		igt_assert_eq(heap_create_args(fd, &c, vm, 1, SZ_128K, 1), EBUSY);
		c = heap_create(fd, vm2);
		igt_assert_eq_u32(c.handle, vm2 << 16);
		igt_assert_eq(heap_destroy(fd, vm << 16 | 77), 0);
		c = heap_create(fd, vm);
		igt_assert_eq_u32(c.handle, vm << 16 | 77);
		igt_assert_eq(heap_create_args(fd, &c, vm, 1, SZ_128K, 1), EBUSY);
		vm_destroy(fd, vm);
		vm_destroy(fd, vm2);
	}

	igt_describe("VM_DESTROY frees the VM's heaps: their handles are unknown afterwards, "
		     "other VMs keep theirs, and creating 384 MiB of heaps four times in "
		     "1 GiB of board RAM works only if each VM gave its chunks back.");
	igt_subtest("heap-freed-with-vm") {
		uint32_t keep = vm_create(fd, NULL);
		struct drm_panthor_tiler_heap_create k = heap_create(fd, keep);

		for (int round = 0; round < 4; round++) {
			uint32_t vm = vm_create(fd, NULL);
			struct drm_panthor_tiler_heap_create c;

			igt_assert_eq(heap_create_args(fd, &c, vm, 48, SZ_8M, 64), 0);
			vm_destroy(fd, vm);
			igt_assert_eq(heap_destroy(fd, c.handle), EINVAL);
		}
		igt_assert_eq(heap_destroy(fd, k.handle), 0);
		vm_destroy(fd, keep);
	}

	igt_describe("Closing the file frees the heaps of all its VMs: 256 MiB of heaps, five "
		     "times, in 1 GiB of board RAM.");
	igt_subtest("heap-freed-with-file") {
		for (int round = 0; round < 5; round++) {
			int fd2 = drm_reopen_driver(fd);

			for (int i = 0; i < 2; i++) {
				struct drm_panthor_tiler_heap_create c;

				igt_assert_eq(
					heap_create_retry(fd2, &c, vm_create(fd2, NULL), 16, SZ_8M),
					0);
			}
			drm_close_driver(fd2);
		}
	}

	igt_fixture() {
		drm_close_driver(fd);
	}
}
