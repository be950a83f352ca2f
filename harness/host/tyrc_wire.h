/* SPDX-License-Identifier: MIT */
/*
 * DOC: Host wire protocol
 *
 * The shim (in each client process) and the device host talk over AF_UNIX
 * SOCK_SEQPACKET sockets, one message per packet, little-endian native
 * layout (both ends are built from this header on the same machine).
 *
 * Two kinds of socket exist:
 *
 * - A *control connection*: each client thread connects to the host's
 *   listening socket and runs strictly alternating request/reply exchanges
 *   on it. The host serves each control connection on its own thread.
 *
 * - A *DRM file*: one socketpair per open DRM file. The host keeps one end
 *   (it only watches it for hang-up); the other end, bound to the abstract
 *   name "\0tyrc/<host pid>/<minor>/<serial>", is the file descriptor the
 *   program holds. dup(), fork() and exec() share it exactly like an open
 *   file description, and the host releases the DRM file when the last
 *   reference to the client end is gone. Nothing is ever sent on it.
 *
 * Requests that act on a DRM file carry the program's descriptor as
 * SCM_RIGHTS; the host identifies the file by the socket's inode.
 *
 * An ioctl is one exchange with nested callbacks:
 *
 *   shim: IOCTL {cmd, arg, window}  + DRM fd
 *   host:   COPY_FROM {addr, len}   -> shim: COPY_DATA {err, bytes}
 *   host:   COPY_TO {addr, bytes}   -> shim: COPY_ACK {err}
 *   host:   FD_INSTALL {flags} + fd -> shim: FD_INSTALLED {err, fd}
 *   host:   FD_GET {fd}             -> shim: FD_GOT {err} (+ that fd)
 *   host: IOCTL_REPLY {ret, dirty window bytes}
 *
 * The *window* is the ioctl argument struct (_IOC_SIZE(cmd) bytes at arg),
 * read by the shim before the call when it is readable. The host serves
 * user reads inside it locally and buffers user writes into it; the reply
 * carries the written (dirty) range, which the shim stores back at arg.
 * Everything else the driver touches (nested pointers) goes through
 * COPY_FROM / COPY_TO, in chunks of at most TYRC_WIRE_MAX_CHUNK bytes.
 *
 * Every message starts with struct tyrc_wire_hdr, whose @len is the total
 * packet size; the receiver checks it against the received size and the
 * fixed part of the message type, and rejects anything else. The host
 * treats every client message as hostile.
 *
 * An mmap is one request and a multi-packet answer:
 *
 *   shim: MMAP {len, offset, prot, flags}  + DRM fd
 *   host: MMAP_REPLY {err, nr_extents, nr_fds}  + mapping token, data fds
 *   host: MMAP_EXTENTS {nr, extents[]}  (repeated until nr_extents are sent)
 *
 * The *mapping token* is the client end of a socketpair made for this one
 * mapping. The shim keeps it open (close-on-exec) while any page of the
 * mapping is still mapped, and the host holds the mapping's references
 * (the BO, and the DRM file as vma->vm_file does) until the last copy of
 * the token is closed: munmap of the last page, exec, exit or death.
 *
 * /proc/<pid>/fdinfo of a DRM file and the GPU device's sysfs attributes
 * are one request each, answered with text:
 *
 *   shim: FDINFO  + DRM fd          -> host: TEXT_REPLY {err, driver's fdinfo lines}
 *   shim: SYSFS {attr, op, bytes}   -> host: TEXT_REPLY {err, contents (READ)}
 */
#ifndef TYRC_WIRE_H
#define TYRC_WIRE_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define TYRC_WIRE_VERSION 2

/* Largest packet either side sends or accepts. */
#define TYRC_WIRE_MAX_MSG (48 * 1024)
/* Largest COPY_FROM/COPY_TO payload (one chunk of a nested user copy). */
#define TYRC_WIRE_MAX_CHUNK (32 * 1024)
/* Largest ioctl window: _IOC_SIZE() is a 14-bit field. */
#define TYRC_WIRE_MAX_WINDOW 16383
/* Largest text reply (debugfs, info). */
#define TYRC_WIRE_MAX_TEXT (TYRC_WIRE_MAX_MSG - 64)
/* Largest number of file descriptors attached to one packet. */
#define TYRC_WIRE_MAX_FDS 8

/* Abstract socket name prefix of a DRM file's client end (after the NUL). */
#define TYRC_WIRE_FILE_PREFIX "tyrc/"

/** enum tyrc_wire_type - message types; requests are odd, replies even. */
enum tyrc_wire_type {
	/* shim -> host: open a node. Reply: OPEN_REPLY (+ the DRM fd). */
	TYRC_MSG_OPEN = 1,
	TYRC_MSG_OPEN_REPLY = 2,
	/* shim -> host, + DRM fd: run an ioctl. Reply: IOCTL_REPLY. */
	TYRC_MSG_IOCTL = 3,
	TYRC_MSG_IOCTL_REPLY = 4,
	/* host -> shim, inside an IOCTL: read user memory. Reply: COPY_DATA. */
	TYRC_MSG_COPY_FROM = 5,
	TYRC_MSG_COPY_DATA = 6,
	/* host -> shim, inside an IOCTL: write user memory. Reply: COPY_ACK. */
	TYRC_MSG_COPY_TO = 7,
	TYRC_MSG_COPY_ACK = 8,
	/* shim -> host, + DRM fd: mmap. Reply: MMAP_REPLY (+ extent fds). */
	TYRC_MSG_MMAP = 9,
	TYRC_MSG_MMAP_REPLY = 10,
	/* shim -> host: a debugfs file's contents. Reply: TEXT_REPLY. */
	TYRC_MSG_DEBUGFS = 11,
	TYRC_MSG_TEXT_REPLY = 12,
	/* tyrc info -> host: device summary. Reply: TEXT_REPLY. */
	TYRC_MSG_INFO = 13,
	/* host -> shim, after a successful MMAP_REPLY: the next extents. */
	TYRC_MSG_MMAP_EXTENTS = 14,
	/* shim -> host, + DRM fd: the driver's fdinfo lines of that file. Reply: TEXT_REPLY. */
	TYRC_MSG_FDINFO = 15,
	/* shim -> host: read, write or check a sysfs attribute. Reply: TEXT_REPLY. */
	TYRC_MSG_SYSFS = 17,
	/* host -> shim, inside an IOCTL, + a new descriptor: keep it. Reply: FD_INSTALLED. */
	TYRC_MSG_FD_INSTALL = 21,
	TYRC_MSG_FD_INSTALLED = 22,
	/* host -> shim, inside an IOCTL: pass one of your descriptors. Reply: FD_GOT (+ it). */
	TYRC_MSG_FD_GET = 23,
	TYRC_MSG_FD_GOT = 24,
};

/** struct tyrc_wire_hdr - common header. */
struct tyrc_wire_hdr {
	/** @type: enum tyrc_wire_type. */
	uint16_t type;
	/** @version: TYRC_WIRE_VERSION; a mismatch is a protocol error. */
	uint16_t version;
	/** @len: total packet length, header included. */
	uint32_t len;
};

/* OPEN flags. */
#define TYRC_WIRE_OPEN_NONBLOCK (1u << 0)

/** struct tyrc_wire_open - TYRC_MSG_OPEN. */
struct tyrc_wire_open {
	struct tyrc_wire_hdr hdr;
	/** @minor_type: enum tyrc_minor_type (0 primary, 2 render). */
	uint32_t minor_type;
	/** @flags: TYRC_WIRE_OPEN_*. */
	uint32_t flags;
};

/** struct tyrc_wire_open_reply - TYRC_MSG_OPEN_REPLY; one fd attached iff @err == 0. */
struct tyrc_wire_open_reply {
	struct tyrc_wire_hdr hdr;
	/** @err: 0 or a negative errno. */
	int32_t err;
	uint32_t pad;
};

/* IOCTL flags. */
/* The window bytes follow the fixed part (the shim could read them all). */
#define TYRC_WIRE_IOCTL_WINDOW (1u << 0)

/** struct tyrc_wire_ioctl - TYRC_MSG_IOCTL, followed by @win_len window bytes. */
struct tyrc_wire_ioctl {
	struct tyrc_wire_hdr hdr;
	/** @cmd: the ioctl command number. */
	uint32_t cmd;
	/** @flags: TYRC_WIRE_IOCTL_*. */
	uint32_t flags;
	/** @arg: the user argument pointer. */
	uint64_t arg;
	/** @win_len: window size (0 without TYRC_WIRE_IOCTL_WINDOW). */
	uint32_t win_len;
	uint32_t pad;
	uint8_t win[];
};

/** struct tyrc_wire_ioctl_reply - TYRC_MSG_IOCTL_REPLY, followed by @dirty_len bytes. */
struct tyrc_wire_ioctl_reply {
	struct tyrc_wire_hdr hdr;
	/** @ret: the driver's return value (0, positive, or a negative errno). */
	int64_t ret;
	/** @dirty_off: offset in the window of the first byte to store back. */
	uint32_t dirty_off;
	/** @dirty_len: number of window bytes to store back at arg + @dirty_off. */
	uint32_t dirty_len;
	uint8_t data[];
};

/** struct tyrc_wire_copy - TYRC_MSG_COPY_FROM (no payload) / TYRC_MSG_COPY_TO (@len bytes). */
struct tyrc_wire_copy {
	struct tyrc_wire_hdr hdr;
	/** @addr: user address. */
	uint64_t addr;
	/** @len: byte count, 1..TYRC_WIRE_MAX_CHUNK. */
	uint32_t len;
	uint32_t pad;
	uint8_t data[];
};

/**
 * struct tyrc_wire_copy_reply - TYRC_MSG_COPY_DATA (@len bytes follow when
 * @err == 0) / TYRC_MSG_COPY_ACK (@len 0).
 */
struct tyrc_wire_copy_reply {
	struct tyrc_wire_hdr hdr;
	/** @err: 0 or -EFAULT. */
	int32_t err;
	/** @len: payload bytes. */
	uint32_t len;
	uint8_t data[];
};

/** struct tyrc_wire_mmap - TYRC_MSG_MMAP (+ DRM fd). */
struct tyrc_wire_mmap {
	struct tyrc_wire_hdr hdr;
	/** @len: mapping length in bytes. */
	uint64_t len;
	/** @offset: the mmap offset (fake offset of a BO, or an MMIO offset). */
	uint64_t offset;
	/** @prot: PROT_* of the request. */
	uint32_t prot;
	/** @flags: MAP_* of the request. */
	uint32_t flags;
};

/**
 * struct tyrc_wire_extent - one piece of an mmap answer: map @len bytes of
 * data descriptor @fd_index (0 = the first after the token) at @fd_offset,
 * at @map_offset inside the mapping. Pieces not covered by any extent stay
 * inaccessible.
 */
struct tyrc_wire_extent {
	uint64_t map_offset;
	uint64_t len;
	uint64_t fd_offset;
	uint32_t fd_index;
	/** @prot_mask: PROT_* bits this piece allows (the request's are ANDed with it). */
	uint32_t prot_mask;
};

/**
 * struct tyrc_wire_mmap_reply - TYRC_MSG_MMAP_REPLY: @err (no descriptor
 * attached), or success with @nr_fds descriptors attached — the mapping
 * token first, then the data descriptors extents refer to — and
 * @nr_extents extents following in MMAP_EXTENTS packets.
 */
struct tyrc_wire_mmap_reply {
	struct tyrc_wire_hdr hdr;
	int32_t err;
	/** @nr_fds: attached descriptors, token included (2..TYRC_WIRE_MAX_FDS). */
	uint32_t nr_fds;
	/** @nr_extents: total extents of the mapping (>= 1). */
	uint64_t nr_extents;
};

/** struct tyrc_wire_mmap_extents - TYRC_MSG_MMAP_EXTENTS: @nr extents (1..TYRC_WIRE_EXTENTS_PER_MSG). */
struct tyrc_wire_mmap_extents {
	struct tyrc_wire_hdr hdr;
	uint32_t nr;
	uint32_t pad;
	struct tyrc_wire_extent extents[];
};

/* Extents per MMAP_EXTENTS packet. */
#define TYRC_WIRE_EXTENTS_PER_MSG                                      \
	((TYRC_WIRE_MAX_MSG - sizeof(struct tyrc_wire_mmap_extents)) / \
	 sizeof(struct tyrc_wire_extent))

/* DEBUGFS files. */
#define TYRC_WIRE_DEBUGFS_CLIENTS 1
#define TYRC_WIRE_DEBUGFS_GEMS 2

/** struct tyrc_wire_debugfs - TYRC_MSG_DEBUGFS. */
struct tyrc_wire_debugfs {
	struct tyrc_wire_hdr hdr;
	/** @file: TYRC_WIRE_DEBUGFS_*. */
	uint32_t file;
	/** @minor: the minor whose debugfs directory is read (0 or 128). */
	uint32_t minor;
};

/** struct tyrc_wire_text_reply - TYRC_MSG_TEXT_REPLY: @err, or @len bytes of text (no NUL). */
struct tyrc_wire_text_reply {
	struct tyrc_wire_hdr hdr;
	int32_t err;
	uint32_t len;
	char text[];
};

/**
 * struct tyrc_wire_fdinfo - TYRC_MSG_FDINFO, with the DRM fd attached: the
 * lines drm_show_fdinfo() prints for that file. The kernel's own lines
 * (pos, flags, mnt_id, ino) are the shim's to add. A descriptor that is
 * not a live DRM file of this host is answered with -EBADF.
 */
struct tyrc_wire_fdinfo {
	struct tyrc_wire_hdr hdr;
	uint32_t pad[2];
};

/* SYSFS attributes (of the GPU platform device). */
#define TYRC_WIRE_SYSFS_PROFILING 1

/* SYSFS operations. */
/* The attribute's contents (show()). */
#define TYRC_WIRE_SYSFS_READ 1
/* Store @len bytes (store()); the reply's @err is 0 or the store's error. */
#define TYRC_WIRE_SYSFS_WRITE 2
/* May this client open the attribute for writing (the VFS's permission check)? */
#define TYRC_WIRE_SYSFS_CHECK_WRITE 3

/* Largest SYSFS write: one page, as kernfs hands to store(). */
#define TYRC_WIRE_SYSFS_MAX_WRITE 4096

/** struct tyrc_wire_sysfs - TYRC_MSG_SYSFS, followed by @len bytes (WRITE only). */
struct tyrc_wire_sysfs {
	struct tyrc_wire_hdr hdr;
	/** @attr: TYRC_WIRE_SYSFS_PROFILING. */
	uint32_t attr;
	/** @op: TYRC_WIRE_SYSFS_READ, _WRITE or _CHECK_WRITE. */
	uint32_t op;
	/** @len: bytes written, 1..TYRC_WIRE_SYSFS_MAX_WRITE for WRITE, else 0. */
	uint32_t len;
	uint32_t pad;
	char data[];
};

/*
 * Abstract name kinds of the other objects the host hands out as
 * descriptors: "tyrc/<host pid>/<kind>/<serial>" (a DRM file has a minor
 * number where these have a kind). The shim forwards sync_file ioctls.
 */
#define TYRC_WIRE_KIND_SYNCOBJ "syncobj"
#define TYRC_WIRE_KIND_SYNC_FILE "sync_file"

/* FD_INSTALL flags. */
#define TYRC_WIRE_FD_CLOEXEC (1u << 0)

/**
 * struct tyrc_wire_fd_install - TYRC_MSG_FD_INSTALL: one descriptor
 * attached, which becomes the program's (fd_install()).
 */
struct tyrc_wire_fd_install {
	struct tyrc_wire_hdr hdr;
	/** @flags: TYRC_WIRE_FD_*. */
	uint32_t flags;
	uint32_t pad;
};

/** struct tyrc_wire_fd_reply - TYRC_MSG_FD_INSTALLED / TYRC_MSG_FD_GOT. */
struct tyrc_wire_fd_reply {
	struct tyrc_wire_hdr hdr;
	/** @err: 0 or a negative errno (-EMFILE, -EBADF). */
	int32_t err;
	/** @fd: FD_INSTALLED: the program's descriptor number; FD_GOT: 0 (the fd is attached). */
	int32_t fd;
};

/** struct tyrc_wire_fd_get - TYRC_MSG_FD_GET: the program's descriptor @fd, please (fdget()). */
struct tyrc_wire_fd_get {
	struct tyrc_wire_hdr hdr;
	int32_t fd;
	uint32_t pad;
};

/** tyrc_wire_hdr_init() - fill a header. */
static inline void tyrc_wire_hdr_init(struct tyrc_wire_hdr *hdr, uint16_t type, uint32_t len)
{
	hdr->type = type;
	hdr->version = TYRC_WIRE_VERSION;
	hdr->len = len;
}

/**
 * tyrc_wire_check() - validate a received packet of @got bytes against the
 * expected @type and the fixed size @fixed of that message.
 * Return: 0, or -EPROTO.
 */
static inline int tyrc_wire_check(const void *buf, unsigned long got, uint16_t type,
				  unsigned long fixed)
{
	const struct tyrc_wire_hdr *hdr = (const struct tyrc_wire_hdr *)buf;

	if (got < sizeof(*hdr) || got < fixed || got > TYRC_WIRE_MAX_MSG)
		return -EPROTO;
	if (hdr->version != TYRC_WIRE_VERSION || hdr->type != type || hdr->len != got)
		return -EPROTO;
	return 0;
}

/**
 * tyrc_wire_send() - send the packet @buf of @len bytes on @sock with @nfds
 * descriptors (at most TYRC_WIRE_MAX_FDS) attached as SCM_RIGHTS.
 * Retries on EINTR; never raises SIGPIPE.
 * Return: 0, -EINVAL (too many descriptors), -EPIPE (short send), or the
 * negative errno of sendmsg().
 */
static inline int tyrc_wire_send(int sock, const void *buf, size_t len, const int *fds,
				 unsigned int nfds)
{
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int) * TYRC_WIRE_MAX_FDS)];
	} cbuf;
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n;

	if (nfds > TYRC_WIRE_MAX_FDS)
		return -EINVAL;
	if (nfds) {
		struct cmsghdr *cmsg;

		memset(&cbuf, 0, sizeof(cbuf));
		msg.msg_control = cbuf.buf;
		msg.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
		cmsg = CMSG_FIRSTHDR(&msg);
		cmsg->cmsg_level = SOL_SOCKET;
		cmsg->cmsg_type = SCM_RIGHTS;
		cmsg->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
		memcpy(CMSG_DATA(cmsg), fds, sizeof(int) * nfds);
	}
	do {
		n = sendmsg(sock, &msg, MSG_NOSIGNAL);
	} while (n < 0 && errno == EINTR);
	if (n != (ssize_t)len)
		return n < 0 ? -errno : -EPIPE;
	return 0;
}

/**
 * tyrc_wire_take_fds() - collect the SCM_RIGHTS descriptors of the received
 * @msg: the first @max_fds are stored in @fds, the others are closed.
 * Return: the number stored in @fds.
 */
static inline unsigned int tyrc_wire_take_fds(struct msghdr *msg, int *fds, unsigned int max_fds)
{
	struct cmsghdr *cmsg;
	unsigned int got = 0;

	for (cmsg = CMSG_FIRSTHDR(msg); cmsg; cmsg = CMSG_NXTHDR(msg, cmsg)) {
		size_t i, cnt;

		if (cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_RIGHTS)
			continue;
		cnt = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (i = 0; i < cnt; i++) {
			int fd;

			memcpy(&fd, CMSG_DATA(cmsg) + i * sizeof(int), sizeof(fd));
			if (got < max_fds)
				fds[got++] = fd;
			else
				close(fd);
		}
	}
	return got;
}

/* Name of the runtime directory and of the default socket in it. */
#define TYRC_WIRE_SOCKET_NAME "host.sock"

/**
 * tyrc_wire_runtime_dir() - the per-user directory that holds host sockets:
 * $XDG_RUNTIME_DIR/tyrc, else /tmp/tyrc-<uid>. Does not create it.
 * Return: 0, or -ENAMETOOLONG.
 */
static inline int tyrc_wire_runtime_dir(char *buf, size_t len)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	int n;

	if (xdg && xdg[0] == '/')
		n = snprintf(buf, len, "%s/tyrc", xdg);
	else
		n = snprintf(buf, len, "/tmp/tyrc-%u", (unsigned int)getuid());
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/**
 * tyrc_wire_socket_path() - where a client finds the host: $TYRC_SOCKET if
 * set and non-empty, else the default socket in tyrc_wire_runtime_dir().
 * Return: 0, or -ENAMETOOLONG (the result must fit a sockaddr_un).
 */
static inline int tyrc_wire_socket_path(char *buf, size_t len)
{
	const char *env = getenv("TYRC_SOCKET");
	char dir[96];
	int n;

	if (env && env[0])
		n = snprintf(buf, len, "%s", env);
	else if (tyrc_wire_runtime_dir(dir, sizeof(dir)) == 0)
		n = snprintf(buf, len, "%s/%s", dir, TYRC_WIRE_SOCKET_NAME);
	else
		return -ENAMETOOLONG;
	return n < 0 || (size_t)n >= len || n >= 108 ? -ENAMETOOLONG : 0;
}

#endif /* TYRC_WIRE_H */
