/* SPDX-License-Identifier: MIT */
/*
 * DOC: Anonymous files and client descriptors
 *
 * What anon_inode_getfile(), fd_install() and fdget() give a driver: an
 * object that a client holds as a real file descriptor (syncobj fds,
 * sync_files), and a way to resolve a descriptor number the client passed
 * in an ioctl argument.
 *
 * struct tyrc_anon_file is the open file description: refcounted; the
 * descriptors of the client hold one reference together (the host drops it
 * when the last of them is closed), each in-flight lookup another. The last
 * put calls @ops->release.
 *
 * A file may be made readable (POLLIN in the client) once, for good:
 * tyrc_anon_file_set_readable(), callable from any context, e.g. a fence
 * callback. The host attaches a notification descriptor when it installs
 * the file; whichever of the two comes second delivers the readiness.
 *
 * Descriptor operations act on the client of the ioctl running on the
 * calling thread (the current user, see uaccess.h); outside an ioctl they
 * fail with -EBADF.
 */
#ifndef TYRC_FILE_H
#define TYRC_FILE_H

#include "lock.h"
#include "types.h"

struct tyrc_anon_file;

/** struct tyrc_anon_file_ops - what the file's creator provides. */
struct tyrc_anon_file_ops {
	/** @name: required; the kind of file ("syncobj", "sync_file"), part of its name. */
	const char *name;
	/** @release: optional; the last reference is gone (free @private_data). */
	void (*release)(struct tyrc_anon_file *file);
	/**
	 * @ioctl: optional; an ioctl on the client's descriptor, with the
	 * client as current user. NULL answers -ENOTTY.
	 */
	long (*ioctl)(struct tyrc_anon_file *file, unsigned int cmd, u64 arg);
};

/** struct tyrc_anon_file - an open file description made by the driver. */
struct tyrc_anon_file {
	/** @refcount: atomic. */
	int refcount;
	/** @ops: immutable. */
	const struct tyrc_anon_file_ops *ops;
	/** @private_data: the creator's, immutable. */
	void *private_data;
	/** @lock: guards @notify_fd and @readable. */
	struct tyrc_mutex lock;
	/** @notify_fd: the host's end of the client's socket, -1 when detached (@lock). */
	int notify_fd;
	/** @readable: tyrc_anon_file_set_readable() was called (@lock). */
	bool readable;
	/** @notified: the readiness byte was written to @notify_fd (@lock). */
	bool notified;
};

/** tyrc_anon_file_create() - a new file with one reference. Return: NULL on ENOMEM. */
struct tyrc_anon_file *tyrc_anon_file_create(const struct tyrc_anon_file_ops *ops, void *priv);
/** tyrc_anon_file_get() - take a reference; NULL-tolerant. Return: @file. */
struct tyrc_anon_file *tyrc_anon_file_get(struct tyrc_anon_file *file);
/** tyrc_anon_file_put() - drop a reference; the last calls @ops->release. NULL-tolerant. */
void tyrc_anon_file_put(struct tyrc_anon_file *file);
/** tyrc_anon_file_set_readable() - the client sees POLLIN on the file from now on. Any context. */
void tyrc_anon_file_set_readable(struct tyrc_anon_file *file);

/**
 * tyrc_anon_file_attach() - host side: @fd (a stream or seqpacket socket
 * connected to the client's descriptor) now signals readiness; one byte is
 * sent on it if the file is readable already.
 */
void tyrc_anon_file_attach(struct tyrc_anon_file *file, int fd);
/** tyrc_anon_file_detach() - host side: stop using the notification socket. Return: it, or -1. */
int tyrc_anon_file_detach(struct tyrc_anon_file *file);

/* Descriptor flags of tyrc_fd_install(). */
#define TYRC_FD_CLOEXEC BIT(0)

/**
 * tyrc_fd_install() - give the current client a new descriptor for @file
 * (get_unused_fd_flags + fd_install). The descriptor holds its own
 * reference; the caller keeps its own.
 * Return: the descriptor number, or a negative errno (-EMFILE, -EBADF
 * without a current user).
 */
int tyrc_fd_install(struct tyrc_anon_file *file, u32 flags);

/**
 * tyrc_fget() - resolve the current client's descriptor @fd.
 * @file: set to a reference to the anon file @fd refers to, else NULL
 * @raw_fd: if @fd is some other file, set to a duplicate the caller owns
 *	(close() it), else -1
 * Return: 0 (exactly one of *@file, *@raw_fd set), -EBADF if @fd is not
 * open in the client.
 */
int tyrc_fget(int fd, struct tyrc_anon_file **file, int *raw_fd);

/** tyrc_eventfd_check() - Return: 0 if @fd (a host-owned descriptor) is an eventfd, else -EINVAL. */
int tyrc_eventfd_check(int fd);
/** tyrc_eventfd_signal() - add 1 to the eventfd counter of @fd (eventfd_signal). */
void tyrc_eventfd_signal(int fd);

#endif /* TYRC_FILE_H */
