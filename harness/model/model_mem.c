// SPDX-License-Identifier: MIT
/*
 * DOC: GPU memory accesses
 *
 * How the GPU's own agents (the command-stream interpreter, the MCU, and
 * tests standing in for them) reach memory: a VA in an address space is
 * translated through the TLB and, on a miss, a table walk (model_tlb.c,
 * model_pgtable.c), the access is checked against the translation's
 * permissions, and the bytes are copied to or from the board's RAM.
 *
 * Order of checks for each page of an access:
 *
 * 1. The address space must be in AS_PRESENT (else -EINVAL, no fault).
 * 2. An access that touches the AS's locked region would stall on hardware
 *    until the region is unlocked. The model does not block: it returns
 *    -EAGAIN before transferring anything and records no fault; the caller
 *    retries later (the interpreter leaves the stream where it is).
 * 3. Translation: a TLB hit, else a walk of the live configuration whose
 *    result fills the TLB (AARCH64_4K only; IDENTITY and UNMAPPED are not
 *    cached). A failed walk is an MMU fault.
 * 4. Permissions: a write or atomic through a read-only translation, or an
 *    instruction fetch through a non-executable one, is a PERMISSION_FAULT
 *    at the leaf's level.
 * 5. The physical page must be RAM: an output address inside the PA size
 *    where the board has no memory is a bus fault, reported as
 *    GPU_BUS_FAULT (0x80) in AS_FAULTSTATUS.
 *
 * Every fault is recorded with model_mmu_fault_locked() (AS_FAULTSTATUS,
 * AS_FAULTADDRESS = the faulting VA, MMU_INT page-fault bit of the AS; see
 * model_mmu.c for faults while one is pending) and the access returns
 * -EFAULT. Pages before the faulting one have been transferred already, as
 * a GPU's earlier transactions would have been.
 */
#include <string.h>

#include "model_priv.h"

static bool model_mem_as_present(struct tyrc_model *m, unsigned int as)
{
	return as < MMU_AS_COUNT && (m->cfg.as_present & BIT(as));
}

static u32 model_mem_check_perm(const struct model_xlat *x, enum model_access type)
{
	bool write = type == MODEL_ACCESS_WRITE || type == MODEL_ACCESS_ATOMIC;

	if ((write && (x->flags & MODEL_XLAT_RO)) ||
	    (type == MODEL_ACCESS_EXECUTE && (x->flags & MODEL_XLAT_XN)))
		return MODEL_EXC_PERMISSION(x->level);
	return 0;
}

/**
 * model_mmu_translate_locked() - translate one GPU access.
 * @m: the model.
 * @as: the address space.
 * @va: the address accessed.
 * @type: the kind of access (atomics are checked as writes).
 * @pa: receives the physical address, inside RAM.
 *
 * Follows the checks of the DOC above for the page of @va. The caller may
 * access RAM from *@pa up to the end of its 4 KiB page.
 *
 * Context: model lock held.
 * Return: 0; -EINVAL for an AS outside AS_PRESENT; -EAGAIN if @va is in the
 * AS's locked region; -EFAULT after recording an MMU fault.
 */
int model_mmu_translate_locked(struct tyrc_model *m, unsigned int as, u64 va,
			       enum model_access type, u64 *pa)
{
	struct model_xlat walked;
	const struct model_xlat *x;
	struct model_as *a;
	u32 exc;

	tyrc_lockdep_assert_held(&m->lock);
	if (!model_mem_as_present(m, as))
		return -EINVAL;
	if (model_mmu_stalls_locked(m, as, va, va))
		return -EAGAIN;
	a = &m->as[as];
	x = model_pgtable_uses_tlb(&a->live) ? model_tlb_lookup(&a->tlb, va) : NULL;
	if (!x) {
		exc = model_pgtable_walk(m, &a->live, va, &walked);
		if (exc)
			goto fault;
		if (model_pgtable_uses_tlb(&a->live))
			model_tlb_fill(&a->tlb, &walked);
		x = &walked;
	}
	exc = model_mem_check_perm(x, type);
	if (exc)
		goto fault;
	*pa = x->pa + (va - x->va);
	if (!tyrc_ram_contains(m->ram, *pa, 1)) {
		exc = MODEL_EXC_GPU_BUS_FAULT;
		goto fault;
	}
	return 0;

fault:
	a = &m->as[as];
	a->last_exception = exc;
	model_mmu_fault_locked(m, as, exc, type, va);
	return -EFAULT;
}

/**
 * model_mmu_access_locked() - copy between @buf and GPU memory at @va.
 * @m: the model.
 * @as: the address space.
 * @va: first address accessed.
 * @buf: destination (READ, EXECUTE) or source (WRITE) of @len bytes.
 * @len: number of bytes; 0 is a successful no-op.
 * @type: MODEL_ACCESS_READ, _WRITE or _EXECUTE (instruction fetch);
 *	atomics go through model_mmu_translate_locked().
 *
 * Translates page by page (see the DOC above).
 *
 * Context: model lock held.
 * Return: 0; -EINVAL for a bad AS, type or a range wrapping past 2^64;
 * -EAGAIN if the range touches the locked region (nothing transferred);
 * -EFAULT after recording an MMU fault (earlier pages transferred).
 */
int model_mmu_access_locked(struct tyrc_model *m, unsigned int as, u64 va, void *buf, size_t len,
			    enum model_access type)
{
	u8 *p = buf;
	u64 last;

	tyrc_lockdep_assert_held(&m->lock);
	if (type != MODEL_ACCESS_READ && type != MODEL_ACCESS_WRITE && type != MODEL_ACCESS_EXECUTE)
		return -EINVAL;
	if (!model_mem_as_present(m, as))
		return -EINVAL;
	if (!len)
		return 0;
	if (check_add_overflow(va, (u64)len - 1, &last))
		return -EINVAL;
	if (model_mmu_stalls_locked(m, as, va, last))
		return -EAGAIN;

	while (len) {
		size_t chunk = tyrc_min((u64)len, TYRC_PAGE_SIZE - (va & (TYRC_PAGE_SIZE - 1)));
		u64 pa;
		u8 *ram;
		int ret;

		ret = model_mmu_translate_locked(m, as, va, type, &pa);
		if (ret)
			return ret;
		ram = tyrc_ram_phys_to_virt(m->ram, pa);
		if (type == MODEL_ACCESS_WRITE)
			memcpy(ram, p, chunk);
		else
			memcpy(p, ram, chunk);
		p += chunk;
		va += chunk;
		len -= chunk;
	}
	return 0;
}

static int model_mem_gpu_access(struct tyrc_model *m, unsigned int as, u64 va, void *buf,
				size_t len, enum model_access type)
{
	int ret;

	if (!m || (len && !buf))
		return -EINVAL;
	tyrc_mutex_lock(&m->lock);
	/* Commands whose latency has passed complete before the access. */
	model_run_events_locked(m, tyrc_ktime_get_ns());
	ret = model_mmu_access_locked(m, as, va, buf, len, type);
	tyrc_mutex_unlock(&m->lock);
	return ret;
}

int tyrc_model_gpu_read(struct tyrc_model *model, unsigned int as, u64 va, void *buf, size_t len)
{
	return model_mem_gpu_access(model, as, va, buf, len, MODEL_ACCESS_READ);
}

int tyrc_model_gpu_write(struct tyrc_model *model, unsigned int as, u64 va, const void *buf,
			 size_t len)
{
	return model_mem_gpu_access(model, as, va, (void *)buf, len, MODEL_ACCESS_WRITE);
}

int tyrc_model_gpu_exec_read(struct tyrc_model *model, unsigned int as, u64 va, void *buf,
			     size_t len)
{
	return model_mem_gpu_access(model, as, va, buf, len, MODEL_ACCESS_EXECUTE);
}
