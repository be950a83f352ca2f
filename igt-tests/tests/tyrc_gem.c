// SPDX-License-Identifier: MIT
/*
 * GEM objects as the GPU sees them, through the driver's own API (driver +
 * model linked in, no host or shim): a BO created, bound in a VM and mapped
 * for the CPU exactly the way the host serves a client's mmap() (the
 * driver's physical ranges, mapped from the RAM memfd) is one and the same
 * memory for the CPU and for the GPU model reading and writing at the bound
 * VA — in both directions, across a 2 MiB block and scattered pages.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "igt.h"
#include "panthor_drm.h"
#include "tyrc_drv.h"
#include "tyrc_mmu.h"
#include "tyrc_model.h"
#include "tyrc_testdev.h"
#include "tyrc_vm.h"

IGT_TEST_DESCRIPTION("CPU mappings of BOs and the GPU model see the same memory.");

#define RAM_SIZE (256ull << 20)
#define BO_VA 0x10000000ull

static void gpu_init(struct tyrc_testdev *g)
{
	const struct tyrc_testdev_opts opts = {
		.ram_size = RAM_SIZE,
		.open_file = true,
		.comm = "tyrc_gem",
		.self_uaccess = true,
	};

	tyrc_testdev_init(g, &opts);
}

static void do_drm_ioctl(struct tyrc_testdev *g, unsigned int cmd, void *arg)
{
	igt_assert_eq(tyrc_testdev_ioctl(g, cmd, arg), 0);
}

igt_main
{
	igt_describe("A CPU write through mmap is seen by the GPU model at the bound VA, and a "
		     "GPU write is seen by the CPU.");
	igt_subtest("cpu-gpu-coherency") {
		/* 2 MiB block + 3 scattered pages, mapped across the boundary. */
		const u64 size = (2ull << 20) + 3 * 4096;
		struct drm_panthor_bo_create bo = { .size = size };
		struct drm_panthor_bo_mmap_offset off = {};
		struct drm_panthor_vm_create vmc = {};
		struct drm_panthor_vm_bind_op op = {};
		struct drm_panthor_vm_bind bind = {};
		struct tyrc_vm_area vma;
		struct tyrc_vm *vm;
		u8 *cpu, buf[64];
		char *log_text;
		int as;
		struct tyrc_testdev g;

		gpu_init(&g);
		do_drm_ioctl(&g, DRM_IOCTL_PANTHOR_BO_CREATE, &bo);
		do_drm_ioctl(&g, DRM_IOCTL_PANTHOR_VM_CREATE, &vmc);
		op = (struct drm_panthor_vm_bind_op){
			.flags = DRM_PANTHOR_VM_BIND_OP_TYPE_MAP,
			.bo_handle = bo.handle,
			.va = BO_VA,
			.size = size,
		};
		bind = (struct drm_panthor_vm_bind){
			.vm_id = vmc.id,
			.ops = DRM_PANTHOR_OBJ_ARRAY(1, &op),
		};
		do_drm_ioctl(&g, DRM_IOCTL_PANTHOR_VM_BIND, &bind);
		off.handle = bo.handle;
		do_drm_ioctl(&g, DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &off);
		cpu = tyrc_testdev_cpu_map(&g, g.file, off.offset, size, &vma);
		igt_assert(vma.nr_ranges > 1); /* block + scattered pages: not one piece */

		/* Put the VM on an address space, as the scheduler will for a group. */
		vm = tyrc_vm_lookup(g.file, vmc.id);
		igt_assert(vm);
		igt_assert_eq(tyrc_mmu_vm_activate(tyrc_vm_mmu(vm)), 0);
		as = tyrc_mmu_vm_as(tyrc_vm_mmu(vm));
		igt_assert_lt(0, as); /* AS 0 is the MCU's */

		/* CPU → GPU, at the start, across the block/page boundary, and at the end. */
		for (u64 at = 0; at < size; at += 4096)
			memset(cpu + at, (int)(at / 4096) & 0xff, 16);
		for (u64 at = 0; at < size; at += 4096) {
			igt_assert_eq(
				tyrc_model_gpu_read(g.model, (unsigned int)as, BO_VA + at, buf, 16),
				0);
			for (int i = 0; i < 16; i++)
				igt_assert_eq(buf[i], (at / 4096) & 0xff);
		}
		memcpy(cpu + (2ull << 20) - 8, "boundary-crossing", 17);
		igt_assert_eq(tyrc_model_gpu_read(g.model, (unsigned int)as,
						  BO_VA + (2ull << 20) - 8, buf, 17),
			      0);
		igt_assert_eq(memcmp(buf, "boundary-crossing", 17), 0);

		/* GPU → CPU. */
		igt_assert_eq(tyrc_model_gpu_write(g.model, (unsigned int)as, BO_VA + size - 16,
						   "written-by-gpu!", 16),
			      0);
		igt_assert_eq(memcmp(cpu + size - 16, "written-by-gpu!", 16), 0);

		/* Past the mapping the GPU faults instead of reaching other memory. */
		tyrc_testdev_log_begin(&g, TYRC_LOG_ERR);
		igt_assert_eq(tyrc_model_gpu_read(g.model, (unsigned int)as, BO_VA + size, buf, 8),
			      -EFAULT);
		tyrc_mmu_vm_deactivate(tyrc_vm_mmu(vm));
		/* The fault interrupt is handled on the IRQ thread: the AS goes away. */
		for (int i = 0;
		     i < 1000 && tyrc_mmu_vm_has_unhandled_fault(tyrc_vm_mmu(vm)) == false; i++)
			usleep(1000);
		log_text = tyrc_testdev_log_end(&g);
		igt_assert(tyrc_mmu_vm_has_unhandled_fault(tyrc_vm_mmu(vm)));
		igt_assert_f(strstr(log_text, "TRANSLATION_FAULT_3"), "log: %s\n", log_text);
		free(log_text);

		tyrc_vm_put(vm);
		munmap(cpu, size);
		tyrc_drm_vma_close(&vma);
		tyrc_testdev_fini(&g);
	}
}
