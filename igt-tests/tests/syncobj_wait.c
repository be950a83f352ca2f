// SPDX-License-Identifier: MIT
/*
 * SYNCOBJ_WAIT (upstream IGT's syncobj_wait subset): argument checks,
 * absolute timeouts (ETIME), WAIT_ALL / any with first_signaled,
 * WAIT_FOR_SUBMIT with a signalling thread and process, reset; sync_file
 * export with poll, MERGE and FILE_INFO.
 */
#include <poll.h>
#include <pthread.h>
#include <unistd.h>
#include <xf86drm.h>

#include "igt.h"
#include "igt_syncobj.h"

IGT_TEST_DESCRIPTION("Tests for the drm sync object wait API");

#define SHORT_NS (20 * 1000 * 1000LL)

struct signaller {
	int fd;
	uint32_t handle;
	int64_t delay_ns;
};

static void *signal_thread(void *arg)
{
	struct signaller *s = arg;

	usleep(s->delay_ns / 1000);
	syncobj_signal(s->fd, &s->handle, 1);
	return NULL;
}

igt_main
{
	int fd = -1;

	igt_fixture {
		uint64_t value = 0;

		fd = drm_open_driver(DRIVER_PANTHOR);
		igt_require(drmGetCap(fd, DRM_CAP_SYNCOBJ, &value) == 0 && value);
	}

	igt_describe("Unknown wait flags fail with EINVAL.");
	igt_subtest("invalid-wait-bad-flags") {
		uint32_t syncobj = syncobj_create(fd, 0);
		struct drm_syncobj_wait wait = { .handles = (uintptr_t)&syncobj,
						 .count_handles = 1,
						 .flags = 0xdeadbeef };

		igt_assert_eq(__syncobj_wait(fd, &wait), -EINVAL);
		syncobj_destroy(fd, syncobj);
	}

	igt_describe("A wait on zero handles fails with EINVAL.");
	igt_subtest("invalid-wait-zero-handles") {
		struct drm_syncobj_wait wait = { 0 };

		igt_assert_eq(__syncobj_wait(fd, &wait), -EINVAL);
	}

	igt_describe("A wait on an unknown handle fails with ENOENT.");
	igt_subtest("invalid-wait-illegal-handle") {
		uint32_t handle = 0;

		igt_assert_eq(syncobj_wait_err(fd, &handle, 1, 0, 0), -ENOENT);
	}

	igt_describe("Waiting on an empty syncobj without WAIT_FOR_SUBMIT fails with EINVAL.");
	igt_subtest("invalid-single-wait-unsubmitted") {
		uint32_t syncobj = syncobj_create(fd, 0);

		igt_assert_eq(syncobj_wait_err(fd, &syncobj, 1, 0, 0), -EINVAL);
		syncobj_destroy(fd, syncobj);
	}

	igt_describe("RESET and SIGNAL on zero handles, or with a pad, fail with EINVAL.");
	igt_subtest("invalid-reset-signal-args") {
		uint32_t syncobj = syncobj_create(fd, 0);
		struct drm_syncobj_array array = { .handles = (uintptr_t)&syncobj,
						   .count_handles = 1,
						   .pad = 1 };

		igt_assert_eq(__syncobj_reset(fd, &syncobj, 0), -EINVAL);
		igt_assert_eq(__syncobj_signal(fd, &syncobj, 0), -EINVAL);
		do_ioctl_err(fd, DRM_IOCTL_SYNCOBJ_RESET, &array, EINVAL);
		do_ioctl_err(fd, DRM_IOCTL_SYNCOBJ_SIGNAL, &array, EINVAL);
		syncobj_destroy(fd, syncobj);
	}

	igt_describe(
		"WAIT_FOR_SUBMIT on an empty syncobj times out with ETIME at the absolute time.");
	igt_subtest("wait-for-submit-unsubmitted") {
		uint32_t syncobj = syncobj_create(fd, 0);
		int64_t start = syncobj_gettime_ns();

		igt_assert_eq(syncobj_wait_err(fd, &syncobj, 1, start + SHORT_NS,
					       DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT),
			      -ETIME);
		igt_assert(syncobj_gettime_ns() - start >= SHORT_NS);
		/* 0 and past timeouts only poll. */
		igt_assert_eq(syncobj_wait_err(fd, &syncobj, 1, 0,
					       DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT),
			      -ETIME);
		syncobj_destroy(fd, syncobj);
	}

	igt_describe("Signal, reset, signal: the wait follows the current fence.");
	igt_subtest("reset-signaled") {
		uint32_t syncobj = syncobj_create(fd, DRM_SYNCOBJ_CREATE_SIGNALED);

		igt_assert_eq(syncobj_wait_err(fd, &syncobj, 1, 0, 0), 0);
		syncobj_reset(fd, &syncobj, 1);
		igt_assert_eq(syncobj_wait_err(fd, &syncobj, 1, 0, 0), -EINVAL);
		syncobj_signal(fd, &syncobj, 1);
		igt_assert_eq(syncobj_wait_err(fd, &syncobj, 1, 0, 0), 0);
		syncobj_destroy(fd, syncobj);
	}

	igt_describe("Without WAIT_ALL the first signalled entry is reported; WAIT_ALL needs all.");
	igt_subtest("multi-wait-some-submitted-signaled") {
		uint32_t s[3] = { syncobj_create(fd, 0), syncobj_create(fd, 0),
				  syncobj_create(fd, 0) };
		uint32_t first = ~0u;

		syncobj_signal(fd, &s[1], 1);
		igt_assert(syncobj_wait(fd, s, 3, syncobj_gettime_ns() + SHORT_NS,
					DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT, &first));
		igt_assert_eq(first, 1);
		igt_assert(!syncobj_wait(fd, s, 3, syncobj_gettime_ns() + SHORT_NS,
					 DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL |
						 DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT,
					 NULL));
		syncobj_signal(fd, s, 3);
		igt_assert(syncobj_wait(fd, s, 3, 0, DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL, NULL));
		for (int i = 0; i < 3; i++)
			syncobj_destroy(fd, s[i]);
	}

	igt_describe("WAIT_FOR_SUBMIT returns once another thread signals.");
	igt_subtest("wait-for-submit-delayed-submit") {
		struct signaller s = { .fd = fd,
				       .handle = syncobj_create(fd, 0),
				       .delay_ns = SHORT_NS };
		pthread_t thread;

		igt_assert_eq(pthread_create(&thread, NULL, signal_thread, &s), 0);
		igt_assert(syncobj_wait(fd, &s.handle, 1, syncobj_gettime_ns() + 5000 * 1000000LL,
					DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT, NULL));
		pthread_join(thread, NULL);
		syncobj_destroy(fd, s.handle);
	}

	igt_describe("WAIT_FOR_SUBMIT returns once another process signals the shared syncobj.");
	igt_subtest("wait-for-submit-other-process") {
		uint32_t syncobj = syncobj_create(fd, 0);
		int sfd = syncobj_handle_to_fd(fd, syncobj, 0);

		igt_fork(child, 1) {
			int cfd = drm_open_driver(DRIVER_PANTHOR);
			uint32_t h = syncobj_fd_to_handle(cfd, sfd, 0);

			usleep(SHORT_NS / 1000);
			syncobj_signal(cfd, &h, 1);
			drm_close_driver(cfd);
		}
		igt_assert(syncobj_wait(fd, &syncobj, 1, syncobj_gettime_ns() + 5000 * 1000000LL,
					DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT, NULL));
		igt_waitchildren();
		close(sfd);
		syncobj_destroy(fd, syncobj);
	}

	igt_describe(
		"An exported sync_file is a real fd: POLLIN once signalled, FILE_INFO status.");
	igt_subtest("sync-file-poll") {
		uint32_t syncobj = syncobj_create(fd, DRM_SYNCOBJ_CREATE_SIGNALED);
		struct sync_file_info info = { 0 };
		struct pollfd pfd;
		int sf;

		/* Empty syncobj: nothing to export. */
		syncobj_reset(fd, &syncobj, 1);
		{
			struct drm_syncobj_handle h = {
				.handle = syncobj,
				.flags = DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE,
			};
			igt_assert_eq(__syncobj_handle_to_fd(fd, &h), -EINVAL);
		}
		syncobj_signal(fd, &syncobj, 1);
		sf = syncobj_export_sync_file(fd, syncobj, 0);
		pfd = (struct pollfd){ .fd = sf, .events = POLLIN };
		igt_assert_eq(poll(&pfd, 1, 1000), 1);
		igt_assert(pfd.revents & POLLIN);
		do_ioctl(sf, SYNC_IOC_FILE_INFO, &info);
		igt_assert_eq(info.status, 1);
		igt_assert_eq(info.num_fences, 1);
		info.flags = 1;
		do_ioctl_err(sf, SYNC_IOC_FILE_INFO, &info, EINVAL);
		close(sf);
		syncobj_destroy(fd, syncobj);
	}

	igt_describe("MERGE two sync_files; import the result into a syncobj.");
	igt_subtest("sync-file-merge") {
		uint32_t a = syncobj_create(fd, DRM_SYNCOBJ_CREATE_SIGNALED);
		uint32_t b = syncobj_create(fd, DRM_SYNCOBJ_CREATE_SIGNALED);
		uint32_t c = syncobj_create(fd, 0);
		struct sync_merge_data merge = { .name = "merged" };
		struct sync_file_info info = { 0 };
		int fa = syncobj_export_sync_file(fd, a, 0);
		int fb = syncobj_export_sync_file(fd, b, 0);

		merge.fd2 = fb;
		do_ioctl(fa, SYNC_IOC_MERGE, &merge);
		igt_assert(merge.fence >= 0);
		do_ioctl(merge.fence, SYNC_IOC_FILE_INFO, &info);
		igt_assert_eq(info.status, 1);
		igt_assert(!strcmp(info.name, "merged"));
		merge.fd2 = fd; /* not a sync_file */
		do_ioctl_err(fa, SYNC_IOC_MERGE, &merge, ENOENT);
		syncobj_import_sync_file(fd, c, merge.fence);
		igt_assert_eq(syncobj_wait_err(fd, &c, 1, 0, 0), 0);
		close(merge.fence);
		close(fa);
		close(fb);
		syncobj_destroy(fd, a);
		syncobj_destroy(fd, b);
		syncobj_destroy(fd, c);
	}

	igt_fixture {
		drm_close_driver(fd);
	}
}
