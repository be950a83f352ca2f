// SPDX-License-Identifier: MIT
/*
 * The mmu layer against the GPU model's MMU, through the driver's own API
 * (driver + model linked in, no host, no shim): AS programming, the GPU
 * reading and writing RAM through a VM's page tables, the TLB keeping a
 * stale translation when the page tables change without the flush sequence
 * (and not with it), block splits seen by the GPU, LRU eviction of AS slots,
 * and MMU faults: the IRQ handler decodes the fault, flags the VM, masks the
 * AS interrupt and disables the AS; activating the VM again brings it back.
 *
 * "The GPU" is the model's test hook tyrc_model_gpu_read/_write(), which
 * translates through the AS's live configuration and TLB like the firmware
 * and the command-stream interpreter do.
 *
 * Every subtest builds its own RAM + model + device, probed without
 * firmware because the subtests drive AS 0 themselves, and tears it down.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "igt.h"
#include "tyrc_device.h"
#include "tyrc_mmu.h"
#include "tyrc_mmu_regs.h"
#include "tyrc_model.h"
#include "tyrc_testdev.h"

IGT_TEST_DESCRIPTION("AS slots, GPU translation, TLB flushes and MMU faults of the mmu layer.");

#define RAM_BASE 0x100000000ULL
#define RAM_SIZE (64ULL << 20)
#define MAX_VMS 9
#define WAIT_NS (5 * NSEC_PER_SEC)

struct fixture {
	struct tyrc_testdev td;
	struct tyrc_iomem *io;
	struct tyrc_mmu_vm *vms[MAX_VMS];
	int active[MAX_VMS];
};

/*
 * Release whatever @f holds. Safe on a partly built or already released
 * fixture, so it also cleans up after a subtest that failed half-way.
 */
static void teardown(struct fixture *f)
{
	for (int i = 0; i < MAX_VMS; i++) {
		while (f->active[i]-- > 0)
			tyrc_mmu_vm_deactivate(f->vms[i]);
		tyrc_mmu_vm_destroy(f->vms[i]);
	}
	tyrc_testdev_fini(&f->td);
	memset(f, 0, sizeof(*f));
}

static void setup(struct fixture *f)
{
	/* The subtests drive AS 0 themselves: no firmware VM may own it. */
	struct tyrc_testdev_opts opts = {
		.ram_base = RAM_BASE,
		.ram_size = RAM_SIZE,
		.no_firmware = true,
		.log_restore = stderr,
	};

	teardown(f);
	tyrc_testdev_init(&f->td, &opts);
	f->io = tyrc_model_iomem(f->td.model);
}

static struct tyrc_mmu_vm *new_vm(struct fixture *f, int i, u64 va_size, bool mcu)
{
	igt_assert_eq(tyrc_mmu_vm_create(f->td.dev, va_size, mcu, &f->vms[i]), 0);
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

	igt_assert_eq(tyrc_ram_alloc_pages(f->td.ram, order, TYRC_GFP_KERNEL, &pa), 0);
	p = tyrc_ram_phys_to_virt(f->td.ram, pa);
	for (u64 i = 0; i < (SZ_4K << order) / 4; i++)
		p[i] = tag + (u32)i;
	return pa;
}

static int gpu_read32(struct fixture *f, int as, u64 va, u32 *val)
{
	*val = 0xdeadbeef;
	return tyrc_model_gpu_read(f->td.model, (unsigned int)as, va, val, sizeof(*val));
}

static u32 gpu_read32_ok(struct fixture *f, int as, u64 va)
{
	u32 val;

	igt_assert_eq(gpu_read32(f, as, va, &val), 0);
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
	u64 deadline = tyrc_ktime_get_ns() + WAIT_NS;
	u32 want = TYRC_MMU_INT_FAULT_MASK & ~faulty;

	while (!tyrc_mmu_vm_has_unhandled_fault(vm) || tyrc_ioread32(f->io, MMU_INT_MASK) != want) {
		igt_assert_f(tyrc_ktime_get_ns() < deadline,
			     "fault not handled: flagged %d, MMU_INT_MASK 0x%x, want 0x%x\n",
			     tyrc_mmu_vm_has_unhandled_fault(vm),
			     tyrc_ioread32(f->io, MMU_INT_MASK), want);
		tyrc_usleep(100);
	}
}

static void capture_log(struct fixture *f)
{
	tyrc_testdev_log_begin(&f->td, TYRC_LOG_ERR);
}

static void assert_logged(struct fixture *f, const char *what)
{
	const char *log = tyrc_testdev_log_text(&f->td);

	igt_assert_f(strstr(log, what), "log lacks \"%s\":\n%s", what, log);
}

static void init_unmasks_fault_irqs(struct fixture *f)
{
	igt_assert_eq_u32(tyrc_ioread32(f->io, MMU_INT_MASK), TYRC_MMU_INT_FAULT_MASK);
	igt_assert_eq_u32(tyrc_ioread32(f->io, MMU_INT_RAWSTAT), 0);
}

static void mcu_vm_on_as0(struct fixture *f)
{
	struct tyrc_mmu_vm *vm = new_vm(f, 0, TYRC_MMU_MCU_VA_SIZE, true);
	u64 pa = tagged_pages(f, 0, 0x1000);

	igt_assert_eq(tyrc_mmu_vm_map(vm, 0, pa, SZ_4K, TYRC_PROT_DEFAULT), 0);
	/* The MCU VM is 4 GiB. */
	igt_assert_eq(tyrc_mmu_vm_map(vm, TYRC_MMU_MCU_VA_SIZE, pa, SZ_4K, TYRC_PROT_DEFAULT),
		      -EINVAL);
	igt_assert_eq(
		tyrc_mmu_vm_map(vm, TYRC_MMU_MCU_VA_SIZE - SZ_4K, pa, 2 * SZ_4K, TYRC_PROT_DEFAULT),
		-EINVAL);
	igt_assert_eq(tyrc_mmu_vm_as(vm), -1);
	igt_assert_eq(activate(f, 0), 0);
	igt_assert_eq(tyrc_mmu_vm_as(vm), 0);
	/* §8.2 values, written by the enable sequence. */
	igt_assert_eq_u64(as_reg(f, 0, AS_TRANSCFG), 0x420001C6);
	igt_assert_eq_u64(as_reg(f, 0, AS_MEMATTR), 0x4C4C4C4C8C4C8F4CULL);
	igt_assert(tyrc_ram_contains(f->td.ram, as_reg(f, 0, AS_TRANSTAB), SZ_4K));
	igt_assert_eq_u32(gpu_read32_ok(f, 0, 0x10), 0x1004);

	/* Destroying it disables AS 0. */
	deactivate(f, 0);
	tyrc_mmu_vm_destroy(vm);
	f->vms[0] = NULL;
	igt_assert_eq_u64(as_reg(f, 0, AS_TRANSCFG), AS_TRANSCFG_ADRMODE_UNMAPPED);
	igt_assert_eq_u64(as_reg(f, 0, AS_TRANSTAB), 0);
	igt_assert_eq_u64(as_reg(f, 0, AS_MEMATTR), 0);
}

static void gpu_reads_and_writes_ram(struct fixture *f)
{
	struct tyrc_mmu_vm *vm = new_vm(f, 0, 1ULL << 48, false);
	u64 a = tagged_pages(f, 0, 0xa0000), b = tagged_pages(f, 0, 0xb0000);
	u64 blk = tagged_pages(f, TYRC_MAX_PAGE_ORDER, 0xc0000000);
	u32 word = 0x12345678;
	int as;

	/* Mapped before the VM has an AS: no flush needed, the enable flushes. */
	igt_assert_eq(tyrc_mmu_vm_map(vm, 0x10000, a, SZ_4K, TYRC_PROT_DEFAULT), 0);
	igt_assert_eq(activate(f, 0), 0);
	as = tyrc_mmu_vm_as(vm);
	igt_assert_eq(as, 1);
	igt_assert_eq_u32(gpu_read32_ok(f, as, 0x10000), 0xa0000);
	igt_assert_eq_u32(gpu_read32_ok(f, as, 0x10ffc), 0xa0000 + 1023);
	/* Mapped while bound: the flushed update is visible at once. */
	igt_assert_eq(tyrc_mmu_vm_map(vm, 0x11000, b, SZ_4K, TYRC_PROT_DEFAULT), 0);
	igt_assert_eq_u32(gpu_read32_ok(f, as, 0x11004), 0xb0001);
	/* A 2 MiB block, read at both ends; far up in the 48-bit space. */
	igt_assert_eq(tyrc_mmu_vm_map(vm, 0xFFFFFFE00000ULL, blk, SZ_2M, TYRC_PROT_DEFAULT), 0);
	igt_assert_eq_u64(tyrc_mmu_vm_iova_to_phys(vm, 0xFFFFFFE00000ULL), blk);
	igt_assert_eq_u32(gpu_read32_ok(f, as, 0xFFFFFFE00000ULL), 0xc0000000);
	igt_assert_eq_u32(gpu_read32_ok(f, as, 0xFFFFFFFFFFFCULL), 0xc0000000 + (SZ_2M / 4 - 1));
	/* The GPU writes, the CPU sees it in RAM. */
	igt_assert_eq(tyrc_model_gpu_write(f->td.model, (unsigned int)as, 0x11008, &word, 4), 0);
	igt_assert_eq_u32(((u32 *)tyrc_ram_phys_to_virt(f->td.ram, b))[2], 0x12345678);
	igt_assert(!tyrc_mmu_vm_has_unhandled_fault(vm));
	igt_assert_eq_u32(tyrc_ioread32(f->io, MMU_INT_RAWSTAT), 0);
}

/*
 * The point of the flush: rewrite a PTE behind the GPU's back and the TLB
 * still serves the old page; do it through the real path and the GPU sees
 * the new one.
 */
static void tlb_punishes_missing_flush(struct fixture *f)
{
	struct tyrc_mmu_vm *vm = new_vm(f, 0, 1ULL << 48, false);
	u64 a = tagged_pages(f, 0, 0xaaaa0000), b = tagged_pages(f, 0, 0xbbbb0000);
	u64 c = tagged_pages(f, 0, 0xcccc0000);
	const u64 va = 0x4000000;
	int as;

	igt_assert_eq(activate(f, 0), 0);
	as = tyrc_mmu_vm_as(vm);
	igt_assert_eq(tyrc_mmu_vm_map(vm, va, a, SZ_4K, TYRC_PROT_DEFAULT), 0);
	igt_assert_eq_u32(gpu_read32_ok(f, as, va), 0xaaaa0000);

	/* Page tables say B, no flush: the GPU still reads A. */
	igt_assert_eq(tyrc_mmu_vm_remap_noflush(vm, va, b, SZ_4K, TYRC_PROT_DEFAULT), 0);
	igt_assert_eq_u64(tyrc_mmu_vm_iova_to_phys(vm, va), b);
	igt_assert_eq_u32(gpu_read32_ok(f, as, va + 4), 0xaaaa0001);

	/* The same change through the real path (unmap + map, each flushed). */
	igt_assert_eq(tyrc_mmu_vm_unmap(vm, va, SZ_4K), 0);
	igt_assert_eq(tyrc_mmu_vm_map(vm, va, c, SZ_4K, TYRC_PROT_DEFAULT), 0);
	igt_assert_eq_u32(gpu_read32_ok(f, as, va + 4), 0xcccc0001);

	/*
	 * Stale again; the next flushed update of the VM, even of a hole next
	 * door, also flushes what the noflush update left pending.
	 */
	igt_assert_eq(tyrc_mmu_vm_remap_noflush(vm, va, a, SZ_4K, TYRC_PROT_DEFAULT), 0);
	igt_assert_eq_u32(gpu_read32_ok(f, as, va), 0xcccc0000);
	igt_assert_eq(tyrc_mmu_vm_unmap(vm, va + SZ_4K, SZ_4K), 0);
	igt_assert_eq_u32(gpu_read32_ok(f, as, va), 0xaaaa0000);
	igt_assert(!tyrc_mmu_vm_has_unhandled_fault(vm));
}

static void block_split_seen_by_gpu(struct fixture *f)
{
	struct tyrc_mmu_vm *vm = new_vm(f, 0, 1ULL << 48, false);
	u64 blk = tagged_pages(f, TYRC_MAX_PAGE_ORDER, 0x50000000);
	const u64 va = 0x40000000;
	u32 val;
	int as;

	capture_log(f);
	igt_assert_eq(activate(f, 0), 0);
	as = tyrc_mmu_vm_as(vm);
	igt_assert_eq(tyrc_mmu_vm_map(vm, va, blk, SZ_2M, TYRC_PROT_DEFAULT), 0);
	/* Fill the TLB with the block. */
	igt_assert_eq_u32(gpu_read32_ok(f, as, va + 0x1000), 0x50000400);
	/* Punch a hole: the block becomes 511 pages. */
	igt_assert_eq(tyrc_mmu_vm_unmap(vm, va + 0x1000, SZ_4K), 0);
	for (u64 off = 0; off < SZ_2M; off += SZ_4K) {
		if (off == 0x1000)
			continue;
		igt_assert_eq_u32(gpu_read32_ok(f, as, va + off + 8), 0x50000000 + off / 4 + 2);
	}
	/* The hole faults: the stale block translation is gone. */
	igt_assert_eq(gpu_read32(f, as, va + 0x1000, &val), -EFAULT);
	wait_fault_handled(f, vm, MMU_INT_AS_FAULT(as));
	assert_logged(f, "TRANSLATION_FAULT_3");
}

static void fault_disables_as(struct fixture *f)
{
	struct tyrc_mmu_vm *vm = new_vm(f, 0, 1ULL << 48, false);
	struct tyrc_mmu_vm *other = new_vm(f, 1, 1ULL << 48, false);
	u64 a = tagged_pages(f, 0, 0x700000), ro = tagged_pages(f, 0, 0x800000);
	u32 val = 1;
	int as, other_as;

	capture_log(f);
	igt_assert_eq(activate(f, 0), 0);
	igt_assert_eq(activate(f, 1), 0);
	as = tyrc_mmu_vm_as(vm);
	other_as = tyrc_mmu_vm_as(other);
	igt_assert_eq(tyrc_mmu_vm_map(vm, 0x200000, a, SZ_4K, TYRC_PROT_DEFAULT), 0);
	igt_assert_eq(tyrc_mmu_vm_map(other, 0x200000, ro, SZ_4K, TYRC_PROT_READ), 0);
	igt_assert_eq_u32(gpu_read32_ok(f, as, 0x200000), 0x700000);

	/* Unmapped VA: no level-1 descriptor for the second GiB. */
	igt_assert_eq(gpu_read32(f, as, 0x40000000, &val), -EFAULT);
	wait_fault_handled(f, vm, MMU_INT_AS_FAULT(as));
	assert_logged(f, "page fault in AS1 at VA 0x0000000040000000");
	assert_logged(f, "TRANSLATION_FAULT_1");
	assert_logged(f, "translation fault, level 1");
	assert_logged(f, "access READ");
	/* The AS is disabled: what was mapped no longer translates either. */
	igt_assert_eq_u64(as_reg(f, as, AS_TRANSCFG), AS_TRANSCFG_ADRMODE_UNMAPPED);
	igt_assert_eq_u64(as_reg(f, as, AS_TRANSTAB), 0);
	igt_assert_eq(gpu_read32(f, as, 0x200000, &val), -EFAULT);
	/* Its interrupt stays masked (so that second fault raised nothing we handle). */
	igt_assert_eq_u32(tyrc_ioread32(f->io, MMU_INT_MASK),
			  TYRC_MMU_INT_FAULT_MASK & ~MMU_INT_AS_FAULT(as));
	/* The other VM is unaffected. */
	igt_assert(!tyrc_mmu_vm_has_unhandled_fault(other));
	igt_assert_eq_u32(gpu_read32_ok(f, other_as, 0x200000), 0x800000);
	/* ...until it writes through a read-only mapping: a permission fault. */
	igt_assert_eq(tyrc_model_gpu_write(f->td.model, (unsigned int)other_as, 0x200000, &val, 4),
		      -EFAULT);
	wait_fault_handled(f, other, MMU_INT_AS_FAULT(as) | MMU_INT_AS_FAULT(other_as));
	assert_logged(f, "PERM_FAULT_3");
	assert_logged(f, "access WRITE");

	/* Activating the faulty VM again (still bound) enables its AS. */
	igt_assert_eq(activate(f, 0), 0);
	igt_assert_eq(tyrc_mmu_vm_as(vm), as);
	igt_assert_eq_u64(as_reg(f, as, AS_TRANSCFG), 0x420001C6);
	igt_assert_eq_u32(tyrc_ioread32(f->io, MMU_INT_MASK) & MMU_INT_AS_FAULT(as),
			  MMU_INT_AS_FAULT(as));
	igt_assert_eq_u32(gpu_read32_ok(f, as, 0x200004), 0x700001);
	/* The flag stays: the scheduler decides what happens to the VM's groups. */
	igt_assert(tyrc_mmu_vm_has_unhandled_fault(vm));
}

static void as_slots_lru(struct fixture *f)
{
	u64 pages[MAX_VMS];
	int as_of[MAX_VMS];

	/* The MCU VM on AS 0 plus seven user VMs fill every AS. */
	new_vm(f, 0, TYRC_MMU_MCU_VA_SIZE, true);
	igt_assert_eq(activate(f, 0), 0);
	for (int i = 1; i < MAX_VMS; i++) {
		new_vm(f, i, 1ULL << 48, false);
		pages[i] = tagged_pages(f, 0, (u32)i << 16);
		igt_assert_eq(
			tyrc_mmu_vm_map(f->vms[i], 0x100000, pages[i], SZ_4K, TYRC_PROT_DEFAULT),
			0);
	}
	for (int i = 1; i < MAX_VMS - 1; i++) {
		igt_assert_eq(activate(f, i), 0);
		as_of[i] = tyrc_mmu_vm_as(f->vms[i]);
		igt_assert_eq(as_of[i], i);
		igt_assert_eq_u32(gpu_read32_ok(f, as_of[i], 0x100000), (u32)i << 16);
	}
	/* All eight in use: the ninth VM waits. */
	igt_assert_eq(activate(f, 8), -EBUSY);
	igt_assert_eq(tyrc_mmu_vm_as(f->vms[8]), -1);

	/* VMs 5 then 2 go idle: 5 is the least recently used, its AS goes to VM 8. */
	deactivate(f, 5);
	deactivate(f, 2);
	igt_assert_eq(activate(f, 8), 0);
	igt_assert_eq(tyrc_mmu_vm_as(f->vms[8]), as_of[5]);
	igt_assert_eq(tyrc_mmu_vm_as(f->vms[5]), -1);
	igt_assert_eq_u32(gpu_read32_ok(f, as_of[5], 0x100000), 8 << 16);
	/* VM 2 kept its AS while idle: reactivating it is free. */
	igt_assert_eq(tyrc_mmu_vm_as(f->vms[2]), as_of[2]);
	igt_assert_eq(activate(f, 2), 0);
	igt_assert_eq(tyrc_mmu_vm_as(f->vms[2]), as_of[2]);
	/* VM 5 comes back only when an AS frees up, then reads its own page again. */
	igt_assert_eq(activate(f, 5), -EBUSY);
	deactivate(f, 7);
	igt_assert_eq(activate(f, 5), 0);
	igt_assert_eq(tyrc_mmu_vm_as(f->vms[5]), as_of[7]);
	igt_assert_eq_u32(gpu_read32_ok(f, as_of[7], 0x100000), 5 << 16);
	/* Unmapping in an evicted VM needs no AS and does not disturb the others. */
	igt_assert_eq(tyrc_mmu_vm_unmap(f->vms[7], 0x100000, SZ_4K), 0);
	for (int i = 1; i < MAX_VMS; i++) {
		int as = tyrc_mmu_vm_as(f->vms[i]);

		if (as >= 0)
			igt_assert_eq_u32(gpu_read32_ok(f, as, 0x100000), (u32)i << 16);
	}
}

static void vm_args(struct fixture *f)
{
	struct tyrc_mmu_vm *vm;

	igt_assert_eq(tyrc_mmu_vm_create(f->td.dev, 0, false, &vm), -EINVAL);
	igt_assert_eq(tyrc_mmu_vm_create(f->td.dev, 0x1800, false, &vm), -EINVAL);
	igt_assert_eq(tyrc_mmu_vm_create(f->td.dev, (1ULL << 48) + SZ_4K, false, &vm), -EINVAL);
	vm = new_vm(f, 0, 1ULL << 48, false);
	igt_assert_eq(tyrc_mmu_vm_map(vm, ~0ULL - 0xFFF, 0x1000, 0x2000, TYRC_PROT_DEFAULT),
		      -EINVAL);
	igt_assert_eq(tyrc_mmu_vm_unmap(vm, 1ULL << 48, SZ_4K), -EINVAL);
	igt_assert_eq(tyrc_mmu_vm_map(vm, 0x1000, RAM_BASE, SZ_4K, TYRC_PROT_DEFAULT), 0);
	igt_assert_eq(tyrc_mmu_vm_map(vm, 0x1000, RAM_BASE, SZ_4K, TYRC_PROT_DEFAULT), -EEXIST);
	igt_assert_eq(tyrc_mmu_vm_map(vm, 0x2000, RAM_BASE, SZ_4K, 0), -EINVAL);
	tyrc_mmu_vm_destroy(NULL);
}

static struct fixture fix;

/* One subtest: a fresh RAM + model + device around @fn. */
static void run(void (*fn)(struct fixture *f))
{
	setup(&fix);
	fn(&fix);
	teardown(&fix);
}

igt_main
{
	igt_describe("Probe unmasks the page-fault interrupt of all 16 ASes and none is pending.");
	igt_subtest("init-unmasks-fault-irqs")
		run(init_unmasks_fault_irqs);

	igt_describe("The 4 GiB MCU VM binds to AS 0 with the spec's TRANSCFG/MEMATTR, the GPU"
		     " reads through it, and destroying it disables AS 0.");
	igt_subtest("mcu-vm-on-as0")
		run(mcu_vm_on_as0);

	igt_describe("The GPU reads and writes RAM through 4 KiB pages and a 2 MiB block, mapped"
		     " before and while the VM is bound to an AS.");
	igt_subtest("gpu-reads-and-writes-ram")
		run(gpu_reads_and_writes_ram);

	igt_describe("A PTE rewritten without the flush leaves the TLB stale; the flushed"
		     " map/unmap path makes the GPU see the new page.");
	igt_subtest("tlb-punishes-missing-flush")
		run(tlb_punishes_missing_flush);

	igt_describe("Unmapping one page of a 2 MiB block splits it: the other 511 pages still"
		     " translate, the hole faults (TRANSLATION_FAULT_3).");
	igt_subtest("block-split-seen-by-gpu")
		run(block_split_seen_by_gpu);

	igt_describe("Translation and permission faults are decoded and logged, the VM flagged,"
		     " the AS disabled and its interrupt masked; activating the VM again"
		     " re-enables the AS.");
	igt_subtest("fault-disables-as")
		run(fault_disables_as);

	igt_describe("With every AS in use activation fails with EBUSY; an idle VM keeps its AS"
		     " until it is the least recently used one and gets evicted.");
	igt_subtest("as-slots-lru")
		run(as_slots_lru);

	igt_describe("VM creation and map/unmap reject bad sizes, ranges, overlaps and"
		     " protections.");
	igt_subtest("vm-args")
		run(vm_args);

	/* Releases what a subtest that failed half-way left behind. */
	igt_fixture {
		teardown(&fix);
	}
}
