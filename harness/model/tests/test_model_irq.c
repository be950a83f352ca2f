// SPDX-License-Identifier: MIT
/*
 * Interrupt blocks: RAWSTAT/CLEAR/MASK/STAT semantics, the level the model
 * drives, and delivery to a real threaded handler, for GPU_INT, JOB_INT and
 * MMU_INT alike.
 */
#include "model_test.h"

/** struct irq_case - one interrupt block under test. */
struct irq_case {
	const char *name;
	enum tyrc_model_irq line;
	u32 rawstat;
};

static const struct irq_case irq_cases[] = {
	{ "gpu", TYRC_MODEL_IRQ_GPU, GPU_INT_RAWSTAT },
	{ "job", TYRC_MODEL_IRQ_JOB, JOB_INT_RAWSTAT },
	{ "mmu", TYRC_MODEL_IRQ_MMU, MMU_INT_RAWSTAT },
};

/* Block registers, relative to RAWSTAT as the tables declare them for GPU_INT. */
#define R_CLEAR (GPU_INT_CLEAR - GPU_INT_RAWSTAT)
#define R_MASK (GPU_INT_MASK - GPU_INT_RAWSTAT)
#define R_STAT (GPU_INT_STAT - GPU_INT_RAWSTAT)

static bool asserted(struct model_fixture *f, enum tyrc_model_irq line)
{
	return tyrc_model_irq_asserted(f->model, line);
}

static void check_block_semantics(struct model_fixture *f, const struct irq_case *c)
{
	u32 base = c->rawstat;

	assert_int_equal(rd(f, base), 0);
	assert_int_equal(rd(f, base + R_MASK), 0);
	assert_int_equal(rd(f, base + R_STAT), 0);
	assert_false(asserted(f, c->line));

	/* RAWSTAT latches whatever MASK says; writing RAWSTAT sets bits. */
	wr(f, base, BIT(3) | BIT(31));
	assert_int_equal(rd(f, base), BIT(3) | BIT(31));
	assert_int_equal(rd(f, base + R_STAT), 0);
	assert_false(asserted(f, c->line));
	wr(f, base, BIT(5));
	assert_int_equal(rd(f, base), BIT(3) | BIT(5) | BIT(31));

	/* STAT = RAWSTAT & MASK; the line follows STAT != 0. */
	wr(f, base + R_MASK, BIT(5) | BIT(7));
	assert_int_equal(rd(f, base + R_MASK), BIT(5) | BIT(7));
	assert_int_equal(rd(f, base + R_STAT), BIT(5));
	assert_true(asserted(f, c->line));

	/* STAT is read-only, CLEAR write-only. */
	wr(f, base + R_STAT, 0);
	assert_int_equal(rd(f, base + R_STAT), BIT(5));
	assert_int_equal(rd(f, base + R_CLEAR), 0);

	/* CLEAR is write-1-to-clear: zeros and unset bits change nothing. */
	wr(f, base + R_CLEAR, 0);
	wr(f, base + R_CLEAR, BIT(9));
	assert_int_equal(rd(f, base), BIT(3) | BIT(5) | BIT(31));
	wr(f, base + R_CLEAR, BIT(5));
	assert_int_equal(rd(f, base), BIT(3) | BIT(31));
	assert_int_equal(rd(f, base + R_STAT), 0);
	assert_false(asserted(f, c->line));

	/* Unmasking an already latched event raises the line; masking drops it. */
	wr(f, base + R_MASK, BIT(31));
	assert_int_equal(rd(f, base + R_STAT), BIT(31));
	assert_true(asserted(f, c->line));
	wr(f, base + R_MASK, 0);
	assert_false(asserted(f, c->line));
	assert_int_equal(rd(f, base), BIT(3) | BIT(31));

	/* Clearing everything leaves the block quiet. */
	wr(f, base + R_CLEAR, ~0u);
	wr(f, base + R_MASK, ~0u);
	assert_int_equal(rd(f, base), 0);
	assert_false(asserted(f, c->line));
	wr(f, base + R_MASK, 0);
}

static void test_block_semantics(void **state)
{
	struct model_fixture *f = *state;

	for (unsigned int i = 0; i < ARRAY_SIZE(irq_cases); i++)
		check_block_semantics(f, &irq_cases[i]);
}

static void test_blocks_independent(void **state)
{
	struct model_fixture *f = *state;

	for (unsigned int i = 0; i < ARRAY_SIZE(irq_cases); i++)
		wr(f, irq_cases[i].rawstat + R_MASK, ~0u);
	wr(f, JOB_INT_RAWSTAT, JOB_INT_GLOBAL_IF);
	assert_true(asserted(f, TYRC_MODEL_IRQ_JOB));
	assert_false(asserted(f, TYRC_MODEL_IRQ_GPU));
	assert_false(asserted(f, TYRC_MODEL_IRQ_MMU));
	assert_int_equal(rd(f, GPU_INT_RAWSTAT), 0);
	assert_int_equal(rd(f, MMU_INT_RAWSTAT), 0);
	wr(f, MMU_INT_RAWSTAT, MMU_INT_AS_FAULT(2));
	assert_true(asserted(f, TYRC_MODEL_IRQ_MMU));
	wr(f, JOB_INT_CLEAR, JOB_INT_GLOBAL_IF);
	assert_false(asserted(f, TYRC_MODEL_IRQ_JOB));
	assert_true(asserted(f, TYRC_MODEL_IRQ_MMU));
}

/** struct irq_probe - what a panthor-style handler saw. */
struct irq_probe {
	struct model_fixture *f;
	u32 base;
	/** @saved_mask: MASK the hard handler found and zeroed. */
	u32 saved_mask;
	/** @seen: every status the thread handler processed (ORed). */
	u32 seen;
	/** @hard_calls / @thread_calls: invocation counts. */
	int hard_calls;
	int thread_calls;
	/** @none_calls: hard-handler calls that found STAT == 0. */
	int none_calls;
};

/* The panthor pattern: STAT == 0 is not ours, else mask everything and defer. */
static enum tyrc_irqreturn probe_hard(void *data)
{
	struct irq_probe *p = data;

	__atomic_add_fetch(&p->hard_calls, 1, __ATOMIC_SEQ_CST);
	if (!rd(p->f, p->base + R_STAT)) {
		__atomic_add_fetch(&p->none_calls, 1, __ATOMIC_SEQ_CST);
		return TYRC_IRQ_NONE;
	}
	p->saved_mask = rd(p->f, p->base + R_MASK);
	wr(p->f, p->base + R_MASK, 0);
	return TYRC_IRQ_WAKE_THREAD;
}

/* Loop on RAWSTAT & saved mask, clear what was handled, then restore MASK. */
static enum tyrc_irqreturn probe_thread(void *data)
{
	struct irq_probe *p = data;
	u32 status;

	while ((status = rd(p->f, p->base) & p->saved_mask)) {
		wr(p->f, p->base + R_CLEAR, status);
		__atomic_or_fetch(&p->seen, status, __ATOMIC_SEQ_CST);
	}
	wr(p->f, p->base + R_MASK, p->saved_mask);
	__atomic_add_fetch(&p->thread_calls, 1, __ATOMIC_SEQ_CST);
	return TYRC_IRQ_HANDLED;
}

static int load(int *v)
{
	return __atomic_load_n(v, __ATOMIC_SEQ_CST);
}

/* Poll (bounded) until @v reaches @n. */
static void wait_count(int *v, int n)
{
	u64 deadline = tyrc_ktime_get_ns() + TEST_TIMEOUT_NS;

	while (load(v) < n) {
		if (tyrc_ktime_get_ns() > deadline)
			fail_msg("counter stuck at %d, wanted %d", load(v), n);
		tyrc_usleep(50);
	}
}

static void check_delivery(struct model_fixture *f, const struct irq_case *c)
{
	struct tyrc_irq_line *line = tyrc_model_irq_line(f->model, c->line);
	struct irq_probe p = { .f = f, .base = c->rawstat };

	assert_int_equal(tyrc_request_threaded_irq(line, probe_hard, probe_thread, &p), 0);

	/* A masked event is latched but not delivered... */
	wr(f, c->rawstat + R_MASK, BIT(1));
	wr(f, c->rawstat, BIT(0));
	/* ...an enabled one is, and the handler sees only the enabled bits. */
	wr(f, c->rawstat, BIT(1));
	wait_count(&p.thread_calls, 1);
	assert_int_equal(load(&p.hard_calls) - load(&p.none_calls), 1);
	assert_int_equal(__atomic_load_n(&p.seen, __ATOMIC_SEQ_CST), BIT(1));
	assert_int_equal(rd(f, c->rawstat), BIT(0));
	assert_int_equal(rd(f, c->rawstat + R_MASK), BIT(1));

	/* Unmasking the latched event delivers it too. */
	wr(f, c->rawstat + R_MASK, BIT(0) | BIT(1));
	wait_count(&p.thread_calls, 2);
	assert_int_equal(__atomic_load_n(&p.seen, __ATOMIC_SEQ_CST), BIT(0) | BIT(1));
	assert_int_equal(rd(f, c->rawstat), 0);
	assert_false(asserted(f, c->line));

	tyrc_free_irq(line);
	wr(f, c->rawstat + R_MASK, 0);
}

static void test_delivery(void **state)
{
	struct model_fixture *f = *state;

	for (unsigned int i = 0; i < ARRAY_SIZE(irq_cases); i++)
		check_delivery(f, &irq_cases[i]);
}

/*
 * The model never calls into the driver: raising an interrupt from inside a
 * handler's own MMIO access (the thread handler writes RAWSTAT) must not
 * deadlock, and the new event is delivered again.
 */
struct reraise {
	struct model_fixture *f;
	int rounds;
};

static enum tyrc_irqreturn reraise_hard(void *data)
{
	struct reraise *r = data;

	if (!rd(r->f, JOB_INT_STAT))
		return TYRC_IRQ_NONE;
	wr(r->f, JOB_INT_MASK, 0);
	return TYRC_IRQ_WAKE_THREAD;
}

static enum tyrc_irqreturn reraise_thread(void *data)
{
	struct reraise *r = data;

	wr(r->f, JOB_INT_CLEAR, ~0u);
	if (__atomic_add_fetch(&r->rounds, 1, __ATOMIC_SEQ_CST) < 5)
		wr(r->f, JOB_INT_RAWSTAT, JOB_INT_CSG(1));
	wr(r->f, JOB_INT_MASK, ~0u);
	return TYRC_IRQ_HANDLED;
}

static void test_reraise_from_handler(void **state)
{
	struct model_fixture *f = *state;
	struct tyrc_irq_line *line = tyrc_model_irq_line(f->model, TYRC_MODEL_IRQ_JOB);
	struct reraise r = { .f = f };

	assert_int_equal(tyrc_request_threaded_irq(line, reraise_hard, reraise_thread, &r), 0);
	wr(f, JOB_INT_MASK, ~0u);
	wr(f, JOB_INT_RAWSTAT, JOB_INT_GLOBAL_IF);
	wait_count(&r.rounds, 5);
	tyrc_free_irq(line);
	assert_int_equal(rd(f, JOB_INT_RAWSTAT), 0);
	assert_int_equal(load(&r.rounds), 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_block_semantics, fixture_setup_instant,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_blocks_independent, fixture_setup_instant,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_delivery, fixture_setup_instant,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_reraise_from_handler, fixture_setup_instant,
						fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
