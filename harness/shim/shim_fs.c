// SPDX-License-Identifier: MIT
/*
 * DOC: Shim path entry points
 *
 * open/openat (and their 64-bit and fortified variants), fopen, the stat
 * family (including statx and glibc's old __xstat ABI), readlink,
 * realpath, access and the xattr getters. Each one first asks the synthetic filesystem
 * (shim_vfs.c) about the path; a path that is not ours goes to the real
 * function untouched.
 *
 * Special paths: /proc/self/fd/N (and /proc/<own pid>/fd/N) of a DRM file
 * reads as a link to its /dev/dri node, and opening it makes a new,
 * independent DRM file on the same node — what reopening a device node
 * through /proc does in Linux.
 *
 * Synthetic files are served from a memfd holding their contents, reopened
 * with the access mode asked for; synthetic directories opened with open()
 * get a marker memfd that fdopendir() and the *at() functions recognise,
 * and a writable attribute opened for writing a marked memfd whose writes
 * go to the host (shim_attr.c). /proc/<own pid>/fdinfo/N of a DRM file is
 * shim_fdinfo.c's.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "shim_priv.h"

/* Descriptors below this may be tracked as marked memfds (shim_marked_fd()). */
#define MAX_MARKER_FD 4096

/*
 * marker_fds - bit set when a descriptor was created as a marked memfd: a
 * synthetic directory or a writable attribute (atomic).
 */
static unsigned long marker_fds[MAX_MARKER_FD / (8 * sizeof(unsigned long))];

static int fail(int err)
{
	errno = err;
	return -1;
}

int shim_proc_fd(const char *path)
{
	const char *p;
	char *end;
	long pid, fd;

	if (strncmp(path, "/proc/", 6))
		return -1;
	p = path + 6;
	if (!strncmp(p, "self/", 5)) {
		p += 5;
	} else if (!strncmp(p, "thread-self/", 12)) {
		p += 12;
	} else {
		pid = strtol(p, &end, 10);
		if (end == p || *end != '/' || pid != getpid())
			return -1;
		p = end + 1;
	}
	if (strncmp(p, "fd/", 3))
		return -1;
	p += 3;
	if (*p < '0' || *p > '9')
		return -1;
	fd = strtol(p, &end, 10);
	if (*end || fd > INT32_MAX)
		return -1;
	return (int)fd;
}

/* The /dev/dri node a DRM descriptor was opened through, or NULL. */
static const struct shim_node *fd_node(int fd)
{
	int minor = shim_fd_minor(fd);

	return minor < 0 ? NULL : shim_vfs_node_by_minor((unsigned int)minor);
}

static void mark_fd(int fd, bool set)
{
	unsigned long bit;

	if (fd < 0 || fd >= MAX_MARKER_FD)
		return;
	bit = 1UL << (fd % (8 * sizeof(unsigned long)));
	if (set)
		__atomic_or_fetch(&marker_fds[fd / (8 * sizeof(unsigned long))], bit,
				  __ATOMIC_RELAXED);
	else
		__atomic_and_fetch(&marker_fds[fd / (8 * sizeof(unsigned long))], ~bit,
				   __ATOMIC_RELAXED);
}

bool shim_marked_fd(int fd, const char *prefix, char *buf, size_t len)
{
	static const char any[] = "/memfd:tyrc-";
	char link[64], target[PATH_MAX + 32], *end;
	size_t plen = strlen("/memfd:") + strlen(prefix);
	unsigned long word;
	ssize_t n;

	if (fd < 0 || fd >= MAX_MARKER_FD)
		return false;
	word = __atomic_load_n(&marker_fds[fd / (8 * sizeof(unsigned long))], __ATOMIC_RELAXED);
	if (!(word & (1UL << (fd % (8 * sizeof(unsigned long))))))
		return false;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = shim_real.readlink(link, target, sizeof(target) - 1);
	if (n <= 0) {
		mark_fd(fd, false);
		return false;
	}
	target[n] = '\0';
	if (strncmp(target, any, sizeof(any) - 1)) {
		mark_fd(fd, false); /* closed and reused since */
		return false;
	}
	if (strncmp(target, "/memfd:", 7) || strncmp(target + 7, prefix, plen - 7))
		return false; /* marked, but of the other kind */
	end = strstr(target, " (deleted)");
	if (end)
		*end = '\0';
	if (strlen(target + plen) >= len)
		return false;
	strcpy(buf, target + plen);
	return true;
}

bool shim_dir_fd_path(int fd, char *buf, size_t len)
{
	return shim_marked_fd(fd, SHIM_DIR_MEMFD_PREFIX, buf, len);
}

int shim_dir_fd_open(const struct shim_node *node, int flags)
{
	char name[PATH_MAX];
	int fd;

	snprintf(name, sizeof(name), SHIM_DIR_MEMFD_PREFIX "%s", node->path);
	fd = memfd_create(name, (flags & O_CLOEXEC) ? MFD_CLOEXEC : 0);
	if (fd < 0)
		return -errno;
	mark_fd(fd, true);
	return fd;
}

int shim_memfd_file(const char *name, const char *data, size_t len, int flags, bool mark)
{
	char path[64];
	int fd, rfd;

	fd = memfd_create(name, MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (pwrite(fd, data, len, 0) != (ssize_t)len) {
		close(fd);
		return -EIO;
	}
	/* The program's descriptor has the access mode it asked for, not the memfd's O_RDWR. */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	rfd = shim_real.open(path, (flags & (O_ACCMODE | O_CLOEXEC)));
	close(fd);
	if (rfd < 0)
		return -errno;
	if (mark)
		mark_fd(rfd, true);
	return rfd;
}

int shim_file_open(const struct shim_node *node, int flags)
{
	const char *data = node->data;
	char name[PATH_MAX];
	bool write = (flags & O_ACCMODE) != O_RDONLY;
	char *gen = NULL;
	long len;
	int fd;

	if (write) {
		fd = shim_vfs_writable(node) ? shim_attr_check_write(node) : -EACCES;
		if (fd)
			return fd;
	}
	if (node->gen && (flags & O_ACCMODE) != O_WRONLY) {
		gen = shim_gen_text(node, &len);
		if (!gen)
			return (int)len;
		data = gen;
	} else {
		data = data ? data : "";
		len = (long)strlen(data);
	}
	snprintf(name, sizeof(name), "%s%s",
		 write ? SHIM_ATTR_MEMFD_PREFIX : "tyrc-sysfs:", node->path);
	fd = shim_memfd_file(name, data, (size_t)len, flags, write);
	free(gen);
	return fd;
}

void shim_resolve_at(int dirfd, const char *path, bool follow, struct shim_res *res)
{
	char base[PATH_MAX];

	if (path[0] == '/') {
		shim_vfs_resolve(path, follow, res);
		return;
	}
	if (dirfd != AT_FDCWD && shim_dir_fd_path(dirfd, base, sizeof(base))) {
		shim_vfs_resolve_at(base, path, follow, res);
		return;
	}
	res->node = NULL;
	res->kind = SHIM_RES_PASS;
}

/*
 * Common open logic. Return: the descriptor or -1/errno when handled;
 * *@pass set when the real function must be called with @path replaced by
 * @res->real (SHIM_RES_REAL) or the original (SHIM_RES_PASS).
 */
static int open_common(int dirfd, const char *path, int flags, struct shim_res *res, bool *pass)
{
	const struct shim_node *node;
	bool handled;
	int fd, ret;

	*pass = false;
	if (!path) {
		*pass = true;
		res->kind = SHIM_RES_PASS;
		return -1;
	}
	shim_init();
	ret = shim_fdinfo_open(dirfd, path, flags, &handled);
	if (handled)
		return ret < 0 ? fail(-ret) : ret;
	fd = shim_proc_fd(path);
	if (fd >= 0 && (node = fd_node(fd))) {
		ret = shim_drm_open(node->minor, flags);
		return ret < 0 ? fail(-ret) : ret;
	}
	shim_resolve_at(dirfd, path, !(flags & O_NOFOLLOW), res);
	switch (res->kind) {
	case SHIM_RES_PASS:
	case SHIM_RES_REAL:
		*pass = true;
		return -1;
	case SHIM_RES_ERR:
		if (res->err == ENOENT && (flags & O_CREAT))
			return fail(EACCES);
		return fail(res->err);
	case SHIM_RES_NODE:
		break;
	}
	node = res->node;
	if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
		return fail(EEXIST);
	switch (node->type) {
	case SHIM_NODE_CHR:
		if (flags & O_DIRECTORY)
			return fail(ENOTDIR);
		ret = shim_drm_open(node->minor, flags);
		break;
	case SHIM_NODE_REG:
		ret = (flags & O_DIRECTORY) ? -ENOTDIR : shim_file_open(node, flags);
		break;
	case SHIM_NODE_DIR:
		ret = (flags & O_ACCMODE) != O_RDONLY ? -EISDIR : shim_dir_fd_open(node, flags);
		break;
	case SHIM_NODE_LNK:
	default:
		ret = -ELOOP;
		break;
	}
	return ret < 0 ? fail(-ret) : ret;
}

static bool needs_mode(int flags)
{
	return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE;
}

/*
 * The mode argument after @flags of the variadic open-like function this
 * expands in, or 0 when @flags take none.
 */
#define OPEN_MODE(flags)                             \
	({                                           \
		va_list ap_;                         \
		mode_t mode_ = 0;                    \
                                                     \
		va_start(ap_, flags);                \
		if (needs_mode(flags))               \
			mode_ = va_arg(ap_, mode_t); \
		va_end(ap_);                         \
		mode_;                               \
	})

/*
 * open() (@at false) and openat() (@at true) once the mode is known: a path
 * that is not ours goes to the same real function.
 */
static int open_variant(int dirfd, const char *path, int flags, mode_t mode, bool at)
{
	struct shim_res res;
	bool pass;
	int fd = open_common(dirfd, path, flags, &res, &pass);

	if (!pass)
		return fd;
	if (res.kind == SHIM_RES_REAL)
		return shim_real.open(res.real, flags, mode);
	if (at)
		return shim_real.openat(dirfd, path, flags, mode);
	return shim_real.open(path, flags, mode);
}

SHIM_EXPORT int open(const char *path, int flags, ...)
{
	return open_variant(AT_FDCWD, path, flags, OPEN_MODE(flags), false);
}

SHIM_EXPORT int open64(const char *path, int flags, ...)
{
	return open_variant(AT_FDCWD, path, flags, OPEN_MODE(flags), false);
}

SHIM_EXPORT int openat(int dirfd, const char *path, int flags, ...)
{
	return open_variant(dirfd, path, flags, OPEN_MODE(flags), true);
}

SHIM_EXPORT int openat64(int dirfd, const char *path, int flags, ...)
{
	return open_variant(dirfd, path, flags, OPEN_MODE(flags), true);
}

SHIM_EXPORT int __open_2(const char *path, int flags)
{
	return open(path, flags);
}

SHIM_EXPORT int __open64_2(const char *path, int flags)
{
	return open(path, flags);
}

SHIM_EXPORT int __openat_2(int dirfd, const char *path, int flags)
{
	return openat(dirfd, path, flags);
}

SHIM_EXPORT int __openat64_2(int dirfd, const char *path, int flags)
{
	return openat(dirfd, path, flags);
}

/* fopen() mode string -> open() flags. */
static int fopen_flags(const char *mode)
{
	int flags;

	switch (mode[0]) {
	case 'r':
		flags = O_RDONLY;
		break;
	case 'w':
		flags = O_WRONLY | O_CREAT | O_TRUNC;
		break;
	case 'a':
		flags = O_WRONLY | O_CREAT | O_APPEND;
		break;
	default:
		return -1;
	}
	for (mode++; *mode; mode++) {
		if (*mode == '+')
			flags = (flags & ~O_ACCMODE) | O_RDWR;
		else if (*mode == 'e')
			flags |= O_CLOEXEC;
		else if (*mode == 'x')
			flags |= O_EXCL;
	}
	return flags;
}

static FILE *fopen_common(const char *path, const char *mode)
{
	char path_buf[PATH_MAX];
	struct shim_res res;
	bool pass;
	FILE *f;
	int flags, fd;

	shim_init();
	flags = mode ? fopen_flags(mode) : -1;
	if (flags < 0 || !path)
		return shim_real.fopen(path, mode);
	fd = open_common(AT_FDCWD, path, flags, &res, &pass);
	if (pass)
		return shim_real.fopen(res.kind == SHIM_RES_REAL ? res.real : path, mode);
	if (fd < 0)
		return NULL;
	/* stdio writes with libc's internal write(): a written attribute needs our own stream. */
	if ((flags & O_ACCMODE) != O_RDONLY &&
	    shim_marked_fd(fd, SHIM_ATTR_MEMFD_PREFIX, path_buf, sizeof(path_buf)))
		f = shim_attr_fdopen(fd, mode);
	else
		f = fdopen(fd, mode);
	if (!f) {
		int err = errno;

		close(fd);
		errno = err;
	}
	return f;
}

SHIM_EXPORT FILE *fopen(const char *path, const char *mode)
{
	return fopen_common(path, mode);
}

SHIM_EXPORT FILE *fopen64(const char *path, const char *mode)
{
	return fopen_common(path, mode);
}

/* ---- stat family ---- */

/*
 * stat-like lookup of @path relative to @dirfd. Return: 0 / -1 handled
 * (with @st filled), or 1 when the real function must run on
 * @res->real (SHIM_RES_REAL) or the original path.
 */
static int stat_common(int dirfd, const char *path, bool follow, struct stat *st,
		       struct shim_res *res)
{
	const struct shim_node *node;
	int fd;

	shim_init();
	res->kind = SHIM_RES_PASS;
	if (!path)
		return 1;
	if (follow && (fd = shim_proc_fd(path)) >= 0 && (node = fd_node(fd))) {
		shim_vfs_stat(node, st);
		return 0;
	}
	shim_resolve_at(dirfd, path, follow, res);
	switch (res->kind) {
	case SHIM_RES_NODE:
		shim_vfs_stat(res->node, st);
		return 0;
	case SHIM_RES_ERR:
		return fail(res->err);
	default:
		return 1;
	}
}

/*
 * fstat() of a DRM file (a socket) or a synthetic directory descriptor (an
 * unlinked memfd), given the real fstat() result in @st.
 * Return: true if @st now describes our node.
 */
static bool fstat_ours(int fd, struct stat *st)
{
	const struct shim_node *node = NULL;
	char path[PATH_MAX];

	if (S_ISSOCK(st->st_mode))
		node = fd_node(fd);
	else if (S_ISREG(st->st_mode) && !st->st_nlink && shim_dir_fd_path(fd, path, sizeof(path)))
		node = shim_vfs_node_at(path);
	if (!node)
		return false;
	shim_vfs_stat(node, st);
	return true;
}

static int do_stat(const char *path, struct stat *st, bool follow)
{
	struct shim_res res;
	int ret = stat_common(AT_FDCWD, path, follow, st, &res);
	const char *p = res.kind == SHIM_RES_REAL ? res.real : path;

	if (ret <= 0)
		return ret;
	return follow ? shim_real.stat(p, st) : shim_real.lstat(p, st);
}

static int do_fstat(int fd, struct stat *st)
{
	int ret;

	shim_init();
	ret = shim_real.fstat(fd, st);
	if (!ret)
		fstat_ours(fd, st);
	return ret;
}

static int do_fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
	struct shim_res res;
	int ret;

	if (path && !path[0] && (flags & AT_EMPTY_PATH))
		return do_fstat(dirfd, st);
	ret = stat_common(dirfd, path, !(flags & AT_SYMLINK_NOFOLLOW), st, &res);
	if (ret <= 0)
		return ret;
	if (res.kind == SHIM_RES_REAL)
		return shim_real.fstatat(AT_FDCWD, res.real, st, flags);
	return shim_real.fstatat(dirfd, path, st, flags);
}

SHIM_EXPORT int stat(const char *path, struct stat *st)
{
	return do_stat(path, st, true);
}

SHIM_EXPORT int stat64(const char *path, struct stat64 *st)
{
	return do_stat(path, (struct stat *)st, true);
}

SHIM_EXPORT int lstat(const char *path, struct stat *st)
{
	return do_stat(path, st, false);
}

SHIM_EXPORT int lstat64(const char *path, struct stat64 *st)
{
	return do_stat(path, (struct stat *)st, false);
}

SHIM_EXPORT int fstat(int fd, struct stat *st)
{
	return do_fstat(fd, st);
}

SHIM_EXPORT int fstat64(int fd, struct stat64 *st)
{
	return do_fstat(fd, (struct stat *)st);
}

SHIM_EXPORT int fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
	return do_fstatat(dirfd, path, st, flags);
}

SHIM_EXPORT int fstatat64(int dirfd, const char *path, struct stat64 *st, int flags)
{
	return do_fstatat(dirfd, path, (struct stat *)st, flags);
}

/* glibc < 2.33 ABI: stat functions with a version argument (x86-64: same struct). */
int __xstat(int ver, const char *path, struct stat *st);
int __xstat64(int ver, const char *path, struct stat64 *st);
int __lxstat(int ver, const char *path, struct stat *st);
int __lxstat64(int ver, const char *path, struct stat64 *st);
int __fxstat(int ver, int fd, struct stat *st);
int __fxstat64(int ver, int fd, struct stat64 *st);
int __fxstatat(int ver, int dirfd, const char *path, struct stat *st, int flags);
int __fxstatat64(int ver, int dirfd, const char *path, struct stat64 *st, int flags);

SHIM_EXPORT int __xstat(int ver, const char *path, struct stat *st)
{
	return do_stat(path, st, true);
}

SHIM_EXPORT int __xstat64(int ver, const char *path, struct stat64 *st)
{
	return do_stat(path, (struct stat *)st, true);
}

SHIM_EXPORT int __lxstat(int ver, const char *path, struct stat *st)
{
	return do_stat(path, st, false);
}

SHIM_EXPORT int __lxstat64(int ver, const char *path, struct stat64 *st)
{
	return do_stat(path, (struct stat *)st, false);
}

SHIM_EXPORT int __fxstat(int ver, int fd, struct stat *st)
{
	return do_fstat(fd, st);
}

SHIM_EXPORT int __fxstat64(int ver, int fd, struct stat64 *st)
{
	return do_fstat(fd, (struct stat *)st);
}

SHIM_EXPORT int __fxstatat(int ver, int dirfd, const char *path, struct stat *st, int flags)
{
	return do_fstatat(dirfd, path, st, flags);
}

SHIM_EXPORT int __fxstatat64(int ver, int dirfd, const char *path, struct stat64 *st, int flags)
{
	return do_fstatat(dirfd, path, (struct stat *)st, flags);
}

static void stat_to_statx(const struct stat *st, struct statx *stx)
{
	memset(stx, 0, sizeof(*stx));
	stx->stx_mask = STATX_BASIC_STATS;
	stx->stx_blksize = (uint32_t)st->st_blksize;
	stx->stx_nlink = (uint32_t)st->st_nlink;
	stx->stx_uid = st->st_uid;
	stx->stx_gid = st->st_gid;
	stx->stx_mode = (uint16_t)st->st_mode;
	stx->stx_ino = st->st_ino;
	stx->stx_size = (uint64_t)st->st_size;
	stx->stx_blocks = (uint64_t)st->st_blocks;
	stx->stx_rdev_major = major(st->st_rdev);
	stx->stx_rdev_minor = minor(st->st_rdev);
	stx->stx_dev_major = major(st->st_dev);
	stx->stx_dev_minor = minor(st->st_dev);
}

SHIM_EXPORT int statx(int dirfd, const char *path, int flags, unsigned int mask, struct statx *stx)
{
	struct shim_res res;
	struct stat st;
	int ret;

	shim_init();
	if (path && !path[0] && (flags & AT_EMPTY_PATH)) {
		ret = shim_real.statx(dirfd, path, flags, mask, stx);
		if (ret)
			return ret;
		memset(&st, 0, sizeof(st));
		st.st_mode = stx->stx_mode;
		st.st_nlink = stx->stx_nlink;
		if (fstat_ours(dirfd, &st))
			stat_to_statx(&st, stx);
		return 0;
	}
	ret = stat_common(dirfd, path, !(flags & AT_SYMLINK_NOFOLLOW), &st, &res);
	if (ret < 0)
		return ret;
	if (!ret) {
		stat_to_statx(&st, stx);
		return 0;
	}
	if (res.kind == SHIM_RES_REAL)
		return shim_real.statx(AT_FDCWD, res.real, flags, mask, stx);
	return shim_real.statx(dirfd, path, flags, mask, stx);
}

/* ---- links and paths ---- */

static ssize_t copy_link(const char *target, char *buf, size_t len)
{
	size_t n = strlen(target);

	if (n > len)
		n = len;
	memcpy(buf, target, n);
	return (ssize_t)n;
}

static ssize_t readlink_common(int dirfd, const char *path, char *buf, size_t len)
{
	const struct shim_node *node;
	struct shim_res res;
	char dpath[PATH_MAX];
	int fd;

	shim_init();
	if (!path)
		return shim_real.readlinkat(dirfd, path, buf, len);
	fd = shim_proc_fd(path);
	if (fd >= 0) {
		node = fd_node(fd);
		if (node)
			return copy_link(node->path, buf, len);
		if (shim_dir_fd_path(fd, dpath, sizeof(dpath)))
			return copy_link(dpath, buf, len);
	}
	shim_resolve_at(dirfd, path, false, &res);
	switch (res.kind) {
	case SHIM_RES_NODE:
		if (res.node->type != SHIM_NODE_LNK)
			return fail(EINVAL);
		return copy_link(res.node->data, buf, len);
	case SHIM_RES_ERR:
		return fail(res.err);
	case SHIM_RES_REAL:
		return shim_real.readlink(res.real, buf, len);
	case SHIM_RES_PASS:
	default:
		return shim_real.readlinkat(dirfd, path, buf, len);
	}
}

SHIM_EXPORT ssize_t readlink(const char *path, char *buf, size_t len)
{
	return readlink_common(AT_FDCWD, path, buf, len);
}

SHIM_EXPORT ssize_t readlinkat(int dirfd, const char *path, char *buf, size_t len)
{
	return readlink_common(dirfd, path, buf, len);
}

SHIM_EXPORT ssize_t __readlink_chk(const char *path, char *buf, size_t len, size_t buflen)
{
	if (len > buflen)
		abort();
	return readlink_common(AT_FDCWD, path, buf, len);
}

SHIM_EXPORT ssize_t __readlinkat_chk(int dirfd, const char *path, char *buf, size_t len,
				     size_t buflen)
{
	if (len > buflen)
		abort();
	return readlink_common(dirfd, path, buf, len);
}

static char *return_path(const char *path, char *resolved)
{
	if (strlen(path) >= PATH_MAX) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	if (!resolved)
		return strdup(path);
	strcpy(resolved, path);
	return resolved;
}

SHIM_EXPORT char *realpath(const char *path, char *resolved)
{
	const struct shim_node *node;
	struct shim_res res;
	char dpath[PATH_MAX];
	int fd;

	shim_init();
	if (!path)
		return shim_real.realpath(path, resolved);
	fd = shim_proc_fd(path);
	if (fd >= 0) {
		node = fd_node(fd);
		if (node)
			return return_path(node->path, resolved);
		if (shim_dir_fd_path(fd, dpath, sizeof(dpath)))
			return return_path(dpath, resolved);
	}
	shim_vfs_resolve(path, true, &res);
	switch (res.kind) {
	case SHIM_RES_NODE:
		return return_path(res.node->path, resolved);
	case SHIM_RES_ERR:
		errno = res.err;
		return NULL;
	case SHIM_RES_REAL:
		return shim_real.realpath(res.real, resolved);
	case SHIM_RES_PASS:
	default:
		return shim_real.realpath(path, resolved);
	}
}

SHIM_EXPORT char *__realpath_chk(const char *path, char *resolved, size_t resolvedlen)
{
	if (resolved && resolvedlen < PATH_MAX)
		abort();
	return realpath(path, resolved);
}

SHIM_EXPORT char *canonicalize_file_name(const char *path)
{
	return realpath(path, NULL);
}

/* access() on a synthetic node: everybody may read; only device nodes are writable. */
static int node_access(const struct shim_node *node, int mode)
{
	if ((mode & W_OK) && node->type != SHIM_NODE_CHR && getuid() != 0)
		return fail(EACCES);
	if ((mode & X_OK) && node->type != SHIM_NODE_DIR)
		return fail(EACCES);
	return 0;
}

static int access_common(int dirfd, const char *path, int mode, int flags, bool *pass,
			 struct shim_res *res)
{
	const struct shim_node *node;
	int fd;

	shim_init();
	*pass = false;
	res->kind = SHIM_RES_PASS;
	if (!path) {
		*pass = true;
		return -1;
	}
	fd = shim_proc_fd(path);
	if (fd >= 0 && (node = fd_node(fd)))
		return node_access(node, mode);
	shim_resolve_at(dirfd, path, !(flags & AT_SYMLINK_NOFOLLOW), res);
	switch (res->kind) {
	case SHIM_RES_NODE:
		return node_access(res->node, mode);
	case SHIM_RES_ERR:
		return fail(res->err);
	default:
		*pass = true;
		return -1;
	}
}

SHIM_EXPORT int access(const char *path, int mode)
{
	struct shim_res res;
	bool pass;
	int ret = access_common(AT_FDCWD, path, mode, 0, &pass, &res);

	if (!pass)
		return ret;
	return shim_real.access(res.kind == SHIM_RES_REAL ? res.real : path, mode);
}

SHIM_EXPORT int faccessat(int dirfd, const char *path, int mode, int flags)
{
	struct shim_res res;
	bool pass;
	int ret = access_common(dirfd, path, mode, flags, &pass, &res);

	if (!pass)
		return ret;
	if (res.kind == SHIM_RES_REAL)
		return shim_real.faccessat(AT_FDCWD, res.real, mode, flags);
	return shim_real.faccessat(dirfd, path, mode, flags);
}

SHIM_EXPORT int euidaccess(const char *path, int mode)
{
	struct shim_res res;
	bool pass;
	int ret = access_common(AT_FDCWD, path, mode, 0, &pass, &res);

	if (!pass)
		return ret;
	return shim_real.euidaccess(res.kind == SHIM_RES_REAL ? res.real : path, mode);
}

SHIM_EXPORT int eaccess(const char *path, int mode)
{
	return euidaccess(path, mode);
}

/* ---- extended attributes: synthetic nodes have none ---- */

/*
 * xattr lookups on a synthetic path. Return: -1/errno when handled (ENODATA
 * for a get, or an error of the path), 0 for an empty list, or 1 when the
 * real function must run on @res->real / the original path.
 */
static int xattr_common(const char *path, bool follow, bool list, struct shim_res *res)
{
	shim_init();
	res->kind = SHIM_RES_PASS;
	if (!path)
		return 1;
	shim_vfs_resolve(path, follow, res);
	switch (res->kind) {
	case SHIM_RES_NODE:
		return list ? 0 : fail(ENODATA);
	case SHIM_RES_ERR:
		return fail(res->err);
	default:
		return 1;
	}
}

#define XATTR_PATH(p) (res.kind == SHIM_RES_REAL ? res.real : (p))

SHIM_EXPORT ssize_t getxattr(const char *path, const char *name, void *value, size_t size)
{
	static ssize_t (*real)(const char *, const char *, void *, size_t);
	struct shim_res res;
	int ret = xattr_common(path, true, false, &res);

	if (ret <= 0)
		return ret;
	if (!real)
		real = (__typeof__(real))dlsym(RTLD_NEXT, "getxattr");
	return real(XATTR_PATH(path), name, value, size);
}

SHIM_EXPORT ssize_t lgetxattr(const char *path, const char *name, void *value, size_t size)
{
	static ssize_t (*real)(const char *, const char *, void *, size_t);
	struct shim_res res;
	int ret = xattr_common(path, false, false, &res);

	if (ret <= 0)
		return ret;
	if (!real)
		real = (__typeof__(real))dlsym(RTLD_NEXT, "lgetxattr");
	return real(XATTR_PATH(path), name, value, size);
}

SHIM_EXPORT ssize_t listxattr(const char *path, char *list, size_t size)
{
	static ssize_t (*real)(const char *, char *, size_t);
	struct shim_res res;
	int ret = xattr_common(path, true, true, &res);

	if (ret <= 0)
		return ret;
	if (!real)
		real = (__typeof__(real))dlsym(RTLD_NEXT, "listxattr");
	return real(XATTR_PATH(path), list, size);
}

SHIM_EXPORT ssize_t llistxattr(const char *path, char *list, size_t size)
{
	static ssize_t (*real)(const char *, char *, size_t);
	struct shim_res res;
	int ret = xattr_common(path, false, true, &res);

	if (ret <= 0)
		return ret;
	if (!real)
		real = (__typeof__(real))dlsym(RTLD_NEXT, "llistxattr");
	return real(XATTR_PATH(path), list, size);
}
