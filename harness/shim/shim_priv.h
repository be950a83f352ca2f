/* SPDX-License-Identifier: MIT */
/*
 * Shim internals shared by shim_core.c (init, real functions, host
 * connection, DRM operations), shim_fs.c (path-based entry points),
 * shim_dir.c (directories) and shim_io.c (ioctl, mmap).
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
