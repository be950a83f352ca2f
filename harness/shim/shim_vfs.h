/* SPDX-License-Identifier: MIT */
/*
 * The synthetic filesystem the shim shows: /dev/dri, the sysfs directories
 * libdrm reads for a platform device, /sys/class/drm and the DRM debugfs
 * directories. Pure lookup code over a constant table (shim_vfs.c), with
 * no libc interposition, so it is unit-tested directly.
 */
#ifndef TYRC_SHIM_VFS_H
#define TYRC_SHIM_VFS_H

#include <limits.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <sys/types.h>

#define SHIM_DRM_MAJOR 226

/** enum shim_node_type - what a synthetic path is. */
enum shim_node_type {
	SHIM_NODE_DIR,
	SHIM_NODE_REG,
	SHIM_NODE_LNK,
	SHIM_NODE_CHR,
};

/** enum shim_gen - files whose contents come from the host when opened. */
enum shim_gen {
	SHIM_GEN_NONE = 0,
	SHIM_GEN_CLIENTS,
	SHIM_GEN_GEMS,
	/* The GPU device's "profiling" attribute: read from and written to the host. */
	SHIM_GEN_PROFILING,
};

/** struct shim_node - one synthetic path. */
struct shim_node {
	/** @path: canonical absolute path. */
	const char *path;
	enum shim_node_type type;
	/** @data: REG: contents; LNK: link target. */
	const char *data;
	/** @minor: CHR: device minor; debugfs files: the directory's minor. */
	unsigned int minor;
	/** @gen: REG whose contents are generated. */
	enum shim_gen gen;
};

/** enum shim_res_kind - outcome of resolving a path. */
enum shim_res_kind {
	/** @SHIM_RES_PASS: not ours, hand the original path to libc. */
	SHIM_RES_PASS,
	/** @SHIM_RES_REAL: not ours, but hand @real (symlinks rewritten) to libc. */
	SHIM_RES_REAL,
	/** @SHIM_RES_NODE: a synthetic node. */
	SHIM_RES_NODE,
	/** @SHIM_RES_ERR: fails with @err (ENOENT, ENOTDIR, ELOOP, ENAMETOOLONG). */
	SHIM_RES_ERR,
};

/** struct shim_res - result of shim_vfs_resolve(). */
struct shim_res {
	enum shim_res_kind kind;
	const struct shim_node *node;
	int err;
	char real[PATH_MAX];
};

/**
 * shim_vfs_resolve() - resolve @path in the synthetic tree.
 * @path: an absolute path (relative paths are always SHIM_RES_PASS).
 * @follow: follow a symlink in the last component.
 * @res: the result.
 */
void shim_vfs_resolve(const char *path, bool follow, struct shim_res *res);

/**
 * shim_vfs_resolve_at() - resolve @rel relative to the synthetic directory
 * @base (an absolute canonical path), as shim_vfs_resolve().
 */
void shim_vfs_resolve_at(const char *base, const char *rel, bool follow, struct shim_res *res);

/** shim_vfs_node_by_minor() - the /dev/dri node of @minor, or NULL. */
const struct shim_node *shim_vfs_node_by_minor(unsigned int minor);

/** shim_vfs_stat() - what stat() (or lstat() for a link) reports for @node. */
void shim_vfs_stat(const struct shim_node *node, struct stat *st);

/**
 * shim_vfs_child() - the @index-th entry of directory @dir (in table order).
 * Return: the child node, or NULL past the end.
 */
const struct shim_node *shim_vfs_child(const struct shim_node *dir, unsigned int index);

/** shim_vfs_basename() - Return: the last component of @node's path. */
const char *shim_vfs_basename(const struct shim_node *node);

/** shim_vfs_dtype() - Return: the DT_* type of @node. */
unsigned char shim_vfs_dtype(const struct shim_node *node);

/**
 * shim_vfs_writable() - is @node a writable attribute (mode 0644, root may
 * open it for writing; writes reach the host)?
 */
bool shim_vfs_writable(const struct shim_node *node);

/** shim_vfs_ino() - Return: the inode number of @node. */
ino_t shim_vfs_ino(const struct shim_node *node);

/** shim_vfs_node_at() - Return: the node with canonical path @path, or NULL. */
const struct shim_node *shim_vfs_node_at(const char *path);

#endif /* TYRC_SHIM_VFS_H */
