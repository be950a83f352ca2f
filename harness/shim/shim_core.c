// SPDX-License-Identifier: MIT
/*
 * DOC: Shim core
 *
 * libtyrc_shim.so is preloaded into programs so that /dev/dri/card0 and
 * /dev/dri/renderD128 reach the tyrc device host. It depends on libc only,
 * initialises lazily (first intercepted call) and finds the functions it
 * wraps with dlsym(RTLD_NEXT).
 *
 * A DRM file is a socket the host made (tyrc_wire.h); the shim recognises
 * one statelessly with getsockname(), so dup(), fork() and exec() need no
 * bookkeeping. Each thread talks to the host over its own control
 * connection, created on first use, closed at thread exit, and dropped in
 * the child after fork(). A call made while the thread's connection is
 * busy (a signal handler interrupting an ioctl) uses a temporary one.
 *
 * User memory the host asks for during an ioctl is read and written with
 * process_vm_readv/writev on our own process, so a bad pointer becomes
 * -EFAULT instead of a crash (with /proc/self/mem as the fallback).
 *
 * Nothing is printed unless TYRC_SHIM_DEBUG=1 (stderr) or TYRC_SHIM_LOG
 * names a file.
 */
#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include "shim_priv.h"
#include "tyrc_wire.h"

struct shim_real shim_real;

static int log_fd = -1;

/** struct shim_conn - one control connection of one thread. */
struct shim_conn {
	int fd;
	/** @pid: process that made it (a forked child must not use it). */
	pid_t pid;
	/** @busy: an exchange is in progress. */
	bool busy;
	/** @registered: in the conns list (a temporary connection is not). */
	bool registered;
	/** @mapped: allocated with mmap() (async-signal-safe), not malloc(). */
	bool mapped;
	uint8_t rbuf[TYRC_WIRE_MAX_MSG];
	uint8_t sbuf[TYRC_WIRE_MAX_MSG];
	struct shim_conn *next;
};

/* conns_lock - guards conns, the list of every thread's connection. */
static pthread_mutex_t conns_lock = PTHREAD_MUTEX_INITIALIZER;
static struct shim_conn *conns;
static pthread_key_t conn_key;
static __thread struct shim_conn *tls_conn __attribute__((tls_model("initial-exec")));
/* Set when process_vm_readv/writev are unavailable (seccomp, old kernel). */
static bool pvm_unavailable;

#define REAL(name) shim_real.name = (__typeof__(shim_real.name))dlsym(RTLD_NEXT, #name)

static void conn_unlink(struct shim_conn *conn)
{
	struct shim_conn **pp;

	for (pp = &conns; *pp; pp = &(*pp)->next) {
		if (*pp == conn) {
			*pp = conn->next;
			return;
		}
	}
}

static void conn_free(struct shim_conn *conn)
{
	if (conn->fd >= 0)
		close(conn->fd);
	if (conn->mapped)
		munmap(conn, sizeof(*conn));
	else
		free(conn);
}

/* Thread exit: close this thread's connection. */
static void conn_key_destructor(void *arg)
{
	struct shim_conn *conn = arg;

	pthread_mutex_lock(&conns_lock);
	conn_unlink(conn);
	pthread_mutex_unlock(&conns_lock);
	if (tls_conn == conn)
		tls_conn = NULL;
	conn_free(conn);
}

static void atfork_prepare(void)
{
	pthread_mutex_lock(&conns_lock);
	shim_map_atfork_prepare();
}

static void atfork_parent(void)
{
	shim_map_atfork_parent();
	pthread_mutex_unlock(&conns_lock);
}

/* The child inherited copies of every thread's connection: none is its own. */
static void atfork_child(void)
{
	struct shim_conn *conn;

	shim_map_atfork_child();
	while ((conn = conns)) {
		conns = conn->next;
		conn_free(conn);
	}
	tls_conn = NULL;
	pthread_setspecific(conn_key, NULL);
	pthread_mutex_init(&conns_lock, NULL);
}

static void init_log(void)
{
	const char *path = getenv("TYRC_SHIM_LOG");
	const char *dbg = getenv("TYRC_SHIM_DEBUG");

	if (path && path[0])
		log_fd = shim_real.open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	else if (dbg && !strcmp(dbg, "1"))
		log_fd = fcntl(2, F_DUPFD_CLOEXEC, 100);
}

/* init_state - 0: nothing resolved, 1: resolving, 2: done (atomic). */
static int init_state;
static pthread_once_t conn_once = PTHREAD_ONCE_INIT;

/*
 * Stage one: resolve the real functions. It may run inside a sanitizer
 * runtime's own initialisation (which calls mmap() and open() through the
 * PLT, reaching us first), so it calls nothing but dlsym(): no pthread
 * function, no allocation of ours, no logging.
 */
static void resolve_real(void)
{
	REAL(open);
	REAL(openat);
	REAL(__open_2);
	REAL(__openat_2);
	REAL(fopen);
	REAL(stat);
	REAL(lstat);
	REAL(fstat);
	REAL(fstatat);
	REAL(statx);
	REAL(readlink);
	REAL(readlinkat);
	REAL(realpath);
	REAL(access);
	REAL(faccessat);
	REAL(euidaccess);
	REAL(opendir);
	REAL(fdopendir);
	REAL(readdir);
	REAL(readdir_r);
	REAL(closedir);
	REAL(dirfd);
	REAL(rewinddir);
	REAL(telldir);
	REAL(seekdir);
	REAL(scandir);
	REAL(ioctl);
	REAL(write);
	REAL(mmap);
	REAL(munmap);
}

void shim_init(void)
{
	int expected = 0;

	if (__atomic_load_n(&init_state, __ATOMIC_ACQUIRE) == 2)
		return;
	if (__atomic_compare_exchange_n(&init_state, &expected, 1, false, __ATOMIC_ACQ_REL,
					__ATOMIC_ACQUIRE)) {
		resolve_real();
		__atomic_store_n(&init_state, 2, __ATOMIC_RELEASE);
		return;
	}
	/* Another thread is resolving: a handful of dlsym() calls. */
	while (__atomic_load_n(&init_state, __ATOMIC_ACQUIRE) != 2)
		;
}

/* Stage two, before the first host connection: thread-exit and fork hooks, the log. */
static void conn_init(void)
{
	pthread_key_create(&conn_key, conn_key_destructor);
	pthread_atfork(atfork_prepare, atfork_parent, atfork_child);
	init_log();
	shim_log("tyrc shim active in pid %d", (int)getpid());
}

void shim_log(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	if (log_fd < 0)
		return;
	n = snprintf(buf, sizeof(buf), "tyrc-shim[%d]: ", (int)getpid());
	va_start(ap, fmt);
	n += vsnprintf(buf + n, sizeof(buf) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 2)
		n = (int)sizeof(buf) - 2;
	buf[n++] = '\n';
	if (write(log_fd, buf, (size_t)n) < 0)
		return;
}

int shim_fd_minor(int fd)
{
	struct sockaddr_un addr;
	socklen_t len = sizeof(addr);
	size_t plen = strlen(TYRC_WIRE_FILE_PREFIX);
	unsigned int hpid, minor;
	unsigned long long serial;
	char name[sizeof(addr.sun_path)];
	size_t nlen;

	if (fd < 0 || getsockname(fd, (struct sockaddr *)&addr, &len) || addr.sun_family != AF_UNIX)
		return -1;
	if (len <= offsetof(struct sockaddr_un, sun_path) + 1 + plen || addr.sun_path[0])
		return -1;
	nlen = len - offsetof(struct sockaddr_un, sun_path) - 1;
	if (nlen >= sizeof(name) || memcmp(addr.sun_path + 1, TYRC_WIRE_FILE_PREFIX, plen))
		return -1;
	memcpy(name, addr.sun_path + 1, nlen);
	name[nlen] = '\0';
	if (sscanf(name + plen, "%u/%u/%llu", &hpid, &minor, &serial) != 3)
		return -1;
	return minor == 0 || minor == 128 ? (int)minor : -1;
}

bool shim_fd_is_sync_file(int fd)
{
	static const char kind[] = "/" TYRC_WIRE_KIND_SYNC_FILE "/";
	struct sockaddr_un addr;
	socklen_t len = sizeof(addr);
	size_t plen = strlen(TYRC_WIRE_FILE_PREFIX);
	char name[sizeof(addr.sun_path)];
	size_t nlen;

	if (fd < 0 || getsockname(fd, (struct sockaddr *)&addr, &len) || addr.sun_family != AF_UNIX)
		return false;
	if (len <= offsetof(struct sockaddr_un, sun_path) + 1 + plen || addr.sun_path[0])
		return false;
	nlen = len - offsetof(struct sockaddr_un, sun_path) - 1;
	if (nlen >= sizeof(name) || memcmp(addr.sun_path + 1, TYRC_WIRE_FILE_PREFIX, plen))
		return false;
	memcpy(name, addr.sun_path + 1, nlen);
	name[nlen] = '\0';
	return strstr(name + plen, kind) != NULL;
}

/*
 * Connect a new control connection. A @temporary one is made from a signal
 * handler that interrupted this thread's exchange, so it is allocated with
 * mmap() rather than malloc(). Return: it, or NULL (no host).
 */
static struct shim_conn *conn_connect(bool temporary)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct shim_conn *conn;

	pthread_once(&conn_once, conn_init);
	if (tyrc_wire_socket_path(addr.sun_path, sizeof(addr.sun_path)))
		return NULL;
	if (temporary) {
		conn = shim_real.mmap(NULL, sizeof(*conn), PROT_READ | PROT_WRITE,
				      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (conn == MAP_FAILED)
			return NULL;
	} else {
		conn = malloc(sizeof(*conn));
		if (!conn)
			return NULL;
	}
	conn->mapped = temporary;
	conn->fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	conn->pid = getpid();
	conn->busy = false;
	conn->registered = false;
	conn->next = NULL;
	if (conn->fd < 0 || connect(conn->fd, (struct sockaddr *)&addr, sizeof(addr))) {
		shim_log("no host at %s: %s", addr.sun_path, strerror(errno));
		conn_free(conn);
		return NULL;
	}
	return conn;
}

/* This thread's connection for one exchange (marked busy), or NULL without a host. */
static struct shim_conn *conn_get(void)
{
	struct shim_conn *conn = tls_conn;

	if (conn && conn->pid != getpid()) {
		/* vfork()-like child without the atfork handlers: leave it alone. */
		conn = NULL;
		tls_conn = NULL;
	}
	if (conn && !conn->busy) {
		conn->busy = true;
		return conn;
	}
	if (conn) {
		/* Re-entered from a signal handler: use a temporary connection. */
		conn = conn_connect(true);
		if (conn)
			conn->busy = true;
		return conn;
	}
	conn = conn_connect(false);
	if (!conn)
		return NULL;
	conn->busy = true;
	conn->registered = true;
	pthread_mutex_lock(&conns_lock);
	conn->next = conns;
	conns = conn;
	pthread_mutex_unlock(&conns_lock);
	pthread_setspecific(conn_key, conn);
	tls_conn = conn;
	return conn;
}

/* End an exchange; a broken connection is closed (the next call reconnects). */
static void conn_put(struct shim_conn *conn, bool broken)
{
	conn->busy = false;
	if (!conn->registered) {
		conn_free(conn);
		return;
	}
	if (!broken)
		return;
	pthread_mutex_lock(&conns_lock);
	conn_unlink(conn);
	pthread_mutex_unlock(&conns_lock);
	pthread_setspecific(conn_key, NULL);
	tls_conn = NULL;
	conn_free(conn);
}

static int conn_send(struct shim_conn *conn, const void *buf, size_t len, int fd)
{
	return tyrc_wire_send(conn->fd, buf, len, &fd, fd >= 0 ? 1 : 0) ? -EPIPE : 0;
}

/*
 * Receive one packet into conn->rbuf with up to @max_fds descriptors.
 * Return: its size, or -EPIPE. Extra descriptors are closed.
 */
static ssize_t conn_recv(struct shim_conn *conn, int *fds, unsigned int max_fds, unsigned int *nfds,
			 bool cloexec)
{
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int) * TYRC_WIRE_MAX_FDS)];
	} cbuf;
	struct iovec iov = { .iov_base = conn->rbuf, .iov_len = sizeof(conn->rbuf) };
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = cbuf.buf,
		.msg_controllen = sizeof(cbuf.buf),
	};
	unsigned int got = 0;
	ssize_t n;

	do {
		n = recvmsg(conn->fd, &msg, cloexec ? MSG_CMSG_CLOEXEC : 0);
	} while (n < 0 && errno == EINTR);
	if (n >= 0)
		got = tyrc_wire_take_fds(&msg, fds, max_fds);
	if (nfds)
		*nfds = got;
	if (n <= 0 || (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC))) {
		while (got)
			close(fds[--got]);
		if (nfds)
			*nfds = 0;
		/* Descriptors dropped for lack of room (RLIMIT_NOFILE): the packet is intact. */
		if (n > 0 && !(msg.msg_flags & MSG_TRUNC))
			return -EMFILE;
		return -EPIPE;
	}
	return n;
}

/* Read our own memory without faulting. Return: 0 or -EFAULT. */
static int self_read(void *dst, uint64_t addr, size_t len)
{
	struct iovec local = { .iov_base = dst, .iov_len = len };
	struct iovec remote = { .iov_base = (void *)(uintptr_t)addr, .iov_len = len };
	ssize_t n;
	int fd;

	if (!__atomic_load_n(&pvm_unavailable, __ATOMIC_RELAXED)) {
		n = process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
		if (n == (ssize_t)len)
			return 0;
		if (n >= 0 || (errno != ENOSYS && errno != EPERM))
			return -EFAULT;
		__atomic_store_n(&pvm_unavailable, true, __ATOMIC_RELAXED);
	}
	fd = shim_real.open("/proc/self/mem", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -EFAULT;
	n = addr > INT64_MAX ? -1 : pread(fd, dst, len, (off_t)addr);
	close(fd);
	return n == (ssize_t)len ? 0 : -EFAULT;
}

/* Write our own memory without faulting; honours page protections. Return: 0 or -EFAULT. */
static int self_write(uint64_t addr, const void *src, size_t len)
{
	struct iovec local = { .iov_base = (void *)src, .iov_len = len };
	struct iovec remote = { .iov_base = (void *)(uintptr_t)addr, .iov_len = len };
	ssize_t n;
	int p[2];

	if (!__atomic_load_n(&pvm_unavailable, __ATOMIC_RELAXED)) {
		n = process_vm_writev(getpid(), &local, 1, &remote, 1, 0);
		if (n == (ssize_t)len)
			return 0;
		if (n >= 0 || (errno != ENOSYS && errno != EPERM))
			return -EFAULT;
		__atomic_store_n(&pvm_unavailable, true, __ATOMIC_RELAXED);
	}
	/* read() into user memory reports EFAULT for unwritable pages. */
	if (len > 65536 || pipe2(p, O_CLOEXEC))
		return -EFAULT;
	n = write(p[1], src, len);
	if (n == (ssize_t)len)
		n = read(p[0], (void *)(uintptr_t)addr, len);
	close(p[0]);
	close(p[1]);
	return n == (ssize_t)len ? 0 : -EFAULT;
}

int shim_drm_open(unsigned int minor, int flags)
{
	struct tyrc_wire_open req = { 0 };
	const struct tyrc_wire_open_reply *rep;
	struct shim_conn *conn;
	unsigned int nfds;
	int fd = -1, ret;
	ssize_t n;

	conn = conn_get();
	if (!conn)
		return -ENOENT;
	tyrc_wire_hdr_init(&req.hdr, TYRC_MSG_OPEN, sizeof(req));
	req.minor_type = minor == 128 ? 2 : 0;
	req.flags = (flags & O_NONBLOCK) ? TYRC_WIRE_OPEN_NONBLOCK : 0;
	if (conn_send(conn, &req, sizeof(req), -1)) {
		conn_put(conn, true);
		return -ENOENT;
	}
	n = conn_recv(conn, &fd, 1, &nfds, flags & O_CLOEXEC);
	if (n == -EMFILE) {
		conn_put(conn, false);
		return -EMFILE;
	}
	rep = (const struct tyrc_wire_open_reply *)conn->rbuf;
	if (n < 0 || tyrc_wire_check(rep, (size_t)n, TYRC_MSG_OPEN_REPLY, sizeof(*rep)) ||
	    (!rep->err && nfds != 1) || (rep->err && nfds)) {
		if (n >= 0 && nfds)
			close(fd);
		conn_put(conn, true);
		return -ENOENT;
	}
	ret = rep->err ? rep->err : fd;
	conn_put(conn, false);
	shim_log("open minor %u -> %d", minor, ret);
	return ret;
}

/* Answer the host's COPY_FROM / COPY_TO during an ioctl. Return: 0, or -EPIPE. */
static int serve_copy(struct shim_conn *conn, ssize_t n)
{
	const struct tyrc_wire_copy *req = (const struct tyrc_wire_copy *)conn->rbuf;
	struct tyrc_wire_copy_reply *rep = (struct tyrc_wire_copy_reply *)conn->sbuf;
	size_t len = sizeof(*rep);

	if ((size_t)n < sizeof(*req) || req->len == 0 || req->len > TYRC_WIRE_MAX_CHUNK)
		return -EPIPE;
	memset(rep, 0, sizeof(*rep));
	if (req->hdr.type == TYRC_MSG_COPY_FROM) {
		if ((size_t)n != sizeof(*req))
			return -EPIPE;
		tyrc_wire_hdr_init(&rep->hdr, TYRC_MSG_COPY_DATA, 0);
		rep->err = self_read(rep->data, req->addr, req->len);
		if (!rep->err) {
			rep->len = req->len;
			len += req->len;
		}
	} else {
		if ((size_t)n != sizeof(*req) + req->len)
			return -EPIPE;
		tyrc_wire_hdr_init(&rep->hdr, TYRC_MSG_COPY_ACK, 0);
		rep->err = self_write(req->addr, req->data, req->len);
	}
	rep->hdr.len = (uint32_t)len;
	return conn_send(conn, rep, len, -1);
}

/*
 * Answer FD_INSTALL: @fd (or a negative errno if it could not be received)
 * becomes one of the program's descriptors. Return: 0, or -EPIPE.
 */
static int serve_fd_install(struct shim_conn *conn, int fd)
{
	const struct tyrc_wire_fd_install *req = (const struct tyrc_wire_fd_install *)conn->rbuf;
	struct tyrc_wire_fd_reply rep = { 0 };

	if (req->hdr.type != TYRC_MSG_FD_INSTALL || req->hdr.len != sizeof(*req)) {
		if (fd >= 0)
			close(fd);
		return -EPIPE;
	}
	tyrc_wire_hdr_init(&rep.hdr, TYRC_MSG_FD_INSTALLED, sizeof(rep));
	if (fd >= 0 && !(req->flags & TYRC_WIRE_FD_CLOEXEC))
		fcntl(fd, F_SETFD, 0);
	rep.err = fd < 0 ? fd : 0;
	rep.fd = fd;
	shim_log("installed host file as fd %d", fd);
	return conn_send(conn, &rep, sizeof(rep), -1);
}

/* Answer FD_GET: pass the program's descriptor the host asked for. Return: 0, or -EPIPE. */
static int serve_fd_get(struct shim_conn *conn, ssize_t n)
{
	const struct tyrc_wire_fd_get *req = (const struct tyrc_wire_fd_get *)conn->rbuf;
	struct tyrc_wire_fd_reply rep = { 0 };
	int fd;

	if ((size_t)n != sizeof(*req))
		return -EPIPE;
	fd = req->fd;
	tyrc_wire_hdr_init(&rep.hdr, TYRC_MSG_FD_GOT, sizeof(rep));
	if (fd < 0 || fcntl(fd, F_GETFD) < 0) {
		rep.err = -EBADF;
		fd = -1;
	}
	return conn_send(conn, &rep, sizeof(rep), fd);
}

long shim_drm_ioctl(int fd, unsigned long request, void *arg)
{
	struct tyrc_wire_ioctl *req;
	const struct tyrc_wire_ioctl_reply *rep;
	struct shim_conn *conn;
	uint32_t size = _IOC_SIZE(request);
	long ret;
	ssize_t n;

	conn = conn_get();
	if (!conn)
		return -ENODEV;
	req = (struct tyrc_wire_ioctl *)conn->sbuf;
	memset(req, 0, sizeof(*req));
	req->cmd = (uint32_t)request;
	req->arg = (uint64_t)(uintptr_t)arg;
	if (arg && size && !self_read(req->win, req->arg, size)) {
		req->flags = TYRC_WIRE_IOCTL_WINDOW;
		req->win_len = size;
	}
	tyrc_wire_hdr_init(&req->hdr, TYRC_MSG_IOCTL, (uint32_t)(sizeof(*req) + req->win_len));
	if (conn_send(conn, req, sizeof(*req) + req->win_len, fd))
		goto err_broken;
	size = req->win_len;

	for (;;) {
		const struct tyrc_wire_hdr *hdr = (const struct tyrc_wire_hdr *)conn->rbuf;
		unsigned int rnfds = 0;
		int rfd = -1;

		n = conn_recv(conn, &rfd, 1, &rnfds, true);
		if (n == -EMFILE) {
			/* The packet is intact; only a descriptor it carried was dropped. */
			if (serve_fd_install(conn, -EMFILE))
				goto err_broken;
			continue;
		}
		if (n < (ssize_t)sizeof(*hdr) || hdr->version != TYRC_WIRE_VERSION ||
		    hdr->len != n) {
			if (rnfds)
				close(rfd);
			goto err_broken;
		}
		if (hdr->type == TYRC_MSG_FD_INSTALL) {
			if (!rnfds || serve_fd_install(conn, rfd))
				goto err_broken;
			continue;
		}
		if (rnfds) {
			close(rfd);
			goto err_broken;
		}
		if (hdr->type == TYRC_MSG_IOCTL_REPLY)
			break;
		if (hdr->type == TYRC_MSG_FD_GET) {
			if (serve_fd_get(conn, n))
				goto err_broken;
			continue;
		}
		if ((hdr->type != TYRC_MSG_COPY_FROM && hdr->type != TYRC_MSG_COPY_TO) ||
		    serve_copy(conn, n))
			goto err_broken;
	}
	rep = (const struct tyrc_wire_ioctl_reply *)conn->rbuf;
	if ((size_t)n < sizeof(*rep) || rep->dirty_len > size ||
	    rep->dirty_off > size - rep->dirty_len || (size_t)n != sizeof(*rep) + rep->dirty_len)
		goto err_broken;
	ret = (long)rep->ret;
	if (rep->dirty_len &&
	    self_write((uint64_t)(uintptr_t)arg + rep->dirty_off, rep->data, rep->dirty_len) &&
	    ret >= 0)
		ret = -EFAULT;
	conn_put(conn, false);
	return ret;

err_broken:
	shim_log("ioctl 0x%lx on fd %d: host connection lost", request, fd);
	conn_put(conn, true);
	return -ENODEV;
}

/*
 * Receive the MMAP_EXTENTS packets of a mapping of @len bytes at @base (or
 * only drain them when @base is MAP_FAILED) and map each extent.
 * Return: 0, a negative errno for a refused extent (all packets are still
 * read), or -EPIPE if the connection broke.
 */
static int recv_extents(struct shim_conn *conn, void *base, size_t len, uint64_t total,
			const int *fds, unsigned int nfds, int prot, int flags)
{
	const struct tyrc_wire_mmap_extents *msg =
		(const struct tyrc_wire_mmap_extents *)conn->rbuf;
	uint64_t got = 0;
	int err = 0;

	while (got < total) {
		ssize_t n = conn_recv(conn, NULL, 0, NULL, false);

		if (n < 0 || tyrc_wire_check(msg, (size_t)n, TYRC_MSG_MMAP_EXTENTS, sizeof(*msg)) ||
		    !msg->nr || msg->nr > total - got ||
		    (size_t)n != sizeof(*msg) + msg->nr * sizeof(msg->extents[0]))
			return -EPIPE;
		for (uint32_t i = 0; i < msg->nr && !err && base != MAP_FAILED; i++) {
			const struct tyrc_wire_extent *e = &msg->extents[i];
			int eprot = prot & (int)e->prot_mask;

			if (eprot != prot)
				err = -EACCES;
			else if (e->fd_index >= nfds || e->map_offset > len ||
				 e->len > len - e->map_offset ||
				 shim_real.mmap((char *)base + e->map_offset, e->len, eprot,
						(flags & (MAP_SHARED | MAP_PRIVATE)) | MAP_FIXED,
						fds[e->fd_index],
						(off_t)e->fd_offset) == MAP_FAILED)
				err = -EINVAL;
		}
		got += msg->nr;
	}
	return err;
}

void *shim_drm_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off, int *err)
{
	struct tyrc_wire_mmap req = { 0 };
	const struct tyrc_wire_mmap_reply *rep;
	int fds[TYRC_WIRE_MAX_FDS];
	struct shim_conn *conn;
	unsigned int nfds = 0, i;
	void *base = MAP_FAILED;
	uint64_t total;
	size_t alen;
	int ret;
	ssize_t n;

	conn = conn_get();
	if (!conn) {
		*err = -ENODEV;
		return MAP_FAILED;
	}
	tyrc_wire_hdr_init(&req.hdr, TYRC_MSG_MMAP, sizeof(req));
	req.len = len;
	req.offset = (uint64_t)off;
	req.prot = (uint32_t)prot;
	req.flags = (uint32_t)flags;
	if (conn_send(conn, &req, sizeof(req), fd)) {
		conn_put(conn, true);
		*err = -ENODEV;
		return MAP_FAILED;
	}
	n = conn_recv(conn, fds, TYRC_WIRE_MAX_FDS, &nfds, true);
	rep = (const struct tyrc_wire_mmap_reply *)conn->rbuf;
	if (n < 0 || tyrc_wire_check(rep, (size_t)n, TYRC_MSG_MMAP_REPLY, sizeof(*rep)) ||
	    (size_t)n != sizeof(*rep) || (rep->err && nfds) ||
	    (!rep->err && (nfds != rep->nr_fds || nfds < 2 || !rep->nr_extents))) {
		*err = -ENODEV;
		goto out_broken;
	}
	if (rep->err) {
		*err = rep->err;
		conn_put(conn, false);
		return MAP_FAILED;
	}
	total = rep->nr_extents;
	/* The host rounded the length up to pages, as the kernel does. */
	alen = (len + 4095) & ~(size_t)4095;
	/* Reserve the whole range, then map each extent over it. */
	base = shim_real.mmap(
		addr, alen, PROT_NONE,
		MAP_PRIVATE | MAP_ANONYMOUS | (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)), -1, 0);
	*err = base == MAP_FAILED ? -errno : 0;
	if (base != MAP_FAILED && (flags & MAP_FIXED))
		shim_map_forget(base, alen);
	ret = recv_extents(conn, base, alen, total, fds + 1, nfds - 1, prot, flags);
	if (ret == -EPIPE) {
		if (base != MAP_FAILED)
			shim_real.munmap(base, alen);
		*err = -ENODEV;
		goto out_broken;
	}
	if (ret && base != MAP_FAILED) {
		shim_real.munmap(base, alen);
		base = MAP_FAILED;
		*err = ret;
	}
	for (i = 1; i < nfds; i++)
		close(fds[i]);
	if (base == MAP_FAILED)
		close(fds[0]);
	else
		shim_map_add(base, alen, fds[0]);
	conn_put(conn, false);
	return base;

out_broken:
	for (i = 0; i < nfds; i++)
		close(fds[i]);
	conn_put(conn, true);
	return MAP_FAILED;
}

/*
 * One request answered with TEXT_REPLY: send @req (@len bytes, with @fd
 * attached unless negative) and copy the text out.
 * Return: malloc'd NUL-terminated text with *@out_len set, or NULL with a
 * negative errno in *@out_len (-ENODEV without a host).
 */
static char *text_exchange(const void *req, size_t len, int fd, long *out_len)
{
	const struct tyrc_wire_text_reply *rep;
	struct shim_conn *conn;
	char *text;
	ssize_t n;

	conn = conn_get();
	if (!conn) {
		*out_len = -ENODEV;
		return NULL;
	}
	n = conn_send(conn, req, len, fd) ? -EPIPE : conn_recv(conn, NULL, 0, NULL, false);
	rep = (const struct tyrc_wire_text_reply *)conn->rbuf;
	if (n < 0 || tyrc_wire_check(rep, (size_t)n, TYRC_MSG_TEXT_REPLY, sizeof(*rep)) ||
	    (size_t)n != sizeof(*rep) + rep->len) {
		conn_put(conn, true);
		*out_len = -ENODEV;
		return NULL;
	}
	if (rep->err) {
		*out_len = rep->err;
		conn_put(conn, false);
		return NULL;
	}
	text = malloc(rep->len + 1);
	if (text) {
		memcpy(text, rep->text, rep->len);
		text[rep->len] = '\0';
		*out_len = rep->len;
	} else {
		*out_len = -ENOMEM;
	}
	conn_put(conn, false);
	return text;
}

char *shim_gen_text(const struct shim_node *node, long *len)
{
	struct tyrc_wire_debugfs req = { 0 };

	if (node->gen == SHIM_GEN_PROFILING)
		return shim_sysfs_request(TYRC_WIRE_SYSFS_PROFILING, TYRC_WIRE_SYSFS_READ, NULL, 0,
					  len);
	tyrc_wire_hdr_init(&req.hdr, TYRC_MSG_DEBUGFS, sizeof(req));
	req.file = node->gen == SHIM_GEN_GEMS ? TYRC_WIRE_DEBUGFS_GEMS : TYRC_WIRE_DEBUGFS_CLIENTS;
	req.minor = node->minor;
	return text_exchange(&req, sizeof(req), -1, len);
}

char *shim_drm_fdinfo(int fd, long *len)
{
	struct tyrc_wire_fdinfo req = { 0 };

	tyrc_wire_hdr_init(&req.hdr, TYRC_MSG_FDINFO, sizeof(req));
	return text_exchange(&req, sizeof(req), fd, len);
}

char *shim_sysfs_request(unsigned int attr, unsigned int op, const void *data, size_t size,
			 long *len)
{
	struct {
		struct tyrc_wire_sysfs req;
		char data[TYRC_WIRE_SYSFS_MAX_WRITE];
	} msg;

	if (size > sizeof(msg.data)) {
		*len = -EINVAL;
		return NULL;
	}
	memset(&msg.req, 0, sizeof(msg.req));
	tyrc_wire_hdr_init(&msg.req.hdr, TYRC_MSG_SYSFS, (uint32_t)(sizeof(msg.req) + size));
	msg.req.attr = attr;
	msg.req.op = op;
	msg.req.len = (uint32_t)size;
	if (size)
		memcpy(msg.data, data, size);
	return text_exchange(&msg, sizeof(msg.req) + size, -1, len);
}
