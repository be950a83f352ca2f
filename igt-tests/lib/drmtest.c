// SPDX-License-Identifier: MIT
/*
 * drmtest.c - finding and opening DRM devices the way IGT does.
 */

/**
 * DOC: device discovery
 *
 * drm_open_driver() probes the primary nodes /dev/dri/card0 .. card15 in
 * order (render nodes renderD128 .. only through drm_open_driver_render()):
 * stat() the path (a node that cannot be stat()ed counts as already opened),
 * open(path, O_RDWR), read the driver name with DRM_IOCTL_VERSION and accept
 * the node if the name's modules[] bit is in the requested chipset mask, or,
 * with DRIVER_ANY and IGT_FORCE_DRIVER set, if the name equals the forced
 * driver. This is the sequence in reference/igt-api.md section 5, including
 * the extra VERSION calls upstream makes for its i915/xe checks, so that a
 * fake-device shim sees the same calls as under real IGT.
 *
 * Not implemented: --device/IGT_DEVICE filters (they need udev) and loading
 * kernel modules when nothing matches (there is no kernel driver here).
 */

#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>

#include "drmtest.h"
#include "ioctl_wrappers.h"

static const struct module {
	unsigned int bit;
	const char *module;
} modules[] = {
	{ DRIVER_AMDGPU, "amdgpu" },	 { DRIVER_INTEL, "i915" },
	{ DRIVER_MSM, "msm" },		 { DRIVER_PANFROST, "panfrost" },
	{ DRIVER_PANTHOR, "panthor" },	 { DRIVER_V3D, "v3d" },
	{ DRIVER_VC4, "vc4" },		 { DRIVER_VGEM, "vgem" },
	{ DRIVER_VIRTIO, "virtio_gpu" }, { DRIVER_VKMS, "vkms" },
	{ DRIVER_VMWGFX, "vmwgfx" },	 { DRIVER_XE, "xe" },
};

static char forced_driver_name[16];

/* Devices opened by drm_open_driver_another(), indexed by device index. */
static struct {
	int fd;
	struct stat stat;
} opened_fds[64];
static int opened_fds_count;

int __get_drm_device_name(int fd, char *name, int name_size)
{
	drm_version_t version;

	memset(&version, 0, sizeof(version));
	version.name_len = name_size;
	version.name = name;

	return drmIoctl(fd, DRM_IOCTL_VERSION, &version) ? -1 : 0;
}

static bool is_device(int fd, const char *expect)
{
	char name[12] = "";

	if (__get_drm_device_name(fd, name, sizeof(name) - 1))
		return false;

	return strcmp(expect, name) == 0;
}

void __set_forced_driver(const char *name)
{
	if (!name) {
		igt_warn("No driver specified, keep default behaviour\n");
		return;
	}

	snprintf(forced_driver_name, sizeof(forced_driver_name), "%s", name);
}

static const char *forced_driver(void)
{
	return forced_driver_name[0] ? forced_driver_name : NULL;
}

static void modulename_to_chipset(const char *name, unsigned int *chip)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(modules); i++) {
		if (!strcmp(modules[i].module, name)) {
			*chip = modules[i].bit;
			return;
		}
	}
}

unsigned int drm_get_chipset(int fd)
{
	unsigned int chip = DRIVER_ANY;
	char name[32] = "";

	if (__get_drm_device_name(fd, name, sizeof(name) - 1))
		return chip;

	modulename_to_chipset(name, &chip);
	return chip;
}

static const char *chipset_to_str(int chipset)
{
	size_t i;

	if (chipset == DRIVER_INTEL)
		return "intel";

	for (i = 0; i < ARRAY_SIZE(modules); i++)
		if ((int)modules[i].bit == chipset)
			return modules[i].module;

	return chipset == DRIVER_ANY ? "any" : "other";
}

/* The first open of a path is logged at info level, later ones at debug. */
static void log_opened_device_path(const char *path)
{
	static char *paths[32];
	static int count;
	int i;

	for (i = 0; i < count; i++) {
		if (!strcmp(paths[i], path)) {
			igt_debug("Opened previously opened device: %s\n", path);
			return;
		}
	}

	if (count < (int)ARRAY_SIZE(paths)) {
		paths[count] = strdup(path);
		igt_assert(paths[count]);
		count++;
	}
	igt_info("Opened device: %s\n", path);
}

int __drm_open_device(const char *name, unsigned int chipset)
{
	unsigned int chip = DRIVER_ANY;
	char dev_name[16] = "";
	const char *forced;
	int fd;

	fd = open(name, O_RDWR);
	if (fd == -1)
		return -1;

	if (__get_drm_device_name(fd, dev_name, sizeof(dev_name) - 1) == -1)
		goto err;

	/* With DRIVER_ANY, a forced driver matches even if it is not listed. */
	forced = forced_driver();
	if (forced && chipset == (unsigned int)DRIVER_ANY) {
		if (strcmp(forced, dev_name)) {
			igt_debug("Expected driver \"%s\" but got \"%s\"\n", forced, dev_name);
			goto err;
		}
		goto opened;
	}

	modulename_to_chipset(dev_name, &chip);
	if ((chipset & chip) != chip)
		goto err;

opened:
	log_opened_device_path(name);
	return fd;

err:
	close(fd);
	return -1;
}

static void set_opened_fd(int idx, int fd)
{
	assert(idx < (int)ARRAY_SIZE(opened_fds));
	assert(idx <= opened_fds_count);

	opened_fds[idx].fd = fd;
	igt_assert(fstat(fd, &opened_fds[idx].stat) == 0);
	opened_fds_count = idx + 1;
}

static bool is_already_opened(const char *path, int as_idx)
{
	struct stat st;
	int i;

	assert(as_idx < (int)ARRAY_SIZE(opened_fds));
	assert(as_idx <= opened_fds_count);

	/* A node we cannot even stat() is of no use: claim it is taken. */
	if (igt_debug_on(stat(path, &st) != 0))
		return true;

	for (i = 0; i < as_idx; i++) {
		/* All DRM nodes live on one filesystem. */
		assert(opened_fds[i].stat.st_dev == st.st_dev);
		if (opened_fds[i].stat.st_ino == st.st_ino)
			return true;
	}

	return false;
}

static int search_and_open(const char *base, int offset, unsigned int chipset, int as_idx)
{
	const char *forced = forced_driver();
	int i;

	if (forced)
		igt_debug("Force option used: Using driver %s\n", forced);

	for (i = 0; i < 16; i++) {
		char name[80];
		int fd;

		snprintf(name, sizeof(name), "%s%u", base, i + offset);
		if (is_already_opened(name, as_idx))
			continue;

		fd = __drm_open_device(name, chipset);
		if (fd != -1)
			return fd;
	}

	return -1;
}

int __drm_open_driver_another(int idx, int chipset)
{
	int fd = search_and_open("/dev/dri/card", 0, chipset, idx);

	if (fd >= 0) {
		set_opened_fd(idx, fd);
		/* Upstream caches xe devices here: keep its VERSION call. */
		is_device(fd, "xe");
	}

	return fd;
}

int drm_open_driver_another(int idx, int chipset)
{
	int fd = __drm_open_driver_another(idx, chipset);

	igt_skip_on_f(fd < 0, "No known gpu found for chipset flags %d (%s)\n", chipset,
		      chipset_to_str(chipset));

	return fd;
}

int __drm_open_driver(int chipset)
{
	return __drm_open_driver_another(0, chipset);
}

int drm_open_driver(int chipset)
{
	int fd = __drm_open_driver(chipset);

	/* "0x%u" is upstream's exact (decimal) spelling. */
	igt_skip_on_f(fd < 0, "No known gpu found for chipset flags 0x%u (%s)\n",
		      (unsigned int)chipset, chipset_to_str(chipset));

	/* Upstream idles i915 here: keep its VERSION call. */
	is_device(fd, "i915");

	return fd;
}

int drm_open_driver_master(int chipset)
{
	int fd = drm_open_driver(chipset);

	igt_require_f(drmSetMaster(fd) == 0,
		      "Can't become DRM master, please check if no other DRM client is running.\n");

	return fd;
}

int __drm_open_driver_render(int chipset)
{
	int fd = search_and_open("/dev/dri/renderD", 128, chipset, 0);

	if (fd >= 0)
		is_device(fd, "xe");

	return fd;
}

int drm_open_driver_render(int chipset)
{
	int fd = __drm_open_driver_render(chipset);

	/* No render node: fall back to the primary node. */
	if (fd == -1)
		return drm_open_driver(chipset);

	return fd;
}

int drm_reopen_driver(int fd)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	fd = open(path, O_RDWR);
	igt_assert_fd(fd);
	is_device(fd, "xe");

	return fd;
}

/* Only fds that point at a DRM node may be closed by drm_close_driver(). */
static bool is_valid_fd(int fd)
{
	char path[64];
	char buf[PATH_MAX];
	ssize_t len;

	if (fd < 0)
		return false;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	len = readlink(path, buf, sizeof(buf) - 1);
	if (len <= 0)
		return false;
	buf[len] = '\0';

	return !strncmp(buf, "/dev/dri/card", strlen("/dev/dri/card")) ||
	       !strncmp(buf, "/dev/dri/renderD", strlen("/dev/dri/renderD"));
}

int __drm_close_driver(int fd)
{
	if (!is_valid_fd(fd))
		return -1;

	is_device(fd, "xe");

	return close(fd);
}

int drm_close_driver(int fd)
{
	if (!is_valid_fd(fd)) {
		igt_warn("Don't attempt to close standard/invalid file descriptor: %d\n", fd);
		return -1;
	}

	return __drm_close_driver(fd);
}
