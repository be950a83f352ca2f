// SPDX-License-Identifier: MIT
/* Model configuration: the G610 defaults and tyrc_model_config_is_valid(). */
#include "model_test.h"

/* The board RAM every model of this file is created on. */
static struct tyrc_ram *ram;

static void test_g610_defaults(void **state)
{
	struct tyrc_model_config cfg;

	memset(&cfg, 0xa5, sizeof(cfg));
	tyrc_model_config_init_g610(&cfg);
	assert_int_equal(cfg.gpu_id, 0xa8670005);
	assert_int_equal(cfg.csf_id, 0x040a0412);
	assert_int_equal(cfg.l2_features, 0x07120306);
	assert_int_equal(cfg.tiler_features, 0x809);
	assert_int_equal(cfg.mem_features, 0x301);
	assert_int_equal(cfg.mmu_features, 0x2830);
	assert_int_equal(cfg.as_present, 0xff);
	assert_int_equal(cfg.shader_present, 0x50005);
	assert_int_equal(cfg.tiler_present, 1);
	assert_int_equal(cfg.l2_present, 1);
	assert_int_equal(cfg.thread_features, 0x04010000);
	assert_int_equal(cfg.thread_max_threads, 2048);
	assert_int_equal(cfg.thread_max_workgroup_size, 1024);
	assert_int_equal(cfg.thread_max_barrier_size, 1024);
	assert_int_equal(cfg.texture_features[0], 0xc1ffff9e);
	assert_int_equal(cfg.texture_features[1], 0);
	assert_int_equal(cfg.coherency_features, BIT(GPU_COHERENCY_ACE_LITE));
	assert_int_equal(cfg.gpu_rev, 0);
	assert_int_equal(cfg.core_features, 0);
	assert_int_equal(cfg.gpu_features, 0);
	assert_int_equal(cfg.timestamp_frequency_hz, 24000000);
	assert_int_equal(cfg.gpu_frequency_hz, 1000000000);
	assert_int_equal(cfg.as_command_ns, 2 * NSEC_PER_USEC);
	assert_int_equal(cfg.sync_wait_poll_ns, 100 * NSEC_PER_USEC);
	assert_false(cfg.trace_mmio);
	/* Decodes as arch 10.8, product major 7: panthor's "G610". */
	assert_int_equal(FIELD_GET(GPU_ID_ARCH_MAJOR, cfg.gpu_id), 10);
	assert_int_equal(FIELD_GET(GPU_ID_ARCH_MINOR, cfg.gpu_id), 8);
	assert_int_equal(FIELD_GET(GPU_ID_PRODUCT_MAJOR, cfg.gpu_id), 7);
	assert_true(tyrc_model_config_is_valid(&cfg));
}

/* One way of breaking a valid config. */
struct bad_config {
	const char *what;
	void (*spoil)(struct tyrc_model_config *cfg);
};

static void spoil_gpu_id(struct tyrc_model_config *cfg)
{
	cfg->gpu_id = 0;
}

static void spoil_arch(struct tyrc_model_config *cfg)
{
	cfg->gpu_id = 0x72120000; /* a Bifrost (arch 7) job-manager GPU */
}

static void spoil_csf_id(struct tyrc_model_config *cfg)
{
	cfg->csf_id = 0;
}

static void spoil_as_empty(struct tyrc_model_config *cfg)
{
	cfg->as_present = 0;
}

static void spoil_as_beyond(struct tyrc_model_config *cfg)
{
	cfg->as_present = 0x1ff;
}

static void spoil_shader(struct tyrc_model_config *cfg)
{
	cfg->shader_present = 0;
}

static void spoil_tiler(struct tyrc_model_config *cfg)
{
	cfg->tiler_present = 0;
}

static void spoil_l2(struct tyrc_model_config *cfg)
{
	cfg->l2_present = 0;
}

static void spoil_va_bits(struct tyrc_model_config *cfg)
{
	cfg->mmu_features = 0x2810; /* 16-bit VA */
}

static void spoil_pa_bits(struct tyrc_model_config *cfg)
{
	cfg->mmu_features = 0x4030; /* 64-bit PA */
}

static void spoil_coherency(struct tyrc_model_config *cfg)
{
	cfg->coherency_features = BIT(GPU_COHERENCY_NONE);
}

static void spoil_ts_freq(struct tyrc_model_config *cfg)
{
	cfg->timestamp_frequency_hz = 0;
}

static void spoil_gpu_freq(struct tyrc_model_config *cfg)
{
	cfg->gpu_frequency_hz = 0;
}

static void spoil_latency(struct tyrc_model_config *cfg)
{
	cfg->l2_power_ns = TYRC_MODEL_MAX_LATENCY_NS + 1;
}

static void spoil_reset_latency(struct tyrc_model_config *cfg)
{
	cfg->hard_reset_ns = ~0ULL;
}

static void spoil_as_latency(struct tyrc_model_config *cfg)
{
	cfg->as_command_ns = TYRC_MODEL_MAX_LATENCY_NS + 1;
}

static void spoil_sync_wait_poll(struct tyrc_model_config *cfg)
{
	cfg->sync_wait_poll_ns = TYRC_MODEL_MAX_LATENCY_NS + 1;
}

static const struct bad_config bad_configs[] = {
	{ "zero GPU_ID", spoil_gpu_id },
	{ "pre-CSF arch", spoil_arch },
	{ "zero CSF_ID", spoil_csf_id },
	{ "no address space", spoil_as_empty },
	{ "AS beyond MMU_AS_COUNT", spoil_as_beyond },
	{ "no shader core", spoil_shader },
	{ "no tiler", spoil_tiler },
	{ "no L2", spoil_l2 },
	{ "VA bits", spoil_va_bits },
	{ "PA bits", spoil_pa_bits },
	{ "coherency bit NONE", spoil_coherency },
	{ "timestamp frequency 0", spoil_ts_freq },
	{ "GPU frequency 0", spoil_gpu_freq },
	{ "power latency too long", spoil_latency },
	{ "reset latency overflow", spoil_reset_latency },
	{ "AS command latency too long", spoil_as_latency },
	{ "SYNC_WAIT poll period too long", spoil_sync_wait_poll },
};

static void test_invalid_configs_rejected(void **state)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(bad_configs); i++) {
		struct tyrc_model_config cfg;
		struct tyrc_model *model = (struct tyrc_model *)&cfg; /* must be reset to NULL */

		tyrc_model_config_init_g610(&cfg);
		bad_configs[i].spoil(&cfg);
		if (tyrc_model_config_is_valid(&cfg))
			fail_msg("config with %s accepted", bad_configs[i].what);
		assert_int_equal(tyrc_model_create(&cfg, ram, &model), -EINVAL);
		assert_null(model);
	}
	assert_false(tyrc_model_config_is_valid(NULL));
}

static void test_valid_variants_accepted(void **state)
{
	struct tyrc_model_config cfg;
	struct tyrc_model *model;

	/* The drm-shim dump's COHERENCY_FEATURES, a single AS, zero latencies. */
	tyrc_model_config_init_g610(&cfg);
	cfg.coherency_features = 0;
	cfg.as_present = 0x1;
	cfg.soft_reset_ns = cfg.hard_reset_ns = 0;
	cfg.l2_power_ns = cfg.core_power_ns = cfg.cache_flush_ns = TYRC_MODEL_MAX_LATENCY_NS;
	cfg.as_command_ns = TYRC_MODEL_MAX_LATENCY_NS;
	cfg.sync_wait_poll_ns = 0; /* polling off */
	assert_true(tyrc_model_config_is_valid(&cfg));
	assert_int_equal(tyrc_model_create(&cfg, ram, &model), 0);
	assert_non_null(model);
	tyrc_model_destroy(model);
}

static void test_create_args(void **state)
{
	struct tyrc_model_config cfg;
	struct tyrc_model *model = NULL;

	tyrc_model_config_init_g610(&cfg);
	assert_int_equal(tyrc_model_create(&cfg, ram, NULL), -EINVAL);
	assert_int_equal(tyrc_model_create(NULL, ram, &model), -EINVAL);
	assert_null(model);
	model = (struct tyrc_model *)&cfg;
	assert_int_equal(tyrc_model_create(&cfg, NULL, &model), -EINVAL);
	assert_null(model);
	tyrc_model_destroy(NULL);
}

static void test_config_is_copied(void **state)
{
	struct tyrc_model_config cfg;
	struct tyrc_model *model;

	tyrc_model_config_init_g610(&cfg);
	assert_int_equal(tyrc_model_create(&cfg, ram, &model), 0);
	cfg.gpu_id = 0xdeadbeef;
	assert_int_equal(tyrc_ioread32(tyrc_model_iomem(model), GPU_ID), 0xa8670005);
	assert_int_equal(tyrc_model_iomem(model)->size, TYRC_GPU_MMIO_SIZE);
	for (int i = 0; i < TYRC_MODEL_IRQ_COUNT; i++)
		assert_non_null(tyrc_model_irq_line(model, i));
	assert_string_equal(tyrc_irq_line_name(tyrc_model_irq_line(model, TYRC_MODEL_IRQ_JOB)),
			    "job");
	assert_string_equal(tyrc_irq_line_name(tyrc_model_irq_line(model, TYRC_MODEL_IRQ_MMU)),
			    "mmu");
	assert_string_equal(tyrc_irq_line_name(tyrc_model_irq_line(model, TYRC_MODEL_IRQ_GPU)),
			    "gpu");
	assert_null(tyrc_model_irq_line(model, TYRC_MODEL_IRQ_COUNT));
	assert_false(tyrc_model_irq_asserted(model, TYRC_MODEL_IRQ_COUNT));
	tyrc_model_destroy(model);
}

static int ram_setup(void **state)
{
	return tyrc_ram_create(TEST_RAM_BASE, TEST_RAM_SIZE, &ram) ? -1 : 0;
}

static int ram_teardown(void **state)
{
	tyrc_ram_destroy(ram);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_g610_defaults),
		cmocka_unit_test(test_invalid_configs_rejected),
		cmocka_unit_test(test_valid_variants_accepted),
		cmocka_unit_test(test_create_args),
		cmocka_unit_test(test_config_is_copied),
	};

	return cmocka_run_group_tests(tests, ram_setup, ram_teardown);
}
