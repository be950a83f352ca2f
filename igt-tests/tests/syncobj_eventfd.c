// SPDX-License-Identifier: MIT
/*
 * SYNCOBJ_EVENTFD (upstream IGT's syncobj_eventfd subset): argument
 * checks, binary and timeline points signalled before and after the
 * registration, WAIT_AVAILABLE.
 */
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <xf86drm.h>

#include "igt.h"
#include "igt_syncobj.h"

IGT_TEST_DESCRIPTION("Tests for the drm sync object eventfd API");

/* Whether @ev_fd's counter becomes non-zero within @ms. */
static bool ev_fd_poll_in(int ev_fd, int ms)
{
	struct pollfd pfd = { .fd = ev_fd, .events = POLLIN };
	uint64_t value;

	if (poll(&pfd, 1, ms) != 1)
		return false;
	igt_assert_eq(read(ev_fd, &value, sizeof(value)), sizeof(value));
	igt_assert_eq_u64(value, 1);
	return true;
}

igt_main
{
	int fd = -1;

	igt_fixture {
		uint64_t value = 0;

		fd = drm_open_driver(DRIVER_PANTHOR);
		igt_require(drmGetCap(fd, DRM_CAP_SYNCOBJ_TIMELINE, &value) == 0 && value);
	}

	igt_describe("Unknown flags and a non-zero pad fail with EINVAL.");
	igt_subtest("invalid-bad-flags-pad") {
		uint32_t syncobj = syncobj_create(fd, 0);
		int ev_fd = eventfd(0, EFD_CLOEXEC);
		struct drm_syncobj_eventfd args = { .handle = syncobj, .fd = ev_fd, .pad = 1 };

		igt_assert_eq(__syncobj_eventfd(fd, syncobj, 0, 0xdeadbeef, ev_fd), -EINVAL);
		do_ioctl_err(fd, DRM_IOCTL_SYNCOBJ_EVENTFD, &args, EINVAL);
		close(ev_fd);
		syncobj_destroy(fd, syncobj);
	}

	igt_describe("An unknown handle fails with ENOENT.");
	igt_subtest("invalid-illegal-handle") {
		int ev_fd = eventfd(0, EFD_CLOEXEC);

		igt_assert_eq(__syncobj_eventfd(fd, 0xdeadbeef, 0, 0, ev_fd), -ENOENT);
		close(ev_fd);
	}

	igt_describe(
		"A descriptor that is not an eventfd fails with EINVAL, a closed one with EBADF.");
	igt_subtest("invalid-illegal-eventfd") {
		uint32_t syncobj = syncobj_create(fd, 0);
		int ev_fd = eventfd(0, EFD_CLOEXEC);

		igt_assert_eq(__syncobj_eventfd(fd, syncobj, 0, 0, fd), -EINVAL);
		close(ev_fd);
		igt_assert_eq(__syncobj_eventfd(fd, syncobj, 0, 0, ev_fd), -EBADF);
		syncobj_destroy(fd, syncobj);
	}

	igt_describe("Binary: the eventfd fires when a later SIGNAL attaches a signalled fence.");
	igt_subtest("binary-wait-before-signal") {
		uint32_t syncobj = syncobj_create(fd, 0);
		int ev_fd = eventfd(0, EFD_CLOEXEC);

		syncobj_eventfd(fd, syncobj, 0, 0, ev_fd);
		igt_assert(!ev_fd_poll_in(ev_fd, 20));
		syncobj_signal(fd, &syncobj, 1);
		igt_assert(ev_fd_poll_in(ev_fd, 1000));
		close(ev_fd);
		syncobj_destroy(fd, syncobj);
	}

	igt_describe("Binary: an already signalled syncobj fires the eventfd at once.");
	igt_subtest("binary-wait-signaled") {
		uint32_t syncobj = syncobj_create(fd, DRM_SYNCOBJ_CREATE_SIGNALED);
		int ev_fd = eventfd(0, EFD_CLOEXEC);

		syncobj_eventfd(fd, syncobj, 0, 0, ev_fd);
		igt_assert(ev_fd_poll_in(ev_fd, 1000));
		close(ev_fd);
		syncobj_destroy(fd, syncobj);
	}

	igt_describe("Timeline: the eventfd fires when the point is signalled, not before.");
	igt_subtest("timeline-wait-before-signal") {
		uint32_t syncobj = syncobj_create(fd, 0);
		int ev_fd = eventfd(0, EFD_CLOEXEC);
		uint64_t p = 1;

		syncobj_eventfd(fd, syncobj, 2, 0, ev_fd);
		syncobj_timeline_signal(fd, &syncobj, &p, 1);
		igt_assert(!ev_fd_poll_in(ev_fd, 20));
		p = 2;
		syncobj_timeline_signal(fd, &syncobj, &p, 1);
		igt_assert(ev_fd_poll_in(ev_fd, 1000));
		close(ev_fd);
		syncobj_destroy(fd, syncobj);
	}

	igt_describe("Timeline: WAIT_AVAILABLE fires once the point exists.");
	igt_subtest("timeline-wait-available") {
		uint32_t syncobj = syncobj_create(fd, 0);
		int ev_fd = eventfd(0, EFD_CLOEXEC);
		uint64_t p = 5;

		syncobj_eventfd(fd, syncobj, 5, DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE, ev_fd);
		igt_assert(!ev_fd_poll_in(ev_fd, 20));
		syncobj_timeline_signal(fd, &syncobj, &p, 1);
		igt_assert(ev_fd_poll_in(ev_fd, 1000));
		close(ev_fd);
		syncobj_destroy(fd, syncobj);
	}

	igt_fixture {
		drm_close_driver(fd);
	}
}
