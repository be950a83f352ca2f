// SPDX-License-Identifier: MIT
/*
 * Driver unit tests against the GPU model, without host or shim: probe,
 * the DRM core's ioctl rules, DEV_QUERY, and the consistency of the register
 * tables with the uAPI decoders. User memory is this process's own, reached
 * through tyrc_uaccess_self (process_vm_readv/writev on our own pid), so a
 * bad pointer is -EFAULT, not a crash.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>
#include <cmocka.h>

#include "panthor_drm.h"
#include "tyrc_drv.h"
#include "tyrc_gpu_regs.h"
#include "tyrc_job_regs.h"
#include "tyrc_mmu_regs.h"
#include "tyrc_model.h"

/* The board RAM: 256 MiB at 2 GiB. */
#define TEST_RAM_BASE 0x80000000ULL
#define TEST_RAM_SIZE (256ULL << 20)

struct fixture {
	/* firmware search path: $TYRC_FIRMWARE_PATH, NULL-terminated */
	const char *fw_path[2];
	struct tyrc_ram *ram;
	struct tyrc_model *model;
	struct tyrc_device *dev;
	struct tyrc_file *card;
	struct tyrc_file *render;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct tyrc_model_config mcfg;
	struct tyrc_device_config dcfg;
	struct tyrc_platform pdev;
	struct tyrc_client client = { .pid = getpid(), .uid = 0, .comm = "test_driver" };

	assert_int_equal(tyrc_ram_create(TEST_RAM_BASE, TEST_RAM_SIZE, &f->ram), 0);
	tyrc_model_config_init_g610(&mcfg);
	assert_int_equal(tyrc_model_create(&mcfg, f->ram, &f->model), 0);
	pdev = (struct tyrc_platform){
		.iomem = tyrc_model_iomem(f->model),
		.irq_job = tyrc_model_irq_line(f->model, TYRC_MODEL_IRQ_JOB),
		.irq_mmu = tyrc_model_irq_line(f->model, TYRC_MODEL_IRQ_MMU),
		.irq_gpu = tyrc_model_irq_line(f->model, TYRC_MODEL_IRQ_GPU),
		.ram = f->ram,
		.timestamp_frequency_hz = mcfg.timestamp_frequency_hz,
	};
	tyrc_device_config_init(&dcfg);
	f->fw_path[0] = getenv("TYRC_FIRMWARE_PATH");
	assert_non_null(f->fw_path[0]);
	dcfg.firmware_path = f->fw_path;
	assert_int_equal(tyrc_device_probe(&pdev, &dcfg, &f->dev), 0);
	assert_int_equal(tyrc_drm_open(f->dev, TYRC_MINOR_PRIMARY, &client, &f->card), 0);
	assert_int_equal(tyrc_drm_open(f->dev, TYRC_MINOR_RENDER, &client, &f->render), 0);
	tyrc_uaccess_begin(&tyrc_uaccess_self, NULL);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	tyrc_uaccess_end();
	tyrc_drm_release(f->render);
	tyrc_drm_release(f->card);
	tyrc_device_remove(f->dev);
	tyrc_model_destroy(f->model);
	tyrc_ram_destroy(f->ram);
	free(f);
	return 0;
}

static long do_ioctl(struct tyrc_file *file, unsigned int cmd, void *arg)
{
	return tyrc_drm_ioctl(file, cmd, (u64)(uintptr_t)arg);
}

static void *bad_pointer(void)
{
	void *p = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	munmap(p, 4096);
	return p;
}

static void test_probe_info(void **state)
{
	struct fixture *f = *state;
	struct tyrc_device_info info;

	tyrc_device_get_info(f->dev, &info);
	assert_int_equal(info.gpu_id, 0xa8670005);
	assert_string_equal(info.model_name, "G610");
	assert_int_equal(info.shader_present, 0x50005);
	assert_int_equal(info.l2_power_on_count, 1);
}

static void test_l2_powered_after_probe(void **state)
{
	struct fixture *f = *state;
	struct tyrc_iomem *io = tyrc_model_iomem(f->model);

	assert_int_equal(tyrc_ioread64(io, GPU_L2_READY), 1);
	assert_int_equal(tyrc_ioread32(io, GPU_COHERENCY_PROTOCOL), GPU_COHERENCY_NONE);
}

static void test_version(void **state)
{
	struct fixture *f = *state;
	char name[16] = {}, date[4] = {}, desc[32] = {};
	struct drm_version v = {
		.name_len = sizeof(name),
		.name = name,
		.date_len = sizeof(date),
		.date = date,
		.desc_len = sizeof(desc),
		.desc = desc,
	};

	assert_int_equal(do_ioctl(f->render, DRM_IOCTL_VERSION, &v), 0);
	assert_string_equal(name, "panthor");
	assert_string_equal(date, "0");
	assert_string_equal(desc, "Panthor DRM driver");
	assert_int_equal(v.name_len, 7);
	assert_int_equal(v.version_major, 1);
}

static void test_ioctl_dispatch_rules(void **state)
{
	struct fixture *f = *state;
	u64 scratch[4] = {};

	assert_int_equal(do_ioctl(f->card, _IOWR('x', 1, u64), scratch), -ENOTTY);
	assert_int_equal(do_ioctl(f->card, DRM_IOWR(0x70, u64), scratch), -EINVAL);
	assert_int_equal(do_ioctl(f->card, DRM_IOWR(0xff, u64), scratch), -EINVAL);
	/* A panthor ioctl whose layer does not exist yet has no handler. */
	assert_int_equal(do_ioctl(f->card, DRM_IOCTL_PANTHOR_TILER_HEAP_DESTROY, scratch), -EINVAL);
	assert_int_equal(do_ioctl(f->card, DRM_IOCTL_VERSION, bad_pointer()), -EFAULT);
	assert_int_equal(do_ioctl(f->render, DRM_IOCTL_SET_CLIENT_CAP, scratch), -EACCES);
	assert_int_equal(do_ioctl(f->card, DRM_IOCTL_SET_CLIENT_CAP, scratch), -EOPNOTSUPP);
	assert_int_equal(do_ioctl(f->render, DRM_IOCTL_MODE_GETRESOURCES, scratch), -EACCES);
}

static void test_master(void **state)
{
	struct fixture *f = *state;
	struct tyrc_client client = { .pid = 1, .uid = 1000, .comm = "user" };
	struct tyrc_drm_client_stat stats[4];
	struct tyrc_file *user;

	assert_int_equal(tyrc_drm_clients(f->dev, stats, 4), 2);
	assert_true(stats[0].master);
	assert_false(stats[1].master);
	assert_int_equal(tyrc_drm_open(f->dev, TYRC_MINOR_PRIMARY, &client, &user), 0);
	assert_int_equal(do_ioctl(user, DRM_IOCTL_SET_MASTER, NULL), -EACCES);
	assert_int_equal(do_ioctl(f->card, DRM_IOCTL_DROP_MASTER, NULL), 0);
	assert_int_equal(do_ioctl(f->card, DRM_IOCTL_SET_MASTER, NULL), 0);
	tyrc_drm_release(user);
}

static void test_dev_query_gpu_info(void **state)
{
	struct fixture *f = *state;
	u8 buf[sizeof(struct drm_panthor_gpu_info) + 8];
	struct drm_panthor_gpu_info *info = (void *)buf;
	struct drm_panthor_dev_query q = { .type = DRM_PANTHOR_DEV_QUERY_GPU_INFO };

	assert_int_equal(do_ioctl(f->render, DRM_IOCTL_PANTHOR_DEV_QUERY, &q), 0);
	assert_int_equal(q.size, 112);

	memset(buf, 0xee, sizeof(buf));
	q.size = sizeof(buf);
	q.pointer = (u64)(uintptr_t)buf;
	assert_int_equal(do_ioctl(f->render, DRM_IOCTL_PANTHOR_DEV_QUERY, &q), 0);
	assert_int_equal(info->gpu_id, 0xa8670005);
	assert_int_equal(info->csf_id, 0x040a0412);
	assert_int_equal(info->as_present, 0xff);
	for (size_t i = sizeof(*info); i < sizeof(buf); i++)
		assert_int_equal(buf[i], 0);

	q.size = 95;
	assert_int_equal(do_ioctl(f->render, DRM_IOCTL_PANTHOR_DEV_QUERY, &q), -EINVAL);
	q.size = sizeof(*info);
	q.type = 77;
	assert_int_equal(do_ioctl(f->render, DRM_IOCTL_PANTHOR_DEV_QUERY, &q), -EINVAL);
	q.type = DRM_PANTHOR_DEV_QUERY_GPU_INFO;
	q.pointer = (u64)(uintptr_t)bad_pointer();
	assert_int_equal(do_ioctl(f->render, DRM_IOCTL_PANTHOR_DEV_QUERY, &q), -EFAULT);
}

static u8 priorities_mask(struct tyrc_file *file)
{
	struct drm_panthor_group_priorities_info info;
	struct drm_panthor_dev_query q = {
		.type = DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO,
		.size = sizeof(info),
		.pointer = (u64)(uintptr_t)&info,
	};

	memset(&info, 0xff, sizeof(info));
	assert_int_equal(do_ioctl(file, DRM_IOCTL_PANTHOR_DEV_QUERY, &q), 0);
	assert_int_equal(info.pad[0] | info.pad[1] | info.pad[2], 0);
	return info.allowed_mask;
}

/* HIGH/REALTIME need CAP_SYS_NICE (root here) or DRM master. */
static void test_group_priorities(void **state)
{
	struct fixture *f = *state;
	struct tyrc_client user = { .pid = 2, .uid = 1000, .comm = "user" };
	struct tyrc_file *render, *primary;

	assert_int_equal(priorities_mask(f->render), 0xf);
	assert_int_equal(tyrc_drm_open(f->dev, TYRC_MINOR_RENDER, &user, &render), 0);
	assert_int_equal(priorities_mask(render), 0x3);
	/* An unprivileged master gets every priority. */
	assert_int_equal(do_ioctl(f->card, DRM_IOCTL_DROP_MASTER, NULL), 0);
	assert_int_equal(tyrc_drm_open(f->dev, TYRC_MINOR_PRIMARY, &user, &primary), 0);
	assert_int_equal(priorities_mask(primary), 0xf);
	tyrc_drm_release(primary);
	tyrc_drm_release(render);
}

/* CSIF_INFO comes from the interface tables the firmware published. */
static void test_csif_info(void **state)
{
	struct fixture *f = *state;
	struct drm_panthor_csif_info info;
	struct drm_panthor_dev_query q = {
		.type = DRM_PANTHOR_DEV_QUERY_CSIF_INFO,
		.size = sizeof(info),
		.pointer = (u64)(uintptr_t)&info,
	};
	struct tyrc_device_info dev_info;

	memset(&info, 0xff, sizeof(info));
	assert_int_equal(do_ioctl(f->render, DRM_IOCTL_PANTHOR_DEV_QUERY, &q), 0);
	assert_int_equal(info.csg_slot_count, 8);
	assert_int_equal(info.cs_slot_count, 8);
	assert_int_equal(info.cs_reg_count, 96);
	assert_int_equal(info.scoreboard_slot_count, 8);
	assert_int_equal(info.unpreserved_cs_reg_count, 4);
	assert_int_equal(info.pad, 0);

	tyrc_device_get_info(f->dev, &dev_info);
	assert_int_equal(dev_info.fw_iface_version, 0x01010000);
	assert_int_equal(dev_info.as_in_use, 0x1); /* only the MCU VM */
	assert_string_equal(dev_info.fw_git_sha, "tyrc-model-fw 0.1.0");
}

static void test_no_user_outside_ioctl(void **state)
{
	struct fixture *f = *state;
	struct drm_version v = {};

	tyrc_uaccess_end();
	assert_int_equal(do_ioctl(f->card, DRM_IOCTL_VERSION, &v), -EFAULT);
	tyrc_uaccess_begin(&tyrc_uaccess_self, NULL);
}

/* The uAPI decoders and the register field definitions must agree. */
static void test_uapi_matches_regs(void **state)
{
	static const u32 ids[] = { 0xa8670005, 0x12345678, 0xffffffff, 0 };

	for (unsigned int i = 0; i < ARRAY_SIZE(ids); i++) {
		u32 id = ids[i];

		assert_int_equal(DRM_PANTHOR_ARCH_MAJOR(id), FIELD_GET(GPU_ID_ARCH_MAJOR, id));
		assert_int_equal(DRM_PANTHOR_ARCH_MINOR(id), FIELD_GET(GPU_ID_ARCH_MINOR, id));
		assert_int_equal(DRM_PANTHOR_ARCH_REV(id), FIELD_GET(GPU_ID_ARCH_REV, id));
		assert_int_equal(DRM_PANTHOR_PRODUCT_MAJOR(id),
				 FIELD_GET(GPU_ID_PRODUCT_MAJOR, id));
		assert_int_equal(DRM_PANTHOR_VERSION_MAJOR(id),
				 FIELD_GET(GPU_ID_VERSION_MAJOR, id));
		assert_int_equal(DRM_PANTHOR_VERSION_MINOR(id),
				 FIELD_GET(GPU_ID_VERSION_MINOR, id));
		assert_int_equal(DRM_PANTHOR_VERSION_STATUS(id),
				 FIELD_GET(GPU_ID_VERSION_STATUS, id));
		assert_int_equal(DRM_PANTHOR_CSHW_MAJOR(id), FIELD_GET(GPU_CSF_ID_CSHW_MAJOR, id));
		assert_int_equal(DRM_PANTHOR_CSHW_MINOR(id), FIELD_GET(GPU_CSF_ID_CSHW_MINOR, id));
		assert_int_equal(DRM_PANTHOR_CSHW_REV(id), FIELD_GET(GPU_CSF_ID_CSHW_REV, id));
		assert_int_equal(DRM_PANTHOR_MCU_MAJOR(id), FIELD_GET(GPU_CSF_ID_MCU_MAJOR, id));
		assert_int_equal(DRM_PANTHOR_MCU_MINOR(id), FIELD_GET(GPU_CSF_ID_MCU_MINOR, id));
		assert_int_equal(DRM_PANTHOR_MCU_REV(id), FIELD_GET(GPU_CSF_ID_MCU_REV, id));
		assert_int_equal(DRM_PANTHOR_MMU_VA_BITS(id),
				 FIELD_GET(GPU_MMU_FEATURES_VA_BITS, id));
	}
}

/* Register table: no two registers overlap, and the named constants are its offsets. */
static void test_register_table(void **state)
{
	unsigned int n = tyrc_regs_count();

	for (unsigned int i = 0; i < n; i++) {
		const struct tyrc_reg_desc *a = tyrc_regs_at(i);

		assert_true(a->width == 32 || a->width == 64);
		assert_int_equal(a->offset % 4, 0);
		assert_true(a->offset < TYRC_GPU_MMIO_SIZE);
		for (unsigned int j = i + 1; j < n; j++) {
			const struct tyrc_reg_desc *b = tyrc_regs_at(j);

			assert_true(a->offset + a->width / 8 <= b->offset ||
				    b->offset + b->width / 8 <= a->offset);
		}
	}
	assert_string_equal(tyrc_regs_lookup(GPU_ID)->name, "GPU_ID");
	assert_string_equal(tyrc_regs_lookup(GPU_SHADER_PRESENT + 4)->name, "GPU_SHADER_PRESENT");
	assert_string_equal(tyrc_regs_lookup(JOB_INT_MASK)->name, "JOB_INT_MASK");
	assert_string_equal(tyrc_regs_lookup(MMU_AS(3) + AS_TRANSCFG)->name, "AS3_TRANSCFG");
	assert_null(tyrc_regs_lookup(0x3fc));
	assert_int_equal(tyrc_gpu_cmd_soft_reset(), 0x101);
	assert_int_equal(tyrc_gpu_cmd_flush_caches(GPU_CACHE_OP_CLEAN_INVALIDATE,
						   GPU_CACHE_OP_CLEAN_INVALIDATE,
						   GPU_CACHE_OP_NONE),
			 0x3304);
	assert_int_equal(tyrc_gpu_cmd_flush_caches(GPU_CACHE_OP_CLEAN_INVALIDATE,
						   GPU_CACHE_OP_CLEAN_INVALIDATE,
						   GPU_CACHE_OP_INVALIDATE),
			 0x23304);
}

/* uAPI layouts: sizes and offsets from the reference (LP64). */
static void test_uapi_layout(void **state)
{
	assert_int_equal(sizeof(struct drm_panthor_gpu_info), 112);
	assert_int_equal(offsetof(struct drm_panthor_gpu_info, shader_present), 72);
	assert_int_equal(offsetof(struct drm_panthor_gpu_info, core_features), 96);
	assert_int_equal(offsetof(struct drm_panthor_gpu_info, gpu_features), 104);
	assert_int_equal(sizeof(struct drm_panthor_csif_info), 24);
	assert_int_equal(sizeof(struct drm_panthor_timestamp_info), 56);
	assert_int_equal(sizeof(struct drm_panthor_vm_bind_op), 48);
	assert_int_equal(sizeof(struct drm_panthor_queue_submit), 40);
	assert_int_equal(sizeof(struct drm_panthor_group_create), 56);
	assert_int_equal(offsetof(struct drm_panthor_group_create, vm_id), 48);
	assert_int_equal(sizeof(struct drm_panthor_tiler_heap_create), 40);
	assert_int_equal(DRM_IOCTL_PANTHOR_DEV_QUERY, 0xC0106440);
	assert_int_equal(DRM_IOCTL_PANTHOR_VM_BIND, 0xC0186443);
	assert_int_equal(DRM_IOCTL_PANTHOR_GROUP_CREATE, 0xC0386447);
	assert_int_equal(DRM_IOCTL_PANTHOR_GROUP_GET_STATE, 0xC010644A);
	assert_int_equal(DRM_IOCTL_PANTHOR_TILER_HEAP_CREATE, 0xC028644B);
	assert_int_equal(DRM_IOCTL_PANTHOR_SET_USER_MMIO_OFFSET, 0xC008644E);
	assert_int_equal(DRM_IOCTL_PANTHOR_BO_QUERY_INFO, 0xC0106450);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_probe_info, setup, teardown),
		cmocka_unit_test_setup_teardown(test_l2_powered_after_probe, setup, teardown),
		cmocka_unit_test_setup_teardown(test_version, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ioctl_dispatch_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_master, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dev_query_gpu_info, setup, teardown),
		cmocka_unit_test_setup_teardown(test_group_priorities, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csif_info, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_user_outside_ioctl, setup, teardown),
		cmocka_unit_test(test_uapi_matches_regs),
		cmocka_unit_test(test_register_table),
		cmocka_unit_test(test_uapi_layout),
	};

	return cmocka_run_group_tests_name("driver", tests, NULL, NULL);
}
