// SPDX-License-Identifier: MIT
/*
 * Timed behaviour: resets, cache flushes, power transitions, counters.
 *
 * "Not yet" assertions are made only when the test can prove the model's
 * clock had not reached the deadline: the check is guarded by the time taken
 * after the read (t_after < t_start + latency). "Done" is awaited by bounded
 * polling, and the time after the first matching read must be at least
 * t_start + latency (the model never completes early).
 */
#include "model_test.h"

#define LAT (2 * NSEC_PER_MSEC)

static int setup_timed(void **state)
{
	struct model_fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	tyrc_model_config_init_g610(&f->cfg);
	f->cfg.soft_reset_ns = LAT;
	f->cfg.hard_reset_ns = 2 * LAT;
	f->cfg.l2_power_ns = LAT;
	f->cfg.core_power_ns = LAT / 2;
	f->cfg.cache_flush_ns = LAT;
	f->cfg.as_command_ns = LAT;
	if (tyrc_ram_create(TEST_RAM_BASE, TEST_RAM_SIZE, &f->ram)) {
		free(f);
		return -1;
	}
	if (tyrc_model_create(&f->cfg, f->ram, &f->model)) {
		tyrc_ram_destroy(f->ram);
		free(f);
		return -1;
	}
	f->io = tyrc_model_iomem(f->model);
	*state = f;
	return 0;
}

/* Put non-reset values everywhere a reset must restore. */
static void dirty_state(struct model_fixture *f)
{
	wr(f, GPU_INT_MASK, GPU_IRQ_RESET_COMPLETED | GPU_IRQ_FAULT);
	wr(f, GPU_INT_RAWSTAT, GPU_IRQ_FAULT | GPU_IRQ_DOORBELL_MIRROR);
	wr(f, GPU_INT_CLEAR, GPU_IRQ_FAULT);
	wr(f, JOB_INT_MASK, ~0u);
	wr(f, JOB_INT_RAWSTAT, JOB_INT_CSG(3));
	wr(f, MMU_INT_MASK, 0xffff);
	wr(f, MMU_INT_RAWSTAT, MMU_INT_AS_REQ_COMPLETE(1));
	wr(f, GPU_COHERENCY_PROTOCOL, GPU_COHERENCY_ACE_LITE);
	wr(f, GPU_L2_CONFIG, 0x01000000);
	wr(f, GPU_PWR_OVERRIDE0, 5);
	wr64(f, GPU_TIMESTAMP_OFFSET, 1ULL << 40);
	wr(f, MCU_CONTROL, MCU_CONTROL_AUTO);
	wr64(f, MMU_AS(0) + AS_TRANSTAB, 0x12345000);
	wr64(f, MMU_AS(7) + AS_TRANSCFG, 0x420001c6);
	wr64(f, GPU_L2_PWRON, 1);
	poll32(f, GPU_L2_READY, ~0u, 1);
	wr64(f, GPU_SHADER_PWRON, 0x50005);
	poll32(f, GPU_SHADER_READY, ~0u, 0x50005);
}

static void check_reset_state(struct model_fixture *f, u32 gpu_mask)
{
	assert_int_equal(rd(f, GPU_INT_RAWSTAT), GPU_IRQ_RESET_COMPLETED);
	assert_int_equal(rd(f, GPU_INT_MASK), gpu_mask);
	assert_int_equal(rd(f, JOB_INT_MASK), 0);
	assert_int_equal(rd(f, JOB_INT_RAWSTAT), 0);
	assert_int_equal(rd(f, MMU_INT_MASK), 0);
	assert_int_equal(rd(f, MMU_INT_RAWSTAT), 0);
	assert_false(tyrc_model_irq_asserted(f->model, TYRC_MODEL_IRQ_JOB));
	assert_false(tyrc_model_irq_asserted(f->model, TYRC_MODEL_IRQ_MMU));
	assert_int_equal(rd(f, GPU_STATUS), 0);
	assert_int_equal(rd(f, GPU_COHERENCY_PROTOCOL), GPU_COHERENCY_NONE);
	assert_int_equal(rd(f, GPU_L2_CONFIG), 0);
	assert_int_equal(rd(f, GPU_PWR_OVERRIDE0), 0);
	assert_int_equal(rd64(f, GPU_TIMESTAMP_OFFSET), 0);
	assert_int_equal(rd(f, MCU_CONTROL), MCU_CONTROL_DISABLE);
	assert_int_equal(rd(f, MCU_STATUS), MCU_STATUS_DISABLED);
	assert_int_equal(rd64(f, MMU_AS(0) + AS_TRANSTAB), 0);
	assert_int_equal(rd64(f, MMU_AS(7) + AS_TRANSCFG), 0);
	assert_int_equal(rd64(f, GPU_L2_READY), 0);
	assert_int_equal(rd64(f, GPU_SHADER_READY), 0);
	assert_int_equal(rd64(f, GPU_TILER_READY), 0);
	assert_int_equal(rd64(f, GPU_L2_PWRTRANS), 0);
	assert_int_equal(rd64(f, GPU_SHADER_PWRTRANS), 0);
	assert_int_equal(rd64(f, GPU_CYCLE_COUNT), 0);
	/* Identity is not state. */
	assert_int_equal(rd(f, GPU_ID), 0xa8670005);
	assert_int_equal(rd64(f, GPU_SHADER_PRESENT), 0x50005);
}

static void check_reset(struct model_fixture *f, u32 cmd, u64 latency)
{
	u64 t0, t1, done;
	u32 raw, status;
	bool in_reset;

	dirty_state(f);
	wr(f, GPU_INT_CLEAR, GPU_IRQ_RESET_COMPLETED);
	t0 = tyrc_ktime_get_ns();
	wr(f, GPU_CMD, cmd);
	raw = rd(f, GPU_INT_RAWSTAT);
	status = rd(f, GPU_STATUS);
	/* Requests made during the reset are dropped. */
	wr64(f, GPU_L2_PWRON, 1);
	wr(f, GPU_CMD, tyrc_gpu_cmd_flush_caches(GPU_CACHE_OP_CLEAN, 0, 0));
	t1 = tyrc_ktime_get_ns();
	in_reset = t1 < t0 + latency;
	if (in_reset) {
		assert_false(raw & GPU_IRQ_RESET_COMPLETED);
		assert_true(status & GPU_STATUS_ACTIVE);
	} else {
		print_message("# slow host: skipped the in-reset checks\n");
	}

	done = poll32(f, GPU_INT_RAWSTAT, GPU_IRQ_RESET_COMPLETED, GPU_IRQ_RESET_COMPLETED);
	assert_true(done >= t0 + latency);
	if (!in_reset)
		return;
	check_reset_state(f, GPU_IRQ_RESET_COMPLETED | GPU_IRQ_FAULT);

	/* The PWRON and the flush written during the reset never take effect. */
	wait_until_ns(t1 + 2 * f->cfg.l2_power_ns + f->cfg.cache_flush_ns);
	assert_int_equal(rd64(f, GPU_L2_READY), 0);
	assert_int_equal(rd64(f, GPU_L2_PWRTRANS), 0);
	assert_int_equal(rd(f, GPU_INT_RAWSTAT), GPU_IRQ_RESET_COMPLETED);
}

static void test_soft_reset(void **state)
{
	struct model_fixture *f = *state;

	check_reset(f, tyrc_gpu_cmd_soft_reset(), f->cfg.soft_reset_ns);
}

static void test_hard_reset(void **state)
{
	struct model_fixture *f = *state;

	check_reset(f, tyrc_gpu_cmd_hard_reset(), f->cfg.hard_reset_ns);
}

static void test_reset_at_creation(void **state)
{
	struct model_fixture *f = *state;

	/* Power-on state: what a completed reset leaves, minus the IRQ bit. */
	assert_int_equal(rd(f, GPU_INT_RAWSTAT), 0);
	assert_int_equal(rd(f, GPU_INT_MASK), 0);
	wr(f, GPU_INT_RAWSTAT, GPU_IRQ_RESET_COMPLETED);
	check_reset_state(f, 0);
}

/* A second reset command during a reset is ignored: completion follows the first. */
static void test_reset_during_reset(void **state)
{
	struct model_fixture *f = *state;
	u64 t0, done;

	u64 t1;

	t0 = tyrc_ktime_get_ns();
	wr(f, GPU_CMD, tyrc_gpu_cmd_soft_reset());
	wr(f, GPU_CMD, tyrc_gpu_cmd_hard_reset());
	t1 = tyrc_ktime_get_ns();
	done = poll32(f, GPU_INT_RAWSTAT, GPU_IRQ_RESET_COMPLETED, GPU_IRQ_RESET_COMPLETED);
	assert_true(done >= t0 + f->cfg.soft_reset_ns);
	if (t1 >= t0 + f->cfg.soft_reset_ns) {
		print_message("# slow host: the hard reset may have followed the soft one\n");
		return;
	}
	wr(f, GPU_INT_CLEAR, GPU_IRQ_RESET_COMPLETED);
	/* No second completion follows. */
	wait_until_ns(t0 + 2 * f->cfg.hard_reset_ns);
	assert_int_equal(rd(f, GPU_INT_RAWSTAT), 0);
}

static void test_cache_flush(void **state)
{
	struct model_fixture *f = *state;
	u64 t0, t1, done;
	u32 raw, status;

	t0 = tyrc_ktime_get_ns();
	wr(f, GPU_CMD,
	   tyrc_gpu_cmd_flush_caches(GPU_CACHE_OP_CLEAN_INVALIDATE, GPU_CACHE_OP_CLEAN_INVALIDATE,
				     GPU_CACHE_OP_NONE));
	raw = rd(f, GPU_INT_RAWSTAT);
	status = rd(f, GPU_STATUS);
	t1 = tyrc_ktime_get_ns();
	if (t1 < t0 + f->cfg.cache_flush_ns) {
		assert_int_equal(raw, 0);
		assert_int_equal(status, GPU_STATUS_ACTIVE);
	}
	done = poll32(f, GPU_INT_RAWSTAT, ~0u, GPU_IRQ_CLEAN_CACHES_COMPLETED);
	assert_true(done >= t0 + f->cfg.cache_flush_ns);
	assert_int_equal(rd(f, GPU_STATUS), 0);
}

static void check_power_cycle(struct model_fixture *f, u32 pwron, u32 pwroff, u32 ready, u32 trans,
			      u64 mask, u64 latency)
{
	u64 t0, t1, done, r, tr;
	u32 status, raw;

	wr(f, GPU_INT_CLEAR, ~0u);
	t0 = tyrc_ktime_get_ns();
	wr64(f, pwron, mask);
	r = rd64(f, ready);
	tr = rd64(f, trans);
	status = rd(f, GPU_STATUS);
	raw = rd(f, GPU_INT_RAWSTAT);
	t1 = tyrc_ktime_get_ns();
	if (t1 < t0 + latency) {
		assert_int_equal(r, 0);
		assert_int_equal(tr, mask);
		assert_int_equal(status, GPU_STATUS_PWR_ACTIVE);
		assert_int_equal(raw, 0);
	}
	done = poll32(f, ready, ~0u, (u32)mask);
	assert_true(done >= t0 + latency);
	assert_int_equal(rd64(f, trans), 0);
	assert_int_equal(rd(f, GPU_STATUS), 0);
	assert_int_equal(rd(f, GPU_INT_RAWSTAT), GPU_IRQ_POWER_CHANGED | GPU_IRQ_POWER_CHANGED_ALL);

	/* Power-off is symmetric: READY stays set while powering down. */
	wr(f, GPU_INT_CLEAR, ~0u);
	t0 = tyrc_ktime_get_ns();
	wr64(f, pwroff, mask);
	r = rd64(f, ready);
	tr = rd64(f, trans);
	t1 = tyrc_ktime_get_ns();
	if (t1 < t0 + latency) {
		assert_int_equal(r, mask);
		assert_int_equal(tr, mask);
	}
	done = poll32(f, ready, ~0u, 0);
	assert_true(done >= t0 + latency);
	assert_int_equal(rd64(f, trans), 0);
	assert_int_equal(rd(f, GPU_INT_RAWSTAT), GPU_IRQ_POWER_CHANGED | GPU_IRQ_POWER_CHANGED_ALL);
}

static void test_l2_power(void **state)
{
	struct model_fixture *f = *state;

	check_power_cycle(f, GPU_L2_PWRON, GPU_L2_PWROFF, GPU_L2_READY, GPU_L2_PWRTRANS, 1,
			  f->cfg.l2_power_ns);
}

static void test_core_power(void **state)
{
	struct model_fixture *f = *state;

	wr64(f, GPU_L2_PWRON, 1);
	poll32(f, GPU_L2_READY, ~0u, 1);
	check_power_cycle(f, GPU_SHADER_PWRON, GPU_SHADER_PWROFF, GPU_SHADER_READY,
			  GPU_SHADER_PWRTRANS, 0x50005, f->cfg.core_power_ns);
	check_power_cycle(f, GPU_TILER_PWRON, GPU_TILER_PWROFF, GPU_TILER_READY, GPU_TILER_PWRTRANS,
			  1, f->cfg.core_power_ns);
	assert_int_equal(rd64(f, GPU_L2_READY), 1);
	assert_int_equal(rd64(f, GPU_SHADER_PWRACTIVE), 0);
}

/* Cores without a powered L2 are refused; they never become READY. */
static void test_core_needs_l2(void **state)
{
	struct model_fixture *f = *state;
	u64 t0 = tyrc_ktime_get_ns();
	u64 t1, trans;

	wr64(f, GPU_SHADER_PWRON, 0x50005);
	wr64(f, GPU_TILER_PWRON, 1);
	assert_int_equal(rd64(f, GPU_SHADER_PWRTRANS), 0);
	assert_int_equal(rd64(f, GPU_TILER_PWRTRANS), 0);
	/* Also refused while the L2 is still powering up. */
	wr64(f, GPU_L2_PWRON, 1);
	wr64(f, GPU_SHADER_PWRON, 0x50005);
	trans = rd64(f, GPU_SHADER_PWRTRANS);
	t1 = tyrc_ktime_get_ns();
	poll32(f, GPU_L2_READY, ~0u, 1);
	wait_until_ns(t0 + 2 * f->cfg.core_power_ns + f->cfg.l2_power_ns);
	assert_int_equal(rd64(f, GPU_TILER_READY), 0);
	if (t1 >= t0 + f->cfg.l2_power_ns) {
		print_message("# slow host: the L2 may have been up before the shader PWRON\n");
		return;
	}
	assert_int_equal(trans, 0);
	assert_int_equal(rd64(f, GPU_SHADER_READY), 0);
}

/* L2 power-off with cores on takes the cores down first. */
static void test_l2_off_cascades(void **state)
{
	struct model_fixture *f = *state;
	u64 t0, done;

	wr64(f, GPU_L2_PWRON, 1);
	poll32(f, GPU_L2_READY, ~0u, 1);
	wr64(f, GPU_SHADER_PWRON, 0x50005);
	wr64(f, GPU_TILER_PWRON, 1);
	poll32(f, GPU_SHADER_READY, ~0u, 0x50005);
	poll32(f, GPU_TILER_READY, ~0u, 1);

	t0 = tyrc_ktime_get_ns();
	wr64(f, GPU_L2_PWROFF, 1);
	done = poll32(f, GPU_L2_READY, ~0u, 0);
	assert_true(done >= t0 + f->cfg.core_power_ns + f->cfg.l2_power_ns);
	assert_int_equal(rd64(f, GPU_SHADER_READY), 0);
	assert_int_equal(rd64(f, GPU_TILER_READY), 0);
	assert_int_equal(rd64(f, GPU_SHADER_PWRTRANS), 0);
	assert_int_equal(rd(f, GPU_STATUS), 0);
}

/* Only PRESENT bits count; the HI word acts on bits 32-63 only. */
static void test_present_bits_only(void **state)
{
	struct model_fixture *f = *state;

	wr(f, GPU_L2_PWRON, ~0u);
	wr(f, GPU_L2_PWRON + 4, ~0u);
	poll32(f, GPU_L2_READY, ~0u, 1);
	assert_int_equal(rd(f, GPU_L2_READY + 4), 0);
	wr(f, GPU_SHADER_PWRON + 4, ~0u);
	assert_int_equal(rd64(f, GPU_SHADER_PWRTRANS), 0);
	wr(f, GPU_SHADER_PWRON, ~0u);
	assert_int_equal(rd64(f, GPU_SHADER_PWRTRANS) & ~0x50005ULL, 0);
	poll32(f, GPU_SHADER_READY, ~0u, 0x50005);
	assert_int_equal(rd(f, GPU_SHADER_READY + 4), 0);
	/* Re-requesting a powered core is a no-op: no transition, no interrupt. */
	wr(f, GPU_INT_CLEAR, ~0u);
	wr64(f, GPU_SHADER_PWRON, 0x1);
	assert_int_equal(rd64(f, GPU_SHADER_PWRTRANS), 0);
	assert_int_equal(rd(f, GPU_INT_RAWSTAT), 0);
	/* Power off one core of four. */
	wr64(f, GPU_SHADER_PWROFF, 0x10000);
	poll32(f, GPU_SHADER_READY, ~0u, 0x40005);
}

static void test_instant_latency(void **state)
{
	struct model_fixture *f = *state;

	wr64(f, GPU_L2_PWRON, 1);
	assert_int_equal(rd64(f, GPU_L2_READY), 1);
	assert_int_equal(rd64(f, GPU_L2_PWRTRANS), 0);
	wr(f, GPU_CMD, tyrc_gpu_cmd_soft_reset());
	assert_int_equal(rd(f, GPU_INT_RAWSTAT), GPU_IRQ_RESET_COMPLETED);
	assert_int_equal(rd64(f, GPU_L2_READY), 0);
	wr(f, GPU_CMD, tyrc_gpu_cmd_flush_caches(GPU_CACHE_OP_CLEAN, 0, 0));
	assert_true(rd(f, GPU_INT_RAWSTAT) & GPU_IRQ_CLEAN_CACHES_COMPLETED);
}

static void test_timestamp(void **state)
{
	struct model_fixture *f = *state;
	u64 hz = f->cfg.timestamp_frequency_hz;
	u64 a, b, ts1, ts2;

	/* TIMESTAMP is CLOCK_MONOTONIC in timestamp-frequency ticks. */
	a = tyrc_ktime_get_ns();
	ts1 = tyrc_ioread64_counter(f->io, GPU_TIMESTAMP);
	b = tyrc_ktime_get_ns();
	assert_true(ts1 >= (u64)((unsigned __int128)a * hz / NSEC_PER_SEC));
	assert_true(ts1 <= (u64)((unsigned __int128)b * hz / NSEC_PER_SEC));

	/* It advances. */
	wait_until_ns(b + NSEC_PER_MSEC);
	ts2 = tyrc_ioread64_counter(f->io, GPU_TIMESTAMP);
	assert_true(ts2 >= ts1 + hz / 1000);

	/* TIMESTAMP_OFFSET is added. */
	wr64(f, GPU_TIMESTAMP_OFFSET, 1ULL << 50);
	ts1 = tyrc_ioread64_counter(f->io, GPU_TIMESTAMP);
	assert_true(ts1 >= ts2 + (1ULL << 50));
}

static void test_cycle_count(void **state)
{
	struct model_fixture *f = *state;
	u64 c0, c1, c2, t0;

	/* Stopped while the L2 is off. */
	c0 = tyrc_ioread64_counter(f->io, GPU_CYCLE_COUNT);
	wait_until_ns(tyrc_ktime_get_ns() + NSEC_PER_MSEC);
	assert_int_equal(tyrc_ioread64_counter(f->io, GPU_CYCLE_COUNT), c0);

	/* Runs at the GPU frequency while it is on. */
	wr64(f, GPU_L2_PWRON, 1);
	poll32(f, GPU_L2_READY, ~0u, 1);
	c1 = tyrc_ioread64_counter(f->io, GPU_CYCLE_COUNT);
	t0 = tyrc_ktime_get_ns();
	wait_until_ns(t0 + NSEC_PER_MSEC);
	c2 = tyrc_ioread64_counter(f->io, GPU_CYCLE_COUNT);
	assert_true(c2 >= c1 + f->cfg.gpu_frequency_hz / 1000);

	/* Frozen again once the L2 is off. */
	wr64(f, GPU_L2_PWROFF, 1);
	poll32(f, GPU_L2_READY, ~0u, 0);
	c1 = tyrc_ioread64_counter(f->io, GPU_CYCLE_COUNT);
	wait_until_ns(tyrc_ktime_get_ns() + NSEC_PER_MSEC);
	assert_int_equal(tyrc_ioread64_counter(f->io, GPU_CYCLE_COUNT), c1);
	assert_true(c1 >= c2);
}

/* Timed events raise their interrupt without any MMIO access (event timer). */
struct irq_flag {
	struct model_fixture *f;
	u32 seen;
	int calls;
};

static enum tyrc_irqreturn flag_hard(void *data)
{
	struct irq_flag *p = data;
	u32 stat = rd(p->f, GPU_INT_STAT);

	if (!stat)
		return TYRC_IRQ_NONE;
	wr(p->f, GPU_INT_MASK, 0);
	__atomic_or_fetch(&p->seen, stat, __ATOMIC_SEQ_CST);
	__atomic_add_fetch(&p->calls, 1, __ATOMIC_SEQ_CST);
	return TYRC_IRQ_HANDLED;
}

static void wait_irq(struct irq_flag *p, int calls)
{
	u64 deadline = tyrc_ktime_get_ns() + TEST_TIMEOUT_NS;

	while (__atomic_load_n(&p->calls, __ATOMIC_SEQ_CST) < calls) {
		if (tyrc_ktime_get_ns() > deadline)
			fail_msg("no interrupt");
		tyrc_usleep(50);
	}
}

static void test_timer_raises_irqs(void **state)
{
	struct model_fixture *f = *state;
	struct tyrc_irq_line *line = tyrc_model_irq_line(f->model, TYRC_MODEL_IRQ_GPU);
	struct irq_flag p = { .f = f };
	u64 t0;

	assert_int_equal(tyrc_request_threaded_irq(line, flag_hard, NULL, &p), 0);

	wr(f, GPU_INT_MASK, GPU_IRQ_POWER_CHANGED_ALL);
	t0 = tyrc_ktime_get_ns();
	wr64(f, GPU_L2_PWRON, 1);
	wait_irq(&p, 1);
	assert_true(tyrc_ktime_get_ns() >= t0 + f->cfg.l2_power_ns);
	assert_int_equal(__atomic_load_n(&p.seen, __ATOMIC_SEQ_CST), GPU_IRQ_POWER_CHANGED_ALL);

	/* The reset interrupt arrives with the mask written before the reset. */
	wr(f, GPU_INT_CLEAR, ~0u);
	wr(f, GPU_INT_MASK, GPU_IRQ_RESET_COMPLETED);
	t0 = tyrc_ktime_get_ns();
	wr(f, GPU_CMD, tyrc_gpu_cmd_soft_reset());
	wait_irq(&p, 2);
	assert_true(tyrc_ktime_get_ns() >= t0 + f->cfg.soft_reset_ns);

	wr(f, GPU_INT_CLEAR, ~0u);
	wr(f, GPU_INT_MASK, GPU_IRQ_CLEAN_CACHES_COMPLETED);
	wr(f, GPU_CMD, tyrc_gpu_cmd_flush_caches(GPU_CACHE_OP_CLEAN, 0, 0));
	wait_irq(&p, 3);

	tyrc_free_irq(line);
	assert_int_equal(__atomic_load_n(&p.seen, __ATOMIC_SEQ_CST),
			 GPU_IRQ_POWER_CHANGED_ALL | GPU_IRQ_RESET_COMPLETED |
				 GPU_IRQ_CLEAN_CACHES_COMPLETED);
}

/* Destroying a model with events pending cancels them cleanly. */
static void test_destroy_with_pending_events(void **state)
{
	struct model_fixture f = { 0 };

	tyrc_model_config_init_g610(&f.cfg);
	f.cfg.soft_reset_ns = NSEC_PER_SEC;
	f.cfg.l2_power_ns = NSEC_PER_SEC;
	f.cfg.as_command_ns = NSEC_PER_SEC;
	fixture_create(&f);
	wr64(&f, GPU_L2_PWRON, 1);
	wr(&f, GPU_CMD, tyrc_gpu_cmd_flush_caches(GPU_CACHE_OP_CLEAN, 0, 0));
	wr(&f, MMU_AS(1) + AS_COMMAND, AS_COMMAND_UPDATE);
	fixture_destroy(&f);

	fixture_create(&f);
	wr(&f, GPU_CMD, tyrc_gpu_cmd_soft_reset());
	fixture_destroy(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_soft_reset, setup_timed, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_hard_reset, setup_timed, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_reset_at_creation, setup_timed,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_reset_during_reset, setup_timed,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_cache_flush, setup_timed, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_l2_power, setup_timed, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_core_power, setup_timed, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_core_needs_l2, setup_timed, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_l2_off_cascades, setup_timed,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_present_bits_only, setup_timed,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_instant_latency, fixture_setup_instant,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_timestamp, setup_timed, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_cycle_count, setup_timed, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_timer_raises_irqs, setup_timed,
						fixture_teardown),
		cmocka_unit_test(test_destroy_with_pending_events),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
