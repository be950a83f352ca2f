// SPDX-License-Identifier: MIT
/*
 * One test per behaviour of each v10 opcode of the command-stream
 * interpreter (model_cs.c), checked against cs-isa-v10.md §2-§3: register
 * arithmetic, moves, branches, calls, the sync-object updates and waits in
 * both scopes, and the bookkeeping opcodes (heap, progress, trace,
 * resources, exception handler, error barrier). Scoreboard ordering is in
 * test_model_cs_sb.c; the sheet's example streams and faults in
 * test_model_cs.c.
 */
#include "cs_test.h"

#define SYNC_VA (DATA_VA + 0x100)

/* Run @w (an array) from CODE_VA at T0 and expect it to finish. */
#define RUN_OK(e, w)                                  \
	do {                                          \
		env_run((e), (w), ARRAY_SIZE(w), T0); \
		env_expect((e), MODEL_CS_FINISHED);   \
	} while (0)

/* NOP ignores its 56-bit payload: nothing but the PC changes. */
static void test_nop_ignores_payload(void **state)
{
	struct cs_env *e = env_new(state);
	const u64 w[] = {
		tyrc_cs_nop(),
		tyrc_cs_pack_nop(&(struct tyrc_cs_nop){ .ignored = 0xffffffffffffffULL }),
	};
	u32 regs[TYRC_CS_NUM_REGS];

	for (unsigned int i = 0; i < TYRC_CS_NUM_REGS; i++)
		e->cs.regs[i] = i * 0x01010101u;
	memcpy(regs, e->cs.regs, sizeof(regs));
	RUN_OK(e, w);
	assert_memory_equal(regs, e->cs.regs, sizeof(regs));
	assert_int_equal(e->cs.pc, CODE_VA + 16);
	assert_int_equal(e->res.executed, 2);
	assert_int_equal(model_cs_scoreboards(&e->cs), 0);
	free(e);
}

/* MOVE48 writes the whole pair: the 48-bit immediate, zero-extended. */
static void test_move48_zero_extends_pair(void **state)
{
	struct cs_env *e = env_new(state);
	const u64 w[] = { tyrc_cs_move48(4, 0x123456789abcULL),
			  tyrc_cs_move48(0, 0xffffffffffffULL) };

	e->cs.regs[4] = e->cs.regs[5] = 0xffffffff;
	e->cs.regs[1] = 0xffffffff;
	RUN_OK(e, w);
	assert_int_equal(e->cs.regs[4], 0x56789abc);
	assert_int_equal(e->cs.regs[5], 0x1234); /* bits 63:48 cleared */
	assert_int_equal(e->cs.regs[0], 0xffffffff);
	assert_int_equal(e->cs.regs[1], 0xffff);
	free(e);
}

/*
 * MOVE32 writes one register and leaves its pair neighbour alone, so two
 * MOVE32s load a 64-bit constant >= 2^48 (the sheet's idiom), and r95 is
 * reachable.
 */
static void test_move32_writes_one_register(void **state)
{
	struct cs_env *e = env_new(state);
	const u64 w[] = {
		tyrc_cs_move32(8, 0xdeadbeef),
		tyrc_cs_move32(2, 0x89abcdef),
		tyrc_cs_move32(3, 0xfedcba98),
		tyrc_cs_move32(95, 0x95),
	};

	e->cs.regs[9] = 0x5555;
	RUN_OK(e, w);
	assert_int_equal(e->cs.regs[8], 0xdeadbeef);
	assert_int_equal(e->cs.regs[9], 0x5555);
	assert_int_equal(e->cs.regs[2] | (u64)e->cs.regs[3] << 32, 0xfedcba9889abcdefULL);
	assert_int_equal(e->cs.regs[95], 0x95);
	free(e);
}

/* ADD_IMMEDIATE32 wraps at 2^32, takes a negative immediate and keeps src. */
static void test_add_immediate32_wraps(void **state)
{
	struct cs_env *e = env_new(state);
	const u64 w[] = {
		tyrc_cs_move32(2, 0xffffffff),
		tyrc_cs_add_imm32(3, 2, 2),
		tyrc_cs_move32(4, 5),
		tyrc_cs_add_imm32(5, 4, -6),
		tyrc_cs_add_imm32(4, 4, INT32_MIN),
	};

	RUN_OK(e, w);
	assert_int_equal(e->cs.regs[2], 0xffffffff);
	assert_int_equal(e->cs.regs[3], 1);
	assert_int_equal(e->cs.regs[5], 0xffffffff);
	assert_int_equal(e->cs.regs[4], 0x80000005);
	free(e);
}

/* ADD_IMMEDIATE64 carries from the low word into the high word. */
static void test_add_immediate64_carries(void **state)
{
	struct cs_env *e = env_new(state);
	const u64 w[] = {
		tyrc_cs_move48(0, 0xffffffffffffULL),
		tyrc_cs_add_imm64(4, 0, 1),
		tyrc_cs_move48(6, 0xffffffffULL),
		tyrc_cs_add_imm64(6, 6, 1),
	};

	RUN_OK(e, w);
	assert_int_equal(e->cs.regs[4], 0);
	assert_int_equal(e->cs.regs[5], 0x10000);
	assert_int_equal(e->cs.regs[6], 0);
	assert_int_equal(e->cs.regs[7], 1);
	free(e);
}

/* ADD_IMMEDIATE64 sign-extends its immediate and wraps at 2^64. */
static void test_add_immediate64_wraps(void **state)
{
	struct cs_env *e = env_new(state);
	const u64 w[] = {
		tyrc_cs_move32(0, 0xffffffff), tyrc_cs_move32(1, 0xffffffff),
		tyrc_cs_add_imm64(2, 0, 1), /* 2^64 - 1 + 1 = 0 */
		tyrc_cs_move48(4, 5),	       tyrc_cs_add_imm64(4, 4, -6), /* 5 - 6 = 2^64 - 1 */
		tyrc_cs_move48(6, 0),	       tyrc_cs_add_imm64(6, 6, INT32_MIN),
	};

	RUN_OK(e, w);
	assert_int_equal(e->cs.regs[2], 0);
	assert_int_equal(e->cs.regs[3], 0);
	assert_int_equal(e->cs.regs[4], 0xffffffff);
	assert_int_equal(e->cs.regs[5], 0xffffffff);
	assert_int_equal(e->cs.regs[6] | (u64)e->cs.regs[7] << 32, (u64)(s64)INT32_MIN);
	free(e);
}

static u64 umin32(unsigned int dst, unsigned int src0, unsigned int src1)
{
	return tyrc_cs_pack_compare_select32(
		&(struct tyrc_cs_compare_select32){ .dst = dst, .src0 = src0, .src1 = src1 });
}

/* COMPARE_SELECT32 is an unsigned minimum, whatever the operand order. */
static void test_umin32_unsigned_minimum(void **state)
{
	struct cs_env *e = env_new(state);
	const u64 w[] = {
		tyrc_cs_move32(1, 7),
		tyrc_cs_move32(2, 0xffffffff),
		tyrc_cs_move32(3, 0x80000000),
		tyrc_cs_move32(4, 1),
		umin32(10, 1, 2),
		umin32(11, 2, 1),
		umin32(12, 3, 4), /* signed, 0x80000000 would be the minimum */
		umin32(13, 1, 1),
		umin32(4, 4, 3), /* dst may be a source */
	};

	RUN_OK(e, w);
	assert_int_equal(e->cs.regs[10], 7);
	assert_int_equal(e->cs.regs[11], 7);
	assert_int_equal(e->cs.regs[12], 1);
	assert_int_equal(e->cs.regs[13], 7);
	assert_int_equal(e->cs.regs[4], 1);
	free(e);
}

/* BRANCH: a forward offset skips, offset 0 falls through, offset -1 loops on itself. */
static void test_branch_offsets(void **state)
{
	struct cs_env *e = env_new(state);
	const u64 w[] = {
		tyrc_cs_move32(1, 1),
		tyrc_cs_branch(TYRC_CS_BRANCH_ALWAYS, 1, 2), /* skips the next two */
		tyrc_cs_move32(2, 1),
		tyrc_cs_move32(3, 1),
		tyrc_cs_branch(TYRC_CS_BRANCH_ALWAYS, 1, 0), /* to the next one anyway */
		tyrc_cs_move32(4, 1),
		tyrc_cs_branch(TYRC_CS_BRANCH_NEQUAL, 5, -1), /* r5 == 0: not taken */
	};

	RUN_OK(e, w);
	assert_int_equal(e->cs.regs[2], 0);
	assert_int_equal(e->cs.regs[3], 0);
	assert_int_equal(e->cs.regs[4], 1);
	assert_int_equal(e->res.executed, 5);

	/* Offset -1 targets the branch itself: an endless loop on one word. */
	e->cs.regs[5] = 1;
	env_run(e, &w[6], 1, T0);
	env_expect(e, MODEL_CS_RUNNING);
	assert_int_equal(e->cs.pc, CODE_VA);
	assert_int_equal(e->res.executed, 1000);
	free(e);
}

/* Seven nested CALLs (eight frames with the outermost) return in order. */
static void test_call_nests_seven_deep(void **state)
{
	struct cs_env *e = env_new(state);
	u64 w[8][4];

	/* Buffer k (at CODE_VA + 0x100 * k) calls buffer k + 1, then counts. */
	for (unsigned int k = 0; k < 8; k++) {
		u64 next = CODE_VA + 0x100 * (k + 1);

		w[k][0] = tyrc_cs_move48(0, next);
		w[k][1] = tyrc_cs_move32(2, k < 7 ? 32 : 0);
		w[k][2] = tyrc_cs_call(0, 2);
		/* Each frame adds its number once its callee has returned. */
		w[k][3] = tyrc_cs_add_imm32(10, 10, (s32)k);
		env_put(e, CODE_VA + 0x100 * k, w[k], 4);
	}
	assert_int_equal(model_cs_start(&e->cs, CODE_VA, 32), 0);
	env_step(e, T0, 1000);
	env_expect(e, MODEL_CS_FINISHED);
	assert_int_equal(e->cs.depth, 0);
	assert_int_equal(e->cs.regs[10], 0 + 1 + 2 + 3 + 4 + 5 + 6 + 7);
	assert_int_equal(e->res.executed, 8 * 4);
	free(e);
}

/* JUMP at depth 0 replaces the outermost buffer: its end ends the stream. */
static void test_jump_replaces_outermost_buffer(void **state)
{
	struct cs_env *e = env_new(state);
	const u64 target[] = { tyrc_cs_move32(3, 3) };
	const u64 w[] = {
		tyrc_cs_move48(0, CODE_VA + 0x800), tyrc_cs_move32(2, 8), tyrc_cs_jump(0, 2),
		tyrc_cs_move32(4, 4), /* never reached: no frame to return to */
	};

	env_put(e, CODE_VA + 0x800, target, 1);
	RUN_OK(e, w);
	assert_int_equal(e->cs.regs[3], 3);
	assert_int_equal(e->cs.regs[4], 0);
	assert_int_equal(e->cs.pc, CODE_VA + 0x808);
	assert_int_equal(e->cs.end, CODE_VA + 0x808);
	free(e);
}

/* LOAD_MULTIPLE: sign-extended offset, holes in the mask leave registers alone. */
static void test_load_multiple_offset_and_holes(void **state)
{
	struct cs_env *e = env_new(state);
	u32 *mem = env_data(e, DATA_VA + 0x200);
	const u64 w[] = {
		tyrc_cs_move48(0, DATA_VA + 0x210),
		tyrc_cs_load_multiple(20, 0, 0x5, -0x10), /* r20 := mem[0], r22 := mem[2] */
		tyrc_cs_wait(1, false),
	};

	for (unsigned int i = 0; i < 4; i++)
		mem[i] = 0x100 + i;
	e->cs.regs[21] = 0x2121;
	env_run(e, w, ARRAY_SIZE(w), T0);
	env_expect(e, MODEL_CS_BLOCKED_SB);
	env_step(e, T0 + MODEL_CS_MEM_NS, 100);
	env_expect(e, MODEL_CS_FINISHED);
	assert_int_equal(e->cs.regs[20], 0x100);
	assert_int_equal(e->cs.regs[21], 0x2121);
	assert_int_equal(e->cs.regs[22], 0x102);
	assert_int_equal(e->cs.regs[23], 0);
	free(e);
}

/* STORE_MULTIPLE: sign-extended offset, holes in the mask leave memory alone. */
static void test_store_multiple_offset_and_holes(void **state)
{
	struct cs_env *e = env_new(state);
	u32 *mem = env_data(e, DATA_VA + 0x200);
	const u64 w[] = {
		tyrc_cs_move48(0, DATA_VA + 0x210),
		tyrc_cs_move32(20, 0xa0),
		tyrc_cs_move32(21, 0xa1),
		tyrc_cs_move32(22, 0xa2),
		tyrc_cs_store_multiple(20, 0, 0x5, -0x10),
		tyrc_cs_wait(1, false),
	};

	for (unsigned int i = 0; i < 4; i++)
		mem[i] = 0x100 + i;
	env_run(e, w, ARRAY_SIZE(w), T0);
	assert_int_equal(mem[0], 0xa0);
	assert_int_equal(mem[1], 0x101);
	assert_int_equal(mem[2], 0xa2);
	assert_int_equal(mem[3], 0x103);
	env_step(e, T0 + MODEL_CS_MEM_NS, 100);
	env_expect(e, MODEL_CS_FINISHED);
	free(e);
}

/* SET_SB_ENTRY chooses the slots of RUN_* (endpoint) and LOAD/STORE (other). */
static void test_set_sb_entry_routes_slots(void **state)
{
	struct cs_env *e = env_new(state);
	const u64 run = tyrc_cs_pack_run_compute(&(struct tyrc_cs_run_compute){ 0 });
	const u64 w[] = {
		tyrc_cs_move48(0, DATA_VA),
		tyrc_cs_store_multiple(4, 0, 1, 0),
		run,
		tyrc_cs_pack_set_sb_entry(
			&(struct tyrc_cs_set_sb_entry){ .endpoint_entry = 5, .other_entry = 6 }),
		tyrc_cs_store_multiple(4, 0, 1, 0),
		tyrc_cs_store_multiple(4, 0, 1, 4),
		run,
	};

	e->cs.regs[37] = e->cs.regs[38] = e->cs.regs[39] = 1;
	RUN_OK(e, w);
	/* Slots 0/0 by default: one store and one run on slot 0. */
	assert_int_equal(e->cs.sb[0], 2);
	assert_int_equal(e->cs.sb[6], 2);
	assert_int_equal(e->cs.sb[5], 1);
	assert_int_equal(e->cs.sb_endpoint, 5);
	assert_int_equal(e->cs.sb_other, 6);
	assert_int_equal(model_cs_scoreboards(&e->cs), BIT(0) | BIT(5) | BIT(6));
	free(e);
}

/* WAIT's progress_increment adds one to the progress counter, once it passes. */
static void test_wait_progress_increment(void **state)
{
	struct cs_env *e = env_new(state);
	const u64 w[] = { tyrc_cs_wait(0, true), tyrc_cs_wait(0xff, false), tyrc_cs_wait(1, true) };

	RUN_OK(e, w);
	assert_int_equal(e->cs.progress, 2);
	free(e);
}

/* Every RUN_* adds its progress_increment to the progress counter. */
static void test_run_progress_increment(void **state)
{
	struct cs_env *e = env_new(state);
	const u64 w[] = {
		tyrc_cs_pack_run_compute(&(struct tyrc_cs_run_compute){ .progress_increment = 1 }),
		tyrc_cs_pack_run_tiling(&(struct tyrc_cs_run_tiling){ .progress_increment = 1 }),
		tyrc_cs_pack_run_idvs(&(struct tyrc_cs_run_idvs){ .progress_increment = 1 }),
		tyrc_cs_pack_run_fragment(
			&(struct tyrc_cs_run_fragment){ .progress_increment = 1 }),
		tyrc_cs_pack_run_fullscreen(
			&(struct tyrc_cs_run_fullscreen){ .progress_increment = 1 }),
		tyrc_cs_pack_run_compute_indirect(
			&(struct tyrc_cs_run_compute_indirect){ .progress_increment = 1 }),
		tyrc_cs_pack_run_compute(&(struct tyrc_cs_run_compute){ 0 }),
	};

	RUN_OK(e, w);
	assert_int_equal(e->cs.progress, 6);
	assert_int_equal(e->cs.sb[0], ARRAY_SIZE(w));
	free(e);
}

/* PROGRESS_STORE sets the 64-bit counter, PROGRESS_LOAD reads it back. */
static void test_progress_store_load(void **state)
{
	struct cs_env *e = env_new(state);
	const u64 w[] = {
		tyrc_cs_move32(10, 0xfffffffe),
		tyrc_cs_move32(11, 0x12),
		tyrc_cs_pack_progress_store(&(struct tyrc_cs_progress_store){ .source = 10 }),
		tyrc_cs_wait(0, true),
		tyrc_cs_wait(0, true),
		tyrc_cs_pack_progress_load(&(struct tyrc_cs_progress_load){ .dst = 12 }),
	};

	RUN_OK(e, w);
	assert_int_equal(e->cs.progress, 0x1300000000ULL);
	assert_int_equal(e->cs.regs[12], 0);
	assert_int_equal(e->cs.regs[13], 0x13);
	free(e);
}

/* PROGRESS_WAIT and PROT_REGION are accepted and change nothing. */
static void test_progress_wait_and_prot_region_no_op(void **state)
{
	struct cs_env *e = env_new(state);
	const u64 w[] = {
		tyrc_cs_pack_progress_wait(
			&(struct tyrc_cs_progress_wait){ .queue = 31, .source = 10 }),
		tyrc_cs_pack_prot_region(&(struct tyrc_cs_prot_region){ .size = 0xffff }),
	};

	e->cs.regs[10] = 0xffffffff; /* a progress target far ahead: not waited for */
	e->cs.progress = 7;
	RUN_OK(e, w);
	assert_int_equal(e->cs.progress, 7);
	assert_int_equal(e->cs.regs[10], 0xffffffff);
	assert_int_equal(e->res.executed, 2);
	free(e);
}

/* FINISH_TILING adds its progress_increment and holds no slot. */
static void test_finish_tiling_progress(void **state)
{
	struct cs_env *e = env_new(state);
	const u64 w[] = {
		tyrc_cs_pack_finish_tiling(
			&(struct tyrc_cs_finish_tiling){ .progress_increment = 1 }),
		tyrc_cs_pack_finish_tiling(&(struct tyrc_cs_finish_tiling){ 0 }),
	};

	RUN_OK(e, w);
	assert_int_equal(e->cs.progress, 1);
	assert_int_equal(model_cs_scoreboards(&e->cs), 0);
	free(e);
}

/* FINISH_FRAGMENT counts a completed fragment pass only when asked to. */
static void test_finish_fragment_counts_completion(void **state)
{
	struct cs_env *e = env_new(state);
	const u64 w[] = {
		tyrc_cs_pack_finish_fragment(
			&(struct tyrc_cs_finish_fragment){ .increment_fragment_completed = 1 }),
		tyrc_cs_pack_finish_fragment(&(struct tyrc_cs_finish_fragment){ 0 }),
		tyrc_cs_pack_finish_fragment(
			&(struct tyrc_cs_finish_fragment){ .increment_fragment_completed = 1,
							   .first_heap_chunk = 2,
							   .last_heap_chunk = 4 }),
	};

	RUN_OK(e, w);
	assert_int_equal(e->cs.heap_frag_end, 2);
	assert_int_equal(e->cs.heap_vt_start, 0);
	assert_int_equal(e->cs.heap_vt_end, 0);
	assert_int_equal(model_cs_scoreboards(&e->cs), 0);
	free(e);
}

/* HEAP_SET latches d[address] as the tiler heap context. */
static void test_heap_set_latches_context(void **state)
{
	struct cs_env *e = env_new(state);
	const u64 w[] = {
		tyrc_cs_move48(20, 0x123456789aULL),
		tyrc_cs_pack_heap_set(&(struct tyrc_cs_heap_set){ .address = 20 }),
		tyrc_cs_move48(20, 0), /* latched: later register changes do not matter */
	};

	RUN_OK(e, w);
	assert_int_equal(e->cs.heap_ctx, 0x123456789aULL);
	free(e);
}

static u64 heap_op(enum tyrc_cs_heap_op op)
{
	return tyrc_cs_pack_heap_operation(&(struct tyrc_cs_heap_operation){ .operation = op });
}

/* HEAP_OPERATION: each operation has its own counter (heap_vt_start/vt_end/frag_end). */
static void test_heap_operation_counters(void **state)
{
	struct cs_env *e = env_new(state);
	const u64 w[] = {
		heap_op(TYRC_CS_HEAP_VT_START), heap_op(TYRC_CS_HEAP_VT_START),
		heap_op(TYRC_CS_HEAP_VT_START), heap_op(TYRC_CS_HEAP_VT_END),
		heap_op(TYRC_CS_HEAP_VT_END),	heap_op(TYRC_CS_HEAP_FRAG_END),
	};

	RUN_OK(e, w);
	assert_int_equal(e->cs.heap_vt_start, 3);
	assert_int_equal(e->cs.heap_vt_end, 2);
	assert_int_equal(e->cs.heap_frag_end, 1);
	assert_int_equal(model_cs_scoreboards(&e->cs), 0);
	free(e);
}

/* SET_EXCEPTION_HANDLER records the tiler-OOM handler stream. */
static void test_set_exception_handler_records(void **state)
{
	struct cs_env *e = env_new(state);
	const u64 w[] = {
		tyrc_cs_move48(0, 0x123456789aULL),
		tyrc_cs_move32(2, 64),
		tyrc_cs_pack_set_exception_handler(&(struct tyrc_cs_set_exception_handler){
			.exception_type = 2, .address = 0, .length = 2 }),
	};

	RUN_OK(e, w);
	assert_int_equal(e->cs.exc_handler_type, 2);
	assert_int_equal(e->cs.exc_handler_addr, 0x123456789aULL);
	assert_int_equal(e->cs.exc_handler_len, 64);
	/* Registering a handler runs nothing. */
	assert_int_equal(e->cs.depth, 0);
	assert_int_equal(e->res.executed, 3);
	free(e);
}

/* An exception type other than 2 (tiler OOM) is an invalid encoding. */
static void test_set_exception_handler_rejects_other_types(void **state)
{
	struct cs_env *e = env_new(state);
	const u64 w[] = { tyrc_cs_pack_set_exception_handler(
		&(struct tyrc_cs_set_exception_handler){ .exception_type = 1 }) };

	env_run(e, w, 1, T0);
	env_expect(e, MODEL_CS_FATAL);
	assert_int_equal(e->cs.exception_type, MODEL_CS_EXC_INSTR_INVALID_ENC);
	assert_int_equal(e->cs.exception_info, w[0]);
	assert_int_equal(e->cs.exc_handler_type, 0);
	free(e);
}

/* REQ_RESOURCE records the requested endpoints, one bit each, and is granted at once. */
static void test_req_resource_records_endpoints(void **state)
{
	static const struct tyrc_cs_req_resource reqs[] = {
		{ .compute = 1 }, { .fragment = 1 },	       { .tiler = 1 },
		{ .idvs = 1 },	  { .compute = 1, .idvs = 1 }, { 0 },
	};
	static const u32 expect[] = { 0x1, 0x2, 0x4, 0x8, 0x9, 0 };
	struct cs_env *e = env_new(state);

	for (unsigned int i = 0; i < ARRAY_SIZE(reqs); i++) {
		const u64 w[] = { tyrc_cs_pack_req_resource(&reqs[i]) };

		RUN_OK(e, w);
		assert_int_equal(e->cs.resources, expect[i]);
	}
	free(e);
}

/* TRACE_POINT is counted and touches no register or memory. */
static void test_trace_point_counts(void **state)
{
	struct cs_env *e = env_new(state);
	const u64 w[] = {
		tyrc_cs_pack_trace_point(&(struct tyrc_cs_trace_point){ .base = 4, .count = 3 }),
		tyrc_cs_pack_trace_point(&(struct tyrc_cs_trace_point){ .count = 0 }),
	};

	e->cs.regs[4] = 0x44;
	RUN_OK(e, w);
	assert_int_equal(e->cs.trace_points, 2);
	assert_int_equal(e->cs.regs[4], 0x44);
	assert_int_equal(model_cs_scoreboards(&e->cs), 0);
	free(e);
}

/* ERROR_BARRIER clears the CS error state (STORE_STATE ERROR_STATUS before and after). */
static void test_error_barrier_clears_error_state(void **state)
{
	struct cs_env *e = env_new(state);
	u64 *out = env_data(e, DATA_VA + 0x300);
	const u64 w[] = {
		tyrc_cs_move48(0, DATA_VA + 0x300),
		tyrc_cs_store_state(TYRC_CS_STATE_ERROR_STATUS, 0, 0, 0, 0),
		tyrc_cs_error_barrier(),
		tyrc_cs_store_state(TYRC_CS_STATE_ERROR_STATUS, 0, 8, 0, 0),
	};

	e->cs.error_state = 0x4b;
	out[1] = 0x77;
	RUN_OK(e, w);
	assert_int_equal(out[0], 0x4b);
	assert_int_equal(out[1], 0);
	assert_int_equal(e->cs.error_state, 0);
	free(e);
}

/* The four sync-object updates, as one table. */
struct sync_case {
	enum tyrc_cs_opcode op;
	u64 before;
	u64 data;
	u64 after;
};

static const struct sync_case sync_cases[] = {
	{ TYRC_CS_OP_SYNC_ADD32, 0xfffffffe, 3, 1 }, /* wraps at 2^32 */
	{ TYRC_CS_OP_SYNC_SET32, 0x12345678, 0x9abcdef0, 0x9abcdef0 },
	{ TYRC_CS_OP_SYNC_ADD64, 0xffffffffULL, 0x100000001ULL, 0x200000000ULL },
	{ TYRC_CS_OP_SYNC_SET64, 0x1111111111111111ULL, 0x123456789abcdef0ULL,
	  0x123456789abcdef0ULL },
};

static bool sync_is64(enum tyrc_cs_opcode op)
{
	return op == TYRC_CS_OP_SYNC_ADD64 || op == TYRC_CS_OP_SYNC_SET64;
}

/* One sync update of @op: [d0] op= r/d4, with @scope and @propagate. */
static u64 sync_word(enum tyrc_cs_opcode op, enum tyrc_cs_sync_scope scope, bool propagate)
{
	/* The four structs share one layout (tyrc_cs_isa.h TYRC_CS_F_SYNC_UPDATE). */
	struct tyrc_cs_instr in = { .opcode = op };

	in.sync_add32 = (struct tyrc_cs_sync_add32){
		.scope = scope, .error_propagate = propagate, .address = 0, .data = 4
	};
	return tyrc_cs_encode(&in);
}

/* Run one sync update on the object at SYNC_VA (value, then status word 0x77). */
static void sync_run(struct cs_env *e, const struct sync_case *c, enum tyrc_cs_sync_scope scope,
		     bool propagate)
{
	bool is64 = sync_is64(c->op);
	u32 *obj = env_data(e, SYNC_VA);
	const u64 w[] = {
		tyrc_cs_move48(0, SYNC_VA),
		tyrc_cs_move32(4, (u32)c->data),
		tyrc_cs_move32(5, (u32)(c->data >> 32)),
		sync_word(c->op, scope, propagate),
	};

	assert_int_not_equal(w[3], TYRC_CS_BAD_WORD);
	obj[0] = (u32)c->before;
	obj[1] = is64 ? (u32)(c->before >> 32) : 0x77;
	obj[2] = 0x77;
	RUN_OK(e, w);
}

static u64 sync_value(struct cs_env *e, bool is64)
{
	u32 *obj = env_data(e, SYNC_VA);

	return is64 ? obj[0] | (u64)obj[1] << 32 : obj[0];
}

static u32 sync_status(struct cs_env *e, bool is64)
{
	return ((u32 *)env_data(e, SYNC_VA))[is64 ? 2 : 1];
}

/* SYNC_ADD/SET 32/64 in system scope: the value, and the system SYNC_UPDATE event. */
static void test_sync_update_system_scope(void **state)
{
	struct cs_env *e = env_new(state);

	for (unsigned int i = 0; i < ARRAY_SIZE(sync_cases); i++) {
		const struct sync_case *c = &sync_cases[i];

		sync_run(e, c, TYRC_CS_SYNC_SCOPE_SYSTEM, false);
		assert_int_equal(sync_value(e, sync_is64(c->op)), c->after);
		assert_int_equal(e->res.events, MODEL_CS_EV_SYNC_SYSTEM);
		/* No error_propagate: the status word is not written. */
		assert_int_equal(sync_status(e, sync_is64(c->op)), 0x77);
	}
	free(e);
}

/* The same updates in CSG scope: same memory effect, only the CSG event. */
static void test_sync_update_csg_scope(void **state)
{
	struct cs_env *e = env_new(state);

	for (unsigned int i = 0; i < ARRAY_SIZE(sync_cases); i++) {
		const struct sync_case *c = &sync_cases[i];

		sync_run(e, c, TYRC_CS_SYNC_SCOPE_CSG, false);
		assert_int_equal(sync_value(e, sync_is64(c->op)), c->after);
		assert_int_equal(e->res.events, MODEL_CS_EV_SYNC_CSG);
	}
	free(e);
}

/* error_propagate writes the status word: 0 without a CS error, 1 with one. */
static void test_sync_update_error_propagate(void **state)
{
	struct cs_env *e = env_new(state);

	for (unsigned int i = 0; i < ARRAY_SIZE(sync_cases); i++) {
		const struct sync_case *c = &sync_cases[i];
		bool is64 = sync_is64(c->op);

		e->cs.error_state = 0;
		sync_run(e, c, TYRC_CS_SYNC_SCOPE_SYSTEM, true);
		assert_int_equal(sync_status(e, is64), 0);
		e->cs.error_state = 0x4b;
		sync_run(e, c, TYRC_CS_SYNC_SCOPE_CSG, true);
		assert_int_equal(sync_status(e, is64), 1);
		/* The value is updated either way. */
		assert_int_equal(sync_value(e, is64), c->after);
	}
	free(e);
}

/* Run a SYNC_WAIT of @op/@cond on SYNC_VA (holding @value) against @data. */
static void sync_wait_run(struct cs_env *e, bool is64, enum tyrc_cs_sync_cond cond, u64 value,
			  u64 data)
{
	u32 *obj = env_data(e, SYNC_VA);
	struct tyrc_cs_instr in = { .opcode = is64 ? TYRC_CS_OP_SYNC_WAIT64 :
						     TYRC_CS_OP_SYNC_WAIT32 };
	u64 w[4];

	in.sync_wait32 = (struct tyrc_cs_sync_wait32){ .condition = cond, .address = 0, .data = 4 };
	w[0] = tyrc_cs_move48(0, SYNC_VA);
	w[1] = tyrc_cs_move32(4, (u32)data);
	w[2] = tyrc_cs_move32(5, (u32)(data >> 32));
	w[3] = tyrc_cs_encode(&in);
	obj[0] = (u32)value;
	obj[1] = (u32)(value >> 32);
	env_run(e, w, 4, T0);
}

/* SYNC_WAIT32: unsigned LE / GT against r[data], on the low word only. */
static void test_sync_wait32_conditions(void **state)
{
	static const struct {
		enum tyrc_cs_sync_cond cond;
		u64 value;
		u32 data;
		bool passes;
	} cases[] = {
		{ TYRC_CS_SYNC_WAIT_GT, 5, 5, false },
		{ TYRC_CS_SYNC_WAIT_GT, 6, 5, true },
		{ TYRC_CS_SYNC_WAIT_GT, 0x80000000, 1, true }, /* unsigned */
		{ TYRC_CS_SYNC_WAIT_GT, 0x100000000ULL, 0, false }, /* high word ignored */
		{ TYRC_CS_SYNC_WAIT_LE, 5, 5, true },
		{ TYRC_CS_SYNC_WAIT_LE, 6, 5, false },
		{ TYRC_CS_SYNC_WAIT_LE, 0xffffffff, 0xfffffffe, false },
		{ TYRC_CS_SYNC_WAIT_LE, 0, 0, true },
	};
	struct cs_env *e = env_new(state);

	for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
		sync_wait_run(e, false, cases[i].cond, cases[i].value, cases[i].data);
		env_expect(e, cases[i].passes ? MODEL_CS_FINISHED : MODEL_CS_BLOCKED_SYNC);
		if (!cases[i].passes) {
			assert_int_equal(e->cs.sync_wait.address, SYNC_VA);
			assert_int_equal(e->cs.sync_wait.value, cases[i].data);
			assert_false(e->cs.sync_wait.is64);
			assert_int_equal(e->cs.sync_wait.cond, cases[i].cond);
		}
	}
	free(e);
}

/* SYNC_WAIT64: unsigned LE / GT of the whole 64-bit value against d[data]. */
static void test_sync_wait64_conditions(void **state)
{
	static const struct {
		enum tyrc_cs_sync_cond cond;
		u64 value;
		u64 data;
		bool passes;
	} cases[] = {
		{ TYRC_CS_SYNC_WAIT_GT, 0x100000000ULL, 0xffffffffULL,
		  true }, /* high word counts */
		{ TYRC_CS_SYNC_WAIT_GT, 0xffffffffULL, 0x100000000ULL, false },
		{ TYRC_CS_SYNC_WAIT_GT, 0x8000000000000000ULL, 1, true }, /* unsigned */
		{ TYRC_CS_SYNC_WAIT_LE, 0x100000000ULL, 0x100000000ULL, true },
		{ TYRC_CS_SYNC_WAIT_LE, 0x100000001ULL, 0x100000000ULL, false },
		{ TYRC_CS_SYNC_WAIT_LE, 0xffffffffULL, 0x100000000ULL, true },
	};
	struct cs_env *e = env_new(state);

	for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
		sync_wait_run(e, true, cases[i].cond, cases[i].value, cases[i].data);
		env_expect(e, cases[i].passes ? MODEL_CS_FINISHED : MODEL_CS_BLOCKED_SYNC);
		if (!cases[i].passes) {
			assert_int_equal(e->cs.sync_wait.value, cases[i].data);
			assert_true(e->cs.sync_wait.is64);
		}
	}
	free(e);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, fixture_setup_instant, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(test_nop_ignores_payload),
		T(test_move48_zero_extends_pair),
		T(test_move32_writes_one_register),
		T(test_add_immediate32_wraps),
		T(test_add_immediate64_carries),
		T(test_add_immediate64_wraps),
		T(test_umin32_unsigned_minimum),
		T(test_branch_offsets),
		T(test_call_nests_seven_deep),
		T(test_jump_replaces_outermost_buffer),
		T(test_load_multiple_offset_and_holes),
		T(test_store_multiple_offset_and_holes),
		T(test_set_sb_entry_routes_slots),
		T(test_wait_progress_increment),
		T(test_run_progress_increment),
		T(test_progress_store_load),
		T(test_progress_wait_and_prot_region_no_op),
		T(test_finish_tiling_progress),
		T(test_finish_fragment_counts_completion),
		T(test_heap_set_latches_context),
		T(test_heap_operation_counters),
		T(test_set_exception_handler_records),
		T(test_set_exception_handler_rejects_other_types),
		T(test_req_resource_records_endpoints),
		T(test_trace_point_counts),
		T(test_error_barrier_clears_error_state),
		T(test_sync_update_system_scope),
		T(test_sync_update_csg_scope),
		T(test_sync_update_error_propagate),
		T(test_sync_wait32_conditions),
		T(test_sync_wait64_conditions),
	};
#undef T

	return cmocka_run_group_tests_name("model_cs_ops", tests, NULL, NULL);
}
