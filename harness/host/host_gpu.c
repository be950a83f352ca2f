// SPDX-License-Identifier: MIT
/*
 * DOC: Host GPU
 *
 * The device a real host serves: the board's RAM, the Mali-G610 model,
 * described to the driver as a platform device (MMIO window, three
 * interrupt lines, the RAM), and the driver probed on it.
 *
 * Firmware search path: the directories of $TYRC_FIRMWARE_PATH
 * (colon-separated) if set, else the build's own firmware output (where
 * tyrc-mkfw writes arm/mali/arch10.8/mali_csffw.bin), then the system's
 * /lib/firmware/updates and /lib/firmware, as request_firmware() searches.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tyrc_host.h"
#include "tyrc_job_regs.h"
#include "tyrc_model.h"

/* The board's RAM: 1 GiB at 2 GiB (2 MiB aligned, below the 40-bit PA limit). */
#define HOST_RAM_BASE 0x80000000ULL
#define HOST_RAM_SIZE (1ULL << 30)
/* The GPU's MMIO window: RK3588 "gpu@fb000000" (below RAM, as on the board). */
#define HOST_GPU_MMIO_PHYS 0xfb000000ULL

#define HOST_FW_PATH_MAX 16

/** struct tyrc_host_gpu - the RAM, a model and the device probed on it. */
struct tyrc_host_gpu {
	struct tyrc_ram *ram;
	struct tyrc_model *model;
	struct tyrc_device *dev;
	/** @fw_dirs: storage for @fw_path's strings; @fw_path: NULL-terminated. */
	char *fw_dirs;
	const char *fw_path[HOST_FW_PATH_MAX + 1];
};

static void host_gpu_firmware_path(struct tyrc_host_gpu *gpu)
{
	const char *env = getenv("TYRC_FIRMWARE_PATH");
	unsigned int n = 0;

	if (env && *env && (gpu->fw_dirs = strdup(env))) {
		for (char *save, *dir = strtok_r(gpu->fw_dirs, ":", &save);
		     dir && n < HOST_FW_PATH_MAX; dir = strtok_r(NULL, ":", &save))
			gpu->fw_path[n++] = dir;
	} else {
		gpu->fw_path[n++] = TYRC_BUILD_FIRMWARE_DIR;
		gpu->fw_path[n++] = "/lib/firmware/updates";
		gpu->fw_path[n++] = "/lib/firmware";
	}
	gpu->fw_path[n] = NULL;
}

/* Set *@val from $@name when it holds an integer in [@min, UINT32_MAX]. */
static void host_gpu_env_u32(const char *name, u32 min, u32 *val)
{
	const char *env = getenv(name);
	unsigned long v;
	char *end;

	if (!env || !*env)
		return;
	errno = 0;
	v = strtoul(env, &end, 10);
	if (*end || errno || v < min || v > UINT32_MAX) {
		tyrc_warn("host: ignoring %s=%s", name, env);
		return;
	}
	*val = (u32)v;
}

/*
 * The host's configuration knobs, so suites can shorten timeouts and
 * exercise policies: $TYRC_JOB_TIMEOUT_MS (panthor's 5000), $TYRC_AUTOSUSPEND_MS
 * (50; 0 keeps the GPU powered) and $TYRC_ALLOW_HIGH_PRIORITY (1 lets
 * every client create HIGH and REALTIME groups).
 */
static void host_gpu_config_from_env(struct tyrc_device_config *dcfg)
{
	u32 allow = dcfg->allow_high_priority;

	host_gpu_env_u32("TYRC_JOB_TIMEOUT_MS", 1, &dcfg->job_timeout_ms);
	host_gpu_env_u32("TYRC_AUTOSUSPEND_MS", 0, &dcfg->autosuspend_ms);
	host_gpu_env_u32("TYRC_ALLOW_HIGH_PRIORITY", 0, &allow);
	dcfg->allow_high_priority = allow != 0;
}

int tyrc_host_gpu_create(struct tyrc_host_gpu **out)
{
	struct tyrc_model_config mcfg;
	struct tyrc_device_config dcfg;
	struct tyrc_platform pdev;
	struct tyrc_host_gpu *gpu;
	int ret;

	gpu = calloc(1, sizeof(*gpu));
	if (!gpu)
		return -ENOMEM;
	ret = tyrc_ram_create(HOST_RAM_BASE, HOST_RAM_SIZE, &gpu->ram);
	if (ret) {
		tyrc_err("host: cannot create the board RAM: %s", strerror(-ret));
		goto err_free;
	}
	tyrc_model_config_init_g610(&mcfg);
	ret = tyrc_model_create(&mcfg, gpu->ram, &gpu->model);
	if (ret) {
		tyrc_err("host: cannot create the GPU model: %s", strerror(-ret));
		goto err_ram;
	}
	pdev = (struct tyrc_platform){
		.iomem = tyrc_model_iomem(gpu->model),
		.irq_job = tyrc_model_irq_line(gpu->model, TYRC_MODEL_IRQ_JOB),
		.irq_mmu = tyrc_model_irq_line(gpu->model, TYRC_MODEL_IRQ_MMU),
		.irq_gpu = tyrc_model_irq_line(gpu->model, TYRC_MODEL_IRQ_GPU),
		.ram = gpu->ram,
		.mmio_phys = HOST_GPU_MMIO_PHYS,
		/* The GPU timestamp counts the SoC's system timer. */
		.timestamp_frequency_hz = mcfg.timestamp_frequency_hz,
		/* The device tree's GPU clock: the model's (1 GHz, RK3588's top OPP). */
		.gpu_clock_hz = mcfg.gpu_frequency_hz,
	};
	tyrc_device_config_init(&dcfg);
	host_gpu_config_from_env(&dcfg);
	host_gpu_firmware_path(gpu);
	dcfg.firmware_path = gpu->fw_path;
	ret = tyrc_device_probe(&pdev, &dcfg, &gpu->dev);
	if (ret) {
		tyrc_err("host: driver probe failed: %s", strerror(-ret));
		goto err_model;
	}
	*out = gpu;
	return 0;

err_model:
	tyrc_model_destroy(gpu->model);
err_ram:
	tyrc_ram_destroy(gpu->ram);
err_free:
	free(gpu->fw_dirs);
	free(gpu);
	return ret;
}

int tyrc_host_gpu_phys_to_fd(void *priv, u64 phys, u64 len, int *fd, u64 *fd_offset)
{
	struct tyrc_host_gpu *gpu = priv;
	u64 flush_id = HOST_GPU_MMIO_PHYS + CSF_GPU_LATEST_FLUSH_ID;

	if (tyrc_ram_contains(gpu->ram, phys, len)) {
		*fd = tyrc_ram_fd(gpu->ram);
		*fd_offset = phys - tyrc_ram_base(gpu->ram);
		return 0;
	}
	if (phys == flush_id && len == CSF_GPU_LATEST_FLUSH_ID_PAGE_SIZE) {
		*fd = tyrc_model_flush_id_page_fd(gpu->model);
		*fd_offset = 0;
		return 0;
	}
	return -EINVAL;
}

struct tyrc_device *tyrc_host_gpu_device(struct tyrc_host_gpu *gpu)
{
	return gpu->dev;
}

void tyrc_host_gpu_destroy(struct tyrc_host_gpu *gpu)
{
	if (!gpu)
		return;
	tyrc_device_remove(gpu->dev);
	tyrc_model_destroy(gpu->model);
	tyrc_ram_destroy(gpu->ram);
	free(gpu->fw_dirs);
	free(gpu);
}
