/* SPDX-License-Identifier: MIT */
/*
 * DOC: mmu layer
 *
 * The Mali MMU as the driver uses it (panthor_mmu.c, mali-g610-hw.md §8-§10):
 * address-space (AS) slots, page-table updates and the TLB/cache
 * maintenance that must follow them, and MMU faults.
 *
 * A struct tyrc_mmu_vm is one GPU address space as the MMU sees it: a page
 * table in board RAM (tyrc_pgtable.h) and, while the GPU may use it, a
 * binding to one of the hardware AS slots. AS 0 is reserved for the MCU
 * (firmware) VM; AS 1..N-1 are shared by every other VM through the generic
 * slot manager (tyrc_slot.h): tyrc_mmu_vm_activate() takes a use of a slot
 * (binding the VM, evicting the least recently used idle VM if needed, or
 * failing with -EBUSY when every slot is in use), tyrc_mmu_vm_deactivate()
 * drops it. An idle VM keeps its slot until someone else needs it.
 *
 * Each map/unmap is one page-table update followed, in the same call, by
 * the range flush panthor uses when the VM is bound: wait AS_ACTIVE clear,
 * LOCKADDR, AS_COMMAND LOCK, GPU cache flush (L2 clean+invalidate), UNLOCK.
 * Tables emptied by an update go back to RAM only after that flush. An AS
 * is enabled and disabled with a whole-VA flush (FLUSH_MEM flavour) around
 * the TRANSTAB/MEMATTR/TRANSCFG writes and AS_COMMAND UPDATE.
 *
 * An MMU fault on AS n (MMU_INT bit n) is logged decoded, the VM bound to
 * it gets its unhandled-fault flag, AS n's interrupt is masked and AS n is
 * disabled, which stops every access through it (panthor's behaviour); the
 * next activation of a VM on that slot enables it (and its interrupt) again.
 *
 * Locking: each VM's @op_lock serialises its page-table updates and its
 * activation; the MMU's @slots_lock protects the slot bindings, the faulty
 * mask and every AS register sequence. Lock order: vm op_lock → mmu
 * slots_lock → the MMU IRQ block lock; the cache flushes wait for the pwr
 * layer's GPU interrupt under slots_lock. The fault handler takes only
 * slots_lock.
 */
#ifndef TYRC_MMU_H
#define TYRC_MMU_H

#include <tyrc/types.h>

#include "tyrc_pgtable.h"

struct tyrc_device;
struct tyrc_mmu_vm;

/* MMU_INT sources the driver handles: the page-fault bit of AS 0..15. */
#define TYRC_MMU_INT_FAULT_MASK GENMASK(15, 0)
/* Size of the MCU VM (panthor: 4 GiB at 0). */
#define TYRC_MMU_MCU_VA_SIZE (1ULL << 32)

/**
 * tyrc_mmu_init() - set up the AS slots and take the MMU interrupt.
 * @dev: device; the pwr layer must have identified the GPU (gpu_info) and
 *       @dev->platform.ram must be set.
 *
 * Requests the "mmu" line on MMU_INT with the 16 AS page-fault bits
 * unmasked. Context: process, during probe.
 * Return: 0; -ENODEV if the GPU has no AS besides AS 0, fewer than 48 VA
 * bits or no RAM; -ENOMEM; an error from the IRQ core.
 */
int tyrc_mmu_init(struct tyrc_device *dev);

/**
 * tyrc_mmu_fini() - release the MMU interrupt and the layer's state.
 * Every VM must have been destroyed. Copes with a failed or missing init.
 */
void tyrc_mmu_fini(struct tyrc_device *dev);

/**
 * tyrc_mmu_memattr_from_mair() - AS_MEMATTR for the page tables' MAIR.
 * @mair: the eight MAIR attribute bytes (TYRC_PGTABLE_MAIR).
 * @coherent: the GPU is IO-coherent with the CPU.
 *
 * panthor's conversion: an inner and outer write-back attribute becomes
 * Mali write-back with its allocation hints (CPU-inner shareable only when
 * coherent); anything else becomes non-cacheable.
 * Return: the 64-bit AS_MEMATTR value (0x4C4C4C4C8C4C8F4C for the default
 * MAIR on a non-coherent SoC).
 */
u64 tyrc_mmu_memattr_from_mair(u64 mair, bool coherent);

/** tyrc_mmu_as_in_use() - bitmask of the address spaces bound to a VM. */
u32 tyrc_mmu_as_in_use(struct tyrc_device *dev);

/**
 * tyrc_mmu_pre_reset() - a GPU reset is coming: stop handling MMU interrupts.
 */
void tyrc_mmu_pre_reset(struct tyrc_device *dev);
/**
 * tyrc_mmu_suspend() - the GPU powers down (runtime suspend): from now on
 * page-table updates skip the AS register sequences, until
 * tyrc_mmu_post_reset() programs every bound AS again on resume.
 */
void tyrc_mmu_suspend(struct tyrc_device *dev);
/**
 * tyrc_mmu_post_reset() - the reset wiped every AS: forget faults, program
 * each bound AS again and unmask MMU interrupts. Return: 0 or -ETIMEDOUT.
 */
int tyrc_mmu_post_reset(struct tyrc_device *dev);

/**
 * tyrc_mmu_vm_create() - an empty GPU address space.
 * @dev: device with an initialised mmu layer.
 * @va_size: size of the usable VA range [0, @va_size), 4 KiB aligned, at
 *           most 2^48 (the MCU VM uses TYRC_MMU_MCU_VA_SIZE).
 * @for_mcu: the firmware's VM: it always binds to AS 0.
 * @out: receives the VM.
 *
 * Context: process. Return: 0, -EINVAL for a bad @va_size, -ENODEV
 * without an mmu layer, -ENOMEM.
 */
int tyrc_mmu_vm_create(struct tyrc_device *dev, u64 va_size, bool for_mcu,
		       struct tyrc_mmu_vm **out);

/**
 * tyrc_mmu_vm_destroy() - unbind @vm from its AS (disabling it) and free
 * its page tables. @vm must not be active (every activation deactivated).
 * NULL is ignored. Context: process; takes @vm's op_lock and slots_lock.
 */
void tyrc_mmu_vm_destroy(struct tyrc_mmu_vm *vm);

/**
 * tyrc_mmu_vm_map() - map [@va, @va + @size) to physical [@pa, @pa + @size).
 * @vm: the VM.
 * @va: GPU VA, 4 KiB aligned; the range must lie inside the VM's VA size.
 * @pa: physical address (board RAM), 4 KiB aligned.
 * @size: bytes, non-zero, 4 KiB aligned.
 * @prot: TYRC_PROT_* (READ mandatory).
 *
 * Updates the page table (2 MiB blocks where possible), then, if @vm is
 * bound to an AS, runs the LOCK / cache flush / UNLOCK sequence over the
 * range before returning. Nothing stays mapped on failure. The range must
 * not be mapped already (unmap first, as io-pgtable requires).
 * Context: process; takes @vm's op_lock, then slots_lock.
 * Return: 0; -EINVAL (alignment, range, @prot); -EEXIST; -ENOMEM;
 * -ETIMEDOUT if the flush did not complete (the mapping is in place; the
 * freed tables are kept until a later flush succeeds).
 */
int tyrc_mmu_vm_map(struct tyrc_mmu_vm *vm, u64 va, u64 pa, u64 size, u32 prot);

/**
 * tyrc_mmu_vm_unmap() - remove every translation in [@va, @va + @size).
 *
 * Holes are fine; a 2 MiB block partly in the range is split, the rest of
 * it staying mapped. Flushed like tyrc_mmu_vm_map() before returning.
 * Context: process; takes @vm's op_lock, then slots_lock.
 * Return: 0; -EINVAL; -ENOMEM (a block could not be split: nothing was
 * unmapped); -ETIMEDOUT if the flush did not complete.
 */
int tyrc_mmu_vm_unmap(struct tyrc_mmu_vm *vm, u64 va, u64 size);

/**
 * tyrc_mmu_vm_activate() - make @vm usable by the GPU and take a use of its AS.
 *
 * Binds @vm to a slot if it has none (AS 0 for the MCU VM; otherwise a free
 * slot or the least recently used idle one, whose VM is evicted and its AS
 * disabled), enabling the AS with @vm's page table. A slot disabled by a
 * fault is enabled again, its interrupt unmasked. Each successful call must
 * be paired with tyrc_mmu_vm_deactivate() (panthor_vm_active()/_idle()).
 * Context: process; takes @vm's op_lock, then slots_lock.
 * Return: 0; -EBUSY when every slot is in use; -ETIMEDOUT from the AS
 * sequences.
 */
int tyrc_mmu_vm_activate(struct tyrc_mmu_vm *vm);

/**
 * tyrc_mmu_vm_deactivate() - drop a use taken by tyrc_mmu_vm_activate().
 * When the last one goes the VM stays bound but may be evicted.
 * Context: process; takes slots_lock.
 */
void tyrc_mmu_vm_deactivate(struct tyrc_mmu_vm *vm);

/** tyrc_mmu_vm_as() - the AS @vm is bound to (active or idle), or -1. Takes slots_lock. */
int tyrc_mmu_vm_as(struct tyrc_mmu_vm *vm);

/**
 * tyrc_mmu_vm_has_unhandled_fault() - an MMU fault hit @vm's AS since its
 * creation (the scheduler tears its groups down). Lock-free read.
 */
bool tyrc_mmu_vm_has_unhandled_fault(struct tyrc_mmu_vm *vm);

/** tyrc_mmu_vm_iova_to_phys() - physical address @va maps to, 0 if unmapped (tests, debug). */
u64 tyrc_mmu_vm_iova_to_phys(struct tyrc_mmu_vm *vm, u64 va);

/**
 * tyrc_mmu_vm_remap_noflush() - TEST ONLY: replace the translation of
 * [@va, @va + @size) by @pa (unmap then map) by writing the page tables
 * *without* the LOCK / flush / UNLOCK sequence, so translations the GPU has
 * cached stay stale. Proves that the real paths' flush matters; never use it
 * elsewhere. Tables freed here are returned to RAM at the next flushed
 * update or at destroy. Return: as tyrc_mmu_vm_unmap() / tyrc_mmu_vm_map().
 */
int tyrc_mmu_vm_remap_noflush(struct tyrc_mmu_vm *vm, u64 va, u64 pa, u64 size, u32 prot);

#endif /* TYRC_MMU_H */
