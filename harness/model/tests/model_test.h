/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the GPU model unit tests: a fixture that builds a model
 * from a (possibly tweaked) G610 config on a small board RAM, register
 * shorthands, and bounded polling. Tests never sleep to synchronise: they poll a register until a
 * deadline, and timing assertions compare the model's clock (the same
 * CLOCK_MONOTONIC the tests read) against the configured latencies.
 */
#ifndef MODEL_TEST_H
#define MODEL_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <tyrc/kernel.h>

#include "tyrc_model.h"
#include "tyrc_gpu_regs.h"
#include "tyrc_job_regs.h"
#include "tyrc_mmu_regs.h"

/* Bound on waits that must succeed (generous: sanitizers on a loaded box). */
#define TEST_TIMEOUT_NS (5 * NSEC_PER_SEC)

/* The fixture's board RAM: 32 MiB at 2 GiB (sparse, cheap to create). */
#define TEST_RAM_BASE 0x80000000ULL
#define TEST_RAM_SIZE (32ULL << 20)

/** struct model_fixture - one model, its MMIO window and the board RAM. */
struct model_fixture {
	struct tyrc_model_config cfg;
	struct tyrc_ram *ram;
	struct tyrc_model *model;
	struct tyrc_iomem *io;
};

/* Build @f->model from @f->cfg, on @f->ram (created if NULL). */
static inline void fixture_create(struct model_fixture *f)
{
	if (!f->ram)
		assert_int_equal(tyrc_ram_create(TEST_RAM_BASE, TEST_RAM_SIZE, &f->ram), 0);
	assert_int_equal(tyrc_model_create(&f->cfg, f->ram, &f->model), 0);
	assert_non_null(f->model);
	f->io = tyrc_model_iomem(f->model);
	assert_non_null(f->io);
}

/* Destroy @f->model, then the RAM. */
static inline void fixture_destroy(struct model_fixture *f)
{
	tyrc_model_destroy(f->model);
	f->model = NULL;
	tyrc_ram_destroy(f->ram);
	f->ram = NULL;
}

/* A G610 model whose latencies are all 0 (instant), as cmocka setup. */
static inline int fixture_setup_instant(void **state)
{
	struct model_fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	tyrc_model_config_init_g610(&f->cfg);
	f->cfg.soft_reset_ns = 0;
	f->cfg.hard_reset_ns = 0;
	f->cfg.l2_power_ns = 0;
	f->cfg.core_power_ns = 0;
	f->cfg.cache_flush_ns = 0;
	f->cfg.as_command_ns = 0;
	if (tyrc_ram_create(TEST_RAM_BASE, TEST_RAM_SIZE, &f->ram))
		goto err_free;
	if (tyrc_model_create(&f->cfg, f->ram, &f->model))
		goto err_ram;
	f->io = tyrc_model_iomem(f->model);
	*state = f;
	return 0;

err_ram:
	tyrc_ram_destroy(f->ram);
err_free:
	free(f);
	return -1;
}

static inline int fixture_teardown(void **state)
{
	struct model_fixture *f = *state;

	/* A failed test may have left a handler attached (no-op otherwise). */
	for (int i = 0; i < TYRC_MODEL_IRQ_COUNT; i++)
		tyrc_free_irq(tyrc_model_irq_line(f->model, i));
	fixture_destroy(f);
	free(f);
	return 0;
}

static inline u32 rd(struct model_fixture *f, u32 offset)
{
	return tyrc_ioread32(f->io, offset);
}

static inline void wr(struct model_fixture *f, u32 offset, u32 value)
{
	tyrc_iowrite32(f->io, offset, value);
}

static inline u64 rd64(struct model_fixture *f, u32 offset)
{
	return tyrc_ioread64(f->io, offset);
}

static inline void wr64(struct model_fixture *f, u32 offset, u64 value)
{
	tyrc_iowrite64(f->io, offset, value);
}

/*
 * Poll the 32-bit register at @offset until (value & @mask) == @expect or
 * TEST_TIMEOUT_NS passes; safe on any thread (no cmocka call). @when gets
 * CLOCK_MONOTONIC just after the read that matched: an upper bound of the
 * model's time for that read, so "*when >= start + latency" proves the model
 * did not complete early. Return: false on timeout.
 */
static inline bool poll32_until(struct model_fixture *f, u32 offset, u32 mask, u32 expect,
				u64 *when)
{
	u64 deadline = tyrc_ktime_get_ns() + TEST_TIMEOUT_NS;

	for (;;) {
		u32 v = rd(f, offset);
		u64 after = tyrc_ktime_get_ns();

		if ((v & mask) == expect) {
			*when = after;
			return true;
		}
		if (after > deadline)
			return false;
		tyrc_usleep(20);
	}
}

/* poll32_until() on the test thread: fails the test on timeout, returns @when. */
static inline u64 poll32(struct model_fixture *f, u32 offset, u32 mask, u32 expect)
{
	u64 when = 0;

	if (!poll32_until(f, offset, mask, expect, &when))
		fail_msg("register 0x%x never reached 0x%x under mask 0x%x", offset, expect, mask);
	return when;
}

/* Spin (bounded, polling the clock) until CLOCK_MONOTONIC reaches @t. */
static inline void wait_until_ns(u64 t)
{
	while (tyrc_ktime_get_ns() < t)
		tyrc_usleep(50);
}

#endif /* MODEL_TEST_H */
