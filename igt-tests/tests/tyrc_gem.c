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
#include <sys/uio.h>
#include <unistd.h>

#include "igt.h"
#include "panthor_drm.h"
#include "tyrc_drv.h"
#include "tyrc_mmu.h"
#include "tyrc_model.h"
#include "tyrc_vm.h"

IGT_TEST_DESCRIPTION("CPU mappings of BOs and the GPU model see the same memory.");

#define RAM_BASE 0x80000000ull
#define RAM_SIZE (256ull << 20)
#define BO_VA 0x10000000ull

struct gpu {
	struct tyrc_ram *ram;
	struct tyrc_model *model;
	struct tyrc_device *dev;
	struct tyrc_file *file;
	const char *fw_path[2];
};

/* This process is the "client": user pointers are its own, checked like copy_*_user. */
static int self_read(void *ctx, void *dst, u64 uptr, size_t len)
{
	struct iovec local = { dst, len }, remote = { (void *)(uintptr_t)uptr, len };

	return process_vm_readv(getpid(), &local, 1, &remote, 1, 0) == (ssize_t)len ? 0 : -EFAULT;
}

static int self_write(void *ctx, u64 uptr, const void *src, size_t len)
{
	struct iovec local = { (void *)src, len }, remote = { (void *)(uintptr_t)uptr, len };

	return process_vm_writev(getpid(), &local, 1, &remote, 1, 0) == (ssize_t)len ? 0 : -EFAULT;
}

static const struct tyrc_uaccess_ops self_uaccess = { .read = self_read, .write = self_write };

static void gpu_init(struct gpu *g)
{
	struct tyrc_client client = { .pid = getpid(), .uid = 0, .comm = "tyrc_gem" };
	struct tyrc_model_config mcfg;
	struct tyrc_device_config dcfg;
	struct tyrc_platform pdev;

	memset(g, 0, sizeof(*g));
	igt_assert_eq(tyrc_ram_create(RAM_BASE, RAM_SIZE, &g->ram), 0);
	tyrc_model_config_init_g610(&mcfg);
	igt_assert_eq(tyrc_model_create(&mcfg, g->ram, &g->model), 0);
	pdev = (struct tyrc_platform){
		.iomem = tyrc_model_iomem(g->model),
		.irq_job = tyrc_model_irq_line(g->model, TYRC_MODEL_IRQ_JOB),
		.irq_mmu = tyrc_model_irq_line(g->model, TYRC_MODEL_IRQ_MMU),
		.irq_gpu = tyrc_model_irq_line(g->model, TYRC_MODEL_IRQ_GPU),
		.ram = g->ram,
		.timestamp_frequency_hz = mcfg.timestamp_frequency_hz,
	};
	tyrc_device_config_init(&dcfg);
	g->fw_path[0] = TYRC_FW_DIR;
	dcfg.firmware_path = g->fw_path;
	igt_assert_eq(tyrc_device_probe(&pdev, &dcfg, &g->dev), 0);
	igt_assert_eq(tyrc_drm_open(g->dev, TYRC_MINOR_RENDER, &client, &g->file), 0);
	tyrc_uaccess_begin(&self_uaccess, NULL);
}

static void gpu_fini(struct gpu *g)
{
	tyrc_uaccess_end();
	tyrc_drm_release(g->file);
	tyrc_device_remove(g->dev);
	tyrc_model_destroy(g->model);
	tyrc_ram_destroy(g->ram);
}

static void do_drm_ioctl(struct gpu *g, unsigned int cmd, void *arg)
{
	igt_assert_eq(tyrc_drm_ioctl(g->file, cmd, (u64)(uintptr_t)arg), 0);
}

/*
 * mmap() of the BO as the host serves it: ask the driver for the physical
 * ranges behind the fake offset and map those pieces of the RAM memfd.
 */
static u8 *cpu_map(struct gpu *g, u64 offset, u64 len, struct tyrc_vm_area *vma)
{
	u8 *base = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	u64 pos = 0;

	igt_assert(base != MAP_FAILED);
	*vma = (struct tyrc_vm_area){
		.offset = offset,
		.len = len,
		.prot = PROT_READ | PROT_WRITE,
		.flags = MAP_SHARED,
	};
	igt_assert_eq(tyrc_drm_mmap(g->file, vma), 0);
	igt_assert(vma->nr_ranges > 1); /* block + scattered pages: not one piece */
	for (u32 i = 0; i < vma->nr_ranges; i++) {
		const struct tyrc_vm_area_range *r = &vma->ranges[i];

		igt_assert(mmap(base + pos, r->len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
				tyrc_ram_fd(g->ram),
				(off_t)(r->phys - tyrc_ram_base(g->ram))) != MAP_FAILED);
		pos += r->len;
	}
	igt_assert_eq_u64(pos, len);
	return base;
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
		char *log_text = NULL;
		size_t log_len = 0;
		FILE *log;
		int as;
		struct gpu g;

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
		cpu = cpu_map(&g, off.offset, size, &vma);

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
		log = open_memstream(&log_text, &log_len);
		igt_assert(log);
		tyrc_log_set_sink(log, TYRC_LOG_ERR);
		igt_assert_eq(tyrc_model_gpu_read(g.model, (unsigned int)as, BO_VA + size, buf, 8),
			      -EFAULT);
		tyrc_mmu_vm_deactivate(tyrc_vm_mmu(vm));
		/* The fault interrupt is handled on the IRQ thread: the AS goes away. */
		for (int i = 0;
		     i < 1000 && tyrc_mmu_vm_has_unhandled_fault(tyrc_vm_mmu(vm)) == false; i++)
			usleep(1000);
		tyrc_log_set_sink(NULL, TYRC_LOG_ERR);
		fclose(log);
		igt_assert(tyrc_mmu_vm_has_unhandled_fault(tyrc_vm_mmu(vm)));
		igt_assert_f(strstr(log_text, "TRANSLATION_FAULT_3"), "log: %s\n", log_text);
		free(log_text);

		tyrc_vm_put(vm);
		munmap(cpu, size);
		tyrc_drm_vma_close(&vma);
		gpu_fini(&g);
	}
}
