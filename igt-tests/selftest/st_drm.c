// SPDX-License-Identifier: MIT
/* Self-test: drmtest and ioctl wrappers without a GPU. */

#include <fcntl.h>

#include "igt.h"

static int fake_ioctl_calls;

static int fake_ioctl(int fd, unsigned long request, void *arg)
{
	fake_ioctl_calls++;
	errno = ENODEV;
	return -1;
}

igt_main
{
	int null_fd = -1;

	igt_fixture {
		null_fd = open("/dev/null", O_RDWR);
		igt_assert_fd(null_fd);
	}

	igt_subtest("ioctl-err") {
		struct drm_version version = {};

		do_ioctl_err(null_fd, DRM_IOCTL_VERSION, &version, ENOTTY);
		igt_assert_eq(__gem_close(null_fd, 1), -ENOTTY);
	}

	igt_subtest("ioctl-override") {
		int (*saved)(int, unsigned long, void *) = igt_ioctl;
		struct drm_gem_close arg = {};

		igt_ioctl = fake_ioctl;
		do_ioctl_err(null_fd, DRM_IOCTL_GEM_CLOSE, &arg, ENODEV);
		igt_ioctl = saved;
		igt_assert_eq(fake_ioctl_calls, 1);
	}

	igt_subtest("reopen") {
		int fd = drm_reopen_driver(null_fd);

		igt_assert_neq(fd, null_fd);
		close(fd);
	}

	igt_subtest("close-invalid") {
		/* Not a DRM node: refused with a warning, fd stays open. */
		igt_assert_eq(drm_close_driver(null_fd), -1);
		igt_assert_eq(__drm_close_driver(null_fd), -1);
		igt_assert(fcntl(null_fd, F_GETFD) >= 0);
	}

	igt_subtest("no-device")
		drm_open_driver(DRIVER_PANTHOR);

	igt_subtest("no-device-raw")
		igt_assert_eq(__drm_open_driver(DRIVER_PANTHOR), -1);

	igt_fixture
		close(null_fd);
}
