// SPDX-License-Identifier: MIT
/*
 * DOC: Host uaccess
 *
 * While an ioctl runs on a connection thread, "user memory" is the memory of
 * the client thread blocked in that ioctl. Accesses inside the ioctl window
 * are served from the local copy (host_uwin.c); all others become
 * COPY_FROM / COPY_TO requests on the same control connection, answered by
 * the shim with process_vm_readv/writev on its own process (so a bad pointer
 * is -EFAULT, not a crash). Any transport or protocol failure marks the
 * connection broken: that access and every later one in the ioctl fail with
 * -EFAULT, the driver unwinds, and the connection is closed afterwards.
 *
 * Also here: a connection's packet send/receive (tyrc_wire_send() and
 * tyrc_wire_take_fds(), failures marking it broken) and a host-local
 * uaccess for ioctls the host itself makes (tyrc info).
 */
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "host_priv.h"

/* Room for the descriptors a client may attach to one packet. */
#define HOST_MAX_RECV_FDS 4

int host_conn_send(struct host_conn *conn, const void *buf, size_t len, const int *fds,
		   unsigned int nfds)
{
	int ret;

	if (nfds > TYRC_WIRE_MAX_FDS)
		return -EINVAL;
	ret = tyrc_wire_send(conn->fd, buf, len, fds, nfds);
	if (ret)
		conn->broken = true;
	return ret;
}

ssize_t host_conn_recv(struct host_conn *conn, int *fds, unsigned int max_fds, unsigned int *nfds)
{
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int) * HOST_MAX_RECV_FDS)];
	} cbuf;
	struct iovec iov = { .iov_base = conn->rbuf, .iov_len = TYRC_WIRE_MAX_MSG };
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = cbuf.buf,
		.msg_controllen = sizeof(cbuf.buf),
	};
	ssize_t n;

	*nfds = 0;
	do {
		n = recvmsg(conn->fd, &msg, MSG_CMSG_CLOEXEC);
	} while (n < 0 && errno == EINTR);
	if (n <= 0) {
		conn->broken = true;
		return n < 0 ? -errno : -EPIPE;
	}
	if (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) {
		tyrc_wire_take_fds(&msg, NULL, 0);
		conn->broken = true;
		return -EPROTO;
	}
	*nfds = tyrc_wire_take_fds(&msg, fds, max_fds);
	return n;
}

/* Drop descriptors a reply must not carry, and fail the exchange. */
static int expect_no_fds(struct host_conn *conn, int *fds, unsigned int nfds)
{
	unsigned int i;

	if (!nfds)
		return 0;
	for (i = 0; i < nfds; i++)
		close(fds[i]);
	conn->broken = true;
	return -EPROTO;
}

/** struct host_uctx - uaccess context of one ioctl. */
struct host_uctx {
	struct host_conn *conn;
	struct host_uwin *win;
};

/* Read one chunk of user memory through the client. */
static int remote_read(struct host_conn *conn, void *dst, u64 uptr, u32 len)
{
	struct tyrc_wire_copy req = { .addr = uptr, .len = len };
	const struct tyrc_wire_copy_reply *rep;
	unsigned int nfds;
	int fds[HOST_MAX_RECV_FDS];
	ssize_t n;

	tyrc_wire_hdr_init(&req.hdr, TYRC_MSG_COPY_FROM, sizeof(req));
	if (host_conn_send(conn, &req, sizeof(req), NULL, 0))
		return -EFAULT;
	n = host_conn_recv(conn, fds, HOST_MAX_RECV_FDS, &nfds);
	if (n < 0 || expect_no_fds(conn, fds, nfds))
		return -EFAULT;
	rep = (const struct tyrc_wire_copy_reply *)conn->rbuf;
	if (tyrc_wire_check(rep, (size_t)n, TYRC_MSG_COPY_DATA, sizeof(*rep))) {
		conn->broken = true;
		return -EFAULT;
	}
	if (rep->err) {
		if (rep->len || (size_t)n != sizeof(*rep))
			conn->broken = true;
		return -EFAULT;
	}
	if (rep->len != len || (size_t)n != sizeof(*rep) + len) {
		conn->broken = true;
		return -EFAULT;
	}
	memcpy(dst, rep->data, len);
	return 0;
}

/* Write one chunk of user memory through the client. */
static int remote_write(struct host_conn *conn, u64 uptr, const void *src, u32 len)
{
	struct tyrc_wire_copy *req = (struct tyrc_wire_copy *)conn->sbuf;
	const struct tyrc_wire_copy_reply *rep;
	unsigned int nfds;
	int fds[HOST_MAX_RECV_FDS];
	ssize_t n;

	memset(req, 0, sizeof(*req));
	tyrc_wire_hdr_init(&req->hdr, TYRC_MSG_COPY_TO, sizeof(*req) + len);
	req->addr = uptr;
	req->len = len;
	memcpy(req->data, src, len);
	if (host_conn_send(conn, req, sizeof(*req) + len, NULL, 0))
		return -EFAULT;
	n = host_conn_recv(conn, fds, HOST_MAX_RECV_FDS, &nfds);
	if (n < 0 || expect_no_fds(conn, fds, nfds))
		return -EFAULT;
	rep = (const struct tyrc_wire_copy_reply *)conn->rbuf;
	if (tyrc_wire_check(rep, (size_t)n, TYRC_MSG_COPY_ACK, sizeof(*rep)) || rep->len ||
	    (size_t)n != sizeof(*rep)) {
		conn->broken = true;
		return -EFAULT;
	}
	return rep->err ? -EFAULT : 0;
}

static int uctx_read(void *ctx, void *dst, u64 uptr, size_t len)
{
	struct host_uctx *u = ctx;
	u8 *d = dst;
	size_t done = 0;

	if (host_uwin_contains(u->win, uptr, len)) {
		host_uwin_read(u->win, dst, uptr, len);
		return 0;
	}
	while (done < len) {
		u32 n = (u32)tyrc_min(len - done, (size_t)TYRC_WIRE_MAX_CHUNK);

		if (u->conn->broken || remote_read(u->conn, d + done, uptr + done, n))
			return -EFAULT;
		done += n;
	}
	host_uwin_overlay(u->win, dst, uptr, len);
	return 0;
}

static int uctx_write(void *ctx, u64 uptr, const void *src, size_t len)
{
	struct host_uctx *u = ctx;
	const u8 *s = src;
	size_t done = 0;

	if (host_uwin_contains(u->win, uptr, len)) {
		host_uwin_write(u->win, uptr, src, len);
		return 0;
	}
	while (done < len) {
		u32 n = (u32)tyrc_min(len - done, (size_t)TYRC_WIRE_MAX_CHUNK);

		if (u->conn->broken || remote_write(u->conn, uptr + done, s + done, n))
			return -EFAULT;
		done += n;
	}
	host_uwin_update(u->win, uptr, src, len);
	return 0;
}

static int uctx_fd_install(void *ctx, struct tyrc_anon_file *file, u32 flags)
{
	struct host_uctx *u = ctx;

	return host_anon_install(u->conn, file, flags);
}

static int uctx_fget(void *ctx, int fd, struct tyrc_anon_file **file, int *raw_fd)
{
	struct host_uctx *u = ctx;

	return host_anon_fget(u->conn, fd, file, raw_fd);
}

static bool uctx_aborted(void *ctx)
{
	struct host_uctx *u = ctx;

	return host_conn_aborted(u->conn);
}

static const struct tyrc_uaccess_ops host_uaccess_ops = {
	.read = uctx_read,
	.write = uctx_write,
	.fd_install = uctx_fd_install,
	.fget = uctx_fget,
	.aborted = uctx_aborted,
};

long host_run_ioctl(struct host_conn *conn, struct host_file *file, u32 cmd, u64 arg,
		    struct host_uwin *win)
{
	struct host_uctx u = { .conn = conn, .win = win };
	long ret;

	tyrc_uaccess_begin(&host_uaccess_ops, &u);
	ret = tyrc_drm_ioctl(file->drm, cmd, arg);
	tyrc_uaccess_end();
	return ret;
}

long host_run_anon_ioctl(struct host_conn *conn, struct tyrc_anon_file *file, u32 cmd, u64 arg,
			 struct host_uwin *win)
{
	struct host_uctx u = { .conn = conn, .win = win };
	long ret;

	if (!file->ops->ioctl)
		return -ENOTTY;
	tyrc_uaccess_begin(&host_uaccess_ops, &u);
	ret = file->ops->ioctl(file, cmd, arg);
	tyrc_uaccess_end();
	return ret;
}

/* Host-local user memory: "user" pointers are the host's own. */
static int local_read(void *ctx, void *dst, u64 uptr, size_t len)
{
	memcpy(dst, (const void *)(uintptr_t)uptr, len);
	return 0;
}

static int local_write(void *ctx, u64 uptr, const void *src, size_t len)
{
	memcpy((void *)(uintptr_t)uptr, src, len);
	return 0;
}

static const struct tyrc_uaccess_ops local_uaccess_ops = {
	.read = local_read,
	.write = local_write,
};

long host_local_ioctl(struct tyrc_file *file, u32 cmd, void *arg)
{
	long ret;

	tyrc_uaccess_begin(&local_uaccess_ops, NULL);
	ret = tyrc_drm_ioctl(file, cmd, (u64)(uintptr_t)arg);
	tyrc_uaccess_end();
	return ret;
}
