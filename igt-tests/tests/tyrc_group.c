// SPDX-License-Identifier: MIT
/*
 * Groups through the driver's own API (driver + model linked in, no host
 * or shim): the kernel objects behind GROUP_CREATE — ring buffers and the
 * sync-object array in the group VM's kernel range, interface pages and
 * suspend buffers in the MCU VM's auto window — checked in the page tables
 * and by the GPU model reading through the address spaces; board RAM back
 * to its baseline after GROUP_DESTROY, VM_DESTROY with a group holding the
 * VM, and file release; the privilege rule for HIGH/REALTIME (EACCES for
 * a non-root, non-master file).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "igt.h"
#include "panthor_drm.h"
#include "tyrc_drv.h"
#include "tyrc_fw.h"
#include "tyrc_group.h"
#include "tyrc_kva.h"
#include "tyrc_mmu.h"
#include "tyrc_model.h"
#include "tyrc_testdev.h"
#include "tyrc_vm.h"

IGT_TEST_DESCRIPTION("Group kernel objects in the group VM and the MCU VM, and their release.");

#define SZ_4K_ 0x1000u
#define SZ_64K_ 0x10000u

static u32 vm_create(struct tyrc_file *file)
{
	struct drm_panthor_vm_create c = {};

	igt_assert_eq(tyrc_testdev_file_ioctl(file, DRM_IOCTL_PANTHOR_VM_CREATE, &c), 0);
	return c.id;
}

static void vm_destroy(struct tyrc_file *file, u32 id)
{
	struct drm_panthor_vm_destroy d = { .id = id };

	igt_assert_eq(tyrc_testdev_file_ioctl(file, DRM_IOCTL_PANTHOR_VM_DESTROY, &d), 0);
}

/* GROUP_CREATE with @count queues of @ring bytes each; returns -errno or the handle. */
static int group_create(struct tyrc_file *file, u32 vm, u32 count, u32 ring, u8 prio)
{
	struct drm_panthor_queue_create qs[8];
	struct drm_panthor_group_create c = {
		.queues = DRM_PANTHOR_OBJ_ARRAY(count, qs),
		.priority = prio,
		.compute_core_mask = 1,
		.fragment_core_mask = 1,
		.tiler_core_mask = 1,
		.max_compute_cores = 1,
		.max_fragment_cores = 1,
		.max_tiler_cores = 1,
		.vm_id = vm,
	};
	int ret;

	igt_assert(count <= 8);
	for (u32 i = 0; i < count; i++)
		qs[i] = (struct drm_panthor_queue_create){ .priority = (u8)i,
							   .ringbuf_size = ring << (i % 2) };
	ret = tyrc_testdev_file_ioctl(file, DRM_IOCTL_PANTHOR_GROUP_CREATE, &c);
	return ret ? ret : (int)c.group_handle;
}

static void group_destroy(struct tyrc_file *file, u32 handle)
{
	struct drm_panthor_group_destroy d = { .group_handle = handle };

	igt_assert_eq(tyrc_testdev_file_ioctl(file, DRM_IOCTL_PANTHOR_GROUP_DESTROY, &d), 0);
}

/* Every page of @bo translates to its own page in @mmu; none around it. */
static void assert_mapped(struct tyrc_mmu_vm *mmu, const struct tyrc_kbo *bo)
{
	u64 va = tyrc_kbo_va(bo), size = tyrc_kbo_size(bo);

	for (u64 off = 0; off < size; off += SZ_4K_)
		igt_assert_eq_u64(tyrc_mmu_vm_iova_to_phys(mmu, va + off),
				  tyrc_kbo_page(bo, (u32)(off / SZ_4K_)));
}

/* The GPU reads, through AS @as, what the CPU wrote through the BO's host view. */
static void assert_gpu_sees(struct tyrc_testdev *g, int as, const struct tyrc_kbo *bo, u32 magic)
{
	u64 size = tyrc_kbo_size(bo);
	u8 *cpu = tyrc_kbo_vaddr(bo);
	u32 val = 0;

	igt_assert(cpu);
	memcpy(cpu + size - 4, &magic, 4);
	igt_assert_eq(tyrc_model_gpu_read(g->model, as, tyrc_kbo_va(bo) + size - 4, &val, 4), 0);
	igt_assert_eq_u32(val, magic);
	memset(cpu + size - 4, 0, 4);
}

static void check_objects(struct tyrc_testdev *g, u32 vm_id, u32 handle, u32 count, u32 ring_size)
{
	struct tyrc_group *group = tyrc_group_lookup(g->file, handle);
	struct tyrc_vm *vm = tyrc_vm_lookup(g->file, vm_id);
	struct tyrc_mmu_vm *mcu = tyrc_fw_mcu_vm(g->dev), *mmu;
	struct tyrc_fw_info fi;
	u64 kstart, ksize;
	int as;

	igt_assert(group && vm);
	igt_assert(tyrc_group_vm(group) == vm);
	mmu = tyrc_vm_mmu(vm);
	tyrc_vm_kernel_va(vm, &kstart, &ksize);
	tyrc_fw_get_info(g->dev, &fi);
	igt_assert_eq_u32(tyrc_group_queue_count(group), count);
	igt_assert(!tyrc_group_ringbuf(group, count) && !tyrc_group_queue_iface(group, count));

	igt_assert_eq(tyrc_mmu_vm_activate(mmu), 0);
	as = tyrc_mmu_vm_as(mmu);
	igt_assert(as > 0);
	for (u32 i = 0; i < count; i++) {
		const struct tyrc_kbo *ring = tyrc_group_ringbuf(group, i);
		const struct tyrc_kbo *iface = tyrc_group_queue_iface(group, i);

		/* Ring: in the group VM's kernel range, its own size, zeroed. */
		igt_assert_eq_u64(tyrc_kbo_size(ring), (u64)ring_size << (i % 2));
		igt_assert(tyrc_kbo_va(ring) >= kstart &&
			   tyrc_kbo_va(ring) - kstart <= ksize - tyrc_kbo_size(ring));
		igt_assert_eq_u64(tyrc_kbo_va(ring) % tyrc_kbo_size(ring), 0);
		assert_mapped(mmu, ring);
		igt_assert_eq_u64(tyrc_mmu_vm_iova_to_phys(mcu, tyrc_kbo_va(ring)), 0);
		assert_gpu_sees(g, as, ring, 0x7a000000u | i);

		/* Interface pages: 8 KiB in the MCU auto window, after the shared section. */
		igt_assert_eq_u64(tyrc_kbo_size(iface), TYRC_GROUP_QUEUE_IFACE_SIZE);
		igt_assert(tyrc_kbo_va(iface) >= TYRC_FW_KVA_START &&
			   tyrc_kbo_va(iface) + TYRC_GROUP_QUEUE_IFACE_SIZE <= TYRC_FW_KVA_END);
		assert_mapped(mcu, iface);
		assert_gpu_sees(g, 0, iface, 0x1f000000u | i);
	}
	/* Sync objects: 16 bytes per queue in the group VM, zeroed. */
	{
		const struct tyrc_kbo *sync = tyrc_group_syncobjs(group);
		const u8 *cpu = tyrc_kbo_vaddr(sync);

		igt_assert(tyrc_kbo_va(sync) >= kstart);
		for (u32 i = 0; i < count * TYRC_GROUP_SYNCOBJ_SIZE; i++)
			igt_assert_eq(cpu[i], 0);
		assert_mapped(mmu, sync);
		assert_gpu_sees(g, as, sync, 0x5e000000u);
	}
	/* Suspend buffers: the firmware's sizes, in the MCU window. */
	igt_assert(fi.suspend_size);
	igt_assert(tyrc_kbo_size(tyrc_group_suspend_buf(group)) >= fi.suspend_size);
	assert_mapped(mcu, tyrc_group_suspend_buf(group));
	igt_assert(tyrc_kbo_va(tyrc_group_suspend_buf(group)) >= TYRC_FW_KVA_START);
	if (fi.protm_suspend_size)
		assert_mapped(mcu, tyrc_group_protm_suspend_buf(group));
	else
		igt_assert(!tyrc_group_protm_suspend_buf(group));
	tyrc_mmu_vm_deactivate(mmu);
	tyrc_vm_put(vm);
	tyrc_group_put(group);
}

igt_main
{
	struct tyrc_testdev g;
	u64 baseline = 0;

	igt_fixture {
		tyrc_testdev_init_client(&g, "tyrc_group");
		baseline = tyrc_ram_free_page_count(g.ram);
	}

	igt_describe("A group's rings and sync objects are mapped in its VM's kernel range, "
		     "its interface pages and suspend buffers in the MCU window; the GPU reads "
		     "them through both address spaces; destroy returns every page.");
	igt_subtest("group-objects-mapped") {
		u32 vm = vm_create(g.file);
		int a = group_create(g.file, vm, 3, SZ_4K_, 0);
		int b = group_create(g.file, vm, 8, SZ_64K_ / 2, 1);
		struct tyrc_group *group;
		struct tyrc_kbo *ring;
		u64 va;

		igt_assert(a > 0 && b > 0);
		check_objects(&g, vm, (u32)a, 3, SZ_4K_);
		check_objects(&g, vm, (u32)b, 8, SZ_64K_ / 2);
		group = tyrc_group_lookup(g.file, (u32)a);
		ring = tyrc_group_ringbuf(group, 0);
		va = tyrc_kbo_va(ring);
		tyrc_group_put(group);
		group_destroy(g.file, (u32)a);
		{
			struct tyrc_vm *v = tyrc_vm_lookup(g.file, vm);

			igt_assert_eq_u64(tyrc_mmu_vm_iova_to_phys(tyrc_vm_mmu(v), va), 0);
			tyrc_vm_put(v);
		}
		group_destroy(g.file, (u32)b);
		vm_destroy(g.file, vm);
		igt_assert_eq_u64(tyrc_ram_free_page_count(g.ram), baseline);
	}

	igt_describe("VM_DESTROY with a group holding the VM keeps the group's kernel "
		     "mappings; the group's destroy releases them and the VM.");
	igt_subtest("group-vm-destroy-while-held") {
		u32 vm = vm_create(g.file);
		int h = group_create(g.file, vm, 2, SZ_4K_, 0);
		struct tyrc_group *group;
		struct tyrc_kbo *ring;

		igt_assert(h > 0);
		group = tyrc_group_lookup(g.file, (u32)h);
		vm_destroy(g.file, vm);
		igt_assert(!tyrc_vm_lookup(g.file, vm));
		ring = tyrc_group_ringbuf(group, 1);
		assert_mapped(tyrc_vm_mmu(tyrc_group_vm(group)), ring);
		assert_mapped(tyrc_vm_mmu(tyrc_group_vm(group)), tyrc_group_syncobjs(group));
		tyrc_group_put(group);
		group_destroy(g.file, (u32)h);
		igt_assert_eq_u64(tyrc_ram_free_page_count(g.ram), baseline);
	}

	igt_describe("Closing a file destroys its groups: RAM back to the baseline, the MCU "
		     "window empty again.");
	igt_subtest("group-release-at-close") {
		struct tyrc_file *file = tyrc_testdev_open(&g, TYRC_MINOR_RENDER, 0);
		u64 window = tyrc_kva_range_free_bytes(tyrc_fw_kva(g.dev));
		u32 vm = vm_create(file);

		for (int i = 0; i < 16; i++)
			igt_assert(group_create(file, vm, 1 + i % 8, SZ_4K_, 0) > 0);
		igt_assert(tyrc_kva_range_free_bytes(tyrc_fw_kva(g.dev)) < window);
		tyrc_drm_release(file);
		igt_assert_eq_u64(tyrc_kva_range_free_bytes(tyrc_fw_kva(g.dev)), window);
		igt_assert_eq_u64(tyrc_ram_free_page_count(g.ram), baseline);
	}

	igt_describe("HIGH and REALTIME need root or DRM master: EACCES otherwise, checked "
		     "after the group priority range.");
	igt_subtest("group-priority-permission") {
		struct tyrc_file *user = tyrc_testdev_open(&g, TYRC_MINOR_RENDER, 1000);
		struct tyrc_file *master = tyrc_testdev_open(&g, TYRC_MINOR_PRIMARY, 1000);
		u32 vm = vm_create(user), mvm = vm_create(master);
		int h;

		igt_assert_eq(group_create(user, vm, 1, SZ_4K_, PANTHOR_GROUP_PRIORITY_HIGH),
			      -EACCES);
		igt_assert_eq(group_create(user, vm, 1, SZ_4K_, PANTHOR_GROUP_PRIORITY_REALTIME),
			      -EACCES);
		igt_assert_eq(group_create(user, vm, 1, SZ_4K_, 4), -EINVAL);
		/* The privilege check comes before the VM lookup. */
		igt_assert_eq(group_create(user, 0, 1, SZ_4K_, PANTHOR_GROUP_PRIORITY_HIGH),
			      -EACCES);
		h = group_create(user, vm, 1, SZ_4K_, PANTHOR_GROUP_PRIORITY_MEDIUM);
		igt_assert(h > 0);
		h = group_create(master, mvm, 1, SZ_4K_, PANTHOR_GROUP_PRIORITY_REALTIME);
		igt_assert(h > 0);
		/* A host started with allow_high_priority grants them to everyone. */
		g.dev->cfg.allow_high_priority = true;
		h = group_create(user, vm, 1, SZ_4K_, PANTHOR_GROUP_PRIORITY_REALTIME);
		g.dev->cfg.allow_high_priority = false;
		igt_assert(h > 0);
		tyrc_drm_release(master);
		tyrc_drm_release(user);
		igt_assert_eq_u64(tyrc_ram_free_page_count(g.ram), baseline);
	}

	igt_fixture {
		tyrc_testdev_fini(&g);
	}
}
