// SPDX-License-Identifier: MIT
/*
 * The command-stream interpreter (model_cs.c): streams assembled with the
 * tyrc_cs_isa.h builder into RAM mapped through a hand-built address space,
 * executed on a virtual clock (every step passes the time explicitly, so
 * nothing sleeps): the sheet's example streams, branch conditions, calls and
 * the call-stack limit, load/store scoreboards, SYNC_WAIT and recheck, the
 * RUN_* cost model, flushes, the faults and the instruction budget.
 * Per-opcode behaviour is in test_model_cs_ops.c, scoreboard ordering in
 * test_model_cs_sb.c.
 */
#include "cs_test.h"

/* Sheet §8 A: store 0xDEADBEEF, flush, signal a 32-bit sync object. */
static void test_example_store_flush_sync(void **state)
{
	static const u64 sheet[] = {
		0x0100000001001000ULL, 0x02020000DEADBEEFULL, 0x1502000000010000ULL,
		0x0300000000010000ULL, 0x0207000000000000ULL, 0x2400070000000233ULL,
		0x0300000000010000ULL, 0x0104000001001100ULL, 0x0206000000000001ULL,
		0x2500040600000001ULL,
	};
	struct cs_env *e = env_new(state);
	u64 buf[16];
	struct tyrc_cs_builder b;
	u32 *sync = env_data(e, DATA_VA + 0x100);

	tyrc_cs_builder_init(&b, buf, 16);
	tyrc_cs_emit(&b, tyrc_cs_move48(0, 0x1001000));
	tyrc_cs_emit(&b, tyrc_cs_move32(2, 0xDEADBEEF));
	tyrc_cs_emit(&b, tyrc_cs_store_multiple(2, 0, 1, 0));
	tyrc_cs_emit(&b, tyrc_cs_wait(1, false));
	tyrc_cs_emit(&b, tyrc_cs_move32(7, 0));
	tyrc_cs_emit(&b, tyrc_cs_flush_cache2(TYRC_CS_FLUSH_CLEAN_INVALIDATE,
					      TYRC_CS_FLUSH_CLEAN_INVALIDATE,
					      TYRC_CS_FLUSH_INVALIDATE, 0, 7, 0));
	tyrc_cs_emit(&b, tyrc_cs_wait(1, false));
	tyrc_cs_emit(&b, tyrc_cs_move48(4, 0x1001100));
	tyrc_cs_emit(&b, tyrc_cs_move32(6, 1));
	tyrc_cs_emit(&b, tyrc_cs_sync_add32(TYRC_CS_SYNC_SCOPE_SYSTEM, true, 4, 6, 0, 0));
	assert_int_equal(b.len, 10);
	assert_memory_equal(buf, sheet, sizeof(sheet));
	sync[0] = 41;
	sync[1] = 0;
	env_load(e, &b, CODE_VA);

	/* The store is issued; the WAIT holds until the slot drains. */
	env_step(e, T0, 100);
	env_expect(e, MODEL_CS_BLOCKED_SB);
	assert_int_equal(e->cs.sb_wait_mask, 1);
	assert_int_equal(e->cs.pc, CODE_VA + 3 * 8);
	assert_int_equal(*(u32 *)env_data(e, DATA_VA), 0xDEADBEEF);
	env_step(e, T0 + MODEL_CS_MEM_NS, 100);
	env_expect(e, MODEL_CS_FINISHED);
	assert_int_equal(sync[0], 42);
	assert_int_equal(sync[1], 0);
	assert_true(e->res.events & MODEL_CS_EV_SYNC_SYSTEM);
	assert_int_equal(e->cs.flushes, 1);
	assert_int_equal(e->cs.executed, 10);
	expect_no_fault(e->f);
	free(e);
}

/* Sheet §7: the kernel's ring wrapper CALLs a user stream, then signals. */
static void test_example_ring_wrapper(void **state)
{
	static const u64 sheet[] = {
		0x025E000000000000ULL, 0x24005E0000000233ULL, 0x015C000001000000ULL,
		0x025E000000000038ULL, 0x0300000000010000ULL, 0x20005C5E00000000ULL,
		0x015C800000000000ULL, 0x015E000000000001ULL, 0x0300000000FF0000ULL,
		0x33005C5E00000001ULL, 0x2F00000000000000ULL,
	};
	struct cs_env *e = env_new(state);
	u64 ring[16] = { 0 }, user[8], *sync64 = env_data(e, DATA_VA + 0x800);
	const u64 ring_va = DATA_VA + 0x1000, sync_va = DATA_VA + 0x800;
	struct tyrc_cs_builder b;

	memcpy(ring, sheet, sizeof(sheet));
	/* Our sync object lives in the data mapping rather than kernel VA. */
	ring[6] = tyrc_cs_move48(92, sync_va);
	env_put(e, ring_va, ring, 16);
	/* The 56-byte user stream at 0x1000000: 7 instructions. */
	tyrc_cs_builder_init(&b, user, 8);
	tyrc_cs_emit(&b, tyrc_cs_move32(10, 5));
	for (int i = 0; i < 5; i++)
		tyrc_cs_emit(&b, tyrc_cs_add_imm32(10, 10, 1));
	tyrc_cs_emit(&b, tyrc_cs_nop());
	assert_int_equal(b.len, 7);
	env_put(e, CODE_VA, user, 7);
	sync64[0] = 7;
	sync64[1] = 0xffffffff;
	assert_int_equal(model_cs_start(&e->cs, ring_va, sizeof(ring)), 0);
	env_step(e, T0, 1000);
	env_expect(e, MODEL_CS_FINISHED);
	assert_int_equal(e->cs.regs[10], 10);
	assert_int_equal(sync64[0], 8);
	/* error_propagate copied the (clear) error state into the status word. */
	assert_int_equal((u32)sync64[1], 0);
	assert_int_equal(e->cs.depth, 0);
	assert_true(e->res.events & MODEL_CS_EV_SYNC_SYSTEM);
	free(e);
}

/* Sheet §8 B: a counted loop. */
static void test_counted_loop(void **state)
{
	static const u64 sheet[] = { 0x0208000000000003ULL, 0x10080800FFFFFFFFULL,
				     0x160008001000FFFEULL };
	struct cs_env *e = env_new(state);
	u64 buf[3];
	struct tyrc_cs_builder b;
	struct tyrc_cs_label top;

	tyrc_cs_builder_init(&b, buf, 3);
	tyrc_cs_label_init(&top);
	tyrc_cs_emit(&b, tyrc_cs_move32(8, 3));
	tyrc_cs_label_bind(&b, &top);
	tyrc_cs_emit(&b, tyrc_cs_add_imm32(8, 8, -1));
	tyrc_cs_branch_label(&b, TYRC_CS_BRANCH_GREATER, 8, &top);
	assert_memory_equal(buf, sheet, sizeof(sheet));
	env_load(e, &b, CODE_VA);
	env_step(e, T0, 100);
	env_expect(e, MODEL_CS_FINISHED);
	assert_int_equal(e->cs.regs[8], 0);
	assert_int_equal(e->res.executed, 1 + 3 * 2);
	free(e);
}

/* Every BRANCH condition against a negative, zero and positive value. */
static void test_branch_conditions(void **state)
{
	static const s32 values[] = { -1, 0, 1, INT32_MIN, INT32_MAX };
	struct cs_env *e = env_new(state);

	for (u32 cond = 0; cond <= TYRC_CS_BRANCH_ALWAYS; cond++) {
		for (unsigned int i = 0; i < ARRAY_SIZE(values); i++) {
			s32 v = values[i];
			bool taken[] = { v <= 0, v > 0, v == 0, v != 0, v < 0, v >= 0, true };
			u64 buf[4];
			struct tyrc_cs_builder b;

			tyrc_cs_builder_init(&b, buf, 4);
			tyrc_cs_emit(&b, tyrc_cs_move32(1, (u32)v));
			tyrc_cs_emit(&b, tyrc_cs_branch(cond, 1, 1));
			tyrc_cs_emit(&b, tyrc_cs_move32(2, 1));
			tyrc_cs_emit(&b, tyrc_cs_move32(3, 1));
			e->cs.regs[2] = 0;
			e->cs.regs[3] = 0;
			env_load(e, &b, CODE_VA);
			env_step(e, T0, 100);
			env_expect(e, MODEL_CS_FINISHED);
			assert_int_equal(e->cs.regs[2], taken[cond] ? 0 : 1);
			assert_int_equal(e->cs.regs[3], 1);
		}
	}
	free(e);
}

/* main CALLs A, A JUMPs to B, B returns to main (A's frame). */
static void test_call_jump_chain(void **state)
{
	struct cs_env *e = env_new(state);
	const u64 a_va = CODE_VA + 0x400, b_va = CODE_VA + 0x800;
	u64 m[8], a[8], bb[8];
	struct tyrc_cs_builder b;
	u32 size;

	tyrc_cs_builder_init(&b, bb, 8);
	tyrc_cs_emit(&b, tyrc_cs_add_imm32(20, 20, 100));
	assert_int_equal(tyrc_cs_builder_finish(&b, &size), 0);
	env_put(e, b_va, bb, b.len);

	tyrc_cs_builder_init(&b, a, 8);
	tyrc_cs_emit(&b, tyrc_cs_add_imm32(20, 20, 10));
	tyrc_cs_emit(&b, tyrc_cs_move48(12, b_va));
	tyrc_cs_emit(&b, tyrc_cs_move32(14, size));
	tyrc_cs_emit(&b, tyrc_cs_jump(12, 14));
	tyrc_cs_emit(&b, tyrc_cs_add_imm32(20, 20, 1000)); /* skipped by the JUMP */
	assert_int_equal(tyrc_cs_builder_finish(&b, &size), 0);
	env_put(e, a_va, a, b.len);

	tyrc_cs_builder_init(&b, m, 8);
	tyrc_cs_emit(&b, tyrc_cs_move32(20, 1));
	tyrc_cs_emit(&b, tyrc_cs_move48(10, a_va));
	tyrc_cs_emit(&b, tyrc_cs_move32(16, size));
	tyrc_cs_emit(&b, tyrc_cs_call(10, 16));
	tyrc_cs_emit(&b, tyrc_cs_add_imm32(21, 20, 0));
	tyrc_cs_emit(&b, tyrc_cs_move32(16, 0));
	tyrc_cs_emit(&b, tyrc_cs_call(10, 16)); /* zero length: nothing happens */
	env_load(e, &b, CODE_VA);
	env_step(e, T0, 100);
	env_expect(e, MODEL_CS_FINISHED);
	assert_int_equal(e->cs.regs[21], 111);
	assert_int_equal(e->cs.regs[20], 111);
	assert_int_equal(e->cs.depth, 0);
	free(e);
}

/* A self-recursive buffer: 7 nested CALLs fit, the 8th overflows. */
static void test_call_stack_limit(void **state)
{
	struct cs_env *e = env_new(state);
	u64 buf[4];
	struct tyrc_cs_builder b;

	tyrc_cs_builder_init(&b, buf, 4);
	tyrc_cs_emit(&b, tyrc_cs_add_imm32(3, 3, 1));
	tyrc_cs_emit(&b, tyrc_cs_move48(0, CODE_VA));
	tyrc_cs_emit(&b, tyrc_cs_move32(2, 32));
	tyrc_cs_emit(&b, tyrc_cs_call(0, 2));
	env_load(e, &b, CODE_VA);
	env_step(e, T0, 1000);
	env_expect(e, MODEL_CS_FATAL);
	assert_int_equal(e->cs.exception_type, MODEL_CS_EXC_CALL_STACK_OVERFLOW);
	assert_int_equal(e->cs.exception_pc, CODE_VA + 3 * 8);
	assert_int_equal(e->cs.depth, MODEL_CS_STACK_DEPTH - 1);
	assert_int_equal(e->cs.regs[3], MODEL_CS_STACK_DEPTH);
	free(e);
}

/* CALL/JUMP lengths and targets that are not multiples of 8. */
static void test_call_misaligned(void **state)
{
	struct cs_env *e = env_new(state);
	static const u32 lens[] = { 12, 8, 8 };
	static const u64 targets[] = { CODE_VA + 0x100, CODE_VA + 0x104, CODE_VA + 0x104 };

	for (unsigned int i = 0; i < ARRAY_SIZE(lens); i++) {
		u64 buf[3];
		struct tyrc_cs_builder b;

		tyrc_cs_builder_init(&b, buf, 3);
		tyrc_cs_emit(&b, tyrc_cs_move48(0, targets[i]));
		tyrc_cs_emit(&b, tyrc_cs_move32(2, lens[i]));
		tyrc_cs_emit(&b, i == 2 ? tyrc_cs_jump(0, 2) : tyrc_cs_call(0, 2));
		env_load(e, &b, CODE_VA);
		env_step(e, T0, 100);
		env_expect(e, MODEL_CS_FATAL);
		assert_int_equal(e->cs.exception_type, MODEL_CS_EXC_INSTR_INVALID_PC);
		assert_int_equal(e->cs.exception_pc, CODE_VA + 2 * 8);
	}
	free(e);
}

/* STORE_MULTIPLE and LOAD_MULTIPLE hold their slot; WAIT holds until then. */
static void test_scoreboard_load_store(void **state)
{
	struct cs_env *e = env_new(state);
	u32 *mem = env_data(e, DATA_VA + 0x200);
	u64 buf[16];
	struct tyrc_cs_builder b;

	mem[0] = 0x11;
	mem[1] = 0x22;
	mem[2] = 0x33;
	tyrc_cs_builder_init(&b, buf, 16);
	tyrc_cs_emit(&b, tyrc_cs_pack_set_sb_entry(&(struct tyrc_cs_set_sb_entry){
				 .endpoint_entry = 2, .other_entry = 3 }));
	tyrc_cs_emit(&b, tyrc_cs_move48(0, DATA_VA + 0x100));
	tyrc_cs_emit(&b, tyrc_cs_load_multiple(40, 0, 0x7, 0x100)); /* r40..42 := mem[0..2] */
	tyrc_cs_emit(&b, tyrc_cs_wait(BIT(3), false));
	tyrc_cs_emit(&b, tyrc_cs_move32(50, 0xa));
	tyrc_cs_emit(&b, tyrc_cs_move32(51, 0xb));
	tyrc_cs_emit(&b, tyrc_cs_store_multiple(50, 0, 0x3, 0x110)); /* mem[4..5] */
	tyrc_cs_emit(&b, tyrc_cs_move32(52, 0xc));
	tyrc_cs_emit(&b, tyrc_cs_wait(BIT(3), true));
	env_load(e, &b, CODE_VA);

	env_step(e, T0, 100);
	env_expect(e, MODEL_CS_BLOCKED_SB);
	assert_int_equal(model_cs_scoreboards(&e->cs), BIT(3));
	assert_int_equal(e->cs.sb[3], 1);
	assert_int_equal(e->cs.regs[40], 0); /* registers land at completion */
	assert_int_equal(model_cs_next_deadline(&e->cs), T0 + MODEL_CS_MEM_NS);
	env_step(e, T0 + MODEL_CS_MEM_NS - 1, 100);
	env_expect(e, MODEL_CS_BLOCKED_SB);
	assert_int_equal(e->res.executed, 0);

	env_step(e, T0 + MODEL_CS_MEM_NS, 100);
	env_expect(e, MODEL_CS_BLOCKED_SB);
	assert_int_equal(e->cs.regs[40], 0x11);
	assert_int_equal(e->cs.regs[41], 0x22);
	assert_int_equal(e->cs.regs[42], 0x33);
	assert_int_equal(e->cs.regs[52], 0xc); /* ran on past the store */
	assert_int_equal(mem[4], 0xa);
	assert_int_equal(mem[5], 0xb);
	assert_int_equal(e->cs.sb[3], 1);
	assert_int_equal(e->cs.progress, 0);

	env_step(e, T0 + 2 * MODEL_CS_MEM_NS, 100);
	env_expect(e, MODEL_CS_FINISHED);
	assert_int_equal(model_cs_scoreboards(&e->cs), 0);
	assert_int_equal(e->cs.progress, 1);
	assert_int_equal(model_cs_next_deadline(&e->cs), MODEL_NO_DEADLINE);
	free(e);
}

/* SYNC_WAIT32/64 block until memory satisfies them and a recheck runs. */
static void test_sync_wait(void **state)
{
	struct cs_env *e = env_new(state);
	u32 *s32 = env_data(e, DATA_VA + 0x300);
	u64 *s64 = env_data(e, DATA_VA + 0x400);
	u64 buf[16];
	struct tyrc_cs_builder b;

	*s32 = 0;
	*s64 = 10;
	tyrc_cs_builder_init(&b, buf, 16);
	tyrc_cs_emit(&b, tyrc_cs_move48(0, DATA_VA + 0x300));
	tyrc_cs_emit(&b, tyrc_cs_move32(2, 2));
	tyrc_cs_emit(&b, tyrc_cs_sync_wait32(TYRC_CS_SYNC_WAIT_GT, false, 0, 2)); /* >= 3 */
	tyrc_cs_emit(&b, tyrc_cs_move32(3, 1));
	tyrc_cs_emit(&b, tyrc_cs_move48(4, DATA_VA + 0x400));
	tyrc_cs_emit(&b, tyrc_cs_move48(6, 5));
	tyrc_cs_emit(&b, tyrc_cs_pack_sync_wait64(&(struct tyrc_cs_sync_wait64){
				 .condition = TYRC_CS_SYNC_WAIT_LE, .address = 4, .data = 6 }));
	tyrc_cs_emit(&b, tyrc_cs_move32(3, 2));
	env_load(e, &b, CODE_VA);

	env_step(e, T0, 100);
	env_expect(e, MODEL_CS_BLOCKED_SYNC);
	assert_int_equal(e->cs.sync_wait.address, DATA_VA + 0x300);
	assert_int_equal(e->cs.sync_wait.value, 2);
	assert_false(e->cs.sync_wait.is64);
	/* Stepping does not poll; rechecking with the condition false keeps it blocked. */
	*s32 = 2;
	env_step(e, T0 + 1, 100);
	env_expect(e, MODEL_CS_BLOCKED_SYNC);
	assert_false(env_recheck(e, T0 + 1));
	env_expect(e, MODEL_CS_BLOCKED_SYNC);
	__atomic_store_n(s32, 3, __ATOMIC_RELEASE);
	assert_true(env_recheck(e, T0 + 2));
	env_expect(e, MODEL_CS_RUNNING);
	env_step(e, T0 + 2, 100);
	env_expect(e, MODEL_CS_BLOCKED_SYNC);
	assert_int_equal(e->cs.regs[3], 1);
	assert_true(e->cs.sync_wait.is64);
	assert_false(env_recheck(e, T0 + 3));
	*s64 = 5; /* LE: 5 <= 5 */
	assert_true(env_recheck(e, T0 + 3));
	env_step(e, T0 + 3, 100);
	env_expect(e, MODEL_CS_FINISHED);
	assert_int_equal(e->cs.regs[3], 2);
	/* Not blocked: nothing to recheck. */
	assert_false(env_recheck(e, T0 + 4));
	free(e);
}

/* SYNC_ADD/SET 32/64: values in memory, scopes, error propagation, wait masks. */
static void test_sync_update(void **state)
{
	struct cs_env *e = env_new(state);
	u32 *a32 = env_data(e, DATA_VA + 0x500);
	u64 *a64 = env_data(e, DATA_VA + 0x600);
	u64 buf[16];
	struct tyrc_cs_builder b;

	a32[0] = 0xfffffffe;
	a32[1] = 0x77;
	a64[0] = 0xffffffffULL;
	a64[1] = 0x77;
	tyrc_cs_builder_init(&b, buf, 16);
	tyrc_cs_emit(&b, tyrc_cs_move48(0, DATA_VA + 0x500));
	tyrc_cs_emit(&b, tyrc_cs_move48(2, DATA_VA + 0x600));
	tyrc_cs_emit(&b, tyrc_cs_move32(4, 3));
	tyrc_cs_emit(&b, tyrc_cs_move48(6, 0x100000001ULL));
	tyrc_cs_emit(&b, tyrc_cs_sync_add32(TYRC_CS_SYNC_SCOPE_CSG, false, 0, 4, 0, 0)); /* wraps */
	tyrc_cs_emit(&b, tyrc_cs_sync_add64(TYRC_CS_SYNC_SCOPE_CSG, true, 2, 6, 0, 0));
	env_load(e, &b, CODE_VA);
	env_step(e, T0, 100);
	env_expect(e, MODEL_CS_FINISHED);
	assert_int_equal(a32[0], 1);
	assert_int_equal(a32[1], 0x77); /* no propagation asked */
	assert_int_equal(a64[0], 0x200000000ULL);
	assert_int_equal((u32)a64[1], 0);
	assert_int_equal(e->res.events, MODEL_CS_EV_SYNC_CSG);

	/* SET after a RUN_COMPUTE it waits for (deferred sync). */
	tyrc_cs_builder_init(&b, buf, 16);
	tyrc_cs_emit(&b, tyrc_cs_move32(37, 4));
	tyrc_cs_emit(&b, tyrc_cs_move32(38, 1));
	tyrc_cs_emit(&b, tyrc_cs_move32(39, 1));
	tyrc_cs_emit(&b, tyrc_cs_pack_run_compute(&(struct tyrc_cs_run_compute){ 0 }));
	tyrc_cs_emit(&b, tyrc_cs_pack_sync_set32(&(struct tyrc_cs_sync_set32){
				 .address = 0, .data = 4, .wait_mask = 1, .signal_slot = 1 }));
	tyrc_cs_emit(&b, tyrc_cs_pack_sync_set64(
				 &(struct tyrc_cs_sync_set64){ .address = 2, .data = 6 }));
	env_load(e, &b, CODE_VA);
	env_step(e, T0, 100);
	env_expect(e, MODEL_CS_BLOCKED_SB);
	assert_int_equal(a32[0], 1);
	env_step(e, T0 + 4 * MODEL_CS_WORKGROUP_NS / 4, 100);
	env_expect(e, MODEL_CS_FINISHED);
	assert_int_equal(a32[0], 3);
	assert_int_equal(a64[0], 0x100000001ULL);
	assert_int_equal(e->res.events, MODEL_CS_EV_SYNC_SYSTEM);
	free(e);
}

/* STORE_STATE: timestamp and cycle count from the model's counters. */
static void test_store_state(void **state)
{
	struct cs_env *e = env_new(state);
	struct model_fixture *f = e->f;
	u64 *out = env_data(e, DATA_VA + 0x700);
	u64 now, buf[16];
	struct tyrc_cs_builder b;

	wr64(f, GPU_L2_PWRON, 1); /* the cycle counter runs while an L2 is on */
	poll32(f, GPU_L2_READY, 1, 1);
	now = tyrc_ktime_get_ns() + 1000000;
	out[5] = 0x5555;
	tyrc_cs_builder_init(&b, buf, 16);
	tyrc_cs_emit(&b, tyrc_cs_move48(0, DATA_VA + 0x700));
	tyrc_cs_emit(&b, tyrc_cs_store_state(TYRC_CS_STATE_TIMESTAMP, 0, 0, 0, 0));
	tyrc_cs_emit(&b, tyrc_cs_store_state(TYRC_CS_STATE_CYCLE_COUNT, 0, 8, 0, 0));
	tyrc_cs_emit(&b, tyrc_cs_store_state(TYRC_CS_STATE_DISJOINT_COUNT, 0, 16, 0, 0));
	tyrc_cs_emit(&b, tyrc_cs_store_state(TYRC_CS_STATE_ERROR_STATUS, 0, 24, 0, 0));
	tyrc_cs_emit(&b, tyrc_cs_wait(0, false));
	tyrc_cs_emit(&b, tyrc_cs_store_state(TYRC_CS_STATE_TIMESTAMP, 0, 32, 0, 0));
	tyrc_cs_emit(&b, tyrc_cs_store_state(TYRC_CS_STATE_CYCLE_COUNT, 0, 40, 0, 0));
	env_load(e, &b, CODE_VA);
	/* Two steps a virtual millisecond apart. */
	env_step(e, now, 5);
	env_expect(e, MODEL_CS_RUNNING);
	env_step(e, now + NSEC_PER_MSEC, 100);
	env_expect(e, MODEL_CS_FINISHED);
	assert_int_equal(out[0], model_ns_to_ticks(now, f->cfg.timestamp_frequency_hz));
	/* One virtual millisecond of each clock, give or take a rounding. */
	assert_in_range(out[4] - out[0],
			model_ns_to_ticks(NSEC_PER_MSEC, f->cfg.timestamp_frequency_hz) - 1,
			model_ns_to_ticks(NSEC_PER_MSEC, f->cfg.timestamp_frequency_hz) + 1);
	assert_true(out[1] > 0);
	assert_in_range(out[5] - out[1],
			model_ns_to_ticks(NSEC_PER_MSEC, f->cfg.gpu_frequency_hz) - 1,
			model_ns_to_ticks(NSEC_PER_MSEC, f->cfg.gpu_frequency_hz) + 1);
	assert_int_equal(out[2], 0);
	assert_int_equal(out[3], 0);
	free(e);
}

/* RUN_*: complete after the documented cost on the endpoint slot. */
static void test_run_cost_model(void **state)
{
	struct cs_env *e = env_new(state);
	const struct {
		u64 word;
		u64 cost;
	} runs[] = {
		/* 8 x 2 x 1 workgroups over 4 cores */
		{ tyrc_cs_pack_run_compute(
			  &(struct tyrc_cs_run_compute){ .progress_increment = 1 }),
		  16 * MODEL_CS_WORKGROUP_NS / 4 },
		/* 300 indices x 2 instances */
		{ tyrc_cs_pack_run_idvs(&(struct tyrc_cs_run_idvs){ 0 }),
		  600 * MODEL_CS_VERTEX_NS / 4 },
		/* (0,0)-(63,31): 4 x 2 tiles */
		{ tyrc_cs_pack_run_fragment(&(struct tyrc_cs_run_fragment){ 0 }),
		  8 * MODEL_CS_TILE_NS / 4 },
		{ tyrc_cs_pack_run_tiling(&(struct tyrc_cs_run_tiling){ 0 }),
		  MODEL_CS_RUN_FIXED_NS },
		{ tyrc_cs_pack_run_fullscreen(&(struct tyrc_cs_run_fullscreen){ 0 }),
		  MODEL_CS_RUN_FIXED_NS },
		{ tyrc_cs_pack_run_compute_indirect(&(struct tyrc_cs_run_compute_indirect){ 0 }),
		  MODEL_CS_RUN_FIXED_NS },
	};

	e->cs.regs[37] = 8;
	e->cs.regs[38] = 2;
	e->cs.regs[39] = 1;
	e->cs.regs[33] = 300;
	e->cs.regs[34] = 2;
	e->cs.regs[42] = 0;
	e->cs.regs[43] = 63 | 31 << 16;
	for (unsigned int i = 0; i < ARRAY_SIZE(runs); i++) {
		u64 buf[4], t = T0 + i * NSEC_PER_SEC;
		struct tyrc_cs_builder b;

		tyrc_cs_builder_init(&b, buf, 4);
		tyrc_cs_emit(&b, tyrc_cs_pack_set_sb_entry(
					 &(struct tyrc_cs_set_sb_entry){ .endpoint_entry = 5 }));
		tyrc_cs_emit(&b, runs[i].word);
		tyrc_cs_emit(&b, tyrc_cs_wait(BIT(5), false));
		env_load(e, &b, CODE_VA);
		env_step(e, t, 100);
		env_expect(e, MODEL_CS_BLOCKED_SB);
		assert_int_equal(e->cs.sb[5], 1);
		assert_int_equal(model_cs_next_deadline(&e->cs), t + runs[i].cost);
		env_step(e, t + runs[i].cost - 1, 100);
		env_expect(e, MODEL_CS_BLOCKED_SB);
		env_step(e, t + runs[i].cost, 100);
		env_expect(e, MODEL_CS_FINISHED);
	}
	assert_int_equal(e->cs.progress, 1);
	free(e);
}

/* FLUSH_CACHE2 holds its slot for cache_flush_ns unless its flush ID is stale. */
static void test_flush_cache2(void **state)
{
	struct cs_env *e = env_new(state);
	u64 buf[8];
	struct tyrc_cs_builder b;

	e->f->model->cfg.cache_flush_ns = 500;
	tyrc_cs_builder_init(&b, buf, 8);
	tyrc_cs_emit(&b, tyrc_cs_move32(7, 0));
	tyrc_cs_emit(&b, tyrc_cs_flush_cache2(TYRC_CS_FLUSH_CLEAN, TYRC_CS_FLUSH_NONE,
					      TYRC_CS_FLUSH_NONE, 0, 7, 4));
	tyrc_cs_emit(&b, tyrc_cs_move32(7, e->f->model->latest_flush_id + 1));
	tyrc_cs_emit(&b, tyrc_cs_flush_cache2(TYRC_CS_FLUSH_CLEAN, TYRC_CS_FLUSH_NONE,
					      TYRC_CS_FLUSH_NONE, BIT(4), 7, 6));
	tyrc_cs_emit(&b, tyrc_cs_wait(0xff, false));
	env_load(e, &b, CODE_VA);
	env_step(e, T0, 100);
	env_expect(e, MODEL_CS_BLOCKED_SB);
	assert_int_equal(e->cs.sb_wait_mask, BIT(4));
	assert_int_equal(e->cs.sb[4], 1);
	env_step(e, T0 + 499, 100);
	env_expect(e, MODEL_CS_BLOCKED_SB);
	env_step(e, T0 + 500, 100);
	env_expect(e, MODEL_CS_FINISHED);
	assert_int_equal(e->cs.flushes, 1);
	assert_int_equal(e->cs.flushes_skipped, 1);
	assert_int_equal(e->cs.sb[6], 0);
	free(e);
}

/* Undefined opcodes, reserved bits and out-of-range enumerations: FATAL 0x51. */
static void test_invalid_encoding(void **state)
{
	struct cs_env *e = env_new(state);
	const u64 bad[] = {
		0xff00000000000000ULL, /* opcode 0xFF */
		0x0a00000000000000ULL, /* opcode 10: not on v10 */
		0x2f00000000000001ULL, /* ERROR_BARRIER with a reserved bit */
		0x0260000000000000ULL, /* MOVE32 r96 */
		tyrc_cs_pack_branch(&(struct tyrc_cs_branch){ .condition = 7 }),
		tyrc_cs_pack_sync_wait32(&(struct tyrc_cs_sync_wait32){ .condition = 2 }),
		tyrc_cs_pack_sync_add32(&(struct tyrc_cs_sync_add32){ .scope = 1 }),
		tyrc_cs_pack_flush_cache2(&(struct tyrc_cs_flush_cache2){ .signal_slot = 8 }),
		tyrc_cs_pack_store_state(&(struct tyrc_cs_store_state){ .wait_mask = 0x100 }),
		tyrc_cs_pack_heap_operation(&(struct tyrc_cs_heap_operation){ .operation = 2 }),
		tyrc_cs_pack_load_multiple(
			&(struct tyrc_cs_load_multiple){ .base = 90, .mask = 0xff }),
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		const u64 words[3] = { tyrc_cs_nop(), tyrc_cs_move32(1, 1), bad[i] };
		char text[128];

		assert_int_not_equal(bad[i], TYRC_CS_BAD_WORD);
		env_put(e, CODE_VA, words, 3);
		assert_int_equal(model_cs_start(&e->cs, CODE_VA, 3 * 8), 0);
		env_step(e, T0, 100);
		tyrc_cs_disasm(bad[i], text, sizeof(text));
		if (e->cs.status != MODEL_CS_FATAL)
			fail_msg("%s: status %d", text, e->cs.status);
		assert_int_equal(e->cs.exception_type, MODEL_CS_EXC_INSTR_INVALID_ENC);
		assert_int_equal(e->cs.exception_pc, CODE_VA + 16);
		assert_int_equal(e->cs.exception_info, bad[i]);
		assert_int_equal(e->res.executed, 2);
	}
	free(e);
}

/* Fetch from an unmapped VA: CS FATAL with the MMU's code, fault recorded as a read. */
static void test_fetch_unmapped(void **state)
{
	struct cs_env *e = env_new(state);
	const u64 va = DATA_VA + DATA_PAGES * SZ_4K; /* the L3 entry is empty */
	u64 buf[2];
	struct tyrc_cs_builder b;

	/* Falling off the mapped page: the last word is fetched, the next faults. */
	tyrc_cs_builder_init(&b, buf, 2);
	tyrc_cs_emit(&b, tyrc_cs_move48(0, va));
	tyrc_cs_emit(&b, tyrc_cs_move32(2, 16));
	env_load(e, &b, va - 16);
	e->cs.end = va + 16;
	env_step(e, T0, 100);
	env_expect(e, MODEL_CS_FATAL);
	assert_int_equal(e->cs.exception_type, EXC_TRANSLATION(3));
	assert_int_equal(e->cs.exception_pc, va);
	assert_int_equal(e->cs.exception_info, va);
	assert_int_equal(e->cs.regs[2], 16);
	expect_fault(e->f, TEST_AS, EXC_TRANSLATION(3), ACCESS_READ, va);

	/*
	 * A stream in a read-only, no-exec page runs: command streams are read
	 * as data (XN is for shader fetches), and panthor maps rings no-exec.
	 */
	pt_map_page(e->f, e->root, va, PTE_PAGE_RO_NX_NC(e->data_pa));
	tyrc_cs_builder_init(&b, buf, 2);
	tyrc_cs_emit(&b, tyrc_cs_move32(3, 0x5a5a));
	tyrc_cs_emit(&b, tyrc_cs_nop());
	assert_int_equal(tyrc_cs_builder_finish(&b, &(u32){ 0 }), 0);
	memcpy(ram_ptr(e->f, e->data_pa), buf, sizeof(buf));
	assert_int_equal(model_cs_start(&e->cs, va, sizeof(buf)), 0);
	env_step(e, T0, 100);
	env_expect(e, MODEL_CS_FINISHED);
	assert_int_equal(e->cs.regs[3], 0x5a5a);
	free(e);
}

/* Data accesses to unmapped or read-only memory: CS FAULT. */
static void test_data_faults(void **state)
{
	struct cs_env *e = env_new(state);
	const u64 ro = DATA_VA + 0x10000, hole = DATA_VA + 0x20000;
	u64 buf[4];
	struct tyrc_cs_builder b;

	pt_map_page(e->f, e->root, ro, PTE_PAGE_RO_NX_NC(e->data_pa));

	tyrc_cs_builder_init(&b, buf, 4);
	tyrc_cs_emit(&b, tyrc_cs_move48(0, hole));
	tyrc_cs_emit(&b, tyrc_cs_load_multiple(4, 0, 1, 8));
	env_load(e, &b, CODE_VA);
	env_step(e, T0, 100);
	env_expect(e, MODEL_CS_FAULT);
	assert_int_equal(e->cs.exception_type, EXC_TRANSLATION(3));
	assert_int_equal(e->cs.exception_pc, CODE_VA + 8);
	assert_int_equal(e->cs.exception_info, hole + 8);
	expect_fault(e->f, TEST_AS, EXC_TRANSLATION(3), ACCESS_READ, hole + 8);

	tyrc_cs_builder_init(&b, buf, 4);
	tyrc_cs_emit(&b, tyrc_cs_move48(0, ro));
	tyrc_cs_emit(&b, tyrc_cs_store_multiple(4, 0, 1, 0));
	env_load(e, &b, CODE_VA);
	env_step(e, T0, 100);
	env_expect(e, MODEL_CS_FAULT);
	assert_int_equal(e->cs.exception_type, EXC_PERMISSION(3));
	expect_fault(e->f, TEST_AS, EXC_PERMISSION(3), ACCESS_WRITE, ro);

	/* A sync add through a read-only page, and a misaligned one. */
	tyrc_cs_builder_init(&b, buf, 4);
	tyrc_cs_emit(&b, tyrc_cs_move48(0, ro));
	tyrc_cs_emit(&b, tyrc_cs_sync_add32(TYRC_CS_SYNC_SCOPE_SYSTEM, false, 0, 4, 0, 0));
	env_load(e, &b, CODE_VA);
	env_step(e, T0, 100);
	env_expect(e, MODEL_CS_FAULT);
	assert_int_equal(e->cs.exception_type, EXC_PERMISSION(3));
	assert_int_equal(e->res.events, 0);
	expect_fault(e->f, TEST_AS, EXC_PERMISSION(3), 0 /* atomic */, ro);

	tyrc_cs_builder_init(&b, buf, 4);
	tyrc_cs_emit(&b, tyrc_cs_move48(0, DATA_VA + 2));
	tyrc_cs_emit(&b, tyrc_cs_sync_add32(TYRC_CS_SYNC_SCOPE_SYSTEM, false, 0, 4, 0, 0));
	env_load(e, &b, CODE_VA);
	env_step(e, T0, 100);
	env_expect(e, MODEL_CS_FAULT);
	assert_int_equal(e->cs.exception_type, MODEL_CS_EXC_BUS_FAULT);
	expect_no_fault(e->f);
	free(e);
}

/* An endless loop stops at the budget and resumes on the next step. */
static void test_budget(void **state)
{
	struct cs_env *e = env_new(state);
	u64 buf[2];
	struct tyrc_cs_builder b;

	tyrc_cs_builder_init(&b, buf, 2);
	tyrc_cs_emit(&b, tyrc_cs_add_imm32(1, 1, 1));
	tyrc_cs_emit(&b, tyrc_cs_branch(TYRC_CS_BRANCH_ALWAYS, 0, -2));
	env_load(e, &b, CODE_VA);
	env_step(e, T0, 1001);
	env_expect(e, MODEL_CS_RUNNING);
	assert_int_equal(e->res.executed, 1001);
	assert_int_equal(e->cs.regs[1], 501);
	env_step(e, T0, 1);
	assert_int_equal(e->res.executed, 1);
	assert_int_equal(e->cs.regs[1], 501);
	assert_int_equal(e->cs.pc, CODE_VA);
	env_step(e, T0, 0);
	assert_int_equal(e->res.executed, 0);
	free(e);
}

/* More async operations than entries stall the stream instead of failing. */
static void test_async_queue_full(void **state)
{
	struct cs_env *e = env_new(state);
	u64 buf[MODEL_CS_MAX_ASYNC + 8];
	struct tyrc_cs_builder b;

	tyrc_cs_builder_init(&b, buf, ARRAY_SIZE(buf));
	tyrc_cs_emit(&b, tyrc_cs_move48(0, DATA_VA));
	for (unsigned int i = 0; i < MODEL_CS_MAX_ASYNC + 2; i++)
		tyrc_cs_emit(&b, tyrc_cs_store_multiple(4, 0, 1, (s32)(4 * i)));
	env_load(e, &b, CODE_VA);
	env_step(e, T0, 1000);
	env_expect(e, MODEL_CS_BLOCKED_SB);
	assert_int_equal(e->cs.sb[0], MODEL_CS_MAX_ASYNC);
	env_step(e, T0 + MODEL_CS_MEM_NS, 1000);
	env_expect(e, MODEL_CS_FINISHED);
	assert_int_equal(e->cs.sb[0], 2);
	free(e);
}

/* model_cs_start() argument checks. */
static void test_start_checks(void **state)
{
	struct cs_env *e = env_new(state);

	assert_int_equal(model_cs_start(&e->cs, CODE_VA + 4, 8), -EINVAL);
	assert_int_equal(model_cs_start(&e->cs, CODE_VA, 12), -EINVAL);
	assert_int_equal(model_cs_start(&e->cs, ~7ULL, 16), -EINVAL);
	env_expect(e, MODEL_CS_IDLE);
	assert_int_equal(model_cs_start(&e->cs, CODE_VA, 0), 0);
	env_step(e, T0, 10);
	env_expect(e, MODEL_CS_FINISHED);
	free(e);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, fixture_setup_instant, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(test_example_store_flush_sync),
		T(test_example_ring_wrapper),
		T(test_counted_loop),
		T(test_branch_conditions),
		T(test_call_jump_chain),
		T(test_call_stack_limit),
		T(test_call_misaligned),
		T(test_scoreboard_load_store),
		T(test_sync_wait),
		T(test_sync_update),
		T(test_store_state),
		T(test_run_cost_model),
		T(test_flush_cache2),
		T(test_invalid_encoding),
		T(test_fetch_unmapped),
		T(test_data_faults),
		T(test_budget),
		T(test_async_queue_full),
		T(test_start_checks),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
