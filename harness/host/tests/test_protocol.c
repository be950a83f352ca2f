// SPDX-License-Identifier: MIT
/*
 * Host protocol tests: an in-process host on the fake driver, driven with
 * raw protocol messages (this test plays the shim). Covers opening files,
 * ioctls with the argument window and nested user copies, file
 * identification by descriptor, release on last close, a client vanishing
 * mid-ioctl, malformed and hostile messages, fdinfo and the profiling
 * attribute (parsing, permission), and stopping with clients still
 * connected.
 */
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "tyrc_host.h"
#include "tyrc_wire.h"
#include "fake_drm.h"

#define DEADLINE_MS 5000

struct fixture {
	struct tyrc_device *dev;
	struct tyrc_host *host;
	char path[108];
};

static u8 rbuf[TYRC_WIRE_MAX_MSG], sbuf[TYRC_WIRE_MAX_MSG];

static u64 now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000 + (u64)ts.tv_nsec / 1000000;
}

static unsigned int nr_files(struct fixture *f)
{
	return tyrc_drm_clients(f->dev, NULL, 0);
}

/* Poll until the device has @want open files, with a deadline. */
static bool wait_files(struct fixture *f, unsigned int want)
{
	u64 end = now_ms() + DEADLINE_MS;

	while (nr_files(f) != want) {
		if (now_ms() > end)
			return false;
		poll(NULL, 0, 2);
	}
	return true;
}

static int setup(void **state)
{
	struct tyrc_device_config dcfg;
	struct tyrc_host_config cfg = { 0 };
	struct fixture *f = calloc(1, sizeof(*f));

	tyrc_log_set_sink(NULL, TYRC_LOG_ERR);
	snprintf(f->path, sizeof(f->path), "/tmp/tyrc-test-proto-%d.sock", (int)getpid());
	tyrc_device_config_init(&dcfg);
	assert_int_equal(tyrc_device_probe(NULL, &dcfg, &f->dev), 0);
	cfg.socket_path = f->path;
	assert_int_equal(tyrc_host_start(f->dev, &cfg, &f->host), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	tyrc_host_stop(f->host);
	assert_int_equal(nr_files(f), 0);
	tyrc_device_remove(f->dev);
	free(f);
	return 0;
}

static int tc_connect(struct fixture *f)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);

	strcpy(addr.sun_path, f->path);
	assert_true(fd >= 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
	return fd;
}

static void tc_send(int c, const void *buf, size_t len, int fd)
{
	assert_int_equal(tyrc_wire_send(c, buf, len, &fd, fd >= 0 ? 1 : 0), 0);
}

/* Receive into rbuf; Return: size (0 = closed), *@fd = attached fd or -1. */
static ssize_t tc_recv(int c, int *fd)
{
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int) * 4)];
	} cbuf;
	struct iovec iov = { .iov_base = rbuf, .iov_len = sizeof(rbuf) };
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = cbuf.buf,
		.msg_controllen = sizeof(cbuf.buf),
	};
	struct cmsghdr *cmsg;
	ssize_t n = recvmsg(c, &msg, MSG_CMSG_CLOEXEC);

	if (fd)
		*fd = -1;
	for (cmsg = CMSG_FIRSTHDR(&msg); n > 0 && cmsg; cmsg = CMSG_NXTHDR(&msg, cmsg))
		if (cmsg->cmsg_type == SCM_RIGHTS && fd)
			memcpy(fd, CMSG_DATA(cmsg), sizeof(int));
	return n;
}

static int tc_open(int c, u32 type, int *fd)
{
	struct tyrc_wire_open req = { .minor_type = type };
	const struct tyrc_wire_open_reply *rep = (const void *)rbuf;
	ssize_t n;

	tyrc_wire_hdr_init(&req.hdr, TYRC_MSG_OPEN, sizeof(req));
	tc_send(c, &req, sizeof(req), -1);
	n = tc_recv(c, fd);
	assert_int_equal(tyrc_wire_check(rep, (size_t)n, TYRC_MSG_OPEN_REPLY, sizeof(*rep)), 0);
	return rep->err;
}

/* Addresses below this "fault" in our pretend user memory. */
#define FAULT_BELOW 0x10000

/*
 * Run an ioctl as the shim would, with user memory = this process.
 * Return: the host's ret; *@copies counts the nested copy requests.
 */
static long tc_ioctl(int c, int drmfd, u32 cmd, void *arg, bool window, int *copies)
{
	struct tyrc_wire_ioctl *req = (void *)sbuf;
	const struct tyrc_wire_ioctl_reply *rep = (const void *)rbuf;
	u32 size = window ? _IOC_SIZE(cmd) : 0;
	ssize_t n;

	memset(req, 0, sizeof(*req));
	req->cmd = cmd;
	req->arg = (u64)(uintptr_t)arg;
	if (window) {
		req->flags = TYRC_WIRE_IOCTL_WINDOW;
		req->win_len = size;
		memcpy(req->win, arg, size);
	}
	tyrc_wire_hdr_init(&req->hdr, TYRC_MSG_IOCTL, (u32)(sizeof(*req) + size));
	tc_send(c, req, sizeof(*req) + size, drmfd);
	if (copies)
		*copies = 0;
	for (;;) {
		const struct tyrc_wire_copy *cp = (const void *)rbuf;
		struct tyrc_wire_copy_reply *cr = (void *)sbuf;
		size_t len = sizeof(*cr);

		n = tc_recv(c, NULL);
		assert_true(n >= (ssize_t)sizeof(struct tyrc_wire_hdr));
		if (cp->hdr.type == TYRC_MSG_IOCTL_REPLY)
			break;
		if (copies)
			(*copies)++;
		memset(cr, 0, sizeof(*cr));
		if (cp->hdr.type == TYRC_MSG_COPY_FROM) {
			tyrc_wire_hdr_init(&cr->hdr, TYRC_MSG_COPY_DATA, 0);
			if (cp->addr < FAULT_BELOW) {
				cr->err = -EFAULT;
			} else {
				memcpy(cr->data, (void *)(uintptr_t)cp->addr, cp->len);
				cr->len = cp->len;
				len += cp->len;
			}
		} else {
			assert_int_equal(cp->hdr.type, TYRC_MSG_COPY_TO);
			tyrc_wire_hdr_init(&cr->hdr, TYRC_MSG_COPY_ACK, 0);
			if (cp->addr < FAULT_BELOW)
				cr->err = -EFAULT;
			else
				memcpy((void *)(uintptr_t)cp->addr, cp->data, cp->len);
		}
		cr->hdr.len = (u32)len;
		tc_send(c, cr, len, -1);
	}
	assert_int_equal(tyrc_wire_check(rep, (size_t)n, TYRC_MSG_IOCTL_REPLY, sizeof(*rep)), 0);
	assert_int_equal((size_t)n, sizeof(*rep) + rep->dirty_len);
	assert_true(rep->dirty_off + rep->dirty_len <= size);
	if (rep->dirty_len)
		memcpy((u8 *)arg + rep->dirty_off, rep->data, rep->dirty_len);
	return (long)rep->ret;
}

static void test_open_and_name(void **state)
{
	struct fixture *f = *state;
	struct sockaddr_un addr;
	socklen_t len = sizeof(addr);
	char name[64];
	int c = tc_connect(f), fd;

	assert_int_equal(tc_open(c, TYRC_MINOR_RENDER, &fd), 0);
	assert_true(fd >= 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&addr, &len), 0);
	assert_int_equal(addr.sun_path[0], '\0');
	memcpy(name, addr.sun_path + 1, len - offsetof(struct sockaddr_un, sun_path) - 1);
	name[len - offsetof(struct sockaddr_un, sun_path) - 1] = '\0';
	assert_int_equal(strncmp(name, "tyrc/", 5), 0);
	assert_non_null(strstr(name, "/128/"));
	assert_int_equal(nr_files(f), 1);

	/* Bad minor type and unknown flags are refused. */
	assert_int_equal(tc_open(c, 1, NULL), -ENXIO);

	close(fd);
	assert_true(wait_files(f, 0));
	close(c);
}

static void test_version_window_and_nested(void **state)
{
	struct fixture *f = *state;
	struct drm_version v;
	char name[32], desc[64], date[8];
	int c = tc_connect(f), fd, copies;

	assert_int_equal(tc_open(c, TYRC_MINOR_PRIMARY, &fd), 0);
	memset(&v, 0, sizeof(v));
	/* The struct itself is served from the window: no nested copies. */
	assert_int_equal(tc_ioctl(c, fd, DRM_IOCTL_VERSION, &v, true, &copies), 0);
	assert_int_equal(copies, 0);
	assert_int_equal(v.name_len, strlen(FAKE_DRIVER_NAME));
	assert_int_equal(v.version_major, FAKE_DRIVER_MAJOR);

	memset(name, 0, sizeof(name));
	memset(desc, 0, sizeof(desc));
	memset(date, 0, sizeof(date));
	v.name = name;
	v.name_len = sizeof(name) - 1;
	v.desc = desc;
	v.desc_len = sizeof(desc) - 1;
	v.date = date;
	v.date_len = sizeof(date) - 1;
	assert_int_equal(tc_ioctl(c, fd, DRM_IOCTL_VERSION, &v, true, &copies), 0);
	assert_int_equal(copies, 3);
	assert_string_equal(name, FAKE_DRIVER_NAME);
	assert_string_equal(desc, FAKE_DRIVER_DESC);
	assert_string_equal(date, FAKE_DRIVER_DATE);

	/* Without a window, the struct itself goes through nested copies too. */
	assert_int_equal(tc_ioctl(c, fd, DRM_IOCTL_VERSION, &v, false, &copies), 0);
	assert_int_equal(copies, 2 + 3);
	/* A faulting argument and a faulting nested pointer give EFAULT. */
	assert_int_equal(tc_ioctl(c, fd, DRM_IOCTL_VERSION, (void *)0x100, false, NULL), -EFAULT);
	v.name = (char *)0x200;
	assert_int_equal(tc_ioctl(c, fd, DRM_IOCTL_VERSION, &v, true, NULL), -EFAULT);
	close(fd);
	close(c);
	assert_true(wait_files(f, 0));
}

static void test_large_nested_copies(void **state)
{
	struct fixture *f = *state;
	size_t len = 3 * TYRC_WIRE_MAX_CHUNK + 123, i;
	u8 *src = malloc(len), *dst = calloc(1, len);
	struct fake_xform x = { .len = (u32)len };
	int c = tc_connect(f), fd, copies;

	for (i = 0; i < len; i++)
		src[i] = (u8)(i * 7);
	x.src = (u64)(uintptr_t)src;
	x.dst = (u64)(uintptr_t)dst;
	assert_int_equal(tc_open(c, TYRC_MINOR_RENDER, &fd), 0);
	assert_int_equal(tc_ioctl(c, fd, FAKE_IOCTL_XFORM, &x, true, &copies), 0);
	assert_int_equal(copies, 8); /* 4 chunks each way */
	for (i = 0; i < len; i++)
		assert_int_equal(dst[i], (u8)(src[i] ^ 0xa5));
	close(fd);
	close(c);
	free(src);
	free(dst);
}

static void test_file_identification(void **state)
{
	struct fixture *f = *state;
	struct fake_file_id a, b;
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int c = tc_connect(f), fd1, fd2, dup1, p[2], sv[2];
	const char fake[] = "\0tyrc/1/0/999";

	assert_int_equal(tc_open(c, TYRC_MINOR_PRIMARY, &fd1), 0);
	assert_int_equal(tc_open(c, TYRC_MINOR_RENDER, &fd2), 0);
	dup1 = dup(fd1);
	assert_int_equal(tc_ioctl(c, fd1, FAKE_IOCTL_FILE_ID, &a, true, NULL), 0);
	assert_int_equal(tc_ioctl(c, dup1, FAKE_IOCTL_FILE_ID, &b, true, NULL), 0);
	assert_int_equal(a.id, b.id);
	assert_int_equal(a.minor, 0);
	assert_int_equal(a.pid, getpid());
	assert_int_equal(tc_ioctl(c, fd2, FAKE_IOCTL_FILE_ID, &b, true, NULL), 0);
	assert_int_not_equal(a.id, b.id);
	assert_int_equal(b.minor, 128);

	/* Not one of ours: a pipe, an anonymous socket, a socket named like ours. */
	assert_int_equal(pipe(p), 0);
	assert_int_equal(tc_ioctl(c, p[0], FAKE_IOCTL_FILE_ID, &a, true, NULL), -EBADF);
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	assert_int_equal(tc_ioctl(c, sv[0], FAKE_IOCTL_FILE_ID, &a, true, NULL), -EBADF);
	memcpy(addr.sun_path, fake, sizeof(fake) - 1);
	assert_int_equal(bind(sv[1], (struct sockaddr *)&addr,
			      offsetof(struct sockaddr_un, sun_path) + sizeof(fake) - 1),
			 0);
	assert_int_equal(tc_ioctl(c, sv[1], FAKE_IOCTL_FILE_ID, &a, true, NULL), -ENODEV);
	/* No descriptor at all. */
	assert_int_equal(tc_ioctl(c, -1, FAKE_IOCTL_FILE_ID, &a, true, NULL), -EBADF);

	/* The file survives while a dup is open. */
	close(fd1);
	assert_int_equal(tc_ioctl(c, dup1, FAKE_IOCTL_FILE_ID, &b, true, NULL), 0);
	assert_int_equal(nr_files(f), 2);
	close(dup1);
	close(fd2);
	assert_true(wait_files(f, 0));
	close(p[0]);
	close(p[1]);
	close(sv[0]);
	close(sv[1]);
	close(c);
}

/* Send raw bytes (+ an fd), expect the host to drop the connection. */
static void expect_dropped(struct fixture *f, const void *msg, size_t len, int fd)
{
	int c = tc_connect(f);
	struct pollfd pfd = { .fd = c, .events = POLLIN };
	ssize_t n;

	tc_send(c, msg, len, fd);
	assert_int_equal(poll(&pfd, 1, DEADLINE_MS), 1);
	n = tc_recv(c, NULL);
	assert_int_equal(n, 0);
	close(c);
}

static void test_malformed_messages(void **state)
{
	struct fixture *f = *state;
	struct tyrc_wire_open open_req = { .minor_type = 0 };
	struct tyrc_wire_ioctl *ioc = (void *)sbuf;
	u8 junk[256];
	int c, fd, i;
	unsigned int seed = 1;

	/* Wrong version. */
	tyrc_wire_hdr_init(&open_req.hdr, TYRC_MSG_OPEN, sizeof(open_req));
	open_req.hdr.version = 99;
	expect_dropped(f, &open_req, sizeof(open_req), -1);
	/* Length field disagreeing with the packet. */
	tyrc_wire_hdr_init(&open_req.hdr, TYRC_MSG_OPEN, sizeof(open_req) + 8);
	expect_dropped(f, &open_req, sizeof(open_req), -1);
	/* Short packet, unknown type, a reply type. */
	expect_dropped(f, &open_req, 3, -1);
	tyrc_wire_hdr_init(&open_req.hdr, 77, sizeof(open_req));
	expect_dropped(f, &open_req, sizeof(open_req), -1);
	tyrc_wire_hdr_init(&open_req.hdr, TYRC_MSG_COPY_DATA, sizeof(open_req));
	expect_dropped(f, &open_req, sizeof(open_req), -1);
	/* An OPEN carrying a descriptor. */
	tyrc_wire_hdr_init(&open_req.hdr, TYRC_MSG_OPEN, sizeof(open_req));
	expect_dropped(f, &open_req, sizeof(open_req), 0);
	/* IOCTL window length beyond the packet / beyond the maximum / without the flag. */
	memset(ioc, 0, sizeof(*ioc));
	ioc->flags = TYRC_WIRE_IOCTL_WINDOW;
	ioc->win_len = 64;
	tyrc_wire_hdr_init(&ioc->hdr, TYRC_MSG_IOCTL, sizeof(*ioc) + 8);
	expect_dropped(f, ioc, sizeof(*ioc) + 8, -1);
	ioc->win_len = TYRC_WIRE_MAX_WINDOW + 1;
	tyrc_wire_hdr_init(&ioc->hdr, TYRC_MSG_IOCTL, sizeof(*ioc));
	expect_dropped(f, ioc, sizeof(*ioc), -1);
	ioc->flags = 0;
	ioc->win_len = 8;
	tyrc_wire_hdr_init(&ioc->hdr, TYRC_MSG_IOCTL, sizeof(*ioc) + 8);
	expect_dropped(f, ioc, sizeof(*ioc) + 8, -1);
	ioc->flags = 0x80;
	ioc->win_len = 0;
	tyrc_wire_hdr_init(&ioc->hdr, TYRC_MSG_IOCTL, sizeof(*ioc));
	expect_dropped(f, ioc, sizeof(*ioc), -1);

	/* Random garbage, with valid headers and random bodies. */
	for (i = 0; i < 200; i++) {
		struct tyrc_wire_hdr *h = (void *)junk;
		size_t len = sizeof(*h) + rand_r(&seed) % (sizeof(junk) - sizeof(*h));
		size_t k;
		struct pollfd pfd;

		for (k = 0; k < len; k++)
			junk[k] = (u8)rand_r(&seed);
		tyrc_wire_hdr_init(h, (u16)(1 + rand_r(&seed) % 16), (u32)len);
		c = tc_connect(f);
		tc_send(c, junk, len, -1);
		/* Either an answer or a disconnect; then leave. */
		pfd = (struct pollfd){ .fd = c, .events = POLLIN };
		poll(&pfd, 1, DEADLINE_MS);
		close(c);
	}
	assert_true(wait_files(f, 0));

	/* The host still serves a well-behaved client. */
	c = tc_connect(f);
	assert_int_equal(tc_open(c, TYRC_MINOR_PRIMARY, &fd), 0);
	close(fd);
	close(c);
	assert_true(wait_files(f, 0));
}

/* A bad COPY_DATA answer breaks the exchange; the file must still be released. */
static void test_bad_copy_reply(void **state)
{
	struct fixture *f = *state;
	struct drm_version v = { 0 };
	struct tyrc_wire_ioctl *req = (void *)sbuf;
	struct tyrc_wire_copy_reply cr = { 0 };
	int c = tc_connect(f), fd;
	ssize_t n;

	assert_int_equal(tc_open(c, TYRC_MINOR_PRIMARY, &fd), 0);
	memset(req, 0, sizeof(*req));
	req->cmd = DRM_IOCTL_VERSION;
	req->arg = (u64)(uintptr_t)&v;
	tyrc_wire_hdr_init(&req->hdr, TYRC_MSG_IOCTL, sizeof(*req));
	tc_send(c, req, sizeof(*req), fd);
	n = tc_recv(c, NULL);
	assert_true(n > 0);
	assert_int_equal(((struct tyrc_wire_hdr *)rbuf)->type, TYRC_MSG_COPY_FROM);
	/* Claim success with no data. */
	tyrc_wire_hdr_init(&cr.hdr, TYRC_MSG_COPY_DATA, sizeof(cr));
	tc_send(c, &cr, sizeof(cr), -1);
	assert_int_equal(tc_recv(c, NULL), 0);
	close(c);
	close(fd);
	assert_true(wait_files(f, 0));
}

static void test_client_dies_mid_ioctl(void **state)
{
	struct fixture *f = *state;
	struct fake_block b = { .timeout_ms = DEADLINE_MS };
	struct tyrc_wire_ioctl *req = (void *)sbuf;
	u32 blocked = 0;
	int c = tc_connect(f), fd, c2 = tc_connect(f), fd2;
	u64 end;

	assert_int_equal(tc_open(c, TYRC_MINOR_RENDER, &fd), 0);
	assert_int_equal(tc_open(c2, TYRC_MINOR_RENDER, &fd2), 0);
	b.out = 0x12340000;
	memset(req, 0, sizeof(*req));
	req->cmd = FAKE_IOCTL_BLOCK;
	req->arg = (u64)(uintptr_t)&b;
	req->flags = TYRC_WIRE_IOCTL_WINDOW;
	req->win_len = sizeof(b);
	memcpy(req->win, &b, sizeof(b));
	tyrc_wire_hdr_init(&req->hdr, TYRC_MSG_IOCTL, sizeof(*req) + sizeof(b));
	tc_send(c, req, sizeof(*req) + sizeof(b), fd);
	end = now_ms() + DEADLINE_MS;
	while (!blocked && now_ms() < end)
		assert_int_equal(tc_ioctl(c2, fd2, FAKE_IOCTL_BLOCKED, &blocked, true, NULL), 0);
	assert_int_equal(blocked, 1);

	/* The client disappears: its connection and its file. */
	close(c);
	close(fd);
	/* The file is busy (the ioctl holds it) until the ioctl unwinds. */
	assert_int_equal(nr_files(f), 2);
	assert_int_equal(tc_ioctl(c2, fd2, FAKE_IOCTL_UNBLOCK, NULL, false, NULL), 0);
	assert_true(wait_files(f, 1));
	close(fd2);
	close(c2);
	assert_true(wait_files(f, 0));
}

static void test_debugfs_and_info(void **state)
{
	struct fixture *f = *state;
	struct tyrc_wire_debugfs req = { .file = TYRC_WIRE_DEBUGFS_CLIENTS, .minor = 0 };
	const struct tyrc_wire_text_reply *rep = (const void *)rbuf;
	struct tyrc_wire_hdr info;
	char expect[64];
	int c = tc_connect(f), fd;
	ssize_t n;

	assert_int_equal(tc_open(c, TYRC_MINOR_PRIMARY, &fd), 0);
	tyrc_wire_hdr_init(&req.hdr, TYRC_MSG_DEBUGFS, sizeof(req));
	tc_send(c, &req, sizeof(req), -1);
	n = tc_recv(c, NULL);
	assert_int_equal(tyrc_wire_check(rep, (size_t)n, TYRC_MSG_TEXT_REPLY, sizeof(*rep)), 0);
	assert_int_equal(rep->err, 0);
	rbuf[n] = '\0';
	assert_non_null(strstr(rep->text, "command"));
	assert_non_null(strstr(rep->text, "master a"));
	snprintf(expect, sizeof(expect), " %5d   0   y", (int)getpid());
	assert_non_null(strstr(rep->text, expect));

	req.minor = 5;
	tc_send(c, &req, sizeof(req), -1);
	n = tc_recv(c, NULL);
	assert_int_equal(rep->err, -ENOENT);

	tyrc_wire_hdr_init(&info, TYRC_MSG_INFO, sizeof(info));
	tc_send(c, &info, sizeof(info), -1);
	n = tc_recv(c, NULL);
	assert_int_equal(tyrc_wire_check(rep, (size_t)n, TYRC_MSG_TEXT_REPLY, sizeof(*rep)), 0);
	rbuf[n] = '\0';
	assert_non_null(strstr(rep->text, "driver:        panthor 1.5.0"));
	assert_non_null(strstr(rep->text, "0xa8670005 (arch 10.8.6"));
	assert_non_null(strstr(rep->text, "shader cores:  4"));
	close(fd);
	close(c);
}

/* FDINFO on @drmfd (-1: none attached). Return: the reply's err; the text is in rbuf. */
static int tc_fdinfo(int c, int drmfd)
{
	struct tyrc_wire_fdinfo req = { 0 };
	const struct tyrc_wire_text_reply *rep = (const void *)rbuf;
	ssize_t n;

	tyrc_wire_hdr_init(&req.hdr, TYRC_MSG_FDINFO, sizeof(req));
	tc_send(c, &req, sizeof(req), drmfd);
	n = tc_recv(c, NULL);
	assert_int_equal(tyrc_wire_check(rep, (size_t)n, TYRC_MSG_TEXT_REPLY, sizeof(*rep)), 0);
	assert_int_equal((size_t)n, sizeof(*rep) + rep->len);
	rbuf[n] = '\0';
	return rep->err;
}

static void test_fdinfo(void **state)
{
	struct fixture *f = *state;
	const struct tyrc_wire_text_reply *rep = (const void *)rbuf;
	struct tyrc_wire_fdinfo req = { 0 };
	struct fake_file_id id = { 0 };
	char expect[64];
	int c = tc_connect(f), fd, p[2];

	assert_int_equal(tc_open(c, TYRC_MINOR_RENDER, &fd), 0);
	assert_int_equal(tc_ioctl(c, fd, FAKE_IOCTL_FILE_ID, &id, true, NULL), 0);
	assert_int_equal(tc_fdinfo(c, fd), 0);
	snprintf(expect, sizeof(expect), "drm-driver:\tpanthor\ndrm-client-id:\t%u\n", id.id);
	assert_string_equal(rep->text, expect);

	/* Nothing attached, or a descriptor that is not a DRM file of ours. */
	assert_int_equal(tc_fdinfo(c, -1), -EBADF);
	assert_int_equal(rep->len, 0);
	assert_int_equal(pipe(p), 0);
	assert_int_equal(tc_fdinfo(c, p[0]), -EBADF);
	close(p[0]);
	close(p[1]);
	/* The connection still works after the refusals. */
	assert_int_equal(tc_fdinfo(c, fd), 0);

	/* A wrong size is a protocol error, and so is more than one descriptor. */
	tyrc_wire_hdr_init(&req.hdr, TYRC_MSG_FDINFO, sizeof(req.hdr));
	expect_dropped(f, &req, sizeof(req.hdr), fd);
	tyrc_wire_hdr_init(&req.hdr, TYRC_MSG_FDINFO, sizeof(req));
	{
		int c2 = tc_connect(f), two[2] = { fd, fd };
		struct pollfd pfd = { .fd = c2, .events = POLLIN };

		assert_int_equal(tyrc_wire_send(c2, &req, sizeof(req), two, 2), 0);
		assert_int_equal(poll(&pfd, 1, DEADLINE_MS), 1);
		assert_int_equal(tc_recv(c2, NULL), 0);
		close(c2);
	}
	close(fd);
	close(c);
	assert_true(wait_files(f, 0));
}

/*
 * A SYSFS request on @attr: @op with the string @data (written without its
 * NUL; NULL for none). Return: the reply's err; the text is in rbuf.
 */
static int tc_sysfs(int c, u32 attr, u32 op, const char *data)
{
	struct tyrc_wire_sysfs *req = (void *)sbuf;
	const struct tyrc_wire_text_reply *rep = (const void *)rbuf;
	size_t len = data ? strlen(data) : 0;
	ssize_t n;

	memset(req, 0, sizeof(*req));
	req->attr = attr;
	req->op = op;
	req->len = (u32)len;
	memcpy(req->data, data ? data : "", len);
	tyrc_wire_hdr_init(&req->hdr, TYRC_MSG_SYSFS, (u32)(sizeof(*req) + len));
	tc_send(c, req, sizeof(*req) + len, -1);
	n = tc_recv(c, NULL);
	assert_int_equal(tyrc_wire_check(rep, (size_t)n, TYRC_MSG_TEXT_REPLY, sizeof(*rep)), 0);
	rbuf[n] = '\0';
	return rep->err;
}

/* Store @text in the profiling attribute. Return: the store's error. */
static int store(int c, const char *text)
{
	return tc_sysfs(c, TYRC_WIRE_SYSFS_PROFILING, TYRC_WIRE_SYSFS_WRITE, text);
}

static u32 profiling(int c)
{
	const struct tyrc_wire_text_reply *rep = (const void *)rbuf;
	char *end;
	unsigned long v;

	assert_int_equal(tc_sysfs(c, TYRC_WIRE_SYSFS_PROFILING, TYRC_WIRE_SYSFS_READ, NULL), 0);
	v = strtoul(rep->text, &end, 10);
	assert_string_equal(end, "\n");
	return (u32)v;
}

static void test_sysfs_profiling(void **state)
{
	struct fixture *f = *state;
	const struct tyrc_wire_text_reply *rep = (const void *)rbuf;
	struct tyrc_wire_sysfs *req = (void *)sbuf;
	int c = tc_connect(f), fd;

	/* show(): "%u\n", off by default. */
	assert_int_equal(profiling(c), 0);
	assert_string_equal(rep->text, "0\n");
	if (getuid() == 0)
		assert_int_equal(
			tc_sysfs(c, TYRC_WIRE_SYSFS_PROFILING, TYRC_WIRE_SYSFS_CHECK_WRITE, NULL),
			0);

	/* store(): kstrtou32(buf, 0) then 0..3. */
	assert_int_equal(store(c, "3"), 0);
	assert_int_equal(profiling(c), 3);
	assert_int_equal(store(c, "4"), -EINVAL);
	assert_int_equal(profiling(c), 3);
	assert_int_equal(store(c, "1\n"), 0);
	assert_int_equal(profiling(c), 1);
	assert_int_equal(store(c, "0x2"), 0);
	assert_int_equal(profiling(c), 2);
	assert_int_equal(store(c, "+03\n"), 0);
	assert_int_equal(profiling(c), 3);
	assert_int_equal(store(c, "010"), -EINVAL); /* octal 8 */
	assert_int_equal(store(c, "0X1"), 0);
	assert_int_equal(profiling(c), 1);
	assert_int_equal(store(c, "0"), 0);
	assert_int_equal(profiling(c), 0);
	assert_int_equal(store(c, "1\n\n"), -EINVAL);
	assert_int_equal(store(c, " 1"), -EINVAL);
	assert_int_equal(store(c, "-1"), -EINVAL);
	assert_int_equal(store(c, "abc"), -EINVAL);
	assert_int_equal(store(c, "0x"), -EINVAL);
	assert_int_equal(store(c, "\n"), -EINVAL);
	assert_int_equal(store(c, "4294967296"), -ERANGE);
	assert_int_equal(store(c, "99999999999999999999999"), -ERANGE);
	assert_int_equal(profiling(c), 0);

	/* The mask reaches the driver: the fake prints its cycles line with bit 0. */
	assert_int_equal(tc_open(c, TYRC_MINOR_PRIMARY, &fd), 0);
	assert_int_equal(tc_fdinfo(c, fd), 0);
	assert_null(strstr(rep->text, "drm-cycles-panthor"));
	assert_int_equal(store(c, "1"), 0);
	assert_int_equal(tc_fdinfo(c, fd), 0);
	assert_non_null(strstr(rep->text, "drm-cycles-panthor:\t0\n"));
	assert_int_equal(store(c, "0"), 0);
	close(fd);

	/* An attribute that does not exist. */
	assert_int_equal(tc_sysfs(c, 99, TYRC_WIRE_SYSFS_READ, NULL), -ENOENT);
	close(c);

	/* Protocol errors: an empty or oversized write, bytes with a read, an unknown op. */
	memset(req, 0, sizeof(*req));
	req->attr = TYRC_WIRE_SYSFS_PROFILING;
	req->op = TYRC_WIRE_SYSFS_WRITE;
	tyrc_wire_hdr_init(&req->hdr, TYRC_MSG_SYSFS, sizeof(*req));
	expect_dropped(f, req, sizeof(*req), -1);
	req->len = TYRC_WIRE_SYSFS_MAX_WRITE + 1;
	memset(req->data, '1', req->len);
	tyrc_wire_hdr_init(&req->hdr, TYRC_MSG_SYSFS, sizeof(*req) + req->len);
	expect_dropped(f, req, sizeof(*req) + req->len, -1);
	req->op = TYRC_WIRE_SYSFS_READ;
	req->len = 1;
	tyrc_wire_hdr_init(&req->hdr, TYRC_MSG_SYSFS, sizeof(*req) + 1);
	expect_dropped(f, req, sizeof(*req) + 1, -1);
	req->op = 7;
	req->len = 0;
	tyrc_wire_hdr_init(&req->hdr, TYRC_MSG_SYSFS, sizeof(*req));
	expect_dropped(f, req, sizeof(*req), -1);
	/* A page of digits is one store() (and an out-of-range one). */
	c = tc_connect(f);
	{
		char page[TYRC_WIRE_SYSFS_MAX_WRITE + 1];

		memset(page, '0', sizeof(page) - 2);
		page[sizeof(page) - 2] = '1';
		page[sizeof(page) - 1] = '\0';
		assert_int_equal(store(c, page), 0);
		assert_int_equal(profiling(c), 1);
		assert_int_equal(store(c, "0"), 0);
	}
	close(c);
}

/*
 * Without root, the attribute may be read but not written: the host checks
 * the peer's credentials. Runs a host of its own in a child that drops to
 * an unprivileged uid (the host only serves its own uid or root).
 */
static void test_sysfs_needs_root(void **state)
{
	pid_t pid;
	int status;

	(void)state;
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		struct tyrc_device_config dcfg;
		struct tyrc_host_config cfg = { 0 };
		struct fixture f = { 0 };
		int c, ok;

		if (getuid() == 0 && (setgid(65534) || setuid(65534)))
			_exit(2);
		snprintf(f.path, sizeof(f.path), "/tmp/tyrc-test-proto-nr-%d.sock", (int)getpid());
		tyrc_device_config_init(&dcfg);
		if (tyrc_device_probe(NULL, &dcfg, &f.dev))
			_exit(3);
		cfg.socket_path = f.path;
		if (tyrc_host_start(f.dev, &cfg, &f.host))
			_exit(4);
		c = tc_connect(&f);
		ok = tc_sysfs(c, TYRC_WIRE_SYSFS_PROFILING, TYRC_WIRE_SYSFS_CHECK_WRITE, NULL) ==
			     -EACCES &&
		     store(c, "1") == -EACCES && profiling(c) == 0;
		close(c);
		tyrc_host_stop(f.host);
		tyrc_device_remove(f.dev);
		_exit(ok ? 0 : 1);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void test_mmap_without_hook(void **state)
{
	struct fixture *f = *state;
	struct tyrc_wire_mmap req = { .len = 4096, .offset = 0 };
	const struct tyrc_wire_mmap_reply *rep = (const void *)rbuf;
	int c = tc_connect(f), fd;
	ssize_t n;

	assert_int_equal(tc_open(c, TYRC_MINOR_RENDER, &fd), 0);
	tyrc_wire_hdr_init(&req.hdr, TYRC_MSG_MMAP, sizeof(req));
	tc_send(c, &req, sizeof(req), fd);
	n = tc_recv(c, NULL);
	assert_int_equal(tyrc_wire_check(rep, (size_t)n, TYRC_MSG_MMAP_REPLY, sizeof(*rep)), 0);
	assert_int_equal(rep->err, -ENODEV);
	assert_int_equal(rep->nr_extents, 0);
	close(fd);
	close(c);
}

/* Files and connections still open when the host stops: teardown releases them. */
static void test_stop_with_clients(void **state)
{
	struct fixture *f = *state;
	int c = tc_connect(f), fd, fd2;

	assert_int_equal(tc_open(c, TYRC_MINOR_PRIMARY, &fd), 0);
	assert_int_equal(tc_open(c, TYRC_MINOR_RENDER, &fd2), 0);
	assert_int_equal(nr_files(f), 2);
	tyrc_host_stop(f->host);
	assert_int_equal(nr_files(f), 0);
	/* The connection is closed and the path is gone. */
	assert_int_equal(tc_recv(c, NULL), 0);
	assert_false(tyrc_host_probe_socket(f->path));
	close(fd);
	close(fd2);
	close(c);
	/* Restart for teardown. */
	{
		struct tyrc_host_config cfg = { .socket_path = f->path };

		assert_int_equal(tyrc_host_start(f->dev, &cfg, &f->host), 0);
	}
}

static void test_second_host_refused(void **state)
{
	struct fixture *f = *state;
	struct tyrc_host_config cfg = { .socket_path = f->path };
	struct tyrc_host *h2;

	assert_int_equal(tyrc_host_start(f->dev, &cfg, &h2), -EADDRINUSE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_open_and_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_version_window_and_nested, setup, teardown),
		cmocka_unit_test_setup_teardown(test_large_nested_copies, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_identification, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed_messages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_copy_reply, setup, teardown),
		cmocka_unit_test_setup_teardown(test_client_dies_mid_ioctl, setup, teardown),
		cmocka_unit_test_setup_teardown(test_debugfs_and_info, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fdinfo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sysfs_profiling, setup, teardown),
		cmocka_unit_test(test_sysfs_needs_root),
		cmocka_unit_test_setup_teardown(test_mmap_without_hook, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stop_with_clients, setup, teardown),
		cmocka_unit_test_setup_teardown(test_second_host_refused, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
