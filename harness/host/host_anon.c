// SPDX-License-Identifier: MIT
/*
 * DOC: Host anonymous files (syncobj fds, sync_files)
 *
 * What the driver makes with tyrc_fd_install() reaches the program as one
 * end of a SOCK_SEQPACKET socketpair, like a DRM file: the client end is
 * bound to "\0tyrc/<host pid>/<kind>/<serial>" and handed over inside the
 * ioctl (FD_INSTALL), so the program holds a real descriptor it can dup,
 * pass over a UNIX socket, poll and close. The host keeps the other end:
 * its own monitor thread sees the hang-up when the last client reference
 * is gone and drops the file's reference; the driver writes one byte into
 * it to make the client end readable (POLLIN) for good.
 *
 * A descriptor number in an ioctl argument is resolved with FD_GET: the
 * shim passes that descriptor, and the host looks it up by socket inode;
 * anything else is handed to the driver as a raw duplicate.
 *
 * Lock: @lock guards the hash and @next_serial. The hash holds one
 * reference per live file.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "host_priv.h"

#define ANON_BUCKETS 64
#define ANON_BATCH 32

/** struct host_anon - one installed anon file. */
struct host_anon {
	struct tyrc_anon_file *file;
	/** @ino: inode of the client end (lookup key). */
	ino_t ino;
	/** @host_fd: the host's end (also the file's notification socket). */
	int host_fd;
	struct host_anon *next;
};

/** struct host_anon_table - the host's anon files and their monitor. */
struct host_anon_table {
	pthread_mutex_t lock;
	struct host_anon *hash[ANON_BUCKETS];
	u64 next_serial;
	int epoll_fd;
	int stop_fd;
	pthread_t thread;
	bool started;
};

static unsigned int bucket_of(ino_t ino)
{
	return (unsigned int)(ino % ANON_BUCKETS);
}

/* Unhash @anon (if still there) and drop the hash's reference. */
static void anon_unregister(struct host_anon_table *t, struct host_anon *anon)
{
	struct host_anon **pp;
	bool found = false;
	int fd;

	pthread_mutex_lock(&t->lock);
	for (pp = &t->hash[bucket_of(anon->ino)]; *pp; pp = &(*pp)->next) {
		if (*pp == anon) {
			*pp = anon->next;
			found = true;
			break;
		}
	}
	pthread_mutex_unlock(&t->lock);
	if (!found)
		return;
	epoll_ctl(t->epoll_fd, EPOLL_CTL_DEL, anon->host_fd, NULL);
	fd = tyrc_anon_file_detach(anon->file);
	if (fd >= 0)
		close(fd);
	tyrc_anon_file_put(anon->file);
	free(anon);
}

static void *anon_monitor_main(void *arg)
{
	struct host_anon_table *t = arg;
	struct epoll_event ev[ANON_BATCH];

	for (;;) {
		int i, n = epoll_wait(t->epoll_fd, ev, ANON_BATCH, -1);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			tyrc_err("host: anon epoll_wait: %s", strerror(errno));
			return NULL;
		}
		for (i = 0; i < n; i++) {
			struct host_anon *anon = ev[i].data.ptr;
			char junk[64];

			if (!anon)
				return NULL;
			if (ev[i].events & (EPOLLHUP | EPOLLRDHUP | EPOLLERR))
				anon_unregister(t, anon);
			else if (recv(anon->host_fd, junk, sizeof(junk), MSG_DONTWAIT) < 0)
				tyrc_dbg("host: anon file drain: %s", strerror(errno));
		}
	}
}

int host_anon_init(struct tyrc_host *host)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = NULL };
	struct host_anon_table *t = calloc(1, sizeof(*t));
	int ret;

	if (!t)
		return -ENOMEM;
	pthread_mutex_init(&t->lock, NULL);
	t->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	t->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (t->stop_fd < 0 || t->epoll_fd < 0 ||
	    epoll_ctl(t->epoll_fd, EPOLL_CTL_ADD, t->stop_fd, &ev)) {
		ret = -errno;
		goto err;
	}
	ret = -pthread_create(&t->thread, NULL, anon_monitor_main, t);
	if (ret)
		goto err;
	t->started = true;
	host->anon = t;
	return 0;
err:
	if (t->stop_fd >= 0)
		close(t->stop_fd);
	if (t->epoll_fd >= 0)
		close(t->epoll_fd);
	pthread_mutex_destroy(&t->lock);
	free(t);
	return ret;
}

void host_anon_stop(struct tyrc_host *host)
{
	struct host_anon_table *t = host->anon;
	u64 one = 1;

	if (!t)
		return;
	if (write(t->stop_fd, &one, sizeof(one)) < 0)
		tyrc_err("host: cannot stop the anon monitor: %s", strerror(errno));
	if (t->started)
		pthread_join(t->thread, NULL);
	for (;;) {
		struct host_anon *anon = NULL;
		unsigned int b;

		pthread_mutex_lock(&t->lock);
		for (b = 0; b < ANON_BUCKETS && !anon; b++)
			anon = t->hash[b];
		pthread_mutex_unlock(&t->lock);
		if (!anon)
			break;
		anon_unregister(t, anon);
	}
	close(t->stop_fd);
	close(t->epoll_fd);
	pthread_mutex_destroy(&t->lock);
	free(t);
	host->anon = NULL;
}

/* Make the socketpair of @file and register it. Return: the client end, or -errno. */
static int anon_create(struct tyrc_host *host, struct tyrc_anon_file *file)
{
	struct host_anon_table *t = host->anon;
	struct epoll_event ev = { .events = EPOLLIN | EPOLLRDHUP };
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct host_anon *anon;
	struct stat st;
	int sv[2], n, ret;
	u64 serial;

	anon = calloc(1, sizeof(*anon));
	if (!anon)
		return -ENOMEM;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv)) {
		ret = -errno;
		free(anon);
		return ret;
	}
	pthread_mutex_lock(&t->lock);
	serial = ++t->next_serial;
	pthread_mutex_unlock(&t->lock);
	n = snprintf(addr.sun_path + 1, sizeof(addr.sun_path) - 1,
		     TYRC_WIRE_FILE_PREFIX "%d/%s/%llu", (int)host->pid, file->ops->name,
		     (unsigned long long)serial);
	if (n < 0 || (size_t)n >= sizeof(addr.sun_path) - 1) {
		ret = -ENAMETOOLONG;
		goto err;
	}
	if (bind(sv[1], (struct sockaddr *)&addr,
		 (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + (size_t)n)) ||
	    fstat(sv[1], &st)) {
		ret = -errno;
		goto err;
	}
	anon->file = tyrc_anon_file_get(file);
	anon->ino = st.st_ino;
	anon->host_fd = sv[0];
	pthread_mutex_lock(&t->lock);
	anon->next = t->hash[bucket_of(anon->ino)];
	t->hash[bucket_of(anon->ino)] = anon;
	pthread_mutex_unlock(&t->lock);
	tyrc_anon_file_attach(file, sv[0]);
	ev.data.ptr = anon;
	if (epoll_ctl(t->epoll_fd, EPOLL_CTL_ADD, sv[0], &ev)) {
		ret = -errno;
		close(sv[1]);
		anon_unregister(t, anon);
		return ret;
	}
	return sv[1];
err:
	close(sv[0]);
	close(sv[1]);
	free(anon);
	return ret;
}

struct tyrc_anon_file *host_anon_lookup(struct tyrc_host *host, int fd)
{
	struct host_anon_table *t = host->anon;
	struct tyrc_anon_file *file = NULL;
	struct host_anon *anon;
	struct stat st;

	if (!t || fstat(fd, &st) || !S_ISSOCK(st.st_mode) || st.st_dev != host->sock_dev)
		return NULL;
	pthread_mutex_lock(&t->lock);
	for (anon = t->hash[bucket_of(st.st_ino)]; anon; anon = anon->next) {
		if (anon->ino == st.st_ino) {
			file = tyrc_anon_file_get(anon->file);
			break;
		}
	}
	pthread_mutex_unlock(&t->lock);
	return file;
}

int host_anon_install(struct host_conn *conn, struct tyrc_anon_file *file, u32 flags)
{
	struct tyrc_wire_fd_install req = { 0 };
	const struct tyrc_wire_fd_reply *rep;
	int fds[2], client_fd, ret;
	unsigned int nfds;
	ssize_t n;

	if (conn->broken)
		return -EBADF;
	client_fd = anon_create(conn->host, file);
	if (client_fd < 0)
		return client_fd;
	tyrc_wire_hdr_init(&req.hdr, TYRC_MSG_FD_INSTALL, sizeof(req));
	req.flags = (flags & TYRC_FD_CLOEXEC) ? TYRC_WIRE_FD_CLOEXEC : 0;
	ret = host_conn_send(conn, &req, sizeof(req), &client_fd, 1);
	/* The message holds the client end now; without it the monitor sees HUP. */
	close(client_fd);
	if (ret)
		return -EBADF;
	n = host_conn_recv(conn, fds, 2, &nfds);
	if (n < 0)
		return -EBADF;
	while (nfds)
		close(fds[--nfds]);
	rep = (const struct tyrc_wire_fd_reply *)conn->rbuf;
	if (tyrc_wire_check(rep, (size_t)n, TYRC_MSG_FD_INSTALLED, sizeof(*rep)) ||
	    (size_t)n != sizeof(*rep) || (!rep->err && rep->fd < 0) || rep->err > 0) {
		conn->broken = true;
		return -EBADF;
	}
	return rep->err ? rep->err : rep->fd;
}

int host_anon_fget(struct host_conn *conn, int fd, struct tyrc_anon_file **file, int *raw_fd)
{
	struct tyrc_wire_fd_get req = { 0 };
	const struct tyrc_wire_fd_reply *rep;
	unsigned int nfds;
	int fds[2];
	ssize_t n;

	if (conn->broken)
		return -EBADF;
	tyrc_wire_hdr_init(&req.hdr, TYRC_MSG_FD_GET, sizeof(req));
	req.fd = fd;
	if (host_conn_send(conn, &req, sizeof(req), NULL, 0))
		return -EBADF;
	n = host_conn_recv(conn, fds, 2, &nfds);
	if (n < 0)
		return -EBADF;
	rep = (const struct tyrc_wire_fd_reply *)conn->rbuf;
	if (tyrc_wire_check(rep, (size_t)n, TYRC_MSG_FD_GOT, sizeof(*rep)) ||
	    (size_t)n != sizeof(*rep) || (rep->err ? nfds != 0 : nfds != 1)) {
		while (nfds)
			close(fds[--nfds]);
		conn->broken = true;
		return -EBADF;
	}
	if (rep->err)
		return -EBADF;
	*file = host_anon_lookup(conn->host, fds[0]);
	if (*file)
		close(fds[0]);
	else
		*raw_fd = fds[0];
	return 0;
}

bool host_conn_aborted(struct host_conn *conn)
{
	struct pollfd pfd = { .fd = conn->fd, .events = POLLRDHUP };

	if (conn->broken)
		return true;
	return poll(&pfd, 1, 0) > 0 && (pfd.revents & (POLLHUP | POLLRDHUP | POLLERR));
}
