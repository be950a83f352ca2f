// SPDX-License-Identifier: MIT
/*
 * The emulated MCU (model_mcu.c, model_glb.c): boot from a firmware image
 * loaded into AS 0 the way a driver does (our image from the build, Arm's
 * real one when present), the published tables, the refusals to boot, the
 * GLB request/ack protocol with its latency and interrupt mask, the idle
 * event, HALT, DISABLE, GPU reset, the unresponsive test hook, doorbells and
 * LATEST_FLUSH_ID. The shared section is read and written through the
 * "CPU" side of RAM with 32-bit atomics, as the driver does.
 *
 * With the argument "arm" the binary runs only the tests on Arm's image and
 * skips as a whole ("1..0 # SKIP") when it is absent.
 */
#include <stdio.h>

#include "mmu_test.h"
#include "tyrc_fw_iface.h"
#include "tyrc_fw_image.h"

/* Configured MCU latencies: long enough to observe "not yet", short for the tests. */
#define BOOT_NS (2 * NSEC_PER_MSEC)
#define RESP_NS (1 * NSEC_PER_MSEC)

#include "mcu_test.h"

#define CS_FEATURES_G610 0x7085fu

static u32 glb_req(struct mcu_fixture *mf)
{
	return sh_rd(mf, GLB_IN_VA(mf, req));
}

static u32 glb_ack(struct mcu_fixture *mf)
{
	return sh_rd(mf, GLB_OUT_VA(mf, ack));
}

/* Toggle the request bits @reqs (csf_req_toggle, as the driver does). */
static void glb_toggle(struct mcu_fixture *mf, u32 reqs)
{
	sh_wr(mf, GLB_IN_VA(mf, req), csf_req_toggle(glb_req(mf), glb_ack(mf), reqs));
}

static void glb_set_level(struct mcu_fixture *mf, u32 bits, bool on)
{
	sh_wr(mf, GLB_IN_VA(mf, req), csf_req_set_field(glb_req(mf), on ? bits : 0, bits));
}

/* Bounded poll until no request in @mask is pending. Return: the time it was seen. */
static u64 poll_acked(struct mcu_fixture *mf, u32 mask)
{
	u64 deadline = tyrc_ktime_get_ns() + TEST_TIMEOUT_NS;

	for (;;) {
		u32 pending;

		/* Any MMIO access runs the model's due events. */
		rd(&mf->f, MCU_STATUS);
		pending = csf_req_pending(glb_req(mf), glb_ack(mf), mask);
		if (!pending)
			return tyrc_ktime_get_ns();
		if (tyrc_ktime_get_ns() > deadline)
			fail_msg("GLB requests 0x%x never acknowledged", pending);
		tyrc_usleep(20);
	}
}

/* ---- Boot ---- */

struct block {
	u32 va;
	u32 size;
	const char *what;
};

static void add_block(struct block *b, unsigned int *n, u32 va, u32 size, const char *what)
{
	if (va < SHARED_VA || (u64)va + size > (u64)SHARED_VA + SHARED_SIZE)
		fail_msg("%s at 0x%08x (+0x%x) outside the shared section", what, va, size);
	b[(*n)++] = (struct block){ va, size, what };
}

/* Check the published tables of our image (csf-firmware.md §3 plus our choices). */
static void check_tables(struct mcu_fixture *mf, bool ours)
{
	static struct block b[3 + 8 * 3 + 8 * 8 * 2];
	unsigned int n = 0;
	u32 group_num = sh_rd(mf, GLB_CTRL_VA(group_num));
	u32 group_stride = sh_rd(mf, GLB_CTRL_VA(group_stride));

	assert_int_equal(sh_rd(mf, GLB_CTRL_VA(version)), VERSION_1_1_0);
	assert_int_equal(sh_rd(mf, GLB_CTRL_VA(features)), 0);
	assert_int_equal(group_num, 8);
	assert_int_equal(group_stride, 0xa0);
	assert_int_equal(sh_rd(mf, GLB_CTRL_VA(perfcnt_size)), 0);
	assert_int_equal(sh_rd(mf, GLB_CTRL_VA(instr_features)), 0x71);
	add_block(b, &n, SHARED_VA, sizeof(struct csf_glb_control), "GLB control");
	add_block(b, &n, sh_rd(mf, GLB_CTRL_VA(input_va)), sizeof(struct csf_glb_input),
		  "GLB input");
	add_block(b, &n, sh_rd(mf, GLB_CTRL_VA(output_va)), sizeof(struct csf_glb_output),
		  "GLB output");
	for (u32 i = 0; i < group_num; i++) {
		u32 csg = SHARED_VA + CSF_CSG_CONTROL_OFFSET + i * group_stride;
		struct csf_csg_control c;

		for (u32 w = 0; w < sizeof(c) / 4; w++)
			((u32 *)&c)[w] = sh_rd(mf, csg + 4 * w);
		assert_int_equal(c.features, 0);
		assert_int_equal(c.suspend_size, 0x8000);
		assert_int_equal(c.protm_suspend_size, 0x4000);
		assert_int_equal(c.stream_num, 8);
		assert_int_equal(c.stream_stride, 0xc);
		add_block(b, &n, csg, CSF_CS_CONTROL_OFFSET + c.stream_num * c.stream_stride,
			  "CSG control");
		add_block(b, &n, c.input_va, sizeof(struct csf_csg_input), "CSG input");
		add_block(b, &n, c.output_va, sizeof(struct csf_csg_output), "CSG output");
		for (u32 j = 0; j < c.stream_num; j++) {
			u32 cs = csg + CSF_CS_CONTROL_OFFSET + j * c.stream_stride;

			assert_int_equal(sh_rd(mf, cs), CS_FEATURES_G610);
			add_block(b, &n, sh_rd(mf, cs + 4), sizeof(struct csf_cs_input),
				  "CS input");
			add_block(b, &n, sh_rd(mf, cs + 8), sizeof(struct csf_cs_output),
				  "CS output");
		}
	}
	/* No two blocks overlap. */
	for (unsigned int i = 0; i < n; i++)
		for (unsigned int j = i + 1; j < n; j++)
			if (b[i].va < b[j].va + b[j].size && b[j].va < b[i].va + b[i].size)
				fail_msg("%s at 0x%08x overlaps %s at 0x%08x", b[i].what, b[i].va,
					 b[j].what, b[j].va);
	if (ours) {
		/* Host-written blocks sit on pages the firmware does not write. */
		assert_int_equal(sh_rd(mf, GLB_CTRL_VA(input_va)) & 0xfff, 0);
		assert_int_equal(sh_rd(mf, GLB_CTRL_VA(output_va)) & 0xfff, 0);
	}
}

static void test_boot(void **state)
{
	struct mcu_fixture *mf = *state;
	struct model_fixture *f = &mf->f;
	u64 t0, when, early;

	load_ours(mf, LOAD_OK);
	assert_int_equal(sh_rd(mf, GLB_CTRL_VA(version)), 0);
	wr(f, JOB_INT_MASK, ~0u);
	t0 = tyrc_ktime_get_ns();
	wr(f, MCU_CONTROL, MCU_CONTROL_AUTO);
	/* Not before mcu_boot_ns. */
	if (rd(f, MCU_STATUS) == MCU_STATUS_DISABLED) {
		early = tyrc_ktime_get_ns();
		if (early < t0 + BOOT_NS) {
			assert_int_equal(rd(f, JOB_INT_RAWSTAT), 0);
			assert_int_equal(sh_rd(mf, GLB_CTRL_VA(version)), 0);
		}
	}
	when = poll32(f, JOB_INT_RAWSTAT, JOB_INT_GLOBAL_IF, JOB_INT_GLOBAL_IF);
	assert_true(when >= t0 + BOOT_NS);
	assert_int_equal(rd(f, MCU_STATUS), MCU_STATUS_ENABLED);
	assert_int_equal(rd(f, MCU_CONTROL), MCU_CONTROL_AUTO);
	assert_true(rd(f, GPU_INT_RAWSTAT) & GPU_IRQ_MCU_STATUS_CHANGED);
	assert_true(tyrc_model_irq_asserted(f->model, TYRC_MODEL_IRQ_JOB));
	expect_no_fault(f);
	check_tables(mf, true);
	assert_int_equal(sh_rd(mf, GLB_OUT_VA(mf, halt_status)), 0);
	/* ENABLE while running changes nothing. */
	wr(f, JOB_INT_CLEAR, ~0u);
	wr(f, MCU_CONTROL, MCU_CONTROL_ENABLE);
	assert_int_equal(rd(f, MCU_STATUS), MCU_STATUS_ENABLED);
	assert_int_equal(rd(f, MCU_CONTROL), MCU_CONTROL_ENABLE);
}

/* Boot with @defect: FATAL, no GLOBAL_IF, version stays 0. */
static void expect_refused(struct mcu_fixture *mf, enum load_defect defect)
{
	struct model_fixture *f = &mf->f;

	load_ours(mf, defect);
	wr(f, JOB_INT_MASK, ~0u);
	wr(f, MCU_CONTROL, MCU_CONTROL_AUTO);
	poll32(f, MCU_STATUS, ~0u, MCU_STATUS_FATAL);
	assert_int_equal(rd(f, JOB_INT_RAWSTAT), 0);
	assert_false(tyrc_model_irq_asserted(f->model, TYRC_MODEL_IRQ_JOB));
	assert_true(rd(f, GPU_INT_RAWSTAT) & GPU_IRQ_MCU_STATUS_CHANGED);
	if (mf->shared)
		assert_int_equal(sh_rd(mf, GLB_CTRL_VA(version)), 0);
}

static void test_refuse_code_not_executable(void **state)
{
	struct mcu_fixture *mf = *state;

	expect_refused(mf, LOAD_CODE_NX);
	/* The instruction fetch faulted, as the MCU's would. */
	expect_fault(&mf->f, 0, EXC_PERMISSION(3), ACCESS_EXECUTE, 0);
}

static void test_refuse_data_not_loaded(void **state)
{
	struct mcu_fixture *mf = *state;

	expect_refused(mf, LOAD_NO_DATA);
	expect_no_fault(&mf->f);
}

static void test_refuse_data_read_only(void **state)
{
	struct mcu_fixture *mf = *state;

	expect_refused(mf, LOAD_DATA_RO);
	expect_fault(&mf->f, 0, EXC_PERMISSION(3), ACCESS_WRITE, TYRC_FW_DATA_VA);
}

static void test_refuse_shared_missing(void **state)
{
	struct mcu_fixture *mf = *state;

	expect_refused(mf, LOAD_NO_SHARED);
	/* No level-3 table covers it: the level-2 descriptor is invalid. */
	expect_fault(&mf->f, 0, EXC_TRANSLATION(2), ACCESS_WRITE, SHARED_VA);
}

static void test_refuse_shared_read_only(void **state)
{
	struct mcu_fixture *mf = *state;

	expect_refused(mf, LOAD_SHARED_RO);
	expect_fault(&mf->f, 0, EXC_PERMISSION(3), ACCESS_WRITE, SHARED_VA);
}

/* AS 0 never configured: the reset block is unreachable. */
static void test_refuse_no_as0(void **state)
{
	struct mcu_fixture *mf = *state;
	struct model_fixture *f = &mf->f;

	wr(f, MCU_CONTROL, MCU_CONTROL_AUTO);
	poll32(f, MCU_STATUS, ~0u, MCU_STATUS_FATAL);
	assert_int_equal(rd(f, JOB_INT_RAWSTAT), 0);
	expect_fault(f, 0, EXC_TRANSLATION(0), ACCESS_READ, 0);
}

/* ---- GLB requests ---- */

#define PANTHOR_GLB_IRQ_MASK                                                             \
	(GLB_CFG_ALLOC_EN | GLB_PING | GLB_CFG_PROGRESS_TIMER | GLB_CFG_POWEROFF_TIMER | \
	 GLB_IDLE_EN | GLB_IDLE)

/* Requests are performed mcu_response_ns after the ring, then the IRQ. */
static void test_glb_requests_async(void **state)
{
	struct mcu_fixture *mf = *state;
	struct model_fixture *f = &mf->f;
	u32 reqs = GLB_CFG_ALLOC_EN | GLB_CFG_POWEROFF_TIMER | GLB_CFG_PROGRESS_TIMER | GLB_PING;
	u64 t0, seen, done;

	load_ours(mf, LOAD_OK);
	boot(mf);
	/* panthor's global programming (csf-firmware.md §9). */
	sh_wr(mf, GLB_IN_VA(mf, core_en_mask), (u32)f->cfg.shader_present);
	sh_wr(mf, GLB_IN_VA(mf, core_en_mask) + 4, (u32)(f->cfg.shader_present >> 32));
	sh_wr(mf, GLB_IN_VA(mf, poweroff_timer), 235);
	sh_wr(mf, GLB_IN_VA(mf, progress_timer), 2560000);
	sh_wr(mf, GLB_IN_VA(mf, ack_irq_mask), PANTHOR_GLB_IRQ_MASK);
	glb_toggle(mf, reqs);
	assert_int_equal(csf_req_pending(glb_req(mf), glb_ack(mf), GLB_REQ_MASK), reqs);

	t0 = tyrc_ktime_get_ns();
	ring(mf, CSF_GLB_DOORBELL_ID);
	rd(f, MCU_STATUS);
	if (csf_req_pending(glb_req(mf), glb_ack(mf), reqs) != reqs) {
		seen = tyrc_ktime_get_ns();
		if (seen < t0 + RESP_NS)
			fail_msg("acknowledged %llu ns after the ring, before mcu_response_ns",
				 (unsigned long long)(seen - t0));
	}
	done = poll_acked(mf, reqs);
	assert_true(done >= t0 + RESP_NS);
	assert_int_equal(rd(f, JOB_INT_RAWSTAT), JOB_INT_GLOBAL_IF);
	/* Nothing else was touched: no HALT, no events, MCU still running. */
	assert_int_equal(glb_ack(mf) & ~reqs, glb_req(mf) & ~reqs);
	assert_int_equal(rd(f, MCU_STATUS), MCU_STATUS_ENABLED);

	/* Every other toggle request is acknowledged too. */
	wr(f, JOB_INT_CLEAR, ~0u);
	glb_toggle(mf, GLB_COUNTER_EN | GLB_FWCFG_UPDATE | GLB_PERFCNT_EN | GLB_PERFCNT_SAMPLE |
			       GLB_PROTM_ENTER);
	ring(mf, 0);
	poll_acked(mf, GLB_REQ_MASK);
	/* None of them is in the IRQ mask. */
	assert_int_equal(rd(f, JOB_INT_RAWSTAT), 0);
}

/* The IRQ follows ack_irq_mask. */
static void test_glb_irq_mask(void **state)
{
	struct mcu_fixture *mf = *state;
	struct model_fixture *f = &mf->f;

	load_ours(mf, LOAD_OK);
	boot(mf);
	sh_wr(mf, GLB_IN_VA(mf, ack_irq_mask), 0);
	glb_toggle(mf, GLB_PING);
	ring(mf, 0);
	poll_acked(mf, GLB_PING);
	assert_int_equal(rd(f, JOB_INT_RAWSTAT), 0);

	sh_wr(mf, GLB_IN_VA(mf, ack_irq_mask), GLB_CFG_ALLOC_EN);
	glb_toggle(mf, GLB_PING);
	ring(mf, 0);
	poll_acked(mf, GLB_PING);
	assert_int_equal(rd(f, JOB_INT_RAWSTAT), 0);

	sh_wr(mf, GLB_IN_VA(mf, ack_irq_mask), GLB_PING);
	glb_toggle(mf, GLB_PING);
	ring(mf, 0);
	poll_acked(mf, GLB_PING);
	assert_int_equal(rd(f, JOB_INT_RAWSTAT), JOB_INT_GLOBAL_IF);

	/* Two rings before the response share it. */
	wr(f, JOB_INT_CLEAR, ~0u);
	glb_toggle(mf, GLB_PING);
	ring(mf, 0);
	ring(mf, 0);
	poll_acked(mf, GLB_PING);
	assert_int_equal(rd(f, JOB_INT_RAWSTAT), JOB_INT_GLOBAL_IF);
}

/* CSG doorbells are acknowledged in doorbell_ack. */
static void test_glb_csg_doorbell_ack(void **state)
{
	struct mcu_fixture *mf = *state;

	load_ours(mf, LOAD_OK);
	boot(mf);
	sh_wr(mf, GLB_IN_VA(mf, doorbell_req), BIT(0) | BIT(5));
	ring(mf, 0);
	for (u64 end = tyrc_ktime_get_ns() + TEST_TIMEOUT_NS;
	     sh_rd(mf, GLB_OUT_VA(mf, doorbell_ack)) != (BIT(0) | BIT(5));) {
		rd(&mf->f, MCU_STATUS);
		if (tyrc_ktime_get_ns() > end)
			fail_msg("doorbell_ack never followed doorbell_req");
		tyrc_usleep(20);
	}
	assert_int_equal(rd(&mf->f, JOB_INT_RAWSTAT), 0);
}

/* IDLE_EN is copied to ack; the idle timer then signals IDLE once. */
static void test_glb_idle_event(void **state)
{
	struct mcu_fixture *mf = *state;
	struct model_fixture *f = &mf->f;
	/* 4 x 1024 ticks of 24 MHz: ~171 us. */
	const u64 idle_ns = 4 * 1024 * NSEC_PER_SEC / 24000000;
	u64 t0, when, end;
	u32 ack;

	load_ours(mf, LOAD_OK);
	boot(mf);
	sh_wr(mf, GLB_IN_VA(mf, idle_timer), 4);
	sh_wr(mf, GLB_IN_VA(mf, ack_irq_mask), GLB_IDLE);
	glb_set_level(mf, GLB_IDLE_EN, true);
	t0 = tyrc_ktime_get_ns();
	ring(mf, 0);
	poll_acked(mf, GLB_IDLE_EN);
	/* Wait for the event: IDLE toggled in ack. */
	end = tyrc_ktime_get_ns() + TEST_TIMEOUT_NS;
	while (!csf_req_pending(glb_req(mf), glb_ack(mf), GLB_IDLE)) {
		rd(f, MCU_STATUS);
		assert_true(tyrc_ktime_get_ns() < end);
		tyrc_usleep(20);
	}
	when = tyrc_ktime_get_ns();
	assert_true(when >= t0 + RESP_NS + idle_ns);
	assert_int_equal(rd(f, JOB_INT_RAWSTAT), JOB_INT_GLOBAL_IF);
	/* The host acknowledges the event: req IDLE := ack IDLE. */
	ack = glb_ack(mf);
	sh_wr(mf, GLB_IN_VA(mf, req), csf_req_set_field(glb_req(mf), ack, GLB_IDLE));
	wr(f, JOB_INT_CLEAR, ~0u);
	/* Once per idle period: several periods later nothing new. */
	wait_until_ns(tyrc_ktime_get_ns() + 5 * idle_ns);
	assert_int_equal(rd(f, JOB_INT_RAWSTAT), 0);
	assert_int_equal(glb_ack(mf), ack);

	/* IDLE_EN cleared then set again re-arms it; masked out, no IRQ. */
	sh_wr(mf, GLB_IN_VA(mf, ack_irq_mask), 0);
	glb_set_level(mf, GLB_IDLE_EN, false);
	ring(mf, 0);
	poll_acked(mf, GLB_IDLE_EN);
	glb_set_level(mf, GLB_IDLE_EN, true);
	ring(mf, 0);
	poll_acked(mf, GLB_IDLE_EN);
	end = tyrc_ktime_get_ns() + TEST_TIMEOUT_NS;
	while (!csf_req_pending(glb_req(mf), glb_ack(mf), GLB_IDLE)) {
		rd(f, MCU_STATUS);
		assert_true(tyrc_ktime_get_ns() < end);
		tyrc_usleep(20);
	}
	assert_int_equal(rd(f, JOB_INT_RAWSTAT), 0);
}

/* ---- HALT, DISABLE, reset ---- */

static void test_halt_and_reboot(void **state)
{
	struct mcu_fixture *mf = *state;
	struct model_fixture *f = &mf->f;
	u32 ack;

	load_ours(mf, LOAD_OK);
	boot(mf);
	sh_wr(mf, GLB_OUT_VA(mf, halt_status), 0x4f); /* the MCU resets it */
	glb_set_level(mf, GLB_HALT, true);
	ring(mf, 0);
	poll32(f, MCU_STATUS, ~0u, MCU_STATUS_HALT);
	assert_int_equal(sh_rd(mf, GLB_OUT_VA(mf, halt_status)), CSF_HALT_STATUS_OK);
	/* HALT is not acknowledged through ack. */
	assert_int_equal(glb_ack(mf) & GLB_HALT, 0);
	/* A halted MCU ignores doorbells. */
	ack = glb_ack(mf);
	glb_toggle(mf, GLB_PING);
	ring(mf, 0);
	wait_until_ns(tyrc_ktime_get_ns() + 2 * RESP_NS);
	rd(f, MCU_STATUS);
	assert_int_equal(glb_ack(mf), ack);
	wr(f, MCU_CONTROL, MCU_CONTROL_DISABLE);
	assert_int_equal(rd(f, MCU_STATUS), MCU_STATUS_DISABLED);

	/* Fast reboot: HALT cleared, tables re-published (version rewritten). */
	glb_set_level(mf, GLB_HALT, false);
	sh_wr(mf, GLB_CTRL_VA(version), 0);
	sh_wr(mf, GLB_CTRL_VA(group_num), 0);
	boot(mf);
	check_tables(mf, true);
	/* The PING left pending before the halt is served at the next ring. */
	ring(mf, 0);
	poll_acked(mf, GLB_PING);
}

/* A HALT already set when the MCU boots is not an edge. */
static void test_halt_needs_edge(void **state)
{
	struct mcu_fixture *mf = *state;
	struct model_fixture *f = &mf->f;

	load_ours(mf, LOAD_OK);
	boot(mf);
	glb_set_level(mf, GLB_HALT, true);
	wr(f, MCU_CONTROL, MCU_CONTROL_DISABLE);
	boot(mf);
	glb_toggle(mf, GLB_PING);
	ring(mf, 0);
	poll_acked(mf, GLB_PING);
	assert_int_equal(rd(f, MCU_STATUS), MCU_STATUS_ENABLED);
	/* The MCU must see HALT clear before a set is an edge. */
	glb_set_level(mf, GLB_HALT, false);
	glb_toggle(mf, GLB_PING);
	ring(mf, 0);
	poll_acked(mf, GLB_PING);
	glb_set_level(mf, GLB_HALT, true);
	ring(mf, 0);
	poll32(f, MCU_STATUS, ~0u, MCU_STATUS_HALT);
}

static void test_disable(void **state)
{
	struct mcu_fixture *mf = *state;
	struct model_fixture *f = &mf->f;
	bool in_time;
	u64 t0;
	u32 ack;

	load_ours(mf, LOAD_OK);
	/*
	 * DISABLE during the boot cancels it (checked only when the clock
	 * proves the DISABLE came before the boot was due: a slow, sanitized
	 * run may legitimately let the boot complete first).
	 */
	wr(f, JOB_INT_MASK, ~0u);
	t0 = tyrc_ktime_get_ns();
	wr(f, MCU_CONTROL, MCU_CONTROL_AUTO);
	wr(f, MCU_CONTROL, MCU_CONTROL_DISABLE);
	in_time = tyrc_ktime_get_ns() < t0 + BOOT_NS;
	wait_until_ns(tyrc_ktime_get_ns() + 2 * BOOT_NS);
	assert_int_equal(rd(f, MCU_STATUS), MCU_STATUS_DISABLED);
	if (in_time) {
		assert_int_equal(rd(f, JOB_INT_RAWSTAT), 0);
		assert_int_equal(sh_rd(mf, GLB_CTRL_VA(version)), 0);
	}
	wr(f, JOB_INT_CLEAR, ~0u);

	/* DISABLE with a response pending cancels it. */
	boot(mf);
	wr(f, GPU_INT_CLEAR, ~0u);
	ack = glb_ack(mf);
	sh_wr(mf, GLB_IN_VA(mf, ack_irq_mask), ~0u);
	glb_toggle(mf, GLB_PING);
	t0 = tyrc_ktime_get_ns();
	ring(mf, 0);
	wr(f, MCU_CONTROL, MCU_CONTROL_DISABLE);
	in_time = tyrc_ktime_get_ns() < t0 + RESP_NS;
	assert_int_equal(rd(f, MCU_STATUS), MCU_STATUS_DISABLED);
	wait_until_ns(tyrc_ktime_get_ns() + 2 * RESP_NS);
	if (in_time) {
		assert_int_equal(rd(f, GPU_INT_RAWSTAT), GPU_IRQ_MCU_STATUS_CHANGED);
		assert_int_equal(glb_ack(mf), ack);
		assert_int_equal(rd(f, JOB_INT_RAWSTAT), 0);
	}
	ack = glb_ack(mf);
	/* Doorbell 0 on a disabled MCU is ignored. */
	ring(mf, 0);
	wait_until_ns(tyrc_ktime_get_ns() + 2 * RESP_NS);
	assert_int_equal(glb_ack(mf), ack);
}

static void soft_reset(struct model_fixture *f)
{
	wr(f, GPU_INT_CLEAR, ~0u);
	wr(f, GPU_CMD, tyrc_gpu_cmd_soft_reset());
	poll32(f, GPU_INT_RAWSTAT, GPU_IRQ_RESET_COMPLETED, GPU_IRQ_RESET_COMPLETED);
}

static void test_reset_stops_mcu(void **state)
{
	struct mcu_fixture *mf = *state;
	struct model_fixture *f = &mf->f;
	bool in_time;
	u64 t0;
	u32 ack;

	load_ours(mf, LOAD_OK);
	boot(mf);
	ack = glb_ack(mf);
	glb_toggle(mf, GLB_PING);
	t0 = tyrc_ktime_get_ns();
	ring(mf, 0);
	soft_reset(f);
	in_time = tyrc_ktime_get_ns() < t0 + RESP_NS;
	assert_int_equal(rd(f, MCU_STATUS), MCU_STATUS_DISABLED);
	assert_int_equal(rd(f, MCU_CONTROL), MCU_CONTROL_DISABLE);
	wait_until_ns(tyrc_ktime_get_ns() + 2 * RESP_NS);
	if (in_time)
		assert_int_equal(glb_ack(mf), ack);
	assert_int_equal(rd(f, JOB_INT_RAWSTAT), 0);

	/* A reset during the boot cancels it too. */
	as_enable(f, 0, mf->root, TEST_TRANSCFG);
	wr(f, MCU_CONTROL, MCU_CONTROL_AUTO);
	soft_reset(f);
	wr(f, JOB_INT_MASK, ~0u);
	wait_until_ns(tyrc_ktime_get_ns() + 2 * BOOT_NS);
	assert_int_equal(rd(f, MCU_STATUS), MCU_STATUS_DISABLED);
	assert_int_equal(rd(f, JOB_INT_RAWSTAT), 0);

	/* A hung MCU comes back from a reset working. */
	tyrc_model_mcu_set_unresponsive(f->model, true);
	soft_reset(f);

	/* After the reset the driver re-enables AS 0 and the MCU boots again. */
	as_enable(f, 0, mf->root, TEST_TRANSCFG);
	sh_wr(mf, GLB_CTRL_VA(version), 0);
	boot(mf);
	check_tables(mf, true);
	glb_toggle(mf, GLB_PING);
	ring(mf, 0);
	poll_acked(mf, GLB_PING);
}

/* ---- Test hook, doorbells, LATEST_FLUSH_ID ---- */

static void test_unresponsive(void **state)
{
	struct mcu_fixture *mf = *state;
	struct model_fixture *f = &mf->f;
	bool in_time;
	u64 t0;
	u32 ack;

	load_ours(mf, LOAD_OK);
	boot(mf);
	sh_wr(mf, GLB_IN_VA(mf, ack_irq_mask), GLB_PING);
	tyrc_model_mcu_set_unresponsive(f->model, true);
	ack = glb_ack(mf);
	glb_toggle(mf, GLB_PING);
	ring(mf, 0);
	wait_until_ns(tyrc_ktime_get_ns() + 3 * RESP_NS);
	rd(f, MCU_STATUS);
	assert_int_equal(glb_ack(mf), ack);
	assert_int_equal(rd(f, JOB_INT_RAWSTAT), 0);
	assert_int_equal(rd(f, MCU_STATUS), MCU_STATUS_ENABLED);

	/* A response already scheduled is dropped when the firmware hangs. */
	tyrc_model_mcu_set_unresponsive(f->model, false);
	t0 = tyrc_ktime_get_ns();
	ring(mf, 0);
	tyrc_model_mcu_set_unresponsive(f->model, true);
	in_time = tyrc_ktime_get_ns() < t0 + RESP_NS;
	wait_until_ns(tyrc_ktime_get_ns() + 3 * RESP_NS);
	if (in_time)
		assert_int_equal(glb_ack(mf), ack);
	glb_toggle(mf, GLB_PING);
	wr(f, JOB_INT_CLEAR, ~0u);

	tyrc_model_mcu_set_unresponsive(f->model, false);
	ring(mf, 0);
	poll_acked(mf, GLB_PING);
	assert_int_equal(rd(f, JOB_INT_RAWSTAT), JOB_INT_GLOBAL_IF);
}

static void test_doorbells(void **state)
{
	struct mcu_fixture *mf = *state;
	struct model_fixture *f = &mf->f;

	/* Doorbell words are write-only; the rest of each page is unmapped. */
	for (unsigned int i = 0; i < CSF_DOORBELL_COUNT; i++) {
		assert_non_null(tyrc_regs_lookup(CSF_DOORBELL(i)));
		assert_null(tyrc_regs_lookup(CSF_DOORBELL(i) + 4));
		assert_int_equal(rd(f, CSF_DOORBELL(i)), 0);
	}
	assert_null(tyrc_regs_lookup(CSF_DOORBELL(CSF_DOORBELL_COUNT)));
	/* Rings before the MCU runs are ignored. */
	for (unsigned int i = 0; i < CSF_DOORBELL_COUNT; i++)
		ring(mf, i);
	load_ours(mf, LOAD_OK);
	boot(mf);
	sh_wr(mf, GLB_IN_VA(mf, ack_irq_mask), ~0u);
	glb_toggle(mf, GLB_PING);
	/* Queue doorbells do not serve the GLB interface. */
	for (unsigned int i = 1; i < CSF_DOORBELL_COUNT; i++)
		ring(mf, i);
	wait_until_ns(tyrc_ktime_get_ns() + 2 * RESP_NS);
	rd(f, MCU_STATUS);
	assert_int_equal(csf_req_pending(glb_req(mf), glb_ack(mf), GLB_PING), GLB_PING);
	assert_int_equal(rd(f, JOB_INT_RAWSTAT), 0);
	ring(mf, 0);
	poll_acked(mf, GLB_PING);
}

static void flush(struct model_fixture *f)
{
	wr(f, GPU_INT_CLEAR, GPU_IRQ_CLEAN_CACHES_COMPLETED);
	wr(f, GPU_CMD,
	   tyrc_gpu_cmd_flush_caches(GPU_CACHE_OP_CLEAN_INVALIDATE, GPU_CACHE_OP_CLEAN_INVALIDATE,
				     GPU_CACHE_OP_NONE));
	poll32(f, GPU_INT_RAWSTAT, GPU_IRQ_CLEAN_CACHES_COMPLETED, GPU_IRQ_CLEAN_CACHES_COMPLETED);
}

static void test_latest_flush_id(void **state)
{
	struct mcu_fixture *mf = *state;
	struct model_fixture *f = &mf->f;
	u32 id = rd(f, CSF_GPU_LATEST_FLUSH_ID);

	assert_int_equal(id, 0);
	assert_string_equal(tyrc_regs_lookup(CSF_GPU_LATEST_FLUSH_ID)->name,
			    "CSF_GPU_LATEST_FLUSH_ID");
	assert_int_equal(tyrc_regs_lookup(CSF_GPU_LATEST_FLUSH_ID)->access, TYRC_REG_RO);
	for (u32 i = 1; i <= 3; i++) {
		flush(f);
		assert_int_equal(rd(f, CSF_GPU_LATEST_FLUSH_ID), i);
	}
	/* Read-only; the rest of the page is unmapped. */
	wr(f, CSF_GPU_LATEST_FLUSH_ID, 0);
	assert_int_equal(rd(f, CSF_GPU_LATEST_FLUSH_ID), 3);
	assert_int_equal(rd(f, CSF_GPU_LATEST_FLUSH_ID + 4), 0);
	/* A GPU reset does not take it back. */
	soft_reset(f);
	assert_int_equal(rd(f, CSF_GPU_LATEST_FLUSH_ID), 3);
	flush(f);
	assert_int_equal(rd(f, CSF_GPU_LATEST_FLUSH_ID), 4);
}

/* ---- Arm's real image ---- */

static bool arm_present(void)
{
	const char *path = getenv("TYRC_ARM_FW_IMAGE");
	FILE *fp = path ? fopen(path, "rb") : NULL;

	if (fp)
		fclose(fp);
	return fp != NULL;
}

static void test_arm_boot(void **state)
{
	struct mcu_fixture *mf = *state;
	struct model_fixture *f = &mf->f;

	assert_true(load_image(mf, "TYRC_ARM_FW_IMAGE", LOAD_OK));
	/* The image's pre-built tables, version 0 until the firmware boots. */
	assert_int_equal(sh_rd(mf, GLB_CTRL_VA(version)), 0);
	assert_int_equal(sh_rd(mf, GLB_CTRL_VA(input_va)), 0x04002000);
	assert_int_equal(sh_rd(mf, SHARED_VA + CSF_CSG_CONTROL_OFFSET + 0xc), 0);
	boot(mf);
	expect_no_fault(f);
	/* The image's layout is kept, the boot-time fields are filled in. */
	assert_int_equal(sh_rd(mf, GLB_CTRL_VA(input_va)), 0x04002000);
	assert_int_equal(sh_rd(mf, GLB_CTRL_VA(output_va)), 0x04006000);
	check_tables(mf, false);
	/* Served like ours. */
	sh_wr(mf, GLB_IN_VA(mf, ack_irq_mask), PANTHOR_GLB_IRQ_MASK);
	glb_toggle(mf, GLB_PING | GLB_CFG_ALLOC_EN);
	ring(mf, 0);
	poll_acked(mf, GLB_PING | GLB_CFG_ALLOC_EN);
	assert_int_equal(rd(f, JOB_INT_RAWSTAT), JOB_INT_GLOBAL_IF);
	glb_set_level(mf, GLB_HALT, true);
	ring(mf, 0);
	poll32(f, MCU_STATUS, ~0u, MCU_STATUS_HALT);
	wr(f, MCU_CONTROL, MCU_CONTROL_DISABLE);
	glb_set_level(mf, GLB_HALT, false);
	boot(mf);
}

/* Arm's image with its tables damaged: refused. */
static void test_arm_implausible(void **state)
{
	struct mcu_fixture *mf = *state;
	struct model_fixture *f = &mf->f;

	assert_true(load_image(mf, "TYRC_ARM_FW_IMAGE", LOAD_OK));
	sh_wr(mf, GLB_CTRL_VA(output_va), 0x05000000);
	wr(f, MCU_CONTROL, MCU_CONTROL_AUTO);
	poll32(f, MCU_STATUS, ~0u, MCU_STATUS_FATAL);
	assert_int_equal(rd(f, JOB_INT_RAWSTAT), 0);
	assert_int_equal(sh_rd(mf, GLB_CTRL_VA(version)), 0);
	expect_no_fault(f);
}

#define MCU_TEST(fn) cmocka_unit_test_setup_teardown(fn, mcu_setup, mcu_teardown)

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		MCU_TEST(test_boot),
		MCU_TEST(test_refuse_code_not_executable),
		MCU_TEST(test_refuse_data_not_loaded),
		MCU_TEST(test_refuse_data_read_only),
		MCU_TEST(test_refuse_shared_missing),
		MCU_TEST(test_refuse_shared_read_only),
		MCU_TEST(test_refuse_no_as0),
		MCU_TEST(test_glb_requests_async),
		MCU_TEST(test_glb_irq_mask),
		MCU_TEST(test_glb_csg_doorbell_ack),
		MCU_TEST(test_glb_idle_event),
		MCU_TEST(test_halt_and_reboot),
		MCU_TEST(test_halt_needs_edge),
		MCU_TEST(test_disable),
		MCU_TEST(test_reset_stops_mcu),
		MCU_TEST(test_unresponsive),
		MCU_TEST(test_doorbells),
		MCU_TEST(test_latest_flush_id),
	};
	const struct CMUnitTest arm_tests[] = {
		MCU_TEST(test_arm_boot),
		MCU_TEST(test_arm_implausible),
	};

	if (argc > 1 && !strcmp(argv[1], "arm")) {
		if (!arm_present()) {
			printf("1..0 # SKIP Arm's firmware not found ($TYRC_ARM_FW_IMAGE=%s)\n",
			       getenv("TYRC_ARM_FW_IMAGE") ? getenv("TYRC_ARM_FW_IMAGE") : "unset");
			return 0;
		}
		return cmocka_run_group_tests(arm_tests, NULL, NULL);
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
