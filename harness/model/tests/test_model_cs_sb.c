// SPDX-License-Identifier: MIT
/*
 * Scoreboard ordering in the command-stream interpreter (model_cs.c),
 * against cs-isa-v10.md §4-§5: a WAIT returns once the slots of its mask,
 * and only those, have drained; asynchronous operations complete in issue
 * order; an operation deferred by a wait mask (SYNC_*, STORE_STATE,
 * HEAP_OPERATION, TRACE_POINT, FINISH_FRAGMENT) takes effect only once those
 * slots drained, and not before. Times are virtual (T0 plus the documented
 * latencies).
 */
#include "cs_test.h"

/* A RUN_COMPUTE of @wgs workgroups costs this much (4 shader cores). */
#define RUN_NS(wgs) ((wgs)*MODEL_CS_WORKGROUP_NS / 4)
/* The cache_flush_ns these tests configure. */
#define FLUSH_NS 1000ULL

/* RUN_COMPUTE with every field 0 (its cost comes from r37..r39). */
static u64 run_compute(void)
{
	return tyrc_cs_pack_run_compute(&(struct tyrc_cs_run_compute){ 0 });
}

/* A fixture whose RUN_COMPUTE costs RUN_NS(@wgs) on endpoint slot 1 and flushes FLUSH_NS. */
static struct cs_env *sb_env(void **state, u32 wgs)
{
	struct cs_env *e = env_new(state);

	e->f->model->cfg.cache_flush_ns = FLUSH_NS;
	e->cs.regs[37] = wgs;
	e->cs.regs[38] = 1;
	e->cs.regs[39] = 1;
	e->cs.sb_endpoint = 1;
	return e;
}

/* FLUSH_CACHE2 (always flushes: flush ID register r90 = 0) signalling @slot. */
static u64 flush_on(unsigned int slot)
{
	return tyrc_cs_flush_cache2(TYRC_CS_FLUSH_CLEAN, TYRC_CS_FLUSH_NONE, TYRC_CS_FLUSH_NONE, 0,
				    90, slot);
}

/* WAIT {1} returns when slot 1 drains although slot 2 is still busy; WAIT {2} later. */
static void test_wait_returns_when_masked_slots_drain(void **state)
{
	struct cs_env *e = sb_env(state, 1);
	const u64 w[] = {
		run_compute(),
		flush_on(2),
		tyrc_cs_wait(BIT(1), false),
		tyrc_cs_move32(10, 1),
		tyrc_cs_wait(BIT(2), false),
		tyrc_cs_move32(11, 1),
	};

	env_run(e, w, ARRAY_SIZE(w), T0);
	env_expect(e, MODEL_CS_BLOCKED_SB);
	assert_int_equal(e->cs.sb_wait_mask, BIT(1));
	env_step(e, T0 + RUN_NS(1) - 1, 100);
	env_expect(e, MODEL_CS_BLOCKED_SB);
	assert_int_equal(e->cs.regs[10], 0);

	env_step(e, T0 + RUN_NS(1), 100);
	env_expect(e, MODEL_CS_BLOCKED_SB);
	assert_int_equal(e->cs.regs[10], 1);
	assert_int_equal(e->cs.sb_wait_mask, BIT(2));
	assert_int_equal(model_cs_scoreboards(&e->cs), BIT(2));
	env_step(e, T0 + FLUSH_NS - 1, 100);
	assert_int_equal(e->cs.regs[11], 0);
	env_step(e, T0 + FLUSH_NS, 100);
	env_expect(e, MODEL_CS_FINISHED);
	assert_int_equal(e->cs.regs[11], 1);
	free(e);
}

/* A slot counts every operation on it: WAIT holds until the last one completes. */
static void test_wait_holds_until_every_op_on_slot(void **state)
{
	struct cs_env *e = sb_env(state, 1);
	const u64 w[] = {
		run_compute(),
		tyrc_cs_move32(37, 4),
		run_compute(),
		tyrc_cs_wait(BIT(1), false),
	};

	env_run(e, w, ARRAY_SIZE(w), T0);
	env_expect(e, MODEL_CS_BLOCKED_SB);
	assert_int_equal(e->cs.sb[1], 2);
	env_step(e, T0 + RUN_NS(1), 100);
	env_expect(e, MODEL_CS_BLOCKED_SB);
	assert_int_equal(e->cs.sb[1], 1);
	env_step(e, T0 + RUN_NS(4) - 1, 100);
	env_expect(e, MODEL_CS_BLOCKED_SB);
	env_step(e, T0 + RUN_NS(4), 100);
	env_expect(e, MODEL_CS_FINISHED);
	assert_int_equal(e->cs.sb[1], 0);
	free(e);
}

/* WAIT on idle slots (or on none) does not wait for a busy slot outside its mask. */
static void test_wait_ignores_other_slots(void **state)
{
	struct cs_env *e = sb_env(state, 1);
	const u64 w[] = {
		run_compute(),
		tyrc_cs_wait(0, false),
		tyrc_cs_wait((u32)(0xff & ~BIT(1)), false),
		tyrc_cs_move32(10, 1),
	};

	env_run(e, w, ARRAY_SIZE(w), T0);
	env_expect(e, MODEL_CS_FINISHED);
	assert_int_equal(e->cs.regs[10], 1);
	assert_int_equal(e->cs.sb[1], 1);
	free(e);
}

/* Two stores on one slot, issued FLUSH_NS apart, release it in issue order. */
static void test_store_multiple_completes_in_order(void **state)
{
	struct cs_env *e = sb_env(state, 1);
	u32 *mem = env_data(e, DATA_VA + 0x200);
	const u64 w[] = {
		tyrc_cs_move48(0, DATA_VA + 0x200),  tyrc_cs_move32(20, 0xa),
		tyrc_cs_store_multiple(20, 0, 1, 0), flush_on(2),
		tyrc_cs_wait(BIT(2), false),	     tyrc_cs_move32(20, 0xb),
		tyrc_cs_store_multiple(20, 0, 1, 0), tyrc_cs_wait(BIT(0), false),
	};

	env_run(e, w, ARRAY_SIZE(w), T0);
	assert_int_equal(mem[0], 0xa);
	assert_int_equal(e->cs.sb[0], 1);
	/* The first store is long done (MEM_NS < FLUSH_NS) when the second issues. */
	env_step(e, T0 + FLUSH_NS, 100);
	env_expect(e, MODEL_CS_BLOCKED_SB);
	assert_int_equal(e->cs.sb[0], 1);
	assert_int_equal(mem[0], 0xb);
	assert_int_equal(model_cs_next_deadline(&e->cs), T0 + FLUSH_NS + MODEL_CS_MEM_NS);
	env_step(e, T0 + FLUSH_NS + MODEL_CS_MEM_NS, 100);
	env_expect(e, MODEL_CS_FINISHED);
	assert_int_equal(mem[0], 0xb);
	free(e);
}

/* Overlapping stores on one slot: it drains one completion at a time, oldest first. */
static void test_store_multiple_overlapping_release_oldest_first(void **state)
{
	struct cs_env *e = sb_env(state, 1);
	const u64 w[] = {
		tyrc_cs_move48(0, DATA_VA + 0x200),
		tyrc_cs_store_multiple(20, 0, 1, 0),
		flush_on(2),
		tyrc_cs_wait(BIT(2), false),
		tyrc_cs_store_multiple(20, 0, 1, 4),
		tyrc_cs_wait(BIT(0), false),
	};

	/* A flush shorter than a store: the second store overlaps the first. */
	e->f->model->cfg.cache_flush_ns = MODEL_CS_MEM_NS / 2;
	env_run(e, w, ARRAY_SIZE(w), T0);
	env_step(e, T0 + MODEL_CS_MEM_NS / 2, 100);
	assert_int_equal(e->cs.sb[0], 2);
	env_step(e, T0 + MODEL_CS_MEM_NS, 100);
	env_expect(e, MODEL_CS_BLOCKED_SB);
	assert_int_equal(e->cs.sb[0], 1);
	assert_int_equal(model_cs_next_deadline(&e->cs), T0 + MODEL_CS_MEM_NS * 3 / 2);
	env_step(e, T0 + MODEL_CS_MEM_NS * 3 / 2, 100);
	env_expect(e, MODEL_CS_FINISHED);
	free(e);
}

/*
 * Two loads into one register complete in issue order, so the register
 * ends with the later load's word even when the later load sits in a lower
 * in-flight entry (one freed by an earlier store) and both complete within
 * one step.
 */
static void test_load_multiple_completes_in_issue_order(void **state)
{
	struct cs_env *e = sb_env(state, 1);
	u32 *mem = env_data(e, DATA_VA + 0x200);
	const u64 w[] = {
		tyrc_cs_move48(0, DATA_VA + 0x200),
		tyrc_cs_store_multiple(30, 0, 1, 0x40), /* entry 0, done at T0 + MEM_NS */
		flush_on(2), /* entry 1, done at T0 + MEM_NS / 2 */
		tyrc_cs_wait(BIT(2), false),
		tyrc_cs_load_multiple(10, 0, 1, 0), /* entry 1 again: the older load */
		flush_on(2),
		tyrc_cs_wait(BIT(2), false),
		tyrc_cs_load_multiple(10, 0, 1, 4), /* entry 0, freed by the store: the newer */
		tyrc_cs_move32(11, 1),
	};

	mem[0] = 0x1111;
	mem[1] = 0x2222;
	e->f->model->cfg.cache_flush_ns = MODEL_CS_MEM_NS / 2;
	env_run(e, w, ARRAY_SIZE(w), T0);
	env_step(e, T0 + MODEL_CS_MEM_NS / 2, 100);
	env_step(e, T0 + MODEL_CS_MEM_NS, 100);
	env_expect(e, MODEL_CS_FINISHED);
	assert_int_equal(e->cs.regs[11], 1);
	assert_int_equal(e->cs.regs[10], 0); /* neither load has landed yet */
	/* Both complete by this step: the newer load must be applied last. */
	env_step(e, T0 + 10 * MODEL_CS_MEM_NS, 100);
	assert_int_equal(model_cs_scoreboards(&e->cs), 0);
	assert_int_equal(e->cs.regs[10], 0x2222);
	free(e);
}

/* The four sync updates and what each leaves in the 64-bit word at SYNC_VA. */
#define SYNC_VA (DATA_VA + 0x100)

static const struct {
	enum tyrc_cs_opcode op;
	u64 after; /* from 40 with data 2 */
} sync_ops[] = {
	{ TYRC_CS_OP_SYNC_ADD32, 42 },
	{ TYRC_CS_OP_SYNC_SET32, 2 },
	{ TYRC_CS_OP_SYNC_ADD64, 42 },
	{ TYRC_CS_OP_SYNC_SET64, 2 },
};

/* @op on [d0] with data r/d4, system scope, waiting on @wait_mask, signalling slot 2. */
static u64 sync_deferred(enum tyrc_cs_opcode op, u32 wait_mask)
{
	struct tyrc_cs_instr in = { .opcode = op };

	in.sync_add32 = (struct tyrc_cs_sync_add32){
		.address = 0, .data = 4, .wait_mask = wait_mask, .signal_slot = 2
	};
	return tyrc_cs_encode(&in);
}

/*
 * A SYNC_* whose wait mask names slot 1 takes effect exactly when slot 1
 * drains; a longer flush on slot 3, outside the mask, does not delay it, and
 * its signal slot is free afterwards.
 */
static void test_sync_update_deferred_until_slot_drains(void **state)
{
	struct cs_env *e = sb_env(state, 1);
	u64 *obj = env_data(e, SYNC_VA);

	for (unsigned int i = 0; i < ARRAY_SIZE(sync_ops); i++) {
		u64 t = T0 + i * NSEC_PER_SEC;
		const u64 w[] = {
			tyrc_cs_move48(0, SYNC_VA),
			tyrc_cs_move48(4, 2),
			run_compute(),
			flush_on(3),
			sync_deferred(sync_ops[i].op, BIT(1)),
			tyrc_cs_move32(10, i + 1),
		};

		*obj = 40;
		env_run(e, w, ARRAY_SIZE(w), t);
		env_expect(e, MODEL_CS_BLOCKED_SB);
		assert_int_equal(e->cs.sb_wait_mask, BIT(1));
		env_step(e, t + RUN_NS(1) - 1, 100);
		assert_int_equal(*obj, 40);
		assert_int_equal(e->res.events, 0);
		env_step(e, t + RUN_NS(1), 100);
		env_expect(e, MODEL_CS_FINISHED);
		assert_int_equal(*obj, sync_ops[i].after);
		assert_int_equal(e->res.events, MODEL_CS_EV_SYNC_SYSTEM);
		assert_int_equal(e->cs.regs[10], i + 1);
		assert_int_equal(model_cs_scoreboards(&e->cs), BIT(3));
		assert_int_equal(e->cs.sb[2], 0);
		env_step(e, t + FLUSH_NS, 100);
	}
	free(e);
}

/* With a zero wait mask a SYNC_* is synchronous: busy slots are not waited for, the signal slot is ignored. */
static void test_sync_update_zero_wait_mask_is_synchronous(void **state)
{
	struct cs_env *e = sb_env(state, 1);
	u64 *obj = env_data(e, SYNC_VA);
	const u64 w[] = {
		tyrc_cs_move48(0, SYNC_VA),
		tyrc_cs_move48(4, 2),
		run_compute(),
		sync_deferred(TYRC_CS_OP_SYNC_ADD64, 0),
	};

	*obj = 40;
	env_run(e, w, ARRAY_SIZE(w), T0);
	env_expect(e, MODEL_CS_FINISHED);
	assert_int_equal(*obj, 42);
	assert_int_equal(model_cs_scoreboards(&e->cs), BIT(1));
	free(e);
}

/* STORE_STATE with a wait mask samples the timestamp when the slot drains, not at issue. */
static void test_store_state_deferred_until_slot_drains(void **state)
{
	struct cs_env *e = sb_env(state, 400); /* 100 µs */
	u64 *out = env_data(e, DATA_VA + 0x300);
	const u64 w[] = {
		tyrc_cs_move48(0, DATA_VA + 0x300),
		run_compute(),
		tyrc_cs_store_state(TYRC_CS_STATE_TIMESTAMP, 0, 0, BIT(1), 2),
	};

	env_run(e, w, ARRAY_SIZE(w), T0);
	env_expect(e, MODEL_CS_BLOCKED_SB);
	assert_int_equal(*out, 0);
	env_step(e, T0 + RUN_NS(400), 100);
	env_expect(e, MODEL_CS_FINISHED);
	assert_int_equal(*out, model_gpu_timestamp(e->f->model, T0 + RUN_NS(400)));
	assert_int_not_equal(*out, model_gpu_timestamp(e->f->model, T0));
	free(e);
}

/* The bookkeeping operations with a wait mask: no effect until slot 1 drains. */
static void test_bookkeeping_deferred_until_slot_drains(void **state)
{
	const u64 ops[] = {
		tyrc_cs_pack_heap_operation(&(struct tyrc_cs_heap_operation){
			.operation = TYRC_CS_HEAP_VT_END, .wait_mask = BIT(1), .signal_slot = 2 }),
		tyrc_cs_pack_trace_point(
			&(struct tyrc_cs_trace_point){ .wait_mask = BIT(1), .signal_slot = 2 }),
		tyrc_cs_pack_finish_fragment(&(struct tyrc_cs_finish_fragment){
			.increment_fragment_completed = 1, .wait_mask = BIT(1), .signal_slot = 2 }),
	};
	struct cs_env *e = sb_env(state, 1);

	for (unsigned int i = 0; i < ARRAY_SIZE(ops); i++) {
		u64 t = T0 + i * NSEC_PER_SEC;
		const u64 w[] = { run_compute(), ops[i] };
		u64 before = e->cs.heap_vt_end + e->cs.trace_points + e->cs.heap_frag_end;

		env_run(e, w, ARRAY_SIZE(w), t);
		env_expect(e, MODEL_CS_BLOCKED_SB);
		env_step(e, t + RUN_NS(1) - 1, 100);
		assert_int_equal(e->cs.heap_vt_end + e->cs.trace_points + e->cs.heap_frag_end,
				 before);
		env_step(e, t + RUN_NS(1), 100);
		env_expect(e, MODEL_CS_FINISHED);
		assert_int_equal(e->cs.heap_vt_end + e->cs.trace_points + e->cs.heap_frag_end,
				 before + 1);
	}
	assert_int_equal(e->cs.heap_vt_end, 1);
	assert_int_equal(e->cs.trace_points, 1);
	assert_int_equal(e->cs.heap_frag_end, 1);
	free(e);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, fixture_setup_instant, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(test_wait_returns_when_masked_slots_drain),
		T(test_wait_holds_until_every_op_on_slot),
		T(test_wait_ignores_other_slots),
		T(test_store_multiple_completes_in_order),
		T(test_store_multiple_overlapping_release_oldest_first),
		T(test_load_multiple_completes_in_issue_order),
		T(test_sync_update_deferred_until_slot_drains),
		T(test_sync_update_zero_wait_mask_is_synchronous),
		T(test_store_state_deferred_until_slot_drains),
		T(test_bookkeeping_deferred_until_slot_drains),
	};
#undef T

	return cmocka_run_group_tests_name("model_cs_sb", tests, NULL, NULL);
}
