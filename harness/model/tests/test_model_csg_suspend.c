// SPDX-License-Identifier: MIT
/*
 * CSG SUSPEND / RESUME (model_csg_suspend.c): a suspended group's CS state
 * goes into its suspend buffer and comes back on RESUME, on another slot
 * with another address space, so the stream goes on exactly where it
 * stopped: a counted loop (its memory identical to an uninterrupted run's),
 * a CS blocked in SYNC_WAIT, a CS waiting on a scoreboard with work in
 * flight, a CS stopped on a FATAL; a group STARTed instead starts fresh.
 */
#include "mmu_test.h"
#include "tyrc_fw_iface.h"
#include "tyrc_fw_image.h"

#define BOOT_NS (100 * NSEC_PER_USEC)
#define RESP_NS (50 * NSEC_PER_USEC)

#include "csg_test.h"

/* RUN_COMPUTE of @wg workgroups: @wg * 1000 ns / 4 cores (model_cs.h cost model). */
#define RUN_NS(wg) ((u64)(wg)*1000 / 4)

static u64 run_compute(void)
{
	return tyrc_cs_pack_run_compute(&(struct tyrc_cs_run_compute){ 0 });
}

static u64 set_sb_entry(unsigned int endpoint, unsigned int other)
{
	return tyrc_cs_pack_set_sb_entry(
		&(struct tyrc_cs_set_sb_entry){ .endpoint_entry = endpoint, .other_entry = other });
}

/* r37..r39 := @wg x 1 x 1 workgroups. */
static void emit_job_size(struct tyrc_cs_builder *b, u32 wg)
{
	tyrc_cs_emit(b, tyrc_cs_move32(37, wg));
	tyrc_cs_emit(b, tyrc_cs_move32(38, 1));
	tyrc_cs_emit(b, tyrc_cs_move32(39, 1));
}

#define LOOP_N 40u
#define LOOP_WG 1000u /* 250 us per iteration */

/*
 * The counted loop: each iteration runs a 250 us RUN_COMPUTE (endpoint slot
 * 1), increments r2 and logs it at d0 (slot 0), waits for both and steps
 * d0; then the count and a marker, and a system-scope SYNC_ADD64.
 */
static unsigned int build_loop(u64 *words, unsigned int max)
{
	struct tyrc_cs_builder b;

	tyrc_cs_builder_init(&b, words, max);
	tyrc_cs_emit(&b, set_sb_entry(1, 0));
	tyrc_cs_emit(&b, tyrc_cs_move48(0, DATA_VA));
	tyrc_cs_emit(&b, tyrc_cs_move32(2, 0));
	tyrc_cs_emit(&b, tyrc_cs_move32(8, LOOP_N));
	emit_job_size(&b, LOOP_WG);
	/* loop: */
	tyrc_cs_emit(&b, run_compute());
	tyrc_cs_emit(&b, tyrc_cs_add_imm32(2, 2, 1));
	tyrc_cs_emit(&b, tyrc_cs_store_multiple(2, 0, 1, 0));
	tyrc_cs_emit(&b, tyrc_cs_wait(0x3, false));
	tyrc_cs_emit(&b, tyrc_cs_add_imm64(0, 0, 4));
	tyrc_cs_emit(&b, tyrc_cs_add_imm32(8, 8, -1));
	tyrc_cs_emit(&b, tyrc_cs_branch(TYRC_CS_BRANCH_GREATER, 8, -7));
	tyrc_cs_emit(&b, tyrc_cs_move32(3, 0xD0E));
	tyrc_cs_emit(&b, tyrc_cs_store_multiple(2, 0, 0x3, 0));
	tyrc_cs_emit(&b, tyrc_cs_wait(0x1, false));
	tyrc_cs_emit(&b, tyrc_cs_move48(4, SYNC_VA));
	tyrc_cs_emit(&b, tyrc_cs_move48(6, 1));
	tyrc_cs_emit(&b, tyrc_cs_sync_add64(TYRC_CS_SYNC_SCOPE_SYSTEM, true, 4, 6, 0, 0));
	return build(&b);
}

/* Words logged by @e's loop so far (the log is 1, 2, ... at DATA_VA). */
static u32 loop_count(struct csg_env *e)
{
	u32 n = 0;

	while (n < LOOP_N && __atomic_load_n(&e->data[n], __ATOMIC_ACQUIRE))
		n++;
	return n;
}

/*
 * The counted loop of group A is suspended mid-loop on CSG 0 (AS 1); group
 * B takes CSG 0 (AS 2) and runs its own job; A is resumed on CSG 1 with AS
 * 3 and finishes. Its data page is then identical, byte for byte, to that
 * of group R, which ran the same stream uninterrupted on CSG 2 (AS 4).
 */
static void test_suspend_resume_counted_loop(void **state)
{
	struct mcu_fixture *mf = *state;
	struct csg_env a, b, r;
	u64 loop[32], job[8];
	unsigned int n;
	u32 at_suspend, *rec;
	u64 *sync_a, *sync_r;

	env_boot(mf);
	env_group(&a, mf, 0);
	env_group(&b, mf, 1);
	env_group(&r, mf, 2);
	n = build_loop(loop, ARRAY_SIZE(loop));
	sync_a = (u64 *)((u8 *)a.data + 0x100);
	sync_r = (u64 *)((u8 *)r.data + 0x100);

	/* The reference: uninterrupted on CSG 2. */
	env_bind(&r, 2, 4);
	env_start(&r);
	submit(&r, loop, n);

	/* A on CSG 0, suspended once it is well into the loop. */
	env_bind(&a, 0, 1);
	env_start(&a);
	submit(&a, loop, n);
	POLL(&a, loop_count(&a) >= 5);
	env_stop(&a, CSG_STATE_SUSPEND);
	at_suspend = loop_count(&a);
	assert_true(at_suspend >= 5 && at_suspend < LOOP_N);
	assert_int_equal(*sync_a, 0);
	/* The buffer holds CS 0's record (magic, SAVED), and an empty one for CS 1. */
	rec = (u32 *)a.suspend;
	assert_int_equal(rec[0], 0x31534354u);
	assert_int_equal(rec[1] & 1u, 1u);
	assert_int_equal(rec[0x1000 / 4], 0x31534354u);
	assert_int_equal(rec[0x1000 / 4 + 1] & 1u, 0u);

	/* Nothing of A runs while it is off-slot. */
	wait_until_ns(tyrc_ktime_get_ns() + 3 * RUN_NS(LOOP_WG));
	rd(&mf->f, MCU_STATUS);
	assert_int_equal(loop_count(&a), at_suspend);

	/* B reuses CSG 0 with its own VM: a store and a sync. */
	env_bind(&b, 0, 2);
	env_start(&b);
	job[0] = tyrc_cs_move48(0, DATA_VA);
	job[1] = tyrc_cs_move32(2, 0xB);
	job[2] = tyrc_cs_store_multiple(2, 0, 1, 0);
	job[3] = tyrc_cs_wait(1, false);
	submit(&b, job, 4);
	POLL(&b, queue_extract(&b) == b.insert);
	assert_int_equal(b.data[0], 0xB);
	assert_int_equal(loop_count(&a), at_suspend);

	/* A resumes on CSG 1 with AS 3 and runs to the end. */
	env_bind(&a, 1, 3);
	env_program(&a, CSG_STATE_RESUME);
	POLL(&a, queue_extract(&a) == a.insert);
	POLL(&r, queue_extract(&r) == r.insert);
	assert_int_equal(*sync_a, 1);
	assert_int_equal(*sync_r, 1);
	assert_int_equal(a.data[LOOP_N], LOOP_N);
	assert_int_equal(a.data[LOOP_N + 1], 0xD0E);
	assert_memory_equal(a.data, r.data, TYRC_PAGE_SIZE);
	/* B's page was untouched by A (separate VMs on the same VAs). */
	assert_int_equal(b.data[0], 0xB);
	assert_int_equal(b.data[1], 0);
	POLL(&a, csg_events(&a) & CSG_SYNC_UPDATE);
	POLL(&a, csg_events(&a) & CSG_IDLE);
	expect_no_fault(&mf->f);
}

/*
 * A CS blocked in SYNC_WAIT is suspended with its wait; the host satisfies
 * the condition while the group is off-slot; RESUME on another slot goes on
 * after the SYNC_WAIT without executing anything before it again. The
 * status of the new slot shows the wait before it is satisfied.
 */
static void test_suspend_resume_sync_wait(void **state)
{
	struct mcu_fixture *mf = *state;
	struct tyrc_cs_builder bld;
	struct csg_env e;
	u64 job[12];
	u32 *sync;

	env_init(&e, mf);
	env_start(&e);
	sync = e.data + 0x100 / 4;

	/* data[0] += 1 (a CSG-scope add), wait for sync > 6 (64-bit), store 0x600D. */
	tyrc_cs_builder_init(&bld, job, ARRAY_SIZE(job));
	tyrc_cs_emit(&bld, tyrc_cs_move48(0, DATA_VA));
	tyrc_cs_emit(&bld, tyrc_cs_move32(2, 1));
	tyrc_cs_emit(&bld, tyrc_cs_sync_add32(TYRC_CS_SYNC_SCOPE_CSG, false, 0, 2, 0, 0));
	tyrc_cs_emit(&bld, tyrc_cs_move48(4, SYNC_VA));
	tyrc_cs_emit(&bld, tyrc_cs_move48(6, 0x700000006ULL));
	tyrc_cs_emit(&bld, tyrc_cs_pack_sync_wait64(&(struct tyrc_cs_sync_wait64){
				   .condition = TYRC_CS_SYNC_WAIT_GT, .address = 4, .data = 6 }));
	tyrc_cs_emit(&bld, tyrc_cs_move32(2, 0x600D));
	tyrc_cs_emit(&bld, tyrc_cs_store_multiple(2, 0, 1, 4));
	tyrc_cs_emit(&bld, tyrc_cs_wait(1, false));
	submit(&e, job, build(&bld));
	POLL(&e, queue_extract(&e) == 5 * 8);
	status_update(&e);
	assert_int_equal(sh_rd(mf, CS_OUT(&e, status_blocked_reason)), CS_BLOCKED_SYNC_WAIT);
	assert_int_equal(e.data[0], 1);

	env_stop(&e, CSG_STATE_SUSPEND);
	/* Satisfied while off-slot: 0x7_00000007 > 0x7_00000006. */
	sync[0] = 7;
	sync[1] = 7;
	wait_until_ns(tyrc_ktime_get_ns() + 3 * mf->f.cfg.sync_wait_poll_ns);
	rd(&mf->f, MCU_STATUS);
	assert_int_equal(e.data[1], 0);

	env_bind(&e, 3, 2);
	env_program(&e, CSG_STATE_RESUME);
	POLL(&e, queue_extract(&e) == e.insert);
	assert_int_equal(e.data[0], 1);
	assert_int_equal(e.data[1], 0x600D);

	/* A second wait, unsatisfied at the resume: the new slot reports it. */
	job[0] = tyrc_cs_move48(6, 0x700000009ULL);
	job[1] = tyrc_cs_pack_sync_wait64(&(struct tyrc_cs_sync_wait64){
		.condition = TYRC_CS_SYNC_WAIT_LE, .address = 4, .data = 6 });
	job[2] = tyrc_cs_move32(2, 0x1A57);
	job[3] = tyrc_cs_store_multiple(2, 0, 1, 8);
	job[4] = tyrc_cs_wait(1, false);
	sync[1] = 8;
	submit(&e, job, 5);
	POLL(&e, queue_extract(&e) == e.insert - 4 * 8);
	env_stop(&e, CSG_STATE_SUSPEND);
	env_bind(&e, 0, 1);
	env_program(&e, CSG_STATE_RESUME);
	status_update(&e);
	assert_int_equal(sh_rd(mf, CS_OUT(&e, status_blocked_reason)), CS_BLOCKED_SYNC_WAIT);
	assert_int_equal(sh_rd64(mf, CS_OUT(&e, status_wait_sync_ptr)), SYNC_VA);
	assert_int_equal(sh_rd(mf, CS_OUT(&e, status_wait_sync_value)), 9);
	assert_int_equal(sh_rd(mf, CS_OUT(&e, status_wait_sync_value_hi)), 7);
	assert_int_equal(sh_rd(mf, CS_OUT(&e, status_wait)),
			 CS_STATUS_WAIT_SYNC | CS_STATUS_WAIT_SYNC_64B |
				 FIELD_PREP(CS_STATUS_WAIT_SYNC_COND, CS_STATUS_WAIT_SYNC_COND_LE));
	assert_int_equal(e.data[2], 0);
	/* 0x7_00000003 <= 0x7_00000009 once the high word is back to 7. */
	sync[0] = 3;
	__atomic_store_n(&sync[1], 7, __ATOMIC_RELEASE);
	POLL(&e, queue_extract(&e) == e.insert);
	assert_int_equal(e.data[2], 0x1A57);
	expect_no_fault(&mf->f);
}

/*
 * A CS waiting on a scoreboard slot held by a long RUN_COMPUTE is suspended
 * with the work in flight; after RESUME on another slot the work completes
 * only when what it had left has run (it was paused, not dropped nor
 * hurried), and the status of the new slot shows the scoreboard wait.
 */
static void test_suspend_resume_scoreboard(void **state)
{
	struct mcu_fixture *mf = *state;
	struct tyrc_cs_builder bld;
	struct csg_env e;
	const u32 wg = 80000; /* 20 ms */
	u64 job[12], t_submit, t_suspended, t_resume, left;

	env_init(&e, mf);
	env_start(&e);
	tyrc_cs_builder_init(&bld, job, ARRAY_SIZE(job));
	tyrc_cs_emit(&bld, set_sb_entry(2, 0));
	emit_job_size(&bld, wg);
	tyrc_cs_emit(&bld, tyrc_cs_move48(0, DATA_VA));
	tyrc_cs_emit(&bld, tyrc_cs_move32(2, 0x5B));
	tyrc_cs_emit(&bld, run_compute());
	tyrc_cs_emit(&bld, tyrc_cs_wait(BIT(2), false));
	tyrc_cs_emit(&bld, tyrc_cs_store_multiple(2, 0, 1, 0));
	tyrc_cs_emit(&bld, tyrc_cs_wait(1, false));
	t_submit = tyrc_ktime_get_ns();
	submit(&e, job, build(&bld));
	POLL(&e, queue_extract(&e) == 7 * 8);
	status_update(&e);
	assert_int_equal(sh_rd(mf, CS_OUT(&e, status_blocked_reason)), CS_BLOCKED_SB_WAIT);
	assert_int_equal(sh_rd(mf, CS_OUT(&e, status_wait)) & CS_STATUS_WAIT_SB_MASK, BIT(2));
	assert_int_equal(sh_rd(mf, CS_OUT(&e, status_scoreboards)), BIT(2));

	env_stop(&e, CSG_STATE_SUSPEND);
	t_suspended = tyrc_ktime_get_ns();
	/*
	 * What the run had left at the suspend, at least (0 on a machine too
	 * slow to suspend it in flight: then only the outcome is checked).
	 */
	left = t_suspended < t_submit + RUN_NS(wg) ? RUN_NS(wg) - (t_suspended - t_submit) : 0;
	/* Off-slot for longer than the whole run: it must not complete meanwhile. */
	wait_until_ns(t_submit + RUN_NS(wg));

	env_bind(&e, 5, 4);
	t_resume = tyrc_ktime_get_ns();
	env_program(&e, CSG_STATE_RESUME);
	status_update(&e);
	if (tyrc_ktime_get_ns() < t_resume + left) {
		assert_int_equal(sh_rd(mf, CS_OUT(&e, status_blocked_reason)), CS_BLOCKED_SB_WAIT);
		assert_int_equal(sh_rd(mf, CS_OUT(&e, status_scoreboards)), BIT(2));
		assert_int_equal(sh_rd64(mf, CS_OUT(&e, status_cmd_ptr)), RING_VA + 7 * 8);
		assert_int_equal(e.data[0], 0);
	}
	POLL(&e, queue_extract(&e) == e.insert);
	assert_int_equal(e.data[0], 0x5B);
	/* What was left when suspended ran after the resume. */
	assert_true(tyrc_ktime_get_ns() >= t_resume + left);
	expect_no_fault(&mf->f);
}

/*
 * A CS stopped on a FATAL keeps it across SUSPEND/RESUME: resumed on
 * another slot it runs nothing, even with new work and its doorbell rung.
 * A group STARTed (not RESUMEd) after a SUSPEND starts fresh: its
 * registers are zero and it runs from the queue's extract.
 */
static void test_suspend_fatal_kept_start_fresh(void **state)
{
	struct mcu_fixture *mf = *state;
	struct csg_env e;
	u64 bad[2] = { tyrc_cs_move32(2, 0x77), 0xff00000000000000ULL };
	u64 job[4];

	env_init(&e, mf);
	env_start(&e);
	submit(&e, bad, 2);
	POLL(&e, cs_events(&e) & CS_FATAL);
	assert_int_equal(queue_extract(&e), 8);
	env_stop(&e, CSG_STATE_SUSPEND);

	env_bind(&e, 2, 3);
	env_program(&e, CSG_STATE_RESUME);
	job[0] = tyrc_cs_move48(0, DATA_VA);
	job[1] = tyrc_cs_move32(3, 0xAA);
	job[2] = tyrc_cs_store_multiple(2, 0, 0x3, 0);
	job[3] = tyrc_cs_wait(1, false);
	submit(&e, job, 4);
	wait_until_ns(tyrc_ktime_get_ns() + 4 * RESP_NS);
	rd(&mf->f, MCU_STATUS);
	assert_int_equal(queue_extract(&e), 8);
	assert_int_equal(e.data[1], 0);
	/* Kept, not re-executed: no second FATAL on the new slot. */
	assert_int_equal(cs_events(&e), 0);
	status_update(&e);
	assert_int_equal(sh_rd(mf, CS_OUT(&e, status_cmd_ptr)), (u32)(RING_VA + 8));

	/*
	 * Suspend again and START instead: the queue's extract (set by the
	 * host past the bad job) is where it runs from, with fresh registers,
	 * so r2 is 0, not the 0x77 of the old stream.
	 */
	env_stop(&e, CSG_STATE_SUSPEND);
	/* The host's view: the bad job (2 words) is done with; env_program() copies it. */
	__atomic_store_n(&e.queue_out[0], 2 * 8, __ATOMIC_RELEASE);
	env_bind(&e, 4, 1);
	env_program(&e, CSG_STATE_START);
	ring(mf, e.db);
	POLL(&e, queue_extract(&e) == e.insert);
	assert_int_equal(e.data[0], 0);
	assert_int_equal(e.data[1], 0xAA);
	assert_int_equal(cs_events(&e), 0);
}

#define CSG_TEST(fn) cmocka_unit_test_setup_teardown(fn, mcu_setup, mcu_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		CSG_TEST(test_suspend_resume_counted_loop),
		CSG_TEST(test_suspend_resume_sync_wait),
		CSG_TEST(test_suspend_resume_scoreboard),
		CSG_TEST(test_suspend_fatal_kept_start_fresh),
	};

	return cmocka_run_group_tests_name("model_csg_suspend", tests, NULL, NULL);
}
