// SPDX-License-Identifier: MIT
/*
 * DOC: fdinfo of DRM files
 *
 * /proc/<pid>/fdinfo/<fd> of a DRM file shows, after the kernel's own
 * lines, what drm_show_fdinfo() prints: the driver name, the client id,
 * usage counters and memory (gputop, IGT's igt_parse_drm_fdinfo()). Our DRM
 * files are sockets, whose real fdinfo has none of that, so opening such a
 * path returns a memfd holding:
 *
 * - the real file's pos, flags and mnt_id lines (the socket's: plausible,
 *   and exact for pos and flags) and an ino line with the inode number
 *   fstat() reports for the descriptor (its /dev/dri node's); the socket's
 *   other lines (scm_fds) are left out;
 * - the driver's lines, from the host (FDINFO).
 *
 * Paths recognised: /proc/self, /proc/thread-self or /proc/<our pid>,
 * optionally followed by /task/<tid>, then /fdinfo/<fd>; and <fd> relative
 * to a descriptor of (or a working directory in) such an fdinfo directory,
 * as IGT opens it. Another process's fdinfo, a non-DRM descriptor, or an
 * open that is not a plain read-only one goes to the real open() untouched.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "shim_priv.h"

/* Largest real fdinfo read; the kernel's lines come first and are short. */
#define REAL_FDINFO_MAX 4096

/* A decimal number without sign or leading zero (proc's name_to_int()); Return: its end. */
static const char *parse_num(const char *p, long *out)
{
	long v = 0;

	if (*p < '0' || *p > '9' || (p[0] == '0' && p[1] >= '0' && p[1] <= '9'))
		return NULL;
	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (*p - '0');
		if (v > INT32_MAX)
			return NULL;
	}
	*out = v;
	return p;
}

/*
 * If @path starts with one of our own /proc/<pid>[/task/<tid>] directories,
 * Return: the rest of it; else NULL.
 */
static const char *own_proc_dir(const char *path)
{
	const char *p;
	long pid;

	if (strncmp(path, "/proc/", 6))
		return NULL;
	p = path + 6;
	if (!strncmp(p, "self", 4) && (p[4] == '/' || !p[4]))
		p += 4;
	else if (!strncmp(p, "thread-self", 11) && (p[11] == '/' || !p[11]))
		return p + 11;
	else if (!(p = parse_num(p, &pid)) || pid != getpid())
		return NULL;
	if (!strncmp(p, "/task/", 6)) {
		const char *t = parse_num(p + 6, &pid);

		if (t)
			p = t;
	}
	return p;
}

/* The descriptor number @path (relative to @dirfd) names the fdinfo of, or -1. */
static int fdinfo_target(int dirfd, const char *path)
{
	char dir[PATH_MAX], link[64];
	const char *rest;
	long fd;
	ssize_t n;

	if (path[0] == '/') {
		rest = own_proc_dir(path);
		if (!rest || strncmp(rest, "/fdinfo/", 8))
			return -1;
		rest = parse_num(rest + 8, &fd);
		return rest && !*rest ? (int)fd : -1;
	}
	/* Relative: only a bare number is worth a look at the directory. */
	rest = parse_num(path, &fd);
	if (!rest || *rest)
		return -1;
	if (dirfd == AT_FDCWD) {
		if (!getcwd(dir, sizeof(dir)))
			return -1;
	} else {
		snprintf(link, sizeof(link), "/proc/self/fd/%d", dirfd);
		n = shim_real.readlink(link, dir, sizeof(dir) - 1);
		if (n <= 0)
			return -1;
		dir[n] = '\0';
	}
	rest = own_proc_dir(dir);
	return rest && !strcmp(rest, "/fdinfo") ? (int)fd : -1;
}

/* Append the first @n bytes of @s to @buf (@len used of @cap). Return: 0 or -ENOMEM. */
static int append(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
	if (*len + n + 1 > *cap) {
		size_t ncap = (*len + n + 1) * 2;
		char *nbuf = realloc(*buf, ncap);

		if (!nbuf)
			return -ENOMEM;
		*buf = nbuf;
		*cap = ncap;
	}
	memcpy(*buf + *len, s, n);
	*len += n;
	(*buf)[*len] = '\0';
	return 0;
}

/*
 * The kernel's lines of the real fdinfo @real (NUL-terminated) that a DRM
 * file has too, with @ino as its inode number, appended to @buf.
 */
static int kernel_lines(char **buf, size_t *len, size_t *cap, const char *real, ino_t ino)
{
	static const char *const keep[] = { "pos:", "flags:", "mnt_id:" };
	char line[64];
	int ret = 0;

	while (*real && !ret) {
		size_t n = strcspn(real, "\n");

		for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++)
			if (!strncmp(real, keep[i], strlen(keep[i])))
				ret = append(buf, len, cap, real, n + (real[n] == '\n'));
		if (!strncmp(real, "ino:", 4)) {
			snprintf(line, sizeof(line), "ino:\t%lu\n", (unsigned long)ino);
			ret = append(buf, len, cap, line, strlen(line));
		}
		real += n + (real[n] == '\n');
	}
	return ret;
}

/* Read the real fdinfo file into @out (NUL-terminated). Return: 0 or -errno. */
static int read_real(int dirfd, const char *path, char *out, size_t size)
{
	size_t got = 0;
	ssize_t n;
	int fd;

	fd = shim_real.openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (got < size - 1 && (n = read(fd, out + got, size - 1 - got)) > 0)
		got += (size_t)n;
	close(fd);
	out[got] = '\0';
	return 0;
}

int shim_fdinfo_open(int dirfd, const char *path, int flags, bool *handled)
{
	const struct shim_node *node;
	char real[REAL_FDINFO_MAX];
	char *text, *drv = NULL;
	size_t len = 0, cap = 0;
	long dlen;
	int fd, minor, ret;

	*handled = false;
	if ((flags & O_ACCMODE) != O_RDONLY || (flags & (O_DIRECTORY | O_PATH | O_CREAT)))
		return 0;
	fd = fdinfo_target(dirfd, path);
	if (fd < 0)
		return 0;
	minor = shim_fd_minor(fd);
	node = minor < 0 ? NULL : shim_vfs_node_by_minor((unsigned int)minor);
	if (!node)
		return 0;
	*handled = true;
	ret = read_real(dirfd, path, real, sizeof(real));
	if (ret)
		return ret;
	drv = shim_drm_fdinfo(fd, &dlen);
	if (!drv)
		return (int)dlen;
	text = NULL;
	ret = kernel_lines(&text, &len, &cap, real, shim_vfs_ino(node));
	if (!ret)
		ret = append(&text, &len, &cap, drv, (size_t)dlen);
	free(drv);
	if (!ret)
		ret = shim_memfd_file("tyrc-fdinfo", text, len, flags, false);
	free(text);
	shim_log("fdinfo of DRM fd %d -> %d", fd, ret);
	return ret;
}
