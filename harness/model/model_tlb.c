// SPDX-License-Identifier: MIT
/*
 * DOC: TLB
 *
 * Each address space caches up to MODEL_TLB_ENTRIES translations filled by
 * successful table walks (model_mem.c). A cached translation is used until
 * the driver invalidates it with the AS commands (model_mmu.c): UPDATE drops
 * the whole TLB, LOCK drops the entries that overlap the lock region, and
 * FLUSH_PT / FLUSH_MEM drop the entries overlapping the locked region again.
 * A page-table write that is not followed by one of those keeps returning
 * the old translation: this is what the model exists to catch.
 *
 * An entry covers the whole page or block its leaf descriptor maps (4 KiB,
 * 2 MiB or 1 GiB), so invalidating any part of a block drops all of it, as
 * on hardware. Faulting walks are never cached (no negative entries);
 * permissions are cached with the translation, so a permission change needs
 * the same invalidation as an address change.
 *
 * Replacement is FIFO over valid entries: a fill takes a free slot if there
 * is one, else evicts the entry filled first. Eviction can therefore make a
 * stale translation disappear "by luck" once more than MODEL_TLB_ENTRIES
 * other translations were filled since; tests that rely on staleness touch
 * fewer pages than that. Everything is deterministic: same accesses, same
 * hits.
 *
 * These functions work on one struct model_tlb and are called with the
 * model lock held.
 */
#include "model_priv.h"

static bool model_tlb_entry_valid(const struct model_tlb *tlb, unsigned int i)
{
	return tlb->seq[i] != 0;
}

static u64 model_tlb_entry_last(const struct model_xlat *x)
{
	return x->va + ((1ULL << x->shift) - 1);
}

/** model_tlb_flush() - drop every entry. */
void model_tlb_flush(struct model_tlb *tlb)
{
	for (unsigned int i = 0; i < MODEL_TLB_ENTRIES; i++)
		tlb->seq[i] = 0;
}

/** model_tlb_flush_range() - drop the entries that overlap [@first, @last]. */
void model_tlb_flush_range(struct model_tlb *tlb, u64 first, u64 last)
{
	for (unsigned int i = 0; i < MODEL_TLB_ENTRIES; i++) {
		const struct model_xlat *x = &tlb->entry[i];

		if (model_tlb_entry_valid(tlb, i) && x->va <= last &&
		    model_tlb_entry_last(x) >= first)
			tlb->seq[i] = 0;
	}
}

/** model_tlb_lookup() - the cached translation covering @va, or NULL on a miss. */
const struct model_xlat *model_tlb_lookup(struct model_tlb *tlb, u64 va)
{
	for (unsigned int i = 0; i < MODEL_TLB_ENTRIES; i++) {
		const struct model_xlat *x = &tlb->entry[i];

		if (model_tlb_entry_valid(tlb, i) && va >= x->va && va <= model_tlb_entry_last(x))
			return x;
	}
	return NULL;
}

/** model_tlb_fill() - cache @xlat (which must not be cached yet), evicting FIFO. */
void model_tlb_fill(struct model_tlb *tlb, const struct model_xlat *xlat)
{
	unsigned int victim = 0;

	for (unsigned int i = 0; i < MODEL_TLB_ENTRIES; i++) {
		if (!model_tlb_entry_valid(tlb, i)) {
			victim = i;
			break;
		}
		if (tlb->seq[i] < tlb->seq[victim])
			victim = i;
	}
	tlb->entry[victim] = *xlat;
	tlb->seq[victim] = ++tlb->next_seq;
}
