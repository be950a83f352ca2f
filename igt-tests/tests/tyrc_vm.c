// SPDX-License-Identifier: MIT
/*
 * The vm layer through the driver's own API (driver + model linked in, no
 * host, no shim): mappings of test objects built from board RAM (2 MiB
 * blocks and scattered 4 KiB pages), drm_gpuvm split/merge through real
 * page tables, checked after every step of a random sequence by walking the
 * page tables (tyrc_vm_check_pgtables()) and by the GPU model reading
 * through an address space; object references held by mappings; destroy
 * with live mappings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "igt.h"
#include "panthor_drm.h"
#include "tyrc_device.h"
#include "tyrc_mmu.h"
#include "tyrc_model.h"
#include "tyrc_testdev.h"
#include "tyrc_vm.h"

IGT_TEST_DESCRIPTION("VM mappings of the vm layer against page tables and the GPU model.");

#define RAM_BASE 0x100000000ULL
#define RAM_SIZE (128ULL << 20)
#define KERNEL_VA_START (1ULL << 47)
#define MAX_BOS 6
#define SZ_8K 0x2000ULL
#define SZ_16K 0x4000ULL
#define SZ_1M 0x100000ULL
#define SZ_4M 0x400000ULL

/* A test object: @npages 4 KiB pages, some of them 2 MiB blocks. */
struct test_bo {
	int refs;
	u64 size;
	/* physical address of each 4 KiB page */
	u64 *pages;
	/* block order of the allocation starting at each page, -1 inside a block */
	int *order;
	struct tyrc_ram *ram;
};

static void bo_get(void *p)
{
	((struct test_bo *)p)->refs++;
}

static void bo_put(void *p)
{
	struct test_bo *bo = p;

	igt_assert(bo->refs > 0);
	if (--bo->refs)
		return;
	for (u64 i = 0; i < bo->size / SZ_4K; i++)
		if (bo->order[i] >= 0)
			tyrc_ram_free_pages(bo->ram, bo->pages[i], (unsigned int)bo->order[i]);
	free(bo->pages);
	free(bo->order);
	free(bo);
}

static u64 bo_size(const void *p)
{
	return ((const struct test_bo *)p)->size;
}

static int bo_phys(const void *p, u64 offset, u64 *phys, u64 *contig)
{
	const struct test_bo *bo = p;
	u64 i = offset / SZ_4K, n = 1;

	if (offset >= bo->size)
		return -EINVAL;
	while (i + n < bo->size / SZ_4K && bo->order[i + n] < 0)
		n++;
	*phys = bo->pages[i] + offset % SZ_4K;
	*contig = n * SZ_4K - offset % SZ_4K;
	return 0;
}

static const struct tyrc_vm_bo_ops test_bo_ops = {
	.get = bo_get,
	.put = bo_put,
	.size = bo_size,
	.phys = bo_phys,
};

/* @size bytes: 2 MiB blocks where @huge and the rest allows, else single pages. */
static struct test_bo *bo_create(struct tyrc_ram *ram, u64 size, bool huge)
{
	struct test_bo *bo = calloc(1, sizeof(*bo));
	u64 n = size / SZ_4K;

	igt_assert(bo);
	bo->refs = 1;
	bo->size = size;
	bo->ram = ram;
	bo->pages = calloc(n, sizeof(*bo->pages));
	bo->order = calloc(n, sizeof(*bo->order));
	igt_assert(bo->pages && bo->order);
	for (u64 i = 0; i < n;) {
		if (huge && n - i >= 512) {
			igt_assert_eq(tyrc_ram_alloc_pages(ram, 9, TYRC_GFP_ZERO, &bo->pages[i]),
				      0);
			bo->order[i] = 9;
			for (u64 j = 1; j < 512; j++) {
				bo->pages[i + j] = bo->pages[i] + j * SZ_4K;
				bo->order[i + j] = -1;
			}
			i += 512;
		} else {
			igt_assert_eq(tyrc_ram_alloc_pages(ram, 0, TYRC_GFP_ZERO, &bo->pages[i]),
				      0);
			bo->order[i] = 0;
			i++;
		}
	}
	return bo;
}

struct fixture {
	struct tyrc_testdev td;
	struct tyrc_vm *vm;
	struct test_bo *bos[MAX_BOS];
	bool active;
};

static void teardown(struct fixture *f)
{
	if (f->active)
		tyrc_mmu_vm_deactivate(tyrc_vm_mmu(f->vm));
	tyrc_vm_destroy(f->vm);
	for (int i = 0; i < MAX_BOS; i++)
		if (f->bos[i])
			bo_put(f->bos[i]);
	tyrc_testdev_fini(&f->td);
	memset(f, 0, sizeof(*f));
}

static void setup(struct fixture *f)
{
	const struct tyrc_testdev_opts opts = {
		.ram_base = RAM_BASE,
		.ram_size = RAM_SIZE,
		.no_firmware = true,
	};

	teardown(f);
	tyrc_testdev_init(&f->td, &opts);
	igt_assert_eq(tyrc_vm_create(f->td.dev, KERNEL_VA_START, &test_bo_ops, &f->vm), 0);
}

static u64 gpu_phys(struct fixture *f, u64 va)
{
	return tyrc_mmu_vm_iova_to_phys(tyrc_vm_mmu(f->vm), va);
}

static void vm_random_ops_match_pgtables(struct fixture *f)
{
	const u64 window = 16ULL << 20, base = 1ULL << 32;
	unsigned int seed = 1234;
	u64 free_pages;

	for (int i = 0; i < MAX_BOS; i++)
		f->bos[i] = bo_create(f->td.ram, (u64)(1 + i) * SZ_2M, i % 2 == 0);
	free_pages = tyrc_ram_free_page_count(f->td.ram);

	for (int iter = 0; iter < 1500; iter++) {
		/* Mostly 2 MiB-aligned starts so blocks get used, then split. */
		u64 va = base + (rand_r(&seed) % (window / SZ_4K)) * SZ_4K;
		u64 size;

		if (rand_r(&seed) % 2)
			va &= ~(u64)(SZ_2M - 1);
		size = (1 + rand_r(&seed) % 1024) * SZ_4K;
		if (va + size > base + window)
			size = base + window - va;

		if (rand_r(&seed) % 3) {
			struct test_bo *bo = f->bos[rand_r(&seed) % MAX_BOS];
			u64 max_off = (bo->size - tyrc_min(size, bo->size)) / SZ_4K;
			u64 off = (rand_r(&seed) % (max_off + 1)) * SZ_4K;
			u32 flags = rand_r(&seed) % 8;

			if (rand_r(&seed) % 2)
				off &= ~(u64)(SZ_2M - 1);
			size = tyrc_min(size, bo->size - off);
			igt_assert_eq(tyrc_vm_map(f->vm, bo, off, va, size, flags), 0);
			igt_assert(gpu_phys(f, va) != 0);
		} else {
			igt_assert_eq(tyrc_vm_unmap(f->vm, va, size), 0);
			igt_assert_eq_u64(gpu_phys(f, va), 0);
		}
		igt_assert_eq(tyrc_vm_check_pgtables(f->vm), 0);
	}

	/* Mappings hold references: one per mapping on top of ours. */
	{
		int refs = 0;

		for (int i = 0; i < MAX_BOS; i++)
			refs += f->bos[i]->refs - 1;
		igt_assert_eq(refs, (int)tyrc_vm_mapping_count(f->vm));
	}
	igt_assert_eq(tyrc_vm_unmap(f->vm, base, window), 0);
	igt_assert_eq(tyrc_vm_mapping_count(f->vm), 0);
	for (int i = 0; i < MAX_BOS; i++)
		igt_assert_eq(f->bos[i]->refs, 1);
	/* Every page table the sequence allocated went back to RAM. */
	igt_assert_eq_u64(tyrc_ram_free_page_count(f->td.ram), free_pages);
}

static void vm_split_keeps_offsets(struct fixture *f)
{
	struct test_bo *bo = f->bos[0] = bo_create(f->td.ram, 3 * SZ_2M, true);
	struct test_bo *other = f->bos[1] = bo_create(f->td.ram, SZ_64K, false);
	const u64 va = 0x400000;
	u64 pa, contig;

	igt_assert_eq(tyrc_vm_map(f->vm, bo, SZ_2M, va, 2 * SZ_2M, 0), 0);
	igt_assert_eq(bo->refs, 2);
	/* A 2 MiB block is used: both ends of the first block translate to it. */
	igt_assert_eq(bo_phys(bo, SZ_2M, &pa, &contig), 0);
	igt_assert_eq_u64(gpu_phys(f, va), pa);
	igt_assert_eq_u64(gpu_phys(f, va + SZ_2M - SZ_4K), pa + SZ_2M - SZ_4K);

	/* Another object in the middle: both remnants keep theirs, at the right offset. */
	igt_assert_eq(tyrc_vm_map(f->vm, other, 0, va + SZ_1M, SZ_64K, 0), 0);
	igt_assert_eq(tyrc_vm_mapping_count(f->vm), 3);
	igt_assert_eq(bo->refs, 3);
	igt_assert_eq(other->refs, 2);
	igt_assert_eq_u64(gpu_phys(f, va + SZ_1M), other->pages[0]);
	igt_assert_eq(bo_phys(bo, SZ_2M + SZ_1M + SZ_64K, &pa, &contig), 0);
	igt_assert_eq_u64(gpu_phys(f, va + SZ_1M + SZ_64K), pa);
	igt_assert_eq(tyrc_vm_check_pgtables(f->vm), 0);

	/* Unmapping a superset of everything releases every reference. */
	igt_assert_eq(tyrc_vm_unmap(f->vm, 0, 1ULL << 30), 0);
	igt_assert_eq(bo->refs, 1);
	igt_assert_eq(other->refs, 1);
	igt_assert_eq(tyrc_vm_mapping_count(f->vm), 0);
}

static void vm_gpu_reads_through_mappings(struct fixture *f)
{
	struct test_bo *a = f->bos[0] = bo_create(f->td.ram, SZ_2M, true);
	struct test_bo *b = f->bos[1] = bo_create(f->td.ram, SZ_16K, false);
	const u64 va = 0x10000000;
	u32 val;
	int as;

	for (u64 i = 0; i < a->size / SZ_4K; i++)
		*(u32 *)tyrc_ram_phys_to_virt(f->td.ram, a->pages[i]) = 0xa0000000 | (u32)i;
	for (u64 i = 0; i < b->size / SZ_4K; i++)
		*(u32 *)tyrc_ram_phys_to_virt(f->td.ram, b->pages[i]) = 0xb0000000 | (u32)i;

	igt_assert_eq(tyrc_mmu_vm_activate(tyrc_vm_mmu(f->vm)), 0);
	f->active = true;
	as = tyrc_mmu_vm_as(tyrc_vm_mmu(f->vm));
	igt_assert(as > 0);

	igt_assert_eq(tyrc_vm_map(f->vm, a, 0, va, SZ_2M, 0), 0);
	igt_assert_eq(tyrc_model_gpu_read(f->td.model, as, va + 5 * SZ_4K, &val, 4), 0);
	igt_assert_eq_u32(val, 0xa0000005);
	/* Remap the middle while bound: the flush makes the GPU see the new pages. */
	igt_assert_eq(tyrc_vm_map(f->vm, b, SZ_4K, va + 4 * SZ_4K, 2 * SZ_4K, 0), 0);
	igt_assert_eq(tyrc_model_gpu_read(f->td.model, as, va + 5 * SZ_4K, &val, 4), 0);
	igt_assert_eq_u32(val, 0xb0000002);
	igt_assert_eq(tyrc_model_gpu_read(f->td.model, as, va + 6 * SZ_4K, &val, 4), 0);
	igt_assert_eq_u32(val, 0xa0000006);
	/* Unmapped: nothing translates any more. */
	igt_assert_eq(tyrc_vm_unmap(f->vm, va, SZ_2M), 0);
	igt_assert_eq_u64(gpu_phys(f, va + 6 * SZ_4K), 0);
}

static void vm_destroy_with_mappings(struct fixture *f)
{
	struct test_bo *bo = f->bos[0] = bo_create(f->td.ram, SZ_4M, true);
	struct tyrc_vm *vm = f->vm;

	igt_assert_eq(tyrc_vm_map(vm, bo, 0, 0x200000, SZ_4M, 0), 0);
	igt_assert_eq(tyrc_vm_unmap(vm, 0x200000 + SZ_1M, SZ_8K), 0);
	igt_assert_eq(bo->refs, 3);
	tyrc_vm_get(vm);
	tyrc_vm_destroy(vm);
	f->vm = NULL;
	/* Destroyed: everything unmapped, no new mapping; the last put frees it. */
	igt_assert_eq(bo->refs, 1);
	igt_assert_eq(tyrc_vm_mapping_count(vm), 0);
	igt_assert_eq(tyrc_vm_map(vm, bo, 0, 0x200000, SZ_4K, 0), -EINVAL);
	tyrc_vm_put(vm);
}

static void vm_args(struct fixture *f)
{
	struct test_bo *bo = f->bos[0] = bo_create(f->td.ram, SZ_64K, false);
	struct tyrc_vm *vm;
	u64 start, size;

	tyrc_vm_kernel_va(f->vm, &start, &size);
	igt_assert_eq_u64(start, KERNEL_VA_START);
	igt_assert_eq_u64(start + size, 1ULL << 48);
	igt_assert_eq(tyrc_vm_map(f->vm, bo, 0, 0x1000, SZ_64K + SZ_4K, 0), -EINVAL);
	igt_assert_eq(tyrc_vm_map(f->vm, bo, SZ_4K, 0x1000, SZ_64K, 0), -EINVAL);
	igt_assert_eq(tyrc_vm_map(f->vm, bo, 0, 0x1800, SZ_4K, 0), -EINVAL);
	igt_assert_eq(tyrc_vm_map(f->vm, bo, 0, 0x1000, SZ_4K, 1u << 3), -EINVAL);
	igt_assert_eq(tyrc_vm_map(f->vm, bo, 0, (1ULL << 48) - SZ_4K, SZ_8K, 0), -EINVAL);
	igt_assert_eq(tyrc_vm_map(f->vm, NULL, 0, 0x1000, SZ_4K, 0), -EINVAL);
	igt_assert_eq(tyrc_vm_unmap(f->vm, 0x1000, 0), -EINVAL);
	igt_assert_eq(tyrc_vm_unmap(f->vm, 0x1000, 0x800), -EINVAL);
	/* The driver itself may map in the kernel range. */
	igt_assert_eq(tyrc_vm_map(f->vm, bo, 0, KERNEL_VA_START, SZ_64K, 0), 0);
	igt_assert_eq(tyrc_vm_check_pgtables(f->vm), 0);
	igt_assert_eq(tyrc_vm_create(f->td.dev, 1ULL << 48, &test_bo_ops, &vm), -EINVAL);
	igt_assert_eq(tyrc_vm_create(f->td.dev, KERNEL_VA_START, NULL, &vm), -EINVAL);
	igt_assert(!tyrc_vm_is_unusable(f->vm));
}

static struct fixture fix;

static void run(void (*fn)(struct fixture *f))
{
	setup(&fix);
	fn(&fix);
	teardown(&fix);
}

igt_main
{
	igt_describe("A random sequence of maps and unmaps (2 MiB blocks and 4 KiB pages,"
		     " splits, superset and subset unmaps): after every step the page tables"
		     " match the mapping tree, references match mappings, and unmapping"
		     " everything returns every page table to RAM.");
	igt_subtest("random-ops-match-pgtables")
		run(vm_random_ops_match_pgtables);

	igt_describe("A 2 MiB block mapping split by another object keeps both remnants"
		     " on their object at the right offset, each holding a reference.");
	igt_subtest("split-keeps-offsets")
		run(vm_split_keeps_offsets);

	igt_describe("The GPU reads through the mappings of a bound VM and sees a remap at"
		     " once; an unmapped range translates to nothing.");
	igt_subtest("gpu-reads-through-mappings")
		run(vm_gpu_reads_through_mappings);

	igt_describe("Destroying a VM with live mappings unmaps everything and drops the"
		     " object references; a destroyed VM maps nothing.");
	igt_subtest("destroy-with-mappings")
		run(vm_destroy_with_mappings);

	igt_describe("Map/unmap reject bad alignment, ranges, flags and object bounds;"
		     " the kernel VA range is the top of the 48-bit space.");
	igt_subtest("vm-args")
		run(vm_args);

	igt_fixture {
		teardown(&fix);
	}
}
