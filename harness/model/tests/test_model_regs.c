// SPDX-License-Identifier: MIT
/* Register file: identity values, access rules, plain storage, coherency, MCU. */
#include "model_test.h"

static void test_identity(void **state)
{
	struct model_fixture *f = *state;

	assert_int_equal(rd(f, GPU_ID), 0xa8670005);
	assert_int_equal(rd(f, GPU_L2_FEATURES), 0x07120306);
	assert_int_equal(rd(f, GPU_CORE_FEATURES), 0);
	assert_int_equal(rd(f, GPU_TILER_FEATURES), 0x809);
	assert_int_equal(rd(f, GPU_MEM_FEATURES), 0x301);
	assert_int_equal(rd(f, GPU_MMU_FEATURES), 0x2830);
	assert_int_equal(rd(f, GPU_AS_PRESENT), 0xff);
	assert_int_equal(rd(f, GPU_CSF_ID), 0x040a0412);
	assert_int_equal(rd(f, GPU_THREAD_MAX_THREADS), 2048);
	assert_int_equal(rd(f, GPU_THREAD_MAX_WORKGROUP_SIZE), 1024);
	assert_int_equal(rd(f, GPU_THREAD_MAX_BARRIER_SIZE), 1024);
	assert_int_equal(rd(f, GPU_THREAD_FEATURES), 0x04010000);
	assert_int_equal(rd(f, GPU_TEXTURE_FEATURES0), 0xc1ffff9e);
	assert_int_equal(rd(f, GPU_TEXTURE_FEATURES1), 0);
	assert_int_equal(rd(f, GPU_TEXTURE_FEATURES2), 0);
	assert_int_equal(rd(f, GPU_TEXTURE_FEATURES3), 0);
	assert_int_equal(rd64(f, GPU_SHADER_PRESENT), 0x50005);
	assert_int_equal(rd64(f, GPU_TILER_PRESENT), 1);
	assert_int_equal(rd64(f, GPU_L2_PRESENT), 1);
	assert_int_equal(rd64(f, GPU_FEATURES), 0);
	assert_int_equal(rd(f, GPU_REVID), 0);
	assert_int_equal(rd(f, GPU_COHERENCY_FEATURES), BIT(GPU_COHERENCY_ACE_LITE));
}

static void test_identity_from_config(void **state)
{
	struct model_fixture f = { 0 };

	tyrc_model_config_init_g610(&f.cfg);
	f.cfg.gpu_rev = 0x1234;
	f.cfg.core_features = 0x2;
	f.cfg.texture_features[3] = 0x983cb62f;
	f.cfg.shader_present = 0x102345678ULL;
	f.cfg.gpu_features = 0x1122334455667788ULL;
	f.cfg.coherency_features = 0;
	fixture_create(&f);
	assert_int_equal(rd(&f, GPU_REVID), 0x1234);
	assert_int_equal(rd(&f, GPU_CORE_FEATURES), 0x2);
	assert_int_equal(rd(&f, GPU_TEXTURE_FEATURES3), 0x983cb62f);
	assert_int_equal(rd(&f, GPU_SHADER_PRESENT), 0x02345678);
	assert_int_equal(rd(&f, GPU_SHADER_PRESENT + 4), 0x1);
	assert_int_equal(rd(&f, GPU_FEATURES), 0x55667788);
	assert_int_equal(rd(&f, GPU_FEATURES + 4), 0x11223344);
	assert_int_equal(rd(&f, GPU_COHERENCY_FEATURES), 0);
	fixture_destroy(&f);
}

static bool is_counter(const struct tyrc_reg_desc *d)
{
	return d->offset == GPU_TIMESTAMP || d->offset == GPU_CYCLE_COUNT;
}

/* Every RO register of the shared table ignores writes (counters excepted: they move). */
static void test_ro_writes_ignored(void **state)
{
	struct model_fixture *f = *state;
	unsigned int checked = 0;

	for (unsigned int i = 0; i < tyrc_regs_count(); i++) {
		const struct tyrc_reg_desc *d = tyrc_regs_at(i);

		if (d->access != TYRC_REG_RO || is_counter(d))
			continue;
		for (u32 w = 0; w < d->width / 32u; w++) {
			u32 off = d->offset + 4 * w;
			u32 before = rd(f, off);

			wr(f, off, ~before);
			wr(f, off, 0xffffffff);
			if (rd(f, off) != before)
				fail_msg("RO %s word %u changed after a write", d->name, w);
			checked++;
		}
	}
	assert_true(checked > 40);
	/* Counters: a write does not reset them to the written value. */
	wr(f, GPU_TIMESTAMP, 0);
	wr(f, GPU_TIMESTAMP + 4, 0);
	assert_true(rd64(f, GPU_TIMESTAMP) > 0);
}

/* Every WO register of the shared table reads 0. */
static void test_wo_reads_zero(void **state)
{
	struct model_fixture *f = *state;
	unsigned int checked = 0;

	/* Leave something behind the write-only registers first. */
	wr(f, GPU_PWR_KEY, GPU_PWR_KEY_UNLOCK);
	wr(f, GPU_CMD, tyrc_gpu_cmd_flush_caches(GPU_CACHE_OP_CLEAN, 0, 0));
	wr(f, MMU_AS(1) + AS_COMMAND, AS_COMMAND_UPDATE);
	for (unsigned int i = 0; i < tyrc_regs_count(); i++) {
		const struct tyrc_reg_desc *d = tyrc_regs_at(i);

		if (d->access != TYRC_REG_WO)
			continue;
		for (u32 w = 0; w < d->width / 32u; w++) {
			if (rd(f, d->offset + 4 * w) != 0)
				fail_msg("WO %s word %u reads non-zero", d->name, w);
			checked++;
		}
	}
	assert_true(checked >= 24);
}

static void test_unmapped(void **state)
{
	struct model_fixture *f = *state;
	const u32 holes[] = {
		0x038, /* between GPU_STATUS and GPU_FAULT_STATUS */
		0x03fc, /* end of GPU_CONTROL */
		0x0708, /* after MCU_STATUS */
		JOB_CONTROL_BASE + 0x10, /* after JOB_INT_STAT */
		MMU_BASE + 0x10, /* after MMU_INT_STAT */
		MMU_AS(MMU_AS_COUNT), /* after the last AS */
		CSF_GPU_LATEST_FLUSH_ID + 4, /* only the first word of the page */
		CSF_DOORBELL(0) + 4, /* only the first word of a doorbell page */
		CSF_DOORBELL(CSF_DOORBELL_COUNT), /* after the last doorbell */
		TYRC_GPU_MMIO_SIZE - 4,
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(holes); i++) {
		assert_null(tyrc_regs_lookup(holes[i]));
		wr(f, holes[i], 0xffffffff);
		assert_int_equal(rd(f, holes[i]), 0);
	}
	/* Raw ops (the BUG_ON-checked accessors would abort): out of range, unaligned. */
	assert_int_equal(f->io->ops->read32(f->io->priv, TYRC_GPU_MMIO_SIZE), 0);
	assert_int_equal(f->io->ops->read32(f->io->priv, GPU_ID + 1), 0);
	f->io->ops->write32(f->io->priv, GPU_INT_MASK + 2, 0xffffffff);
	f->io->ops->write32(f->io->priv, 0xfffffffc, 0xffffffff);
	assert_int_equal(rd(f, GPU_INT_MASK), 0);
	assert_int_equal(rd(f, GPU_INT_RAWSTAT), 0);
}

static void test_rw_storage(void **state)
{
	struct model_fixture *f = *state;

	wr(f, GPU_L2_CONFIG, 0x01000000);
	assert_int_equal(rd(f, GPU_L2_CONFIG), 0x01000000);
	wr(f, GPU_PWR_OVERRIDE0, 0x11);
	wr(f, GPU_PWR_OVERRIDE1, 0x22);
	assert_int_equal(rd(f, GPU_PWR_OVERRIDE0), 0x11);
	assert_int_equal(rd(f, GPU_PWR_OVERRIDE1), 0x22);
	wr64(f, GPU_TIMESTAMP_OFFSET, 0x0123456789abcdefULL);
	assert_int_equal(rd64(f, GPU_TIMESTAMP_OFFSET), 0x0123456789abcdefULL);
	/* 64-bit registers are two independent words. */
	wr(f, GPU_TIMESTAMP_OFFSET + 4, 0xfeedface);
	assert_int_equal(rd64(f, GPU_TIMESTAMP_OFFSET), 0xfeedface89abcdefULL);

	for (unsigned int as = 0; as < MMU_AS_COUNT; as++) {
		u32 base = MMU_AS(as);

		wr64(f, base + AS_TRANSTAB, 0x1000ULL * (as + 1) | (1ULL << 39));
		wr64(f, base + AS_MEMATTR, 0x4c4c4c4c8c4c8f4cULL);
		wr64(f, base + AS_LOCKADDR, 0x3f);
		wr64(f, base + AS_TRANSCFG, 0x420001c6ULL);
		wr(f, base + AS_COMMAND, AS_COMMAND_UPDATE);
	}
	for (unsigned int as = 0; as < MMU_AS_COUNT; as++) {
		u32 base = MMU_AS(as);

		assert_int_equal(rd64(f, base + AS_TRANSTAB), 0x1000ULL * (as + 1) | (1ULL << 39));
		assert_int_equal(rd64(f, base + AS_MEMATTR), 0x4c4c4c4c8c4c8f4cULL);
		assert_int_equal(rd64(f, base + AS_LOCKADDR), 0x3f);
		assert_int_equal(rd64(f, base + AS_TRANSCFG), 0x420001c6ULL);
		assert_int_equal(rd(f, base + AS_STATUS), 0);
		assert_int_equal(rd(f, base + AS_FAULTSTATUS), 0);
		assert_int_equal(rd64(f, base + AS_FAULTADDRESS), 0);
		assert_int_equal(rd64(f, base + AS_FAULTEXTRA), 0);
	}
	/* No AS register leaks into another. */
	wr64(f, MMU_AS(3) + AS_TRANSTAB, 0);
	assert_int_equal(rd64(f, MMU_AS(3) + AS_TRANSTAB), 0);
	assert_int_equal(rd64(f, MMU_AS(2) + AS_TRANSTAB), 0x3000ULL | (1ULL << 39));
	assert_int_equal(rd64(f, MMU_AS(4) + AS_TRANSTAB), 0x5000ULL | (1ULL << 39));
}

static void test_coherency_protocol(void **state)
{
	struct model_fixture *f = *state;
	struct model_fixture nc = { 0 };

	assert_int_equal(rd(f, GPU_COHERENCY_PROTOCOL), GPU_COHERENCY_NONE);
	wr(f, GPU_COHERENCY_PROTOCOL, GPU_COHERENCY_ACE_LITE);
	assert_int_equal(rd(f, GPU_COHERENCY_PROTOCOL), GPU_COHERENCY_ACE_LITE);
	/* ACE is not in COHERENCY_FEATURES: ignored. So are made-up values. */
	wr(f, GPU_COHERENCY_PROTOCOL, GPU_COHERENCY_ACE);
	assert_int_equal(rd(f, GPU_COHERENCY_PROTOCOL), GPU_COHERENCY_ACE_LITE);
	wr(f, GPU_COHERENCY_PROTOCOL, 7);
	wr(f, GPU_COHERENCY_PROTOCOL, 0xffffffff);
	assert_int_equal(rd(f, GPU_COHERENCY_PROTOCOL), GPU_COHERENCY_ACE_LITE);
	wr(f, GPU_COHERENCY_PROTOCOL, GPU_COHERENCY_NONE);
	assert_int_equal(rd(f, GPU_COHERENCY_PROTOCOL), GPU_COHERENCY_NONE);

	/* A model without coherency features accepts only NONE. */
	tyrc_model_config_init_g610(&nc.cfg);
	nc.cfg.coherency_features = 0;
	fixture_create(&nc);
	wr(&nc, GPU_COHERENCY_PROTOCOL, GPU_COHERENCY_ACE_LITE);
	assert_int_equal(rd(&nc, GPU_COHERENCY_PROTOCOL), GPU_COHERENCY_NONE);
	fixture_destroy(&nc);
}

static void test_mcu_control(void **state)
{
	struct model_fixture slow = { 0 };
	struct model_fixture *f = &slow;

	/* A boot that cannot complete during the test (test_model_mcu boots one). */
	tyrc_model_config_init_g610(&slow.cfg);
	slow.cfg.mcu_boot_ns = TYRC_MODEL_MAX_LATENCY_NS;
	fixture_create(&slow);
	assert_int_equal(rd(f, MCU_CONTROL), MCU_CONTROL_DISABLE);
	assert_int_equal(rd(f, MCU_STATUS), MCU_STATUS_DISABLED);
	wr(f, MCU_CONTROL, MCU_CONTROL_AUTO);
	assert_int_equal(rd(f, MCU_CONTROL), MCU_CONTROL_AUTO);
	assert_int_equal(rd(f, MCU_STATUS), MCU_STATUS_DISABLED);
	assert_int_equal(rd(f, JOB_INT_RAWSTAT), 0);
	wr(f, MCU_CONTROL, MCU_CONTROL_ENABLE);
	assert_int_equal(rd(f, MCU_CONTROL), MCU_CONTROL_ENABLE);
	wr(f, MCU_CONTROL, 3);
	assert_int_equal(rd(f, MCU_CONTROL), MCU_CONTROL_ENABLE);
	wr(f, MCU_CONTROL, MCU_CONTROL_DISABLE);
	assert_int_equal(rd(f, MCU_CONTROL), MCU_CONTROL_DISABLE);
	assert_int_equal(rd(f, MCU_STATUS), MCU_STATUS_DISABLED);
	/* MCU_STATUS never changed, so no MCU_STATUS_CHANGED. */
	assert_int_equal(rd(f, GPU_INT_RAWSTAT), 0);
	wr(f, MCU_STATUS, MCU_STATUS_ENABLED);
	assert_int_equal(rd(f, MCU_STATUS), MCU_STATUS_DISABLED);
	fixture_destroy(&slow);
	(void)state;
}

static void test_unknown_gpu_cmd(void **state)
{
	struct model_fixture *f = *state;
	const u32 cmds[] = {
		0, /* NOP */
		0x0100, /* NOP with a payload */
		0x0301, /* RESET with an unknown payload */
		0x1000004, /* FLUSH_CACHES with bits beyond the three op nibbles */
		0x02, /* a type the model does not know */
		0xffffffff,
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(cmds); i++) {
		wr(f, GPU_CMD, cmds[i]);
		assert_int_equal(rd(f, GPU_INT_RAWSTAT), 0);
		assert_int_equal(rd(f, GPU_STATUS), 0);
	}
}

static void test_command_constructors(void **state)
{
	/* The encodings of mali-g610-hw.md §3 the model decodes. */
	assert_int_equal(tyrc_gpu_cmd_soft_reset(), 0x101);
	assert_int_equal(tyrc_gpu_cmd_hard_reset(), 0x201);
	assert_int_equal(tyrc_gpu_cmd_flush_caches(GPU_CACHE_OP_CLEAN_INVALIDATE,
						   GPU_CACHE_OP_CLEAN_INVALIDATE,
						   GPU_CACHE_OP_NONE),
			 0x3304);
	assert_int_equal(tyrc_gpu_cmd_flush_caches(GPU_CACHE_OP_CLEAN_INVALIDATE,
						   GPU_CACHE_OP_CLEAN_INVALIDATE,
						   GPU_CACHE_OP_INVALIDATE),
			 0x23304);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_identity, fixture_setup_instant,
						fixture_teardown),
		cmocka_unit_test(test_identity_from_config),
		cmocka_unit_test_setup_teardown(test_ro_writes_ignored, fixture_setup_instant,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_wo_reads_zero, fixture_setup_instant,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_unmapped, fixture_setup_instant,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_rw_storage, fixture_setup_instant,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_coherency_protocol, fixture_setup_instant,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_mcu_control, fixture_setup_instant,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_unknown_gpu_cmd, fixture_setup_instant,
						fixture_teardown),
		cmocka_unit_test(test_command_constructors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
