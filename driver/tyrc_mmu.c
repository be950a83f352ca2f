// SPDX-License-Identifier: MIT
/* The MMU: AS slots, page-table update flushes, faults (see the DOC block in tyrc_mmu.h). */
#include <stdlib.h>

#include "tyrc_device.h"
#include "tyrc_gpu_regs.h"
#include "tyrc_irq.h"
#include "tyrc_mmu.h"
#include "tyrc_mmu_regs.h"
#include "tyrc_pwr.h"
#include "tyrc_slot.h"

/* AS command completion: poll AS_ACTIVE every 10 us for up to 100 ms (panthor). */
#define TYRC_MMU_AS_POLL_US 10
#define TYRC_MMU_AS_TIMEOUT_US 100000

/** struct tyrc_mmu - MMU state of one device. */
struct tyrc_mmu {
	struct tyrc_device *dev;
	/** @irq: the MMU_INT block; its mask loses the bit of a faulty AS. */
	struct tyrc_irq irq;
	/**
	 * @slots_lock: protects @slots (the AS bindings and every VM's seat),
	 * @faulty_mask, and serialises every AS register sequence.
	 */
	struct tyrc_mutex slots_lock;
	/** @slots: AS 0..@as_count-1, AS 0 reserved for the MCU VM (slots_lock). */
	struct tyrc_slot_manager slots;
	/** @faulty_mask: ASes disabled by a fault, their interrupt masked (slots_lock). */
	u32 faulty_mask;
	/**
	 * @powered_off: the GPU is runtime-suspended: AS register sequences
	 * are skipped, page tables still change, and tyrc_mmu_post_reset()
	 * programs every bound AS afresh (which also drops stale TLB entries),
	 * as panthor skips flushes of a suspended device (slots_lock).
	 */
	bool powered_off;
	/** @as_count: address spaces present (contiguous from AS 0). */
	u32 as_count;
	/** @pa_bits: output address bits of the page tables (MMU_FEATURES). */
	u32 pa_bits;
	/** @transcfg: AS_TRANSCFG of an enabled AS. */
	u64 transcfg;
	/** @memattr: AS_MEMATTR of an enabled AS. */
	u64 memattr;
};

/** struct tyrc_mmu_vm - one GPU address space (page table + AS binding). */
struct tyrc_mmu_vm {
	struct tyrc_device *dev;
	struct tyrc_mmu *mmu;
	/**
	 * @op_lock: serialises page-table updates (@pgt, @gather) and the
	 * activation of this VM, so a VM never gets bound mid-update.
	 */
	struct tyrc_mutex op_lock;
	/** @pgt: the page table (op_lock for updates). */
	struct tyrc_pgtable *pgt;
	/**
	 * @gather: flush range and unlinked tables not yet flushed (op_lock);
	 * empty except after a failed flush or a test-only noflush update.
	 */
	struct tyrc_pgtable_gather gather;
	/** @seat: binding to an AS slot (slots_lock). */
	struct tyrc_slot_seat seat;
	/** @va_size: usable VA range [0, @va_size). */
	u64 va_size;
	/** @for_mcu: the firmware VM, bound to AS 0. */
	bool for_mcu;
	/** @unhandled_fault: set by the fault handler (slots_lock), read lock-free. */
	bool unhandled_fault;
};

u64 tyrc_mmu_memattr_from_mair(u64 mair, bool coherent)
{
	u64 memattr = 0;

	for (u32 i = 0; i < AS_MEMATTR_ATTR_COUNT; i++) {
		u8 in = (u8)(mair >> (8 * i));
		u8 outer = in >> 4, inner = in & 0xf;
		u8 out;

		/*
		 * Cached only if inner and outer are both write-back; device,
		 * write-through and non-cacheable memory become non-cacheable.
		 * Shareability: Mali-inner unless coherent (then CPU-inner, so
		 * the PTE's inner-shareable means what it says).
		 */
		if (!(outer & 3) || !(outer & 4) || !(inner & 4))
			out = tyrc_mmu_memattr_attr(AS_MEMATTR_TYPE_NC, AS_MEMATTR_SH_MIDGARD_INNER,
						    false, false);
		else
			out = tyrc_mmu_memattr_attr(AS_MEMATTR_TYPE_WB,
						    coherent ? AS_MEMATTR_SH_CPU_INNER :
							       AS_MEMATTR_SH_MIDGARD_INNER,
						    inner & 1, inner & 2);
		memattr |= (u64)out << AS_MEMATTR_ATTR_SHIFT(i);
	}
	return memattr;
}

static int tyrc_mmu_as_wait_ready(struct tyrc_mmu *mmu, u32 as)
{
	u32 status;
	int ret;

	ret = tyrc_ioread32_poll_timeout(mmu->dev->iomem, MMU_AS(as) + AS_STATUS, status,
					 !(status & AS_STATUS_AS_ACTIVE), TYRC_MMU_AS_POLL_US,
					 TYRC_MMU_AS_TIMEOUT_US);
	if (ret)
		tyrc_err("AS%u: AS_ACTIVE bit stuck", as);
	return ret;
}

/* Issue AS_COMMAND @cmd once the AS accepts commands, and wait for it. */
static int tyrc_mmu_as_cmd_and_wait(struct tyrc_mmu *mmu, u32 as, u32 cmd)
{
	int ret = tyrc_mmu_as_wait_ready(mmu, as);

	if (ret)
		return ret;
	tyrc_iowrite32(mmu->dev->iomem, MMU_AS(as) + AS_COMMAND, cmd);
	return tyrc_mmu_as_wait_ready(mmu, as);
}

/*
 * panthor's range flush: lock [start, start + size) on @as, flush the GPU
 * caches (L2 clean+invalidate; the LSC too for the FLUSH_MEM flavour), then
 * unlock explicitly: a GPU_CONTROL cache flush does not release the lock.
 */
static int tyrc_mmu_as_flush_locked(struct tyrc_mmu *mmu, u32 as, u64 start, u64 size,
				    bool flush_mem)
{
	struct tyrc_iomem *io = mmu->dev->iomem;
	int ret, ret2;

	tyrc_lockdep_assert_held(&mmu->slots_lock);
	if (mmu->powered_off)
		return 0;
	ret = tyrc_mmu_as_wait_ready(mmu, as);
	if (ret)
		return ret;
	tyrc_iowrite64(io, MMU_AS(as) + AS_LOCKADDR, tyrc_mmu_lockaddr(start, size));
	ret = tyrc_mmu_as_cmd_and_wait(mmu, as, AS_COMMAND_LOCK);
	if (ret)
		return ret;
	ret = tyrc_pwr_flush_caches(mmu->dev, GPU_CACHE_OP_CLEAN_INVALIDATE,
				    flush_mem ? GPU_CACHE_OP_CLEAN_INVALIDATE : GPU_CACHE_OP_NONE,
				    GPU_CACHE_OP_NONE);
	/* Unlock even after a failed flush: a locked region stalls the GPU. */
	ret2 = tyrc_mmu_as_cmd_and_wait(mmu, as, AS_COMMAND_UNLOCK);
	return ret ? ret : ret2;
}

static int tyrc_mmu_as_write_config_locked(struct tyrc_mmu *mmu, u32 as, u64 transtab, u64 memattr,
					   u64 transcfg)
{
	struct tyrc_iomem *io = mmu->dev->iomem;

	if (mmu->powered_off)
		return 0;
	tyrc_iowrite64(io, MMU_AS(as) + AS_TRANSTAB, transtab);
	tyrc_iowrite64(io, MMU_AS(as) + AS_MEMATTR, memattr);
	tyrc_iowrite64(io, MMU_AS(as) + AS_TRANSCFG, transcfg);
	return tyrc_mmu_as_cmd_and_wait(mmu, as, AS_COMMAND_UPDATE);
}

/* Point @as at @vm's page table; a faulty AS gets its interrupt back first. */
static int tyrc_mmu_as_enable_locked(struct tyrc_mmu *mmu, u32 as, struct tyrc_mmu_vm *vm)
{
	int ret;

	tyrc_lockdep_assert_held(&mmu->slots_lock);
	if (mmu->faulty_mask & BIT(as)) {
		mmu->faulty_mask &= ~BIT(as);
		tyrc_irq_unmask_sources(&mmu->irq, MMU_INT_AS_FAULT(as));
	}
	ret = tyrc_mmu_as_flush_locked(mmu, as, 0, ~0ULL, true);
	if (ret)
		return ret;
	return tyrc_mmu_as_write_config_locked(mmu, as, tyrc_pgtable_root(vm->pgt), mmu->memattr,
					       mmu->transcfg);
}

/* Stop every translation through @as (it faults from then on). */
static int tyrc_mmu_as_disable_locked(struct tyrc_mmu *mmu, u32 as)
{
	int ret;

	tyrc_lockdep_assert_held(&mmu->slots_lock);
	ret = tyrc_mmu_as_flush_locked(mmu, as, 0, ~0ULL, true);
	if (ret)
		return ret;
	return tyrc_mmu_as_write_config_locked(mmu, as, 0, 0, tyrc_mmu_transcfg_unmapped());
}

static int tyrc_mmu_slot_activate(struct tyrc_slot_manager *mgr, u32 slot, void *owner)
{
	return tyrc_mmu_as_enable_locked(tyrc_slot_manager_priv(mgr), slot, owner);
}

static int tyrc_mmu_slot_evict(struct tyrc_slot_manager *mgr, u32 slot, void *owner)
{
	return tyrc_mmu_as_disable_locked(tyrc_slot_manager_priv(mgr), slot);
}

static const struct tyrc_slot_ops tyrc_mmu_slot_ops = {
	.activate = tyrc_mmu_slot_activate,
	.evict = tyrc_mmu_slot_evict,
};

static const char *const tyrc_mmu_access_names[] = {
	[AS_FAULT_ACCESS_ATOMIC] = "ATOMIC",
	[AS_FAULT_ACCESS_EXECUTE] = "EXECUTE",
	[AS_FAULT_ACCESS_READ] = "READ",
	[AS_FAULT_ACCESS_WRITE] = "WRITE",
};

static const char *const tyrc_mmu_class_names[] = {
	[MMU_EXCEPTION_CLASS_TRANSLATION] = "translation",
	[MMU_EXCEPTION_CLASS_PERMISSION] = "permission",
	[MMU_EXCEPTION_CLASS_TT_BUS] = "translation-table bus",
	[MMU_EXCEPTION_CLASS_ACCESS_FLAG] = "access flag",
	[MMU_EXCEPTION_CLASS_ADDR_SIZE] = "address size",
	[MMU_EXCEPTION_CLASS_MEM_ATTR] = "memory attribute",
	[6] = "unknown",
	[7] = "unknown",
};

static void tyrc_mmu_log_fault(u32 as, u32 status, u64 addr)
{
	u32 exception = FIELD_GET(AS_FAULTSTATUS_EXCEPTION_TYPE, status);
	u32 access = FIELD_GET(AS_FAULTSTATUS_ACCESS_TYPE, status);

	if (MMU_EXCEPTION_IS_MMU(exception))
		tyrc_err("Unhandled page fault in AS%u at VA 0x%016llx: status 0x%08x (%s), "
			 "exception 0x%02x %s (%s fault, level %u), access %s, source id 0x%x",
			 as, (unsigned long long)addr, status,
			 status & AS_FAULTSTATUS_DECODER_FAULT ? "DECODER FAULT" : "SLAVE FAULT",
			 exception, tyrc_exception_name(exception),
			 tyrc_mmu_class_names[FIELD_GET(MMU_EXCEPTION_CLASS, exception)],
			 tyrc_mmu_exception_level(exception), tyrc_mmu_access_names[access],
			 (u32)FIELD_GET(AS_FAULTSTATUS_SOURCE_ID, status));
	else
		tyrc_err("Unhandled fault in AS%u at VA 0x%016llx: status 0x%08x (%s), "
			 "exception 0x%02x %s, access %s, source id 0x%x",
			 as, (unsigned long long)addr, status,
			 status & AS_FAULTSTATUS_DECODER_FAULT ? "DECODER FAULT" : "SLAVE FAULT",
			 exception, tyrc_exception_name(exception), tyrc_mmu_access_names[access],
			 (u32)FIELD_GET(AS_FAULTSTATUS_SOURCE_ID, status));
}

/*
 * MMU_INT handler (threaded, status already cleared): for each faulting AS,
 * log, mask its interrupt until it is enabled again, flag its VM and disable
 * the AS so nothing runs on with a broken address space.
 */
static void tyrc_mmu_irq_handler(struct tyrc_device *dev, u32 status)
{
	struct tyrc_mmu *mmu = dev->mmu;

	status &= TYRC_MMU_INT_FAULT_MASK;
	while (status) {
		u32 as = (u32)__builtin_ctz(status);
		u32 bit = MMU_INT_AS_FAULT(as);
		u32 fault_status = tyrc_ioread32(dev->iomem, MMU_AS(as) + AS_FAULTSTATUS);
		u64 addr = tyrc_ioread64(dev->iomem, MMU_AS(as) + AS_FAULTADDRESS);
		struct tyrc_mmu_vm *vm;

		tyrc_mmu_log_fault(as, fault_status, addr);

		tyrc_mutex_lock(&mmu->slots_lock);
		mmu->faulty_mask |= bit;
		tyrc_irq_mask_sources(&mmu->irq, bit);
		vm = as < mmu->as_count ? tyrc_slot_owner(&mmu->slots, as) : NULL;
		if (vm)
			WRITE_ONCE(vm->unhandled_fault, true);
		if (as < mmu->as_count && tyrc_mmu_as_disable_locked(mmu, as))
			tyrc_err("AS%u: disabling after the fault failed", as);
		tyrc_mutex_unlock(&mmu->slots_lock);

		status &= ~bit;
	}
}

int tyrc_mmu_init(struct tyrc_device *dev)
{
	u32 features = dev->gpu_info.mmu_features;
	u32 va_bits = FIELD_GET(GPU_MMU_FEATURES_VA_BITS, features);
	u32 pa_bits = FIELD_GET(GPU_MMU_FEATURES_PA_BITS, features);
	u32 as_present = dev->gpu_info.as_present;
	struct tyrc_mmu *mmu;
	u32 as_count;
	int ret;

	/* AS 0..n-1 must be present; panthor needs one AS besides the MCU's. */
	as_count = ~as_present ? (u32)__builtin_ctz(~as_present) : 32;
	if (as_count > MMU_AS_COUNT)
		as_count = MMU_AS_COUNT;
	if (as_count < 2) {
		tyrc_err("AS_PRESENT 0x%x: need AS 0 and at least one more", as_present);
		return -ENODEV;
	}
	if (va_bits < TYRC_PGTABLE_VA_BITS || pa_bits < 32 || !dev->platform.ram) {
		tyrc_err("MMU_FEATURES 0x%x (VA %u, PA %u bits) or RAM not supported", features,
			 va_bits, pa_bits);
		return -ENODEV;
	}

	mmu = calloc(1, sizeof(*mmu));
	if (!mmu)
		return -ENOMEM;
	mmu->dev = dev;
	mmu->as_count = as_count;
	mmu->pa_bits = tyrc_min(pa_bits, 48u);
	mmu->transcfg = tyrc_mmu_transcfg_aarch64_4k(TYRC_PGTABLE_VA_BITS, dev->coherent);
	mmu->memattr = tyrc_mmu_memattr_from_mair(TYRC_PGTABLE_MAIR, dev->coherent);
	ret = tyrc_slot_manager_init(&mmu->slots, as_count, BIT(0), &tyrc_mmu_slot_ops, mmu);
	if (ret)
		goto err_free;
	tyrc_mutex_init(&mmu->slots_lock);
	dev->mmu = mmu;

	ret = tyrc_irq_request(dev, &mmu->irq, dev->platform.irq_mmu, MMU_INT_RAWSTAT,
			       TYRC_MMU_INT_FAULT_MASK, tyrc_mmu_irq_handler);
	if (ret)
		goto err_destroy_lock;
	return 0;

err_destroy_lock:
	dev->mmu = NULL;
	tyrc_mutex_destroy(&mmu->slots_lock);
err_free:
	free(mmu);
	return ret;
}

void tyrc_mmu_fini(struct tyrc_device *dev)
{
	struct tyrc_mmu *mmu = dev->mmu;

	if (!mmu)
		return;
	tyrc_irq_release(&mmu->irq);
	for (u32 as = 0; as < mmu->as_count; as++)
		TYRC_WARN_ON(tyrc_slot_owner(&mmu->slots, as));
	tyrc_mutex_destroy(&mmu->slots_lock);
	free(mmu);
	dev->mmu = NULL;
}

u32 tyrc_mmu_as_in_use(struct tyrc_device *dev)
{
	struct tyrc_mmu *mmu = dev->mmu;
	u32 mask = 0;

	if (!mmu)
		return 0;
	tyrc_mutex_lock(&mmu->slots_lock);
	for (u32 as = 0; as < mmu->as_count; as++)
		if (tyrc_slot_owner(&mmu->slots, as))
			mask |= BIT(as);
	tyrc_mutex_unlock(&mmu->slots_lock);
	return mask;
}

void tyrc_mmu_pre_reset(struct tyrc_device *dev)
{
	tyrc_irq_suspend(&dev->mmu->irq);
}

void tyrc_mmu_suspend(struct tyrc_device *dev)
{
	struct tyrc_mmu *mmu = dev->mmu;

	tyrc_mutex_lock(&mmu->slots_lock);
	mmu->powered_off = true;
	tyrc_mutex_unlock(&mmu->slots_lock);
	tyrc_irq_suspend(&mmu->irq);
}

int tyrc_mmu_post_reset(struct tyrc_device *dev)
{
	struct tyrc_mmu *mmu = dev->mmu;
	int ret = 0;

	/* The reset wiped every AS: program the bound ones again, faults forgotten. */
	tyrc_mutex_lock(&mmu->slots_lock);
	mmu->powered_off = false;
	mmu->faulty_mask = 0;
	for (u32 as = 0; as < mmu->as_count; as++) {
		struct tyrc_mmu_vm *vm = tyrc_slot_owner(&mmu->slots, as);

		if (vm && !ret)
			ret = tyrc_mmu_as_enable_locked(mmu, as, vm);
	}
	tyrc_mutex_unlock(&mmu->slots_lock);
	tyrc_irq_resume(&mmu->irq, TYRC_MMU_INT_FAULT_MASK);
	return ret;
}

int tyrc_mmu_vm_create(struct tyrc_device *dev, u64 va_size, bool for_mcu, struct tyrc_mmu_vm **out)
{
	struct tyrc_mmu *mmu = dev->mmu;
	struct tyrc_mmu_vm *vm;
	int ret;

	if (!mmu)
		return -ENODEV;
	if (!va_size || !IS_ALIGNED(va_size, SZ_4K) || va_size > (1ULL << TYRC_PGTABLE_VA_BITS))
		return -EINVAL;
	vm = calloc(1, sizeof(*vm));
	if (!vm)
		return -ENOMEM;
	ret = tyrc_pgtable_create(dev->platform.ram, TYRC_PGTABLE_VA_BITS, mmu->pa_bits, &vm->pgt);
	if (ret) {
		free(vm);
		return ret;
	}
	vm->dev = dev;
	vm->mmu = mmu;
	vm->va_size = va_size;
	vm->for_mcu = for_mcu;
	tyrc_mutex_init(&vm->op_lock);
	tyrc_pgtable_gather_init(&vm->gather);
	tyrc_slot_seat_init(&vm->seat);
	*out = vm;
	return 0;
}

void tyrc_mmu_vm_destroy(struct tyrc_mmu_vm *vm)
{
	struct tyrc_mmu *mmu;
	int ret;

	if (!vm)
		return;
	mmu = vm->mmu;
	tyrc_mutex_lock(&vm->op_lock);
	tyrc_mutex_lock(&mmu->slots_lock);
	ret = tyrc_slot_evict(&mmu->slots, &vm->seat);
	tyrc_mutex_unlock(&mmu->slots_lock);
	tyrc_mutex_unlock(&vm->op_lock);
	/* Destroying a VM the GPU is using is a caller bug. */
	TYRC_BUG_ON(ret == -EBUSY);
	if (ret) {
		/* The AS may still walk these tables: leaking beats a use-after-free. */
		tyrc_err("MMU VM: AS disable failed (%d), leaking its page tables", ret);
		return;
	}
	/* Unbound: no AS can hold translations of these tables any more. */
	tyrc_pgtable_gather_finish(vm->pgt, &vm->gather);
	tyrc_pgtable_destroy(vm->pgt);
	tyrc_mutex_destroy(&vm->op_lock);
	free(vm);
}

static int tyrc_mmu_vm_check_range(const struct tyrc_mmu_vm *vm, u64 va, u64 size)
{
	u64 end;

	if (check_add_overflow(va, size, &end) || end > vm->va_size)
		return -EINVAL;
	return 0;
}

/*
 * Close an update: if @vm is bound, flush the gathered range on its AS;
 * then the unlinked tables can go. An unbound VM needs no flush: its last
 * AS was flushed when it was disabled, its next one will be when enabled.
 */
static int tyrc_mmu_vm_flush_gather_locked(struct tyrc_mmu_vm *vm)
{
	struct tyrc_mmu *mmu = vm->mmu;
	struct tyrc_pgtable_gather *g = &vm->gather;
	int as, ret = 0;

	tyrc_lockdep_assert_held(&vm->op_lock);
	if (g->start == g->end && !g->freed)
		return 0;
	tyrc_mutex_lock(&mmu->slots_lock);
	as = tyrc_slot_of(&mmu->slots, &vm->seat);
	if (as >= 0)
		ret = tyrc_mmu_as_flush_locked(mmu, (u32)as, g->start, g->end - g->start, false);
	tyrc_mutex_unlock(&mmu->slots_lock);
	if (ret) {
		tyrc_err("AS%d: flush of [0x%llx, 0x%llx) failed (%d)", as,
			 (unsigned long long)g->start, (unsigned long long)g->end, ret);
		return ret;
	}
	tyrc_pgtable_gather_finish(vm->pgt, g);
	return 0;
}

int tyrc_mmu_vm_map(struct tyrc_mmu_vm *vm, u64 va, u64 pa, u64 size, u32 prot)
{
	int ret, flush_ret;

	ret = tyrc_mmu_vm_check_range(vm, va, size);
	if (ret)
		return ret;
	tyrc_mutex_lock(&vm->op_lock);
	ret = tyrc_pgtable_map(vm->pgt, va, pa, size, prot, &vm->gather);
	flush_ret = tyrc_mmu_vm_flush_gather_locked(vm);
	tyrc_mutex_unlock(&vm->op_lock);
	return ret ? ret : flush_ret;
}

int tyrc_mmu_vm_unmap(struct tyrc_mmu_vm *vm, u64 va, u64 size)
{
	int ret, flush_ret;

	ret = tyrc_mmu_vm_check_range(vm, va, size);
	if (ret)
		return ret;
	tyrc_mutex_lock(&vm->op_lock);
	ret = tyrc_pgtable_unmap(vm->pgt, va, size, &vm->gather);
	flush_ret = tyrc_mmu_vm_flush_gather_locked(vm);
	tyrc_mutex_unlock(&vm->op_lock);
	return ret ? ret : flush_ret;
}

int tyrc_mmu_vm_remap_noflush(struct tyrc_mmu_vm *vm, u64 va, u64 pa, u64 size, u32 prot)
{
	int ret;

	ret = tyrc_mmu_vm_check_range(vm, va, size);
	if (ret)
		return ret;
	tyrc_mutex_lock(&vm->op_lock);
	ret = tyrc_pgtable_unmap(vm->pgt, va, size, &vm->gather);
	if (!ret)
		ret = tyrc_pgtable_map(vm->pgt, va, pa, size, prot, &vm->gather);
	/* No flush: @vm->gather stays pending until the next flushed update. */
	tyrc_mutex_unlock(&vm->op_lock);
	return ret;
}

int tyrc_mmu_vm_activate(struct tyrc_mmu_vm *vm)
{
	struct tyrc_mmu *mmu = vm->mmu;
	int slot, ret = 0;

	tyrc_mutex_lock(&vm->op_lock);
	tyrc_mutex_lock(&mmu->slots_lock);
	slot = tyrc_slot_get(&mmu->slots, &vm->seat, vm, vm->for_mcu ? 0 : TYRC_SLOT_ANY);
	/* Still bound, but a fault disabled the AS: enable it again. */
	if (slot >= 0 && (mmu->faulty_mask & BIT(slot))) {
		ret = tyrc_mmu_as_enable_locked(mmu, (u32)slot, vm);
		if (ret)
			tyrc_slot_put(&mmu->slots, &vm->seat);
	}
	tyrc_mutex_unlock(&mmu->slots_lock);
	tyrc_mutex_unlock(&vm->op_lock);
	return slot < 0 ? slot : ret;
}

void tyrc_mmu_vm_deactivate(struct tyrc_mmu_vm *vm)
{
	struct tyrc_mmu *mmu = vm->mmu;

	tyrc_mutex_lock(&mmu->slots_lock);
	tyrc_slot_put(&mmu->slots, &vm->seat);
	tyrc_mutex_unlock(&mmu->slots_lock);
}

int tyrc_mmu_vm_as(struct tyrc_mmu_vm *vm)
{
	struct tyrc_mmu *mmu = vm->mmu;
	int as;

	tyrc_mutex_lock(&mmu->slots_lock);
	as = tyrc_slot_of(&mmu->slots, &vm->seat);
	tyrc_mutex_unlock(&mmu->slots_lock);
	return as;
}

bool tyrc_mmu_vm_has_unhandled_fault(struct tyrc_mmu_vm *vm)
{
	return READ_ONCE(vm->unhandled_fault);
}

u64 tyrc_mmu_vm_iova_to_phys(struct tyrc_mmu_vm *vm, u64 va)
{
	u64 pa;

	tyrc_mutex_lock(&vm->op_lock);
	pa = tyrc_pgtable_iova_to_phys(vm->pgt, va);
	tyrc_mutex_unlock(&vm->op_lock);
	return pa;
}
