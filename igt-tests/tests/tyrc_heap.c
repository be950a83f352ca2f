// SPDX-License-Identifier: MIT
/*
 * Tiler heaps through the driver's own API (driver + model linked in, no
 * host or shim): the chunk chain and the zeroed headers and contexts as
 * the GPU model reads them through the VM's address space, growth for
 * the firmware's TILER_OOM (tyrc_heap_grow(): links, max_chunks, the
 * target_in_flight refusal, unknown contexts), giving back a chunk, heaps
 * of a VM released without VM_DESTROY, growth racing VM_DESTROY, and board
 * RAM back to its baseline after every case.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "igt.h"
#include "panthor_drm.h"
#include "tyrc_drv.h"
#include "tyrc_heap.h"
#include "tyrc_mmu.h"
#include "tyrc_model.h"
#include "tyrc_testdev.h"
#include "tyrc_vm.h"

IGT_TEST_DESCRIPTION("Tiler heap chunks, contexts and growth, seen by the GPU model.");

#define SZ_128K_ 0x20000u
#define SZ_256K_ 0x40000u
#define CTX_STRIDE 64u /* G610: 64-byte L2 lines */
#define LINK_VA(link) ((link) & ~0xfffull)
#define LINK_PAGES(link) ((link)&0xfffull)

/** struct heap_hdr - a chunk header as the tiler reads it. */
struct heap_hdr {
	u64 next;
	u32 reserved[14];
};

/** struct heap_vm - a VM of the test file, activated on an AS for the model's reads. */
struct heap_vm {
	u32 id;
	struct tyrc_vm *vm;
	int as;
	u64 kstart, ksize;
};

static struct tyrc_testdev g;

static void heap_vm_open(struct heap_vm *v)
{
	struct drm_panthor_vm_create c = {};

	igt_assert_eq(tyrc_testdev_ioctl(&g, DRM_IOCTL_PANTHOR_VM_CREATE, &c), 0);
	v->id = c.id;
	v->vm = tyrc_vm_lookup(g.file, c.id);
	igt_assert(v->vm);
	tyrc_vm_kernel_va(v->vm, &v->kstart, &v->ksize);
	igt_assert_eq(tyrc_mmu_vm_activate(tyrc_vm_mmu(v->vm)), 0);
	v->as = tyrc_mmu_vm_as(tyrc_vm_mmu(v->vm));
	igt_assert(v->as > 0);
}

static void vm_destroy(u32 id)
{
	struct drm_panthor_vm_destroy d = { .id = id };

	igt_assert_eq(tyrc_testdev_ioctl(&g, DRM_IOCTL_PANTHOR_VM_DESTROY, &d), 0);
}

/* Deactivate, VM_DESTROY, drop the test's reference. */
static void heap_vm_close(struct heap_vm *v)
{
	tyrc_mmu_vm_deactivate(tyrc_vm_mmu(v->vm));
	vm_destroy(v->id);
	tyrc_vm_put(v->vm);
}

static struct drm_panthor_tiler_heap_create heap_create(const struct heap_vm *v, u32 initial,
							u32 chunk_size, u32 max_chunks, u32 target)
{
	struct drm_panthor_tiler_heap_create c = {
		.vm_id = v->id,
		.initial_chunk_count = initial,
		.chunk_size = chunk_size,
		.max_chunks = max_chunks,
		.target_in_flight = target,
	};

	igt_assert_eq(tyrc_testdev_ioctl(&g, DRM_IOCTL_PANTHOR_TILER_HEAP_CREATE, &c), 0);
	return c;
}

static int heap_destroy(u32 handle)
{
	struct drm_panthor_tiler_heap_destroy d = { .handle = handle };

	return tyrc_testdev_ioctl(&g, DRM_IOCTL_PANTHOR_TILER_HEAP_DESTROY, &d);
}

/* The GPU reads a chunk header at @va: asserts it can and the reserved words are zero. */
static struct heap_hdr read_hdr(const struct heap_vm *v, u64 va)
{
	struct heap_hdr hdr;

	memset(&hdr, 0xa5, sizeof(hdr));
	igt_assert_eq(tyrc_model_gpu_read(g.model, (unsigned int)v->as, va, &hdr, sizeof(hdr)), 0);
	for (u32 i = 0; i < ARRAY_SIZE(hdr.reserved); i++)
		igt_assert_eq_u32(hdr.reserved[i], 0);
	return hdr;
}

/* A chunk of @size bytes at @va: in the kernel range, mapped to its end. */
static void assert_chunk(const struct heap_vm *v, u64 va, u32 size)
{
	u8 last = 0xa5;

	igt_assert_eq_u64(va % SZ_4K, 0);
	igt_assert(va >= v->kstart && va - v->kstart <= v->ksize - size);
	igt_assert_eq(tyrc_model_gpu_read(g.model, (unsigned int)v->as, va + size - 1, &last, 1),
		      0);
	igt_assert_eq(last, 0);
	igt_assert(tyrc_mmu_vm_iova_to_phys(tyrc_vm_mmu(v->vm), va + size - SZ_4K));
}

/* The GPU sees CTX_STRIDE zero bytes at @ctx. */
static void assert_ctx_zero(const struct heap_vm *v, u64 ctx)
{
	u8 buf[CTX_STRIDE];

	memset(buf, 0xa5, sizeof(buf));
	igt_assert_eq(tyrc_model_gpu_read(g.model, (unsigned int)v->as, ctx, buf, sizeof(buf)), 0);
	for (u32 i = 0; i < sizeof(buf); i++)
		igt_assert_eq(buf[i], 0);
}

/* Chunks and context bytes of @v's pool (tyrc_heap_pool_size()). */
static u64 pool_size(const struct heap_vm *v)
{
	struct tyrc_heap_pool *pool;
	u64 size;

	igt_assert_eq(tyrc_vm_get_heap_pool(v->vm, false, &pool), 0);
	size = tyrc_heap_pool_size(pool);
	tyrc_heap_pool_put(pool);
	return size;
}

/* A page-aligned context object of 128 64-byte contexts. */
#define CTX_BO_SIZE ((u64)TYRC_MAX_HEAPS_PER_POOL * CTX_STRIDE)

/**
 * struct grow_race - a thread growing a heap while the main thread destroys
 * its VM. The thread only counts (@grown and @invalid atomically, as the
 * main thread polls them); the main thread asserts after joining.
 */
struct grow_race {
	struct tyrc_vm *vm;
	u64 ctx;
	u32 grown;
	u32 invalid;
	/** @unexpected: answers other than 0, -ENOMEM, -EINVAL. */
	u32 unexpected;
};

static void *grow_race_thread(void *arg)
{
	struct grow_race *r = arg;

	/* Until the heap is gone (bounded, in case the destroy never comes). */
	for (u32 i = 0; i < 1000000 && !__atomic_load_n(&r->invalid, __ATOMIC_RELAXED); i++) {
		u64 link;
		int ret = tyrc_heap_grow(r->vm, r->ctx, 0, 0, &link);

		if (!ret) {
			__atomic_fetch_add(&r->grown, 1, __ATOMIC_RELAXED);
			/* Give it back at once, or the heap fills up. */
			ret = tyrc_heap_return_chunk(r->vm, r->ctx, link);
			if (ret && ret != -EINVAL)
				r->unexpected++;
		} else if (ret == -EINVAL) {
			__atomic_fetch_add(&r->invalid, 1, __ATOMIC_RELAXED);
		} else if (ret != -ENOMEM) {
			r->unexpected++;
		}
	}
	return NULL;
}

/* bo_ops for a driver-internal VM that never maps anything. */
static void nop_get(void *bo)
{
	(void)bo;
}

static u64 nop_size(const void *bo)
{
	(void)bo;
	return 0;
}

static int nop_phys(const void *bo, u64 offset, u64 *phys, u64 *contig)
{
	(void)bo;
	(void)offset;
	(void)phys;
	(void)contig;
	return -EINVAL;
}

static const struct tyrc_vm_bo_ops nop_ops = {
	.get = nop_get,
	.put = nop_get,
	.size = nop_size,
	.phys = nop_phys,
};

igt_main
{
	u64 baseline = 0;

	igt_fixture {
		tyrc_testdev_init_client(&g, "tyrc_heap");
		baseline = tyrc_ram_free_page_count(g.ram);
	}

	igt_describe("Initial chunks are chained newest first: the GPU reads each header's "
		     "next as (previous VA & ~0xfff) | (chunk_size >> 12), the oldest ends "
		     "with 0, the reserved words are zero, every chunk is mapped whole in "
		     "the kernel range; the heap contexts read as zeroes.");
	igt_subtest("heap-chunk-chain") {
		static const u32 sizes[] = { SZ_128K_, SZ_256K_, 0x800000u, 0x21000u };
		struct heap_vm v;

		heap_vm_open(&v);
		for (u32 s = 0; s < ARRAY_SIZE(sizes); s++) {
			struct drm_panthor_tiler_heap_create c = heap_create(&v, 5, sizes[s], 9, 1);
			u64 va = c.first_heap_chunk_gpu_va, seen[5];
			u32 n = 0;

			assert_ctx_zero(&v, c.tiler_heap_ctx_gpu_va);
			while (va) {
				struct heap_hdr hdr = read_hdr(&v, va);

				igt_assert(n < 5);
				assert_chunk(&v, va, sizes[s]);
				for (u32 i = 0; i < n; i++)
					igt_assert(seen[i] != va);
				seen[n++] = va;
				if (hdr.next)
					igt_assert_eq_u64(LINK_PAGES(hdr.next), sizes[s] >> 12);
				va = LINK_VA(hdr.next);
			}
			igt_assert_eq_u32(n, 5);
		}
		igt_assert_eq_u64(pool_size(&v), CTX_BO_SIZE + 5ull * (SZ_128K_ + SZ_256K_ +
								       0x800000u + 0x21000u));
		heap_vm_close(&v);
		igt_assert_eq_u64(tyrc_ram_free_page_count(g.ram), baseline);
	}

	igt_describe("A new heap's context is zeroed even where a destroyed heap's context "
		     "was written by the GPU.");
	igt_subtest("heap-context-rezeroed") {
		static const u8 junk[CTX_STRIDE] = { [0] = 1, [31] = 0xff, [63] = 7 };
		struct heap_vm v;
		struct drm_panthor_tiler_heap_create a, b;

		heap_vm_open(&v);
		a = heap_create(&v, 1, SZ_128K_, 1, 0);
		b = heap_create(&v, 1, SZ_128K_, 1, 0);
		igt_assert_eq_u64(b.tiler_heap_ctx_gpu_va, a.tiler_heap_ctx_gpu_va + CTX_STRIDE);
		igt_assert_eq(tyrc_model_gpu_write(g.model, (unsigned int)v.as,
						   a.tiler_heap_ctx_gpu_va, junk, sizeof(junk)),
			      0);
		igt_assert_eq(heap_destroy(a.handle), 0);
		a = heap_create(&v, 1, SZ_128K_, 1, 0);
		igt_assert_eq_u32(a.handle & 0xffff, 0);
		assert_ctx_zero(&v, a.tiler_heap_ctx_gpu_va);
		assert_ctx_zero(&v, b.tiler_heap_ctx_gpu_va);
		heap_vm_close(&v);
		igt_assert_eq_u64(tyrc_ram_free_page_count(g.ram), baseline);
	}

	igt_describe("tyrc_heap_grow() adds zeroed, unchained chunks, encoded for the firmware "
		     "as (VA & ~0xfff) | (chunk_size >> 12), until max_chunks, then refuses "
		     "with -ENOMEM; a returned chunk makes room for one more.");
	igt_subtest("heap-grow-max-chunks") {
		struct heap_vm v;
		struct drm_panthor_tiler_heap_create c;
		u64 links[3], link = 0;

		heap_vm_open(&v);
		c = heap_create(&v, 2, SZ_128K_, 5, 4);
		for (u32 i = 0; i < 3; i++) {
			struct heap_hdr hdr;

			igt_assert_eq(
				tyrc_heap_grow(v.vm, c.tiler_heap_ctx_gpu_va, 4, 1, &links[i]), 0);
			igt_assert_eq_u64(LINK_PAGES(links[i]), SZ_128K_ >> 12);
			assert_chunk(&v, LINK_VA(links[i]), SZ_128K_);
			hdr = read_hdr(&v, LINK_VA(links[i]));
			igt_assert_eq_u64(hdr.next, 0);
			igt_assert(LINK_VA(links[i]) != c.first_heap_chunk_gpu_va);
		}
		igt_assert_eq_u64(pool_size(&v), CTX_BO_SIZE + 5ull * SZ_128K_);
		igt_assert_eq(tyrc_heap_grow(v.vm, c.tiler_heap_ctx_gpu_va, 0, 0, &link), -ENOMEM);
		igt_assert_eq_u64(link, 0);

		/* Give one back (link or plain VA alike); then one more fits. */
		igt_assert_eq(tyrc_heap_return_chunk(v.vm, c.tiler_heap_ctx_gpu_va, links[1]), 0);
		igt_assert_eq(tyrc_heap_return_chunk(v.vm, c.tiler_heap_ctx_gpu_va, links[1]),
			      -EINVAL);
		igt_assert_eq_u64(tyrc_mmu_vm_iova_to_phys(tyrc_vm_mmu(v.vm), LINK_VA(links[1])),
				  0);
		igt_assert_eq(
			tyrc_heap_return_chunk(v.vm, c.tiler_heap_ctx_gpu_va, LINK_VA(links[2])),
			0);
		igt_assert_eq_u64(pool_size(&v), CTX_BO_SIZE + 3ull * SZ_128K_);
		igt_assert_eq(tyrc_heap_grow(v.vm, c.tiler_heap_ctx_gpu_va, 0, 0, &link), 0);
		igt_assert_eq(tyrc_heap_grow(v.vm, c.tiler_heap_ctx_gpu_va, 0, 0, &link), 0);
		igt_assert_eq(tyrc_heap_grow(v.vm, c.tiler_heap_ctx_gpu_va, 0, 0, &link), -ENOMEM);

		/* A heap created full never grows. */
		c = heap_create(&v, 3, SZ_256K_, 3, 100);
		igt_assert_eq(tyrc_heap_grow(v.vm, c.tiler_heap_ctx_gpu_va, 0, 0, &link), -ENOMEM);
		heap_vm_close(&v);
		igt_assert_eq_u64(tyrc_ram_free_page_count(g.ram), baseline);
	}

	igt_describe("tyrc_heap_grow() refuses with -ENOMEM while more render passes are in "
		     "flight than the heap's target_in_flight, whatever the pending fragment "
		     "count; at or below the target it grows.");
	igt_subtest("heap-grow-target-in-flight") {
		struct heap_vm v;
		struct drm_panthor_tiler_heap_create c, z;
		u64 link;

		heap_vm_open(&v);
		c = heap_create(&v, 1, SZ_128K_, 16, 2);
		z = heap_create(&v, 1, SZ_128K_, 16, 0);
		igt_assert_eq(tyrc_heap_grow(v.vm, c.tiler_heap_ctx_gpu_va, 3, 0, &link), -ENOMEM);
		igt_assert_eq(tyrc_heap_grow(v.vm, c.tiler_heap_ctx_gpu_va, ~0u, 0, &link),
			      -ENOMEM);
		igt_assert_eq(tyrc_heap_grow(v.vm, c.tiler_heap_ctx_gpu_va, 2, 0, &link), 0);
		igt_assert_eq(tyrc_heap_grow(v.vm, c.tiler_heap_ctx_gpu_va, 2, 100, &link), 0);
		igt_assert_eq(tyrc_heap_grow(v.vm, c.tiler_heap_ctx_gpu_va, 0, ~0u, &link), 0);
		igt_assert_eq(tyrc_heap_grow(v.vm, z.tiler_heap_ctx_gpu_va, 1, 0, &link), -ENOMEM);
		igt_assert_eq(tyrc_heap_grow(v.vm, z.tiler_heap_ctx_gpu_va, 0, 0, &link), 0);
		igt_assert_eq_u64(pool_size(&v), CTX_BO_SIZE + 6ull * SZ_128K_);
		heap_vm_close(&v);
		igt_assert_eq_u64(tyrc_ram_free_page_count(g.ram), baseline);
	}

	igt_describe("tyrc_heap_grow() and tyrc_heap_return_chunk() answer -EINVAL for a VM "
		     "without heaps, an address that is not a live heap's context (unused "
		     "slot, inside a context, outside the context object, destroyed heap), "
		     "a chunk the heap does not have, and after VM_DESTROY.");
	igt_subtest("heap-grow-invalid") {
		struct heap_vm v, w;
		struct drm_panthor_tiler_heap_create c;
		u64 ctx, link = 0;

		heap_vm_open(&v);
		heap_vm_open(&w);
		igt_assert_eq(tyrc_heap_grow(w.vm, v.kstart, 0, 0, &link), -EINVAL);
		igt_assert_eq(tyrc_heap_return_chunk(w.vm, v.kstart, v.kstart), -EINVAL);
		c = heap_create(&v, 1, SZ_128K_, 4, 1);
		ctx = c.tiler_heap_ctx_gpu_va;
		/* The same context VA means nothing in another VM. */
		igt_assert_eq(tyrc_heap_grow(w.vm, ctx, 0, 0, &link), -EINVAL);
		igt_assert_eq(tyrc_heap_grow(v.vm, ctx + CTX_STRIDE, 0, 0, &link), -EINVAL);
		igt_assert_eq(tyrc_heap_grow(v.vm, ctx + 8, 0, 0, &link), -EINVAL);
		igt_assert_eq(tyrc_heap_grow(v.vm, ctx - CTX_STRIDE, 0, 0, &link), -EINVAL);
		igt_assert_eq(tyrc_heap_grow(v.vm, ctx + CTX_BO_SIZE, 0, 0, &link), -EINVAL);
		igt_assert_eq(tyrc_heap_grow(v.vm, ctx + (1ull << 32), 0, 0, &link), -EINVAL);
		igt_assert_eq(tyrc_heap_grow(v.vm, 0, 0, 0, &link), -EINVAL);
		igt_assert_eq(tyrc_heap_grow(v.vm, ~0ull, 0, 0, &link), -EINVAL);
		igt_assert_eq_u64(link, 0);
		igt_assert_eq(tyrc_heap_return_chunk(v.vm, ctx, ctx), -EINVAL);
		igt_assert_eq(
			tyrc_heap_return_chunk(v.vm, ctx + CTX_STRIDE, c.first_heap_chunk_gpu_va),
			-EINVAL);
		/* The initial chunk can be given back too (panthor does not tell them apart). */
		igt_assert_eq(tyrc_heap_return_chunk(v.vm, ctx, c.first_heap_chunk_gpu_va | 0x20),
			      0);
		igt_assert_eq(tyrc_heap_grow(v.vm, ctx, 0, 0, &link), 0);
		igt_assert_eq(heap_destroy(c.handle), 0);
		igt_assert_eq(tyrc_heap_grow(v.vm, ctx, 0, 0, &link), -EINVAL);
		c = heap_create(&v, 1, SZ_128K_, 4, 1);
		igt_assert_eq_u64(c.tiler_heap_ctx_gpu_va, ctx);
		/* VM_DESTROY frees the heaps although the test still holds the VM. */
		tyrc_mmu_vm_deactivate(tyrc_vm_mmu(v.vm));
		vm_destroy(v.id);
		igt_assert_eq(tyrc_heap_grow(v.vm, ctx, 0, 0, &link), -EINVAL);
		igt_assert_eq(tyrc_heap_return_chunk(v.vm, ctx, c.first_heap_chunk_gpu_va),
			      -EINVAL);
		igt_assert_eq_u64(
			tyrc_mmu_vm_iova_to_phys(tyrc_vm_mmu(v.vm), c.first_heap_chunk_gpu_va), 0);
		/* No pool can come back on a destroyed VM. */
		{
			struct tyrc_heap_pool *pool = NULL;

			igt_assert_eq(tyrc_vm_get_heap_pool(v.vm, true, &pool), -EINVAL);
			igt_assert_eq(tyrc_vm_get_heap_pool(v.vm, false, &pool), -ENOENT);
			igt_assert(!pool);
		}
		tyrc_vm_put(v.vm);
		heap_vm_close(&w);
		igt_assert_eq_u64(tyrc_ram_free_page_count(g.ram), baseline);
	}

	igt_describe("A pool reference taken before VM_DESTROY stays harmless: create, "
		     "destroy and size see a destroyed pool.");
	igt_subtest("heap-pool-after-vm-destroy") {
		struct heap_vm v;
		struct tyrc_heap_pool *pool;
		u64 ctx, chunk;
		u32 id;

		heap_vm_open(&v);
		heap_create(&v, 1, SZ_128K_, 1, 0);
		igt_assert_eq(tyrc_vm_get_heap_pool(v.vm, false, &pool), 0);
		heap_vm_close(&v);
		igt_assert_eq(tyrc_heap_create(pool, 1, SZ_128K_, 1, 0, &id, &ctx, &chunk),
			      -EINVAL);
		igt_assert_eq(tyrc_heap_destroy(pool, 0), -EINVAL);
		igt_assert_eq_u64(tyrc_heap_pool_size(pool), 0);
		tyrc_heap_pool_put(pool);
		igt_assert_eq_u64(tyrc_ram_free_page_count(g.ram), baseline);
	}

	igt_describe("A driver-internal VM never destroyed through VM_DESTROY frees its "
		     "heaps when its last reference goes.");
	igt_subtest("heap-freed-at-vm-release") {
		struct tyrc_heap_pool *pool;
		struct tyrc_vm *vm;
		u64 ctx, chunk, link;
		u32 id;

		igt_assert_eq(tyrc_vm_create(g.dev, 1ull << 47, &nop_ops, &vm), 0);
		igt_assert_eq(tyrc_vm_get_heap_pool(vm, false, &pool), -ENOENT);
		igt_assert_eq(tyrc_vm_get_heap_pool(vm, true, &pool), 0);
		for (u32 i = 0; i < 3; i++)
			igt_assert_eq(tyrc_heap_create(pool, 2, SZ_256K_, 4, 0, &id, &ctx, &chunk),
				      0);
		igt_assert_eq_u32(id, 2);
		igt_assert(chunk >= 1ull << 47);
		igt_assert_eq(tyrc_heap_grow(vm, ctx, 0, 0, &link), 0);
		igt_assert_eq_u64(tyrc_heap_pool_size(pool), CTX_BO_SIZE + 7ull * SZ_256K_);
		tyrc_heap_pool_put(pool);
		tyrc_vm_put(vm);
		igt_assert_eq_u64(tyrc_ram_free_page_count(g.ram), baseline);
	}

	igt_describe("Growth racing VM_DESTROY: every grow either succeeds, is refused or "
		     "finds no heap, and once the VM is gone every chunk is back.");
	igt_subtest("heap-grow-vs-vm-destroy") {
		for (u32 round = 0; round < 8; round++) {
			struct heap_vm v;
			struct drm_panthor_tiler_heap_create c;
			struct grow_race r = {};
			pthread_t t;

			heap_vm_open(&v);
			c = heap_create(&v, 1, SZ_128K_, 3, 0);
			r.vm = v.vm;
			r.ctx = c.tiler_heap_ctx_gpu_va;
			tyrc_mmu_vm_deactivate(tyrc_vm_mmu(v.vm));
			igt_assert_eq(pthread_create(&t, NULL, grow_race_thread, &r), 0);
			/* Destroy while the thread is busy growing, a little later each round. */
			while (__atomic_load_n(&r.grown, __ATOMIC_RELAXED) < 1 + round * 8)
				usleep(100);
			vm_destroy(v.id);
			igt_assert_eq(pthread_join(t, NULL), 0);
			igt_assert_eq_u32(r.unexpected, 0);
			igt_debug("round %u: %u grown, %u after the destroy\n", round, r.grown,
				  r.invalid);
			igt_assert_eq(tyrc_heap_grow(v.vm, r.ctx, 0, 0, &(u64){ 0 }), -EINVAL);
			tyrc_vm_put(v.vm);
			igt_assert_eq_u64(tyrc_ram_free_page_count(g.ram), baseline);
		}
	}

	igt_fixture {
		tyrc_testdev_fini(&g);
	}
}
