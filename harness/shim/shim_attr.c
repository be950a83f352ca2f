// SPDX-License-Identifier: MIT
/*
 * DOC: Writable sysfs attributes
 *
 * panthor's "profiling" attribute on the GPU platform device is read like
 * every synthetic file (a memfd holding the host's answer at open time),
 * and written to reach the driver: sysfs calls the attribute's store() with
 * what one write() passed, at most a page, and write() returns its result.
 *
 * A descriptor opened for writing is a memfd named "tyrc-attr:<path>" and
 * marked (shim_marked_fd()); write() checks the mark (one atomic load for
 * every other descriptor) and sends the bytes to the host (SYSFS WRITE),
 * which checks the client's credentials, parses and stores them. stdio
 * writes with libc's internal write(), so fopen() of such a path for
 * writing returns a fopencookie() stream whose writes take the same path.
 * Not covered: a descriptor dup()ed from the opened one, writev(), pwrite()
 * and fdopen() by the program itself; those write into the memfd.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "shim_priv.h"
#include "tyrc_wire.h"

/* The wire attribute @node stands for, or 0. */
static unsigned int node_attr(const struct shim_node *node)
{
	return node && node->gen == SHIM_GEN_PROFILING ? TYRC_WIRE_SYSFS_PROFILING : 0;
}

int shim_attr_check_write(const struct shim_node *node)
{
	unsigned int attr = node_attr(node);
	long err;
	char *text;

	if (!attr)
		return -EACCES;
	text = shim_sysfs_request(attr, TYRC_WIRE_SYSFS_CHECK_WRITE, NULL, 0, &err);
	if (!text)
		return (int)err;
	free(text);
	return 0;
}

/*
 * store() of the attribute @fd was opened on (its path in @path).
 * Return: bytes consumed, or -1 with errno set.
 */
static ssize_t attr_store(const char *path, const void *buf, size_t len)
{
	unsigned int attr = node_attr(shim_vfs_node_at(path));
	long err;
	char *text;

	if (!attr) {
		errno = EBADF;
		return -1;
	}
	/* sysfs_kf_write(): nothing written, nothing stored. */
	if (!len)
		return 0;
	/* kernfs hands store() at most a page per write(). */
	if (len > TYRC_WIRE_SYSFS_MAX_WRITE)
		len = TYRC_WIRE_SYSFS_MAX_WRITE;
	text = shim_sysfs_request(attr, TYRC_WIRE_SYSFS_WRITE, buf, len, &err);
	if (!text) {
		errno = (int)-err;
		return -1;
	}
	free(text);
	return (ssize_t)len;
}

ssize_t shim_attr_write(int fd, const void *buf, size_t len)
{
	char path[PATH_MAX];

	if (!shim_marked_fd(fd, SHIM_ATTR_MEMFD_PREFIX, path, sizeof(path)))
		return shim_real.write(fd, buf, len);
	return attr_store(path, buf, len);
}

SHIM_EXPORT ssize_t write(int fd, const void *buf, size_t len)
{
	shim_init();
	return shim_attr_write(fd, buf, len);
}

/** struct attr_stream - the cookie of a stream on a written attribute. */
struct attr_stream {
	int fd;
	char path[PATH_MAX];
};

static ssize_t stream_read(void *cookie, char *buf, size_t len)
{
	struct attr_stream *s = cookie;

	return read(s->fd, buf, len);
}

/* fopencookie() writers report an error as a short count, errno set. */
static ssize_t stream_write(void *cookie, const char *buf, size_t len)
{
	struct attr_stream *s = cookie;
	ssize_t n = attr_store(s->path, buf, len);

	return n < 0 ? 0 : n;
}

static int stream_seek(void *cookie, off64_t *off, int whence)
{
	struct attr_stream *s = cookie;
	off_t pos = lseek(s->fd, (off_t)*off, whence);

	if (pos < 0)
		return -1;
	*off = pos;
	return 0;
}

static int stream_close(void *cookie)
{
	struct attr_stream *s = cookie;
	int ret = close(s->fd);

	free(s);
	return ret;
}

FILE *shim_attr_fdopen(int fd, const char *mode)
{
	static const cookie_io_functions_t io = {
		.read = stream_read,
		.write = stream_write,
		.seek = stream_seek,
		.close = stream_close,
	};
	struct attr_stream *s = malloc(sizeof(*s));
	FILE *f;

	if (!s) {
		errno = ENOMEM;
		return NULL;
	}
	s->fd = fd;
	if (!shim_marked_fd(fd, SHIM_ATTR_MEMFD_PREFIX, s->path, sizeof(s->path))) {
		free(s);
		errno = EBADF;
		return NULL;
	}
	f = fopencookie(s, mode, io);
	if (!f)
		free(s);
	return f;
}
