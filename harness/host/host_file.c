// SPDX-License-Identifier: MIT
/*
 * DOC: Host DRM files
 *
 * A DRM file is a SOCK_SEQPACKET socketpair. The client end, bound to the
 * abstract name "tyrc/<host pid>/<minor>/<serial>", is what the program
 * holds; the host keeps the other end in the monitor's epoll set. When the
 * last reference to the client end goes away (close, exit, SIGKILL — the
 * kernel does it) the host end reports hang-up and the monitor drops the
 * registration reference; the driver's release runs when the last request
 * using the file has finished too.
 *
 * Requests name a file by passing the client end itself (SCM_RIGHTS); the
 * host looks it up by inode in a hash of live files. A descriptor that is
 * not one of ours is refused.
 */
#include <fcntl.h>
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

#define MONITOR_BATCH 64

static unsigned int bucket_of(ino_t ino)
{
	return (unsigned int)(ino % HOST_FILE_BUCKETS);
}

struct host_file *host_file_get(struct host_file *file)
{
	if (file)
		__atomic_add_fetch(&file->refcount, 1, __ATOMIC_RELAXED);
	return file;
}

void host_file_put(struct host_file *file)
{
	int left;

	if (!file)
		return;
	left = __atomic_sub_fetch(&file->refcount, 1, __ATOMIC_ACQ_REL);
	TYRC_BUG_ON(left < 0);
	if (left)
		return;
	tyrc_drm_release(file->drm);
	free(file);
}

int host_files_init(struct tyrc_host *host)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = NULL };

	host->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (host->stop_fd < 0)
		return -errno;
	host->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (host->epoll_fd < 0)
		return -errno;
	if (epoll_ctl(host->epoll_fd, EPOLL_CTL_ADD, host->stop_fd, &ev))
		return -errno;
	return 0;
}

/* Remove @file from the hash; Return: true if it was there. */
static bool unhash(struct tyrc_host *host, struct host_file *file)
{
	struct host_file **pp;
	bool found = false;

	pthread_mutex_lock(&host->files_lock);
	for (pp = &host->files[bucket_of(file->ino)]; *pp; pp = &(*pp)->next) {
		if (*pp == file) {
			*pp = file->next;
			host->nr_files--;
			found = true;
			break;
		}
	}
	pthread_mutex_unlock(&host->files_lock);
	return found;
}

/* The client side is gone: forget the file and drop the registration reference. */
static void host_file_unregister(struct tyrc_host *host, struct host_file *file)
{
	if (!unhash(host, file))
		return;
	epoll_ctl(host->epoll_fd, EPOLL_CTL_DEL, file->host_fd, NULL);
	close(file->host_fd);
	file->host_fd = -1;
	tyrc_dbg("host: DRM file %lu released by its last client", (unsigned long)file->ino);
	host_file_put(file);
}

/* Discard whatever a program wrote into its DRM descriptor (and any fds it sent). */
static void drain(int fd)
{
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int) * 8)];
	} cbuf;
	char data[512];

	for (;;) {
		struct iovec iov = { .iov_base = data, .iov_len = sizeof(data) };
		struct msghdr msg = {
			.msg_iov = &iov,
			.msg_iovlen = 1,
			.msg_control = cbuf.buf,
			.msg_controllen = sizeof(cbuf.buf),
		};

		if (recvmsg(fd, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC) <= 0)
			return;
		tyrc_wire_take_fds(&msg, NULL, 0);
	}
}

static void *monitor_main(void *arg)
{
	struct tyrc_host *host = arg;
	struct epoll_event ev[MONITOR_BATCH];

	for (;;) {
		int i, n = epoll_wait(host->epoll_fd, ev, MONITOR_BATCH, -1);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			tyrc_err("host: epoll_wait: %s", strerror(errno));
			return NULL;
		}
		for (i = 0; i < n; i++) {
			struct host_file *file = ev[i].data.ptr;

			if (!file)
				return NULL; /* stop_fd */
			if (ev[i].data.u64 & 1) {
				/* A mapping token: its only event is the last close. */
				host_mapping_hangup(
					host,
					(struct host_mapping *)(uintptr_t)(ev[i].data.u64 & ~1ULL));
				continue;
			}
			if (ev[i].events & (EPOLLHUP | EPOLLRDHUP | EPOLLERR))
				host_file_unregister(host, file);
			else if (ev[i].events & EPOLLIN)
				drain(file->host_fd);
		}
	}
}

int host_monitor_start(struct tyrc_host *host)
{
	int ret = pthread_create(&host->monitor_thread, NULL, monitor_main, host);

	if (ret)
		return -ret;
	host->monitor_started = true;
	return 0;
}

void host_monitor_stop(struct tyrc_host *host)
{
	u64 one = 1;

	if (host->stop_fd >= 0 && write(host->stop_fd, &one, sizeof(one)) < 0)
		tyrc_err("host: cannot wake the monitor: %s", strerror(errno));
	if (host->monitor_started)
		pthread_join(host->monitor_thread, NULL);
	host->monitor_started = false;
}

void host_files_release_all(struct tyrc_host *host)
{
	for (;;) {
		struct host_file *file = NULL;
		unsigned int b;

		pthread_mutex_lock(&host->files_lock);
		for (b = 0; b < HOST_FILE_BUCKETS && !file; b++)
			file = host->files[b];
		pthread_mutex_unlock(&host->files_lock);
		if (!file)
			break;
		host_file_unregister(host, file);
	}
}

/* Bind the client end to its abstract name: the mark the shim recognises. */
static int bind_name(int fd, pid_t pid, enum tyrc_minor_type type, u64 serial)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int n;

	n = snprintf(addr.sun_path + 1, sizeof(addr.sun_path) - 1,
		     TYRC_WIRE_FILE_PREFIX "%d/%u/%llu", (int)pid,
		     type == TYRC_MINOR_RENDER ? 128u : 0u, (unsigned long long)serial);
	if (n < 0 || (size_t)n >= sizeof(addr.sun_path) - 1)
		return -ENAMETOOLONG;
	if (bind(fd, (struct sockaddr *)&addr,
		 (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + (size_t)n)))
		return -errno;
	return 0;
}

int host_file_open(struct tyrc_host *host, enum tyrc_minor_type type,
		   const struct tyrc_client *client, bool nonblock, int *client_fd)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLRDHUP };
	struct host_file *file;
	struct stat st;
	int sv[2], ret;
	u64 serial;

	file = calloc(1, sizeof(*file));
	if (!file)
		return -ENOMEM;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv)) {
		ret = -errno;
		goto err_free;
	}
	pthread_mutex_lock(&host->files_lock);
	serial = ++host->next_serial;
	pthread_mutex_unlock(&host->files_lock);
	ret = bind_name(sv[1], host->pid, type, serial);
	if (ret)
		goto err_close;
	if (nonblock && fcntl(sv[1], F_SETFL, O_NONBLOCK)) {
		ret = -errno;
		goto err_close;
	}
	if (fstat(sv[1], &st)) {
		ret = -errno;
		goto err_close;
	}
	ret = tyrc_drm_open(host->dev, type, client, &file->drm);
	if (ret)
		goto err_close;

	file->refcount = 1;
	file->host = host;
	file->type = type;
	file->ino = st.st_ino;
	file->host_fd = sv[0];
	pthread_mutex_lock(&host->files_lock);
	file->next = host->files[bucket_of(file->ino)];
	host->files[bucket_of(file->ino)] = file;
	host->nr_files++;
	pthread_mutex_unlock(&host->files_lock);

	ev.data.ptr = file;
	if (epoll_ctl(host->epoll_fd, EPOLL_CTL_ADD, sv[0], &ev)) {
		ret = -errno;
		close(sv[1]);
		host_file_unregister(host, file);
		return ret;
	}
	tyrc_dbg("host: pid %d opened DRM file %lu on minor %u", (int)client->pid,
		 (unsigned long)st.st_ino, type == TYRC_MINOR_RENDER ? 128u : 0u);
	*client_fd = sv[1];
	return 0;

err_close:
	close(sv[0]);
	close(sv[1]);
err_free:
	free(file);
	return ret;
}

/* Is @fd a socket named like one of our files (a file of an earlier host)? */
static bool looks_like_ours(int fd)
{
	struct sockaddr_un addr;
	socklen_t len = sizeof(addr);
	size_t plen = strlen(TYRC_WIRE_FILE_PREFIX);

	if (getsockname(fd, (struct sockaddr *)&addr, &len) || addr.sun_family != AF_UNIX)
		return false;
	if (len < offsetof(struct sockaddr_un, sun_path) + 1 + plen || addr.sun_path[0])
		return false;
	return !memcmp(addr.sun_path + 1, TYRC_WIRE_FILE_PREFIX, plen);
}

struct host_file *host_file_lookup(struct tyrc_host *host, int fd, int *err)
{
	struct host_file *file;
	struct stat st;

	if (fstat(fd, &st) || !S_ISSOCK(st.st_mode) || st.st_dev != host->sock_dev) {
		*err = -EBADF;
		return NULL;
	}
	pthread_mutex_lock(&host->files_lock);
	for (file = host->files[bucket_of(st.st_ino)]; file; file = file->next) {
		if (file->ino == st.st_ino) {
			host_file_get(file);
			break;
		}
	}
	pthread_mutex_unlock(&host->files_lock);
	if (!file)
		*err = looks_like_ours(fd) ? -ENODEV : -EBADF;
	return file;
}
