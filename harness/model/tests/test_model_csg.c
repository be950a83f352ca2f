// SPDX-License-Identifier: MIT
/*
 * The firmware's CSG/CS interfaces (model_csg.c): a group bound to CSG 0
 * with one queue on CS 0, its ring in a user AS and its queue pages in the
 * MCU VM, programmed through the shared section and doorbells as a driver
 * does; ring execution, output extract, SYNC_UPDATE, CS FATAL, IDLE,
 * TERMINATE, a SYNC_WAIT satisfied by a plain CPU store (polling), work
 * appended while a CS is mid-segment, and fetches and data accesses that
 * stall on the group AS's locked region. The MCU test fixtures are reused
 * (our firmware image).
 */
#include "mmu_test.h"
#include "tyrc_fw_iface.h"
#include "tyrc_fw_image.h"

/* Configured MCU latencies: long enough to observe "not yet", short for the tests. */
#define BOOT_NS (100 * NSEC_PER_USEC)
#define RESP_NS (50 * NSEC_PER_USEC)

#include "csg_test.h"

static void test_csg_ring_execution(void **state)
{
	struct mcu_fixture *mf = *state;
	struct csg_env e;
	u64 job[13];
	struct tyrc_cs_builder b;
	u64 *sync;

	env_init(&e, mf);
	env_start(&e);
	sync = (u64 *)((u8 *)e.data + 0x100);
	sync[0] = 41;

	/* Sheet §8 A (store 0xDEADBEEF, flush) then a system-scope SYNC_ADD64 of 1. */
	tyrc_cs_builder_init(&b, job, 13);
	tyrc_cs_emit(&b, tyrc_cs_move48(0, DATA_VA));
	tyrc_cs_emit(&b, tyrc_cs_move32(2, 0xDEADBEEF));
	tyrc_cs_emit(&b, tyrc_cs_store_multiple(2, 0, 1, 0));
	tyrc_cs_emit(&b, tyrc_cs_wait(1, false));
	tyrc_cs_emit(&b, tyrc_cs_move32(7, 0));
	tyrc_cs_emit(&b, tyrc_cs_flush_cache2(TYRC_CS_FLUSH_CLEAN_INVALIDATE,
					      TYRC_CS_FLUSH_CLEAN_INVALIDATE,
					      TYRC_CS_FLUSH_INVALIDATE, 0, 7, 0));
	tyrc_cs_emit(&b, tyrc_cs_wait(1, false));
	tyrc_cs_emit(&b, tyrc_cs_move48(4, SYNC_VA));
	tyrc_cs_emit(&b, tyrc_cs_move32(6, 1));
	tyrc_cs_emit(&b, tyrc_cs_move32(7, 0));
	tyrc_cs_emit(&b, tyrc_cs_sync_add64(TYRC_CS_SYNC_SCOPE_SYSTEM, true, 4, 6, 0, 0));
	assert_int_equal(b.len, 11);
	submit(&e, job, b.len);

	POLL(&e, queue_extract(&e) == e.insert);
	assert_int_equal(e.data[0], 0xDEADBEEF);
	assert_int_equal(sync[0], 42);
	POLL(&e, csg_events(&e) & CSG_SYNC_UPDATE);
	assert_true(rd(&mf->f, JOB_INT_RAWSTAT) & BIT(0));
	POLL(&e, csg_events(&e) & CSG_IDLE);
	csg_ack_events(&e, CSG_SYNC_UPDATE | CSG_IDLE);
	wr(&mf->f, JOB_INT_CLEAR, ~0u);

	/* STATUS_UPDATE: the CS sits at the end of its ring, unblocked. */
	status_update(&e);
	assert_int_equal(sh_rd(mf, CS_OUT(&e, status_blocked_reason)), CS_BLOCKED_UNBLOCKED);
	assert_int_equal(sh_rd(mf, CS_OUT(&e, status_cmd_ptr)), (u32)(RING_VA + e.insert));
	assert_int_equal(sh_rd(mf, CS_OUT(&e, status_scoreboards)), 0);
	assert_true(sh_rd(mf, CSG_OUT(&e, status_state)) & CSG_STATUS_STATE_IS_IDLE);

	/* The IDLE event came once: more idle time raises nothing new. */
	tyrc_usleep(500);
	rd(&mf->f, MCU_STATUS);
	assert_int_equal(csg_events(&e), 0);

	/* A second job wakes it again; IDLE is re-armed by new work. */
	submit(&e, &job[9], 2);
	POLL(&e, queue_extract(&e) == e.insert);
	assert_int_equal(sync[0], 43);
	POLL(&e, (csg_events(&e) & (CSG_SYNC_UPDATE | CSG_IDLE)) == (CSG_SYNC_UPDATE | CSG_IDLE));
	expect_no_fault(&mf->f);
}

static void test_csg_fatal_and_terminate(void **state)
{
	struct mcu_fixture *mf = *state;
	struct csg_env e;
	u64 words[2] = { tyrc_cs_nop(), 0xff00000000000000ULL };
	u64 more = tyrc_cs_nop();

	env_init(&e, mf);
	env_start(&e);
	submit(&e, words, 2);
	POLL(&e, (sh_rd(mf, CS_OUT(&e, ack)) ^ sh_rd(mf, CS_IN(&e, req))) & CS_FATAL);
	assert_int_equal(sh_rd(mf, CS_OUT(&e, fatal)) & CS_EXCEPTION_TYPE, 0x51);
	assert_int_equal(sh_rd(mf, CSG_OUT(&e, cs_irq_req)) & 1u, 1u);
	assert_true(rd(&mf->f, JOB_INT_RAWSTAT) & BIT(0));
	/* The output extract names the faulting instruction. */
	assert_int_equal(queue_extract(&e), 8);

	/* TERMINATE stops the group: later work is not run. */
	sh_wr(mf, CSG_IN(&e, req),
	      csf_req_set_field(sh_rd(mf, CSG_IN(&e, req)), CSG_STATE_TERMINATE, CSG_STATE_MASK));
	ring_csg0(&e);
	POLL(&e, (sh_rd(mf, CSG_OUT(&e, ack)) & CSG_STATE_MASK) == CSG_STATE_TERMINATE);
	submit(&e, &more, 1);
	tyrc_usleep(500);
	rd(&mf->f, MCU_STATUS);
	assert_int_equal(queue_extract(&e), 8);
}

/*
 * A CS blocked in SYNC_WAIT on a RAM word resumes after a plain CPU store to
 * that word, with no doorbell and no event: the firmware polls blocked CSs
 * every sync_wait_poll_ns.
 */
static void test_csg_sync_wait_poll(void **state)
{
	struct mcu_fixture *mf = *state;
	const u64 poll_ns = mf->f.cfg.sync_wait_poll_ns;
	u32 *sync;
	struct tyrc_cs_builder b;
	struct csg_env e;
	u64 job[8], t_submit, t_store, t_landed;

	assert_int_equal(poll_ns, 100 * NSEC_PER_USEC); /* the G610 default */
	env_init(&e, mf);
	env_start(&e);
	sync = e.data + 0x100 / 4;
	*sync = 0;
	e.data[0] = 0;

	/* Wait for sync >= 1 (GT 0), then store 0x600D into DATA_VA. */
	tyrc_cs_builder_init(&b, job, ARRAY_SIZE(job));
	tyrc_cs_emit(&b, tyrc_cs_move48(4, SYNC_VA));
	tyrc_cs_emit(&b, tyrc_cs_move32(6, 0));
	tyrc_cs_emit(&b, tyrc_cs_sync_wait32(TYRC_CS_SYNC_WAIT_GT, false, 4, 6));
	tyrc_cs_emit(&b, tyrc_cs_move48(0, DATA_VA));
	tyrc_cs_emit(&b, tyrc_cs_move32(2, 0x600D));
	tyrc_cs_emit(&b, tyrc_cs_store_multiple(2, 0, 1, 0));
	tyrc_cs_emit(&b, tyrc_cs_wait(1, false));
	assert_int_equal(tyrc_cs_builder_finish(&b, &(u32){ 0 }), 0);
	t_submit = tyrc_ktime_get_ns();
	submit(&e, job, b.len);

	/* Blocked on the SYNC_WAIT: the output extract names it. */
	POLL(&e, queue_extract(&e) == 2 * 8);
	status_update(&e);
	assert_int_equal(sh_rd(mf, CS_OUT(&e, status_blocked_reason)), CS_BLOCKED_SYNC_WAIT);
	assert_int_equal(sh_rd(mf, CS_OUT(&e, status_wait_sync_ptr)), (u32)SYNC_VA);
	assert_int_equal(sh_rd(mf, CS_OUT(&e, status_wait_sync_value)), 0);
	assert_int_equal(sh_rd(mf, CS_OUT(&e, status_wait)),
			 CS_STATUS_WAIT_SYNC |
				 FIELD_PREP(CS_STATUS_WAIT_SYNC_COND, CS_STATUS_WAIT_SYNC_COND_GT));
	/* Blocked with CS_REQ IDLE_SYNC_WAIT set: the group counts as idle. */
	assert_true(sh_rd(mf, CSG_OUT(&e, status_state)) & CSG_STATUS_STATE_IS_IDLE);
	POLL(&e, csg_events(&e) & CSG_IDLE);
	csg_ack_events(&e, CSG_IDLE);
	/* Polls that find the condition false change nothing. */
	wait_until_ns(tyrc_ktime_get_ns() + 3 * poll_ns);
	rd(&mf->f, MCU_STATUS);
	assert_int_equal(queue_extract(&e), 2 * 8);
	assert_int_equal(e.data[0], 0);
	assert_int_equal(csg_events(&e) & CSG_IDLE, 0);

	/*
	 * The CPU satisfies the wait: a store, no doorbell, no event, not even
	 * an MMIO access; the model's event timer runs the poll.
	 */
	t_store = tyrc_ktime_get_ns();
	__atomic_store_n(sync, 1, __ATOMIC_RELEASE);
	POLL_QUIET(queue_extract(&e) == e.insert);
	t_landed = tyrc_ktime_get_ns();
	assert_int_equal(e.data[0], 0x600D);
	/* It blocked mcu_response_ns after the ring at the earliest; the first poll was a period later. */
	assert_true(t_landed >= t_submit + RESP_NS + poll_ns);
	assert_true(t_landed >= t_store);
	/* Done and nothing in flight: a new idle period, reported again. */
	POLL(&e, csg_events(&e) & CSG_IDLE);
	expect_no_fault(&mf->f);
}

/*
 * Work appended while a CS is in the middle of a segment runs to the new
 * insert. The CS makes progress into its segment, blocks in a SYNC_WAIT,
 * and the host appends two blocks (each storing its own word), publishes
 * the larger insert and rings the queue doorbell while it is blocked. The
 * wait is then satisfied by a CPU store: the CS finishes the old segment
 * and must go on with the appended one. The progress made before the
 * block (48 bytes) is at least the appended length, the case where the
 * end of the old segment was once computed from the output extract
 * instead of the segment's start, and the CS stopped there with work left
 * and nothing to wake it (c3f9cb0).
 */
static void test_csg_append_mid_segment_runs_to_new_insert(void **state)
{
	struct mcu_fixture *mf = *state;
	u32 *sync;
	struct tyrc_cs_builder b;
	struct csg_env e;
	u64 job[16], more[2][3], old_insert, t_ring;

	env_init(&e, mf);
	env_start(&e);
	sync = e.data + 0x100 / 4;
	*sync = 0;

	/* Store 0x600D, block until sync > 0, then store 0x1A57 next to it. */
	tyrc_cs_builder_init(&b, job, ARRAY_SIZE(job));
	tyrc_cs_emit(&b, tyrc_cs_move48(0, DATA_VA));
	tyrc_cs_emit(&b, tyrc_cs_move48(4, SYNC_VA));
	tyrc_cs_emit(&b, tyrc_cs_move32(6, 0));
	tyrc_cs_emit(&b, tyrc_cs_move32(2, 0x600D));
	tyrc_cs_emit(&b, tyrc_cs_store_multiple(2, 0, 1, 0));
	tyrc_cs_emit(&b, tyrc_cs_wait(1, false));
	tyrc_cs_emit(&b, tyrc_cs_sync_wait32(TYRC_CS_SYNC_WAIT_GT, false, 4, 6));
	tyrc_cs_emit(&b, tyrc_cs_move32(2, 0x1A57));
	tyrc_cs_emit(&b, tyrc_cs_store_multiple(2, 0, 1, 4));
	tyrc_cs_emit(&b, tyrc_cs_wait(1, false));
	assert_int_equal(tyrc_cs_builder_finish(&b, &(u32){ 0 }), 0);
	submit(&e, job, b.len);
	old_insert = e.insert;

	/* Blocked in the SYNC_WAIT, 6 instructions into its segment. */
	POLL(&e, queue_extract(&e) == 6 * 8);
	assert_int_equal(e.data[0], 0x600D);
	status_update(&e);
	assert_int_equal(sh_rd(mf, CS_OUT(&e, status_blocked_reason)), CS_BLOCKED_SYNC_WAIT);

	/* Two blocks appended while it is blocked, each storing its own word. */
	for (unsigned int k = 0; k < ARRAY_SIZE(more); k++) {
		more[k][0] = tyrc_cs_move32(2, 0xB10C0 + k);
		more[k][1] = tyrc_cs_store_multiple(2, 0, 1, (s32)(8 + 4 * k));
		more[k][2] = tyrc_cs_wait(1, false);
		submit(&e, more[k], ARRAY_SIZE(more[k]));
	}
	t_ring = tyrc_ktime_get_ns();
	assert_int_equal(e.insert - old_insert, 6 * 8);

	/*
	 * Let the doorbell's wake (mcu_response_ns after the last ring) run:
	 * the CS has read the new insert and is still blocked.
	 */
	wait_until_ns(t_ring + RESP_NS);
	rd(&mf->f, MCU_STATUS);
	assert_int_equal(queue_extract(&e), 6 * 8);
	assert_int_equal(e.data[1], 0);
	assert_int_equal(e.data[2], 0);

	/* Satisfied by a CPU store: every appended instruction runs. */
	__atomic_store_n(sync, 1, __ATOMIC_RELEASE);
	POLL(&e, queue_extract(&e) == e.insert);
	assert_int_equal(e.data[0], 0x600D);
	assert_int_equal(e.data[1], 0x1A57);
	assert_int_equal(e.data[2], 0xB10C0);
	assert_int_equal(e.data[3], 0xB10C1);
	POLL(&e, csg_events(&e) & CSG_IDLE);
	assert_int_equal(__atomic_load_n(&e.queue_out[1], __ATOMIC_ACQUIRE), 0);
	expect_no_fault(&mf->f);
}

/*
 * Submit @job, let the CS run into the locked region and check that it did
 * not get past ring offset @stall_off (*@word, its store target, still 0);
 * then UNLOCK and check that it completes (*@word == @tag) with no doorbell,
 * no MMIO and no other host action. The group's IDLE event is acknowledged.
 */
static void run_into_lock(struct csg_env *e, const u64 *job, unsigned int n, u64 stall_off,
			  const u32 *word, u32 tag)
{
	struct mcu_fixture *mf = e->mf;
	u64 t_ring;

	submit(e, job, n);
	t_ring = tyrc_ktime_get_ns();

	/* Its wake is due and many retry periods (1 us) later it is still stalled. */
	wait_until_ns(t_ring + RESP_NS + 50 * NSEC_PER_USEC);
	rd(&mf->f, MCU_STATUS);
	assert_int_equal(queue_extract(e), stall_off);
	assert_int_equal(__atomic_load_n(word, __ATOMIC_ACQUIRE), 0);
	assert_int_equal(__atomic_load_n(&e->queue_out[1], __ATOMIC_ACQUIRE), 1);
	status_update(e);
	assert_int_equal(sh_rd(mf, CS_OUT(e, status_cmd_ptr)), (u32)(RING_VA + stall_off));
	assert_int_equal(sh_rd(mf, CS_OUT(e, status_blocked_reason)), CS_BLOCKED_UNBLOCKED);
	assert_int_equal(csg_events(e) & CSG_IDLE, 0);

	as_cmd(&mf->f, USER_AS, AS_COMMAND_UNLOCK);
	POLL_QUIET(queue_extract(e) == e->insert);
	assert_int_equal(__atomic_load_n(word, __ATOMIC_ACQUIRE), tag);
	POLL(e, csg_events(e) & CSG_IDLE);
	csg_ack_events(e, CSG_IDLE);
}

/*
 * A CS whose instruction fetch, then whose data store, hits its group AS's
 * locked region executes nothing past it while the region is locked and
 * completes once it is unlocked: the stalled access is retried by the
 * model on its own. It was once left for a next step nobody scheduled
 * (4db0cee).
 */
static void test_csg_locked_region_access_retried_after_unlock(void **state)
{
	struct mcu_fixture *mf = *state;
	struct model_fixture *f = &mf->f;
	struct csg_env e;
	u64 job[4], insert;
	u32 *far;
	u64 far_pa;

	env_init(&e, mf);
	far_pa = ram_alloc(f, 0);
	pt_map_page(f, e.uroot, FAR_VA, PTE_PAGE(far_pa));
	as_flush_lock_caches_unlock(f, USER_AS, FAR_VA, TYRC_PAGE_SIZE);
	far = ram_ptr(f, far_pa);
	env_start(&e);

	/* The fetch: the ring is locked, the store target is not. */
	job[0] = tyrc_cs_move48(0, FAR_VA);
	job[1] = tyrc_cs_move32(2, 0xF37C);
	job[2] = tyrc_cs_store_multiple(2, 0, 1, 0);
	job[3] = tyrc_cs_wait(1, false);
	wr64(f, MMU_AS(USER_AS) + AS_LOCKADDR, tyrc_mmu_lockaddr(RING_VA, RING_SIZE));
	as_cmd(f, USER_AS, AS_COMMAND_LOCK);
	run_into_lock(&e, job, ARRAY_SIZE(job), 0, &far[0], 0xF37C);
	insert = e.insert;

	/* The data access: the store target is locked, the ring is not. */
	job[1] = tyrc_cs_move32(2, 0xDA7A);
	job[2] = tyrc_cs_store_multiple(2, 0, 1, 4);
	wr64(f, MMU_AS(USER_AS) + AS_LOCKADDR, tyrc_mmu_lockaddr(FAR_VA, TYRC_PAGE_SIZE));
	as_cmd(f, USER_AS, AS_COMMAND_LOCK);
	run_into_lock(&e, job, ARRAY_SIZE(job), insert + 2 * 8, &far[1], 0xDA7A);
	assert_int_equal(far[0], 0xF37C);
	expect_no_fault(f);
}

/*
 * STATUS_UPDATE publishes every status field csf-firmware.md §10 reads: a
 * CS waiting in a WAIT on a long RUN_COMPUTE (SB_WAIT, the mask and the
 * WAIT source, its scoreboards, the instruction, the requested resources),
 * then in a 32-bit SYNC_WAIT LE (condition, pointer, value, no 64B), then
 * done (UNBLOCKED, wait fields cleared); the CSG IS_IDLE bit follows the
 * CS's idleness and IDLE_SYNC_WAIT.
 */
static void test_csg_status_update_fields(void **state)
{
	struct mcu_fixture *mf = *state;
	const u64 run_ns = 2 * NSEC_PER_MSEC;
	struct tyrc_cs_builder b;
	struct csg_env e;
	u64 job[16], t_submit;
	u32 *sync;

	env_init(&e, mf);
	env_start(&e);
	sync = e.data + 0x100 / 4;
	*sync = 5;

	tyrc_cs_builder_init(&b, job, ARRAY_SIZE(job));
	tyrc_cs_emit(&b, tyrc_cs_pack_set_sb_entry(
				 &(struct tyrc_cs_set_sb_entry){ .endpoint_entry = 3 }));
	tyrc_cs_emit(&b, tyrc_cs_pack_req_resource(
				 &(struct tyrc_cs_req_resource){ .compute = 1, .tiler = 1 }));
	tyrc_cs_emit(&b, tyrc_cs_move32(37, (u32)(run_ns * 4 / 1000)));
	tyrc_cs_emit(&b, tyrc_cs_move32(38, 1));
	tyrc_cs_emit(&b, tyrc_cs_move32(39, 1));
	tyrc_cs_emit(&b, tyrc_cs_pack_run_compute(&(struct tyrc_cs_run_compute){ 0 }));
	tyrc_cs_emit(&b, tyrc_cs_wait(BIT(3), false));
	tyrc_cs_emit(&b, tyrc_cs_move48(4, SYNC_VA));
	tyrc_cs_emit(&b, tyrc_cs_move32(6, 4));
	tyrc_cs_emit(&b, tyrc_cs_sync_wait32(TYRC_CS_SYNC_WAIT_LE, false, 4, 6));
	tyrc_cs_emit(&b, tyrc_cs_move48(0, DATA_VA));
	tyrc_cs_emit(&b, tyrc_cs_move32(2, 1));
	tyrc_cs_emit(&b, tyrc_cs_store_multiple(2, 0, 1, 0));
	tyrc_cs_emit(&b, tyrc_cs_wait(1, false));
	t_submit = tyrc_ktime_get_ns();
	submit(&e, job, build(&b));

	/* In the WAIT on slot 3 (checked only while the run is surely in flight). */
	POLL(&e, queue_extract(&e) == 6 * 8);
	status_update(&e);
	if (tyrc_ktime_get_ns() < t_submit + run_ns) {
		assert_int_equal(sh_rd(mf, CS_OUT(&e, status_blocked_reason)), CS_BLOCKED_SB_WAIT);
		assert_int_equal(sh_rd(mf, CS_OUT(&e, status_wait)),
				 BIT(3) | FIELD_PREP(CS_STATUS_WAIT_SB_SOURCE,
						     CS_STATUS_WAIT_SB_SOURCE_WAIT));
		assert_int_equal(sh_rd(mf, CS_OUT(&e, status_scoreboards)), BIT(3));
		assert_int_equal(sh_rd64(mf, CS_OUT(&e, status_cmd_ptr)), RING_VA + 6 * 8);
		assert_int_equal(sh_rd64(mf, CS_OUT(&e, status_wait_sync_ptr)), 0);
		assert_false(sh_rd(mf, CSG_OUT(&e, status_state)) & CSG_STATUS_STATE_IS_IDLE);
	}
	assert_int_equal(sh_rd(mf, CS_OUT(&e, status_req_resource)), 0x5);

	/* In the SYNC_WAIT: 5 <= 4 is false. */
	POLL(&e, queue_extract(&e) == 9 * 8);
	status_update(&e);
	assert_int_equal(sh_rd(mf, CS_OUT(&e, status_blocked_reason)), CS_BLOCKED_SYNC_WAIT);
	assert_int_equal(sh_rd(mf, CS_OUT(&e, status_wait)),
			 CS_STATUS_WAIT_SYNC |
				 FIELD_PREP(CS_STATUS_WAIT_SYNC_COND, CS_STATUS_WAIT_SYNC_COND_LE));
	assert_int_equal(sh_rd64(mf, CS_OUT(&e, status_wait_sync_ptr)), SYNC_VA);
	assert_int_equal(sh_rd(mf, CS_OUT(&e, status_wait_sync_value)), 4);
	assert_int_equal(sh_rd(mf, CS_OUT(&e, status_wait_sync_value_hi)), 0);
	assert_int_equal(sh_rd(mf, CS_OUT(&e, status_scoreboards)), 0);
	assert_int_equal(sh_rd64(mf, CS_OUT(&e, status_cmd_ptr)), RING_VA + 9 * 8);
	assert_true(sh_rd(mf, CSG_OUT(&e, status_state)) & CSG_STATUS_STATE_IS_IDLE);
	POLL(&e, csg_events(&e) & CSG_IDLE);
	csg_ack_events(&e, CSG_IDLE);

	/* Without IDLE_SYNC_WAIT the same wait keeps the group busy. */
	sh_wr(mf, CS_IN(&e, req), sh_rd(mf, CS_IN(&e, req)) & ~CS_IDLE_SYNC_WAIT);
	sh_wr(mf, CSG_IN(&e, doorbell_req), sh_rd(mf, CSG_OUT(&e, doorbell_ack)) ^ 1u);
	ring_csg0(&e);
	POLL(&e, sh_rd(mf, CSG_OUT(&e, doorbell_ack)) == sh_rd(mf, CSG_IN(&e, doorbell_req)));
	assert_int_equal(sh_rd(mf, CS_OUT(&e, ack)) & CS_IDLE_SYNC_WAIT, 0);
	status_update(&e);
	assert_int_equal(sh_rd(mf, CS_OUT(&e, status_blocked_reason)), CS_BLOCKED_SYNC_WAIT);
	assert_false(sh_rd(mf, CSG_OUT(&e, status_state)) & CSG_STATUS_STATE_IS_IDLE);

	/* Satisfied by the CPU (4 <= 4): done, unblocked, wait fields cleared. */
	__atomic_store_n(sync, 4, __ATOMIC_RELEASE);
	POLL(&e, queue_extract(&e) == e.insert);
	assert_int_equal(e.data[0], 1);
	POLL(&e, csg_events(&e) & CSG_IDLE);
	status_update(&e);
	assert_int_equal(sh_rd(mf, CS_OUT(&e, status_blocked_reason)), CS_BLOCKED_UNBLOCKED);
	assert_int_equal(sh_rd(mf, CS_OUT(&e, status_wait)), 0);
	assert_int_equal(sh_rd64(mf, CS_OUT(&e, status_wait_sync_ptr)), 0);
	assert_int_equal(sh_rd(mf, CS_OUT(&e, status_wait_sync_value)), 0);
	assert_int_equal(sh_rd(mf, CS_OUT(&e, status_scoreboards)), 0);
	assert_int_equal(sh_rd64(mf, CS_OUT(&e, status_cmd_ptr)), RING_VA + e.insert);
	assert_true(sh_rd(mf, CSG_OUT(&e, status_state)) & CSG_STATUS_STATE_IS_IDLE);
	expect_no_fault(&mf->f);
}

/* Program GLB progress_timer (units of 1024 GPU cycles) with CFG_PROGRESS_TIMER. */
static void set_progress_timer(struct mcu_fixture *mf, u32 units)
{
	sh_wr(mf, GLB_IN_VA(mf, progress_timer), units);
	sh_wr(mf, GLB_IN_VA(mf, req),
	      csf_req_toggle(sh_rd(mf, GLB_IN_VA(mf, req)), sh_rd(mf, GLB_OUT_VA(mf, ack)),
			     GLB_CFG_PROGRESS_TIMER));
	ring(mf, 0);
	POLL_WITH(rd(&mf->f, MCU_STATUS),
		  !csf_req_pending(sh_rd(mf, GLB_IN_VA(mf, req)), sh_rd(mf, GLB_OUT_VA(mf, ack)),
				   GLB_CFG_PROGRESS_TIMER));
}

/* RUN_COMPUTE of @ns on endpoint slot 1, then WAIT for it. */
static void emit_run_wait(struct tyrc_cs_builder *b, u64 ns)
{
	tyrc_cs_emit(b, tyrc_cs_move32(37, (u32)(ns * 4 / 1000)));
	tyrc_cs_emit(b, tyrc_cs_move32(38, 1));
	tyrc_cs_emit(b, tyrc_cs_move32(39, 1));
	tyrc_cs_emit(b, tyrc_cs_pack_run_compute(&(struct tyrc_cs_run_compute){ 0 }));
	tyrc_cs_emit(b, tyrc_cs_wait(BIT(1), false));
}

/* 100 units of 1024 cycles at 1 GHz. */
#define PROGRESS_UNITS 100u
#define PROGRESS_NS (PROGRESS_UNITS * 1024ULL)

/*
 * A CS waiting on a RUN_COMPUTE that lasts longer than the progress timeout
 * makes no progress: the CSG PROGRESS_TIMER_EVENT is raised (JOB_INT bit
 * 0) once the timeout has passed since its last instruction, and only
 * once for that stall.
 */
static void test_csg_progress_timer_event(void **state)
{
	struct mcu_fixture *mf = *state;
	const u64 run_ns = 3 * NSEC_PER_MSEC;
	struct tyrc_cs_builder b;
	struct csg_env e;
	u64 job[8], t_submit, t_event;

	assert_int_equal(mf->f.cfg.gpu_frequency_hz, 1000000000ULL);
	env_init(&e, mf);
	set_progress_timer(mf, PROGRESS_UNITS);
	env_start(&e);
	tyrc_cs_builder_init(&b, job, ARRAY_SIZE(job));
	tyrc_cs_emit(&b, tyrc_cs_pack_set_sb_entry(
				 &(struct tyrc_cs_set_sb_entry){ .endpoint_entry = 1 }));
	emit_run_wait(&b, run_ns);
	t_submit = tyrc_ktime_get_ns();
	submit(&e, job, build(&b));

	POLL(&e, csg_events(&e) & CSG_PROGRESS_TIMER_EVENT);
	t_event = tyrc_ktime_get_ns();
	assert_true(rd(&mf->f, JOB_INT_RAWSTAT) & BIT(0));
	/* Its last instruction retired at the earliest mcu_response_ns after the ring. */
	assert_true(t_event >= t_submit + RESP_NS + PROGRESS_NS);
	assert_int_equal(queue_extract(&e), 5 * 8);
	csg_ack_events(&e, CSG_PROGRESS_TIMER_EVENT);
	wr(&mf->f, JOB_INT_CLEAR, ~0u);

	/* Still stalled: no second event for the same period. */
	wait_until_ns(tyrc_ktime_get_ns() + 3 * PROGRESS_NS);
	rd(&mf->f, MCU_STATUS);
	if (tyrc_ktime_get_ns() < t_submit + run_ns)
		assert_int_equal(csg_events(&e) & CSG_PROGRESS_TIMER_EVENT, 0);

	/* The run ends, the CS finishes: nothing more. */
	POLL(&e, queue_extract(&e) == e.insert);
	POLL(&e, csg_events(&e) & CSG_IDLE);
	wait_until_ns(tyrc_ktime_get_ns() + 3 * PROGRESS_NS);
	rd(&mf->f, MCU_STATUS);
	assert_int_equal(csg_events(&e) & CSG_PROGRESS_TIMER_EVENT, 0);
	expect_no_fault(&mf->f);
}

/*
 * No PROGRESS_TIMER_EVENT for a CS that keeps making progress far longer
 * than the timeout (runs shorter than it, each followed by a WAIT), nor
 * for one blocked in SYNC_WAIT that long.
 */
static void test_csg_progress_timer_quiet_while_progressing(void **state)
{
	struct mcu_fixture *mf = *state;
	struct tyrc_cs_builder b;
	struct csg_env e;
	u64 job[64], t_blocked;
	u32 *sync;

	env_init(&e, mf);
	set_progress_timer(mf, PROGRESS_UNITS);
	env_start(&e);
	sync = e.data + 0x100 / 4;
	*sync = 0;

	/* 16 runs of a third of the timeout: about 5 timeouts of work. */
	tyrc_cs_builder_init(&b, job, ARRAY_SIZE(job));
	tyrc_cs_emit(&b, tyrc_cs_pack_set_sb_entry(
				 &(struct tyrc_cs_set_sb_entry){ .endpoint_entry = 1 }));
	tyrc_cs_emit(&b, tyrc_cs_move32(8, 16));
	emit_run_wait(&b, PROGRESS_NS / 3);
	tyrc_cs_emit(&b, tyrc_cs_add_imm32(8, 8, -1));
	tyrc_cs_emit(&b, tyrc_cs_branch(TYRC_CS_BRANCH_GREATER, 8, -7));
	tyrc_cs_emit(&b, tyrc_cs_move48(4, SYNC_VA));
	tyrc_cs_emit(&b, tyrc_cs_move32(6, 0));
	tyrc_cs_emit(&b, tyrc_cs_sync_wait32(TYRC_CS_SYNC_WAIT_GT, false, 4, 6));
	submit(&e, job, build(&b));

	POLL(&e, queue_extract(&e) == e.insert - 8);
	t_blocked = tyrc_ktime_get_ns();
	status_update(&e);
	assert_int_equal(sh_rd(mf, CS_OUT(&e, status_blocked_reason)), CS_BLOCKED_SYNC_WAIT);
	assert_int_equal(csg_events(&e) & CSG_PROGRESS_TIMER_EVENT, 0);

	/* Blocked in SYNC_WAIT for several timeouts: still no event. */
	wait_until_ns(t_blocked + 4 * PROGRESS_NS);
	rd(&mf->f, MCU_STATUS);
	assert_int_equal(csg_events(&e) & CSG_PROGRESS_TIMER_EVENT, 0);
	__atomic_store_n(sync, 1, __ATOMIC_RELEASE);
	POLL(&e, queue_extract(&e) == e.insert);
	assert_int_equal(csg_events(&e) & CSG_PROGRESS_TIMER_EVENT, 0);
	expect_no_fault(&mf->f);
}

/*
 * tyrc_model_mcu_set_unresponsive(): a hung firmware acknowledges no CSG
 * request and runs no queued work, whatever doorbells ring; once it
 * answers again, the next rings are served.
 */
static void test_csg_unresponsive_hook(void **state)
{
	struct mcu_fixture *mf = *state;
	struct csg_env e;
	u64 job[4];
	u32 ack;

	env_init(&e, mf);
	env_start(&e);
	tyrc_model_mcu_set_unresponsive(mf->f.model, true);
	ack = sh_rd(mf, CSG_OUT(&e, ack));
	sh_wr(mf, CSG_IN(&e, req),
	      csf_req_toggle(sh_rd(mf, CSG_IN(&e, req)), ack, CSG_STATUS_UPDATE));
	ring_csg0(&e);
	job[0] = tyrc_cs_move48(0, DATA_VA);
	job[1] = tyrc_cs_move32(2, 0x1234);
	job[2] = tyrc_cs_store_multiple(2, 0, 1, 0);
	job[3] = tyrc_cs_wait(1, false);
	submit(&e, job, 4);
	wait_until_ns(tyrc_ktime_get_ns() + 4 * RESP_NS);
	rd(&mf->f, MCU_STATUS);
	assert_int_equal(sh_rd(mf, CSG_OUT(&e, ack)), ack);
	assert_int_equal(sh_rd(mf, GLB_OUT_VA(mf, doorbell_ack)) & 1u,
			 ~sh_rd(mf, GLB_IN_VA(mf, doorbell_req)) & 1u);
	assert_int_equal(queue_extract(&e), 0);
	assert_int_equal(e.data[0], 0);
	assert_int_equal(rd(&mf->f, JOB_INT_RAWSTAT), 0);
	assert_int_equal(rd(&mf->f, MCU_STATUS), MCU_STATUS_ENABLED);

	/* Answering again: the rings it missed are not replayed, new ones are served. */
	tyrc_model_mcu_set_unresponsive(mf->f.model, false);
	wait_until_ns(tyrc_ktime_get_ns() + 2 * RESP_NS);
	rd(&mf->f, MCU_STATUS);
	assert_int_equal(sh_rd(mf, CSG_OUT(&e, ack)), ack);
	ring(mf, 0);
	POLL(&e, !csf_req_pending(sh_rd(mf, CSG_IN(&e, req)), sh_rd(mf, CSG_OUT(&e, ack)),
				  CSG_STATUS_UPDATE));
	ring(mf, e.db);
	POLL(&e, queue_extract(&e) == e.insert);
	assert_int_equal(e.data[0], 0x1234);
	expect_no_fault(&mf->f);
}

#define CSG_TEST(fn) cmocka_unit_test_setup_teardown(fn, mcu_setup, mcu_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		CSG_TEST(test_csg_ring_execution),
		CSG_TEST(test_csg_fatal_and_terminate),
		CSG_TEST(test_csg_sync_wait_poll),
		CSG_TEST(test_csg_status_update_fields),
		CSG_TEST(test_csg_progress_timer_event),
		CSG_TEST(test_csg_progress_timer_quiet_while_progressing),
		CSG_TEST(test_csg_unresponsive_hook),
		CSG_TEST(test_csg_append_mid_segment_runs_to_new_insert),
		CSG_TEST(test_csg_locked_region_access_retried_after_unlock),
	};

	return cmocka_run_group_tests_name("model_csg", tests, NULL, NULL);
}
