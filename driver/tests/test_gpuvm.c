// SPDX-License-Identifier: MIT
/*
 * gpuvm range tracking without a GPU: the step lists of drm_gpuvm's
 * split/merge rules (remnants keep their object, flags and the right
 * offset; identical mappings are unmapped with keep; holes, supersets and
 * subsets unmap fine), the all-or-nothing property of an uncommitted list,
 * invalid ranges, and a randomised comparison with a flat page array.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tyrc_gpuvm.h"

#define PG 0x1000ULL
#define MM_START (16 * PG)
#define NPAGES 256u

static int objs[4];

/* The expected state: what each page of [MM_START, MM_START + NPAGES * PG) maps. */
struct ref_page {
	void *obj;
	u64 offset;
	u32 flags;
};

static void check_tree(const struct tyrc_gpuvm *vm, const struct ref_page *ref)
{
	u64 covered = 0;

	for (u32 i = 0; i < tyrc_gpuvm_count(vm); i++) {
		const struct tyrc_gpuva *va = tyrc_gpuvm_nth(vm, i);

		assert_true(va->range > 0);
		assert_true(va->va >= MM_START && va->va + va->range <= MM_START + NPAGES * PG);
		if (i)
			assert_true(tyrc_gpuvm_nth(vm, i - 1)->va +
					    tyrc_gpuvm_nth(vm, i - 1)->range <=
				    va->va);
		for (u64 a = va->va; a < va->va + va->range; a += PG) {
			const struct ref_page *r = &ref[(a - MM_START) / PG];

			assert_ptr_equal(r->obj, va->obj);
			assert_int_equal(r->offset, va->offset + (a - va->va));
			assert_int_equal(r->flags, va->flags);
			covered++;
		}
	}
	for (u32 p = 0; p < NPAGES; p++) {
		const struct tyrc_gpuva *va = tyrc_gpuvm_lookup(vm, MM_START + p * PG);

		assert_true((ref[p].obj != NULL) == (va != NULL));
		if (ref[p].obj)
			covered--;
	}
	assert_int_equal(covered, 0);
}

/* Structural rules of a step list for a request on [addr, addr + range). */
static void check_ops(const struct tyrc_gpuva_ops *ops, u64 addr, u64 range, bool is_map)
{
	u32 remaps = 0, maps = 0;
	u64 last_end = 0;

	for (u32 i = 0; i < ops->count; i++) {
		const struct tyrc_gpuva_op *op = &ops->ops[i];
		u64 s = op->va->va, e = op->va->va + op->va->range;

		switch (op->type) {
		case TYRC_GPUVA_OP_MAP:
			assert_int_equal(i, ops->count - 1);
			assert_int_equal(s, addr);
			assert_int_equal(op->va->range, range);
			maps++;
			continue;
		case TYRC_GPUVA_OP_UNMAP:
			assert_true(s >= addr && e <= addr + range);
			break;
		case TYRC_GPUVA_OP_REMAP:
			remaps++;
			assert_true(s < addr || e > addr + range);
			assert_true((op->prev != NULL) == (s < addr));
			assert_true((op->next != NULL) == (e > addr + range));
			if (op->prev) {
				assert_int_equal(op->prev->va, s);
				assert_int_equal(op->prev->va + op->prev->range, addr);
				assert_int_equal(op->prev->offset, op->va->offset);
			}
			if (op->next) {
				assert_int_equal(op->next->va, addr + range);
				assert_int_equal(op->next->offset,
						 op->va->offset + (addr + range - s));
			}
			break;
		}
		assert_true(s >= last_end);
		last_end = e;
	}
	assert_true(remaps <= 2);
	assert_int_equal(maps, is_map ? 1 : 0);
}

static void apply_ref(struct ref_page *ref, u64 addr, u64 range, void *obj, u64 offset, u32 flags)
{
	for (u64 a = addr; a < addr + range; a += PG)
		ref[(a - MM_START) / PG] =
			(struct ref_page){ .obj = obj,
					   .offset = obj ? offset + (a - addr) : 0,
					   .flags = obj ? flags : 0 };
}

static void clear_all(struct tyrc_gpuvm *vm)
{
	struct tyrc_gpuva_ops ops;

	assert_int_equal(tyrc_gpuvm_sm_unmap(vm, MM_START, NPAGES * PG, &ops), 0);
	tyrc_gpuvm_ops_commit(vm, &ops);
	tyrc_gpuva_ops_free(&ops);
	assert_int_equal(tyrc_gpuvm_count(vm), 0);
	tyrc_gpuvm_fini(vm);
}

static void do_map(struct tyrc_gpuvm *vm, u64 addr, u64 range, void *obj, u64 offset, u32 flags,
		   struct tyrc_gpuva_ops *ops)
{
	assert_int_equal(tyrc_gpuvm_sm_map(vm, addr, range, obj, offset, flags, ops), 0);
	check_ops(ops, addr, range, true);
}

static void commit_free(struct tyrc_gpuvm *vm, struct tyrc_gpuva_ops *ops)
{
	tyrc_gpuvm_ops_commit(vm, ops);
	tyrc_gpuva_ops_free(ops);
}

static void test_map_split_middle(void **state)
{
	struct tyrc_gpuvm vm;
	struct tyrc_gpuva_ops ops;
	struct tyrc_gpuva *va;

	(void)state;
	tyrc_gpuvm_init(&vm, MM_START, NPAGES * PG);
	do_map(&vm, MM_START, 16 * PG, &objs[0], 0x10000, 7, &ops);
	assert_int_equal(ops.count, 1);
	commit_free(&vm, &ops);

	/* A MAP in the middle: one remap with both remnants, then the map. */
	do_map(&vm, MM_START + 4 * PG, 2 * PG, &objs[1], 0, 0, &ops);
	assert_int_equal(ops.count, 2);
	assert_int_equal(ops.ops[0].type, TYRC_GPUVA_OP_REMAP);
	assert_non_null(ops.ops[0].prev);
	assert_non_null(ops.ops[0].next);
	assert_int_equal(ops.ops[1].type, TYRC_GPUVA_OP_MAP);
	commit_free(&vm, &ops);

	assert_int_equal(tyrc_gpuvm_count(&vm), 3);
	va = tyrc_gpuvm_nth(&vm, 2);
	assert_int_equal(va->va, MM_START + 6 * PG);
	assert_int_equal(va->range, 10 * PG);
	assert_ptr_equal(va->obj, &objs[0]);
	assert_int_equal(va->offset, 0x10000 + 6 * PG);
	assert_int_equal(va->flags, 7);
	assert_int_equal(tyrc_gpuvm_nth(&vm, 0)->range, 4 * PG);
	clear_all(&vm);
}

static void test_map_identical_keeps(void **state)
{
	struct tyrc_gpuvm vm;
	struct tyrc_gpuva_ops ops;

	(void)state;
	tyrc_gpuvm_init(&vm, MM_START, NPAGES * PG);
	do_map(&vm, MM_START, 8 * PG, &objs[0], 0, 0, &ops);
	commit_free(&vm, &ops);
	do_map(&vm, MM_START, 8 * PG, &objs[0], 0, 0, &ops);
	assert_int_equal(ops.count, 2);
	assert_int_equal(ops.ops[0].type, TYRC_GPUVA_OP_UNMAP);
	assert_true(ops.ops[0].keep);
	commit_free(&vm, &ops);
	/* Another object over it: no keep. */
	do_map(&vm, MM_START, 8 * PG, &objs[1], 0, 0, &ops);
	assert_false(ops.ops[0].keep);
	commit_free(&vm, &ops);
	assert_int_equal(tyrc_gpuvm_count(&vm), 1);
	clear_all(&vm);
}

static void test_map_spanning_several(void **state)
{
	struct tyrc_gpuvm vm;
	struct tyrc_gpuva_ops ops;

	(void)state;
	tyrc_gpuvm_init(&vm, MM_START, NPAGES * PG);
	for (u32 i = 0; i < 5; i++) {
		do_map(&vm, MM_START + i * 4 * PG, 4 * PG, &objs[i % 3], 0, 0, &ops);
		commit_free(&vm, &ops);
	}
	/* [2, 18) pages: remap(prev) unmap unmap unmap remap(next) map. */
	do_map(&vm, MM_START + 2 * PG, 16 * PG, &objs[3], 0, 0, &ops);
	assert_int_equal(ops.count, 6);
	assert_int_equal(ops.ops[0].type, TYRC_GPUVA_OP_REMAP);
	assert_int_equal(ops.ops[1].type, TYRC_GPUVA_OP_UNMAP);
	assert_int_equal(ops.ops[4].type, TYRC_GPUVA_OP_REMAP);
	commit_free(&vm, &ops);
	assert_int_equal(tyrc_gpuvm_count(&vm), 3);
	clear_all(&vm);
}

static void test_unmap_holes_supersets_subsets(void **state)
{
	struct tyrc_gpuvm vm;
	struct tyrc_gpuva_ops ops;
	u64 s, r;

	(void)state;
	tyrc_gpuvm_init(&vm, MM_START, NPAGES * PG);
	/* A hole: nothing to do. */
	assert_int_equal(tyrc_gpuvm_sm_unmap(&vm, MM_START, 4 * PG, &ops), 0);
	assert_int_equal(ops.count, 0);
	commit_free(&vm, &ops);

	do_map(&vm, MM_START + 8 * PG, 8 * PG, &objs[0], 0, 0, &ops);
	commit_free(&vm, &ops);
	/* Subset: one remap with both remnants; the unmapped part is the subset. */
	assert_int_equal(tyrc_gpuvm_sm_unmap(&vm, MM_START + 10 * PG, 2 * PG, &ops), 0);
	check_ops(&ops, MM_START + 10 * PG, 2 * PG, false);
	assert_int_equal(ops.count, 1);
	tyrc_gpuva_op_unmap_range(&ops.ops[0], &s, &r);
	assert_int_equal(s, MM_START + 10 * PG);
	assert_int_equal(r, 2 * PG);
	commit_free(&vm, &ops);
	assert_int_equal(tyrc_gpuvm_count(&vm), 2);
	/* Superset of both remnants. */
	assert_int_equal(tyrc_gpuvm_sm_unmap(&vm, MM_START, 32 * PG, &ops), 0);
	assert_int_equal(ops.count, 2);
	assert_int_equal(ops.ops[0].type, TYRC_GPUVA_OP_UNMAP);
	commit_free(&vm, &ops);
	assert_int_equal(tyrc_gpuvm_count(&vm), 0);
	tyrc_gpuvm_fini(&vm);
}

static void test_uncommitted_changes_nothing(void **state)
{
	struct ref_page ref[NPAGES] = {};
	struct tyrc_gpuvm vm;
	struct tyrc_gpuva_ops ops;

	(void)state;
	tyrc_gpuvm_init(&vm, MM_START, NPAGES * PG);
	do_map(&vm, MM_START, 16 * PG, &objs[0], 0, 3, &ops);
	commit_free(&vm, &ops);
	apply_ref(ref, MM_START, 16 * PG, &objs[0], 0, 3);

	do_map(&vm, MM_START + 4 * PG, 2 * PG, &objs[1], 0, 0, &ops);
	tyrc_gpuva_ops_free(&ops);
	assert_int_equal(tyrc_gpuvm_sm_unmap(&vm, MM_START + 2 * PG, 20 * PG, &ops), 0);
	tyrc_gpuva_ops_free(&ops);
	check_tree(&vm, ref);
	clear_all(&vm);
}

static void test_invalid_ranges(void **state)
{
	struct tyrc_gpuvm vm;
	struct tyrc_gpuva_ops ops;

	(void)state;
	tyrc_gpuvm_init(&vm, MM_START, NPAGES * PG);
	assert_int_equal(tyrc_gpuvm_sm_map(&vm, MM_START, 0, &objs[0], 0, 0, &ops), -EINVAL);
	assert_int_equal(tyrc_gpuvm_sm_map(&vm, 0, PG, &objs[0], 0, 0, &ops), -EINVAL);
	assert_int_equal(
		tyrc_gpuvm_sm_map(&vm, MM_START + (NPAGES - 1) * PG, 2 * PG, &objs[0], 0, 0, &ops),
		-EINVAL);
	assert_int_equal(tyrc_gpuvm_sm_map(&vm, MM_START, PG, NULL, 0, 0, &ops), -EINVAL);
	assert_int_equal(tyrc_gpuvm_sm_unmap(&vm, MM_START, ~0ULL - PG, &ops), -EINVAL);
	assert_int_equal(tyrc_gpuvm_count(&vm), 0);
	assert_false(tyrc_gpuvm_range_valid(&vm, ~0ULL - PG + 1, 2 * PG));
	assert_true(tyrc_gpuvm_range_valid(&vm, MM_START, NPAGES * PG));
	tyrc_gpuvm_fini(&vm);
}

/* Random maps and unmaps, half of them dropped uncommitted, against a page array. */
static void test_random_vs_reference(void **state)
{
	struct ref_page ref[NPAGES] = {};
	struct tyrc_gpuvm vm;
	unsigned int seed = 0x5eed;

	(void)state;
	tyrc_gpuvm_init(&vm, MM_START, NPAGES * PG);
	for (int iter = 0; iter < 20000; iter++) {
		struct tyrc_gpuva_ops ops;
		u64 page = rand_r(&seed) % NPAGES;
		u64 len = 1 + rand_r(&seed) % tyrc_min(40u, NPAGES - page);
		u64 addr = MM_START + page * PG, range = len * PG;
		bool is_map = rand_r(&seed) % 3 != 0;
		bool commit = rand_r(&seed) % 4 != 0;
		void *obj = &objs[rand_r(&seed) % 4];
		u64 offset = (rand_r(&seed) % 64) * PG;
		u32 flags = rand_r(&seed) % 8;

		if (is_map)
			do_map(&vm, addr, range, obj, offset, flags, &ops);
		else {
			assert_int_equal(tyrc_gpuvm_sm_unmap(&vm, addr, range, &ops), 0);
			check_ops(&ops, addr, range, false);
		}
		if (commit) {
			tyrc_gpuvm_ops_commit(&vm, &ops);
			apply_ref(ref, addr, range, is_map ? obj : NULL, offset, flags);
		}
		tyrc_gpuva_ops_free(&ops);
		if (iter % 16 == 0 || iter > 19900)
			check_tree(&vm, ref);

		/* Interval lookup against the reference. */
		{
			const struct tyrc_gpuva *va = tyrc_gpuvm_find_first(&vm, addr, range);
			u64 first = ~0ULL;

			for (u64 a = addr; a < addr + range; a += PG)
				if (ref[(a - MM_START) / PG].obj) {
					first = a;
					break;
				}
			if (first == ~0ULL)
				assert_null(va);
			else
				assert_true(va && va->va <= first && first < va->va + va->range &&
					    (va->va >= addr || va->va + va->range > addr));
		}
	}
	check_tree(&vm, ref);
	clear_all(&vm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_map_split_middle),
		cmocka_unit_test(test_map_identical_keeps),
		cmocka_unit_test(test_map_spanning_several),
		cmocka_unit_test(test_unmap_holes_supersets_subsets),
		cmocka_unit_test(test_uncommitted_changes_nothing),
		cmocka_unit_test(test_invalid_ranges),
		cmocka_unit_test(test_random_vs_reference),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
