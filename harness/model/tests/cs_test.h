/* SPDX-License-Identifier: MIT */
/*
 * Fixture of the command-stream interpreter tests (test_model_cs.c,
 * test_model_cs_ops.c, test_model_cs_sb.c): one CS on a hand-built
 * address space with a code page and data pages, stepped on a virtual
 * clock (every step passes the time explicitly, so nothing sleeps).
 */
#ifndef CS_TEST_H
#define CS_TEST_H

#include "mmu_test.h"
#include "model_cs.h"

/* Code at CODE_VA (1 page), data right after it at DATA_VA (4 pages). */
#define CODE_VA 0x1000000ULL
#define DATA_VA 0x1001000ULL
#define DATA_PAGES 4u
#define T0 1000000000ULL

struct cs_env {
	struct model_fixture *f;
	u64 root;
	u64 code_pa;
	u64 data_pa;
	struct model_cs cs;
	struct model_cs_result res;
};

static inline struct cs_env *env_new(void **state)
{
	struct cs_env *e = calloc(1, sizeof(*e));

	assert_non_null(e);
	e->f = *state;
	e->root = pt_new_table(e->f);
	as_enable(e->f, TEST_AS, e->root, TEST_TRANSCFG);
	e->code_pa = ram_alloc(e->f, 0);
	pt_map_page(e->f, e->root, CODE_VA, PTE_PAGE(e->code_pa));
	e->data_pa = ram_alloc(e->f, 2);
	for (unsigned int i = 0; i < DATA_PAGES; i++)
		pt_map_page(e->f, e->root, DATA_VA + i * SZ_4K, PTE_PAGE(e->data_pa + i * SZ_4K));
	model_cs_init(&e->cs, TEST_AS);
	return e;
}

/* Copy @n words to @va (inside the code or data mapping). */
static inline void env_put(struct cs_env *e, u64 va, const u64 *words, u32 n)
{
	u64 pa = va >= DATA_VA ? e->data_pa + (va - DATA_VA) : e->code_pa + (va - CODE_VA);

	memcpy(ram_ptr(e->f, pa), words, n * 8);
}

static inline void *env_data(struct cs_env *e, u64 va)
{
	return ram_ptr(e->f, e->data_pa + (va - DATA_VA));
}

/* Finish @b, store its words at @va and start the CS there. */
static inline void env_load(struct cs_env *e, struct tyrc_cs_builder *b, u64 va)
{
	u32 size = 0;

	assert_int_equal(tyrc_cs_builder_finish(b, &size), 0);
	env_put(e, va, b->buf, b->len);
	assert_int_equal(model_cs_start(&e->cs, va, size), 0);
}

static inline void env_step(struct cs_env *e, u64 now, u32 budget)
{
	tyrc_mutex_lock(&e->f->model->lock);
	model_cs_step_locked(e->f->model, &e->cs, now, budget, &e->res);
	tyrc_mutex_unlock(&e->f->model->lock);
}

static inline bool env_recheck(struct cs_env *e, u64 now)
{
	bool ret;

	tyrc_mutex_lock(&e->f->model->lock);
	ret = model_cs_recheck_locked(e->f->model, &e->cs, now);
	tyrc_mutex_unlock(&e->f->model->lock);
	return ret;
}

static inline void env_expect(struct cs_env *e, enum model_cs_status status)
{
	if (e->cs.status != status)
		fail_msg("status %d, expected %d (exception 0x%x at 0x%llx)", e->cs.status, status,
			 e->cs.exception_type, (unsigned long long)e->cs.exception_pc);
}

/*
 * Build the stream @words[0..@n) at CODE_VA, start it and step once at @now
 * with a budget of 1000 instructions.
 */
static inline void env_run(struct cs_env *e, const u64 *words, u32 n, u64 now)
{
	env_put(e, CODE_VA, words, n);
	assert_int_equal(model_cs_start(&e->cs, CODE_VA, n * 8), 0);
	env_step(e, now, 1000);
}

#endif /* CS_TEST_H */
