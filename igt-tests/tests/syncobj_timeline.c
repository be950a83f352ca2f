// SPDX-License-Identifier: MIT
/*
 * Timeline syncobjs (upstream IGT's syncobj_timeline subset): signal and
 * query points, TIMELINE_WAIT with WAIT_ALL / WAIT_AVAILABLE /
 * WAIT_FOR_SUBMIT and absolute timeouts, TRANSFER, point export.
 */
#include <poll.h>
#include <pthread.h>
#include <unistd.h>
#include <xf86drm.h>

#include "igt.h"
#include "igt_syncobj.h"

IGT_TEST_DESCRIPTION("Tests for the drm timeline sync object API");

#define SHORT_NS (20 * 1000 * 1000LL)

struct point_signaller {
	int fd;
	uint32_t handle;
	uint64_t point;
};

static void *point_thread(void *arg)
{
	struct point_signaller *s = arg;

	usleep(SHORT_NS / 1000);
	syncobj_timeline_signal(s->fd, &s->handle, &s->point, 1);
	return NULL;
}

igt_main
{
	int fd = -1;

	igt_fixture {
		uint64_t value = 0;

		fd = drm_open_driver(DRIVER_PANTHOR);
		igt_require(drmGetCap(fd, DRM_CAP_SYNCOBJ_TIMELINE, &value) == 0 && value);
	}

	igt_describe("Unknown timeline wait flags, zero handles, bad handles.");
	igt_subtest("invalid-wait-bad-flags") {
		uint32_t syncobj = syncobj_create(fd, 0);
		uint64_t point = 1;

		igt_assert_eq(syncobj_timeline_wait_err(fd, &syncobj, &point, 1, 0, 0xdeadbeef),
			      -EINVAL);
		igt_assert_eq(syncobj_timeline_wait_err(fd, &syncobj, &point, 0, 0, 0), -EINVAL);
		syncobj_destroy(fd, syncobj);
		igt_assert_eq(syncobj_timeline_wait_err(fd, &syncobj, &point, 1, 0, 0), -ENOENT);
	}

	igt_describe("QUERY, TIMELINE_SIGNAL: zero handles and unknown flags fail with EINVAL.");
	igt_subtest("invalid-query-signal-args") {
		uint32_t syncobj = syncobj_create(fd, 0);
		uint64_t point = 0;

		igt_assert_eq(__syncobj_timeline_query(fd, &syncobj, &point, 0, 0), -EINVAL);
		igt_assert_eq(__syncobj_timeline_query(fd, &syncobj, &point, 1, 0xdead), -EINVAL);
		igt_assert_eq(__syncobj_timeline_signal(fd, &syncobj, &point, 0), -EINVAL);
		syncobj_destroy(fd, syncobj);
	}

	igt_describe(
		"Signalled points are reported by QUERY; LAST_SUBMITTED gives the last point.");
	igt_subtest("query-signaled-points") {
		uint32_t syncobj = syncobj_create(fd, 0);
		uint64_t point = 0, p;

		syncobj_timeline_query(fd, &syncobj, &point, 1);
		igt_assert_eq_u64(point, 0);
		for (p = 1; p <= 5; p++)
			syncobj_timeline_signal(fd, &syncobj, &p, 1);
		syncobj_timeline_query(fd, &syncobj, &point, 1);
		igt_assert_eq_u64(point, 5);
		igt_assert_eq(__syncobj_timeline_query(fd, &syncobj, &point, 1,
						       DRM_SYNCOBJ_QUERY_FLAGS_LAST_SUBMITTED),
			      0);
		igt_assert_eq_u64(point, 5);
		syncobj_destroy(fd, syncobj);
	}

	igt_describe("Waiting on a point not yet signalled: EINVAL, ETIME with WAIT_FOR_SUBMIT.");
	igt_subtest("wait-for-submit-unsubmitted") {
		uint32_t syncobj = syncobj_create(fd, 0);
		uint64_t point = 3, one = 1;
		int64_t start;

		syncobj_timeline_signal(fd, &syncobj, &one, 1);
		igt_assert_eq(syncobj_timeline_wait_err(fd, &syncobj, &point, 1, 0, 0), -EINVAL);
		start = syncobj_gettime_ns();
		igt_assert_eq(syncobj_timeline_wait_err(fd, &syncobj, &point, 1, start + SHORT_NS,
							DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT),
			      -ETIME);
		igt_assert(syncobj_gettime_ns() - start >= SHORT_NS);
		/* Earlier points are signalled already. */
		igt_assert(syncobj_timeline_wait(fd, &syncobj, &one, 1, 0, 0, NULL));
		syncobj_destroy(fd, syncobj);
	}

	igt_describe("WAIT_AVAILABLE and WAIT_FOR_SUBMIT return once a thread signals the point.");
	igt_subtest("wait-available-delayed-signal") {
		struct point_signaller s = { .fd = fd,
					     .handle = syncobj_create(fd, 0),
					     .point = 7 };
		uint64_t point = 7;
		pthread_t thread;

		igt_assert_eq(pthread_create(&thread, NULL, point_thread, &s), 0);
		igt_assert(syncobj_timeline_wait(fd, &s.handle, &point, 1,
						 syncobj_gettime_ns() + 5000 * 1000000LL,
						 DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE, NULL));
		igt_assert(syncobj_timeline_wait(
			fd, &s.handle, &point, 1, syncobj_gettime_ns() + 5000 * 1000000LL,
			DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT | DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL,
			NULL));
		pthread_join(thread, NULL);
		syncobj_destroy(fd, s.handle);
	}

	igt_describe("WAIT_ALL over several timelines; any reports first_signaled.");
	igt_subtest("multi-wait-all-available") {
		uint32_t s[2] = { syncobj_create(fd, 0), syncobj_create(fd, 0) };
		uint64_t points[2] = { 2, 4 }, p = 4;
		uint32_t first = ~0u;

		syncobj_timeline_signal(fd, &s[1], &p, 1);
		igt_assert(syncobj_timeline_wait(fd, s, points, 2, 0,
						 DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT, &first));
		igt_assert_eq(first, 1);
		igt_assert(!syncobj_timeline_wait(fd, s, points, 2, syncobj_gettime_ns() + SHORT_NS,
						  DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL |
							  DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT,
						  NULL));
		p = 2;
		syncobj_timeline_signal(fd, &s[0], &p, 1);
		igt_assert(syncobj_timeline_wait(fd, s, points, 2, 0,
						 DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL, NULL));
		syncobj_destroy(fd, s[0]);
		syncobj_destroy(fd, s[1]);
	}

	igt_describe("TRANSFER between binary and timeline syncobjs.");
	igt_subtest("transfer-timeline-point") {
		uint32_t bin = syncobj_create(fd, DRM_SYNCOBJ_CREATE_SIGNALED);
		uint32_t tl = syncobj_create(fd, 0), bin2 = syncobj_create(fd, 0);
		uint64_t point = 0, p10 = 10;

		igt_assert_eq(__syncobj_transfer(fd, tl, 10, 0xdead, 0, 0), -ENOENT);
		syncobj_transfer(fd, tl, 10, bin, 0, 0);
		igt_assert(syncobj_timeline_wait(fd, &tl, &p10, 1, 0, 0, NULL));
		syncobj_timeline_query(fd, &tl, &point, 1);
		igt_assert_eq_u64(point, 10);
		syncobj_transfer(fd, bin2, 0, tl, 10, 0);
		igt_assert_eq(syncobj_wait_err(fd, &bin2, 1, 0, 0), 0);
		/* A point that does not exist: EINVAL without WAIT_FOR_SUBMIT. */
		igt_assert_eq(__syncobj_transfer(fd, bin2, 0, tl, 11, 0), -EINVAL);
		syncobj_destroy(fd, bin);
		syncobj_destroy(fd, bin2);
		syncobj_destroy(fd, tl);
	}

	igt_describe("A timeline point exports as a pollable sync_file and imports at a point.");
	igt_subtest("point-sync-file") {
		uint32_t tl = syncobj_create(fd, 0), tl2 = syncobj_create(fd, 0);
		uint64_t p = 3, out = 0;
		struct pollfd pfd;
		struct tyrc_drm_syncobj_handle imp;
		int sf;

		syncobj_timeline_signal(fd, &tl, &p, 1);
		sf = syncobj_export_sync_file(fd, tl, 3);
		pfd = (struct pollfd){ .fd = sf, .events = POLLIN };
		igt_assert_eq(poll(&pfd, 1, 1000), 1);
		imp = (struct tyrc_drm_syncobj_handle){
			.handle = tl2,
			.flags = DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_IMPORT_SYNC_FILE |
				 DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_TIMELINE,
			.fd = sf,
			.point = 9,
		};
		do_ioctl(fd, TYRC_DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE, &imp);
		syncobj_timeline_query(fd, &tl2, &out, 1);
		igt_assert_eq_u64(out, 9);
		close(sf);
		syncobj_destroy(fd, tl);
		syncobj_destroy(fd, tl2);
	}

	igt_fixture {
		drm_close_driver(fd);
	}
}
