// SPDX-License-Identifier: MIT
/*
 * Basic checks of DRM sync objects (upstream IGT's syncobj_basic subtests),
 * plus sharing a syncobj fd with another process over a UNIX socket.
 */
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xf86drm.h>

#include "igt.h"
#include "igt_syncobj.h"

IGT_TEST_DESCRIPTION("Basic check for drm sync objects.");

static void send_fd(int sock, int fd)
{
	char buf[CMSG_SPACE(sizeof(int))] = { 0 };
	char byte = 0;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1, .msg_control = buf, .msg_controllen = sizeof(buf)
	};
	struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);

	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
	igt_assert_eq(sendmsg(sock, &msg, 0), 1);
}

static int recv_fd(int sock)
{
	char buf[CMSG_SPACE(sizeof(int))] = { 0 };
	char byte;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1, .msg_control = buf, .msg_controllen = sizeof(buf)
	};
	int fd;

	igt_assert_eq(recvmsg(sock, &msg, 0), 1);
	igt_assert(CMSG_FIRSTHDR(&msg));
	memcpy(&fd, CMSG_DATA(CMSG_FIRSTHDR(&msg)), sizeof(int));
	return fd;
}

igt_main
{
	int fd = -1;

	igt_fixture {
		uint64_t value = 0;

		fd = drm_open_driver(DRIVER_PANTHOR);
		igt_require(drmGetCap(fd, DRM_CAP_SYNCOBJ, &value) == 0 && value);
	}

	igt_describe("Destroying an unknown handle fails with EINVAL.");
	igt_subtest("bad-destroy") {
		struct drm_syncobj_destroy destroy = { .handle = 0xdeadbeef };

		do_ioctl_err(fd, DRM_IOCTL_SYNCOBJ_DESTROY, &destroy, EINVAL);
	}

	igt_describe("Unknown creation flags fail with EINVAL.");
	igt_subtest("bad-create-flags") {
		struct drm_syncobj_create create = { .flags = 0xdeadbeef };

		do_ioctl_err(fd, DRM_IOCTL_SYNCOBJ_CREATE, &create, EINVAL);
	}

	igt_describe("Exporting an unknown handle fails with EINVAL.");
	igt_subtest("bad-handle-to-fd") {
		struct drm_syncobj_handle handle = { .handle = 0xdeadbeef };

		igt_assert_eq(__syncobj_handle_to_fd(fd, &handle), -EINVAL);
	}

	igt_describe("Importing fd -1 fails with EINVAL.");
	igt_subtest("bad-fd-to-handle") {
		struct drm_syncobj_handle handle = { .fd = -1 };

		igt_assert_eq(__syncobj_fd_to_handle(fd, &handle), -EINVAL);
	}

	igt_describe("Unknown HANDLE_TO_FD flags fail with EINVAL.");
	igt_subtest("bad-flags-handle-to-fd") {
		struct drm_syncobj_handle handle = { .flags = 0xdeadbeef };

		igt_assert_eq(__syncobj_handle_to_fd(fd, &handle), -EINVAL);
	}

	igt_describe("Unknown FD_TO_HANDLE flags fail with EINVAL.");
	igt_subtest("bad-flags-fd-to-handle") {
		struct drm_syncobj_handle handle = { .flags = 0xdeadbeef };

		igt_assert_eq(__syncobj_fd_to_handle(fd, &handle), -EINVAL);
	}

	igt_describe("A non-zero pad in HANDLE_TO_FD fails with EINVAL.");
	igt_subtest("bad-pad-handle-to-fd") {
		struct drm_syncobj_handle handle = { .pad = 0xdeadbeef };

		igt_assert_eq(__syncobj_handle_to_fd(fd, &handle), -EINVAL);
	}

	igt_describe("A non-zero pad in FD_TO_HANDLE fails with EINVAL.");
	igt_subtest("bad-pad-fd-to-handle") {
		struct drm_syncobj_handle handle = { .pad = 0xdeadbeef };

		igt_assert_eq(__syncobj_fd_to_handle(fd, &handle), -EINVAL);
	}

	igt_describe(
		"Importing a descriptor that is not a syncobj (the DRM fd) fails with EINVAL.");
	igt_subtest("illegal-fd-to-handle") {
		struct drm_syncobj_handle handle = { .fd = fd };

		igt_assert_eq(__syncobj_fd_to_handle(fd, &handle), -EINVAL);
	}

	igt_describe("DESTROY with a non-zero pad fails with EINVAL and keeps the handle.");
	igt_subtest("bad-destroy-pad") {
		struct drm_syncobj_destroy destroy = { .handle = syncobj_create(fd, 0),
						       .pad = 0xdeadbeef };

		do_ioctl_err(fd, DRM_IOCTL_SYNCOBJ_DESTROY, &destroy, EINVAL);
		syncobj_destroy(fd, destroy.handle);
	}

	igt_describe("A syncobj created signalled can be waited on at once.");
	igt_subtest("create-signaled") {
		uint32_t syncobj = syncobj_create(fd, DRM_SYNCOBJ_CREATE_SIGNALED);

		igt_assert_eq(syncobj_wait_err(fd, &syncobj, 1, 0, 0), 0);
		syncobj_destroy(fd, syncobj);
	}

	igt_describe("Export then import gives a new handle (no de-duplication).");
	igt_subtest("test-valid-cycle") {
		uint32_t first = syncobj_create(fd, 0), second;
		int sfd = syncobj_handle_to_fd(fd, first, 0);

		igt_assert(fcntl(sfd, F_GETFD) & FD_CLOEXEC);
		second = syncobj_fd_to_handle(fd, sfd, 0);
		close(sfd);
		igt_assert_neq(first, second);
		syncobj_destroy(fd, first);
		syncobj_destroy(fd, second);
	}

	igt_describe(
		"A syncobj fd passed to another process over a UNIX socket shares the object.");
	igt_subtest("fd-passing") {
		uint32_t syncobj = syncobj_create(fd, 0);
		int sv[2], sfd;

		igt_assert_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
		sfd = syncobj_handle_to_fd(fd, syncobj, 0);
		igt_fork(child, 1) {
			int cfd = drm_open_driver(DRIVER_PANTHOR);
			int rfd = recv_fd(sv[1]);
			uint32_t h = syncobj_fd_to_handle(cfd, rfd, 0);

			close(rfd);
			syncobj_signal(cfd, &h, 1);
			drm_close_driver(cfd);
		}
		send_fd(sv[0], sfd);
		close(sfd);
		igt_waitchildren();
		/* The object outlived the child's file and our fd: signalled. */
		igt_assert_eq(syncobj_wait_err(fd, &syncobj, 1, 0, 0), 0);
		syncobj_destroy(fd, syncobj);
		close(sv[0]);
		close(sv[1]);
	}

	igt_fixture {
		drm_close_driver(fd);
	}
}
