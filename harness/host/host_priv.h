/* SPDX-License-Identifier: MIT */
/*
 * Host internals shared by host_server.c (listener, control connections,
 * requests), host_file.c (DRM file table and monitor) and host_uaccess.c
 * (user memory of the client running an ioctl).
 *
 * Lock order: conns_lock, then files_lock. Neither is held while calling
 * into the driver.
 *
 * The monitor's epoll set holds DRM files (data.ptr = struct host_file)
 * and mapping tokens (data.u64 = struct host_mapping address | 1).
 */
#ifndef TYRC_HOST_PRIV_H
#define TYRC_HOST_PRIV_H

#include <pthread.h>
#include <sys/types.h>

#include "tyrc_host.h"
#include "tyrc_wire.h"
#include "host_uwin.h"

/* Buckets of the inode -> file hash. */
#define HOST_FILE_BUCKETS 256

/**
 * struct host_file - one open DRM file.
 *
 * References: one for being registered (table + monitor), one per request
 * using it. The last put calls tyrc_drm_release(), so the driver never sees
 * a release while an ioctl runs on the file.
 */
struct host_file {
	/** @refcount: atomic. */
	int refcount;
	/** @host: owner. */
	struct tyrc_host *host;
	/** @drm: the driver's file. */
	struct tyrc_file *drm;
	/** @type: node it was opened through. */
	enum tyrc_minor_type type;
	/** @ino: inode of the client end of the socketpair (lookup key). */
	ino_t ino;
	/** @host_fd: the host's end; owned by the monitor once registered. */
	int host_fd;
	/** @next: hash chain (host->files_lock). */
	struct host_file *next;
};

/**
 * struct host_mapping - one mmap of a DRM file, alive while any copy of its
 * token (the client end of a socketpair) is open in some process.
 */
struct host_mapping {
	/** @file: the mapped file (holds a reference: vma->vm_file). */
	struct host_file *file;
	/** @vma: the driver's mapping (holds the BO reference). */
	struct tyrc_vm_area vma;
	/** @host_fd: the host's end of the token socketpair (in the monitor's epoll set). */
	int host_fd;
	/** @prev, @next: host->maps list (files_lock). */
	struct host_mapping *prev, *next;
};

/**
 * struct host_conn - one control connection (one client thread).
 *
 * Created by the accept thread, served by its own thread; the accept thread
 * or tyrc_host_stop() joins and frees it once @done is set.
 */
struct host_conn {
	struct tyrc_host *host;
	/** @fd: the connection socket; closed only when the conn is freed. */
	int fd;
	/** @thread: the serving thread. */
	pthread_t thread;
	/** @done: atomic; set by the serving thread as its last action. */
	bool done;
	/** @broken: transport failed (only the serving thread touches it). */
	bool broken;
	/** @client: peer credentials at connect time. */
	struct tyrc_client client;
	/** @rbuf, @sbuf: receive / send buffers of TYRC_WIRE_MAX_MSG bytes. */
	u8 *rbuf;
	u8 *sbuf;
	/** @win: storage of the current ioctl's window. */
	u8 win[TYRC_WIRE_MAX_WINDOW];
	/** @next: list of live connections (host->conns_lock). */
	struct host_conn *next;
};

/** struct tyrc_host - see tyrc_host.h. */
struct tyrc_host {
	struct tyrc_device *dev;
	struct tyrc_host_config cfg;
	char socket_path[108];
	/** @pid: host process id (part of every file's socket name). */
	pid_t pid;
	int listen_fd;
	/** @sock_dev: st_dev of sockets (sockfs), to check received descriptors. */
	dev_t sock_dev;
	/** @stop_fd: eventfd, readable once stopping starts. */
	int stop_fd;
	/** @epoll_fd: the monitor's epoll set (stop_fd and every host_fd). */
	int epoll_fd;
	pthread_t accept_thread;
	pthread_t monitor_thread;
	bool accept_started;
	bool monitor_started;

	/** @conns_lock: guards @conns. */
	pthread_mutex_t conns_lock;
	/** @conns: live control connections (conns_lock). */
	struct host_conn *conns;

	/** @files_lock: guards @files, @nr_files and @next_serial. */
	pthread_mutex_t files_lock;
	struct host_file *files[HOST_FILE_BUCKETS];
	unsigned int nr_files;
	u64 next_serial;
	/** @anon: installed anon files (syncobj fds, sync_files) and their monitor (host_anon.c). */
	struct host_anon_table *anon;
	/** @maps: live mappings (files_lock); @nr_maps: their number. */
	struct host_mapping *maps;
	unsigned int nr_maps;
};

/* host_file.c */
int host_files_init(struct tyrc_host *host);
int host_monitor_start(struct tyrc_host *host);
void host_monitor_stop(struct tyrc_host *host);
void host_files_release_all(struct tyrc_host *host);
int host_file_open(struct tyrc_host *host, enum tyrc_minor_type type,
		   const struct tyrc_client *client, bool nonblock, int *client_fd);
struct host_file *host_file_lookup(struct tyrc_host *host, int fd, int *err);
struct host_file *host_file_get(struct host_file *file);
void host_file_put(struct host_file *file);

/* host_mapping.c */
int host_serve_mmap(struct host_conn *conn, struct host_file *file,
		    const struct tyrc_wire_mmap *req);
int host_mmap_reply_err(struct host_conn *conn, int err);
void host_mapping_hangup(struct tyrc_host *host, struct host_mapping *map);
void host_mappings_release_all(struct tyrc_host *host);

/* host_anon.c */
int host_anon_init(struct tyrc_host *host);
void host_anon_stop(struct tyrc_host *host);
struct tyrc_anon_file *host_anon_lookup(struct tyrc_host *host, int fd);
int host_anon_install(struct host_conn *conn, struct tyrc_anon_file *file, u32 flags);
int host_anon_fget(struct host_conn *conn, int fd, struct tyrc_anon_file **file, int *raw_fd);
bool host_conn_aborted(struct host_conn *conn);
long host_run_anon_ioctl(struct host_conn *conn, struct tyrc_anon_file *file, u32 cmd, u64 arg,
			 struct host_uwin *win);

/* host_server.c */
int host_send_text(struct host_conn *conn, int err, const char *text);

/* host_sysfs.c */
/**
 * host_kstrtou32() - kstrtou32(@s, 0): an optional '+', a decimal, 0x-hex
 * or 0-octal number that fits 32 bits, and at most one trailing newline.
 * Return: 0, -EINVAL (not such a number), -ERANGE (too big).
 */
int host_kstrtou32(const char *s, u32 *out);
/** host_serve_fdinfo() - answer FDINFO (@fds: the descriptors it carried, consumed). */
int host_serve_fdinfo(struct host_conn *conn, ssize_t n, int *fds, unsigned int nfds);
/** host_serve_sysfs() - answer SYSFS. Return: 0, or negative to drop the connection. */
int host_serve_sysfs(struct host_conn *conn, ssize_t n);

/* host_uaccess.c */
int host_conn_send(struct host_conn *conn, const void *buf, size_t len, const int *fds,
		   unsigned int nfds);
ssize_t host_conn_recv(struct host_conn *conn, int *fds, unsigned int max_fds, unsigned int *nfds);
long host_run_ioctl(struct host_conn *conn, struct host_file *file, u32 cmd, u64 arg,
		    struct host_uwin *win);
long host_local_ioctl(struct tyrc_file *file, u32 cmd, void *arg);

#endif /* TYRC_HOST_PRIV_H */
