// SPDX-License-Identifier: MIT
/*
 * DOC: Host server
 *
 * The listening socket, the accept thread and one thread per control
 * connection. A connection thread reads one request at a time and answers
 * it; requests are validated before anything else (size, version, type,
 * attached descriptors), a malformed one ends the connection, and no
 * client input can make the host misbehave beyond failing that client.
 *
 * Shutdown order (tyrc_host_stop): stop accepting; shut every connection
 * down so blocked reads and in-flight uaccess fail; join the connection
 * threads; stop the monitor; release the remaining DRM files.
 */
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "host_priv.h"

#define LISTEN_BACKLOG 64
/* Descriptors a request may carry (IOCTL, MMAP and FDINFO carry exactly one). */
#define REQ_MAX_FDS 2

static void close_fds(int *fds, unsigned int nfds)
{
	unsigned int i;

	for (i = 0; i < nfds; i++)
		close(fds[i]);
}

/* Fill @client from the connection's peer credentials. */
static void peer_client(int fd, struct tyrc_client *client)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);
	char path[64];
	ssize_t n;
	int cfd;

	memset(client, 0, sizeof(*client));
	client->uid = (uid_t)-1;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len))
		return;
	client->pid = cred.pid;
	client->uid = cred.uid;
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)cred.pid);
	cfd = open(path, O_RDONLY | O_CLOEXEC);
	if (cfd < 0)
		return;
	n = read(cfd, client->comm, sizeof(client->comm) - 1);
	close(cfd);
	if (n <= 0) {
		client->comm[0] = '\0';
		return;
	}
	client->comm[n] = '\0';
	client->comm[strcspn(client->comm, "\n")] = '\0';
}

int host_send_text(struct host_conn *conn, int err, const char *text)
{
	struct tyrc_wire_text_reply *rep = (struct tyrc_wire_text_reply *)conn->sbuf;
	size_t len = text ? strlen(text) : 0;

	if (len > TYRC_WIRE_MAX_TEXT)
		len = TYRC_WIRE_MAX_TEXT;
	memset(rep, 0, sizeof(*rep));
	tyrc_wire_hdr_init(&rep->hdr, TYRC_MSG_TEXT_REPLY, (u32)(sizeof(*rep) + len));
	rep->err = err;
	rep->len = (u32)len;
	if (len)
		memcpy(rep->text, text, len);
	return host_conn_send(conn, rep, sizeof(*rep) + len, NULL, 0);
}

static int do_open(struct host_conn *conn, ssize_t n)
{
	const struct tyrc_wire_open *req = (const struct tyrc_wire_open *)conn->rbuf;
	struct tyrc_wire_open_reply rep = { 0 };
	int fd = -1, ret;

	tyrc_wire_hdr_init(&rep.hdr, TYRC_MSG_OPEN_REPLY, sizeof(rep));
	if ((size_t)n != sizeof(*req))
		return -EPROTO;
	if (req->flags & ~TYRC_WIRE_OPEN_NONBLOCK)
		ret = -EINVAL;
	else if (req->minor_type != TYRC_MINOR_PRIMARY && req->minor_type != TYRC_MINOR_RENDER)
		ret = -ENXIO;
	else
		ret = host_file_open(conn->host, (enum tyrc_minor_type)req->minor_type,
				     &conn->client, req->flags & TYRC_WIRE_OPEN_NONBLOCK, &fd);
	rep.err = ret;
	ret = host_conn_send(conn, &rep, sizeof(rep), fd >= 0 ? &fd : NULL, fd >= 0 ? 1 : 0);
	if (fd >= 0)
		close(fd); /* the in-flight message (or nobody) holds it now */
	return ret;
}

static int send_ioctl_reply(struct host_conn *conn, long ret, const struct host_uwin *win)
{
	struct tyrc_wire_ioctl_reply *rep = (struct tyrc_wire_ioctl_reply *)conn->sbuf;
	u32 off, len;

	host_uwin_dirty(win, &off, &len);
	memset(rep, 0, sizeof(*rep));
	tyrc_wire_hdr_init(&rep->hdr, TYRC_MSG_IOCTL_REPLY, (u32)(sizeof(*rep) + len));
	rep->ret = ret;
	rep->dirty_off = off;
	rep->dirty_len = len;
	if (len)
		memcpy(rep->data, win->bytes + off, len);
	return host_conn_send(conn, rep, sizeof(*rep) + len, NULL, 0);
}

static int do_ioctl(struct host_conn *conn, ssize_t n, int *fds, unsigned int nfds)
{
	const struct tyrc_wire_ioctl *req = (const struct tyrc_wire_ioctl *)conn->rbuf;
	struct tyrc_anon_file *anon;
	struct host_uwin win;
	struct host_file *file;
	u32 cmd, win_len;
	u64 arg;
	long ret;
	int err;

	if ((size_t)n < sizeof(*req) || (req->flags & ~TYRC_WIRE_IOCTL_WINDOW) ||
	    req->win_len > TYRC_WIRE_MAX_WINDOW) {
		close_fds(fds, nfds);
		return -EPROTO;
	}
	win_len = (req->flags & TYRC_WIRE_IOCTL_WINDOW) ? req->win_len : 0;
	if ((size_t)n != sizeof(*req) + win_len || (!win_len && req->win_len)) {
		close_fds(fds, nfds);
		return -EPROTO;
	}
	cmd = req->cmd;
	arg = req->arg;
	memcpy(conn->win, req->win, win_len);
	host_uwin_init(&win, arg, conn->win, win_len);

	if (nfds != 1) {
		close_fds(fds, nfds);
		return send_ioctl_reply(conn, -EBADF, &win);
	}
	/* A sync_file (the shim forwards their ioctls) rather than a DRM file? */
	anon = host_anon_lookup(conn->host, fds[0]);
	if (anon) {
		close(fds[0]);
		ret = host_run_anon_ioctl(conn, anon, cmd, arg, &win);
		tyrc_anon_file_put(anon);
		if (conn->broken)
			return -EPIPE;
		return send_ioctl_reply(conn, ret, &win);
	}
	file = host_file_lookup(conn->host, fds[0], &err);
	close(fds[0]);
	if (!file)
		return send_ioctl_reply(conn, err, &win);

	ret = host_run_ioctl(conn, file, cmd, arg, &win);
	host_file_put(file);
	if (conn->broken)
		return -EPIPE;
	return send_ioctl_reply(conn, ret, &win);
}

static int do_mmap(struct host_conn *conn, ssize_t n, int *fds, unsigned int nfds)
{
	const struct tyrc_wire_mmap *req = (const struct tyrc_wire_mmap *)conn->rbuf;
	struct host_file *file;
	int ret, err;

	if ((size_t)n != sizeof(*req)) {
		close_fds(fds, nfds);
		return -EPROTO;
	}
	if (nfds != 1) {
		close_fds(fds, nfds);
		return host_mmap_reply_err(conn, -EBADF);
	}
	file = host_file_lookup(conn->host, fds[0], &err);
	close(fds[0]);
	if (!file)
		return host_mmap_reply_err(conn, err);
	ret = host_serve_mmap(conn, file, req);
	host_file_put(file);
	return ret;
}

static int do_debugfs(struct host_conn *conn, ssize_t n)
{
	const struct tyrc_wire_debugfs *req = (const struct tyrc_wire_debugfs *)conn->rbuf;
	char *text = NULL;
	int ret;

	if ((size_t)n != sizeof(*req))
		return -EPROTO;
	if (req->minor != 0 && req->minor != 128)
		return host_send_text(conn, -ENOENT, NULL);
	if (req->file == TYRC_WIRE_DEBUGFS_CLIENTS)
		ret = tyrc_host_clients_text(conn->host->dev, &text);
	else if (req->file == TYRC_WIRE_DEBUGFS_GEMS)
		ret = tyrc_host_gems_text(conn->host->dev, &text);
	else
		return host_send_text(conn, -ENOENT, NULL);
	ret = host_send_text(conn, ret, text);
	free(text);
	return ret;
}

static int do_info(struct host_conn *conn, ssize_t n)
{
	char *text = NULL;
	int ret;

	if ((size_t)n != sizeof(struct tyrc_wire_hdr))
		return -EPROTO;
	ret = tyrc_host_info_text(conn->host, &text);
	ret = host_send_text(conn, ret, text);
	free(text);
	return ret;
}

/* Serve one request. Return: 0 to go on, negative to drop the connection. */
static int conn_serve_one(struct host_conn *conn)
{
	const struct tyrc_wire_hdr *hdr = (const struct tyrc_wire_hdr *)conn->rbuf;
	int fds[REQ_MAX_FDS];
	unsigned int nfds;
	ssize_t n;

	n = host_conn_recv(conn, fds, REQ_MAX_FDS, &nfds);
	if (n < 0)
		return (int)n;
	if ((size_t)n < sizeof(*hdr) || hdr->version != TYRC_WIRE_VERSION || hdr->len != n) {
		close_fds(fds, nfds);
		return -EPROTO;
	}
	switch (hdr->type) {
	case TYRC_MSG_IOCTL:
		return do_ioctl(conn, n, fds, nfds);
	case TYRC_MSG_MMAP:
		return do_mmap(conn, n, fds, nfds);
	case TYRC_MSG_FDINFO:
		return host_serve_fdinfo(conn, n, fds, nfds);
	default:
		break;
	}
	if (nfds) {
		close_fds(fds, nfds);
		return -EPROTO;
	}
	switch (hdr->type) {
	case TYRC_MSG_OPEN:
		return do_open(conn, n);
	case TYRC_MSG_DEBUGFS:
		return do_debugfs(conn, n);
	case TYRC_MSG_INFO:
		return do_info(conn, n);
	case TYRC_MSG_SYSFS:
		return host_serve_sysfs(conn, n);
	default:
		return -EPROTO;
	}
}

static void *conn_main(void *arg)
{
	struct host_conn *conn = arg;
	int ret;

	do {
		ret = conn_serve_one(conn);
	} while (!ret && !conn->broken);
	if (ret == -EPROTO)
		tyrc_warn("host: protocol error from pid %d (%s), disconnecting",
			  (int)conn->client.pid, conn->client.comm);
	shutdown(conn->fd, SHUT_RDWR);
	__atomic_store_n(&conn->done, true, __ATOMIC_RELEASE);
	return NULL;
}

static void conn_free(struct host_conn *conn)
{
	close(conn->fd);
	free(conn->rbuf);
	free(conn->sbuf);
	free(conn);
}

/* Join and free connections whose thread has finished (all of them if @all). */
static void reap_conns(struct tyrc_host *host, bool all)
{
	struct host_conn **pp, *dead = NULL, *conn;

	pthread_mutex_lock(&host->conns_lock);
	pp = &host->conns;
	while ((conn = *pp)) {
		if (all || __atomic_load_n(&conn->done, __ATOMIC_ACQUIRE)) {
			*pp = conn->next;
			conn->next = dead;
			dead = conn;
		} else {
			pp = &conn->next;
		}
	}
	pthread_mutex_unlock(&host->conns_lock);
	while ((conn = dead)) {
		dead = conn->next;
		pthread_join(conn->thread, NULL);
		conn_free(conn);
	}
}

static void accept_one(struct tyrc_host *host)
{
	struct host_conn *conn;
	int fd, ret;

	fd = accept4(host->listen_fd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0) {
		if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
			tyrc_err("host: accept: %s", strerror(errno));
		return;
	}
	conn = calloc(1, sizeof(*conn));
	if (conn) {
		conn->rbuf = malloc(TYRC_WIRE_MAX_MSG);
		conn->sbuf = malloc(TYRC_WIRE_MAX_MSG);
	}
	if (!conn || !conn->rbuf || !conn->sbuf) {
		tyrc_err("host: out of memory for a connection");
		if (conn) {
			free(conn->rbuf);
			free(conn->sbuf);
			free(conn);
		}
		close(fd);
		return;
	}
	conn->host = host;
	conn->fd = fd;
	peer_client(fd, &conn->client);
	if (conn->client.uid != getuid() && conn->client.uid != 0) {
		tyrc_warn("host: refusing pid %d of uid %u", (int)conn->client.pid,
			  (unsigned int)conn->client.uid);
		conn_free(conn);
		return;
	}
	pthread_mutex_lock(&host->conns_lock);
	ret = pthread_create(&conn->thread, NULL, conn_main, conn);
	if (!ret) {
		conn->next = host->conns;
		host->conns = conn;
	}
	pthread_mutex_unlock(&host->conns_lock);
	if (ret) {
		tyrc_err("host: cannot start a connection thread: %s", strerror(ret));
		conn_free(conn);
	}
}

static void *accept_main(void *arg)
{
	struct tyrc_host *host = arg;
	struct pollfd pfd[2] = {
		{ .fd = host->listen_fd, .events = POLLIN },
		{ .fd = host->stop_fd, .events = POLLIN },
	};

	for (;;) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			tyrc_err("host: poll: %s", strerror(errno));
			return NULL;
		}
		if (pfd[1].revents)
			return NULL;
		reap_conns(host, false);
		if (pfd[0].revents & POLLIN)
			accept_one(host);
	}
}

/* Bind and listen at @path, replacing a stale socket nobody answers on. */
static int listen_at(struct tyrc_host *host, const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct stat st;
	int fd, attempt;

	if (strlen(path) >= sizeof(addr.sun_path))
		return -ENAMETOOLONG;
	strcpy(addr.sun_path, path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	for (attempt = 0;; attempt++) {
		int ret;

		if (!bind(fd, (struct sockaddr *)&addr, sizeof(addr)))
			break;
		ret = -errno;
		if (ret != -EADDRINUSE || attempt || tyrc_host_probe_socket(path)) {
			close(fd);
			return ret;
		}
		tyrc_info("host: removing stale socket %s", path);
		unlink(path);
	}
	if (listen(fd, LISTEN_BACKLOG) || fstat(fd, &st)) {
		int ret = -errno;

		close(fd);
		unlink(path);
		return ret;
	}
	host->listen_fd = fd;
	host->sock_dev = st.st_dev;
	return 0;
}

int tyrc_host_start(struct tyrc_device *dev, const struct tyrc_host_config *cfg,
		    struct tyrc_host **out)
{
	struct tyrc_host *host;
	int ret;

	host = calloc(1, sizeof(*host));
	if (!host)
		return -ENOMEM;
	host->dev = dev;
	host->cfg = *cfg;
	host->pid = getpid();
	host->listen_fd = -1;
	host->stop_fd = -1;
	host->epoll_fd = -1;
	pthread_mutex_init(&host->conns_lock, NULL);
	pthread_mutex_init(&host->files_lock, NULL);
	if (cfg->socket_path) {
		if (strlen(cfg->socket_path) >= sizeof(host->socket_path)) {
			ret = -ENAMETOOLONG;
			goto err_free;
		}
		strcpy(host->socket_path, cfg->socket_path);
	} else {
		ret = tyrc_host_default_socket(host->socket_path, sizeof(host->socket_path));
		if (ret)
			goto err_free;
	}
	host->cfg.socket_path = host->socket_path;

	ret = host_files_init(host);
	if (ret)
		goto err_close;
	ret = host_monitor_start(host);
	if (ret)
		goto err_close;
	ret = host_anon_init(host);
	if (ret)
		goto err_monitor;
	ret = listen_at(host, host->socket_path);
	if (ret)
		goto err_monitor;
	ret = -pthread_create(&host->accept_thread, NULL, accept_main, host);
	if (ret)
		goto err_unlisten;
	host->accept_started = true;
	tyrc_info("host: serving on %s", host->socket_path);
	*out = host;
	return 0;

err_unlisten:
	close(host->listen_fd);
	unlink(host->socket_path);
err_monitor:
	host_anon_stop(host);
	host_monitor_stop(host);
err_close:
	if (host->epoll_fd >= 0)
		close(host->epoll_fd);
	if (host->stop_fd >= 0)
		close(host->stop_fd);
err_free:
	pthread_mutex_destroy(&host->files_lock);
	pthread_mutex_destroy(&host->conns_lock);
	free(host);
	return ret;
}

const char *tyrc_host_socket_path(const struct tyrc_host *host)
{
	return host->socket_path;
}

void tyrc_host_stop(struct tyrc_host *host)
{
	struct host_conn *conn;
	u64 one = 1;

	if (!host)
		return;
	/* 1. No new clients. */
	if (write(host->stop_fd, &one, sizeof(one)) < 0)
		tyrc_err("host: cannot signal stop: %s", strerror(errno));
	if (host->accept_started)
		pthread_join(host->accept_thread, NULL);
	close(host->listen_fd);
	unlink(host->socket_path);

	/* 2. Disconnect everybody; in-flight ioctls fail their uaccess and unwind. */
	pthread_mutex_lock(&host->conns_lock);
	for (conn = host->conns; conn; conn = conn->next)
		shutdown(conn->fd, SHUT_RDWR);
	pthread_mutex_unlock(&host->conns_lock);
	reap_conns(host, true);

	/*
	 * 3. Nobody can reach a file any more: drop every mapping (each holds
	 * its file), then release the files.
	 */
	host_monitor_stop(host);
	host_anon_stop(host);
	host_mappings_release_all(host);
	host_files_release_all(host);

	close(host->epoll_fd);
	close(host->stop_fd);
	pthread_mutex_destroy(&host->files_lock);
	pthread_mutex_destroy(&host->conns_lock);
	tyrc_info("host: stopped");
	free(host);
}
