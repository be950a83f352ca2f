// SPDX-License-Identifier: MIT
/*
 * VM_BIND against the GPU model's page-table walk, through the driver's own
 * API (driver + model linked in, no host or shim; ioctls with this process
 * as the client, as tyrc_gem does). Real BOs from BO_CREATE — 2 MiB blocks
 * and scattered pages — get a unique tag at the start of every page through
 * their CPU pages (the physical ranges tyrc_drm_mmap() hands out), the VM is
 * put on an address space, and random VM_BIND arrays of maps and unmaps
 * (some with a bad op in the middle, which must stop the array there and
 * report the index in ops.count) run against a shadow page map.
 *
 * After every step: the driver's page tables match its mapping tree
 * (tyrc_vm_check_pgtables()); every mapped page of the window is read by
 * the model through the AS (TLB + table walk) and must return its BO page's
 * tag, and the driver's translation must be that page; every unmapped page
 * must translate to nothing in the driver's tables (tyrc_mmu_vm_iova_to_phys).
 *
 * Unmapped pages are also read through the model, but only every few steps
 * (a "fault probe"), because a fault is expensive to recover from: the
 * model records it and raises MMU_INT, and the driver's threaded handler
 * disables the AS. The probe waits until the handler has disabled the AS
 * (AS_TRANSCFG reads back ADRMODE_UNMAPPED; the handler holds slots_lock
 * until it is done) and then activates the VM again, which re-enables a
 * faulty AS. The expected fault logs go to a captured log sink, which must
 * contain one report per probe and nothing else.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include "igt.h"
#include "panthor_drm.h"
#include "tyrc_drv.h"
#include "tyrc_mmu.h"
#include "tyrc_mmu_regs.h"
#include "tyrc_model.h"
#include "tyrc_testdev.h"
#include "tyrc_vm.h"

IGT_TEST_DESCRIPTION("Random VM_BIND sequences checked against the GPU model's page-table walk.");

#define PAGE 4096ull
#define NR_BOS 4
#define WINDOW_BASE (1ull << 32)
#define WINDOW_SIZE (8ull << 20)
#define WINDOW_PAGES (WINDOW_SIZE / PAGE)
#define TAG_MAGIC 0x7461670000000000ull

/* BO sizes: a block plus scattered pages, scattered pages only, two blocks, a few pages. */
static const u64 bo_sizes[NR_BOS] = { (2ull << 20) + 3 * PAGE, 64 * PAGE, 4ull << 20, 3 * PAGE };

struct fuzz_bo {
	u32 handle;
	u64 size;
	/* the BO's pages as tyrc_drm_mmap() describes them (holds a reference) */
	struct tyrc_vm_area vma;
};

struct vm_fuzz {
	struct tyrc_testdev td;
	struct tyrc_vm *vm;
	u32 vm_id;
	int as;
	struct fuzz_bo bos[NR_BOS];
	/* expected tag of every window page, 0 if unmapped */
	u64 shadow[WINDOW_PAGES];
	u64 seed;
	unsigned int probes;
};

static u64 rnd(struct vm_fuzz *f)
{
	u64 x = f->seed;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	f->seed = x;
	return x;
}

static u64 rnd_below(struct vm_fuzz *f, u64 n)
{
	return n ? rnd(f) % n : 0;
}

static u64 page_tag(unsigned int bo, u64 page)
{
	return TAG_MAGIC | ((u64)(bo + 1) << 32) | page;
}

/* Physical address of page @page of @bo, from its mmap ranges. */
static u64 bo_page_phys(const struct fuzz_bo *bo, u64 page)
{
	u64 at = page * PAGE;

	for (u32 i = 0; i < bo->vma.nr_ranges; i++) {
		if (at < bo->vma.ranges[i].len)
			return bo->vma.ranges[i].phys + at;
		at -= bo->vma.ranges[i].len;
	}
	igt_assert_f(false, "page %llu outside the BO\n", (unsigned long long)page);
	return 0;
}

/* Consistency, not timing: AS commands and flushes complete at once. */
static void no_latencies(struct tyrc_model_config *mcfg)
{
	mcfg->as_command_ns = 0;
	mcfg->cache_flush_ns = 0;
}

static void setup(struct vm_fuzz *f, u64 seed)
{
	const struct tyrc_testdev_opts opts = {
		.model_config = no_latencies,
		.no_firmware = true,
		.open_file = true,
		.comm = "tyrc_vm_fuzz",
		.self_uaccess = true,
	};
	struct drm_panthor_vm_create vmc = {};

	memset(f, 0, sizeof(*f));
	f->seed = seed;
	tyrc_testdev_init(&f->td, &opts);

	igt_assert_eq(tyrc_testdev_ioctl(&f->td, DRM_IOCTL_PANTHOR_VM_CREATE, &vmc), 0);
	f->vm_id = vmc.id;
	for (unsigned int b = 0; b < NR_BOS; b++) {
		struct drm_panthor_bo_create bo = { .size = bo_sizes[b] };
		struct drm_panthor_bo_mmap_offset off = {};
		struct fuzz_bo *fb = &f->bos[b];

		igt_assert_eq(tyrc_testdev_ioctl(&f->td, DRM_IOCTL_PANTHOR_BO_CREATE, &bo), 0);
		off.handle = bo.handle;
		igt_assert_eq(tyrc_testdev_ioctl(&f->td, DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &off),
			      0);
		fb->handle = bo.handle;
		fb->size = bo.size;
		fb->vma = (struct tyrc_vm_area){
			.offset = off.offset,
			.len = bo.size,
			.prot = PROT_READ | PROT_WRITE,
			.flags = MAP_SHARED,
		};
		igt_assert_eq(tyrc_drm_mmap(f->td.file, &fb->vma), 0);
		/* Tag every page through its CPU pages. */
		for (u64 p = 0; p < fb->size / PAGE; p++) {
			u64 tag = page_tag(b, p);

			memcpy(tyrc_ram_phys_to_virt(f->td.ram, bo_page_phys(fb, p)), &tag, 8);
		}
	}

	f->vm = tyrc_vm_lookup(f->td.file, f->vm_id);
	igt_assert(f->vm);
	igt_assert_eq(tyrc_mmu_vm_activate(tyrc_vm_mmu(f->vm)), 0);
	f->as = tyrc_mmu_vm_as(tyrc_vm_mmu(f->vm));
	igt_assert_lt(0, f->as);

	tyrc_testdev_log_begin(&f->td, TYRC_LOG_ERR);
}

static void teardown(struct vm_fuzz *f)
{
	struct drm_panthor_vm_destroy d = { .id = f->vm_id };
	char *log_text = tyrc_testdev_log_end(&f->td);
	unsigned int reports = 0;

	for (const char *s = log_text; (s = strstr(s, "Unhandled page fault")); s++)
		reports++;
	igt_assert_f(reports == f->probes, "%u fault probes, %u reports; log:\n%s\n", f->probes,
		     reports, log_text);
	free(log_text);

	tyrc_mmu_vm_deactivate(tyrc_vm_mmu(f->vm));
	tyrc_vm_put(f->vm);
	igt_assert_eq(tyrc_testdev_ioctl(&f->td, DRM_IOCTL_PANTHOR_VM_DESTROY, &d), 0);
	for (unsigned int b = 0; b < NR_BOS; b++) {
		struct drm_gem_close c = { .handle = f->bos[b].handle };

		tyrc_drm_vma_close(&f->bos[b].vma);
		igt_assert_eq(tyrc_testdev_ioctl(&f->td, DRM_IOCTL_GEM_CLOSE, &c), 0);
	}
	tyrc_testdev_fini(&f->td);
}

/* A random op in the window; @bad: make it invalid in one of several ways. */
static void make_op(struct vm_fuzz *f, struct drm_panthor_vm_bind_op *op, bool bad)
{
	u64 page = rnd_below(f, WINDOW_PAGES);

	memset(op, 0, sizeof(*op));
	/* Often 2 MiB aligned so blocks get used, then split by later ops. */
	if (rnd_below(f, 3) == 0)
		page &= ~511ull;
	op->va = WINDOW_BASE + page * PAGE;
	if (rnd_below(f, 3) == 0) {
		op->flags = DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP;
		op->size = PAGE * (1 + rnd_below(f, 768));
	} else {
		unsigned int b = (unsigned int)rnd_below(f, NR_BOS);
		u64 pages = f->bos[b].size / PAGE;
		u64 first = rnd_below(f, 2) ? rnd_below(f, pages) : 0;

		op->flags = DRM_PANTHOR_VM_BIND_OP_TYPE_MAP | (u32)rnd_below(f, 8);
		op->bo_handle = f->bos[b].handle;
		op->bo_offset = first * PAGE;
		op->size = PAGE * (1 + rnd_below(f, pages - first));
	}
	if (op->va + op->size > WINDOW_BASE + WINDOW_SIZE)
		op->size = WINDOW_BASE + WINDOW_SIZE - op->va;
	if (!bad)
		return;
	switch (rnd_below(f, 5)) {
	case 0:
		op->va += 0x800;
		break;
	case 1:
		op->flags |= 1u << 3;
		break;
	case 2:
		op->flags = DRM_PANTHOR_VM_BIND_OP_TYPE_MAP;
		op->bo_handle = f->bos[0].handle;
		op->bo_offset = f->bos[0].size;
		op->size = PAGE;
		break;
	case 3:
		op->va = (1ull << 47) - PAGE; /* runs into the kernel VA range */
		op->size = 2 * PAGE;
		break;
	default:
		op->flags = 7u << 28;
		break;
	}
}

/* What a successful @op does to the shadow page map. */
static void shadow_apply(struct vm_fuzz *f, const struct drm_panthor_vm_bind_op *op)
{
	u64 first = (op->va - WINDOW_BASE) / PAGE;
	unsigned int b = 0;

	if ((op->flags & DRM_PANTHOR_VM_BIND_OP_TYPE_MASK) == DRM_PANTHOR_VM_BIND_OP_TYPE_MAP)
		while (f->bos[b].handle != op->bo_handle)
			b++;
	for (u64 i = 0; i < op->size / PAGE; i++) {
		if ((op->flags & DRM_PANTHOR_VM_BIND_OP_TYPE_MASK) ==
		    DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP)
			f->shadow[first + i] = 0;
		else
			f->shadow[first + i] = page_tag(b, op->bo_offset / PAGE + i);
	}
}

static void step(struct vm_fuzz *f)
{
	struct drm_panthor_vm_bind_op ops[8];
	struct drm_panthor_vm_bind bind = { .vm_id = f->vm_id };
	u32 count = 1 + (u32)rnd_below(f, 8);
	int bad = rnd_below(f, 4) == 0 ? (int)rnd_below(f, count) : -1;
	long ret;

	for (u32 i = 0; i < count; i++)
		make_op(f, &ops[i], (int)i == bad);
	bind.ops = (struct drm_panthor_obj_array)DRM_PANTHOR_OBJ_ARRAY(count, ops);
	ret = tyrc_testdev_ioctl(&f->td, DRM_IOCTL_PANTHOR_VM_BIND, &bind);
	if (bad < 0) {
		igt_assert_eq(ret, 0);
		igt_assert_eq_u32(bind.ops.count, count);
	} else {
		/* Ops before the bad one stay applied; ops.count says how many. */
		igt_assert_eq(ret, -EINVAL);
		igt_assert_eq_u32(bind.ops.count, (u32)bad);
		count = (u32)bad;
	}
	for (u32 i = 0; i < count; i++)
		shadow_apply(f, &ops[i]);
}

/* The driver's fault handler has disabled our AS (it holds slots_lock until done). */
static void wait_as_disabled(struct vm_fuzz *f)
{
	struct tyrc_iomem *io = tyrc_model_iomem(f->td.model);

	for (int i = 0; i < 50000; i++) {
		u64 cfg = tyrc_ioread64(io, MMU_AS(f->as) + AS_TRANSCFG);

		if (FIELD_GET(AS_TRANSCFG_ADRMODE, cfg) == AS_TRANSCFG_ADRMODE_UNMAPPED)
			return;
		usleep(100);
	}
	igt_assert_f(false, "the MMU fault handler never disabled AS%d\n", f->as);
}

/* A GPU read of unmapped @page faults; then get the AS back. */
static void fault_probe(struct vm_fuzz *f, u64 page)
{
	u64 val = 0;

	igt_assert_eq(tyrc_model_gpu_read(f->td.model, (unsigned int)f->as,
					  WINDOW_BASE + page * PAGE, &val, 8),
		      -EFAULT);
	f->probes++;
	wait_as_disabled(f);
	igt_assert(tyrc_mmu_vm_has_unhandled_fault(tyrc_vm_mmu(f->vm)));
	/* Activation re-enables a faulty AS; drop the extra use at once. */
	igt_assert_eq(tyrc_mmu_vm_activate(tyrc_vm_mmu(f->vm)), 0);
	igt_assert_eq(tyrc_mmu_vm_as(tyrc_vm_mmu(f->vm)), f->as);
	tyrc_mmu_vm_deactivate(tyrc_vm_mmu(f->vm));
}

static void check(struct vm_fuzz *f, bool probe)
{
	struct tyrc_mmu_vm *mmu = tyrc_vm_mmu(f->vm);
	u64 unmapped[WINDOW_PAGES];
	u64 nr_unmapped = 0;

	igt_assert_eq(tyrc_vm_check_pgtables(f->vm), 0);
	for (u64 p = 0; p < WINDOW_PAGES; p++) {
		u64 va = WINDOW_BASE + p * PAGE, tag = f->shadow[p], val = 0;

		if (!tag) {
			igt_assert_f(tyrc_mmu_vm_iova_to_phys(mmu, va) == 0,
				     "VA %#llx unmapped but translates\n", (unsigned long long)va);
			unmapped[nr_unmapped++] = p;
			continue;
		}
		igt_assert_eq_u64(
			tyrc_mmu_vm_iova_to_phys(mmu, va),
			bo_page_phys(&f->bos[((tag >> 32) & 0xff) - 1], tag & 0xffffffff));
		igt_assert_eq(tyrc_model_gpu_read(f->td.model, (unsigned int)f->as, va, &val, 8),
			      0);
		igt_assert_f(val == tag, "VA %#llx: GPU reads %#llx, expected %#llx\n",
			     (unsigned long long)va, (unsigned long long)val,
			     (unsigned long long)tag);
	}
	if (probe && nr_unmapped)
		fault_probe(f, unmapped[rnd_below(f, nr_unmapped)]);
}

static void run(u64 seed, unsigned int steps)
{
	struct drm_panthor_vm_bind_op op = {
		.flags = DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP,
		.va = WINDOW_BASE,
		.size = WINDOW_SIZE,
	};
	struct drm_panthor_vm_bind bind;
	struct vm_fuzz *f = malloc(sizeof(*f));

	igt_assert(f);
	setup(f, seed);
	for (unsigned int s = 0; s < steps; s++) {
		step(f);
		check(f, s % 16 == 15);
	}
	/* Unmap the whole window: nothing is left, every page faults to nothing. */
	bind = (struct drm_panthor_vm_bind){
		.vm_id = f->vm_id,
		.ops = DRM_PANTHOR_OBJ_ARRAY(1, &op),
	};
	igt_assert_eq(tyrc_testdev_ioctl(&f->td, DRM_IOCTL_PANTHOR_VM_BIND, &bind), 0);
	memset(f->shadow, 0, sizeof(f->shadow));
	igt_assert_eq(tyrc_vm_mapping_count(f->vm), 0);
	check(f, true);
	igt_info("seed %#llx: %u steps, %u fault probes\n", (unsigned long long)seed, steps,
		 f->probes);
	teardown(f);
	free(f);
}

igt_main
{
	for (unsigned int s = 1; s <= 3; s++) {
		igt_describe("Random VM_BIND arrays of maps and unmaps (2 MiB blocks and pages,"
			     " splits, bad ops stopping the array): after every step the GPU"
			     " model reads each mapped page's BO tag through the AS, unmapped"
			     " pages translate to nothing, and sampled unmapped pages fault.");
		igt_subtest_f("random-bind-seed-%u", s)
			run(0x766d66757a7aull * s + s, 200);
	}
}
