// SPDX-License-Identifier: MIT
/*
 * The firmware layer through the driver's own API (no host, no shim): probe
 * boots our model firmware and Arm's real image, rejects every image of the
 * malformed corpus with the loader's exact reason in the kernel log, fails
 * cleanly without firmware, halts the MCU on suspend and restarts it, and a
 * firmware that stops answering the watchdog gets the GPU reset.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "igt.h"
#include "panthor_drm.h"
#include "tyrc_drv.h"
#include "tyrc_fw_image.h"
#include "tyrc_gpu_regs.h"
#include "tyrc_model.h"
#include "tyrc_testdev.h"
#include <tyrc/firmware.h>

IGT_TEST_DESCRIPTION("Firmware loading, validation, boot, halt and watchdog of the driver.");

#define FW_NAME "arm/mali/arch10.8/mali_csffw.bin"
#define WAIT_MS 5000

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Build RAM + model and probe the driver with @fw_dir as the only firmware
 * directory, capturing the probe log; probe must return @ret.
 */
static void gpu_probe(struct tyrc_testdev *g, const char *fw_dir, int ret,
		      void (*device_config)(struct tyrc_device_config *dcfg))
{
	const struct tyrc_testdev_opts opts = {
		.device_config = device_config,
		.fw_dir = fw_dir,
		.probe_ret = ret,
		.log_probe = true,
	};

	tyrc_testdev_init(g, &opts);
}

static void fast_pings(struct tyrc_device_config *cfg)
{
	cfg->fw_ping_interval_ms = 2;
}

static void fast_ping_timeout(struct tyrc_device_config *cfg)
{
	cfg->fw_ping_interval_ms = 2;
	cfg->fw_ping_timeout_ms = 20;
}

/* mkdtemp() in /tmp: the template's last six characters must be 'X'. */
static char *make_temp_dir(char *buf, size_t len, const char *prefix)
{
	snprintf(buf, len, "/tmp/%s-000000", prefix);
	memset(buf + strlen(buf) - 6, 'X', 6);
	return mkdtemp(buf);
}

/* A directory holding @image as the G610 firmware; the caller frees the path. */
static char *fw_dir_with(const char *image)
{
	char tmpl[64], path[512];
	char *dir = make_temp_dir(tmpl, sizeof(tmpl), "tyrc-fw");

	igt_assert(dir);
	dir = strdup(dir);
	snprintf(path, sizeof(path), "%s/arm", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/arm/mali", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/arm/mali/arch10.8", dir);
	igt_assert_eq(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/" FW_NAME, dir);
	igt_assert_eq(symlink(image, path), 0);
	return dir;
}

static void fw_dir_remove(char *dir)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	igt_assert_eq(system(cmd), 0);
	free(dir);
}

/* The loader's own verdict on @image, to compare with what probe logged. */
static void parse_error(const char *image, char *err, size_t len)
{
	const struct tyrc_firmware *fw;
	const char *path[] = { "/", NULL };
	struct tyrc_fw_image img;

	igt_assert_eq(tyrc_request_firmware(&fw, image + 1, path), 0);
	igt_assert_eq(tyrc_fw_image_parse(fw->data, fw->size, &img, err, len), -EINVAL);
	tyrc_fw_image_fini(&img);
	tyrc_release_firmware(fw);
}

static void assert_booted(struct tyrc_testdev *g)
{
	struct tyrc_device_info info;

	tyrc_device_get_info(g->dev, &info);
	igt_assert_eq_u32(info.fw_iface_version, 0x01010000);
	igt_assert_eq_u32(info.csg_count, 8);
	igt_assert_eq_u32(info.cs_count, 8);
	igt_assert_f(info.as_in_use & 1, "AS 0 (the MCU VM) not in use: 0x%x\n", info.as_in_use);
	igt_assert_eq_u32(tyrc_ioread32(tyrc_model_iomem(g->model), MCU_STATUS),
			  MCU_STATUS_ENABLED);
}

static uint32_t info_u32(struct tyrc_testdev *g, size_t offset)
{
	struct tyrc_device_info info;

	tyrc_device_get_info(g->dev, &info);
	return *(uint32_t *)((char *)&info + offset);
}

/* Bounded poll for a device_info counter to reach @want. */
static bool wait_info(struct tyrc_testdev *g, size_t offset, uint32_t want)
{
	uint64_t deadline = now_ms() + WAIT_MS;

	while (info_u32(g, offset) < want) {
		if (now_ms() > deadline)
			return false;
		usleep(500);
	}
	return true;
}

igt_main
{
	igt_describe("Our model firmware boots: interface 1.1.0, 8 groups x 8 streams, AS 0.");
	igt_subtest("boot") {
		struct tyrc_testdev g;
		struct tyrc_device_info info;

		gpu_probe(&g, TYRC_FW_DIR, 0, NULL);
		assert_booted(&g);
		tyrc_device_get_info(g.dev, &info);
		igt_assert_eq(strcmp(info.fw_git_sha, "tyrc-model-fw 0.1.0"), 0);
		igt_assert(strstr(g.probe_log, "firmware: interface v1.1.0, 8 groups x 8 streams"));
		tyrc_testdev_fini(&g);
	}

	igt_describe("Arm's real arch10.8 image is accepted and boots in the emulated way.");
	igt_subtest("boot-arm-image") {
		struct tyrc_testdev g;
		struct tyrc_device_info info;
		char image[512];

		snprintf(image, sizeof(image), "%s/" FW_NAME, TYRC_ARM_FW_DIR);
		igt_require_f(access(image, R_OK) == 0, "%s not present\n", image);
		gpu_probe(&g, TYRC_ARM_FW_DIR, 0, NULL);
		assert_booted(&g);
		tyrc_device_get_info(g.dev, &info);
		igt_assert(strncmp(info.fw_git_sha, "95a25d7", 7) == 0);
		tyrc_testdev_fini(&g);
	}

	igt_describe("Without a firmware file probe fails with ENOENT and says so.");
	igt_subtest("missing-firmware") {
		char tmpl[64];
		struct tyrc_testdev g;

		igt_assert(make_temp_dir(tmpl, sizeof(tmpl), "tyrc-nofw"));
		gpu_probe(&g, tmpl, -ENOENT, NULL);
		igt_assert(strstr(g.probe_log, "not found on the firmware search path"));
		igt_assert(!g.dev);
		g.dev = NULL;
		tyrc_testdev_fini(&g);
		rmdir(tmpl);
	}

	igt_describe("Every malformed image is rejected at probe with the loader's reason.");
	igt_subtest_with_dynamic("reject-malformed") {
		DIR *d = opendir(TYRC_FW_CORPUS_DIR);
		struct dirent *e;

		igt_require(d);
		while ((e = readdir(d))) {
			char image[512], err[160], *dir, *dot;
			struct tyrc_testdev g;

			if (!(dot = strstr(e->d_name, ".bin")) || dot[4])
				continue;
			snprintf(image, sizeof(image), "%s/%s", TYRC_FW_CORPUS_DIR, e->d_name);
			*dot = '\0';
			igt_dynamic_f("%s", e->d_name) {
				parse_error(image, err, sizeof(err));
				dir = fw_dir_with(image);
				gpu_probe(&g, dir, -EINVAL, NULL);
				igt_assert_f(strstr(g.probe_log, err), "log lacks \"%s\":\n%s", err,
					     g.probe_log);
				igt_assert(!g.dev);
				tyrc_testdev_fini(&g);
				fw_dir_remove(dir);
			}
		}
		closedir(d);
	}

	igt_describe("Suspend halts and stops the MCU and powers the L2 off; resume restarts it.");
	igt_subtest("suspend-resume") {
		struct tyrc_iomem *io;
		struct tyrc_testdev g;

		gpu_probe(&g, TYRC_FW_DIR, 0, fast_pings);
		io = tyrc_model_iomem(g.model);
		for (int cycle = 0; cycle < 3; cycle++) {
			uint32_t pings;

			igt_assert_eq(tyrc_device_suspend(g.dev), 0);
			igt_assert_eq_u32(tyrc_ioread32(io, MCU_STATUS), MCU_STATUS_DISABLED);
			igt_assert_eq_u64(tyrc_ioread64(io, GPU_L2_READY), 0);
			igt_assert_eq(tyrc_device_resume(g.dev), 0);
			assert_booted(&g);
			/* The watchdog runs again and the firmware answers it. */
			pings = info_u32(&g, offsetof(struct tyrc_device_info, fw_ping_count));
			igt_assert(wait_info(&g, offsetof(struct tyrc_device_info, fw_ping_count),
					     pings + 2));
		}
		tyrc_testdev_fini(&g);
	}

	igt_describe("A firmware that stops answering the watchdog gets the GPU reset.");
	igt_subtest("watchdog-reset") {
		struct tyrc_testdev g;
		uint32_t pings;

		gpu_probe(&g, TYRC_FW_DIR, 0, fast_ping_timeout);
		igt_assert(wait_info(&g, offsetof(struct tyrc_device_info, fw_ping_count), 1));
		tyrc_model_mcu_set_unresponsive(g.model, true);
		igt_assert(wait_info(&g, offsetof(struct tyrc_device_info, reset_count), 1));
		/* After the reset the firmware is back and answers pings again. */
		assert_booted(&g);
		pings = info_u32(&g, offsetof(struct tyrc_device_info, fw_ping_count));
		igt_assert(
			wait_info(&g, offsetof(struct tyrc_device_info, fw_ping_count), pings + 2));
		tyrc_testdev_fini(&g);
	}
}
