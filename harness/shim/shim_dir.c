// SPDX-License-Identifier: MIT
/*
 * DOC: Shim directories
 *
 * opendir() of a synthetic directory returns a shim-made DIR handle that
 * lists the directory's table entries ("." and ".." first). It starts with
 * an int -1 where glibc's DIR keeps its (never negative) descriptor,
 * followed by a magic word, so every DIR function can tell the two apart
 * without a lookup. dirfd() on it hands out a marker descriptor that
 * fdopendir() and the *at() functions understand.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "shim_priv.h"

#define SHIM_DIR_MAGIC 0x74797264u /* "tyrd" */

/** struct shim_dir - a synthetic directory stream. */
struct shim_dir {
	/** @neg_fd: always -1 (glibc's DIR starts with its descriptor). */
	int neg_fd;
	/** @magic: SHIM_DIR_MAGIC. */
	uint32_t magic;
	const struct shim_node *node;
	/** @pos: next entry: 0 ".", 1 "..", 2 + i the i-th child. */
	long pos;
	/** @fd: marker descriptor (dirfd()), -1 until needed. */
	int fd;
	struct dirent ent;
};

static struct shim_dir *as_shim_dir(DIR *dir)
{
	const int32_t *w = (const int32_t *)dir;

	if (dir && w[0] == -1 && (uint32_t)w[1] == SHIM_DIR_MAGIC)
		return (struct shim_dir *)dir;
	return NULL;
}

static DIR *shim_dir_new(const struct shim_node *node, int fd)
{
	struct shim_dir *d = calloc(1, sizeof(*d));

	if (!d) {
		errno = ENOMEM;
		return NULL;
	}
	d->neg_fd = -1;
	d->magic = SHIM_DIR_MAGIC;
	d->node = node;
	d->fd = fd;
	return (DIR *)d;
}

/* Fill @ent with entry @pos of @d. Return: false past the end. */
static bool shim_dir_entry(struct shim_dir *d, long pos, struct dirent *ent)
{
	const struct shim_node *child = NULL;
	const char *name;
	ino_t ino;
	unsigned char type = DT_DIR;

	if (pos < 0)
		return false;
	if (pos == 0) {
		name = ".";
		ino = shim_vfs_ino(d->node);
	} else if (pos == 1) {
		char parent[PATH_MAX];
		const struct shim_node *pnode;

		strcpy(parent, d->node->path);
		*strrchr(parent, '/') = '\0';
		pnode = shim_vfs_node_at(parent);
		name = "..";
		ino = pnode ? shim_vfs_ino(pnode) : 2;
	} else {
		child = shim_vfs_child(d->node, (unsigned int)(pos - 2));
		if (!child)
			return false;
		name = shim_vfs_basename(child);
		ino = shim_vfs_ino(child);
		type = shim_vfs_dtype(child);
	}
	memset(ent, 0, sizeof(*ent));
	ent->d_ino = ino;
	ent->d_off = pos + 1;
	ent->d_reclen = sizeof(*ent);
	ent->d_type = type;
	snprintf(ent->d_name, sizeof(ent->d_name), "%s", name);
	return true;
}

SHIM_EXPORT DIR *opendir(const char *path)
{
	struct shim_res res;

	shim_init();
	if (!path)
		return shim_real.opendir(path);
	shim_vfs_resolve(path, true, &res);
	switch (res.kind) {
	case SHIM_RES_NODE:
		if (res.node->type != SHIM_NODE_DIR) {
			errno = ENOTDIR;
			return NULL;
		}
		return shim_dir_new(res.node, -1);
	case SHIM_RES_ERR:
		errno = res.err;
		return NULL;
	case SHIM_RES_REAL:
		return shim_real.opendir(res.real);
	case SHIM_RES_PASS:
	default:
		return shim_real.opendir(path);
	}
}

SHIM_EXPORT DIR *fdopendir(int fd)
{
	const struct shim_node *node;
	char path[PATH_MAX];

	shim_init();
	if (shim_dir_fd_path(fd, path, sizeof(path)) && (node = shim_vfs_node_at(path)))
		return shim_dir_new(node, fd);
	return shim_real.fdopendir(fd);
}

SHIM_EXPORT struct dirent *readdir(DIR *dir)
{
	struct shim_dir *d = as_shim_dir(dir);

	if (!d) {
		shim_init();
		return shim_real.readdir(dir);
	}
	if (!shim_dir_entry(d, d->pos, &d->ent))
		return NULL;
	d->pos++;
	return &d->ent;
}

SHIM_EXPORT struct dirent64 *readdir64(DIR *dir)
{
	return (struct dirent64 *)readdir(dir);
}

/* readdir_r() is deprecated, but programs still call it. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
SHIM_EXPORT int readdir_r(DIR *dir, struct dirent *entry, struct dirent **result)
{
	struct shim_dir *d = as_shim_dir(dir);

	if (!d) {
		shim_init();
		return shim_real.readdir_r(dir, entry, result);
	}
	if (!shim_dir_entry(d, d->pos, entry)) {
		*result = NULL;
		return 0;
	}
	d->pos++;
	*result = entry;
	return 0;
}

SHIM_EXPORT int readdir64_r(DIR *dir, struct dirent64 *entry, struct dirent64 **result)
{
	return readdir_r(dir, (struct dirent *)entry, (struct dirent **)result);
}

#pragma GCC diagnostic pop

SHIM_EXPORT int closedir(DIR *dir)
{
	struct shim_dir *d = as_shim_dir(dir);

	if (!d) {
		shim_init();
		return shim_real.closedir(dir);
	}
	if (d->fd >= 0)
		close(d->fd);
	free(d);
	return 0;
}

SHIM_EXPORT int dirfd(DIR *dir)
{
	struct shim_dir *d = as_shim_dir(dir);

	if (!d) {
		shim_init();
		return shim_real.dirfd(dir);
	}
	if (d->fd < 0) {
		int fd = shim_dir_fd_open(d->node, O_CLOEXEC);

		if (fd < 0) {
			errno = -fd;
			return -1;
		}
		d->fd = fd;
	}
	return d->fd;
}

SHIM_EXPORT void rewinddir(DIR *dir)
{
	struct shim_dir *d = as_shim_dir(dir);

	if (!d) {
		shim_init();
		shim_real.rewinddir(dir);
		return;
	}
	d->pos = 0;
}

SHIM_EXPORT long telldir(DIR *dir)
{
	struct shim_dir *d = as_shim_dir(dir);

	if (!d) {
		shim_init();
		return shim_real.telldir(dir);
	}
	return d->pos;
}

SHIM_EXPORT void seekdir(DIR *dir, long pos)
{
	struct shim_dir *d = as_shim_dir(dir);

	if (!d) {
		shim_init();
		shim_real.seekdir(dir, pos);
		return;
	}
	d->pos = pos;
}

typedef int (*scandir_filter)(const struct dirent *);
typedef int (*scandir_compar)(const struct dirent **, const struct dirent **);
/* Any function pointer; converting through it does not warn (-Wcast-function-type). */
typedef void (*any_fn)(void);

static __thread scandir_compar tls_compar;

static int compar_tramp(const void *a, const void *b)
{
	return tls_compar((const struct dirent **)a, (const struct dirent **)b);
}

/* scandir() and scandir64() (the same layout on LP64). */
static int scandir_common(const char *path, struct dirent ***list, any_fn filter_fn,
			  any_fn compar_fn)
{
	scandir_filter filter = (scandir_filter)filter_fn;
	scandir_compar compar = (scandir_compar)compar_fn;
	struct shim_res res;
	struct shim_dir d = { .neg_fd = -1, .magic = SHIM_DIR_MAGIC, .fd = -1 };
	struct dirent **v = NULL, ent;
	size_t n = 0, cap = 0;
	long pos;

	shim_init();
	if (!path)
		return shim_real.scandir(path, list, filter, compar);
	shim_vfs_resolve(path, true, &res);
	if (res.kind == SHIM_RES_PASS)
		return shim_real.scandir(path, list, filter, compar);
	if (res.kind == SHIM_RES_REAL)
		return shim_real.scandir(res.real, list, filter, compar);
	if (res.kind == SHIM_RES_ERR) {
		errno = res.err;
		return -1;
	}
	if (res.node->type != SHIM_NODE_DIR) {
		errno = ENOTDIR;
		return -1;
	}
	d.node = res.node;
	for (pos = 0; shim_dir_entry(&d, pos, &ent); pos++) {
		struct dirent *copy;

		if (filter && !filter(&ent))
			continue;
		if (n == cap) {
			struct dirent **nv;

			cap = cap ? cap * 2 : 8;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv)
				goto err_nomem;
			v = nv;
		}
		copy = malloc(sizeof(*copy));
		if (!copy)
			goto err_nomem;
		*copy = ent;
		v[n++] = copy;
	}
	if (compar && n > 1) {
		tls_compar = compar;
		qsort(v, n, sizeof(*v), compar_tramp);
		tls_compar = NULL;
	}
	*list = v;
	return (int)n;

err_nomem:
	while (n)
		free(v[--n]);
	free(v);
	errno = ENOMEM;
	return -1;
}

SHIM_EXPORT int scandir(const char *path, struct dirent ***list, scandir_filter filter,
			scandir_compar compar)
{
	return scandir_common(path, list, (any_fn)filter, (any_fn)compar);
}

SHIM_EXPORT int scandir64(const char *path, struct dirent64 ***list,
			  int (*filter)(const struct dirent64 *),
			  int (*compar)(const struct dirent64 **, const struct dirent64 **))
{
	return scandir_common(path, (struct dirent ***)list, (any_fn)filter, (any_fn)compar);
}
