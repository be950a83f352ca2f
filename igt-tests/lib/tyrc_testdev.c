// SPDX-License-Identifier: MIT
/*
 * The device of the driver-internal IGT tests: see tyrc_testdev.h.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

#include "igt.h"
#include "tyrc_testdev.h"

#define TESTDEV_RAM_BASE 0x80000000ull
#define TESTDEV_RAM_SIZE (128ull << 20)

void tyrc_testdev_init(struct tyrc_testdev *td, const struct tyrc_testdev_opts *opts)
{
	static const struct tyrc_testdev_opts defaults;
	struct tyrc_model_config mcfg;
	struct tyrc_device_config dcfg;
	struct tyrc_platform pdev;
	int ret;

	memset(td, 0, sizeof(*td));
	td->opts = opts ? *opts : defaults;
	opts = &td->opts;
	igt_assert_eq(tyrc_ram_create(opts->ram_base ?: TESTDEV_RAM_BASE,
				      opts->ram_size ?: TESTDEV_RAM_SIZE, &td->ram),
		      0);
	tyrc_model_config_init_g610(&mcfg);
	if (opts->model_config)
		opts->model_config(&mcfg);
	igt_assert_eq(tyrc_model_create(&mcfg, td->ram, &td->model), 0);
	pdev = (struct tyrc_platform){
		.iomem = tyrc_model_iomem(td->model),
		.irq_job = tyrc_model_irq_line(td->model, TYRC_MODEL_IRQ_JOB),
		.irq_mmu = tyrc_model_irq_line(td->model, TYRC_MODEL_IRQ_MMU),
		.irq_gpu = tyrc_model_irq_line(td->model, TYRC_MODEL_IRQ_GPU),
		.ram = td->ram,
		.timestamp_frequency_hz = mcfg.timestamp_frequency_hz,
	};
	tyrc_device_config_init(&dcfg);
	if (opts->device_config)
		opts->device_config(&dcfg);
	if (opts->no_firmware) {
		dcfg.no_firmware = true;
	} else {
		td->fw_path[0] = opts->fw_dir ?: TYRC_FW_DIR;
		dcfg.firmware_path = td->fw_path;
	}
	if (opts->log_probe)
		tyrc_testdev_log_begin(td, TYRC_LOG_INFO);
	ret = tyrc_device_probe(&pdev, &dcfg, &td->dev);
	if (opts->log_probe) {
		td->probe_log = tyrc_testdev_log_end(td);
		igt_debug("probe log:\n%s", td->probe_log);
	}
	igt_assert_eq(ret, opts->probe_ret);
	if (ret)
		return;
	if (opts->open_file)
		td->file = tyrc_testdev_open(td, TYRC_MINOR_RENDER, 0);
	if (opts->self_uaccess) {
		tyrc_uaccess_begin(&tyrc_uaccess_self, NULL);
		td->uaccess = true;
	}
}

void tyrc_testdev_init_client(struct tyrc_testdev *td, const char *comm)
{
	const struct tyrc_testdev_opts opts = {
		.open_file = true,
		.comm = comm,
		.self_uaccess = true,
	};

	tyrc_testdev_init(td, &opts);
}

void tyrc_testdev_fini(struct tyrc_testdev *td)
{
	if (td->uaccess)
		tyrc_uaccess_end();
	if (td->file)
		tyrc_drm_release(td->file);
	if (td->dev)
		tyrc_device_remove(td->dev);
	if (td->model)
		tyrc_model_destroy(td->model);
	if (td->ram)
		tyrc_ram_destroy(td->ram);
	if (td->log)
		free(tyrc_testdev_log_end(td));
	free(td->probe_log);
	memset(td, 0, sizeof(*td));
}

struct tyrc_file *tyrc_testdev_open(struct tyrc_testdev *td, enum tyrc_minor_type minor, u32 uid)
{
	struct tyrc_client client = { .pid = getpid(), .uid = uid };
	struct tyrc_file *file;

	if (td->opts.comm)
		strncpy(client.comm, td->opts.comm, sizeof(client.comm) - 1);
	igt_assert_eq(tyrc_drm_open(td->dev, minor, &client, &file), 0);
	return file;
}

int tyrc_testdev_file_ioctl(struct tyrc_file *file, unsigned int cmd, void *arg)
{
	return (int)tyrc_drm_ioctl(file, cmd, (u64)(uintptr_t)arg);
}

int tyrc_testdev_ioctl(struct tyrc_testdev *td, unsigned int cmd, void *arg)
{
	return tyrc_testdev_file_ioctl(td->file, cmd, arg);
}

void tyrc_testdev_log_begin(struct tyrc_testdev *td, enum tyrc_log_level level)
{
	igt_assert(!td->log);
	td->log_text = NULL;
	td->log_len = 0;
	td->log = open_memstream(&td->log_text, &td->log_len);
	igt_assert(td->log);
	tyrc_log_set_sink(td->log, level);
}

const char *tyrc_testdev_log_text(struct tyrc_testdev *td)
{
	igt_assert(td->log);
	igt_assert_eq(fflush(td->log), 0);
	return td->log_text;
}

char *tyrc_testdev_log_end(struct tyrc_testdev *td)
{
	char *text;

	igt_assert(td->log);
	tyrc_log_set_sink(td->opts.log_restore, TYRC_LOG_ERR);
	fclose(td->log);
	text = td->log_text;
	td->log = NULL;
	td->log_text = NULL;
	td->log_len = 0;
	return text;
}

u8 *tyrc_testdev_cpu_map(struct tyrc_testdev *td, struct tyrc_file *file, u64 offset, u64 len,
			 struct tyrc_vm_area *vma)
{
	u8 *base = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	u64 pos = 0;

	igt_assert(base != MAP_FAILED);
	*vma = (struct tyrc_vm_area){
		.offset = offset,
		.len = len,
		.prot = PROT_READ | PROT_WRITE,
		.flags = MAP_SHARED,
	};
	igt_assert_eq(tyrc_drm_mmap(file, vma), 0);
	for (u32 i = 0; i < vma->nr_ranges; i++) {
		const struct tyrc_vm_area_range *r = &vma->ranges[i];

		igt_assert(mmap(base + pos, r->len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
				tyrc_ram_fd(td->ram),
				(off_t)(r->phys - tyrc_ram_base(td->ram))) != MAP_FAILED);
		pos += r->len;
	}
	igt_assert_eq_u64(pos, len);
	return base;
}
