// SPDX-License-Identifier: MIT
/*
 * The mmu layer against the GPU model's MMU (the tyrc_mmu binary): AS
 * programming, the GPU reading and writing RAM through a VM's page tables,
 * the TLB keeping a stale translation when the page tables change without
 * the flush sequence (and not with it), block splits seen by the GPU, LRU
 * eviction of AS slots, and MMU faults: the IRQ handler decodes the fault,
 * flags the VM, masks the AS interrupt and disables the AS; activating the
 * VM again brings it back.
 *
 * "The GPU" is the model's test hook tyrc_model_gpu_read/_write(), which
 * translates through the AS's live configuration and TLB like the firmware
 * and the command-stream interpreter do.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tyrc_device.h"
#include "tyrc_mmu.h"
#include "tyrc_mmu_regs.h"
#include "tyrc_model.h"

#define RAM_BASE 0x100000000ULL
#define RAM_SIZE (64ULL << 20)
#define MAX_VMS 9

struct fixture {
	struct tyrc_ram *ram;
	struct tyrc_model *model;
	struct tyrc_device *dev;
	struct tyrc_iomem *io;
	struct tyrc_mmu_vm *vms[MAX_VMS];
	int active[MAX_VMS];
	FILE *log;
};

static int setup(void **state)
{
	struct fixture *f = test_calloc(1, sizeof(*f));
	struct tyrc_model_config mcfg;
	struct tyrc_device_config dcfg;
	struct tyrc_platform pdev;

	assert_int_equal(tyrc_ram_create(RAM_BASE, RAM_SIZE, &f->ram), 0);
	tyrc_model_config_init_g610(&mcfg);
	assert_int_equal(tyrc_model_create(&mcfg, f->ram, &f->model), 0);
	f->io = tyrc_model_iomem(f->model);
	pdev = (struct tyrc_platform){
		.iomem = f->io,
		.irq_job = tyrc_model_irq_line(f->model, TYRC_MODEL_IRQ_JOB),
		.irq_mmu = tyrc_model_irq_line(f->model, TYRC_MODEL_IRQ_MMU),
		.irq_gpu = tyrc_model_irq_line(f->model, TYRC_MODEL_IRQ_GPU),
		.ram = f->ram,
	};
	tyrc_device_config_init(&dcfg);
	/* This test drives AS 0 itself: no firmware VM may own it. */
	dcfg.no_firmware = true;
	assert_int_equal(tyrc_device_probe(&pdev, &dcfg, &f->dev), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	for (int i = 0; i < MAX_VMS; i++) {
		while (f->active[i]-- > 0)
			tyrc_mmu_vm_deactivate(f->vms[i]);
		tyrc_mmu_vm_destroy(f->vms[i]);
	}
	tyrc_device_remove(f->dev);
	tyrc_model_destroy(f->model);
	tyrc_ram_destroy(f->ram);
	if (f->log) {
		tyrc_log_set_sink(stderr, TYRC_LOG_ERR);
		fclose(f->log);
	}
	test_free(f);
	return 0;
}

static struct tyrc_mmu_vm *new_vm(struct fixture *f, int i, u64 va_size, bool mcu)
{
	assert_int_equal(tyrc_mmu_vm_create(f->dev, va_size, mcu, &f->vms[i]), 0);
	return f->vms[i];
}

static int activate(struct fixture *f, int i)
{
	int ret = tyrc_mmu_vm_activate(f->vms[i]);

	if (!ret)
		f->active[i]++;
	return ret;
}

static void deactivate(struct fixture *f, int i)
{
	tyrc_mmu_vm_deactivate(f->vms[i]);
	f->active[i]--;
}

/* A RAM page (or 2^order pages) filled with words tag, tag + 1, ... */
static u64 tagged_pages(struct fixture *f, unsigned int order, u32 tag)
{
	u64 pa;
	u32 *p;

	assert_int_equal(tyrc_ram_alloc_pages(f->ram, order, TYRC_GFP_KERNEL, &pa), 0);
	p = tyrc_ram_phys_to_virt(f->ram, pa);
	for (u64 i = 0; i < (SZ_4K << order) / 4; i++)
		p[i] = tag + (u32)i;
	return pa;
}

static int gpu_read32(struct fixture *f, int as, u64 va, u32 *val)
{
	*val = 0xdeadbeef;
	return tyrc_model_gpu_read(f->model, (unsigned int)as, va, val, sizeof(*val));
}

static u32 gpu_read32_ok(struct fixture *f, int as, u64 va)
{
	u32 val;

	assert_int_equal(gpu_read32(f, as, va, &val), 0);
	return val;
}

static u64 as_reg(struct fixture *f, int as, u32 reg)
{
	return tyrc_ioread64(f->io, MMU_AS(as) + reg);
}

/*
 * Wait (bounded) for the MMU IRQ handler to have dealt with a fault of @vm:
 * the VM is flagged and the threaded handler restored MMU_INT_MASK, without
 * the faulty ASes' bits, so it has returned.
 */
static void wait_fault_handled(struct fixture *f, struct tyrc_mmu_vm *vm, u32 faulty)
{
	u64 deadline = tyrc_ktime_get_ns() + 5 * NSEC_PER_SEC;
	u32 want = TYRC_MMU_INT_FAULT_MASK & ~faulty;

	while (!tyrc_mmu_vm_has_unhandled_fault(vm) || tyrc_ioread32(f->io, MMU_INT_MASK) != want) {
		assert_true(tyrc_ktime_get_ns() < deadline);
		tyrc_usleep(100);
	}
}

static void capture_log(struct fixture *f)
{
	f->log = tmpfile();
	assert_non_null(f->log);
	tyrc_log_set_sink(f->log, TYRC_LOG_ERR);
}

static char *captured_log(struct fixture *f)
{
	static char buf[8192];
	size_t n;

	fflush(f->log);
	rewind(f->log);
	n = fread(buf, 1, sizeof(buf) - 1, f->log);
	buf[n] = 0;
	return buf;
}

static void test_init_unmasks_fault_irqs(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(tyrc_ioread32(f->io, MMU_INT_MASK), TYRC_MMU_INT_FAULT_MASK);
	assert_int_equal(tyrc_ioread32(f->io, MMU_INT_RAWSTAT), 0);
}

static void test_mcu_vm_on_as0(void **state)
{
	struct fixture *f = *state;
	struct tyrc_mmu_vm *vm = new_vm(f, 0, TYRC_MMU_MCU_VA_SIZE, true);
	u64 pa = tagged_pages(f, 0, 0x1000);

	assert_int_equal(tyrc_mmu_vm_map(vm, 0, pa, SZ_4K, TYRC_PROT_DEFAULT), 0);
	/* The MCU VM is 4 GiB. */
	assert_int_equal(tyrc_mmu_vm_map(vm, TYRC_MMU_MCU_VA_SIZE, pa, SZ_4K, TYRC_PROT_DEFAULT),
			 -EINVAL);
	assert_int_equal(
		tyrc_mmu_vm_map(vm, TYRC_MMU_MCU_VA_SIZE - SZ_4K, pa, 2 * SZ_4K, TYRC_PROT_DEFAULT),
		-EINVAL);
	assert_int_equal(tyrc_mmu_vm_as(vm), -1);
	assert_int_equal(activate(f, 0), 0);
	assert_int_equal(tyrc_mmu_vm_as(vm), 0);
	/* §8.2 values, written by the enable sequence. */
	assert_int_equal(as_reg(f, 0, AS_TRANSCFG), 0x420001C6);
	assert_int_equal(as_reg(f, 0, AS_MEMATTR), 0x4C4C4C4C8C4C8F4CULL);
	assert_true(tyrc_ram_contains(f->ram, as_reg(f, 0, AS_TRANSTAB), SZ_4K));
	assert_int_equal(gpu_read32_ok(f, 0, 0x10), 0x1004);

	/* Destroying it disables AS 0. */
	deactivate(f, 0);
	tyrc_mmu_vm_destroy(vm);
	f->vms[0] = NULL;
	assert_int_equal(as_reg(f, 0, AS_TRANSCFG), AS_TRANSCFG_ADRMODE_UNMAPPED);
	assert_int_equal(as_reg(f, 0, AS_TRANSTAB), 0);
	assert_int_equal(as_reg(f, 0, AS_MEMATTR), 0);
}

static void test_gpu_reads_and_writes_ram(void **state)
{
	struct fixture *f = *state;
	struct tyrc_mmu_vm *vm = new_vm(f, 0, 1ULL << 48, false);
	u64 a = tagged_pages(f, 0, 0xa0000), b = tagged_pages(f, 0, 0xb0000);
	u64 blk = tagged_pages(f, TYRC_MAX_PAGE_ORDER, 0xc0000000);
	u32 word = 0x12345678;
	int as;

	/* Mapped before the VM has an AS: no flush needed, the enable flushes. */
	assert_int_equal(tyrc_mmu_vm_map(vm, 0x10000, a, SZ_4K, TYRC_PROT_DEFAULT), 0);
	assert_int_equal(activate(f, 0), 0);
	as = tyrc_mmu_vm_as(vm);
	assert_int_equal(as, 1);
	assert_int_equal(gpu_read32_ok(f, as, 0x10000), 0xa0000);
	assert_int_equal(gpu_read32_ok(f, as, 0x10ffc), 0xa0000 + 1023);
	/* Mapped while bound: the flushed update is visible at once. */
	assert_int_equal(tyrc_mmu_vm_map(vm, 0x11000, b, SZ_4K, TYRC_PROT_DEFAULT), 0);
	assert_int_equal(gpu_read32_ok(f, as, 0x11004), 0xb0001);
	/* A 2 MiB block, read at both ends; far up in the 48-bit space. */
	assert_int_equal(tyrc_mmu_vm_map(vm, 0xFFFFFFE00000ULL, blk, SZ_2M, TYRC_PROT_DEFAULT), 0);
	assert_int_equal(tyrc_mmu_vm_iova_to_phys(vm, 0xFFFFFFE00000ULL), blk);
	assert_int_equal(gpu_read32_ok(f, as, 0xFFFFFFE00000ULL), 0xc0000000);
	assert_int_equal(gpu_read32_ok(f, as, 0xFFFFFFFFFFFCULL), 0xc0000000 + (SZ_2M / 4 - 1));
	/* The GPU writes, the CPU sees it in RAM. */
	assert_int_equal(tyrc_model_gpu_write(f->model, (unsigned int)as, 0x11008, &word, 4), 0);
	assert_int_equal(((u32 *)tyrc_ram_phys_to_virt(f->ram, b))[2], 0x12345678);
	assert_false(tyrc_mmu_vm_has_unhandled_fault(vm));
	assert_int_equal(tyrc_ioread32(f->io, MMU_INT_RAWSTAT), 0);
}

/*
 * The point of the flush: rewrite a PTE behind the GPU's back and the TLB
 * still serves the old page; do it through the real path and the GPU sees
 * the new one.
 */
static void test_tlb_punishes_missing_flush(void **state)
{
	struct fixture *f = *state;
	struct tyrc_mmu_vm *vm = new_vm(f, 0, 1ULL << 48, false);
	u64 a = tagged_pages(f, 0, 0xaaaa0000), b = tagged_pages(f, 0, 0xbbbb0000);
	u64 c = tagged_pages(f, 0, 0xcccc0000);
	const u64 va = 0x4000000;
	int as;

	assert_int_equal(activate(f, 0), 0);
	as = tyrc_mmu_vm_as(vm);
	assert_int_equal(tyrc_mmu_vm_map(vm, va, a, SZ_4K, TYRC_PROT_DEFAULT), 0);
	assert_int_equal(gpu_read32_ok(f, as, va), 0xaaaa0000);

	/* Page tables say B, no flush: the GPU still reads A. */
	assert_int_equal(tyrc_mmu_vm_remap_noflush(vm, va, b, SZ_4K, TYRC_PROT_DEFAULT), 0);
	assert_int_equal(tyrc_mmu_vm_iova_to_phys(vm, va), b);
	assert_int_equal(gpu_read32_ok(f, as, va + 4), 0xaaaa0001);

	/* The same change through the real path (unmap + map, each flushed). */
	assert_int_equal(tyrc_mmu_vm_unmap(vm, va, SZ_4K), 0);
	assert_int_equal(tyrc_mmu_vm_map(vm, va, c, SZ_4K, TYRC_PROT_DEFAULT), 0);
	assert_int_equal(gpu_read32_ok(f, as, va + 4), 0xcccc0001);

	/*
	 * Stale again; the next flushed update of the VM, even of a hole next
	 * door, also flushes what the noflush update left pending.
	 */
	assert_int_equal(tyrc_mmu_vm_remap_noflush(vm, va, a, SZ_4K, TYRC_PROT_DEFAULT), 0);
	assert_int_equal(gpu_read32_ok(f, as, va), 0xcccc0000);
	assert_int_equal(tyrc_mmu_vm_unmap(vm, va + SZ_4K, SZ_4K), 0);
	assert_int_equal(gpu_read32_ok(f, as, va), 0xaaaa0000);
	assert_false(tyrc_mmu_vm_has_unhandled_fault(vm));
}

static void test_block_split_seen_by_gpu(void **state)
{
	struct fixture *f = *state;
	struct tyrc_mmu_vm *vm = new_vm(f, 0, 1ULL << 48, false);
	u64 blk = tagged_pages(f, TYRC_MAX_PAGE_ORDER, 0x50000000);
	const u64 va = 0x40000000;
	u32 val;
	int as;

	capture_log(f);
	assert_int_equal(activate(f, 0), 0);
	as = tyrc_mmu_vm_as(vm);
	assert_int_equal(tyrc_mmu_vm_map(vm, va, blk, SZ_2M, TYRC_PROT_DEFAULT), 0);
	/* Fill the TLB with the block. */
	assert_int_equal(gpu_read32_ok(f, as, va + 0x1000), 0x50000400);
	/* Punch a hole: the block becomes 511 pages. */
	assert_int_equal(tyrc_mmu_vm_unmap(vm, va + 0x1000, SZ_4K), 0);
	for (u64 off = 0; off < SZ_2M; off += SZ_4K) {
		if (off == 0x1000)
			continue;
		assert_int_equal(gpu_read32_ok(f, as, va + off + 8), 0x50000000 + off / 4 + 2);
	}
	/* The hole faults: the stale block translation is gone. */
	assert_int_equal(gpu_read32(f, as, va + 0x1000, &val), -EFAULT);
	wait_fault_handled(f, vm, MMU_INT_AS_FAULT(as));
	assert_non_null(strstr(captured_log(f), "TRANSLATION_FAULT_3"));
}

static void test_fault_disables_as(void **state)
{
	struct fixture *f = *state;
	struct tyrc_mmu_vm *vm = new_vm(f, 0, 1ULL << 48, false);
	struct tyrc_mmu_vm *other = new_vm(f, 1, 1ULL << 48, false);
	u64 a = tagged_pages(f, 0, 0x700000), ro = tagged_pages(f, 0, 0x800000);
	const char *log;
	u32 val = 1;
	int as, other_as;

	capture_log(f);
	assert_int_equal(activate(f, 0), 0);
	assert_int_equal(activate(f, 1), 0);
	as = tyrc_mmu_vm_as(vm);
	other_as = tyrc_mmu_vm_as(other);
	assert_int_equal(tyrc_mmu_vm_map(vm, 0x200000, a, SZ_4K, TYRC_PROT_DEFAULT), 0);
	assert_int_equal(tyrc_mmu_vm_map(other, 0x200000, ro, SZ_4K, TYRC_PROT_READ), 0);
	assert_int_equal(gpu_read32_ok(f, as, 0x200000), 0x700000);

	/* Unmapped VA: no level-1 descriptor for the second GiB. */
	assert_int_equal(gpu_read32(f, as, 0x40000000, &val), -EFAULT);
	wait_fault_handled(f, vm, MMU_INT_AS_FAULT(as));
	log = captured_log(f);
	assert_non_null(strstr(log, "page fault in AS1 at VA 0x0000000040000000"));
	assert_non_null(strstr(log, "TRANSLATION_FAULT_1"));
	assert_non_null(strstr(log, "translation fault, level 1"));
	assert_non_null(strstr(log, "access READ"));
	/* The AS is disabled: what was mapped no longer translates either. */
	assert_int_equal(as_reg(f, as, AS_TRANSCFG), AS_TRANSCFG_ADRMODE_UNMAPPED);
	assert_int_equal(as_reg(f, as, AS_TRANSTAB), 0);
	assert_int_equal(gpu_read32(f, as, 0x200000, &val), -EFAULT);
	/* Its interrupt stays masked (so that second fault raised nothing we handle). */
	assert_int_equal(tyrc_ioread32(f->io, MMU_INT_MASK),
			 TYRC_MMU_INT_FAULT_MASK & ~MMU_INT_AS_FAULT(as));
	/* The other VM is unaffected. */
	assert_false(tyrc_mmu_vm_has_unhandled_fault(other));
	assert_int_equal(gpu_read32_ok(f, other_as, 0x200000), 0x800000);
	/* ...until it writes through a read-only mapping: a permission fault. */
	assert_int_equal(tyrc_model_gpu_write(f->model, (unsigned int)other_as, 0x200000, &val, 4),
			 -EFAULT);
	wait_fault_handled(f, other, MMU_INT_AS_FAULT(as) | MMU_INT_AS_FAULT(other_as));
	log = captured_log(f);
	assert_non_null(strstr(log, "PERM_FAULT_3"));
	assert_non_null(strstr(log, "access WRITE"));

	/* Activating the faulty VM again (still bound) enables its AS. */
	assert_int_equal(activate(f, 0), 0);
	assert_int_equal(tyrc_mmu_vm_as(vm), as);
	assert_int_equal(as_reg(f, as, AS_TRANSCFG), 0x420001C6);
	assert_int_equal(tyrc_ioread32(f->io, MMU_INT_MASK) & MMU_INT_AS_FAULT(as),
			 MMU_INT_AS_FAULT(as));
	assert_int_equal(gpu_read32_ok(f, as, 0x200004), 0x700001);
	/* The flag stays: the scheduler decides what happens to the VM's groups. */
	assert_true(tyrc_mmu_vm_has_unhandled_fault(vm));
}

static void test_as_slots_lru(void **state)
{
	struct fixture *f = *state;
	u64 pages[MAX_VMS];
	int as_of[MAX_VMS];

	/* The MCU VM on AS 0 plus seven user VMs fill every AS. */
	new_vm(f, 0, TYRC_MMU_MCU_VA_SIZE, true);
	assert_int_equal(activate(f, 0), 0);
	for (int i = 1; i < MAX_VMS; i++) {
		new_vm(f, i, 1ULL << 48, false);
		pages[i] = tagged_pages(f, 0, (u32)i << 16);
		assert_int_equal(
			tyrc_mmu_vm_map(f->vms[i], 0x100000, pages[i], SZ_4K, TYRC_PROT_DEFAULT),
			0);
	}
	for (int i = 1; i < MAX_VMS - 1; i++) {
		assert_int_equal(activate(f, i), 0);
		as_of[i] = tyrc_mmu_vm_as(f->vms[i]);
		assert_int_equal(as_of[i], i);
		assert_int_equal(gpu_read32_ok(f, as_of[i], 0x100000), (u32)i << 16);
	}
	/* All eight in use: the ninth VM waits. */
	assert_int_equal(activate(f, 8), -EBUSY);
	assert_int_equal(tyrc_mmu_vm_as(f->vms[8]), -1);

	/* VMs 5 then 2 go idle: 5 is the least recently used, its AS goes to VM 8. */
	deactivate(f, 5);
	deactivate(f, 2);
	assert_int_equal(activate(f, 8), 0);
	assert_int_equal(tyrc_mmu_vm_as(f->vms[8]), as_of[5]);
	assert_int_equal(tyrc_mmu_vm_as(f->vms[5]), -1);
	assert_int_equal(gpu_read32_ok(f, as_of[5], 0x100000), 8 << 16);
	/* VM 2 kept its AS while idle: reactivating it is free. */
	assert_int_equal(tyrc_mmu_vm_as(f->vms[2]), as_of[2]);
	assert_int_equal(activate(f, 2), 0);
	assert_int_equal(tyrc_mmu_vm_as(f->vms[2]), as_of[2]);
	/* VM 5 comes back only when an AS frees up, then reads its own page again. */
	assert_int_equal(activate(f, 5), -EBUSY);
	deactivate(f, 7);
	assert_int_equal(activate(f, 5), 0);
	assert_int_equal(tyrc_mmu_vm_as(f->vms[5]), as_of[7]);
	assert_int_equal(gpu_read32_ok(f, as_of[7], 0x100000), 5 << 16);
	/* Unmapping in an evicted VM needs no AS and does not disturb the others. */
	assert_int_equal(tyrc_mmu_vm_unmap(f->vms[7], 0x100000, SZ_4K), 0);
	for (int i = 1; i < MAX_VMS; i++) {
		int as = tyrc_mmu_vm_as(f->vms[i]);

		if (as >= 0)
			assert_int_equal(gpu_read32_ok(f, as, 0x100000), (u32)i << 16);
	}
}

static void test_vm_args(void **state)
{
	struct fixture *f = *state;
	struct tyrc_mmu_vm *vm;

	assert_int_equal(tyrc_mmu_vm_create(f->dev, 0, false, &vm), -EINVAL);
	assert_int_equal(tyrc_mmu_vm_create(f->dev, 0x1800, false, &vm), -EINVAL);
	assert_int_equal(tyrc_mmu_vm_create(f->dev, (1ULL << 48) + SZ_4K, false, &vm), -EINVAL);
	vm = new_vm(f, 0, 1ULL << 48, false);
	assert_int_equal(tyrc_mmu_vm_map(vm, ~0ULL - 0xFFF, 0x1000, 0x2000, TYRC_PROT_DEFAULT),
			 -EINVAL);
	assert_int_equal(tyrc_mmu_vm_unmap(vm, 1ULL << 48, SZ_4K), -EINVAL);
	assert_int_equal(tyrc_mmu_vm_map(vm, 0x1000, RAM_BASE, SZ_4K, TYRC_PROT_DEFAULT), 0);
	assert_int_equal(tyrc_mmu_vm_map(vm, 0x1000, RAM_BASE, SZ_4K, TYRC_PROT_DEFAULT), -EEXIST);
	assert_int_equal(tyrc_mmu_vm_map(vm, 0x2000, RAM_BASE, SZ_4K, 0), -EINVAL);
	tyrc_mmu_vm_destroy(NULL);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_init_unmasks_fault_irqs),
		T(test_mcu_vm_on_as0),
		T(test_gpu_reads_and_writes_ram),
		T(test_tlb_punishes_missing_flush),
		T(test_block_split_seen_by_gpu),
		T(test_fault_disables_as),
		T(test_as_slots_lru),
		T(test_vm_args),
	};
#undef T

	return cmocka_run_group_tests_name("tyrc_mmu", tests, NULL, NULL);
}
