/* SPDX-License-Identifier: MIT */
/*
 * Fixture of the firmware CSG/CS tests (test_model_csg.c,
 * test_model_csg_suspend.c, test_model_csg_oom.c): groups of one queue
 * (CS 0) programmed through the shared section and doorbells as a driver
 * does. Each group has its own user VM (ring no-exec and uncached at
 * RING_VA, a data page at DATA_VA), its queue pages and suspend buffer in
 * the MCU VM, and is bound to a CSG slot with an address space of the
 * test's choosing, so a group can be suspended on one slot and resumed on
 * another. The includer defines BOOT_NS and RESP_NS first (mcu_test.h).
 */
#ifndef CSG_TEST_H
#define CSG_TEST_H

#include <stdio.h>

#include "tyrc_cs_isa.h"
#include "mcu_test.h"

#define USER_AS 1u
#define RING_VA 0x1000000ULL
#define RING_SIZE 0x1000u
#define DATA_VA 0x1001000ULL
#define SYNC_VA (DATA_VA + 0x100)
/* A data page outside the 32 KiB lock region around the ring and DATA_VA. */
#define FAR_VA 0x1100000ULL
/* MCU VM: group n's queue pages at QUEUE_VA + n * 0x2000, suspend buffer at SUSPEND_VA + n * 32 KiB. */
#define QUEUE_VA 0x10000000u
#define SUSPEND_VA 0x10100000u
#define SUSPEND_SIZE 0x8000u
#define QUEUE_DB 1u
#define PRIO 0xfu

/** struct csg_env - one group: its memory and the slot it is bound to. */
struct csg_env {
	struct mcu_fixture *mf;
	u64 *ring;
	u32 *data;
	u64 *queue_in;
	u64 *queue_out;
	u8 *suspend;
	u64 insert;
	u64 uroot;
	u32 queue_va;
	u32 suspend_va;
	/* The binding: CSG slot, group AS (CSG config), queue doorbell. */
	unsigned int slot;
	unsigned int as;
	unsigned int db;
	u32 csg_in, csg_out, cs_in, cs_out;
};

static inline u32 csg_ctrl(struct mcu_fixture *mf, unsigned int i)
{
	return SHARED_VA + CSF_CSG_CONTROL_OFFSET + i * sh_rd(mf, GLB_CTRL_VA(group_stride));
}

static inline u32 cs_ctrl(struct mcu_fixture *mf, unsigned int i, unsigned int j)
{
	u32 g = csg_ctrl(mf, i);

	return g + CSF_CS_CONTROL_OFFSET +
	       j * sh_rd(mf, g + (u32)offsetof(struct csf_csg_control, stream_stride));
}

#define CSG_IN(e, f) ((e)->csg_in + (u32)offsetof(struct csf_csg_input, f))
#define CSG_OUT(e, f) ((e)->csg_out + (u32)offsetof(struct csf_csg_output, f))
#define CS_IN(e, f) ((e)->cs_in + (u32)offsetof(struct csf_cs_input, f))
#define CS_OUT(e, f) ((e)->cs_out + (u32)offsetof(struct csf_cs_output, f))

static inline void sh_wr64(struct mcu_fixture *mf, u32 va, u64 v)
{
	sh_wr(mf, va, (u32)v);
	sh_wr(mf, va + 4, (u32)(v >> 32));
}

static inline u64 sh_rd64(struct mcu_fixture *mf, u32 va)
{
	return sh_rd(mf, va) | (u64)sh_rd(mf, va + 4) << 32;
}

static inline u64 queue_extract(struct csg_env *e)
{
	return __atomic_load_n(&e->queue_out[0], __ATOMIC_ACQUIRE);
}

/* Ring CSG doorbell @slot through the GLB path (toggle GLB doorbell_req bit @slot). */
static inline void ring_csg(struct mcu_fixture *mf, unsigned int slot)
{
	sh_wr(mf, GLB_IN_VA(mf, doorbell_req),
	      csf_req_toggle(sh_rd(mf, GLB_IN_VA(mf, doorbell_req)),
			     sh_rd(mf, GLB_OUT_VA(mf, doorbell_ack)), BIT(slot)));
	ring(mf, 0);
}

static inline void ring_csg0(struct csg_env *e)
{
	ring_csg(e->mf, e->slot);
}

/* Bounded poll until @cond holds, evaluating @touch before each check. */
#define POLL_WITH(touch, cond)                                               \
	do {                                                                 \
		u64 dl_ = tyrc_ktime_get_ns() + TEST_TIMEOUT_NS;             \
		while ((touch), !(cond)) {                                   \
			if (tyrc_ktime_get_ns() > dl_)                       \
				fail_msg("timed out waiting for %s", #cond); \
			tyrc_usleep(20);                                     \
		}                                                            \
	} while (0)

/* Every MMIO read runs the model's due events. */
#define POLL(e, cond) POLL_WITH(rd(&(e)->mf->f, MCU_STATUS), cond)
/* No MMIO: only the model's own event timer makes progress. */
#define POLL_QUIET(cond) POLL_WITH((void)0, cond)

/* Load and boot our image. */
static inline void env_boot(struct mcu_fixture *mf)
{
	load_ours(mf, LOAD_OK);
	boot(mf);
}

/* Bind @e to CSG @slot with group AS @as (the queue doorbell is slot + 1, as panthor's). */
static inline void env_bind(struct csg_env *e, unsigned int slot, unsigned int as)
{
	struct mcu_fixture *mf = e->mf;

	e->slot = slot;
	e->as = as;
	e->db = slot + 1;
	e->csg_in = sh_rd(mf, csg_ctrl(mf, slot) + (u32)offsetof(struct csf_csg_control, input_va));
	e->csg_out =
		sh_rd(mf, csg_ctrl(mf, slot) + (u32)offsetof(struct csf_csg_control, output_va));
	e->cs_in = sh_rd(mf, cs_ctrl(mf, slot, 0) + (u32)offsetof(struct csf_cs_control, input_va));
	e->cs_out =
		sh_rd(mf, cs_ctrl(mf, slot, 0) + (u32)offsetof(struct csf_cs_control, output_va));
}

/*
 * Group @n of a booted MCU: its user VM (not yet on an AS), queue pages and
 * suspend buffer; bound to CSG 0 / USER_AS until env_bind() says otherwise.
 */
static inline void env_group(struct csg_env *e, struct mcu_fixture *mf, unsigned int n)
{
	struct model_fixture *f = &mf->f;
	u64 ring_pa, data_pa, q_pa, s_pa;

	*e = (struct csg_env){ .mf = mf };
	e->uroot = pt_new_table(f);
	ring_pa = ram_alloc(f, 0);
	data_pa = ram_alloc(f, 0);
	/* The ring no-exec and uncached as panthor maps it (read-only: the GPU only reads it). */
	pt_map_page(f, e->uroot, RING_VA, PTE_PAGE_RO_NX_NC(ring_pa));
	pt_map_page(f, e->uroot, DATA_VA, PTE_PAGE(data_pa));
	e->ring = ram_ptr(f, ring_pa);
	e->data = ram_ptr(f, data_pa);

	e->queue_va = QUEUE_VA + n * 0x2000;
	q_pa = ram_alloc(f, 1);
	pt_map_page(f, mf->root, e->queue_va, PTE_PAGE(q_pa) | PTE_NX);
	pt_map_page(f, mf->root, e->queue_va + 0x1000, PTE_PAGE(q_pa + 0x1000) | PTE_NX);
	e->queue_in = ram_ptr(f, q_pa);
	e->queue_out = ram_ptr(f, q_pa + 0x1000);

	e->suspend_va = SUSPEND_VA + n * SUSPEND_SIZE;
	s_pa = ram_alloc(f, order_for(SUSPEND_SIZE));
	for (u32 off = 0; off < SUSPEND_SIZE; off += TYRC_PAGE_SIZE)
		pt_map_page(f, mf->root, e->suspend_va + off, PTE_PAGE(s_pa + off) | PTE_NX);
	e->suspend = ram_ptr(f, s_pa);
	as_flush_lock_caches_unlock(f, 0, QUEUE_VA, 0x200000);
	env_bind(e, 0, USER_AS);
}

/* Boot and make group 0 (CSG 0, USER_AS). */
static inline void env_init(struct csg_env *e, struct mcu_fixture *mf)
{
	env_boot(mf);
	env_group(e, mf, 0);
	as_enable(&mf->f, USER_AS, e->uroot, TEST_TRANSCFG);
}

static inline u32 csg_events(struct csg_env *e)
{
	return (sh_rd(e->mf, CSG_IN(e, req)) ^ sh_rd(e->mf, CSG_OUT(e, ack))) & CSG_EVT_MASK;
}

static inline u32 cs_events(struct csg_env *e)
{
	return (sh_rd(e->mf, CS_IN(e, req)) ^ sh_rd(e->mf, CS_OUT(e, ack))) & CS_EVT_MASK;
}

/* The host acknowledges CSG events @evts (copies the ack bits into req). */
static inline void csg_ack_events(struct csg_env *e, u32 evts)
{
	sh_wr(e->mf, CSG_IN(e, req),
	      csf_req_set_field(sh_rd(e->mf, CSG_IN(e, req)), sh_rd(e->mf, CSG_OUT(e, ack)), evts));
}

/* Wait until the CSG requests of @e's slot are acknowledged. */
static inline void csg_wait_acked(struct csg_env *e)
{
	struct mcu_fixture *mf = e->mf;

	POLL(e,
	     !csf_req_pending(sh_rd(mf, CSG_IN(e, req)), sh_rd(mf, CSG_OUT(e, ack)), CSG_REQ_MASK));
}

/*
 * Program CS 0 and the CSG of @e's slot as panthor does (the queue input
 * extract := output extract) and request @state (START or RESUME); wait
 * for the acknowledgement.
 */
static inline void env_program(struct csg_env *e, u32 state)
{
	struct mcu_fixture *mf = e->mf;
	u32 req, ack;
	u64 t0;

	as_enable(&mf->f, e->as, e->uroot, TEST_TRANSCFG);
	__atomic_store_n(&e->queue_in[1], queue_extract(e), __ATOMIC_RELEASE);
	__atomic_store_n(&e->queue_in[0], e->insert, __ATOMIC_RELEASE);
	sh_wr64(mf, CS_IN(e, ringbuf_base), RING_VA);
	sh_wr(mf, CS_IN(e, ringbuf_size), RING_SIZE);
	sh_wr64(mf, CS_IN(e, ringbuf_input), e->queue_va);
	sh_wr64(mf, CS_IN(e, ringbuf_output), e->queue_va + 0x1000);
	sh_wr64(mf, CS_IN(e, heap_start), 0);
	sh_wr64(mf, CS_IN(e, heap_end), 0);
	sh_wr(mf, CS_IN(e, config), PRIO | e->db << 8);
	sh_wr(mf, CS_IN(e, ack_irq_mask), ~0u);
	sh_wr(mf, CS_IN(e, req),
	      csf_req_set_field(sh_rd(mf, CS_IN(e, req)),
				CS_STATE_START | CS_IDLE_SYNC_WAIT | CS_IDLE_EMPTY |
					CS_EXTRACT_EVENT,
				CS_REQ_MASK));

	sh_wr64(mf, CSG_IN(e, allow_compute), 0xf);
	sh_wr64(mf, CSG_IN(e, allow_fragment), 0xf);
	sh_wr(mf, CSG_IN(e, allow_other), 1);
	sh_wr(mf, CSG_IN(e, endpoint_req), 0xf0010404u);
	sh_wr64(mf, CSG_IN(e, suspend_buf), e->suspend_va);
	sh_wr(mf, CSG_IN(e, config), e->as);
	sh_wr(mf, CSG_IN(e, ack_irq_mask), ~0u);
	sh_wr(mf, CSG_IN(e, doorbell_req), sh_rd(mf, CSG_OUT(e, doorbell_ack)) ^ 1u);
	req = sh_rd(mf, CSG_IN(e, req));
	ack = sh_rd(mf, CSG_OUT(e, ack));
	req = csf_req_set_field(req, state, CSG_STATE_MASK);
	req = csf_req_toggle(req, ack, CSG_ENDPOINT_CONFIG);
	sh_wr(mf, CSG_IN(e, req), req);
	t0 = tyrc_ktime_get_ns();
	ring_csg0(e);

	/*
	 * Asynchronous: nothing is acknowledged inside the doorbell write. Only
	 * asserted when the clock proves the response was not yet due (a slow,
	 * sanitized run may legitimately be past it).
	 */
	ack = sh_rd(mf, CSG_OUT(e, ack));
	if (tyrc_ktime_get_ns() < t0 + RESP_NS)
		assert_int_not_equal(ack & CSG_STATE_MASK, state);
	csg_wait_acked(e);
	assert_int_equal(sh_rd(mf, CSG_OUT(e, ack)) & CSG_STATE_MASK, state);
	assert_int_equal(sh_rd(mf, CS_OUT(e, ack)) & CS_STATE_MASK, CS_STATE_START);
	assert_int_equal(sh_rd(mf, CSG_OUT(e, doorbell_ack)), sh_rd(mf, CSG_IN(e, doorbell_req)));
	assert_int_equal(sh_rd(mf, GLB_OUT_VA(mf, doorbell_ack)),
			 sh_rd(mf, GLB_IN_VA(mf, doorbell_req)));
	assert_int_equal(sh_rd(mf, CSG_OUT(e, status_endpoint_req)), 0xf0010404u);
	assert_true(rd(&mf->f, JOB_INT_RAWSTAT) & BIT(e->slot));
}

/* START @e's group on its slot with an empty ring: it reports itself idle at once. */
static inline void env_start(struct csg_env *e)
{
	env_program(e, CSG_STATE_START);
	POLL(e, csg_events(e) & CSG_IDLE);
	csg_ack_events(e, CSG_IDLE);
	wr(&e->mf->f, JOB_INT_CLEAR, ~0u);
}

/* Request @state (SUSPEND or TERMINATE) of @e's slot and wait for it. */
static inline void env_stop(struct csg_env *e, u32 state)
{
	struct mcu_fixture *mf = e->mf;

	sh_wr(mf, CSG_IN(e, req),
	      csf_req_set_field(sh_rd(mf, CSG_IN(e, req)), state, CSG_STATE_MASK));
	ring_csg0(e);
	csg_wait_acked(e);
	assert_int_equal(sh_rd(mf, CSG_OUT(e, ack)) & CSG_STATE_MASK, state);
}

/* Append @n instructions to the ring and ring the queue doorbell. */
static inline void submit(struct csg_env *e, const u64 *words, unsigned int n)
{
	for (unsigned int k = 0; k < n; k++) {
		e->ring[(e->insert / 8) % (RING_SIZE / 8)] = words[k];
		e->insert += 8;
	}
	__atomic_store_n(&e->queue_in[0], e->insert, __ATOMIC_RELEASE);
	ring(e->mf, e->db);
}

/* Request a STATUS_UPDATE of @e's CSG and wait for its acknowledgement. */
static inline void status_update(struct csg_env *e)
{
	struct mcu_fixture *mf = e->mf;

	sh_wr(mf, CSG_IN(e, req),
	      csf_req_toggle(sh_rd(mf, CSG_IN(e, req)), sh_rd(mf, CSG_OUT(e, ack)),
			     CSG_STATUS_UPDATE));
	ring_csg0(e);
	POLL(e, !csf_req_pending(sh_rd(mf, CSG_IN(e, req)), sh_rd(mf, CSG_OUT(e, ack)),
				 CSG_STATUS_UPDATE));
}

/* Finish builder @b into @words (its buffer) and return its length in instructions. */
static inline unsigned int build(struct tyrc_cs_builder *b)
{
	assert_int_equal(tyrc_cs_builder_finish(b, &(u32){ 0 }), 0);
	return b->len;
}

#endif /* CSG_TEST_H */
