/* SPDX-License-Identifier: MIT */
/*
 * Shim internals shared by shim_core.c (init, real functions, host
 * connection, DRM operations), shim_fs.c (path-based entry points),
 * shim_dir.c (directories), shim_io.c (ioctl, mmap), shim_fdinfo.c
 * (/proc/<pid>/fdinfo of DRM files) and shim_attr.c (writable sysfs
 * attributes, write()).
 */
#ifndef TYRC_SHIM_PRIV_H
#define TYRC_SHIM_PRIV_H

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "shim_vfs.h"

#define SHIM_EXPORT __attribute__((visibility("default")))

/* struct statx is only declared with _GNU_SOURCE on newer glibc; keep it opaque here. */
struct statx;

/** struct shim_real - the functions we interpose, as the next library defines them. */
struct shim_real {
	int (*open)(const char *path, int flags, ...);
	int (*openat)(int dirfd, const char *path, int flags, ...);
	int (*__open_2)(const char *path, int flags);
	int (*__openat_2)(int dirfd, const char *path, int flags);
	FILE *(*fopen)(const char *path, const char *mode);
	int (*stat)(const char *path, struct stat *st);
	int (*lstat)(const char *path, struct stat *st);
	int (*fstat)(int fd, struct stat *st);
	int (*fstatat)(int dirfd, const char *path, struct stat *st, int flags);
	int (*statx)(int dirfd, const char *path, int flags, unsigned int mask, struct statx *stx);
	ssize_t (*readlink)(const char *path, char *buf, size_t len);
	ssize_t (*readlinkat)(int dirfd, const char *path, char *buf, size_t len);
	char *(*realpath)(const char *path, char *resolved);
	int (*access)(const char *path, int mode);
	int (*faccessat)(int dirfd, const char *path, int mode, int flags);
	int (*euidaccess)(const char *path, int mode);
	DIR *(*opendir)(const char *path);
	DIR *(*fdopendir)(int fd);
	struct dirent *(*readdir)(DIR *dir);
	int (*readdir_r)(DIR *dir, struct dirent *entry, struct dirent **result);
	int (*closedir)(DIR *dir);
	int (*dirfd)(DIR *dir);
	void (*rewinddir)(DIR *dir);
	long (*telldir)(DIR *dir);
	void (*seekdir)(DIR *dir, long pos);
	int (*scandir)(const char *path, struct dirent ***list,
		       int (*filter)(const struct dirent *),
		       int (*compar)(const struct dirent **, const struct dirent **));
	int (*ioctl)(int fd, unsigned long request, ...);
	ssize_t (*write)(int fd, const void *buf, size_t len);
	void *(*mmap)(void *addr, size_t len, int prot, int flags, int fd, off_t off);
	int (*munmap)(void *addr, size_t len);
};

extern struct shim_real shim_real;

/** shim_init() - resolve the real functions (once, thread-safe, lazy). */
void shim_init(void);

/** shim_log() - debug log (TYRC_SHIM_DEBUG=1 -> stderr, TYRC_SHIM_LOG=path); silent otherwise. */
void shim_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/**
 * shim_fd_minor() - is @fd a DRM file of ours?
 * Return: its minor (0 or 128), or -1.
 */
int shim_fd_minor(int fd);
/** shim_fd_is_sync_file() - is @fd a sync_file the host made (its ioctls go to the host)? */
bool shim_fd_is_sync_file(int fd);

/**
 * shim_drm_open() - open a new DRM file on @minor.
 * @flags: the open() flags (O_CLOEXEC and O_NONBLOCK are honoured).
 * Return: the descriptor, or a negative errno (-ENOENT without a host).
 */
int shim_drm_open(unsigned int minor, int flags);

/** shim_drm_ioctl() - run an ioctl on DRM file @fd. Return: >= 0, or a negative errno. */
long shim_drm_ioctl(int fd, unsigned long request, void *arg);

/**
 * shim_drm_mmap() - mmap of a DRM file.
 * Return: the address, or MAP_FAILED with *@err set to a negative errno.
 */
void *shim_drm_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off, int *err);

/**
 * shim_map_add() - track a DRM mapping of @len bytes at @addr whose host
 * mapping token is @token (shim_map.c); the token is closed once no page
 * of it is mapped any more.
 */
void shim_map_add(void *addr, size_t len, int token);
/** shim_map_forget() - [@addr, @addr + @len) was unmapped or replaced. */
void shim_map_forget(void *addr, size_t len);
void shim_map_atfork_prepare(void);
void shim_map_atfork_parent(void);
void shim_map_atfork_child(void);

/**
 * shim_gen_text() - contents of a generated file (@node->gen) from the host.
 * Return: malloc'd text (NUL-terminated) with *@len set, or NULL with a negative errno in *@len.
 */
char *shim_gen_text(const struct shim_node *node, long *len);

/**
 * shim_drm_fdinfo() - the driver's fdinfo lines of DRM file @fd.
 * Return: as shim_gen_text().
 */
char *shim_drm_fdinfo(int fd, long *len);

/**
 * shim_sysfs_request() - a SYSFS request (tyrc_wire.h) on attribute @attr:
 * @op with @size bytes of @data (WRITE only).
 * Return: as shim_gen_text(); an empty text for a successful WRITE or
 * CHECK_WRITE.
 */
char *shim_sysfs_request(unsigned int attr, unsigned int op, const void *data, size_t size,
			 long *len);

/**
 * shim_fdinfo_open() - open() of /proc/<own pid>/fdinfo/N (@path, relative
 * to @dirfd) when N is a DRM file: a memfd with the kernel's lines of the
 * real file and the driver's. Return: the descriptor or a negative errno
 * with *@handled set; *@handled clear when the real open() must run.
 */
int shim_fdinfo_open(int dirfd, const char *path, int flags, bool *handled);

/**
 * shim_marked_fd() - is @fd a descriptor the shim made as a memfd named
 * @prefix followed by a synthetic path (directories: "tyrc-dir:",
 * writable attributes: "tyrc-attr:")? If so copy the path into @buf.
 */
bool shim_marked_fd(int fd, const char *prefix, char *buf, size_t len);

/**
 * shim_memfd_file() - a descriptor reading @len bytes of @data: a memfd
 * named @name reopened with @flags' access mode and close-on-exec flag,
 * marked (shim_marked_fd()) if @mark. Return: fd or -errno.
 */
int shim_memfd_file(const char *name, const char *data, size_t len, int flags, bool mark);

/**
 * shim_attr_check_write() - may this process open writable attribute @node
 * for writing? The host decides, as the VFS would for a root-owned 0644
 * file. Return: 0, -EACCES, or -ENODEV without a host.
 */
int shim_attr_check_write(const struct shim_node *node);

/** shim_attr_write() - write() on a writable attribute's descriptor @fd (shim_attr.c). */
ssize_t shim_attr_write(int fd, const void *buf, size_t len);

/**
 * shim_attr_fdopen() - fdopen() for a writable attribute's descriptor:
 * stdio's writes reach the attribute's store(). Return: the stream (which
 * owns @fd), or NULL with errno set (@fd is still the caller's).
 */
FILE *shim_attr_fdopen(int fd, const char *mode);

/* Memfd name prefixes of marked descriptors (shim_marked_fd()). */
#define SHIM_DIR_MEMFD_PREFIX "tyrc-dir:"
#define SHIM_ATTR_MEMFD_PREFIX "tyrc-attr:"

/**
 * shim_proc_fd() - parse "/proc/self/fd/N" (also /proc/thread-self/fd/N and
 * /proc/<own pid>/fd/N). Return: N, or -1 if @path is not such a path.
 */
int shim_proc_fd(const char *path);

/**
 * shim_dir_fd_path() - if @fd is a directory descriptor the shim created
 * for a synthetic directory, copy that directory's path into @buf.
 * Return: true if it is one.
 */
bool shim_dir_fd_path(int fd, char *buf, size_t len);

/** shim_dir_fd_open() - a descriptor standing for synthetic directory @node. Return: fd or -errno. */
int shim_dir_fd_open(const struct shim_node *node, int flags);

/** shim_file_open() - a descriptor reading the contents of synthetic file @node. Return: fd or -errno. */
int shim_file_open(const struct shim_node *node, int flags);

/**
 * shim_resolve_at() - resolve @path relative to @dirfd (AT_FDCWD, a real
 * directory, or one of ours), as shim_vfs_resolve().
 */
void shim_resolve_at(int dirfd, const char *path, bool follow, struct shim_res *res);

#endif /* TYRC_SHIM_PRIV_H */
