// SPDX-License-Identifier: MIT
/*
 * Tiler heap and TILER_OOM (model_cs.c heap model, model_csg.c protocol):
 * RUN_IDVS takes chunks from the heap context's free list; with none left
 * the CS raises TILER_OOM with the heap context and its counters and waits;
 * the host's answer continues it: a new chunk, or "no memory" with the
 * stream's exception handler, or "no memory" and a FINISH_FRAGMENT on
 * another queue returning chunks.
 */
#include "mmu_test.h"
#include "tyrc_fw_iface.h"
#include "tyrc_fw_image.h"

#define BOOT_NS (100 * NSEC_PER_USEC)
#define RESP_NS (50 * NSEC_PER_USEC)

#include "csg_test.h"

/* The heap: its context page, then 3 chunk pages (4 KiB chunks: the model takes any size). */
#define HEAP_VA 0x1200000ULL
#define HEAP_CTX_VA HEAP_VA
#define CHUNK_VA(k) (HEAP_VA + 0x1000 * (1 + (k)))
#define LINK(va) ((va) | (0x1000 >> 12))
/* The exception handler's code page. */
#define HANDLER_VA 0x1300000ULL

struct heap {
	u64 *ctx;
	u64 *chunk[3];
	u64 pa;
};

/* Allocate the heap pages and map them into @e's VM (before its AS is enabled). */
static void heap_map(struct csg_env *e, struct heap *h, bool alloc)
{
	struct model_fixture *f = &e->mf->f;

	if (alloc) {
		h->pa = ram_alloc(f, 2);
		h->ctx = ram_ptr(f, h->pa);
		for (unsigned int k = 0; k < 3; k++)
			h->chunk[k] = ram_ptr(f, h->pa + 0x1000 * (1 + k));
	}
	for (unsigned int k = 0; k < 4; k++)
		pt_map_page(f, e->uroot, HEAP_VA + 0x1000 * k, PTE_PAGE(h->pa + 0x1000 * k));
}

static u64 op_heap_set(unsigned int reg)
{
	return tyrc_cs_pack_heap_set(&(struct tyrc_cs_heap_set){ .address = reg });
}

static u64 op_vt_start(void)
{
	return tyrc_cs_pack_heap_operation(
		&(struct tyrc_cs_heap_operation){ .operation = TYRC_CS_HEAP_VT_START });
}

static u64 op_run_idvs(void)
{
	return tyrc_cs_pack_run_idvs(&(struct tyrc_cs_run_idvs){ 0 });
}

static u64 op_finish_fragment(void)
{
	return tyrc_cs_pack_finish_fragment(
		&(struct tyrc_cs_finish_fragment){ .increment_fragment_completed = 1 });
}

/* The host answers the TILER_OOM: heap_start/heap_end, ack, CS doorbell. */
static void answer_oom(struct csg_env *e, u64 start, u64 end)
{
	struct mcu_fixture *mf = e->mf;

	sh_wr64(mf, CS_IN(e, heap_start), start);
	sh_wr64(mf, CS_IN(e, heap_end), end);
	sh_wr(mf, CS_IN(e, req),
	      csf_req_set_field(sh_rd(mf, CS_IN(e, req)), sh_rd(mf, CS_OUT(e, ack)), CS_TILER_OOM));
	sh_wr(mf, CSG_IN(e, doorbell_req), sh_rd(mf, CSG_OUT(e, doorbell_ack)) ^ 1u);
	ring_csg0(e);
}

/*
 * Two chunks, three RUN_IDVS: the third raises TILER_OOM (heap context,
 * vt_start 1, vt_end 0, frag_end 0) and waits in front of it; a grown
 * chunk, linked to the old head as panthor links it, lets it continue.
 */
static void test_oom_grow(void **state)
{
	struct mcu_fixture *mf = *state;
	struct tyrc_cs_builder b;
	struct csg_env e;
	struct heap h;
	u64 job[16];

	env_init(&e, mf);
	heap_map(&e, &h, true);
	as_flush_lock_caches_unlock(&mf->f, USER_AS, HEAP_VA, 0x4000);
	h.ctx[0] = LINK(CHUNK_VA(0));
	h.chunk[0][0] = LINK(CHUNK_VA(1));
	env_start(&e);

	tyrc_cs_builder_init(&b, job, ARRAY_SIZE(job));
	tyrc_cs_emit(&b, tyrc_cs_move48(20, HEAP_CTX_VA));
	tyrc_cs_emit(&b, op_heap_set(20));
	tyrc_cs_emit(&b, op_vt_start());
	tyrc_cs_emit(&b, op_run_idvs());
	tyrc_cs_emit(&b, op_run_idvs());
	tyrc_cs_emit(&b, op_run_idvs());
	tyrc_cs_emit(&b, tyrc_cs_wait(0xff, false));
	tyrc_cs_emit(&b, tyrc_cs_move48(0, DATA_VA));
	tyrc_cs_emit(&b, tyrc_cs_move32(2, 0xD0E));
	tyrc_cs_emit(&b, tyrc_cs_store_multiple(2, 0, 1, 0));
	tyrc_cs_emit(&b, tyrc_cs_wait(1, false));
	submit(&e, job, build(&b));

	POLL(&e, cs_events(&e) & CS_TILER_OOM);
	assert_int_equal(sh_rd(mf, CSG_OUT(&e, cs_irq_req)) & 1u, 1u);
	assert_true(rd(&mf->f, JOB_INT_RAWSTAT) & BIT(0));
	assert_int_equal(sh_rd64(mf, CS_OUT(&e, heap_address)), HEAP_CTX_VA);
	assert_int_equal(sh_rd(mf, CS_OUT(&e, heap_vt_start)), 1);
	assert_int_equal(sh_rd(mf, CS_OUT(&e, heap_vt_end)), 0);
	assert_int_equal(sh_rd(mf, CS_OUT(&e, heap_frag_end)), 0);
	/* Stopped in front of the third RUN_IDVS; both chunks on the used list, newest first. */
	assert_int_equal(queue_extract(&e), 5 * 8);
	assert_int_equal(h.ctx[0], 0);
	assert_int_equal(h.ctx[1], LINK(CHUNK_VA(1)));
	assert_int_equal(h.chunk[1][0], LINK(CHUNK_VA(0)));
	status_update(&e);
	assert_int_equal(sh_rd64(mf, CS_OUT(&e, status_cmd_ptr)), RING_VA + 5 * 8);
	assert_false(sh_rd(mf, CSG_OUT(&e, status_state)) & CSG_STATUS_STATE_IS_IDLE);
	/* Nothing moves until the host answers. */
	wait_until_ns(tyrc_ktime_get_ns() + 3 * RESP_NS);
	rd(&mf->f, MCU_STATUS);
	assert_int_equal(queue_extract(&e), 5 * 8);
	assert_int_equal(e.data[0], 0);

	/* Grown by one chunk whose header links the previous head (panthor). */
	h.chunk[2][0] = LINK(CHUNK_VA(1));
	wr(&mf->f, JOB_INT_CLEAR, ~0u);
	sh_wr(mf, CSG_IN(&e, cs_irq_ack), sh_rd(mf, CSG_OUT(&e, cs_irq_req)));
	answer_oom(&e, LINK(CHUNK_VA(2)), LINK(CHUNK_VA(2)));
	POLL(&e, queue_extract(&e) == e.insert);
	assert_int_equal(e.data[0], 0xD0E);
	assert_int_equal(cs_events(&e), 0);
	assert_int_equal(h.ctx[0], 0);
	assert_int_equal(h.ctx[1], LINK(CHUNK_VA(2)));
	assert_int_equal(h.chunk[2][0], LINK(CHUNK_VA(1)));
	POLL(&e, csg_events(&e) & CSG_IDLE);
	expect_no_fault(&mf->f);
}

/*
 * No memory (heap_start 0) with a tiler OOM exception handler registered:
 * the handler runs (its FINISH_FRAGMENT returns the used chunk), then the
 * RUN_IDVS that found no chunk runs again and the stream completes.
 */
static void test_oom_no_memory_exception_handler(void **state)
{
	struct mcu_fixture *mf = *state;
	struct model_fixture *f = &mf->f;
	struct tyrc_cs_builder b;
	struct csg_env e;
	struct heap h;
	u64 job[20], handler[4], code_pa, *code;

	env_init(&e, mf);
	heap_map(&e, &h, true);
	code_pa = ram_alloc(f, 0);
	pt_map_page(f, e.uroot, HANDLER_VA, PTE_PAGE_RO_NX_NC(code_pa));
	as_flush_lock_caches_unlock(f, USER_AS, HEAP_VA, 0x200000);
	code = ram_ptr(f, code_pa);
	h.ctx[0] = LINK(CHUNK_VA(0));
	env_start(&e);

	/* The handler: count itself in data[1] (CSG-scope add), finish the fragments. */
	handler[0] = tyrc_cs_move32(3, 1);
	handler[1] = tyrc_cs_sync_add32(TYRC_CS_SYNC_SCOPE_CSG, false, 0, 3, 0, 0);
	handler[2] = op_finish_fragment();
	handler[3] = tyrc_cs_nop();
	memcpy(code, handler, sizeof(handler));

	tyrc_cs_builder_init(&b, job, ARRAY_SIZE(job));
	tyrc_cs_emit(&b, tyrc_cs_move48(0, DATA_VA + 4));
	tyrc_cs_emit(&b, tyrc_cs_move48(30, HANDLER_VA));
	tyrc_cs_emit(&b, tyrc_cs_move32(32, sizeof(handler)));
	tyrc_cs_emit(&b, tyrc_cs_pack_set_exception_handler(&(struct tyrc_cs_set_exception_handler){
				 .exception_type = 2, .length = 32, .address = 30 }));
	tyrc_cs_emit(&b, tyrc_cs_move48(20, HEAP_CTX_VA));
	tyrc_cs_emit(&b, op_heap_set(20));
	tyrc_cs_emit(&b, op_run_idvs());
	tyrc_cs_emit(&b, op_run_idvs());
	tyrc_cs_emit(&b, tyrc_cs_wait(0xff, false));
	tyrc_cs_emit(&b, tyrc_cs_move32(2, 0xD0E));
	tyrc_cs_emit(&b, tyrc_cs_store_multiple(2, 0, 1, -4));
	tyrc_cs_emit(&b, tyrc_cs_wait(1, false));
	submit(&e, job, build(&b));

	POLL(&e, cs_events(&e) & CS_TILER_OOM);
	assert_int_equal(queue_extract(&e), 7 * 8);
	assert_int_equal(h.ctx[0], 0);
	assert_int_equal(h.ctx[1], LINK(CHUNK_VA(0)));
	answer_oom(&e, 0, 0);
	POLL(&e, queue_extract(&e) == e.insert);
	assert_int_equal(e.data[0], 0xD0E);
	assert_int_equal(e.data[1], 1);
	assert_int_equal(cs_events(&e), 0);
	/* The chunk went back to the free list and was taken again. */
	assert_int_equal(h.ctx[0], 0);
	assert_int_equal(h.ctx[1], LINK(CHUNK_VA(0)));
	status_update(&e);
	assert_int_equal(sh_rd(mf, CS_OUT(&e, status_blocked_reason)), CS_BLOCKED_UNBLOCKED);
	expect_no_fault(f);
}

/*
 * No memory and no handler: the CS waits for chunks (no new event, no
 * progress) until a FINISH_FRAGMENT on another queue sharing the heap
 * returns them; then its RUN_IDVS runs again and the stream completes.
 */
static void test_oom_no_memory_waits_for_fragments(void **state)
{
	struct mcu_fixture *mf = *state;
	struct csg_env a, frag;
	struct heap h;
	u64 job[12], fjob[3];

	env_boot(mf);
	env_group(&a, mf, 0);
	env_group(&frag, mf, 1);
	heap_map(&a, &h, true);
	heap_map(&frag, &h, false);
	h.ctx[0] = LINK(CHUNK_VA(0));
	env_bind(&a, 0, 1);
	env_start(&a);
	env_bind(&frag, 1, 2);
	env_start(&frag);

	job[0] = tyrc_cs_move48(20, HEAP_CTX_VA);
	job[1] = op_heap_set(20);
	job[2] = op_run_idvs();
	job[3] = op_run_idvs();
	job[4] = tyrc_cs_wait(0xff, false);
	job[5] = tyrc_cs_move48(0, DATA_VA);
	job[6] = tyrc_cs_move32(2, 0xD0E);
	job[7] = tyrc_cs_store_multiple(2, 0, 1, 0);
	job[8] = tyrc_cs_wait(1, false);
	submit(&a, job, 9);
	POLL(&a, cs_events(&a) & CS_TILER_OOM);
	assert_int_equal(queue_extract(&a), 3 * 8);
	answer_oom(&a, 0, 0);
	POLL(&a, !csf_req_pending(sh_rd(mf, CSG_IN(&a, doorbell_req)),
				  sh_rd(mf, CSG_OUT(&a, doorbell_ack)), ~0u));
	wait_until_ns(tyrc_ktime_get_ns() + 3 * RESP_NS);
	rd(&mf->f, MCU_STATUS);
	assert_int_equal(queue_extract(&a), 3 * 8);
	assert_int_equal(a.data[0], 0);
	assert_int_equal(cs_events(&a), 0);

	/* The fragment queue finishes the render pass on the same heap. */
	fjob[0] = tyrc_cs_move48(20, HEAP_CTX_VA);
	fjob[1] = op_heap_set(20);
	fjob[2] = op_finish_fragment();
	submit(&frag, fjob, 3);
	POLL(&a, queue_extract(&a) == a.insert);
	assert_int_equal(a.data[0], 0xD0E);
	assert_int_equal(cs_events(&a), 0);
	assert_int_equal(h.ctx[1], LINK(CHUNK_VA(0)));
	expect_no_fault(&mf->f);
}

#define CSG_TEST(fn) cmocka_unit_test_setup_teardown(fn, mcu_setup, mcu_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		CSG_TEST(test_oom_grow),
		CSG_TEST(test_oom_no_memory_exception_handler),
		CSG_TEST(test_oom_no_memory_waits_for_fragments),
	};

	return cmocka_run_group_tests_name("model_csg_oom", tests, NULL, NULL);
}
