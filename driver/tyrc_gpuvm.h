/* SPDX-License-Identifier: MIT */
/*
 * DOC: gpuvm range tracking
 *
 * The VA bookkeeping of a GPU VM with drm_gpuvm's split/merge semantics
 * (sync-and-submission.md §6), as pure logic: no page tables, no locking,
 * no object references. A struct tyrc_gpuvm holds non-overlapping mappings
 * (struct tyrc_gpuva: VA range → object, offset in the object, flags) in an
 * array sorted by address, so every interval lookup is a binary search
 * (O(log n)); an update moves the tail of the array once.
 *
 * An update is computed before anything changes: tyrc_gpuvm_sm_map() and
 * tyrc_gpuvm_sm_unmap() return the list of steps, in address order, that
 * turn the current mappings into the requested ones:
 *
 * * %TYRC_GPUVA_OP_UNMAP: a mapping entirely inside the range goes away
 *   (@keep: it maps the same object at the same offset as the request, so
 *   its translations would stay valid);
 * * %TYRC_GPUVA_OP_REMAP: a mapping partly inside the range goes away and
 *   its remnants outside the range (@prev before, @next after) replace it,
 *   with the same object and flags and the offset moved along;
 * * %TYRC_GPUVA_OP_MAP: the requested mapping (MAP only, always last, never
 *   merged with its neighbours).
 *
 * A MAP yields any number of unmaps, at most two remaps and one map; an
 * UNMAP yields unmaps and at most two remaps, and nothing for a hole.
 * Every structure the steps need (new mappings, array room) is allocated
 * while the list is built, so tyrc_gpuvm_ops_commit() cannot fail: the
 * caller computes the list, updates whatever mirrors the mappings (page
 * tables), and commits or drops the list. Dropping it leaves the VM as it
 * was.
 */
#ifndef TYRC_GPUVM_H
#define TYRC_GPUVM_H

#include <tyrc/types.h>

/** struct tyrc_gpuva - one mapping. */
struct tyrc_gpuva {
	/** @va: first GPU virtual address. */
	u64 va;
	/** @range: size in bytes, non-zero. */
	u64 range;
	/** @obj: the mapped object (opaque here; compared by address). */
	void *obj;
	/** @offset: offset in @obj that @va maps. */
	u64 offset;
	/** @flags: caller-defined attributes, copied to remnants. */
	u32 flags;
};

/** struct tyrc_gpuvm - the mappings of one VM. */
struct tyrc_gpuvm {
	/** @mm_start: first address mappings may use. */
	u64 mm_start;
	/** @mm_range: size of the managed range; [@mm_start, @mm_start + @mm_range). */
	u64 mm_range;
	/** @vas: the mappings, sorted by address, non-overlapping (owned). */
	struct tyrc_gpuva **vas;
	/** @count: number of entries in @vas. */
	u32 count;
	/** @cap: number of slots allocated in @vas. */
	u32 cap;
};

/** enum tyrc_gpuva_op_type - kind of one step of an update. */
enum tyrc_gpuva_op_type {
	TYRC_GPUVA_OP_MAP,
	TYRC_GPUVA_OP_REMAP,
	TYRC_GPUVA_OP_UNMAP,
};

/** struct tyrc_gpuva_op - one step of an update. */
struct tyrc_gpuva_op {
	/** @type: what the step does. */
	enum tyrc_gpuva_op_type type;
	/**
	 * @va: MAP: the new mapping (owned by the list until committed);
	 * UNMAP, REMAP: the existing mapping that goes away (owned by the
	 * list once committed).
	 */
	struct tyrc_gpuva *va;
	/** @prev: REMAP: the remnant before the range, or NULL. */
	struct tyrc_gpuva *prev;
	/** @next: REMAP: the remnant after the range, or NULL. */
	struct tyrc_gpuva *next;
	/** @keep: UNMAP: same object and offset as the requested mapping. */
	bool keep;
};

/** struct tyrc_gpuva_ops - the steps of one update, from tyrc_gpuvm_sm_map/unmap(). */
struct tyrc_gpuva_ops {
	/** @ops: the steps, in address order, MAP last. */
	struct tyrc_gpuva_op *ops;
	/** @count: number of steps. */
	u32 count;
	/** @first: index in the VM's array of the first mapping the update replaces. */
	u32 first;
	/** @committed: tyrc_gpuvm_ops_commit() ran. */
	bool committed;
};

/** tyrc_gpuvm_init() - an empty VM managing [@start, @start + @range). */
void tyrc_gpuvm_init(struct tyrc_gpuvm *gpuvm, u64 start, u64 range);
/**
 * tyrc_gpuvm_fini() - free the array; every mapping must be gone (the
 * caller removes them first, releasing what they reference).
 */
void tyrc_gpuvm_fini(struct tyrc_gpuvm *gpuvm);

/**
 * tyrc_gpuvm_range_valid() - [@addr, @addr + @range) is non-empty, does not
 * wrap and lies inside the managed range.
 */
bool tyrc_gpuvm_range_valid(const struct tyrc_gpuvm *gpuvm, u64 addr, u64 range);

/** tyrc_gpuvm_find_first() - lowest mapping overlapping [@addr, @addr + @range), or NULL. */
struct tyrc_gpuva *tyrc_gpuvm_find_first(const struct tyrc_gpuvm *gpuvm, u64 addr, u64 range);
/** tyrc_gpuvm_find() - the mapping exactly at [@addr, @addr + @range), or NULL. */
struct tyrc_gpuva *tyrc_gpuvm_find(const struct tyrc_gpuvm *gpuvm, u64 addr, u64 range);
/** tyrc_gpuvm_lookup() - the mapping containing @addr, or NULL. */
struct tyrc_gpuva *tyrc_gpuvm_lookup(const struct tyrc_gpuvm *gpuvm, u64 addr);

/** tyrc_gpuvm_count() - number of mappings. */
static inline u32 tyrc_gpuvm_count(const struct tyrc_gpuvm *gpuvm)
{
	return gpuvm->count;
}

/** tyrc_gpuvm_nth() - the @i-th mapping in address order (@i < count). */
static inline struct tyrc_gpuva *tyrc_gpuvm_nth(const struct tyrc_gpuvm *gpuvm, u32 i)
{
	return gpuvm->vas[i];
}

/**
 * tyrc_gpuvm_sm_map() - the steps that map [@addr, @addr + @range) to @obj
 * at @offset with @flags, replacing whatever is mapped there.
 * @ops: receives the list; release it with tyrc_gpuva_ops_free().
 *
 * Return: 0; -EINVAL for an invalid range or a NULL @obj; -ENOMEM.
 * Nothing changes in @gpuvm.
 */
int tyrc_gpuvm_sm_map(struct tyrc_gpuvm *gpuvm, u64 addr, u64 range, void *obj, u64 offset,
		      u32 flags, struct tyrc_gpuva_ops *ops);

/**
 * tyrc_gpuvm_sm_unmap() - the steps that leave [@addr, @addr + @range)
 * unmapped. Holes are fine (an empty list for a range with no mapping).
 *
 * Return: 0; -EINVAL for an invalid range; -ENOMEM. Nothing changes.
 */
int tyrc_gpuvm_sm_unmap(struct tyrc_gpuvm *gpuvm, u64 addr, u64 range, struct tyrc_gpuva_ops *ops);

/**
 * tyrc_gpuva_op_unmap_range() - the part of an UNMAP/REMAP step's mapping
 * that stops being mapped: the whole mapping for UNMAP, the part between
 * the remnants for REMAP.
 */
void tyrc_gpuva_op_unmap_range(const struct tyrc_gpuva_op *op, u64 *start, u64 *range);

/**
 * tyrc_gpuvm_ops_commit() - apply @ops to @gpuvm. @ops must come from the
 * last tyrc_gpuvm_sm_map/unmap() on @gpuvm, with no other change since.
 * Cannot fail. Afterwards the list owns the removed mappings (still
 * readable) until tyrc_gpuva_ops_free().
 */
void tyrc_gpuvm_ops_commit(struct tyrc_gpuvm *gpuvm, struct tyrc_gpuva_ops *ops);

/**
 * tyrc_gpuva_ops_free() - release a list: the removed mappings if it was
 * committed, else the new ones it prepared. NULL-tolerant on empty lists.
 */
void tyrc_gpuva_ops_free(struct tyrc_gpuva_ops *ops);

#endif /* TYRC_GPUVM_H */
